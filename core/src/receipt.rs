//! The VAT summary printed on a receipt: per rate, HT, TVA and TTC.
//!
//! A line's VAT is its total TTC minus its total HT ([`crate::money`]), so each rate's HT + TVA
//! equals its TTC exactly and the rates add up to the ticket's total.

use crate::reference::ReferenceData;
use crate::ticket::Ticket;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// One VAT rate's totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VatTotal {
    pub code_tva: u32,
    /// Rate in percent, when the VAT table knows the code.
    #[serde(with = "crate::exact_decimal::option")]
    pub taux: Option<Decimal>,
    #[serde(with = "crate::exact_decimal")]
    pub total_ht: Decimal,
    #[serde(with = "crate::exact_decimal")]
    pub total_tva: Decimal,
    #[serde(with = "crate::exact_decimal")]
    pub total_ttc: Decimal,
}

/// Totals per codeTva, in code order, over lines that carry code and totals.
pub fn vat_totals(ticket: &Ticket, reference: &ReferenceData) -> Vec<VatTotal> {
    let mut by_code: BTreeMap<u32, (Decimal, Decimal)> = BTreeMap::new();
    for line in ticket.liste_lignes.iter().flatten() {
        if let (Some(code), Some(ht), Some(ttc)) = (line.code_tva, line.total_ht, line.total_ttc) {
            let entry = by_code.entry(code).or_default();
            entry.0 += ht;
            entry.1 += ttc;
        }
    }
    by_code
        .into_iter()
        .map(|(code_tva, (total_ht, total_ttc))| VatTotal {
            code_tva,
            taux: reference.vat_rate(code_tva),
            total_ht,
            total_tva: total_ttc - total_ht,
            total_ttc,
        })
        .collect()
}
