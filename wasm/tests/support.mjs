// Shared by the package's Node tests: load the package, start a real sandbox on 127.0.0.1.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { once } from "node:events";
import { createInterface } from "node:readline";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
export const root = here("../../");

/** The CLI binary: $CROUS_TILL_BIN, else target/debug or target/release. */
export function cliBinary() {
  const candidates = [process.env.CROUS_TILL_BIN, join(root, "target/debug/crous-till"), join(root, "target/release/crous-till")];
  const found = candidates.find((p) => p && existsSync(p));
  if (!found) throw new Error("crous-till CLI not built: cargo build -p crous-till-cli");
  return found;
}

/** The package (wasm/pkg), initialised. */
export async function loadPackage() {
  const pkg = await import(here("../pkg/crous_till.js"));
  pkg.initSync({ module: readFileSync(here("../pkg/crous_till_bg.wasm")) });
  return pkg;
}

/** Starts `crous-till sandbox --port 0` (built by cargo if needed); resolves to its handle. */
export async function startSandbox() {
  const child = spawn("cargo", ["run", "-q", "-p", "crous-till-cli", "--", "sandbox", "--port", "0"], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const [first] = await Promise.race([
    once(lines, "line"),
    once(child, "exit").then(([code]) => Promise.reject(new Error(`the sandbox exited (${code})`))),
  ]);
  const base = first.trim();
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(base)) throw new Error(`unexpected sandbox output: ${first}`);
  const get = async (path) => (await fetch(base + path)).json();
  const post = async (path, body) =>
    fetch(base + path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body ?? {}) });
  const fixtures = await get("/sandbox/fixtures");
  return {
    base,
    fixtures,
    get,
    post,
    /** Restores the fixtures and removes the faults. */
    reset: () => post("/sandbox/reset"),
    /** A fresh single-use QR code for an Izly account. */
    qrCode: async (idIzly) => (await (await post("/sandbox/izly/qrcodes", { id_izly: idIzly, ttl_seconds: 120 })).json()).text,
    balance: async (idIzly) => (await get("/sandbox/izly/accounts")).find((a) => a.IdIzly === idIzly).BalanceCents,
    stop: () => {
      child.kill("SIGINT");
      return once(child, "exit");
    },
  };
}
