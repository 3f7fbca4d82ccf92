//! The response value an executor hands to a parser, and small helpers parsers share.

use std::time::Duration;

/// An HTTP response as plain data: status, headers and body bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl ApiResponse {
    pub fn new(status: u16, headers: Vec<(String, String)>, body: Vec<u8>) -> Self {
        ApiResponse { status, headers, body }
    }

    /// A JSON response.
    pub fn json(status: u16, body: Vec<u8>) -> Self {
        ApiResponse { status, headers: vec![("Content-Type".into(), "application/json".into())], body }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// Calls a parser with this response's parts.
    pub fn parse_with<T, E>(
        &self,
        parser: impl FnOnce(u16, &[(String, String)], &[u8]) -> Result<T, E>,
    ) -> Result<T, E> {
        parser(self.status, &self.headers, &self.body)
    }
}

impl std::fmt::Debug for ApiResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        struct Headers<'a>(&'a [(String, String)]);
        impl std::fmt::Debug for Headers<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let mut m = f.debug_map();
                for (n, v) in self.0 {
                    if super::request::is_secret_header(n) {
                        m.entry(n, &"<redacted>");
                    } else {
                        m.entry(n, v);
                    }
                }
                m.finish()
            }
        }
        f.debug_struct("ApiResponse")
            .field("status", &self.status)
            .field("headers", &Headers(&self.headers))
            .field("body", &format!("{} bytes", self.body.len()))
            .finish()
    }
}

/// The first value of a header, by case-insensitive name.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// `Retry-After` as a delay. Only the delta-seconds form is read; an HTTP date (which would need
/// a clock, and core has none) gives `None`, and the executor falls back to its own backoff.
pub fn retry_after(headers: &[(String, String)]) -> Option<Duration> {
    let v = header(headers, "retry-after")?.trim();
    v.parse::<u64>().ok().map(Duration::from_secs)
}

/// True for 2xx.
pub const fn is_success(status: u16) -> bool {
    status >= 200 && status < 300
}

/// The start of a body as text, for error messages (never more than 200 characters).
pub fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut s: String = text.chars().take(200).collect();
    if text.chars().count() > 200 {
        s.push('…');
    }
    s
}

/// A core parser: `(status, headers, body)` to a typed result or the service's typed error.
pub type Parser<T, E> = fn(u16, &[(String, String)], &[u8]) -> Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_only() {
        let h = vec![("Retry-After".to_string(), " 3 ".to_string())];
        assert_eq!(retry_after(&h), Some(Duration::from_secs(3)));
        let h = vec![("retry-after".to_string(), "Wed, 21 Oct 2015 07:28:00 GMT".to_string())];
        assert_eq!(retry_after(&h), None);
        assert_eq!(retry_after(&[]), None);
    }

    #[test]
    fn debug_hides_secrets() {
        let r = ApiResponse::new(200, vec![("Authorization".into(), "tok-secret".into())], b"{}".to_vec());
        let d = format!("{r:?}");
        assert!(!d.contains("tok-secret"), "{d}");
        assert_eq!(r.header("authorization"), Some("tok-secret"));
    }

    #[test]
    fn snippet_is_bounded() {
        let long = vec![b'a'; 500];
        assert_eq!(snippet(&long).chars().count(), 201);
        assert_eq!(snippet(b"abc"), "abc");
    }
}
