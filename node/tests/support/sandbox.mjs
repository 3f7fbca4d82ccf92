// Test support: the crous-till sandbox (the CLI binary) on a free port of 127.0.0.1, with the demo
// fixtures pointing the IzlyPay partner's callback and the esipay return URL at a node:http
// server of the test, and plain HTTP helpers. Nothing here talks to any other host.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, "..", "..", "..");
export const addon = createRequire(import.meta.url)(join(root, "node", "index.js"));

export { cliBinary } from "../../../wasm/tests/support.mjs";
import { cliBinary } from "../../../wasm/tests/support.mjs";

/** A node:http server on 127.0.0.1 whose routes the test sets: `routes[path] = (req, body, res) => ...`. */
export async function partnerServer() {
  const routes = {};
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const path = req.url.split("?")[0];
      const route = routes[path];
      if (!route) return res.writeHead(404).end();
      Promise.resolve(route(req, Buffer.concat(chunks), res)).catch((e) => {
        res.writeHead(500).end(String(e));
      });
    });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, routes, close: () => new Promise((ok) => server.close(ok)) };
}

/** A fixture edit for `startSandbox`: `n` tills in the first restaurant (the demo's, then copies). */
export const withTills = (n) => (fixtures) => {
  const tills = fixtures.crous.restaurants[0].tills;
  for (let i = tills.length; i < n; i++) {
    const pos = `5-1-9-8-${20 + i}`;
    tills.push({ ...tills[0], point_of_sale: pos, libelle: `Caisse ${20 + i}`, installation_key: `sandbox-install-${pos}`, izly_key: `sandbox-izly-key-${pos}` });
  }
};

/** Starts the sandbox with the demo fixtures (changed by `edit` when given), callbacks and
 * returns sent to `partnerUrl`. */
export async function startSandbox(partnerUrl, edit = () => {}) {
  const dir = mkdtempSync(join(tmpdir(), "crous-till-node-"));
  const fixtures = JSON.parse(readFileSync(join(root, "sandbox/fixtures/demo.json"), "utf8"));
  edit(fixtures);
  if (partnerUrl) {
    fixtures.izly.partners[0].callback_url = `${partnerUrl}/izlypay/callback`;
    fixtures.esipay.enterprises[0].return_url = `${partnerUrl}/esipay/return`;
  }
  writeFileSync(join(dir, "fixtures.json"), JSON.stringify(fixtures));
  const child = spawn(cliBinary(), ["sandbox", "--port", "0", "--data", join(dir, "data"), "--fixtures", join(dir, "fixtures.json")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const baseUrl = await new Promise((ok, fail) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const line = out.split("\n")[0];
      if (out.includes("\n")) ok(line.trim());
    });
    child.on("exit", (code) => fail(new Error(`sandbox exited (${code}): ${stderr}`)));
  });
  const fixturesServed = await getJson(baseUrl, "/sandbox/fixtures");
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((ok) => child.on("exit", ok));
      child.kill("SIGINT");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { baseUrl, fixtures: fixturesServed, stop };
}

export async function getJson(baseUrl, path) {
  const r = await fetch(`${baseUrl}${path}`);
  if (!r.ok) throw new Error(`GET ${path}: ${r.status}`);
  return r.json();
}

export async function postJson(baseUrl, path, body) {
  const r = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: await r.json().catch(() => null) };
}

/** The action of the first form of a page (the sandbox's own HTML). */
export function formAction(html) {
  const m = html.match(/<form[^>]*\saction="([^"]*)"/);
  if (!m) throw new Error("no form in the page");
  return m[1].replaceAll("&amp;", "&").replaceAll("&quot;", '"').replaceAll("&#39;", "'");
}

/** The hidden inputs of the first form of a page. */
export function hiddenFields(html) {
  const form = html.slice(html.indexOf("<form"));
  const fields = {};
  for (const tag of form.match(/<input [^>]*>/g) ?? []) {
    if (!/\stype="hidden"/.test(tag)) continue;
    const name = tag.match(/\sname="([^"]*)"/)?.[1];
    const value = tag.match(/\svalue="([^"]*)"/)?.[1] ?? "";
    if (name) fields[name] = value.replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
  }
  return fields;
}

/** POSTs a form without following redirects. */
export function postForm(url, fields) {
  return fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

/** Resolves once `predicate()` (or the promise it returns) is truthy (polling every 10 ms, up to 10 s). */
export async function until(predicate) {
  for (let i = 0; i < 1000; i++) {
    const v = await predicate();
    if (v) return v;
    await new Promise((ok) => setTimeout(ok, 10));
  }
  throw new Error("timed out waiting");
}
