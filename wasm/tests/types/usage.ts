// Type-checked (tsc --strict, never run): a till written against the package's TypeScript types.
// It fails to compile when a generated signature loses its type (becomes `any`) or drifts from
// the shapes a till relies on.
import init, {
  Reference, Crous, IzlyPos, Esipay, checkTicketShape,
  type ReferenceData, type PricedCart, type BuiltTicket, type CheckReport, type TicketDelivery,
  type QrCodeHolder, type IzlyDebit, type IzlyCustomer, type VatTotal, type CrousTillError, type Payment,
  openIndexedDbOutboxStore, openTillKey, type TillSigner, type ExportedArchiveFile, type ZReport, type SaleRecord, type PaymentOrder, type PaymentOutcome, type QueueView, type Ticket,
} from "../../pkg/crous_till.js";

// `IsAny<T>` is true only for `any`: used below to refuse an `any` sneaking into a result type.
type IsAny<T> = 0 extends 1 & T ? true : false;
function notAny<T>(_value: T, _proof: IsAny<T> extends true ? never : true): void {}

export async function sale(data: ReferenceData, qrText: string): Promise<number> {
  await init();
  const reference = new Reference(data);
  const crous = new Crous({ environment: "http://127.0.0.1:8700", pointOfSale: "5-1-9-8-14", installationKey: "k", software: "t" });
  const downloaded: Reference = await crous.referenceData();
  notAny(downloaded, true);
  const caisse = await crous.caisse();
  notAny(caisse, true);
  const izly = new IzlyPos({ environment: "http://127.0.0.1:8700", pointOfSale: "5-1-9-8-14", key: caisse.cleAuthentificationIzly });
  const holder: QrCodeHolder = await izly.searchQrCode(qrText);
  notAny(holder, true);
  const priced: PricedCart = reference.priceCart([{ codeArticle: 100, quantite: "1" }], holder.profile, "2026-11-23");
  notAny(priced, true);
  const draft: BuiltTicket = reference.buildTicket({
    numbering: { lastIdTicketEntete: 0, day: null, daySequence: 0 },
    sale: { versionLogiciel: "t", idLogiciel: 1, idTypeDistribution: 1, soldAt: "2026-11-23T12:00:00+01:00" },
    pricedCart: priced,
    payment: { type: "carteBancaire" },
  });
  const id: string | undefined = draft.ticket.idTicketEntete;
  const paid: IzlyDebit = await izly.debitQrCode({ qrCode: qrText, amount: priced.totalTtc, idTicketEntete: id ?? "" });
  const customer: IzlyCustomer = { ...holder.customer, soldeClient: paid.debit.Balance };
  const payment: Payment = { type: "izlyQrCode", qrCode: qrText, idTransactionIzly: paid.debit.IdTransactionIzly };
  const built = reference.buildTicket({ numbering: draft.numbering, sale: { versionLogiciel: "t", idLogiciel: 1, idTypeDistribution: 2, soldAt: "2026-11-23T12:00:00Z" }, pricedCart: priced, customer, payment });
  const report: CheckReport = reference.checkTicket(built.ticket);
  const shape: CheckReport = checkTicketShape(built.ticket);
  const vat: VatTotal[] = reference.vatTotals(built.ticket);
  notAny(vat, true);
  try {
    const delivered: TicketDelivery = await crous.sendTicket(built.ticket, reference);
    if (delivered.outcome === "duplicate") return 0;
  } catch (e) {
    const err = e as CrousTillError;
    if (err.code.startsWith("network.")) return -1;
  }
  await new Esipay({ environment: "http://127.0.0.1:8700", uuid: "u" }).pay({ cid: "cid", card: { number: "4970100000000014", month: 12, year: 2030 }, amount: 1 });
  return report.violations.length + shape.violations.length;
}

/** A browser till selling through the sale engine (core's Till over IndexedDB). */
export async function engine(crous: Crous, reference: Reference, izly: IzlyPos, esipay: Esipay): Promise<SaleRecord> {
  const till = await crous.openTill(await openIndexedDbOutboxStore("5-1-9-8-14"), reference);
  till.setIzly(izly);
  till.setEsipay(esipay);
  const settled: SaleRecord[] = await till.settle();
  const sale = { versionLogiciel: "1.0", idLogiciel: 39, idTypeDistribution: 1 as const, soldAt: "2026-11-23T12:05:00+01:00" };
  const order: PaymentOrder = await till.begin({ cart: [{ codeArticle: 100, quantite: 1 }], profile: { codeSociete: 10, tarif: 1 },
    method: { type: "izlyQrCode", qrCode: "AIZ;…" }, sale });
  const outcome: PaymentOutcome = await till.pay(order.idTicketEntete, null);
  notAny(outcome, true);
  const recorded: SaleRecord = await till.record(order.idTicketEntete, outcome);
  const byCard = await till.sell({ cart: [{ codeArticle: 200, quantite: 1 }], profile: { codeSociete: 8000, tarif: 1 },
    method: { type: "esipay" }, sale }, { number: "4970100000000014", month: 12, year: 2030 });
  if (byCard.state === "toCheck") await till.resolve(byCard.idTicketEntete, { resolution: "paid", transaction: null });
  const ticket: Ticket | null = till.ticket(recorded.idTicketEntete);
  const view: QueueView = await till.pump();
  notAny(view, true);
  const signer: TillSigner = await openTillKey();
  await till.close("2026-11-23", signer);
  const archive: ExportedArchiveFile = await till.exportArchive(signer);
  notAny(archive.file, true);
  notAny(archive.events, true);
  await till.shutdown();
  const reports: ZReport[] = await till.zReports();
  notAny(reports[0]?.totals.totalTtc, true);
  return settled[0] ?? (ticket ? recorded : byCard);
}
