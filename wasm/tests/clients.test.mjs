// The package's API clients against a real sandbox over HTTP (node --test wasm/tests/).
// A whole sale as the browser till makes it: QR code → profile → prices → Izly debit → ticket.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { loadPackage, startSandbox } from "./support.mjs";

const pkg = await loadPackage();
let sb, till, crous, izly, reference;

before(async () => {
  sb = await startSandbox();
  till = sb.fixtures.crous.restaurants[0].tills[0];
});
after(() => sb.stop());
beforeEach(async () => {
  await sb.reset();
  crous = new pkg.CrousClient({
    baseUrl: sb.base, pointOfSale: till.point_of_sale, installationKey: till.installation_key,
    software: "crous-till-wasm-tests", maxAttempts: 3,
  });
  reference = new pkg.Reference(await crous.referenceData());
  const { cleAuthentificationIzly } = await crous.caisse();
  izly = new pkg.IzlyPosClient({ baseUrl: sb.base, pointOfSale: till.point_of_sale, izlyKey: cleAuthentificationIzly });
});

const camille = () => sb.fixtures.izly.accounts[0];
const SALE_AT = "2026-11-23T12:05:00+01:00";
const sale = { versionLogiciel: "crous-till-wasm-tests", idLogiciel: 39, idTypeDistribution: 1, soldAt: SALE_AT };
const fresh = { lastIdTicketEntete: 0, day: null, daySequence: 0 };

