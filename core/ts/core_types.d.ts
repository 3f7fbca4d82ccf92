// TypeScript shapes of core's serde types (crous-till-core), shared by the browser package
// (wasm/) and the Node addon (node/): both include this file, so the two cannot drift. Wire names
// are the specs' own. Amounts: JS numbers or decimal strings in; exact decimal strings out, scale
// kept ("3.30", which every amount fits, unlike a JS number; never add them up in floating point:
// ask the package).

/** A decimal amount or quantity: `1.1` or `"1.10"` in; always a string such as `"1.10"` out. */
export type Amount = number | string;

/** Specs 001 reference data, as the Crous API serves it (every list optional). */
export interface ReferenceData {
  tva?: Tva[];
  articles?: Article[];
  societes?: Societe[];
  societesTarifs?: SocieteTarif[];
  periodes?: Periode[];
  societesTarifsPeriodes?: SocieteTarifPeriode[];
  articlesSocietesTarifsPeriodes?: PrixArticle[];
  droitsEntree?: DroitEntree[];
  droitsEntreeTypes?: DroitEntreeType[];
  subventions?: Subvention[];
}
export interface Tva { codeTva: number; taux: Amount }
export interface Article { codeArticle: number; libelle: string; codeTva?: number; versBornesPrepaiement?: boolean }
export interface Societe { codeSociete: number; libelle: string }
export interface SocieteTarif { codeSociete: number; tarif: number; libelle: string; codeTva?: number }
export interface Periode { idPeriode: number; libelle?: string; dateDebut: string; dateFin?: string }
export interface SocieteTarifPeriode { codeSociete: number; tarif: number; idPeriode: number; codeTva?: number }
export interface PrixArticle { codeArticle: number; codeSociete: number; tarif: number; idPeriode: number; prixTtc: Amount }
/** An entry fee per meal: priceCart adds it as its own line (codesArticlesRepas absent: 1 per ticket). */
export interface DroitEntree {
  codeDroitEntree: number; codeTypeDroitEntree: number; codeSociete: number; tarif: number;
  codeArticle?: number; montant: Amount; idPeriode?: number; codesArticlesRepas?: number[];
}
export interface DroitEntreeType { codeTypeDroitEntree: number; libelle: string }
/** TTC per unit deducted from the article's price for that profile; without codeArticle, reporting only. */
export interface Subvention {
  codeSubvention: number; libelle: string; codeSociete: number; tarif: number; codeArticle?: number;
  idPeriode?: number; montant: Amount;
}

/** Société and tarif of a customer: 10/1 student, 8000/1 visitor, 8024/1 and 8024/2 online ordering. */
export interface CustomerProfile { codeSociete: number; tarif: number }
export interface CartItem { codeArticle: number; quantite: Amount }
/** Prices are net (what is paid); a subsidised line keeps its gross price in `subvention`. */
export interface PricedLine {
  codeArticle: number; libelle: string; quantite: Amount; codeTva: number; tauxTva: Amount;
  prixUnitaireTtc: Amount; prixUnitaireHt: Amount; totalTtc: Amount; totalHt: Amount;
  subvention?: AppliedSubvention;
  /** Set on an entry-fee line that priceCart added after the tray's lines. */
  droitEntree?: AppliedDroitEntree;
}
export interface AppliedSubvention {
  codeSubvention: number; libelle: string; montantUnitaire: Amount; total: Amount;
  prixUnitaireAvantSubventionTtc: Amount;
}
export interface AppliedDroitEntree { codeDroitEntree: number; codeTypeDroitEntree: number; libelle: string }
/** totalTtc: what is paid (fees included, subsidies deducted); totalSubventions: what the Crous pays on top. */
export interface PricedCart { profile: CustomerProfile; lines: PricedLine[]; totalTtc: Amount; totalSubventions: Amount }

/** The counters of one point of sale; persist the one buildTicket returns. */
export interface NumberingState { lastIdTicketEntete: number; day: string | null; daySequence: number }
export interface SaleContext {
  versionLogiciel: string;
  idLogiciel: number;
  /** 1 sur place, 2 à emporter. */
  idTypeDistribution: 1 | 2;
  /** RFC 3339 with the till's offset: its local date is the numbering day. */
  soldAt: string;
}
export type Payment =
  | { type: "carteBancaire" }
  | { type: "izlyCard"; idSupport: string; numeroApplicatif: string; idTransactionIzly: string }
  | { type: "izlyQrCode"; qrCode: string; idTransactionIzly: string }
  | { type: "izlyPay"; idTransactionIzly: string }
  | { type: "fidelite" };
export interface IzlyCustomer {
  codeClient?: string; soldeClient?: Amount; nomClient?: string; dateFinValiditeClient?: string;
  codeCrousClient?: string; rneEtablissement?: string; affectation?: string; adresseMail?: string;
}
export interface BuildTicketInput {
  numbering: NumberingState;
  sale: SaleContext;
  pricedCart: PricedCart;
  customer?: IzlyCustomer | null;
  payment: Payment;
}
export interface BuiltTicket { ticket: Ticket; numbering: NumberingState }
/** `PricedTray.buildTicket`'s input: `BuildTicketInput` without the tray. */
export type TrayTicketInput = Omit<BuildTicketInput, "pricedCart">;

// The sale engine (core/src/sale): one sale from the tray to the queued ticket.
/** How the customer pays; a bank card's number is never part of it. */
export type PaymentMethod =
  | { type: "izlyQrCode"; qrCode: string }
  | { type: "izlyCard"; idSupport: string; numeroApplicatif: string; sam?: string }
  | { type: "esipay" }
  | { type: "izlyPay"; clientOrderId: string; operationId: string };
