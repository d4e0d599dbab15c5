//! Reporting periods. A code (`2020`, `2020S1`, `2020Q3`, `202003`) names a
//! period; the form's calendar says which dates it covers: calendar periods,
//! the reporting year 15/12 → 14/12 (Nghị định 09/2019), or the assessment
//! year 15/11 → 14/11. Ranges `2013..2023` are used in queries.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PeriodType {
    Year,
    Half,
    Quarter,
    Month,
}

impl PeriodType {
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodType::Year => "year",
            PeriodType::Half => "half",
            PeriodType::Quarter => "quarter",
            PeriodType::Month => "month",
        }
    }

    /// Periods of this type in a year.
    pub fn per_year(self) -> u8 {
        match self {
            PeriodType::Year => 1,
            PeriodType::Half => 2,
            PeriodType::Quarter => 4,
            PeriodType::Month => 12,
        }
    }

    /// Months in one period.
    fn months(self) -> u32 {
        12 / self.per_year() as u32
    }
}

impl FromStr for PeriodType {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "year" | "yearly" => Ok(PeriodType::Year),
            "half" | "six_monthly" => Ok(PeriodType::Half),
            "quarter" | "quarterly" => Ok(PeriodType::Quarter),
            "month" | "monthly" => Ok(PeriodType::Month),
            _ => Err(DomainError::invalid(format!(
                "\"{s}\" không phải loại kỳ; chọn {}",
                crate::words::choices_vi(&[
                    ("year", "năm"),
                    ("half", "6 tháng"),
                    ("quarter", "quý"),
                    ("month", "tháng")
                ])
            ))),
        }
    }
}

/// Which dates a period code covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Calendar {
    /// 1/1 → 31/12, quarters and months as on the calendar.
    Calendar,
    /// The State reporting regime: a year runs 15/12 → 14/12, a half-year
    /// 15/12 → 14/06, a quarter from the 15th of the month before it, a
    /// month from the 15th of the month before.
    Reporting,
    /// The movement's assessment year 15/11 → 14/11 (yearly periods only).
    Assessment,
}

impl Calendar {
    pub fn as_str(self) -> &'static str {
        match self {
            Calendar::Calendar => "calendar",
            Calendar::Reporting => "reporting",
            Calendar::Assessment => "assessment",
        }
    }
}

impl FromStr for Calendar {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "calendar" => Ok(Calendar::Calendar),
            "reporting" => Ok(Calendar::Reporting),
            "assessment" => Ok(Calendar::Assessment),
            _ => Err(DomainError::invalid(format!(
                "\"{s}\" không phải lịch kỳ báo cáo; chọn {}",
                crate::words::choices_vi(&[
                    ("calendar", "năm dương lịch"),
                    ("reporting", "năm báo cáo thống kê"),
                    ("assessment", "năm đánh giá phong trào")
                ])
            ))),
        }
    }
}

/// One period: its type, year and index within the year (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub year: i32,
    pub kind: PeriodType,
    pub index: u8,
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The first day of month `m` (1-based, may be ≤ 0 or > 12) of year `y`.
fn month_start(y: i32, m: i32) -> (i32, u32) {
    let zero_based = y * 12 + (m - 1);
    (
        zero_based.div_euclid(12),
        (zero_based.rem_euclid(12) + 1) as u32,
    )
}

/// The first and last year antq accepts in a period, a range or a review
/// stage. The movement's data starts in the 2000s; a year outside is a typo
/// (or an attack on the queries) and is refused with this range named. To
/// change it, change these two constants: every parser in `core` reads them.
pub const MIN_YEAR: i32 = 2000;
pub const MAX_YEAR: i32 = 2100;

/// Refuse a year outside [`MIN_YEAR`]..=[`MAX_YEAR`].
pub fn check_year(year: i32) -> Result<i32, DomainError> {
    if (MIN_YEAR..=MAX_YEAR).contains(&year) {
        Ok(year)
    } else {
        Err(DomainError::invalid(format!(
            "Năm {year} nằm ngoài khoảng cho phép {MIN_YEAR}–{MAX_YEAR}"
        )))
    }
}

