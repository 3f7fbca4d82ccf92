// A sale to check: its bank-card payment's answer was lost (the page closed, the network cut), and
// esipay has no look-up, so the cashier checks the esipay back office and says whether the card
// was charged. The till sells again once it is answered.
import { formatEuros } from "./money.js";

export function renderCheck(el, sale, onAnswer) {
  el.hidden = !sale || sale.state !== "toCheck";
  if (el.hidden) return;
  el.dataset.idTicketEntete = sale.idTicketEntete;
  el.querySelector(".check-text").textContent =
    `Vente n° ${sale.numeroTicket} (${formatEuros(sale.amount)}, paiement ${sale.reference}) : le paiement par carte n'a pas pu être confirmé (${sale.code}). Vérifiez-le dans esipay.`;
  el.querySelector("#check-paid").onclick = () => onAnswer({ resolution: "paid" });
  el.querySelector("#check-not-paid").onclick = () => onAnswer({ resolution: "notPaid" });
}
