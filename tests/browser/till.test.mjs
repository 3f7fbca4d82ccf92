// The till page (web-demo/index.html) in headless Chromium against `crous-till demo`: each sale is
// checked where it lands, through the sandbox's inspection routes.
import { test, before, after, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { startDemo, launchBrowser, openPage, screenshot, balanceCents } from "./support.mjs";
import { priceCents, paidCents, feeFor, amountCents } from "./prices.mjs";

const STUDENT = { codeSociete: 10, tarif: 1 };
const VISITOR = { codeSociete: 8000, tarif: 1 };
const REPAS = 100;
const CAFE = 200;
const SANDWICH = 300;

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

const camille = () => demo.fixtures.izly.accounts[0];

async function addArticle(page, code) {
  await page.click(`#articles button[data-article="${code}"]`);
}

/** The receipt shown and the outbox drained: the one ticket the sandbox holds. */
async function paidTicket(page) {
  await page.waitForSelector("#receipt:not([hidden]) .delivery", { timeout: 20_000 });
  await page.waitForSelector('#queue[data-pending="0"]', { state: "attached", timeout: 20_000 });
  const tickets = await demo.get("/sandbox/tickets");
  assert.equal(tickets.length, 1, "the sandbox holds exactly one ticket");
  return tickets[0].ticket;
}

test("a student pays a two-article tray by Izly QR code; the sandbox holds the ticket with the right totals", async () => {
  const { page, problems } = session;
  const before = await balanceCents(demo, camille().id_izly);
  // The student's phone shows a fresh QR code; the cashier types (scans) it.
  await page.selectOption("#izly-account", camille().id_izly);
  await page.click("#mint-qr");
  await page.waitForFunction(() => document.getElementById("qr-text").value.startsWith("AIZ;"));
  await page.click("#qr-identify");
  await page.waitForFunction(() => document.getElementById("customer-label").textContent.includes("Camille"));
  assert.equal(await page.inputValue("#profile"), "10/1");

  await addArticle(page, REPAS);
  await addArticle(page, CAFE);
  const expected = priceCents(demo.fixtures, REPAS, STUDENT) + priceCents(demo.fixtures, CAFE, STUDENT);
  assert.equal(amountCents(await page.getAttribute("#total", "data-total")), expected);
  await page.click("#pay-izly");
  const ticket = await paidTicket(page);

  assert.equal(await page.getAttribute("#receipt .delivery", "data-outcome"), "delivered");
  assert.deepEqual(ticket.listeLignes.map((l) => [l.codeArticle, amountCents(l.totalTtc)]),
    [[REPAS, priceCents(demo.fixtures, REPAS, STUDENT)], [CAFE, priceCents(demo.fixtures, CAFE, STUDENT)]]);
  assert.equal(ticket.listeReglements.length, 1);
  assert.equal(ticket.listeReglements[0].codeReglement, 9);
  assert.equal(amountCents(ticket.listeReglements[0].montant), expected);
  assert.ok(ticket.listeReglements[0].qrCode?.startsWith("AIZ;"));
  assert.equal(ticket.complementaire.codeClient, camille().code_client);
  assert.equal(ticket.complementaire.codeSocieteClient, 10);
  assert.equal(await balanceCents(demo, camille().id_izly), before - expected);
  // The receipt's VAT summary: one rate here, its TTC the total.
  const rows = await page.$$eval(".vat-row", (rs) => rs.map((r) => r.dataset.codeTva));
  assert.deepEqual(rows, ["1"]);
  assert.match(await page.textContent(".vat-row .ttc"), new RegExp((expected / 100).toFixed(2).replace(".", ",")));
  await screenshot(page, "till-student-izly-qr");
  assert.deepEqual(problems, []);
});

test("a visitor pays by bank card at visitor prices", async () => {
  const { page, problems } = session;
  assert.equal(await page.inputValue("#profile"), "8000/1");
  const visitorSandwich = priceCents(demo.fixtures, SANDWICH, VISITOR);
  assert.match(await page.textContent(`#articles button[data-article="${SANDWICH}"] .price`),
    new RegExp((visitorSandwich / 100).toFixed(2).replace(".", ",")));
  await addArticle(page, SANDWICH);
  await addArticle(page, CAFE);
  const expected = visitorSandwich + priceCents(demo.fixtures, CAFE, VISITOR);
  await page.click("#pay-card");
  const ticket = await paidTicket(page);

  assert.deepEqual(ticket.listeReglements.map((r) => [r.codeReglement, amountCents(r.montant)]), [[4, expected]]);
  assert.equal(ticket.complementaire.codeClient, undefined);
  const transactions = await demo.get("/sandbox/esipay/transactions");
  assert.equal(transactions.length, 1);
  assert.equal(transactions[0].amount_cents, expected);
  assert.equal(transactions[0].status, "accepted");
  await screenshot(page, "till-visitor-bank-card");
  assert.deepEqual(problems, []);
});

test("a card tap on the virtual reader identifies the customer, whose card is then debited", async () => {
  const { page, problems } = session;
  await page.waitForSelector("body[data-reader]", { timeout: 10_000 });
  const card = camille().cards[0];
  await page.click('#tap-buttons button[data-card="camille-desfire-ev2"]');
  await page.waitForFunction((id) => document.getElementById("customer-means").textContent.includes(id), card.id_support);
  assert.match(await page.textContent("#customer-label"), /Camille/);
  await screenshot(page, "till-card-tap");

  const before = await balanceCents(demo, camille().id_izly);
  await addArticle(page, CAFE);
  const expected = priceCents(demo.fixtures, CAFE, STUDENT);
  await page.click("#pay-izly");
  const ticket = await paidTicket(page);
  assert.deepEqual(ticket.listeReglements.map((r) => [r.codeReglement, r.idSupport, r.numeroApplicatif, amountCents(r.montant)]),
    [[9, card.id_support, card.numero_applicatif, expected]]);
  assert.equal(ticket.complementaire.idSupport, card.id_support);
  assert.equal(ticket.complementaire.codeClient, camille().code_client);
  assert.equal(await balanceCents(demo, camille().id_izly), before - expected);
  assert.deepEqual(problems, []);
});

for (const [name, card, holder, profile, label] of [
  ["a visitor", "hugo-desfire-ev2", "6000001310", VISITOR, /Hugo Durand/],
  ["a scholarship holder", "sarah-desfire-ev2", "6000001311", { codeSociete: 10, tarif: 97 }, /Sarah Moreau/],
]) {
  test(`a tapped card of ${name} is priced with the holder's Izly profile and paid by Izly`, async () => {
    const { page, problems } = session;
    await page.waitForSelector("body[data-reader]", { timeout: 10_000 });
    const account = demo.fixtures.izly.accounts.find((a) => a.id_izly === holder);
    await page.click(`#tap-buttons button[data-card="${card}"]`);
    await page.waitForFunction((re) => new RegExp(re).test(document.getElementById("customer-label").textContent), label.source);
    assert.equal(await page.inputValue("#profile"), `${profile.codeSociete}/${profile.tarif}`);
    assert.match(await page.textContent("#customer-means"), new RegExp(`solde ${(account.balance_cents / 100).toFixed(2).replace(".", ",")}`));
    await addArticle(page, REPAS);
    const meal = paidCents(demo.fixtures, REPAS, profile);
    const fee = feeFor(demo.fixtures, REPAS, profile);
    const expectedLines = [[REPAS, meal], ...(fee ? [fee] : [])];
    const expected = expectedLines.reduce((sum, [, c]) => sum + c, 0);
    assert.equal(amountCents(await page.getAttribute("#total", "data-total")), expected);
    await page.click("#pay-izly");
    const ticket = await paidTicket(page);
    assert.deepEqual(ticket.listeLignes.map((l) => [l.codeArticle, amountCents(l.totalTtc)]), expectedLines);
    assert.equal(amountCents(ticket.listeReglements[0].montant), expected);
    assert.deepEqual([ticket.complementaire.codeSocieteClient, ticket.complementaire.tarifClient], [profile.codeSociete, profile.tarif]);
    assert.equal(ticket.complementaire.codeClient, account.code_client);
    assert.match(ticket.complementaire.nomClient, label);
    assert.equal(await balanceCents(demo, holder), account.balance_cents - expected);
    await screenshot(page, `till-card-${card}`);
    assert.deepEqual(problems, []);
  });
}

test("a card Izly refuses at the tap shows its code; the till sells to a visitor", async () => {
  const { page } = session;
  await page.waitForSelector("body[data-reader]", { timeout: 10_000 });
  for (const [card, code] of [
    ["leo-desfire-ev2", "izly_pos.account_blocked"],
    ["nina-desfire-ev2", "izly_pos.right_expired"],
    ["stranger-desfire-ev2", "izly_pos.unknown_card"],
  ]) {
    await page.click(`#tap-buttons button[data-card="${card}"]`);
    await page.waitForFunction((c) => document.getElementById("error").dataset.code === c, code);
    assert.equal(await page.getAttribute("#customer-means", "data-refusal"), code);
    assert.equal(await page.inputValue("#profile"), "8000/1");
    await page.click("#customer-clear");
  }
  await screenshot(page, "till-refused-cards");
});

test("a refused payment shows its code and leaves no ticket", async () => {
  const { page } = session;
  await page.waitForSelector("body[data-reader]", { timeout: 10_000 });
  await page.click('#tap-buttons button[data-card="ines-desfire-ev2"]'); // 1.00 € on her account
  await page.waitForFunction(() => document.getElementById("customer-label").textContent.includes("Inès"));
  assert.match(await page.textContent("#customer-means"), /solde 1,00/);
  await addArticle(page, REPAS);
  await page.click("#pay-izly");
  await page.waitForSelector("#error:not([hidden])");
  assert.equal(await page.getAttribute("#error", "data-code"), "izly_pos.insufficient_balance");
  assert.deepEqual(await demo.get("/sandbox/tickets"), []);
  await screenshot(page, "till-refused-insufficient-balance");
});

test("with the ticket route failing, sales queue (across a reload) and drain once it recovers: nothing lost, nothing twice", async () => {
  const { page, problems } = session;
  await demo.post("/sandbox/faults", { rules: [{ path_prefix: "/vem/v1/5/remontee-caisse/tickets", method: "POST", error_rate: 1 }] });
  const expected = [];
  for (const code of [SANDWICH, CAFE]) {
    await addArticle(page, code);
    await page.click("#pay-card");
    await page.waitForSelector('#receipt .delivery[data-outcome="queued"]', { timeout: 30_000 });
    expected.push(priceCents(demo.fixtures, code, VISITOR));
    await page.waitForSelector("#pay-card", { state: "attached" });
  }
  assert.equal(await page.getAttribute("#queue", "data-pending"), "2");
  assert.equal(await page.getAttribute("#queue", "data-last-error"), "crous.server_error");
  assert.deepEqual(await demo.get("/sandbox/tickets"), []);
  assert.equal((await demo.get("/sandbox/esipay/transactions")).length, 2, "both sales were paid, once each");
  await screenshot(page, "till-tickets-queued");

  // The page is reloaded during the outage: the queue is still there (IndexedDB).
  await page.reload();
  await page.waitForSelector("body[data-ready]");
  assert.equal(await page.getAttribute("#queue", "data-pending"), "2");

  await demo.post("/sandbox/faults", { rules: [] });
  // The page drains by itself (the head's backoff, then in order).
  await page.waitForSelector('#queue[data-pending="0"]', { state: "attached", timeout: 60_000 });
  const tickets = await demo.get("/sandbox/tickets");
  assert.deepEqual(tickets.map((t) => t.ticket.idTicketEntete), ["1", "2"]);
  assert.deepEqual(tickets.map((t) => amountCents(t.ticket.listeReglements[0].montant)), expected);
  await screenshot(page, "till-tickets-drained");
  assert.deepEqual(problems.filter((p) => !p.startsWith("500 /vem/v1/5/remontee-caisse/tickets/")), [], "only the injected 500s");
});
