// How long the demo till page takes to be ready to sell: from navigation start to the moment it
// sets body[data-ready] (the `crous-till-ready` performance mark), in Debian's headless Chromium,
// each run in a fresh browser context (empty cache and storage), against `crous-till demo`.
//   node tests/browser/bench/page_ready.bench.mjs [runs]
// Needs wasm/pkg (scripts/build-wasm-package.sh), the CLI (CROUS_TILL_BIN, else target/debug) and
// `npm ci --prefix tests/browser`. Prints each run and the median in milliseconds.
import { startDemo, launchBrowser } from "../support.mjs";

const runs = Number(process.argv[2] ?? 10);
const demo = await startDemo();
const browser = await launchBrowser();
const times = [];
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(demo.url);
    await page.waitForSelector("body[data-ready]", { timeout: 20_000 });
    const ms = await page.evaluate(() => performance.getEntriesByName("crous-till-ready")[0].startTime);
    times.push(ms);
    console.log(`run ${i + 1}: ready in ${ms.toFixed(0)} ms`);
    await context.close();
  }
} finally {
  await browser.close();
  await demo.stop();
}
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
console.log(`median ${median.toFixed(0)} ms, min ${sorted[0].toFixed(0)} ms, max ${sorted.at(-1).toFixed(0)} ms over ${runs} fresh contexts`);
