//! listeLignes: mandatory fields, unique line numbers, known articles and VAT codes,
//! "total = PU * quantité" and the VAT of each line.

use super::support::{push, required, required_amount, ItemField};
use super::{Violation, ViolationCode};
use crate::money::{ht_from_ttc, line_total};
use crate::reference::ReferenceData;
use crate::ticket::{LigneTicket, Ticket};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

pub(super) fn check(t: &Ticket, reference: Option<&ReferenceData>, out: &mut Vec<Violation>) {
    let lines = match &t.liste_lignes {
        Some(lines) if !lines.is_empty() => lines,
        // Absent: a mandatory field is missing (specs 001 lists listeLignes among "champs
        // obligatoires"), and the ticket has no line either.
        None => {
            push(out, ViolationCode::MissingField, "listeLignes", "listeLignes is mandatory (at least one element)");
            push(out, ViolationCode::NoLines, "listeLignes", "listeLignes must hold at least one line");
            return;
        }
        Some(_) => {
            push(out, ViolationCode::NoLines, "listeLignes", "listeLignes must hold at least one line");
            return;
        }
    };
    let mut first_seen: BTreeMap<u32, usize> = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        let p = |field| ItemField { list: "listeLignes", index: i, field };
        if let Some(&n) = required(out, &line.numero_ligne, p("numeroLigne")) {
            if n == 0 {
                push(out, ViolationCode::InvalidValue, p("numeroLigne"), "numeroLigne starts at 1");
            } else if let Some(first) = first_seen.insert(n, i) {
                first_seen.insert(n, first);
                push(
                    out,
                    ViolationCode::DuplicateLineNumber,
                    p("numeroLigne"),
                    format!("numeroLigne {n} is already used by listeLignes[{first}]"),
                );
            }
        }
        check_line(line, reference, &p, out);
    }
}

fn check_line(
    line: &LigneTicket,
    reference: Option<&ReferenceData>,
    p: &dyn Fn(&'static str) -> ItemField<'static>,
    out: &mut Vec<Violation>,
) {
    if let (Some(&code), Some(r)) = (required(out, &line.code_article, p("codeArticle")), reference) {
        if r.article(code).is_none() {
            push(
                out,
                ViolationCode::UnknownArticle,
                p("codeArticle"),
                format!("article {code} is not in the articles resource"),
            );
        }
    }
    let quantite = required(out, &line.quantite, p("quantite")).copied().filter(|q| {
        let ok = *q > Decimal::ZERO;
        if !ok {
            push(out, ViolationCode::InvalidValue, p("quantite"), format!("quantite = {q} must be positive"));
        }
        ok
    });
    let rate = match (required(out, &line.code_tva, p("codeTva")), reference) {
        (Some(&code), Some(r)) => {
            let rate = r.vat_rate(code);
            if rate.is_none() {
                push(
                    out,
                    ViolationCode::UnknownVatCode,
                    p("codeTva"),
                    format!("codeTva {code} is not in the tva table"),
                );
            }
            rate
        }
        _ => None,
    };
    let mut money = |value: &Option<Decimal>, field: &'static str| required_amount(out, value, p(field));
    let pu_ht = money(&line.prix_unitaire_ht, "prixUnitaireHt");
    let pu_ttc = money(&line.prix_unitaire_ttc, "prixUnitaireTtc");
    let total_ht = money(&line.total_ht, "totalHt");
    let total_ttc = money(&line.total_ttc, "totalTtc");
    if let Some(g) = line.gain_fidelite.filter(|g| g.is_sign_negative() && !g.is_zero()) {
        push(out, ViolationCode::InvalidValue, p("gainFidelite"), format!("gainFidelite = {g} is negative"));
    }
    if let Some(q) = quantite {
        for (unit, total, field) in [(pu_ht, total_ht, "totalHt"), (pu_ttc, total_ttc, "totalTtc")] {
            let (Some(unit), Some(total)) = (unit, total) else { continue };
            match line_total(unit, q) {
                Some(expected) if expected == total => {}
                Some(expected) => push(
                    out,
                    ViolationCode::LineTotalMismatch,
                    p(field),
                    format!("{field} = {total}, but unit price {unit} × quantite {q} = {expected}"),
                ),
                None => push(out, ViolationCode::InvalidValue, p(field), format!("{unit} × {q} overflows")),
            }
        }
    }
    if let (Some(rate), Some(ht), Some(ttc)) = (rate, pu_ht, pu_ttc) {
        match ht_from_ttc(ttc, rate) {
            Some(expected) if expected == ht => {}
            expected => push(
                out,
                ViolationCode::VatMismatch,
                p("prixUnitaireHt"),
                format!(
                    "prixUnitaireHt = {ht}, but {ttc} TTC at {rate} % gives {} HT (rounded half-up to the cent)",
                    expected.map_or("no amount".to_owned(), |e| e.to_string())
                ),
            ),
        }
    }
}
