//! Reviews (sơ kết, tổng kết): what a review is made of, its title and
//! header texts, and the Vietnamese narrative written from the figures.
//!
//! The figures arrive as [`Figures`] (a snapshot of the analytics); from them
//! [`narrative_for`] writes the sentences a province would write ("Qua 10 năm,
//! toàn tỉnh đã tổ chức tuyên truyền, phát động phong trào được hơn 32.000
//! buổi, …"), leaving out what is zero or missing. Rendering to Word, Excel
//! and HTML lives in the office and web crates.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::indicators::Qualifier;
use crate::text::{format_decimal, format_int};

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
                "\"{s}\" không phải cơ quan ban hành (police, front, joint)"
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

    /// The title line under "BÁO CÁO".
    pub fn title(&self) -> String {
        let tail = if self.half.is_some() {
            String::new()
        } else {
            format!(", {}", self.label())
        };
        format!(
            "{} thực hiện Chương trình phối hợp số 09 về \u{201C}Đẩy mạnh phong trào Toàn dân bảo vệ an ninh Tổ quốc trong tình hình mới\u{201D}{tail}",
            self.kind_title()
        )
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

/// "ngày 18 tháng 5 năm 2023", the way Nghị định 30/2020 writes dates:
/// days below 10 and months 1 and 2 take a leading zero.
pub fn date_line(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let day = format!("{:02}", d.day());
    let month = if d.month() <= 2 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    format!("ngày {day} tháng {month} năm {}", d.year())
}

/// A number as the narrative writes it: exact below a million ("32.146",
/// "hơn 32.146"), in millions with one decimal above ("3,1 triệu"), saying
/// "hơn"/"gần" when the rounding hides part of the exact figure.
pub fn narrative_number(f: &Figure) -> String {
    let q = f.qualifier.unwrap_or(Qualifier::Exact);
    let word = |q: Qualifier| match q {
        Qualifier::Exact => "",
        other => other.word_vi(),
    };
    if f.value.abs() >= 1_000_000.0 {
        // "hơn" rounds down and "gần" up, so the words stay true.
        let x = f.value / 100_000.0;
        let tenths = match q {
            Qualifier::MoreThan => x.floor(),
            Qualifier::Nearly => x.ceil(),
            _ => x.round(),
        } / 10.0;
        let rounded = tenths * 1_000_000.0;
        let text = if tenths.fract() == 0.0 {
            format!("{} triệu", format_int(tenths as i64))
        } else {
            format!("{} triệu", format_decimal(tenths, 1))
        };
        let q = if q != Qualifier::Exact {
            q
        } else if rounded < f.value {
            Qualifier::MoreThan
        } else if rounded > f.value {
            Qualifier::Nearly
        } else {
            Qualifier::Exact
        };
        let w = word(q);
        return if w.is_empty() {
            text
        } else {
            format!("{w} {text}")
        };
    }
    let text = if f.value.fract() == 0.0 {
        format_int(f.value as i64)
    } else {
        format_decimal(f.value, 1)
    };
    let w = word(q);
    if w.is_empty() {
        text
    } else {
        format!("{w} {text}")
    }
}

/// The words for the whole of a unit: "toàn tỉnh", "toàn thành phố", "toàn xã", "toàn quốc".
pub fn scope_words(unit_kind_vi: &str, is_nation: bool) -> String {
    if is_nation {
        return "toàn quốc".into();
    }
    format!("toàn {}", unit_kind_vi.to_lowercase())
}

fn present<'a>(figs: &'a Figures, key: &str) -> Option<&'a Figure> {
    figs.get(key).filter(|f| f.value != 0.0)
}

/// Join clauses the Vietnamese way: "a; b; c".
fn join(clauses: Vec<String>) -> Option<String> {
    if clauses.is_empty() {
        None
    } else {
        Some(clauses.join("; "))
    }
}

/// "{count} {noun}" with the narrative number.
fn n(figs: &Figures, key: &str) -> Option<String> {
    present(figs, key).map(narrative_number)
}

