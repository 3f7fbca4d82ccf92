//! Wire structs of the `tickets` resource, field for field as specs 001 lists them
//! ("champs obligatoires pour la ressource tickets"), with the spec's camelCase names.
//!
//! Money and quantities are `Decimal`, read from JSON numbers or numeric strings without going
//! through `f64` ([`crate::exact_decimal`]). Identifiers are read from strings or numbers and
//! written as strings, as the ticket seen in public code has them (public-facts.md).

use crate::{exact_decimal, lenient};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One sales ticket. Specs 001 names the header fields and three lists.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Ticket {
    /// "Un numéro unique et séquentiel par point de vente".
    #[serde(default, deserialize_with = "lenient::ident::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub id_ticket_entete: Option<String>,
    /// "imprimé sur le ticket de caisse ... unique par point de vente" (e.g. 20031810).
    #[serde(default, deserialize_with = "lenient::ident::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub numero_ticket: Option<String>,
    /// "pour aide au débogage". Specs 001 spells it `versionlogiciel` once in running text; the
    /// field list and the public ticket use `versionLogiciel`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub version_logiciel: Option<String>,
    /// ISO 8601 with milliseconds, as seen in public code: `2021-04-02T10:55:39.998Z`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub date: Option<String>,
    /// Always `VT` (vente).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub code_evenement: Option<String>,
    /// "au moins un élément".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub liste_lignes: Option<Vec<LigneTicket>>,
    /// "un seul élément".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub liste_reglements: Option<Vec<Reglement>>,
    /// "un seul élément": an object, not a list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub complementaire: Option<Complementaire>,
}

/// One line of `listeLignes`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LigneTicket {
    /// "autoincrément par exemple, en partant de 1 a chaque ticket ... unique pour un ticket".
    #[serde(default, deserialize_with = "lenient::int_code::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub numero_ligne: Option<u32>,
    #[serde(default, deserialize_with = "lenient::int_code::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub code_article: Option<u64>,
    #[serde(default, with = "exact_decimal::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "Amount", optional))]
    pub quantite: Option<Decimal>,
    #[serde(default, deserialize_with = "lenient::int_code::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub code_tva: Option<u32>,
    #[serde(default, with = "exact_decimal::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "Amount", optional))]
    pub prix_unitaire_ht: Option<Decimal>,
    #[serde(default, with = "exact_decimal::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "Amount", optional))]
    pub prix_unitaire_ttc: Option<Decimal>,
    #[serde(default, with = "exact_decimal::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "Amount", optional))]
    pub total_ht: Option<Decimal>,
    #[serde(default, with = "exact_decimal::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "Amount", optional))]
    pub total_ttc: Option<Decimal>,
    /// Loyalty points earned on this line; "total des gainfidleite = cumulpointsfidelite".
    #[serde(default, with = "exact_decimal::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "Amount", optional))]
    pub gain_fidelite: Option<Decimal>,
}

/// One payment of `listeReglements`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Reglement {
    /// "4:CB, 9:Izly, 12:fidélité". Kept as a raw number so an unknown code can be reported.
    #[serde(default, deserialize_with = "lenient::int_code::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub code_reglement: Option<u32>,
    /// "montant (ttc)".
    #[serde(default, with = "exact_decimal::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "Amount", optional))]
    pub montant: Option<Decimal>,
    /// "idSupport ou qrCode si codeReglement = 9": the Izly card's support id.
    #[serde(default, deserialize_with = "lenient::ident::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub id_support: Option<String>,
    /// The scanned Izly QR code (its text, as the till read it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub qr_code: Option<String>,
    /// "idTransactionIzly si codeReglement = 9".
    #[serde(default, deserialize_with = "lenient::ident::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub id_transaction_izly: Option<String>,
    /// "numeroApplicatif si idSupport renseigné" (the ZDC's NUM_APPLICATIF).
    #[serde(default, deserialize_with = "lenient::ident::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub numero_applicatif: Option<String>,
}

/// The `complementaire` object: who the customer is and how the sale was priced.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Complementaire {
    /// "si client izly ... peut ne pas être obligatoire si inconnu (paiement par carte izly, dans
    /// ce cas là idSupport est obligatoire)".
    #[serde(default, deserialize_with = "lenient::ident::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub code_client: Option<String>,
    /// "solde après transaction en € et centimes d'€ : ex 15.25 €".
    #[serde(default, with = "exact_decimal::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "Amount", optional))]
    pub solde_client: Option<Decimal>,
    /// "non obligatoire, sauf si utilisé".
    #[serde(default, with = "exact_decimal::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "Amount", optional))]
    pub cumul_points_fidelite: Option<Decimal>,
    /// "non obligatoire, sauf si utilisé".
    #[serde(default, with = "exact_decimal::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "Amount", optional))]
    pub solde_points_fidelite: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub nom_client: Option<String>,
    /// e.g. "2018-07-06T09:30:41+02:00".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub date_fin_validite_client: Option<String>,
    /// "code société utilisé pour déterminer les prix de vente".
    #[serde(default, deserialize_with = "lenient::int_code::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub code_societe_client: Option<u32>,
    /// "code tarif utilisé pour déterminer les prix de vente".
    #[serde(default, deserialize_with = "lenient::int_code::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub tarif_client: Option<u32>,
    #[serde(default, deserialize_with = "lenient::ident::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub code_crous_client: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub rne_etablissement: Option<String>,
    #[serde(default, deserialize_with = "lenient::ident::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub affectation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub adresse_mail: Option<String>,
    /// "obligatoire si paiement à partir de la carte Izly".
    #[serde(default, deserialize_with = "lenient::ident::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub id_support: Option<String>,
    /// 1 sur place, 2 à emporter (3 livré: "à ne pas renseigner").
    #[serde(default, deserialize_with = "lenient::int_code::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub id_type_distribution: Option<u32>,
    /// The software's id at the Crous (seen: 39).
    #[serde(default, deserialize_with = "lenient::int_code::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub id_logiciel: Option<u32>,
}
