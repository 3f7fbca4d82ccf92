//! "pour le ticket : total des gainFidelite = cumulPointsFidelite", checked whenever either side
//! is present ("non obligatoire, sauf si utilisé").

use super::support::push;
use super::{Violation, ViolationCode};
use crate::ticket::Ticket;
use rust_decimal::Decimal;

pub(super) fn check(t: &Ticket, out: &mut Vec<Violation>) {
    let lines = t.liste_lignes.as_deref().unwrap_or_default();
    let cumul = t.complementaire.as_ref().and_then(|c| c.cumul_points_fidelite);
    let used = cumul.is_some() || lines.iter().any(|l| l.gain_fidelite.is_some());
    if !used {
        return;
    }
    let Some(gains) =
        lines.iter().try_fold(Decimal::ZERO, |sum, l| sum.checked_add(l.gain_fidelite.unwrap_or_default()))
    else {
        push(out, ViolationCode::InvalidValue, "listeLignes", "the sum of gainFidelite overflows");
        return;
    };
    let cumul = cumul.unwrap_or_default();
    if gains != cumul {
        push(
            out,
            ViolationCode::FidelityMismatch,
            "complementaire.cumulPointsFidelite",
            format!("cumulPointsFidelite = {cumul}, but the lines' gainFidelite add up to {gains}"),
        );
    }
}