async function rejectsCode(promise, code) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}`);
}

test("a student pays a two-article tray by Izly QR code and the Crous API holds the ticket", async () => {
  const qr = await sb.qrCode(camille().id_izly);
  const holder = await izly.searchQrCode(qr);
  assert.deepEqual([holder.Societe, holder.Tarif], [10, 1]);
  const priced = reference.priceCart([{ codeArticle: 100, quantite: 1 }, { codeArticle: 200, quantite: 1 }],
    { codeSociete: holder.Societe, tarif: holder.Tarif }, SALE_AT.slice(0, 10));
  assert.equal(priced.totalTtc, "3.85"); // 3.30 + 0.55, the 2026-27 student prices
  const before = await sb.balance(camille().id_izly);
  // The ticket's number first (it is the debit's reference), then the debit, then the ticket.
  const draft = reference.buildTicket({ numbering: fresh, sale, pricedCart: priced, payment: { type: "carteBancaire" } });
  const id = draft.ticket.idTicketEntete;
  const { debit, attempts } = await izly.debitQrCode(qr, priced.totalTtc, id);
  assert.equal(attempts, 1);
  assert.equal(await sb.balance(camille().id_izly), before - 385);
  const customer = { ...pkg.rightHolderCustomer(holder), soldeClient: debit.Balance };
  const built = reference.buildTicket({
    numbering: fresh, sale, pricedCart: priced, customer,
    payment: { type: "izlyQrCode", qrCode: qr, idTransactionIzly: debit.IdTransactionIzly },
  });
  assert.equal(built.ticket.idTicketEntete, id);
  const delivery = await crous.sendTicket(built.ticket, reference);
  assert.deepEqual(delivery, { outcome: "accepted", idTicketEntete: id, attempts: 1 });
  const stored = await sb.get("/sandbox/tickets");
  assert.equal(stored.length, 1);
  assert.equal(stored[0].ticket.listeReglements[0].montant, 3.85); // the wire, as the sandbox stored it
  assert.deepEqual(stored[0].ticket.listeLignes.map((l) => l.totalTtc), [3.3, 0.55]);
  // Sent again (a retry after a lost answer): the Crous already has it, which is a delivery.
  assert.equal((await crous.sendTicket(built.ticket, reference)).outcome, "duplicate");
  assert.equal((await sb.get("/sandbox/tickets")).length, 1);
  // The QR code was single-use.
  await rejectsCode(izly.debitQrCode(qr, "1.00", "999"), "izly_pos.qr_code_rejected");
});

test("the same ticket's debit asked twice is one debit", async () => {
  const card = camille().cards[0];
  const before = await sb.balance(camille().id_izly);
  const a = await izly.debitCard({ idSupport: card.id_support, numeroApplicatif: card.numero_applicatif }, "1.10", "41");
  const b = await izly.debitCard({ idSupport: card.id_support, numeroApplicatif: card.numero_applicatif }, "1.10", "41");
  assert.equal(a.debit.IdTransactionIzly, b.debit.IdTransactionIzly);
  assert.equal(await sb.balance(camille().id_izly), before - 110);
});

test("a lost debit answer is settled by the reference look-up, not by a second debit", async () => {
  const card = camille().cards[0];
  const before = await sb.balance(camille().id_izly);
  await sb.post("/sandbox/faults", { rules: [{ method: "POST", path_prefix: "/api/payments/debit/", drop_rate: 1, times: 1 }] });
  const r = await izly.debitCard({ idSupport: card.id_support, numeroApplicatif: card.numero_applicatif }, "2.00", "42");
  assert.equal(r.reconciled, true);
  assert.equal(await sb.balance(camille().id_izly), before - 200);
});

test("refusals keep their meaning: insufficient balance, blocked account, unknown card", async () => {
  const [, ines, leo] = sb.fixtures.izly.accounts;
  const card = (a) => ({ idSupport: a.cards[0].id_support, numeroApplicatif: a.cards[0].numero_applicatif });
  await rejectsCode(izly.debitCard(card(ines), "3.30", "50"), "izly_pos.insufficient_balance");
  await rejectsCode(izly.debitCard(card(leo), "3.30", "51"), "izly_pos.account_blocked");
  await rejectsCode(izly.debitCard({ idSupport: "04FFFFFFFFFFFF", numeroApplicatif: "1" }, "1", "52"), "izly_pos.not_found");
  await rejectsCode(izly.debitCard(card(ines), "0.001", "53"), "izly_pos.invalid_amount");
  await rejectsCode(izly.debitCard({ idSupport: "x" }, "1", "54"), "input.invalid");
  assert.equal(await sb.balance(ines.id_izly), ines.balance_cents);
});

test("a tapped card finds its holder's Izly profile; unknown, blocked and expired cards are coded errors", async () => {
  const sarah = await izly.searchCard({ idSupport: "04BA5E00000001", numeroApplicatif: "1000005" });
  assert.deepEqual([sarah.Societe, sarah.Tarif, sarah.Prenom, sarah.Balance], [10, 97, "Sarah", "20.00"]);
  // Her profile's subsidy brings the full meal to 1.00.
  const priced = reference.priceCart([{ codeArticle: 100, quantite: 1 }], { codeSociete: 10, tarif: 97 }, "2026-11-23");
  assert.equal(priced.totalTtc, "1.00");
  assert.equal(priced.lines[0].subvention.montantUnitaire, "2.30");
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

test("timeouts and unreachable services are typed network errors", async () => {
  await sb.post("/sandbox/faults", { rules: [{ path_prefix: "/vem/v1/", delay_ms: 1500 }] });
  const slow = new pkg.CrousClient({
    baseUrl: sb.base, pointOfSale: till.point_of_sale, installationKey: till.installation_key,
    software: "t", maxAttempts: 2, timeoutMs: 200,
  });
  const e = await rejectsCode(slow.caisse(), "network.timeout");
  assert.equal(e.details.attempts, 2);
  const nowhere = new pkg.CrousClient({ baseUrl: "http://127.0.0.1:9", pointOfSale: "5-1-9-8-14", installationKey: "k", software: "t", maxAttempts: 1 });
  await rejectsCode(nowhere.referenceData(), "network.connection_failed");
  assert.throws(() => new pkg.CrousClient({ baseUrl: "ftp://x", pointOfSale: "5-1-9-8-14", installationKey: "k", software: "t" }),
    (e) => e.code === "environment.invalid_base_url");
  assert.throws(() => new pkg.CrousClient({ baseUrl: sb.base, pointOfSale: "5-1-9", installationKey: "k", software: "t" }),
    (e) => e.code === "input.invalid_point_of_sale");
});

test("another till's key is refused", async () => {
  const other = sb.fixtures.crous.restaurants[0].tills[1];
  const wrong = new pkg.CrousClient({ baseUrl: sb.base, pointOfSale: till.point_of_sale, installationKey: other.installation_key, software: "t" });
  await rejectsCode(wrong.caisse(), "crous.forbidden");
});

test("a visitor pays by bank card through esipay; refunds stop at what was paid", async () => {
  const enterprise = sb.fixtures.esipay.enterprises[0];
  const esipay = new pkg.EsipayClient({ baseUrl: sb.base, uuid: enterprise.uuid });
  const number = sb.fixtures.esipay.cards[0].number;
  await esipay.pay("cid-1", { number, month: 12, year: 2030 }, 8.3);
  const [tx] = await sb.get("/sandbox/esipay/transactions");
  assert.deepEqual([tx.cid, tx.amount_cents, tx.status], ["cid-1", 830, "accepted"]);
  assert.ok(!tx.card.includes(number), "the card number is masked");
  await esipay.partialRefund(tx.transaction, "3.00");
  await rejectsCode(esipay.partialRefund(tx.transaction, "5.31"), "esipay.invalid_parameters");
  await esipay.refund(tx.transaction);
  await rejectsCode(esipay.refund(tx.transaction), "esipay.invalid_parameters");
  const e = await rejectsCode(esipay.pay("cid-2", { number: "4970 1000 0000 00x4", month: 1, year: 2030 }, 1), "card_number.not_digits");
  assert.ok(!e.message.includes("4970"), e.message);
});
