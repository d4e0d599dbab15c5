//! An officer's secret key protected by a key derived from their password
//! (Argon2id, then XChaCha20-Poly1305).
//!
//! Format, version 1 (102 bytes), self-describing:
//!
//! | bytes  | content                                        |
//! |--------|------------------------------------------------|
//! | 0      | format version, 1                              |
//! | 1      | kind, 1 = an officer's secret key under a password, |
//! |        | 3 = a tip's key under the tipster's receipt    |
//! | 2..6   | Argon2 memory in KiB, big-endian u32            |
//! | 6..10  | Argon2 iterations, big-endian u32               |
//! | 10..14 | Argon2 lanes, big-endian u32                    |
//! | 14..30 | random salt (16 bytes)                         |
//! | 30..54 | random nonce (24 bytes)                        |
//! | 54..   | ciphertext of the 32 secret bytes + tag (48)   |
//!
//! The header (bytes 0..30) is the associated data, so altering the
//! parameters or the salt makes unlocking fail.

use argon2::{Algorithm, Argon2, Params, Version};
use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

use crate::content::{open_with, seal_with};
use crate::{fill_random, SecretKey, TipKey, VaultError};

const FORMAT_VERSION: u8 = 1;
const KIND_PASSWORD: u8 = 1;
const KIND_RECEIPT: u8 = 3;
const HEADER_LEN: usize = 30;
const TOTAL_LEN: usize = HEADER_LEN + 24 + 32 + 16;

/// OWASP's recommended Argon2id settings, as for login passwords: 19 MiB, 2 iterations, 1 lane.
const M_COST: u32 = 19 * 1024;
const T_COST: u32 = 2;
const P_COST: u32 = 1;

/// Upper bounds on stored parameters, so altered bytes cannot make the
/// server spend unbounded memory or time (256 MiB, 16 iterations, 8 lanes).
const MAX_M_COST: u32 = 256 * 1024;
const MAX_T_COST: u32 = 16;
const MAX_P_COST: u32 = 8;
/// Longest password accepted when unlocking, in bytes.
const MAX_PASSWORD_BYTES: usize = 4096;

/// Derive the 32-byte key from a password (NFC-normalised, so the same
/// Vietnamese password typed on any keyboard gives the same key).
fn derive(password: &str, salt: &[u8], params: Params) -> Zeroizing<[u8; 32]> {
    let normalized = Zeroizing::new(password.nfc().collect::<String>());
    let mut key = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(normalized.as_bytes(), salt, key.as_mut())
        .expect("Argon2id derives a key from a bounded password and a 16-byte salt");
    key
}

/// Protect a secret key with a password: Argon2id (m = 19456 KiB, t = 2,
/// p = 1, 16-byte random salt) derives a key that seals the 32 secret bytes
/// with XChaCha20-Poly1305. See the module documentation for the format.
/// CPU- and memory-heavy: call it off the async runtime.
pub fn protect_with_password(secret: &SecretKey, password: &str) -> Vec<u8> {
    protect_bytes(KIND_PASSWORD, secret.bytes(), password)
}

/// Protect a tip's key with the tipster's receipt, the same way as an
/// officer's key with a password (the receipt's 16 digits are the
/// password), so the tipster can read the officers' replies. CPU- and
/// memory-heavy: call it off the async runtime.
pub fn protect_tip_key(key: &TipKey, receipt: &str) -> Vec<u8> {
    protect_bytes(KIND_RECEIPT, &key.0, receipt)
}

/// Open a tip's key protected by [`protect_tip_key`]; a wrong receipt
/// gives [`VaultError::WrongPassword`].
pub fn unlock_tip_key(protected: &[u8], receipt: &str) -> Result<TipKey, VaultError> {
    unlock_bytes(KIND_RECEIPT, protected, receipt).map(TipKey)
}

fn protect_bytes(kind: u8, bytes: &[u8; 32], password: &str) -> Vec<u8> {
    let mut header = [0u8; HEADER_LEN];
    header[0] = FORMAT_VERSION;
    header[1] = kind;
    header[2..6].copy_from_slice(&M_COST.to_be_bytes());
    header[6..10].copy_from_slice(&T_COST.to_be_bytes());
    header[10..14].copy_from_slice(&P_COST.to_be_bytes());
    fill_random(&mut header[14..30]);
    let params = Params::new(M_COST, T_COST, P_COST, Some(32)).expect("valid Argon2 parameters");
    let key = derive(password, &header[14..30], params);
    let mut out = header.to_vec();
    out.extend_from_slice(&seal_with(&key, bytes, &header));
    out
}

/// Read the Argon2 parameters from a header, within the bounds.
fn read_params(header: &[u8]) -> Result<Params, VaultError> {
    let word =
        |i: usize| u32::from_be_bytes([header[i], header[i + 1], header[i + 2], header[i + 3]]);
    let (m, t, p) = (word(2), word(6), word(10));
    if !(1..=MAX_T_COST).contains(&t) || !(1..=MAX_P_COST).contains(&p) || m > MAX_M_COST {
        return Err(VaultError::Corrupt);
    }
    Params::new(m, t, p, Some(32)).map_err(|_| VaultError::Corrupt)
}

