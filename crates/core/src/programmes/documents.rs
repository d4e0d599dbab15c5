//! Document references: kinds of documents and their number and symbol,
//! parsed and printed in the three patterns of Nghị định 30 and the Party's
//! rules (`124/2021/TT-BCA`, `510/QĐ-BCA-V05`, `09-CT/TW`), with the joint
//! programmes' `09/CTr-BCA-MTTW`, and the key under which aliases match.
//! Also the kinds and states of coordination programmes and plans.
//! (Owned by the documents work of issue 12.)

use std::fmt;

use serde::Serialize;

use crate::text;
use crate::DomainError;

/// The kind of a document, stored by its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    ChiThi,
    NghiQuyet,
    KetLuan,
    QuyetDinh,
    ThongTu,
    NghiDinh,
    Luat,
    ChuongTrinh,
    KeHoach,
    HuongDan,
    BaoCao,
    CongVan,
    ThongBao,
    Khac,
}

impl DocKind {
    pub const ALL: [DocKind; 14] = [
        DocKind::ChiThi,
        DocKind::NghiQuyet,
        DocKind::KetLuan,
        DocKind::QuyetDinh,
        DocKind::ThongTu,
        DocKind::NghiDinh,
        DocKind::Luat,
        DocKind::ChuongTrinh,
        DocKind::KeHoach,
        DocKind::HuongDan,
        DocKind::BaoCao,
        DocKind::CongVan,
        DocKind::ThongBao,
        DocKind::Khac,
    ];

    /// The stored and API code.
    pub fn code(self) -> &'static str {
        match self {
            DocKind::ChiThi => "chi_thi",
            DocKind::NghiQuyet => "nghi_quyet",
            DocKind::KetLuan => "ket_luan",
            DocKind::QuyetDinh => "quyet_dinh",
            DocKind::ThongTu => "thong_tu",
            DocKind::NghiDinh => "nghi_dinh",
            DocKind::Luat => "luat",
            DocKind::ChuongTrinh => "chuong_trinh",
            DocKind::KeHoach => "ke_hoach",
            DocKind::HuongDan => "huong_dan",
            DocKind::BaoCao => "bao_cao",
            DocKind::CongVan => "cong_van",
            DocKind::ThongBao => "thong_bao",
            DocKind::Khac => "khac",
        }
    }

    /// The kind in words: "Chỉ thị", "Chương trình phối hợp".
    pub fn word_vi(self) -> &'static str {
        match self {
            DocKind::ChiThi => "Chỉ thị",
            DocKind::NghiQuyet => "Nghị quyết",
            DocKind::KetLuan => "Kết luận",
            DocKind::QuyetDinh => "Quyết định",
            DocKind::ThongTu => "Thông tư",
            DocKind::NghiDinh => "Nghị định",
            DocKind::Luat => "Luật",
            DocKind::ChuongTrinh => "Chương trình phối hợp",
            DocKind::KeHoach => "Kế hoạch",
            DocKind::HuongDan => "Hướng dẫn",
            DocKind::BaoCao => "Báo cáo",
            DocKind::CongVan => "Công văn",
            DocKind::ThongBao => "Thông báo",
            DocKind::Khac => "Văn bản khác",
        }
    }

    /// The abbreviation in the symbol ("TT", "QĐ", "CTr"); none for laws
    /// (their symbol is the legislature's, "QH15"), letters and others.
    pub fn abbreviation(self) -> Option<&'static str> {
        Some(match self {
            DocKind::ChiThi => "CT",
            DocKind::NghiQuyet => "NQ",
            DocKind::KetLuan => "KL",
            DocKind::QuyetDinh => "QĐ",
            DocKind::ThongTu => "TT",
            DocKind::NghiDinh => "NĐ",
            DocKind::ChuongTrinh => "CTr",
            DocKind::KeHoach => "KH",
            DocKind::HuongDan => "HD",
            DocKind::BaoCao => "BC",
            DocKind::ThongBao => "TB",
            DocKind::Luat | DocKind::CongVan | DocKind::Khac => return None,
        })
    }

    /// A kind from its code or its words ("quyet_dinh", "Quyết định", "quyết định").
    pub fn parse(s: &str) -> Result<DocKind, DomainError> {
        let t = s.trim();
        let folded = text::fold(t);
        DocKind::ALL
            .into_iter()
            .find(|k| {
                k.code() == t
                    || text::fold(k.word_vi()) == folded
                    || (*k == DocKind::Luat && folded == "bo luat")
                    || (*k == DocKind::ChuongTrinh && folded == "chuong trinh")
            })
            .ok_or_else(|| {
                DomainError::invalid(format!(
                    "Loại văn bản không hợp lệ: \u{201C}{t}\u{201D} (ví dụ: Chỉ thị, Quyết định, Thông tư, Chương trình phối hợp, Kế hoạch)"
                ))
            })
    }
}

