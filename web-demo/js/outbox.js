// The till's ticket queue (core's outbox inside the package's Till, in IndexedDB). A completed
// sale's ticket is journaled and stored in the transaction that records its payment; pump() sends
// what is due, oldest first. Pumped after each sale, when the browser comes back online, when
// the head's backoff ends, and every 30 s; it resumes after a reload.
export function startPumping({ till, onView, onError }) {
  let timer = null;

  const schedule = (view) => {
    clearTimeout(timer);
    if (view.pending > 0 && view.nextAttemptAt) timer = setTimeout(pump, Math.max(0, view.nextAttemptAt - Date.now()) + 20);
  };

  async function pump() {
    try {
      const view = await till.pump();
      onView(view);
      schedule(view);
      return view;
    } catch (e) {
      onError(e);
      return till.view();
    }
  }

  window.addEventListener("online", pump);
  setInterval(pump, 30_000);
  onView(till.view());
  pump();
  return { pump };
}
