// A web shop's server taking orders through the addon's Till (core's web orders, IzlyPay), as a
// separate process the tests kill at chosen step boundaries, then start again:
//   node shop_worker.mjs <sandboxUrl> <sqliteFile> <port> <plan JSON>
// plan: {orders: N, stopAt?: {order, step}}. It serves IzlyPay's callback on
// http://127.0.0.1:<port>/izlypay/callback (answered as core decides), settles what a crash left
// (`settleOrders`), then opens orders W1, W2… until the till holds N, each paid by the test on
// its payment page. Prints one JSON line per step: {"step": "init" (opened, init on its way) |
// "ordered" (with state and paymentUrl) | "completed" | "pumped", "order": n}; at `stopAt` it
// prints the step and waits to be killed. Last line: {"done": true, "orders": [...], "view"}.
import { createServer } from "node:http";
import { addon } from "./sandbox.mjs";

const [baseUrl, file, port, planText] = process.argv.slice(2);
const plan = JSON.parse(planText);
const get = async (path) => (await fetch(`${baseUrl}${path}`)).json();
const say = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const fixtures = await get("/sandbox/fixtures");
// The shop is a point of sale of its own (specs 001: one key per point of sale).
const shopFixture = fixtures.crous.restaurants[0].tills[1];
const retry = { maxAttempts: 2, initialBackoffMs: 20, maxBackoffMs: 50, timeoutMs: 5000 };
const crous = new addon.Crous({ environment: baseUrl, pointOfSale: shopFixture.point_of_sale, installationKey: shopFixture.installation_key, software: "shop-worker", retry });
await crous.authenticate();
const till = crous.openTill(file, await crous.referenceData());
const partner = fixtures.izly.partners[0];
till.setIzlyPay(new addon.IzlyPay({ environment: baseUrl, appIdentifier: partner.app_identifier, apiKey: partner.api_key, retry }));

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", async () => {
    if (req.url !== "/izlypay/callback") return res.writeHead(404).end();
    const { answer } = await till.orderCallback(req.headers, Buffer.concat(chunks));
    res.writeHead(answer.status, answer.headers).end(answer.body);
  });
});
await new Promise((ok) => server.listen(Number(port), "127.0.0.1", ok));

const camille = fixtures.izly.accounts[0];
function input(n) {
  return {
    clientOrderId: `W${n}`,
    cart: [{ codeArticle: [100, 200, 300, 400][n % 4], quantite: 1 + (n % 2) }],
    profile: { codeSociete: camille.societe, tarif: camille.tarif },
    customer: { nomClient: `${camille.prenom} ${camille.nom}` },
    sale: { versionLogiciel: "shop-worker", idLogiciel: 39, idTypeDistribution: 2, soldAt: new Date().toISOString() },
  };
}

function stop(step, order) {
  say({ step, order });
  if (plan.stopAt && plan.stopAt.order === order && plan.stopAt.step === step) {
    setInterval(() => {}, 1000); // the test kills this process here
    return true;
  }
  return false;
}

async function main() {
  await till.settleOrders();
  await till.pump();
  while (till.orders().length < plan.orders) {
    const n = till.orders().length + 1;
    const started = till.order(input(n), { redirectUrl: `http://127.0.0.1:${port}/thanks`, message: `Commande W${n}` });
    if (stop("init", n)) return;
    const order = await started;
    say({ step: "ordered", order: n, state: order.state, paymentUrl: order.paymentUrl ?? null });
    if (order.state !== "waiting") continue;
    if (plan.stopAt?.order === n && plan.stopAt.step === "ordered") return setInterval(() => {}, 1000);
    // The test pays on the page; the callback completes the order (looked up if it never comes).
    for (let i = 0; i < 500 && till.webOrder(`W${n}`).state === "waiting"; i++) await sleep(10);
    if (till.webOrder(`W${n}`).state === "waiting") await till.settleOrders();
    if (stop("completed", n)) return;
    await till.pump();
    if (stop("pumped", n)) return;
  }
  let view = await till.pump();
  while (view.pending + view.sending > 0) {
    await sleep(Math.max(20, (view.nextAttemptAt ?? 0) - Date.now()));
    view = await till.pump();
  }
  say({ done: true, orders: till.orders(), sales: till.sales(), view });
  process.exit(0);
}

main().catch((e) => {
  say({ error: e.code ?? "unknown", message: e.message });
  process.exit(1);
});
