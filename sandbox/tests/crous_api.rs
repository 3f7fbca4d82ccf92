//! The Crous API flows over real HTTP on 127.0.0.1, with core's builders, parsers and executor.

mod common;

use common::*;
use crous_till_core::api::crous::{self, CrousApi, CrousError, InstallationKey, Resource, TicketOptions};
use crous_till_core::point_of_sale::PointOfSale;
use crous_till_core::reference::ReferenceData;
use crous_till_core::ticket::Ticket;
use crous_till_sandbox::{start, Config};

const TILL: PointOfSale = PointOfSale::new(5, 1, 9, 8, 14);
const OTHER: PointOfSale = PointOfSale::new(5, 1, 9, 8, 15);

fn ticket(id: &str) -> Ticket {
    let mut t: Ticket = serde_json::from_str(include_str!("../../core/tests/fixtures/api/crous/ticket.json"))
        .expect("core's ticket fixture");
    t.id_ticket_entete = Some(id.to_owned());
    t
}

async fn login(s: &crous_till_sandbox::Sandbox, pos: PointOfSale) -> (CrousApi, crous::CrousToken) {
    let f = fixtures(s).await;
    let key = InstallationKey::new(f.till(&pos).unwrap().installation_key.clone());
    let api = CrousApi::new(&env(s), pos, "crous-till-tests").unwrap();
    let token = executor().call(&api.authenticate(&key), crous::parse_authenticate).await.unwrap().value;
    (api, token)
}

#[tokio::test]
async fn authenticate_with_the_point_of_sale_key_only() {
    let s = sandbox().await;
    let f = fixtures(&s).await;
    let ex = executor();
    let api = CrousApi::new(&env(&s), TILL, "t").unwrap();
    // Its own key: a token.
    let own = InstallationKey::new(f.till(&TILL).unwrap().installation_key.clone());
    assert!(ex.call(&api.authenticate(&own), crous::parse_authenticate).await.is_ok());
    // The key of the other till: 403.
    let other = InstallationKey::new(f.till(&OTHER).unwrap().installation_key.clone());
    let e = ex.call(&api.authenticate(&other), crous::parse_authenticate).await.unwrap_err();
    assert!(
        matches!(e, crous_till_core::api::executor::CallError::Api { error: CrousError::Forbidden(ref v), .. } if v[0].field.as_deref() == Some("appSecret")),
        "{e:?}"
    );
    // A wrong key: 401.
    let e = ex.call(&api.authenticate(&InstallationKey::new("nope")), crous::parse_authenticate).await.unwrap_err();
    assert!(
        matches!(e, crous_till_core::api::executor::CallError::Api { error: CrousError::Unauthorized, .. }),
        "{e:?}"
    );
    // An unknown point of sale: 401; the production env code: 400.
    let unknown = CrousApi::new(&env(&s), PointOfSale::new(5, 1, 9, 8, 99), "t").unwrap();
    let e = ex.call(&unknown.authenticate(&own), crous::parse_authenticate).await.unwrap_err();
    assert!(matches!(e, crous_till_core::api::executor::CallError::Api { error: CrousError::Unauthorized, .. }));
    let prd = CrousApi::new(&env(&s), TILL, "t").unwrap().with_env_code("PRD");
    let e = ex.call(&prd.authenticate(&own), crous::parse_authenticate).await.unwrap_err();
    assert!(
        matches!(e, crous_till_core::api::executor::CallError::Api { error: CrousError::BadRequest(_), .. }),
        "{e:?}"
    );
    s.shutdown().await;
}

