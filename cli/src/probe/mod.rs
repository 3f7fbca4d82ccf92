//! `crous-till probe --config FILE [--json] [--exchanges FILE] [--timeout-seconds N]`: which of our
//! shape choices (`docs/api-choices.md`) the services named in the configuration confirm.
//!
//! For each configured service a short scenario runs, read mostly ([`crous`], [`izly_pos`],
//! [`izly_pay`]): nothing is debited or posted; an IzlyPay web payment of 0,01 € never authorised
//! is created and reported; only with `--allow-payments`, an esipay payment of 0,01 € is made and
//! refunded at once ([`esipay`]), and reported. Each answer is read by core's parsers and
//! compared with the document's rows ([`choices`]); the table says, for every choice, confirmed,
//! contradicted (the field, what we expected, what the service sent) or not exercised. Every
//! exchange is written, secrets, cards, tokens and the test right holder's identity redacted
//! ([`redact`]), to a file a vendor can share.
//!
//! Exit codes: 0 nothing contradicted; 1 some row contradicted; 2 the configuration is unusable
//! (nothing sent); 3 a service refused the credentials, gave no answer in time, or answered HTML
//! (the table shows what ran before). With `CI` set, only loopback base URLs are accepted: the
//! probe never runs against the real hosts in tests or CI.

mod choices;
mod config;
mod crous;
mod esipay;
mod izly_pay;
mod izly_pos;
mod redact;
mod session;
mod shape;
mod table;

use choices::{Observations, Status};
use session::{ProbeError, Session};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    /// The services to probe and their credentials (JSON; see `cli/src/probe/config.rs`).
    #[arg(long, value_name = "FILE")]
    config: PathBuf,
    /// Where to write the exchanges, redacted.
    #[arg(long, value_name = "FILE", default_value = "probe-exchanges.json")]
    exchanges: PathBuf,
    /// Time limit of each request.
    #[arg(long, default_value_t = 15)]
    timeout_seconds: u64,
    /// Print the table as JSON.
    #[arg(long)]
    json: bool,
    /// Pay 0,01 € with esipay's test card and refund it at once (the esipay section needs it).
    #[arg(long)]
    allow_payments: bool,
}

pub fn run(args: &Args) -> ExitCode {
    let text = match std::fs::read_to_string(&args.config) {
        Ok(t) => t,
        Err(e) => return fail(2, &format!("cannot read the configuration {}: {e}", args.config.display())),
    };
    let config = match config::read(&text, std::env::var_os("CI").is_some()) {
        Ok(c) => c,
        Err(e) => return fail(2, &format!("the configuration {}: {e}", args.config.display())),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => return fail(2, &format!("cannot start the runtime: {e}")),
    };
    let redactor = redact::Redactor::new(config.secrets());
    let mut session = match Session::new(Duration::from_secs(args.timeout_seconds.max(1)), redactor) {
        Ok(s) => s,
        Err(ProbeError::Config(e) | ProbeError::Service(e)) => return fail(2, &e),
    };
    let mut seen = Observations::default();
    let stopped = runtime.block_on(scenarios(&mut session, &mut seen, &config, args.allow_payments));
    redirects(&session, &mut seen);
    let report = seen.report();
    if args.json {
        let created = &session.created;
        println!(
            "{}",
            serde_json::json!({"rows": report, "created": created, "error": stopped.as_ref().err().map(message)})
        );
    } else {
        print!("{}", table::render(&report));
        for created in &session.created {
            println!("created: {created}");
        }
    }
    if let Err(e) = write_exchanges(&session, &args.exchanges) {
        return fail(3, &e);
    }
    eprintln!("exchanges (redacted): {}", args.exchanges.display());
    match stopped {
        Err(ProbeError::Config(e)) => fail(2, &e),
        Err(ProbeError::Service(e)) => fail(3, &e),
        Ok(()) if report.iter().any(|r| r.status == Status::Contradicted) => ExitCode::from(1),
        Ok(()) => ExitCode::SUCCESS,
    }
}

async fn scenarios(
    session: &mut Session,
    seen: &mut Observations,
    config: &config::Config,
    allow_payments: bool,
) -> Result<(), ProbeError> {
    let mut read = None;
    if let Some(c) = &config.crous {
        read = Some(crous::probe(session, seen, c).await?);
    }
    if let Some(c) = &config.izly_pos {
        let key = read.as_ref().and_then(|r| r.izly_key.clone());
        izly_pos::probe(session, seen, c, key, read.as_ref().map(|r| &r.reference)).await?;
    }
    if let Some(c) = &config.izly_pay {
        izly_pay::probe(session, seen, c).await?;
    }
    if let Some(c) = config.esipay.as_ref().filter(|_| allow_payments) {
        esipay::probe(session, seen, c).await?;
    }
    Ok(())
}

/// Core's executor follows no redirect (docs/api-choices.md): a service that answers with one
/// relies on something we do not do.
const REDIRECTS_ROW: &str = "no redirects followed";

fn redirects(session: &Session, seen: &mut Observations) {
    match session.redirects.first() {
        Some(redirect) => {
            seen.contradict(REDIRECTS_ROW, "status", "a final answer (no redirect to follow)", redirect.clone())
        }
        None if !session.exchanges.is_empty() => {
            seen.confirm(REDIRECTS_ROW, format!("{} answers, none a redirect", session.exchanges.len()))
        }
        None => {}
    }
}

fn message(e: &ProbeError) -> &str {
    match e {
        ProbeError::Config(m) | ProbeError::Service(m) => m,
    }
}

/// The exchanges, refused if a secret is still in them.
fn write_exchanges(session: &Session, path: &std::path::Path) -> Result<(), String> {
    let text = serde_json::to_string_pretty(&session.exchanges).expect("exchanges serialize");
    if session.redactor.leaks(&text) {
        return Err("a secret would have been written to the exchanges file: nothing written".into());
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn fail(code: u8, message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(code)
}