impl Period {
    pub fn new(year: i32, kind: PeriodType, index: u8) -> Result<Period, DomainError> {
        check_year(year)?;
        if index == 0 || index > kind.per_year() {
            return Err(DomainError::invalid(format!(
                "Kỳ thứ {index} không có trong năm chia theo {}",
                crate::words::period_type_vi(kind)
            )));
        }
        Ok(Period { year, kind, index })
    }

    pub fn year(year: i32) -> Period {
        Period {
            year,
            kind: PeriodType::Year,
            index: 1,
        }
    }

    /// Parse `YYYY`, `YYYYS1`/`YYYYS2`, `YYYYQ1`…`Q4`, `YYYYMM`.
    pub fn parse(s: &str) -> Result<Period, DomainError> {
        let s = s.trim();
        let bad = || {
            DomainError::invalid(format!(
                "\"{s}\" không phải mã kỳ; dùng năm (2026), 6 tháng (2026S1), quý (2026Q1) hoặc tháng (202603)"
            ))
        };
        if s.len() < 4 || !s.is_char_boundary(4) {
            return Err(bad());
        }
        let year: i32 = s[..4].parse().map_err(|_| bad())?;
        let rest = &s[4..];
        let (kind, index) = match rest.as_bytes() {
            [] => (PeriodType::Year, 1),
            [b'S' | b's', d] if d.is_ascii_digit() => (PeriodType::Half, d - b'0'),
            [b'Q' | b'q', d] if d.is_ascii_digit() => (PeriodType::Quarter, d - b'0'),
            [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
                (PeriodType::Month, (a - b'0') * 10 + (b - b'0'))
            }
            _ => return Err(bad()),
        };
        if index == 0 || index > kind.per_year() {
            return Err(bad());
        }
        // A year out of range says so (the code itself was well formed).
        Period::new(year, kind, index)
    }

    pub fn code(&self) -> String {
        match self.kind {
            PeriodType::Year => format!("{}", self.year),
            PeriodType::Half => format!("{}S{}", self.year, self.index),
            PeriodType::Quarter => format!("{}Q{}", self.year, self.index),
            PeriodType::Month => format!("{}{:02}", self.year, self.index),
        }
    }

    /// The period in words, as a person reads it: "Năm 2026", "6 tháng đầu
    /// năm 2026", "Quý II năm 2026", "Tháng 3 năm 2026". Pages never show
    /// the code (`2026S1`); the API keeps it.
    pub fn words_vi(&self) -> String {
        match (self.kind, self.index) {
            (PeriodType::Year, _) => format!("Năm {}", self.year),
            (PeriodType::Half, 1) => format!("6 tháng đầu năm {}", self.year),
            (PeriodType::Half, _) => format!("6 tháng cuối năm {}", self.year),
            (PeriodType::Quarter, q) => {
                let roman = ["I", "II", "III", "IV"][usize::from(q.clamp(1, 4)) - 1];
                format!("Quý {roman} năm {}", self.year)
            }
            (PeriodType::Month, m) => format!("Tháng {m} năm {}", self.year),
        }
    }

    /// The period in English words: "Year 2026", "First half of 2026".
    pub fn words_en(&self) -> String {
        match (self.kind, self.index) {
            (PeriodType::Year, _) => format!("Year {}", self.year),
            (PeriodType::Half, 1) => format!("First half of {}", self.year),
            (PeriodType::Half, _) => format!("Second half of {}", self.year),
            (PeriodType::Quarter, q) => format!("Q{q} {}", self.year),
            (PeriodType::Month, m) => format!("{:02}/{}", m, self.year),
        }
    }

    /// The period in words with the dates it covers under a calendar:
    /// "Năm 2026 (15/12/2025 – 14/12/2026)".
    pub fn words_with_dates_vi(&self, calendar: Calendar) -> String {
        match self.dates(calendar) {
            Ok((a, b)) => format!(
                "{} ({} – {})",
                self.words_vi(),
                a.format("%d/%m/%Y"),
                b.format("%d/%m/%Y")
            ),
            Err(_) => self.words_vi(),
        }
    }

