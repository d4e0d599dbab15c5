//! Safety-standard recognition ("An toàn về an ninh, trật tự", TT 124/2021/TT-BCA): registration, dossier, criteria checklist and decision per subject and year.
//! (Owned by the recognitions work of issue 13.)
//!
//! Who decides (kept here, in [`decider`], and nowhere else): a residential
//! area is recognised by its commune (the chair of the commune UBND, TT 124
//! Art. 9), so a police or Front grant on the area's commune, or above it,
//! decides; a commune, an agency, an enterprise or a school is recognised by
//! the level above its unit (formerly the district UBND; since 01/07/2025
//! the province), so the grant must sit strictly above the subject's unit.

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use crate::dates::Date;
use crate::text;
use crate::words::Word;
use crate::DomainError;

/// The audit actions of this registry, in words.
pub static AUDIT_WORDS: &[Word] = &[
    (
        "recognition.register",
        "Đăng ký xây dựng đạt chuẩn An toàn về ANTT",
        "Registered for the safety standard",
    ),
    (
        "recognition.check",
        "Đánh giá tiêu chí An toàn về ANTT",
        "Safety-standard criteria checked",
    ),
    (
        "recognition.file",
        "Thêm tài liệu vào hồ sơ An toàn về ANTT",
        "Document added to a safety-standard dossier",
    ),
    (
        "recognition.decide",
        "Quyết định công nhận An toàn về ANTT",
        "Safety-standard recognition decided",
    ),
    (
        "recognition_criterion.save",
        "Sửa tiêu chí An toàn về ANTT",
        "Safety-standard criterion changed",
    ),
    (
        "recognition_org_class.save",
        "Phân loại cơ quan, doanh nghiệp, trường học (An toàn về ANTT)",
        "Organisation sub-kind set (safety standard)",
    ),
];

/// What is recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    /// Khu dân cư: an `areas` row of a commune.
    KhuDanCu,
    /// Xã, phường, đặc khu: a commune `units` row.
    Xa,
    /// Cơ quan: an `organisations` row of kind `agency`.
    CoQuan,
    /// Doanh nghiệp: an `organisations` row of kind `enterprise`.
    DoanhNghiep,
    /// Cơ sở giáo dục: an `organisations` row of kind `school`.
    CoSoGiaoDuc,
}

impl SubjectKind {
    pub const ALL: [SubjectKind; 5] = [
        SubjectKind::KhuDanCu,
        SubjectKind::Xa,
        SubjectKind::CoQuan,
        SubjectKind::DoanhNghiep,
        SubjectKind::CoSoGiaoDuc,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SubjectKind::KhuDanCu => "khu_dan_cu",
            SubjectKind::Xa => "xa",
            SubjectKind::CoQuan => "co_quan",
            SubjectKind::DoanhNghiep => "doanh_nghiep",
            SubjectKind::CoSoGiaoDuc => "co_so_giao_duc",
        }
    }

    pub fn word_vi(self) -> &'static str {
        match self {
            SubjectKind::KhuDanCu => "Khu dân cư",
            SubjectKind::Xa => "Xã, phường, đặc khu",
            SubjectKind::CoQuan => "Cơ quan",
            SubjectKind::DoanhNghiep => "Doanh nghiệp",
            SubjectKind::CoSoGiaoDuc => "Cơ sở giáo dục",
        }
    }

    pub fn word_en(self) -> &'static str {
        match self {
            SubjectKind::KhuDanCu => "Residential area",
            SubjectKind::Xa => "Commune",
            SubjectKind::CoQuan => "Agency",
            SubjectKind::DoanhNghiep => "Enterprise",
            SubjectKind::CoSoGiaoDuc => "School",
        }
    }

    /// The `organisations.kind` of an organisation subject.
    pub fn org_kind(self) -> Option<&'static str> {
        match self {
            SubjectKind::CoQuan => Some("agency"),
            SubjectKind::DoanhNghiep => Some("enterprise"),
            SubjectKind::CoSoGiaoDuc => Some("school"),
            _ => None,
        }
    }

    /// The subject kind of an organisation kind (`agency`, `enterprise`, `school`).
    pub fn of_org_kind(kind: &str) -> Option<SubjectKind> {
        SubjectKind::ALL
            .into_iter()
            .find(|k| k.org_kind() == Some(kind))
    }

    /// From its code or its words (any case, accents optional).
    pub fn parse(s: &str) -> Result<SubjectKind, DomainError> {
        let t = s.trim();
        // Words only: "Xã, phường, đặc khu" is "xa phuong dac khu".
        let words = |x: &str| {
            text::fold(x)
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { ' ' })
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        let f = words(t);
        SubjectKind::ALL
            .into_iter()
            .find(|k| {
                k.code() == t
                    || words(k.word_vi()) == f
                    || (*k == SubjectKind::Xa && ["xa", "phuong", "dac khu"].contains(&f.as_str()))
            })
            .ok_or_else(|| {
                DomainError::invalid(format!(
                    "Loại đối tượng phải là một trong: {}; không phải \u{201C}{}\u{201D}",
                    SubjectKind::ALL.map(|k| k.word_vi()).join("; "),
                    t
                ))
            })
    }
}

