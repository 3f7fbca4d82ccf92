// Card taps through the native bridge: subscribe to events, list the simulated reader's test
// cards as "tap" buttons, and on cardInserted read the card's ZDC (idSupport, numeroApplicatif).
import { Bridge } from "./bridge.js";

export async function startCardReader({ url, status, buttons, onCard, onError }) {
  let bridge;
  try {
    bridge = await Bridge.connect(url);
  } catch (e) {
    status.textContent = "Lecteur de cartes indisponible";
    status.dataset.state = "offline";
    onError(e);
    return null;
  }
  status.textContent = "Lecteur prêt : posez une carte";
  status.dataset.state = "ready";
  bridge.addEventListener("close", () => {
    status.textContent = "Lecteur de cartes déconnecté";
    status.dataset.state = "offline";
  });
  bridge.addEventListener("cardInserted", async () => {
    status.textContent = "Lecture de la carte…";
    try {
      const read = await bridge.request("readCard");
      status.textContent = `Carte lue : ${read.cardType}`;
      status.dataset.state = "read";
      onCard(read);
    } catch (e) {
      status.textContent = "Carte illisible";
      onError(e);
    }
  });
  bridge.addEventListener("cardRemoved", () => {
    status.dataset.state = "ready";
  });
  await bridge.request("subscribe");
  const list = await bridge.request("listTestCards");
  buttons.replaceChildren();
  for (const card of list.simulated ? list.cards : []) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "tap";
    button.dataset.card = card.name;
    button.textContent = card.label ?? card.name;
    button.addEventListener("click", () => {
      bridge.request("simulateTap", { card: card.name }).then(
        () => {},
        (e) => onError(e),
      );
    });
    buttons.append(button);
  }
  return bridge;
}
