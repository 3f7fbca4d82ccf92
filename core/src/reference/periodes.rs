use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One row of the `periodes` resource: a span of days during which a set of prices applies.
/// Specs 001 asks for `periodesFutures = 0` "pour ne récupérer que les prix actuels", so periods
/// are date ranges; `dateFin` absent means open-ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Periode {
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub id_periode: u32,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub libelle: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub date_debut: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "string", optional = nullable))]
    pub date_fin: Option<NaiveDate>,
}

impl Periode {
    /// Both bounds are inclusive.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.date_debut <= day && self.date_fin.is_none_or(|fin| day <= fin)
    }
}

/// One row of the `societes-tarifs-periode` resource: which periods a société/tarif has, and
/// (our reading) the VAT code that profile uses during that period, since rates change over time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SocieteTarifPeriode {
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub code_societe: u32,
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub tarif: u32,
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub id_periode: u32,
    #[serde(default, deserialize_with = "crate::lenient::int_code::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub code_tva: Option<u32>,
}
