//! The whole report around the figures: its sections in order (from a
//! template, each generated from data or typed by the officer), the closing
//! sentence, and what makes a review a draft (data not yet complete, an
//! issue date before the data's period ends).
//!
//! A real báo cáo sơ kết / tổng kết has: Đặc điểm tình hình; Công tác lãnh
//! đạo, chỉ đạo, triển khai; Kết quả đạt được; Đánh giá chung (ưu điểm, hạn
//! chế, nguyên nhân); Bài học kinh nghiệm; Phương hướng, nhiệm vụ; Đề xuất,
//! kiến nghị; then "Trên đây là Báo cáo … ./.".

use serde::{Deserialize, Serialize};

use super::rich::{self, Block};
use super::Stage;
use crate::error::DomainError;
use crate::text::{self, format_int, format_percent};

/// The most sections a review or a template may have.
pub const MAX_SECTIONS: usize = 20;
/// The longest heading of a section, and of a review's title.
pub const MAX_HEADING_CHARS: usize = 600;

/// What a section is about. `Results` is written from the approved data
/// (the narrative, tables and charts); `Leadership` is drafted from the
/// document register; the others are the officer's own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    Situation,
    Leadership,
    Results,
    Assessment,
    Lessons,
    Directions,
    Proposals,
    Other,
}

impl SectionKind {
    pub const ALL: [SectionKind; 8] = [
        SectionKind::Situation,
        SectionKind::Leadership,
        SectionKind::Results,
        SectionKind::Assessment,
        SectionKind::Lessons,
        SectionKind::Directions,
        SectionKind::Proposals,
        SectionKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SectionKind::Situation => "situation",
            SectionKind::Leadership => "leadership",
            SectionKind::Results => "results",
            SectionKind::Assessment => "assessment",
            SectionKind::Lessons => "lessons",
            SectionKind::Directions => "directions",
            SectionKind::Proposals => "proposals",
            SectionKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Result<SectionKind, DomainError> {
        SectionKind::ALL
            .into_iter()
            .find(|k| k.code() == s.trim())
            .ok_or_else(|| {
                DomainError::invalid(format!("Không có loại mục \u{201C}{}\u{201D}", s.trim()))
            })
    }

    /// The kind's name on a page ("Kết quả đạt được (tự động từ số liệu)").
    pub fn label_vi(self) -> &'static str {
        match self {
            SectionKind::Situation => "Đặc điểm tình hình",
            SectionKind::Leadership => "Công tác lãnh đạo, chỉ đạo, triển khai",
            SectionKind::Results => "Kết quả đạt được (viết tự động từ số liệu đã duyệt)",
            SectionKind::Assessment => "Đánh giá chung",
            SectionKind::Lessons => "Bài học kinh nghiệm",
            SectionKind::Directions => "Phương hướng, nhiệm vụ",
            SectionKind::Proposals => "Đề xuất, kiến nghị",
            SectionKind::Other => "Mục khác",
        }
    }

    /// Is the section written from the data rather than typed?
    pub fn generated(self) -> bool {
        self == SectionKind::Results
    }
}

/// One section of a review (or of a template): its kind, heading (printed
/// in capitals after its Roman numeral) and, for a typed section, the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub kind: SectionKind,
    pub heading: String,
    /// The officer's text (see [`rich`]); empty for `Results`.
    #[serde(default)]
    pub text: String,
}

impl Section {
    pub fn new(kind: SectionKind, heading: impl Into<String>, text: impl Into<String>) -> Section {
        Section {
            kind,
            heading: heading.into(),
            text: text.into(),
        }
    }

    /// The blocks of the typed text (none for `Results`).
    pub fn blocks(&self) -> Vec<Block> {
        // Stored text was checked when saved; an old one that no longer
        // parses prints as one paragraph rather than failing the export.
        rich::parse(&self.text).unwrap_or_else(|_| {
            vec![Block::Paragraph {
                spans: rich::inline(&self.text),
            }]
        })
    }

    /// A typed section nobody has written yet: empty, or only the
    /// template's bold sub-headings ("**1. Ưu điểm**" with nothing under it).
    pub fn unwritten(&self) -> bool {
        if self.kind.generated() {
            return false;
        }
        self.blocks().iter().all(|b| match b {
            Block::Paragraph { spans } => spans.iter().all(|s| s.bold || s.text.trim().is_empty()),
            _ => false,
        })
    }
}

