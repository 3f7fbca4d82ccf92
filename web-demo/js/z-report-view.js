// The Z report of the latest closure (core's ZReport, from `till.zReports()`): totals per VAT
// code and per payment method, the ticket range, the grand total, the closure's hash, and the
// day's sales per hour as a bar chart. Display only: amounts are core's exact decimal strings.
import { formatEuros } from "./money.js";

const PAYMENTS = { 4: "Carte bancaire", 9: "Izly", 12: "Fidélité" };
const SVG = "http://www.w3.org/2000/svg";

function cell(row, text, tag = "td") {
  const c = document.createElement(tag);
  c.textContent = text;
  row.append(c);
}

function table(headers, rows) {
  const t = document.createElement("table");
  const head = t.createTHead().insertRow();
  for (const h of headers) cell(head, h, "th");
  const body = t.createTBody();
  for (const r of rows) {
    const row = body.insertRow();
    for (const value of r) cell(row, value);
  }
  return t;
}

function chart(byHour) {
  const svg = document.createElementNS(SVG, "svg");
  const bar = 28, gap = 6, height = 90;
  svg.setAttribute("viewBox", `0 0 ${byHour.length * (bar + gap)} ${height + 18}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "Ventes par heure");
  svg.classList.add("chart");
  const max = Math.max(...byHour.map((h) => Number(h.totalTtc)), 0);
  byHour.forEach((h, i) => {
    // A drawing: the bar's height only, never an amount shown or added up.
    const tall = max > 0 ? Math.round((Number(h.totalTtc) / max) * height) : 0;
    const rect = document.createElementNS(SVG, "rect");
    for (const [k, v] of Object.entries({ x: i * (bar + gap), y: height - tall, width: bar, height: tall })) rect.setAttribute(k, v);
    const title = document.createElementNS(SVG, "title");
    title.textContent = `${h.hour}h : ${h.tickets} ticket(s), ${formatEuros(h.totalTtc)}`;
    rect.append(title);
    const label = document.createElementNS(SVG, "text");
    label.setAttribute("x", i * (bar + gap) + bar / 2);
    label.setAttribute("y", height + 14);
    label.textContent = `${h.hour}h`;
    svg.append(rect, label);
  });
  return svg;
}

export function renderZReport(el, report) {
  el.replaceChildren();
  el.hidden = !report;
  if (!report) return;
  const title = document.createElement("h3");
  title.textContent = `Rapport Z — ${report.period}`;
  const range = document.createElement("p");
  range.textContent = report.firstTicket ? `Tickets n° ${report.firstTicket} à ${report.lastTicket} (${report.totals.ticketCount})` : "Aucun ticket";
  const vat = table(["TVA", "HT", "TVA", "TTC"], [
    ...report.totals.vat.map((v) => [`code ${v.codeTva}`, formatEuros(v.totalHt), formatEuros(v.totalTva), formatEuros(v.totalTtc)]),
    ["Total", formatEuros(report.totals.totalHt), formatEuros(report.totals.totalTva), formatEuros(report.totals.totalTtc)],
  ]);
  const payments = table(["Règlement", "Nombre", "Montant"],
    report.totals.payments.map((p) => [PAYMENTS[p.codeReglement] ?? `Règlement ${p.codeReglement}`, String(p.count), formatEuros(p.montant)]));
  const grand = document.createElement("p");
  grand.textContent = `Grand total perpétuel : ${formatEuros(report.grandTotal.totalTtc)} (${report.grandTotal.ticketCount} tickets)`;
  const hash = document.createElement("p");
  hash.className = "hash";
  hash.textContent = `Clôture n° ${report.closureSequence}, empreinte ${report.closureHash}, ${report.closureSignature ? "signée par la clé de la caisse" : "non signée"}`;
  el.append(title, range, vat, payments, chart(report.byHour), grand, hash);
  el.dataset.totalTtc = report.totals.totalTtc;
}