fn group_clauses(group: &str, figs: &Figures) -> Option<String> {
    let mut c = Vec::new();
    match group {
        "tuyen_truyen" => {
            if let Some(b) = n(figs, "tt_buoi") {
                let mut s = format!("tổ chức tuyên truyền, phát động phong trào được {b} buổi");
                if let Some(l) = n(figs, "tt_luot") {
                    s.push_str(&format!(", với {l} lượt người tham dự"));
                }
                c.push(s);
            } else if let Some(l) = n(figs, "tt_luot") {
                c.push(format!(
                    "thu hút {l} lượt người tham dự các buổi tuyên truyền"
                ));
            }
            if let Some(d) = n(figs, "dd_so") {
                let mut s = format!("tổ chức {d} diễn đàn phòng, chống tội phạm, tệ nạn xã hội");
                if let Some(l) = n(figs, "dd_luot") {
                    s.push_str(&format!(" với {l} lượt người tham dự"));
                }
                c.push(s);
            }
            if let Some(h) = n(figs, "ngay_hoi") {
                c.push(format!(
                    "tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc tại {h} điểm"
                ));
            }
        }
        "mo_hinh" => {
            match (n(figs, "mh_moi"), n(figs, "mh_nhan_rong")) {
                (Some(a), Some(b)) => c.push(format!(
                    "xây dựng mới {a} mô hình, nhân rộng {b} mô hình về phòng, chống tội phạm"
                )),
                (Some(a), None) => {
                    c.push(format!("xây dựng mới {a} mô hình về phòng, chống tội phạm"))
                }
                (None, Some(b)) => {
                    c.push(format!("nhân rộng {b} mô hình về phòng, chống tội phạm"))
                }
                (None, None) => {}
            }
            if let Some(h) = n(figs, "mh_hien_co") {
                c.push(format!("hiện có {h} mô hình đang hoạt động"));
            }
            if let Some(t) = n(figs, "tcqc_so") {
                c.push(format!(
                    "củng cố, duy trì hiệu quả {t} tổ chức quần chúng bảo vệ an ninh, trật tự cơ sở"
                ));
            }
        }
        "nguon_tin" => {
            if let Some(y) = n(figs, "yk_dong_gop") {
                c.push(format!(
                    "Nhân dân đã tham gia {y} ý kiến đóng góp xây dựng lực lượng Công an"
                ));
            }
            match (n(figs, "nguon_tin"), n(figs, "nguon_tin_gia_tri")) {
                (Some(a), Some(b)) => c.push(format!(
                    "cung cấp cho cơ quan chức năng {a} nguồn tin, trong đó {b} nguồn tin có giá trị phục vụ công tác đấu tranh phòng, chống tội phạm"
                )),
                (Some(a), None) => c.push(format!("cung cấp cho cơ quan chức năng {a} nguồn tin")),
                (None, Some(b)) => c.push(format!(
                    "cung cấp cho cơ quan chức năng {b} nguồn tin có giá trị phục vụ công tác đấu tranh phòng, chống tội phạm"
                )),
                (None, None) => {}
            }
        }
        "giao_duc" => {
            if let Some(a) = n(figs, "gd_doi_tuong") {
                let mut s = format!(
                    "cảm hóa, giáo dục, cải tạo tại gia đình và cộng đồng dân cư được {a} người lầm lỗi"
                );
                if let Some(b) = n(figs, "gd_tien_bo") {
                    s.push_str(&format!(", trong đó {b} người tiến bộ"));
                    if let Some(r) = present(figs, "gd_ty_le") {
                        s.push_str(&format!(
                            " (đạt {})",
                            crate::text::format_percent(r.value / 100.0, 1)
                        ));
                    }
                }
                c.push(s);
            }
        }
        "vu_khi" => {
            if let Some(v) = n(figs, "vk_giao_nop") {
                c.push(format!(
                    "vận động Nhân dân giao nộp {v} vũ khí, vật liệu nổ, công cụ hỗ trợ"
                ));
            }
        }
        "khen_thuong" => {
            for (code, name) in [("kt_bang_khen", "Bằng khen"), ("kt_giay_khen", "Giấy khen")] {
                let parts: Vec<String> = [("tap_the", "tập thể"), ("ca_nhan", "cá nhân")]
                    .iter()
                    .filter_map(|(o, w)| {
                        n(figs, &format!("{code}.{o}")).map(|v| format!("{v} {w}"))
                    })
                    .collect();
                if !parts.is_empty() {
                    c.push(format!("tặng {name} cho {}", parts.join(" và ")));
                } else if let Some(t) = n(figs, code) {
                    c.push(format!("tặng {t} {name}"));
                }
            }
        }
        _ => {}
    }
    join(c)
}

