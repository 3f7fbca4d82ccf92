// The shared PostgreSQL store: several server processes on one queue. Needs a PostgreSQL server
// whose URL is in CROUS_TILL_POSTGRES_URL (scripts/test.sh's node-addon step starts one on
// loopback, scripts/start-postgres.sh); each test works in a database of its own.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { startSandbox, getJson, root, addon, withTills } from "./support/sandbox.mjs";
import { freshDatabase as database, psql } from "./support/postgres.mjs";

const TILLS = 4;
const PER_TILL = 125;
const DAY = "2026-11-23";

let sandbox;
before(async () => {
  // The demo's two tills, and two more in the same restaurant.
  sandbox = await startSandbox(undefined, withTills(TILLS));
});
after(async () => sandbox?.stop());

const sale = { versionLogiciel: "t", idLogiciel: 39, idTypeDistribution: 1, soldAt: `${DAY}T12:05:00+01:00` };
const tillsOf = () => sandbox.fixtures.crous.restaurants[0].tills;

async function crousOf(till) {
  const crous = new addon.Crous({ environment: sandbox.baseUrl, pointOfSale: till.point_of_sale, installationKey: till.installation_key, software: "t" });
  return { crous, reference: await crous.referenceData() };
}

function tickets(reference, n) {
  let numbering = { lastIdTicketEntete: 0, day: null, daySequence: 0 };
  return Array.from({ length: n }, (_, i) => {
    const pricedCart = reference.priceCart([{ codeArticle: 100, quantite: i + 1 }], { codeSociete: 8000, tarif: 1 }, DAY);
    const built = reference.buildTicket({ numbering, sale, pricedCart, payment: { type: "carteBancaire" } });
    numbering = built.numbering;
    return built.ticket;
  });
}

test("a till's outbox on PostgreSQL queues, sends and reopens like the SQLite one", async () => {
  await fetch(`${sandbox.baseUrl}/sandbox/reset`, { method: "POST" });
  const url = database();
  const { crous, reference } = await crousOf(tillsOf()[0]);
  const outbox = crous.openOutbox(url, reference);
  for (const ticket of tickets(reference, 3)) await outbox.enqueue(ticket);
  const view = await outbox.pump();
  assert.deepEqual([view.delivered, view.pending], [3, 0]);
  assert.deepEqual((await getJson(sandbox.baseUrl, "/sandbox/tickets")).map((t) => t.idTicketEntete), ["1", "2", "3"]);
  await outbox.close(DAY);
  const reopened = crous.openOutbox(url, reference);
  assert.equal(reopened.view().delivered, 3);
  assert.deepEqual(psql(url, "SELECT count(*) FROM journal_closures"), ["1"]);
});

test("an unreachable server or an empty location is a coded error, the password never shown", async () => {
  const { crous, reference } = await crousOf(tillsOf()[0]);
  const refused = () => (e) => e.name === "CrousTillError" && e.code === "outbox.store_failed" && !e.message.includes("s3cret");
  assert.throws(() => crous.openOutbox("postgres://till:s3cret@127.0.0.1:1/none", reference), refused());
  assert.throws(() => crous.openTill("postgres://till:s3cret@127.0.0.1:1/none", reference), refused());
  assert.throws(() => crous.openOutbox("sqlite:", reference), refused());
});

test("two processes' outboxes of one till append to one gap-free journal", async () => {
  const url = database();
  const { crous, reference } = await crousOf(tillsOf()[1]);
  // Two openings: two stores, two connections, each planning on what it last read.
  const [a, b] = [crous.openOutbox(url, reference), crous.openOutbox(url, reference)];
  const all = tickets(reference, 6);
  for (const [i, ticket] of all.entries()) await (i % 2 ? b : a).enqueue(ticket);
  // A ticket the other one queued first is no new entry.
  await a.enqueue(all[5]);
  assert.deepEqual(psql(url, "SELECT string_agg(sequence::text, ' ' ORDER BY sequence) FROM journal_entries"), ["1 2 3 4 5 6"]);
  // Another sale under a number either queued is refused by both.
  const other = { ...all[2], listeLignes: all[3].listeLignes, listeReglements: all[3].listeReglements };
  for (const outbox of [a, b]) await assert.rejects(outbox.enqueue(other), (e) => e.code === "outbox.conflicting_ticket");
  assert.deepEqual(psql(url, "SELECT count(*) FROM outbox_rows"), ["6"]);
});

