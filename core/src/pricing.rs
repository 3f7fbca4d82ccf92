//! Prices a tray for a customer profile on a given day.
//!
//! Price: the `articles-societes-tarifs-periodes` row for (article, société, tarif) whose period
//! contains the day; when several periods contain it, the one that started last wins (a new price
//! list overriding a standing one), and two such periods starting the same day are an error.
//!
//! VAT code, first found of: the profile's `societes-tarifs-periode` row for that period, the
//! profile's `societes-tarifs` row (specs 001: "récupérer le taux de tva des clients de ce
//! societe/tarif"), the article's own code.
//!
//! Subsidies and entry fees (`subventions`, `droits-entree`): specs 001 lists them "suivant
//! demande du Crous" with no rule, so how they apply is our choice, written here:
//! * a [`crate::reference::Subvention`] applying to a line lowers its unit price: net unit TTC =
//!   `prixTtc` − `montant` (at most one row per line, `0 ≤ montant ≤ prixTtc`, whole cents). The
//!   ticket line carries the net price: it has no subsidy field, and the checks refuse negative
//!   amounts. [`PricedLine::subvention`] keeps the gross price and the subsidy for the receipt.
//! * each [`crate::reference::DroitEntree`] of the profile in force on the day adds one fee line
//!   after the tray's lines, in `codeDroitEntree` order: unit TTC `montant`, quantity the tray's
//!   meals (Σ quantities of articles in `codesArticlesRepas`; 1 per ticket without that list),
//!   VAT code as for articles. No line for 0 meals, nor when the tray already holds the fee's
//!   article (added by hand: never charged twice). Fee lines are ordinary priced lines, so they
//!   become ticket lines and pass the same checks.
//!
//! Amounts follow [`crate::money`]: TTC authoritative, HT derived and rounded half-up to the cent,
//! from the net TTC when subsidised.

mod fees;
mod subsidy;

pub use fees::AppliedDroitEntree;
pub use subsidy::AppliedSubvention;

use crate::money::{self, ht_from_ttc, is_whole_cents, line_total};
use crate::reference::{Article, CustomerProfile, PrixArticle, ReferenceData};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One article and how many of it are on the tray.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CartItem {
    pub code_article: u64,
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub quantite: Decimal,
}

impl CartItem {
    pub fn new(code_article: u64, quantite: impl Into<Decimal>) -> Self {
        CartItem { code_article, quantite: quantite.into() }
    }
}

/// A priced line, with everything the ticket line and the receipt need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct PricedLine {
    pub code_article: u64,
    pub libelle: String,
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub quantite: Decimal,
    pub code_tva: u32,
    /// VAT rate in percent.
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub taux_tva: Decimal,
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub prix_unitaire_ttc: Decimal,
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub prix_unitaire_ht: Decimal,
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub total_ttc: Decimal,
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub total_ht: Decimal,
    /// The subsidy that lowered this line's price, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub subvention: Option<AppliedSubvention>,
    /// Set on an entry-fee line added by [`price_cart`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub droit_entree: Option<AppliedDroitEntree>,
}

