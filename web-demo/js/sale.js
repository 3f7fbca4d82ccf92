// One sale, in the order that loses nothing: price → ticket number, saved → payment (referenced by
// that number) → ticket built → enqueued in the outbox (stored before sending) → pumped.
import { now } from "./clock.js";
import { loadNumbering, saveNumbering } from "./numbering.js";
import { takePayment } from "./payment.js";

export async function sell({ config, reference, outbox, izly, esipay, tray, customer, method, bankCard }) {
  const { day, soldAt } = now();
  const pointOfSale = config.pointOfSale;
  const pricedCart = reference.priceCart(tray.cart, customer.profile, day);
  const numbering = loadNumbering(pointOfSale);
  const sale = { versionLogiciel: config.software, idLogiciel: config.idLogiciel, idTypeDistribution: 1, soldAt };
  // The ticket's number first: it is the payment's reference (the Izly debit's IdTicketEntete).
  // It is saved before paying, so that no later sale can reuse the reference of a debit already
  // made (an Izly debit is idempotent by reference); a refused payment leaves a gap instead.
  const draft = reference.buildTicket({ numbering, sale, pricedCart, payment: { type: "carteBancaire" } });
  const idTicketEntete = draft.ticket.idTicketEntete;
  saveNumbering(pointOfSale, draft.numbering);
  const paid = await takePayment(method, {
    izly, esipay, customer, bankCard,
    amount: pricedCart.totalTtc,
    idTicketEntete,
    cid: `${pointOfSale}-${draft.ticket.numeroTicket}-${idTicketEntete}`,
  });
  const built = reference.buildTicket({ numbering, sale, pricedCart, payment: paid.payment, customer: paid.customer });
  saveNumbering(pointOfSale, built.numbering);
  await outbox.enqueue(built.ticket);
  const view = await outbox.pump();
  // Sent strictly in order: nothing left waiting means this ticket (the newest) was delivered.
  const refused = view.refusedTickets.some((t) => t.idTicketEntete === idTicketEntete);
  const delivered = !refused && view.pending + view.sending === 0;
  return { ticket: built.ticket, lines: pricedCart.lines, vat: reference.vatTotals(built.ticket), paidWith: paid.receipt, delivered, refused, lastError: view.lastError };
}
