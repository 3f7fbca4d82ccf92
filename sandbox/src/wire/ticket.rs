//! The Crous `tickets` resource's names, as specs 001 lists them ("champs obligatoires pour la
//! ressource tickets"), read by the sandbox itself before core's coherence checks run: a ticket
//! whose names differ from the spec's (a field missing, or one the spec does not name) is refused
//! here, so a naming mistake in core's ticket type fails a test instead of being mirrored.

use serde_json::Value;

/// The header's fields: every one required (specs 001).
const HEADER_REQUIRED: [&str; 5] = ["idTicketEntete", "numeroTicket", "versionLogiciel", "date", "codeEvenement"];
const HEADER_LISTS: [&str; 3] = ["listeLignes", "listeReglements", "complementaire"];
/// A line's fields: every one required, `gainFidelite` named by the coherence rules.
const LINE_REQUIRED: [&str; 8] =
    ["numeroLigne", "codeArticle", "quantite", "codeTva", "prixUnitaireHt", "prixUnitaireTtc", "totalHt", "totalTtc"];
const LINE_OPTIONAL: [&str; 1] = ["gainFidelite"];
/// A payment's fields: `codeReglement` and `montant` required, the others by payment.
const PAYMENT_REQUIRED: [&str; 2] = ["codeReglement", "montant"];
const PAYMENT_OPTIONAL: [&str; 4] = ["idSupport", "qrCode", "idTransactionIzly", "numeroApplicatif"];
/// `complementaire`: every field conditional or optional.
const COMPLEMENTAIRE: [&str; 15] = [
    "codeClient",
    "soldeClient",
    "cumulPointsFidelite",
    "soldePointsFidelite",
    "nomClient",
    "dateFinValiditeClient",
    "codeSocieteClient",
    "tarifClient",
    "codeCrousClient",
    "rneEtablissement",
    "affectation",
    "adresseMail",
    "idSupport",
    "idTypeDistribution",
    "idLogiciel",
];

/// What is wrong with the ticket's names (empty: they are the spec's), as `(field, message)`.
pub fn name_errors(ticket: &Value) -> Vec<(String, String)> {
    let mut errors = Vec::new();
    let Some(header) = ticket.as_object() else {
        return vec![(String::new(), "the ticket is not a JSON object".into())];
    };
    let allowed: Vec<&str> = HEADER_REQUIRED.iter().chain(&HEADER_LISTS).copied().collect();
    object(header, "", &HEADER_REQUIRED, &allowed, &mut errors);
    for (list, required, optional) in [
        ("listeLignes", &LINE_REQUIRED[..], &LINE_OPTIONAL[..]),
        ("listeReglements", &PAYMENT_REQUIRED[..], &PAYMENT_OPTIONAL[..]),
    ] {
        match header.get(list) {
            Some(Value::Array(items)) if !items.is_empty() => {
                let allowed: Vec<&str> = required.iter().chain(optional).copied().collect();
                for (i, item) in items.iter().enumerate() {
                    match item.as_object() {
                        Some(o) => object(o, &format!("{list}[{i}]."), required, &allowed, &mut errors),
                        None => errors.push((format!("{list}[{i}]"), "not an object".into())),
                    }
                }
            }
            _ => errors.push((list.into(), "champ obligatoire : au moins un élément".into())),
        }
    }
    match header.get("complementaire") {
        None | Some(Value::Null) => {}
        Some(Value::Object(o)) => object(o, "complementaire.", &[], &COMPLEMENTAIRE, &mut errors),
        Some(_) => errors.push(("complementaire".into(), "not an object".into())),
    }
    errors
}

fn object(
    o: &serde_json::Map<String, Value>,
    prefix: &str,
    required: &[&str],
    allowed: &[&str],
    errors: &mut Vec<(String, String)>,
) {
    for name in required {
        if o.get(*name).is_none_or(Value::is_null) {
            errors.push((format!("{prefix}{name}"), "champ obligatoire manquant".into()));
        }
    }
    for name in o.keys() {
        if !allowed.contains(&name.as_str()) {
            errors.push((format!("{prefix}{name}"), "champ inconnu de la ressource tickets".into()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ticket() -> Value {
        json!({
            "idTicketEntete": "1", "numeroTicket": "2611231", "versionLogiciel": "t", "date": "2026-11-23T12:00:00+01:00",
            "codeEvenement": "VT",
            "listeLignes": [{"numeroLigne": 1, "codeArticle": 100, "quantite": 1, "codeTva": 1, "prixUnitaireHt": 3,
                             "prixUnitaireTtc": 3.3, "totalHt": 3, "totalTtc": 3.3}],
            "listeReglements": [{"codeReglement": 4, "montant": 3.3}],
            "complementaire": {"idTypeDistribution": 1, "idLogiciel": 39}
        })
    }

    #[test]
    fn the_specs_names_pass() {
        assert!(name_errors(&ticket()).is_empty());
    }

    #[test]
    fn a_missing_or_misspelled_name_is_named() {
        let mut t = ticket();
        t.as_object_mut().unwrap().remove("codeEvenement");
        t["listeLignes"][0].as_object_mut().unwrap().insert("prixUnitaireTTC".into(), json!(3.3));
        t["complementaire"]["soldeClients"] = json!(1);
        let fields: Vec<String> = name_errors(&t).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["codeEvenement", "listeLignes[0].prixUnitaireTTC", "complementaire.soldeClients"]);
        assert_eq!(name_errors(&json!({"listeLignes": []})).len(), 7, "five header fields and both lists");
        assert_eq!(name_errors(&json!([1])).len(), 1);
    }
}
