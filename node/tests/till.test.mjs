// The sale engine through the addon's Till, in a process killed at every step boundary of a sale
// and at random, then restarted: checked against the sandbox's own records (its Izly debits, its
// esipay transactions, the tickets the Crous API holds). No payment without its ticket, no
// ticket without its payment, no double charge, no reused number.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSandbox, getJson, postJson } from "./support/sandbox.mjs";
import { worker as startWorker } from "./support/worker.mjs";
import { freshDatabase } from "./support/postgres.mjs";

let sandbox;
before(async () => {
  // Balances for hundreds of sales.
  sandbox = await startSandbox(undefined, (f) => {
    f.izly.accounts[0].balance_cents = 10_000_000;
    f.esipay.cards[0].balance_cents = 10_000_000;
  });
});
after(async () => sandbox?.stop());
beforeEach(async () => {
  await postJson(sandbox.baseUrl, "/sandbox/reset", {});
});

const tillFile = () => join(mkdtempSync(join(tmpdir(), "crous-till-sale-")), "till.sqlite3");

/** The till worker over `file`, making the sales of `plan`. */
const worker = (file, plan) => startWorker("till_worker.mjs", [sandbox.baseUrl, file, JSON.stringify(plan)]);

async function runToEnd(file, plan) {
  const w = worker(file, plan);
  const { code } = await w.exited;
  const last = w.lines.at(-1);
  assert.equal(code, 0, JSON.stringify(last));
  return last;
}

/** The sandbox's records against the till's: every charge one ticket of its amount, and back. */
async function checkAgainstSandbox(sales) {
  const tickets = (await getJson(sandbox.baseUrl, "/sandbox/tickets")).map((t) => t.ticket);
  const debits = await getJson(sandbox.baseUrl, "/sandbox/izly/debits");
  const charges = (await getJson(sandbox.baseUrl, "/sandbox/esipay/transactions")).filter((t) => t.status === "accepted");
  const cents = (n) => Math.round(Number(n) * 100);
  const ids = tickets.map((t) => t.idTicketEntete);
  assert.equal(new Set(ids).size, ids.length, "no ticket twice");
  for (const d of debits) {
    const ticket = tickets.find((t) => t.idTicketEntete === d.IdTicketEntete);
    assert.ok(ticket, `Izly debit ${d.Reference} has its ticket`);
    assert.equal(ticket.listeReglements[0].idTransactionIzly, d.IdTransactionIzly);
    assert.equal(cents(ticket.listeReglements[0].montant), d.AmountCents);
  }
  const cids = charges.map((c) => c.cid);
  assert.equal(new Set(cids).size, cids.length, "no card charged twice for one sale");
  for (const c of charges) {
    const sale = sales.find((s) => s.reference === c.cid);
    const ticket = tickets.find((t) => t.idTicketEntete === sale?.idTicketEntete);
    assert.ok(ticket, `esipay charge ${c.cid} has its ticket`);
    assert.equal(cents(ticket.listeReglements[0].montant), c.amount_cents);
  }
  assert.equal(tickets.length, debits.length + charges.length, "no ticket without its payment");
  // Every number handed out is a ticket or a kept, voided gap; none twice.
  const numbers = sales.map((s) => Number(s.idTicketEntete));
  assert.deepEqual(numbers, numbers.map((_, i) => i + 1), "numbers 1..n, each once");
  for (const s of sales) {
    const sent = ids.includes(s.idTicketEntete);
    assert.equal(sent, s.state === "completed", `sale ${s.idTicketEntete} (${s.state}) ${sent ? "has" : "has no"} ticket`);
    assert.ok(["completed", "voided"].includes(s.state), `sale ${s.idTicketEntete} is settled (${s.state})`);
  }
  return { tickets, debits, charges };
}

// The same crashes whichever store keeps the till: a SQLite file, or PostgreSQL (several servers).
for (const [store, location] of [["SQLite", tillFile], ["PostgreSQL", freshDatabase]]) {
  for (const method of ["izlyCard", "esipay"]) {
    for (const step of ["begun", "paid", "recorded", "pumped"]) {
      test(`${store}, ${method}: killed after the sale's "${step}" step, the restarted till settles it and sells on`, async () => {
        const file = location();
        const first = worker(file, { sales: 1, methods: [method], stopAt: { sale: 1, step } });
        await first.seen((l) => l.step === step && l.sale === 1);
        first.child.kill("SIGKILL");
        assert.equal((await first.exited).signal, "SIGKILL");
        // Restarted: it settles the first sale, then makes a second one.
        const done = await runToEnd(file, { sales: 2, methods: [method] });
        const { tickets, debits, charges } = await checkAgainstSandbox(done.sales);
        const paidFirst = step !== "begun";
        assert.equal(done.sales[0].state, paidFirst ? "completed" : "voided", JSON.stringify(done.sales[0]));
        assert.equal(debits.length + charges.length, paidFirst ? 2 : 1);
        assert.deepEqual(tickets.map((t) => t.idTicketEntete), paidFirst ? ["1", "2"] : ["2"]);
        if (!paidFirst) assert.equal(done.sales[0].code, method === "esipay" ? "sale.not_paid" : "sale.not_debited");
      });
    }
  }
}

test("200 sales with injected 500s, lost answers and random crashes: every payment has its ticket, once", { timeout: 600_000 }, async () => {
  const file = tillFile();
  const total = 200;
  await postJson(sandbox.baseUrl, "/sandbox/faults", {
    rules: [
      { method: "POST", path_prefix: "/api/payments/debit/", error_rate: 0.1, drop_rate: 0.1 },
      { method: "POST", path_prefix: "/cardpay/", error_rate: 0.1, drop_rate: 0.1 },
      { method: "POST", path_prefix: "/vem/v1/5/remontee-caisse/tickets", error_rate: 0.1, drop_rate: 0.05 },
    ],
  });
  let seed = 12;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const plan = { sales: total, methods: ["izlyCard", "esipay", "izlyCard"] };
  let crashes = 0;
  let done = null;
  while (!done) {
    const w = worker(file, plan);
    // Crash after a random number of steps, mid-sale or mid-request, while crashes remain.
    const steps = 3 + Math.floor(random() * 40);
    const killAt = crashes < 40 ? w.seen((l) => w.lines.filter((x) => x.step).length >= steps || l.done) : null;
    const outcome = await Promise.race([w.exited.then(() => "exited"), killAt?.then(() => "kill")].filter(Boolean));
    if (outcome === "kill" && !w.lines.at(-1)?.done) {
      // Mid-request sometimes: a few milliseconds later, whatever the worker is doing.
      await new Promise((r) => setTimeout(r, Math.floor(random() * 15)));
      w.child.kill("SIGKILL");
      await w.exited;
      crashes += 1;
      continue;
    }
    const { code } = await w.exited;
    const last = w.lines.at(-1);
    assert.equal(code, 0, JSON.stringify(last));
    done = last;
  }
  await postJson(sandbox.baseUrl, "/sandbox/faults", { rules: [] });
  const { tickets, debits, charges } = await checkAgainstSandbox(done.sales);
  assert.equal(done.sales.length, total);
  assert.ok(crashes >= 20, `crashed ${crashes} times`);
  const voided = done.sales.filter((s) => s.state === "voided").length;
  console.log(`# ${total} sales, ${crashes} crashes: ${tickets.length} tickets (${debits.length} Izly debits, ${charges.length} card payments), ${voided} voided`);
});
