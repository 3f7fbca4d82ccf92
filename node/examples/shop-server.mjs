// A web shop's server with node:http and the crous-till addon. Every sale goes through the till's
// sale engine (core), stored in a SQLite file, or in PostgreSQL when several instances of the shop
// run (SHOP_STORE=postgres://…): the shop keeps no order state of its own.
//
//   POST /orders?article=100&quantite=1   opens a web order paid through IzlyPay; answers the
//                                         page to send the customer to
//   POST /izlypay/callback                IzlyPay's callback: core looks the payment up with
//                                         GET WebPayments/{id} and decides the answer
//   POST /card?article=100&quantite=1     a sale paid by bank card through esipay (the
//                                         sandbox's test card)
//   POST /esipay/return                   esipay's return URL: 200 only for the pending sale's
//                                         cid and amount
//   GET  /orders                          the web orders and the sales, as the store has them
//
// Run against the sandbox (never against the real services from a demo):
//   cargo run -p crous-till-cli -- sandbox --port 8080 --fixtures my-fixtures.json
//   (fixtures whose partner callback_url is http://127.0.0.1:3000/izlypay/callback and whose
//    esipay return_url is http://127.0.0.1:3000/esipay/return)
//   CROUS_TILL_BASE=http://127.0.0.1:8080 node node/examples/shop-server.mjs
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { randomUUID } from "node:crypto";

const addon = createRequire(import.meta.url)("../index.js");
const base = process.env.CROUS_TILL_BASE ?? "http://127.0.0.1:8080";
const port = Number(process.env.PORT ?? 3000);
const store = process.env.SHOP_STORE ?? "shop.sqlite3";
const fixtures = await (await fetch(`${base}/sandbox/fixtures`)).json();
const partner = fixtures.izly.partners[0];
const shopFixture = fixtures.crous.restaurants[0].tills[1];

// The shop is a point of sale of its own: its tickets go to the Crous like a till's.
const crous = new addon.Crous({ environment: base, pointOfSale: shopFixture.point_of_sale, installationKey: shopFixture.installation_key, software: "shop-server" });
await crous.authenticate();
const till = crous.openTill(store, await crous.referenceData());
const esipay = new addon.Esipay({ environment: base, uuid: fixtures.esipay.enterprises[0].uuid });
till.setIzlyPay(new addon.IzlyPay({ environment: base, appIdentifier: partner.app_identifier, apiKey: partner.api_key }));
till.setEsipay(esipay);
// What a crash left: web orders looked up, card sales settled (those to check wait for a person).
await till.settleOrders();
await till.settle();

const sale = () => ({ versionLogiciel: "shop-server", idLogiciel: 39, idTypeDistribution: 2, soldAt: new Date().toISOString() });
const cart = (url) => [{ codeArticle: Number(url.searchParams.get("article") ?? 100), quantite: Number(url.searchParams.get("quantite") ?? 1) }];
// A visitor's prices; a shop that logs its customers in with IzlyConnect uses their Societe/Tarif.
const visitor = { codeSociete: 8000, tarif: 1 };

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

const write = (res, answer) => res.writeHead(answer.status, answer.headers).end(answer.body);
const json = (res, status, value) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));

const routes = {
  async "POST /orders"(req, res, _body, url) {
    const order = await till.order(
      { clientOrderId: randomUUID(), cart: cart(url), profile: visitor, sale: sale() },
      { redirectUrl: `http://127.0.0.1:${port}/thanks`, message: "Commande en ligne" },
    );
    json(res, order.state === "waiting" ? 201 : 502, order);
  },

  async "POST /izlypay/callback"(req, res, body) {
    const { answer, error } = await till.orderCallback(req.headers, body);
    if (error) console.warn("callback not recorded:", error);
    write(res, answer);
  },

  async "POST /card"(req, res, _body, url) {
    const card = fixtures.esipay.cards[0];
    const sold = await till.sell(
      { cart: cart(url), profile: visitor, method: { type: "esipay" }, sale: sale() },
      { number: card.number, month: 12, year: 2030 },
    );
    await till.pump();
    json(res, 201, sold);
  },

  async "POST /esipay/return"(req, res, body) {
    // esipay calls while `sell` waits for its answer: the pending sale is the one expected.
    const pending = till.unsettled();
    const expected = pending?.method.type === "esipay" ? { cid: pending.reference, amount: String(pending.amount) } : null;
    write(res, esipay.handleReturn(req.headers, body, expected).answer);
  },

  async "GET /orders"(_req, res) {
    json(res, 200, { orders: till.orders(), sales: till.sales(), outbox: till.view() });
  },
};

// Tickets of completed orders go out in the background, retried with backoff by core.
setInterval(() => till.pump().catch((e) => console.warn("pump:", e.code)), 5000).unref();

createServer(async (req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  const route = routes[`${req.method} ${url.pathname}`];
  if (!route) return json(res, 404, { error: "not found" });
  try {
    await route(req, res, await readBody(req), url);
  } catch (e) {
    // CrousTillError: a stable code to branch on, details for the logs.
    json(res, 502, { code: e.code ?? "internal", message: e.message });
  }
}).listen(port, "127.0.0.1", () => console.log(`shop on http://127.0.0.1:${port} (services at ${base})`));
