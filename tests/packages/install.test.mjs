// The npm packages as a user gets them: `scripts/pack-packages.sh` packs the Node package, its
// platform package and the browser package; an empty project outside the repository installs
// the tarballs (offline: nothing but them), then sells against a real sandbox from there:
// `require` and `import` of crous-till-node, `import` of crous-till-wasm in Node, and a Vite build
// of an app importing crous-till-wasm, run in headless Chromium.
// Needs the node-addon and wasm-package builds; vite is this directory's (npm ci).
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startSandbox } from "../../wasm/tests/support.mjs";
import { launchBrowser } from "../browser/support.mjs";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const root = here("../../");
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };

describe("the packages installed from their tarballs", () => {
  let sb, tarballs, project, config;
  before(async () => {
    tarballs = mkdtempSync(join(tmpdir(), "crous-till-tarballs-"));
    execFileSync("bash", [join(root, "scripts/pack-packages.sh"), "--out", tarballs], { stdio: "inherit" });
    project = mkdtempSync(join(tmpdir(), "crous-till-user-"));
    assert.ok(!project.startsWith(root), "the project is outside the repository");
    cpSync(here("app"), project, { recursive: true });
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "a-till-vendor-project", private: true, type: "module" }));
    // As README.md says: the tarballs named to npm (the platform package with the loader, as the
    // registry would pick it); --offline, so nothing else can come in.
    const tgz = readdirSync(tarballs).map((f) => join(tarballs, f));
    assert.equal(tgz.length, 3, "the loader, this platform's binary, the browser package");
    execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", ...tgz], { cwd: project, stdio: "inherit" });
    sb = await startSandbox();
    const till = sb.fixtures.crous.restaurants[0].tills[0];
    config = {
      base: sb.base,
      pointOfSale: till.point_of_sale,
      installationKey: till.installation_key,
      uuid: sb.fixtures.esipay.enterprises[0].uuid,
      card: { number: sb.fixtures.esipay.cards[0].number, month: 12, year: 2030 },
    };
  });
  after(() => {
    sb?.stop();
    for (const dir of [tarballs, project]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function runIn(script, ...extra) {
    const out = execFileSync("node", [script, JSON.stringify(config), ...extra], { cwd: project, encoding: "utf8" });
    return JSON.parse(out.trim().split("\n").pop());
  }

  async function assertSold(result) {
    assert.equal(result.version, "0.1.0");
    assert.deepEqual([result.state, result.delivered], ["completed", 1]);
    const tickets = await sb.get("/sandbox/tickets");
    assert.equal(tickets.length, 1, "the ticket reached the sandbox once");
    assert.equal(String(tickets[0].ticket.idTicketEntete), result.idTicketEntete);
    assert.equal(tickets[0].ticket.listeReglements[0].montant, 19.6, "two visitor meals (9.80 €), as the wire carries them");
  }

  test("the installed project holds the packages' files only, the binary from the platform package", () => {
    const files = (dir) => readdirSync(join(project, "node_modules", dir)).sort();
    assert.deepEqual(files("crous-till-node"), ["README.md", "index.d.ts", "index.js", "package.json"]);
    assert.deepEqual(files("crous-till-node-linux-x64-gnu"), ["README.md", "crous_till.linux-x64-gnu.node", "package.json"]);
    assert.ok(files("crous-till-wasm").includes("crous_till_bg.wasm"));
  });

  test("require('crous-till-node') sells", async () => {
    await sb.reset();
    await assertSold(runIn("node-require.cjs"));
  });

  test("import from 'crous-till-node' sells", async () => {
    await sb.reset();
    await assertSold(runIn("node-import.mjs"));
  });

  test("import from 'crous-till-wasm' in Node sells, without initSync", async () => {
    await sb.reset();
    await assertSold(runIn("wasm-node.mjs", join(root, "wasm/tools/node_modules/fake-indexeddb/auto/index.mjs")));
  });

  test("a Vite build importing 'crous-till-wasm' sells in Chromium", async () => {
    await sb.reset();
    execFileSync(here("node_modules/.bin/vite"), ["build", project, "--base", "/app/", "--logLevel", "warn"], { stdio: "inherit" });
    const dist = join(project, "dist");
    assert.ok(readdirSync(join(dist, "assets")).some((f) => f.endsWith(".wasm")), "vite emitted the .wasm");
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(e.message));
      // The app is served from the sandbox's origin (by interception, from dist/), so that its
      // calls to the sandbox are same-origin, as a till page and its back end would be.
      await page.route(`${sb.base}/app/**`, (route) => {
        const path = new URL(route.request().url()).pathname.slice("/app/".length);
        const file = join(dist, path === "" ? "index.html" : path);
        if (path.includes("..") || !existsSync(file)) return route.fulfill({ status: 404, body: "" });
        return route.fulfill({ status: 200, contentType: TYPES[extname(file)] ?? "application/octet-stream", body: readFileSync(file) });
      });
      await page.goto(`${sb.base}/app/?config=${encodeURIComponent(JSON.stringify(config))}`);
      await page.waitForSelector("body[data-result]", { state: "attached", timeout: 30_000 });
      const result = JSON.parse(await page.getAttribute("body", "data-result"));
      assert.deepEqual(errors, []);
      assert.equal(result.error, undefined);
      await assertSold(result);
    } finally {
      await browser.close();
    }
  });
});
