//! Administrative units with history. A unit's identity is a version: a code
//! valid over an interval. Codes are reused (82 was Tiền Giang until
//! 30/06/2025 and is Đồng Tháp from 01/07/2025), so a code alone names nothing
//! without a date.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::text;
use crate::DomainError;

mod official;
pub use official::{official_cmp, official_order, published_name};

/// The last day of the old map (63 provinces, 696 districts, 10.035 communes).
pub fn legacy_end() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 30).expect("valid date")
}

/// The first day of the two-tier map (34 provinces, 3.321 communes).
pub fn current_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).expect("valid date")
}

/// The code of the national unit, the root of every tree.
pub const NATION_CODE: &str = "VN";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Nation,
    Province,
    District,
    Commune,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Nation => "nation",
            Level::Province => "province",
            Level::District => "district",
            Level::Commune => "commune",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Level::Nation => "Trung ương",
            Level::Province => "Cấp tỉnh",
            Level::District => "Cấp huyện",
            Level::Commune => "Cấp xã",
        }
    }

    /// The number of digits of a code at this level.
    pub fn code_len(self) -> Option<usize> {
        match self {
            Level::Nation => None,
            Level::Province => Some(2),
            Level::District => Some(3),
            Level::Commune => Some(5),
        }
    }
}

impl FromStr for Level {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match text::fold(s).as_str() {
            "nation" | "trung uong" | "quoc gia" => Ok(Level::Nation),
            "province" | "tinh" | "cap tinh" => Ok(Level::Province),
            "district" | "huyen" | "cap huyen" => Ok(Level::District),
            "commune" | "xa" | "cap xa" => Ok(Level::Commune),
            _ => Err(DomainError::invalid(format!(
                "\"{s}\" không phải cấp hành chính (province, district, commune)"
            ))),
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of a unit as published ("Tỉnh", "Phường", "Đặc khu", ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitKind {
    QuocGia,
    Tinh,
    ThanhPho,
    Quan,
    Huyen,
    ThiXa,
    Xa,
    Phuong,
    ThiTran,
    DacKhu,
}

impl UnitKind {
    pub const ALL: [UnitKind; 10] = [
        UnitKind::QuocGia,
        UnitKind::Tinh,
        UnitKind::ThanhPho,
        UnitKind::Quan,
        UnitKind::Huyen,
        UnitKind::ThiXa,
        UnitKind::Xa,
        UnitKind::Phuong,
        UnitKind::ThiTran,
        UnitKind::DacKhu,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::QuocGia => "Quốc gia",
            UnitKind::Tinh => "Tỉnh",
            UnitKind::ThanhPho => "Thành phố",
            UnitKind::Quan => "Quận",
            UnitKind::Huyen => "Huyện",
            UnitKind::ThiXa => "Thị xã",
            UnitKind::Xa => "Xã",
            UnitKind::Phuong => "Phường",
            UnitKind::ThiTran => "Thị trấn",
            UnitKind::DacKhu => "Đặc khu",
        }
    }

    /// Whether a unit of this kind may stand at `level`.
    pub fn fits(self, level: Level) -> bool {
        use UnitKind::*;
        match level {
            Level::Nation => self == QuocGia,
            Level::Province => matches!(self, Tinh | ThanhPho),
            Level::District => matches!(self, Quan | Huyen | ThiXa | ThanhPho | DacKhu),
            Level::Commune => matches!(self, Xa | Phuong | ThiTran | DacKhu),
        }
    }
}

impl FromStr for UnitKind {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = text::fold(s);
        UnitKind::ALL
            .into_iter()
            .find(|k| text::fold(k.as_str()) == key)
            .ok_or_else(|| {
                DomainError::invalid(format!("\"{s}\" không phải loại đơn vị hành chính"))
            })
    }
}

impl fmt::Display for UnitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A unit code as published by the statistics office: 2 digits for a
/// province, 3 for a district, 5 for a commune; "VN" for the nation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UnitCode(String);

impl UnitCode {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        if s.eq_ignore_ascii_case(NATION_CODE) {
            return Ok(UnitCode(NATION_CODE.to_string()));
        }
        if matches!(s.len(), 2 | 3 | 5) && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(UnitCode(s.to_string()))
        } else {
            Err(DomainError::invalid(format!(
                "\"{s}\" không phải mã đơn vị hành chính (2 chữ số cho tỉnh, 3 cho huyện, 5 cho xã)"
            )))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The level a code of this shape names.
    pub fn level(&self) -> Level {
        match self.0.len() {
            2 if self.0 == NATION_CODE => Level::Nation,
            2 => Level::Province,
            3 => Level::District,
            _ => Level::Commune,
        }
    }
}

impl TryFrom<String> for UnitCode {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        UnitCode::parse(&s)
    }
}