/// The narrative of each group with figures, in catalogue order, as
/// (group code, heading, paragraph); groups without any non-zero figure are
/// left out.
pub fn narrative_for(
    groups: &[(&str, &str)],
    figs: &Figures,
    stage: &Stage,
    scope: &str,
) -> Vec<(String, String, String)> {
    let open = stage.opening(scope);
    groups
        .iter()
        .filter_map(|(code, heading)| {
            let body = group_clauses(code, figs)?;
            // A clause led by "Nhân dân" is its own subject: "Qua 10 năm, Nhân dân trong tỉnh đã …".
            let text = match body.strip_prefix("Nhân dân đã ") {
                Some(rest) => {
                    let lead = open
                        .trim_end_matches(" đã")
                        .replacen(&format!(", {scope}"), "", 1);
                    format!("{lead}, Nhân dân {}đã {rest}.", scope_in(scope))
                }
                None => format!("{open} {body}."),
            };
            Some((code.to_string(), heading.to_string(), text))
        })
        .collect()
}

fn scope_in(scope: &str) -> String {
    match scope.strip_prefix("toàn ") {
        Some("quốc") => "cả nước ".into(),
        Some(kind) => format!("trong {kind} "),
        None => String::new(),
    }
}

/// One paragraph of a review's narrative: its group, heading and text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    pub group: String,
    pub heading: String,
    pub text: String,
}

/// An indicator (or one option of its breakdown) as the review shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// `tt_buoi`, or `kt_bang_khen.tap_the` for an option.
    pub key: String,
    pub name: String,
    pub unit: String,
    pub group: String,
}

/// One report not yet approved when the review was built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub unit: String,
    pub unit_name: String,
    pub period: String,
    pub state: String,
}

/// Everything a review's figures come from, stored with the review so that
/// it reprints identically whatever is corrected later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub unit_code: String,
    pub unit_name: String,
    /// "Tỉnh", "Thành phố", "Xã", "Phường"; empty for the nation.
    pub unit_kind: String,
    pub is_nation: bool,
    /// The province a commune or district lies in (for its header).
    pub parent_name: Option<String>,
    /// nation, province, district or commune.
    #[serde(default)]
    pub level: String,
    /// The date the unit is taken at (ISO).
    pub at: String,
    pub from: i32,
    pub to: i32,
    /// For a half-year review: 1 or 2 (`from == to`).
    #[serde(default)]
    pub half: Option<u8>,
    /// `current` (legacy units' data in today's units) or `historical`.
    pub map: String,
    pub lines: Vec<Line>,
    /// The whole stage, approved data.
    pub totals: Figures,
    /// By year: key → year → figure.
    pub by_year: BTreeMap<String, BTreeMap<i32, Figure>>,
    /// The child units (code, name), in Vietnamese order.
    pub children: Vec<(String, String)>,
    /// By child: key → child code → figure.
    pub by_child: BTreeMap<String, BTreeMap<String, Figure>>,
    pub reports_total: u64,
    pub reports_approved: u64,
    /// Reports not approved yet (the first few hundred).
    pub pending: Vec<Pending>,
    /// When the figures were read (ISO timestamp).
    pub built_at: String,
}

impl Snapshot {
    pub fn scope(&self) -> String {
        scope_words(&self.unit_kind, self.is_nation)
    }

