//! The HTML of the hosted pages (IzlyConnect login, IzlyPay payment): server-rendered, no script,
//! every inserted text escaped, never cached nor framed (they carry a login form).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Escapes text for an HTML element or a double-quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Cents as the pages show them: `1,00 €`, `12,50 €`.
pub fn euros_fr(cents: i64) -> String {
    crate::util::euros_text(cents).replace('.', ",") + "\u{a0}€"
}

const STYLE: &str = "body{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#222}\
h1{font-size:1.4rem;color:#c8102e}label{display:block;margin-top:.8rem}\
input[type=text],input[type=password]{width:100%;padding:.4rem;box-sizing:border-box}\
.buttons{display:flex;flex-direction:row-reverse;justify-content:flex-end;gap:1rem;margin-top:1rem}\
.message{color:#b00020;font-weight:bold}.sandbox{font-size:.8rem;color:#666;margin-top:2rem}";

/// A whole page with `status`; `body` is HTML whose inserted texts are already escaped.
pub fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} - Izly (bac à sable)</title><style>{STYLE}</style></head>\n<body>\n<h1>{title}</h1>\n{body}\n\
         <p class=\"sandbox\">Bac à sable crous-till : simulateur local, aucun vrai compte Izly.</p>\n</body></html>\n",
        title = escape(title),
    );
    let mut r = (status, html).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    r
}

/// `<p class="message">…</p>` when there is a message to show.
pub fn message(text: Option<&str>) -> String {
    text.map(|m| format!("<p class=\"message\" role=\"alert\">{}</p>\n", escape(m))).unwrap_or_default()
}

/// `<input type="hidden">`.
pub fn hidden(name: &str, value: &str) -> String {
    format!("<input type=\"hidden\" name=\"{}\" value=\"{}\">\n", escape(name), escape(value))
}

/// A redirect that a browser follows with a GET (after a form POST).
pub fn see_other(location: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_formats() {
        assert_eq!(escape("<a href=\"x\">l'été & co</a>"), "&lt;a href=&quot;x&quot;&gt;l&#39;été &amp; co&lt;/a&gt;");
        assert_eq!(euros_fr(100), "1,00\u{a0}€");
        assert_eq!(euros_fr(1250), "12,50\u{a0}€");
    }
}
