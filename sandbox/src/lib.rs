//! crous-till sandbox: stateful local simulators of every remote API the tills and web shops
//! call (Crous API, Izly POS, IzlyConnect, IzlyPay, esipay), served by one HTTP server bound to
//! 127.0.0.1, with state in SQLite, fixtures, a reset, and fault injection.
//!
//! It serves the paths, JSON names, headers, statuses and error shapes of the specs and of
//! docs/api-choices.md, read and written with its own literals (`wire`), never with core's
//! builders, constants or wire types: core and the sandbox are each held to the documents, so a
//! mistake in one fails a test rather than being mirrored by the other. Core is used only for the
//! Crous coherence checks of a posted ticket (`check_ticket`).
//!
//! ```no_run
//! # async fn demo() -> Result<(), crous_till_sandbox::SandboxError> {
//! let sandbox = crous_till_sandbox::start(crous_till_sandbox::Config::default()).await?;
//! println!("{}", sandbox.base_url());
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```

// Handlers short-circuit with a ready axum `Response` as their error; boxing it would only add noise.
#![allow(clippy::result_large_err)]

pub mod admin;
pub mod crous;
pub mod esipay;
pub mod faults;
pub mod fixtures;
pub mod izly_connect;
pub mod izly_pay;
pub mod izly_pos;
pub mod izly_qr;
pub mod openapi;
pub mod shapes;
pub mod store;
mod util;
pub mod wire;

pub use fixtures::Fixtures;

use axum::Router;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use store::Db;
use tokio::sync::oneshot;

/// How to start a sandbox.
#[derive(Debug, Clone)]
pub struct Config {
    /// 0: any free port (reported by [`Sandbox::addr`]).
    pub port: u16,
    /// Where `sandbox.sqlite3` lives; `None`: a temporary directory removed on shutdown.
    pub data_dir: Option<PathBuf>,
    /// `None`: the stored fixtures when the data directory has some, else the demo set. `Some`:
    /// these fixtures; when they differ from the stored ones, the state is re-seeded from them.
    pub fixtures: Option<Fixtures>,
    /// Lifetime of Crous tokens, IzlyConnect access tokens and IzlyPay pages.
    pub token_ttl: Duration,
    /// Lifetime of IzlyConnect codes and of QR codes minted by `POST /sandbox/izly/qrcodes`.
    pub code_ttl: Duration,
    /// Altered answers ([`shapes`]); empty: the shapes of `docs/api-choices.md`.
    pub shapes: shapes::ShapeSet,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            port: 0,
            data_dir: None,
            fixtures: None,
            token_ttl: Duration::from_secs(1800),
            code_ttl: Duration::from_secs(120),
            shapes: shapes::ShapeSet::default(),
        }
    }
}

/// Why the sandbox did not start.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("cannot use the data directory: {0}")]
    Io(#[from] std::io::Error),
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Fixtures(#[from] fixtures::FixturesError),
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub db: Arc<Db>,
    pub fixtures: Arc<RwLock<Arc<Fixtures>>>,
    pub faults: Arc<faults::Faults>,
    pub shapes: Arc<shapes::ShapeSet>,
    pub token_ttl: Duration,
    pub code_ttl: Duration,
    pub base_url: Arc<str>,
}

impl AppState {
    pub fn fixtures(&self) -> Arc<Fixtures> {
        self.fixtures.read().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// A running sandbox.
pub struct Sandbox {
    addr: SocketAddr,
    data_dir: PathBuf,
    shutdown: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
    _temp: Option<tempfile::TempDir>,
}

impl Sandbox {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`: the base URL of every service (`Environment::Custom`).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }

    /// Stops accepting, lets requests in flight finish, and returns.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }

    /// Serves until `signal` completes (the CLI passes Ctrl-C).
    pub async fn serve_until(self, signal: impl std::future::Future<Output = ()>) {
        signal.await;
        self.shutdown().await;
    }
}

/// Opens the state, binds 127.0.0.1:`port` and serves in the background.
pub async fn start(config: Config) -> Result<Sandbox, SandboxError> {
    start_with(config, Router::new()).await
}

/// [`start`], also serving `extra` on the same server (same origin), outside the fault layer:
/// `crous-till demo` adds the till page, the browser package and its own `/demo/` routes this way.
/// `extra` must not set a fallback, nor repeat a sandbox route (axum panics on both).
pub async fn start_with(config: Config, extra: Router) -> Result<Sandbox, SandboxError> {
    let (data_dir, temp) = match &config.data_dir {
        Some(d) => {
            std::fs::create_dir_all(d)?;
            (d.clone(), None)
        }
        None => {
            let t = tempfile::Builder::new().prefix("crous-till-sandbox-").tempdir()?;
            (t.path().to_path_buf(), Some(t))
        }
    };
    let db = Db::open(&data_dir.join("sandbox.sqlite3"))?;
    let stored = db.stored_fixtures()?.and_then(|s| Fixtures::from_json(&s).ok());
    let fixtures = match (config.fixtures, stored) {
        (Some(given), Some(stored)) if given == stored => stored,
        (Some(given), _) => {
            db.seed(&given)?;
            given
        }
        (None, Some(stored)) => stored,
        (None, None) => {
            let demo = Fixtures::demo();
            db.seed(&demo)?;
            demo
        }
    };
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), config.port)).await?;
    let addr = listener.local_addr()?;
    let state = AppState {
        db: Arc::new(db),
        fixtures: Arc::new(RwLock::new(Arc::new(fixtures))),
        faults: Arc::new(faults::Faults::default()),
        shapes: Arc::new(config.shapes),
        token_ttl: config.token_ttl,
        code_ttl: config.code_ttl,
        base_url: format!("http://{addr}").into(),
    };
    let app = router(state).merge(extra);
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
    });
    Ok(Sandbox { addr, data_dir, shutdown: Some(tx), task, _temp: temp })
}

/// Every route, with the fault-injection layer in front of the services (not of `/sandbox`).
pub fn router(state: AppState) -> Router {
    let services = Router::new()
        .merge(crous::routes())
        .merge(izly_pos::routes())
        .merge(izly_connect::routes())
        .merge(izly_pay::routes())
        .merge(esipay::routes())
        .layer(axum::middleware::from_fn_with_state(state.clone(), shapes::layer))
        .layer(axum::middleware::from_fn_with_state(state.clone(), faults::layer));
    Router::new()
        .merge(services)
        .merge(admin::routes())
        .fallback(no_such_route)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

/// Set on the router's own 404 (no such path) and 405 (path known, method not), so that a client
/// and `tests/openapi.rs` tell them from a service's own 404 ("unknown QR code", ...).
pub const FALLBACK_HEADER: &str = "x-sandbox-fallback";

fn fallback_answer(status: axum::http::StatusCode, kind: &'static str, message: String) -> axum::response::Response {
    let mut r = util::json(status, "application/json", &serde_json::json!({"error": message}));
    r.headers_mut().insert(FALLBACK_HEADER, axum::http::HeaderValue::from_static(kind));
    r
}

async fn no_such_route(method: axum::http::Method, uri: axum::http::Uri) -> axum::response::Response {
    let message = format!("the sandbox serves no route {method} {} (see GET /sandbox/openapi.json)", uri.path());
    fallback_answer(axum::http::StatusCode::NOT_FOUND, "no-route", message)
}

async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> axum::response::Response {
    let message = format!("{} does not take {method} (see GET /sandbox/openapi.json)", uri.path());
    fallback_answer(axum::http::StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed", message)
}
