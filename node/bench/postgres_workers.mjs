// Throughput of the shared PostgreSQL queue with 1, 2 and 4 worker processes: 500 tickets of
// four tills enqueued first, then drained by N `pg_worker.mjs` processes (one sender per till at
// a time, each till's tickets in order) to a sandbox on loopback; tickets per second until the
// sandbox holds all 500. Needs the addon (scripts/build-node-addon.sh), the CLI
// (cargo build -p crous-till-cli) and PostgreSQL (scripts/install-postgres.sh); starts its own
// server (scripts/start-postgres.sh). Run: node node/bench/postgres_workers.mjs
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSandbox, getJson, root, addon, withTills } from "../tests/support/sandbox.mjs";

const TILLS = 4;
const PER_TILL = 125;
const pgDir = mkdtempSync(join(tmpdir(), "crous-till-bench-pg-"));
const server = execFileSync("bash", [join(root, "scripts/start-postgres.sh"), pgDir], { encoding: "utf8" }).trim();
const sandbox = await startSandbox(undefined, withTills(TILLS));
const sale = { versionLogiciel: "bench", idLogiciel: 39, idTypeDistribution: 1, soldAt: "2026-11-23T12:05:00+01:00" };

/** Enqueues every till's tickets in `location`(s); the outboxes. */
async function enqueueAll(location) {
  const outboxes = [];
  for (const [t, till] of sandbox.fixtures.crous.restaurants[0].tills.entries()) {
    const crous = new addon.Crous({ environment: sandbox.baseUrl, pointOfSale: till.point_of_sale, installationKey: till.installation_key, software: "bench" });
    const reference = await crous.referenceData();
    const outbox = crous.openOutbox(typeof location === "function" ? location(t) : location, reference);
    outboxes.push(outbox);
    let numbering = { lastIdTicketEntete: 0, day: null, daySequence: 0 };
    for (let i = 0; i < PER_TILL; i++) {
      const pricedCart = reference.priceCart([{ codeArticle: 100, quantite: 1 }], { codeSociete: 8000, tarif: 1 }, "2026-11-23");
      const built = reference.buildTicket({ numbering, sale, pricedCart, payment: { type: "carteBancaire" } });
      numbering = built.numbering;
      await outbox.enqueue(built.ticket);
    }
  }
  return outboxes;
}

const received = async () => (await getJson(sandbox.baseUrl, "/sandbox/tickets")).length;

console.log(`Node ${process.version}; ${TILLS * PER_TILL} tickets of ${TILLS} tills; PostgreSQL and the sandbox on 127.0.0.1`);
try {
  // The baseline: one process, each till's outbox in a SQLite file, pumped one till after another.
  await fetch(`${sandbox.baseUrl}/sandbox/reset`, { method: "POST" });
  const sqliteDir = mkdtempSync(join(tmpdir(), "crous-till-bench-sqlite-"));
  const outboxes = await enqueueAll((t) => join(sqliteDir, `till-${t}.sqlite3`));
  let start = process.hrtime.bigint();
  for (const outbox of outboxes) await outbox.pump();
  let seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if ((await received()) !== TILLS * PER_TILL) throw new Error("the SQLite baseline did not deliver everything");
  console.log(`SQLite, this process: ${seconds.toFixed(2)} s, ${Math.round((TILLS * PER_TILL) / seconds)} tickets/s`);
  rmSync(sqliteDir, { recursive: true, force: true });

  for (const workers of [1, 2, 4]) {
    await fetch(`${sandbox.baseUrl}/sandbox/reset`, { method: "POST" });
    const name = `bench_${workers}`;
    execFileSync("psql", [server, "-q", "-c", `CREATE DATABASE ${name}`]);
    const url = server.replace(/\/[^/]*$/, `/${name}`);
    await enqueueAll(url);
    start = process.hrtime.bigint();
    const children = Array.from({ length: workers }, () =>
      spawn(process.execPath, [join(root, "node/tests/support/pg_worker.mjs"), sandbox.baseUrl, url, "0"], { stdio: "ignore" }));
    while ((await received()) < TILLS * PER_TILL) await new Promise((r) => setTimeout(r, 25));
    seconds = Number(process.hrtime.bigint() - start) / 1e9;
    for (const c of children) c.kill("SIGKILL");
    console.log(`${workers} worker(s): ${seconds.toFixed(2)} s, ${Math.round((TILLS * PER_TILL) / seconds)} tickets/s (from spawn: process start and the reference download included)`);
  }
} finally {
  await sandbox.stop();
  execFileSync("bash", [join(root, "scripts/start-postgres.sh"), "--stop", pgDir]);
  rmSync(pgDir, { recursive: true, force: true });
}
