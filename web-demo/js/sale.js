// One sale, as the package's Till (core's sale engine) makes it: the page only says what was
// rung up, who pays and how. Numbering, the payment, its outcome and the ticket are core's, kept
// in IndexedDB in the same transactions as the outbox.
import { now } from "./clock.js";

function paymentMethod(method, customer) {
  if (method === "bankCard") return { type: "esipay" };
  if (customer.kind === "qr") return { type: "izlyQrCode", qrCode: customer.qrText };
  if (customer.kind === "card") return { type: "izlyCard", idSupport: customer.card.idSupport, numeroApplicatif: customer.card.numeroApplicatif };
  throw Object.assign(new Error("Izly needs the customer's QR code or card first"), { code: "till.no_izly_customer" });
}

/** The sale as it ended: completed, voided (the payment declined), toCheck, or paymentPending. */
export function sell({ config, till, tray, customer, method, bankCard }) {
  const input = {
    cart: tray.cart,
    profile: customer.profile,
    customer: customer.customer ?? null,
    method: paymentMethod(method, customer),
    sale: { versionLogiciel: config.software, idLogiciel: config.idLogiciel, idTypeDistribution: 1, soldAt: now().soldAt },
  };
  return till.sell(input, method === "bankCard" ? bankCard : null);
}

/** How a completed sale was paid, for the receipt. */
export function paidWith(sale) {
  const p = sale.payment;
  if (p.type === "esipay") return "Carte bancaire (esipay)";
  if (sale.method.type === "izlyCard") return `Izly (carte ${sale.method.idSupport}), transaction ${p.idTransactionIzly}`;
  return `Izly (QR code), transaction ${p.idTransactionIzly}`;
}