impl From<UnitCode> for String {
    fn from(c: UnitCode) -> Self {
        c.0
    }
}

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How much of a predecessor went into a successor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Share {
    /// The predecessor went wholly into the successor.
    Whole,
    /// The predecessor was split; this successor took a part of it.
    Part,
    /// The predecessor was split; this successor took its main part, and its
    /// history is mapped here.
    PartPrimary,
}

impl Share {
    pub fn as_str(self) -> &'static str {
        match self {
            Share::Whole => "whole",
            Share::Part => "part",
            Share::PartPrimary => "part_primary",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Share::Whole => "toàn bộ",
            Share::Part => "một phần",
            Share::PartPrimary => "phần chính",
        }
    }
}

impl FromStr for Share {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "whole" => Ok(Share::Whole),
            "part" => Ok(Share::Part),
            "part_primary" => Ok(Share::PartPrimary),
            _ => Err(DomainError::invalid(format!(
                "\"{s}\" không phải tỷ lệ kế thừa (whole, part, part_primary)"
            ))),
        }
    }
}

/// A validity interval, both ends inclusive. `from == None`: valid since
/// before antq's records begin (an import of older versions may set it);
/// `to == None`: still valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validity {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Validity {
    pub fn new(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<Self, DomainError> {
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                return Err(DomainError::invalid(format!(
                    "ngày hết hiệu lực {} trước ngày bắt đầu {}",
                    crate::dates::format_vi(to),
                    crate::dates::format_vi(from)
                )));
            }
        }
        Ok(Validity { from, to })
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= d) && self.to.is_none_or(|to| d <= to)
    }

    pub fn overlaps(&self, other: &Validity) -> bool {
        let ends_before = |a: &Validity, b: &Validity| match (a.to, b.from) {
            (Some(to), Some(from)) => to < from,
            _ => false,
        };
        !ends_before(self, other) && !ends_before(other, self)
    }
}

/// A residential area registered by a commune (thôn, tổ dân phố, khu dân cư...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AreaKind {
    Thon,
    ToDanPho,
    KhuDanCu,
    Ban,
    Ap,
    Khom,
    Buon,
    Lang,
    Xom,
    KhuPho,
    Khu,
    Plei,
}

impl AreaKind {
    pub const ALL: [AreaKind; 12] = [
        AreaKind::Thon,
        AreaKind::ToDanPho,
        AreaKind::KhuDanCu,
        AreaKind::Ban,
        AreaKind::Ap,
        AreaKind::Khom,
        AreaKind::Buon,
        AreaKind::Lang,
        AreaKind::Xom,
        AreaKind::KhuPho,
        AreaKind::Khu,
        AreaKind::Plei,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AreaKind::Thon => "Thôn",
            AreaKind::ToDanPho => "Tổ dân phố",
            AreaKind::KhuDanCu => "Khu dân cư",
            AreaKind::Ban => "Bản",
            AreaKind::Ap => "Ấp",
            AreaKind::Khom => "Khóm",
            AreaKind::Buon => "Buôn",
            AreaKind::Lang => "Làng",
            AreaKind::Xom => "Xóm",
            AreaKind::KhuPho => "Khu phố",
            AreaKind::Khu => "Khu",
            AreaKind::Plei => "Plei",
        }
    }
}

impl FromStr for AreaKind {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = text::fold(s).replace(['_', '-'], " ");
        AreaKind::ALL
            .into_iter()
            .find(|k| text::fold(k.as_str()) == key)
            .ok_or_else(|| {
                DomainError::invalid(format!(
                    "\"{s}\" không phải loại khu dân cư (thôn, tổ dân phố, khu dân cư, bản, ấp, khóm, ...)"
                ))
            })
    }
}

/// A name typed by a person: NFC, trimmed, not empty, at most 200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let cleaned = text::clean(s);
        if cleaned.is_empty() {
            return Err(DomainError::invalid("tên không được để trống"));
        }
        text::check_len("Tên", &cleaned, text::limits::NAME)?;
        if cleaned.chars().any(|c| c.is_control()) {
            return Err(DomainError::invalid("tên chứa ký tự điều khiển"));
        }
        Ok(Name(cleaned))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An organisation attached to a unit: the police and the Front committee of a
/// commune or province, and agencies, enterprises and schools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrgKind {
    Police,
    FrontCommittee,
    Agency,
    Enterprise,
    School,
}