    /// The narrative from these figures.
    pub fn narrative(&self, groups: &[(&str, &str)]) -> Vec<(String, String, String)> {
        narrative_for(groups, &self.totals, &self.stage(), &self.scope())
    }

    pub fn stage(&self) -> Stage {
        Stage {
            from: self.from,
            to: self.to,
            half: self.half,
        }
    }

    pub fn lines_of(&self, group: &str) -> Vec<&Line> {
        self.lines.iter().filter(|l| l.group == group).collect()
    }

    pub fn years(&self) -> Vec<i32> {
        (self.from..=self.to).collect()
    }

    /// "tỉnh Đồng Tháp": the unit's name with its kind in lower case, as in running text.
    pub fn name_in_text(&self) -> String {
        if self.is_nation {
            return "cả nước".into();
        }
        match self.unit_name.strip_prefix(self.unit_kind.as_str()) {
            Some(rest) if !self.unit_kind.is_empty() => {
                format!("{}{rest}", self.unit_kind.to_lowercase())
            }
            _ => self.unit_name.clone(),
        }
    }

    /// "Đồng Tháp": the unit's name without its kind.
    pub fn short_name(&self) -> String {
        match self.unit_name.strip_prefix(self.unit_kind.as_str()) {
            Some(rest) if !self.unit_kind.is_empty() => rest.trim().to_string(),
            _ => self.unit_name.clone(),
        }
    }
}

/// A figure that differs between two snapshots.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    pub key: String,
    pub name: String,
    /// "2013–2023", a year, or a child unit's name.
    pub place: String,
    pub before: Option<f64>,
    pub after: Option<f64>,
}

fn diff_maps<K: Ord + Clone>(
    out: &mut Vec<Difference>,
    line: &Line,
    before: Option<&BTreeMap<K, Figure>>,
    after: Option<&BTreeMap<K, Figure>>,
    label: impl Fn(&K) -> String,
) {
    let empty = BTreeMap::new();
    let (b, a) = (before.unwrap_or(&empty), after.unwrap_or(&empty));
    let keys: std::collections::BTreeSet<&K> = b.keys().chain(a.keys()).collect();
    for k in keys {
        let (x, y) = (b.get(k).map(|f| f.value), a.get(k).map(|f| f.value));
        if x != y {
            out.push(Difference {
                key: line.key.clone(),
                name: line.name.clone(),
                place: label(k),
                before: x,
                after: y,
            });
        }
    }
}

/// What changed in the figures from `before` to `after` (same unit and stage).
pub fn diff(before: &Snapshot, after: &Snapshot) -> Vec<Difference> {
    let mut out = Vec::new();
    let stage = match before.half {
        None if before.from != before.to => format!("{}–{}", before.from, before.to),
        _ => before.stage().label(),
    };
    let names: BTreeMap<&str, &str> = after
        .children
        .iter()
        .chain(&before.children)
        .map(|(c, n)| (c.as_str(), n.as_str()))
        .collect();
    let mut lines: Vec<&Line> = after.lines.iter().collect();
    for l in &before.lines {
        if !lines.iter().any(|x| x.key == l.key) {
            lines.push(l);
        }
    }
    for line in lines {
        let (x, y) = (
            before.totals.get(&line.key).map(|f| f.value),
            after.totals.get(&line.key).map(|f| f.value),
        );
        if x != y {
            out.push(Difference {
                key: line.key.clone(),
                name: line.name.clone(),
                place: stage.clone(),
                before: x,
                after: y,
            });
        }
        diff_maps(
            &mut out,
            line,
            before.by_year.get(&line.key),
            after.by_year.get(&line.key),
            |y| y.to_string(),
        );
        diff_maps(
            &mut out,
            line,
            before.by_child.get(&line.key),
            after.by_child.get(&line.key),
            |c: &String| {
                names
                    .get(c.as_str())
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| c.clone())
            },
        );
    }
    out
}

