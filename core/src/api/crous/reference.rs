//! The reference-data resources of specs 001, each a `GET` answering a JSON array of the core's
//! [`crate::reference`] rows (tva → [`Tva`], articles → [`Article`], …). All are safe to resend.

use super::paths::{self, Resource};
use super::{error_from_status, CrousApi, CrousError, CrousToken};
use crate::api::request::ApiRequest;
use crate::api::response::is_success;
use crate::reference::{
    Article, DroitEntree, DroitEntreeType, Periode, PrixArticle, ReferenceData, Societe, SocieteTarif,
    SocieteTarifPeriode, Subvention, Tva,
};
use serde::de::DeserializeOwned;

/// Specs 001: prices "des sociétés 10 et 8000. 10 pour les étudiants et 8000 pour les non
/// étudiants".
pub const PRICE_SOCIETES: [u32; 2] = [10, 8000];

impl CrousApi {
    /// Any reference resource with explicit query parameters.
    pub fn reference(&self, token: &CrousToken, resource: Resource, params: &[(&str, &str)]) -> ApiRequest {
        self.get(endpoint(resource), &paths::reference(&self.point_of_sale, resource), params, token)
    }

    /// `tva`: "la table de correspondance entre code et taux de tva".
    pub fn tva(&self, token: &CrousToken) -> ApiRequest {
        self.reference(token, Resource::Tva, &[])
    }

    /// `articles`; `vers_bornes_prepaiement` adds `versBornesPrepaiement=1` ("pour récupérer
    /// uniquement les articles dédiés au fonctionnement des bornes").
    pub fn articles(&self, token: &CrousToken, vers_bornes_prepaiement: bool) -> ApiRequest {
        let params: &[(&str, &str)] =
            if vers_bornes_prepaiement { &[(paths::Q_VERS_BORNES_PREPAIEMENT, "1")] } else { &[] };
        self.reference(token, Resource::Articles, params)
    }

    pub fn societes(&self, token: &CrousToken) -> ApiRequest {
        self.reference(token, Resource::Societes, &[])
    }

    pub fn societes_tarifs(&self, token: &CrousToken) -> ApiRequest {
        self.reference(token, Resource::SocietesTarifs, &[])
    }

    pub fn periodes(&self, token: &CrousToken) -> ApiRequest {
        self.reference(token, Resource::Periodes, &[])
    }

    pub fn societes_tarifs_periode(&self, token: &CrousToken) -> ApiRequest {
        self.reference(token, Resource::SocietesTarifsPeriode, &[])
    }

    /// `articles-societes-tarifs-periodes` for `societes` (usually [`PRICE_SOCIETES`]), current
    /// prices only (`periodesFutures=0`), optionally only the kiosk articles.
    pub fn articles_societes_tarifs_periodes(
        &self,
        token: &CrousToken,
        societes: &[u32],
        vers_bornes_prepaiement: bool,
    ) -> ApiRequest {
        let codes = societes.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
        let mut params = vec![(paths::Q_CODES_SOCIETES, codes.as_str()), (paths::Q_PERIODES_FUTURES, "0")];
        if vers_bornes_prepaiement {
            params.push((paths::Q_VERS_BORNES_PREPAIEMENT, "1"));
        }
        self.reference(token, Resource::ArticlesSocietesTarifsPeriodes, &params)
    }

    /// Every request of a till's reference download, in [`Resource::ALL`]'s order: all articles,
    /// the current prices of sociétés 10 and 8000 ([`PRICE_SOCIETES`], `periodesFutures=0`), and
    /// the other resources whole. Read each answer with [`parse_into`].
    pub fn till_reference_requests(&self, token: &CrousToken) -> Vec<(Resource, ApiRequest)> {
        Resource::ALL
            .iter()
            .map(|&r| {
                let request = match r {
                    Resource::ArticlesSocietesTarifsPeriodes => {
                        self.articles_societes_tarifs_periodes(token, &PRICE_SOCIETES, false)
                    }
                    _ => self.reference(token, r, &[]),
                };
                (r, request)
            })
            .collect()
    }

    pub fn droits_entree(&self, token: &CrousToken) -> ApiRequest {
        self.reference(token, Resource::DroitsEntree, &[])
    }

