//! IzlyConnect over real HTTP on 127.0.0.1: the login page driven by plain form posts, codes and
//! tokens with core's builders and parsers, and every refusal (wrong password, code reused or
//! expired, refresh reused, wrong Basic key, bad or expired Bearer, unknown client...).

mod common;

use common::*;
use crous_till_core::api::executor::CallError;
use crous_till_core::api::izly_connect::{
    self, ErrorDetail, IzlyApiKey, IzlyConnectApi, IzlyConnectError, RefreshToken, TokenResponse,
};
use crous_till_core::reference::CustomerProfile;
use crous_till_sandbox::fixtures::IzlyPartner;
use crous_till_sandbox::{start, Config, Fixtures, Sandbox};
use std::time::Duration;

const APP: &str = "sandbox-shop";
const KEY: &str = "sandbox-izly-api-key";
/// The demo partner's second redirect URI (its first is the sandbox's own return page).
const RETURN: &str = "http://127.0.0.1:9/izlyconnect/return";
const CAMILLE: &str = "camille.martin@example.invalid";
const LEO: &str = "leo.bernard@example.invalid"; // blocked
const PASSWORD: &str = "sandbox";

/// The demo partner's default redirect URI: `/sandbox/izly/connect-return` on this sandbox.
fn demo_return(s: &Sandbox) -> String {
    format!("{}/sandbox/izly/connect-return", s.base_url())
}

fn api(s: &Sandbox, app: &str, key: &str) -> IzlyConnectApi {
    IzlyConnectApi::new(&env(s), app, IzlyApiKey::new(key)).unwrap()
}

/// The OAuth error code of a refused call, with its status kind.
fn refusal<T: std::fmt::Debug>(r: Result<T, CallError<IzlyConnectError>>) -> (&'static str, String) {
    let error = match r {
        Err(CallError::Api { error, .. }) => error,
        other => panic!("expected an API error, got {other:?}"),
    };
    let (kind, detail) = match &error {
        IzlyConnectError::BadRequest(d) => ("400", d),
        IzlyConnectError::Unauthorized(d) => ("401", d),
        IzlyConnectError::Forbidden(d) => ("403", d),
        other => panic!("unexpected error {other:?}"),
    };
    match detail {
        ErrorDetail::OAuth(o) => (kind, o.error.clone()),
        other => panic!("expected an OAuth2 error body, got {other:?}"),
    }
}

