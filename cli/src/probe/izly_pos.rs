//! Izly POS, read only: the test QR code and card looked up, an unknown card and a bad QR code
//! refused, and "did this debit happen?" for a reference never used. No debit is made.

use super::choices::{rows, Observations};
use super::config;
use super::session::{ProbeError, Session};
use super::shape::{failing_field, listed_names, unknown_names};
use crous_till_core::api::izly_pos::{
    judge_debit_lookup, parse_search_card, parse_search_qr_code, DebitReference, IzlyPosApi, IzlyPosError, IzlyPosKey,
    RightHolder,
};
use crous_till_core::api::{ApiResponse, Verdict};
use crous_till_core::reference::ReferenceData;

const SERVICE: &str = "izlyPos";
const QR_PARAM_ROW: &str = "Query parameter `qrCode`";
const HEADERS_ROW: &str = "Headers: `Authorization: Basic <cleAuthentificationIzly>`";
const LOOKUP_ROW: &str = "\"Did this debit happen?\"";
const CARD_ROUTE_ROW: &str = "Card look-up (issue 12)";
const CARD_PROFILE_ROW: &str = "Card look-up answer: the same `RightHolder`";
const CARD_REFUSAL_ROW: &str = "Card look-up refusals";
const ANSWER_ROW: &str = "searchQRCode answer: PascalCase";
const ERRORS_ROW: &str = "Errors: Xpollens error object in the body; status decides the kind";

/// The rows of docs/api-choices.md this scenario reports on.
#[cfg(test)]
pub(super) const ROWS: [&str; 8] =
    [QR_PARAM_ROW, HEADERS_ROW, LOOKUP_ROW, CARD_ROUTE_ROW, CARD_PROFILE_ROW, CARD_REFUSAL_ROW, ANSWER_ROW, ERRORS_ROW];

pub async fn probe(
    session: &mut Session,
    seen: &mut Observations,
    c: &config::IzlyPos,
    caisse_key: Option<String>,
    reference: Option<&ReferenceData>,
) -> Result<(), ProbeError> {
    let Some(key) = c.key.clone().or(caisse_key) else {
        return Err(ProbeError::Service("izlyPos: no key (the Crous caisse answer gave none; set izlyPos.key)".into()));
    };
    let api = IzlyPosApi::new(&c.environment, IzlyPosKey::new(key), c.point_of_sale)
        .map_err(|e| ProbeError::Config(format!("izlyPos.environment: {e}")))?;

    if let Some(qr) = &c.qr_code {
        let answer = session.send(SERVICE, "searchQRCode", &api.search_qr_code(qr)).await?;
        match parse_search_qr_code(answer.status, &answer.headers, &answer.body) {
            Ok(holder) => {
                seen.confirm(QR_PARAM_ROW, "the test QR code was found");
                seen.confirm(HEADERS_ROW, "the key and AppIdentifier were accepted");
                right_holder(seen, &answer, &holder, reference, None);
            }
            Err(e) => searched(seen, &answer, e, "searchQRCode", QR_PARAM_ROW)?,
        }
    }
    let bad = session
        .send(SERVICE, "searchQRCode (not a QR code)", &api.search_qr_code("crous-till probe: not a QR code"))
        .await?;
    match parse_search_qr_code(bad.status, &bad.headers, &bad.body) {
        Err(IzlyPosError::Unauthorized(_) | IzlyPosError::Forbidden(_)) => {
            return Err(Session::refused(SERVICE, "searchQRCode", bad.status))
        }
        Err(e) => xpollens(seen, &bad, &e),
        Ok(_) => {
            seen.contradict(ERRORS_ROW, "status", "a refusal of a text that is no QR code", bad.status.to_string())
        }
    }

    if let Some((id_support, numero)) = &c.card {
        let answer = session.send(SERVICE, "searchCard", &api.search_card(id_support, numero)).await?;
        match parse_search_card(answer.status, &answer.headers, &answer.body) {
            Ok(holder) => {
                seen.confirm(CARD_ROUTE_ROW, "the test card was found");
                right_holder(seen, &answer, &holder, reference, Some(CARD_PROFILE_ROW));
            }
            Err(e) => searched(seen, &answer, e, "searchCard", CARD_ROUTE_ROW)?,
        }
    }
    let unknown = session.send(SERVICE, "searchCard (unknown card)", &api.search_card("PROBE00000000", "0")).await?;
    match parse_search_card(unknown.status, &unknown.headers, &unknown.body) {
        Err(e @ IzlyPosError::UnknownCard(Some(_))) => {
            seen.confirm(CARD_REFUSAL_ROW, "an unknown card: 404 with an Xpollens object");
            xpollens(seen, &unknown, &e);
        }
        Err(IzlyPosError::Unauthorized(_) | IzlyPosError::Forbidden(_)) => {
            return Err(Session::refused(SERVICE, "searchCard", unknown.status))
        }
        other => {
            seen.contradict(CARD_REFUSAL_ROW, "status", "404 with an Xpollens object", answer_of(&unknown, other.err()))
        }
    }

    let reference_never_used = DebitReference::for_ticket(&c.point_of_sale, &format!("probe{}", fastrand::u64(..)), 1);
    let lookup = session.send(SERVICE, "debit by reference", &api.debit_lookup(&reference_never_used)).await?;
    match judge_debit_lookup(lookup.status, &lookup.headers, &lookup.body) {
        Verdict::NotApplied => seen.confirm(LOOKUP_ROW, "an unused reference: 404 with code 356"),
        Verdict::Applied(_) => {
            seen.contradict(LOOKUP_ROW, "status", "404 with code 356", "a debit found under a reference never used")
        }
        Verdict::Unknown(why) => seen.contradict(LOOKUP_ROW, "Code", "404 with Xpollens code 356", why),
    }
    Ok(())
}

