//! The Crous API's paths and query parameter names: THE one place to correct them when the real
//! API description is in hand (docs/api-choices.md lists which are seen in public code and which
//! are our choice).
//!
//! * Seen in public code (public-facts.md): the base `/vem/v1`, `POST /vem/v1/authenticate`, and
//!   `POST /vem/v1/{idCrous}/remontee-caisse/tickets/{idCrous}/{idUg}/{idRu}/{idUd}/{idCaisse}`
//!   with `use=<software>` and `versCommandeEnLigne=1`.
//! * Our choice: `caisse` mirrors the tickets path (`/vem/v1/{idCrous}/remontee-caisse/caisse/
//!   {idCrous}/{idUg}/{idRu}/{idUd}/{idCaisse}`); every reference resource is
//!   `GET /vem/v1/{idCrous}/{resource name as specs 001 spells it}`.

use crate::point_of_sale::PointOfSale;

/// Base path of the Crous API (VEM).
pub const BASE: &str = "/vem/v1";

/// `?use=<software name>` on tickets (public code).
pub const Q_USE: &str = "use";
/// `versCommandeEnLigne=1` on tickets from an online-ordering kiosk (public code).
pub const Q_VERS_COMMANDE_EN_LIGNE: &str = "versCommandeEnLigne";
/// Specs 001: "versBornesPrepaiement = 1" on articles and on articles-societes-tarifs-periodes.
pub const Q_VERS_BORNES_PREPAIEMENT: &str = "versBornesPrepaiement";
/// Specs 001: "la valeur 0 dans le paramètre periodesFutures".
pub const Q_PERIODES_FUTURES: &str = "periodesFutures";
/// Our choice: the sociétés whose prices are wanted, comma-separated ("10,8000").
pub const Q_CODES_SOCIETES: &str = "codesSocietes";

/// The reference-data resources of specs 001.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    Tva,
    Articles,
    Societes,
    SocietesTarifs,
    Periodes,
    SocietesTarifsPeriode,
    ArticlesSocietesTarifsPeriodes,
    DroitsEntree,
    Subventions,
    DroitsEntreeTypes,
}

impl Resource {
    pub const ALL: [Resource; 10] = [
        Resource::Tva,
        Resource::Articles,
        Resource::Societes,
        Resource::SocietesTarifs,
        Resource::Periodes,
        Resource::SocietesTarifsPeriode,
        Resource::ArticlesSocietesTarifsPeriodes,
        Resource::DroitsEntree,
        Resource::Subventions,
        Resource::DroitsEntreeTypes,
    ];

    /// The resource name exactly as specs 001 spells it, used as the path segment.
    pub const fn segment(self) -> &'static str {
        match self {
            Resource::Tva => "tva",
            Resource::Articles => "articles",
            Resource::Societes => "societes",
            Resource::SocietesTarifs => "societes-tarifs",
            Resource::Periodes => "periodes",
            Resource::SocietesTarifsPeriode => "societes-tarifs-periode",
            Resource::ArticlesSocietesTarifsPeriodes => "articles-societes-tarifs-periodes",
            Resource::DroitsEntree => "droits-entree",
            Resource::Subventions => "subventions",
            Resource::DroitsEntreeTypes => "droits-entree-types",
        }
    }
}

fn pos_segments(p: &PointOfSale) -> String {
    format!("{}/{}/{}/{}/{}", p.id_crous, p.id_ug, p.id_ru, p.id_ud, p.id_caisse)
}

/// `POST /vem/v1/authenticate`.
pub fn authenticate() -> String {
    format!("{BASE}/authenticate")
}

/// `GET /vem/v1/{idCrous}/remontee-caisse/caisse/{idCrous}/{idUg}/{idRu}/{idUd}/{idCaisse}`.
pub fn caisse(p: &PointOfSale) -> String {
    format!("{BASE}/{}/remontee-caisse/caisse/{}", p.id_crous, pos_segments(p))
}

/// `POST /vem/v1/{idCrous}/remontee-caisse/tickets/{idCrous}/{idUg}/{idRu}/{idUd}/{idCaisse}`.
pub fn tickets(p: &PointOfSale) -> String {
    format!("{BASE}/{}/remontee-caisse/tickets/{}", p.id_crous, pos_segments(p))
}

/// `GET /vem/v1/{idCrous}/{resource}`.
pub fn reference(p: &PointOfSale, r: Resource) -> String {
    format!("{BASE}/{}/{}", p.id_crous, r.segment())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let p = PointOfSale::new(5, 1, 9, 8, 14);
        assert_eq!(authenticate(), "/vem/v1/authenticate");
        assert_eq!(tickets(&p), "/vem/v1/5/remontee-caisse/tickets/5/1/9/8/14");
        assert_eq!(caisse(&p), "/vem/v1/5/remontee-caisse/caisse/5/1/9/8/14");
        assert_eq!(
            reference(&p, Resource::ArticlesSocietesTarifsPeriodes),
            "/vem/v1/5/articles-societes-tarifs-periodes"
        );
        let segs: std::collections::HashSet<_> = Resource::ALL.iter().map(|r| r.segment()).collect();
        assert_eq!(segs.len(), 10);
    }
}
