//! Indicators of the movement: value types, aggregation kinds, qualifiers,
//! Vietnamese number input, and the seeded catalogue (`shared/domain.md` §2).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::DomainError;

pub use crate::machine_numbers::{parse_machine_number, parse_plain_number, plain_milli};

/// How a value is typed in and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueType {
    /// A count: whole, not negative.
    Integer,
    /// A measure with decimals, not negative.
    Decimal,
    /// Money in đồng: whole, not negative.
    Money,
}

impl ValueType {
    pub fn as_str(self) -> &'static str {
        match self {
            ValueType::Integer => "integer",
            ValueType::Decimal => "decimal",
            ValueType::Money => "money",
        }
    }
}

impl FromStr for ValueType {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "integer" => Ok(ValueType::Integer),
            "decimal" => Ok(ValueType::Decimal),
            "money" => Ok(ValueType::Money),
            _ => Err(DomainError::invalid(format!(
                "\"{s}\" không phải kiểu giá trị"
            ))),
        }
    }
}

/// How values of an indicator combine over units and periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Aggregation {
    /// A flow: summed over units and periods.
    Sum,
    /// A stock: each unit's value at the end of the range, summed across units.
    Latest,
    /// Derived from two other indicators (numerator / denominator); never stored.
    Ratio,
    /// A distinct count over a shared taxonomy (from the registries; not stored as values).
    Distinct,
}

impl Aggregation {
    pub fn as_str(self) -> &'static str {
        match self {
            Aggregation::Sum => "sum",
            Aggregation::Latest => "latest",
            Aggregation::Ratio => "ratio",
            Aggregation::Distinct => "distinct",
        }
    }
}

impl FromStr for Aggregation {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "sum" => Ok(Aggregation::Sum),
            "latest" => Ok(Aggregation::Latest),
            "ratio" => Ok(Aggregation::Ratio),
            "distinct" => Ok(Aggregation::Distinct),
            _ => Err(DomainError::invalid(format!(
                "\"{s}\" không phải cách tổng hợp"
            ))),
        }
    }
}

/// How exact a reported figure is ("hơn 32.000", "gần 7.000").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    Exact,
    MoreThan,
    Nearly,
    About,
}

impl Qualifier {
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::MoreThan => "more_than",
            Qualifier::Nearly => "nearly",
            Qualifier::About => "about",
        }
    }

    /// The word before a figure: "hơn", "gần", "khoảng" (none when exact).
    pub fn word_vi(self) -> &'static str {
        match self {
            Qualifier::Exact => "",
            Qualifier::MoreThan => "hơn",
            Qualifier::Nearly => "gần",
            Qualifier::About => "khoảng",
        }
    }

    /// The qualifier of a sum of qualified parts: exact parts keep the
    /// others' qualifier; "more than" parts stay "more than"; any mix with
    /// "nearly" or "about" is "about".
    pub fn combine(self, other: Qualifier) -> Qualifier {
        use Qualifier::*;
        match (self, other) {
            (Exact, q) | (q, Exact) => q,
            (a, b) if a == b => a,
            _ => About,
        }
    }

    /// `None` for exact (as the API reports it).
    pub fn non_exact(self) -> Option<Qualifier> {
        (self != Qualifier::Exact).then_some(self)
    }
}

impl FromStr for Qualifier {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // The stored codes first: this runs for every value of an import.
        match s {
            "exact" | "" => return Ok(Qualifier::Exact),
            "more_than" => return Ok(Qualifier::MoreThan),
            "nearly" => return Ok(Qualifier::Nearly),
            "about" => return Ok(Qualifier::About),
            _ => {}
        }
        match crate::text::fold(s).as_str() {
            "" | "exact" | "chinh xac" => Ok(Qualifier::Exact),
            "more_than" | "hon" | "tren" => Ok(Qualifier::MoreThan),
            "nearly" | "gan" => Ok(Qualifier::Nearly),
            "about" | "khoang" | "xap xi" => Ok(Qualifier::About),
            _ => Err(DomainError::invalid(format!(
                "\"{s}\" không phải mức chính xác (exact, more_than/hơn, nearly/gần, about/khoảng)"
            ))),
        }
    }
}

/// Values are kept in thousandths, so sums of decimals are exact on every database.
pub const SCALE: i64 = 1000;

