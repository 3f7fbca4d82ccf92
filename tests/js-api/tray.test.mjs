// Handles that keep a sale on the Rust side, in both packages alike: Reference.priceTray gives a
// PricedTray, whose buildTicket gives a TicketDraft; each reads into JavaScript only when asked,
// and holds exactly what the object-returning priceCart / buildTicket give.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { packages } from "./packages.mjs";

const demo = JSON.parse(readFileSync(fileURLToPath(new URL("../../sandbox/fixtures/demo.json", import.meta.url)), "utf8"));
const DAY = "2026-03-10";
const VISITOR = { codeSociete: 8000, tarif: 1 };
const sale = { versionLogiciel: "js-api tests", idLogiciel: 39, idTypeDistribution: 1, soldAt: `${DAY}T12:05:00+01:00` };
const numbering = { lastIdTicketEntete: 41, day: DAY, daySequence: 3 };
const payment = { type: "carteBancaire" };
const cart = [{ codeArticle: 100, quantite: 2 }, { codeArticle: 200, quantite: 1 }];

for (const [name, pkg] of packages) {
  const reference = new pkg.Reference(demo.crous.reference);

  test(`${name}: a PricedTray and its TicketDraft hold what priceCart and buildTicket return`, () => {
    const tray = reference.priceTray(cart, VISITOR, DAY);
    const pricedCart = reference.priceCart(cart, VISITOR, DAY);
    assert.deepEqual(tray.toJSON(), pricedCart);
    assert.equal(tray.totalTtc, pricedCart.totalTtc);
    const draft = tray.buildTicket({ numbering, sale, payment });
    const built = reference.buildTicket({ numbering, sale, pricedCart, payment });
    assert.deepEqual(draft.toJSON(), built);
    assert.deepEqual(draft.ticket, built.ticket);
    assert.deepEqual(draft.numbering, built.numbering);
    assert.equal(draft.idTicketEntete, "42");
    // The draft passed the checks while being built.
    assert.deepEqual(reference.checkTicket(draft.ticket).violations, []);
  });

  test(`${name}: arguments are read as their JSON would be: undefined is absent, a Date is its ISO text`, () => {
    const tray = reference.priceTray([{ codeArticle: 100, quantite: 1, note: undefined }], VISITOR, DAY);
    const at = new Date("2026-03-10T11:05:00Z");
    const draft = tray.buildTicket({ numbering, sale: { ...sale, soldAt: at }, customer: undefined, payment });
    assert.equal(draft.ticket.date.slice(0, 19), "2026-03-10T11:05:00");
  });

  test(`${name}: a tray that cannot be priced or built is a coded error`, () => {
    const code = (fn) => {
      try {
        fn();
      } catch (e) {
        return e.code;
      }
      return "no error";
    };
    assert.equal(code(() => reference.priceTray([{ codeArticle: 999999, quantite: 1 }], VISITOR, DAY)), "pricing.unknown_article");
    assert.equal(code(() => reference.priceTray(cart, VISITOR, "10/03/2026")), "input.invalid");
    const tray = reference.priceTray(cart, VISITOR, DAY);
    assert.equal(code(() => tray.buildTicket({ numbering, sale, payment, extra: 1 })), "input.invalid");
    assert.equal(code(() => tray.buildTicket({ numbering, sale, payment: { type: "izlyQrCode", qrCode: "AIZ;1", idTransactionIzly: "9" } })),
      "ticket.missing_izly_customer");
  });
}
