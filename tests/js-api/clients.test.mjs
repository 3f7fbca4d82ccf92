// The service clients both packages share (Crous, IzlyPos, Esipay), against a real sandbox over
// HTTP, one suite run on each package: the same names, options, results and error codes, and
// core's decisions (authenticate on first use and again after a 401, a 409 is a delivery).
// A whole sale as a till makes it: QR code → profile → prices → Izly debit → ticket.
import { describe, test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { startSandbox } from "../../wasm/tests/support.mjs";
import { packages } from "./packages.mjs";

const SALE_AT = "2026-11-23T12:05:00+01:00";
const sale = { versionLogiciel: "js-api tests", idLogiciel: 39, idTypeDistribution: 1, soldAt: SALE_AT };
const fresh = { lastIdTicketEntete: 0, day: null, daySequence: 0 };

async function rejectsCode(promise, code) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.name, "CrousTillError");
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}`);
}

for (const [name, pkg] of packages) {
  describe(`${name}: service clients`, () => {
    let sb, till, crous, izly, reference;
    const camille = () => sb.fixtures.izly.accounts[0];
    const crousFor = (more = {}) =>
      new pkg.Crous({ environment: sb.base, pointOfSale: till.point_of_sale, installationKey: till.installation_key, software: "js-api", ...more });

    before(async () => {
      sb = await startSandbox();
      till = sb.fixtures.crous.restaurants[0].tills[0];
    });
    after(() => sb.stop());
    beforeEach(async () => {
      await sb.reset();
      crous = crousFor({ retry: { maxAttempts: 3 } });
      reference = await crous.referenceData();
      const { cleAuthentificationIzly } = await crous.caisse();
      izly = new pkg.IzlyPos({ environment: sb.base, pointOfSale: till.point_of_sale, key: cleAuthentificationIzly });
    });

    test("a student pays a two-article tray by Izly QR code and the Crous API holds the ticket", async () => {
      assert.ok(reference instanceof pkg.Reference, "referenceData gives a Reference");
      const qr = await sb.qrCode(camille().id_izly);
      const holder = await izly.searchQrCode(qr);
      assert.deepEqual(holder.profile, { codeSociete: 10, tarif: 1 });
      assert.equal(holder.rightHolder.IdIzly, camille().id_izly);
      const priced = reference.priceCart([{ codeArticle: 100, quantite: 1 }, { codeArticle: 200, quantite: 1 }], holder.profile, SALE_AT.slice(0, 10));
      assert.equal(priced.totalTtc, "3.85"); // 3.30 + 0.55, the 2026-27 student prices
      const before = await sb.balance(camille().id_izly);
      // The ticket's number first (it is the debit's reference), then the debit, then the ticket.
      const draft = reference.buildTicket({ numbering: fresh, sale, pricedCart: priced, payment: { type: "carteBancaire" } });
      const id = draft.ticket.idTicketEntete;
      const { debit, attempts, reconciled } = await izly.debitQrCode({ qrCode: qr, amount: priced.totalTtc, idTicketEntete: id });
      assert.deepEqual([attempts, reconciled, debit.Amount], [1, false, "3.85"]);
      assert.equal(await sb.balance(camille().id_izly), before - 385);
      const built = reference.buildTicket({
        numbering: fresh, sale, pricedCart: priced, customer: { ...holder.customer, soldeClient: debit.Balance },
        payment: { type: "izlyQrCode", qrCode: qr, idTransactionIzly: debit.IdTransactionIzly },
      });
      assert.equal(built.ticket.idTicketEntete, id);
      assert.deepEqual(await crous.sendTicket(built.ticket, reference), { outcome: "accepted", idTicketEntete: id, attempts: 1 });
      const stored = await sb.get("/sandbox/tickets");
      assert.equal(stored.length, 1);
      assert.equal(stored[0].ticket.listeReglements[0].montant, 3.85); // the wire, as the sandbox stored it
      // Sent again (a retry after a lost answer): the Crous already has it, which is a delivery.
      assert.equal((await crous.sendTicket(built.ticket, reference, { versCommandeEnLigne: false })).outcome, "duplicate");
      assert.equal((await sb.get("/sandbox/tickets")).length, 1);
      // The QR code was single-use.
      await rejectsCode(izly.debitQrCode({ qrCode: qr, amount: "1.00", idTicketEntete: "999" }), "izly_pos.qr_code_rejected");
    });

    test("a token the Crous no longer knows is renewed once, by the client", async () => {
      await sb.reset(); // forgets every token
      const caisse = await crous.caisse();
      assert.equal(caisse.cleAuthentificationIzly, till.izly_key);
      const wrong = crousFor({ installationKey: "not-the-key" });
      await rejectsCode(wrong.authenticate(), "crous.unauthorized");
      await rejectsCode(wrong.caisse(), "crous.unauthorized");
      assert.equal(await crousFor().authenticate(), null);
    });

    test("the same ticket's debit asked twice is one debit; the next attempt is another", async () => {
      const card = camille().cards[0];
      const ids = { idSupport: card.id_support, numeroApplicatif: card.numero_applicatif };
      const before = await sb.balance(camille().id_izly);
      const a = await izly.debitCard({ ...ids, amount: "1.10", idTicketEntete: "41" });
      const b = await izly.debitCard({ ...ids, amount: "1.10", idTicketEntete: "41" });
      assert.equal(a.debit.IdTransactionIzly, b.debit.IdTransactionIzly);
      assert.equal(await sb.balance(camille().id_izly), before - 110);
      const c = await izly.debitCard({ ...ids, amount: "1.10", idTicketEntete: "41", attempt: 2 });
      assert.notEqual(c.debit.IdTransactionIzly, a.debit.IdTransactionIzly);
      assert.equal(await sb.balance(camille().id_izly), before - 220);
    });

    test("a lost debit answer is settled by the reference look-up, not by a second debit", async () => {
      const card = camille().cards[0];
      const before = await sb.balance(camille().id_izly);
      await sb.post("/sandbox/faults", { rules: [{ method: "POST", path_prefix: "/api/payments/debit/", drop_rate: 1, times: 1 }] });
      const r = await izly.debitCard({ idSupport: card.id_support, numeroApplicatif: card.numero_applicatif, amount: "2.00", idTicketEntete: "42" });
      assert.equal(r.reconciled, true);
      assert.equal(await sb.balance(camille().id_izly), before - 200);
    });

    test("refusals keep their meaning: insufficient balance, blocked account, unknown card", async () => {
      const [, ines, leo] = sb.fixtures.izly.accounts;
      const card = (a) => ({ idSupport: a.cards[0].id_support, numeroApplicatif: a.cards[0].numero_applicatif });
      await rejectsCode(izly.debitCard({ ...card(ines), amount: "3.30", idTicketEntete: "50" }), "izly_pos.insufficient_balance");
      await rejectsCode(izly.debitCard({ ...card(leo), amount: "3.30", idTicketEntete: "51" }), "izly_pos.account_blocked");
      await rejectsCode(izly.debitCard({ idSupport: "04FFFFFFFFFFFF", numeroApplicatif: "1", amount: 1, idTicketEntete: "52" }), "izly_pos.not_found");
      await rejectsCode(izly.debitCard({ ...card(ines), amount: "0.001", idTicketEntete: "53" }), "izly_pos.invalid_amount");
      await rejectsCode(izly.debitCard({ idSupport: "x" }), "input.invalid");
      await rejectsCode(izly.debitQrCode(undefined), "input.missing");
      assert.equal(await sb.balance(ines.id_izly), ines.balance_cents);
    });

    test("a tapped card finds its holder's Izly profile; unknown, blocked and expired cards are coded errors", async () => {
      const sarah = await izly.searchCard({ idSupport: "04BA5E00000001", numeroApplicatif: "1000005" });
      assert.deepEqual(sarah.profile, { codeSociete: 10, tarif: 97 });
      assert.deepEqual([sarah.rightHolder.Prenom, sarah.rightHolder.Balance], ["Sarah", "20.00"]);
      // Her profile's subsidy brings the full meal to 1.00.
      const priced = reference.priceCart([{ codeArticle: 100, quantite: 1 }], sarah.profile, "2026-11-23");
      assert.equal(priced.totalTtc, "1.00");
      await rejectsCode(izly.searchCard({ idSupport: "04DEADBEEF0001", numeroApplicatif: "1999999" }), "izly_pos.unknown_card");
      await rejectsCode(izly.searchCard({ idSupport: "04B10C4ED00001", numeroApplicatif: "1000003" }), "izly_pos.account_blocked");
      await rejectsCode(izly.searchCard({ idSupport: "04E0D0FF000001", numeroApplicatif: "1000006" }), "izly_pos.right_expired");
      await rejectsCode(izly.searchCard({ idSupport: "x" }), "input.invalid");
    });

    test("a ticket that fails the checks is never sent", async () => {
      const priced = reference.priceCart([{ codeArticle: 100, quantite: 1 }], { codeSociete: 8000, tarif: 1 }, "2026-11-23");
      const { ticket } = reference.buildTicket({ numbering: fresh, sale, pricedCart: priced, payment: { type: "carteBancaire" } });
      ticket.listeReglements[0].montant = 1;
      const e = await rejectsCode(crous.sendTicket(ticket, reference), "ticket.check_failed");
      assert.ok(e.details.some((v) => v.code === "payment_total_mismatch"));
      assert.equal((await sb.get("/sandbox/tickets")).length, 0);
      await rejectsCode(crous.sendTicket(ticket, reference, { unknown: true }), "input.invalid");
    });

    test("a ticket route answering 500 twice is retried and delivered once", async () => {
      await sb.post("/sandbox/faults", { rules: [{ path_prefix: "/vem/v1/", method: "POST", error_rate: 1, times: 2 }] });
      const priced = reference.priceCart([{ codeArticle: 300, quantite: 2 }], { codeSociete: 8000, tarif: 1 }, "2026-11-23");
      const { ticket } = reference.buildTicket({ numbering: fresh, sale, pricedCart: priced, payment: { type: "carteBancaire" } });
      // (the token is already held, so only the ticket POST meets the faults)
      const d = await crous.sendTicket(ticket, reference);
      assert.equal(d.attempts, 3);
      assert.equal((await sb.get("/sandbox/tickets")).length, 1);
    });

    test("timeouts, unreachable services and bad options are typed errors", async () => {
      await sb.post("/sandbox/faults", { rules: [{ path_prefix: "/vem/v1/", delay_ms: 1500 }] });
      const slow = crousFor({ retry: { maxAttempts: 2, timeoutMs: 200 } });
      const e = await rejectsCode(slow.caisse(), "network.timeout");
      assert.equal(e.details.attempts, 2);
      const nowhere = new pkg.Crous({ environment: "http://127.0.0.1:9", pointOfSale: "5-1-9-8-14", installationKey: "k", software: "t", retry: { maxAttempts: 1 } });
      await rejectsCode(nowhere.referenceData(), "network.connection_failed");
      const throwsCode = (f, code) => assert.throws(f, (e) => e.name === "CrousTillError" && e.code === code);
      throwsCode(() => new pkg.Crous({ environment: "ftp://x", pointOfSale: "5-1-9-8-14", installationKey: "k", software: "t" }), "environment.invalid_base_url");
      throwsCode(() => new pkg.Crous({ environment: sb.base, pointOfSale: "5-1-9", installationKey: "k", software: "t" }), "input.invalid_point_of_sale");
      throwsCode(() => new pkg.Crous({ baseUrl: sb.base, pointOfSale: "5-1-9-8-14", installationKey: "k", software: "t" }), "input.invalid");
      throwsCode(() => new pkg.IzlyPos({ environment: sb.base, key: "k", pointOfSale: "5-1-9-8-14", retry: { tries: 3 } }), "input.invalid");
      throwsCode(() => new pkg.Esipay({ environment: sb.base }), "input.invalid");
      throwsCode(() => new pkg.Crous(), "input.missing");
    });

    test("another till's key is refused", async () => {
      const other = sb.fixtures.crous.restaurants[0].tills[1];
      await rejectsCode(crousFor({ installationKey: other.installation_key }).caisse(), "crous.forbidden");
    });

    test("a visitor pays by bank card through esipay; refunds stop at what was paid", async () => {
      const esipay = new pkg.Esipay({ environment: sb.base, uuid: sb.fixtures.esipay.enterprises[0].uuid });
      const number = sb.fixtures.esipay.cards[0].number;
      const paid = await esipay.pay({ cid: "cid-1", card: { number, month: 12, year: 2030 }, amount: 8.3 });
      assert.deepEqual([paid.cid, paid.amount, paid.attempts], ["cid-1", "8.30", 1]);
      assert.ok(!paid.card.includes(number) && paid.card.endsWith(number.slice(-4)), "the card number is masked");
      const [tx] = await sb.get("/sandbox/esipay/transactions");
      assert.deepEqual([tx.cid, tx.amount_cents, tx.status], ["cid-1", 830, "accepted"]);
      await esipay.partialRefund(tx.transaction, "3.00");
      await rejectsCode(esipay.partialRefund(tx.transaction, "5.31"), "esipay.invalid_parameters");
      await rejectsCode(esipay.partialRefund(tx.transaction, -1), "esipay.invalid_amount");
      await rejectsCode(esipay.partialRefund(tx.transaction, "douze"), "input.invalid");
      assert.equal(typeof (await esipay.refund(tx.transaction)).body, "string");
      await rejectsCode(esipay.refund(tx.transaction), "esipay.invalid_parameters");
      const e = await rejectsCode(esipay.pay({ cid: "cid-2", card: { number: "4970 1000 0000 00x4", month: 1, year: 2030 }, amount: 1 }), "card_number.not_digits");
      assert.ok(!e.message.includes("4970"), e.message);
      await rejectsCode(esipay.pay({ cid: "c", card: { number, month: 1, year: 2030 } }), "input.invalid");
    });
  });
}