/// Unlock a secret key protected by [`protect_with_password`].
/// [`VaultError::Corrupt`] when the bytes are malformed (length, version,
/// parameters out of bounds); [`VaultError::WrongPassword`] when the password
/// does not open them (or they were altered).
/// CPU- and memory-heavy: call it off the async runtime.
pub fn unlock_with_password(protected: &[u8], password: &str) -> Result<SecretKey, VaultError> {
    unlock_bytes(KIND_PASSWORD, protected, password).map(SecretKey::from_bytes)
}

fn unlock_bytes(kind: u8, protected: &[u8], password: &str) -> Result<[u8; 32], VaultError> {
    if protected.len() != TOTAL_LEN || protected[0] != FORMAT_VERSION || protected[1] != kind {
        return Err(VaultError::Corrupt);
    }
    let (header, sealed) = protected.split_at(HEADER_LEN);
    let params = read_params(header)?;
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(VaultError::WrongPassword);
    }
    let key = derive(password, &header[14..30], params);
    let bytes = Zeroizing::new(open_with(&key, sealed, header).ok_or(VaultError::WrongPassword)?);
    bytes.as_slice().try_into().map_err(|_| VaultError::Corrupt)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate_keypair;

    const PW: &str = "Mật khẩu rất dài 2026!";

    #[test]
    fn a_tip_key_opens_with_its_receipt_only() {
        let key = TipKey::generate();
        let sealed = crate::seal(&key, b"tin", b"aad");
        let protected = protect_tip_key(&key, "1234567890123456");
        assert_eq!(&protected[..2], &[1, 3]);
        let back = unlock_tip_key(&protected, "1234567890123456").unwrap();
        assert_eq!(crate::open(&back, &sealed, b"aad").unwrap(), b"tin");
        assert_eq!(
            unlock_tip_key(&protected, "1234567890123457").unwrap_err(),
            VaultError::WrongPassword
        );
        // Neither kind opens as the other.
        assert_eq!(
            unlock_with_password(&protected, "1234567890123456").unwrap_err(),
            VaultError::Corrupt
        );
    }

    #[test]
    fn round_trip() {
        let (public, secret) = generate_keypair();
        let protected = protect_with_password(&secret, PW);
        assert_eq!(protected.len(), TOTAL_LEN);
        assert_eq!(&protected[..2], &[1, 1]);
        let back = unlock_with_password(&protected, PW).unwrap();
        assert_eq!(back.public_key(), public);
    }

    #[test]
    fn password_in_decomposed_form_unlocks() {
        let (public, secret) = generate_keypair();
        let protected = protect_with_password(&secret, PW);
        let nfd: String = PW.nfd().collect();
        assert_ne!(nfd, PW);
        assert_eq!(
            unlock_with_password(&protected, &nfd).unwrap().public_key(),
            public
        );
    }

    #[test]
    fn wrong_password_fails() {
        let (_, secret) = generate_keypair();
        let protected = protect_with_password(&secret, PW);
        let err = unlock_with_password(&protected, "Mật khẩu rất dài 2025!").unwrap_err();
        assert_eq!(err, VaultError::WrongPassword);
        assert_eq!(
            unlock_with_password(&protected, "").unwrap_err(),
            VaultError::WrongPassword
        );
        let long = "a".repeat(MAX_PASSWORD_BYTES + 1);
        assert_eq!(
            unlock_with_password(&protected, &long).unwrap_err(),
            VaultError::WrongPassword
        );
    }

    #[test]
    fn tampered_salt_or_ciphertext_fails() {
        let (_, secret) = generate_keypair();
        let protected = protect_with_password(&secret, PW);
        for i in [14, 40, TOTAL_LEN - 1] {
            let mut bad = protected.clone();
            bad[i] ^= 0x01;
            assert_eq!(
                unlock_with_password(&bad, PW).unwrap_err(),
                VaultError::WrongPassword,
                "byte {i}"
            );
        }
    }

    #[test]
    fn malformed_input_is_corrupt() {
        let (_, secret) = generate_keypair();
        let protected = protect_with_password(&secret, PW);
        let mut version = protected.clone();
        version[0] = 2;
        let mut kind = protected.clone();
        kind[1] = 2;
        let mut huge_memory = protected.clone();
        huge_memory[2..6].copy_from_slice(&u32::MAX.to_be_bytes());
        let mut no_iterations = protected.clone();
        no_iterations[6..10].copy_from_slice(&0u32.to_be_bytes());
        let mut longer = protected.clone();
        longer.push(0);
        for bad in [
            version,
            kind,
            huge_memory,
            no_iterations,
            longer,
            protected[..50].to_vec(),
            vec![],
        ] {
            assert_eq!(
                unlock_with_password(&bad, PW).unwrap_err(),
                VaultError::Corrupt
            );
        }
    }

    #[test]
    fn protected_bytes_do_not_contain_the_secret() {
        let (_, secret) = generate_keypair();
        let protected = protect_with_password(&secret, PW);
        assert!(!protected.windows(32).any(|w| w == secret.bytes()));
        assert_ne!(protect_with_password(&secret, PW), protected);
    }
}
