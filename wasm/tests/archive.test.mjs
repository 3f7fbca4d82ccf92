// The browser till's journal archive: a day of sales in the package's Till (IndexedDB, here
// fake-indexeddb), closed, exported with the till's WebCrypto key (`openTillKey`: Ed25519,
// non-extractable, kept in IndexedDB; Node 20's WebCrypto stands in for the browser's), and
// checked by `crous-till journal verify` with that key. The closure is signed with the same key,
// and the technical event journal (start, closing, export, stop; an integrity defect found at
// open) is in the archive. A signer that signs wrongly never makes an archive and stores nothing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cliBinary, loadPackage, startSandbox } from "./support.mjs";

await import(fileURLToPath(new URL("../tools/node_modules/fake-indexeddb/auto/index.mjs", import.meta.url)));
const pkg = await loadPackage();
const DAY = "2026-11-23";
const sale = { versionLogiciel: "t", idLogiciel: 39, idTypeDistribution: 1, soldAt: `${DAY}T12:05:00+01:00` };

let sb, dir;
before(async () => {
  sb = await startSandbox();
  dir = mkdtempSync(join(tmpdir(), "crous-till-wasm-archive-"));
});
after(async () => {
  await sb?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function openTill(name) {
  const fixture = sb.fixtures.crous.restaurants[0].tills[0];
  const crous = new pkg.Crous({ environment: sb.base, pointOfSale: fixture.point_of_sale, installationKey: fixture.installation_key, software: "t" });
  const reference = await crous.referenceData();
  return { fixture, till: await crous.openTill(await pkg.openIndexedDbOutboxStore(fixture.point_of_sale, name), reference) };
}

async function tillWithADay(name, key) {
  const { till, fixture } = await openTill(name);
  till.setEsipay(new pkg.Esipay({ environment: sb.base, uuid: sb.fixtures.esipay.enterprises[0].uuid }));
  const card = { number: sb.fixtures.esipay.cards[0].number, month: 12, year: 2030 };
  for (let i = 0; i < 3; i++) {
    const order = await till.begin({ cart: [{ codeArticle: 100, quantite: 1 + i }], profile: { codeSociete: 8000, tarif: 1 }, method: { type: "esipay" }, sale });
    await till.record(order.idTicketEntete, await till.pay(order.idTicketEntete, card));
  }
  await till.close(DAY, key);
  return { till, fixture };
}

/** The records of one IndexedDB object store of the till's database. */
function stored(name, store) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(name);
    open.onsuccess = () => {
      const request = open.result.transaction(store).objectStore(store).getAll();
      request.onsuccess = () => {
        open.result.close();
        resolve(request.result);
      };
      request.onerror = () => reject(request.error);
    };
  });
}

test("a day's archive, signed by the till's WebCrypto key, verifies with its public key", async () => {
  await sb.reset();
  const key = await pkg.openTillKey(`key-${process.pid}`);
  assert.equal(key.publicKey.length, 32);
  const again = await pkg.openTillKey(`key-${process.pid}`);
  assert.deepEqual(again.publicKey, key.publicKey, "the key is made once and kept");
  const { till, fixture } = await tillWithADay(`archive-${process.pid}`, key);
  await till.shutdown();
  const { till: reopened } = await openTill(`archive-${process.pid}`);

  const exported = await reopened.exportArchive(key);
  assert.deepEqual([exported.pointOfSale, exported.entries, exported.closures, exported.events], [fixture.point_of_sale, 3, 1, 6]);
  assert.equal(exported.publicKey, Buffer.from(key.publicKey).toString("hex"));
  const archive = JSON.parse(exported.file);
  assert.deepEqual(archive.events.map((e) => e.code), [80, 330, 50, 81, 80, 110], "start, closing start, day closure, stop, start, export");
  assert.match(archive.events[0].detail, /^crous-till-wasm /);
  assert.match(archive.closures[0].signature, /^[0-9a-f]{128}$/);
  const file = join(dir, "day.json");
  writeFileSync(file, exported.file);
  const verified = spawnSync(cliBinary(), ["journal", "verify", "--public-key", exported.publicKey, file], { encoding: "utf8" });
  assert.equal(verified.status, 0, verified.stdout + verified.stderr);
  assert.match(verified.stdout, /3 entries, 1 closures, 6 technical events/);
  assert.doesNotMatch(verified.stdout, /carry no signature/);

  // A closure re-signed with another key is named by the verifier.
  const other = await pkg.openTillKey(`key-resign-${process.pid}`);
  const forged = JSON.parse(exported.file);
  forged.closures[0].signature = Buffer.from(await other.sign(new TextEncoder().encode(`crous-till-closure/1\n${forged.closures[0].hash}`))).toString("hex");
  writeFileSync(file, JSON.stringify(forged));
  const refused = spawnSync(cliBinary(), ["journal", "verify", "--public-key", exported.publicKey, file], { encoding: "utf8" });
  assert.equal(refused.status, 1);
  assert.match(refused.stdout, /closure 1's signature is refused/);
});

test("a journal tampered with in IndexedDB is refused at open, and the defect is journaled", async () => {
  await sb.reset();
  const name = `archive-tampered-${process.pid}`;
  await tillWithADay(name);
  await new Promise((resolve) => {
    const open = indexedDB.open(name);
    open.onsuccess = () => {
      const tx = open.result.transaction("journal", "readwrite");
      tx.objectStore("journal").delete(3);
      tx.oncomplete = () => (open.result.close(), resolve());
    };
  });
  await assert.rejects(openTill(name), (e) => e.code === "journal.broken" && /truncated/.test(e.message));
  const events = await stored(name, "events");
  assert.deepEqual(events.map((e) => e.code), [80, 330, 50, 90]);
  assert.match(events[3].detail, /truncated/);
});

test("a signer that signs wrongly, or returns no bytes, makes no archive", async () => {
  await sb.reset();
  const name = `archive-bad-${process.pid}`;
  const { till } = await tillWithADay(name);
  const key = await pkg.openTillKey(`key-bad-${process.pid}`);
  const other = await pkg.openTillKey(`key-other-${process.pid}`);
  const bad = (e) => e.name === "CrousTillError" && e.code === "journal.bad_signature";
  const signers = [
    { publicKey: key.publicKey, sign: (m) => other.sign(m) },
    { publicKey: key.publicKey, sign: async () => new Uint8Array(10) },
    { publicKey: "not bytes", sign: (m) => key.sign(m) },
  ];
  const before = await stored(name, "events");
  for (const signer of signers) {
    await assert.rejects(till.exportArchive(signer), bad);
    await assert.rejects(till.close("2026-11", signer), bad);
  }
  assert.deepEqual(await stored(name, "events"), before, "a refused signer stores nothing");
  assert.equal((await stored(name, "closures")).length, 1);
});
