//! AES-128 in CBC mode, as DESFire EV1 AuthenticateAES uses it (no padding: the exchanged
//! blocks are 16 and 32 bytes), and the one-byte rotation of the challenge.
//!
//! Used by the host side (with a profile's test key) and by the virtual card and SAM. A production
//! till does not run this with the Cnous key: the SAM does (see `desfire`).

use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};
use aes::Aes128;

pub type Key = [u8; 16];
pub type Block = [u8; 16];

/// CBC-encrypts whole blocks. Returns the ciphertext; its last block is the next IV.
pub fn cbc_encrypt(key: &Key, iv: &Block, data: &[u8]) -> Vec<u8> {
    assert!(data.len() % 16 == 0, "whole AES blocks only");
    let cipher = Aes128::new(key.into());
    let mut chain = *iv;
    let mut out = Vec::with_capacity(data.len());
    for chunk in data.chunks(16) {
        let mut block = [0u8; 16];
        for i in 0..16 {
            block[i] = chunk[i] ^ chain[i];
        }
        let mut b = block.into();
        cipher.encrypt_block(&mut b);
        chain = b.into();
        out.extend_from_slice(&chain);
    }
    out
}

/// CBC-decrypts whole blocks.
pub fn cbc_decrypt(key: &Key, iv: &Block, data: &[u8]) -> Vec<u8> {
    assert!(data.len() % 16 == 0, "whole AES blocks only");
    let cipher = Aes128::new(key.into());
    let mut chain = *iv;
    let mut out = Vec::with_capacity(data.len());
    for chunk in data.chunks(16) {
        let mut b = <[u8; 16]>::try_from(chunk).expect("16-byte chunk").into();
        cipher.decrypt_block(&mut b);
        let plain: [u8; 16] = b.into();
        for i in 0..16 {
            out.push(plain[i] ^ chain[i]);
        }
        chain.copy_from_slice(chunk);
    }
    out
}

/// The last 16 bytes of a ciphertext: the IV of the next step of an EV1 authentication.
pub fn last_block(data: &[u8]) -> Block {
    data[data.len() - 16..].try_into().expect("at least one block")
}

/// Rotates left by one byte (RndB → RndB', RndA → RndA').
pub fn rotate_left(block: &[u8]) -> Vec<u8> {
    let mut out = block[1..].to_vec();
    out.push(block[0]);
    out
}

/// A random 16-byte challenge.
pub fn random_block() -> Block {
    let mut block = [0u8; 16];
    block.iter_mut().for_each(|b| *b = fastrand::u8(..));
    block
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fips197_vector_and_round_trip() {
        // FIPS-197 appendix C.1.
        let key: Key = core::array::from_fn(|i| i as u8);
        let plain: Block = core::array::from_fn(|i| (i as u8) * 0x11);
        let cipher = cbc_encrypt(&key, &[0; 16], &plain);
        assert_eq!(crate::apdu::hex_upper(&cipher), "69C4E0D86A7B0430D8CDB78070B4C55A");
        let two = [plain, plain].concat();
        let iv = [7u8; 16];
        assert_eq!(cbc_decrypt(&key, &iv, &cbc_encrypt(&key, &iv, &two)), two);
        assert_eq!(rotate_left(&[1, 2, 3]), vec![2, 3, 1]);
    }
}
