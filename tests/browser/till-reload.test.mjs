// The till page reloaded at every step boundary of a sale (the payment held before it leaves, its
// answer lost after the service took the money, the ticket queued but not sent), for an Izly card
// and a bank card, then checked against the sandbox's own records: no payment without its
// ticket, no ticket without its payment, no double charge, no reused number.
import { test, before, after, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { startDemo, launchBrowser, openPage, screenshot } from "./support.mjs";
import { amountCents } from "./prices.mjs";

const CAFE = 200;
let demo, browser, session;

before(async () => {
  demo = await startDemo();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await demo?.stop();
});
beforeEach(async () => {
  await demo.reset();
  session = await openPage(browser, demo.url);
  await session.page.waitForSelector("body[data-ready]", { timeout: 20_000 });
});
afterEach(async () => {
  await session?.context.close();
});

const PAYMENT = { izlyCard: "/api/payments/debit/card/", esipay: "/cardpay/" };
const TICKETS = "/vem/v1/5/remontee-caisse/tickets/";

/** Holds the page's next POST under `prefix`: `forward` lets it reach the sandbox first (its
 * answer is then lost). Resolves once the request is held; later requests go through. The held
 * one is never answered nor released: the page reloads first (unrouting would release it). */
async function hold(page, prefix, { forward }) {
  let held;
  const reached = new Promise((ok) => (held = ok));
  let holding = true;
  await page.route((url) => url.pathname.startsWith(prefix), async (route) => {
    if (route.request().method() !== "POST" || !holding) return route.continue();
    holding = false;
    if (forward) await route.fetch().catch(() => null);
    held();
  });
  await reached;
}

/** Rings up a coffee and pays it by `method`; returns without waiting for the outcome. */
async function startSale(page, method) {
  if (method === "izlyCard") {
    await page.waitForSelector("body[data-reader]", { timeout: 10_000 });
    await page.click('#tap-buttons button[data-card="camille-desfire-ev2"]');
    await page.waitForFunction(() => document.getElementById("customer-label").textContent.includes("Camille"));
  }
  await page.click(`#articles button[data-article="${CAFE}"]`);
  await page.click(method === "izlyCard" ? "#pay-izly" : "#pay-card");
}

async function reload(page) {
  await page.reload();
  await page.waitForSelector("body[data-ready]", { timeout: 20_000 });
}

/** The sandbox's records, checked against each other once the queue is drained. */
async function records(page) {
  await page.waitForSelector('#queue[data-pending="0"]', { state: "attached", timeout: 30_000 });
  const tickets = (await demo.get("/sandbox/tickets")).map((t) => t.ticket);
  const debits = await demo.get("/sandbox/izly/debits");
  const charges = (await demo.get("/sandbox/esipay/transactions")).filter((t) => t.status === "accepted");
  const ids = tickets.map((t) => t.idTicketEntete);
  assert.equal(new Set(ids).size, ids.length, "no ticket twice");
  for (const d of debits) {
    const t = tickets.find((x) => x.idTicketEntete === d.IdTicketEntete);
    assert.ok(t, `debit ${d.Reference} has its ticket`);
    assert.equal(t.listeReglements[0].idTransactionIzly, d.IdTransactionIzly);
    assert.equal(amountCents(t.listeReglements[0].montant), d.AmountCents);
  }
  for (const c of charges) {
    const id = c.cid.split("-").at(-1); // <app id>-<numeroTicket>-<idTicketEntete>
    const t = tickets.find((x) => x.idTicketEntete === id);
    assert.ok(t, `card payment ${c.cid} has its ticket`);
    assert.equal(amountCents(t.listeReglements[0].montant), c.amount_cents);
  }
  assert.equal(tickets.length, debits.length + charges.length, "no ticket without its payment");
  return { ids, debits, charges };
}

/** After the reload: settles the interrupted sale (the cashier answers for a card), then sells again. */
async function settleAndSellAgain(page, method, charged) {
  if (method === "esipay") {
    await page.waitForSelector("#to-check:not([hidden])");
    assert.match(await page.textContent("#to-check"), /5-1-9-8-14-\d+-1/);
    assert.ok(await page.isDisabled("#pay-card"), "no sale while one is to check");
    await screenshot(page, `till-reload-to-check-${charged ? "charged" : "not-charged"}`);
    await page.click(charged ? "#check-paid" : "#check-not-paid");
    await page.waitForSelector("#to-check", { state: "hidden" });
  }
  await startSale(page, method);
  await page.waitForSelector('#receipt:not([hidden])[data-id-ticket-entete="2"]', { timeout: 20_000 });
}

for (const method of ["izlyCard", "esipay"]) {
  test(`${method}: reloaded while the payment is on its way, nothing was taken and number 1 stays a gap`, async () => {
    const { page } = session;
    const held = hold(page, PAYMENT[method], { forward: false });
    await startSale(page, method);
    await held;
    await reload(page);
    await settleAndSellAgain(page, method, false);
    const { ids, debits, charges } = await records(page);
    assert.deepEqual(ids, ["2"]);
    assert.equal(debits.length + charges.length, 1);
  });

  test(`${method}: reloaded after the money was taken, the ticket is kept once`, async () => {
    const { page } = session;
    const held = hold(page, PAYMENT[method], { forward: true });
    await startSale(page, method);
    await held;
    await reload(page);
    if (method === "izlyCard") {
      // The Izly debit is found by its reference while the page reopens.
      await page.waitForSelector('#receipt:not([hidden])[data-id-ticket-entete="1"]', { timeout: 20_000 });
    }
    await settleAndSellAgain(page, method, true);
    const { ids, debits, charges } = await records(page);
    assert.deepEqual(ids, ["1", "2"]);
    assert.equal(debits.length + charges.length, 2);
  });

  test(`${method}: reloaded with the ticket queued but not sent, it is sent once after the reload`, async () => {
    const { page } = session;
    const held = hold(page, TICKETS, { forward: false });
    await startSale(page, method);
    await held;
    await reload(page);
    const { ids, debits, charges } = await records(page);
    assert.deepEqual(ids, ["1"]);
    assert.equal(debits.length + charges.length, 1);
  });
}
