// Node: `node wasm/bench/ticket.bench.mjs` (after scripts/build-wasm-package.sh and
// `npm ci --prefix wasm/bench`). The browser run: `node wasm/bench/browser.bench.mjs`.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runTicketBench, table } from "./ticket_bench.mjs";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const pkg = await import(here("../pkg/crous_till.js"));
pkg.initSync({ module: readFileSync(here("../pkg/crous_till_bg.wasm")) });
const data = JSON.parse(readFileSync(here("../../sandbox/fixtures/demo.json"), "utf8")).crous.reference;
const rows = runTicketBench(pkg, data, Number(process.env.BENCH_MS ?? 2000));
console.log(`Node ${process.version}\n\n${table(rows)}`);
