// The browser till's ticket outbox (TicketOutbox) and the store it writes through (QueueView and
// the other shapes both packages share are in core/ts/types.gen.d.ts, generated from core's Rust types). Rows and journal records
// are core's (crous-till-core outbox and journal); a store keeps them as opaque JSON keyed by
// `sequence` and checks the preconditions each write states.

/** One queued ticket (core's OutboxEntry). */
export interface OutboxEntry {
  pointOfSale: PointOfSaleIds; sequence: number; idTicketEntete: string; ticket: Ticket; status: OutboxStatus;
  attempts: number; enqueuedAt: number; nextAttemptAt: number; lastAttemptAt?: number; lastError?: OutboxLastError;
  deliveredAt?: number; delivery?: "accepted" | "alreadyReceived"; revision: number;
}
/** A journal entry (SHA-256 chained) or a closure, stored as given. */
export interface JournalRecord { formatVersion: number; pointOfSale: PointOfSaleIds; sequence: number; hash: string; previousHash: string; [field: string]: unknown }
export interface JournalHead { formatVersion: number; pointOfSale: PointOfSaleIds; entryCount: number; lastEntryHash: string; closureCount: number; lastClosureHash: string }
/** What a store loads for one point of sale. */
export interface OutboxSnapshot {
  rows: OutboxEntry[]; journal: JournalRecord[]; closures: JournalRecord[]; head: JournalHead | null;
  /** The sale engine's sales and ticket counters (absent in a store written before them). */
  sales?: SaleRecord[]; numbering?: NumberingRecord | null;
}
/** One write of a commit, with its precondition (see core/src/outbox/write.rs). */
export type OutboxWrite =
  | { op: "appendJournalEntry"; entry: JournalRecord }       // the last stored journal sequence is entry.sequence - 1
  | { op: "appendClosure"; closure: JournalRecord }           // the last stored closure sequence is closure.sequence - 1
  | { op: "putHead"; head: JournalHead }
  | { op: "insertEntry"; entry: OutboxEntry }                 // no row with that sequence or idTicketEntete
  | { op: "updateEntry"; entry: OutboxEntry; expectedRevision: number }   // stored row at expectedRevision
  | { op: "deleteEntry"; pointOfSale: PointOfSaleIds; sequence: number; expectedRevision: number } // stored row delivered at expectedRevision
  | { op: "putNumbering"; numbering: NumberingRecord; expectedRevision: number } // stored counters at expectedRevision (0: none)
  | { op: "insertSale"; sale: SaleRecord }                    // no sale with that idTicketEntete
  | { op: "updateSale"; sale: SaleRecord; expectedRevision: number };     // stored sale at expectedRevision
/** Storage for one point of sale: `commit` performs every write or none (one transaction) and
 * rejects (with `code: "outbox.store_conflict"` when a precondition fails). */
export interface OutboxStore {
  load(pointOfSale: string): Promise<OutboxSnapshot>;
  commit(writes: OutboxWrite[]): Promise<void>;
}

/** What signs a journal archive: `openTillKey()`'s result (a non-extractable WebCrypto Ed25519
 * key), or any object with these two members. */
export interface TillSigner {
  /** The raw Ed25519 public key, 32 bytes. */
  readonly publicKey: Uint8Array;
  /** The Ed25519 signature (64 bytes) of `message`. */
  sign(message: Uint8Array): Promise<Uint8Array>;
}

