//! Vietnamese text rules: NFC at every boundary, accent-insensitive search
//! keys, CLDR "vi" collation keys and the Vietnamese number format.

use std::sync::OnceLock;

use icu_collator::options::CollatorOptions;
use icu_collator::CollatorBorrowed;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Text as stored: NFC, trimmed, inner whitespace collapsed to one space.
pub fn clean(s: &str) -> String {
    let t = s.trim();
    // Most cells of an import are short ASCII with single spaces: nothing to do.
    if t.is_ascii()
        && !t.contains("  ")
        && !t
            .bytes()
            .any(|b| b != b' ' && char::from(b).is_whitespace())
    {
        return t.to_string();
    }
    let nfc: String = s.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Is this a character no document may carry: a control character other
/// than a line break or tab, a Unicode noncharacter (U+FFFE, U+FFFF,
/// U+FDD0–U+FDEF, …: Word refuses the file), or a bidirectional override
/// that makes text read other than it is stored?
pub fn unprintable(c: char) -> bool {
    let u = c as u32;
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        || (0xFDD0..=0xFDEF).contains(&u)
        || (u & 0xFFFE) == 0xFFFE
        || (0x202A..=0x202E).contains(&u)
        || (0x2066..=0x2069).contains(&u)
}

/// Refuse a text that holds an [`unprintable`] character, naming the field
/// ("Tiêu đề mục thứ 2 có ký tự không in được (U+FFFE)").
pub fn check_printable(label: &str, s: &str) -> Result<(), crate::DomainError> {
    match s.chars().find(|c| unprintable(*c)) {
        None => Ok(()),
        Some(c) => Err(crate::DomainError::invalid(format!(
            "{label} có ký tự không in được (U+{:04X}): xin gõ lại đoạn đó",
            c as u32
        ))),
    }
}

/// Text as stored, keeping line breaks (for comments and notes).
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// The search key of a text: lowercase, tones and marks stripped, `đ`→`d`,
/// apostrophe variants unified, whitespace collapsed. "ĐIỆN BIÊN",
/// "Điện Biên" (NFC or NFD) and "dien bien" all give "dien bien".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            // Đ/đ have no decomposition; U+00D0 (eth) masquerades as Đ in converted data.
            'Đ' | 'đ' | 'Ð' => out.push('d'),
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' | '\u{00B4}' => out.push('\''),
            c if c.is_whitespace() => out.push(' '),
            c => out.extend(c.to_lowercase()),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn collator() -> &'static CollatorBorrowed<'static> {
    static COLLATOR: OnceLock<CollatorBorrowed<'static>> = OnceLock::new();
    COLLATOR.get_or_init(|| {
        let locale = icu_locale_core::locale!("vi");
        CollatorBorrowed::try_new(locale.into(), CollatorOptions::default())
            .expect("the compiled ICU data has a Vietnamese collation")
    })
}

/// A byte key whose byte order is the CLDR Vietnamese collation order
/// ("Dương" < "Đà Nẵng" < "Gia Lai"; tones ngang < huyền < hỏi < ngã < sắc < nặng).
/// Stored beside names so both databases sort alike with a plain `ORDER BY`.
pub fn sort_key(s: &str) -> Vec<u8> {
    let mut key = Vec::new();
    collator()
        .write_sort_key_to(s, &mut key)
        .expect("writing to a Vec cannot fail");
    key
}

/// Compare two texts in Vietnamese collation order.
pub fn compare(a: &str, b: &str) -> std::cmp::Ordering {
    collator().compare(a, b)
}

/// An integer in the Vietnamese format: 4.378; 3.000.000; -12.
pub fn format_int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// A decimal in the Vietnamese format with at most `decimals` places,
/// trailing zeros dropped: 64,5; 1.234.567,89.
pub fn format_decimal(x: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, x.abs());
    let (int_part, frac_part) = s.split_once('.').unwrap_or((&s, ""));
    let int: i64 = int_part.parse().unwrap_or(0);
    let mut out = format_int(int);
    let frac = frac_part.trim_end_matches('0');
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    if x < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '-');
    }
    out
}

/// A share in the Vietnamese percent format: 64,5%.
pub fn format_percent(ratio: f64, decimals: usize) -> String {
    format!("{}%", format_decimal(ratio * 100.0, decimals))
}

/// The longest text of each kind, in characters (Unicode scalar values,
/// after NFC). Enforced by [`check_len`] where the text enters storage.
pub mod limits {
    /// A comment on one value ("ước tính", why a figure moved).
    pub const VALUE_COMMENT: usize = 1_000;
    /// A remark left on a report by the police or the Front.
    pub const REPORT_COMMENT: usize = 4_000;
    /// The reason a report is returned to its unit.
    pub const RETURN_REASON: usize = 2_000;
    /// One group's narrative in a review (a few pages of prose).
    pub const NARRATIVE: usize = 20_000;
    /// A person's, unit's, organisation's or area's name.
    pub const NAME: usize = 200;
    /// The name an owner gives an API token.
    pub const TOKEN_NAME: usize = 100;
    /// An indicator's or form's name, a unit of measure, a rule's message.
    pub const CATALOGUE_NAME: usize = 300;
    /// A short free note (on a lineage link, an import).
    pub const NOTE: usize = 1_000;
}

