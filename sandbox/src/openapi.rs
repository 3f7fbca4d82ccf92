//! `GET /sandbox/openapi.json`: an OpenAPI 3.0 document of every route the sandbox serves, built
//! from one table (service, method, path, summary, answers) kept next to the routers.

use serde_json::{json, Map, Value};

/// (tag, method, path, summary, [(status, meaning)]).
type Route = (&'static str, &'static str, &'static str, &'static str, &'static [(&'static str, &'static str)]);

const CROUS_ERR: &str = "Crous error {\"errors\":[{code,message,field}]}";
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
        &[("200", "RightHolder"), ("400", XP_ERR), ("401", "unknown key"), ("403", "AppIdentifier of another till"), ("404", "unknown QR code"), ("410", "QR code used, expired or unreadable"), ("423", "account blocked")]),
    ("izly_pos", "post", "/api/payments/debit/{type}/{code}", "Debit by qrcode (base64 QR text) or card (idSupport); body {Amount cents, Reference, PointOfSale, IdTicketEntete[, NumeroApplicatif, Sam]}; idempotent by Reference",
        &[("200", "the same debit again (same Reference)"), ("201", "Debit"), ("400", XP_ERR), ("401", "unknown key"), ("402", "insufficient balance"), ("403", "another till"), ("404", "unknown QR code or card"), ("409", "Reference used for another debit"), ("410", "QR code used, expired or unreadable"), ("422", "NumeroApplicatif does not match the card"), ("423", "account blocked")]),
    ("izly_pos", "get", "/api/payments/debit/reference/{reference}", "The debit made under a Reference by this till",
        &[("200", "Debit"), ("401", "unknown key"), ("404", "Xpollens 356 Opération introuvable")]),
    ("sandbox", "get", "/sandbox/fixtures", "The fixtures in force (keys, accounts, partner, enterprise)", &[("200", "fixtures JSON")]),
    ("sandbox", "post", "/sandbox/reset", "Forget every change and restore the fixtures; removes the faults", &[("200", "{reset: true}")]),
    ("sandbox", "get", "/sandbox/faults", "The fault rules in force", &[("200", "{rules: [...]}")]),
    ("sandbox", "post", "/sandbox/faults", "Replace the fault rules: {rules: [{method?, path_prefix, error_rate, delay_ms, drop_rate, drop_after_processing, times?}]}",
        &[("200", "the rules"), ("400", "{error}")]),
    ("sandbox", "get", "/sandbox/tickets", "Tickets stored (?pos=5-1-9-8-14)", &[("200", "array")]),
    ("sandbox", "get", "/sandbox/izly/accounts", "Izly balances (cents) and blocked flags", &[("200", "array")]),
    ("sandbox", "get", "/sandbox/izly/debits", "Izly POS debits made", &[("200", "array")]),
    ("sandbox", "post", "/sandbox/izly/qrcodes", "Mint a QR code {id_izly, ttl_seconds} (negative ttl: already expired)", &[("201", "{text, expires_at}"), ("404", "{error}")]),
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
                 "description": "Local simulators of the Crous API, Izly POS, IzlyConnect, IzlyPay and esipay, serving the shapes of crous_till_core::api"},
        "servers": [{"url": "http://127.0.0.1"}],
        "paths": paths,
    })
}
