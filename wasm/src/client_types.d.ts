// The browser till's API clients (crous-till-wasm). Every call goes through core's request
// builders and parsers and core's retry state machine, over fetch, with a timeout per attempt.
// Errors: CrousTillError with a stable `code` (`crous.*`, `izly_pos.*`, `esipay.*`, `network.*`,
// `input.*`) and, where useful, `details` (the service's status and body, or violations).

/** Timeouts and retries (core's RetryPolicy); defaults: 3 attempts, 30 s per attempt. */
export interface RetryOptions { maxAttempts?: number; timeoutMs?: number }

export interface CrousClientOptions extends RetryOptions {
  /** e.g. the sandbox's "http://127.0.0.1:8700" */
  baseUrl: string;
  /** "crous-ug-ru-ud-caisse", such as "5-1-9-8-14" */
  pointOfSale: string;
  /** This till's installation key (appSecret of authenticate). */
  installationKey: string;
  /** Sent as `use=` with tickets (versionLogiciel). */
  software: string;
}
export interface Caisse { libelle: string | null; cleAuthentificationIzly: string }
/** What the Crous API said of a ticket: accepted now, or already held (409 after a resend). */
export interface TicketDelivery { outcome: "accepted" | "duplicate"; idTicketEntete: string; attempts: number }

export interface IzlyPosClientOptions extends RetryOptions {
  baseUrl: string;
  pointOfSale: string;
  /** The till's cleAuthentificationIzly (from CrousClient.caisse()). */
  izlyKey: string;
}
/** searchQRCode's and searchCard's answer (PascalCase as the service sends it). */
export interface RightHolder {
  RightHolderId: string; IdIzly?: string; CodeClient: string; Societe: number; Tarif: number;
  Balance?: Amount; Nom?: string; Prenom?: string; Email?: string; CodeCrous?: string;
  RneEtablissement?: string; NumeroAffectation?: string; DateFinValidite?: string;
}
export interface IzlyCard { idSupport: string; numeroApplicatif: string; sam?: string }
export interface Debit {
  IdTransactionIzly: string; Reference?: string; Amount: Amount; Balance?: Amount; Date?: string; CodeClient?: string;
}
/** A debit's result with how it was obtained (reconciled: the answer was lost and the look-up found it). */
export interface DebitResult { debit: Debit; attempts: number; reconciled: boolean }

export interface EsipayClientOptions extends RetryOptions { baseUrl: string; uuid: string }
export interface BankCard { number: string; month: number; year: number }
export interface EsipayResult { body: string; attempts: number }

/** IzlyPay's callback as core reads it (the spec's names; Amount in euros; Date in ISO 8601). */
export interface IzlyPayCallback {
  OperationSMoney: {
    Id: string; IdTransactionDebitIzly: string | null; Amount: Amount; Date: string | null; Status: string | null;
    Message: string | null; ClientOrderId: string | null; CallbackParameters: string | null;
  };
  Beneficiary: { Id: string | null; ClientId: string | null } | null;
  User: { Id: string | null; Email: string | null; ClientCode: string | null; NumeroAffectation: string | null } | null;
  Error: { Code: number; Message: string | null } | null;
}