/// The header and closing texts of a review, as Nghị định 30/2020 lays them out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Top left: the parent body (upright; may be empty) then the issuer (bold).
    pub parent: String,
    pub issuer: String,
    /// "Số:        /BC-CAT".
    pub number: String,
    /// "Đồng Tháp, ngày 18 tháng 5 năm 2023".
    pub place_date: String,
    /// "BÁO CÁO".
    pub kind: String,
    pub title: String,
    /// Signature blocks: (capacity such as "TM. BAN THƯỜNG TRỰC" or empty, title).
    pub signers: Vec<(String, String)>,
    /// "Nơi nhận:" lines.
    pub recipients: Vec<String>,
}

/// The header of a review for its unit and owner, dated `date`.
pub fn header(s: &Snapshot, owner: Owner, date: chrono::NaiveDate) -> Header {
    // Nghị định 30: the place is the administrative unit where the issuer sits.
    let place = if s.is_nation {
        "Hà Nội".to_string()
    } else {
        s.short_name()
    };
    let name_upper = s.unit_name.to_uppercase();
    let director = if s.is_nation {
        "BỘ TRƯỞNG"
    } else if s.parent_name.is_some() {
        "TRƯỞNG CÔNG AN"
    } else {
        "GIÁM ĐỐC"
    };
    let (police_parent, police_issuer, police_sym) = if s.is_nation {
        (String::new(), "BỘ CÔNG AN".to_string(), "BC-BCA")
    } else if let Some(p) = &s.parent_name {
        (
            format!("CÔNG AN {}", p.to_uppercase()),
            format!("CÔNG AN {name_upper}"),
            if s.level == "district" {
                "BC-CAH"
            } else {
                "BC-CAX"
            },
        )
    } else {
        (
            "BỘ CÔNG AN".to_string(),
            format!("CÔNG AN {name_upper}"),
            "BC-CAT",
        )
    };
    let front_parent = if s.is_nation {
        "ỦY BAN TRUNG ƯƠNG MTTQ VIỆT NAM".to_string()
    } else {
        format!("ỦY BAN MTTQ VIỆT NAM {name_upper}")
    };
    let (parent, issuer, sym, signers, recipients): (
        String,
        String,
        String,
        Vec<(String, String)>,
        Vec<String>,
    ) = match owner {
        Owner::Police => (
            police_parent,
            police_issuer,
            police_sym.to_string(),
            vec![(String::new(), director.to_string())],
            vec![
                "Cục Xây dựng phong trào bảo vệ ANTQ, Bộ Công an;".into(),
                "Ban Thường trực Ủy ban MTTQ Việt Nam cùng cấp;".into(),
                "Lưu: VT.".into(),
            ],
        ),
        Owner::Front => (
            front_parent,
            "BAN THƯỜNG TRỰC".to_string(),
            "BC-MTTQ-BTT".to_string(),
            vec![("TM. BAN THƯỜNG TRỰC".into(), "CHỦ TỊCH".into())],
            vec![
                "Ban Thường trực Ủy ban MTTQ Việt Nam cấp trên;".into(),
                "Công an cùng cấp;".into(),
                "Lưu: VT.".into(),
            ],
        ),
        Owner::Joint => (
            police_issuer,
            format!("BAN THƯỜNG TRỰC {front_parent}"),
            format!("{police_sym}-MTTQ"),
            vec![
                ("TM. BAN THƯỜNG TRỰC".into(), "CHỦ TỊCH".into()),
                (String::new(), director.to_string()),
            ],
            vec![
                "Cục Xây dựng phong trào bảo vệ ANTQ, Bộ Công an;".into(),
                "Ban Thường trực Ủy ban MTTQ Việt Nam cấp trên;".into(),
                "Lưu: VT.".into(),
            ],
        ),
    };
    Header {
        parent,
        issuer,
        number: format!("Số:        /{sym}"),
        place_date: format!("{place}, {}", date_line(date)),
        kind: "BÁO CÁO".into(),
        title: s.stage().title(),
        signers,
        recipients,
    }
}

