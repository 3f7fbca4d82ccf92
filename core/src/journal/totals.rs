//! What a closure adds up: per VAT code and per payment method, over whole tickets.
//!
//! Amounts are summed exactly (`Decimal`, no rounding: a closure must equal its tickets to the
//! cent, and rounding could only hide a discrepancy). A line's VAT is its total TTC minus its
//! total HT, as on the receipt ([`crate::money`]), so HT + TVA = TTC for every rate and in total.
//! Rates are keyed by `codeTva` as the ticket carries it: the journal records what was sold, the
//! percentage of a code is in the Crous VAT table.

use super::entry::JournalEntry;
use crate::exact_decimal;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One VAT code's totals over a period.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VatRateTotal {
    pub code_tva: u32,
    #[serde(with = "exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub total_ht: Decimal,
    #[serde(with = "exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub total_tva: Decimal,
    #[serde(with = "exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub total_ttc: Decimal,
}

/// One payment method's totals over a period (`codeReglement`: 4 CB, 9 Izly, 12 fidélité).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentTotal {
    pub code_reglement: u32,
    /// How many payments (`listeReglements` elements) of this method.
    pub count: u64,
    #[serde(with = "exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub montant: Decimal,
}

/// A period's totals. Also the perpetual grand total's shape ([`Totals::add`]).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    pub ticket_count: u64,
    #[serde(with = "exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub total_ht: Decimal,
    #[serde(with = "exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub total_tva: Decimal,
    #[serde(with = "exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub total_ttc: Decimal,
    /// In `codeTva` order.
    pub vat: Vec<VatRateTotal>,
    /// In `codeReglement` order.
    pub payments: Vec<PaymentTotal>,
}

/// Why totals could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TotalsError {
    #[error("entry {sequence} lacks {what}")]
    Incomplete { sequence: u64, what: String },
    #[error("totals overflow")]
    Overflow,
}

fn add(a: Decimal, b: Decimal) -> Result<Decimal, TotalsError> {
    a.checked_add(b).ok_or(TotalsError::Overflow)
}

/// At least two decimals, so that totals read as money (`0.00`, `12.30`). Value unchanged.
fn cents(mut d: Decimal) -> Decimal {
    if d.scale() < 2 {
        d.rescale(2);
    }
    d
}

impl Totals {
    /// The totals of some entries.
    pub fn of_entries<'a>(entries: impl IntoIterator<Item = &'a JournalEntry>) -> Result<Totals, TotalsError> {
        let mut vat: BTreeMap<u32, (Decimal, Decimal)> = BTreeMap::new();
        let mut payments: BTreeMap<u32, (u64, Decimal)> = BTreeMap::new();
        let mut ticket_count = 0u64;
        for entry in entries {
            let sequence = entry.sequence;
            let lacks = |what: String| TotalsError::Incomplete { sequence, what };
            ticket_count += 1;
            for (i, line) in entry.ticket.liste_lignes.iter().flatten().enumerate() {
                let code = line.code_tva.ok_or_else(|| lacks(format!("listeLignes[{i}].codeTva")))?;
                let ht = line.total_ht.ok_or_else(|| lacks(format!("listeLignes[{i}].totalHt")))?;
                let ttc = line.total_ttc.ok_or_else(|| lacks(format!("listeLignes[{i}].totalTtc")))?;
                let slot = vat.entry(code).or_default();
                *slot = (add(slot.0, ht)?, add(slot.1, ttc)?);
            }
            for (i, payment) in entry.ticket.liste_reglements.iter().flatten().enumerate() {
                let code =
                    payment.code_reglement.ok_or_else(|| lacks(format!("listeReglements[{i}].codeReglement")))?;
                let montant = payment.montant.ok_or_else(|| lacks(format!("listeReglements[{i}].montant")))?;
                let slot = payments.entry(code).or_default();
                *slot = (slot.0 + 1, add(slot.1, montant)?);
            }
        }
        let vat = vat
            .into_iter()
            .map(|(code_tva, (ht, ttc))| {
                let tva = ttc.checked_sub(ht).ok_or(TotalsError::Overflow)?;
                Ok(VatRateTotal { code_tva, total_ht: cents(ht), total_tva: cents(tva), total_ttc: cents(ttc) })
            })
            .collect::<Result<Vec<_>, TotalsError>>()?;
        let payments = payments
            .into_iter()
            .map(|(code_reglement, (count, montant))| PaymentTotal { code_reglement, count, montant: cents(montant) })
            .collect();
        Totals { ticket_count, vat, payments, ..Totals::default() }.with_sums()
    }

    /// These totals plus `other`'s, rate by rate and method by method: how the perpetual grand
    /// total carries on from one closure to the next.
    pub fn add(&self, other: &Totals) -> Result<Totals, TotalsError> {
        let mut vat: BTreeMap<u32, VatRateTotal> = BTreeMap::new();
        for v in self.vat.iter().chain(&other.vat) {
            match vat.get_mut(&v.code_tva) {
                Some(sum) => {
                    sum.total_ht = add(sum.total_ht, v.total_ht)?;
                    sum.total_tva = add(sum.total_tva, v.total_tva)?;
                    sum.total_ttc = add(sum.total_ttc, v.total_ttc)?;
                }
                None => {
                    vat.insert(v.code_tva, v.clone());
                }
            }
        }
        let mut payments: BTreeMap<u32, PaymentTotal> = BTreeMap::new();
        for p in self.payments.iter().chain(&other.payments) {
            match payments.get_mut(&p.code_reglement) {
                Some(sum) => {
                    sum.count = sum.count.checked_add(p.count).ok_or(TotalsError::Overflow)?;
                    sum.montant = add(sum.montant, p.montant)?;
                }
                None => {
                    payments.insert(p.code_reglement, p.clone());
                }
            }
        }
        Totals {
            ticket_count: self.ticket_count.checked_add(other.ticket_count).ok_or(TotalsError::Overflow)?,
            vat: vat.into_values().collect(),
            payments: payments.into_values().collect(),
            ..Totals::default()
        }
        .with_sums()
    }

    /// Fills the overall HT, TVA and TTC from the per-rate totals.
    fn with_sums(mut self) -> Result<Totals, TotalsError> {
        let (mut ht, mut tva, mut ttc) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
        for v in &self.vat {
            ht = add(ht, v.total_ht)?;
            tva = add(tva, v.total_tva)?;
            ttc = add(ttc, v.total_ttc)?;
        }
        (self.total_ht, self.total_tva, self.total_ttc) = (cents(ht), cents(tva), cents(ttc));
        Ok(self)
    }
}
