// The journal leaves the server as a signed archive (art. 286 I-3° bis CGI): `exportArchive` on a
// till and on an outbox, and `crous-till journal export` reading the same store, each checked by
// `crous-till journal verify` with the till's public key; the key file is the till's, 0600; the
// closures are signed with it; the technical event journal (starts, stop, closing, exports) is in
// the archive; and `crous-till journal report` makes the Z report of a verified archive.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSandbox, addon, cliBinary } from "./support/sandbox.mjs";
import { freshDatabase } from "./support/postgres.mjs";

const DAY = "2026-11-23";
const sale = { versionLogiciel: "t", idLogiciel: 39, idTypeDistribution: 1, soldAt: `${DAY}T12:05:00+01:00` };
let sandbox;
before(async () => (sandbox = await startSandbox()));
after(async () => sandbox?.stop());

const crousOf = async (till) => {
  const crous = new addon.Crous({ environment: sandbox.baseUrl, pointOfSale: till.point_of_sale, installationKey: till.installation_key, software: "t" });
  return { crous, reference: await crous.referenceData() };
};
const cli = (...args) => spawnSync(cliBinary(), ["journal", ...args], { encoding: "utf8" });

test("a till's day exports as an archive its public key verifies, from the addon and from the CLI", async () => {
  const dir = mkdtempSync(join(tmpdir(), "crous-till-export-"));
  const fixture = sandbox.fixtures.crous.restaurants[0].tills[0];
  const { crous, reference } = await crousOf(fixture);
  const store = join(dir, "till.sqlite3");
  const till = crous.openTill(store, reference);
  till.setEsipay(new addon.Esipay({ environment: sandbox.baseUrl, uuid: sandbox.fixtures.esipay.enterprises[0].uuid }));
  const card = { number: sandbox.fixtures.esipay.cards[0].number, month: 12, year: 2030 };
  for (let i = 0; i < 2; i++) {
    const order = await till.begin({ cart: [{ codeArticle: 100, quantite: 1 + i }], profile: { codeSociete: 8000, tarif: 1 }, method: { type: "esipay" }, sale });
    await till.record(order.idTicketEntete, await till.pay(order.idTicketEntete, card));
  }
  const keyFile = join(dir, "till.key");
  const key = addon.openTillKey(keyFile);
  await till.close(DAY, key);
  await till.shutdown();

  const reopened = crous.openTill(store, reference);
  const file = await reopened.exportArchive(key);
  writeFileSync(join(dir, "day.json"), file.file);
  const exported = { ...file, path: join(dir, "day.json") };
  assert.deepEqual({ ...file, file: undefined }, { file: undefined, pointOfSale: fixture.point_of_sale, publicKey: key.publicKeyHex, entries: 2, closures: 1, events: 6 });
  assert.equal(Buffer.from(key.publicKey).toString("hex"), key.publicKeyHex);
  assert.equal(statSync(keyFile).mode & 0o777, 0o600, "the key file is its owner's only");
  const journaled = JSON.parse(file.file);
  assert.deepEqual(journaled.events.map((e) => e.code), [80, 330, 50, 81, 80, 110], "start, closing start, day closure, stop, start, export");
  assert.match(journaled.events[5].detail, new RegExp(key.publicKeyHex));
  assert.match(journaled.closures[0].signature, /^[0-9a-f]{128}$/, "the closure is signed with the till's key");
  const verified = cli("verify", "--public-key", exported.publicKey, exported.path);
  assert.equal(verified.status, 0, verified.stdout + verified.stderr);

  // The Z report of the day, from the verified archive: totals, payments, the hourly chart.
  const reported = cli("report", "--public-key", exported.publicKey, "--out", join(dir, "z.html"), exported.path);
  assert.equal(reported.status, 0, reported.stderr);
  const html = readFileSync(join(dir, "z.html"), "utf8");
  const parts = ["Clôture journalière 2026-11-23", "Total (2 tickets)", "Carte bancaire", "Grand total perpétuel", "<svg", "12h : 2 tickets",
    "Signature de la caisse (Ed25519)", "Journal des événements techniques", "<td>330</td>", "début de clôture", "export des données"];
  for (const part of parts) {
    assert.ok(html.includes(part), `the report shows ${part}`);
  }
  const archived = JSON.parse(readFileSync(exported.path, "utf8"));
  assert.ok(html.includes(archived.closures[0].hash), "the report names the closure's hash");
  assert.ok(html.includes(`<td>${archived.closures[0].totals.totalTtc.toFixed(2)}</td>`), "the day's TTC total, to the cent");

  // The CLI reads the same store with the same key: the same archive, the same key.
  const out = join(dir, "from-cli.json");
  const exportedByCli = cli("export", "--store", store, "--pos", fixture.point_of_sale, "--key", keyFile, out);
  assert.equal(exportedByCli.status, 0, exportedByCli.stderr);
  assert.match(exportedByCli.stdout, new RegExp(`2 entries, 1 closures, 7 events, signed by Ed25519 key ${exported.publicKey}`));
  const byCli = JSON.parse(readFileSync(out, "utf8"));
  assert.deepEqual([byCli.entries, byCli.closures, byCli.events.slice(0, 6)], [journaled.entries, journaled.closures, journaled.events]);
  assert.equal(byCli.events[6].code, 110, "the CLI's export is journaled too");

  // An amount changed in the archive is named by the verifier.
  const archive = JSON.parse(readFileSync(out, "utf8"));
  archive.entries[1].ticket.listeReglements[0].montant = 0.01;
  writeFileSync(out, JSON.stringify(archive));
  const broken = cli("verify", "--public-key", exported.publicKey, out);
  assert.equal(broken.status, 1);
  assert.match(broken.stdout, /^BROKEN: /);
  const refused = cli("report", "--out", join(dir, "broken.html"), out);
  assert.equal(refused.status, 1, "no report from an archive that does not verify");
  assert.match(refused.stderr, /does not verify/);
});

