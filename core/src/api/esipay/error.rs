//! The statuses of specs 004, the same for the three calls: 400 "un des paramètres de la requête
//! est incorrect" (for a partial refund also "le montant dépasse le montant restant"), 403
//! "l'adresse IP du serveur qui appelle le service n'est pas correcte", 500 "erreur côté
//! service", 200 done (for a payment: "l'URL de retour a été appelée et a répondu correctement").

use crate::api::response::snippet;

/// 200: done. The body, which the spec does not describe, is kept as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EsipayOk {
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EsipayError {
    /// 400. For a partial refund it also means the amount exceeds what remains.
    #[error("esipay: a parameter is incorrect (400)")]
    InvalidParameters { body: String },
    /// 403: this server's IP address is not the one registered.
    #[error("esipay: caller IP address refused (403)")]
    CallerIpRefused,
    /// 500: the service failed; for a payment, the transaction did not complete.
    #[error("esipay: service error (500)")]
    ServiceError { body: String },
    #[error("esipay: unexpected status {status}: {body}")]
    UnexpectedStatus { status: u16, body: String },
}

/// Reads the answer of a payment, a refund or a partial refund.
pub fn parse_status(status: u16, _headers: &[(String, String)], body: &[u8]) -> Result<EsipayOk, EsipayError> {
    let text = || snippet(body);
    match status {
        200 => Ok(EsipayOk { body: String::from_utf8_lossy(body).into_owned() }),
        400 => Err(EsipayError::InvalidParameters { body: text() }),
        403 => Err(EsipayError::CallerIpRefused),
        500 => Err(EsipayError::ServiceError { body: text() }),
        _ => Err(EsipayError::UnexpectedStatus { status, body: text() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_statuses() {
        assert_eq!(parse_status(200, &[], b"OK"), Ok(EsipayOk { body: "OK".into() }));
        assert_eq!(parse_status(400, &[], b"bad"), Err(EsipayError::InvalidParameters { body: "bad".into() }));
        assert_eq!(parse_status(403, &[], b""), Err(EsipayError::CallerIpRefused));
        assert_eq!(parse_status(500, &[], b""), Err(EsipayError::ServiceError { body: "".into() }));
        assert!(matches!(parse_status(201, &[], b""), Err(EsipayError::UnexpectedStatus { status: 201, .. })));
        assert!(matches!(parse_status(502, &[], b""), Err(EsipayError::UnexpectedStatus { status: 502, .. })));
    }
}
