//! Officers' key pairs (X25519) and the wrapping of tip keys in
//! libsodium-compatible sealed boxes (X25519 + XSalsa20-Poly1305).

use rand_core::OsRng;
use std::fmt;
use zeroize::{Zeroize, Zeroizing};

use crate::{fill_random, TipKey, VaultError};

/// Length of a wrapped tip key: ephemeral public key (32), key bytes (32), tag (16).
const WRAPPED_LEN: usize = 32 + 32 + 16;

/// An officer's (or the escrow's) public key: 32 bytes of an X25519 point.
/// Anyone holding it can wrap a tip key for its owner; only the owner unwraps.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PublicKey(pub [u8; 32]);

impl PublicKey {
    /// The key from its 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> PublicKey {
        PublicKey(bytes)
    }

    /// The key from stored bytes; [`VaultError::Corrupt`] unless exactly 32 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<PublicKey, VaultError> {
        bytes
            .try_into()
            .map(PublicKey)
            .map_err(|_| VaultError::Corrupt)
    }

    /// The 32 bytes, to store.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", hex::encode(self.0))
    }
}

/// An officer's (or the escrow's) secret key. Its 32 bytes are wiped from
/// memory when dropped; its `Debug` never shows them. The
/// `crypto_box::SecretKey` it stands for is built only for the moment of an
/// operation, because that type (0.9) does not wipe its copy of the bytes.
/// A clone (an officer's key held for a session and used by one request)
/// is wiped when dropped too.
#[derive(Clone)]
pub struct SecretKey(Zeroizing<[u8; 32]>);

impl SecretKey {
    /// The public key that goes with this secret key.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.as_box_key().public_key().to_bytes())
    }

    /// The secret bytes, only for protecting them within this crate.
    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The secret key from its bytes, only after unlocking them within this crate.
    pub(crate) fn from_bytes(bytes: [u8; 32]) -> SecretKey {
        SecretKey(Zeroizing::new(bytes))
    }

    fn as_box_key(&self) -> crypto_box::SecretKey {
        crypto_box::SecretKey::from_bytes(*self.0)
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey([redacted])")
    }
}

/// A fresh key pair from the operating system's random source.
pub fn generate_keypair() -> (PublicKey, SecretKey) {
    let mut bytes = Zeroizing::new([0u8; 32]);
    fill_random(bytes.as_mut());
    let secret = SecretKey::from_bytes(*bytes);
    (secret.public_key(), secret)
}

/// Wrap a tip key for the owner of `to`: a libsodium sealed box
/// (`crypto_box_seal`) of the 32 key bytes, 80 bytes long.
pub fn wrap(key: &TipKey, to: &PublicKey) -> Vec<u8> {
    crypto_box::PublicKey::from_bytes(to.0)
        .seal(&mut OsRng, &key.0)
        .expect("a sealed box of 32 bytes cannot fail")
}

/// Unwrap a tip key with the secret key it was wrapped for.
/// [`VaultError::Corrupt`] when the bytes are not a wrapped key;
/// [`VaultError::WrongKey`] when it was wrapped for someone else or altered.
pub fn unwrap(wrapped: &[u8], secret: &SecretKey) -> Result<TipKey, VaultError> {
    if wrapped.len() != WRAPPED_LEN {
        return Err(VaultError::Corrupt);
    }
    let mut bytes = secret
        .as_box_key()
        .unseal(wrapped)
        .map_err(|_| VaultError::WrongKey)?;
    let key = <[u8; 32]>::try_from(bytes.as_slice()).map(TipKey);
    bytes.zeroize();
    key.map_err(|_| VaultError::Corrupt)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{open, seal};

    #[test]
    fn wrapped_key_opens_with_its_secret_only() {
        let (alice_pub, alice) = generate_keypair();
        let (_, bob) = generate_keypair();
        let key = TipKey::generate();
        let sealed = seal(&key, b"noi dung", b"tip:1:content");
        let wrapped = wrap(&key, &alice_pub);
        assert_eq!(wrapped.len(), WRAPPED_LEN);
        let back = unwrap(&wrapped, &alice).unwrap();
        assert_eq!(back.0, key.0);
        assert_eq!(open(&back, &sealed, b"tip:1:content").unwrap(), b"noi dung");
        assert_eq!(unwrap(&wrapped, &bob).unwrap_err(), VaultError::WrongKey);
    }

    #[test]
    fn wrapping_twice_differs() {
        let (p, _) = generate_keypair();
        let key = TipKey::generate();
        assert_ne!(wrap(&key, &p), wrap(&key, &p));
    }

    #[test]
    fn tampered_or_malformed_wrap_fails() {
        let (p, s) = generate_keypair();
        let wrapped = wrap(&TipKey::generate(), &p);
        for i in [0, 40, WRAPPED_LEN - 1] {
            let mut bad = wrapped.clone();
            bad[i] ^= 0x80;
            assert_eq!(
                unwrap(&bad, &s).unwrap_err(),
                VaultError::WrongKey,
                "byte {i}"
            );
        }
        assert_eq!(unwrap(&wrapped[..79], &s).unwrap_err(), VaultError::Corrupt);
        assert_eq!(unwrap(b"", &s).unwrap_err(), VaultError::Corrupt);
    }

    #[test]
    fn public_key_matches_and_round_trips() {
        let (p, s) = generate_keypair();
        assert_eq!(s.public_key(), p);
        assert_eq!(PublicKey::from_slice(&p.to_bytes()).unwrap(), p);
        assert_eq!(PublicKey::from_bytes(p.0), p);
        assert_eq!(PublicKey::from_slice(&[1u8; 31]), Err(VaultError::Corrupt));
        let (q, _) = generate_keypair();
        assert_ne!(p, q);
    }

    #[test]
    fn debug_shows_public_but_not_secret() {
        let (p, s) = generate_keypair();
        assert_eq!(format!("{p:?}"), format!("PublicKey({})", hex::encode(p.0)));
        let shown = format!("{s:?}");
        assert_eq!(shown, "SecretKey([redacted])");
        assert!(!shown.contains(&hex::encode(s.bytes())));
    }

    #[test]
    fn interoperates_with_crypto_box_directly() {
        // The wrapped key is a plain libsodium sealed box: crypto_box opens it.
        let (p, s) = generate_keypair();
        let key = TipKey::generate();
        let wrapped = wrap(&key, &p);
        let raw = crypto_box::SecretKey::from_bytes(*s.bytes())
            .unseal(&wrapped)
            .unwrap();
        assert_eq!(raw, key.0);
    }
}
