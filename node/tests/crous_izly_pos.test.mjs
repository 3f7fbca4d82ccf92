// The Crous API and Izly POS through the addon against the sandbox: authenticate, reference
// data, a QR code looked up and debited, the ticket built with Reference and sent, a duplicate
// refused; and a ticket failing the checks never sent.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { addon, startSandbox, getJson, postJson } from "./support/sandbox.mjs";

let sandbox, crous, pos, reference;
const till = () => sandbox.fixtures.crous.restaurants[0].tills[0];

before(async () => {
  sandbox = await startSandbox();
  crous = new addon.Crous({ environment: sandbox.baseUrl, pointOfSale: till().point_of_sale, software: "39" });
});

after(async () => {
  await sandbox?.stop();
});

test("authenticate, read the reference data and the till's Izly key", async () => {
  await assert.rejects(crous.caisse(), { code: "crous.not_authenticated" });
  await assert.rejects(crous.authenticate("not-the-key"), (e) => e.code.startsWith("crous."));
  assert.equal(await crous.authenticate(till().installation_key), null);
  reference = await crous.referenceData();
  assert.ok(reference instanceof addon.Reference);
  assert.equal(reference.toJSON().articles.length, sandbox.fixtures.crous.reference.articles.length);
  const caisse = await crous.caisse();
  assert.equal(caisse.cleAuthentificationIzly, till().izly_key);
  pos = new addon.IzlyPos({ environment: sandbox.baseUrl, key: caisse.cleAuthentificationIzly, pointOfSale: till().point_of_sale });
});

test("an Izly debit by QR code, its ticket sent once, a duplicate refused", async () => {
  const idIzly = "6000001265";
  const { status, body } = await postJson(sandbox.baseUrl, "/sandbox/izly/qrcodes", { id_izly: idIzly, ttl_seconds: 300 });
  assert.equal(status, 201);
  const holder = await pos.searchQrCode(body.text);
  assert.equal(holder.rightHolder.IdIzly, idIzly);
  assert.deepEqual(holder.profile, { codeSociete: 10, tarif: 1 });

  const soldAt = "2026-11-23T12:05:00+01:00";
  const priced = reference.priceCart([{ codeArticle: 100, quantite: 1 }], holder.profile, "2026-11-23");
  const numbering = { lastIdTicketEntete: 0, day: null, daySequence: 0 };
  const idTicketEntete = "1";
  const debit = await pos.debitQrCode({ qrCode: body.text, amount: priced.totalTtc, idTicketEntete });
  assert.equal(debit.Amount, priced.totalTtc);
  const built = reference.buildTicket({
    numbering,
    sale: { versionLogiciel: "node-test", idLogiciel: 39, idTypeDistribution: 1, soldAt },
    pricedCart: priced,
    customer: holder.customer,
    payment: { type: "izlyQrCode", qrCode: body.text, idTransactionIzly: debit.IdTransactionIzly },
  });
  assert.equal(built.ticket.idTicketEntete, idTicketEntete);
  assert.deepEqual(reference.checkTicket(built.ticket).violations, []);

  const sent = await crous.sendTicket(built.ticket, reference);
  assert.ok(sent.status >= 200 && sent.status < 300);
  await assert.rejects(crous.sendTicket(built.ticket, reference), (e) => {
    assert.equal(e.code, "crous.duplicate_ticket");
    assert.equal(typeof e.details.attempts, "number");
    return true;
  });
  const tickets = await getJson(sandbox.baseUrl, "/sandbox/tickets");
  assert.equal(tickets.length, 1);

  // The same QR code cannot pay twice for another ticket.
  await assert.rejects(pos.debitQrCode({ qrCode: body.text, amount: "1.00", idTicketEntete: "2" }), (e) =>
    e.code.startsWith("izly_pos."),
  );
});

test("an Izly debit by card: repeated, it debits once; without the balance, refused", async () => {
  const balance = async (idIzly) =>
    (await getJson(sandbox.baseUrl, "/sandbox/izly/accounts")).find((a) => a.IdIzly === idIzly).BalanceCents;
  const camille = { idSupport: "04A1B2C3D4E5F6", numeroApplicatif: "1000001" };
  const before = await balance("6000001265");
  const first = await pos.debitCard({ ...camille, amount: "1.20", idTicketEntete: "3" });
  assert.equal(first.Amount, "1.20");
  assert.equal(first.Reference, `${till().point_of_sale}.3.1`);
  // The till did not get the answer and asks again: the same debit, not a second one.
  const again = await pos.debitCard({ ...camille, amount: "1.20", idTicketEntete: "3" });
  assert.equal(again.IdTransactionIzly, first.IdTransactionIzly);
  assert.equal(await balance("6000001265"), before - 120);
  // The same reference for another amount is a conflict, not a debit.
  await assert.rejects(pos.debitCard({ ...camille, amount: "2.00", idTicketEntete: "3" }), {
    code: "izly_pos.reference_conflict",
  });
  assert.equal(await balance("6000001265"), before - 120);

  const ines = { idSupport: "04C0FFEE000001", numeroApplicatif: "1000002" };
  await assert.rejects(pos.debitCard({ ...ines, amount: "5.00", idTicketEntete: "4" }), (e) => {
    assert.equal(e.code, "izly_pos.insufficient_balance");
    assert.equal(typeof e.details.xpollens.Code, "number");
    return true;
  });
  assert.equal(await balance("6000001301"), 100);
  await assert.rejects(pos.debitCard({ ...ines, amount: "0.001", idTicketEntete: "4" }), { code: "izly_pos.invalid_amount" });
});

test("a ticket failing the checks is refused before anything is sent", async () => {
  const before = (await getJson(sandbox.baseUrl, "/sandbox/tickets")).length;
  const bad = { idTicketEntete: "9", listeLignes: [] };
  await assert.rejects(crous.sendTicket(bad, reference), (e) => {
    assert.equal(e.code, "ticket.check_failed");
    assert.ok(Array.isArray(e.details) && e.details.length > 0);
    return true;
  });
  assert.equal((await getJson(sandbox.baseUrl, "/sandbox/tickets")).length, before);
});

test("a tapped card finds its holder's profile; unknown, blocked and expired cards are coded errors", async () => {
  const { rightHolder, profile, customer } = await pos.searchCard({ idSupport: "04BA5E00000001", numeroApplicatif: "1000005" });
  assert.deepEqual(profile, { codeSociete: 10, tarif: 97 });
  assert.equal(rightHolder.CodeClient, "6000050711");
  assert.equal(customer.nomClient, "Sarah Moreau");
  for (const [idSupport, numeroApplicatif, code] of [
    ["04DEADBEEF0001", "1999999", "izly_pos.unknown_card"],
    ["04B10C4ED00001", "1000003", "izly_pos.account_blocked"],
    ["04E0D0FF000001", "1000006", "izly_pos.right_expired"],
  ]) {
    await assert.rejects(pos.searchCard({ idSupport, numeroApplicatif }), { code });
  }
  await assert.rejects(pos.searchCard({ idSupport: "04BA5E00000001" }), { code: "input.invalid" });
});
