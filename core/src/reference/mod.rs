//! Crous reference data, as specs 001 names its resources: tva, articles, societes,
//! societes-tarifs, periodes, societes-tarifs-periode, articles-societes-tarifs-periodes,
//! droits-entree, droits-entree-types and subventions.
//!
//! Specs 001 gives resource names but no schemas. The field names below are our choice, in the
//! spec's French camelCase, and are declared once here; when the real API description is in hand
//! this folder is the one place to correct.

mod articles;
mod droits_entree;
mod periodes;
mod prices;
mod profiles;
mod subventions;
mod tva;

pub use articles::Article;
pub use droits_entree::{DroitEntree, DroitEntreeType};
pub use periodes::{Periode, SocieteTarifPeriode};
pub use prices::PrixArticle;
pub use profiles::{CustomerProfile, Societe, SocieteTarif};
pub use subventions::Subvention;
pub use tva::Tva;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Everything a till downloads from the Crous API to price a tray and check a ticket.
/// Every list defaults to empty, so `{"tva": [...], "articles": [...]}` is a valid reference file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", default)]
pub struct ReferenceData {
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub tva: Vec<Tva>,
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub articles: Vec<Article>,
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub societes: Vec<Societe>,
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub societes_tarifs: Vec<SocieteTarif>,
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub periodes: Vec<Periode>,
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub societes_tarifs_periodes: Vec<SocieteTarifPeriode>,
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub articles_societes_tarifs_periodes: Vec<PrixArticle>,
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub droits_entree: Vec<DroitEntree>,
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub droits_entree_types: Vec<DroitEntreeType>,
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub subventions: Vec<Subvention>,
}

impl ReferenceData {
    /// The VAT rate (percent) of a codeTva.
    pub fn vat_rate(&self, code_tva: u32) -> Option<Decimal> {
        self.tva.iter().find(|t| t.code_tva == code_tva).map(|t| t.taux)
    }

    pub fn article(&self, code_article: u64) -> Option<&Article> {
        self.articles.iter().find(|a| a.code_article == code_article)
    }

    pub fn periode(&self, id_periode: u32) -> Option<&Periode> {
        self.periodes.iter().find(|p| p.id_periode == id_periode)
    }

    pub fn societe_tarif(&self, profile: CustomerProfile) -> Option<&SocieteTarif> {
        self.societes_tarifs.iter().find(|st| st.profile() == profile)
    }
}