/// Opens the login page at `url`, checks it, and submits it with `login` / `password`.
async fn log_in(url: &str, login: &str, password: &str, action: &str) -> reqwest::Response {
    let page = client().get(url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = page.text().await.unwrap();
    for text in ["Identifiant", "Mot de passe", "Mot de passe oublié ?", "Se connecter", "Annuler", "name=\"password\""]
    {
        assert!(html.contains(text), "{text} missing from the login page");
    }
    let (action_path, hidden) = form_of(&html);
    let base = url.split("/oauth/").next().unwrap();
    let mut pairs: Vec<(&str, &str)> = hidden.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    pairs.extend([("login", login), ("password", password), ("action", action)]);
    post_form(&format!("{base}{action_path}"), &pairs).await
}

/// A code for `login`, checked to come back with `state`.
async fn code_for(s: &Sandbox, login: &str) -> String {
    let url = api(s, APP, KEY).authorize_url("1", Some("st-42"));
    let r = log_in(&url, login, PASSWORD, "connect").await;
    assert_eq!(r.status(), 303);
    let to = location(&r);
    assert!(to.starts_with(&format!("{}?code=", demo_return(s))), "{to}");
    assert_eq!(query_param(&to, "state").as_deref(), Some("st-42"));
    query_param(&to, "code").unwrap()
}

async fn oauth_state(s: &Sandbox) -> serde_json::Value {
    get_json(s, "/sandbox/izly/oauth").await
}

#[tokio::test]
async fn login_code_tokens_user_and_refresh() {
    let s = sandbox().await;
    let api = api(&s, APP, KEY);
    let ex = executor();
    let code = code_for(&s, CAMILLE).await;

    let t: TokenResponse = ex.call(&api.token_from_code(&code), izly_connect::parse_token).await.unwrap().value;
    assert_eq!(t.token_type, "Bearer");
    assert_eq!(t.expires_in, 1800);
    assert_eq!(t.scopes(), vec!["users_details", "payments", "izly", "pay"]);
    let user = ex.call(&api.users(&t.access_token), izly_connect::parse_users).await.unwrap().value;
    assert_eq!(user.right_holder_id, "1288");
    assert_eq!(user.id_izly.as_deref(), Some("6000001265"));
    assert_eq!(user.code_client.as_deref(), Some("6000050617"));
    assert_eq!(user.rne_etablissement.as_deref(), Some("0751717J"));
    assert_eq!(user.numero_affectation.as_deref(), Some("1"));
    assert_eq!(user.profile(), Some(CustomerProfile::new(10, 1)));
    // The raw JSON has every name of specs 003's example, with its types.
    let raw = client()
        .get(format!("{}/api/izly/users", s.base_url()))
        .header("Authorization", format!("Bearer {}", t.access_token.expose()))
        .send()
        .await
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&raw.bytes().await.unwrap()).unwrap();
    for name in [
        "RightHolderId",
        "IdIzly",
        "Societe",
        "Tarif",
        "AnneeUniv",
        "Employeur",
        "RneEtablissement",
        "RneComposante",
        "CodeEtu",
        "Ine",
        "CodeClient",
        "TypeClient",
        "NumeroAffectation",
        "Id",
    ] {
        assert!(v.get(name).is_some(), "{name} missing in {v}");
    }
    assert!(v["IdIzly"].is_number() && v["RightHolderId"].is_number() && v["CodeClient"].is_string(), "{v}");

    // A code is single-use.
    assert_eq!(
        refusal(ex.call(&api.token_from_code(&code), izly_connect::parse_token).await),
        ("400", "invalid_grant".into())
    );

    // A refresh gives new tokens; the old refresh token is spent.
    let old_refresh = t.refresh_token.clone().unwrap();
    let t2 = ex.call(&api.token_from_refresh(&old_refresh), izly_connect::parse_token).await.unwrap().value;
    assert_ne!(t2.access_token, t.access_token);
    assert_ne!(t2.refresh_token.as_ref(), Some(&old_refresh));
    let again = ex.call(&api.users(&t2.access_token), izly_connect::parse_users).await.unwrap().value;
    assert_eq!(again, user);
    assert_eq!(
        refusal(ex.call(&api.token_from_refresh(&old_refresh), izly_connect::parse_token).await),
        ("400", "invalid_grant".into())
    );
    // An unknown refresh token, and an access token used as a refresh token, are refused too.
    let fake = RefreshToken::new("bm90IGEgdG9rZW4=");
    assert_eq!(refusal(ex.call(&api.token_from_refresh(&fake), izly_connect::parse_token).await).1, "invalid_grant");
    let access_as_refresh = RefreshToken::new(t2.access_token.expose());
    assert_eq!(
        refusal(ex.call(&api.token_from_refresh(&access_as_refresh), izly_connect::parse_token).await).1,
        "invalid_grant"
    );
    // The refreshed pair keeps working.
    let t3 = ex.call(&api.token_from_refresh(t2.refresh_token.as_ref().unwrap()), izly_connect::parse_token).await;
    assert!(t3.is_ok());
    s.shutdown().await;
}

#[tokio::test]
async fn wrong_password_shows_the_form_again_and_creates_nothing() {
    let s = sandbox().await;
    let url = api(&s, APP, KEY).authorize_url("1", Some("abc"));
    let r = log_in(&url, CAMILLE, "not-the-password", "connect").await;
    assert_eq!(r.status(), 401);
    assert!(r.headers().get("location").is_none());
    let html = r.text().await.unwrap();
    assert!(html.contains("Identifiant ou mot de passe incorrect."), "{html}");
    assert!(html.contains(CAMILLE), "the login is kept");
    let (_, hidden) = form_of(&html);
    assert!(hidden.contains(&("state".into(), "abc".into())));
    // An unknown login is refused the same way.
    let r = log_in(&url, "nobody@example.invalid", PASSWORD, "connect").await;
    assert_eq!(r.status(), 401);
    assert_eq!(oauth_state(&s).await["codes"].as_array().unwrap().len(), 0);
    // Then the right password works.
    code_for(&s, CAMILLE).await;
    assert_eq!(oauth_state(&s).await["codes"].as_array().unwrap().len(), 1);
    s.shutdown().await;
}