/// Where a recognition stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecognitionState {
    /// Registered, nothing filed yet.
    Registered,
    /// Documents or checks filed.
    Dossier,
    Recognised,
    NotRecognised,
}

impl RecognitionState {
    pub const ALL: [RecognitionState; 4] = [
        RecognitionState::Registered,
        RecognitionState::Dossier,
        RecognitionState::Recognised,
        RecognitionState::NotRecognised,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RecognitionState::Registered => "registered",
            RecognitionState::Dossier => "dossier",
            RecognitionState::Recognised => "recognised",
            RecognitionState::NotRecognised => "not_recognised",
        }
    }

    pub fn word_vi(self) -> &'static str {
        match self {
            RecognitionState::Registered => "Đã đăng ký",
            RecognitionState::Dossier => "Đang lập hồ sơ",
            RecognitionState::Recognised => "Được công nhận",
            RecognitionState::NotRecognised => "Không được công nhận",
        }
    }

    pub fn decided(self) -> bool {
        matches!(
            self,
            RecognitionState::Recognised | RecognitionState::NotRecognised
        )
    }

    pub fn parse(s: &str) -> Result<RecognitionState, DomainError> {
        let t = s.trim();
        let f = text::fold(t);
        RecognitionState::ALL
            .into_iter()
            .find(|k| k.code() == t || text::fold(k.word_vi()) == f)
            .ok_or_else(|| {
                DomainError::invalid(format!("Trạng thái không hợp lệ: \u{201C}{t}\u{201D}"))
            })
    }
}

/// Which grant decides on a subject (see the module's note).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decider {
    /// A grant whose scope holds the subject's unit (the area's commune or above).
    OwnUnitOrAbove,
    /// A grant on a unit of a higher level than the subject's unit.
    StrictlyAbove,
}

/// Who decides on a subject of this kind: the one place this rule is kept.
pub fn decider(kind: SubjectKind) -> Decider {
    match kind {
        SubjectKind::KhuDanCu => Decider::OwnUnitOrAbove,
        _ => Decider::StrictlyAbove,
    }
}

/// The registration window: a day and month to a day and month of the
/// year (01/01 – 31/03 by default, the first quarter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// "dd/mm"
    pub from: String,
    /// "dd/mm"
    pub to: String,
}

fn day_month(s: &str) -> Result<(u32, u32), DomainError> {
    let bad = || DomainError::invalid(format!("Ngày \u{201C}{s}\u{201D} phải viết dd/mm"));
    let (d, m) = s.trim().split_once('/').ok_or_else(bad)?;
    let (d, m): (u32, u32) = (
        d.trim().parse().map_err(|_| bad())?,
        m.trim().parse().map_err(|_| bad())?,
    );
    // 2024 is a leap year: 29/02 is accepted.
    Date::from_ymd_opt(2024, m, d).ok_or_else(bad)?;
    Ok((d, m))
}