impl OrgKind {
    pub const ALL: [OrgKind; 5] = [
        OrgKind::Police,
        OrgKind::FrontCommittee,
        OrgKind::Agency,
        OrgKind::Enterprise,
        OrgKind::School,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Police => "police",
            OrgKind::FrontCommittee => "front_committee",
            OrgKind::Agency => "agency",
            OrgKind::Enterprise => "enterprise",
            OrgKind::School => "school",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            OrgKind::Police => "Công an",
            OrgKind::FrontCommittee => "Ủy ban MTTQ",
            OrgKind::Agency => "Cơ quan",
            OrgKind::Enterprise => "Doanh nghiệp",
            OrgKind::School => "Cơ sở giáo dục",
        }
    }

    /// The name of the unit's own police or Front committee, e.g.
    /// "Công an Tỉnh Điện Biên", "Ủy ban MTTQ Việt Nam Xã Mường Phăng".
    pub fn standing_name(self, unit_name: &str) -> Option<String> {
        match self {
            OrgKind::Police => Some(format!("Công an {unit_name}")),
            OrgKind::FrontCommittee => Some(format!("Ủy ban MTTQ Việt Nam {unit_name}")),
            _ => None,
        }
    }
}

impl FromStr for OrgKind {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = text::fold(s);
        OrgKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim() || text::fold(k.label_vi()) == key)
            .ok_or_else(|| DomainError::invalid(format!("\"{s}\" không phải loại tổ chức")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn codes_have_the_published_shapes() {
        assert_eq!(UnitCode::parse("82").unwrap().level(), Level::Province);
        assert_eq!(UnitCode::parse("001").unwrap().level(), Level::District);
        assert_eq!(UnitCode::parse("00004").unwrap().level(), Level::Commune);
        assert_eq!(UnitCode::parse("vn").unwrap().level(), Level::Nation);
        assert!(UnitCode::parse("8").is_err());
        assert!(UnitCode::parse("8a").is_err());
        assert!(UnitCode::parse("1234").is_err());
        assert!(UnitCode::parse("82; drop table").is_err());
    }

    #[test]
    fn kinds_parse_from_published_text() {
        assert_eq!("Tỉnh".parse::<UnitKind>().unwrap(), UnitKind::Tinh);
        assert_eq!("đặc khu".parse::<UnitKind>().unwrap(), UnitKind::DacKhu);
        assert_eq!("THỊ TRẤN".parse::<UnitKind>().unwrap(), UnitKind::ThiTran);
        assert!("Bang".parse::<UnitKind>().is_err());
        assert!(UnitKind::DacKhu.fits(Level::Commune));
        assert!(!UnitKind::Xa.fits(Level::Province));
    }

    #[test]
    fn validity_is_inclusive() {
        let legacy = Validity::new(None, Some(legacy_end())).unwrap();
        let current = Validity::new(Some(current_start()), None).unwrap();
        assert!(legacy.contains(d(2025, 6, 30)));
        assert!(!legacy.contains(d(2025, 7, 1)));
        assert!(current.contains(d(2025, 7, 1)));
        assert!(current.contains(d(2999, 1, 1)));
        assert!(!legacy.overlaps(&current));
        assert!(legacy.contains(d(1990, 1, 1)));
        let older = Validity::new(Some(d(2010, 1, 1)), Some(d(2019, 12, 31))).unwrap();
        assert!(older.overlaps(&legacy));
        assert!(!older.overlaps(&current));
        assert!(Validity::new(Some(d(2020, 1, 1)), Some(d(2019, 1, 1))).is_err());
    }

    #[test]
    fn area_kinds_and_names() {
        assert_eq!(
            "to_dan_pho".parse::<AreaKind>().unwrap(),
            AreaKind::ToDanPho
        );
        assert_eq!(
            "Tổ dân phố".parse::<AreaKind>().unwrap(),
            AreaKind::ToDanPho
        );
        assert_eq!("thon".parse::<AreaKind>().unwrap(), AreaKind::Thon);
        assert!("quận".parse::<AreaKind>().is_err());
        assert_eq!(Name::parse("  Bản  Phăng ").unwrap().as_str(), "Bản Phăng");
        assert!(Name::parse("   ").is_err());
        assert!(Name::parse(&"a".repeat(201)).is_err());
    }

    #[test]
    fn shares_round_trip() {
        for s in [Share::Whole, Share::Part, Share::PartPrimary] {
            assert_eq!(s.as_str().parse::<Share>().unwrap(), s);
        }
        assert!("most".parse::<Share>().is_err());
    }
}
