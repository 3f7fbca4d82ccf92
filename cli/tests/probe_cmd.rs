//! `crous-till probe` against the real sandbox (the same binary, on 127.0.0.1): every exercised
//! choice confirmed; the sandbox started with altered shapes (`--shapes`: a renamed field, amounts
//! in cents, another date format) each reported as contradicted; bad configuration, refused
//! credentials, a service that never answers and one that answers HTML as clear errors; nothing
//! changed on the services but the one IzlyPay init it reports; no secret in the exchanges file.

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

const INSTALLATION_KEY: &str = "sandbox-install-5-1-9-8-14";
const API_KEY: &str = "sandbox-izly-api-key";
/// The demo fixtures' QR code that stays valid until a debit uses it.
const QR: &str = "AIZ;6000001265;2025-11-20 11:00:00;3;6b1f0c2d9e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c;MEUCIQDsandboxsandboxsandboxsandboxsandboxsandboxAiBzYW5kYm94c2FuZGJveHNhbmRib3hzYW5kYm94";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_crous-till"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("crous-till-probe-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

struct Sandbox {
    child: Child,
    base: String,
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Sandbox {
    fn start(dir: &std::path::Path, shapes: Option<&str>) -> Sandbox {
        Sandbox::start_with(dir, shapes, None)
    }

    fn start_with(dir: &std::path::Path, shapes: Option<&str>, fixtures: Option<&Value>) -> Sandbox {
        let mut command = bin();
        command.args(["sandbox", "--port", "0"]);
        if let Some(fixtures) = fixtures {
            let path = dir.join("fixtures.json");
            std::fs::write(&path, fixtures.to_string()).unwrap();
            command.arg("--fixtures").arg(path);
        }
        if let Some(rules) = shapes {
            let path = dir.join("shapes.json");
            std::fs::write(&path, rules).unwrap();
            command.arg("--shapes").arg(path);
        }
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        Sandbox { child, base: line.trim().to_owned() }
    }

    /// A sandbox admin GET's JSON body.
    fn get(&self, path: &str) -> Value {
        let addr = self.base.strip_prefix("http://").unwrap();
        let mut s = TcpStream::connect(addr).unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        let body = text.split_once("\r\n\r\n").unwrap().1;
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
    }
}

fn config(crous: &str, izly_pos: &str, izly_pay: &str) -> String {
    serde_json::json!({
        "crous": {"environment": crous, "pointOfSale": "5-1-9-8-14", "installationKey": {"env": "PROBE_TEST_CROUS_KEY"}},
        "izlyPos": {"environment": izly_pos, "qrCode": QR, "card": {"idSupport": "04A1B2C3D4E5F6", "numeroApplicatif": "1000001"}},
        "izlyPay": {"environment": izly_pay, "appIdentifier": "sandbox-shop", "apiKey": API_KEY},
    })
    .to_string()
}

struct Run {
    code: i32,
    json: Value,
    stderr: String,
    exchanges: String,
}

fn probe(dir: &std::path::Path, config: &str, extra_env: &[(&str, &str)]) -> Run {
    probe_with(dir, config, extra_env, &[])
}

fn probe_with(dir: &std::path::Path, config: &str, extra_env: &[(&str, &str)], extra_args: &[&str]) -> Run {
    let path = dir.join("probe.json");
    std::fs::write(&path, config).unwrap();
    let exchanges = dir.join("exchanges.json");
    let _ = std::fs::remove_file(&exchanges);
    let mut command = bin();
    command
        .args(["probe", "--json", "--timeout-seconds", "2", "--config"])
        .arg(&path)
        .arg("--exchanges")
        .arg(&exchanges)
        .args(extra_args)
        .env("PROBE_TEST_CROUS_KEY", INSTALLATION_KEY)
        .env_remove("CI");
    for (k, v) in extra_env {
        command.env(k, v);
    }
    let out = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    Run {
        code: out.status.code().unwrap_or(-1),
        json: serde_json::from_str(&stdout).unwrap_or(Value::Null),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        exchanges: std::fs::read_to_string(&exchanges).unwrap_or_default(),
    }
}

/// The reported rows of a status.
fn rows<'a>(run: &'a Run, status: &str) -> Vec<&'a Value> {
    run.json["rows"].as_array().unwrap().iter().filter(|r| r["status"] == status).collect()
}

fn contradiction<'a>(run: &'a Run, starts: &str) -> &'a Value {
    let row = rows(run, "contradicted").into_iter().find(|r| r["row"]["what"].as_str().unwrap().starts_with(starts));
    let row = row.unwrap_or_else(|| panic!("no contradicted row {starts:?}: {}", run.json));
    &row["verdicts"][0]
}

