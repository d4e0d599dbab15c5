//! The vault of antq: encryption at rest for citizens' tips ("tin báo").
//!
//! - Each tip's content is sealed with a [`TipKey`] of its own
//!   (XChaCha20-Poly1305, [`seal`] / [`open`]), bound to its record by the
//!   associated data.
//! - The tip key is wrapped for each officer who may read the tip, with a
//!   libsodium-compatible sealed box (X25519 + XSalsa20-Poly1305, [`wrap`] /
//!   [`unwrap`]). Wrapping needs only public keys, so the web process can
//!   accept a tip without being able to read old ones. An escrow is simply
//!   one more key pair whose public key the tip key is wrapped to.
//! - An officer's [`SecretKey`] is stored protected by their password
//!   (Argon2id, [`protect_with_password`]) and by a [`RecoveryCode`]
//!   ([`protect_with_recovery`]).
//! - [`Keyed`] gives keyed hashes (HMAC-SHA256) to match identifiers and
//!   receipts without storing them in clear; [`Challenges`] issues stateless
//!   proof-of-work challenge tokens.
//!
//! Only RustCrypto crates do the cryptography; nothing here is home-made.
//! No function of this crate logs anything.

mod challenge;
mod content;
mod keyed;
mod keys;
mod password;
mod recovery;

pub use challenge::Challenges;
pub use content::{open, seal, TipKey};
pub use keyed::Keyed;
pub use keys::{generate_keypair, unwrap, wrap, PublicKey, SecretKey};
pub use password::{protect_tip_key, protect_with_password, unlock_tip_key, unlock_with_password};
pub use recovery::{protect_with_recovery, unlock_with_recovery, RecoveryCode};

use rand_core::{OsRng, RngCore};

/// Why the vault refused. The messages are in Vietnamese, for officers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    /// The stored bytes are malformed (wrong length, unknown version, bad parameters).
    #[error("Dữ liệu mã hóa bị hỏng hoặc không đúng định dạng")]
    Corrupt,
    /// The password does not open the protected secret key (or the protected bytes were altered).
    #[error("Mật khẩu không đúng: không mở được khóa đọc tin báo")]
    WrongPassword,
    /// The key does not open the sealed bytes: another key, another record
    /// (associated data), or bytes that were altered. These cannot be told apart.
    #[error("Khóa không đúng: không mở được nội dung tin báo")]
    WrongKey,
    /// A recovery code that cannot be read (wrong length or characters).
    #[error("Mã khôi phục không hợp lệ: cần 52 ký tự chữ và số, chia nhóm 4 ký tự")]
    BadRecoveryCode,
    /// A server secret that is not 64 hexadecimal digits.
    #[error("Khóa bí mật của máy chủ không hợp lệ: cần đúng 64 chữ số thập lục phân")]
    BadSecret,
    /// A challenge token that has expired.
    #[error("Thử thách chống lạm dụng đã hết hạn, vui lòng gửi lại")]
    Expired,
    /// A challenge token that is malformed or was not issued by this server.
    #[error("Thử thách chống lạm dụng không hợp lệ")]
    BadToken,
}

/// 32 random bytes from the operating system, for a server secret
/// ([`Keyed::new`], [`Challenges::new`]).
pub fn random_secret() -> [u8; 32] {
    let mut out = [0u8; 32];
    fill_random(&mut out);
    out
}

/// Read a 32-byte server secret written as 64 hexadecimal digits
/// (surrounding whitespace is ignored).
pub fn secret_from_hex(s: &str) -> Result<[u8; 32], VaultError> {
    let s = s.trim();
    if s.len() != 64 {
        return Err(VaultError::BadSecret);
    }
    let mut out = [0u8; 32];
    hex::decode_to_slice(s, &mut out).map_err(|_| VaultError::BadSecret)?;
    Ok(out)
}

