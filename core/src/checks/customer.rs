//! complementaire: the pricing profile, distribution type, software id and the Izly customer.

use super::support::{amount, is_rfc3339, push, required};
use super::{Violation, ViolationCode};
use crate::ticket::{CodeReglement, Ticket, TypeDistribution};

pub(super) fn check(t: &Ticket, out: &mut Vec<Violation>) {
    let Some(c) = &t.complementaire else { return };
    required(out, &c.code_societe_client, "complementaire.codeSocieteClient");
    required(out, &c.tarif_client, "complementaire.tarifClient");
    required(out, &c.id_logiciel, "complementaire.idLogiciel");
    if let Some(&d) = required(out, &c.id_type_distribution, "complementaire.idTypeDistribution") {
        if TypeDistribution::from_code(d).is_none() {
            push(
                out,
                ViolationCode::InvalidValue,
                "complementaire.idTypeDistribution",
                format!(
                    "idTypeDistribution = {d}, expected 1 (sur place) or 2 (à emporter); 3 (livré) is not in service"
                ),
            );
        }
    }
    amount(out, c.solde_client.as_ref(), "complementaire.soldeClient");
    if let Some(date) = c.date_fin_validite_client.as_deref().filter(|d| !is_rfc3339(d)) {
        push(
            out,
            ViolationCode::InvalidValue,
            "complementaire.dateFinValiditeClient",
            format!("dateFinValiditeClient = {date:?} is not ISO 8601 with a time zone"),
        );
    }

    let payments = t.liste_reglements.as_deref().unwrap_or_default();
    let izly = |r: &&crate::ticket::Reglement| r.code_reglement == Some(CodeReglement::Izly.code());
    let card_support = payments.iter().filter(izly).find_map(|r| r.id_support.as_deref());
    if let Some(support) = card_support {
        match c.id_support.as_deref() {
            None => push(
                out,
                ViolationCode::IzlyCustomerFields,
                "complementaire.idSupport",
                "complementaire.idSupport is mandatory when paying with the Izly card",
            ),
            Some(own) if own != support => push(
                out,
                ViolationCode::IzlyCustomerFields,
                "complementaire.idSupport",
                format!("complementaire.idSupport {own} is not the card that paid ({support})"),
            ),
            Some(_) => {}
        }
    }
    let izly_customer = payments.iter().any(|r| izly(&r)) || c.solde_client.is_some();
    if izly_customer && c.code_client.is_none() && c.id_support.is_none() {
        push(
            out,
            ViolationCode::IzlyCustomerFields,
            "complementaire",
            "an Izly customer needs codeClient, or idSupport when paying by card",
        );
    }
}
