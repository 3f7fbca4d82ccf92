// The tray as priced by core (PricedCart): lines, quantities, subsidies, the entry fee core
// adds (not removable by hand), total TTC.
import { formatEuros } from "./money.js";

export function renderTray(el, totalEl, priced, onRemove) {
  el.replaceChildren();
  for (const line of priced?.lines ?? []) {
    const row = document.createElement("li");
    row.dataset.article = String(line.codeArticle);
    const text = document.createElement("span");
    const subsidy = line.subvention ? ` (dont subvention ${formatEuros(line.subvention.montantUnitaire)})` : "";
    text.textContent = `${line.quantite} × ${line.libelle} à ${formatEuros(line.prixUnitaireTtc)}${subsidy}`;
    const total = document.createElement("span");
    total.className = "line-total";
    total.textContent = formatEuros(line.totalTtc);
    const minus = document.createElement("button");
    minus.type = "button";
    minus.textContent = "−";
    minus.title = "Retirer un";
    minus.addEventListener("click", () => onRemove(line.codeArticle));
    row.append(text, total);
    if (line.droitEntree) row.dataset.fee = String(line.droitEntree.codeDroitEntree);
    else row.append(minus);
    el.append(row);
  }
  totalEl.textContent = formatEuros(priced?.totalTtc ?? 0);
  totalEl.dataset.total = String(priced?.totalTtc ?? 0);
}