#[test]
fn every_exercised_choice_is_confirmed_by_the_sandbox_and_nothing_but_one_init_changes() {
    let dir = temp_dir("confirmed");
    let sandbox = Sandbox::start(&dir, None);
    let (debits, accounts) = (sandbox.get("/sandbox/izly/debits"), sandbox.get("/sandbox/izly/accounts"));
    let run = probe(&dir, &config(&sandbox.base, &sandbox.base, &sandbox.base), &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.json, run.stderr);
    assert!(rows(&run, "contradicted").is_empty());
    let confirmed: Vec<&str> = rows(&run, "confirmed").iter().map(|r| r["row"]["what"].as_str().unwrap()).collect();
    assert!(confirmed.len() >= 15, "{confirmed:?}");
    for choice in
        ["Query parameter `qrCode`", "\"Did this debit happen?\"", "Card look-up refusals", "Sociétés 10 and 8000"]
    {
        assert!(confirmed.iter().any(|w| w.starts_with(choice)), "{choice} confirmed: {confirmed:?}");
    }
    let not_exercised = rows(&run, "notExercised");
    assert!(not_exercised
        .iter()
        .all(|r| r["why"].is_string() && r["row"]["source"].as_str().unwrap().contains("choice")));

    // What it created, it says; nothing else changed.
    let created = run.json["created"][0].as_str().unwrap();
    let client_order_id = created.split("ClientOrderId ").nth(1).unwrap().split(',').next().unwrap();
    let payments = sandbox.get("/sandbox/izly/web-payments");
    let ours: Vec<&Value> =
        payments.as_array().unwrap().iter().filter(|p| p.to_string().contains(client_order_id)).collect();
    assert_eq!(ours.len(), 1, "{payments}");
    assert!(ours[0].to_string().contains("Waiting"), "{}", ours[0]);
    assert_eq!((sandbox.get("/sandbox/izly/debits"), sandbox.get("/sandbox/izly/accounts")), (debits, accounts));
    assert_eq!(sandbox.get("/sandbox/tickets"), serde_json::json!([]));

    // The exchanges are there, and no secret is.
    assert!(run.exchanges.contains("searchQRCode") && run.exchanges.contains("\"status\": 200"));
    for secret in [
        INSTALLATION_KEY,
        API_KEY,
        "sandbox-izly-key-5-1-9-8-14",
        "6b1f0c2d9e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c",
        "04A1B2C3D4E5F6",
        "Camille",
        "Bearer",
        "sbx.",
    ] {
        assert!(!run.exchanges.contains(secret), "{secret} in the exchanges");
    }
}

#[test]
fn a_renamed_field_amounts_in_cents_and_another_date_format_are_each_contradicted() {
    let dir = temp_dir("altered");
    let shapes = r#"{"rules":[{"path_prefix":"/api/rightolders/","rename":{"DateFinValidite":"DateFin"}},
        {"path_prefix":"/api/Izly/WebPayments","cents":["Amount"]},
        {"path_prefix":"/vem/v1/5/periodes","dates":{"dateDebut":"%d/%m/%Y"}}]}"#;
    let sandbox = Sandbox::start(&dir, Some(shapes));
    let run = probe(&dir, &config(&sandbox.base, &sandbox.base, &sandbox.base), &[]);
    assert_eq!(run.code, 1, "{}\n{}", run.json, run.stderr);

    let renamed = contradiction(&run, "searchQRCode answer");
    assert_eq!(renamed["field"], "DateFinValidite");
    assert!(renamed["seen"].as_str().unwrap().contains("\"DateFin\""), "{renamed}");

    let cents = contradiction(&run, "Init answer");
    assert_eq!((cents["field"].as_str(), cents["seen"].as_str()), (Some("OperationSMoney.Amount"), Some("1")));
    assert!(cents["expected"].as_str().unwrap().starts_with("0.01"));
    assert_eq!(contradiction(&run, "Details: `Amount`")["seen"], "1");

    let date = contradiction(&run, "Each answer is a JSON array");
    assert_eq!(date["field"], "periodes[0].dateDebut");
    assert!(date["seen"].as_str().unwrap().contains("/09/"), "{date}");
}

#[test]
fn bad_configuration_is_exit_2_and_names_the_field_or_variable_never_a_secret() {
    let dir = temp_dir("config");
    let unknown = probe(
        &dir,
        r#"{"crous": {"environment": "http://127.0.0.1:9", "pointOfSale": "5-1-9-8-14", "installationKey": "k", "extra": 1}}"#,
        &[],
    );
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("crous") && unknown.stderr.contains("extra"), "{}", unknown.stderr);

    let unset = r#"{"izlyPay": {"environment": "http://127.0.0.1:9", "appIdentifier": "a", "apiKey": {"env": "PROBE_TEST_UNSET"}}}"#;
    let missing = probe(&dir, unset, &[]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("PROBE_TEST_UNSET is not set"), "{}", missing.stderr);

    let real = config("preprod", "preprod", "preprod");
    let in_ci = probe(&dir, &real, &[("CI", "true")]);
    assert_eq!(in_ci.code, 2, "{}", in_ci.stderr);
    assert!(
        in_ci.stderr.contains("only against 127.0.0.1") && !in_ci.stderr.contains(INSTALLATION_KEY),
        "{}",
        in_ci.stderr
    );
    assert!(in_ci.exchanges.is_empty(), "nothing was sent");
}

