// The article grid: every article of the reference data at the customer's price (core's
// priceCart on one unit); an article without a price for this profile and day is disabled.
import { formatEuros } from "./money.js";

export function renderGrid(el, { reference, articles, profile, day, onAdd }) {
  el.replaceChildren();
  for (const article of articles) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "article";
    button.dataset.article = String(article.codeArticle);
    let price = null;
    try {
      price = reference.priceCart([{ codeArticle: article.codeArticle, quantite: 1 }], profile, day).totalTtc;
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
