//! A citizen's tip as sent ([`NewTip`]) and as checked ([`TipContent`], the
//! plaintext that is encrypted before storage).
//!
//! The unit and the "concerns the local officers" flag are routing, not
//! content: they stay outside [`TipContent`] and are used by the caller.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::categories::{check_answers, Answers, Category};
use super::identifiers::{normalize, Identifier, IdentifierKind};
use crate::text;
use crate::DomainError;

/// Shortest and longest free text of a tip, in characters.
pub const TEXT_LEN: std::ops::RangeInclusive<usize> = 10..=20_000;
/// Most structured identifiers in one tip.
pub const MAX_IDENTIFIERS: usize = 20;

/// A tip as a citizen's browser or script sends it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewTip {
    /// The category's code.
    pub category: String,
    /// The code of the unit where it happened (down to the commune).
    pub unit_code: String,
    /// Residential area (thôn, tổ dân phố), optional.
    #[serde(default)]
    pub area: Option<String>,
    /// The place (address, landmark), optional.
    #[serde(default)]
    pub place: Option<String>,
    /// When it happened, in the tipster's words ("tối thứ Bảy hằng tuần").
    #[serde(default)]
    pub happened: Option<String>,
    pub text: String,
    /// Answers to the category's questions: (question key, answer).
    #[serde(default)]
    pub answers: Vec<(String, String)>,
    /// Structured identifiers: (kind, as typed), scam category only.
    #[serde(default)]
    pub identifiers: Vec<(String, String)>,
    /// The tipster says the information concerns officers of that unit.
    #[serde(default)]
    pub concerns_local_officers: bool,
    /// Contact details, optional.
    #[serde(default)]
    pub contact: Option<String>,
}

/// The checked content of a tip: what is encrypted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TipContent {
    pub category: String,
    pub area: Option<String>,
    pub place: Option<String>,
    pub happened: Option<String>,
    pub text: String,
    pub answers: Answers,
    /// Normalised, without duplicates, in the order first given.
    pub identifiers: Vec<Identifier>,
    pub contact: Option<String>,
}

/// Does a structured field of the tip (an answer of the questionnaire, the
/// residential area or the place) name the police of the unit where it
/// happened ("Công an xã Mường Phăng", "CA xã Mường Phăng", "công an Mường
/// Phăng")? Then the tip concerns that unit's officers and is routed one
/// level up even if the tipster did not tick the box. `unit_name` is the
/// unit's full name ("Xã Mường Phăng"). The free text is not searched: a
/// tip may well praise or mention the commune police without accusing them.
/// A name that merely begins with the unit's ("… Mường Phăng Mới") also
/// counts: an error that way sends the tip one level up, which is safe.
pub fn names_local_police(content: &TipContent, unit_name: &str) -> bool {
    let folded = text::fold(unit_name);
    let base = LEVEL_WORDS
        .iter()
        .find_map(|w| folded.strip_prefix(w).map(str::trim))
        .unwrap_or(&folded);
    if base.is_empty() {
        return false;
    }
    let fields = content
        .answers
        .0
        .values()
        .chain(content.area.iter())
        .chain(content.place.iter());
    fields.map(|f| text::fold(f)).any(|f| {
        ["cong an ", "ca "].iter().any(|police| {
            f.match_indices(police).any(|(at, p)| {
                let after = &f[at + p.len()..];
                let after = LEVEL_WORDS
                    .iter()
                    .find_map(|w| after.strip_prefix(w).map(str::trim_start))
                    .unwrap_or(after);
                let starts_word = at == 0 || !f[..at].ends_with(|c: char| c.is_alphanumeric());
                starts_word
                    && after.starts_with(base)
                    && !after[base.len()..].starts_with(|c: char| c.is_alphanumeric())
            })
        })
    })
}

/// The words that begin a unit's name, folded, longest first.
const LEVEL_WORDS: [&str; 5] = ["thi tran ", "dac khu ", "phuong ", "xa ", "tinh "];

/// An optional one-line field: bounded, printable, cleaned; empty → `None`.
fn optional(label: &str, v: Option<String>, max: usize) -> Result<Option<String>, DomainError> {
    let Some(v) = v else { return Ok(None) };
    text::check_len(label, &v, max)?;
    text::check_printable(label, &v)?;
    let v = text::clean(&v);
    Ok((!v.is_empty()).then_some(v))
}

fn check_text(raw: &str) -> Result<String, DomainError> {
    let label = "Nội dung tin báo";
    text::check_len(label, raw, *TEXT_LEN.end())?;
    text::check_printable(label, raw)?;
    let t = text::nfc(raw.trim());
    if t.chars().count() < *TEXT_LEN.start() {
        return Err(DomainError::invalid(
            "Nội dung tin báo quá ngắn: xin viết ít nhất 10 ký tự về việc bạn biết",
        ));
    }
    Ok(t)
}