/// Check the sections an officer sends: at most [`MAX_SECTIONS`], exactly one
/// `Results`, every heading present and bounded, every text readable. The
/// text is kept as typed (NFC); headings are cleaned.
pub fn check_sections(sections: Vec<Section>) -> Result<Vec<Section>, DomainError> {
    if sections.len() > MAX_SECTIONS {
        return Err(DomainError::invalid(format!(
            "Một báo cáo có tối đa {MAX_SECTIONS} mục"
        )));
    }
    let results = sections
        .iter()
        .filter(|s| s.kind == SectionKind::Results)
        .count();
    if results != 1 {
        return Err(DomainError::invalid(
            "Báo cáo phải có đúng một mục \u{201C}Kết quả đạt được\u{201D} (viết từ số liệu)",
        ));
    }
    sections
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let heading = text::clean(&s.heading);
            if heading.is_empty() {
                return Err(DomainError::invalid(format!(
                    "Mục thứ {} chưa có tiêu đề",
                    i + 1
                )));
            }
            let label = format!("Tiêu đề mục thứ {}", i + 1);
            text::check_printable(&label, &s.heading)?;
            text::check_len(&label, &heading, MAX_HEADING_CHARS)?;
            // Browsers send CRLF; the text is kept with LF only.
            let body = text::nfc(&s.text.replace("\r\n", "\n").replace('\r', "\n"));
            rich::parse(&body)
                .map_err(|e| DomainError::invalid(format!("Mục \u{201C}{heading}\u{201D}: {e}")))?;
            let body = if s.kind.generated() {
                String::new()
            } else {
                body
            };
            Ok(Section {
                kind: s.kind,
                heading,
                text: body,
            })
        })
        .collect()
}

/// Which national template a stage takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateKind {
    Year,
    Half,
    Five,
    Ten,
}

impl TemplateKind {
    pub const ALL: [TemplateKind; 4] = [
        TemplateKind::Year,
        TemplateKind::Half,
        TemplateKind::Five,
        TemplateKind::Ten,
    ];

    pub fn of(stage: &Stage) -> TemplateKind {
        if stage.half.is_some() {
            TemplateKind::Half
        } else if stage.from == stage.to {
            TemplateKind::Year
        } else if super::stage_years(stage.from, stage.to) < 10 {
            TemplateKind::Five
        } else {
            TemplateKind::Ten
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            TemplateKind::Year => "year",
            TemplateKind::Half => "half",
            TemplateKind::Five => "five",
            TemplateKind::Ten => "ten",
        }
    }

    pub fn parse(s: &str) -> Result<TemplateKind, DomainError> {
        TemplateKind::ALL
            .into_iter()
            .find(|k| k.code() == s.trim())
            .ok_or_else(|| {
                DomainError::invalid(format!("Không có loại mẫu \u{201C}{}\u{201D}", s.trim()))
            })
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            TemplateKind::Year => "Báo cáo năm",
            TemplateKind::Half => "Sơ kết 6 tháng",
            TemplateKind::Five => "Sơ kết 5 năm",
            TemplateKind::Ten => "Tổng kết 10 năm",
        }
    }
}

const ASSESSMENT_HINT: &str =
    "**1. Ưu điểm**\n\n\n**2. Hạn chế, tồn tại**\n\n\n**3. Nguyên nhân**\n\n";

/// The national default template of a kind: the sections of a real report
/// in the order provinces write them. A province may keep its own copy.
pub fn default_template(kind: TemplateKind) -> Vec<Section> {
    use SectionKind::*;
    let next = match kind {
        TemplateKind::Year => "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM TỚI",
        TemplateKind::Half => "PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG TỚI",
        TemplateKind::Five | TemplateKind::Ten => "PHƯƠNG HƯỚNG, NHIỆM VỤ GIAI ĐOẠN TỚI",
    };
    let mut v = vec![
        Section::new(Situation, "ĐẶC ĐIỂM TÌNH HÌNH", ""),
        Section::new(Leadership, "CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TRIỂN KHAI", ""),
        Section::new(Results, "KẾT QUẢ ĐẠT ĐƯỢC", ""),
        Section::new(Assessment, "ĐÁNH GIÁ CHUNG", ASSESSMENT_HINT),
    ];
    if matches!(kind, TemplateKind::Five | TemplateKind::Ten) {
        v.push(Section::new(Lessons, "BÀI HỌC KINH NGHIỆM", ""));
    }
    v.push(Section::new(Directions, next, ""));
    v.push(Section::new(Proposals, "ĐỀ XUẤT, KIẾN NGHỊ", ""));
    v
}

