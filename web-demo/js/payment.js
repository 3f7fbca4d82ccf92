// Taking the payment of a sale through the package's clients; answers the ticket's Payment and,
// for Izly, its customer fields. Amounts go to the package as core priced them.

/** Izly by QR code: the debit of the account behind the (single-use) code. */
async function izlyQrCode({ izly, customer, amount, idTicketEntete }) {
  const { debit } = await izly.debitQrCode(customer.qrText, amount, idTicketEntete);
  return {
    payment: { type: "izlyQrCode", qrCode: customer.qrText, idTransactionIzly: debit.IdTransactionIzly },
    customer: { ...customer.customer, soldeClient: debit.Balance },
    receipt: `Izly (QR code), transaction ${debit.IdTransactionIzly}`,
  };
}

/** Izly by card: the debit by idSupport + numeroApplicatif from the card's ZDC. */
async function izlyCard({ izly, customer, amount, idTicketEntete }) {
  const { debit } = await izly.debitCard(customer.card, amount, idTicketEntete);
  return {
    payment: { type: "izlyCard", ...customer.card, idTransactionIzly: debit.IdTransactionIzly },
    customer: { ...customer.customer, codeClient: debit.CodeClient ?? customer.customer.codeClient, soldeClient: debit.Balance },
    receipt: `Izly (carte ${customer.card.idSupport}), transaction ${debit.IdTransactionIzly}`,
  };
}

/** Bank card through esipay; `cid` is the merchant's payment id (the ticket's). */
async function bankCard({ esipay, bankCard: card, amount, cid }) {
  await esipay.pay(cid, card, amount);
  return { payment: { type: "carteBancaire" }, customer: null, receipt: "Carte bancaire (esipay)" };
}

export async function takePayment(method, context) {
  if (method === "izly") {
    if (context.customer.kind === "qr") return izlyQrCode(context);
    if (context.customer.kind === "card") return izlyCard(context);
    throw Object.assign(new Error("Izly needs the customer's QR code or card first"), { code: "till.no_izly_customer" });
  }
  if (method === "bankCard") return bankCard(context);
  throw Object.assign(new Error(`unknown payment method ${method}`), { code: "till.unknown_method" });
}
