//! Numbers in files and APIs meant for programs: plain numbers ("1328",
//! "2.5"), and Vietnamese ones only where they cannot mean anything else.
//! What people type on pages is read by `indicators::parse_number`.

use crate::indicators::{parse_number, Qualifier, TypedNumber, SCALE};
use crate::DomainError;

/// A number as programs write it: digits, an optional minus, a dot before
/// decimals, no grouping ("1328", "2.5", "1.250" is 1,25; at most three
/// decimals that are not zero). DHIS2 values are read this way.
pub fn parse_plain_number(input: &str) -> Result<TypedNumber, DomainError> {
    let original = input;
    let t = input.trim();
    let (negative, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t),
    };
    let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int_part.is_empty()
        || !all_digits(int_part)
        || !all_digits(frac_part)
        || (digits.contains('.') && frac_part.is_empty())
    {
        return Err(DomainError::invalid(format!(
            "\"{original}\" không phải số viết dạng thuần (chữ số, dấu chấm trước phần thập phân, ví dụ 1328 hoặc 2.5)"
        )));
    }
    if frac_part.len() > 3 && frac_part[3..].bytes().any(|b| b != b'0') {
        return Err(DomainError::invalid(format!(
            "\"{original}\": tối đa 3 chữ số thập phân"
        )));
    }
    let frac3 = format!("{:0<3}", &frac_part[..frac_part.len().min(3)]);
    let milli = int_part
        .parse::<i64>()
        .ok()
        .and_then(|i| i.checked_mul(SCALE))
        .and_then(|v| v.checked_add(frac3.parse::<i64>().unwrap_or(0)))
        .ok_or_else(|| DomainError::invalid(format!("\"{original}\" quá lớn")))?;
    Ok(TypedNumber {
        milli: if negative { -milli } else { milli },
        qualifier: Qualifier::Exact,
    })
}

/// A number in a file meant for programs (the long CSV): a plain number
/// ("1328", "2.5"), or one written the Vietnamese way where it cannot mean
/// anything else ("1.328,5", "12,5", "1.234.567", "hơn 32.000"). A figure
/// that reads two ways is refused, never guessed: "1.328" (1328 the
/// Vietnamese way, 1,328 as programs write it) and "1,328" (1,328 the
/// Vietnamese way, 1328 in English grouping).
pub fn parse_machine_number(input: &str) -> Result<TypedNumber, DomainError> {
    let t = input.trim();
    // The figure itself, past a qualifier word or before a multiplier
    // ("hơn 1.328", "1,328 triệu" read two ways as much as the bare figure).
    let folded = crate::text::fold(&crate::text::clean(t));
    let mut figure = folded.as_str();
    let mut qualifier = Qualifier::Exact;
    for (word, q) in [
        ("hon ", Qualifier::MoreThan),
        ("tren ", Qualifier::MoreThan),
        ("gan ", Qualifier::Nearly),
        ("khoang ", Qualifier::About),
    ] {
        if let Some(rest) = figure.strip_prefix(word) {
            figure = rest;
            qualifier = q;
        }
    }
    let mut multiplied = false;
    for word in [" ty", " trieu", " nghin", " ngan"] {
        if let Some(rest) = figure.strip_suffix(word) {
            figure = rest;
            multiplied = true;
        }
    }
    let figure = figure.trim();
    let unsigned = figure.strip_prefix('-').unwrap_or(figure);
    let two_ways = |sep: char| {
        unsigned.split_once(sep).is_some_and(|(i, f)| {
            (1..=3).contains(&i.len())
                && !i.starts_with('0')
                && f.len() == 3
                && i.bytes().chain(f.bytes()).all(|b| b.is_ascii_digit())
        })
    };
    if two_ways('.') || two_ways(',') {
        let whole = figure.replace(['.', ','], "");
        let decimal = figure.replace('.', ",");
        let dotted = format!("{}0", figure.replace(',', "."));
        return Err(DomainError::invalid(format!(
            "giá trị \"{t}\" không rõ nghĩa: có thể là {whole} hoặc {decimal}. Hãy ghi số không có dấu tách hàng nghìn ({whole}) và dùng dấu chấm cho phần thập phân ({decimal} ghi là {dotted}), hoặc đặt tên cột giá trị là value_vi nếu tệp ghi số theo kiểu Việt Nam"
        )));
    }
    let plain = !unsigned.is_empty()
        && unsigned.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && unsigned.bytes().filter(|b| *b == b'.').count() <= 1;
    if plain && !multiplied {
        // A qualifier word before a plain figure: "hơn 32000", "khoảng 2.5".
        let n = parse_plain_number(figure)?;
        Ok(TypedNumber {
            milli: n.milli,
            qualifier,
        })
    } else {
        parse_number(t)
    }
}