/// A short news item in the style of the Front's portal, drafted from the
/// review: (headline, body).
pub fn press_summary(
    s: &Snapshot,
    owner: Owner,
    narrative: &[(String, String, String)],
) -> (String, String) {
    let place = s.name_in_text();
    let who = match owner {
        Owner::Police => format!("Công an {place}"),
        Owner::Front => format!("Ủy ban MTTQ Việt Nam {place}"),
        Owner::Joint => format!("Công an và Ban Thường trực Ủy ban MTTQ Việt Nam {place}"),
    };
    let stage = s.stage().label();
    let headline = format!(
        "{}: {} thực hiện phong trào Toàn dân bảo vệ an ninh Tổ quốc",
        s.short_name(),
        s.stage().kind_title()
    );
    let mut body = format!(
        "{who} tổng kết việc thực hiện Chương trình phối hợp số 09 về \u{201C}Đẩy mạnh phong trào Toàn dân bảo vệ an ninh Tổ quốc trong tình hình mới\u{201D}, {stage}."
    );
    for (_, _, text) in narrative.iter().take(4) {
        body.push(' ');
        body.push_str(text);
    }
    (headline, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(v: f64) -> Figure {
        Figure {
            value: v,
            qualifier: None,
            unapproved: 0.0,
            split: false,
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
        assert!(Stage::years(2013, 2023)
            .title()
            .ends_with("giai đoạn 2013 – 2023"));
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

    fn snapshot(name: &str, kind: &str, level: &str, parent: Option<&str>) -> Snapshot {
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
        }
    }

    #[test]
    fn headers_follow_the_issuer_and_its_level() {
        let d = crate::dates::parse_date("2023-05-18").unwrap();
        let p = header(
            &snapshot("Tỉnh Đồng Tháp", "Tỉnh", "province", None),
            Owner::Police,
            d,
        );
        assert_eq!(
            (p.parent.as_str(), p.issuer.as_str()),
            ("BỘ CÔNG AN", "CÔNG AN TỈNH ĐỒNG THÁP")
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
        );
        assert_eq!(h.parent, "CÔNG AN TỈNH ĐỒNG THÁP");
        assert_eq!(h.issuer, "CÔNG AN HUYỆN CAO LÃNH");
        assert!(h.number.ends_with("/BC-CAH"));
        assert!(
            h.place_date.starts_with("Cao Lãnh, "),
            "the issuer's own unit"
        );
        let x = header(
            &snapshot("Xã Mường Phăng", "Xã", "commune", Some("Tỉnh Điện Biên")),
            Owner::Front,
            d,
        );
        assert_eq!(x.parent, "ỦY BAN MTTQ VIỆT NAM XÃ MƯỜNG PHĂNG");
        assert!(x.place_date.starts_with("Mường Phăng, "));
        assert_eq!(
            x.signers,
            [("TM. BAN THƯỜNG TRỰC".to_string(), "CHỦ TỊCH".to_string())]
        );
        let n = header(&snapshot("Việt Nam", "", "nation", None), Owner::Joint, d);
        assert!(n.place_date.starts_with("Hà Nội, "));
        assert_eq!(n.signers.len(), 2);
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
            "Qua 10 năm, toàn tỉnh đã tổ chức tuyên truyền, phát động phong trào được 32.146 buổi, với hơn 3 triệu lượt người tham dự."
        );
        assert!(
            !out[0].2.contains("diễn đàn"),
            "zero forums are not printed"
        );
        assert_eq!(
            out[1].2,
            "Qua 10 năm, Nhân dân trong tỉnh đã tham gia 6.940 ý kiến đóng góp xây dựng lực lượng Công an."
        );
        assert!(out[2]
            .2
            .contains("27.135 người lầm lỗi, trong đó 9.779 người tiến bộ (đạt 36,2%)"));
        let one_year = narrative_for(&groups[..1], &figs, &Stage::years(2023, 2023), "toàn xã");
        assert!(one_year[0].2.starts_with("Năm 2023, toàn xã đã tổ chức"));
    }
}