#[test]
fn refused_credentials_no_answer_and_an_html_page_are_exit_3_with_a_clear_message() {
    let dir = temp_dir("errors");
    let sandbox = Sandbox::start(&dir, None);
    let refused =
        probe(&dir, &config(&sandbox.base, &sandbox.base, &sandbox.base), &[("PROBE_TEST_CROUS_KEY", "wrong-key")]);
    assert_eq!(refused.code, 3);
    assert!(refused.stderr.contains("crous (authenticate) refused the credentials (status 401)"), "{}", refused.stderr);
    assert!(!refused.stderr.contains("wrong-key") && !refused.exchanges.contains("wrong-key"));

    // A service that accepts the connection and never answers.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_base = format!("http://{}", silent.local_addr().unwrap());
    std::thread::spawn(move || {
        let held: Vec<TcpStream> = silent.incoming().map_while(Result::ok).collect();
        drop(held);
    });
    let only_pay = |base: &str| {
        format!(r#"{{"izlyPay": {{"environment": "{base}", "appIdentifier": "sandbox-shop", "apiKey": "{API_KEY}"}}}}"#)
    };
    let timed_out = probe(&dir, &only_pay(&silent_base), &[]);
    assert_eq!(timed_out.code, 3);
    assert!(
        timed_out.stderr.contains("izlyPay (details (unknown operation)): no answer within 2 s"),
        "{}",
        timed_out.stderr
    );

    // A service that redirects everything (to a login page): core follows no redirect.
    let redirecting = TcpListener::bind("127.0.0.1:0").unwrap();
    let redirecting_base = format!("http://{}", redirecting.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut stream in redirecting.incoming().map_while(Result::ok) {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:9/login\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    let redirected = probe(&dir, &only_pay(&redirecting_base), &[]);
    assert_eq!(redirected.code, 3, "{}", redirected.stderr);
    let row = contradiction(&redirected, "Native executor");
    assert_eq!(row["seen"], "details (unknown operation): 302 → http://127.0.0.1:9/login");

    let html_dir = temp_dir("html");
    let portal = Sandbox::start(&html_dir, Some(r#"{"rules":[{"path_prefix":"/api/Izly/","html":true}]}"#));
    let html = probe(&html_dir, &only_pay(&portal.base), &[]);
    assert_eq!(html.code, 3);
    assert!(
        html.stderr.contains("answered an HTML page (status 200, title \"Portail d'authentification\")"),
        "{}",
        html.stderr
    );
}

#[test]
fn esipay_pays_a_cent_and_refunds_it_at_once_only_with_allow_payments() {
    let dir = temp_dir("esipay");
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut fixtures: Value = serde_json::from_str(include_str!("../../sandbox/fixtures/demo.json")).unwrap();
    fixtures["esipay"]["enterprises"][0]["return_url"] = format!("http://127.0.0.1:{port}/esipay-return").into();
    let uuid = fixtures["esipay"]["enterprises"][0]["uuid"].as_str().unwrap().to_owned();
    let card = fixtures["esipay"]["cards"][0]["number"].as_str().unwrap().to_owned();
    let sandbox = Sandbox::start_with(&dir, None, Some(&fixtures));
    let config = serde_json::json!({"esipay": {"environment": sandbox.base, "uuid": uuid, "returnListen": format!("127.0.0.1:{port}"),
        "card": {"number": {"env": "PROBE_TEST_CARD"}, "month": 12, "year": 2030}}})
    .to_string();
    let cards = sandbox.get("/sandbox/esipay/cards");
    let env = [("PROBE_TEST_CARD", card.as_str())];

    let without = probe_with(&dir, &config, &env, &[]);
    assert_eq!(without.code, 0, "{}", without.stderr);
    let esipay_rows = |run: &Run, status: &str| {
        rows(run, status).into_iter().filter(|r| r["row"]["section"].as_str().unwrap().starts_with("esipay")).count()
    };
    assert_eq!(esipay_rows(&without, "confirmed"), 0);
    assert_eq!(
        sandbox.get("/sandbox/esipay/transactions"),
        serde_json::json!([]),
        "nothing paid without --allow-payments"
    );

    let with = probe_with(&dir, &config, &env, &["--allow-payments"]);
    assert_eq!(with.code, 0, "{}\n{}", with.json, with.stderr);
    assert_eq!(esipay_rows(&with, "confirmed"), 3, "{}", with.json);
    let transactions = sandbox.get("/sandbox/esipay/transactions");
    let paid = &transactions.as_array().unwrap()[..];
    assert_eq!(paid.len(), 1, "{transactions}");
    assert_eq!(
        (paid[0]["amount_cents"].as_i64(), paid[0]["remaining_cents"].as_i64()),
        (Some(1), Some(0)),
        "{transactions}"
    );
    let created = with.json["created"][0].as_str().unwrap();
    assert!(
        created.contains(paid[0]["transaction"].as_str().unwrap()) && created.ends_with("refunded at once"),
        "{created}"
    );
    assert_eq!(sandbox.get("/sandbox/esipay/cards"), cards, "the card's balance is back");
    assert!(!with.exchanges.contains(&card) && with.exchanges.contains("payment (0,01"), "the card number is masked");
}
