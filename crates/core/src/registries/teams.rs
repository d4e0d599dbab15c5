//! Grassroots security organisations and teams: kinds as data, teams with
//! members over time, the yearly evaluation with its quota and leader rules
//! (HD 01/HD-BCA-V05). Pure rules; storage enforces them at every write.
//! (Owned by the teams work of issue 13.)
//!
//! Choices (documented for the figures and the pages):
//! - A team is **active at a day** when `established_on ≤ day` and it is not
//!   dissolved by then (`dissolved_on` empty or after the day).
//! - The **evaluation year** `Y` runs from 15/11 of `Y − 1` to 14/11 of `Y`.
//! - **Not rated**: a team operating for less than `min_months` (9) full
//!   months at 14/11 of the year, or under complaint; a reason is recorded
//!   instead of a level.
//! - **Quota**: within one evaluating unit (the unit a team belongs to) and
//!   year, `count(xuất sắc) ≤ quota(count(tốt))` with `quota(t) = 20% × t`
//!   rounded down. By default the base counts the teams rated "tốt" only (the
//!   excellent ones are not counted in it: "không quá 20% số tổ được xếp loại
//!   hoàn thành tốt"); the base, the percentage, the months and the rounding
//!   are rules an administrator may change (`teams.*`).
//! - A **leader** is never rated above the team; a team not rated has no
//!   leader rating.

use chrono::{Datelike, Months};

use crate::dates::{self, Date};
use crate::text::format_int;
use crate::words::Word;
use crate::DomainError;

/// The audit actions of this registry, in words.
pub static AUDIT_WORDS: &[Word] = &[
    ("team.create", "Thêm tổ chức quần chúng", "Team added"),
    ("team.update", "Sửa tổ chức quần chúng", "Team changed"),
    (
        "team.members",
        "Ghi số thành viên của tổ",
        "Team members recorded",
    ),
    (
        "team.import",
        "Nhập sổ tổ chức quần chúng",
        "Teams imported",
    ),
    ("team.evaluate", "Đánh giá, xếp loại tổ", "Teams evaluated"),
    (
        "team_kind.save",
        "Sửa danh mục loại tổ chức quần chúng",
        "Team kind saved",
    ),
];

/// Input bounds.
pub mod limits {
    pub const NAME: usize = 300;
    pub const LEADER: usize = 200;
    pub const NOTES: usize = 2_000;
    pub const KIND_NAME: usize = 200;
    pub const MEMBERS: i64 = 100_000;
    /// Named members of one team.
    pub const NAMED_MEMBERS: usize = 500;
    /// Teams of one evaluation batch, one import.
    pub const BATCH: usize = 5_000;
    pub const IMPORT_ROWS: usize = 20_000;
    pub const REASON: usize = 500;
}

/// The seeded kinds (all counted among the mass organisations).
pub const SEEDED_KINDS: [&str; 8] = [
    "Tổ bảo vệ an ninh, trật tự ở cơ sở",
    "Tổ an ninh nhân dân",
    "Tổ hòa giải",
    "Tổ Nhân dân tự quản",
    "Đội dân phòng",
    "Tổ liên gia tự quản",
    "Câu lạc bộ phòng, chống tội phạm",
    "Khác",
];

/// Is a team active at `day`?
pub fn active_at(established: Date, dissolved: Option<Date>, day: Date) -> bool {
    established <= day && dissolved.is_none_or(|d| d > day)
}

/// A team's evaluation level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    KhongHoanThanh,
    HoanThanh,
    Tot,
    XuatSac,
}

