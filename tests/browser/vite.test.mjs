// The browser package as a till vendor consumes it: an npm dependency of a Vite app
// (wasm/tests/vite). `vite build` bundles the module and its .wasm; the built app then runs in
// headless Chromium (served from disk by request interception, no network) and prices a tray.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, existsSync } from "node:fs";
import { join, extname } from "node:path";
import { fileURLToPath } from "node:url";
import { launchBrowser } from "./support.mjs";

const app = fileURLToPath(new URL("../../wasm/tests/vite/", import.meta.url));
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };

test("a Vite app imports the package, bundles its .wasm and prices a tray", async () => {
  execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: app, stdio: "inherit" });
  execFileSync(join(app, "node_modules/.bin/vite"), ["build", "--logLevel", "warn"], { cwd: app, stdio: "inherit" });
  const dist = join(app, "dist");
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.route("http://127.0.0.1:9/**", (route) => {
      const path = new URL(route.request().url()).pathname;
      const file = join(dist, path === "/" ? "index.html" : path);
      if (path.includes("..") || !existsSync(file)) return route.fulfill({ status: 404, body: "" });
      return route.fulfill({ status: 200, contentType: TYPES[extname(file)] ?? "application/octet-stream", body: readFileSync(file) });
    });
    await page.goto("http://127.0.0.1:9/");
    await page.waitForFunction(() => document.body.textContent.includes("€"), null, { timeout: 20_000 }).catch(() => {});
    assert.deepEqual(errors, []);
    assert.match(await page.textContent("body"), /^crous-till \d+\.\d+\.\d+: 3\.30 €$/);
  } finally {
    await browser.close();
  }
});
