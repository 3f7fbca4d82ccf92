// The till page's closure and journal archive in headless Chromium against `crous-till demo`: a
// day of card sales, the day closed, the journal exported as a file signed by the till's WebCrypto
// key, and that file checked by `crous-till journal verify` with the public key the page shows.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BINARY, startDemo, launchBrowser, openPage, screenshot } from "./support.mjs";

let demo, browser, dir;

before(async () => {
  demo = await startDemo();
  browser = await launchBrowser();
  dir = mkdtempSync(join(tmpdir(), "crous-till-page-archive-"));
});
after(async () => {
  await browser?.close();
  await demo?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("a day of sales closed and exported by the page verifies with the key it shows", async () => {
  await demo.reset();
  const { context, page, problems } = await openPage(browser, demo.url);
  try {
    await page.waitForSelector("body[data-ready]", { timeout: 20_000 });
    for (const article of ["100", "200"]) {
      await page.click(`#articles button[data-article="${article}"]`);
      await page.click("#pay-card");
      await page.waitForSelector("#receipt:not([hidden]) .delivery", { timeout: 20_000 });
    }
    await page.click("#close-day");
    await page.waitForSelector('#archive-info[data-state="closed"]', { timeout: 10_000 });
    // The day's Z report, from core: the two sales' total, to the cent, and the hourly chart.
    await page.waitForSelector("#z-report:not([hidden]) .chart rect", { timeout: 10_000 });
    const tickets = await demo.get("/sandbox/tickets");
    const paidCents = tickets.reduce((sum, t) => sum + Math.round(t.ticket.listeReglements[0].montant * 100), 0);
    assert.equal(Math.round(Number(await page.getAttribute("#z-report", "data-total-ttc")) * 100), paidCents);
    assert.match(await page.textContent("#z-report"), /Rapport Z — \d{4}-\d{2}-\d{2}/);
    assert.match(await page.textContent("#z-report"), /Carte bancaire/);
    assert.match(await page.textContent("#z-report"), /signée par la clé de la caisse/);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-journal")]);
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    await page.waitForSelector('#archive-info[data-state="exported"]', { timeout: 10_000 });
    const publicKey = await page.getAttribute("#archive-info", "data-public-key");
    assert.match(publicKey, /^[0-9a-f]{64}$/);
    assert.match(await page.textContent("#archive-info"), /2 ticket\(s\), 1 clôture\(s\)/);

    const verified = spawnSync(BINARY, ["journal", "verify", "--public-key", publicKey, file], { encoding: "utf8" });
    assert.equal(verified.status, 0, verified.stdout + verified.stderr);
    assert.match(verified.stdout, /2 entries, 1 closures, 4 technical events/, "start, closing start, day closure, export");
    const report = spawnSync(BINARY, ["journal", "report", "--public-key", publicKey, "--out", join(dir, "z.html"), file], { encoding: "utf8" });
    assert.equal(report.status, 0, report.stderr);
    await screenshot(page, "till-journal-exported");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