/// Refuse a text longer than `max` characters, naming the field, the length
/// and the limit the Vietnamese way: "Ghi chú dài 15.728.640 ký tự, vượt giới
/// hạn 1.000 ký tự". `label` starts the sentence ("Ghi chú", "Tên").
pub fn check_len(label: &str, text: &str, max: usize) -> Result<(), crate::DomainError> {
    // A text of at most `max` bytes has at most `max` characters: no count.
    if text.len() <= max {
        return Ok(());
    }
    let n = text.chars().count();
    if n <= max {
        return Ok(());
    }
    Err(crate::DomainError::invalid(format!(
        "{label} dài {} ký tự, vượt giới hạn {} ký tự",
        format_int(n as i64),
        format_int(max as i64)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_counted_in_characters_and_refused_with_the_limit() {
        // 1.000 Vietnamese characters are 3.000 bytes in UTF-8: allowed.
        let full = "ế".repeat(limits::VALUE_COMMENT);
        assert!(full.len() > limits::VALUE_COMMENT);
        assert!(check_len("Ghi chú", &full, limits::VALUE_COMMENT).is_ok());
        assert!(check_len("Ghi chú", "", limits::VALUE_COMMENT).is_ok());
        let over = format!("{full}a");
        assert_eq!(
            check_len("Ghi chú", &over, limits::VALUE_COMMENT)
                .unwrap_err()
                .to_string(),
            "Ghi chú dài 1.001 ký tự, vượt giới hạn 1.000 ký tự"
        );
        // A 15 MB comment is refused, and counting it stays linear.
        let huge = "x".repeat(15 * 1024 * 1024);
        let started = std::time::Instant::now();
        assert_eq!(
            check_len("Ghi chú", &huge, 2_000).unwrap_err().to_string(),
            "Ghi chú dài 15.728.640 ký tự, vượt giới hạn 2.000 ký tự"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn fold_ignores_case_tones_and_normal_form() {
        let nfd: String = "Tỉnh Điện Biên".nfd().collect();
        assert_eq!(fold("Tỉnh Điện Biên"), "tinh dien bien");
        assert_eq!(fold(&nfd), "tinh dien bien");
        assert_eq!(fold("ĐIỆN  BIÊN"), "dien bien");
        assert_eq!(fold("Ðồng Tháp"), "dong thap");
        assert_eq!(fold("Ea H’Leo"), fold("Ea H'Leo"));
        assert_eq!(fold("Thuận Hoà"), fold("Thuận Hòa"));
    }

    #[test]
    fn clean_gives_nfc_and_single_spaces() {
        let nfd: String = "Xã  Mường\u{00a0}Phăng ".nfd().collect();
        let cleaned = clean(&nfd);
        assert_eq!(cleaned, "Xã Mường Phăng");
        assert!(cleaned.chars().eq("Xã Mường Phăng".nfc()));
        // The ASCII fast path gives what the general one would.
        for ascii in [" 12 ", "a  b", "a\tb", "a\u{0b}b", "tt_buoi", ""] {
            let general: String = ascii.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(clean(ascii), general, "{ascii:?}");
        }
    }

    #[test]
    fn vietnamese_collation_order() {
        let mut names = vec![
            "Gia Lai",
            "Đà Nẵng",
            "Dương",
            "Ăn",
            "Âu",
            "An",
            "Ánh",
            "Hạ",
            "Há",
            "Hã",
            "Hả",
            "Hà",
            "Ha",
            "Ơn",
            "Ông",
            "Ô",
            "O",
            "Ưng",
            "Uyên",
        ];
        names.sort_by(|a, b| compare(a, b));
        assert_eq!(
            names,
            vec![
                "An",
                "Ánh",
                "Ăn",
                "Âu",
                "Dương",
                "Đà Nẵng",
                "Gia Lai",
                "Ha",
                "Hà",
                "Hả",
                "Hã",
                "Há",
                "Hạ",
                "O",
                "Ô",
                "Ông",
                "Ơn",
                "Uyên",
                "Ưng"
            ]
        );
    }

    #[test]
    fn sort_keys_order_like_compare() {
        let words = [
            "Đinh", "Dương", "Zô", "Ánh", "An", "Ă", "ơ", "Ơn", "Ưng", "u",
        ];
        for a in words {
            for b in words {
                assert_eq!(sort_key(a).cmp(&sort_key(b)), compare(a, b), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn numbers_in_vietnamese_format() {
        assert_eq!(format_int(4378), "4.378");
        assert_eq!(format_int(3_000_000), "3.000.000");
        assert_eq!(format_int(999), "999");
        assert_eq!(format_int(-1234), "-1.234");
        assert_eq!(format_int(0), "0");
        assert_eq!(format_decimal(64.5, 1), "64,5");
        assert_eq!(format_decimal(1_234_567.891, 2), "1.234.567,89");
        assert_eq!(format_decimal(12.0, 2), "12");
        assert_eq!(format_percent(0.362, 1), "36,2%");
    }
}
