//! The request value every builder returns: method, URL, headers, body, plus what an executor
//! needs to resend it safely ([`Safety`]). Nothing here performs I/O.
//!
//! `Debug` never shows a secret: `Authorization` values are replaced by `<redacted>`, a URL that
//! carries a bank card number is shown masked, and bodies are shown by size only.

use super::response::ApiResponse;
use std::fmt;

/// The two HTTP methods the specs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Header names whose values are secrets and never printed.
const SECRET_HEADERS: &[&str] = &["authorization", "proxy-authorization", "cookie", "set-cookie"];

/// True when a header's value must not be logged.
pub fn is_secret_header(name: &str) -> bool {
    SECRET_HEADERS.iter().any(|s| s.eq_ignore_ascii_case(name))
}

/// One HTTP request, ready to be sent by any executor (reqwest, fetch, napi).
#[derive(Clone)]
pub struct ApiRequest {
    /// A stable name for logs and metrics, such as `"izly_pay.init"`.
    pub endpoint: &'static str,
    pub method: Method,
    url: String,
    /// The URL as it may be logged, when the real one carries a secret (esipay's card number).
    redacted_url: Option<String>,
    /// Header names as the specs spell them; executors must send them unchanged.
    pub headers: Vec<(String, String)>,
    /// `None`: no body (and no `Content-Length` needed beyond 0 for a POST).
    pub body: Option<Vec<u8>>,
    /// Whether and how it may be sent again; see [`Safety`].
    pub safety: Safety,
}

impl ApiRequest {
    pub fn new(endpoint: &'static str, method: Method, url: String) -> Self {
        ApiRequest {
            endpoint,
            method,
            url,
            redacted_url: None,
            headers: Vec::new(),
            body: None,
            safety: Safety::Idempotent,
        }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    pub fn json_body(mut self, content_type: &str, body: Vec<u8>) -> Self {
        self.headers.push(("Content-Type".to_owned(), content_type.to_owned()));
        self.body = Some(body);
        self
    }

    pub fn with_safety(mut self, safety: Safety) -> Self {
        self.safety = safety;
        self
    }

    /// Declares the URL as carrying a secret; `shown` is what logs and `Debug` display instead.
    pub fn with_redacted_url(mut self, shown: String) -> Self {
        self.redacted_url = Some(shown);
        self
    }

    /// The URL to send. Do not log it: use [`ApiRequest::display_url`].
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The URL as it may be logged (secrets masked).
    pub fn display_url(&self) -> &str {
        self.redacted_url.as_deref().unwrap_or(&self.url)
    }

    /// The first value of a header, by case-insensitive name.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The core's retry rule as a plain property: may an executor resend this request after a
    /// failure whose outcome is unknown (timeout, connection lost after sending, 5xx)?
    pub fn is_safe_to_retry(&self) -> bool {
        matches!(self.safety, Safety::Idempotent)
    }
}

impl fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Headers<'a>(&'a [(String, String)]);
        impl fmt::Debug for Headers<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut m = f.debug_map();
                for (n, v) in self.0 {
                    if is_secret_header(n) {
                        m.entry(n, &"<redacted>");
                    } else {
                        m.entry(n, v);
                    }
                }
                m.finish()
            }
        }
        f.debug_struct("ApiRequest")
            .field("endpoint", &self.endpoint)
            .field("method", &self.method)
            .field("url", &self.display_url())
            .field("headers", &Headers(&self.headers))
            .field("body", &self.body.as_ref().map(|b| format!("{} bytes", b.len())))
            .field("safety", &self.safety)
            .finish()
    }
}

impl fmt::Display for ApiRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ({})", self.method, self.display_url(), self.endpoint)
    }
}

/// Whether a request may be sent again when its outcome is unknown.
///
/// This is a property of the request value, decided in core for every endpoint, so the native,
/// wasm and Node executors all apply the same rule (see [`super::retry::decide`]).
#[derive(Clone, Debug)]
pub enum Safety {
    /// Reads, and writes the service de-duplicates by a natural key (a Crous ticket by its
    /// idTicketEntete): may be resent after a connection error, a timeout, a 429 or a 5xx.
    Idempotent,
    /// Moves money or consumes a one-time value (a payment, a refund, an OAuth code). It is resent
    /// only when it provably never reached the service (connection refused) or the service refused
    /// it unprocessed (429). After a timeout, a connection lost after sending, or a 5xx, the
    /// executor first runs the reconciliation query, if any, and resends only if the service says
    /// the operation did not happen; otherwise it reports the outcome as unknown.
    Unsafe(UnsafeOp),
}

/// What an executor needs to settle an unknown outcome.
#[derive(Clone, Debug)]
pub struct UnsafeOp {
    /// The caller's own idempotent reference for this operation (the Izly debit reference, the
    /// IzlyPay ClientOrderId, the esipay cid or transaction). Reported in "outcome unknown" errors
    /// so that the caller can look it up in its own records.
    pub reference: String,
    /// How to ask the service what happened, when the service offers a way.
    pub reconcile: Option<Reconcile>,
}

impl Safety {
    /// A payment-like request identified by `reference`, with no way to ask the service.
    pub fn unsafe_op(reference: impl Into<String>) -> Self {
        Safety::Unsafe(UnsafeOp { reference: reference.into(), reconcile: None })
    }

    /// A payment-like request identified by `reference`, settled by `query` and `judge`.
    pub fn reconcilable(reference: impl Into<String>, query: ApiRequest, judge: Judge) -> Self {
        Safety::Unsafe(UnsafeOp {
            reference: reference.into(),
            reconcile: Some(Reconcile { query: Box::new(query), judge }),
        })
    }
}

/// Decides, from the reconciliation query's answer, whether the original operation happened.
pub type Judge = fn(status: u16, headers: &[(String, String)], body: &[u8]) -> Verdict;

/// A reconciliation: a safe query, and the pure function that reads its answer.
#[derive(Clone)]
pub struct Reconcile {
    /// Always [`Safety::Idempotent`].
    pub query: Box<ApiRequest>,
    pub judge: Judge,
}

impl fmt::Debug for Reconcile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reconcile").field("query", &self.query).finish_non_exhaustive()
    }
}

/// What a reconciliation query found.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The operation happened. The response is in the *original* endpoint's shape (rebuilt from
    /// the query's answer when the shapes differ), so the original parser reads it.
    Applied(ApiResponse),
    /// The operation did not happen: sending it again (same reference) is safe.
    NotApplied,
    /// The answer settles nothing (an error, an operation still pending...).
    Unknown(String),
}