/// A value in thousandths as programs read it: "1328", "2.5", "-0.125"
/// (no grouping, a dot before decimals).
pub fn plain_milli(milli: i64) -> String {
    let sign = if milli < 0 { "-" } else { "" };
    let abs = milli.unsigned_abs();
    let (int, frac) = (abs / SCALE as u64, abs % SCALE as u64);
    if frac == 0 {
        format!("{sign}{int}")
    } else {
        let frac = format!("{frac:03}");
        format!("{sign}{int}.{}", frac.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_written_for_programs() {
        let plain = |s: &str| parse_plain_number(s).map(|n| n.milli);
        assert_eq!(plain("1.250").unwrap(), 1_250);
        assert_eq!(plain("2.5").unwrap(), 2_500);
        assert_eq!(plain("1328").unwrap(), 1_328_000);
        assert_eq!(plain("-0.125").unwrap(), -125);
        assert_eq!(plain("3.10000").unwrap(), 3_100);
        for bad in ["1,5", "1.234.567", "", "1.", ".5", "1.2345", "abc", "1e3"] {
            assert!(plain(bad).is_err(), "{bad}");
        }
        let machine = |s: &str| parse_machine_number(s).map(|n| n.milli);
        assert_eq!(machine("1328").unwrap(), 1_328_000);
        assert_eq!(machine("2.5").unwrap(), 2_500);
        assert_eq!(machine("0.125").unwrap(), 125);
        assert_eq!(machine("1328.5").unwrap(), 1_328_500);
        assert_eq!(machine("1.3280").unwrap(), 1_328);
        // Vietnamese where it cannot mean anything else.
        assert_eq!(machine("1.328,5").unwrap(), 1_328_500);
        assert_eq!(machine("12,5").unwrap(), 12_500);
        assert_eq!(machine("1.234.567").unwrap(), 1_234_567_000);
        let more = parse_machine_number("hơn 32000").unwrap();
        assert_eq!(
            (more.milli, more.qualifier),
            (32_000_000, Qualifier::MoreThan)
        );
        let more = parse_machine_number("khoảng 1.234.567").unwrap();
        assert_eq!(
            (more.milli, more.qualifier),
            (1_234_567_000, Qualifier::About)
        );
        // Two readings: refused, never guessed, with a qualifier word too.
        for two in [
            "1.328",
            "1,328",
            "-1.328",
            "999.000",
            "hơn 32.000",
            "khoảng 1,328",
            "gần 1.328 triệu",
        ] {
            let e = parse_machine_number(two).unwrap_err().to_string();
            assert!(e.contains("không rõ nghĩa"), "{two}: {e}");
        }
        let e = parse_machine_number("1.328").unwrap_err().to_string();
        assert!(
            e.starts_with("giá trị \"1.328\" không rõ nghĩa: có thể là 1328 hoặc 1,328"),
            "{e}"
        );
        assert!(e.contains("value_vi"), "{e}");
        assert_eq!(plain_milli(1_328_000), "1328");
        assert_eq!(plain_milli(2_500), "2.5");
        assert_eq!(plain_milli(1_250), "1.25");
        assert_eq!(plain_milli(-125), "-0.125");
        assert_eq!(plain_milli(0), "0");
        assert_eq!(plain_milli(i64::MIN), "-9223372036854775.808");
        for m in [1, 10, 999, 1_000, 123_456_789, -7_010] {
            assert_eq!(plain(&plain_milli(m)).unwrap(), m);
        }
    }
}