/// A number typed the Vietnamese way, with an optional qualifier word:
/// "4.378", "64,5", "3.000.000", "hơn 32.000", "3 triệu", "27 nghìn".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypedNumber {
    pub milli: i64,
    pub qualifier: Qualifier,
}

fn not_a_number(s: &str) -> DomainError {
    DomainError::invalid(format!("\"{s}\" không phải số"))
}

/// Parse a number typed the Vietnamese way. The dot groups thousands (in
/// groups of three), the comma separates decimals.
pub fn parse_number(input: &str) -> Result<TypedNumber, DomainError> {
    // Plain digits, as most cells of an import are.
    let t = input.trim();
    if !t.is_empty() && t.len() <= 15 && t.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = t.parse::<i64>() {
            return Ok(TypedNumber {
                milli: n * SCALE,
                qualifier: Qualifier::Exact,
            });
        }
    }
    let original = input;
    let text = crate::text::clean(input);
    let folded = crate::text::fold(&text);
    let mut rest = folded.as_str();
    let mut qualifier = Qualifier::Exact;
    for (word, q) in [
        ("hon ", Qualifier::MoreThan),
        ("tren ", Qualifier::MoreThan),
        ("gan ", Qualifier::Nearly),
        ("khoang ", Qualifier::About),
    ] {
        if let Some(r) = rest.strip_prefix(word) {
            qualifier = q;
            rest = r;
        }
    }
    let mut multiplier = 1i64;
    for (word, m) in [
        (" ty", 1_000_000_000),
        (" trieu", 1_000_000),
        (" nghin", 1_000),
        (" ngan", 1_000),
    ] {
        if let Some(r) = rest.strip_suffix(word) {
            multiplier = m;
            rest = r;
        }
    }
    let rest = rest.trim();
    let (negative, digits) = match rest.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, rest),
    };
    let (int_part, frac_part) = match digits.split_once(',') {
        Some((i, f)) => (i, f),
        None => (digits, ""),
    };
    if int_part.is_empty() || !frac_part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_a_number(original));
    }
    let groups: Vec<&str> = int_part.split('.').collect();
    let grouped_ok = groups.len() == 1
        || (!groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3));
    if !grouped_ok || !groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit())) {
        if groups.len() == 2
            && groups
                .iter()
                .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(DomainError::invalid(format!(
                "\"{original}\" không rõ: dấu chấm dùng để tách hàng nghìn, phần thập phân viết sau dấu phẩy (ví dụ 64,5)"
            )));
        }
        return Err(not_a_number(original));
    }
    let int_digits: String = groups.concat();
    let int: i64 = int_digits.parse().map_err(|_| not_a_number(original))?;
    let frac3: String = format!("{frac_part:0<3}");
    if frac3.len() > 3 && frac3[3..].bytes().any(|b| b != b'0') {
        return Err(DomainError::invalid(format!(
            "\"{original}\": tối đa 3 chữ số thập phân"
        )));
    }
    let frac: i64 = frac3[..3].parse().map_err(|_| not_a_number(original))?;
    let milli = int
        .checked_mul(SCALE)
        .and_then(|v| v.checked_add(frac))
        .and_then(|v| v.checked_mul(multiplier))
        .ok_or_else(|| DomainError::invalid(format!("\"{original}\" quá lớn")))?;
    Ok(TypedNumber {
        milli: if negative { -milli } else { milli },
        qualifier,
    })
}

/// Check a value against its type: counts and money are whole, nothing is negative.
pub fn check_value(milli: i64, vt: ValueType) -> Result<(), DomainError> {
    if milli < 0 {
        return Err(DomainError::invalid("giá trị không được âm"));
    }
    if vt != ValueType::Decimal && milli % SCALE != 0 {
        return Err(DomainError::invalid("giá trị phải là số nguyên"));
    }
    Ok(())
}

/// A value in thousandths, shown the Vietnamese way: 4.378; 64,5.
pub fn format_milli(milli: i64) -> String {
    if milli % SCALE == 0 {
        crate::text::format_int(milli / SCALE)
    } else {
        crate::text::format_decimal(milli as f64 / SCALE as f64, 3)
    }
}

/// A figure with its qualifier in prose: "hơn 32.000".
pub fn format_qualified(milli: i64, q: Qualifier) -> String {
    match q {
        Qualifier::Exact => format_milli(milli),
        q => format!("{} {}", q.word_vi(), format_milli(milli)),
    }
}

