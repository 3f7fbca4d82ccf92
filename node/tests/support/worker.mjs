// A Node worker process a test drives and kills: it prints one JSON object per line on stdout.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { root } from "./sandbox.mjs";

/** Starts `node/tests/support/<script>` with `args`; `seen(predicate)` resolves with the first
 * printed line that satisfies it, `exited` with the exit code and signal. */
export function worker(script, args) {
  const child = spawn(process.execPath, [join(root, "node/tests/support", script), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = [];
  const waiters = [];
  let buffer = "";
  child.stdout.on("data", (d) => {
    buffer += d;
    let i;
    while ((i = buffer.indexOf("\n")) >= 0) {
      const line = JSON.parse(buffer.slice(0, i));
      buffer = buffer.slice(i + 1);
      lines.push(line);
      for (const w of waiters) if (w.predicate(line)) w.resolve(line);
    }
  });
  const exited = new Promise((ok) => child.on("exit", (code, signal) => ok({ code, signal })));
  const seen = (predicate) => new Promise((resolve) => {
    const found = lines.find(predicate);
    if (found) resolve(found);
    else waiters.push({ predicate, resolve });
  });
  return { child, exited, lines, seen };
}
