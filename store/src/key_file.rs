//! The till's signing key on a server: an Ed25519 seed (core's [`TillKey`]) in a file of its own,
//! made on first use from the operating system's secure random source and created readable by
//! its owner only (0600). Art. 286 I-3° bis CGI: the archives a till exports are signed with it,
//! and whoever checks them needs only its public key (`crous-till journal verify --public-key`).
//!
//! File format: the 32 seed bytes as 64 lowercase hex digits and a newline. A file that others
//! can read is refused: a copied key could sign a forged archive. (On Windows, which has no
//! Unix modes, the file is created with its directory's ACL: keep it in the service's profile.)

use crous_till_core::journal::hash::{from_hex, to_hex};
use crous_till_core::journal::TillKey;
use std::fs;
use std::io::{ErrorKind, Write};
use std::path::Path;

/// Why the key file cannot give a key.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("the till key file {path}: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("the till key file {path} can be read by others (mode {mode:o}): make it 0600")]
    Exposed { path: String, mode: u32 },
    #[error("the till key file {path} does not hold 64 hex digits")]
    Malformed { path: String },
}

/// The key in `path`, made (and the file created 0600) when there is none.
pub fn load_or_create(path: &Path) -> Result<TillKey, KeyFileError> {
    let shown = path.display().to_string();
    let unreadable = |e: std::io::Error| KeyFileError::Unreadable { path: shown.clone(), reason: e.to_string() };
    match create_owner_only(path) {
        Ok(mut file) => {
            let mut seed = [0u8; 32];
            getrandom::getrandom(&mut seed)
                .map_err(|e| KeyFileError::Unreadable { path: shown.clone(), reason: e.to_string() })?;
            file.write_all(format!("{}\n", to_hex(&seed)).as_bytes()).map_err(unreadable)?;
            file.sync_all().map_err(unreadable)?;
            Ok(TillKey::from_seed(seed))
        }
        Err(e) if e.kind() == ErrorKind::AlreadyExists => load(path),
        Err(e) => Err(unreadable(e)),
    }
}

/// The key in `path`, which must exist.
pub fn load(path: &Path) -> Result<TillKey, KeyFileError> {
    let shown = path.display().to_string();
    let unreadable = |e: std::io::Error| KeyFileError::Unreadable { path: shown.clone(), reason: e.to_string() };
    if let Some(mode) = exposed_mode(&fs::metadata(path).map_err(unreadable)?) {
        return Err(KeyFileError::Exposed { path: shown, mode });
    }
    let text = fs::read_to_string(path).map_err(unreadable)?;
    let seed = from_hex::<32>(text.trim()).ok_or(KeyFileError::Malformed { path: shown })?;
    Ok(TillKey::from_seed(seed))
}

#[cfg(unix)]
fn create_owner_only(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)
}

#[cfg(not(unix))]
fn create_owner_only(path: &Path) -> std::io::Result<fs::File> {
    fs::OpenOptions::new().write(true).create_new(true).open(path)
}

/// The file's mode when others may read or write it.
#[cfg(unix)]
fn exposed_mode(metadata: &fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = metadata.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then_some(mode)
}

#[cfg(not(unix))]
fn exposed_mode(_: &fs::Metadata) -> Option<u32> {
    None
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "crous-till-key-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_key_is_made_once_owner_only_and_read_back() {
        let path = dir().join("made.key");
        let _ = fs::remove_file(&path);
        let made = load_or_create(&path).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(load_or_create(&path).unwrap().public_key(), made.public_key());
        assert_eq!(load(&path).unwrap().public_key(), made.public_key());
    }

    #[test]
    fn an_exposed_or_malformed_file_is_refused() {
        let path = dir().join("exposed.key");
        fs::write(&path, format!("{}\n", "ab".repeat(32))).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(load_or_create(&path), Err(KeyFileError::Exposed { mode: 0o644, .. })));
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(load(&path).unwrap().public_key(), TillKey::from_seed([0xab; 32]).public_key());
        fs::write(&path, "not a key\n").unwrap();
        assert!(matches!(load(&path), Err(KeyFileError::Malformed { .. })));
        assert!(matches!(load(&dir().join("missing.key")), Err(KeyFileError::Unreadable { .. })));
    }
}
