// Money crosses the JavaScript boundary exactly, in both packages: amounts go in as JS numbers
// (read through their shortest text, the decimal the caller wrote) or decimal strings, and come
// out as decimal strings with their scale, which every amount fits (2^53 - 1 cents does not fit
// a double). A float that is not a cent amount is refused, never rounded quietly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { packages } from "./packages.mjs";

const DAY = "2026-11-23";
const VISITOR = { codeSociete: 8000, tarif: 1 };
/** 2^53 - 1 cents, in euros. */
const HUGE = "90071992547409.91";

function referenceData(prices) {
  return {
    tva: [{ codeTva: 1, taux: 10 }],
    articles: prices.map((_, i) => ({ codeArticle: 100 + i, libelle: `Article ${i}`, codeTva: 1 })),
    periodes: [{ idPeriode: 1, dateDebut: "2026-08-24" }],
    articlesSocietesTarifsPeriodes: prices.map((prixTtc, i) => ({ codeArticle: 100 + i, ...VISITOR, idPeriode: 1, prixTtc })),
  };
}

const sale = { versionLogiciel: "js-api tests", idLogiciel: 39, idTypeDistribution: 1, soldAt: `${DAY}T12:05:00+01:00` };
const fresh = { lastIdTicketEntete: 0, day: null, daySequence: 0 };

for (const [name, pkg] of packages) {
  test(`${name}: 0.1, 1.10 and "3.30" in, exact decimal strings out`, () => {
    const reference = new pkg.Reference(referenceData([0.1, 1.1, "3.30"]));
    const cart = [100, 101, 102].map((codeArticle) => ({ codeArticle, quantite: 3 }));
    const priced = reference.priceCart(cart, VISITOR, DAY);
    assert.deepEqual(priced.lines.map((l) => l.totalTtc), ["0.30", "3.30", "9.90"]);
    assert.equal(priced.totalTtc, "13.50");
    for (const l of priced.lines) assert.equal(typeof l.prixUnitaireTtc, "string");
  });

  test(`${name}: 2^53 - 1 cents stay exact through pricing, the ticket and its checks`, () => {
    const reference = new pkg.Reference(referenceData([HUGE]));
    const priced = reference.priceCart([{ codeArticle: 100, quantite: 1 }], VISITOR, DAY);
    assert.equal(priced.totalTtc, HUGE);
    const { ticket } = reference.buildTicket({ numbering: fresh, sale, pricedCart: priced, payment: { type: "carteBancaire" } });
    assert.equal(ticket.listeReglements[0].montant, HUGE);
    assert.deepEqual(reference.checkTicket(ticket).violations, []);
    // The decimal string read back: the same ticket, the same total.
    assert.equal(reference.vatTotals(ticket)[0].totalTtc, HUGE);
  });

  test(`${name}: a float JSON would print long (0.1 + 0.2) is refused as a sub-cent amount, not rounded`, () => {
    const reference = new pkg.Reference(referenceData(["0.30"]));
    const priced = reference.priceCart([{ codeArticle: 100, quantite: 1 }], VISITOR, DAY);
    const { ticket } = reference.buildTicket({ numbering: fresh, sale, pricedCart: priced, payment: { type: "carteBancaire" } });
    ticket.listeReglements[0].montant = 0.1 + 0.2;
    const report = reference.checkTicket(ticket);
    assert.ok(report.violations.some((v) => v.code === "invalid_value" && v.path === "listeReglements[0].montant"), JSON.stringify(report));
    ticket.listeReglements[0].montant = 0.3;
    assert.deepEqual(reference.checkTicket(ticket).violations, []);
  });
}
