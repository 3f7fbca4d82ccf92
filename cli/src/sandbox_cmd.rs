//! `crous-till sandbox [--port N] [--data DIR] [--fixtures FILE] [--shapes FILE]`: runs the local
//! simulators of every remote API (crate `crous-till-sandbox`) on 127.0.0.1, prints the base URL,
//! and serves until Ctrl-C. `--shapes` alters its answers (renamed fields, amounts in cents,
//! other date formats, HTML: `sandbox/src/shapes.rs`), to test a client such as `crous-till probe`
//! against a service that does not answer as we chose.

use clap::Args as ClapArgs;
use crous_till_sandbox::shapes::ShapeSet;
use crous_till_sandbox::{start, Config, Fixtures};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Directory of the SQLite state (kept across restarts); default: a temporary directory.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// JSON fixtures replacing the demo set (see sandbox/fixtures/demo.json).
    #[arg(long)]
    pub fixtures: Option<PathBuf>,
    /// JSON rules altering the answers (see sandbox/src/shapes.rs).
    #[arg(long)]
    pub shapes: Option<PathBuf>,
}

pub fn run(args: &Args) -> ExitCode {
    let fixtures = match read(&args.fixtures, "fixtures", |t| Fixtures::from_json(t).map_err(|e| e.to_string())) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let shapes = match read(&args.shapes, "shapes", ShapeSet::from_json) {
        Ok(s) => s.unwrap_or_default(),
        Err(code) => return code,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let config = Config { port: args.port, data_dir: args.data.clone(), fixtures, shapes, ..Config::default() };
        let sandbox = match start(config).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: the sandbox did not start: {e}");
                return ExitCode::FAILURE;
            }
        };
        println!("{}", sandbox.base_url());
        eprintln!(
            "crous-till sandbox: state in {}; fixtures at {}/sandbox/fixtures; Ctrl-C to stop",
            sandbox.data_dir().display(),
            sandbox.base_url()
        );
        sandbox
            .serve_until(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await;
        ExitCode::SUCCESS
    })
}

/// The file at `path`, when given, read with `parse`; exit 2 with the reason when it cannot be.
fn read<T>(
    path: &Option<PathBuf>,
    what: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<Option<T>, ExitCode> {
    let Some(path) = path else { return Ok(None) };
    match std::fs::read_to_string(path).map_err(|e| e.to_string()).and_then(|t| parse(&t)) {
        Ok(value) => Ok(Some(value)),
        Err(e) => {
            eprintln!("error: cannot use the {what} {}: {e}", path.display());
            Err(ExitCode::from(2))
        }
    }
}
