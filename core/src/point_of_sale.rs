//! Point-of-sale identity. Specs 001, "Numérotation des points de ventes": "idCrous, idUg, idRu,
//! idUd, idCaisse". One installation key exists per such quintuple.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A till's place in the Crous organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "PointOfSaleIds"))]
#[serde(rename_all = "camelCase")]
pub struct PointOfSale {
    /// "numéro du Crous".
    pub id_crous: u32,
    /// "numéro de l'unité de gestion".
    pub id_ug: u32,
    /// "numéro du restaurant Universitaire".
    pub id_ru: u32,
    /// "numéro de l'unité de distribution".
    pub id_ud: u32,
    /// "numéro de caisse".
    pub id_caisse: u32,
}

impl PointOfSale {
    pub const fn new(id_crous: u32, id_ug: u32, id_ru: u32, id_ud: u32, id_caisse: u32) -> Self {
        PointOfSale { id_crous, id_ug, id_ru, id_ud, id_caisse }
    }

    /// The application id the Crous API's authenticate expects: the five numbers joined by
    /// dashes (public-facts.md, seen: `"5-1-9-8-14"`).
    pub fn app_id(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for PointOfSale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{}-{}-{}", self.id_crous, self.id_ug, self.id_ru, self.id_ud, self.id_caisse)
    }
}

/// Why a `crous-ug-ru-ud-caisse` string is not a point of sale.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a point of sale (expected five numbers joined by dashes, like 5-1-9-8-14): {0:?}")]
pub struct PointOfSaleParseError(pub String);

impl std::str::FromStr for PointOfSale {
    type Err = PointOfSaleParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || PointOfSaleParseError(s.to_owned());
        let parts: Vec<u32> = s
            .split('-')
            .map(|p| if p.bytes().all(|b| b.is_ascii_digit()) { p.parse().ok() } else { None })
            .collect::<Option<_>>()
            .ok_or_else(err)?;
        match parts[..] {
            [c, g, r, d, k] => Ok(PointOfSale::new(c, g, r, d, k)),
            _ => Err(err()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_id_round_trips() {
        let pos: PointOfSale = "5-1-9-8-14".parse().unwrap();
        assert_eq!(pos, PointOfSale::new(5, 1, 9, 8, 14));
        assert_eq!(pos.app_id(), "5-1-9-8-14");
        assert!("5-1-9-8".parse::<PointOfSale>().is_err());
        assert!("5-1-9-8-x".parse::<PointOfSale>().is_err());
        assert!("5-1-9-8-+4".parse::<PointOfSale>().is_err());
        assert!("".parse::<PointOfSale>().is_err());
    }
}