impl Level {
    /// Best first.
    pub const ALL: [Level; 4] = [
        Level::XuatSac,
        Level::Tot,
        Level::HoanThanh,
        Level::KhongHoanThanh,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Level::XuatSac => "xuat_sac",
            Level::Tot => "tot",
            Level::HoanThanh => "hoan_thanh",
            Level::KhongHoanThanh => "khong_hoan_thanh",
        }
    }

    pub fn word_vi(self) -> &'static str {
        match self {
            Level::XuatSac => "Hoàn thành xuất sắc nhiệm vụ",
            Level::Tot => "Hoàn thành tốt nhiệm vụ",
            Level::HoanThanh => "Hoàn thành nhiệm vụ",
            Level::KhongHoanThanh => "Không hoàn thành nhiệm vụ",
        }
    }

    pub fn word_en(self) -> &'static str {
        match self {
            Level::XuatSac => "Excellent",
            Level::Tot => "Good",
            Level::HoanThanh => "Completed",
            Level::KhongHoanThanh => "Not completed",
        }
    }

    /// A code or the words (any case, with or without tones).
    pub fn parse(s: &str) -> Result<Level, DomainError> {
        let f = crate::text::fold(s);
        Level::ALL
            .into_iter()
            .find(|l| {
                f == l.code() || f == crate::text::fold(l.word_vi()) || f == fold_short(*l)
            })
            .ok_or_else(|| {
                DomainError::invalid(format!(
                    "Mức xếp loại \u{201C}{}\u{201D} không có; chọn: hoàn thành xuất sắc, hoàn thành tốt, hoàn thành, không hoàn thành nhiệm vụ",
                    s.trim()
                ))
            })
    }
}

fn fold_short(l: Level) -> &'static str {
    match l {
        Level::XuatSac => "xuat sac",
        Level::Tot => "tot",
        Level::HoanThanh => "hoan thanh",
        Level::KhongHoanThanh => "khong hoan thanh",
    }
}

/// Why a team is not rated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotRated {
    /// Operating for less than the minimum months at the year's end.
    TooShort,
    /// Under complaint.
    Complaint,
}

impl NotRated {
    pub const ALL: [NotRated; 2] = [NotRated::TooShort, NotRated::Complaint];

    pub fn code(self) -> &'static str {
        match self {
            NotRated::TooShort => "chua_du_thoi_gian",
            NotRated::Complaint => "khieu_nai",
        }
    }

    /// "Hoạt động chưa đủ 9 tháng", "Đang bị khiếu nại".
    pub fn word_vi(self, min_months: u32) -> String {
        match self {
            NotRated::TooShort => format!("Không xếp loại: hoạt động chưa đủ {min_months} tháng"),
            NotRated::Complaint => "Không xếp loại: đang bị khiếu nại".into(),
        }
    }

    pub fn parse(s: &str) -> Result<NotRated, DomainError> {
        let f = crate::text::fold(s);
        NotRated::ALL
            .into_iter()
            .find(|n| {
                f == n.code()
                    || (n == &NotRated::Complaint && f.contains("khieu nai"))
                    || (n == &NotRated::TooShort && f.contains("chua du"))
            })
            .ok_or_else(|| {
                DomainError::invalid(format!(
                    "Lý do không xếp loại \u{201C}{}\u{201D} không có; chọn: chưa đủ thời gian hoạt động, đang bị khiếu nại",
                    s.trim()
                ))
            })
    }
}

/// What a team gets for a year: a level (and its leader's), or a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Rated { level: Level, leader: Option<Level> },
    NotRated(NotRated),
}

/// How the quota is rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    Floor,
    Nearest,
    Ceil,
}

impl Rounding {
    pub fn parse(s: &str) -> Result<Rounding, DomainError> {
        match s.trim() {
            "floor" => Ok(Rounding::Floor),
            "nearest" => Ok(Rounding::Nearest),
            "ceil" => Ok(Rounding::Ceil),
            other => Err(DomainError::invalid(format!(
                "Cách làm tròn \u{201C}{other}\u{201D} không có; chọn floor, nearest hoặc ceil"
            ))),
        }
    }
}

/// The evaluation rules (administrator-changeable; defaults as HD 01).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// "xuất sắc" at most this percentage of the base.
    pub quota_percent: u32,
    /// Rounding of `quota_percent × base / 100`.
    pub rounding: Rounding,
    /// Does the base include the teams rated "xuất sắc"?
    pub base_includes_excellent: bool,
    /// Months of operation at the year's end below which a team is not rated.
    pub min_months: u32,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            quota_percent: 20,
            rounding: Rounding::Floor,
            base_includes_excellent: false,
            min_months: 9,
        }
    }
}

impl Rules {
    /// The most "xuất sắc" allowed for a base of `base` teams.
    pub fn quota(&self, base: usize) -> usize {
        let p = self.quota_percent as usize * base;
        match self.rounding {
            Rounding::Floor => p / 100,
            Rounding::Nearest => (p + 50) / 100,
            Rounding::Ceil => p.div_ceil(100),
        }
    }
}

