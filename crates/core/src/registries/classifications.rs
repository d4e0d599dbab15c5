//! Movement classification (QĐ 510/QĐ-BCA-V05): score-sheet templates per
//! subject kind, self-scoring, review by the level above, bands by
//! configured thresholds, deadlines. Points are kept in tenths (100 points
//! = 1000) and shown the Vietnamese way ("9,5").
//! (Owned by the classifications work of issue 13.)

use serde::{Deserialize, Serialize};

use crate::dates::Date;
use crate::error::DomainError;
use crate::words::Word;

/// The audit actions of this registry, in words.
pub static AUDIT_WORDS: &[Word] = &[
    (
        "classification.create",
        "Mở phiếu chấm điểm phân loại phong trào",
        "Classification sheet opened",
    ),
    (
        "classification.score",
        "Tự chấm điểm phân loại phong trào",
        "Classification self-scored",
    ),
    (
        "classification.submit",
        "Gửi kết quả tự chấm lên cấp trên",
        "Classification submitted",
    ),
    (
        "classification.review",
        "Cấp trên chấm lại điểm phân loại phong trào",
        "Classification reviewed",
    ),
    (
        "classification.decide",
        "Quyết định xếp loại phong trào",
        "Classification decided",
    ),
    (
        "score_template.seed",
        "Tạo các mẫu bảng chấm điểm ban đầu",
        "Score templates seeded",
    ),
    (
        "score_template.save",
        "Sửa mẫu bảng chấm điểm",
        "Score template changed",
    ),
];

/// The full score of a sheet, in tenths of a point (100 points).
pub const TOTAL_TENTHS: i64 = 1000;

/// Bounds of what may be typed.
pub mod limits {
    /// Evidence note of one item.
    pub const EVIDENCE: usize = 2_000;
    /// Reason for a changed score.
    pub const REASON: usize = 2_000;
    /// An item's wording.
    pub const ITEM_TEXT: usize = 1_000;
    /// An item's label ("1", "1.2").
    pub const LABEL: usize = 10;
    /// A template's title.
    pub const TITLE: usize = 300;
    /// Items (with sub-items) of one template.
    pub const MAX_ITEMS: usize = 200;
    /// A subject's name.
    pub const SUBJECT: usize = 300;
    /// Rows of one import file.
    pub const MAX_IMPORT_ROWS: usize = 20_000;
}

/// What is classified: a residential area, a commune, or an agency,
/// enterprise or school (one score sheet for the three).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    KhuDanCu,
    Xa,
    CoQuan,
}

impl SubjectKind {
    pub const ALL: [SubjectKind; 3] = [SubjectKind::KhuDanCu, SubjectKind::Xa, SubjectKind::CoQuan];

    pub fn code(self) -> &'static str {
        match self {
            SubjectKind::KhuDanCu => "khu_dan_cu",
            SubjectKind::Xa => "xa",
            SubjectKind::CoQuan => "co_quan",
        }
    }

    pub fn word_vi(self) -> &'static str {
        match self {
            SubjectKind::KhuDanCu => "Khu dân cư",
            SubjectKind::Xa => "Xã, phường, đặc khu",
            SubjectKind::CoQuan => "Cơ quan, doanh nghiệp, cơ sở giáo dục",
        }
    }

    /// A code or the words (accent-insensitive).
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let f = crate::text::fold(s);
        SubjectKind::ALL
            .into_iter()
            .find(|k| k.code() == s.trim() || crate::text::fold(k.word_vi()) == f)
            .ok_or_else(|| {
                DomainError::invalid(format!(
                    "loại đối tượng phân loại \u{201C}{}\u{201D} không có (khu_dan_cu, xa, co_quan)",
                    s.trim()
                ))
            })
    }
}

/// The bands of the classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    XuatSac,
    Kha,
    TrungBinh,
    Yeu,
}

impl Band {
    pub const ALL: [Band; 4] = [Band::XuatSac, Band::Kha, Band::TrungBinh, Band::Yeu];

