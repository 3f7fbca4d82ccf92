// The till page: wires the package, the sandbox's services and the card bridge to the UI.
import { ready, Reference, CrousClient, IzlyPosClient, EsipayClient } from "./package.js";
import { loadConfig } from "./config.js";
import { showError, clearError } from "./errors.js";
import { now } from "./clock.js";
import { Tray } from "./tray.js";
import { renderGrid } from "./grid.js";
import { renderTray } from "./tray-view.js";
import { anonymous, byQrCode, byCard, refusedCard } from "./customer.js";
import { renderCustomer } from "./customer-view.js";
import { startCardReader } from "./card-reader.js";
import { startIzlyApp } from "./izly-app.js";
import { sell } from "./sale.js";
import { renderReceipt } from "./receipt.js";
import { openOutbox } from "./outbox.js";
import { renderQueue } from "./queue-view.js";

const $ = (id) => document.getElementById(id);
const state = { tray: new Tray(), customer: anonymous() };

function render() {
  const { reference, data } = state;
  const day = now().day;
  renderGrid($("articles"), { reference, articles: data.articles ?? [], fees: data.droitsEntree ?? [], profile: state.customer.profile, day, onAdd: (code) => {
    state.tray.add(code);
    render();
  } });
  let priced = null;
  if (!state.tray.empty) {
    try {
      priced = reference.priceCart(state.tray.cart, state.customer.profile, day);
    } catch (e) {
      showError(e, "Prix");
    }
  }
  renderTray($("tray"), $("total"), priced, (code) => {
    state.tray.removeOne(code);
    render();
  });
  renderCustomer({ label: $("customer-label"), means: $("customer-means"), select: $("profile"), profiles: data.societesTarifs ?? [] },
    state.customer, (profile) => {
      state.customer = { ...state.customer, profile };
      render();
    });
  $("pay-izly").disabled = $("pay-card").disabled = state.tray.empty || !!state.busy;
}

function setCustomer(customer) {
  state.customer = customer;
  clearError();
  render();
}

/** A tapped card: its holder at Izly, or a visitor when Izly refuses it (the error says why). */
async function identifyCard(read) {
  try {
    setCustomer(await byCard(state.izly, read));
  } catch (e) {
    setCustomer(refusedCard(e));
    showError(e, "Carte");
  }
}

async function pay(method) {
  clearError();
  state.busy = true;
  render();
  $("receipt").hidden = true;
  try {
    const bankCard = { number: $("bank-card-number").value.replace(/\s/g, ""), month: Number($("bank-card-month").value), year: Number($("bank-card-year").value) };
    const result = await sell({ ...state, method, bankCard });
    renderReceipt($("receipt"), result, state.data.articles ?? []);
    state.tray.clear();
    state.customer = anonymous();
    $("qr-text").value = "";
  } catch (e) {
    showError(e, "Paiement");
  } finally {
    state.busy = false;
    render();
  }
}

async function main() {
  await ready;
  const config = (state.config = await loadConfig());
  $("till-label").textContent = `${config.tillLabel} (${config.pointOfSale})`;
  state.crous = new CrousClient({ baseUrl: config.crousBaseUrl, pointOfSale: config.pointOfSale, installationKey: config.installationKey, software: config.software });
  state.data = await state.crous.referenceData();
  state.reference = new Reference(state.data);
  const { cleAuthentificationIzly } = await state.crous.caisse();
  state.izly = new IzlyPosClient({ baseUrl: config.izlyPosBaseUrl, pointOfSale: config.pointOfSale, izlyKey: cleAuthentificationIzly });
  state.esipay = new EsipayClient({ baseUrl: config.esipayBaseUrl, uuid: config.esipayUuid });
  state.outbox = await openOutbox({ crous: state.crous, reference: state.reference, pointOfSale: config.pointOfSale,
    onView: (view) => renderQueue($("queue"), view), onError: (e) => showError(e, "File des tickets") });
  const testCard = config.esipayTestCards?.[0];
  if (testCard) $("bank-card-number").value = testCard.number;
  $("bank-card-year").value = String(new Date().getFullYear() + 2);

  $("qr-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError();
    try {
      setCustomer(await byQrCode(state.izly, $("qr-text").value.trim()));
    } catch (e) {
      showError(e, "QR code");
    }
  });
  $("customer-clear").addEventListener("click", () => setCustomer(anonymous()));
  $("tray-clear").addEventListener("click", () => {
    state.tray.clear();
    render();
  });
  $("pay-izly").addEventListener("click", () => pay("izly"));
  $("pay-card").addEventListener("click", () => pay("bankCard"));
  startIzlyApp({ select: $("izly-account"), button: $("mint-qr"), accounts: config.izlyAccounts ?? [],
    onQrCode: (text) => ($("qr-text").value = text), onError: (e) => showError(e, "Appli Izly") });
  render();
  document.body.dataset.ready = "true";
  await startCardReader({ url: config.bridgeUrl, status: $("reader-status"), buttons: $("tap-buttons"),
    onCard: (read) => identifyCard(read), onError: (e) => showError(e, "Carte") });
  document.body.dataset.reader = "ready";
}

main().catch((e) => showError(e, "Démarrage"));