/// The first and last days of evaluation year `year` (15/11 of the year
/// before to 14/11).
pub fn evaluation_period(year: i32) -> Option<(Date, Date)> {
    Some((
        Date::from_ymd_opt(year - 1, 11, 15)?,
        Date::from_ymd_opt(year, 11, 14)?,
    ))
}

/// The evaluation year a day falls in.
pub fn evaluation_year(day: Date) -> i32 {
    if day.month() == 11 && day.day() >= 15 || day.month() == 12 {
        day.year() + 1
    } else {
        day.year()
    }
}

/// Has a team established on `established` operated `min_months` full
/// months by the end of evaluation year `year`?
pub fn long_enough(established: Date, year: i32, min_months: u32) -> bool {
    let Some((_, end)) = evaluation_period(year) else {
        return false;
    };
    match established.checked_add_months(Months::new(min_months)) {
        Some(reached) => reached <= end + chrono::Duration::days(1),
        None => false,
    }
}

/// A team as the rules see it.
#[derive(Debug, Clone)]
pub struct TeamFacts {
    /// "Tổ an ninh nhân dân bản Che Căn" (for messages).
    pub name: String,
    pub established: Date,
    pub dissolved: Option<Date>,
}

/// Check one team's outcome for a year; errors in Vietnamese naming the team.
pub fn check_outcome(
    t: &TeamFacts,
    year: i32,
    outcome: &Outcome,
    rules: &Rules,
) -> Result<(), String> {
    let Some((start, end)) = evaluation_period(year) else {
        return Err(format!("Năm đánh giá {year} không hợp lệ"));
    };
    if t.established > end {
        return Err(format!(
            "{}: thành lập ngày {}, sau năm đánh giá {year} (kết thúc {})",
            t.name,
            dates::format_vi(t.established),
            dates::format_vi(end)
        ));
    }
    if let Some(d) = t.dissolved {
        if d < start {
            return Err(format!(
                "{}: đã giải thể ngày {}, trước năm đánh giá {year}",
                t.name,
                dates::format_vi(d)
            ));
        }
    }
    match outcome {
        Outcome::NotRated(_) => Ok(()),
        Outcome::Rated { level, leader } => {
            if !long_enough(t.established, year, rules.min_months) {
                return Err(format!(
                    "{}: thành lập ngày {}, đến {} hoạt động chưa đủ {} tháng nên không xếp loại (ghi lý do \u{201C}chưa đủ thời gian hoạt động\u{201D})",
                    t.name,
                    dates::format_vi(t.established),
                    dates::format_vi(end),
                    rules.min_months
                ));
            }
            if let Some(l) = leader {
                if l > level {
                    return Err(format!(
                        "{}: tổ trưởng xếp loại \u{201C}{}\u{201D} cao hơn tổ (\u{201C}{}\u{201D}); tổ trưởng không được xếp loại cao hơn tổ",
                        t.name,
                        l.word_vi().to_lowercase(),
                        level.word_vi().to_lowercase()
                    ));
                }
            }
            Ok(())
        }
    }
}

