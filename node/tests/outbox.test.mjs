// The durable ticket outbox (SQLite) in a process killed mid-send and restarted: nothing lost,
// nothing held twice by the Crous, the local queue ends delivered.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSandbox, getJson, postJson, root, addon } from "./support/sandbox.mjs";

let sandbox;
before(async () => (sandbox = await startSandbox()));
after(async () => sandbox?.stop());

function worker(file, count) {
  const child = spawn(process.execPath, [join(root, "node/tests/support/outbox_worker.mjs"), sandbox.baseUrl, file, String(count)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const exited = new Promise((ok) => child.on("exit", (code, signal) => ok({ code, signal, out })));
  return { child, exited, output: () => out };
}

const stored = () => getJson(sandbox.baseUrl, "/sandbox/tickets");

test("a process killed while it forwards tickets loses none and doubles none once restarted", async () => {
  const file = join(mkdtempSync(join(tmpdir(), "crous-till-outbox-")), "outbox.sqlite3");
  const count = 6;
  // Each ticket POST takes 400 ms: the process is killed with sends in flight.
  await postJson(sandbox.baseUrl, "/sandbox/faults", { rules: [{ method: "POST", path_prefix: "/vem/v1/5/remontee-caisse/tickets", delay_ms: 400 }] });
  const first = worker(file, count);
  while ((await stored()).length < 2) await new Promise((r) => setTimeout(r, 50));
  first.child.kill("SIGKILL");
  const killed = await first.exited;
  assert.equal(killed.signal, "SIGKILL");
  const before = (await stored()).length;
  assert.ok(before >= 2 && before < count, `killed midway (${before} of ${count} delivered)`);

  await postJson(sandbox.baseUrl, "/sandbox/faults", { rules: [] });
  const second = worker(file, count);
  const done = await second.exited;
  assert.equal(done.code, 0, done.out);
  const view = JSON.parse(done.out.trim().split("\n").pop());
  assert.deepEqual([view.delivered, view.pending, view.sending, view.refused], [count, 0, 0, 0]);
  const ids = (await stored()).map((t) => t.idTicketEntete);
  assert.deepEqual(ids, ["1", "2", "3", "4", "5", "6"], "each ticket once, in order");
});

test("a ticket under a queued idTicketEntete with other content is refused; pump needs a token", async () => {
  const till = sandbox.fixtures.crous.restaurants[0].tills[0];
  const crous = new addon.Crous({ environment: sandbox.baseUrl, pointOfSale: till.point_of_sale, installationKey: till.installation_key, software: "t" });
  await crous.authenticate();
  const reference = await crous.referenceData();
  const outbox = crous.openOutbox(join(mkdtempSync(join(tmpdir(), "crous-till-outbox-")), "o.sqlite3"), reference);
  const numbering = { lastIdTicketEntete: 41, day: null, daySequence: 0 };
  const sale = { versionLogiciel: "t", idLogiciel: 39, idTypeDistribution: 1, soldAt: "2026-11-23T12:05:00+01:00" };
  const cart = (a) => reference.priceCart([{ codeArticle: a, quantite: 1 }], { codeSociete: 8000, tarif: 1 }, "2026-11-23");
  const one = reference.buildTicket({ numbering, sale, pricedCart: cart(100), payment: { type: "carteBancaire" } }).ticket;
  const other = reference.buildTicket({ numbering, sale, pricedCart: cart(200), payment: { type: "carteBancaire" } }).ticket;
  assert.equal((await outbox.enqueue(one)).pending, 1);
  assert.equal((await outbox.enqueue(one)).pending, 1, "the same ticket again changes nothing");
  await assert.rejects(outbox.enqueue(other), (e) => e.code === "outbox.conflicting_ticket");
  await assert.rejects(outbox.enqueue({ numeroTicket: "x" }), (e) => e.code.startsWith("outbox."));
  const view = await outbox.pump();
  assert.equal(view.delivered, 1);
});

test("a day is closed through the outbox, reopens verified, and takes no more tickets", async () => {
  const till = sandbox.fixtures.crous.restaurants[0].tills[0];
  const crous = new addon.Crous({ environment: sandbox.baseUrl, pointOfSale: till.point_of_sale, installationKey: till.installation_key, software: "t" });
  await crous.authenticate();
  const reference = await crous.referenceData();
  const file = join(mkdtempSync(join(tmpdir(), "crous-till-outbox-")), "c.sqlite3");
  const outbox = crous.openOutbox(file, reference);
  let numbering = { lastIdTicketEntete: 0, day: null, daySequence: 0 };
  const sell = (soldAt) => {
    const day = soldAt.slice(0, 10);
    const pricedCart = reference.priceCart([{ codeArticle: 100, quantite: 1 }], { codeSociete: 8000, tarif: 1 }, day);
    const built = reference.buildTicket({ numbering, sale: { versionLogiciel: "t", idLogiciel: 39, idTypeDistribution: 1, soldAt }, pricedCart, payment: { type: "carteBancaire" } });
    numbering = built.numbering;
    return built.ticket;
  };
  await outbox.enqueue(sell("2026-11-23T12:00:00+01:00"));
  await outbox.enqueue(sell("2026-11-23T12:30:00+01:00"));
  await outbox.close("2026-11-23");
  await assert.rejects(outbox.close("2026-11-23"), (e) => e.code.startsWith("journal."));
  await assert.rejects(outbox.close("23/11/2026"), (e) => e.code === "input.invalid_period");
  // Reopened from the file: the chain, closure included, verifies.
  const again = crous.openOutbox(file, reference);
  assert.equal(again.view().pending, 2);
  assert.equal((await again.enqueue(sell("2026-11-24T09:00:00+01:00"))).pending, 3);
});
