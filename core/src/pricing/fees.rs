//! Entry-fee lines (`droits-entree`), added after the tray's lines. Our rule, the spec being
//! silent (see [`crate::reference::DroitEntree`]):
//! * a row applies when its profile matches and `idPeriode` is absent or contains the day; every
//!   applicable row is checked (`codeArticle` present and known, `montant` ≥ 0 in whole cents),
//!   even when it adds no line, so bad reference data shows on the first sale;
//! * quantity = Σ quantities of tray items whose article is in `codesArticlesRepas`, or 1 per
//!   ticket when that list is absent; no line when it is 0;
//! * no line when the tray already holds the fee's article (the cashier added it by hand):
//!   never charged twice;
//! * unit TTC = `montant`; VAT code as for articles, the period being the profile's latest-starting
//!   `societes-tarifs-periode` whose period contains the day. No subsidy applies to a fee line.

use super::{in_period, priced_line, vat_code, CartItem, PricedLine, PricingError};
use crate::money::{self, is_whole_cents};
use crate::reference::{CustomerProfile, DroitEntree, ReferenceData};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Marks a line as an entry fee added by [`super::price_cart`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AppliedDroitEntree {
    pub code_droit_entree: u32,
    pub code_type_droit_entree: u32,
    /// The `droits-entree-types` libelle when known, else the fee article's.
    pub libelle: String,
}

/// The fee lines of `cart` for `profile` on `day`, in `codeDroitEntree` order.
pub(super) fn fee_lines(
    reference: &ReferenceData,
    cart: &[CartItem],
    profile: CustomerProfile,
    day: NaiveDate,
) -> Result<Vec<PricedLine>, PricingError> {
    let mut rows: Vec<&DroitEntree> = reference
        .droits_entree
        .iter()
        .filter(|d| d.code_societe == profile.code_societe && d.tarif == profile.tarif)
        .filter(|d| in_period(reference, d.id_periode, day))
        .collect();
    rows.sort_by_key(|d| d.code_droit_entree);
    let mut lines = Vec::new();
    for row in rows {
        let code_droit_entree = row.code_droit_entree;
        let code_article = row.code_article.ok_or(PricingError::FeeWithoutArticle { code_droit_entree })?;
        let m = row.montant;
        if m < Decimal::ZERO || !is_whole_cents(m) || !money::in_range(m) {
            return Err(PricingError::InvalidFee { code_droit_entree, montant: m });
        }
        let article = reference.article(code_article).ok_or(PricingError::UnknownArticle { code_article })?;
        if cart.iter().any(|i| i.code_article == code_article) {
            continue;
        }
        let meals = meals(row, cart).ok_or(PricingError::Overflow { code_article })?;
        if meals.is_zero() {
            continue;
        }
        let code_tva = vat_code(reference, article, profile, profile_period(reference, profile, day));
        let mut line = priced_line(reference, article, meals, code_tva, profile, m)?;
        let libelle = reference
            .droits_entree_types
            .iter()
            .find(|t| t.code_type_droit_entree == row.code_type_droit_entree)
            .map_or_else(|| article.libelle.clone(), |t| t.libelle.clone());
        line.droit_entree =
            Some(AppliedDroitEntree { code_droit_entree, code_type_droit_entree: row.code_type_droit_entree, libelle });
        lines.push(line);
    }
    Ok(lines)
}

/// How many meals the fee is due for; `None` on overflow.
fn meals(row: &DroitEntree, cart: &[CartItem]) -> Option<Decimal> {
    let Some(codes) = &row.codes_articles_repas else { return Some(Decimal::ONE) };
    cart.iter()
        .filter(|i| codes.contains(&i.code_article))
        .try_fold(Decimal::ZERO, |sum, i| sum.checked_add(i.quantite).filter(|s| money::in_range(*s)))
}

/// The profile's `societes-tarifs-periode` period containing `day`; the latest-starting wins,
/// then the first listed.
fn profile_period(reference: &ReferenceData, profile: CustomerProfile, day: NaiveDate) -> Option<u32> {
    let mut best: Option<(u32, NaiveDate)> = None;
    for stp in reference.societes_tarifs_periodes.iter() {
        if stp.code_societe != profile.code_societe || stp.tarif != profile.tarif {
            continue;
        }
        let Some(p) = reference.periode(stp.id_periode).filter(|p| p.contains(day)) else { continue };
        if best.is_none_or(|(_, start)| p.date_debut > start) {
            best = Some((stp.id_periode, p.date_debut));
        }
    }
    best.map(|(id, _)| id)
}
