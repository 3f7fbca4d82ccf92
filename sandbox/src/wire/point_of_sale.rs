//! A till's five numbers. Specs 001, "Numérotation des points de ventes": "idCrous, idUg, idRu,
//! idUd, idCaisse"; public-facts.md: the appId `5-1-9-8-14` joins them with dashes.

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PointOfSale {
    pub id_crous: u32,
    pub id_ug: u32,
    pub id_ru: u32,
    pub id_ud: u32,
    pub id_caisse: u32,
}

impl PointOfSale {
    /// `5-1-9-8-14`: the Crous API's appId and Izly POS's `AppIdentifier` / `PointOfSale`.
    pub fn app_id(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for PointOfSale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{}-{}-{}", self.id_crous, self.id_ug, self.id_ru, self.id_ud, self.id_caisse)
    }
}

impl FromStr for PointOfSale {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let parts: Vec<u32> = s.split('-').map(str::parse).collect::<Result<_, _>>().map_err(|_| s.to_owned())?;
        match parts[..] {
            [id_crous, id_ug, id_ru, id_ud, id_caisse] => Ok(PointOfSale { id_crous, id_ug, id_ru, id_ud, id_caisse }),
            _ => Err(s.to_owned()),
        }
    }
}

/// Written as its app id in the fixtures.
impl Serialize for PointOfSale {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.app_id())
    }
}

impl<'de> Deserialize<'de> for PointOfSale {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(|s| de::Error::custom(format!("not a point of sale: {s:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_numbers_joined_by_dashes() {
        let pos: PointOfSale = "5-1-9-8-14".parse().unwrap();
        assert_eq!((pos.id_crous, pos.id_caisse), (5, 14));
        assert_eq!(pos.app_id(), "5-1-9-8-14");
        for bad in ["5-1-9-8", "5-1-9-8-14-1", "5-1-x-8-14", "", "5--9-8-14"] {
            assert!(bad.parse::<PointOfSale>().is_err(), "{bad}");
        }
    }
}