#[tokio::test]
async fn caisse_and_every_reference_resource() {
    let s = sandbox().await;
    let f = fixtures(&s).await;
    let (api, token) = login(&s, TILL).await;
    let ex = executor();
    let c = ex.call(&api.caisse(&token), crous::parse_caisse).await.unwrap().value;
    assert_eq!(c.cle_authentification_izly.expose(), f.till(&TILL).unwrap().izly_key);
    assert_eq!(c.libelle.as_deref(), Some("Caisse 14"));
    // Another till's caisse with this token: 403.
    let other = CrousApi::new(&env(&s), OTHER, "t").unwrap();
    let e = ex.call(&other.caisse(&token), crous::parse_caisse).await.unwrap_err();
    assert!(matches!(e, crous_till_core::api::executor::CallError::Api { error: CrousError::Forbidden(_), .. }));

    let mut data = ReferenceData::default();
    for r in Resource::ALL {
        let req = api.reference(&token, r, &[]);
        let resp = ex.execute(&req).await.unwrap().response;
        crous::parse_into(&mut data, r, resp.status, &resp.headers, &resp.body).unwrap();
    }
    assert_eq!(data, f.crous.ticket_rules());
    // The filters core sends.
    let arts = ex.call(&api.articles(&token, true), crous::parse_articles).await.unwrap().value;
    assert!(arts.iter().all(|a| a.vers_bornes_prepaiement == Some(true)) && !arts.is_empty());
    let prices = ex
        .call(
            &api.articles_societes_tarifs_periodes(&token, &[10], false),
            crous::parse_articles_societes_tarifs_periodes,
        )
        .await
        .unwrap()
        .value;
    assert!(!prices.is_empty() && prices.iter().all(|p| p.code_societe == 10));
    let both = ex
        .call(
            &api.articles_societes_tarifs_periodes(&token, &crous::PRICE_SOCIETES, false),
            crous::parse_articles_societes_tarifs_periodes,
        )
        .await
        .unwrap()
        .value;
    assert!(both.iter().any(|p| p.code_societe == 8000 && p.code_article == 100));
    // No or a bad token: 401.
    let e = ex.call(&api.tva(&crous::CrousToken::new("Bearer forged")), crous::parse_tva).await.unwrap_err();
    assert!(matches!(e, crous_till_core::api::executor::CallError::Api { error: CrousError::Unauthorized, .. }));
    s.shutdown().await;
}

#[tokio::test]
async fn tokens_expire() {
    let s = start(Config { token_ttl: std::time::Duration::from_millis(300), ..Config::default() }).await.unwrap();
    let (api, token) = login(&s, TILL).await;
    assert!(executor().call(&api.tva(&token), crous::parse_tva).await.is_ok());
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let e = executor().call(&api.tva(&token), crous::parse_tva).await.unwrap_err();
    assert!(matches!(e, crous_till_core::api::executor::CallError::Api { error: CrousError::Unauthorized, .. }));
    s.shutdown().await;
}