impl Window {
    pub fn first_quarter() -> Window {
        Window {
            from: "01/01".into(),
            to: "31/03".into(),
        }
    }

    pub fn check(&self) -> Result<(), DomainError> {
        let (a, b) = (day_month(&self.from)?, day_month(&self.to)?);
        if (a.1, a.0) > (b.1, b.0) {
            return Err(DomainError::invalid(
                "Thời hạn đăng ký: ngày bắt đầu phải trước ngày kết thúc",
            ));
        }
        Ok(())
    }

    /// Is `day` inside the window of `year`?
    pub fn contains(&self, year: i32, day: Date) -> bool {
        let (Ok(a), Ok(b)) = (day_month(&self.from), day_month(&self.to)) else {
            return false;
        };
        day.year() == year
            && (a.1, a.0) <= (day.month(), day.day())
            && (day.month(), day.day()) <= (b.1, b.0)
    }

    /// "01/01 – 31/03/2024".
    pub fn text(&self, year: i32) -> String {
        format!("{} – {}/{year}", self.from.trim(), self.to.trim())
    }
}

/// An organisation sub-kind that may be excluded (small enterprises,
/// primary schools, …), recognised by an explicit mark or by the start of
/// its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exclusion {
    /// `agency`, `enterprise` or `school` (the organisation kind).
    pub kind: String,
    /// Internal code, e.g. `tieu_hoc`.
    pub sub_kind: String,
    /// Words shown, e.g. "Trường tiểu học".
    pub name: String,
    /// Names starting with these words (accents and case ignored) are of this sub-kind.
    #[serde(default)]
    pub name_prefixes: Vec<String>,
    /// Excluded from the standard (true by default).
    #[serde(default = "yes")]
    pub excluded: bool,
}

fn yes() -> bool {
    true
}

/// The default exclusions of TT 124 (domain.md §1.3) as JSON.
pub const DEFAULT_EXCLUSIONS: &str = r#"[
 {"kind":"enterprise","sub_kind":"dn_nho","name":"Doanh nghiệp nhỏ","name_prefixes":[]},
 {"kind":"enterprise","sub_kind":"dn_sieu_nho","name":"Doanh nghiệp siêu nhỏ","name_prefixes":[]},
 {"kind":"school","sub_kind":"tieu_hoc","name":"Trường tiểu học","name_prefixes":["Trường Tiểu học","Trường TH "]},
 {"kind":"school","sub_kind":"mam_non","name":"Trường mầm non, mẫu giáo","name_prefixes":["Trường Mầm non","Trường Mẫu giáo","Trường MN "]},
 {"kind":"school","sub_kind":"nha_tre","name":"Nhà trẻ","name_prefixes":["Nhà trẻ","Nhóm trẻ"]},
 {"kind":"agency","sub_kind":"vu_trang","name":"Đơn vị lực lượng vũ trang","name_prefixes":["Ban Chỉ huy Quân sự","Bộ Chỉ huy Quân sự","Đồn Biên phòng","Bộ Chỉ huy Bộ đội Biên phòng","Trung đoàn","Sư đoàn","Lữ đoàn"]}
]"#;