export type PaymentProof =
  | { type: "izly"; idTransactionIzly: string; balance?: Amount; codeClient?: string }
  | { type: "esipay"; transaction?: string };
export type SaleState =
  | { state: "paymentPending" }
  | { state: "completed"; payment: PaymentProof; journalSequence: number }
  | { state: "voided"; code: string; message: string }
  | { state: "toCheck"; code: string; message: string };
export type SaleRecord = SaleState & {
  pointOfSale: PointOfSaleIds; idTicketEntete: string; numeroTicket: string; sale: SaleContext; cart: PricedCart;
  customer?: IzlyCustomer; method: PaymentMethod; reference: string; amount: Amount;
  openedAt: number; settledAt?: number; revision: number;
};
export interface NumberingRecord { pointOfSale: PointOfSaleIds; numbering: NumberingState; revision: number }
export interface SaleInput {
  cart: CartItem[]; profile: CustomerProfile; customer?: IzlyCustomer | null; method: PaymentMethod; sale: SaleContext;
}
export interface PaymentOrder { idTicketEntete: string; numeroTicket: string; amount: Amount; method: PaymentMethod; reference: string }
export type PaymentOutcome =
  | { outcome: "paid"; payment: PaymentProof }
  | { outcome: "declined"; code: string; message: string }
  | { outcome: "unknown"; code: string; message: string };
export type Resolution = { resolution: "paid"; transaction?: string | null } | { resolution: "notPaid" };
/** A web order paid through IzlyPay: its number is taken when the payment is confirmed. */
export interface OrderInput {
  clientOrderId: string; cart: CartItem[]; profile: CustomerProfile; customer?: IzlyCustomer | null; sale: SaleContext;
}
export type WebOrderState =
  | { state: "initiating" }
  | { state: "waiting"; operationId: string; paymentUrl: string }
  | { state: "completed"; operationId: string; idTicketEntete: string; journalSequence: number }
  | { state: "voided"; code: string; message: string; operationId?: string }
  | { state: "toCheck"; code: string; message: string; operationId?: string };
export type WebOrderRecord = WebOrderState & {
  pointOfSale: PointOfSaleIds; clientOrderId: string; sale: SaleContext; cart: PricedCart; customer?: IzlyCustomer;
  amount: Amount; openedAt: number; settledAt?: number; revision: number;
};

/** The Crous `tickets` resource (specs 001), field for field. */
export interface Ticket {
  idTicketEntete?: string; numeroTicket?: string; versionLogiciel?: string; date?: string; codeEvenement?: string;
  listeLignes?: LigneTicket[]; listeReglements?: Reglement[]; complementaire?: Complementaire;
}
export interface LigneTicket {
  numeroLigne?: number; codeArticle?: number; quantite?: Amount; codeTva?: number;
  prixUnitaireHt?: Amount; prixUnitaireTtc?: Amount; totalHt?: Amount; totalTtc?: Amount; gainFidelite?: Amount;
}
export interface Reglement {
  /** 4 carte bancaire, 9 Izly, 12 fidélité. */
  codeReglement?: number; montant?: Amount; idSupport?: string; qrCode?: string;
  idTransactionIzly?: string; numeroApplicatif?: string;
}
export interface Complementaire {
  codeClient?: string; soldeClient?: Amount; cumulPointsFidelite?: Amount; soldePointsFidelite?: Amount;
  nomClient?: string; dateFinValiditeClient?: string; codeSocieteClient?: number; tarifClient?: number;
  codeCrousClient?: string; rneEtablissement?: string; affectation?: string; adresseMail?: string;
  idSupport?: string; idTypeDistribution?: number; idLogiciel?: number;
}

export type ViolationCode =
  | "missing_field" | "invalid_value" | "no_lines" | "duplicate_line_number" | "unknown_article"
  | "unknown_vat_code" | "line_total_mismatch" | "vat_mismatch" | "payment_count" | "payment_total_mismatch"
  | "izly_payment_fields" | "izly_customer_fields" | "fidelity_mismatch";
/** One broken rule: a stable code, the JSON path it concerns, a sentence for humans. */
export interface Violation { code: ViolationCode; path: string; message: string }
export interface CheckReport { violations: Violation[] }
/** One printed receipt line (core's receipt_lines). */
export interface ReceiptLine {
  libelle: string; quantite: Amount; prixUnitaireTtc: Amount; totalTtc: Amount;
  prixUnitaireAvantSubventionTtc?: Amount; dontSubvention?: Amount; droitEntree: boolean;
}
export interface VatTotal { codeTva: number; taux: Amount | null; totalHt: Amount; totalTva: Amount; totalTtc: Amount }

// The ticket outbox's queue as both packages show it (core's outbox view)
export type OutboxStatus = "pending" | "sending" | "delivered" | "refused";
export interface OutboxLastError { code: string; message: string; status?: number; at: number }
/** The five numbers of a point of sale, as core writes them inside records. */
export interface PointOfSaleIds { idCrous: number; idUg: number; idRu: number; idUd: number; idCaisse: number }
export interface TicketSummary {
  sequence: number; idTicketEntete: string; numeroTicket?: string; status: OutboxStatus; attempts: number;
  enqueuedAt: number; nextAttemptAt: number; lastError?: OutboxLastError;
}
/** The queue of one till: counts by status, its head, the last error, refused tickets. */
export interface QueueView {
  pointOfSale: PointOfSaleIds; pending: number; sending: number; delivered: number; refused: number;
  oldestPending?: TicketSummary; lastError?: OutboxLastError; refusedTickets: TicketSummary[];
  needsAuthentication: boolean; nextAttemptAt?: number;
}
