// IndexedDB storage for the till (the `OutboxStore` the wasm TicketOutbox writes through). One
// database per point of sale; object stores keyed by `sequence`: "rows" (outbox rows, unique
// index on idTicketEntete), "journal", "closures", "events" (the technical event journal);
// "sales" (the sale engine's sales) keyed by
// idTicketEntete; "meta" holds the head marker and the ticket counters ("numbering").
// Core plans every write (wasm/src/outbox.rs); this file only performs a commit's writes in ONE
// readwrite transaction, checking each write's precondition, and aborts the whole transaction
// on the first that fails: all or nothing.

const STORES = ["rows", "journal", "closures", "events", "meta", "sales"];

export function openIdbOutboxStore(pointOfSale, name) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name || `crous-till-outbox-${pointOfSale}`, 3);
    request.onupgradeneeded = (event) => {
      const db = request.result;
      if (event.oldVersion < 1) {
        db.createObjectStore("rows", { keyPath: "sequence" }).createIndex("idTicketEntete", "idTicketEntete", { unique: true });
        db.createObjectStore("journal", { keyPath: "sequence" });
        db.createObjectStore("closures", { keyPath: "sequence" });
        db.createObjectStore("meta");
      }
      if (event.oldVersion < 2) db.createObjectStore("sales", { keyPath: "idTicketEntete" });
      if (event.oldVersion < 3) db.createObjectStore("events", { keyPath: "sequence" });
    };
    request.onsuccess = () => resolve(new IdbOutboxStore(request.result));
    request.onerror = () => reject(storeError("outbox.store_failed", request.error));
  });
}

function storeError(code, cause) {
  const e = new Error(cause && cause.message ? cause.message : String(cause));
  e.name = "CrousTillError";
  e.code = code;
  return e;
}

class IdbOutboxStore {
  constructor(db) {
    this.db = db;
  }

  load() {
    return new Promise((resolve, reject) => {
      const tx = this.db.transaction(STORES, "readonly");
      const out = { rows: [], journal: [], closures: [], events: [], head: null, sales: [], numbering: null };
      tx.objectStore("rows").getAll().onsuccess = (e) => (out.rows = e.target.result);
      tx.objectStore("journal").getAll().onsuccess = (e) => (out.journal = e.target.result);
      tx.objectStore("closures").getAll().onsuccess = (e) => (out.closures = e.target.result);
      tx.objectStore("events").getAll().onsuccess = (e) => (out.events = e.target.result);
      tx.objectStore("meta").get("head").onsuccess = (e) => (out.head = e.target.result ?? null);
      tx.objectStore("meta").get("numbering").onsuccess = (e) => (out.numbering = e.target.result ?? null);
      tx.objectStore("sales").getAll().onsuccess = (e) => (out.sales = e.target.result);
      tx.oncomplete = () => resolve(out);
      tx.onerror = () => reject(storeError("outbox.store_failed", tx.error));
    });
  }

  commit(writes) {
    return new Promise((resolve, reject) => {
      const tx = this.db.transaction(STORES, "readwrite");
      let refused = null;
      const refuse = (why) => {
        refused = storeError("outbox.store_conflict", why);
        tx.abort();
      };
      tx.oncomplete = () => resolve();
      tx.onabort = () => reject(refused || storeError("outbox.store_failed", tx.error || "aborted"));
      const step = (i) => {
        if (i === writes.length || refused) return;
        const w = writes[i];
        const next = () => step(i + 1);
        const appendAfterCount = (store, record) => {
          const s = tx.objectStore(store);
          s.count().onsuccess = (e) => {
            if (e.target.result !== record.sequence - 1) return refuse(`${store} ${record.sequence} after ${e.target.result}`);
            s.add(record).onsuccess = next;
          };
        };
        const rows = tx.objectStore("rows");
        switch (w.op) {
          case "appendJournalEntry": return appendAfterCount("journal", w.entry);
          case "appendClosure": return appendAfterCount("closures", w.closure);
          case "appendEvent": return appendAfterCount("events", w.event);
          case "putHead": tx.objectStore("meta").put(w.head, "head").onsuccess = next; return;
          // add() fails on an existing sequence, the unique index on an existing idTicketEntete.
          case "insertEntry": rows.add(w.entry).onsuccess = next; return;
          case "updateEntry":
            rows.get(w.entry.sequence).onsuccess = (e) => {
              const stored = e.target.result;
              if (!stored || stored.revision !== w.expectedRevision || stored.idTicketEntete !== w.entry.idTicketEntete) {
                return refuse(`row ${w.entry.sequence} is not at revision ${w.expectedRevision}`);
              }
              rows.put(w.entry).onsuccess = next;
            };
            return;
          case "deleteEntry":
            rows.get(w.sequence).onsuccess = (e) => {
              const stored = e.target.result;
              if (!stored || stored.status !== "delivered" || stored.revision !== w.expectedRevision) {
                return refuse(`row ${w.sequence} is not delivered at revision ${w.expectedRevision}`);
              }
              rows.delete(w.sequence).onsuccess = next;
            };
            return;
          case "putNumbering": {
            const meta = tx.objectStore("meta");
            meta.get("numbering").onsuccess = (e) => {
              const stored = e.target.result;
              if ((stored ? stored.revision : 0) !== w.expectedRevision || w.numbering.revision !== w.expectedRevision + 1) {
                return refuse(`numbering is not at revision ${w.expectedRevision}`);
              }
              meta.put(w.numbering, "numbering").onsuccess = next;
            };
            return;
          }
          // add() fails on an existing idTicketEntete.
          case "insertSale": tx.objectStore("sales").add(w.sale).onsuccess = next; return;
          case "updateSale": {
            const sales = tx.objectStore("sales");
            sales.get(w.sale.idTicketEntete).onsuccess = (e) => {
              const stored = e.target.result;
              if (!stored || stored.revision !== w.expectedRevision || w.sale.revision !== w.expectedRevision + 1) {
                return refuse(`sale ${w.sale.idTicketEntete} is not at revision ${w.expectedRevision}`);
              }
              sales.put(w.sale).onsuccess = next;
            };
            return;
          }
          default:
            return refuse(`unknown write ${w.op}`);
        }
      };
      step(0);
    });
  }
}
