// A till back end making sales through the addon's Till (core's sale engine), as a separate
// process the till tests kill at chosen step boundaries or at random, then start again:
//   node till_worker.mjs <sandboxUrl> <sqliteFile> <plan JSON>
// plan: {sales: N, methods: ["izlyCard" | "esipay", ...] (cycled), stopAt?: {sale, step}}.
// On start it settles what a crash left (the cashier answers sales to check from esipay's own
// records, as a cashier reads the esipay back office), then makes sales until the till has
// numbered N of them, pumping the outbox after each. Prints one JSON line per step:
// {"step": "begun" | "paid" | "recorded" | "pumped", "sale": n}; at `stopAt` it prints the step
// and waits to be killed. Last line: {"done": true, "sales": [...], "view": {...}}.
import { addon } from "./sandbox.mjs";

const [baseUrl, file, planText] = process.argv.slice(2);
const plan = JSON.parse(planText);
const get = async (path) => (await fetch(`${baseUrl}${path}`)).json();
const say = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);

const fixtures = await get("/sandbox/fixtures");
const tillFixture = fixtures.crous.restaurants[0].tills[0];
const retry = { maxAttempts: 2, initialBackoffMs: 20, maxBackoffMs: 50, timeoutMs: 3000 };
const crous = new addon.Crous({ environment: baseUrl, pointOfSale: tillFixture.point_of_sale, installationKey: tillFixture.installation_key, software: "till-worker", retry });
await crous.authenticate();
const reference = await crous.referenceData();
const { cleAuthentificationIzly } = await crous.caisse();
const till = crous.openTill(file, reference);
till.setIzly(new addon.IzlyPos({ environment: baseUrl, key: cleAuthentificationIzly, pointOfSale: tillFixture.point_of_sale, retry }));
till.setEsipay(new addon.Esipay({ environment: baseUrl, uuid: fixtures.esipay.enterprises[0].uuid, retry }));

const camille = fixtures.izly.accounts[0];
const bankCard = { number: fixtures.esipay.cards[0].number, month: 12, year: 2030 };

function stop(step, sale) {
  say({ step, sale });
  if (plan.stopAt && plan.stopAt.sale === sale && plan.stopAt.step === step) {
    setInterval(() => {}, 1000); // the test kills this process here
    return true;
  }
  return false;
}

/** Settles what a crash left; sales to check are answered from esipay's records. */
async function settle() {
  await till.settle();
  const check = till.unsettled();
  if (check?.state === "toCheck") {
    const charged = (await get("/sandbox/esipay/transactions")).find((t) => t.cid === check.reference && t.status === "accepted");
    await till.resolve(check.idTicketEntete, charged ? { resolution: "paid", transaction: charged.transaction } : { resolution: "notPaid" });
  }
}

function input(n) {
  const method = plan.methods[(n - 1) % plan.methods.length];
  const soldAt = new Date().toISOString();
  const sale = { versionLogiciel: "till-worker", idLogiciel: 39, idTypeDistribution: 1, soldAt };
  const cart = [{ codeArticle: [100, 200, 300, 400][n % 4], quantite: 1 + (n % 2) }];
  if (method === "esipay") return { cart, profile: { codeSociete: 8000, tarif: 1 }, method: { type: "esipay" }, sale };
  const card = camille.cards[0];
  return {
    cart, profile: { codeSociete: camille.societe, tarif: camille.tarif }, customer: { codeClient: camille.code_client },
    method: { type: "izlyCard", idSupport: card.id_support, numeroApplicatif: card.numero_applicatif }, sale,
  };
}

async function main() {
  await settle();
  while (till.sales().length < plan.sales || till.unsettled()) {
    if (till.unsettled()) {
      await new Promise((r) => setTimeout(r, 50)); // an Izly look-up that could not answer yet
      await settle();
      continue;
    }
    const n = till.sales().length + 1;
    const order = await till.begin(input(n));
    if (stop("begun", n)) return;
    const outcome = await till.pay(order.idTicketEntete, order.method.type === "esipay" ? bankCard : null);
    if (stop("paid", n)) return;
    await till.record(order.idTicketEntete, outcome);
    if (stop("recorded", n)) return;
    await till.pump();
    if (stop("pumped", n)) return;
  }
  let view = await till.pump();
  while (view.pending + view.sending > 0) {
    await new Promise((r) => setTimeout(r, Math.max(20, (view.nextAttemptAt ?? 0) - Date.now())));
    view = await till.pump();
  }
  say({ done: true, sales: till.sales(), view });
  process.exit(0);
}

main().catch((e) => {
  say({ error: e.code ?? "unknown", message: e.message });
  process.exit(1);
});
