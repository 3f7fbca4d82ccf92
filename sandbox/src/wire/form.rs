//! Percent-encoding, as query strings and `application/x-www-form-urlencoded` bodies use it
//! (RFC 3986, and the HTML form rules for `+`), written by the sandbox for itself.

/// Percent-decodes a query component (`+` as a space when `plus_is_space`); `None` when an escape
/// is malformed or the bytes are not UTF-8.
pub fn percent_decode(text: &str, plus_is_space: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// An `application/x-www-form-urlencoded` body's pairs, in order; `None` on a bad escape.
pub fn parse_form(body: &str) -> Option<Vec<(String, String)>> {
    body.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Some((percent_decode(k, true)?, percent_decode(v, true)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_what_clients_send_and_refuses_broken_escapes() {
        assert_eq!(percent_decode("10%2C8000", true).as_deref(), Some("10,8000"));
        assert_eq!(percent_decode("a+b%20c", true).as_deref(), Some("a b c"));
        assert_eq!(percent_decode("a+b", false).as_deref(), Some("a+b"));
        assert_eq!(percent_decode("%E9", true), None);
        assert_eq!(percent_decode("%4", true), None);
        assert_eq!(percent_decode("%zz", true), None);
    }

    #[test]
    fn forms_round_trip() {
        let body = format!("cid={}&amount=12.50&type=card", encode_component("order 7/é"));
        let pairs = parse_form(&body).unwrap();
        assert_eq!(pairs[0], ("cid".to_owned(), "order 7/é".to_owned()));
        assert_eq!(pairs.len(), 3);
        assert_eq!(parse_form("a=%zz"), None);
    }
}
