// The two JavaScript packages of crous-till, loaded side by side in one Node process, so that one
// suite holds both to the same API: the browser package (wasm/pkg, built by
// scripts/build-wasm-package.sh, initialised here with initSync) and the Node addon
// (node/crous_till.node, built by scripts/build-node-addon.sh).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const wasm = await import(here("../../wasm/pkg/crous_till.js"));
wasm.initSync({ module: readFileSync(here("../../wasm/pkg/crous_till_bg.wasm")) });
const addon = createRequire(import.meta.url)(here("../../node/crous_till.node"));

/** `[name, package]` for each package. */
export const packages = [
  ["wasm", wasm],
  ["node", addon],
];
