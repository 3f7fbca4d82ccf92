// A visitor's 10-line tray priced and built into a ticket, every Crous check run on it (a failing
// ticket throws), per second: the wasm package against plain JavaScript with decimal.js, the
// same work in one run of one JavaScript engine. Shared by the Node entry (ticket.bench.mjs) and
// the browser entry (browser.bench.mjs): it only needs the initialised package and the reference
// data, so it runs unchanged in both.
import { jsReference, jsPriceCart, jsBuildTicket } from "./js_ticket.mjs";

const DAY = "2026-11-23";
const sale = { versionLogiciel: "bench", idLogiciel: 39, idTypeDistribution: 1, soldAt: `${DAY}T12:00:00+01:00` };
const numbering = { lastIdTicketEntete: 41, day: DAY, daySequence: 3 };
const profile = { codeSociete: 8000, tarif: 1 };
// A 10-line tray, as core's criterion benchmark uses.
const cart = Array.from({ length: 10 }, (_, i) => ({ codeArticle: [100, 200, 300, 400][i % 4], quantite: (i % 3) + 1 }));
const payment = { type: "carteBancaire" };

/** Decimal strings (the package's amounts) and numbers compared as numbers. */
const plain = (_, v) => (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v);

function same(a, b, what) {
  const [x, y] = [JSON.stringify(a, plain), JSON.stringify(b, plain)];
  if (x !== y) throw new Error(`wasm and JavaScript disagree on ${what}:\n${x}\n${y}`);
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
  // Each builds the ticket and runs every check on it (a failing ticket throws), as a till does
  // before storing it.
  const wasmSale = () => {
    const pricedCart = wasmRef.priceCart(cart, profile, DAY);
    return wasmRef.buildTicket({ numbering, sale, pricedCart, payment });
  };
  const wasmHandles = () => {
    const tray = wasmRef.priceTray(cart, profile, DAY);
    const draft = tray.buildTicket({ numbering, sale, payment });
    const id = draft.idTicketEntete;
    tray.free();
    draft.free();
    return id;
  };
  const wasmDraft = () => {
    const tray = wasmRef.priceTray(cart, profile, DAY);
    const draft = tray.buildTicket({ numbering, sale, payment });
    const built = draft.toJSON();
    tray.free();
    draft.free();
    return built;
  };
  const jsSale = () => {
    const pricedCart = jsPriceCart(jsRef, cart, profile, DAY);
    return jsBuildTicket(jsRef, { numbering, sale, pricedCart, payment });
  };
  const a = wasmSale().ticket;
  const b = jsSale().ticket;
  same(a.listeLignes, b.listeLignes, "the lines");
  same(a.listeReglements, b.listeReglements, "the payment");
  same(a.numeroTicket, b.numeroTicket, "the number");
  same(wasmDraft().ticket, a, "the ticket built through handles");
  return [
    measure("wasm package: priceTray + buildTicket, kept in the package (handles)", wasmHandles, ms),
    measure("wasm package: priceCart + buildTicket, every value read into JavaScript", wasmSale, ms),
    measure("JavaScript + decimal.js: price + build, every check run", jsSale, ms),
  ];
}

/** The rows as a Markdown table. */
export function table(rows) {
  const n = (x) => x.toLocaleString("en").replaceAll(",", " ");
  return ["| what | tickets / s | µs per ticket |", "|---|---|---|", ...rows.map((r) => `| ${r.name} | ${n(r.perSecond)} | ${r.microseconds} |`)].join("\n");
}