/// The abbreviations a symbol may carry in front of its issuer (Nghị định 30,
/// Appendix III, and the Party's rules), with the kind each one means.
const ABBREVIATIONS: [(&str, DocKind); 20] = [
    ("CT", DocKind::ChiThi),
    ("NQ", DocKind::NghiQuyet),
    ("KL", DocKind::KetLuan),
    ("QĐ", DocKind::QuyetDinh),
    ("TT", DocKind::ThongTu),
    ("NĐ", DocKind::NghiDinh),
    ("CTr", DocKind::ChuongTrinh),
    ("KH", DocKind::KeHoach),
    ("HD", DocKind::HuongDan),
    ("BC", DocKind::BaoCao),
    ("TB", DocKind::ThongBao),
    ("TTr", DocKind::Khac),
    ("BB", DocKind::Khac),
    ("GM", DocKind::Khac),
    ("QC", DocKind::Khac),
    ("QyĐ", DocKind::Khac),
    ("PA", DocKind::Khac),
    ("ĐA", DocKind::Khac),
    ("CĐ", DocKind::Khac),
    ("HĐ", DocKind::Khac),
];

/// The canonical abbreviation a symbol segment stands for: the same letters
/// in any case ("Ctr" → "CTr"), or without the stroke of Đ when only one
/// abbreviation fits ("QD" → "QĐ"; "HD" stays Hướng dẫn).
fn abbreviation(segment: &str) -> Option<(&'static str, DocKind)> {
    let upper = segment.to_uppercase();
    if let Some(hit) = ABBREVIATIONS
        .iter()
        .find(|(a, _)| a.to_uppercase() == upper)
    {
        return Some(*hit);
    }
    let folded = text::fold(segment);
    let mut fits = ABBREVIATIONS
        .iter()
        .filter(|(a, _)| text::fold(a) == folded);
    match (fits.next(), fits.next()) {
        (Some(hit), None) => Some(*hit),
        _ => None,
    }
}

/// How a reference is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RefPattern {
    /// Legal normative documents: `124/2021/TT-BCA`, `06/2022/QH15`.
    State,
    /// Administrative documents and joint programmes: `510/QĐ-BCA-V05`, `09/CTr-BCA-MTTW`.
    Administrative,
    /// Party documents: `09-CT/TW`.
    Party,
}

/// A parsed number and symbol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocRef {
    /// As printed, leading zero kept: "09".
    pub number: String,
    pub year: Option<i32>,
    /// The canonical abbreviation of the kind ("QĐ", "CTr"), if the symbol has one.
    pub kind: Option<String>,
    /// The issuer's parts after the kind: ["BCA", "V05"], ["TW"], ["QH15"].
    pub issuer: Vec<String>,
    pub pattern: RefPattern,
}

