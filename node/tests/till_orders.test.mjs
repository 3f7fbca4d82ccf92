// Web orders paid through IzlyPay (core's `Till::open_order` and what follows), through the addon's
// Till in a shop server process (support/shop_worker.mjs) killed at every step boundary of an
// order, then started again: no payment without its ticket, no ticket without its payment, none
// twice; a callback that never arrives is made up for by the look-up at start.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSandbox, getJson, postJson, postForm, formAction } from "./support/sandbox.mjs";
import { worker as startWorker } from "./support/worker.mjs";

let sandbox, port, camille;

/** A port free on 127.0.0.1 now: the shop's callback URL is in the sandbox's fixtures. */
const freePort = () => new Promise((ok) => {
  const s = createServer().listen(0, "127.0.0.1", () => {
    const { port: p } = s.address();
    s.close(() => ok(p));
  });
});

before(async () => {
  port = await freePort();
  sandbox = await startSandbox(`http://127.0.0.1:${port}`, (f) => {
    f.izly.accounts[0].balance_cents = 100_000;
  });
  camille = sandbox.fixtures.izly.accounts[0];
});
after(async () => sandbox?.stop());
beforeEach(async () => {
  await postJson(sandbox.baseUrl, "/sandbox/reset", {});
});

const shopFile = () => join(mkdtempSync(join(tmpdir(), "crous-till-shop-")), "shop.sqlite3");
const shop = (file, plan) => startWorker("shop_worker.mjs", [sandbox.baseUrl, file, String(port), JSON.stringify(plan)]);

/** The customer pays on IzlyPay's hosted page, as a browser would. */
async function pay(paymentUrl) {
  const page = await fetch(paymentUrl, { redirect: "manual" });
  assert.equal(page.status, 200);
  const action = new URL(formAction(await page.text()), sandbox.baseUrl).href;
  const paid = await postForm(action, { login: camille.login, password: camille.password, action: "valider" });
  assert.equal(paid.status, 303, "paid on the hosted page");
}

/** Pays each order of `w` numbered in `numbers` as soon as its payment page is given. */
function payWhenOrdered(w, numbers) {
  return Promise.all(numbers.map(async (n) => {
    const ordered = await w.seen((l) => l.step === "ordered" && l.order === n);
    if (ordered.state === "waiting") await pay(ordered.paymentUrl);
  }));
}

async function runToEnd(w) {
  const { code } = await w.exited;
  const last = w.lines.at(-1);
  assert.equal(code, 0, JSON.stringify(last));
  return last;
}

/** The sandbox's records against the shop's: each completed payment one ticket of its amount
 * (besides `otherTickets` the shop sold otherwise). */
async function checkAgainstSandbox(orders, otherTickets = 0) {
  const tickets = (await getJson(sandbox.baseUrl, "/sandbox/tickets")).map((t) => t.ticket);
  const payments = (await getJson(sandbox.baseUrl, "/sandbox/izly/web-payments")).filter((p) => p.Status === "Completed");
  const ids = tickets.map((t) => t.idTicketEntete);
  assert.equal(new Set(ids).size, ids.length, "no ticket twice");
  for (const p of payments) {
    const order = orders.find((o) => o.clientOrderId === p.ClientOrderId);
    assert.equal(order?.state, "completed", `paid order ${p.ClientOrderId} is completed`);
    const ticket = tickets.find((t) => t.idTicketEntete === order.idTicketEntete);
    assert.ok(ticket, `paid order ${p.ClientOrderId} has its ticket`);
    assert.equal(ticket.listeReglements[0].idTransactionIzly, String(p.IdTransactionDebitIzly));
    assert.equal(Math.round(Number(ticket.listeReglements[0].montant) * 100), p.AmountCents);
  }
  assert.equal(tickets.length, payments.length + otherTickets, "no ticket without its payment");
  for (const o of orders) assert.ok(["completed", "voided"].includes(o.state), `order ${o.clientOrderId} settled (${o.state})`);
  // Numbers are taken when a payment is confirmed: 1..n, no gap, none twice.
  assert.deepEqual(ids.map(Number).sort((a, b) => a - b), ids.map((_, i) => i + 1));
  return { tickets, payments };
}

