// Ticket build + check per second: the wasm package against plain JavaScript with decimal.js, the
// same work in one run of one JavaScript engine. Shared by the Node entry (ticket.bench.mjs) and
// the browser entry (browser.bench.mjs): it only needs the initialised package and the reference
// data, so it runs unchanged in both.
import { jsReference, jsPriceCart, jsBuildTicket, jsCheckTicket } from "./js_ticket.mjs";

const DAY = "2026-11-23";
const sale = { versionLogiciel: "bench", idLogiciel: 39, idTypeDistribution: 1, soldAt: `${DAY}T12:00:00+01:00` };
const numbering = { lastIdTicketEntete: 41, day: DAY, daySequence: 3 };
const profile = { codeSociete: 8000, tarif: 1 };
// A 10-line tray, as core's criterion benchmark uses.
const cart = Array.from({ length: 10 }, (_, i) => ({ codeArticle: [100, 200, 300, 400][i % 4], quantite: (i % 3) + 1 }));
const payment = { type: "carteBancaire" };

function same(a, b, what) {
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`wasm and JavaScript disagree on ${what}`);
}

function measure(name, fn, ms) {
  for (let i = 0; i < 200; i++) fn(); // warm-up
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 50; i++) fn();
    n += 50;
  }
  const s = (performance.now() - start) / 1000;
  return { name, perSecond: Math.round(n / s), microseconds: Number(((s * 1e6) / n).toFixed(1)) };
}

/** Runs both for `ms` milliseconds each; throws if they do not build the same ticket. */
export function runTicketBench(pkg, referenceData, ms = 2000) {
  const wasmRef = new pkg.Reference(referenceData);
  const jsRef = jsReference(referenceData);
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
  const a = wasmSale().ticket;
  const b = jsSale().ticket;
  same(a.listeLignes, b.listeLignes, "the lines");
  same(a.listeReglements, b.listeReglements, "the payment");
  same(a.numeroTicket, b.numeroTicket, "the number");
  return [
    measure("wasm package: priceCart + buildTicket + checkTicket (10 lines)", wasmSale, ms),
    measure("JavaScript + decimal.js: the same", jsSale, ms),
  ];
}

/** The rows as a Markdown table. */
export function table(rows) {
  const n = (x) => x.toLocaleString("en").replaceAll(",", " ");
  return ["| what | tickets / s | µs per ticket |", "|---|---|---|", ...rows.map((r) => `| ${r.name} | ${n(r.perSecond)} | ${r.microseconds} |`)].join("\n");
}
