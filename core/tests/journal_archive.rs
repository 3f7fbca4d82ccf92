//! The signed archive: exported, read back and verified offline; forged heads, foreign keys and
//! tampered records are named.

mod journal_common;

use crous_till_core::journal::canonical::to_canonical_json;
use crous_till_core::journal::hash::from_hex;
use crous_till_core::journal::{Archive, ArchiveError, Chain, Finding, Journal, TillKey};
use crous_till_core::Decimal;
use ed25519_dalek::{Signature, VerifyingKey};
use journal_common::*;

fn key() -> TillKey {
    TillKey::from_seed([7; 32])
}

/// The sample journal plus one sale of 2027-01-03 not yet closed.
fn open_journal() -> Journal {
    let mut j = sample_journal();
    let mut till = Till::new(standard_reference());
    till.numbering = crous_till_core::numbering::NumberingState::starting_at(100);
    j.append(till.sell("2027-01-03T12:00:00.000+01:00", &[(0, Decimal::ONE)], 4)).unwrap();
    j
}

#[test]
fn an_exported_archive_reads_back_and_verifies_with_the_tills_key() {
    let j = open_journal();
    let archive = j.export(&key()).unwrap();
    let text = archive.to_json_pretty();
    let read = Archive::from_json(&text).unwrap();
    assert_eq!(read, archive);
    let report = read.verify(Some(&key().public_key()));
    assert!(report.is_ok(), "{:?}", report.findings);
    assert_eq!((report.entries_verified, report.closures_verified), (6, 5));
    // The stored JSON keeps the cents as written.
    assert!(text.contains("\"totalTtc\": 3.30"), "{text}");
}

#[test]
fn the_signature_is_ed25519_over_the_documented_message() {
    let archive = open_journal().export(&key()).unwrap();
    let mut message = b"crous-till-journal-archive/2\n".to_vec();
    message.extend_from_slice(to_canonical_json(&archive.head).unwrap().as_bytes());
    let public = VerifyingKey::from_bytes(&from_hex::<32>(&archive.signature.public_key).unwrap()).unwrap();
    let signature = Signature::from_bytes(&from_hex::<64>(&archive.signature.value).unwrap());
    public.verify_strict(&message, &signature).unwrap();
    assert_eq!(archive.signature.algorithm, "Ed25519");
    assert_eq!(archive.signature.public_key, key().public_key_hex());
}

#[test]
fn another_key_is_untrusted_and_a_bad_signature_is_invalid() {
    let j = open_journal();
    let forged = j.export(&TillKey::from_seed([9; 32])).unwrap();
    // Whole, but not signed by the till.
    assert!(forged.verify(None).is_ok());
    match forged.verify(Some(&key().public_key())).first() {
        Some(Finding::UntrustedKey { expected, .. }) => assert_eq!(expected, &key().public_key_hex()),
        other => panic!("{other:?}"),
    }
    let mut bad = j.export(&key()).unwrap();
    bad.signature.value.replace_range(0..2, if bad.signature.value.starts_with("00") { "01" } else { "00" });
    assert!(matches!(bad.verify(Some(&key().public_key())).first(), Some(Finding::SignatureInvalid { .. })));
}

#[test]
fn a_truncated_archive_with_a_forged_head_fails_the_signature() {
    let mut archive = open_journal().export(&key()).unwrap();
    archive.entries.pop();
    // Without touching the head, the head names the truncation.
    assert!(matches!(
        archive.verify(None).first(),
        Some(Finding::TruncatedTail { chain: Chain::Entries, expected_count: 6, found_count: 5, .. })
    ));
    // Forging the head to match hides it from the chains, not from the signature.
    archive.head.entry_count = 5;
    archive.head.last_entry_hash = archive.entries[4].hash.clone();
    let report = archive.verify(None);
    assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
    assert!(matches!(report.first(), Some(Finding::SignatureInvalid { .. })));
}

#[test]
fn a_record_tampered_in_the_file_is_named() {
    let archive = open_journal().export(&key()).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&archive.to_json_pretty()).unwrap();
    value["entries"][1]["ticket"]["listeReglements"][0]["codeReglement"] = 9.into();
    value["closures"][0]["totals"]["ticketCount"] = 3.into();
    let tampered = Archive::from_json(&value.to_string()).unwrap();
    let report = tampered.verify(Some(&key().public_key()));
    assert!(
        matches!(report.first(), Some(Finding::Altered { chain: Chain::Entries, sequence: 2, .. })),
        "{:?}",
        report.findings
    );
    assert!(report.findings.iter().any(|f| matches!(f, Finding::Altered { chain: Chain::Closures, sequence: 1, .. })));
}

#[test]
fn another_format_is_not_checked() {
    let mut archive = open_journal().export(&key()).unwrap();
    archive.format_version = 3;
    assert!(matches!(Archive::from_json(&archive.to_json_pretty()), Err(ArchiveError::Format { version: 3, .. })));
    assert!(matches!(Archive::from_json("{}"), Err(ArchiveError::Json(_))));
}

#[test]
fn a_signature_made_outside_core_completes_the_archive_and_a_wrong_one_is_refused() {
    // A browser's WebCrypto key signs the message core gives; here a key core does not hold.
    use ed25519_dalek::{Signer, SigningKey};
    let outside = SigningKey::from_bytes(&[5; 32]);
    let unsigned = open_journal().unsigned_archive();
    let signature = outside.sign(&unsigned.message().unwrap()).to_bytes();
    let public_key = outside.verifying_key().to_bytes();
    let archive = unsigned.clone().signed(&public_key, &signature).unwrap();
    assert!(archive.verify(Some(&public_key)).is_ok());
    assert_eq!(
        archive,
        unsigned.clone().sign(&TillKey::from_seed([5; 32])).unwrap(),
        "the same archive core would sign"
    );
    // Another key's signature, or a corrupted one, never becomes an archive.
    let other = SigningKey::from_bytes(&[6; 32]).verifying_key().to_bytes();
    assert!(matches!(unsigned.clone().signed(&other, &signature), Err(ArchiveError::BadSignature(_))));
    let mut corrupted = signature;
    corrupted[0] ^= 1;
    assert!(matches!(unsigned.signed(&public_key, &corrupted), Err(ArchiveError::BadSignature(_))));
}
