//! Reviews (sơ kết, tổng kết): what a review is made of, its title and
//! header texts, and the Vietnamese narrative written from the figures.
//!
//! The figures arrive as [`Figures`] (a snapshot of the analytics); from them
//! [`narrative_for`] writes the sentences a province would write ("Qua 10 năm,
//! toàn tỉnh đã tổ chức tuyên truyền, phát động phong trào được hơn 32.000
//! buổi, …"), leaving out what is zero or missing. Rendering to Word, Excel
//! and HTML lives in the office and web crates.
//!
//! This module holds what a review covers ([`Owner`], [`Stage`], [`Figure`]);
//! `narrative` writes the sentences, `snapshot` keeps the figures a review was
//! built from and compares two of them, `header` lays out the header and
//! closing texts of Nghị định 30/2020 and the press summary.

pub mod document;
mod header;
mod narrative;
mod press;
mod programme;
pub mod rich;
pub mod signing;
mod snapshot;

pub use crate::programmes::FigureSource;
pub use header::{date_line, default_title, header, issuers_in_text, Choices, Header, Issuer};
pub use narrative::{narrative_for, narrative_number, narrative_with_awards, scope_words};
pub use press::press_summary;
pub use programme::{
    lines_sentence, short_date, source_words, AwardLine, Awards, ConferenceAwards, ProgrammeRef,
    MOVEMENT,
};
pub use snapshot::{diff, Difference, Line, Paragraph, Pending, Previous, Snapshot};

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::indicators::Qualifier;

/// Who issues the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Owner {
    Police,
    Front,
    Joint,
}

impl Owner {
    pub fn as_str(self) -> &'static str {
        match self {
            Owner::Police => "police",
            Owner::Front => "front",
            Owner::Joint => "joint",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Owner::Police => "Công an",
            Owner::Front => "Mặt trận Tổ quốc",
            Owner::Joint => "Công an và Mặt trận Tổ quốc (liên tịch)",
        }
    }
}

impl FromStr for Owner {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match crate::text::fold(s).as_str() {
            "police" | "cong an" => Ok(Owner::Police),
            "front" | "mat tran" | "mttq" => Ok(Owner::Front),
            "joint" | "lien tich" => Ok(Owner::Joint),
            _ => Err(DomainError::invalid(format!(
                "Không có cơ quan ban hành \"{s}\": chọn Công an (police), Mặt trận (front) hoặc Liên tịch (joint)"
            ))),
        }
    }
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One figure: a value in the indicator's unit, and how sure it is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub value: f64,
    pub qualifier: Option<Qualifier>,
    /// The part of the value from reports not yet approved.
    #[serde(default)]
    pub unapproved: f64,
    /// Includes communes split in 2025 (their data follows the main successor).
    #[serde(default)]
    pub split: bool,
    /// Where it came from: the forms, a register, or both (stored reviews: the forms).
    #[serde(default)]
    pub source: FigureSource,
}

/// The figures for the whole stage, by indicator key (`tt_buoi`, `kt_bang_khen.tap_the`).
pub type Figures = BTreeMap<String, Figure>;

/// How many years a stage "is": 2013–2023 is the 10-year review of a
/// programme signed in 2013; 2016–2020 is a five-year stage. When the span
/// from first to last year is a multiple of five it counts as that many
/// years, otherwise the years are counted inclusively.
pub fn stage_years(from: i32, to: i32) -> i32 {
    let span = to - from;
    if span > 0 && span % 5 == 0 {
        span
    } else {
        span + 1
    }
}

/// What a review covers: whole years `from..=to`, or one half of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stage {
    pub from: i32,
    pub to: i32,
    /// 1 or 2: the first or second half of `from` (then `to == from`).
    pub half: Option<u8>,
}

impl Stage {
    pub fn years(from: i32, to: i32) -> Stage {
        Stage {
            from,
            to,
            half: None,
        }
    }

