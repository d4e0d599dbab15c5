//! What a review's title and awards paragraph name: the programme (or plan)
//! that covers its stage, cited the first time as Nghị định 30 wants it
//! (kind, number and symbol, date, issuer, subject), and the awards of the
//! register kept with the review, said by issuer like the press says them.

use serde::{Deserialize, Serialize};

use crate::programmes::awards::{awards_sentence, AwardCount, RecipientKind};
use crate::programmes::FigureSource;

/// The movement every review is about, when no programme covers its stage.
pub const MOVEMENT: &str = "phong trào \u{201C}Toàn dân bảo vệ an ninh Tổ quốc\u{201D}";

/// The programme or plan a review cites, as it was when the review was built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeRef {
    pub id: i64,
    /// `chuong_trinh` or `ke_hoach`.
    pub kind: String,
    /// "09/CTr-BCA-MTTW"; none while the number is not known.
    #[serde(default)]
    pub reference: Option<String>,
    /// The date it was issued or signed (ISO).
    #[serde(default)]
    pub issued_on: Option<String>,
    /// Who issued it, in the order printed.
    #[serde(default)]
    pub issuers: Vec<String>,
    /// What it is about: "Đẩy mạnh phong trào Toàn dân bảo vệ an ninh Tổ quốc trong tình hình mới".
    pub subject: String,
    #[serde(default)]
    pub stage_from: Option<i32>,
    #[serde(default)]
    pub stage_to: Option<i32>,
}

impl ProgrammeRef {
    /// "Chương trình phối hợp", "Kế hoạch".
    pub fn kind_words(&self) -> &'static str {
        match self.kind.as_str() {
            "ke_hoach" => "Kế hoạch",
            _ => "Chương trình phối hợp",
        }
    }

    /// The first citation (Nghị định 30): "Chương trình phối hợp số
    /// 09/CTr-BCA-MTTW ngày 01/8/2013 của Bộ Công an và Ban Thường trực Ủy
    /// ban Trung ương MTTQ Việt Nam về “Đẩy mạnh phong trào …”". Without a
    /// number: its title and stage ("Chương trình phối hợp về “…” giai đoạn
    /// 2023 – 2033").
    pub fn citation(&self) -> String {
        let subject = subject_words(&self.subject);
        let subject = subject.as_str();
        let Some(reference) = self.reference.as_deref().filter(|r| !r.trim().is_empty()) else {
            let named = if starts_with_kind(subject) {
                subject.to_string()
            } else {
                format!("{} về \u{201C}{subject}\u{201D}", self.kind_words())
            };
            return match (self.stage_from, self.stage_to) {
                (Some(a), Some(b)) if !named.contains(&format!("{a}")) => {
                    format!("{named} giai đoạn {a} – {b}")
                }
                _ => named,
            };
        };
        let mut out = format!("{} số {}", self.kind_words(), reference.trim());
        if let Some(d) = self
            .issued_on
            .as_deref()
            .and_then(|d| crate::dates::parse_date(d).ok())
        {
            out.push_str(&format!(" ngày {}", short_date(d)));
        }
        if !self.issuers.is_empty() {
            out.push_str(&format!(" của {}", join_and(&self.issuers)));
        }
        out.push_str(&format!(" về \u{201C}{subject}\u{201D}"));
        out
    }
}

/// The subject as cited after "về": without quotes, without its own
/// "Về việc"/"Về" (never "về “Về việc …”"), starting with a capital.
fn subject_words(subject: &str) -> String {
    // Quotes around the whole subject go (the citation adds its own); a
    // quotation inside it keeps both of its marks.
    let s = subject.trim();
    let s = s
        .strip_prefix(['\u{201C}', '"'])
        .and_then(|r| r.strip_suffix(['\u{201D}', '"']))
        .unwrap_or(s)
        .trim();
    let rest = ["Về việc ", "về việc ", "Về ", "về "]
        .iter()
        .find_map(|p| s.strip_prefix(p))
        .unwrap_or(s)
        .trim();
    let mut c = rest.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn starts_with_kind(s: &str) -> bool {
    ["Chương trình", "Kế hoạch"]
        .iter()
        .any(|k| s.starts_with(k))
}

/// "a", "a và b", "a, b và c".
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} và {last}", init.join(", ")),
    }
}

/// "01/8/2013": the day on two digits, months 1 and 2 on two (Nghị định 30).
pub fn short_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let month = if d.month() <= 2 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    format!("{:02}/{month}/{}", d.day(), d.year())
}

/// One count of the award register kept with a review: how many
/// collectives (`tap_the`) or individuals (`ca_nhan`) an office gave a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardLine {
    /// "Chủ tịch UBND tỉnh".
    pub issuer: String,
    /// "Bằng khen".
    pub form: String,
    /// `tap_the` or `ca_nhan`.
    pub recipient_kind: String,
    pub count: i64,
}

impl AwardLine {
    pub fn from_count(c: &AwardCount) -> AwardLine {
        AwardLine {
            issuer: c.issuer.clone(),
            form: c.form.clone(),
            recipient_kind: c.recipient_kind.code().to_string(),
            count: c.count,
        }
    }

    fn as_count(&self) -> Option<AwardCount> {
        Some(AwardCount {
            form: self.form.clone(),
            issuer: self.issuer.clone(),
            recipient_kind: RecipientKind::parse(&self.recipient_kind).ok()?,
            count: self.count,
        })
    }
}