impl DocRef {
    /// Parse a reference as printed or typed; spaces are tolerated.
    pub fn parse(input: &str) -> Result<DocRef, DomainError> {
        let shown = text::clean(input);
        let mut s: String = shown
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
                c => c,
            })
            .collect();
        let lower = s.to_lowercase();
        if let Some(rest) = lower
            .strip_prefix("số:")
            .or_else(|| lower.strip_prefix("số"))
        {
            s = s[s.len() - rest.len()..].to_string();
        }
        if s.is_empty() {
            return Err(DomainError::invalid("Số, ký hiệu văn bản đang để trống"));
        }
        check_len("Số, ký hiệu", &s)?;
        let bad = |why: &str| {
            DomainError::invalid(format!(
                "\u{201C}{shown}\u{201D} không phải số, ký hiệu văn bản: {why} (ví dụ 124/2021/TT-BCA, 510/QĐ-BCA-V05, 09-CT/TW)"
            ))
        };
        let Some((head, symbol)) = s.split_once('/') else {
            return Err(bad("thiếu dấu \u{201C}/\u{201D}"));
        };
        if let Some((number, kind)) = head.split_once('-') {
            // Party: 09-CT/TW.
            let number = parse_number(number).ok_or_else(|| bad("số phải là chữ số"))?;
            let (abbr, _) = abbreviation(kind)
                .ok_or_else(|| bad(&format!("không rõ loại \u{201C}{kind}\u{201D}")))?;
            let issuer = issuer_parts(&symbol.replace('/', "-"))
                .ok_or_else(|| bad("thiếu cơ quan ban hành"))?;
            return Ok(DocRef {
                number,
                year: None,
                kind: Some(abbr.into()),
                issuer,
                pattern: RefPattern::Party,
            });
        }
        let number = parse_number(head).ok_or_else(|| bad("số phải là chữ số"))?;
        let (year, symbol, pattern) = match symbol.split_once('/') {
            Some((y, rest)) => {
                let year = parse_year(y).ok_or_else(|| bad("năm phải có bốn chữ số"))?;
                (Some(year), rest, RefPattern::State)
            }
            None => (None, symbol, RefPattern::Administrative),
        };
        let mut parts = issuer_parts(symbol).ok_or_else(|| bad("thiếu ký hiệu"))?;
        let kind = match abbreviation(&parts[0]) {
            Some((abbr, _)) => {
                parts.remove(0);
                Some(abbr.to_string())
            }
            None => None,
        };
        if parts.is_empty() {
            return Err(bad("thiếu cơ quan ban hành"));
        }
        Ok(DocRef {
            number,
            year,
            kind,
            issuer: parts,
            pattern,
        })
    }

    /// The kind the abbreviation implies, if it has one.
    pub fn implied_kind(&self) -> Option<DocKind> {
        match &self.kind {
            Some(k) => abbreviation(k).map(|(_, kind)| kind),
            None if self.issuer.iter().any(|p| p.starts_with("QH")) => Some(DocKind::Luat),
            None => None,
        }
    }

    /// The symbol: the reference without its number and year ("TT-BCA", "CT/TW").
    pub fn symbol(&self) -> String {
        let issuer = self.issuer.join("-");
        match (&self.kind, self.pattern) {
            (Some(k), RefPattern::Party) => format!("{k}/{issuer}"),
            (Some(k), _) => format!("{k}-{issuer}"),
            (None, _) => issuer,
        }
    }
}

impl fmt::Display for DocRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.pattern, self.year) {
            (RefPattern::Party, _) => write!(f, "{}-{}", self.number, self.symbol()),
            (_, Some(y)) => write!(f, "{}/{y}/{}", self.number, self.symbol()),
            (_, None) => write!(f, "{}/{}", self.number, self.symbol()),
        }
    }
}

fn check_len(label: &str, s: &str) -> Result<(), DomainError> {
    text::check_len(label, s, 100)
}

fn parse_number(s: &str) -> Option<String> {
    (!s.is_empty() && s.len() <= 7 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.into())
}

fn parse_year(s: &str) -> Option<i32> {
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
        .filter(|y| (1900..=2100).contains(y))
}

fn issuer_parts(s: &str) -> Option<Vec<String>> {
    let parts: Vec<String> = s.split('-').map(str::to_string).collect();
    (parts
        .iter()
        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric())))
    .then_some(parts)
}

/// The key under which a reference is found: case-, accent- and
/// space-insensitive, Đ ≡ D, dashes unified, leading zeros of the number
/// dropped. "09/Ctr-BCA-TTTW" and "9 / CTR-BCA-TTTW" share one key.
pub fn reference_key(s: &str) -> String {
    let folded: String = text::fold(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c => c,
        })
        .collect();
    let folded = folded
        .strip_prefix("so:")
        .or_else(|| folded.strip_prefix("so"))
        .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(&folded)
        .to_string();
    let trimmed = folded.trim_start_matches('0');
    if trimmed.starts_with(|c: char| c.is_ascii_digit()) {
        trimmed.to_string()
    } else if folded.starts_with('0') {
        format!("0{trimmed}")
    } else {
        folded
    }
}

