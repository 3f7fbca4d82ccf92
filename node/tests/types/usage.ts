// A shop back end and a till back end written against node/index.d.ts: `tsc --strict` must accept
// it (scripts/build-node-addon.sh runs it), and every value below has a real type (no `any`).
import { Crous, Esipay, IzlyConnect, IzlyPay, IzlyPos, Reference, TillKey, checkTicketShape, openTillKey } from "../../index";
import type {
  BuiltTicket, CrousTillError, ExportedArchiveFile, SaleRecord, PaymentOrder, PaymentOutcome, QueueView, EsipayReturnOutcome, HttpAnswer, IncomingHeaders, IzlyPayCallbackOutcome, QrCodeHolder, TicketDelivery,
} from "../../index";

const environment = "http://127.0.0.1:8080";
export const seen: string[] = [];
const retry = { maxAttempts: 3, timeoutMs: 5000 };

export async function shop(headers: IncomingHeaders, body: Uint8Array): Promise<HttpAnswer> {
  const pay = new IzlyPay({ environment, appIdentifier: "sandbox-shop", apiKey: "k", retry });
  const started = await pay.init({ amount: "3.30", clientOrderId: "A1", software: 39 });
  const url: string = started.PaymentAuthorizationUrl;
  const amount = started.OperationSMoney.Amount; // an exact decimal string
  const named: string | null = pay.parseCallback(headers, body).OperationSMoney.ClientOrderId;
  const outcome: IzlyPayCallbackOutcome = await pay.confirmCallback(headers, body, { clientOrderId: named ?? "", amount });
  if (!outcome.confirmed && outcome.error) seen.push(outcome.error.code, url);
  const refund = await pay.refund(started.OperationSMoney.Id, "A1");
  seen.push(refund.OperationStatus);

  const connect = new IzlyConnect({ environment, clientId: "sandbox-shop", apiKey: "k" });
  const token = await connect.tokenFromCode("code");
  const user = await connect.user(token.access_token);
  seen.push(connect.authorizeUrl("1", "state"), user.IdIzly ?? "");

  const esipay = new Esipay({ environment, uuid: "u" });
  const paid = await esipay.pay({ cid: "c1", card: { number: "4970100000000014", month: 12, year: 2030 }, amount: 12.5 });
  const back: EsipayReturnOutcome = esipay.handleReturn(headers, body, { cid: paid.cid, amount: paid.amount });
  await esipay.partialRefund(back.notification?.transaction ?? "", "1.00");
  return back.answer;
}

export async function till(installationKey: string, qr: string): Promise<BuiltTicket> {
  const crous = new Crous({ environment, pointOfSale: "5-1-9-8-14", installationKey, software: "39" });
  await crous.authenticate();
  const reference: Reference = await crous.referenceData();
  const pos = new IzlyPos({ environment, key: (await crous.caisse()).cleAuthentificationIzly, pointOfSale: "5-1-9-8-14" });
  const holder: QrCodeHolder = await pos.searchQrCode(qr);
  const pricedCart = reference.priceCart([{ codeArticle: 100, quantite: 1 }], holder.profile, "2026-11-23");
  const debit = await pos.debitQrCode({ qrCode: qr, amount: pricedCart.totalTtc, idTicketEntete: "1" });
  const built = reference.buildTicket({
    numbering: { lastIdTicketEntete: 0, day: null, daySequence: 0 },
    sale: { versionLogiciel: "1.0", idLogiciel: 39, idTypeDistribution: 1, soldAt: "2026-11-23T12:05:00+01:00" },
    pricedCart,
    customer: holder.customer,
    payment: { type: "izlyQrCode", qrCode: qr, idTransactionIzly: debit.debit.IdTransactionIzly },
  });
  if (checkTicketShape(built.ticket).violations.length > 0) throw new Error("invalid");
  const delivery: TicketDelivery = await crous.sendTicket(built.ticket, reference, { versCommandeEnLigne: false });
  if (delivery.outcome !== "accepted" && delivery.outcome !== "duplicate") throw new Error("unreachable");
  return built;
}

/** A till back end selling through the sale engine (core's Till over SQLite). */
export async function engine(installationKey: string, card: { idSupport: string; numeroApplicatif: string }): Promise<SaleRecord> {
  const crous = new Crous({ environment, pointOfSale: "5-1-9-8-14", installationKey, software: "39" });
  await crous.authenticate();
  const reference: Reference = await crous.referenceData();
  const till = crous.openTill("/tmp/till.sqlite3", reference);
  till.setIzly(new IzlyPos({ environment, key: (await crous.caisse()).cleAuthentificationIzly, pointOfSale: "5-1-9-8-14" }));
  till.setEsipay(new Esipay({ environment, uuid: "u" }));
  const settled: SaleRecord[] = await till.settle();
  const sale = { versionLogiciel: "1.0", idLogiciel: 39, idTypeDistribution: 1 as const, soldAt: "2026-11-23T12:05:00+01:00" };
  const order: PaymentOrder = await till.begin({ cart: [{ codeArticle: 100, quantite: 1 }], profile: { codeSociete: 10, tarif: 1 },
    method: { type: "izlyCard", ...card }, sale });
  const outcome: PaymentOutcome = await till.pay(order.idTicketEntete, null);
  const recorded: SaleRecord = await till.record(order.idTicketEntete, outcome);
  if (recorded.state === "voided") seen.push(recorded.code);
  const byCard = await till.sell({ cart: [{ codeArticle: 200, quantite: 2 }], profile: { codeSociete: 8000, tarif: 1 },
    method: { type: "esipay" }, sale }, { number: "4970100000000014", month: 12, year: 2030 });
  if (byCard.state === "toCheck") till.resolve(byCard.idTicketEntete, { resolution: "notPaid" });
  const view: QueueView = await till.pump();
  seen.push(String(view.pending), String(settled.length), String(till.sales().length), till.unsettled()?.reference ?? "");
  const key: TillKey = openTillKey("/tmp/till.key");
  await till.close("2026-11-23", key);
  const archive: ExportedArchiveFile = await till.exportArchive(key);
  seen.push(archive.publicKey, archive.file, String(archive.entries + archive.closures + archive.events), key.publicKeyHex);
  await till.shutdown();
  return byCard;
}
