// The shared PostgreSQL store: several server processes on one queue. Needs a PostgreSQL server
// whose URL is in CROUS_TILL_POSTGRES_URL (scripts/test.sh's node-addon step starts one on
// loopback, scripts/start-postgres.sh); each test works in a database of its own.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { join } from "node:path";
import { startSandbox, getJson, root, addon } from "./support/sandbox.mjs";

const SERVER = process.env.CROUS_TILL_POSTGRES_URL;
const TILLS = 4;
const PER_TILL = 125;
const DAY = "2026-11-23";

let sandbox;
before(async () => {
  assert.ok(SERVER, "CROUS_TILL_POSTGRES_URL names the PostgreSQL server (scripts/start-postgres.sh)");
  // The demo's two tills, and two more in the same restaurant.
  sandbox = await startSandbox(undefined, (fixtures) => {
    const tills = fixtures.crous.restaurants[0].tills;
    for (let n = tills.length; n < TILLS; n++) {
      const pos = `5-1-9-8-${20 + n}`;
      tills.push({ ...tills[0], point_of_sale: pos, libelle: `Caisse ${20 + n}`, installation_key: `sandbox-install-${pos}`, izly_key: `sandbox-izly-key-${pos}` });
    }
  });
});
after(async () => sandbox?.stop());

let databases = 0;
/** A fresh database on the server; its URL. */
function database() {
  databases += 1;
  const name = `crous_till_${process.pid}_${databases}`;
  execFileSync("psql", [SERVER, "-q", "-c", `DROP DATABASE IF EXISTS ${name}`, "-c", `CREATE DATABASE ${name}`]);
  return SERVER.replace(/\/[^/]*$/, `/${name}`);
}

function psql(url, sql) {
  return execFileSync("psql", [url, "-At", "-F", ",", "-c", sql], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
}

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
