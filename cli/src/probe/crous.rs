//! The Crous API (VEM), read only: authenticate, `caisse`, the ten reference resources, and the
//! prices of société 10 alone (does the service honour `codesSocietes`?). Nothing is posted.

use super::choices::Observations;
use super::config;
use super::session::{ProbeError, Session};
use super::shape::{failing_field, unknown_names};
use crous_till_core::api::crous::{
    parse_authenticate, parse_caisse, parse_into, parse_rows, Caisse, CrousApi, CrousError, CrousToken,
    InstallationKey, Resource,
};
use crous_till_core::api::ApiResponse;
use crous_till_core::reference::*;
use serde::de::DeserializeOwned;

const SERVICE: &str = "crous";
const ENV_ROW: &str = "`env` = `PRD` for prod";
const TOKEN_ROW: &str = "Token read from the response's `Authorization` header";
const CAISSE_ROW: &str = "`caisse`: `GET /vem/v1/";
const PATH_ROW: &str = "Reference resources: `GET /vem/v1/{idCrous}/{resource}`";
const SOCIETES_ROW: &str = "sent as `codesSocietes=10,8000`";
const ROWS_ROW: &str = "Each answer is a JSON array of the core's reference rows";

/// The rows of docs/api-choices.md this scenario reports on.
#[cfg(test)]
pub(super) const ROWS: [&str; 6] = [ENV_ROW, TOKEN_ROW, CAISSE_ROW, PATH_ROW, SOCIETES_ROW, ROWS_ROW];

/// What the Crous API gave the rest of the probe.
pub struct CrousRead {
    /// The caisse's Izly key, for Izly POS.
    pub izly_key: Option<String>,
    pub reference: ReferenceData,
}

pub async fn probe(session: &mut Session, seen: &mut Observations, c: &config::Crous) -> Result<CrousRead, ProbeError> {
    let api = CrousApi::new(&c.environment, c.point_of_sale, "crous-till probe")
        .map_err(|e| ProbeError::Config(format!("crous.environment: {e}")))?;
    let answer =
        session.send(SERVICE, "authenticate", &api.authenticate(&InstallationKey::new(&c.installation_key))).await?;
    let token = match parse_authenticate(answer.status, &answer.headers, &answer.body) {
        Ok(token) => token,
        Err(CrousError::Unauthorized | CrousError::Forbidden(_)) => {
            return Err(Session::refused(SERVICE, "authenticate", answer.status))
        }
        Err(CrousError::MissingToken) => {
            seen.contradict(TOKEN_ROW, "Authorization (response header)", "the token", "absent");
            return Err(ProbeError::Service(
                "crous (authenticate): no token in the answer's Authorization header".into(),
            ));
        }
        Err(CrousError::BadRequest(fields)) if fields.iter().any(|f| f.field.as_deref() == Some("env")) => {
            seen.contradict(ENV_ROW, "env", "PPD or PRD accepted", format!("{:?}", fields));
            return Err(ProbeError::Service("crous (authenticate): the env code was refused".into()));
        }
        Err(e) => return Err(ProbeError::Service(format!("crous (authenticate): {e}"))),
    };
    session.redactor.add(token.expose().to_owned());
    seen.confirm(ENV_ROW, format!("authenticated with env {}", api.env_code()));
    seen.confirm(TOKEN_ROW, "a token in the Authorization header");

    let izly_key = caisse(session, seen, &api, &token).await?;
    let mut reference = ReferenceData::default();
    for (resource, request) in api.till_reference_requests(&token) {
        let answer = session.send(SERVICE, resource.segment(), &request).await?;
        reference_rows(seen, resource, &answer, &mut reference)?;
    }
    societes(session, seen, &api, &token, &reference).await?;
    Ok(CrousRead { izly_key, reference })
}

async fn caisse(
    session: &mut Session,
    seen: &mut Observations,
    api: &CrousApi,
    token: &CrousToken,
) -> Result<Option<String>, ProbeError> {
    let answer = session.send(SERVICE, "caisse", &api.caisse(token)).await?;
    match parse_caisse(answer.status, &answer.headers, &answer.body) {
        Ok(caisse) => {
            let key = caisse.cle_authentification_izly.expose().to_owned();
            session.redactor.add(key.clone());
            let object = serde_json::from_slice::<serde_json::Value>(&answer.body).ok();
            let unknown = object.as_ref().and_then(|v| v.as_object()).map(unknown_names::<Caisse>).unwrap_or_default();
            match (caisse.libelle.is_none(), unknown.first()) {
                (true, Some(name)) => seen.contradict(
                    CAISSE_ROW,
                    "libelle",
                    "present",
                    format!("absent; an unknown name {name:?} instead"),
                ),
                _ => seen.confirm(CAISSE_ROW, "cleAuthentificationIzly read"),
            }
            Ok(Some(key))
        }
        Err(CrousError::Unauthorized | CrousError::Forbidden(_)) => {
            Err(Session::refused(SERVICE, "caisse", answer.status))
        }
        Err(CrousError::Malformed { .. }) => {
            let (field, expected, found) = failing_field::<Caisse>(&answer.body).unwrap_or_default();
            seen.contradict(CAISSE_ROW, field, expected, found);
            Ok(None)
        }
        Err(e) => {
            seen.contradict(CAISSE_ROW, "status", "200 with {cleAuthentificationIzly, libelle}", e.to_string());
            Ok(None)
        }
    }
}

