// The addon's handle path alone, for a profiler: a visitor's 10-line tray priced
// (`reference.priceTray`), built into a ticket (`tray.buildTicket`), one getter read; N times.
// Run: node node/bench/addon_handles.mjs [both|price] [N]
// e.g. perf record -g node node/bench/addon_handles.mjs both 200000 (BENCHMARKS.md).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const addon = createRequire(import.meta.url)(here("../index.js"));
const data = JSON.parse(readFileSync(here("../../sandbox/fixtures/demo.json"), "utf8")).crous.reference;
const DAY = "2026-11-23";
const VISITOR = { codeSociete: 8000, tarif: 1 };
const sale = { versionLogiciel: "bench", idLogiciel: 39, idTypeDistribution: 1, soldAt: `${DAY}T12:05:00+01:00` };
const numbering = { lastIdTicketEntete: 0, day: null, daySequence: 0 };
const cart = Array.from({ length: 10 }, (_, i) => ({ codeArticle: [100, 200, 300, 400][i % 4], quantite: (i % 3) + 1 }));
const payment = { type: "carteBancaire" };
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
