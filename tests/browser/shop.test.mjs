// The web shop page (web-demo/shop.html) in headless Chromium against `crous-till demo`:
// IzlyConnect login on the sandbox's login page, an IzlyPay payment on its hosted page, a refund.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startDemo, launchBrowser, openPage, screenshot, balanceCents } from "./support.mjs";

let demo, browser;

before(async () => {
  demo = await startDemo();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await demo?.stop();
});

test("the web shop: IzlyConnect login, an IzlyPay payment, its refund", async () => {
  await demo.reset();
  const camille = demo.fixtures.izly.accounts[0];
  const { page, context, problems } = await openPage(browser, new URL("/web-demo/shop.html", demo.base).href);
  try {
    await page.waitForSelector("body[data-ready]");
    await page.click("#shop-login");
    // IzlyConnect's login page (the sandbox's), then back to the shop with a code.
    await page.waitForURL(/\/oauth\/Home\/Authorize/);
    await page.fill('input[name="login"]', camille.login);
    await page.fill('input[name="password"]', camille.password);
    await page.click('button[value="connect"]');
    await page.waitForURL(/\/web-demo\/shop\.html$/);
    await page.waitForSelector("body[data-ready]");
    assert.match(await page.textContent("#shop-user"), new RegExp(camille.id_izly));
    await screenshot(page, "shop-logged-in");

    const before = await balanceCents(demo, camille.id_izly);
    await page.fill("#shop-amount", "4.50");
    await page.click("#shop-pay");
    // IzlyPay's hosted payment page.
    await page.waitForURL(/\/api\/Izly\/WebPayments\/.+\/Authorize/);
    await screenshot(page, "shop-izlypay-page");
    await page.fill('input[name="login"]', camille.login);
    await page.fill('input[name="password"]', camille.password);
    await page.click('button[value="valider"]');
    await page.waitForURL(/\/web-demo\/shop\.html\?order=/);
    await page.waitForSelector('#shop-status[data-status="Completed"]');
    assert.equal(await balanceCents(demo, camille.id_izly), before - 450);
    const [paid] = await demo.get("/sandbox/izly/web-payments");
    assert.equal(paid.Status, "Completed");
    assert.equal(paid.AmountCents, 450);
    assert.equal(paid.IdIzly, camille.id_izly);
    await screenshot(page, "shop-paid");

    await page.click("#shop-refund");
    await page.waitForSelector('#shop-status[data-status="Refund"]');
    assert.equal(await balanceCents(demo, camille.id_izly), before);
    const [refunded] = await demo.get("/sandbox/izly/web-payments");
    assert.equal(refunded.Status, "Refund");
    await screenshot(page, "shop-refunded");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("the shop's back end refuses payments without a login and a forged login state", async () => {
  const r = await fetch(new URL("/demo/shop/payments", demo.base), {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ amount: "4.50" }),
  });
  assert.equal(r.status, 401);
  assert.equal((await r.json()).code, "shop.not_logged_in");
  const forged = await fetch(new URL("/demo/shop/connect-return?code=x&state=forged", demo.base), { redirect: "manual" });
  assert.equal(forged.status, 303);
  assert.match(forged.headers.get("location"), /error=shop\.login_state_mismatch/);
});
