//! Which `subventions` row lowers a line's price (the rule is in [`crate::reference::Subvention`]).

use super::{in_period, PricingError};
use crate::money::{self, is_whole_cents, line_total};
use crate::reference::{CustomerProfile, ReferenceData, Subvention};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The subsidy deducted from a line, kept so the receipt can show the gross price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AppliedSubvention {
    pub code_subvention: u32,
    pub libelle: String,
    /// TTC euros per unit, deducted from the unit price.
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub montant_unitaire: Decimal,
    /// `montant_unitaire × quantite`, rounded half-up to the cent like line totals.
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub total: Decimal,
    /// The price row's `prixTtc`.
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub prix_unitaire_avant_subvention_ttc: Decimal,
}

/// The subsidy of `code_article` for `profile` on `day`, checked against the gross unit price.
/// Only the applicable row is checked: a bad row for another article or profile is not an error.
pub(super) fn applied(
    reference: &ReferenceData,
    code_article: u64,
    profile: CustomerProfile,
    day: NaiveDate,
    gross: Decimal,
    quantite: Decimal,
) -> Result<Option<AppliedSubvention>, PricingError> {
    let mut rows = reference.subventions.iter().filter(|s| applies(reference, s, code_article, profile, day));
    let Some(row) = rows.next() else { return Ok(None) };
    if rows.next().is_some() {
        let (code_societe, tarif) = (profile.code_societe, profile.tarif);
        return Err(PricingError::AmbiguousSubvention { code_article, code_societe, tarif });
    }
    let m = row.montant;
    if m < Decimal::ZERO || !is_whole_cents(m) || m > gross {
        return Err(PricingError::InvalidSubvention { code_subvention: row.code_subvention, montant: m });
    }
    let montant_unitaire = money::round_cent(m);
    Ok(Some(AppliedSubvention {
        code_subvention: row.code_subvention,
        libelle: row.libelle.clone(),
        montant_unitaire,
        total: line_total(montant_unitaire, quantite).ok_or(PricingError::Overflow { code_article })?,
        prix_unitaire_avant_subvention_ttc: gross,
    }))
}

fn applies(r: &ReferenceData, s: &Subvention, code_article: u64, p: CustomerProfile, day: NaiveDate) -> bool {
    s.code_article == Some(code_article)
        && s.code_societe == p.code_societe
        && s.tarif == p.tarif
        && in_period(r, s.id_periode, day)
}
