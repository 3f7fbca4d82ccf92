//! The Crous reference resources, by their path segments.

/// The Crous reference resources, named as specs 001 lists them ("Liste des ressources").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrousResource {
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

impl CrousResource {
    const ALL: [(CrousResource, &'static str); 10] = [
        (CrousResource::Tva, "tva"),
        (CrousResource::Articles, "articles"),
        (CrousResource::Societes, "societes"),
        (CrousResource::SocietesTarifs, "societes-tarifs"),
        (CrousResource::Periodes, "periodes"),
        (CrousResource::SocietesTarifsPeriode, "societes-tarifs-periode"),
        (CrousResource::ArticlesSocietesTarifsPeriodes, "articles-societes-tarifs-periodes"),
        (CrousResource::DroitsEntree, "droits-entree"),
        (CrousResource::Subventions, "subventions"),
        (CrousResource::DroitsEntreeTypes, "droits-entree-types"),
    ];

    /// The resource a path segment names.
    pub fn from_segment(segment: &str) -> Option<CrousResource> {
        Self::ALL.iter().find(|(_, s)| *s == segment).map(|(r, _)| *r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_resource_of_specs_001() {
        assert_eq!(CrousResource::from_segment("societes-tarifs-periode"), Some(CrousResource::SocietesTarifsPeriode));
        assert_eq!(CrousResource::from_segment("tickets"), None);
    }
}