/// An indicator code: lowercase ASCII letters, digits and `_`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct IndicatorCode(String);

impl IndicatorCode {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        if (2..=40).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            && s.as_bytes()[0].is_ascii_lowercase()
        {
            Ok(IndicatorCode(s.to_string()))
        } else {
            Err(DomainError::invalid(format!(
                "\"{s}\" không phải mã chỉ tiêu"
            )))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IndicatorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

mod catalogue;
pub use catalogue::*;

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> i64 {
        parse_number(s).unwrap().milli
    }

    #[test]
    fn numbers_typed_the_vietnamese_way() {
        assert_eq!(n("4.378"), 4_378_000);
        assert_eq!(n("4378"), 4_378_000);
        assert_eq!(n("3.000.000"), 3_000_000_000);
        assert_eq!(n("64,5"), 64_500);
        assert_eq!(n("1.234,25"), 1_234_250);
        assert_eq!(n(" 12 "), 12_000);
        assert_eq!(n("3 triệu"), 3_000_000_000);
        assert_eq!(n("27 nghìn"), 27_000_000);
        let q = parse_number("hơn 32.000").unwrap();
        assert_eq!((q.milli, q.qualifier), (32_000_000, Qualifier::MoreThan));
        assert_eq!(
            parse_number("gần 7.000").unwrap().qualifier,
            Qualifier::Nearly
        );
        assert_eq!(
            parse_number("khoảng 4.500").unwrap().qualifier,
            Qualifier::About
        );
        for bad in ["12,5a", "abc", "", "1..2", "1.23", "12.3456", ",5", "1,2,3"] {
            assert!(parse_number(bad).is_err(), "{bad}");
        }
        let e = parse_number("12,5a").unwrap_err().to_string();
        assert_eq!(e, "\"12,5a\" không phải số");
        assert!(parse_number("4.5")
            .unwrap_err()
            .to_string()
            .contains("dấu phẩy"));
    }

    #[test]
    fn values_are_checked_and_shown() {
        assert!(check_value(-1000, ValueType::Integer).is_err());
        assert!(check_value(12_500, ValueType::Integer).is_err());
        assert!(check_value(12_500, ValueType::Decimal).is_ok());
        assert_eq!(format_milli(4_378_000), "4.378");
        assert_eq!(format_milli(64_500), "64,5");
        assert_eq!(
            format_qualified(32_000_000, Qualifier::MoreThan),
            "hơn 32.000"
        );
    }

    #[test]
    fn qualifiers_combine() {
        use Qualifier::*;
        assert_eq!(Exact.combine(Exact), Exact);
        assert_eq!(Exact.combine(MoreThan), MoreThan);
        assert_eq!(MoreThan.combine(MoreThan), MoreThan);
        assert_eq!(MoreThan.combine(Nearly), About);
        assert_eq!("hơn".parse::<Qualifier>().unwrap(), MoreThan);
    }

    #[test]
    fn the_catalogue_is_consistent() {
        let mut codes: Vec<&str> = INDICATORS.iter().map(|i| i.code).collect();
        codes.sort_unstable();
        let n = codes.len();
        codes.dedup();
        assert_eq!(n, codes.len());
        for i in INDICATORS {
            assert!(IndicatorCode::parse(i.code).is_ok());
            assert!(GROUPS.iter().any(|g| g.0 == i.group), "{}", i.code);
            assert_eq!(
                i.ratio.is_some(),
                i.aggregation == Aggregation::Ratio,
                "{}",
                i.code
            );
            if let Some((a, b)) = i.ratio {
                assert!(seed(a).is_some() && seed(b).is_some());
            }
            if let Some(c) = i.category {
                let cat = CATEGORIES.iter().find(|x| x.code == c).unwrap();
                assert!(cat.options.len() <= MAX_COMBINATIONS);
            }
        }
        for required in [
            "tt_buoi",
            "tt_luot",
            "dd_so",
            "dd_luot",
            "mh_moi",
            "mh_nhan_rong",
            "mh_hien_co",
            "tcqc_so",
            "yk_dong_gop",
            "nguon_tin",
            "nguon_tin_gia_tri",
            "gd_doi_tuong",
            "gd_tien_bo",
            "gd_ty_le",
            "vk_giao_nop",
            "ngay_hoi",
            "kt_bang_khen",
            "kt_giay_khen",
        ] {
            assert!(seed(required).is_some(), "{required}");
        }
    }
}
