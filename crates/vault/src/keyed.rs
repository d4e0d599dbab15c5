//! The server's keyed hashes (HMAC-SHA256 with a 32-byte server secret):
//! equal identifiers (a scam phone number, a bank account) and receipts can
//! be matched without being stored in clear.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;

type HmacSha256 = Hmac<Sha256>;

/// Keyed hashes under one server secret. Its `Debug` never shows the secret.
#[derive(Clone)]
pub struct Keyed {
    mac: HmacSha256,
}

impl Keyed {
    /// Keyed hashes under `secret` (see [`crate::random_secret`], [`crate::secret_from_hex`]).
    pub fn new(secret: [u8; 32]) -> Keyed {
        let mac = <HmacSha256 as Mac>::new_from_slice(&secret).expect("HMAC takes any key length");
        Keyed { mac }
    }

    fn hash(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut mac = self.mac.clone();
        for part in parts {
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }

    /// The keyed hash of an identifier of a kind (`"phone"`, `"bank"`, …),
    /// already normalised by the caller: HMAC over
    /// `"identifier\0" kind "\0" value`. Kinds are fixed names without NUL,
    /// so no two (kind, value) pairs give the same input.
    pub fn identifier(&self, kind: &str, normalized: &str) -> [u8; 32] {
        debug_assert!(!kind.contains('\0'), "an identifier kind has no NUL");
        self.hash(&[
            b"identifier\0",
            kind.as_bytes(),
            b"\0",
            normalized.as_bytes(),
        ])
    }

    /// The keyed hash of a tipster's receipt digits: HMAC over `"receipt\0" digits`.
    pub fn receipt(&self, receipt_digits: &str) -> [u8; 32] {
        self.hash(&[b"receipt\0", receipt_digits.as_bytes()])
    }
}

impl fmt::Debug for Keyed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Keyed([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic() {
        let k = Keyed::new([7; 32]);
        assert_eq!(
            k.identifier("phone", "84912345678"),
            k.identifier("phone", "84912345678")
        );
        assert_eq!(
            k.receipt("1234567812345678"),
            Keyed::new([7; 32]).receipt("1234567812345678")
        );
        assert_ne!(
            k.identifier("phone", "84912345678"),
            k.identifier("phone", "84912345679")
        );
    }

    #[test]
    fn matches_plain_hmac_of_the_documented_input() {
        let k = Keyed::new([9; 32]);
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&[9; 32]).unwrap();
        mac.update(b"identifier\0phone\084912345678");
        let expected: [u8; 32] = mac.finalize().into_bytes().into();
        assert_eq!(k.identifier("phone", "84912345678"), expected);
    }

    #[test]
    fn domain_separated() {
        let k = Keyed::new([1; 32]);
        assert_ne!(k.identifier("receipt", "1234"), k.receipt("1234"));
        assert_ne!(k.identifier("phone", "1234"), k.identifier("bank", "1234"));
        assert_ne!(k.identifier("phone", "1234"), k.receipt("1234"));
        // Moving the boundary between kind and value changes the hash.
        assert_ne!(k.identifier("ab", "c"), k.identifier("a", "bc"));
    }

    #[test]
    fn secrets_differ() {
        let a = Keyed::new([1; 32]);
        let b = Keyed::new([2; 32]);
        assert_ne!(
            a.identifier("phone", "84912345678"),
            b.identifier("phone", "84912345678")
        );
        assert_ne!(a.receipt("1234567812345678"), b.receipt("1234567812345678"));
    }

    #[test]
    fn debug_hides_the_secret() {
        assert_eq!(format!("{:?}", Keyed::new([3; 32])), "Keyed([redacted])");
    }
}
