// The browser package's own client shapes; the shared ones (Crous, IzlyPos, Esipay options and
// results) are in core/ts/client_types.d.ts.

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
