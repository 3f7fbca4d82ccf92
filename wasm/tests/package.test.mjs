// The npm package (wasm/pkg, built by scripts/build-wasm-package.sh) driven from Node:
// node --test wasm/tests/
// Reference data: the sandbox's demo Crous (sandbox/fixtures/demo.json), so the browser till and
// these tests price the same articles.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const pkg = await import(here("../pkg/crous_till.js"));
pkg.initSync({ module: readFileSync(here("../pkg/crous_till_bg.wasm")) });

const demo = JSON.parse(readFileSync(here("../../sandbox/fixtures/demo.json"), "utf8"));
const reference = new pkg.Reference(demo.crous.reference);
const STUDENT = { codeSociete: 10, tarif: 1 };
const VISITOR = { codeSociete: 8000, tarif: 1 };
const DAY = "2026-03-10"; // in the demo's period 1 (2025-09-01 .. 2026-08-31)
const sale = {
  versionLogiciel: "crous-till tests",
  idLogiciel: 39,
  idTypeDistribution: 1,
  soldAt: `${DAY}T12:05:00+01:00`,
};
const fresh = { lastIdTicketEntete: 0, day: null, daySequence: 0 };

/** Asserts that `fn` throws a CrousTillError with `code`, and returns it. */
function throwsCode(fn, code) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof Error, "an Error object");
    assert.equal(e.name, "CrousTillError");
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected a ${code} error`);
}

test("a student's two-article tray is priced at student prices, to the cent", () => {
  const priced = reference.priceCart([{ codeArticle: 100, quantite: 1 }, { codeArticle: 200, quantite: 3 }], STUDENT, DAY);
  assert.deepEqual(priced.lines.map((l) => [l.codeArticle, l.prixUnitaireTtc, l.totalTtc]), [[100, "3.30", "3.30"], [200, "0.50", "1.50"]]);
  assert.equal(priced.totalTtc, "4.80");
  // HT = TTC / 1.10 rounded half-up to the cent, per unit: 3.30 -> 3.00, 0.50 -> 0.45.
  assert.deepEqual(priced.lines.map((l) => l.prixUnitaireHt), ["3.00", "0.45"]);
});

test("three visitor coffees at 1.20 make 3.60, not 3.5999999999999996", () => {
  const priced = reference.priceCart([{ codeArticle: 200, quantite: "3" }], VISITOR, DAY);
  assert.equal(priced.totalTtc, "3.60");
  assert.equal(0.1 + 0.2 === 0.3, false); // the float trap the package avoids
});

test("a built ticket passes the checks and hands back the numbering to persist", () => {
  const pricedCart = reference.priceCart([{ codeArticle: 100, quantite: 1 }], VISITOR, DAY);
  const built = reference.buildTicket({ numbering: fresh, sale, pricedCart, payment: { type: "carteBancaire" } });
  assert.equal(built.ticket.idTicketEntete, "1");
  assert.equal(built.ticket.numeroTicket, "2603101");
  assert.deepEqual(built.numbering, { lastIdTicketEntete: 1, day: DAY, daySequence: 1 });
  // A visitor's meal carries the entry fee (article 900, 1.50), a ticket line of its own.
  assert.deepEqual(built.ticket.listeLignes.map((l) => [l.codeArticle, l.totalTtc]), [[100, "8.10"], [900, "1.50"]]);
  assert.deepEqual(built.ticket.listeReglements, [{ codeReglement: 4, montant: "9.60" }]);
  assert.deepEqual(reference.checkTicket(built.ticket).violations, []);
  const again = reference.buildTicket({ numbering: built.numbering, sale, pricedCart, payment: { type: "carteBancaire" } });
  assert.equal(again.ticket.numeroTicket, "2603102");
  const vat = reference.vatTotals(built.ticket);
  assert.deepEqual(vat, [{ codeTva: 1, taux: "10.0", totalHt: "8.72", totalTva: "0.88", totalTtc: "9.60" }]);
});

test("an Izly QR payment needs the customer, and says so with a stable code", () => {
  const pricedCart = reference.priceCart([{ codeArticle: 100, quantite: 1 }], STUDENT, DAY);
  const payment = { type: "izlyQrCode", qrCode: "AIZ;6000001265;x", idTransactionIzly: "63501" };
  throwsCode(() => reference.buildTicket({ numbering: fresh, sale, pricedCart, payment }), "ticket.missing_izly_customer");
  const customer = { codeClient: "6000050617", soldeClient: "12.25", nomClient: "Martin" };
  const built = reference.buildTicket({ numbering: fresh, sale, pricedCart, payment, customer });
  assert.equal(built.ticket.complementaire.codeClient, "6000050617");
  assert.equal(built.ticket.complementaire.soldeClient, "12.25");
});

test("a tampered ticket is reported rule by rule with its JSON path", () => {
  const pricedCart = reference.priceCart([{ codeArticle: 100, quantite: 2 }], STUDENT, DAY);
  const { ticket } = reference.buildTicket({ numbering: fresh, sale, pricedCart, payment: { type: "carteBancaire" } });
  ticket.listeLignes[0].totalTtc = 6.61;
  const codes = reference.checkTicket(ticket).violations.map((v) => `${v.code} ${v.path}`);
  assert.ok(codes.includes("line_total_mismatch listeLignes[0].totalTtc"), codes.join("\n"));
  assert.ok(pkg.checkTicketShape({}).violations.some((v) => v.code === "missing_field"));
});

test("bad input is a typed error and changes nothing", () => {
  throwsCode(() => reference.priceCart([{ codeArticle: 999, quantite: 1 }], STUDENT, DAY), "pricing.unknown_article");
  throwsCode(() => reference.priceCart([], STUDENT, DAY), "pricing.empty_cart");
  throwsCode(() => reference.priceCart([{ codeArticle: 100, quantite: -1 }], STUDENT, DAY), "pricing.invalid_quantity");
  throwsCode(() => reference.priceCart([{ codeArticle: 100, quantite: 1 }], STUDENT, "2030-01-01"), "pricing.no_price");
  throwsCode(() => reference.priceCart([{ codeArticle: 100, quantite: "un" }], STUDENT, DAY), "input.invalid");
  throwsCode(() => reference.priceCart([{ codeArticle: 100, quantite: 1 }], STUDENT, "10/03/2026"), "input.invalid");
  throwsCode(() => reference.priceCart(undefined, STUDENT, DAY), "input.missing");
  throwsCode(() => new pkg.Reference({ tva: "ten" }), "input.invalid");
  const pricedCart = reference.priceCart([{ codeArticle: 100, quantite: 1 }], STUDENT, DAY);
  const later = { lastIdTicketEntete: 7, day: "2026-03-11", daySequence: 4 };
  const e = throwsCode(
    () => reference.buildTicket({ numbering: later, sale, pricedCart, payment: { type: "carteBancaire" } }),
    "numbering.date_before_last_sale",
  );
  assert.match(e.message, /before the last numbered sale/);
  throwsCode(() => reference.buildTicket({ numbering: fresh, sale: { ...sale, idTypeDistribution: 3 }, pricedCart, payment: { type: "carteBancaire" } }), "input.invalid");
  throwsCode(() => reference.buildTicket({ numbering: fresh, sale, pricedCart, payment: { type: "cheque" } }), "input.invalid");
  // The reference data is unchanged by all of the above.
  assert.equal(reference.priceCart([{ codeArticle: 100, quantite: 1 }], STUDENT, DAY).totalTtc, "3.30");
});

test("an IzlyPay callback is read by core, with exact amount and typed errors", () => {
  const body = JSON.stringify({
    OperationSMoney: { Id: 58601, IdTransactionDebitIzly: 59301, Amount: 3.3, Date: "23/11/2026 12:05:00", Status: "Completed", ClientOrderId: "A1" },
    Beneficiary: { Id: 49915, ClientId: "sandbox-shop" },
    User: { Id: "6000001265", ClientCode: "6000050617" },
    Error: { Code: 0, ErrorMessage: "" },
  });
  const n = pkg.parseIzlyPayCallback({ "content-type": "application/json" }, body);
  assert.equal(n.OperationSMoney.Id, "58601");
  assert.equal(n.OperationSMoney.Amount, "3.3");
  assert.equal(n.OperationSMoney.Date, "2026-11-23T12:05:00");
  assert.equal(n.Beneficiary.ClientId, "sandbox-shop");
  assert.equal(n.Error.Code, 0);
  throwsCode(() => pkg.parseIzlyPayCallback({ "content-type": "application/json" }, "{not json"), "izly_pay.callback_malformed");
  throwsCode(() => pkg.parseIzlyPayCallback({ "content-type": "application/json" }, '{"OperationSMoney": {"Amount": "x"}}'), "izly_pay.callback_malformed");
});

test("the IzlyConnect Authorize URL is core's", () => {
  assert.equal(
    pkg.izlyConnectAuthorizeUrl("http://127.0.0.1:8700", "sandbox-shop", "users_details", "s1"),
    "http://127.0.0.1:8700/oauth/Home/Authorize?response_type=code&client_id=sandbox-shop&scope=users_details&state=s1",
  );
  throwsCode(() => pkg.izlyConnectAuthorizeUrl("ftp://x", "c", "1"), "environment.invalid_base_url");
});
