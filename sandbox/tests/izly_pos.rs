//! Izly POS flows over real HTTP on 127.0.0.1: searchQRCode, debits by QR code and by card, the
//! reference look-up, idempotency, every error kind, and concurrency without lost or doubled debits.

mod common;

use common::*;
use crous_till_core::api::executor::CallError;
use crous_till_core::api::izly_pos::{
    self, CardDebit, DebitReference, DebitTarget, IzlyPosApi, IzlyPosError, IzlyPosKey,
};
use crous_till_core::point_of_sale::PointOfSale;
use crous_till_sandbox::Sandbox;
use rust_decimal::Decimal;
use std::str::FromStr;

const TILL: PointOfSale = PointOfSale::new(5, 1, 9, 8, 14);
const CAMILLE: &str = "6000001265"; // 15.25 €
const INES: &str = "6000001301"; // 1.00 €
const LEO: &str = "6000001302"; // blocked

async fn pos_api(s: &Sandbox, pos: PointOfSale) -> IzlyPosApi {
    let f = fixtures(s).await;
    IzlyPosApi::new(&env(s), IzlyPosKey::new(f.till(&pos).unwrap().izly_key.clone()), pos).unwrap()
}

fn eur(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn api_err<T: std::fmt::Debug>(r: Result<T, CallError<IzlyPosError>>) -> IzlyPosError {
    match r {
        Err(CallError::Api { error, .. }) => error,
        other => panic!("expected an API error, got {other:?}"),
    }
}

fn card(id: &str, num: &str) -> DebitTarget {
    DebitTarget::Card(CardDebit { id_support: id.into(), numero_applicatif: num.into(), sam: Some("SAM-1".into()) })
}

#[tokio::test]
async fn a_tapped_card_finds_its_holder_profile() {
    let s = sandbox().await;
    let api = pos_api(&s, TILL).await;
    let ex = executor();
    let search = |id: &str, num: &str| api.search_card(id, num);
    // A visitor (8000/1) and a scholarship holder (10/97): the profile is Izly's, not the till's guess.
    let hugo = ex.call(&search("04D0D0CAFE0001", "1000004"), izly_pos::parse_search_card).await.unwrap().value;
    assert_eq!((hugo.societe, hugo.tarif, hugo.balance), (8000, 1, Some(eur("40.00"))));
    assert_eq!(hugo.to_izly_customer().nom_client.as_deref(), Some("Hugo Durand"));
    let sarah = ex.call(&search("04BA5E00000001", "1000005"), izly_pos::parse_search_card).await.unwrap().value;
    assert_eq!((sarah.societe, sarah.tarif, sarah.code_client.as_str()), (10, 97, "6000050711"));
    // Unknown card, a numeroApplicatif that is not the card's, blocked account, expired right.
    let refusal = |id: &'static str, num: &'static str| {
        let req = search(id, num);
        let ex = ex.clone();
        async move { api_err(ex.call(&req, izly_pos::parse_search_card).await) }
    };
    assert!(
        matches!(refusal("04DEADBEEF0001", "1999999").await, IzlyPosError::UnknownCard(Some(ref x)) if x.code == 105)
    );
    assert!(matches!(refusal("04D0D0CAFE0001", "1000005").await, IzlyPosError::UnknownCard(_)));
    assert!(
        matches!(refusal("04B10C4ED00001", "1000003").await, IzlyPosError::AccountBlocked(Some(ref x)) if x.code == 202)
    );
    assert!(
        matches!(refusal("04E0D0FF000001", "1000006").await, IzlyPosError::RightExpired(Some(ref x)) if x.code == -8)
    );
    // The look-up needs both fields and the till's key.
    assert!(matches!(refusal("", "1000004").await, IzlyPosError::UnknownCard(_)));
    let other = IzlyPosApi::new(&env(&s), IzlyPosKey::new("wrong"), TILL).unwrap();
    assert!(matches!(
        api_err(ex.call(&other.search_card("04D0D0CAFE0001", "1000004"), izly_pos::parse_search_card).await),
        IzlyPosError::Unauthorized(_)
    ));
    // An expired right still pays from its wallet: only the profile lapses.
    let reference = DebitReference::for_ticket(&TILL, "t-nina", 1);
    let req = api.debit(&card("04E0D0FF000001", "1000006"), eur("8.30"), "t-nina", &reference).unwrap();
    let d = ex.call(&req, izly_pos::parse_debit).await.unwrap();
    assert_eq!(d.value.balance, Some(eur("21.70")));
}

#[tokio::test]
async fn search_then_debit_by_qr_code_once() {
    let s = sandbox().await;
    let api = pos_api(&s, TILL).await;
    let ex = executor();
    let qr = qr_code(&s, CAMILLE, 60).await;
    let who = ex.call(&api.search_qr_code(&qr), izly_pos::parse_search_qr_code).await.unwrap().value;
    assert_eq!(who.id_izly.as_deref(), Some(CAMILLE));
    assert_eq!((who.societe, who.tarif), (10, 1));
    assert_eq!(who.balance, Some(eur("15.25")));

    let reference = DebitReference::for_ticket(&TILL, "140000011", 1);
    let req = api.debit(&DebitTarget::QrCode(qr.clone()), eur("3.30"), "140000011", &reference).unwrap();
    let d = ex.call(&req, izly_pos::parse_debit).await.unwrap().value;
    assert_eq!(d.amount, eur("3.30"));
    assert_eq!(d.balance, Some(eur("11.95")));
    assert_eq!(d.reference.as_deref(), Some(reference.as_str()));
    assert_eq!(d.code_client.as_deref(), Some("6000050617"));
    assert_eq!(balance(&s, CAMILLE).await, 1195);

    // Resending the same debit answers the same debit and takes nothing more.
    let again = ex.call(&req, izly_pos::parse_debit).await.unwrap().value;
    assert_eq!(again, d);
    assert_eq!(balance(&s, CAMILLE).await, 1195);

    // The look-up finds it; an unknown reference is 404 + Xpollens 356, which core reads as "not applied".
    let found = ex.call(&api.debit_lookup(&reference), izly_pos::parse_debit).await.unwrap().value;
    assert_eq!(found, d);
    let unknown = DebitReference::for_ticket(&TILL, "nope", 1);
    let resp = ex.execute(&api.debit_lookup(&unknown)).await.unwrap().response;
    assert_eq!(resp.status, 404);
    assert_eq!(
        izly_pos::judge_debit_lookup(resp.status, &resp.headers, &resp.body),
        crous_till_core::api::Verdict::NotApplied
    );
    // Another till cannot see this debit.
    let other = pos_api(&s, PointOfSale::new(5, 1, 9, 8, 15)).await;
    let e = api_err(ex.call(&other.debit_lookup(&reference), izly_pos::parse_debit).await);
    assert!(matches!(e, IzlyPosError::NotFound(Some(ref x)) if x.is_operation_not_found()), "{e:?}");

    // The QR code is single-use: a new debit with it is refused (410), and so is a search.
    let r2 = DebitReference::for_ticket(&TILL, "140000012", 1);
    let req = api.debit(&DebitTarget::QrCode(qr.clone()), eur("1.00"), "140000012", &r2).unwrap();
    assert!(matches!(api_err(ex.call(&req, izly_pos::parse_debit).await), IzlyPosError::QrCodeRejected(Some(_))));
    assert!(matches!(
        api_err(ex.call(&api.search_qr_code(&qr), izly_pos::parse_search_qr_code).await),
        IzlyPosError::QrCodeRejected(_)
    ));
    // The same reference for another debit: 409.
    let qr2 = qr_code(&s, CAMILLE, 60).await;
    let req = api.debit(&DebitTarget::QrCode(qr2), eur("1.00"), "140000011", &reference).unwrap();
    assert!(matches!(api_err(ex.call(&req, izly_pos::parse_debit).await), IzlyPosError::ReferenceConflict(Some(_))));
    assert_eq!(balance(&s, CAMILLE).await, 1195);
    assert_eq!(get_json(&s, "/sandbox/izly/debits").await.as_array().unwrap().len(), 1);
    s.shutdown().await;
}

/// The QR codes follow the public algorithm (public-facts.md): a code is verified by its
/// signature, its HMAC and its counter, so paying with a newer code spends the older ones too.
#[tokio::test]
async fn qr_codes_are_spent_by_counter_and_verified_by_signature() {
    let s = sandbox().await;
    let api = pos_api(&s, TILL).await;
    let ex = executor();
    let older = qr_code(&s, CAMILLE, 60).await;
    let newer = qr_code(&s, CAMILLE, 60).await;
    // Each minted code is the algorithm's own, for the next counter.
    let parts: Vec<&str> = newer.split(';').collect();
    assert_eq!((parts.len(), parts[0], parts[1], parts[3]), (6, "AIZ", CAMILLE, "3"));
    assert_eq!(parts[4].len(), 40, "hex HMAC-SHA1");
    let debit = |qr: &str, ticket: &str| {
        let reference = DebitReference::for_ticket(&TILL, ticket, 1);
        api.debit(&DebitTarget::QrCode(qr.to_owned()), eur("1.00"), ticket, &reference).unwrap()
    };
    // Both verify while neither is spent.
    assert!(ex.call(&api.search_qr_code(&older), izly_pos::parse_search_qr_code).await.is_ok());
    ex.call(&debit(&newer, "q1"), izly_pos::parse_debit).await.unwrap();
    // The older one now replays a spent counter: refused as used (103), nothing taken.
    let e = api_err(ex.call(&debit(&older, "q2"), izly_pos::parse_debit).await);
    assert!(matches!(e, IzlyPosError::QrCodeRejected(Some(ref x)) if x.code == 103), "{e:?}");
    // One character of the HMAC changed: the signature no longer holds (105).
    let fresh = qr_code(&s, CAMILLE, 60).await;
    let mut fields: Vec<String> = fresh.split(';').map(str::to_owned).collect();
    let first = if fields[4].starts_with('0') { "1" } else { "0" };
    fields[4].replace_range(..1, first);
    let tampered = fields.join(";");
    let e = api_err(ex.call(&api.search_qr_code(&tampered), izly_pos::parse_search_qr_code).await);
    assert!(matches!(e, IzlyPosError::QrCodeRejected(Some(ref x)) if x.code == 105), "{e:?}");
    // A stale one (minted already expired): 102.
    let stale = qr_code(&s, CAMILLE, -1).await;
    let e = api_err(ex.call(&api.search_qr_code(&stale), izly_pos::parse_search_qr_code).await);
    assert!(matches!(e, IzlyPosError::QrCodeRejected(Some(ref x)) if x.code == 102), "{e:?}");
    // The fresh one still pays.
    ex.call(&debit(&fresh, "q3"), izly_pos::parse_debit).await.unwrap();
    assert_eq!(balance(&s, CAMILLE).await, 1525 - 200);
    s.shutdown().await;
}

#[tokio::test]
async fn each_refusal_is_its_own_error_and_changes_nothing() {
    let s = sandbox().await;
    let api = pos_api(&s, TILL).await;
    let ex = executor();
    let f = fixtures(&s).await;
    let debit = |target: DebitTarget, amount: &str, ticket: &str| {
        api.debit(&target, eur(amount), ticket, &DebitReference::for_ticket(&TILL, ticket, 1)).unwrap()
    };
    // Expired QR code (minted already expired, and the fixture's stale one): 410.
    let stale = qr_code(&s, CAMILLE, -1).await;
    assert!(matches!(
        api_err(ex.call(&debit(DebitTarget::QrCode(stale), "1.00", "t1"), izly_pos::parse_debit).await),
        IzlyPosError::QrCodeRejected(_)
    ));
    let fixture_stale = f.izly.accounts[0].qr_codes[1].text.clone();
    assert!(matches!(
        api_err(ex.call(&api.search_qr_code(&fixture_stale), izly_pos::parse_search_qr_code).await),
        IzlyPosError::QrCodeRejected(_)
    ));
    // A well-formed code of no account: 404; of Camille but not signed by her key: 410 (105);
    // not a QR code at all: 410 (unreadable).
    let unknown = "AIZ;6099999999;2025-11-20 11:00:00;3;abcdef;c2lnbmF0dXJl";
    assert!(matches!(
        api_err(ex.call(&debit(DebitTarget::QrCode(unknown.into()), "1.00", "t2"), izly_pos::parse_debit).await),
        IzlyPosError::NotFound(_)
    ));
    let forged = "AIZ;6000001265;2025-11-20 11:00:00;3;abcdef;c2lnbmF0dXJl";
    let e = api_err(ex.call(&debit(DebitTarget::QrCode(forged.into()), "1.00", "t2"), izly_pos::parse_debit).await);
    assert!(matches!(e, IzlyPosError::QrCodeRejected(Some(ref x)) if x.code == 105), "{e:?}");
    assert!(matches!(
        api_err(ex.call(&api.search_qr_code("hello"), izly_pos::parse_search_qr_code).await),
        IzlyPosError::QrCodeRejected(_)
    ));
    // Insufficient balance (1.00 € for 3.30 €): 402, and the QR code is still usable afterwards.
    let qr = qr_code(&s, INES, 60).await;
    let e = api_err(ex.call(&debit(DebitTarget::QrCode(qr.clone()), "3.30", "t3"), izly_pos::parse_debit).await);
    assert!(matches!(e, IzlyPosError::InsufficientBalance(Some(ref x)) if x.code == 201), "{e:?}");
    assert!(ex.call(&debit(DebitTarget::QrCode(qr), "1.00", "t4"), izly_pos::parse_debit).await.is_ok());
    assert_eq!(balance(&s, INES).await, 0);
    // Blocked account, by card and by QR code: 423.
    assert!(matches!(
        api_err(ex.call(&debit(card("04B10C4ED00001", "1000003"), "1.00", "t5"), izly_pos::parse_debit).await),
        IzlyPosError::AccountBlocked(_)
    ));
    let qr = qr_code(&s, LEO, 60).await;
    assert!(matches!(
        api_err(ex.call(&api.search_qr_code(&qr), izly_pos::parse_search_qr_code).await),
        IzlyPosError::AccountBlocked(_)
    ));
    // Unknown card: 404; wrong application number: 422.
    assert!(matches!(
        api_err(ex.call(&debit(card("FFFF", "1"), "1.00", "t6"), izly_pos::parse_debit).await),
        IzlyPosError::NotFound(_)
    ));
    assert!(matches!(
        api_err(ex.call(&debit(card("04A1B2C3D4E5F6", "9"), "1.00", "t7"), izly_pos::parse_debit).await),
        IzlyPosError::Refused(_)
    ));
    // A wrong key: 401; the key of another till (AppIdentifier mismatch): 403.
    let wrong = IzlyPosApi::new(&env(&s), IzlyPosKey::new("wrong"), TILL).unwrap();
    assert!(matches!(
        api_err(ex.call(&wrong.search_qr_code(unknown), izly_pos::parse_search_qr_code).await),
        IzlyPosError::Unauthorized(_)
    ));
    let other_key = IzlyPosKey::new(f.till(&PointOfSale::new(5, 1, 9, 8, 15)).unwrap().izly_key.clone());
    let mixed = IzlyPosApi::new(&env(&s), other_key, TILL).unwrap();
    assert!(matches!(
        api_err(ex.call(&mixed.search_qr_code(unknown), izly_pos::parse_search_qr_code).await),
        IzlyPosError::Forbidden(_)
    ));
    // Malformed bodies: 400.
    let mut req = debit(card("04A1B2C3D4E5F6", "1000001"), "1.00", "t8");
    req.body = Some(b"{\"Amount\": -5}".to_vec());
    assert!(matches!(api_err(ex.call(&req, izly_pos::parse_debit).await), IzlyPosError::BadRequest(Some(_))));
    assert_eq!(balance(&s, CAMILLE).await, 1525);
    assert_eq!(balance(&s, LEO).await, 5000);
    assert_eq!(get_json(&s, "/sandbox/izly/debits").await.as_array().unwrap().len(), 1);
    s.shutdown().await;
}

#[tokio::test]
async fn card_debits_accept_the_s_money_content_type() {
    let s = sandbox().await;
    let api = pos_api(&s, TILL).await;
    let mut req = api
        .debit(&card("04A1B2C3D4E5F6", "1000001"), eur("8.10"), "77", &DebitReference::for_ticket(&TILL, "77", 1))
        .unwrap();
    for h in req.headers.iter_mut().filter(|(n, _)| n.eq_ignore_ascii_case("content-type")) {
        h.1 = "application/vnd.s-money.v1+json".into();
    }
    let d = executor().call(&req, izly_pos::parse_debit).await.unwrap().value;
    assert_eq!(d.balance, Some(eur("7.15")));
    s.shutdown().await;
}

#[tokio::test]
async fn concurrent_debits_are_neither_lost_nor_doubled() {
    let s = sandbox().await;
    let api = std::sync::Arc::new(pos_api(&s, TILL).await);
    let ex = std::sync::Arc::new(executor());
    // 40 distinct debits of 0.10 € and each sent twice at once, on one 15.25 € account.
    let mut tasks = Vec::new();
    for i in 0..40 {
        for _ in 0..2 {
            let (api, ex) = (api.clone(), ex.clone());
            tasks.push(tokio::spawn(async move {
                let id = format!("c{i}");
                let req = api
                    .debit(
                        &card("04A1B2C3D4E5F6", "1000001"),
                        eur("0.10"),
                        &id,
                        &DebitReference::for_ticket(&TILL, &id, 1),
                    )
                    .unwrap();
                ex.call(&req, izly_pos::parse_debit).await.unwrap().value
            }));
        }
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(balance(&s, CAMILLE).await, 1525 - 40 * 10);
    assert_eq!(get_json(&s, "/sandbox/izly/debits").await.as_array().unwrap().len(), 40);
    s.shutdown().await;
}

#[tokio::test]
async fn openapi_lists_every_service_route() {
    let s = sandbox().await;
    let doc = get_json(&s, "/sandbox/openapi.json").await;
    assert_eq!(doc["openapi"], "3.0.3");
    for p in [
        "/vem/v1/authenticate",
        "/api/payments/debit/{type}/{code}",
        "/api/payments/debit/reference/{reference}",
        "/api/rightolders/searchQRCode",
        "/sandbox/faults",
    ] {
        assert!(doc["paths"][p].is_object(), "{p}");
    }
    s.shutdown().await;
}
