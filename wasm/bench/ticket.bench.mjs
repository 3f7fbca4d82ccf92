// Ticket build + check per second: the wasm package against plain JavaScript with decimal.js,
// in one run of one process. Node: `node wasm/bench/ticket.bench.mjs` (after
// scripts/build-wasm-package.sh and `npm ci --prefix wasm/bench`). The same module runs in a
// browser page (it only needs `run(pkg, Decimal-free inputs)`).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { jsReference, jsPriceCart, jsBuildTicket, jsCheckTicket } from "./js_ticket.mjs";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const pkg = await import(here("../pkg/crous_till.js"));
pkg.initSync({ module: readFileSync(here("../pkg/crous_till_bg.wasm")) });
const data = JSON.parse(readFileSync(here("../../sandbox/fixtures/demo.json"), "utf8")).crous.reference;

const DAY = "2026-11-23";
const sale = { versionLogiciel: "bench", idLogiciel: 39, idTypeDistribution: 1, soldAt: `${DAY}T12:00:00+01:00` };
const numbering = { lastIdTicketEntete: 41, day: DAY, daySequence: 3 };
const profile = { codeSociete: 8000, tarif: 1 };
// A 10-line tray, as core's criterion benchmark uses.
const cart = Array.from({ length: 10 }, (_, i) => ({ codeArticle: [100, 200, 300, 400][i % 4], quantite: (i % 3) + 1 }));
const payment = { type: "carteBancaire" };

const wasmRef = new pkg.Reference(data);
const jsRef = jsReference(data);
const wasmSale = () => {
  const pricedCart = wasmRef.priceCart(cart, profile, DAY);
  const built = wasmRef.buildTicket({ numbering, sale, pricedCart, payment });
  if (wasmRef.checkTicket(built.ticket).violations.length) throw new Error("invalid");
  return built;
};
const jsSale = () => {
  const pricedCart = jsPriceCart(jsRef, cart, profile, DAY);
  const built = jsBuildTicket(jsRef, { numbering, sale, pricedCart, payment });
  if (jsCheckTicket(jsRef, built.ticket).length) throw new Error("invalid");
  return built;
};

// Same work: both produce the same lines and payment.
const a = wasmSale().ticket, b = jsSale().ticket;
assert.deepEqual(a.listeLignes, b.listeLignes);
assert.deepEqual(a.listeReglements, b.listeReglements);
assert.equal(a.numeroTicket, b.numeroTicket);

function measure(name, fn, ms = Number(process.env.BENCH_MS ?? 2000)) {
  for (let i = 0; i < 200; i++) fn(); // warm-up
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 50; i++) fn();
    n += 50;
  }
  const s = (performance.now() - start) / 1000;
  return { name, perSecond: Math.round(n / s), microseconds: ((s * 1e6) / n).toFixed(1) };
}

const rows = [
  measure("wasm package: priceCart + buildTicket + checkTicket (10 lines)", wasmSale),
  measure("JavaScript + decimal.js: the same", jsSale),
];
console.log(`Node ${process.version}, ${rows.length} rows\n`);
console.log("| what | tickets / s | µs per ticket |\n|---|---|---|");
for (const r of rows) console.log(`| ${r.name} | ${r.perSecond.toLocaleString("en").replaceAll(",", " ")} | ${r.microseconds} |`);
