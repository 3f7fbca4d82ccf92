// What the page shows of the outbox (the package's QueueView): tickets waiting, sent, refused,
// and the last error's code.
export function renderQueue(el, view) {
  el.dataset.pending = String(view.pending + view.sending);
  el.dataset.delivered = String(view.delivered);
  el.dataset.refused = String(view.refused);
  if (view.lastError) el.dataset.lastError = view.lastError.code;
  else delete el.dataset.lastError;
  const waiting = view.pending + view.sending;
  const parts = [`${waiting} ticket(s) en attente d'envoi`, `${view.delivered} transmis`];
  if (view.refused) parts.push(`${view.refused} refusé(s) : ${view.refusedTickets.map((t) => t.idTicketEntete).join(", ")}`);
  if (waiting && view.lastError) parts.push(`dernière erreur ${view.lastError.code}`);
  if (view.needsAuthentication) parts.push("authentification du poste à refaire");
  el.textContent = parts.join(" · ");
}
