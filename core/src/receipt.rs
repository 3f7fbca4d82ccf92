//! What a receipt prints: its lines ([`receipt_lines`]) and the VAT summary ([`vat_totals`]).
//!
//! A line's VAT is its total TTC minus its total HT ([`crate::money`]), so each rate's HT + TVA
//! equals its TTC exactly and the rates add up to the ticket's total.

use crate::pricing::PricedCart;
use crate::reference::ReferenceData;
use crate::ticket::Ticket;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// One printed line: what is paid, and for a subsidised line what the Crous paid on top
/// ("dont subvention"), since the ticket itself only carries the net price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ReceiptLine {
    pub libelle: String,
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub quantite: Decimal,
    /// Unit price paid, TTC.
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub prix_unitaire_ttc: Decimal,
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub total_ttc: Decimal,
    /// Unit price before the subsidy, on subsidised lines.
    #[serde(with = "crate::exact_decimal::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "Amount", optional))]
    pub prix_unitaire_avant_subvention_ttc: Option<Decimal>,
    /// The line's subsidy total ("dont subvention"), on subsidised lines.
    #[serde(with = "crate::exact_decimal::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "Amount", optional))]
    pub dont_subvention: Option<Decimal>,
    /// True on an entry-fee line added by pricing.
    pub droit_entree: bool,
}

/// The printable lines of a priced tray, in its order (fee lines last).
pub fn receipt_lines(cart: &PricedCart) -> Vec<ReceiptLine> {
    cart.lines
        .iter()
        .map(|l| ReceiptLine {
            libelle: l.libelle.clone(),
            quantite: l.quantite,
            prix_unitaire_ttc: l.prix_unitaire_ttc,
            total_ttc: l.total_ttc,
            prix_unitaire_avant_subvention_ttc: l.subvention.as_ref().map(|s| s.prix_unitaire_avant_subvention_ttc),
            dont_subvention: l.subvention.as_ref().map(|s| s.total),
            droit_entree: l.droit_entree.is_some(),
        })
        .collect()
}

/// One VAT rate's totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct VatTotal {
    pub code_tva: u32,
    /// Rate in percent, when the VAT table knows the code.
    #[serde(with = "crate::exact_decimal::option")]
    #[cfg_attr(feature = "ts", ts(type = "Amount | null"))]
    pub taux: Option<Decimal>,
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub total_ht: Decimal,
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub total_tva: Decimal,
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::{price_cart, CartItem};
    use crate::reference::CustomerProfile;
    use rust_decimal_macros::dec;

    fn reference() -> ReferenceData {
        serde_json::from_str(
            r#"{"tva": [{"codeTva": 1, "taux": 10}],
            "articles": [{"codeArticle": 100, "libelle": "Repas", "codeTva": 1},
                         {"codeArticle": 900, "libelle": "Droit d'entrée", "codeTva": 1}],
            "periodes": [{"idPeriode": 1, "dateDebut": "2026-09-01"}],
            "articlesSocietesTarifsPeriodes": [
                {"codeArticle": 100, "codeSociete": 10, "tarif": 97, "idPeriode": 1, "prixTtc": "3.30"},
                {"codeArticle": 100, "codeSociete": 8000, "tarif": 1, "idPeriode": 1, "prixTtc": "8.30"}],
            "droitsEntree": [{"codeDroitEntree": 1, "codeTypeDroitEntree": 1, "codeSociete": 8000, "tarif": 1,
                              "codeArticle": 900, "montant": "1.50", "codesArticlesRepas": [100]}],
            "subventions": [{"codeSubvention": 1, "libelle": "Boursier", "codeSociete": 10, "tarif": 97,
                             "codeArticle": 100, "montant": "2.30"}]}"#,
        )
        .unwrap()
    }

    fn lines(profile: CustomerProfile) -> Vec<ReceiptLine> {
        let day = "2026-11-23".parse().unwrap();
        receipt_lines(&price_cart(&reference(), &[CartItem::new(100, 2)], profile, day).unwrap())
    }

    #[test]
    fn a_subsidised_line_shows_the_gross_price_and_the_subsidy() {
        let l = &lines(CustomerProfile::new(10, 97))[0];
        assert_eq!(
            (l.libelle.as_str(), l.quantite, l.prix_unitaire_ttc, l.total_ttc),
            ("Repas", dec!(2), dec!(1.00), dec!(2.00))
        );
        assert_eq!((l.prix_unitaire_avant_subvention_ttc, l.dont_subvention), (Some(dec!(3.30)), Some(dec!(4.60))));
        assert!(!l.droit_entree);
        assert_eq!(
            serde_json::to_string(l).unwrap(),
            r#"{"libelle":"Repas","quantite":2,"prixUnitaireTtc":1.00,"totalTtc":2.00,"prixUnitaireAvantSubventionTtc":3.30,"dontSubvention":4.60,"droitEntree":false}"#
        );
    }

    #[test]
    fn a_fee_line_is_marked_and_a_plain_line_has_no_subsidy() {
        let v = lines(CustomerProfile::HOTE_DE_PASSAGE);
        assert_eq!(v.len(), 2);
        assert_eq!(
            (v[0].prix_unitaire_avant_subvention_ttc, v[0].dont_subvention, v[0].droit_entree),
            (None, None, false)
        );
        assert_eq!((v[1].libelle.as_str(), v[1].total_ttc, v[1].droit_entree), ("Droit d'entrée", dec!(3.00), true));
        let json = serde_json::to_value(&v[0]).unwrap();
        assert!(json.get("dontSubvention").is_none() && json.get("prixUnitaireAvantSubventionTtc").is_none());
    }
}
