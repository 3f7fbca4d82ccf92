// Calls per second, in one Node process, through the addon and through the browser package
// (wasm/pkg): a visitor's 10-line tray priced and built into a ticket (every check run), with the
// values kept in the package (priceTray → buildTicket handles) and read into JavaScript
// (priceCart → buildTicket objects); and IzlyPay callback parsing through both.
// Needs the addon (node/index.js and its binary: scripts/build-node-addon.sh) and wasm/pkg
// (scripts/build-wasm-package.sh). Run: node node/bench/addon_vs_wasm.mjs
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { data, DAY, VISITOR, sale, numbering, cart, payment } from "./ten_line_sale.mjs";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const addon = createRequire(import.meta.url)(here("../index.js"));
const wasm = await import(here("../../wasm/pkg/crous_till.js"));
wasm.initSync({ module: readFileSync(here("../../wasm/pkg/crous_till_bg.wasm")) });

function rate(name, fn, seconds = 2) {
  for (let i = 0; i < 200; i++) fn(); // warm-up
  let n = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(seconds * 1e9);
  while (process.hrtime.bigint() < end) {
    for (let i = 0; i < 100; i++) fn();
    n += 100;
  }
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  const perSecond = Math.round(n / secs);
  console.log(`${name.padEnd(48)} ${String(perSecond).padStart(9)} calls/s  ${(1e6 / perSecond).toFixed(1).padStart(7)} µs/call`);
  return perSecond;
}

function handles(pkg) {
  const reference = new pkg.Reference(data);
  return () => {
    const tray = reference.priceTray(cart, VISITOR, DAY);
    const draft = tray.buildTicket({ numbering, sale, payment });
    if (!draft.idTicketEntete) throw new Error("no ticket");
    tray.free?.();
    draft.free?.();
  };
}

function objects(pkg) {
  const reference = new pkg.Reference(data);
  return () => {
    const pricedCart = reference.priceCart(cart, VISITOR, DAY);
    return reference.buildTicket({ numbering, sale, pricedCart, payment });
  };
}

console.log(`Node ${process.version}, ${process.arch}`);
const rows = [
  ["price + build, handles", handles],
  ["price + build, objects", objects],
].map(([what, make]) => [what, rate(`${what}, addon (napi)`, make(addon)), rate(`${what}, wasm package`, make(wasm))]);
for (const [what, a, w] of rows) console.log(`${what}: addon / wasm = ${(a / w).toFixed(2)}`);

const pay = new addon.IzlyPay({ environment: "http://127.0.0.1:9", appIdentifier: "bench", apiKey: "k" });
const callback = JSON.stringify({
  OperationSMoney: {
    Id: 58601, IdTransactionDebitIzly: 59301, Amount: 3.3, Date: "23/11/2026 12:05:00", Status: "Completed",
    Message: "Commande A1", ClientOrderId: "A1", CallbackParameters: "order=A1",
  },
  Beneficiary: { Id: 49915, ClientId: "sandbox-shop" },
  User: { Id: "6000001265", Email: "camille.martin@example.invalid", ClientCode: "6000050617", NumeroAffectation: "1" },
});
const headers = { "content-type": "application/json" };
rate("IzlyPay callback parsing, addon (string body)", () => pay.parseCallback(headers, callback));
const buffer = Buffer.from(callback);
rate("IzlyPay callback parsing, addon (Buffer body)", () => pay.parseCallback(headers, buffer));
rate("IzlyPay callback parsing, wasm package", () => wasm.parseIzlyPayCallback(headers, callback));
rate("JSON.parse of the same body (reference point)", () => JSON.parse(callback));