/// Check a list of exclusions as an administrator sets it.
pub fn check_exclusions(list: &[Exclusion]) -> Result<(), DomainError> {
    if list.len() > 100 {
        return Err(DomainError::invalid("Tối đa 100 loại được loại trừ"));
    }
    for e in list {
        if SubjectKind::of_org_kind(&e.kind).is_none() {
            return Err(DomainError::invalid(format!(
                "Loại trừ \u{201C}{}\u{201D}: loại tổ chức phải là agency, enterprise hoặc school",
                e.name
            )));
        }
        let code_ok = !e.sub_kind.is_empty()
            && e.sub_kind.len() <= 40
            && e.sub_kind
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !code_ok || e.name.trim().is_empty() || e.name.len() > 200 {
            return Err(DomainError::invalid(format!(
                "Loại trừ \u{201C}{}\u{201D}: cần mã (chữ thường, số, gạch dưới) và tên",
                e.name
            )));
        }
        if e.name_prefixes.len() > 20 || e.name_prefixes.iter().any(|p| p.len() > 200) {
            return Err(DomainError::invalid(
                "Tối đa 20 tiền tố tên, mỗi tiền tố 200 ký tự",
            ));
        }
    }
    Ok(())
}

/// The sub-kind of an organisation: its explicit mark, else the first whose
/// name prefix its name starts with.
pub fn sub_kind_of<'a>(
    exclusions: &'a [Exclusion],
    org_kind: &str,
    name: &str,
    marked: Option<&str>,
) -> Option<&'a Exclusion> {
    let of_kind = || exclusions.iter().filter(move |e| e.kind == org_kind);
    if let Some(m) = marked.filter(|m| !m.is_empty()) {
        return of_kind().find(|e| e.sub_kind == m);
    }
    let folded = text::fold(name);
    of_kind().find(|e| {
        e.name_prefixes.iter().any(|p| {
            let p = text::fold(p);
            // Whole words: "Trường TH" is not the start of "Trường THPT".
            !p.is_empty()
                && folded
                    .strip_prefix(&p)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
        })
    })
}

/// Is this organisation excluded from the standard?
pub fn is_excluded(
    exclusions: &[Exclusion],
    org_kind: &str,
    name: &str,
    marked: Option<&str>,
) -> bool {
    sub_kind_of(exclusions, org_kind, name, marked).is_some_and(|e| e.excluded)
}

/// A share as "64,5%" (one decimal), or "–" when nothing is eligible.
pub fn share_text(part: i64, whole: i64) -> String {
    if whole <= 0 {
        return "–".into();
    }
    text::format_percent(part as f64 / whole as f64, 1)
}

/// The share in percent (0–100), none when nothing is eligible.
pub fn share_percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

/// Longest texts.
pub const MAX_DECISION_NUMBER: usize = 100;
pub const MAX_ISSUER: usize = 300;
pub const MAX_REASON: usize = 2_000;
pub const MAX_NOTE: usize = 1_000;
pub const MAX_CRITERION: usize = 2_000;
/// The most documents of one dossier and the largest of them.
pub const MAX_FILES: i64 = 20;
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// What an attached document is, read from its content: PDF, DOCX, JPEG or PNG.
pub fn sniff_document(bytes: &[u8]) -> Result<&'static str, DomainError> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok("image/jpeg");
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok("image/png");
    }
    crate::programmes::documents::sniff_file(bytes).map_err(|_| {
        DomainError::invalid(
            "Tệp không phải PDF, Word (DOCX), ảnh JPEG hay PNG: hồ sơ chỉ nhận các loại tệp này",
        )
    })
}

/// A decision's number, issuer and reason, checked.
pub fn check_decision(
    recognised: bool,
    number: &str,
    issuer: &str,
    reason: &str,
) -> Result<(), DomainError> {
    if number.trim().is_empty() {
        return Err(DomainError::invalid("Chưa có số quyết định"));
    }
    text::check_len("Số quyết định", number, MAX_DECISION_NUMBER)?;
    if issuer.trim().is_empty() {
        return Err(DomainError::invalid("Chưa có cơ quan, người ký quyết định"));
    }
    text::check_len("Người ký quyết định", issuer, MAX_ISSUER)?;
    text::check_len("Lý do", reason, MAX_REASON)?;
    if !recognised && reason.trim().is_empty() {
        return Err(DomainError::invalid("Không công nhận thì phải ghi lý do"));
    }
    Ok(())
}

