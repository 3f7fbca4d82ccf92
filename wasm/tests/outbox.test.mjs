// The ticket outbox (TicketOutbox over the package's IndexedDB store) against a real sandbox.
// Under Node, IndexedDB is fake-indexeddb (wasm/tools); the store code is the package's own.
import "../tools/node_modules/fake-indexeddb/auto/index.mjs";
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { loadPackage, startSandbox } from "./support.mjs";

const pkg = await loadPackage();
let sb, till, reference, dbCount = 0;

before(async () => {
  sb = await startSandbox();
  till = sb.fixtures.crous.restaurants[0].tills[0];
});
after(() => sb.stop());
beforeEach(() => sb.reset());

const client = () =>
  new pkg.Crous({ environment: sb.base, pointOfSale: till.point_of_sale, installationKey: till.installation_key, software: "outbox-tests", retry: { maxAttempts: 1, timeoutMs: 2000 } });
const sale = { versionLogiciel: "outbox-tests", idLogiciel: 39, idTypeDistribution: 1, soldAt: "2026-11-23T12:05:00+01:00" };

/** Builds `n` consecutive visitor tickets paid by card. */
function tickets(n) {
  let numbering = { lastIdTicketEntete: 0, day: null, daySequence: 0 };
  const out = [];
  for (let i = 0; i < n; i++) {
    const pricedCart = reference.priceCart([{ codeArticle: [100, 200, 300][i % 3], quantite: 1 }], { codeSociete: 8000, tarif: 1 }, "2026-11-23");
    const built = reference.buildTicket({ numbering, sale, pricedCart, payment: { type: "carteBancaire" } });
    numbering = built.numbering;
    out.push(built.ticket);
  }
  return out;
}

async function open(name) {
  const crous = client();
  reference ??= await crous.referenceData();
  const store = await pkg.openIndexedDbOutboxStore(till.point_of_sale, name);
  return crous.openOutbox(store, reference);
}

test("tickets queued while the ticket route fails are all delivered in order once it recovers, once each", async () => {
  const name = `db-${++dbCount}`;
  let outbox = await open(name);
  const ts = tickets(3);
  await sb.post("/sandbox/faults", { rules: [{ method: "POST", path_prefix: "/vem/v1/5/remontee-caisse/tickets", error_rate: 1 }] });
  for (const t of ts) await outbox.enqueue(t);
  let view = await outbox.pump();
  assert.deepEqual([view.pending, view.delivered], [3, 0]);
  assert.equal(view.lastError.code, "crous.server_error");
  assert.ok(view.nextAttemptAt > Date.now(), "the head waits for its backoff");
  assert.equal((await sb.get("/sandbox/tickets")).length, 0);
  // The page is reloaded: the queue is still there (IndexedDB), nothing lost.
  outbox = await open(name);
  assert.equal(outbox.view().pending, 3);
  await sb.post("/sandbox/faults", { rules: [] });
  // The backoff has not elapsed: pump sends nothing yet.
  assert.equal((await outbox.pump()).delivered, 0);
  await new Promise((r) => setTimeout(r, Math.max(0, outbox.view().nextAttemptAt - Date.now()) + 50));
  view = await outbox.pump();
  assert.deepEqual([view.pending, view.sending, view.delivered, view.refused], [0, 0, 3, 0]);
  const stored = await sb.get("/sandbox/tickets");
  assert.deepEqual(stored.map((s) => s.idTicketEntete), ["1", "2", "3"]);
  // Enqueuing a delivered ticket again changes nothing and sends nothing.
  await outbox.enqueue(ts[0]);
  await outbox.pump();
  assert.equal((await sb.get("/sandbox/tickets")).length, 3);
});

