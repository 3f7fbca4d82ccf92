// What every browser test needs: `crous-till demo --no-open` on a free port (the sandbox, the page,
// the package and the card bridge in one process), Debian's Chromium driven headless by
// playwright-core (shared/TOOLCHAIN.md, "Browser tests"), the sandbox's inspection routes, and
// screenshots in target/screenshots/ (kept by CI).
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const SCREENSHOTS = process.env.CROUS_TILL_SCREENSHOTS ?? `${ROOT}target/screenshots`;
export const BINARY = process.env.CROUS_TILL_BIN ?? `${ROOT}target/debug/crous-till`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync"];

/** Starts `crous-till demo --port 0 --no-open`; resolves once it printed its URL. */
export async function startDemo() {
  const child = spawn(BINARY, ["demo", "--port", "0", "--no-open"], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const lines = createInterface({ input: child.stdout });
  const first = await Promise.race([
    once(lines, "line").then(([line]) => line),
    once(child, "exit").then(([code]) => { throw new Error(`crous-till demo exited (${code}): ${stderr}`); }),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`crous-till demo printed no URL in 20 s: ${stderr}`)), 20_000)),
  ]);
  const page = new URL(first.trim());
  const base = page.origin;
  const get = async (path) => {
    const r = await fetch(base + path);
    if (!r.ok) throw new Error(`GET ${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  const post = async (path, body) => {
    const r = await fetch(base + path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body ?? {}) });
    if (!r.ok) throw new Error(`POST ${path}: ${r.status} ${await r.text()}`);
    return r.status === 204 ? null : r.json().catch(() => null);
  };
  return {
    url: page.href,
    base,
    get,
    post,
    fixtures: await get("/sandbox/fixtures"),
    reset: () => post("/sandbox/reset"),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await once(child, "exit");
      clearTimeout(timer);
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

/** A fresh context (empty localStorage) and page; page errors and console errors are collected. */
export async function openPage(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  // Console errors, except the browser's "Failed to load resource" lines: the responses below
  // say which of ours failed (a 401 the page expects, or a sandbox page's favicon, are no fault).
  page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && problems.push(`console: ${m.text()}`));
  page.on("response", (r) => {
    const path = new URL(r.url()).pathname;
    const ours = path.startsWith("/web-demo/") || path.startsWith("/pkg/");
    if (r.status() >= 500 || (ours && r.status() >= 400)) problems.push(`${r.status()} ${path}`);
  });
  await page.goto(url);
  return { context, page, problems };
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

/** The sandbox's balance of an Izly account, in cents. */
export async function balanceCents(demo, idIzly) {
  const accounts = await demo.get("/sandbox/izly/accounts");
  const a = accounts.find((x) => x.IdIzly === idIzly);
  if (!a) throw new Error(`no account ${idIzly} in ${JSON.stringify(accounts)}`);
  return a.BalanceCents;
}