#[tokio::test]
async fn a_blocked_account_cannot_log_in() {
    let s = sandbox().await;
    let url = api(&s, APP, KEY).authorize_url("1", None);
    let r = log_in(&url, LEO, PASSWORD, "connect").await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("Compte Izly bloqué"));
    assert_eq!(oauth_state(&s).await["codes"].as_array().unwrap().len(), 0);
    s.shutdown().await;
}

#[tokio::test]
async fn cancel_goes_back_with_access_denied() {
    let s = sandbox().await;
    let url = api(&s, APP, KEY).authorize_url("1", Some("s1"));
    let r = log_in(&url, "", "", "cancel").await;
    assert_eq!(r.status(), 303);
    let to = location(&r);
    assert!(to.starts_with(&demo_return(&s)), "{to}");
    assert_eq!(query_param(&to, "error").as_deref(), Some("access_denied"));
    assert_eq!(query_param(&to, "state").as_deref(), Some("s1"));
    assert_eq!(query_param(&to, "code"), None);
    assert_eq!(oauth_state(&s).await["codes"].as_array().unwrap().len(), 0);
    s.shutdown().await;
}

#[tokio::test]
async fn authorize_errors_are_pages_never_redirects() {
    let s = sandbox().await;
    let base = format!("{}/oauth/Home/Authorize", s.base_url());
    let cases = [
        ("response_type=code&client_id=nobody&scope=1", "Application inconnue"),
        ("response_type=token&client_id=sandbox-shop&scope=1", "non pris en charge"),
        ("client_id=sandbox-shop&scope=1", "response_type manquant"),
        ("scope=1&response_type=code", "client_id manquant"),
        (
            "response_type=code&client_id=sandbox-shop&scope=1&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fevil",
            "non enregistrée",
        ),
        ("response_type=code&client_id=sandbox-shop&client_id=sandbox-shop&scope=1", "plusieurs fois"),
    ];
    for (query, message) in cases {
        let r = client().get(format!("{base}?{query}")).send().await.unwrap();
        assert_eq!(r.status(), 400, "{query}");
        assert!(r.headers().get("location").is_none());
        let html = r.text().await.unwrap();
        assert!(html.contains(message), "{query}: {html}");
        assert!(!html.contains("<form"), "{query}");
        // The same request posted as the form is refused the same way, with no redirect.
        let pairs: Vec<(String, String)> = crous_till_core::api::encoding::parse_form(query).unwrap();
        let mut p: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        p.extend([("login", CAMILLE), ("password", PASSWORD)]);
        let r = post_form(&base, &p).await;
        assert_eq!(r.status(), 400, "POST {query}");
        assert!(r.headers().get("location").is_none());
    }
    // A registered redirect_uri given explicitly is used.
    let ok = format!(
        "{base}?response_type=code&client_id=sandbox-shop&scope=1&redirect_uri={}",
        crous_till_core::api::encoding::encode_component(RETURN)
    );
    let r = log_in(&ok, CAMILLE, PASSWORD, "connect").await;
    assert!(location(&r).starts_with(&format!("{RETURN}?code=")));
    // A form that is not form-encoded is refused.
    let r = client().post(&base).header("Content-Type", "application/json").body("{}").send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(oauth_state(&s).await["codes"].as_array().unwrap().len(), 1);
    s.shutdown().await;
}