/// The longest file kept with a document.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// What a file kept with a document is, read from its content (never its
/// name): a PDF (`%PDF-`) or a Word document (a ZIP holding `word/`).
pub fn sniff_file(bytes: &[u8]) -> Result<&'static str, DomainError> {
    if bytes.starts_with(b"%PDF-") {
        return Ok("application/pdf");
    }
    let holds = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    if bytes.starts_with(b"PK\x03\x04") && holds(b"word/") && holds(b"[Content_Types].xml") {
        return Ok("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    }
    Err(DomainError::invalid(
        "Tệp không phải PDF hay Word (DOCX): chỉ lưu được văn bản dạng PDF hoặc DOCX",
    ))
}

/// The SHA-256 of a file, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

/// A coordination programme or a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeKind {
    ChuongTrinh,
    KeHoach,
}

impl ProgrammeKind {
    pub const ALL: [ProgrammeKind; 2] = [ProgrammeKind::ChuongTrinh, ProgrammeKind::KeHoach];

    pub fn code(self) -> &'static str {
        match self {
            ProgrammeKind::ChuongTrinh => "chuong_trinh",
            ProgrammeKind::KeHoach => "ke_hoach",
        }
    }

    pub fn word_vi(self) -> &'static str {
        match self {
            ProgrammeKind::ChuongTrinh => "Chương trình phối hợp",
            ProgrammeKind::KeHoach => "Kế hoạch",
        }
    }

    pub fn parse(s: &str) -> Result<ProgrammeKind, DomainError> {
        let f = text::fold(s);
        ProgrammeKind::ALL
            .into_iter()
            .find(|k| k.code() == s.trim() || text::fold(k.word_vi()) == f)
            .ok_or_else(|| {
                DomainError::invalid(format!(
                    "Loại phải là \u{201C}Chương trình phối hợp\u{201D} hoặc \u{201C}Kế hoạch\u{201D}, không phải \u{201C}{}\u{201D}",
                    s.trim()
                ))
            })
    }
}

/// Whether a programme is in force, replaced by another, or ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeState {
    InForce,
    Replaced,
    Ended,
}

