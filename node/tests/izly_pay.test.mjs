// IzlyPay through the addon against the sandbox: init, the hosted page driven over HTTP (wrong
// then right password), the callback received by a node:http server and confirmed with
// GET WebPayments/{id} before it is trusted, forged callbacks refused, one refund and no second.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { addon, partnerServer, startSandbox, formAction, postForm, getJson, until } from "./support/sandbox.mjs";

const CAMILLE = { login: "camille.martin@example.invalid", password: "sandbox", idIzly: "6000001265" };
let partner, sandbox, pay;
/** The shop's orders: clientOrderId → amount; and what the callback route decided. */
const orders = new Map();
const outcomes = [];

before(async () => {
  partner = await partnerServer();
  sandbox = await startSandbox(partner.url);
  const p = sandbox.fixtures.izly.partners[0];
  pay = new addon.IzlyPay({ environment: sandbox.baseUrl, appIdentifier: p.app_identifier, apiKey: p.api_key });
  // The shop's callback route: find the order the body names, confirm, answer what the addon says.
  partner.routes["/izlypay/callback"] = async (req, body, res) => {
    let expected = { clientOrderId: "", amount: 0 };
    try {
      const named = pay.parseCallback(req.headers, body).OperationSMoney.ClientOrderId;
      if (orders.has(named)) expected = { clientOrderId: named, amount: orders.get(named) };
    } catch {
      // Unreadable: confirmCallback says so in its answer.
    }
    const outcome = await pay.confirmCallback(req.headers, body, expected);
    outcomes.push(outcome);
    res.writeHead(outcome.answer.status, outcome.answer.headers).end(outcome.answer.body);
  };
});

after(async () => {
  await sandbox?.stop();
  await partner?.close();
});

async function balance(idIzly) {
  const accounts = await getJson(sandbox.baseUrl, "/sandbox/izly/accounts");
  return accounts.find((a) => a.IdIzly === idIzly).BalanceCents;
}

/** An operation as a callback body carries it (its Date in the spec's dd/MM/yyyy form), changed. */
function wire(op, changes) {
  const { Date: _date, ...rest } = op;
  return { ...rest, ...changes };
}

async function startOrder(id, amount) {
  orders.set(id, amount);
  return pay.init({ amount, clientOrderId: id, callbackParameters: `order=${id}`, message: `Commande ${id}`, software: 39 });
}

test("the whole flow: init, hosted page, confirmed callback, one refund and no second", async () => {
  const started = await startOrder("N1", "3.30");
  const op = started.OperationSMoney;
  assert.equal(op.Amount, "3.30");
  assert.equal(op.Status, "Waiting");
  assert.equal(op.ClientOrderId, "N1");
  assert.ok(started.PaymentAuthorizationUrl.startsWith(`${sandbox.baseUrl}/api/Izly/WebPayments/${op.Id}/Authorize?token=`));
  assert.equal((await pay.get(op.Id)).OperationStatus, "Waiting");

  // The customer's browser: the page, a wrong password (nothing moves), then the right one.
  const page = await fetch(started.PaymentAuthorizationUrl, { redirect: "manual" });
  assert.equal(page.status, 200);
  const action = new URL(formAction(await page.text()), sandbox.baseUrl).href;
  const wrong = await postForm(action, { login: CAMILLE.login, password: "wrong", action: "valider" });
  assert.notEqual(wrong.status, 303);
  assert.equal(outcomes.length, 0);
  assert.equal(await balance(CAMILLE.idIzly), 1525);
  const right = await postForm(action, { login: CAMILLE.login, password: CAMILLE.password, action: "valider" });
  assert.equal(right.status, 303);
  assert.equal(await balance(CAMILLE.idIzly), 1195);

  // The callback came, was confirmed against the payment's details, and answered Code 0.
  const outcome = await until(() => outcomes.find((o) => o.notification?.OperationSMoney.Id === op.Id));
  assert.equal(outcome.confirmed, true, JSON.stringify(outcome.error));
  assert.equal(outcome.error, null);
  assert.equal(outcome.payment.OperationStatus, "Completed");
  assert.equal(outcome.payment.Amount, "3.30");
  assert.equal(outcome.answer.status, 200);
  assert.deepEqual(JSON.parse(outcome.answer.body), { Code: 0, ErrorMessage: "" });
  const listed = (await getJson(sandbox.baseUrl, "/sandbox/izly/web-payments")).find((p) => String(p.OperationId) === String(op.Id));
  assert.equal(listed.CallbackStatus, 200);
  assert.equal(listed.CallbackAnswer, outcome.answer.body);

  // One refund; a second one is refused and moves nothing.
  const refund = await pay.refund(op.Id, "N1");
  assert.equal(refund.Amount, "3.30");
  assert.equal(refund.OperationStatus, "Refund");
  assert.equal(await balance(CAMILLE.idIzly), 1525);
  await assert.rejects(pay.refund(op.Id, "N1"), (e) => {
    assert.equal(e.name, "CrousTillError");
    assert.equal(e.code, "izly_pay.refused");
    assert.equal(e.details.xpollens.Code, 361);
    assert.equal(e.details.attempts, 1);
    return true;
  });
  assert.equal(await balance(CAMILLE.idIzly), 1525);
});

test("a forged callback is refused: the payment it names is not completed", async () => {
  const started = await startOrder("N2", "2.00");
  const op = started.OperationSMoney;
  // Someone posts a success for the unpaid order to the shop's callback route.
  const forged = { OperationSMoney: wire(op, { Status: "Completed" }), User: { Id: CAMILLE.idIzly } };
  const r = await fetch(`${partner.url}/izlypay/callback`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(forged),
  });
  assert.equal(r.status, 409);
  const answer = await r.json();
  assert.notEqual(answer.Code, 0);
  const outcome = outcomes.at(-1);
  assert.equal(outcome.confirmed, false);
  assert.equal(outcome.error.code, "izly_pay.callback_not_completed");
  assert.equal(outcome.payment.OperationStatus, "Waiting");
});

test("a callback for another amount or an unknown operation is refused", async () => {
  const started = await startOrder("N3", "1.10");
  const op = started.OperationSMoney;
  const body = JSON.stringify({ OperationSMoney: wire(op, { Amount: 0.1 }) });
  const headers = { "content-type": "application/json" };
  const cheaper = await pay.confirmCallback(headers, body, { clientOrderId: "N3", amount: "0.10" });
  assert.equal(cheaper.confirmed, false);
  assert.equal(cheaper.error.code, "izly_pay.callback_amount_mismatch");
  const unknown = JSON.stringify({ OperationSMoney: wire(op, { Id: "999999999" }) });
  const ghost = await pay.confirmCallback(headers, unknown, { clientOrderId: "N3", amount: "1.10" });
  assert.equal(ghost.confirmed, false);
  assert.equal(ghost.error.code, "izly_pay.operation_not_found");
  assert.equal(ghost.answer.status, 409);
  const garbage = await pay.confirmCallback(headers, "{not json", { clientOrderId: "N3", amount: "1.10" });
  assert.equal(garbage.error.code, "izly_pay.callback_malformed");
  assert.equal(garbage.answer.status, 400);
  assert.throws(() => pay.parseCallback({ "content-type": "text/html" }, "<p>"), { code: "izly_pay.callback_content_type" });
});