/// The "Công tác lãnh đạo, chỉ đạo" section drafted from the document
/// register: one bullet per document, cited as Nghị định 30 wants, oldest
/// first. Empty when the register holds none (the officer writes it).
pub fn leadership_text(citations: &[String]) -> String {
    if citations.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "Quán triệt và triển khai các văn bản chỉ đạo, hướng dẫn về phong trào, trong kỳ đã ban hành và thực hiện:\n",
    );
    for c in citations {
        out.push_str("- ");
        out.push_str(c.trim_end_matches(['.', ';']));
        out.push_str(";\n");
    }
    out
}

/// "Trên đây là Báo cáo tổng kết … của Công an tỉnh …./.": the closing
/// sentence, from the title and the issuers named in running text.
pub fn closing_sentence(title: &str, issuers_in_text: &str) -> String {
    let mut t = title.trim().trim_end_matches('.').to_string();
    if let Some(first) = t.chars().next() {
        // "Tổng kết 10 năm …" → "tổng kết 10 năm …"; "Kết quả …" → "kết quả …".
        t = first.to_lowercase().chain(t.chars().skip(1)).collect();
    }
    // A title that already says "Báo cáo …" is not repeated.
    if let Some(rest) = t.strip_prefix("báo cáo ") {
        t = rest.to_string();
    }
    format!("Trên đây là Báo cáo {t} của {issuers_in_text}./.")
}

/// How complete the data behind a review was when it was built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DataCoverage {
    /// Units expected to report in the stage (every unit of the subtree that
    /// reports, whether or not it started a report).
    pub units_expected: u64,
    /// Units all of whose reports of the stage are approved.
    pub units_approved: u64,
}

/// "DỰ THẢO – chưa đủ số liệu" and why, while the data is not complete:
/// no approved data at all, or a unit whose reports are not all approved
/// (a unit that never started a report counts as not approved).
pub fn draft_reason(c: &DataCoverage) -> Option<String> {
    if c.units_expected == 0 {
        return Some("Chưa có đơn vị nào có số liệu được duyệt trong kỳ.".into());
    }
    if c.units_approved >= c.units_expected {
        return None;
    }
    if c.units_approved == 0 {
        return Some(format!(
            "Chưa có số liệu được duyệt: 0 trên {} đơn vị phải báo cáo.",
            format_int(c.units_expected as i64)
        ));
    }
    Some(format!(
        "Mới có {} trên {} đơn vị phải báo cáo có đủ số liệu được duyệt ({}).",
        format_int(c.units_approved as i64),
        format_int(c.units_expected as i64),
        format_percent(c.units_approved as f64 / c.units_expected as f64, 1)
    ))
}

/// The words of the stamp printed at the top of a draft.
pub const DRAFT_STAMP: &str = "DỰ THẢO – chưa đủ số liệu";

/// The last day of the data a stage covers (antq's reporting calendar:
/// a year runs 15/12 → 14/12, a half-year to 14/6 or 14/12).
pub fn data_end(stage: &Stage) -> chrono::NaiveDate {
    let (month, day) = match stage.half {
        Some(1) => (6, 14),
        _ => (12, 14),
    };
    chrono::NaiveDate::from_ymd_opt(stage.to, month, day).expect("a real day")
}

