//! Comparing an answer's shape with what core's parsers read. A parser ignores names it does not
//! know and defaults optional ones, so a renamed optional field still parses: the probe looks
//! at the names itself ([`unknown_names`]), and, when a parser fails, finds the field and the
//! value that failed it ([`failing_field`]).

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The names of `object` that core's type `T` does not read: removing one changes nothing parsed.
pub fn unknown_names<T: DeserializeOwned + PartialEq>(object: &Map<String, Value>) -> Vec<String> {
    let Ok(whole) = serde_json::from_value::<T>(Value::Object(object.clone())) else { return Vec::new() };
    object
        .iter()
        .filter(|(_, v)| !v.is_null())
        .filter(|(name, _)| {
            let mut without = object.clone();
            without.remove(*name);
            serde_json::from_value::<T>(Value::Object(without)).is_ok_and(|t| t == whole)
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// Where `body` fails to read as `T`: the field's path, what serde expected, and the value seen.
pub fn failing_field<T: DeserializeOwned>(body: &[u8]) -> Option<(String, String, String)> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let error = serde_path_to_error::deserialize::<_, T>(&mut de).err()?;
    let path = error.path().to_string();
    let expected = error.inner().to_string();
    let expected = format!("what core reads ({})", expected.split(" at line ").next().unwrap_or(&expected));
    let seen = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| value_at(&v, &path).cloned())
        .map_or_else(|| "absent".to_owned(), |v| v.to_string());
    Some((path, expected, seen))
}

/// The value at a serde_path_to_error path such as `[0].dateDebut` or `OperationSMoney.Date`.
fn value_at<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    let mut at = root;
    for part in path.split('.').filter(|p| !p.is_empty() && *p != "?") {
        let (name, indexes) = part.split_once('[').map_or((part, ""), |(n, rest)| (n, rest));
        if !name.is_empty() {
            at = at.get(name)?;
        }
        for index in indexes.split('[').filter(|i| !i.is_empty()) {
            at = at.get(index.trim_end_matches(']').parse::<usize>().ok()?)?;
        }
    }
    Some(at)
}

/// The names a document row lists in backticks (`RightHolderId`, `IdIzly`…).
pub fn listed_names(what: &str) -> Vec<String> {
    what.split('`')
        .skip(1)
        .step_by(2)
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric()))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, PartialEq)]
    struct Row {
        a: u32,
        #[serde(default)]
        b: Option<String>,
    }

    #[test]
    fn a_renamed_optional_name_is_unknown_and_a_failing_field_is_located() {
        let object = serde_json::json!({"a": 1, "bee": "x"});
        assert_eq!(unknown_names::<Row>(object.as_object().unwrap()), ["bee"]);
        let (path, expected, seen) = failing_field::<Vec<Row>>(br#"[{"a": 1}, {"a": "01/09/2026"}]"#).unwrap();
        assert_eq!((path.as_str(), seen.as_str()), ("[1].a", "\"01/09/2026\""));
        assert!(expected.contains("expected u32"), "{expected}");
        assert_eq!(listed_names("answer: `Nom`, `Prenom` (`a b`)"), ["Nom", "Prenom"]);
    }
}
