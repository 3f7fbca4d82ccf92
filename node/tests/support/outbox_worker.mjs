// A till back end's ticket forwarding, as a separate process the outbox test kills and restarts:
// node outbox_worker.mjs <sandboxUrl> <sqliteFile> <count>
// Enqueues tickets 1..count (identical on every run: enqueuing them again changes nothing), then
// pumps until all are delivered, and prints the final queue as JSON.
import { addon } from "./sandbox.mjs";

const [baseUrl, file, count] = process.argv.slice(2);
const fixtures = await (await fetch(`${baseUrl}/sandbox/fixtures`)).json();
const till = fixtures.crous.restaurants[0].tills[0];
const crous = new addon.Crous({ environment: baseUrl, pointOfSale: till.point_of_sale, installationKey: till.installation_key, software: "outbox-worker", retry: { maxAttempts: 1 } });
await crous.authenticate();
const reference = await crous.referenceData();
const outbox = crous.openOutbox(file, reference);

let numbering = { lastIdTicketEntete: 0, day: null, daySequence: 0 };
const sale = { versionLogiciel: "outbox-worker", idLogiciel: 39, idTypeDistribution: 1, soldAt: "2026-11-23T12:05:00+01:00" };
for (let i = 0; i < Number(count); i++) {
  const pricedCart = reference.priceCart([{ codeArticle: [100, 200, 300, 400][i % 4], quantite: 1 }], { codeSociete: 8000, tarif: 1 }, "2026-11-23");
  const built = reference.buildTicket({ numbering, sale, pricedCart, payment: { type: "carteBancaire" } });
  numbering = built.numbering;
  await outbox.enqueue(built.ticket);
  process.stdout.write(`enqueued ${built.ticket.idTicketEntete}\n`);
}
let view = await outbox.pump();
while (view.pending + view.sending > 0) {
  await new Promise((r) => setTimeout(r, Math.max(50, (view.nextAttemptAt ?? 0) - Date.now())));
  view = await outbox.pump();
}
process.stdout.write(`${JSON.stringify(view)}\n`);
