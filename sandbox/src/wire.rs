//! The wire literals the sandbox reads and writes, taken from the specs and public-facts.md by
//! the sandbox itself, never from core: a wrong path, header or name in core then fails a test
//! instead of being mirrored here.

/// IzlyPay / Izly POS JSON media type (specs 002/003: `Content-Type: application/vnd.Xpollens.v1+json`).
pub const XPOLLENS_JSON: &str = "application/vnd.Xpollens.v1+json";
/// IzlyPay's web payments resource (specs 002: `$baseUrl/api/Izly/WebPayments`).
pub const PATH_WEB_PAYMENTS: &str = "/api/Izly/WebPayments";
/// The IzlyPay partner's header (specs 002: `AppIdentifier: $AppIdentifier`).
pub const H_APP_IDENTIFIER: &str = "AppIdentifier";
/// Xpollens' "Opération introuvable" (specs 003: error 356).
pub const CODE_OPERATION_NOT_FOUND: i64 = 356;
/// IzlyPay's dates in its answers and callbacks (specs 003 example: `"Date": "03/05/2021 15:37:30"`).
pub const FRENCH_DATE: &str = "%d/%m/%Y %H:%M:%S";
/// The Crous API's `env` for anything but production (public-facts.md: `PRD` / `PPD`).
pub const CROUS_ENV_PREPRODUCTION: &str = "PPD";

/// The Crous reference resources, named as specs 001 lists them ("Liste des ressources").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrousResource {
    Tva,
    Articles,
    Societes,
    SocietesTarifs,
    Periodes,
    SocietesTarifsPeriode,
    ArticlesSocietesTarifsPeriodes,
    DroitsEntree,
    Subventions,
    DroitsEntreeTypes,
}

impl CrousResource {
    const ALL: [(CrousResource, &'static str); 10] = [
        (CrousResource::Tva, "tva"),
        (CrousResource::Articles, "articles"),
        (CrousResource::Societes, "societes"),
        (CrousResource::SocietesTarifs, "societes-tarifs"),
        (CrousResource::Periodes, "periodes"),
        (CrousResource::SocietesTarifsPeriode, "societes-tarifs-periode"),
        (CrousResource::ArticlesSocietesTarifsPeriodes, "articles-societes-tarifs-periodes"),
        (CrousResource::DroitsEntree, "droits-entree"),
        (CrousResource::Subventions, "subventions"),
        (CrousResource::DroitsEntreeTypes, "droits-entree-types"),
    ];

    /// The resource a path segment names.
    pub fn from_segment(segment: &str) -> Option<CrousResource> {
        Self::ALL.iter().find(|(_, s)| *s == segment).map(|(r, _)| *r)
    }
}

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
    fn every_resource_of_specs_001() {
        assert_eq!(CrousResource::from_segment("societes-tarifs-periode"), Some(CrousResource::SocietesTarifsPeriode));
        assert_eq!(CrousResource::from_segment("tickets"), None);
    }
}
