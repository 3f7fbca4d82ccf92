// TypeScript shapes of the values crous-till-node exchanges with JavaScript. The build writes
// index.d.ts as: core/ts/types.gen.d.ts (generated from core's Rust types, shared with the browser package),
// this file, then the declarations napi-derive emits. Service answers keep their wire names.
// Amounts: JS numbers or numeric strings in; numbers out unless said otherwise.
// Never add amounts up in floating point: ask the addon.

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

// IzlyConnect
export interface IzlyConnectOptions {
  /** "preprod", "prod" or a base URL (the sandbox's). */
  environment: string;
  /** `client_id` of the partner. */
  clientId: string;
  /** The partner's key, sent as `Authorization: Basic <key>`. */
  apiKey: string;
  retry?: RetryOptions;
}
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
export interface IzlyPayOptions {
  /** "preprod", "prod" or a base URL (the sandbox's). */
  environment: string;
  /** The partner's `AppIdentifier`. */
  appIdentifier: string;
  /** The partner's key, sent as `Authorization: Basic <key>`. */
  apiKey: string;
  retry?: RetryOptions;
}
export interface IzlyPayOrder {
  /** Euros (sent to Izly as cents). */
  amount: Amount; clientOrderId: string; callbackParameters?: string; redirectUrlAfterPayment?: string;
  message?: string; software?: number;
}
export interface OperationSMoney {
  Id: string; IdTransactionDebitIzly: string | null; Amount: Amount; Date: string | null; Status: string | null;
  Message: string | null; ClientOrderId: string | null; CallbackParameters: string | null;
}
export interface IzlyPayInit {
  PaymentAuthorizationUrl: string; OperationSMoney: OperationSMoney;
  Beneficiary: { Id: string | null; ClientId: string | null } | null;
}
export interface WebPaymentDetails {
  OperationId: string; IdTransactionDebitIzly: string | null; Amount: Amount; BeneficiarySmoneyId: string | null;
  BeneficiaryClientId: string | null; CustomerSmoneyId: string | null; CustomerEmail: string | null;
  CustomerClientCode: string | null; OperationStatus: "Waiting" | "Completed" | "Refund" | "Refunded" | string;
  Error: unknown; ClientParameters: unknown; Message: string | null; PaymentDate: string | null; OrderId: string | null;
}
export interface IzlyPayRefund {
  OperationId: string; IdTransactionDebitIzly: string | null; RefundDate: string | null; Amount: Amount;
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
/** `Till.orderCallback`'s result: the order as it stands (null if none of ours) and the answer. */
export interface OrderCallbackOutcome {
  order: WebOrderRecord | null;
  answer: HttpAnswer;
  /** Set when the order could not be recorded (then `answer` is a 500). */
  error?: { code: string; message: string };
}
export interface IzlyPayCallbackOutcome {
  confirmed: boolean; notification: IzlyPayCallback | null; payment: WebPaymentDetails | null;
  error: { code: string; message: string } | null; answer: HttpAnswer;
}

// esipay's return URL
export interface ExpectedCardPayment { cid: string; amount: Amount }

