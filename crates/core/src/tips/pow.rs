//! The proof of work asked before a tip is accepted (hashcash-like).
//!
//! The server hands out a challenge `token` (an opaque ASCII string) and a
//! `difficulty` `d` (a number of bits). The client looks for a nonce `n`, an
//! unsigned 64-bit integer, such that
//!
//! ```text
//! SHA-256( UTF-8 bytes of  token + ":" + decimal(n) )
//! ```
//!
//! starts with at least `d` zero bits, reading the 32-byte digest from its
//! first byte, most significant bit first. `decimal(n)` is the base-10 form
//! of `n` without sign, leading zeros or spaces (`0`, `1`, `42`, …). For
//! example, with token `abc` and nonce `42` the hashed text is `abc:42`.
//!
//! Counting the zero bits: for each byte in order, a zero byte adds 8 and
//! the count goes on; the first non-zero byte adds its number of leading
//! zero bits (`0x01` → 7, `0x0f` → 4, `0x80` → 0) and the count stops.
//!
//! A script solves it by trying `n = 0, 1, 2, …` until the condition holds
//! (about `2^d` hashes on average); the server verifies with one hash.
//!
//! ```text
//! n = 0
//! while leading_zero_bits(sha256(f"{token}:{n}".encode())) < d: n += 1
//! ```

use sha2::{Digest, Sha256};

/// SHA-256 of the bytes of `"{token}:{nonce}"`.
pub fn work_hash(token: &str, nonce: u64) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(token.as_bytes());
    h.update(b":");
    h.update(nonce.to_string().as_bytes());
    h.finalize().into()
}

/// The number of zero bits the digest starts with (0–256), first byte
/// first, most significant bit first.
pub fn leading_zero_bits(h: &[u8; 32]) -> u32 {
    let mut n = 0;
    for b in h {
        if *b == 0 {
            n += 8;
        } else {
            return n + b.leading_zeros();
        }
    }
    n
}

/// Does `nonce` solve the challenge `token` at `difficulty` bits?
pub fn verify(token: &str, nonce: u64, difficulty: u32) -> bool {
    leading_zero_bits(&work_hash(token, nonce)) >= difficulty
}

/// The smallest nonce that solves the challenge, trying 0, 1, 2, … (for
/// the command line and tests; a browser does the same in JavaScript).
pub fn solve(token: &str, difficulty: u32) -> u64 {
    (0u64..)
        .find(|n| verify(token, *n, difficulty))
        .expect("a nonce is found long before u64 runs out")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_sha256_of_token_colon_decimal_nonce() {
        // sha256("abc:42"), computed independently.
        let expected: [u8; 32] = Sha256::digest(b"abc:42").into();
        assert_eq!(work_hash("abc", 42), expected);
        assert_ne!(work_hash("abc", 42), work_hash("abc", 43));
        assert_ne!(work_hash("abc", 42), work_hash("abd", 42));
        // The well-known digest of "abc" shows SHA-256 is the one used.
        let abc: [u8; 32] = Sha256::digest(b"abc").into();
        assert_eq!(
            hex::encode(abc),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn leading_zero_bits_reads_bytes_in_order_msb_first() {
        let mut h = [0xffu8; 32];
        assert_eq!(leading_zero_bits(&h), 0);
        h[0] = 0x80;
        assert_eq!(leading_zero_bits(&h), 0);
        h[0] = 0x0f;
        assert_eq!(leading_zero_bits(&h), 4);
        h[0] = 0x01;
        assert_eq!(leading_zero_bits(&h), 7);
        h[0] = 0;
        h[1] = 0x20;
        assert_eq!(leading_zero_bits(&h), 10);
        h[1] = 0;
        h[2] = 0x01;
        assert_eq!(leading_zero_bits(&h), 23);
        assert_eq!(leading_zero_bits(&[0u8; 32]), 256);
    }

    #[test]
    fn a_solved_challenge_verifies_and_a_wrong_nonce_does_not() {
        let token = "thu-thach-1";
        let n = solve(token, 12);
        assert!(verify(token, n, 12));
        assert!(leading_zero_bits(&work_hash(token, n)) >= 12);
        // The smallest: no smaller nonce works.
        assert!((0..n).all(|m| !verify(token, m, 12)));
        // At a high difficulty a nonce that was not searched for fails.
        assert!(!verify(token, n, 64));
        assert!(!verify(token, n + 1, 64));
        // Difficulty zero accepts anything.
        assert!(verify(token, 12345, 0));
    }
}
