// One bank-card sale through the published API, as a till vendor writes it: the Crous reference
// data, the sale engine's Till on the package's store, esipay, the ticket delivered by the pump.
// Every entry of this project (Node require and import, the wasm package in Node, the Vite app)
// runs this same function with the package it loaded.

/**
 * @param pkg    the package's exports (crous-till-node or crous-till-wasm)
 * @param store  where the till is kept: a SQLite path (Node) or an IndexedDB store (wasm)
 * @param config `{ base, pointOfSale, installationKey, uuid, card }` of the sandbox
 */
export async function sell(pkg, store, config) {
  const crous = new pkg.Crous({
    environment: config.base,
    pointOfSale: config.pointOfSale,
    installationKey: config.installationKey,
    software: "installed-package test",
  });
  const reference = await crous.referenceData();
  const till = await crous.openTill(await store(config.pointOfSale), reference);
  till.setEsipay(new pkg.Esipay({ environment: config.base, uuid: config.uuid }));
  const sale = { versionLogiciel: "0.1.0", idLogiciel: 39, idTypeDistribution: 1, soldAt: "2026-11-23T12:05:00+01:00" };
  const order = await till.begin({
    cart: [{ codeArticle: 100, quantite: 2 }],
    profile: { codeSociete: 8000, tarif: 1 },
    method: { type: "esipay" },
    sale,
  });
  const outcome = await till.pay(order.idTicketEntete, config.card);
  const recorded = await till.record(order.idTicketEntete, outcome);
  const pumped = await till.pump();
  return { version: pkg.version(), idTicketEntete: recorded.idTicketEntete, amount: recorded.amount, state: recorded.state, delivered: pumped.delivered };
}
