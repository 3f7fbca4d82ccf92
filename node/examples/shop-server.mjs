// A web shop's server with node:http and the crous-till addon: it starts IzlyPay payments and
// receives the two server-to-server calls a shop must handle:
//
//   POST /izlypay/callback   IzlyPay's callback (unsigned: confirmed with GET WebPayments/{id})
//   POST /esipay/return      esipay's return URL (answer 200 only for our payment and amount)
//   POST /orders?amount=3.30 starts an IzlyPay payment, answers the page to send the customer to
//   POST /card?amount=12.50  pays by card through esipay (test card of the sandbox)
//
// Run against the sandbox (never against the real services from a demo):
//   cargo run -p crous-till-cli -- sandbox --port 8080 --fixtures my-fixtures.json
//   (fixtures whose partner callback_url is http://127.0.0.1:3000/izlypay/callback and whose
//    esipay return_url is http://127.0.0.1:3000/esipay/return)
//   CROUS_TILL_BASE=http://127.0.0.1:8080 node node/examples/shop-server.mjs
//
// Orders live in a Map here; a real shop keeps them in its database.
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { randomUUID } from "node:crypto";

const addon = createRequire(import.meta.url)("../crous_till.node");
const base = process.env.CROUS_TILL_BASE ?? "http://127.0.0.1:8080";
const port = Number(process.env.PORT ?? 3000);
const fixtures = await (await fetch(`${base}/sandbox/fixtures`)).json();
const partner = fixtures.izly.partners[0];

const izlyPay = new addon.IzlyPay({ environment: base, appIdentifier: partner.app_identifier, apiKey: partner.api_key });
const esipay = new addon.Esipay({ environment: base, uuid: fixtures.esipay.enterprises[0].uuid });
/** clientOrderId / cid → { amount, paid } */
const orders = new Map();

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
  async "POST /izlypay/callback"(req, res, body) {
    // Find the order the body names (without trusting it), then let the addon confirm it.
    let expected = { clientOrderId: "", amount: 0 };
    try {
      const id = izlyPay.parseCallback(req.headers, body).OperationSMoney.ClientOrderId;
      if (orders.has(id)) expected = { clientOrderId: id, amount: orders.get(id).amount };
    } catch {
      // Unreadable: confirmCallback answers 400.
    }
    const outcome = await izlyPay.confirmCallback(req.headers, body, expected);
    if (outcome.confirmed) orders.get(expected.clientOrderId).paid = true;
    else console.warn("callback refused:", outcome.error);
    write(res, outcome.answer);
  },

  async "POST /esipay/return"(req, res, body) {
    let cid = null;
    try {
      cid = esipay.parseReturn(req.headers, body).cid;
    } catch {
      // Unreadable: handleReturn answers 400.
    }
    const expected = orders.has(cid) ? { cid, amount: orders.get(cid).amount } : null;
    const outcome = esipay.handleReturn(req.headers, body, expected);
    if (outcome.accepted) orders.get(cid).paid = true;
    write(res, outcome.answer);
  },

  async "POST /orders"(req, res, _body, url) {
    const clientOrderId = randomUUID();
    const amount = url.searchParams.get("amount") ?? "3.30";
    orders.set(clientOrderId, { amount, paid: false });
    const started = await izlyPay.init({ amount, clientOrderId, message: `Commande ${clientOrderId}` });
    json(res, 201, { clientOrderId, pay: started.PaymentAuthorizationUrl });
  },

  async "POST /card"(req, res, _body, url) {
    const cid = randomUUID();
    const amount = url.searchParams.get("amount") ?? "12.50";
    orders.set(cid, { amount, paid: false });
    const paid = await esipay.pay({ cid, card: fixtures.esipay.cards[0].number, month: 12, year: 2030, amount });
    json(res, 201, { cid, card: paid.card, paid: orders.get(cid).paid });
  },
};

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
