// The till page: wires the package, the sandbox's services and the card bridge to the UI.
import { ready, Crous, IzlyPos, Esipay, openIndexedDbOutboxStore } from "./package.js";
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
import { sell, paidWith } from "./sale.js";
import { renderReceipt } from "./receipt.js";
import { startPumping } from "./outbox.js";
import { renderQueue } from "./queue-view.js";
import { renderCheck } from "./check-view.js";
import { startClosing } from "./closing.js";

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
  const held = state.till?.unsettled();
  renderCheck($("to-check"), held, answerCheck);
  $("pay-izly").disabled = $("pay-card").disabled = state.tray.empty || !!state.busy || !!held;
}

/** The receipt of a completed sale, once its ticket was given to the queue. */
async function showReceipt(sale) {
  const ticket = state.till.ticket(sale.idTicketEntete);
  const view = await state.outbox.pump();
  // Sent strictly in order: nothing left waiting means this ticket (the newest) was delivered.
  const refused = view.refusedTickets.some((t) => t.idTicketEntete === sale.idTicketEntete);
  const delivered = !refused && view.pending + view.sending === 0;
  renderReceipt($("receipt"), { ticket, lines: sale.cart.lines, vat: state.reference.vatTotals(ticket), paidWith: paidWith(sale),
    delivered, refused, lastError: view.lastError }, state.data.articles ?? []);
}

/** What the till does with a sale as core ended it. */
async function settled(sale) {
  if (sale.state === "completed") return showReceipt(sale);
  if (sale.state === "voided") throw Object.assign(new Error(sale.message), { code: sale.code });
  if (sale.state === "paymentPending") {
    setTimeout(settleTill, 2000); // ask Izly again
    throw Object.assign(new Error("Izly n'a pas confirmé le paiement : vérification en cours"), { code: "sale.pending" });
  }
}

/** The cashier's answer for a sale to check. */
async function answerCheck(resolution) {
  const held = state.till.unsettled();
  clearError();
  try {
    await settled(await state.till.resolve(held.idTicketEntete, resolution));
  } catch (e) {
    showError(e, "Vérification");
  }
  render();
}

/** Settles what a closed page left (an Izly sale by its look-up); an esipay sale waits for the cashier. */
async function settleTill() {
  try {
    for (const sale of await state.till.settle()) if (sale.state === "completed") await showReceipt(sale);
  } catch (e) {
    showError(e, "Reprise");
  }
  render();
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
    const sale = await sell({ ...state, method, bankCard });
    if (sale.state !== "voided") {
      state.tray.clear();
      state.customer = anonymous();
      $("qr-text").value = "";
    }
    await settled(sale);
  } catch (e) {
    showError(e, "Paiement");
  } finally {
    state.busy = false;
    render();
  }
}

async function main() {
  // What does not depend on each other runs at once: the module and the config, then the
  // reference download and the till's IndexedDB store (tests/browser/bench/page_ready.bench.mjs).
  const [, config] = await Promise.all([ready, loadConfig()]);
  state.config = config;
  $("till-label").textContent = `${config.tillLabel} (${config.pointOfSale})`;
  state.crous = new Crous({ environment: config.crousBaseUrl, pointOfSale: config.pointOfSale, installationKey: config.installationKey, software: config.software });
  const store = openIndexedDbOutboxStore(config.pointOfSale);
  state.reference = await state.crous.referenceData();
  state.data = state.reference.toJSON(); // the grid's articles and fees
  const { cleAuthentificationIzly } = await state.crous.caisse();
  state.izly = new IzlyPos({ environment: config.izlyPosBaseUrl, pointOfSale: config.pointOfSale, key: cleAuthentificationIzly });
  state.esipay = new Esipay({ environment: config.esipayBaseUrl, uuid: config.esipayUuid });
  state.till = await state.crous.openTill(await store, state.reference);
  state.till.setIzly(state.izly);
  state.till.setEsipay(state.esipay);
  // The run's stop, in the technical event journal; a tab closed without it shows at the next
  // start ("the previous run ended without a stop").
  addEventListener("pagehide", () => state.till.shutdown().catch(() => {}));
  state.outbox = startPumping({ till: state.till, onView: (view) => renderQueue($("queue"), view), onError: (e) => showError(e, "File des tickets") });
  await settleTill();
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
  startClosing({ till: state.till, day: () => now().day, closeButton: $("close-day"), exportButton: $("export-journal"),
    info: $("archive-info"), report: $("z-report"), onError: showError });
  startIzlyApp({ select: $("izly-account"), button: $("mint-qr"), accounts: config.izlyAccounts ?? [],
    onQrCode: (text) => ($("qr-text").value = text), onError: (e) => showError(e, "Appli Izly") });
  render();
  document.body.dataset.ready = "true";
  performance.mark("crous-till-ready"); // tests/browser/bench/page_ready.bench.mjs reads it
  await startCardReader({ url: config.bridgeUrl, status: $("reader-status"), buttons: $("tap-buttons"),
    onCard: (read) => identifyCard(read), onError: (e) => showError(e, "Carte") });
  document.body.dataset.reader = "ready";
}

main().catch((e) => showError(e, "Démarrage"));
