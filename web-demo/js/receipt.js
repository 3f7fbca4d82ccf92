// The receipt: the ticket's lines, HT / TVA / TTC per rate (the package's vatTotals), the payment
// and whether the Crous API has the ticket yet (else it waits in the outbox).
import { formatEuros } from "./money.js";

const cell = (tag, text, cls) => {
  const el = document.createElement(tag);
  el.textContent = text;
  if (cls) el.className = cls;
  return el;
};

export function renderReceipt(el, { ticket, lines: priced, vat, paidWith, delivered, refused, lastError }, articles) {
  const names = new Map(articles.map((a) => [a.codeArticle, a.libelle]));
  el.hidden = false;
  el.replaceChildren();
  el.dataset.idTicketEntete = ticket.idTicketEntete;
  el.append(cell("h2", `Ticket n° ${ticket.numeroTicket}`));
  const lines = document.createElement("ul");
  ticket.listeLignes.forEach((l, i) => {
    const s = priced?.[i]?.subvention;
    const subsidy = s ? ` (${formatEuros(s.prixUnitaireAvantSubventionTtc)} dont subvention ${formatEuros(s.montantUnitaire)})` : "";
    lines.append(cell("li", `${l.quantite} × ${names.get(l.codeArticle) ?? l.codeArticle} : ${formatEuros(l.totalTtc)}${subsidy}`));
  });
  el.append(lines);
  const table = document.createElement("table");
  table.className = "vat";
  const head = document.createElement("tr");
  for (const h of ["TVA", "HT", "TVA", "TTC"]) head.append(cell("th", h));
  table.append(head);
  for (const v of vat) {
    const row = document.createElement("tr");
    row.className = "vat-row";
    row.dataset.codeTva = String(v.codeTva);
    row.append(cell("td", v.taux === null ? `code ${v.codeTva}` : `${v.taux} %`), cell("td", formatEuros(v.totalHt), "ht"),
      cell("td", formatEuros(v.totalTva), "tva"), cell("td", formatEuros(v.totalTtc), "ttc"));
    table.append(row);
  }
  el.append(table);
  const total = ticket.listeReglements[0].montant; // exactly one payment (specs 001)
  el.append(cell("p", `Total TTC : ${formatEuros(total)}`, "receipt-total"));
  el.append(cell("p", `Payé par ${paidWith}`, "paid-with"));
  const status = delivered
    ? "Ticket transmis au Crous"
    : refused
      ? `Ticket refusé par le Crous (${lastError?.code ?? "?"}), gardé dans la file`
      : `Ticket enregistré, envoi en attente (${lastError?.code ?? "file"})`;
  const p = cell("p", status, "delivery");
  p.dataset.outcome = delivered ? "delivered" : refused ? "refused" : "queued";
  el.append(p);
}
