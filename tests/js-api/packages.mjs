// The two JavaScript packages of crous-till, loaded side by side in one Node process, so that one
// suite holds both to the same API: the browser package (wasm/pkg, built by
// scripts/build-wasm-package.sh, initialised here with initSync) and the Node addon
// (node/index.js and its binary, built by scripts/build-node-addon.sh).
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
// IndexedDB for the browser package's store under Node (the store code is the package's own).
await import(here("../../wasm/tools/node_modules/fake-indexeddb/auto/index.mjs"));
const wasm = await import(here("../../wasm/pkg/crous_till.js"));
wasm.initSync({ module: readFileSync(here("../../wasm/pkg/crous_till_bg.wasm")) });
const addon = createRequire(import.meta.url)(here("../../node/index.js"));

/** `[name, package]` for each package. */
export const packages = [
  ["wasm", wasm],
  ["node", addon],
];

let stores = 0;
/** Where each package keeps a till: IndexedDB in the browser package, a SQLite file in the addon.
 * The only difference between the two APIs, by nature; everything after `openTill` is the same. */
export async function tillStore(pkg, pointOfSale) {
  stores += 1;
  if (pkg === wasm) return wasm.openIndexedDbOutboxStore(pointOfSale, `js-api-${process.pid}-${stores}`);
  return join(mkdtempSync(join(tmpdir(), "crous-till-js-api-")), "till.sqlite3");
}

let keys = 0;
/** The till's signing key: in the browser package a WebCrypto key kept in IndexedDB (named), in the
 * addon a key file (0600). The other difference by nature; the key is used the same way after. */
export async function tillKey(pkg) {
  keys += 1;
  if (pkg === wasm) return wasm.openTillKey(`js-api-key-${process.pid}-${keys}`);
  return addon.openTillKey(join(mkdtempSync(join(tmpdir(), "crous-till-js-api-key-")), "till.key"));
}