    pub fn subventions(&self, token: &CrousToken) -> ApiRequest {
        self.reference(token, Resource::Subventions, &[])
    }

    pub fn droits_entree_types(&self, token: &CrousToken) -> ApiRequest {
        self.reference(token, Resource::DroitsEntreeTypes, &[])
    }
}

const fn endpoint(r: Resource) -> &'static str {
    match r {
        Resource::Tva => "crous.tva",
        Resource::Articles => "crous.articles",
        Resource::Societes => "crous.societes",
        Resource::SocietesTarifs => "crous.societes-tarifs",
        Resource::Periodes => "crous.periodes",
        Resource::SocietesTarifsPeriode => "crous.societes-tarifs-periode",
        Resource::ArticlesSocietesTarifsPeriodes => "crous.articles-societes-tarifs-periodes",
        Resource::DroitsEntree => "crous.droits-entree",
        Resource::Subventions => "crous.subventions",
        Resource::DroitsEntreeTypes => "crous.droits-entree-types",
    }
}

/// Reads a JSON array of rows from a 2xx answer.
pub fn parse_rows<T: DeserializeOwned>(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<Vec<T>, CrousError> {
    if !is_success(status) {
        return Err(error_from_status(status, headers, body));
    }
    serde_json::from_slice(body).map_err(|e| CrousError::Malformed { status, detail: e.to_string() })
}

macro_rules! parsers {
    ($($(#[$m:meta])* $name:ident => $t:ty;)*) => {$(
        $(#[$m])*
        pub fn $name(status: u16, headers: &[(String, String)], body: &[u8]) -> Result<Vec<$t>, CrousError> {
            parse_rows::<$t>(status, headers, body)
        }
    )*};
}

parsers! {
    /// `tva` → [`Tva`] rows.
    parse_tva => Tva;
    /// `articles` → [`Article`] rows.
    parse_articles => Article;
    /// `societes` → [`Societe`] rows.
    parse_societes => Societe;
    /// `societes-tarifs` → [`SocieteTarif`] rows.
    parse_societes_tarifs => SocieteTarif;
    /// `periodes` → [`Periode`] rows.
    parse_periodes => Periode;
    /// `societes-tarifs-periode` → [`SocieteTarifPeriode`] rows.
    parse_societes_tarifs_periode => SocieteTarifPeriode;
    /// `articles-societes-tarifs-periodes` → [`PrixArticle`] rows.
    parse_articles_societes_tarifs_periodes => PrixArticle;
    /// `droits-entree` → [`DroitEntree`] rows.
    parse_droits_entree => DroitEntree;
    /// `subventions` → [`Subvention`] rows.
    parse_subventions => Subvention;
    /// `droits-entree-types` → [`DroitEntreeType`] rows.
    parse_droits_entree_types => DroitEntreeType;
}

/// Stores one resource's answer into `data`, parsed with the resource's own row type.
pub fn parse_into(
    data: &mut ReferenceData,
    resource: Resource,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<(), CrousError> {
    match resource {
        Resource::Tva => data.tva = parse_tva(status, headers, body)?,
        Resource::Articles => data.articles = parse_articles(status, headers, body)?,
        Resource::Societes => data.societes = parse_societes(status, headers, body)?,
        Resource::SocietesTarifs => data.societes_tarifs = parse_societes_tarifs(status, headers, body)?,
        Resource::Periodes => data.periodes = parse_periodes(status, headers, body)?,
        Resource::SocietesTarifsPeriode => {
            data.societes_tarifs_periodes = parse_societes_tarifs_periode(status, headers, body)?
        }
        Resource::ArticlesSocietesTarifsPeriodes => {
            data.articles_societes_tarifs_periodes = parse_articles_societes_tarifs_periodes(status, headers, body)?
        }
        Resource::DroitsEntree => data.droits_entree = parse_droits_entree(status, headers, body)?,
        Resource::Subventions => data.subventions = parse_subventions(status, headers, body)?,
        Resource::DroitsEntreeTypes => data.droits_entree_types = parse_droits_entree_types(status, headers, body)?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::environment::Environment;
    use crate::api::request::Method;
    use crate::point_of_sale::PointOfSale;
    use rust_decimal::Decimal;

    fn api() -> CrousApi {
        CrousApi::new(&Environment::Custom("http://127.0.0.1:1".into()), PointOfSale::new(5, 1, 9, 8, 14), "t").unwrap()
    }

    const BASE: &str = "http://127.0.0.1:1/vem/v1/5";

    #[test]
    fn builds_every_resource() {
        let a = api();
        let t = CrousToken::new("tok");
        let cases = [
            (a.tva(&t), "/tva"),
            (a.articles(&t, false), "/articles"),
            (a.articles(&t, true), "/articles?versBornesPrepaiement=1"),
            (a.societes(&t), "/societes"),
            (a.societes_tarifs(&t), "/societes-tarifs"),
            (a.periodes(&t), "/periodes"),
            (a.societes_tarifs_periode(&t), "/societes-tarifs-periode"),
            (
                a.articles_societes_tarifs_periodes(&t, &PRICE_SOCIETES, false),
                "/articles-societes-tarifs-periodes?codesSocietes=10%2C8000&periodesFutures=0",
            ),
            (
                a.articles_societes_tarifs_periodes(&t, &PRICE_SOCIETES, true),
                "/articles-societes-tarifs-periodes?codesSocietes=10%2C8000&periodesFutures=0&versBornesPrepaiement=1",
            ),
            (a.droits_entree(&t), "/droits-entree"),
            (a.subventions(&t), "/subventions"),
            (a.droits_entree_types(&t), "/droits-entree-types"),
        ];
        for (r, path) in cases {
            assert_eq!(r.url(), format!("{BASE}{path}"));
            assert_eq!(r.method, Method::Get);
            assert_eq!(r.header_value("authorization"), Some("tok"));
            assert!(r.is_safe_to_retry());
            assert!(r.body.is_none());
        }
    }

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/fixtures/api/crous/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn parses_every_resource_into_reference_data() {
        let mut data = ReferenceData::default();
        for r in Resource::ALL {
            let body = fixture(&format!("{}.json", r.segment()));
            parse_into(&mut data, r, 200, &[], &body).unwrap_or_else(|e| panic!("{}: {e}", r.segment()));
        }
        assert_eq!(data.vat_rate(1), Some(Decimal::new(100, 1)));
        assert_eq!(data.vat_rate(2).map(|d| d.to_string()).as_deref(), Some("5.5"));
        assert_eq!(data.article(100).unwrap().libelle, "Repas complet");
        assert_eq!(data.articles_societes_tarifs_periodes[0].prix_ttc.to_string(), "3.30");
        assert_eq!(data.articles_societes_tarifs_periodes.len(), 2);
        assert_eq!(data.societes.len(), 2);
        assert_eq!(data.societes_tarifs.len(), 2);
        assert_eq!(data.periodes.len(), 1);
        assert_eq!(data.societes_tarifs_periodes.len(), 2);
        assert_eq!(data.droits_entree.len(), 1);
        assert_eq!(data.droits_entree_types.len(), 1);
        assert_eq!(data.subventions.len(), 1);
    }

    #[test]
    fn errors_and_malformed_bodies_are_typed() {
        assert!(matches!(parse_tva(200, &[], b"{\"tva\": []}"), Err(CrousError::Malformed { status: 200, .. })));
        assert!(matches!(
            parse_tva(200, &[], b"[{\"codeTva\": 1, \"taux\": 1.5e400}]"),
            Err(CrousError::Malformed { .. })
        ));
        assert!(matches!(parse_tva(200, &[], b""), Err(CrousError::Malformed { .. })));
        assert!(matches!(parse_articles(200, &[], &[0xff, 0xfe]), Err(CrousError::Malformed { .. })));
        assert_eq!(parse_tva(200, &[], b"[]"), Ok(vec![]));
        assert_eq!(parse_periodes(401, &[], b""), Err(CrousError::Unauthorized));
        assert!(matches!(parse_subventions(422, &[], &fixture("error_422.json")), Err(CrousError::Unprocessable(_))));
        assert!(matches!(parse_societes(502, &[], b""), Err(CrousError::Server { status: 502, .. })));
    }
}
