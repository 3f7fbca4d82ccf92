// Bad input through the addon: every one a CrousTillError with a stable code, nothing sent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { addon } from "./support/sandbox.mjs";

/** A loopback port where nothing listens (bound, then freed). */
async function closedPort() {
  const s = createServer();
  await new Promise((ok) => s.listen(0, "127.0.0.1", ok));
  const { port } = s.address();
  await new Promise((ok) => s.close(ok));
  return port;
}

test("wrong shapes and values are typed errors: thrown by sync calls, rejected by async ones", async () => {
  const isCrous = (code) => (e) => e instanceof Error && e.name === "CrousTillError" && e.code === code;
  assert.throws(() => new addon.Reference({ tva: "nope" }), isCrous("input.invalid"));
  assert.throws(() => new addon.Reference(undefined), isCrous("input.missing"));
  const reference = new addon.Reference({});
  assert.throws(() => reference.priceCart([{ codeArticle: 1, quantite: 1 }], { codeSociete: 10, tarif: 1 }, "2026-13-01"), isCrous("input.invalid"));
  assert.throws(() => reference.priceCart([], { codeSociete: 10, tarif: 1 }, "2026-11-23"), isCrous("pricing.empty_cart"));
  assert.throws(() => reference.buildTicket("nope"), isCrous("input.invalid"));
  assert.throws(() => new addon.IzlyPay({ environment: "ftp://x", appIdentifier: "a", apiKey: "k" }), isCrous("environment.invalid_base_url"));
  const pay = new addon.IzlyPay({ environment: "http://127.0.0.1:9", appIdentifier: "a", apiKey: "k" });
  await assert.rejects(pay.init({ amount: "1.234", clientOrderId: "A" }), isCrous("izly_pay.invalid_amount"));
  await assert.rejects(pay.init({ amount: 1, clientOrderId: " " }), isCrous("izly_pay.missing_client_order_id"));
  await assert.rejects(pay.init({ amount: 1, clientOrderId: "A", extra: true }), isCrous("input.invalid"));
  await assert.rejects(pay.init(undefined), isCrous("input.missing"));
  assert.equal(typeof addon.version(), "string");
  assert.deepEqual(addon.checkTicketShape({}).violations.length > 0, true);
});

test("an unreachable service is network.connection_failed after the retries", async () => {
  const port = await closedPort();
  const pay = new addon.IzlyPay({
    environment: `http://127.0.0.1:${port}`,
    appIdentifier: "a",
    apiKey: "k",
    retry: { maxAttempts: 2, initialBackoffMs: 1, maxBackoffMs: 2, timeoutMs: 2000 },
  });
  await assert.rejects(pay.get("1"), (e) => {
    assert.equal(e.code, "network.connection_failed");
    assert.equal(e.details.attempts, 2);
    return true;
  });
});
