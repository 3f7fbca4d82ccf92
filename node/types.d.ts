// TypeScript shapes of the values crous-till-node exchanges with JavaScript (the generated
// declarations follow this header). The ticket shapes are those of the browser package
// (wasm/src/types.d.ts), mirroring core's serde types; service answers keep their wire names.
// Amounts: JS numbers or numeric strings in; numbers out unless said otherwise.
// Never add amounts up in floating point: ask the addon.

/** A decimal amount or quantity: `1.1` or `"1.10"`. */
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
export interface DroitEntree {
  codeDroitEntree: number; codeTypeDroitEntree: number; codeSociete: number; tarif: number;
  codeArticle?: number; montant: Amount;
}
export interface DroitEntreeType { codeTypeDroitEntree: number; libelle: string }
export interface Subvention {
  codeSubvention: number; libelle: string; codeSociete: number; tarif: number; codeArticle?: number; montant: Amount;
}

/** Société and tarif of a customer: 10/1 student, 8000/1 visitor, 8024/1 and 8024/2 online ordering. */
export interface CustomerProfile { codeSociete: number; tarif: number }
export interface CartItem { codeArticle: number; quantite: Amount }
export interface PricedLine {
  codeArticle: number; libelle: string; quantite: number; codeTva: number; tauxTva: number;
  prixUnitaireTtc: number; prixUnitaireHt: number; totalTtc: number; totalHt: number;
}
export interface PricedCart { profile: CustomerProfile; lines: PricedLine[]; totalTtc: number }

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
export interface VatTotal { codeTva: number; taux: number | null; totalHt: number; totalTva: number; totalTtc: number }

/** What every function of this addon throws or rejects with: an Error with a stable `code`. */
export interface CrousTillError extends Error {
  name: "CrousTillError";
  code: string;
  /** Check violations, or `{ attempts, xpollens?, errors? }` for a failed call. */
  details?: Violation[] | CallFailureDetails | unknown;
}
export interface CallFailureDetails { attempts: number; xpollens?: XpollensError; errors?: CrousFieldError[] }
export interface XpollensError { Code: number; ErrorMessage: string; Title?: string | null; Priority?: number | null }
export interface CrousFieldError { code: string; message: string; field?: string }

/** Node's `req.headers`. */
export type IncomingHeaders = Record<string, string | string[] | undefined>;
/** An HTTP answer to write back as is: `res.writeHead(a.status, a.headers).end(a.body)`. */
export interface HttpAnswer { status: number; headers: Record<string, string>; body: string }

// IzlyConnect
export interface IzlyToken {
  access_token: string; token_type: string; expires_in: number; refresh_token: string | null; scope: string | null;
}
export interface IzlyUser {
  RightHolderId: string; IdIzly?: string | null; Societe?: number | null; Tarif?: number | null;
  AnneeUniv?: string | null; Employeur?: string | null; RneEtablissement?: string | null; RneComposante?: string | null;
  CodeEtu?: string | null; Ine?: string | null; CodeClient?: string | null; TypeClient?: string | null;
  NumeroAffectation?: string | null; Id?: string | null;
}

// IzlyPay
export interface IzlyPayOrder {
  /** Euros (sent to Izly as cents). */
  amount: Amount; clientOrderId: string; callbackParameters?: string; redirectUrlAfterPayment?: string;
  message?: string; software?: number;
}
export interface OperationSMoney {
  Id: string; IdTransactionDebitIzly: string | null; Amount: number; Date: string | null; Status: string | null;
  Message: string | null; ClientOrderId: string | null; CallbackParameters: string | null;
}
export interface IzlyPayInit {
  PaymentAuthorizationUrl: string; OperationSMoney: OperationSMoney;
  Beneficiary: { Id: string | null; ClientId: string | null } | null;
}
export interface WebPaymentDetails {
  OperationId: string; IdTransactionDebitIzly: string | null; Amount: number; BeneficiarySmoneyId: string | null;
  BeneficiaryClientId: string | null; CustomerSmoneyId: string | null; CustomerEmail: string | null;
  CustomerClientCode: string | null; OperationStatus: "Waiting" | "Completed" | "Refund" | "Refunded" | string;
  Error: unknown; ClientParameters: unknown; Message: string | null; PaymentDate: string | null; OrderId: string | null;
}
export interface IzlyPayRefund {
  OperationId: string; IdTransactionDebitIzly: string | null; RefundDate: string | null; Amount: number;
  OperationStatus: string; ClientOrderId: string | null;
}
export interface IzlyPayCallback {
  OperationSMoney: OperationSMoney;
  Beneficiary: { Id: string | null; ClientId: string | null } | null;
  User: { Id: string | null; Email: string | null; ClientCode: string | null; NumeroAffectation: string | null } | null;
  Error: { Code: number; Message: string | null } | null;
}
/** The order the server expects a callback or a return to be about. */
export interface ExpectedPayment { clientOrderId: string; amount: Amount }
export interface IzlyPayCallbackOutcome {
  confirmed: boolean; notification: IzlyPayCallback | null; payment: WebPaymentDetails | null;
  error: { code: string; message: string } | null; answer: HttpAnswer;
}

// Crous API
export interface Caisse { libelle: string | null; cleAuthentificationIzly: string }
export interface TicketAccepted { status: number; body: unknown }

// Izly POS
export interface RightHolder {
  RightHolderId: string; IdIzly?: string; CodeClient: string; Societe: number; Tarif: number; Balance?: number;
  Nom?: string; Prenom?: string; Email?: string; CodeCrous?: string; RneEtablissement?: string;
  NumeroAffectation?: string; DateFinValidite?: string;
}
export interface QrCodeHolder { rightHolder: RightHolder; profile: CustomerProfile; customer: IzlyCustomer }
interface DebitCommon {
  /** Euros. */
  amount: Amount; idTicketEntete: string;
  /** 1 (default) for the first try of this ticket; the next number for a new try after a refusal. */
  attempt?: number;
}
export interface QrCodeDebit extends DebitCommon { qrCode: string }
export interface CardDebit extends DebitCommon { idSupport: string; numeroApplicatif: string; sam?: string }
export interface IzlyDebit {
  IdTransactionIzly: string; Reference?: string; Amount: number; Balance?: number; Date?: string; CodeClient?: string;
}

// esipay
export interface EsipayPaid { cid: string; /** Masked. */ card: string; /** Euros, exact ("12.50"). */ amount: string; body: string }
export interface EsipayAnswer { body: string }
export interface EsipayReturn { type: "card" | string; /** Euros, exact ("12.50"). */ amount: string; transaction: string; cid: string }
export interface ExpectedCardPayment { cid: string; amount: Amount }
export interface EsipayReturnOutcome {
  accepted: boolean; notification: EsipayReturn | null; error: { code: string; message: string } | null;
  answer: HttpAnswer;
}
export interface CardPayment {
  /** The payment's id on this server (`cid`), echoed to the return URL. */
  cid: string;
  /** The card number (digits; spaces allowed). Only its masked form is ever shown. */
  card: string;
  month: number;
  year: number;
  /** Euros: `12.5` or `"12.50"`. */
  amount: Amount;
}

// The ticket outbox (TicketOutbox, core's outbox over a SQLite file)
export type OutboxStatus = "pending" | "sending" | "delivered" | "refused";
export interface OutboxLastError { code: string; message: string; status?: number; at: number }
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
