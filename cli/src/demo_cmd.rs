//! `crous-till demo [--port N] [--no-open]`: the browser till against the sandbox, in one process.
//!
//! One server on 127.0.0.1 serves, on one origin (so the page needs no CORS): the sandbox's
//! simulators (crate `crous-till-sandbox`), the till page (`web-demo/`), the browser package
//! (`wasm/pkg`) and the demo's back-end routes under `/demo/` (what must not live in a browser:
//! the web shop's API key). The native bridge runs in the same process on another loopback port,
//! with the page's origin allowed and, unless `--pcsc`, the simulated reader whose test cards the
//! page can tap. Prints the page's URL on stdout (one line), then serves until Ctrl-C.

use crate::demo_bridge::{self, BridgeChoice};
use crate::demo_routes::{self, DemoState};
use crate::demo_static;
use clap::Args as ClapArgs;
use crous_till_sandbox::{start_with, Config, Fixtures};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Port on 127.0.0.1 for the page and the sandbox (0: any free port).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Do not open a browser on the page.
    #[arg(long)]
    pub no_open: bool,
    /// Read the machine's PC/SC readers instead of the simulated reader (needs pcscd).
    #[arg(long)]
    pub pcsc: bool,
    /// The card profile for `--pcsc` (default: the bundled test-card profile).
    #[arg(long, value_name = "FILE")]
    pub card_profile: Option<PathBuf>,
    /// Directory of the sandbox's SQLite state; default: a temporary directory.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// The folder holding `web-demo/` and `wasm/pkg/`; default: this source tree.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

pub fn run(args: &Args) -> ExitCode {
    let root = args.root.clone().unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/..")));
    if !root.join("web-demo/index.html").is_file() {
        eprintln!("error: no till page at {}/web-demo/index.html (use --root)", root.display());
        return ExitCode::from(2);
    }
    if !root.join("wasm/pkg/crous_till.js").is_file() {
        eprintln!(
            "warning: no browser package in {}/wasm/pkg: run `bash scripts/build-wasm-package.sh`",
            root.display()
        );
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let choice = if args.pcsc { BridgeChoice::Pcsc(args.card_profile.clone()) } else { BridgeChoice::Simulated };
    runtime.block_on(serve(args, root, choice))
}

async fn serve(args: &Args, root: PathBuf, choice: BridgeChoice) -> ExitCode {
    let fixtures = demo_routes::with_demo_redirect(Fixtures::demo());
    let state = DemoState::new(fixtures.clone());
    let extra = demo_static::routes(root).merge(demo_routes::routes(state.clone()));
    let config = Config { port: args.port, data_dir: args.data.clone(), fixtures: Some(fixtures), ..Config::default() };
    let sandbox = match start_with(config, extra).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: the sandbox did not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let base_url = sandbox.base_url();
    let origins = vec![base_url.clone(), format!("http://localhost:{}", sandbox.addr().port())];
    let bridge = match demo_bridge::start(origins, choice).await {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: the native bridge did not start: {e}");
            sandbox.shutdown().await;
            return ExitCode::FAILURE;
        }
    };
    state.set_urls(base_url.clone(), bridge.url.clone());
    let page = format!("{base_url}/web-demo/");
    println!("{page}");
    eprintln!(
        "crous-till demo: the till at {page}, the web shop at {base_url}/web-demo/shop.html; sandbox routes at \
         {base_url}/sandbox/openapi.json; card bridge at {} ({}); Ctrl-C to stop",
        bridge.url, bridge.kind
    );
    if !args.no_open {
        open_browser(&page);
    }
    sandbox
        .serve_until(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
    bridge.stop();
    ExitCode::SUCCESS
}

/// Best effort: `xdg-open` (Linux) or `open` (macOS); the URL is printed anyway.
fn open_browser(url: &str) {
    for opener in ["xdg-open", "open"] {
        let spawned = std::process::Command::new(opener)
            .arg(url)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        if spawned.is_ok() {
            return;
        }
    }
}
