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
//! Amounts follow [`crate::money`]: TTC authoritative, HT derived and rounded half-up to the cent.

use crate::money::{self, ht_from_ttc, is_whole_cents, line_total};
use crate::reference::{CustomerProfile, PrixArticle, ReferenceData};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One article and how many of it are on the tray.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CartItem {
    pub code_article: u64,
    #[serde(with = "crate::exact_decimal")]
    pub quantite: Decimal,
}

impl CartItem {
    pub fn new(code_article: u64, quantite: impl Into<Decimal>) -> Self {
        CartItem { code_article, quantite: quantite.into() }
    }
}

/// A priced line, with everything the ticket line and the receipt need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PricedLine {
    pub code_article: u64,
    pub libelle: String,
    #[serde(with = "crate::exact_decimal")]
    pub quantite: Decimal,
    pub code_tva: u32,
    /// VAT rate in percent.
    #[serde(with = "crate::exact_decimal")]
    pub taux_tva: Decimal,
    #[serde(with = "crate::exact_decimal")]
    pub prix_unitaire_ttc: Decimal,
    #[serde(with = "crate::exact_decimal")]
    pub prix_unitaire_ht: Decimal,
    #[serde(with = "crate::exact_decimal")]
    pub total_ttc: Decimal,
    #[serde(with = "crate::exact_decimal")]
    pub total_ht: Decimal,
}

/// A priced tray.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PricedCart {
    pub profile: CustomerProfile,
    pub lines: Vec<PricedLine>,
    #[serde(with = "crate::exact_decimal")]
    pub total_ttc: Decimal,
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
}

/// Prices every item of `cart` for `profile` on `day`, in the cart's order.
pub fn price_cart(
    reference: &ReferenceData,
    cart: &[CartItem],
    profile: CustomerProfile,
    day: NaiveDate,
) -> Result<PricedCart, PricingError> {
    if cart.is_empty() {
        return Err(PricingError::EmptyCart);
    }
    let lines = cart.iter().map(|item| price_item(reference, item, profile, day)).collect::<Result<Vec<_>, _>>()?;
    let total_ttc = lines
        .iter()
        .try_fold(Decimal::ZERO, |sum, l| sum.checked_add(l.total_ttc).filter(|s| money::in_range(*s)))
        .ok_or(PricingError::Overflow { code_article: cart[0].code_article })?;
    Ok(PricedCart { profile, lines, total_ttc })
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
    let code_tva = vat_code(reference, article.code_tva, profile, price.id_periode).ok_or(PricingError::NoVatCode {
        code_article,
        code_societe: profile.code_societe,
        tarif: profile.tarif,
    })?;
    let taux_tva = reference.vat_rate(code_tva).ok_or(PricingError::UnknownVatCode { code_tva })?;
    let overflow = PricingError::Overflow { code_article };
    let prix_unitaire_ttc = money::round_cent(price.prix_ttc);
    let prix_unitaire_ht = ht_from_ttc(prix_unitaire_ttc, taux_tva).ok_or(overflow.clone())?;
    Ok(PricedLine {
        code_article,
        libelle: article.libelle.clone(),
        quantite: item.quantite,
        code_tva,
        taux_tva,
        prix_unitaire_ttc,
        prix_unitaire_ht,
        total_ttc: line_total(prix_unitaire_ttc, item.quantite).ok_or(overflow.clone())?,
        total_ht: line_total(prix_unitaire_ht, item.quantite).ok_or(overflow)?,
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

fn vat_code(
    reference: &ReferenceData,
    article_code_tva: Option<u32>,
    profile: CustomerProfile,
    id_periode: u32,
) -> Option<u32> {
    let for_period = reference
        .societes_tarifs_periodes
        .iter()
        .find(|stp| {
            stp.code_societe == profile.code_societe && stp.tarif == profile.tarif && stp.id_periode == id_periode
        })
        .and_then(|stp| stp.code_tva);
    for_period.or_else(|| reference.societe_tarif(profile).and_then(|st| st.code_tva)).or(article_code_tva)
}