    /// The first and last day the period covers under a calendar.
    pub fn dates(&self, calendar: Calendar) -> Result<(NaiveDate, NaiveDate), DomainError> {
        let months = self.kind.months() as i32;
        let first_month = (self.index as i32 - 1) * months + 1;
        match calendar {
            Calendar::Calendar => {
                let start = ymd(self.year, first_month as u32, 1);
                let (ny, nm) = month_start(self.year, first_month + months);
                Ok((start, ymd(ny, nm, 1).pred_opt().expect("a previous day")))
            }
            Calendar::Reporting => {
                let (sy, sm) = month_start(self.year, first_month - 1);
                let (ey, em) = month_start(self.year, first_month + months - 1);
                Ok((ymd(sy, sm, 15), ymd(ey, em, 14)))
            }
            Calendar::Assessment => {
                if self.kind != PeriodType::Year {
                    return Err(DomainError::invalid(
                        "lịch đánh giá (15/11 → 14/11) chỉ có kỳ năm",
                    ));
                }
                Ok((ymd(self.year - 1, 11, 15), ymd(self.year, 11, 14)))
            }
        }
    }

    /// The year-level period this one belongs to, and the half and quarter
    /// (for grouping): a month belongs to its quarter and half by code.
    pub fn half(&self) -> Option<u8> {
        match self.kind {
            PeriodType::Year => None,
            PeriodType::Half => Some(self.index),
            PeriodType::Quarter => Some(if self.index <= 2 { 1 } else { 2 }),
            PeriodType::Month => Some(if self.index <= 6 { 1 } else { 2 }),
        }
    }

    pub fn quarter(&self) -> Option<u8> {
        match self.kind {
            PeriodType::Year | PeriodType::Half => None,
            PeriodType::Quarter => Some(self.index),
            PeriodType::Month => Some((self.index - 1) / 3 + 1),
        }
    }

    pub fn month(&self) -> Option<u8> {
        (self.kind == PeriodType::Month).then_some(self.index)
    }

    /// The period right after this one ("2026S2" after "2026S1", "2027" after "2026").
    pub fn next(&self) -> Result<Period, DomainError> {
        if self.index < self.kind.per_year() {
            Period::new(self.year, self.kind, self.index + 1)
        } else {
            Period::new(self.year + 1, self.kind, 1)
        }
    }

    /// The period of `kind` that holds a date under a calendar.
    pub fn containing(
        date: NaiveDate,
        kind: PeriodType,
        calendar: Calendar,
    ) -> Result<Period, DomainError> {
        let shifted = match calendar {
            Calendar::Calendar => date,
            // From the 15th on, a date belongs to the next month's period.
            Calendar::Reporting | Calendar::Assessment => {
                let (y, m) = if date.day() >= 15 {
                    month_start(date.year(), date.month() as i32 + 1)
                } else {
                    (date.year(), date.month())
                };
                let (y, m) = if calendar == Calendar::Assessment && kind == PeriodType::Year {
                    // 15/11 onwards belongs to next year.
                    if date.month() == 11 && date.day() >= 15 || date.month() == 12 {
                        (date.year() + 1, 1)
                    } else {
                        (date.year(), 1)
                    }
                } else {
                    (y, m)
                };
                ymd(y, m, 1)
            }
        };
        let months = kind.months();
        let index = ((shifted.month() - 1) / months + 1) as u8;
        Period::new(shifted.year(), kind, index)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

impl FromStr for Period {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Period::parse(s)
    }
}

/// A range of years for queries (`2013..2023`, or one period code whose
/// year is taken): both ends inclusive, by period code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearRange {
    pub from: i32,
    pub to: i32,
}

impl YearRange {
    /// `from` and `to` are period codes or `YYYY..YYYY`; the range covers
    /// every period whose year lies between their years.
    pub fn parse(from: &str, to: Option<&str>) -> Result<YearRange, DomainError> {
        let (a, b) = match from.split_once("..") {
            Some((a, b)) => (Period::parse(a)?.year, Period::parse(b)?.year),
            None => {
                let a = Period::parse(from)?.year;
                let b = match to {
                    Some(t) if !t.trim().is_empty() => Period::parse(t)?.year,
                    _ => a,
                };
                (a, b)
            }
        };
        YearRange::new(a, b)
    }

