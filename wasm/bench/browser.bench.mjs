// The same benchmark in Debian's headless Chromium: `node wasm/bench/browser.bench.mjs` (after
// scripts/build-wasm-package.sh, `npm ci --prefix wasm/bench` and `npm ci --prefix tests/browser`,
// which brings playwright-core). The page's files are served from disk by Playwright's request
// interception under a loopback address that is never connected to.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const { chromium } = createRequire(here("../../tests/browser/package.json"))("playwright-core");
const ORIGIN = "http://127.0.0.1:9";
const files = {
  "/index.html": [here("./browser.html"), "text/html"],
  "/ticket_bench.mjs": [here("./ticket_bench.mjs"), "text/javascript"],
  "/js_ticket.mjs": [here("./js_ticket.mjs"), "text/javascript"],
  "/decimal.mjs": [here("./node_modules/decimal.js/decimal.mjs"), "text/javascript"],
  "/reference.json": [null, "application/json"],
};
const reference = JSON.stringify(JSON.parse(readFileSync(here("../../sandbox/fixtures/demo.json"), "utf8")).crous.reference);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    // The package, its .wasm and its snippets, straight from wasm/pkg.
    const file = path.startsWith("/pkg/") && !path.includes("..")
      ? [here(`..${path}`), path.endsWith(".wasm") ? "application/wasm" : "text/javascript"]
      : files[path];
    if (!file) return route.fulfill({ status: 404, body: "" });
    const body = file[0] ? readFileSync(file[0]) : reference;
    return route.fulfill({ status: 200, contentType: file[1], body });
  });
  await page.goto(`${ORIGIN}/index.html?ms=${process.env.BENCH_MS ?? 2000}`);
  const result = await page.waitForFunction(() => window.benchResult, null, { timeout: 120_000 });
  const { userAgent, markdown, error } = await result.jsonValue();
  if (error) throw new Error(error);
  console.log(`${userAgent}\n\n${markdown}`);
} finally {
  await browser.close();
}
