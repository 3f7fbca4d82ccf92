// esipay through the addon against the sandbox: the enterprise's return URL is a node:http route
// answering with Esipay.handleReturn, which accepts only a payment this server started, for its
// amount. A return answered non-200 leaves the payment cancelled and the card untouched.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { addon, partnerServer, startSandbox, getJson } from "./support/sandbox.mjs";

const CARD = "4970100000000014"; // 1000.00 € in the demo fixtures
let partner, sandbox, esipay;
/** The server's started payments: cid → amount. */
const started = new Map();
const outcomes = [];

before(async () => {
  partner = await partnerServer();
  sandbox = await startSandbox(partner.url);
  esipay = new addon.Esipay({ environment: sandbox.baseUrl, uuid: sandbox.fixtures.esipay.enterprises[0].uuid });
  partner.routes["/esipay/return"] = (req, body, res) => {
    let cid = null;
    try {
      cid = esipay.parseReturn(req.headers, body).cid;
    } catch {
      // Unreadable: handleReturn answers 400.
    }
    const expected = started.has(cid) ? { cid, amount: started.get(cid) } : null;
    const outcome = esipay.handleReturn(req.headers, body, expected);
    outcomes.push(outcome);
    res.writeHead(outcome.answer.status, outcome.answer.headers).end(outcome.answer.body);
  };
});

after(async () => {
  await sandbox?.stop();
  await partner?.close();
});

const cardBalance = async () =>
  (await getJson(sandbox.baseUrl, "/sandbox/esipay/cards")).find((c) => c.number === CARD).balance_cents;
const transaction = async (cid) => (await getJson(sandbox.baseUrl, "/sandbox/esipay/transactions")).find((t) => t.cid === cid);

test("a payment this server started stands; refunds never exceed it", async () => {
  const before = await cardBalance();
  started.set("order-1", "12.50");
  const paid = await esipay.pay({ cid: "order-1", card: { number: CARD, month: 12, year: 2030 }, amount: 12.5 });
  assert.equal(paid.card, "************0014");
  assert.equal(paid.amount, "12.50");
  const outcome = outcomes.at(-1);
  assert.equal(outcome.accepted, true);
  assert.equal(outcome.answer.status, 200);
  assert.equal(outcome.notification.amount, "12.50");
  assert.equal(await cardBalance(), before - 1250);
  const t = outcome.notification.transaction;
  await esipay.partialRefund(t, "2.50");
  await assert.rejects(esipay.partialRefund(t, "20.00"), { code: "esipay.invalid_parameters" });
  await esipay.refund(t);
  assert.equal(await cardBalance(), before);
  await assert.rejects(esipay.refund(t), { code: "esipay.invalid_parameters" });
});

test("a return URL answering non-200 leaves the payment cancelled", async () => {
  const before = await cardBalance();
  // The server started order-2 for 5.00; a payment of 6.00 under its name is not ours.
  started.set("order-2", "5.00");
  await assert.rejects(esipay.pay({ cid: "order-2", card: { number: CARD, month: 12, year: 2030 }, amount: "6.00" }), (e) => {
    assert.equal(e.code, "esipay.service_error");
    assert.ok(!e.message.includes(CARD));
    return true;
  });
  const outcome = outcomes.at(-1);
  assert.equal(outcome.accepted, false);
  assert.equal(outcome.error.code, "esipay.return_amount_mismatch");
  assert.equal(outcome.answer.status, 409);
  const t = await transaction("order-2");
  assert.equal(t.status, "cancelled");
  assert.equal(t.return_status, 409);
  assert.equal(await cardBalance(), before);
  // A cid the server never started is refused the same way.
  await assert.rejects(esipay.pay({ cid: "stranger", card: { number: CARD, month: 1, year: 2031 }, amount: 1 }), {
    code: "esipay.service_error",
  });
  assert.equal(outcomes.at(-1).error.code, "esipay.return_unknown_payment");
  assert.equal((await transaction("stranger")).status, "cancelled");
  assert.equal(await cardBalance(), before);
});

test("bad card input is a typed error and sends nothing", async () => {
  const count = (await getJson(sandbox.baseUrl, "/sandbox/esipay/transactions")).length;
  await assert.rejects(esipay.pay({ cid: "x", card: { number: "4970-ABCD", month: 1, year: 2030 }, amount: 1 }), {
    code: "card_number.not_digits",
  });
  await assert.rejects(esipay.pay({ cid: "x", card: { number: CARD, month: 13, year: 2030 }, amount: 1 }), { code: "esipay.invalid_month" });
  await assert.rejects(esipay.pay({ cid: "x", card: { number: CARD, month: 1, year: 2030 }, amount: "1.234" }), {
    code: "esipay.invalid_amount",
  });
  const unreadable = esipay.handleReturn({ "content-type": "application/x-www-form-urlencoded" }, "type=card", null);
  assert.equal(unreadable.answer.status, 400);
  assert.equal(unreadable.error.code, "esipay.return_missing_field");
  assert.equal((await getJson(sandbox.baseUrl, "/sandbox/esipay/transactions")).length, count);
});