    /// "2013", "2013..2023" (with `to`), or "2026S1".
    pub fn parse(from: &str, to: Option<&str>) -> Result<Stage, DomainError> {
        let f = from.trim();
        if f.contains(['S', 's']) {
            // Through the period parser: four digits, S1 or S2, a year in range.
            let bad =
                || DomainError::invalid(format!("\"{f}\" không phải kỳ 6 tháng (YYYYS1, YYYYS2)"));
            let p = crate::periods::Period::parse(f).map_err(|e| {
                if f.len() == 6
                    && f.is_char_boundary(4)
                    && f[..4].bytes().all(|b| b.is_ascii_digit())
                {
                    e
                } else {
                    bad()
                }
            })?;
            if p.kind != crate::periods::PeriodType::Half {
                return Err(bad());
            }
            let (year, half) = (p.year, p.index);
            if to.is_some_and(|t| !t.trim().is_empty() && t.trim() != f) {
                return Err(DomainError::invalid("sơ kết 6 tháng chỉ gồm một kỳ"));
            }
            return Ok(Stage {
                from: year,
                to: year,
                half: Some(half),
            });
        }
        let r = crate::periods::YearRange::parse(f, to.map(str::trim).filter(|t| !t.is_empty()))?;
        Ok(Stage::years(r.from, r.to))
    }

    /// The period codes inside a half-year: the half, its quarters and months.
    pub fn periods(&self) -> Option<Vec<String>> {
        let h = self.half?;
        let y = self.from;
        let first = if h == 1 { 1 } else { 7 };
        let mut v = vec![format!("{y}S{h}")];
        v.extend((0..2).map(|i| format!("{y}Q{}", 2 * (h as i32 - 1) + 1 + i)));
        v.extend((first..first + 6).map(|m| format!("{y}{m:02}")));
        Some(v)
    }

    /// "năm 2023", "giai đoạn 2013 – 2023", "6 tháng đầu năm 2026".
    pub fn label(&self) -> String {
        match self.half {
            Some(1) => format!("6 tháng đầu năm {}", self.from),
            Some(_) => format!("6 tháng cuối năm {}", self.from),
            None if self.from == self.to => format!("năm {}", self.from),
            None => format!("giai đoạn {} – {}", self.from, self.to),
        }
    }

    /// The review's kind and subject: "Tổng kết 10 năm", "Sơ kết 5 năm",
    /// "Tổng kết năm 2023", "Sơ kết 6 tháng đầu năm 2026".
    pub fn kind_title(&self) -> String {
        if self.half.is_some() {
            return format!("Sơ kết {}", self.label());
        }
        if self.from == self.to {
            return format!("Tổng kết năm {}", self.from);
        }
        let n = stage_years(self.from, self.to);
        let kind = if n < 10 { "Sơ kết" } else { "Tổng kết" };
        format!("{kind} {n} năm")
    }

    /// The title line under "BÁO CÁO": what the stage reviews, naming the
    /// programme that covers it ("Tổng kết 10 năm thực hiện Chương trình
    /// phối hợp số 09/CTr-BCA-MTTW ngày 01/8/2013 … về “…”, giai đoạn 2013 –
    /// 2023"), or the movement when none does ("Kết quả thực hiện phong trào
    /// “Toàn dân bảo vệ an ninh Tổ quốc” năm 2025").
    pub fn title(&self, programme: Option<&ProgrammeRef>) -> String {
        let years = self.half.is_none() && self.from != self.to;
        match programme {
            Some(p) if years => format!(
                "{} thực hiện {}, {}",
                self.kind_title(),
                p.citation(),
                self.label()
            ),
            Some(p) => format!("{} thực hiện {}", self.kind_title(), p.citation()),
            None if years => format!(
                "{} thực hiện {MOVEMENT}, {}",
                self.kind_title(),
                self.label()
            ),
            None => format!("Kết quả thực hiện {MOVEMENT} {}", self.label()),
        }
    }

