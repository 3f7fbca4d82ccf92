// TypeScript shapes of core's service clients (crous_till_core::client), shared by the browser
// package and the Node addon: `Crous`, `IzlyPos` and `Esipay` take the same options and give the
// same results in both. Errors: CrousTillError with a stable `code` (`crous.*`, `izly_pos.*`,
// `esipay.*`, `network.*`, `input.*`) and `details` (`{ attempts, xpollens?, errors? }` for a
// failed call, the violations for `ticket.check_failed`).

/** How a client retries (core's RetryPolicy); every field optional, core's defaults otherwise. */
export interface RetryOptions {
  /** Attempts in all, the first included (at least 1). */
  maxAttempts?: number;
  /** Timeout of one attempt, in milliseconds. */
  timeoutMs?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** The longest `Retry-After` honoured, in milliseconds. */
  maxRetryAfterMs?: number;
}

export interface CrousOptions {
  /** "preprod", "prod", or a base URL such as the sandbox's "http://127.0.0.1:8700". */
  environment: string;
  /** "crous-ug-ru-ud-caisse", such as "5-1-9-8-14". */
  pointOfSale: string;
  /** This till's installation key (appSecret of authenticate); kept inside the client. */
  installationKey: string;
  /** The software's `use` parameter on tickets. */
  software: string;
  /** `env` of authenticate ("PPD" or "PRD"), when it is not the environment's own. */
  envCode?: string;
  retry?: RetryOptions;
}
export interface Caisse { libelle: string | null; cleAuthentificationIzly: string }
export interface TicketSendOptions { /** versCommandeEnLigne=1: a ticket of an online order. */ versCommandeEnLigne?: boolean }
/** What the Crous API said of a ticket: accepted now, or already held (409 after a resend). */
export interface TicketDelivery { outcome: "accepted" | "duplicate"; idTicketEntete: string; attempts: number }

export interface IzlyPosOptions {
  environment: string;
  /** The till's cleAuthentificationIzly (from Crous.caisse()). */
  key: string;
  pointOfSale: string;
  retry?: RetryOptions;
}
/** searchQRCode's and searchCard's answer (PascalCase as the service sends it). */
export interface RightHolder {
  RightHolderId: string; IdIzly?: string; CodeClient: string; Societe: number; Tarif: number;
  Balance?: Amount; Nom?: string; Prenom?: string; Email?: string; CodeCrous?: string;
  RneEtablissement?: string; NumeroAffectation?: string; DateFinValidite?: string;
}
/** searchQrCode's and searchCard's result: the answer, the profile to price by, the ticket's customer. */
export interface QrCodeHolder { rightHolder: RightHolder; profile: CustomerProfile; customer: IzlyCustomer }
/** A tapped card's ZDC fields, as the bridge's readCard gives them. */
export interface IzlyCard { idSupport: string; numeroApplicatif: string; sam?: string }
interface DebitCommon {
  /** Euros. */
  amount: Amount; idTicketEntete: string;
  /** 1 (default) for the first try of this ticket; the next number for a new try after a refusal. */
  attempt?: number;
}
export interface QrCodeDebit extends DebitCommon { qrCode: string }
export interface CardDebit extends DebitCommon { idSupport: string; numeroApplicatif: string; sam?: string }
export interface Debit {
  IdTransactionIzly: string; Reference?: string; Amount: Amount; Balance?: Amount; Date?: string; CodeClient?: string;
}
/** A debit's result (reconciled: the answer was lost and the look-up by reference found it). */
export interface IzlyDebit { debit: Debit; attempts: number; reconciled: boolean }

export interface EsipayOptions {
  /** A base URL (esipay has no preproduction), or "prod". */
  environment: string;
  /** The enterprise's uuid. */
  uuid: string;
  retry?: RetryOptions;
}
/** A bank card as keyed in, for one esipay payment; never stored, only ever shown masked. */
export interface BankCard { number: string; month: number; year: number }
export interface CardPayment {
  /** The payment's id on this server (`cid`), echoed to the return URL. */
  cid: string;
  card: BankCard;
  /** Euros: `12.5` or `"12.50"`. */
  amount: Amount;
}
export interface EsipayPaid { cid: string; /** Masked. */ card: string; amount: Amount; body: string; attempts: number }
export interface EsipayAnswer { body: string; attempts: number }
