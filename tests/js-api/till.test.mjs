// The sale engine's Till through both packages, against a real sandbox: the same calls, the same
// Promises, the same records and error codes, whichever store holds the till.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSandbox } from "../../wasm/tests/support.mjs";
import { packages, tillKey, tillStore } from "./packages.mjs";

const DAY = "2026-11-23";
const sale = { versionLogiciel: "js-api tests", idLogiciel: 39, idTypeDistribution: 1, soldAt: `${DAY}T12:05:00+01:00` };
const visitor = { codeSociete: 8000, tarif: 1 };

for (const [name, pkg] of packages) {
  describe(`${name}: the sale engine`, () => {
    let sb, fixture;
    before(async () => {
      sb = await startSandbox();
      fixture = sb.fixtures.crous.restaurants[0].tills[0];
    });
    after(() => sb.stop());

    async function openTill() {
      const crous = new pkg.Crous({ environment: sb.base, pointOfSale: fixture.point_of_sale, installationKey: fixture.installation_key, software: "js-api" });
      const reference = await crous.referenceData();
      const till = await crous.openTill(await tillStore(pkg, fixture.point_of_sale), reference);
      till.setEsipay(new pkg.Esipay({ environment: sb.base, uuid: sb.fixtures.esipay.enterprises[0].uuid }));
      return till;
    }

    test("a bank-card sale: begin, pay, record, its ticket queued and delivered, the day closed", async () => {
      await sb.reset();
      const till = await openTill();
      assert.deepEqual(await till.settle(), []);
      const card = { number: sb.fixtures.esipay.cards[0].number, month: 12, year: 2030 };
      const beginning = till.begin({ cart: [{ codeArticle: 100, quantite: 1 }], profile: visitor, method: { type: "esipay" }, sale });
      assert.ok(beginning instanceof Promise, "begin answers a Promise in both packages");
      const order = await beginning;
      assert.deepEqual([order.idTicketEntete, order.numeroTicket, order.method], ["1", "2611231", { type: "esipay" }]);
      assert.equal(till.unsettled().state, "paymentPending");
      const outcome = await till.pay(order.idTicketEntete, card);
      assert.equal(outcome.outcome, "paid");
      const recorded = await till.record(order.idTicketEntete, outcome);
      assert.deepEqual([recorded.state, recorded.amount, recorded.idTicketEntete], ["completed", order.amount, "1"]);
      assert.equal(till.unsettled(), null);
      assert.equal(till.ticket("1").idTicketEntete, "1");
      assert.equal(till.ticket("99"), null);
      assert.deepEqual(till.sales().map((s) => s.state), ["completed"]);
      const view = await till.pump();
      assert.equal(view.delivered, 1);
      assert.equal((await sb.get("/sandbox/tickets")).length, 1);
      assert.equal((await till.close(DAY)).delivered, 1);
      await assert.rejects(till.close(DAY), (e) => e.name === "CrousTillError" && e.code.startsWith("journal."));
    });

    test("the journal: a closure signed with the till's key, the archive with its technical events, a stop", async () => {
      await sb.reset();
      const till = await openTill();
      const key = await tillKey(pkg);
      assert.equal(key.publicKey.length, 32, "publicKey is the raw Ed25519 key in both packages");
      const card = { number: sb.fixtures.esipay.cards[0].number, month: 12, year: 2030 };
      const order = await till.begin({ cart: [{ codeArticle: 100, quantite: 2 }], profile: visitor, method: { type: "esipay" }, sale });
      await till.record(order.idTicketEntete, await till.pay(order.idTicketEntete, card));
      const closing = till.close(DAY, key);
      assert.ok(closing instanceof Promise);
      await closing;
      const exported = await till.exportArchive(key);
      assert.deepEqual(Object.keys(exported).sort(), ["closures", "entries", "events", "file", "pointOfSale", "publicKey"]);
      assert.deepEqual([exported.entries, exported.closures, exported.events], [1, 1, 4]);
      assert.equal(exported.publicKey, Buffer.from(key.publicKey).toString("hex"));
      const archive = JSON.parse(exported.file);
      assert.deepEqual([archive.formatVersion, archive.events.map((e) => e.code)], [2, [80, 330, 50, 110]]);
      assert.match(archive.closures[0].signature, /^[0-9a-f]{128}$/);
      assert.equal(await till.shutdown(), undefined);
      await assert.rejects(till.close(DAY, key), (e) => e.name === "CrousTillError" && e.code === "journal.already_closed");
    });

    test("bad input rejects with the same codes and changes nothing", async () => {
      await sb.reset();
      const till = await openTill();
      const rejects = (promise, code) => assert.rejects(promise, (e) => e.name === "CrousTillError" && e.code === code);
      await rejects(till.begin({ cart: [], profile: visitor, method: { type: "esipay" }, sale }), "pricing.empty_cart");
      await rejects(till.begin({ cart: [{ codeArticle: 9999, quantite: 1 }], profile: visitor, method: { type: "esipay" }, sale }), "pricing.unknown_article");
      await rejects(till.begin({ cart: [], profile: visitor, method: { type: "cash" }, sale }), "input.invalid");
      await rejects(till.record("1", { outcome: "paid" }), "input.invalid");
      await rejects(till.resolve("1", { resolution: "paid" }), "sale.unknown");
      await rejects(till.close("23/11/2026"), "input.invalid_period");
      await rejects(till.pay("7", null), "sale.unknown");
      assert.deepEqual(till.sales(), []);
      assert.equal(till.view().pending, 0);
    });
  });
}