    /// The opening of every result sentence: "Qua 10 năm, toàn tỉnh đã",
    /// "Năm 2023, toàn xã đã", "Trong 6 tháng đầu năm 2026, toàn tỉnh đã".
    pub fn opening(&self, scope: &str) -> String {
        match self.half {
            Some(_) => format!("Trong {}, {scope} đã", self.label()),
            None if self.from == self.to => format!("Năm {}, {scope} đã", self.from),
            None => format!("Qua {} năm, {scope} đã", stage_years(self.from, self.to)),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn fig(v: f64) -> Figure {
        Figure {
            value: v,
            qualifier: None,
            unapproved: 0.0,
            split: false,
            source: FigureSource::Form,
        }
    }

    #[test]
    fn stages_count_like_the_provinces() {
        assert_eq!(stage_years(2013, 2023), 10);
        assert_eq!(stage_years(2016, 2020), 5);
        assert_eq!(stage_years(2018, 2023), 5);
        assert_eq!(Stage::years(2013, 2023).kind_title(), "Tổng kết 10 năm");
        assert_eq!(Stage::years(2016, 2020).kind_title(), "Sơ kết 5 năm");
        assert_eq!(Stage::years(2023, 2023).kind_title(), "Tổng kết năm 2023");
        let p = programme::tests::programme_09();
        let ten = Stage::years(2013, 2023).title(Some(&p));
        assert!(ten.starts_with("Tổng kết 10 năm thực hiện Chương trình phối hợp số 09/CTr-BCA-MTTW ngày 01/8/2013 của Bộ Công an"), "{ten}");
        assert!(
            ten.ends_with("trong tình hình mới\u{201D}, giai đoạn 2013 – 2023"),
            "{ten}"
        );
        assert_eq!(
            Stage::years(2025, 2025).title(None),
            "Kết quả thực hiện phong trào \u{201C}Toàn dân bảo vệ an ninh Tổ quốc\u{201D} năm 2025"
        );
        assert_eq!(
            Stage::parse("2026S1", None).unwrap().title(None),
            "Kết quả thực hiện phong trào \u{201C}Toàn dân bảo vệ an ninh Tổ quốc\u{201D} 6 tháng đầu năm 2026"
        );
        assert_eq!(
            Stage::years(2016, 2020).title(None),
            "Sơ kết 5 năm thực hiện phong trào \u{201C}Toàn dân bảo vệ an ninh Tổ quốc\u{201D}, giai đoạn 2016 – 2020"
        );
        assert!(!Stage::years(2025, 2025).title(None).contains("09"));
    }

    #[test]
    fn half_year_stages() {
        let s = Stage::parse("2026S1", None).unwrap();
        assert_eq!(s.half, Some(1));
        assert_eq!(s.kind_title(), "Sơ kết 6 tháng đầu năm 2026");
        assert_eq!(
            s.opening("toàn tỉnh"),
            "Trong 6 tháng đầu năm 2026, toàn tỉnh đã"
        );
        assert_eq!(
            s.periods().unwrap(),
            [
                "2026S1", "2026Q1", "2026Q2", "202601", "202602", "202603", "202604", "202605",
                "202606"
            ]
        );
        assert_eq!(
            Stage::parse("2026s2", None).unwrap().periods().unwrap()[1],
            "2026Q3"
        );
        assert!(Stage::parse("2026S3", None).is_err());
        // Stages out of range or malformed are refused, with the range named.
        for bad in [
            "2147483647S1",
            "-5S1",
            "S1",
            "20S1",
            "2026S",
            "2026S12",
            "1999S1",
        ] {
            assert!(Stage::parse(bad, None).is_err(), "{bad}");
        }
        assert_eq!(
            Stage::parse("1999S1", None).unwrap_err().to_string(),
            "Năm 1999 nằm ngoài khoảng cho phép 2000–2100"
        );
        assert!(Stage::parse("2013", Some("2147483647")).is_err());
        assert!(Stage::parse("-5", None).is_err());
        assert!(Stage::parse("1990..2023", None).is_err());
        assert_eq!(
            Stage::parse("2013", Some("2023")).unwrap(),
            Stage::years(2013, 2023)
        );
        assert_eq!(
            Stage::parse("2013..2023", None).unwrap(),
            Stage::years(2013, 2023)
        );
    }

    pub(crate) fn snapshot(name: &str, kind: &str, level: &str, parent: Option<&str>) -> Snapshot {
        Snapshot {
            unit_code: "x".into(),
            unit_name: name.into(),
            unit_kind: kind.into(),
            is_nation: level == "nation",
            parent_name: parent.map(str::to_string),
            level: level.into(),
            at: "2023-12-31".into(),
            from: 2013,
            to: 2023,
            half: None,
            map: "historical".into(),
            lines: vec![],
            totals: Figures::new(),
            by_year: BTreeMap::new(),
            children: vec![],
            by_child: BTreeMap::new(),
            reports_total: 0,
            reports_approved: 0,
            pending: vec![],
            built_at: "2023-12-31T00:00:00Z".into(),
            programme: None,
            awards: Awards::default(),
            previous: None,
        }
    }

    #[test]
    fn headers_follow_the_issuer_and_its_level() {
        let d = crate::dates::parse_date("2023-05-18").unwrap();
        let none = Choices::default();
        let province = snapshot("Tỉnh Đồng Tháp", "Tỉnh", "province", None);
        let p = header(&province, Owner::Police, d, &none);
        assert_eq!(
            p.issuers,
            [Issuer {
                parent: "BỘ CÔNG AN".into(),
                name: vec!["CÔNG AN TỈNH ĐỒNG THÁP".into()]
            }]
        );
        assert_eq!(p.place_date, "Đồng Tháp, ngày 18 tháng 5 năm 2023");
        assert!(p.number.ends_with("/BC-CAT"));
        let h = header(
            &snapshot(
                "Huyện Cao Lãnh",
                "Huyện",
                "district",
                Some("Tỉnh Đồng Tháp"),
            ),
            Owner::Police,
            d,
            &none,
        );
        assert_eq!(h.issuers[0].parent, "CÔNG AN TỈNH ĐỒNG THÁP");
        assert_eq!(h.issuers[0].name, ["CÔNG AN HUYỆN CAO LÃNH"]);
        assert!(h.number.ends_with("/BC-CAH"));
        assert!(
            h.place_date.starts_with("Cao Lãnh, "),
            "the issuer's own unit"
        );
        let x = header(
            &snapshot("Xã Mường Phăng", "Xã", "commune", Some("Tỉnh Điện Biên")),
            Owner::Front,
            d,
            &none,
        );
        assert_eq!(x.issuers[0].parent, "ỦY BAN MTTQ VIỆT NAM XÃ MƯỜNG PHĂNG");
        assert_eq!(x.issuers[0].name, ["BAN THƯỜNG TRỰC"]);
        assert!(x.place_date.starts_with("Mường Phăng, "));
        assert_eq!(
            x.signers[0].title_lines(),
            ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"]
        );
        // A joint review: co-issuers as equals, the police first, no parent.
        let j = header(&province, Owner::Joint, d, &none);
        assert_eq!(
            j.issuers,
            [
                Issuer {
                    parent: String::new(),
                    name: vec!["CÔNG AN TỈNH ĐỒNG THÁP".into()]
                },
                Issuer {
                    parent: String::new(),
                    name: vec![
                        "BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM".into(),
                        "TỈNH ĐỒNG THÁP".into()
                    ]
                }
            ]
        );
        assert!(j.number.ends_with("/BC-CAT-MTTQ"));
        assert!(j.closing.ends_with(
            "của Công an tỉnh và Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Đồng Tháp./."
        ));
        let n = header(
            &snapshot("Việt Nam", "", "nation", None),
            Owner::Joint,
            d,
            &none,
        );
        assert!(n.place_date.starts_with("Hà Nội, "));
        assert!(n.number.ends_with("/BC-BCA-MTTW"), "{}", n.number);
        assert_eq!(n.signers.len(), 2);
        assert_eq!(n.issuers[0].name, ["BỘ CÔNG AN"]);
        // The officer's choices replace the defaults.
        let chosen = Choices {
            title: Some("Báo cáo riêng".into()),
            signers: Some(vec![]),
            recipients: Some(vec!["UBND tỉnh;".into()]),
        };
        let c = header(&province, Owner::Police, d, &chosen);
        assert_eq!(c.title, "Báo cáo riêng");
        assert!(c.signers.is_empty());
        assert_eq!(c.recipients, ["UBND tỉnh;"]);
        assert_eq!(
            c.closing,
            "Trên đây là Báo cáo riêng của Công an tỉnh Đồng Tháp./."
        );
    }

    #[test]
    fn dates_are_padded_as_the_decree_says() {
        let d = |s| crate::dates::parse_date(s).unwrap();
        assert_eq!(date_line(d("2023-05-18")), "ngày 18 tháng 5 năm 2023");
        assert_eq!(date_line(d("2020-03-05")), "ngày 05 tháng 3 năm 2020");
        assert_eq!(date_line(d("2024-02-09")), "ngày 09 tháng 02 năm 2024");
    }

    #[test]
    fn numbers_read_like_a_review() {
        assert_eq!(narrative_number(&fig(32_146.0)), "32.146");
        assert_eq!(narrative_number(&fig(3_048_210.0)), "hơn 3 triệu");
        assert_eq!(narrative_number(&fig(3_100_000.0)), "3,1 triệu");
        assert_eq!(narrative_number(&fig(2_960_000.0)), "gần 3 triệu");
        let mut f = fig(32_000.0);
        f.qualifier = Some(Qualifier::MoreThan);
        assert_eq!(narrative_number(&f), "hơn 32.000");
        f.value = 2_960_000.0;
        assert_eq!(
            narrative_number(&f),
            "hơn 2,9 triệu",
            "never rounds past what hơn claims"
        );
        f.qualifier = Some(Qualifier::Nearly);
        f.value = 7_000.0;
        assert_eq!(narrative_number(&f), "gần 7.000");
    }

    #[test]
    fn narrative_leaves_out_zero_and_missing() {
        let mut figs = Figures::new();
        figs.insert("tt_buoi".into(), fig(32_146.0));
        figs.insert("tt_luot".into(), fig(3_048_210.0));
        figs.insert("dd_so".into(), fig(0.0));
        figs.insert("gd_doi_tuong".into(), fig(27_135.0));
        figs.insert("gd_tien_bo".into(), fig(9_779.0));
        figs.insert("gd_ty_le".into(), fig(36.2));
        figs.insert("yk_dong_gop".into(), fig(6_940.0));
        let groups = [
            ("tuyen_truyen", "Tuyên truyền"),
            ("mo_hinh", "Mô hình"),
            ("nguon_tin", "Nguồn tin"),
            ("giao_duc", "Giáo dục"),
        ];
        let out = narrative_for(&groups, &figs, &Stage::years(2013, 2023), "toàn tỉnh");
        assert_eq!(out.len(), 3, "no models: that group is left out: {out:?}");
        assert_eq!(out[0].1, "Tuyên truyền");
        assert_eq!(
            out[0].2,
            "Qua 10 năm triển khai, toàn tỉnh đã tổ chức tuyên truyền, phát động phong trào được 32.146 buổi, với hơn 3 triệu lượt người tham dự."
        );
        assert!(
            !out[0].2.contains("diễn đàn"),
            "zero forums are not printed"
        );
        assert_eq!(
            out[1].2,
            "Trong giai đoạn này, Nhân dân trong tỉnh đã tham gia 6.940 ý kiến đóng góp xây dựng lực lượng Công an."
        );
        assert!(out[2]
            .2
            .contains("27.135 người lầm lỗi, trong đó 9.779 người tiến bộ (đạt 36,2%)"));
        let one_year = narrative_for(&groups[..1], &figs, &Stage::years(2023, 2023), "toàn xã");
        assert!(one_year[0].2.starts_with("Năm 2023, toàn xã đã tổ chức"));
    }
}
