//! Header fields: "idTicketEntete, numeroTicket, versionLogiciel, date, codeEvenement = 'VT'".

use super::support::{is_rfc3339, push, required, required_text};
use super::{Violation, ViolationCode};
use crate::ticket::{Ticket, CODE_EVENEMENT_VENTE};

pub(super) fn check(t: &Ticket, out: &mut Vec<Violation>) {
    for (value, path) in [(&t.id_ticket_entete, "idTicketEntete"), (&t.numero_ticket, "numeroTicket")] {
        if let Some(v) = required_text(out, value, path) {
            if !v.bytes().all(|b| b.is_ascii_digit()) {
                push(out, ViolationCode::InvalidValue, path, format!("{path} = {v:?} must be digits only"));
            }
        }
    }
    required_text(out, &t.version_logiciel, "versionLogiciel");
    if let Some(date) = required_text(out, &t.date, "date") {
        if !is_rfc3339(date) {
            push(out, ViolationCode::InvalidValue, "date", format!("date = {date:?} is not ISO 8601 with a time zone"));
        }
    }
    if let Some(code) = required(out, &t.code_evenement, "codeEvenement") {
        if code != CODE_EVENEMENT_VENTE {
            push(
                out,
                ViolationCode::InvalidValue,
                "codeEvenement",
                format!("codeEvenement = {code:?}, expected \"VT\""),
            );
        }
    }
    if t.complementaire.is_none() {
        push(out, ViolationCode::MissingField, "complementaire", "complementaire is mandatory (one object)");
    }
}