    pub fn code(self) -> &'static str {
        match self {
            Band::XuatSac => "xuat_sac",
            Band::Kha => "kha",
            Band::TrungBinh => "trung_binh",
            Band::Yeu => "yeu",
        }
    }

    pub fn word_vi(self) -> &'static str {
        match self {
            Band::XuatSac => "Xuất sắc",
            Band::Kha => "Khá",
            Band::TrungBinh => "Trung bình",
            Band::Yeu => "Yếu",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let f = crate::text::fold(s);
        Band::ALL
            .into_iter()
            .find(|b| b.code() == s.trim() || crate::text::fold(b.word_vi()) == f)
            .ok_or_else(|| {
                DomainError::invalid(format!("xếp loại \u{201C}{}\u{201D} không có", s.trim()))
            })
    }
}

/// Where a classification is in its workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// The unit is scoring itself.
    Draft,
    /// Sent to the level above.
    Submitted,
    /// The level above has scored it again (it may still change scores).
    Reviewed,
    /// The band is decided.
    Decided,
}

impl State {
    pub const ALL: [State; 4] = [
        State::Draft,
        State::Submitted,
        State::Reviewed,
        State::Decided,
    ];

    pub fn code(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Submitted => "submitted",
            State::Reviewed => "reviewed",
            State::Decided => "decided",
        }
    }

    pub fn word_vi(self) -> &'static str {
        match self {
            State::Draft => "Đang tự chấm",
            State::Submitted => "Đã gửi cấp trên",
            State::Reviewed => "Cấp trên đã chấm",
            State::Decided => "Đã xếp loại",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        State::ALL
            .into_iter()
            .find(|x| x.code() == s.trim())
            .ok_or_else(|| {
                DomainError::invalid(format!("trạng thái \u{201C}{}\u{201D} không có", s.trim()))
            })
    }
}

/// The lowest points (tenths) of each band above Yếu, as configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    pub xuat_sac: i64,
    pub kha: i64,
    pub trung_binh: i64,
}

impl Default for Thresholds {
    /// 90 / 70 / 50 (the common values; unconfirmed, see domain.md §1.4).
    fn default() -> Self {
        Thresholds {
            xuat_sac: 900,
            kha: 700,
            trung_binh: 500,
        }
    }
}

impl Thresholds {
    /// Strictly descending, within 0 – 100 points.
    pub fn check(&self) -> Result<(), DomainError> {
        let ok = (0..=TOTAL_TENTHS).contains(&self.xuat_sac)
            && (0..=TOTAL_TENTHS).contains(&self.kha)
            && (0..=TOTAL_TENTHS).contains(&self.trung_binh)
            && self.xuat_sac > self.kha
            && self.kha > self.trung_binh;
        if ok {
            Ok(())
        } else {
            Err(DomainError::invalid(format!(
                "Ngưỡng xếp loại phải giảm dần trong khoảng 0 – 100 điểm (Xuất sắc {}, Khá {}, Trung bình {})",
                format_points(self.xuat_sac),
                format_points(self.kha),
                format_points(self.trung_binh)
            )))
        }
    }
}

/// The band of a total (tenths) under the thresholds: Xuất sắc from
/// `xuat_sac` up, Khá from `kha`, Trung bình from `trung_binh`, else Yếu.
pub fn band(points: i64, t: &Thresholds) -> Band {
    if points >= t.xuat_sac {
        Band::XuatSac
    } else if points >= t.kha {
        Band::Kha
    } else if points >= t.trung_binh {
        Band::TrungBinh
    } else {
        Band::Yeu
    }
}

/// The day the review must be finished, per kind, as configured (day, month).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines {
    pub khu_dan_cu: (u32, u32),
    pub xa: (u32, u32),
    pub co_quan: (u32, u32),
}

impl Default for Deadlines {
    /// 20/11 for residential areas; 30/11 for communes, agencies,
    /// enterprises and schools (QĐ 510 art. 11, as summarised).
    fn default() -> Self {
        Deadlines {
            khu_dan_cu: (20, 11),
            xa: (30, 11),
            co_quan: (30, 11),
        }
    }
}