fn check_identifiers(
    cat: &Category,
    raw: Vec<(String, String)>,
) -> Result<Vec<Identifier>, DomainError> {
    if raw.is_empty() {
        return Ok(Vec::new());
    }
    if !cat.scam {
        return Err(DomainError::invalid(
            "Chỉ tin báo về lừa đảo trên không gian mạng mới ghi số điện thoại, tài khoản, địa chỉ trang web theo mục riêng: xin ghi vào nội dung tin báo",
        ));
    }
    if raw.len() > MAX_IDENTIFIERS {
        return Err(DomainError::invalid(format!(
            "Tin báo có {} định danh, vượt giới hạn {MAX_IDENTIFIERS}",
            raw.len()
        )));
    }
    let mut out: Vec<Identifier> = Vec::with_capacity(raw.len());
    for (i, (kind, value)) in raw.into_iter().enumerate() {
        let n = i + 1;
        let kind: IdentifierKind = kind
            .trim()
            .parse()
            .map_err(|e: DomainError| DomainError::invalid(format!("Định danh thứ {n}: {e}")))?;
        if value.trim().is_empty() {
            continue;
        }
        let id = normalize(kind, &value)
            .map_err(|e| DomainError::invalid(format!("Định danh thứ {n}: {e}")))?;
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

/// Check a citizen's tip against its category (`cat` is the category named
/// by `tip.category`; the caller looks it up and refuses an inactive one).
/// A unit code is given (at most 64 bytes; the caller looks it up).
/// Text 10–20.000 characters; area and place at most 300, when at most 100,
/// contact at most 500; at most 20 identifiers, for the scam category only
/// (an empty one is dropped, a repeated one kept once); answers as
/// [`check_answers`]. Everything NFC and printable.
pub fn check_tip(cat: &Category, tip: NewTip, today: NaiveDate) -> Result<TipContent, DomainError> {
    if tip.category != cat.code {
        return Err(DomainError::invalid(
            "Loại tin báo không khớp với bộ câu hỏi: xin tải lại trang",
        ));
    }
    let unit = tip.unit_code.trim();
    if unit.is_empty() || unit.len() > 64 || unit.chars().any(crate::text::unprintable) {
        return Err(DomainError::invalid(
            "Xin chọn nơi xảy ra việc (xã, phường, thị trấn)",
        ));
    }
    let area = optional("Khu dân cư", tip.area, 300)?;
    let place = optional("Địa điểm", tip.place, 300)?;
    let happened = optional("Thời gian xảy ra", tip.happened, 100)?;
    let text = check_text(&tip.text)?;
    let answers = check_answers(cat, tip.answers, today)?;
    let identifiers = check_identifiers(cat, tip.identifiers)?;
    let contact = match tip.contact {
        Some(c) => {
            text::check_len("Thông tin liên lạc", &c, 500)?;
            text::check_printable("Thông tin liên lạc", &c)?;
            let c = text::nfc(c.trim());
            (!c.is_empty()).then_some(c)
        }
        None => None,
    };
    Ok(TipContent {
        category: cat.code.clone(),
        area,
        place,
        happened,
        text,
        answers,
        identifiers,
        contact,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tips::categories::default_categories;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
    }

    fn cat(code: &str) -> Category {
        default_categories()
            .into_iter()
            .find(|c| c.code == code)
            .unwrap()
    }

    fn scam_tip() -> NewTip {
        NewTip {
            category: "lua_dao_mang".into(),
            unit_code: "xa_muong_phang".into(),
            area: Some("  Bản  Mường Phăng ".into()),
            place: None,
            happened: Some("Tối 01/12".into()),
            text: "Có người gọi giả danh công an yêu cầu chuyển tiền.".into(),
            answers: vec![("cach_lien_lac".into(), "Điện thoại".into())],
            identifiers: vec![
                ("phone".into(), "+84 912 345 678".into()),
                ("phone".into(), "0912.345.678".into()),
                ("bank_account".into(), "VCB 0123456789".into()),
                ("web".into(), "  ".into()),
            ],
            concerns_local_officers: false,
            contact: Some("".into()),
        }
    }

    #[test]
    fn a_scam_tip_is_checked_and_normalised() {
        let c = check_tip(&cat("lua_dao_mang"), scam_tip(), today()).unwrap();
        assert_eq!(c.category, "lua_dao_mang");
        assert_eq!(c.area.as_deref(), Some("Bản Mường Phăng"));
        assert_eq!(c.place, None);
        assert_eq!(c.contact, None);
        assert_eq!(c.answers.0["cach_lien_lac"], "Điện thoại");
        let values: Vec<_> = c.identifiers.iter().map(|i| i.value.as_str()).collect();
        assert_eq!(values, ["0912345678", "VCB:0123456789"]);
        // The content round-trips through JSON (it is encrypted as JSON).
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<TipContent>(&json).unwrap(), c);
        assert!(!json.contains("unit_code"));
    }

    #[test]
    fn a_tip_deserialises_with_optional_fields_missing() {
        let tip: NewTip = serde_json::from_str(
            r#"{"category":"khac","unit_code":"x","text":"Một việc cần báo cho công an xã."}"#,
        )
        .unwrap();
        assert!(!tip.concerns_local_officers);
        let c = check_tip(&cat("khac"), tip, today()).unwrap();
        assert!(c.identifiers.is_empty() && c.answers.0.is_empty());
    }

    #[test]
    fn identifiers_only_for_the_scam_category() {
        let mut tip = scam_tip();
        tip.category = "ma_tuy".into();
        tip.answers = vec![("hoat_dong".into(), "Mua bán".into())];
        let e = check_tip(&cat("ma_tuy"), tip, today())
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("Chỉ tin báo về lừa đảo"), "{e}");
    }

    #[test]
    fn bad_tips_are_refused_in_vietnamese() {
        let scam = cat("lua_dao_mang");
        let e = |edit: &dyn Fn(&mut NewTip)| {
            let mut t = scam_tip();
            edit(&mut t);
            check_tip(&scam, t, today()).unwrap_err().to_string()
        };
        assert!(e(&|t| t.text = "  ngắn  ".into()).starts_with("Nội dung tin báo quá ngắn"));
        assert!(e(&|t| t.text = "x".repeat(20_001)).contains("vượt giới hạn 20.000 ký tự"));
        assert!(e(&|t| t.text.push('\u{0}')).contains("không in được"));
        assert!(e(&|t| t.area = Some("x".repeat(301))).starts_with("Khu dân cư dài 301"));
        assert!(e(&|t| t.place = Some("x".repeat(301))).starts_with("Địa điểm dài"));
        assert!(e(&|t| t.happened = Some("x".repeat(101))).starts_with("Thời gian xảy ra dài"));
        assert!(e(&|t| t.contact = Some("x".repeat(501))).starts_with("Thông tin liên lạc dài"));
        assert!(e(&|t| t.answers.clear()).starts_with("Xin trả lời câu hỏi"));
        assert!(e(&|t| t.category = "khac".into()).contains("không khớp"));
        assert!(e(&|t| t.unit_code = " ".into()).starts_with("Xin chọn nơi xảy ra"));
        assert!(e(&|t| t.unit_code = "x".repeat(65)).starts_with("Xin chọn nơi xảy ra"));
        assert_eq!(
            e(&|t| t.identifiers = vec![("phone".into(), "0123".into()); 21]),
            "Tin báo có 21 định danh, vượt giới hạn 20"
        );
        let bad = e(&|t| t.identifiers.push(("phone".into(), "12345".into())));
        assert!(
            bad.starts_with("Định danh thứ 5: Số điện thoại không hợp lệ"),
            "{bad}"
        );
        assert!(
            e(&|t| t.identifiers.push(("email".into(), "a@b.vn".into())))
                .starts_with("Định danh thứ 5: \"email\" không phải loại định danh")
        );
    }

    #[test]
    fn text_keeps_its_line_breaks_in_nfc() {
        use unicode_normalization::UnicodeNormalization;
        let mut t = scam_tip();
        t.text = "Dòng một.\nDòng hai rất dài.".nfd().collect();
        t.contact = Some(" Gọi 0912345678\nsau 18 giờ ".into());
        let c = check_tip(&cat("lua_dao_mang"), t, today()).unwrap();
        assert_eq!(c.text, "Dòng một.\nDòng hai rất dài.");
        assert_eq!(c.contact.as_deref(), Some("Gọi 0912345678\nsau 18 giờ"));
    }

    #[test]
    fn a_structured_field_naming_the_commune_police_is_found() {
        let with = |answer: &str, place: Option<&str>| TipContent {
            category: "khac".into(),
            area: None,
            place: place.map(str::to_string),
            happened: None,
            text: "Công an xã Mường Phăng đã đến hiện trường.".into(),
            answers: Answers([("doi_tuong".to_string(), answer.to_string())].into()),
            identifiers: Vec::new(),
            contact: None,
        };
        let unit = "Xã Mường Phăng";
        for named in [
            "Một cán bộ Công an xã Mường Phăng",
            "CA XÃ MƯỜNG PHĂNG",
            "cong an muong phang",
            "Công an Mường Phăng, tổ tuần tra",
        ] {
            assert!(names_local_police(&with(named, None), unit), "{named}");
        }
        assert!(names_local_police(
            &with("", Some("Trụ sở Công an xã Mường Phăng")),
            unit
        ));
        for not in [
            "Ông A ở bản Mường Phăng",
            "Công an xã Nà Tấu",
            "mica Mường Phăng",
        ] {
            assert!(!names_local_police(&with(not, None), unit), "{not}");
        }
        // The free text alone never routes the tip.
        assert!(!names_local_police(&with("", None), unit));
    }
}
