//! `tickets`: the sales ticket back to VEM. A ticket that fails the core checks
//! ([`crate::checks::check_ticket`] with the reference data) is refused before any request exists.
//!
//! Path and query (public code): `POST /vem/v1/{idCrous}/remontee-caisse/tickets/{idCrous}/{idUg}/
//! {idRu}/{idUd}/{idCaisse}?use=<software>[&versCommandeEnLigne=1]`, body the ticket JSON.
//! Resending is safe: VEM keys a ticket by idTicketEntete per point of sale, and a copy is refused
//! as a duplicate (409, our choice) without touching the first.

use super::paths::{self, Q_USE, Q_VERS_COMMANDE_EN_LIGNE};
use super::{error_from_status, CrousApi, CrousError, CrousToken, CONTENT_TYPE_JSON};
use crate::api::request::{ApiRequest, Method, Safety};
use crate::api::response::is_success;
use crate::checks::{check_ticket, Violation};
use crate::reference::ReferenceData;
use crate::ticket::Ticket;

/// Query options of the tickets call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TicketOptions {
    /// `versCommandeEnLigne=1`, seen for an online-ordering kiosk.
    pub vers_commande_en_ligne: bool,
}

/// Why no request was built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TicketRefused {
    #[error("the ticket fails the Crous checks: {}", .0.iter().map(|v| v.to_string()).collect::<Vec<_>>().join("; "))]
    Checks(Vec<Violation>),
}

/// What VEM answered to an accepted ticket: its status and JSON body, if any (specs 001 gives
/// no response shape).
#[derive(Debug, Clone, PartialEq)]
pub struct TicketAccepted {
    pub status: u16,
    pub body: Option<serde_json::Value>,
}

impl CrousApi {
    /// `POST …/remontee-caisse/tickets/…`, only for a ticket that passes every check.
    pub fn ticket(
        &self,
        token: &CrousToken,
        ticket: &Ticket,
        reference: &ReferenceData,
        options: TicketOptions,
    ) -> Result<ApiRequest, TicketRefused> {
        let report = check_ticket(ticket, Some(reference));
        if !report.is_valid() {
            return Err(TicketRefused::Checks(report.violations));
        }
        let body = serde_json::to_vec(ticket).expect("a ticket serializes");
        let mut params = vec![(Q_USE, self.software.as_str())];
        if options.vers_commande_en_ligne {
            params.push((Q_VERS_COMMANDE_EN_LIGNE, "1"));
        }
        Ok(ApiRequest::new("crous.tickets", Method::Post, self.url(&paths::tickets(&self.point_of_sale), &params))
            .header("Authorization", token.expose())
            .header("Accept", CONTENT_TYPE_JSON)
            .json_body(CONTENT_TYPE_JSON, body)
            .with_safety(Safety::Idempotent))
    }
}

/// 2xx → accepted; otherwise the typed error (409 [`CrousError::DuplicateTicket`] after a resend
/// means the first send arrived).
pub fn parse_ticket(status: u16, headers: &[(String, String)], body: &[u8]) -> Result<TicketAccepted, CrousError> {
    if !is_success(status) {
        return Err(error_from_status(status, headers, body));
    }
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        Some(serde_json::from_slice(body).map_err(|e| CrousError::Malformed { status, detail: e.to_string() })?)
    };
    Ok(TicketAccepted { status, body })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::environment::Environment;
    use crate::point_of_sale::PointOfSale;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/fixtures/api/crous/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn reference() -> ReferenceData {
        let mut data = ReferenceData::default();
        super::super::parse_into(&mut data, paths::Resource::Tva, 200, &[], &fixture("tva.json")).unwrap();
        super::super::parse_into(&mut data, paths::Resource::Articles, 200, &[], &fixture("articles.json")).unwrap();
        data
    }

    fn api() -> CrousApi {
        CrousApi::new(&Environment::Custom("http://127.0.0.1:1".into()), PointOfSale::new(5, 1, 9, 8, 14), "crous-till")
            .unwrap()
    }

    #[test]
    fn a_good_ticket_is_sent_as_is() {
        let ticket: Ticket = serde_json::from_slice(&fixture("ticket.json")).unwrap();
        let r = api()
            .ticket(&CrousToken::new("tok"), &ticket, &reference(), TicketOptions { vers_commande_en_ligne: true })
            .unwrap();
        assert_eq!(
            r.url(),
            "http://127.0.0.1:1/vem/v1/5/remontee-caisse/tickets/5/1/9/8/14?use=crous-till&versCommandeEnLigne=1"
        );
        assert_eq!(r.method, Method::Post);
        assert!(r.is_safe_to_retry());
        let sent: Ticket = serde_json::from_slice(r.body.as_ref().unwrap()).unwrap();
        assert_eq!(sent, ticket);
        let plain = api().ticket(&CrousToken::new("tok"), &ticket, &reference(), TicketOptions::default()).unwrap();
        assert!(plain.url().ends_with("/14?use=crous-till"));
    }

    #[test]
    fn a_bad_ticket_gets_no_request() {
        let mut ticket: Ticket = serde_json::from_slice(&fixture("ticket.json")).unwrap();
        ticket.liste_lignes.as_mut().unwrap()[0].code_article = Some(999_999);
        let err = api().ticket(&CrousToken::new("tok"), &ticket, &reference(), TicketOptions::default()).unwrap_err();
        let TicketRefused::Checks(v) = &err;
        assert!(!v.is_empty());
        assert!(err.to_string().contains("listeLignes[0]"), "{err}");
    }

    #[test]
    fn parses_answers() {
        assert_eq!(parse_ticket(201, &[], b"").unwrap(), TicketAccepted { status: 201, body: None });
        let ok = parse_ticket(200, &[], br#"{"idTicketEntete":"140000011"}"#).unwrap();
        assert_eq!(ok.body.unwrap()["idTicketEntete"], "140000011");
        assert!(matches!(parse_ticket(200, &[], b"{oops"), Err(CrousError::Malformed { .. })));
        assert!(matches!(parse_ticket(409, &[], &fixture("error_422.json")), Err(CrousError::DuplicateTicket(_))));
        assert!(
            matches!(parse_ticket(422, &[], &fixture("error_422.json")), Err(CrousError::Unprocessable(v)) if v[0].field.as_deref() == Some("idSupport"))
        );
        assert_eq!(parse_ticket(401, &[], b""), Err(CrousError::Unauthorized));
        assert!(matches!(parse_ticket(500, &[], b""), Err(CrousError::Server { .. })));
    }
}