/// A priced tray.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct PricedCart {
    pub profile: CustomerProfile,
    pub lines: Vec<PricedLine>,
    /// What the customer pays: Σ line `total_ttc`, fee lines included, subsidies deducted.
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub total_ttc: Decimal,
    /// Σ of the lines' subsidy totals, what the Crous pays on top (for display and reporting).
    #[serde(with = "crate::exact_decimal", default)]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub total_subventions: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    #[error("the tray is empty")]
    EmptyCart,
    #[error("article {code_article} is not in the reference data")]
    UnknownArticle { code_article: u64 },
    #[error("quantity {quantite} of article {code_article} must be positive")]
    InvalidQuantity { code_article: u64, quantite: Decimal },
    #[error("article {code_article} has no price for société {code_societe} tarif {tarif} on {day}")]
    NoPrice { code_article: u64, code_societe: u32, tarif: u32, day: NaiveDate },
    #[error("article {code_article} has two prices for société {code_societe} tarif {tarif} from periods starting the same day")]
    AmbiguousPrice { code_article: u64, code_societe: u32, tarif: u32 },
    #[error("price {prix_ttc} of article {code_article} is not a whole number of cents")]
    InvalidPrice { code_article: u64, prix_ttc: Decimal },
    #[error("article {code_article} has no VAT code for société {code_societe} tarif {tarif}")]
    NoVatCode { code_article: u64, code_societe: u32, tarif: u32 },
    #[error("VAT code {code_tva} is not in the tva table")]
    UnknownVatCode { code_tva: u32 },
    #[error("amounts of article {code_article} overflow")]
    Overflow { code_article: u64 },
    #[error("article {code_article} has several subsidies for société {code_societe} tarif {tarif}")]
    AmbiguousSubvention { code_article: u64, code_societe: u32, tarif: u32 },
    #[error("subsidy {code_subvention} of {montant} is negative, not whole cents, or above the price")]
    InvalidSubvention { code_subvention: u32, montant: Decimal },
    #[error("entry fee {code_droit_entree} has no codeArticle to be sold as")]
    FeeWithoutArticle { code_droit_entree: u32 },
    #[error("entry fee {code_droit_entree} of {montant} is negative or not whole cents")]
    InvalidFee { code_droit_entree: u32, montant: Decimal },
}

/// Prices every item of `cart` for `profile` on `day`, in the cart's order, subsidies deducted,
/// then appends the profile's entry-fee lines.
pub fn price_cart(
    reference: &ReferenceData,
    cart: &[CartItem],
    profile: CustomerProfile,
    day: NaiveDate,
) -> Result<PricedCart, PricingError> {
    if cart.is_empty() {
        return Err(PricingError::EmptyCart);
    }
    let mut lines = cart.iter().map(|item| price_item(reference, item, profile, day)).collect::<Result<Vec<_>, _>>()?;
    lines.extend(fees::fee_lines(reference, cart, profile, day)?);
    let overflow = || PricingError::Overflow { code_article: cart[0].code_article };
    let total_ttc = sum(lines.iter().map(|l| l.total_ttc)).ok_or_else(overflow)?;
    let subsidies = lines.iter().filter_map(|l| l.subvention.as_ref().map(|s| s.total));
    let total_subventions = sum(subsidies).map(money::round_cent).ok_or_else(overflow)?;
    Ok(PricedCart { profile, lines, total_ttc, total_subventions })
}

/// Reads a sale day, `YYYY-MM-DD` (the till's local date); the error says what was expected.
pub fn parse_day(day: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|e| format!("day {day:?}: {e} (YYYY-MM-DD expected)"))
}

fn sum(mut amounts: impl Iterator<Item = Decimal>) -> Option<Decimal> {
    amounts.try_fold(Decimal::ZERO, |sum, a| sum.checked_add(a).filter(|s| money::in_range(*s)))
}

fn price_item(
    reference: &ReferenceData,
    item: &CartItem,
    profile: CustomerProfile,
    day: NaiveDate,
) -> Result<PricedLine, PricingError> {
    let code_article = item.code_article;
    let article = reference.article(code_article).ok_or(PricingError::UnknownArticle { code_article })?;
    if item.quantite <= Decimal::ZERO {
        return Err(PricingError::InvalidQuantity { code_article, quantite: item.quantite });
    }
    let price = current_price(reference, code_article, profile, day)?;
    if price.prix_ttc < Decimal::ZERO || !is_whole_cents(price.prix_ttc) || !money::in_range(price.prix_ttc) {
        return Err(PricingError::InvalidPrice { code_article, prix_ttc: price.prix_ttc });
    }
    let gross = money::round_cent(price.prix_ttc);
    let subvention = subsidy::applied(reference, code_article, profile, day, gross, item.quantite)?;
    let net = subvention.as_ref().map_or(gross, |s| gross - s.montant_unitaire);
    let code_tva = vat_code(reference, article, profile, Some(price.id_periode));
    let mut line = priced_line(reference, article, item.quantite, code_tva, profile, net)?;
    line.subvention = subvention;
    Ok(line)
}