test("a ticket whose answer was lost is sent again and the 409 counts as delivered", async () => {
  const outbox = await open(`db-${++dbCount}`);
  const [t] = tickets(1);
  await sb.post("/sandbox/faults", { rules: [{ method: "POST", path_prefix: "/vem/v1/5/remontee-caisse/tickets", drop_rate: 1, times: 1 }] });
  await outbox.enqueue(t);
  let view = await outbox.pump();
  assert.equal(view.delivered, 0, "the answer was lost");
  assert.equal((await sb.get("/sandbox/tickets")).length, 1, "...but the Crous has it");
  await new Promise((r) => setTimeout(r, Math.max(0, outbox.view().nextAttemptAt - Date.now()) + 50));
  view = await outbox.pump();
  assert.equal(view.delivered, 1);
  assert.equal((await sb.get("/sandbox/tickets")).length, 1);
});

test("a ticket the Crous refuses is parked, and later sales still go", async () => {
  // The till's reference data knows an article the Crous no longer has: core's checks pass at
  // the till, the Crous answers 422 unknown_article.
  const crous = client();
  const data = (await crous.referenceData()).toJSON();
  data.articles.push({ codeArticle: 999, libelle: "Retiré", codeTva: 1 });
  data.articlesSocietesTarifsPeriodes.push({ codeArticle: 999, codeSociete: 8000, tarif: 1, idPeriode: 2, prixTtc: "2.00" });
  const stale = new pkg.Reference(data);
  const outbox = await crous.openOutbox(await pkg.openIndexedDbOutboxStore(till.point_of_sale, `db-${++dbCount}`), stale);
  const numbering = { lastIdTicketEntete: 0, day: null, daySequence: 0 };
  const pay = { type: "carteBancaire" };
  const first = stale.buildTicket({ numbering, sale, pricedCart: stale.priceCart([{ codeArticle: 999, quantite: 1 }], { codeSociete: 8000, tarif: 1 }, "2026-11-23"), payment: pay });
  const second = stale.buildTicket({ numbering: first.numbering, sale, pricedCart: stale.priceCart([{ codeArticle: 100, quantite: 1 }], { codeSociete: 8000, tarif: 1 }, "2026-11-23"), payment: pay });
  await outbox.enqueue(first.ticket);
  await outbox.enqueue(second.ticket);
  const view = await outbox.pump();
  assert.deepEqual([view.refused, view.delivered, view.pending], [1, 1, 0]);
  assert.equal(view.refusedTickets[0].idTicketEntete, "1");
  assert.equal(view.refusedTickets[0].lastError.status, 422);
  assert.deepEqual((await sb.get("/sandbox/tickets")).map((s) => s.idTicketEntete), ["2"]);
  // Another ticket under a queued idTicketEntete is refused; so is a ticket without one.
  await assert.rejects(outbox.enqueue({ ...second.ticket, listeLignes: first.ticket.listeLignes }), (e) => e.code === "outbox.conflicting_ticket");
  await assert.rejects(outbox.enqueue({ numeroTicket: "1" }), (e) => e.code.startsWith("outbox."));
});

test("a tampered journal is detected when the outbox opens", async () => {
  const name = `db-${++dbCount}`;
  const outbox = await open(name);
  for (const t of tickets(2)) await outbox.enqueue(t);
  // Alter the first journal entry's amount directly in IndexedDB.
  const db = await new Promise((res) => { const r = indexedDB.open(name); r.onsuccess = () => res(r.result); });
  await new Promise((res) => {
    const tx = db.transaction("journal", "readwrite");
    const s = tx.objectStore("journal");
    s.get(1).onsuccess = (e) => { const entry = e.target.result; entry.ticket.listeReglements[0].montant = 0.01; s.put(entry); };
    tx.oncomplete = res;
  });
  db.close();
  await assert.rejects(open(name), (e) => e.code === "journal.broken" && /entry 1 was altered/.test(e.message));
});

test("a day is closed through the outbox and reopens verified", async () => {
  const name = `db-${++dbCount}`;
  const outbox = await open(name);
  for (const t of tickets(2)) await outbox.enqueue(t);
  await outbox.close("2026-11-23");
  await assert.rejects(outbox.close("2026-11-23"), (e) => e.code.startsWith("journal."));
  await assert.rejects(outbox.close("hier"), (e) => e.code === "input.invalid_period");
  assert.equal((await open(name)).view().pending, 2);
});