/// The conference where the review was presented and what was given there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConferenceAwards {
    pub id: i64,
    pub title: String,
    /// ISO date.
    pub held_on: String,
    pub lines: Vec<AwardLine>,
}

/// The awards of the register kept with a review (empty when the unit keeps
/// no register for the stage: the form figures are said instead).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Awards {
    /// Over the stage, by office × form × recipient kind.
    #[serde(default)]
    pub stage: Vec<AwardLine>,
    #[serde(default)]
    pub conference: Option<ConferenceAwards>,
}

/// The lines said the article's way: "Chủ tịch UBND tỉnh tặng Bằng khen cho
/// 2 tập thể, 5 cá nhân; …" (empty when nothing was given).
pub fn lines_sentence(lines: &[AwardLine]) -> String {
    let counts: Vec<AwardCount> = lines.iter().filter_map(AwardLine::as_count).collect();
    awards_sentence(&counts)
}

/// Where a figure came from, in words (for a hover and screen readers).
pub fn source_words(s: FigureSource) -> &'static str {
    match s {
        FigureSource::Form => "Nguồn: báo cáo định kỳ",
        FigureSource::Register => "Nguồn: sổ theo dõi (khen thưởng, sự kiện)",
        FigureSource::Both => "Nguồn: báo cáo định kỳ và sổ theo dõi",
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn programme_09() -> ProgrammeRef {
        ProgrammeRef {
            id: 1,
            kind: "chuong_trinh".into(),
            reference: Some("09/CTr-BCA-MTTW".into()),
            issued_on: Some("2013-08-01".into()),
            issuers: vec![
                "Bộ Công an".into(),
                "Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam".into(),
            ],
            subject: "Đẩy mạnh phong trào Toàn dân bảo vệ an ninh Tổ quốc trong tình hình mới"
                .into(),
            stage_from: Some(2013),
            stage_to: Some(2023),
        }
    }

    #[test]
    fn the_first_citation_has_kind_number_date_issuers_and_subject() {
        assert_eq!(
            programme_09().citation(),
            "Chương trình phối hợp số 09/CTr-BCA-MTTW ngày 01/8/2013 của Bộ Công an và \
             Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam về \u{201C}Đẩy mạnh phong trào \
             Toàn dân bảo vệ an ninh Tổ quốc trong tình hình mới\u{201D}"
        );
        // A subject that says "Về việc …" itself is cited once, never "về “Về việc …”".
        let own_words = ProgrammeRef {
            subject:
                "Về việc đẩy mạnh phong trào Toàn dân bảo vệ an ninh Tổ quốc trong tình hình mới"
                    .into(),
            ..programme_09()
        };
        assert_eq!(own_words.citation(), programme_09().citation());
        let quoted = ProgrammeRef {
            subject: "\u{201C}Đẩy mạnh phong trào Toàn dân bảo vệ an ninh Tổ quốc trong tình hình mới\u{201D}".into(),
            ..programme_09()
        };
        assert_eq!(quoted.citation(), programme_09().citation());
        let successor = ProgrammeRef {
            reference: None,
            issued_on: None,
            stage_from: Some(2023),
            stage_to: Some(2033),
            ..programme_09()
        };
        assert_eq!(
            successor.citation(),
            "Chương trình phối hợp về \u{201C}Đẩy mạnh phong trào Toàn dân bảo vệ an ninh \
             Tổ quốc trong tình hình mới\u{201D} giai đoạn 2023 – 2033"
        );
        let plan = ProgrammeRef {
            kind: "ke_hoach".into(),
            reference: None,
            subject: "Kế hoạch phối hợp phát huy vai trò Tổ Nhân dân tự quản".into(),
            stage_from: None,
            stage_to: None,
            ..programme_09()
        };
        assert_eq!(
            plan.citation(),
            "Kế hoạch phối hợp phát huy vai trò Tổ Nhân dân tự quản"
        );
        let quoting = ProgrammeRef {
            subject: "Kế hoạch xây dựng khu dân cư \u{201C}An ninh - An toàn - An dân\u{201D}"
                .into(),
            ..plan.clone()
        };
        assert!(
            quoting.citation().ends_with("An dân\u{201D}"),
            "a quotation inside the subject keeps its closing mark: {}",
            quoting.citation()
        );
        let d = crate::dates::parse_date("2024-02-09").unwrap();
        assert_eq!(short_date(d), "09/02/2024");
    }

    #[test]
    fn award_lines_are_said_by_issuer() {
        let l = |i: &str, f: &str, k: &str, n| AwardLine {
            issuer: i.into(),
            form: f.into(),
            recipient_kind: k.into(),
            count: n,
        };
        assert_eq!(
            lines_sentence(&[
                l("Chủ tịch UBND tỉnh", "Bằng khen", "tap_the", 2),
                l("Chủ tịch UBND tỉnh", "Bằng khen", "ca_nhan", 5),
                l("Giám đốc Công an tỉnh", "Giấy khen", "tap_the", 15),
            ]),
            "Chủ tịch UBND tỉnh tặng Bằng khen cho 2 tập thể, 5 cá nhân; \
             Giám đốc Công an tỉnh tặng Giấy khen cho 15 tập thể"
        );
        assert!(source_words(FigureSource::Register).starts_with("Nguồn"));
    }
}