/// A line at unit TTC `unit_ttc`, HT derived; `code_tva` from [`vat_code`].
fn priced_line(
    reference: &ReferenceData,
    article: &Article,
    quantite: Decimal,
    code_tva: Option<u32>,
    profile: CustomerProfile,
    unit_ttc: Decimal,
) -> Result<PricedLine, PricingError> {
    let code_article = article.code_article;
    let code_tva = code_tva.ok_or(PricingError::NoVatCode {
        code_article,
        code_societe: profile.code_societe,
        tarif: profile.tarif,
    })?;
    let taux_tva = reference.vat_rate(code_tva).ok_or(PricingError::UnknownVatCode { code_tva })?;
    let overflow = PricingError::Overflow { code_article };
    let prix_unitaire_ttc = money::round_cent(unit_ttc);
    let prix_unitaire_ht = ht_from_ttc(prix_unitaire_ttc, taux_tva).ok_or(overflow.clone())?;
    Ok(PricedLine {
        code_article,
        libelle: article.libelle.clone(),
        quantite,
        code_tva,
        taux_tva,
        prix_unitaire_ttc,
        prix_unitaire_ht,
        total_ttc: line_total(prix_unitaire_ttc, quantite).ok_or(overflow.clone())?,
        total_ht: line_total(prix_unitaire_ht, quantite).ok_or(overflow)?,
        subvention: None,
        droit_entree: None,
    })
}

/// The price row in force on `day`: among rows whose period contains it, the latest-starting.
fn current_price(
    reference: &ReferenceData,
    code_article: u64,
    profile: CustomerProfile,
    day: NaiveDate,
) -> Result<&PrixArticle, PricingError> {
    let mut best: Option<(&PrixArticle, NaiveDate)> = None;
    let mut tie = false;
    for row in reference.articles_societes_tarifs_periodes.iter().filter(|p| {
        p.code_article == code_article && p.code_societe == profile.code_societe && p.tarif == profile.tarif
    }) {
        let Some(periode) = reference.periode(row.id_periode).filter(|p| p.contains(day)) else {
            continue;
        };
        match best {
            Some((_, start)) if periode.date_debut < start => {}
            Some((_, start)) if periode.date_debut == start => tie = true,
            _ => {
                best = Some((row, periode.date_debut));
                tie = false;
            }
        }
    }
    let (code_societe, tarif) = (profile.code_societe, profile.tarif);
    match best {
        Some(_) if tie => Err(PricingError::AmbiguousPrice { code_article, code_societe, tarif }),
        Some((row, _)) => Ok(row),
        None => Err(PricingError::NoPrice { code_article, code_societe, tarif, day }),
    }
}

/// The VAT code of `article` for `profile`: the profile's `societes-tarifs-periode` row for
/// `id_periode`, then its `societes-tarifs` row, then the article's own code.
fn vat_code(
    reference: &ReferenceData,
    article: &Article,
    profile: CustomerProfile,
    id_periode: Option<u32>,
) -> Option<u32> {
    let for_period = reference
        .societes_tarifs_periodes
        .iter()
        .find(|stp| {
            stp.code_societe == profile.code_societe && stp.tarif == profile.tarif && Some(stp.id_periode) == id_periode
        })
        .and_then(|stp| stp.code_tva);
    for_period.or_else(|| reference.societe_tarif(profile).and_then(|st| st.code_tva)).or(article.code_tva)
}

/// True when `id_periode` is absent or names a known period containing `day`.
fn in_period(reference: &ReferenceData, id_periode: Option<u32>, day: NaiveDate) -> bool {
    id_periode.is_none_or(|id| reference.periode(id).is_some_and(|p| p.contains(day)))
}

#[cfg(test)]
mod tests;
