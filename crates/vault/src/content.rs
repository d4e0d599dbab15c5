//! A tip's own key and the sealing of its content (XChaCha20-Poly1305).

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use std::fmt;
use zeroize::Zeroize;

use crate::{fill_random, VaultError};

/// Length of the random nonce put in front of sealed content.
pub(crate) const NONCE_LEN: usize = 24;
/// Length of the Poly1305 tag that follows the ciphertext.
pub(crate) const TAG_LEN: usize = 16;

/// The key of one tip: 32 random bytes, wiped from memory when dropped.
/// Its `Debug` never shows the bytes. A clone is wiped when dropped too.
#[derive(Clone)]
pub struct TipKey(pub(crate) [u8; 32]);

impl TipKey {
    /// A fresh random key from the operating system's random source.
    pub fn generate() -> TipKey {
        let mut bytes = [0u8; 32];
        fill_random(&mut bytes);
        TipKey(bytes)
    }
}

impl Drop for TipKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for TipKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TipKey([redacted])")
    }
}

/// Encrypt `plaintext` with XChaCha20-Poly1305 under 32 key bytes:
/// random 24-byte nonce, then ciphertext and tag.
pub(crate) fn seal_with(key: &[u8; 32], plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(key.into());
    let mut nonce = [0u8; NONCE_LEN];
    fill_random(&mut nonce);
    let body = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .expect("XChaCha20-Poly1305 encrypts any message that fits in memory");
    let mut out = Vec::with_capacity(NONCE_LEN + body.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&body);
    out
}

/// Decrypt what [`seal_with`] produced. `None` when too short or when the
/// tag does not verify.
pub(crate) fn open_with(key: &[u8; 32], sealed: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
    if sealed.len() < NONCE_LEN + TAG_LEN {
        return None;
    }
    let (nonce, body) = sealed.split_at(NONCE_LEN);
    let cipher = XChaCha20Poly1305::new(key.into());
    cipher
        .decrypt(XNonce::from_slice(nonce), Payload { msg: body, aad })
        .ok()
}

/// Seal a tip's content: XChaCha20-Poly1305 with a random 24-byte nonce put
/// in front. `aad` binds the sealed bytes to their record (for example
/// `b"tip:17:content"`): they open only with the same `aad`.
pub fn seal(key: &TipKey, plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
    seal_with(&key.0, plaintext, aad)
}

/// Open what [`seal`] produced. [`VaultError::Corrupt`] when too short to be
/// sealed content; [`VaultError::WrongKey`] when the key or `aad` differ or
/// the bytes were altered. The caller bounds the size of what it stores.
pub fn open(key: &TipKey, sealed: &[u8], aad: &[u8]) -> Result<Vec<u8>, VaultError> {
    if sealed.len() < NONCE_LEN + TAG_LEN {
        return Err(VaultError::Corrupt);
    }
    open_with(&key.0, sealed, aad).ok_or(VaultError::WrongKey)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &[u8] = "Có người bán ma túy ở tổ dân phố 3, số điện thoại 0912345678".as_bytes();

    #[test]
    fn round_trip() {
        let key = TipKey::generate();
        let sealed = seal(&key, TEXT, b"tip:17:content");
        assert_eq!(sealed.len(), NONCE_LEN + TEXT.len() + TAG_LEN);
        assert_eq!(open(&key, &sealed, b"tip:17:content").unwrap(), TEXT);
    }

    #[test]
    fn empty_content_round_trips() {
        let key = TipKey::generate();
        let sealed = seal(&key, b"", b"a");
        assert_eq!(open(&key, &sealed, b"a").unwrap(), b"");
    }

    #[test]
    fn sealed_does_not_contain_plaintext() {
        let key = TipKey::generate();
        let sealed = seal(&key, TEXT, b"tip:1:content");
        assert!(!sealed.windows(8).any(|w| TEXT.windows(8).any(|t| t == w)));
        assert!(!sealed.windows(10).any(|w| w == b"0912345678"));
    }

    #[test]
    fn same_plaintext_seals_differently() {
        let key = TipKey::generate();
        assert_ne!(seal(&key, TEXT, b"x"), seal(&key, TEXT, b"x"));
    }

    #[test]
    fn wrong_aad_fails() {
        let key = TipKey::generate();
        let sealed = seal(&key, TEXT, b"tip:17:content");
        assert_eq!(
            open(&key, &sealed, b"tip:18:content"),
            Err(VaultError::WrongKey)
        );
        assert_eq!(open(&key, &sealed, b""), Err(VaultError::WrongKey));
    }

    #[test]
    fn wrong_key_fails() {
        let sealed = seal(&TipKey::generate(), TEXT, b"a");
        assert_eq!(
            open(&TipKey::generate(), &sealed, b"a"),
            Err(VaultError::WrongKey)
        );
    }

    #[test]
    fn tampered_bytes_fail() {
        let key = TipKey::generate();
        let sealed = seal(&key, TEXT, b"a");
        for i in [0, NONCE_LEN, sealed.len() / 2, sealed.len() - 1] {
            let mut bad = sealed.clone();
            bad[i] ^= 0x01;
            assert_eq!(
                open(&key, &bad, b"a"),
                Err(VaultError::WrongKey),
                "byte {i}"
            );
        }
        assert_eq!(
            open(&key, &sealed[..sealed.len() - 1], b"a"),
            Err(VaultError::WrongKey)
        );
    }

    #[test]
    fn too_short_is_corrupt() {
        let key = TipKey::generate();
        assert_eq!(open(&key, &[0u8; 39], b"a"), Err(VaultError::Corrupt));
        assert_eq!(open(&key, b"", b"a"), Err(VaultError::Corrupt));
    }

    #[test]
    fn debug_hides_the_key() {
        let key = TipKey::generate();
        let shown = format!("{key:?}");
        assert_eq!(shown, "TipKey([redacted])");
    }
}