#[tokio::test]
async fn tickets_are_checked_stored_once_and_listed() {
    let s = sandbox().await;
    let f = fixtures(&s).await;
    let (api, token) = login(&s, TILL).await;
    let ex = executor();
    let reference = &f.crous.ticket_rules();
    let good = ticket("140000011");
    let req = api.ticket(&token, &good, reference, TicketOptions { vers_commande_en_ligne: true }).unwrap();
    let ok = ex.call(&req, crous::parse_ticket).await.unwrap().value;
    assert_eq!(ok.status, 201);
    assert_eq!(ok.body.unwrap()["idTicketEntete"], "140000011");

    // The same idTicketEntete again, even with other content: 409, and the first one is kept.
    let mut copy = ticket("140000011");
    copy.numero_ticket = Some("999".into());
    let req = api.ticket(&token, &copy, reference, TicketOptions::default()).unwrap();
    let e = ex.call(&req, crous::parse_ticket).await.unwrap_err();
    assert!(
        matches!(e, crous_till_core::api::executor::CallError::Api { error: CrousError::DuplicateTicket(ref v), .. } if v[0].field.as_deref() == Some("idTicketEntete")),
        "{e:?}"
    );

    // The same id from the other till is another ticket.
    let (api2, token2) = login(&s, OTHER).await;
    let req = api2.ticket(&token2, &ticket("140000011"), reference, TicketOptions::default()).unwrap();
    assert_eq!(ex.call(&req, crous::parse_ticket).await.unwrap().value.status, 201);

    // A ticket failing the checks (built by hand: core's builder would refuse it): 422 with the violations.
    let mut bad = ticket("140000012");
    bad.liste_lignes.as_mut().unwrap()[0].code_article = Some(999_999);
    let mut req = api.ticket(&token, &ticket("140000012"), reference, TicketOptions::default()).unwrap();
    req.body = Some(serde_json::to_vec(&bad).unwrap());
    let e = ex.call(&req, crous::parse_ticket).await.unwrap_err();
    let crous_till_core::api::executor::CallError::Api { error: CrousError::Unprocessable(v), .. } = e else {
        panic!("{e:?}")
    };
    assert!(v.iter().any(|x| x.code == "unknown_article" && x.field.as_deref().is_some_and(|f| f.starts_with("listeLignes[0]"))), "{v:?}");

    // Not a ticket at all: 400. Another till's path: 403. No token: 401.
    let mut req = api.ticket(&token, &ticket("140000013"), reference, TicketOptions::default()).unwrap();
    req.body = Some(b"{not json".to_vec());
    assert!(matches!(
        ex.call(&req, crous::parse_ticket).await.unwrap_err(),
        crous_till_core::api::executor::CallError::Api { error: CrousError::BadRequest(_), .. }
    ));
    let req = api2.ticket(&token, &ticket("140000014"), reference, TicketOptions::default()).unwrap();
    assert!(matches!(
        ex.call(&req, crous::parse_ticket).await.unwrap_err(),
        crous_till_core::api::executor::CallError::Api { error: CrousError::Forbidden(_), .. }
    ));

    let stored = get_json(&s, "/sandbox/tickets?pos=5-1-9-8-14").await;
    let stored = stored.as_array().unwrap();
    assert_eq!(stored.len(), 1, "only the first ticket was stored for this till");
    assert_eq!(stored[0]["ticket"]["numeroTicket"], "210402149");
    assert_eq!(stored[0]["versCommandeEnLigne"], true);
    assert_eq!(stored[0]["use"], "crous-till-tests");
    assert_eq!(get_json(&s, "/sandbox/tickets").await.as_array().unwrap().len(), 2);
    s.shutdown().await;
}

#[tokio::test]
async fn state_survives_a_restart_and_reset_restores_the_fixtures() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = Config { data_dir: Some(dir.path().to_path_buf()), ..Config::default() };
    let s = start(cfg.clone()).await.unwrap();
    let f = fixtures(&s).await;
    let (api, token) = login(&s, TILL).await;
    let req = api.ticket(&token, &ticket("1"), &f.crous.ticket_rules(), TicketOptions::default()).unwrap();
    executor().call(&req, crous::parse_ticket).await.unwrap();
    s.shutdown().await;

    let s = start(cfg.clone()).await.unwrap();
    assert_eq!(get_json(&s, "/sandbox/tickets").await.as_array().unwrap().len(), 1);
    // The token too survives.
    assert!(
        executor().call(&api.tva(&token), crous::parse_tva).await.is_err(),
        "another port: the old api points elsewhere"
    );
    let api = CrousApi::new(&env(&s), TILL, "t").unwrap();
    assert!(executor().call(&api.tva(&token), crous::parse_tva).await.is_ok());
    let (status, _) = post_json(&s, "/sandbox/reset", serde_json::json!({})).await;
    assert_eq!(status, 200);
    assert!(get_json(&s, "/sandbox/tickets").await.as_array().unwrap().is_empty());
    s.shutdown().await;

    // Other fixtures replace the stored ones (and the state).
    let mut other = crous_till_sandbox::Fixtures::demo();
    other.crous.restaurants[0].tills[0].installation_key = "replaced".into();
    let s = start(Config { fixtures: Some(other.clone()), ..cfg }).await.unwrap();
    assert_eq!(fixtures(&s).await, other);
    s.shutdown().await;
}