    /// A range of years, checked: both years in [`MIN_YEAR`]..=[`MAX_YEAR`],
    /// `from` ≤ `to` (so at most 101 years; what a query costs is bounded by
    /// its cells, in `storage::analytics`).
    pub fn new(from: i32, to: i32) -> Result<YearRange, DomainError> {
        check_year(from)?;
        check_year(to)?;
        if to < from {
            return Err(DomainError::invalid(format!(
                "Khoảng năm {from} – {to} bị ngược: năm đầu phải trước năm cuối"
            )));
        }
        Ok(YearRange { from, to })
    }

    /// The range in words: "Năm 2026", "Giai đoạn 2013 – 2023".
    pub fn words_vi(&self) -> String {
        if self.from == self.to {
            format!("Năm {}", self.from)
        } else {
            format!("Giai đoạn {} – {}", self.from, self.to)
        }
    }

    /// The range in English words: "Year 2026", "2013 – 2023".
    pub fn words_en(&self) -> String {
        if self.from == self.to {
            format!("Year {}", self.from)
        } else {
            format!("{} – {}", self.from, self.to)
        }
    }

    pub fn code(&self) -> String {
        if self.from == self.to {
            self.from.to_string()
        } else {
            format!("{}..{}", self.from, self.to)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_periods() {
        let next = |c: &str| Period::parse(c).unwrap().next().unwrap().code();
        assert_eq!(next("2026S1"), "2026S2");
        assert_eq!(next("2026S2"), "2027S1");
        assert_eq!(next("2026"), "2027");
        assert_eq!(next("202612"), "202701");
        assert!(Period::year(MAX_YEAR).next().is_err());
    }

    #[test]
    fn codes_round_trip() {
        for code in [
            "2020", "2020S1", "2020S2", "2020Q1", "2020Q4", "202001", "202012",
        ] {
            assert_eq!(Period::parse(code).unwrap().code(), code);
        }
        for bad in [
            "20", "2020S3", "2020Q5", "202013", "202000", "abcd", "2020X1", "2020-01", "Năm2020",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn calendars_give_the_dates() {
        let y = Period::parse("2020").unwrap();
        assert_eq!(
            y.dates(Calendar::Calendar).unwrap(),
            (ymd(2020, 1, 1), ymd(2020, 12, 31))
        );
        assert_eq!(
            y.dates(Calendar::Reporting).unwrap(),
            (ymd(2019, 12, 15), ymd(2020, 12, 14))
        );
        assert_eq!(
            y.dates(Calendar::Assessment).unwrap(),
            (ymd(2019, 11, 15), ymd(2020, 11, 14))
        );
        let s1 = Period::parse("2020S1").unwrap();
        assert_eq!(
            s1.dates(Calendar::Reporting).unwrap(),
            (ymd(2019, 12, 15), ymd(2020, 6, 14))
        );
        let s2 = Period::parse("2020S2").unwrap();
        assert_eq!(
            s2.dates(Calendar::Reporting).unwrap(),
            (ymd(2020, 6, 15), ymd(2020, 12, 14))
        );
        let q1 = Period::parse("2020Q1").unwrap();
        assert_eq!(
            q1.dates(Calendar::Calendar).unwrap(),
            (ymd(2020, 1, 1), ymd(2020, 3, 31))
        );
        assert_eq!(
            q1.dates(Calendar::Reporting).unwrap(),
            (ymd(2019, 12, 15), ymd(2020, 3, 14))
        );
        let feb = Period::parse("202002").unwrap();
        assert_eq!(
            feb.dates(Calendar::Calendar).unwrap(),
            (ymd(2020, 2, 1), ymd(2020, 2, 29))
        );
        assert_eq!(
            feb.dates(Calendar::Reporting).unwrap(),
            (ymd(2020, 1, 15), ymd(2020, 2, 14))
        );
        assert!(s1.dates(Calendar::Assessment).is_err());
    }

    #[test]
    fn a_date_falls_in_one_period() {
        let d = ymd(2020, 12, 20);
        assert_eq!(
            Period::containing(d, PeriodType::Year, Calendar::Calendar)
                .unwrap()
                .code(),
            "2020"
        );
        assert_eq!(
            Period::containing(d, PeriodType::Year, Calendar::Reporting)
                .unwrap()
                .code(),
            "2021"
        );
        assert_eq!(
            Period::containing(ymd(2020, 11, 20), PeriodType::Year, Calendar::Assessment)
                .unwrap()
                .code(),
            "2021"
        );
        assert_eq!(
            Period::containing(ymd(2020, 11, 10), PeriodType::Year, Calendar::Assessment)
                .unwrap()
                .code(),
            "2020"
        );
        assert_eq!(
            Period::containing(ymd(2020, 6, 14), PeriodType::Half, Calendar::Reporting)
                .unwrap()
                .code(),
            "2020S1"
        );
        assert_eq!(
            Period::containing(ymd(2020, 6, 15), PeriodType::Half, Calendar::Reporting)
                .unwrap()
                .code(),
            "2020S2"
        );
        // Every day of a period is inside its own dates.
        for cal in [Calendar::Calendar, Calendar::Reporting] {
            for kind in [
                PeriodType::Year,
                PeriodType::Half,
                PeriodType::Quarter,
                PeriodType::Month,
            ] {
                let mut day = ymd(2019, 1, 1);
                while day < ymd(2021, 1, 1) {
                    let p = Period::containing(day, kind, cal).unwrap();
                    let (s, e) = p.dates(cal).unwrap();
                    assert!(s <= day && day <= e, "{day} {p} {cal:?}");
                    day = day.succ_opt().unwrap();
                }
            }
        }
    }

    #[test]
    fn groups_and_ranges() {
        let m = Period::parse("202008").unwrap();
        assert_eq!(
            (m.half(), m.quarter(), m.month()),
            (Some(2), Some(3), Some(8))
        );
        assert_eq!(
            YearRange::parse("2013..2023", None).unwrap(),
            YearRange {
                from: 2013,
                to: 2023
            }
        );
        assert_eq!(
            YearRange::parse("2013", Some("2023")).unwrap().code(),
            "2013..2023"
        );
        assert_eq!(YearRange::parse("2020Q1", None).unwrap().code(), "2020");
        assert!(YearRange::parse("2023..2013", None).is_err());
    }

    #[test]
    fn years_stay_in_range_with_a_message_that_names_it() {
        assert_eq!(
            Period::parse("1999").unwrap_err().to_string(),
            "Năm 1999 nằm ngoài khoảng cho phép 2000–2100"
        );
        assert!(Period::parse("2101Q1").is_err());
        assert!(Period::parse("2000").is_ok() && Period::parse("210012").is_ok());
        for bad in ["-5S1", "-500", "2147483647S1", "99999", "+202"] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
        assert!(Period::new(2147483647, PeriodType::Half, 1).is_err());
        assert!(Period::new(-5, PeriodType::Year, 1).is_err());
        // Ranges: in bounds, in order, not too long.
        assert_eq!(
            YearRange::parse("2023..2013", None)
                .unwrap_err()
                .to_string(),
            "Khoảng năm 2023 – 2013 bị ngược: năm đầu phải trước năm cuối"
        );
        assert!(YearRange::parse("2000..2100", None).is_ok());
        assert!(YearRange::parse("2000..2101", None).is_err());
        assert!(YearRange::parse("1999..2005", None).is_err());
        assert!(YearRange::parse("2020", Some("2147483647")).is_err());
        assert!(YearRange::new(2020, 2020).is_ok());
        assert!(YearRange::new(i32::MIN, 2020).is_err());
    }

    #[test]
    fn periods_read_in_words() {
        let p = |s: &str| Period::parse(s).unwrap();
        assert_eq!(p("2026").words_vi(), "Năm 2026");
        assert_eq!(p("2026S1").words_vi(), "6 tháng đầu năm 2026");
        assert_eq!(p("2026S2").words_vi(), "6 tháng cuối năm 2026");
        assert_eq!(p("2026Q2").words_vi(), "Quý II năm 2026");
        assert_eq!(p("202603").words_vi(), "Tháng 3 năm 2026");
        assert_eq!(
            p("2026").words_with_dates_vi(Calendar::Reporting),
            "Năm 2026 (15/12/2025 – 14/12/2026)"
        );
        assert_eq!(p("2026S1").words_en(), "First half of 2026");
        assert_eq!(
            YearRange::new(2013, 2023).unwrap().words_vi(),
            "Giai đoạn 2013 – 2023"
        );
        assert_eq!(YearRange::new(2025, 2025).unwrap().words_vi(), "Năm 2025");
    }
}