/// One reference resource: its path answered, its rows read by core, no name core does not read.
fn reference_rows(
    seen: &mut Observations,
    resource: Resource,
    answer: &ApiResponse,
    into: &mut ReferenceData,
) -> Result<(), ProbeError> {
    let name = resource.segment();
    if matches!(answer.status, 401 | 403) {
        return Err(Session::refused(SERVICE, name, answer.status));
    }
    if matches!(answer.status, 404 | 405) {
        seen.contradict(PATH_ROW, format!("GET …/{name}"), "200 with rows", format!("status {}", answer.status));
        return Ok(());
    }
    seen.confirm(PATH_ROW, format!("{name} answered {}", answer.status));
    let parsed = parse_into(into, resource, answer.status, &answer.headers, &answer.body);
    let (extra, failing) = match resource {
        Resource::Tva => shape_of::<Tva>(&answer.body),
        Resource::Articles => shape_of::<Article>(&answer.body),
        Resource::Societes => shape_of::<Societe>(&answer.body),
        Resource::SocietesTarifs => shape_of::<SocieteTarif>(&answer.body),
        Resource::Periodes => shape_of::<Periode>(&answer.body),
        Resource::SocietesTarifsPeriode => shape_of::<SocieteTarifPeriode>(&answer.body),
        Resource::ArticlesSocietesTarifsPeriodes => shape_of::<PrixArticle>(&answer.body),
        Resource::DroitsEntree => shape_of::<DroitEntree>(&answer.body),
        Resource::Subventions => shape_of::<Subvention>(&answer.body),
        Resource::DroitsEntreeTypes => shape_of::<DroitEntreeType>(&answer.body),
    };
    match (parsed, failing, extra.first()) {
        (Err(CrousError::Malformed { .. }), Some((field, expected, found)), _) => {
            seen.contradict(ROWS_ROW, format!("{name}{field}"), expected, found)
        }
        (Err(e), _, _) => seen.contradict(ROWS_ROW, name, "a JSON array of rows", e.to_string()),
        // A name core does not read: a renamed field, or one we never heard of. Either way our
        // shape is not theirs.
        (Ok(()), _, Some(unknown)) => seen.contradict(
            ROWS_ROW,
            format!("{name}[].{unknown}"),
            "only names core reads",
            format!("{unknown:?} (renamed?)"),
        ),
        (Ok(()), _, None) => seen.confirm(ROWS_ROW, format!("{name}: rows read")),
    }
    Ok(())
}

/// What of `body` core's row type `T` does not read: names the first rows hold that it ignores,
/// and the field that fails it.
fn shape_of<T: DeserializeOwned + PartialEq>(body: &[u8]) -> (Vec<String>, Option<(String, String, String)>) {
    let failing = failing_field::<Vec<T>>(body);
    let Ok(serde_json::Value::Array(rows)) = serde_json::from_slice(body) else { return (Vec::new(), failing) };
    let mut names: Vec<String> =
        rows.iter().take(5).filter_map(|r| r.as_object()).flat_map(unknown_names::<T>).collect();
    names.dedup();
    (names, failing)
}

/// The prices of société 10 alone: every row must be société 10, or the parameter is ignored.
async fn societes(
    session: &mut Session,
    seen: &mut Observations,
    api: &CrousApi,
    token: &CrousToken,
    reference: &ReferenceData,
) -> Result<(), ProbeError> {
    let request = api.articles_societes_tarifs_periodes(token, &[10], false);
    let answer = session.send(SERVICE, "prices of société 10", &request).await?;
    let Ok(rows) = parse_rows::<PrixArticle>(answer.status, &answer.headers, &answer.body) else {
        return Ok(()); // the rows' shape is judged above
    };
    match rows.iter().find(|r| r.code_societe != 10) {
        Some(other) => {
            seen.contradict(SOCIETES_ROW, "codeSociete", "10 only (codesSocietes=10)", other.code_societe.to_string())
        }
        None if reference.articles_societes_tarifs_periodes.iter().any(|r| r.code_societe != 10) => {
            seen.confirm(SOCIETES_ROW, "codesSocietes=10 gave société 10 only")
        }
        None => {} // no other société's price exists: the parameter's effect cannot be told
    }
    Ok(())
}
