//! Recovery codes, and an officer's secret key protected by one.
//!
//! A recovery code is 32 random bytes (256 bits), shown to the officer once
//! in Crockford base32: 52 characters in 13 groups of 4 separated by `-`.
//! Because the code has full entropy, no slow password hashing is needed:
//! the key is HMAC-SHA256 keyed with the code over the label
//! `"antq recovery v1"` (a PRF of a uniformly random key, as HKDF-Expand
//! does in a single block).
//!
//! Format of the protected bytes, version 1 (74 bytes): format version `1`,
//! kind `2` (recovery code), random 24-byte nonce, then XChaCha20-Poly1305
//! ciphertext of the 32 secret bytes and its tag; the two first bytes are
//! the associated data.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;
use zeroize::{Zeroize, Zeroizing};

use crate::content::{open_with, seal_with};
use crate::{fill_random, SecretKey, VaultError};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in a code: ceil(256 / 5).
const CODE_CHARS: usize = 52;
/// Longest text accepted by [`RecoveryCode::parse`], with spaces and dashes.
const MAX_INPUT: usize = 200;
const FORMAT_VERSION: u8 = 1;
const KIND_RECOVERY: u8 = 2;
const TOTAL_LEN: usize = 2 + 24 + 32 + 16;
const LABEL: &[u8] = b"antq recovery v1";

/// A recovery code: 32 random bytes, wiped from memory when dropped. Its
/// `Debug` never shows it; [`RecoveryCode::display`] gives the text to show
/// the officer once.
pub struct RecoveryCode([u8; 32]);

impl RecoveryCode {
    /// A secret key written out as a code, to be kept offline (the escrow
    /// key an administrator switches on): the same groups as a recovery
    /// code. Read back with [`RecoveryCode::to_secret_key`].
    pub fn from_secret_key(secret: &crate::SecretKey) -> RecoveryCode {
        RecoveryCode(*secret.bytes())
    }

    /// The secret key a code written by [`RecoveryCode::from_secret_key`] holds.
    pub fn to_secret_key(&self) -> crate::SecretKey {
        crate::SecretKey::from_bytes(self.0)
    }

    /// A fresh random code from the operating system's random source.
    pub fn generate() -> RecoveryCode {
        let mut bytes = [0u8; 32];
        fill_random(&mut bytes);
        RecoveryCode(bytes)
    }

    /// Read a code as the officer types it: case, spaces and dashes do not
    /// matter, and O is read as 0, I and L as 1.
    /// [`VaultError::BadRecoveryCode`] when it is not a code.
    pub fn parse(s: &str) -> Result<RecoveryCode, VaultError> {
        if s.len() > MAX_INPUT {
            return Err(VaultError::BadRecoveryCode);
        }
        let mut acc: u32 = 0;
        let mut bits = 0u32;
        let mut count = 0usize;
        let mut filled = 0usize;
        let mut out = Zeroizing::new([0u8; 32]);
        for c in s.chars().filter(|c| !c.is_whitespace() && *c != '-') {
            let value = symbol_value(c).ok_or(VaultError::BadRecoveryCode)?;
            if count == CODE_CHARS {
                return Err(VaultError::BadRecoveryCode);
            }
            count += 1;
            acc = (acc << 5) | value;
            bits += 5;
            if bits >= 8 {
                // At most 52 symbols: at most 32 bytes come out.
                bits -= 8;
                out[filled] = (acc >> bits) as u8;
                filled += 1;
                acc &= (1 << bits) - 1;
            }
        }
        // 52 symbols carry 260 bits: the last 4 must be zero padding.
        if count != CODE_CHARS || acc != 0 {
            return Err(VaultError::BadRecoveryCode);
        }
        Ok(RecoveryCode(*out))
    }

    /// The code as shown to the officer: 13 groups of 4 Crockford base32
    /// characters separated by `-`, for example `7K2M-…`.
    pub fn display(&self) -> String {
        let mut symbols = Zeroizing::new(Vec::with_capacity(CODE_CHARS));
        let mut acc: u32 = 0;
        let mut bits = 0u32;
        for byte in self.0 {
            acc = (acc << 8) | u32::from(byte);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                symbols.push(ALPHABET[((acc >> bits) & 31) as usize]);
            }
            acc &= (1 << bits) - 1;
        }
        symbols.push(ALPHABET[((acc << (5 - bits)) & 31) as usize]);
        let groups: Vec<&str> = symbols
            .chunks(4)
            .map(|g| std::str::from_utf8(g).expect("the alphabet is ASCII"))
            .collect();
        groups.join("-")
    }

    /// The key that protects a secret key: HMAC-SHA256(code, label).
    fn derive(&self) -> Zeroizing<[u8; 32]> {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(LABEL);
        Zeroizing::new(mac.finalize().into_bytes().into())
    }
}

/// The value of one Crockford base32 symbol, read tolerantly.
fn symbol_value(c: char) -> Option<u32> {
    let c = match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        other => other,
    };
    ALPHABET
        .iter()
        .position(|&a| char::from(a) == c)
        .map(|p| p as u32)
}

impl Drop for RecoveryCode {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCode([redacted])")
    }
}

