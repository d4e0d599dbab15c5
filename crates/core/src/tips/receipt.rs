//! The tipster's receipt: 16 random decimal digits, shown once, with which
//! the tipster comes back to read replies and add information.
//!
//! A receipt is a secret: it is never logged and its `Debug` form hides it.

use std::fmt;

use crate::DomainError;

/// The number of digits of a receipt.
pub const DIGITS: usize = 16;

/// A receipt: exactly 16 ASCII digits. `Debug` prints `Receipt(****)`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Receipt(String);

impl fmt::Debug for Receipt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Receipt(****)")
    }
}

/// One uniform decimal digit from the operating system's random source, by
/// rejection sampling: a byte ≥ 250 is drawn again, so that each of 0–9 has
/// exactly 25 of the 250 accepted byte values (no modulo bias).
fn random_digit() -> char {
    loop {
        let mut b = [0u8; 1];
        getrandom::getrandom(&mut b).expect("the operating system's random source works");
        if let Some(d) = digit_from_byte(b[0]) {
            return d;
        }
    }
}

/// The digit a random byte gives, or `None` for a byte that must be drawn
/// again (250–255).
fn digit_from_byte(b: u8) -> Option<char> {
    (b < 250).then(|| char::from(b'0' + b % 10))
}

impl Receipt {
    /// A new random receipt, every digit uniform and independent.
    pub fn generate() -> Receipt {
        Receipt((0..DIGITS).map(|_| random_digit()).collect())
    }

    /// A receipt as a person types or pastes it: spaces (also non-breaking)
    /// and dashes between the digits are ignored; anything else, or another
    /// number of digits, is refused.
    pub fn parse(input: &str) -> Result<Receipt, DomainError> {
        if input.len() > 200 {
            return Err(DomainError::invalid(
                "Mã biên nhận quá dài: mã gồm đúng 16 chữ số",
            ));
        }
        let mut digits = String::with_capacity(DIGITS);
        for c in input.chars() {
            match c {
                '0'..='9' => digits.push(c),
                c if c.is_whitespace() || matches!(c, '-' | '‐' | '–' | '—') => {}
                _ => return Err(DomainError::invalid(
                    "Mã biên nhận chỉ gồm chữ số (có thể cách nhau bằng dấu cách hoặc gạch ngang)",
                )),
            }
        }
        if digits.len() != DIGITS {
            return Err(DomainError::invalid(format!(
                "Mã biên nhận phải có đúng 16 chữ số, mã đã nhập có {} chữ số",
                digits.len()
            )));
        }
        Ok(Receipt(digits))
    }

    /// The 16 digits, without spaces.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The digits in four groups of four, for display: "1234 5678 9012 3456".
    pub fn grouped(&self) -> String {
        let b = self.0.as_bytes();
        b.chunks(4)
            .map(|c| std::str::from_utf8(c).expect("ASCII digits"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_receipts_have_16_digits_and_differ() {
        let a = Receipt::generate();
        let b = Receipt::generate();
        assert_eq!(a.as_str().len(), 16);
        assert!(a.as_str().bytes().all(|c| c.is_ascii_digit()));
        // 10^16 possibilities: two equal draws mean a broken source.
        assert_ne!(a, b);
        assert_eq!(Receipt::parse(a.as_str()).unwrap(), a);
    }

    #[test]
    fn rejection_sampling_maps_each_digit_to_exactly_25_bytes() {
        let mut counts = [0u32; 10];
        let mut rejected = 0;
        for b in 0..=255u8 {
            match digit_from_byte(b) {
                Some(d) => counts[d.to_digit(10).unwrap() as usize] += 1,
                None => rejected += 1,
            }
        }
        assert_eq!(counts, [25; 10]);
        assert_eq!(rejected, 6);
    }

    #[test]
    fn parse_tolerates_spaces_and_dashes() {
        let r = Receipt::parse(" 1234 5678-9012 - 3456 ").unwrap();
        assert_eq!(r.as_str(), "1234567890123456");
        assert_eq!(r.grouped(), "1234 5678 9012 3456");
        assert_eq!(
            Receipt::parse("1234\u{a0}5678\u{a0}9012\u{a0}3456").unwrap(),
            r
        );
    }

    #[test]
    fn parse_refuses_other_characters_and_lengths() {
        let e = Receipt::parse("1234 5678 9012 345")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "Mã biên nhận phải có đúng 16 chữ số, mã đã nhập có 15 chữ số"
        );
        assert!(Receipt::parse("12345678901234567").is_err());
        assert!(Receipt::parse("").is_err());
        let e = Receipt::parse("1234 5678 9012 345a")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("Mã biên nhận chỉ gồm chữ số"), "{e}");
        // Other scripts' digits are not ASCII digits.
        assert!(Receipt::parse("١٢٣٤567890123456").is_err());
        assert!(Receipt::parse(&"1".repeat(1000)).is_err());
    }

    #[test]
    fn debug_hides_the_digits() {
        let r = Receipt::parse("1234567890123456").unwrap();
        let d = format!("{r:?}");
        assert_eq!(d, "Receipt(****)");
        assert!(!d.contains("1234"));
        assert!(!format!("{:?}", Some(r)).contains('5'));
    }
}