/// The quota check of one evaluating unit and year over all its outcomes
/// (the batch together with what is already recorded): `None` when kept,
/// else the message naming the numbers ("Đã có 3 tổ xuất sắc trên 10 tổ
/// tốt: tối đa 20%, tức 2 tổ").
pub fn check_quota(levels: &[Level], rules: &Rules) -> Option<String> {
    let excellent = levels.iter().filter(|l| **l == Level::XuatSac).count();
    if excellent == 0 {
        return None;
    }
    let good = levels.iter().filter(|l| **l == Level::Tot).count();
    let base = if rules.base_includes_excellent {
        good + excellent
    } else {
        good
    };
    let quota = rules.quota(base);
    if excellent <= quota {
        return None;
    }
    let base_words = if rules.base_includes_excellent {
        "tổ tốt (kể cả xuất sắc)"
    } else {
        "tổ tốt"
    };
    Some(format!(
        "Đã có {} tổ xuất sắc trên {} {base_words}: tối đa {}%, tức {} tổ",
        format_int(excellent as i64),
        format_int(base as i64),
        rules.quota_percent,
        format_int(quota as i64)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        dates::parse_date(s).unwrap()
    }

    #[test]
    fn active_at_a_day() {
        assert!(active_at(d("2020-01-01"), None, d("2023-12-14")));
        assert!(active_at(d("2023-12-14"), None, d("2023-12-14")));
        assert!(!active_at(d("2023-12-15"), None, d("2023-12-14")));
        assert!(!active_at(
            d("2020-01-01"),
            Some(d("2023-12-14")),
            d("2023-12-14")
        ));
        assert!(active_at(
            d("2020-01-01"),
            Some(d("2023-12-15")),
            d("2023-12-14")
        ));
    }

    #[test]
    fn the_evaluation_year_runs_from_mid_november() {
        assert_eq!(
            evaluation_period(2025),
            Some((d("2024-11-15"), d("2025-11-14")))
        );
        assert_eq!(evaluation_year(d("2024-11-15")), 2025);
        assert_eq!(evaluation_year(d("2025-11-14")), 2025);
        assert_eq!(evaluation_year(d("2024-12-31")), 2025);
    }

    #[test]
    fn nine_full_months_at_the_years_end() {
        assert!(long_enough(d("2025-02-15"), 2025, 9));
        assert!(!long_enough(d("2025-02-16"), 2025, 9));
        assert!(long_enough(d("2024-01-01"), 2025, 9));
        assert!(long_enough(d("2025-08-15"), 2025, 3));
    }

    #[test]
    fn quota_is_twenty_percent_of_good_rounded_down() {
        let r = Rules::default();
        assert_eq!(r.quota(10), 2);
        assert_eq!(r.quota(14), 2);
        assert_eq!(r.quota(4), 0);
        let mut levels = vec![Level::Tot; 10];
        levels.extend([Level::XuatSac, Level::XuatSac, Level::HoanThanh]);
        assert_eq!(check_quota(&levels, &r), None);
        levels.push(Level::XuatSac);
        assert_eq!(
            check_quota(&levels, &r).unwrap(),
            "Đã có 3 tổ xuất sắc trên 10 tổ tốt: tối đa 20%, tức 2 tổ"
        );
        let nearest = Rules {
            rounding: Rounding::Nearest,
            ..r
        };
        assert_eq!(nearest.quota(13), 3);
        let ceil = Rules {
            rounding: Rounding::Ceil,
            ..r
        };
        assert_eq!(ceil.quota(11), 3);
        let inclusive = Rules {
            base_includes_excellent: true,
            ..r
        };
        // 10 good + 3 excellent = base 13 → 2: still too many.
        assert!(check_quota(&levels, &inclusive).is_some());
    }

    #[test]
    fn leader_never_above_team_and_short_teams_not_rated() {
        let t = TeamFacts {
            name: "Tổ an ninh nhân dân bản Che Căn".into(),
            established: d("2020-03-01"),
            dissolved: None,
        };
        let r = Rules::default();
        let ok = Outcome::Rated {
            level: Level::Tot,
            leader: Some(Level::Tot),
        };
        assert!(check_outcome(&t, 2025, &ok, &r).is_ok());
        let above = Outcome::Rated {
            level: Level::Tot,
            leader: Some(Level::XuatSac),
        };
        let e = check_outcome(&t, 2025, &above, &r).unwrap_err();
        assert!(
            e.contains("tổ trưởng không được xếp loại cao hơn tổ"),
            "{e}"
        );
        let young = TeamFacts {
            established: d("2025-03-01"),
            ..t.clone()
        };
        let e = check_outcome(&young, 2025, &ok, &r).unwrap_err();
        assert!(e.contains("chưa đủ 9 tháng"), "{e}");
        assert!(check_outcome(&young, 2025, &Outcome::NotRated(NotRated::TooShort), &r).is_ok());
        let later = TeamFacts {
            established: d("2025-12-01"),
            ..t
        };
        assert!(check_outcome(&later, 2025, &Outcome::NotRated(NotRated::Complaint), &r).is_err());
    }

    #[test]
    fn levels_parse_from_codes_and_words() {
        assert_eq!(Level::parse("xuat_sac").unwrap(), Level::XuatSac);
        assert_eq!(Level::parse("Hoàn thành tốt nhiệm vụ").unwrap(), Level::Tot);
        assert_eq!(
            Level::parse("Không hoàn thành").unwrap(),
            Level::KhongHoanThanh
        );
        assert!(Level::parse("giỏi").is_err());
        assert!(Level::XuatSac > Level::Tot);
        assert_eq!(
            NotRated::parse("Đang bị khiếu nại").unwrap(),
            NotRated::Complaint
        );
    }
}
