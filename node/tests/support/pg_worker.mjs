// One of several server processes sharing a PostgreSQL store, as the PostgreSQL test starts (and
// kills) them: node pg_worker.mjs <sandboxUrl> <postgresUrl> <ticketsPerTill>
// Opens the outbox of every till of the sandbox's fixtures in the shared store, enqueues each
// till's tickets 1..n (the same tickets in every worker and every run: a ticket another writer
// queued first changes nothing), pumping as it goes, then pumps until it is killed.
import { addon } from "./sandbox.mjs";

const [baseUrl, postgresUrl, perTill] = process.argv.slice(2);
const fixtures = await (await fetch(`${baseUrl}/sandbox/fixtures`)).json();
const sale = { versionLogiciel: "pg-worker", idLogiciel: 39, idTypeDistribution: 1, soldAt: "2026-11-23T12:05:00+01:00" };

const tills = [];
for (const restaurant of fixtures.crous.restaurants) {
  for (const till of restaurant.tills) {
    const crous = new addon.Crous({
      environment: baseUrl,
      pointOfSale: till.point_of_sale,
      installationKey: till.installation_key,
      software: "pg-worker",
      retry: { maxAttempts: 1, timeoutMs: 2000 },
    });
    const reference = await crous.referenceData();
    tills.push({ reference, outbox: crous.openOutbox(postgresUrl, reference), numbering: { lastIdTicketEntete: 0, day: null, daySequence: 0 } });
  }
}

async function pumpAll() {
  for (const till of tills) await till.outbox.pump();
}

for (let i = 0; i < Number(perTill); i++) {
  for (const till of tills) {
    const pricedCart = till.reference.priceCart([{ codeArticle: [100, 200, 300, 400][i % 4], quantite: 1 }], { codeSociete: 8000, tarif: 1 }, "2026-11-23");
    const built = till.reference.buildTicket({ numbering: till.numbering, sale, pricedCart, payment: { type: "carteBancaire" } });
    till.numbering = built.numbering;
    await till.outbox.enqueue(built.ticket);
  }
  if (i % 10 === 9) await pumpAll();
}
process.stdout.write("enqueued\n");
for (;;) {
  await pumpAll();
  await new Promise((r) => setTimeout(r, 20));
}
