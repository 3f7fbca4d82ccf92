// The till's ticket outbox: the package's TicketOutbox over its IndexedDB store (core's outbox
// queue). A finished sale's ticket is enqueued (journaled and stored) before anything is sent;
// pump() sends what is due, oldest first. It is pumped after each sale, when the browser comes
// back online, when the head's backoff ends, and every 30 s; it resumes after a reload.
import { openIndexedDbOutboxStore } from "./package.js";

export async function openOutbox({ crous, reference, pointOfSale, onView, onError }) {
  const outbox = await crous.openOutbox(await openIndexedDbOutboxStore(pointOfSale), reference);
  let timer = null;

  const schedule = (view) => {
    clearTimeout(timer);
    if (view.pending > 0 && view.nextAttemptAt) timer = setTimeout(pump, Math.max(0, view.nextAttemptAt - Date.now()) + 20);
  };

  async function pump() {
    try {
      const view = await outbox.pump();
      onView(view);
      schedule(view);
      return view;
    } catch (e) {
      onError(e);
      return outbox.view();
    }
  }

  async function enqueue(ticket) {
    onView(await outbox.enqueue(ticket));
  }

  window.addEventListener("online", pump);
  setInterval(pump, 30_000);
  onView(outbox.view());
  pump();
  return { enqueue, pump, view: () => outbox.view() };
}