impl Deadlines {
    /// The deadline of a kind in a year.
    pub fn of(&self, kind: SubjectKind, year: i32) -> Option<Date> {
        let (d, m) = match kind {
            SubjectKind::KhuDanCu => self.khu_dan_cu,
            SubjectKind::Xa => self.xa,
            SubjectKind::CoQuan => self.co_quan,
        };
        Date::from_ymd_opt(year, m, d)
    }

    pub fn check(&self) -> Result<(), DomainError> {
        for k in SubjectKind::ALL {
            if self.of(k, 2024).is_none() {
                return Err(DomainError::invalid(format!(
                    "Hạn hoàn thành của {} không phải ngày hợp lệ",
                    k.word_vi().to_lowercase()
                )));
            }
        }
        Ok(())
    }
}

/// Points (tenths) the Vietnamese way: 95 → "9,5", 100 → "10".
pub fn format_points(tenths: i64) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let t = tenths.abs();
    let whole = crate::text::format_int(t / 10);
    if t % 10 == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole},{}", t % 10)
    }
}

/// Points typed ("9,5", "9.5", "10") as tenths; at most one decimal, not negative.
pub fn parse_points(s: &str) -> Result<i64, DomainError> {
    let t = s.trim();
    let bad = || {
        DomainError::invalid(format!(
            "\u{201C}{t}\u{201D} không phải số điểm (ví dụ 9 hoặc 9,5; tối đa một chữ số thập phân)"
        ))
    };
    if t.is_empty() || t.len() > 8 {
        return Err(bad());
    }
    let (whole, frac) = match t.split_once([',', '.']) {
        Some((w, f)) => (w, f),
        None => (t, ""),
    };
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 1
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (t.contains([',', '.']) && frac.is_empty())
    {
        return Err(bad());
    }
    let w: i64 = whole.parse().map_err(|_| bad())?;
    let f: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().map_err(|_| bad())?
    };
    Ok(w * 10 + f)
}

/// Points from a number read in a file (9.5): tenths, refusing more than one decimal.
pub fn points_of_number(x: f64) -> Result<i64, DomainError> {
    let tenths = (x * 10.0).round();
    if !x.is_finite() || x < 0.0 || ((x * 10.0) - tenths).abs() > 1e-6 || tenths > 1e7 {
        return Err(DomainError::invalid(format!(
            "\u{201C}{x}\u{201D} không phải số điểm (tối đa một chữ số thập phân)"
        )));
    }
    Ok(tenths as i64)
}

/// One item of a template as checked: its max and its sub-items' maxima.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemShape {
    pub label: String,
    pub max: i64,
    pub children: Vec<i64>,
}

