//! `GET /sandbox/openapi.json`: an OpenAPI 3.0 document of every route the sandbox serves, built
//! from one table (service, method, path, summary, answers) kept next to the routers.

use serde_json::{json, Map, Value};

/// (tag, method, path, summary, [(status, meaning)]).
type Route = (&'static str, &'static str, &'static str, &'static str, &'static [(&'static str, &'static str)]);

const CROUS_ERR: &str = "Crous error {\"errors\":[{code,message,field}]}";
const ESIPAY_ERR: &str =
    "text/plain <code>: <message> (bad parameter, unknown uuid, card or transaction, expired card, insufficient funds)";
const XP_ERR: &str = "Xpollens error {Code,ErrorMessage,Title,Priority}";

pub const ROUTES: &[Route] = &[
    ("crous", "post", "/vem/v1/authenticate", "Token for a point of sale: body {env: PPD, appId: crous-ug-ru-ud-caisse, appSecret: installation key}; the token is in the Authorization response header",
        &[("200", "token in the Authorization header"), ("400", CROUS_ERR), ("401", "unknown point of sale or wrong key"), ("403", "key of another point of sale")]),
    ("crous", "get", "/vem/v1/{idCrous}/remontee-caisse/caisse/{idCrous2}/{idUg}/{idRu}/{idUd}/{idCaisse}", "The caisse: {libelle, cleAuthentificationIzly}",
        &[("200", "the caisse"), ("401", "no or expired token"), ("403", "another point of sale"), ("404", CROUS_ERR)]),
    ("crous", "get", "/vem/v1/{idCrous}/{resource}", "Reference rows: tva, articles, societes, societes-tarifs, periodes, societes-tarifs-periode, articles-societes-tarifs-periodes (codesSocietes, periodesFutures, versBornesPrepaiement), droits-entree, subventions, droits-entree-types",
        &[("200", "a JSON array of rows"), ("401", "no or expired token"), ("403", "another Crous"), ("404", "unknown resource")]),
    ("crous", "post", "/vem/v1/{idCrous}/remontee-caisse/tickets/{idCrous2}/{idUg}/{idRu}/{idUd}/{idCaisse}", "Send a ticket (?use=<software>[&versCommandeEnLigne=1]); checked with core's check_ticket",
        &[("201", "{idTicketEntete}"), ("400", CROUS_ERR), ("401", "no or expired token"), ("403", "another point of sale"), ("409", "idTicketEntete already received for this point of sale"), ("422", "check violations as {code, message, field}")]),
    ("izly_pos", "get", "/api/rightolders/searchQRCode", "Right holder behind ?qrCode=<base64 QR text>; headers Authorization: Basic <caisse key>, AppIdentifier",
        &[("200", "RightHolder"), ("400", XP_ERR), ("401", "unknown key"), ("403", "AppIdentifier of another till"), ("404", "unknown QR code"), ("410", "QR code used, expired or unreadable"), ("422", "rights expired (code -8)"), ("423", "account blocked")]),
    ("izly_pos", "get", "/api/rightolders/searchCard", "Right holder of a tapped card: ?idSupport=…&numeroApplicatif=… (the ZDC's fields); same headers and answer as searchQRCode",
        &[("200", "RightHolder"), ("400", XP_ERR), ("401", "unknown key"), ("403", "AppIdentifier of another till"), ("404", "unknown card, or numeroApplicatif not the card's (105)"), ("422", "rights expired (code -8)"), ("423", "account blocked")]),
    ("izly_pos", "post", "/api/payments/debit/{type}/{code}", "Debit by qrcode (base64 QR text) or card (idSupport); body {Amount cents, Reference, PointOfSale, IdTicketEntete[, NumeroApplicatif, Sam]}; idempotent by Reference",
        &[("200", "the same debit again (same Reference)"), ("201", "Debit"), ("400", XP_ERR), ("401", "unknown key"), ("402", "insufficient balance"), ("403", "another till"), ("404", "unknown QR code or card"), ("409", "Reference used for another debit"), ("410", "QR code used, expired or unreadable"), ("422", "NumeroApplicatif does not match the card"), ("423", "account blocked")]),
    ("izly_pos", "get", "/api/payments/debit/reference/{reference}", "The debit made under a Reference by this till",
        &[("200", "Debit"), ("401", "unknown key"), ("404", "Xpollens 356 Opération introuvable")]),
    ("izly_connect", "get", "/oauth/Home/Authorize", "IzlyConnect login page (HTML): ?response_type=code&client_id=<app_identifier>&scope=…[&state=…][&redirect_uri=<registered>]",
        &[("200", "the login form (identifiant, mot de passe)"), ("400", "HTML error page, no redirect: unknown client_id, response_type not code, unregistered redirect_uri")]),
    ("izly_connect", "post", "/oauth/Home/Authorize", "The login form (application/x-www-form-urlencoded: the authorize parameters, login, password, action=connect|cancel)",
        &[("303", "to the redirect URI with ?code=…[&state=…], or ?error=access_denied on cancel"), ("400", "HTML error page"), ("401", "the form again: wrong identifiant or mot de passe"), ("403", "the form again: account blocked")]),
    ("izly_connect", "get", "/oauth/Home/ForgottenPassword", "\"Mot de passe oublié\" page (HTML; recovery not simulated)", &[("200", "HTML")]),
    ("izly_connect", "post", "/oauth/Home/Token", "Tokens: ?grant_type=authorization_code&code=… or ?grant_type=refresh_token&refresh_token=… (single-use, rotated); Authorization: Basic <api key>",
        &[("200", "{access_token, token_type, expires_in, refresh_token, scope}"), ("400", "OAuth2 {error, error_description}: invalid_request, unsupported_grant_type, invalid_grant (unknown, used, expired code or refresh token)"), ("401", "invalid_client: wrong Basic key")]),
    ("izly_connect", "get", "/api/izly/users", "The right holder's details; Authorization: Bearer <access_token>",
        &[("200", "{RightHolderId, IdIzly, Societe, Tarif, AnneeUniv, Employeur, RneEtablissement, RneComposante, CodeEtu, Ine, CodeClient, TypeClient, NumeroAffectation, Id}"), ("401", "invalid_token: unknown, revoked or expired"), ("403", "insufficient_scope")]),
    ("izly_pay", "post", "/api/Izly/WebPayments", "Start a web payment: body {Amount cents, ClientOrderId[, CallbackParameters, RedirectUrlAfterPayment, Message, Software]}; headers Authorization: Basic <api key>, AppIdentifier, Content-Type application/vnd.Xpollens.v1+json",
        &[("200", "{PaymentAuthorizationUrl, OperationSMoney, Beneficiary}"), ("400", XP_ERR), ("401", "unknown key"), ("403", "AppIdentifier of another partner"), ("409", "ClientOrderId already paid (357)")]),
    ("izly_pay", "get", "/api/Izly/WebPayments/{id}/Authorize", "The hosted payment page (HTML, ?token=…): site, amount, identifiant, mot de passe, Annuler / Valider; or the payment's outcome",
        &[("200", "the form, or the outcome page"), ("404", "unknown payment or token"), ("410", "page expired")]),
    ("izly_pay", "post", "/api/Izly/WebPayments/{id}/Authorize", "The payment form (application/x-www-form-urlencoded: login, password, action=valider|annuler); Valider debits, POSTs the callback, then redirects",
        &[("303", "to RedirectUrlAfterPayment once paid, else to the page showing the outcome"), ("400", "the form again: bad form"), ("401", "the form again: wrong identifiant or mot de passe"), ("404", "unknown payment or token"), ("409", "the payment is no longer waiting"), ("410", "page expired")]),
    ("izly_pay", "get", "/api/Izly/WebPayments/{id}", "A web payment's details (OperationStatus Waiting, Completed, Refund, Canceled, Failed, Expired)",
        &[("200", "{OperationId, IdTransactionDebitIzly, Amount, …, OperationStatus, Error, PaymentDate, OrderId}"), ("401", "unknown key"), ("403", "AppIdentifier of another partner"), ("404", "Xpollens 356 Opération introuvable (also another partner's)")]),
    ("izly_pay", "post", "/api/Izly/WebPayments/{id}/Refund", "Refund a Completed payment in full, once: ?clientOrderId=<its ClientOrderId>",
        &[("200", "{OperationId, IdTransactionDebitIzly, RefundDate, Amount, OperationStatus: Refund, ClientOrderId}"), ("400", XP_ERR), ("401", "unknown key"), ("404", "Xpollens 356"), ("409", "not Completed (360) or already refunded (361)"), ("422", "clientOrderId is not the operation's (362)")]),
    ("esipay", "post", "/cardpay/{uuid}/{cid}/{cardnumber}/{cardmonth}/{cardyear}/{amount}", "Card payment (amount with '.', e.g. 12.50; month 1-12; year 4 digits); then POSTs type, amount, transaction, cid (form-urlencoded) to the enterprise's return URL, which must answer 200 within 5 s",
        &[("200", "done, the return URL answered 200"), ("400", ESIPAY_ERR), ("403", "caller IP not registered for the enterprise"), ("500", "return URL did not answer 200 in time: transaction cancelled, card re-credited")]),
    ("esipay", "post", "/cardpay/{uuid}/{transaction}", "Refund what remains of a transaction",
        &[("200", "refunded"), ("400", ESIPAY_ERR), ("403", "caller IP not registered for the enterprise")]),
    ("esipay", "post", "/cardpay/{uuid}/{transaction}/{amount}", "Partial refund (amount with '.')",
        &[("200", "refunded"), ("400", "text/plain <code>: <message>; also the amount exceeds what remains"), ("403", "caller IP not registered for the enterprise")]),
    ("sandbox", "get", "/sandbox/fixtures", "The fixtures in force (keys, accounts, partner, enterprise)", &[("200", "fixtures JSON")]),
    ("sandbox", "post", "/sandbox/reset", "Forget every change and restore the fixtures; removes the faults", &[("200", "{reset: true}")]),
    ("sandbox", "get", "/sandbox/faults", "The fault rules in force", &[("200", "{rules: [...]}")]),
    ("sandbox", "post", "/sandbox/faults", "Replace the fault rules: {rules: [{method?, path_prefix, error_rate, delay_ms, drop_rate, drop_after_processing, times?}]}",
        &[("200", "the rules"), ("400", "{error}")]),
    ("sandbox", "get", "/sandbox/tickets", "Tickets stored (?pos=5-1-9-8-14)", &[("200", "array")]),
    ("sandbox", "get", "/sandbox/izly/accounts", "Izly balances (cents) and blocked flags", &[("200", "array")]),
    ("sandbox", "get", "/sandbox/izly/debits", "Izly POS debits made", &[("200", "array")]),
    ("sandbox", "post", "/sandbox/izly/qrcodes", "Mint a QR code by the public algorithm {id_izly, ttl_seconds} (dated to go stale after ttl; negative: already stale)", &[("201", "{text, expires_at}"), ("404", "{error}")]),
    ("sandbox", "get", "/sandbox/esipay/transactions", "esipay transactions (status pending, accepted, cancelled or refunded; card masked)", &[("200", "array")]),
    ("sandbox", "get", "/sandbox/esipay/cards", "esipay test cards and their balances (cents)", &[("200", "array")]),
    ("sandbox", "post", "/sandbox/esipay/return", "The demo enterprise's esipay return URL (fixtures: \"/sandbox/esipay/return\", a path meaning this sandbox): 200 when core's parse_return reads the POST", &[("200", "read"), ("400", "text/plain <code>: <message>")]),
    ("sandbox", "get", "/sandbox/izly/oauth", "IzlyConnect codes and tokens handed out (used, revoked, expired)", &[("200", "{codes, tokens}")]),
    ("sandbox", "get", "/sandbox/izly/web-payments", "IzlyPay web payments with their status and callback (URL, status, answer, error)", &[("200", "array")]),
    ("sandbox", "post", "/sandbox/izly/callback", "The demo partner's IzlyPay callback URL (fixtures: \"/sandbox/izly/callback\", a path meaning this sandbox): core's answer {Code, ErrorMessage}", &[("200", "read by core's parse_callback: {Code: 0, ErrorMessage: \"\"}"), ("400", "not a callback")]),
    ("sandbox", "get", "/sandbox/izly/connect-return", "The demo partner's IzlyConnect redirect URI (fixtures: \"/sandbox/izly/connect-return\"): shows the code or error received (HTML)", &[("200", "HTML")]),
    ("sandbox", "post", "/sandbox/izly/web-payments/{id}/callback", "Send a Completed or Failed payment's callback again", &[("200", "{url, status, answer, error, accepted}"), ("404", "{error}"), ("409", "{error}: no callback for this status")]),
    ("sandbox", "get", "/sandbox/openapi.json", "This document", &[("200", "OpenAPI 3.0")]),
];

pub fn document() -> Value {
    let mut paths = Map::new();
    for (tag, method, path, summary, answers) in ROUTES {
        let params: Vec<Value> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|n| json!({"name": n, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        let responses: Map<String, Value> =
            answers.iter().map(|(s, d)| (s.to_string(), json!({"description": d}))).collect();
        let op = json!({"tags": [tag], "summary": summary, "parameters": params, "responses": responses});
        paths
            .entry(path.to_string())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .unwrap()
            .insert(method.to_string(), op);
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "crous-till sandbox", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Local simulators of the Crous API, Izly POS, IzlyConnect, IzlyPay and esipay, serving the shapes of the specs and of docs/api-choices.md"},
        "servers": [{"url": "http://127.0.0.1"}],
        "paths": paths,
    })
}
