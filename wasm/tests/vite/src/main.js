// What a till vendor's Vite app does first: import the package, initialise it, price a tray.
import init, { Reference, version } from "crous-till-wasm";

await init();
const reference = new Reference({
  tva: [{ codeTva: 1, taux: 10 }],
  articles: [{ codeArticle: 100, libelle: "Repas", codeTva: 1 }],
  periodes: [{ idPeriode: 1, dateDebut: "2026-09-01" }],
  articlesSocietesTarifsPeriodes: [{ codeArticle: 100, codeSociete: 10, tarif: 1, idPeriode: 1, prixTtc: "3.30" }],
});
const priced = reference.priceCart([{ codeArticle: 100, quantite: 1 }], { codeSociete: 10, tarif: 1 }, "2026-11-23");
document.body.textContent = `crous-till ${version()}: ${priced.totalTtc} €`;