/// A template sums to exactly 100 points, and each item's sub-items sum to
/// the item's maximum (when it has sub-items).
pub fn check_template(items: &[ItemShape]) -> Result<(), DomainError> {
    if items.is_empty() {
        return Err(DomainError::invalid("Mẫu bảng chấm điểm chưa có mục nào"));
    }
    for i in items {
        if i.max <= 0 {
            return Err(DomainError::invalid(format!(
                "Mục {}: điểm chuẩn phải lớn hơn 0",
                i.label
            )));
        }
        if !i.children.is_empty() {
            let sum: i64 = i.children.iter().sum();
            if i.children.iter().any(|c| *c <= 0) {
                return Err(DomainError::invalid(format!(
                    "Mục {}: điểm chuẩn của mỗi ý phải lớn hơn 0",
                    i.label
                )));
            }
            if sum != i.max {
                return Err(DomainError::invalid(format!(
                    "Mục {}: các ý cộng lại {} điểm, khác điểm chuẩn của mục ({} điểm)",
                    i.label,
                    format_points(sum),
                    format_points(i.max)
                )));
            }
        }
    }
    let total: i64 = items.iter().map(|i| i.max).sum();
    if total != TOTAL_TENTHS {
        return Err(DomainError::invalid(format!(
            "Tổng điểm chuẩn của mẫu là {} điểm; phải đúng 100 điểm",
            format_points(total)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_band_follows_the_thresholds_at_their_boundaries() {
        let t = Thresholds::default();
        assert_eq!(band(1000, &t), Band::XuatSac);
        assert_eq!(band(900, &t), Band::XuatSac, "90 → Xuất sắc");
        assert_eq!(band(899, &t), Band::Kha, "89,9 → Khá");
        assert_eq!(band(700, &t), Band::Kha);
        assert_eq!(band(699, &t), Band::TrungBinh);
        assert_eq!(band(500, &t), Band::TrungBinh);
        assert_eq!(band(499, &t), Band::Yeu);
        assert_eq!(band(0, &t), Band::Yeu);
    }

    #[test]
    fn a_changed_threshold_changes_the_band() {
        let t = Thresholds {
            xuat_sac: 950,
            kha: 800,
            trung_binh: 600,
        };
        assert_eq!(band(900, &t), Band::Kha);
        assert_eq!(band(950, &t), Band::XuatSac);
        assert_eq!(band(700, &t), Band::TrungBinh);
        assert_eq!(band(550, &t), Band::Yeu);
        assert!(t.check().is_ok());
        let bad = Thresholds {
            xuat_sac: 700,
            kha: 800,
            trung_binh: 500,
        };
        assert!(bad.check().unwrap_err().to_string().contains("giảm dần"));
    }

    #[test]
    fn points_are_read_and_shown_the_vietnamese_way() {
        assert_eq!(parse_points("9,5").unwrap(), 95);
        assert_eq!(parse_points("9.5").unwrap(), 95);
        assert_eq!(parse_points(" 10 ").unwrap(), 100);
        for bad in ["", "9,55", "-1", "a", "9,", ",5", "1.000,5"] {
            assert!(parse_points(bad).is_err(), "{bad}");
        }
        assert_eq!(format_points(95), "9,5");
        assert_eq!(format_points(1000), "100");
        assert_eq!(format_points(899), "89,9");
        assert_eq!(points_of_number(9.5).unwrap(), 95);
        assert!(points_of_number(9.55).is_err());
        assert!(points_of_number(-1.0).is_err());
    }

    #[test]
    fn a_template_sums_to_one_hundred() {
        let item = |label: &str, max, children: Vec<i64>| ItemShape {
            label: label.into(),
            max,
            children,
        };
        assert!(check_template(&[item("1", 600, vec![300, 300]), item("2", 400, vec![])]).is_ok());
        let e = check_template(&[item("1", 600, vec![]), item("2", 300, vec![])]).unwrap_err();
        assert!(e.to_string().contains("phải đúng 100 điểm"), "{e}");
        let e =
            check_template(&[item("1", 600, vec![200, 300]), item("2", 400, vec![])]).unwrap_err();
        assert!(e.to_string().contains("Mục 1"), "{e}");
    }

    #[test]
    fn kinds_bands_and_deadlines() {
        assert_eq!(
            SubjectKind::parse("Khu dân cư").unwrap(),
            SubjectKind::KhuDanCu
        );
        assert_eq!(SubjectKind::parse("xa").unwrap(), SubjectKind::Xa);
        assert!(SubjectKind::parse("huyện").is_err());
        assert_eq!(Band::parse("Trung bình").unwrap(), Band::TrungBinh);
        let d = Deadlines::default();
        assert_eq!(
            d.of(SubjectKind::KhuDanCu, 2024),
            Date::from_ymd_opt(2024, 11, 20)
        );
        assert_eq!(
            d.of(SubjectKind::CoQuan, 2024),
            Date::from_ymd_opt(2024, 11, 30)
        );
        assert!(d.check().is_ok());
        let bad = Deadlines { xa: (31, 11), ..d };
        assert!(bad.check().is_err());
    }
}
