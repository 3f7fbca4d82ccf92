//! listeReglements: one element, a known codeReglement, the Izly fields, and
//! "total listeLignes = total listeReglements".

use super::support::{push, required, required_amount, ItemField};
use super::{Violation, ViolationCode};
use crate::ticket::{CodeReglement, Ticket};
use rust_decimal::Decimal;

pub(super) fn check(t: &Ticket, out: &mut Vec<Violation>) {
    let Some(payments) = &t.liste_reglements else {
        push(out, ViolationCode::MissingField, "listeReglements", "listeReglements is mandatory (one element)");
        return;
    };
    if payments.len() != 1 {
        push(
            out,
            ViolationCode::PaymentCount,
            "listeReglements",
            format!("listeReglements must hold exactly one element, it holds {}", payments.len()),
        );
    }
    // With no payment at all, payment_count says it; a total mismatch would only add noise.
    let mut paid = (!payments.is_empty()).then_some(Decimal::ZERO);
    for (k, r) in payments.iter().enumerate() {
        let p = |field| ItemField { list: "listeReglements", index: k, field };
        if let Some(&code) = required(out, &r.code_reglement, p("codeReglement")) {
            if CodeReglement::from_code(code).is_none() {
                push(
                    out,
                    ViolationCode::InvalidValue,
                    p("codeReglement"),
                    format!("codeReglement = {code}, expected 4 (CB), 9 (Izly) or 12 (fidélité)"),
                );
            }
        }
        let montant = required_amount(out, &r.montant, p("montant"));
        paid = paid.zip(montant).and_then(|(sum, m)| sum.checked_add(m));
        if r.code_reglement == Some(CodeReglement::Izly.code()) {
            if r.id_transaction_izly.as_deref().is_none_or(str::is_empty) {
                push(
                    out,
                    ViolationCode::IzlyPaymentFields,
                    p("idTransactionIzly"),
                    "an Izly payment (codeReglement 9) needs idTransactionIzly",
                );
            }
            // "idSupport ou qrCode si codeReglement = 9"; an online IzlyPay payment has neither,
            // and is identified by the payer's codeClient instead (our choice, docs/api-choices.md).
            let online_payer =
                t.complementaire.as_ref().and_then(|c| c.code_client.as_deref()).is_some_and(|c| !c.is_empty());
            if r.id_support.is_none() && r.qr_code.is_none() && !online_payer {
                push(
                    out,
                    ViolationCode::IzlyPaymentFields,
                    format!("listeReglements[{k}]"),
                    "an Izly payment (codeReglement 9) needs idSupport or qrCode (or, paid online, complementaire.codeClient)",
                );
            }
        }
        if r.id_support.is_some() && r.numero_applicatif.as_deref().is_none_or(str::is_empty) {
            push(
                out,
                ViolationCode::IzlyPaymentFields,
                p("numeroApplicatif"),
                "numeroApplicatif is mandatory when idSupport is given",
            );
        }
    }
    if let (Some(paid), Some(sold)) = (paid, lines_total(t)) {
        if paid != sold {
            push(
                out,
                ViolationCode::PaymentTotalMismatch,
                "listeReglements",
                format!("payments add up to {paid} but lines add up to {sold} TTC"),
            );
        }
    }
}

/// Σ totalTtc, when there are lines and every one has a total (a missing one, or no lines at
/// all, is reported by the line checks and would only add noise here).
fn lines_total(t: &Ticket) -> Option<Decimal> {
    let lines = t.liste_lignes.as_ref().filter(|l| !l.is_empty())?;
    lines.iter().try_fold(Decimal::ZERO, |sum, l| sum.checked_add(l.total_ttc?))
}
