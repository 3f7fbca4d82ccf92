// The browser till's journal archive: a day of sales in the package's Till (IndexedDB, here
// fake-indexeddb), closed, exported with the till's WebCrypto key (`openTillKey`: Ed25519,
// non-extractable, kept in IndexedDB; Node 20's WebCrypto stands in for the browser's), and
// checked by `crous-till journal verify` with that key. A signer that signs wrongly never makes
// an archive.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPackage, startSandbox, root } from "./support.mjs";

await import(fileURLToPath(new URL("../tools/node_modules/fake-indexeddb/auto/index.mjs", import.meta.url)));
const pkg = await loadPackage();
const cliBinary = [process.env.CROUS_TILL_BIN, join(root, "target/debug/crous-till")].find((p) => p && existsSync(p));
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

async function tillWithADay(name) {
  const fixture = sb.fixtures.crous.restaurants[0].tills[0];
  const crous = new pkg.Crous({ environment: sb.base, pointOfSale: fixture.point_of_sale, installationKey: fixture.installation_key, software: "t" });
  const reference = await crous.referenceData();
  const till = await crous.openTill(await pkg.openIndexedDbOutboxStore(fixture.point_of_sale, name), reference);
  till.setEsipay(new pkg.Esipay({ environment: sb.base, uuid: sb.fixtures.esipay.enterprises[0].uuid }));
  const card = { number: sb.fixtures.esipay.cards[0].number, month: 12, year: 2030 };
  for (let i = 0; i < 3; i++) {
    const order = await till.begin({ cart: [{ codeArticle: 100, quantite: 1 + i }], profile: { codeSociete: 8000, tarif: 1 }, method: { type: "esipay" }, sale });
    await till.record(order.idTicketEntete, await till.pay(order.idTicketEntete, card));
  }
  await till.close(DAY);
  return { till, fixture };
}

test("a day's archive, signed by the till's WebCrypto key, verifies with its public key", async () => {
  await sb.reset();
  assert.ok(cliBinary, "the CLI is built (cargo build -p crous-till-cli)");
  const { till, fixture } = await tillWithADay(`archive-${process.pid}`);
  const key = await pkg.openTillKey(`key-${process.pid}`);
  assert.equal(key.publicKey.length, 32);
  const again = await pkg.openTillKey(`key-${process.pid}`);
  assert.deepEqual(again.publicKey, key.publicKey, "the key is made once and kept");

  const exported = await till.exportArchive(key);
  assert.deepEqual([exported.pointOfSale, exported.entries, exported.closures], [fixture.point_of_sale, 3, 1]);
  assert.equal(exported.publicKey, Buffer.from(key.publicKey).toString("hex"));
  const file = join(dir, "day.json");
  writeFileSync(file, exported.file);
  const verified = spawnSync(cliBinary, ["journal", "verify", "--public-key", exported.publicKey, file], { encoding: "utf8" });
  assert.equal(verified.status, 0, verified.stdout + verified.stderr);
  assert.match(verified.stdout, /3 entries, 1 closures/);
});

test("a signer that signs wrongly, or returns no bytes, makes no archive", async () => {
  await sb.reset();
  const { till } = await tillWithADay(`archive-bad-${process.pid}`);
  const key = await pkg.openTillKey(`key-bad-${process.pid}`);
  const other = await pkg.openTillKey(`key-other-${process.pid}`);
  const rejects = (signer) => assert.rejects(till.exportArchive(signer), (e) => e.name === "CrousTillError" && e.code === "journal.bad_signature");
  await rejects({ publicKey: key.publicKey, sign: (m) => other.sign(m) });
  await rejects({ publicKey: key.publicKey, sign: async () => new Uint8Array(10) });
  await rejects({ publicKey: "not bytes", sign: (m) => key.sign(m) });
});