test("an outbox on PostgreSQL exports too; a bad key file or store is a coded error and writes nothing", async () => {
  const dir = mkdtempSync(join(tmpdir(), "crous-till-export-"));
  const fixture = sandbox.fixtures.crous.restaurants[0].tills[1];
  const { crous, reference } = await crousOf(fixture);
  const url = freshDatabase();
  const outbox = crous.openOutbox(url, reference);
  const pricedCart = reference.priceCart([{ codeArticle: 100, quantite: 1 }], { codeSociete: 8000, tarif: 1 }, DAY);
  await outbox.enqueue(reference.buildTicket({ numbering: { lastIdTicketEntete: 0, day: null, daySequence: 0 }, sale, pricedCart, payment: { type: "carteBancaire" } }).ticket);
  const keyFile = join(dir, "till.key");
  const exported = await outbox.exportArchive(addon.openTillKey(keyFile));
  assert.deepEqual([exported.entries, JSON.parse(exported.file).events.map((e) => e.code)], [1, [80, 110]]);
  const fromCli = cli("export", "--store", url, "--pos", fixture.point_of_sale, "--key", keyFile, join(dir, "b.json"));
  assert.equal(fromCli.status, 0, fromCli.stderr);
  assert.equal(cli("verify", "--public-key", exported.publicKey, join(dir, "b.json")).status, 0);

  const exposed = join(dir, "exposed.key");
  writeFileSync(exposed, `${"ab".repeat(32)}\n`, { mode: 0o644 });
  assert.throws(() => addon.openTillKey(exposed), (e) => e.code === "journal.key_file" && /0600/.test(e.message));
  const badStore = cli("export", "--store", "postgres://till:s3cret@127.0.0.1:1/none", "--pos", fixture.point_of_sale, "--key", keyFile, join(dir, "d.json"));
  assert.equal(badStore.status, 2);
  assert.match(badStore.stderr, /^error: outbox.store_failed/);
  assert.doesNotMatch(badStore.stderr, /s3cret/);
  assert.equal(cli("export", "--store", url, "--pos", "5-1-9", "--key", keyFile, join(dir, "e.json")).status, 2);
});

test("a run whose first send finds no network records an offline start, once", async () => {
  const dir = mkdtempSync(join(tmpdir(), "crous-till-export-"));
  const fixture = sandbox.fixtures.crous.restaurants[0].tills[2] ?? sandbox.fixtures.crous.restaurants[0].tills[0];
  const { reference } = await crousOf(fixture);
  // The same till, its Crous API unreachable (nothing listens on port 1 of the loopback).
  const offline = new addon.Crous({ environment: "http://127.0.0.1:1", pointOfSale: fixture.point_of_sale, installationKey: fixture.installation_key, software: "t", retry: { maxAttempts: 1 } });
  const outbox = offline.openOutbox(join(dir, "till.sqlite3"), reference);
  const pricedCart = reference.priceCart([{ codeArticle: 100, quantite: 1 }], { codeSociete: 8000, tarif: 1 }, DAY);
  const built = (n) => reference.buildTicket({ numbering: { lastIdTicketEntete: n - 1, day: null, daySequence: n - 1 }, sale, pricedCart, payment: { type: "carteBancaire" } }).ticket;
  await outbox.enqueue(built(1));
  assert.equal((await outbox.pump()).pending, 1);
  await outbox.enqueue(built(2));
  await outbox.pump();
  const events = JSON.parse((await outbox.exportArchive(addon.openTillKey(join(dir, "till.key")))).file).events;
  assert.deepEqual(events.map((e) => e.code), [80, 70, 110]);
  assert.match(events[1].detail, /^network\./);
});
