// The article grid: every article of the reference data at the customer's price (core's
// priceCart on one unit: that line's price, subsidy deducted, without the entry fee core adds);
// an article without a price for this profile and day is disabled. Entry-fee articles are not
// sold by hand: core adds them.
import { formatEuros } from "./money.js";

export function renderGrid(el, { reference, articles, fees, profile, day, onAdd }) {
  el.replaceChildren();
  const feeArticles = new Set(fees.map((f) => f.codeArticle));
  for (const article of articles.filter((a) => !feeArticles.has(a.codeArticle))) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "article";
    button.dataset.article = String(article.codeArticle);
    let price = null;
    try {
      price = reference.priceCart([{ codeArticle: article.codeArticle, quantite: 1 }], profile, day).lines[0].totalTtc;
    } catch (e) {
      button.disabled = true;
      button.title = e.code ?? String(e);
    }
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = article.libelle;
    const cost = document.createElement("span");
    cost.className = "price";
    cost.textContent = price === null ? "—" : formatEuros(price);
    button.append(name, cost);
    button.addEventListener("click", () => onAdd(article.codeArticle));
    el.append(button);
  }
}