/// A search that found nobody: refused credentials end the run; otherwise the route or the
/// test data are not as chosen.
fn searched(
    seen: &mut Observations,
    answer: &ApiResponse,
    e: IzlyPosError,
    step: &str,
    row: &'static str,
) -> Result<(), ProbeError> {
    match e {
        IzlyPosError::Unauthorized(_) | IzlyPosError::Forbidden(_) => {
            Err(Session::refused(SERVICE, step, answer.status))
        }
        IzlyPosError::Malformed { .. } => {
            let (field, expected, found) = failing_field::<RightHolder>(&answer.body).unwrap_or_default();
            seen.contradict(ANSWER_ROW, field, expected, found);
            Ok(())
        }
        other => {
            seen.contradict(row, "status", "200 with the test right holder", answer_of(answer, Some(other)));
            Ok(())
        }
    }
}

fn answer_of(answer: &ApiResponse, error: Option<IzlyPosError>) -> String {
    match error {
        Some(e) => format!("{} ({e})", answer.status),
        None => answer.status.to_string(),
    }
}

/// A refusal must carry the Xpollens object.
fn xpollens(seen: &mut Observations, answer: &ApiResponse, e: &IzlyPosError) {
    match e.xpollens() {
        Some(x) => seen.confirm(ERRORS_ROW, format!("{} with Code {}", answer.status, x.code)),
        None => seen.contradict(
            ERRORS_ROW,
            "body",
            "{Code, ErrorMessage, Title, Priority}",
            crous_till_core::api::response::snippet(&answer.body),
        ),
    }
}

/// The right holder's names against the document's list, its date, and its profile against the
/// Crous reference data.
fn right_holder(
    seen: &mut Observations,
    answer: &ApiResponse,
    holder: &RightHolder,
    reference: Option<&ReferenceData>,
    profile_row: Option<&'static str>,
) {
    let object = serde_json::from_slice::<serde_json::Value>(&answer.body).unwrap_or_default();
    let object = object.as_object().cloned().unwrap_or_default();
    let unknown = unknown_names::<RightHolder>(&object);
    let listed =
        rows().into_iter().find(|r| r.what.contains(ANSWER_ROW)).map(|r| listed_names(&r.what)).unwrap_or_default();
    let absent: Vec<&String> = listed.iter().filter(|n| !object.contains_key(n.as_str())).collect();
    match (absent.first(), unknown.first()) {
        (Some(missing), Some(name)) => seen.contradict(
            ANSWER_ROW,
            missing.as_str(),
            "present",
            format!("absent; an unknown name {name:?} instead"),
        ),
        _ => seen.confirm(ANSWER_ROW, "the right holder's names are the document's"),
    }
    if let Some(date) = &holder.date_fin_validite {
        if chrono::DateTime::parse_from_rfc3339(date).is_err() {
            seen.contradict(
                ANSWER_ROW,
                "DateFinValidite",
                "ISO 8601 with offset (2027-08-31T23:59:59+02:00)",
                date.clone(),
            );
        }
    }
    if let (Some(row), Some(reference)) = (profile_row, reference) {
        let known =
            reference.societes_tarifs.iter().any(|p| p.code_societe == holder.societe && p.tarif == holder.tarif);
        match known {
            true => seen.confirm(
                row,
                format!("Societe {} / Tarif {} is a profile of the reference", holder.societe, holder.tarif),
            ),
            false => seen.contradict(
                row,
                "Societe/Tarif",
                "a (codeSociete, tarif) of societes-tarifs",
                format!("{}/{}", holder.societe, holder.tarif),
            ),
        }
    }
}
