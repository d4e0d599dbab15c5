//! Stateless proof-of-work challenge tokens issued by the server.
//!
//! A token is `v1.{expires}.{difficulty}.{random}.{mac}`: `expires` in Unix
//! seconds, `difficulty` a number the caller interprets (for example leading
//! zero bits of a hash), `random` 16 random bytes as 32 lowercase hex digits,
//! and `mac` the HMAC-SHA256 (64 lowercase hex digits) under the server
//! secret of `"challenge\0"` followed by the four first fields joined by
//! dots. Tokens are ASCII and URL-safe. Being stateless, a token can be
//! presented more than once until it expires: a caller that must refuse
//! replays records the tokens it has accepted until their expiry.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;

use crate::{fill_random, VaultError};

type HmacSha256 = Hmac<Sha256>;

/// Longest token [`Challenges::check`] reads.
const MAX_TOKEN: usize = 200;
const VERSION: &str = "v1";

/// Issues and checks challenge tokens under one server secret.
/// Its `Debug` never shows the secret.
#[derive(Clone)]
pub struct Challenges {
    mac: HmacSha256,
}

impl Challenges {
    /// Challenges under `secret` (see [`crate::random_secret`], [`crate::secret_from_hex`]).
    pub fn new(secret: [u8; 32]) -> Challenges {
        let mac = <HmacSha256 as Mac>::new_from_slice(&secret).expect("HMAC takes any key length");
        Challenges { mac }
    }

    fn mac_of(&self, body: &str) -> HmacSha256 {
        let mut mac = self.mac.clone();
        mac.update(b"challenge\0");
        mac.update(body.as_bytes());
        mac
    }

    /// A new token valid until `now_unix + ttl_secs`, asking for `difficulty`.
    pub fn issue(&self, now_unix: i64, ttl_secs: i64, difficulty: u32) -> String {
        let expires = now_unix.saturating_add(ttl_secs);
        let mut random = [0u8; 16];
        fill_random(&mut random);
        let body = format!("{VERSION}.{expires}.{difficulty}.{}", hex::encode(random));
        let mac = hex::encode(self.mac_of(&body).finalize().into_bytes());
        format!("{body}.{mac}")
    }

    /// Check a token issued by [`Challenges::issue`] and give its difficulty.
    /// [`VaultError::BadToken`] when malformed, too long or not issued under
    /// this secret (the MAC is compared in constant time);
    /// [`VaultError::Expired`] when `now_unix` is past its expiry.
    pub fn check(&self, token: &str, now_unix: i64) -> Result<u32, VaultError> {
        if token.len() > MAX_TOKEN || !token.is_ascii() {
            return Err(VaultError::BadToken);
        }
        let (body, mac_hex) = token.rsplit_once('.').ok_or(VaultError::BadToken)?;
        let fields: Vec<&str> = body.split('.').collect();
        let [version, expires, difficulty, random] = fields[..] else {
            return Err(VaultError::BadToken);
        };
        let well_formed = version == VERSION
            && is_number(expires, 19)
            && is_number(difficulty, 10)
            && is_lower_hex(random, 32)
            && is_lower_hex(mac_hex, 64);
        if !well_formed {
            return Err(VaultError::BadToken);
        }
        let mac = hex::decode(mac_hex).map_err(|_| VaultError::BadToken)?;
        self.mac_of(body)
            .verify_slice(&mac)
            .map_err(|_| VaultError::BadToken)?;
        let expires: i64 = expires.parse().map_err(|_| VaultError::BadToken)?;
        let difficulty: u32 = difficulty.parse().map_err(|_| VaultError::BadToken)?;
        if now_unix > expires {
            return Err(VaultError::Expired);
        }
        Ok(difficulty)
    }
}

/// An optional minus sign then 1 to `max_digits` ASCII digits.
fn is_number(s: &str, max_digits: usize) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    (1..=max_digits).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

fn is_lower_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl fmt::Debug for Challenges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Challenges([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_780_000_000;

    #[test]
    fn issue_then_check() {
        let c = Challenges::new([5; 32]);
        let token = c.issue(NOW, 600, 18);
        assert!(token.len() <= MAX_TOKEN);
        assert!(token.starts_with(&format!("v1.{}.18.", NOW + 600)));
        assert!(token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-'));
        assert_eq!(c.check(&token, NOW), Ok(18));
        assert_eq!(c.check(&token, NOW + 600), Ok(18));
        assert_ne!(c.issue(NOW, 600, 18), token);
    }

    #[test]
    fn expired() {
        let c = Challenges::new([5; 32]);
        let token = c.issue(NOW, 600, 18);
        assert_eq!(c.check(&token, NOW + 601), Err(VaultError::Expired));
    }

    #[test]
    fn tampered_token_is_bad() {
        let c = Challenges::new([5; 32]);
        let token = c.issue(NOW, 600, 18);
        let easier = token.replacen(".18.", ".1.", 1);
        assert_eq!(c.check(&easier, NOW), Err(VaultError::BadToken));
        let later = token.replacen(&format!("{}", NOW + 600), &format!("{}", NOW + 9999), 1);
        assert_eq!(c.check(&later, NOW), Err(VaultError::BadToken));
        let mut bad_mac = token.clone().into_bytes();
        let last = bad_mac.len() - 1;
        bad_mac[last] = if bad_mac[last] == b'0' { b'1' } else { b'0' };
        assert_eq!(
            c.check(&String::from_utf8(bad_mac).unwrap(), NOW),
            Err(VaultError::BadToken)
        );
    }

    #[test]
    fn other_secret_is_bad() {
        let token = Challenges::new([5; 32]).issue(NOW, 600, 18);
        assert_eq!(
            Challenges::new([6; 32]).check(&token, NOW),
            Err(VaultError::BadToken)
        );
    }

    #[test]
    fn malformed_is_bad() {
        let c = Challenges::new([5; 32]);
        let token = c.issue(NOW, 600, 18);
        let upper = token.to_uppercase();
        let v2 = token.replacen("v1.", "v2.", 1);
        let extra = format!("x.{token}");
        let long = format!("{token}{}", "0".repeat(MAX_TOKEN));
        for bad in [
            "",
            "v1",
            "v1....",
            upper.as_str(),
            v2.as_str(),
            extra.as_str(),
            long.as_str(),
            "v1.ư.1.2.3",
        ] {
            assert_eq!(c.check(bad, NOW), Err(VaultError::BadToken), "{bad}");
        }
    }
}