/// A year a recognition may be of.
pub fn check_year(year: i32) -> Result<(), DomainError> {
    if (2012..=2100).contains(&year) {
        Ok(())
    } else {
        Err(DomainError::invalid(format!(
            "Năm {year} không hợp lệ (từ 2012 đến 2100)"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn kinds_parse_from_codes_and_words() {
        for k in SubjectKind::ALL {
            assert_eq!(SubjectKind::parse(k.code()).unwrap(), k);
            assert_eq!(SubjectKind::parse(k.word_vi()).unwrap(), k);
        }
        assert_eq!(
            SubjectKind::parse("khu dan cu").unwrap(),
            SubjectKind::KhuDanCu
        );
        assert!(SubjectKind::parse("hộ gia đình").is_err());
        assert_eq!(
            SubjectKind::of_org_kind("school"),
            Some(SubjectKind::CoSoGiaoDuc)
        );
        assert_eq!(SubjectKind::of_org_kind("police"), None);
    }

    #[test]
    fn the_window_is_the_first_quarter_by_default() {
        let w = Window::first_quarter();
        w.check().unwrap();
        assert!(w.contains(2024, d(2024, 1, 1)));
        assert!(w.contains(2024, d(2024, 3, 31)));
        assert!(!w.contains(2024, d(2024, 4, 1)));
        assert!(!w.contains(2024, d(2023, 2, 1)));
        assert_eq!(w.text(2024), "01/01 – 31/03/2024");
        assert!(Window {
            from: "31/03".into(),
            to: "01/01".into()
        }
        .check()
        .is_err());
        assert!(Window {
            from: "32/01".into(),
            to: "01/02".into()
        }
        .check()
        .is_err());
    }

    #[test]
    fn exclusions_follow_marks_and_names() {
        let list: Vec<Exclusion> = serde_json::from_str(DEFAULT_EXCLUSIONS).unwrap();
        check_exclusions(&list).unwrap();
        assert!(is_excluded(
            &list,
            "school",
            "Trường Tiểu học Him Lam",
            None
        ));
        assert!(is_excluded(&list, "school", "TRƯỜNG MẦM NON Hoa Ban", None));
        assert!(!is_excluded(
            &list,
            "school",
            "Trường THPT Phan Đình Giót",
            None
        ));
        assert!(is_excluded(
            &list,
            "enterprise",
            "Công ty TNHH An Bình",
            Some("dn_nho")
        ));
        assert!(!is_excluded(
            &list,
            "enterprise",
            "Công ty TNHH An Bình",
            None
        ));
        assert!(is_excluded(
            &list,
            "agency",
            "Ban Chỉ huy Quân sự huyện",
            None
        ));
        // A mark wins over the name.
        assert!(!is_excluded(
            &list,
            "school",
            "Trường Tiểu học A",
            Some("khac")
        ));
    }

    #[test]
    fn shares_and_decisions() {
        assert_eq!(share_text(129, 200), "64,5%");
        assert_eq!(share_text(1, 0), "–");
        assert_eq!(share_percent(7, 10), Some(70.0));
        assert!(check_decision(false, "12/QĐ-UBND", "Chủ tịch UBND xã", "").is_err());
        assert!(check_decision(true, "", "x", "").is_err());
        check_decision(true, "12/QĐ-UBND", "Chủ tịch UBND xã", "").unwrap();
        assert_eq!(decider(SubjectKind::KhuDanCu), Decider::OwnUnitOrAbove);
        assert_eq!(decider(SubjectKind::Xa), Decider::StrictlyAbove);
    }

    #[test]
    fn documents_are_recognised_by_content() {
        assert_eq!(sniff_document(b"%PDF-1.7 ...").unwrap(), "application/pdf");
        assert_eq!(
            sniff_document(&[0xFF, 0xD8, 0xFF, 0xE0]).unwrap(),
            "image/jpeg"
        );
        assert!(sniff_document(b"MZ....").is_err());
    }
}