test("two server processes selling on one till take the next numbers in turn", async () => {
  await fetch(`${sandbox.baseUrl}/sandbox/reset`, { method: "POST" });
  const url = database();
  const { crous, reference } = await crousOf(tillsOf()[2]);
  const esipay = new addon.Esipay({ environment: sandbox.baseUrl, uuid: sandbox.fixtures.esipay.enterprises[0].uuid });
  const card = { number: sandbox.fixtures.esipay.cards[0].number, month: 12, year: 2030 };
  const [a, b] = [crous.openTill(url, reference), crous.openTill(url, reference)];
  const sold = [];
  for (const till of [a, b, a, b]) {
    till.setEsipay(esipay);
    const order = await till.begin({ cart: [{ codeArticle: 100, quantite: 1 }], profile: { codeSociete: 8000, tarif: 1 }, method: { type: "esipay" }, sale });
    const recorded = await till.record(order.idTicketEntete, await till.pay(order.idTicketEntete, card));
    sold.push([recorded.idTicketEntete, recorded.state]);
  }
  assert.deepEqual(sold, [["1", "completed"], ["2", "completed"], ["3", "completed"], ["4", "completed"]]);
  await a.pump();
  await b.pump();
  assert.deepEqual((await getJson(sandbox.baseUrl, "/sandbox/tickets")).map((t) => t.idTicketEntete), ["1", "2", "3", "4"]);
});

/** `node pg_worker.mjs`: a server process of the shared queue. */
function worker(url) {
  const child = spawn(process.execPath, [join(root, "node/tests/support/pg_worker.mjs"), sandbox.baseUrl, url, String(PER_TILL)], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  child.exited = new Promise((ok) => child.on("exit", (code, signal) => ok({ code, signal, stderr })));
  return child;
}

test("four workers killed at random send 500 tickets of four tills: none lost, none stored twice, each till in order", async () => {
  await fetch(`${sandbox.baseUrl}/sandbox/reset`, { method: "POST" });
  const url = database();
  const total = TILLS * PER_TILL;
  const workers = Array.from({ length: 4 }, () => worker(url));
  const crashes = [];
  let kills = 0;
  const stored = async () => (await getJson(sandbox.baseUrl, "/sandbox/tickets")).length;
  const deadline = Date.now() + 240_000;
  // Kill a random worker every 200–700 ms (a fresh one takes its place) until every ticket arrived.
  while ((await stored()) < total && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200 + Math.random() * 500));
    for (const [i, w] of workers.entries()) {
      if (w.exitCode !== null) {
        crashes.push(await w.exited);
        workers[i] = worker(url);
      }
    }
    const i = Math.floor(Math.random() * workers.length);
    workers[i].kill("SIGKILL");
    await workers[i].exited;
    workers[i] = worker(url);
    kills += 1;
  }
  for (const w of workers) w.kill("SIGKILL");
  await Promise.all(workers.map((w) => w.exited));
  assert.deepEqual(crashes, [], "no worker failed on its own");
  assert.ok(kills >= 5, `${kills} workers killed on the way`);

  // The Crous holds each ticket once, each till's in order.
  const received = await getJson(sandbox.baseUrl, "/sandbox/tickets");
  assert.equal(received.length, total, `all ${total} tickets arrived`);
  for (const till of tillsOf()) {
    const ids = received.filter((t) => t.pointOfSale === till.point_of_sale).map((t) => Number(t.idTicketEntete));
    assert.deepEqual(ids, Array.from({ length: PER_TILL }, (_, i) => i + 1), `till ${till.point_of_sale}: each ticket once, in order`);
  }
  // Every journal is gap-free and verifies; a last pump finds nothing to send, or resends a
  // ticket whose sender was killed before it stored the answer (the Crous's 409: delivered).
  assert.deepEqual(psql(url, "SELECT count(*), min(sequence), max(sequence) FROM journal_entries GROUP BY pos"), Array(TILLS).fill(`${PER_TILL},1,${PER_TILL}`));
  for (const till of tillsOf()) {
    const { crous, reference } = await crousOf(till);
    const view = await crous.openOutbox(url, reference).pump();
    assert.deepEqual([view.delivered, view.pending, view.sending, view.refused], [PER_TILL, 0, 0, 0]);
  }
  assert.equal((await getJson(sandbox.baseUrl, "/sandbox/tickets")).length, total);
});