/// A warning when the issue date falls before the end of the data's period
/// (a report dated 18/5/2023 cannot report August's Ngày hội).
pub fn date_warning(stage: &Stage, issue: chrono::NaiveDate) -> Option<String> {
    let end = data_end(stage);
    (issue < end).then(|| {
        format!(
            "Ngày ban hành {} trước ngày kết thúc kỳ số liệu {}: báo cáo có thể gồm cả số liệu của các tháng sau ngày ban hành.",
            issue.format("%d/%m/%Y"),
            end.format("%d/%m/%Y")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_hold_a_real_report() {
        let ten = default_template(TemplateKind::Ten);
        let kinds: Vec<_> = ten.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                SectionKind::Situation,
                SectionKind::Leadership,
                SectionKind::Results,
                SectionKind::Assessment,
                SectionKind::Lessons,
                SectionKind::Directions,
                SectionKind::Proposals
            ]
        );
        assert!(!default_template(TemplateKind::Year)
            .iter()
            .any(|s| s.kind == SectionKind::Lessons));
        assert_eq!(
            TemplateKind::of(&Stage::years(2013, 2023)),
            TemplateKind::Ten
        );
        assert_eq!(
            TemplateKind::of(&Stage::years(2016, 2020)),
            TemplateKind::Five
        );
        assert_eq!(
            TemplateKind::of(&Stage::parse("2026S1", None).unwrap()),
            TemplateKind::Half
        );
        assert!(check_sections(ten).is_ok());
    }

    #[test]
    fn sections_are_checked() {
        let no_results = vec![Section::new(SectionKind::Situation, "A", "")];
        assert!(check_sections(no_results)
            .unwrap_err()
            .to_string()
            .contains("Kết quả đạt được"));
        let mut t = default_template(TemplateKind::Year);
        t[0].heading = "  ".into();
        assert_eq!(
            check_sections(t).unwrap_err().to_string(),
            "Mục thứ 1 chưa có tiêu đề"
        );
        let mut t = default_template(TemplateKind::Year);
        t[2].text = "ignored".into();
        t[0].text = "| a | b |".into();
        let ok = check_sections(t).unwrap();
        assert_eq!(ok[2].text, "", "the results section has no typed text");
        assert!(!ok[0].unwritten());
        assert!(ok[1].unwritten());
        let hints_only = Section::new(SectionKind::Assessment, "ĐÁNH GIÁ CHUNG", ASSESSMENT_HINT);
        assert!(
            hints_only.unwritten(),
            "the template's sub-headings alone are not written"
        );
        let written = Section::new(
            SectionKind::Assessment,
            "ĐÁNH GIÁ CHUNG",
            format!("{ASSESSMENT_HINT}Phong trào phát triển rộng khắp."),
        );
        assert!(!written.unwritten());
        let crlf = vec![
            Section::new(SectionKind::Situation, "A", "một\r\nhai"),
            Section::new(SectionKind::Results, "B", ""),
        ];
        assert_eq!(check_sections(crlf).unwrap()[0].text, "một\nhai");
        let bad = vec![
            Section::new(SectionKind::Situation, "A\u{FFFF}", ""),
            Section::new(SectionKind::Results, "B", ""),
        ];
        assert!(check_sections(bad)
            .unwrap_err()
            .to_string()
            .contains("U+FFFF"));
        let many = vec![Section::new(SectionKind::Other, "X", ""); MAX_SECTIONS + 1];
        assert!(check_sections(many).is_err());
    }

    #[test]
    fn closing_and_leadership() {
        assert_eq!(
            closing_sentence(
                "Tổng kết 10 năm thực hiện phong trào",
                "Công an tỉnh và Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Đồng Tháp"
            ),
            "Trên đây là Báo cáo tổng kết 10 năm thực hiện phong trào của Công an tỉnh và Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Đồng Tháp./."
        );
        assert_eq!(leadership_text(&[]), "");
        let t = leadership_text(&["Kế hoạch số 12/KH-CAT ngày 01/3/2014 của Công an tỉnh".into()]);
        let blocks = rich::parse(&t).unwrap();
        assert!(matches!(&blocks[1], Block::Bullets { items } if items.len() == 1));
    }

    #[test]
    fn drafts_say_why() {
        let none = DataCoverage::default();
        assert!(draft_reason(&none).unwrap().contains("Chưa có đơn vị"));
        let some = DataCoverage {
            units_expected: 163,
            units_approved: 12,
        };
        assert_eq!(
            draft_reason(&some).unwrap(),
            "Mới có 12 trên 163 đơn vị phải báo cáo có đủ số liệu được duyệt (7,4%)."
        );
        let all = DataCoverage {
            units_expected: 163,
            units_approved: 163,
        };
        assert_eq!(draft_reason(&all), None);
        let d = |s| crate::dates::parse_date(s).unwrap();
        let w = date_warning(&Stage::years(2013, 2023), d("2023-05-18")).unwrap();
        assert!(w.starts_with("Ngày ban hành 18/05/2023 trước ngày kết thúc kỳ số liệu 14/12/2023"));
        assert_eq!(
            date_warning(&Stage::years(2013, 2023), d("2023-12-20")),
            None
        );
        let h = Stage::parse("2026S1", None).unwrap();
        assert_eq!(date_warning(&h, d("2026-06-20")), None);
    }
}