#[tokio::test]
async fn a_wrong_basic_key_is_refused_and_the_code_stays_usable() {
    let s = sandbox().await;
    let ex = executor();
    let code = code_for(&s, CAMILLE).await;
    let wrong = api(&s, APP, "not-the-key");
    assert_eq!(
        refusal(ex.call(&wrong.token_from_code(&code), izly_connect::parse_token).await),
        ("401", "invalid_client".into())
    );
    // No key at all.
    let r = client()
        .post(format!("{}/oauth/Home/Token?grant_type=authorization_code&code=x", s.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.headers()["www-authenticate"].to_str().unwrap().starts_with("Basic"));
    let t = ex.call(&api(&s, APP, KEY).token_from_code(&code), izly_connect::parse_token).await;
    assert!(t.is_ok(), "{t:?}");
    s.shutdown().await;
}

#[tokio::test]
async fn malformed_token_requests_are_typed() {
    let s = sandbox().await;
    let url = |q: &str| format!("{}/oauth/Home/Token{q}", s.base_url());
    let cases = [
        ("", "invalid_request"),
        ("?grant_type=password&username=x", "unsupported_grant_type"),
        ("?grant_type=authorization_code", "invalid_request"),
        ("?grant_type=refresh_token&refresh_token=", "invalid_request"),
        ("?grant_type=authorization_code&code=%zz", "invalid_request"),
        ("?grant_type=authorization_code&code=unknown", "invalid_grant"),
    ];
    for (q, expected) in cases {
        let r = client().post(url(q)).header("Authorization", format!("Basic {KEY}")).send().await.unwrap();
        let status = r.status().as_u16();
        let body = r.bytes().await.unwrap();
        match izly_connect::parse_token(status, &[], &body) {
            Err(IzlyConnectError::BadRequest(ErrorDetail::OAuth(o))) => assert_eq!(o.error, expected, "{q}"),
            other => panic!("{q}: {other:?}"),
        }
    }
    // The parameters may come as a form body too (RFC 6749 §4.1.3).
    let code = code_for(&s, CAMILLE).await;
    let body =
        format!("grant_type=authorization_code&code={}", crous_till_core::api::encoding::encode_component(&code));
    let r = client()
        .post(url(""))
        .header("Authorization", format!("Basic {KEY}"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    assert!(izly_connect::parse_token(status, &[], &r.bytes().await.unwrap()).is_ok());
    s.shutdown().await;
}

#[tokio::test]
async fn bad_missing_or_expired_bearer_is_refused() {
    let s = sandbox().await;
    let ex = executor();
    let bad = izly_connect::AccessToken::new("bm90IGEgdG9rZW4=");
    assert_eq!(
        refusal(ex.call(&api(&s, APP, KEY).users(&bad), izly_connect::parse_users).await),
        ("401", "invalid_token".into())
    );
    let r = client().get(format!("{}/api/izly/users", s.base_url())).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.headers()["www-authenticate"].to_str().unwrap().starts_with("Bearer"));
    // A refresh token is not an access token.
    let code = code_for(&s, CAMILLE).await;
    let t = ex.call(&api(&s, APP, KEY).token_from_code(&code), izly_connect::parse_token).await.unwrap().value;
    let refresh_as_access = izly_connect::AccessToken::new(t.refresh_token.unwrap().expose());
    assert_eq!(
        refusal(ex.call(&api(&s, APP, KEY).users(&refresh_as_access), izly_connect::parse_users).await).1,
        "invalid_token"
    );
    s.shutdown().await;

    // Access tokens that live no time at all.
    let s = start(Config { token_ttl: Duration::ZERO, ..Config::default() }).await.unwrap();
    let code = code_for(&s, CAMILLE).await;
    let t = ex.call(&api(&s, APP, KEY).token_from_code(&code), izly_connect::parse_token).await.unwrap().value;
    assert_eq!(t.expires_in, 0);
    assert_eq!(
        refusal(ex.call(&api(&s, APP, KEY).users(&t.access_token), izly_connect::parse_users).await),
        ("401", "invalid_token".into())
    );
    // The refresh token still gives a new pair (it lives longer).
    assert!(ex
        .call(&api(&s, APP, KEY).token_from_refresh(t.refresh_token.as_ref().unwrap()), izly_connect::parse_token)
        .await
        .is_ok());
    s.shutdown().await;
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let s = start(Config { code_ttl: Duration::ZERO, ..Config::default() }).await.unwrap();
    let code = code_for(&s, CAMILLE).await;
    let ex = executor();
    assert_eq!(
        refusal(ex.call(&api(&s, APP, KEY).token_from_code(&code), izly_connect::parse_token).await),
        ("400", "invalid_grant".into())
    );
    let r = client()
        .post(format!(
            "{}/oauth/Home/Token?grant_type=authorization_code&code={}",
            s.base_url(),
            crous_till_core::api::encoding::encode_component(&code)
        ))
        .header("Authorization", format!("Basic {KEY}"))
        .send()
        .await
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
    assert_eq!(v["error_description"], "code expiré");
    assert_eq!(oauth_state(&s).await["tokens"].as_array().unwrap().len(), 0);
    s.shutdown().await;
}

#[tokio::test]
async fn a_code_of_another_partner_and_a_narrow_scope() {
    let mut f = Fixtures::demo();
    f.izly.partners.push(IzlyPartner {
        site_name: "Cafétéria en ligne".into(),
        app_identifier: "other-shop".into(),
        api_key: "other-key".into(),
        beneficiary_id: "49916".into(),
        callback_url: "http://127.0.0.1:9/other/callback".into(),
        redirect_uris: vec!["http://127.0.0.1:9/other/return".into()],
        scope: "payments".into(),
    });
    let s = start(Config { fixtures: Some(f), ..Config::default() }).await.unwrap();
    let ex = executor();
    let code = code_for(&s, CAMILLE).await;
    let other = api(&s, "other-shop", "other-key");
    assert_eq!(
        refusal(ex.call(&other.token_from_code(&code), izly_connect::parse_token).await),
        ("400", "invalid_grant".into())
    );
    // The code was not spent by the other partner's attempt.
    assert!(ex.call(&api(&s, APP, KEY).token_from_code(&code), izly_connect::parse_token).await.is_ok());

    // The other partner's tokens lack users_details: 403 on the users endpoint.
    let r = log_in(&other.authorize_url("1", None), CAMILLE, PASSWORD, "connect").await;
    let to = location(&r);
    assert!(to.starts_with("http://127.0.0.1:9/other/return?code="), "{to}");
    let t = ex
        .call(&other.token_from_code(&query_param(&to, "code").unwrap()), izly_connect::parse_token)
        .await
        .unwrap()
        .value;
    assert_eq!(t.scopes(), vec!["payments"]);
    assert_eq!(
        refusal(ex.call(&other.users(&t.access_token), izly_connect::parse_users).await),
        ("403", "insufficient_scope".into())
    );
    s.shutdown().await;
}

#[tokio::test]
async fn forgotten_password_page() {
    let s = sandbox().await;
    let r = client().get(format!("{}/oauth/Home/ForgottenPassword", s.base_url())).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Mot de passe oublié"));
    s.shutdown().await;
}

#[tokio::test]
async fn the_demo_return_page_shows_the_code() {
    let s = sandbox().await;
    let url = api(&s, APP, KEY).authorize_url("1", Some("<b>state</b>"));
    let r = log_in(&url, CAMILLE, PASSWORD, "connect").await;
    let to = location(&r);
    let code = query_param(&to, "code").unwrap();
    let page = client().get(&to).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(&code) && html.contains("&lt;b&gt;state&lt;/b&gt;"), "{html}");
    // The registered absolute URI may be asked for explicitly, and its path form too.
    for asked in [RETURN.to_owned(), "/sandbox/izly/connect-return".to_owned(), demo_return(&s)] {
        let url = format!(
            "{}/oauth/Home/Authorize?response_type=code&client_id={APP}&scope=1&redirect_uri={}",
            s.base_url(),
            crous_till_core::api::encoding::encode_component(&asked)
        );
        let r = log_in(&url, CAMILLE, PASSWORD, "connect").await;
        let expected = if asked == RETURN { RETURN.to_owned() } else { demo_return(&s) };
        assert!(location(&r).starts_with(&format!("{expected}?code=")), "{asked}: {}", location(&r));
    }
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_code_sent_many_times_at_once_gives_tokens_once() {
    let s = sandbox().await;
    let code = code_for(&s, CAMILLE).await;
    let ex = executor();
    let api = api(&s, APP, KEY);
    let req = api.token_from_code(&code);
    let calls = (0..8).map(|_| ex.call(&req, izly_connect::parse_token));
    let results = futures_util::future::join_all(calls).await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    for r in results.into_iter().filter(|r| r.is_err()) {
        assert_eq!(refusal(r), ("400", "invalid_grant".into()));
    }
    assert_eq!(oauth_state(&s).await["tokens"].as_array().unwrap().len(), 2);
    s.shutdown().await;
}