impl ProgrammeState {
    pub const ALL: [ProgrammeState; 3] = [
        ProgrammeState::InForce,
        ProgrammeState::Replaced,
        ProgrammeState::Ended,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ProgrammeState::InForce => "in_force",
            ProgrammeState::Replaced => "replaced",
            ProgrammeState::Ended => "ended",
        }
    }

    pub fn word_vi(self) -> &'static str {
        match self {
            ProgrammeState::InForce => "Đang có hiệu lực",
            ProgrammeState::Replaced => "Đã được thay thế",
            ProgrammeState::Ended => "Đã kết thúc",
        }
    }

    pub fn parse(s: &str) -> Result<ProgrammeState, DomainError> {
        ProgrammeState::ALL
            .into_iter()
            .find(|k| k.code() == s.trim())
            .ok_or_else(|| {
                DomainError::invalid(format!(
                    "Trạng thái không hợp lệ: \u{201C}{}\u{201D}",
                    s.trim()
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(s: &str) -> String {
        DocRef::parse(s).unwrap().to_string()
    }

    #[test]
    fn the_three_patterns_parse_and_print() {
        for s in [
            "124/2021/TT-BCA",
            "30/2020/NĐ-CP",
            "06/2022/QH15",
            "06/2014/NĐ-CP",
            "521/2005/QĐ-TTg",
            "510/QĐ-BCA-V05",
            "9745/QĐ-BCA-V05",
            "22/HD-BCA-V05",
            "01/HD-BCA-V05",
            "514/QĐ-UBND",
            "194/BC-UBND",
            "09/CTr-BCA-MTTW",
            "09-CT/TW",
            "44-KL/TW",
            "36-HD/VPTW",
        ] {
            assert_eq!(round(s), s);
        }
        let r = DocRef::parse("124/2021/TT-BCA").unwrap();
        assert_eq!(r.number, "124");
        assert_eq!(r.year, Some(2021));
        assert_eq!(r.kind.as_deref(), Some("TT"));
        assert_eq!(r.issuer, vec!["BCA"]);
        assert_eq!(r.pattern, RefPattern::State);
        assert_eq!(r.symbol(), "TT-BCA");
        assert_eq!(r.implied_kind(), Some(DocKind::ThongTu));
        let law = DocRef::parse("06/2022/QH15").unwrap();
        assert_eq!(law.kind, None);
        assert_eq!(law.implied_kind(), Some(DocKind::Luat));
        let party = DocRef::parse("09-CT/TW").unwrap();
        assert_eq!(party.pattern, RefPattern::Party);
        assert_eq!(party.implied_kind(), Some(DocKind::ChiThi));
        assert_eq!(party.symbol(), "CT/TW");
        let joint = DocRef::parse("09/CTr-BCA-MTTW").unwrap();
        assert_eq!(joint.issuer, vec!["BCA", "MTTW"]);
        assert_eq!(joint.implied_kind(), Some(DocKind::ChuongTrinh));
        assert_eq!(joint.pattern, RefPattern::Administrative);
    }

    #[test]
    fn spaces_case_and_the_stroke_are_tolerated() {
        assert_eq!(round(" 09 / Ctr - BCA - TTTW "), "09/CTr-BCA-TTTW");
        assert_eq!(round("510/QD-BCA-V05"), "510/QĐ-BCA-V05");
        assert_eq!(round("30/2020/ND-CP"), "30/2020/NĐ-CP");
        assert_eq!(round("22/hd-BCA-V05"), "22/HD-BCA-V05");
        assert_eq!(round("Số: 514/QĐ-UBND"), "514/QĐ-UBND");
        assert_eq!(round("09 – CT/TW"), "09-CT/TW");
        // "HD" is Hướng dẫn, never silently Hợp đồng.
        assert_eq!(
            DocRef::parse("22/HD-BCA").unwrap().implied_kind(),
            Some(DocKind::HuongDan)
        );
        // An official letter has no kind in its symbol.
        let letter = DocRef::parse("123/BCA-V05").unwrap();
        assert_eq!(letter.kind, None);
        assert_eq!(letter.to_string(), "123/BCA-V05");
    }

    #[test]
    fn what_is_not_a_reference_is_refused_in_vietnamese() {
        for (s, why) in [
            ("", "trống"),
            ("Chương trình 09", "thiếu dấu"),
            ("abc/QĐ-BCA", "số phải là chữ số"),
            ("12/21/TT-BCA", "năm phải có bốn chữ số"),
            ("09-XYZ/TW", "không rõ loại"),
            ("12/QĐ", "thiếu cơ quan"),
            ("12/QĐ--BCA", "thiếu ký hiệu"),
        ] {
            let e = DocRef::parse(s).unwrap_err().to_string();
            assert!(e.contains(why), "{s}: {e}");
            assert!(
                e.starts_with(char::is_uppercase) || e.starts_with('\u{201C}'),
                "{e}"
            );
        }
    }

    #[test]
    fn the_aliases_of_programme_09_share_a_key_with_their_spellings() {
        let main = reference_key("09/CTr-BCA-MTTW");
        assert_eq!(main, reference_key("09/ctr-bca-mttw"));
        assert_eq!(main, reference_key("9 / CTr-BCA-MTTW"));
        for alias in ["09/Ctr-BCA-TTTW", "09/CTr-CA-MTTW", "09/CTr-BCA-MTTQ"] {
            assert_ne!(reference_key(alias), main);
            assert_eq!(reference_key(alias), reference_key(&alias.to_uppercase()));
            assert_eq!(round(alias), DocRef::parse(alias).unwrap().to_string());
        }
        assert_eq!(
            reference_key("09/Ctr-BCA-TTTW"),
            reference_key("09/CTr-BCA-TTTW")
        );
        assert_eq!(
            reference_key("510/QĐ-BCA-V05"),
            reference_key("510/qd-bca-v05")
        );
        assert_eq!(
            reference_key("Số: 510/QĐ-BCA-V05"),
            reference_key("510/QĐ-BCA-V05")
        );
    }

    #[test]
    fn kinds_have_codes_words_and_abbreviations() {
        for k in DocKind::ALL {
            assert_eq!(DocKind::parse(k.code()).unwrap(), k);
            assert_eq!(DocKind::parse(k.word_vi()).unwrap(), k);
        }
        assert_eq!(DocKind::parse("bộ luật").unwrap(), DocKind::Luat);
        assert_eq!(DocKind::ChuongTrinh.abbreviation(), Some("CTr"));
        assert!(DocKind::parse("sách")
            .unwrap_err()
            .to_string()
            .starts_with("Loại"));
        assert_eq!(
            ProgrammeKind::parse("Kế hoạch").unwrap(),
            ProgrammeKind::KeHoach
        );
        assert_eq!(
            ProgrammeState::parse("replaced").unwrap().word_vi(),
            "Đã được thay thế"
        );
    }
}
