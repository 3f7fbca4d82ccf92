// The web shop page: IzlyConnect login (the back end exchanges the code), an IzlyPay payment on
// Izly's hosted page, back here with ?order=…, and its refund.
import * as api from "./shop-api.js";
import { showError, clearError } from "./errors.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);

function showOrder(details) {
  $("shop-order").hidden = false;
  $("shop-order-id").textContent = details.clientOrderId;
  $("shop-status").textContent = details.status;
  $("shop-status").dataset.status = details.status;
  $("shop-amount-paid").textContent = `(${details.amount} €)`;
  $("shop-refund").hidden = details.status !== "Completed";
  $("shop-refund").onclick = async () => {
    clearError();
    try {
      showOrder({ ...details, ...(await api.refund(details.clientOrderId)) });
    } catch (e) {
      showError(e, "Remboursement");
    }
  };
}

async function main() {
  if (params.has("error")) showError({ code: params.get("error"), message: "La connexion ou le paiement n'a pas abouti." }, "Boutique");
  const u = (await api.me()).user;
  if (!u) {
    $("shop-anonymous").hidden = false;
    document.body.dataset.ready = "true";
    return;
  }
  $("shop-customer").hidden = false;
  $("shop-user").textContent = `Compte Izly ${u.IdIzly ?? u.RightHolderId}, client ${u.CodeClient ?? "?"}, profil ${u.Societe}/${u.Tarif}`;
  $("shop-logout").addEventListener("click", async () => {
    await api.logout();
    location.assign("shop.html");
  });
  $("shop-pay").addEventListener("click", async () => {
    clearError();
    try {
      const started = await api.startPayment($("shop-amount").value.trim());
      location.assign(started.paymentUrl); // Izly's hosted payment page
    } catch (e) {
      showError(e, "Paiement");
    }
  });
  if (params.has("order")) showOrder(await api.payment(params.get("order")));
  document.body.dataset.ready = "true";
}

main().catch((e) => showError(e, "Boutique"));