/// Write a 32-byte server secret as 64 lowercase hexadecimal digits.
pub fn secret_to_hex(s: &[u8; 32]) -> String {
    hex::encode(s)
}

/// Fill `buf` from the operating system's random source.
pub(crate) fn fill_random(buf: &mut [u8]) {
    OsRng.fill_bytes(buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_hex_round_trip() {
        let s = random_secret();
        let h = secret_to_hex(&s);
        assert_eq!(h.len(), 64);
        assert_eq!(secret_from_hex(&format!(" {h}\n")).unwrap(), s);
        assert_eq!(secret_from_hex(&h.to_uppercase()).unwrap(), s);
    }

    #[test]
    fn secret_hex_rejects_bad_input() {
        assert_eq!(secret_from_hex("abcd"), Err(VaultError::BadSecret));
        assert_eq!(
            secret_from_hex(&"zz".repeat(32)),
            Err(VaultError::BadSecret)
        );
        assert_eq!(secret_from_hex(&"a".repeat(66)), Err(VaultError::BadSecret));
    }

    /// The whole path of a tip: the web process seals and wraps with public
    /// keys only; an officer unlocks with a password, changes it, loses it and
    /// recovers; the escrow reads; a transfer re-wraps for another officer.
    #[test]
    fn a_tip_from_submission_to_recovery() {
        let (officer_pub, officer) = generate_keypair();
        let protected = protect_with_password(&officer, "Mật khẩu cũ 2026!");
        let code = RecoveryCode::generate();
        let recovery = protect_with_recovery(&officer, &code);
        let (escrow_pub, escrow) = generate_keypair();
        drop(officer);

        // Submission: only public keys are at hand.
        let key = TipKey::generate();
        let sealed = seal(&key, "Số 0912 345 678 lừa đảo".as_bytes(), b"tip:9:content");
        let for_officer = wrap(&key, &officer_pub);
        let for_escrow = wrap(&key, &escrow_pub);
        drop(key);

        let officer = unlock_with_password(&protected, "Mật khẩu cũ 2026!").unwrap();
        let key = unwrap(&for_officer, &officer).unwrap();
        assert_eq!(
            open(&key, &sealed, b"tip:9:content").unwrap(),
            "Số 0912 345 678 lừa đảo".as_bytes()
        );

        // Password change: the same key pair under a new password.
        let protected = protect_with_password(&officer, "Mật khẩu mới 2027!");
        assert_eq!(
            unlock_with_password(&protected, "Mật khẩu cũ 2026!").unwrap_err(),
            VaultError::WrongPassword
        );
        drop(officer);

        // Lost password: the recovery code opens the same key pair.
        let code = RecoveryCode::parse(&code.display()).unwrap();
        let officer = unlock_with_recovery(&recovery, &code).unwrap();
        assert_eq!(officer.public_key(), officer_pub);
        assert!(unwrap(&for_officer, &officer).is_ok());

        // Escrow, and a transfer to another officer.
        let key = unwrap(&for_escrow, &escrow).unwrap();
        let (other_pub, other) = generate_keypair();
        let for_other = wrap(&key, &other_pub);
        let key = unwrap(&for_other, &other).unwrap();
        assert!(open(&key, &sealed, b"tip:9:content").is_ok());
        assert_eq!(
            unwrap(&for_other, &officer).unwrap_err(),
            VaultError::WrongKey
        );
    }

    #[test]
    fn random_secrets_differ() {
        assert_ne!(random_secret(), random_secret());
    }

    #[test]
    fn messages_are_vietnamese_sentences() {
        let msg = VaultError::WrongPassword.to_string();
        assert_eq!(msg, "Mật khẩu không đúng: không mở được khóa đọc tin báo");
        for e in [
            VaultError::Corrupt,
            VaultError::WrongKey,
            VaultError::Expired,
            VaultError::BadToken,
        ] {
            let m = e.to_string();
            assert!(m.chars().next().unwrap().is_uppercase(), "{m}");
        }
    }
}
