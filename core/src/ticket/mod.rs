//! The Crous `tickets` resource: the sales ticket a till sends back to the Crous back office (VEM).
//!
//! Every field is optional in the Rust type because the checks must be able to name a missing
//! one (`missing_field`) instead of failing to parse; the [`crate::builder`] always fills them.

mod wire;

pub use wire::{Complementaire, LigneTicket, Reglement, Ticket};

/// `codeEvenement` of a sale. Specs 001: "codeEvenement ='VT'".
pub const CODE_EVENEMENT_VENTE: &str = "VT";

/// `codeReglement` values. Specs 001: "codeReglement (4:CB, 9:Izly, 12:fidélité)".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub enum CodeReglement {
    /// 4: carte bancaire.
    CarteBancaire,
    /// 9: Izly wallet.
    Izly,
    /// 12: fidélité (loyalty points).
    Fidelite,
}

impl CodeReglement {
    pub const fn code(self) -> u32 {
        match self {
            CodeReglement::CarteBancaire => 4,
            CodeReglement::Izly => 9,
            CodeReglement::Fidelite => 12,
        }
    }

    pub const fn from_code(code: u32) -> Option<Self> {
        match code {
            4 => Some(CodeReglement::CarteBancaire),
            9 => Some(CodeReglement::Izly),
            12 => Some(CodeReglement::Fidelite),
            _ => None,
        }
    }

    /// A short French label, as printed on receipts.
    pub const fn libelle(self) -> &'static str {
        match self {
            CodeReglement::CarteBancaire => "CB",
            CodeReglement::Izly => "Izly",
            CodeReglement::Fidelite => "Fidélité",
        }
    }
}

impl From<CodeReglement> for u32 {
    fn from(c: CodeReglement) -> u32 {
        c.code()
    }
}

impl TryFrom<u32> for CodeReglement {
    type Error = String;
    fn try_from(code: u32) -> Result<Self, String> {
        CodeReglement::from_code(code).ok_or_else(|| format!("unknown codeReglement {code}"))
    }
}

/// `idTypeDistribution`. Specs 001: "1 : sur place, 2 : a emporter, 3 : livré (non mis en place :
/// a ne pas renseigner)", so 3 is refused by the checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub enum TypeDistribution {
    SurPlace,
    AEmporter,
}

impl TypeDistribution {
    pub const fn code(self) -> u32 {
        match self {
            TypeDistribution::SurPlace => 1,
            TypeDistribution::AEmporter => 2,
        }
    }

    pub const fn from_code(code: u32) -> Option<Self> {
        match code {
            1 => Some(TypeDistribution::SurPlace),
            2 => Some(TypeDistribution::AEmporter),
            _ => None,
        }
    }
}

/// Serialized as its code (1 or 2), as `idTypeDistribution` is on the wire.
impl From<TypeDistribution> for u32 {
    fn from(t: TypeDistribution) -> u32 {
        t.code()
    }
}

impl TryFrom<u32> for TypeDistribution {
    type Error = String;
    fn try_from(code: u32) -> Result<Self, String> {
        TypeDistribution::from_code(code)
            .ok_or_else(|| format!("idTypeDistribution {code}: 1 (sur place) or 2 (à emporter) expected"))
    }
}