/// Protect a secret key with a recovery code (format in the module documentation).
pub fn protect_with_recovery(secret: &SecretKey, code: &RecoveryCode) -> Vec<u8> {
    let header = [FORMAT_VERSION, KIND_RECOVERY];
    let mut out = header.to_vec();
    out.extend_from_slice(&seal_with(&code.derive(), secret.bytes(), &header));
    out
}

/// Unlock a secret key protected by [`protect_with_recovery`].
/// [`VaultError::Corrupt`] when the bytes are malformed;
/// [`VaultError::WrongKey`] when the code does not open them (or they were altered).
pub fn unlock_with_recovery(
    protected: &[u8],
    code: &RecoveryCode,
) -> Result<SecretKey, VaultError> {
    if protected.len() != TOTAL_LEN
        || protected[0] != FORMAT_VERSION
        || protected[1] != KIND_RECOVERY
    {
        return Err(VaultError::Corrupt);
    }
    let (header, sealed) = protected.split_at(2);
    let bytes =
        Zeroizing::new(open_with(&code.derive(), sealed, header).ok_or(VaultError::WrongKey)?);
    let array: [u8; 32] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| VaultError::Corrupt)?;
    Ok(SecretKey::from_bytes(array))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate_keypair;

    #[test]
    fn display_shape_and_round_trip() {
        for _ in 0..50 {
            let code = RecoveryCode::generate();
            let text = code.display();
            assert_eq!(text.len(), 52 + 12);
            let groups: Vec<&str> = text.split('-').collect();
            assert_eq!(groups.len(), 13);
            assert!(groups.iter().all(|g| g.len() == 4));
            assert!(text.bytes().all(|b| b == b'-' || ALPHABET.contains(&b)));
            assert_eq!(RecoveryCode::parse(&text).unwrap().0, code.0);
        }
    }

    #[test]
    fn known_values() {
        assert_eq!(RecoveryCode([0; 32]).display(), ["0000"; 13].join("-"));
        let ones = RecoveryCode([0xff; 32]).display();
        // 51 symbols of all ones, then 1 bit of data and 4 bits of padding: 10000 = G.
        assert_eq!(ones.replace('-', ""), format!("{}G", "Z".repeat(51)));
    }

    #[test]
    fn parse_is_tolerant() {
        let code = RecoveryCode([0x5a; 32]);
        let text = code.display();
        let sloppy = text
            .to_lowercase()
            .replace('-', " ")
            .replace('0', "o")
            .replace('1', "l");
        assert_eq!(RecoveryCode::parse(&sloppy).unwrap().0, code.0);
        let squashed = text.replace('-', "").replace('1', "I");
        assert_eq!(
            RecoveryCode::parse(&format!("  {squashed}\n")).unwrap().0,
            code.0
        );
    }

    #[test]
    fn parse_rejects_non_codes() {
        let text = RecoveryCode::generate().display();
        let short = &text[..text.len() - 1];
        let long = format!("{text}0");
        let with_u = format!("U{}", &text[1..]);
        let padding_set = format!("{}H", &text[..text.len() - 1]); // H = 10001: padding bit set
        for bad in [
            short,
            long.as_str(),
            with_u.as_str(),
            padding_set.as_str(),
            "",
            &"0".repeat(300),
        ] {
            assert_eq!(
                RecoveryCode::parse(bad).unwrap_err(),
                VaultError::BadRecoveryCode,
                "{bad}"
            );
        }
    }

    #[test]
    fn round_trip_and_wrong_code() {
        let (public, secret) = generate_keypair();
        let code = RecoveryCode::generate();
        let protected = protect_with_recovery(&secret, &code);
        assert_eq!(protected.len(), TOTAL_LEN);
        let typed = RecoveryCode::parse(&code.display().to_lowercase()).unwrap();
        assert_eq!(
            unlock_with_recovery(&protected, &typed)
                .unwrap()
                .public_key(),
            public
        );
        let other = RecoveryCode::generate();
        assert_eq!(
            unlock_with_recovery(&protected, &other).unwrap_err(),
            VaultError::WrongKey
        );
    }

    #[test]
    fn tampered_or_malformed_fails() {
        let (_, secret) = generate_keypair();
        let code = RecoveryCode::generate();
        let protected = protect_with_recovery(&secret, &code);
        let mut bad = protected.clone();
        bad[30] ^= 1;
        assert_eq!(
            unlock_with_recovery(&bad, &code).unwrap_err(),
            VaultError::WrongKey
        );
        let mut kind = protected.clone();
        kind[1] = 1;
        assert_eq!(
            unlock_with_recovery(&kind, &code).unwrap_err(),
            VaultError::Corrupt
        );
        assert_eq!(
            unlock_with_recovery(&protected[..73], &code).unwrap_err(),
            VaultError::Corrupt
        );
        assert!(!protected.windows(32).any(|w| w == secret.bytes()));
    }

    #[test]
    fn debug_hides_the_code() {
        assert_eq!(
            format!("{:?}", RecoveryCode::generate()),
            "RecoveryCode([redacted])"
        );
    }

    #[test]
    fn a_secret_key_written_as_a_code_reads_back() {
        let (public, secret) = crate::generate_keypair();
        let shown = RecoveryCode::from_secret_key(&secret).display();
        let back = RecoveryCode::parse(&shown).unwrap().to_secret_key();
        assert_eq!(back.public_key(), public);
    }
}
