// The addon's handle path alone, for a profiler: a visitor's 10-line tray priced
// (`reference.priceTray`), built into a ticket (`tray.buildTicket`), one getter read; N times.
// Run: node node/bench/addon_handles.mjs [both|price] [N]
// e.g. perf record -g node node/bench/addon_handles.mjs both 200000 (BENCHMARKS.md).
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { data, DAY, VISITOR, sale, numbering, cart, payment } from "./ten_line_sale.mjs";

const addon = createRequire(import.meta.url)(fileURLToPath(new URL("../index.js", import.meta.url)));
const reference = new addon.Reference(data);
const mode = process.argv[2] || "both";
const N = Number(process.argv[3]) || 200000;

const start = process.hrtime.bigint();
for (let i = 0; i < N; i++) {
  const tray = reference.priceTray(cart, VISITOR, DAY);
  if (mode === "price") continue;
  const draft = tray.buildTicket({ numbering, sale, payment });
  if (!draft.idTicketEntete) throw new Error("no ticket");
}
console.log(`${mode}: ${(Number(process.hrtime.bigint() - start) / 1e3 / N).toFixed(1)} µs a sale`);