for (const step of ["init", "ordered", "completed", "pumped"]) {
  test(`web order: the shop killed after the order's "${step}" step, restarted, settles it and sells on`, async () => {
    const file = shopFile();
    // Killed at "init", the init is still on its way (held 2 s by the sandbox): the order is
    // stored `initiating`, and nobody ever got its payment page.
    if (step === "init") {
      await postJson(sandbox.baseUrl, "/sandbox/faults", { rules: [{ method: "POST", path_prefix: "/api/Izly/WebPayments", delay_ms: 2000, times: 1 }] });
    }
    const first = shop(file, { orders: 1, stopAt: { order: 1, step } });
    // Killed at "ordered", the order is paid while the shop is down: its callback is lost.
    if (step === "completed" || step === "pumped") payWhenOrdered(first, [1]);
    const stopped = await first.seen((l) => l.step === step && l.order === 1);
    first.child.kill("SIGKILL");
    assert.equal((await first.exited).signal, "SIGKILL");
    if (step === "ordered") await pay(stopped.paymentUrl);

    const second = shop(file, { orders: 2 });
    const paying = payWhenOrdered(second, [2]);
    const done = await runToEnd(second);
    await paying;
    const { tickets } = await checkAgainstSandbox(done.orders);
    const [w1, w2] = done.orders;
    assert.equal(w1.state, step === "init" ? "voided" : "completed", JSON.stringify(w1));
    assert.equal(w2.state, "completed", JSON.stringify(w2));
    assert.equal(tickets.length, step === "init" ? 1 : 2);
    assert.equal(done.view.pending + done.view.sending, 0, "every ticket sent");
  });
}

test("web order: a callback is answered as core decides (unreadable 400, not ours 409, paid 200)", async () => {
  const w = shop(shopFile(), { orders: 1 });
  const callback = `http://127.0.0.1:${port}/izlypay/callback`;
  const ordered = await w.seen((l) => l.step === "ordered");
  // Before paying: once paid, the shop completes its one order and exits.
  const post = (body) => fetch(callback, { method: "POST", headers: { "content-type": "application/json" }, body });
  assert.equal((await post("{not json")).status, 400);
  const stranger = await post(JSON.stringify({ OperationSMoney: { Id: 9, Amount: 3.3, ClientOrderId: "not-ours" } }));
  assert.equal(stranger.status, 409);
  await pay(ordered.paymentUrl);
  const done = await runToEnd(w);
  await checkAgainstSandbox(done.orders);
  const [payment] = (await getJson(sandbox.baseUrl, "/sandbox/izly/web-payments")).filter((p) => p.Status === "Completed");
  assert.equal(payment.CallbackStatus, 200, JSON.stringify(payment));
});

test("examples/shop-server.mjs sells through the till: a web order paid by IzlyPay, a card sale", async () => {
  const { spawn } = await import("node:child_process");
  const { root, until } = await import("./support/sandbox.mjs");
  const env = { ...process.env, PORT: String(port), CROUS_TILL_BASE: sandbox.baseUrl, SHOP_STORE: shopFile() };
  const child = spawn(process.execPath, [join(root, "node/examples/shop-server.mjs")], { env, stdio: ["ignore", "pipe", "inherit"] });
  try {
    await new Promise((ok) => child.stdout.once("data", ok));
    const shopUrl = `http://127.0.0.1:${port}`;
    const ordered = await (await fetch(`${shopUrl}/orders?article=100&quantite=2`, { method: "POST" })).json();
    assert.equal(ordered.state, "waiting", JSON.stringify(ordered));
    await pay(ordered.paymentUrl);
    let state;
    await until(async () => (state = await (await fetch(`${shopUrl}/orders`)).json()).orders[0].state === "completed");
    const card = await fetch(`${shopUrl}/card?article=100`, { method: "POST" });
    assert.equal(card.status, 201);
    assert.equal((await card.json()).state, "completed");
    state = await (await fetch(`${shopUrl}/orders`)).json();
    await checkAgainstSandbox(state.orders, 1);
    assert.equal(state.sales.length, 2, "the order's ticket and the card sale's");
  } finally {
    child.kill();
  }
});
