//! The Vietnamese narrative written from the figures, leaving out what is
//! zero or missing, and honest about them: a number is always written with
//! its own unit of measure (weapons by khẩu, viên, kg, cái; nothing of
//! different units added up), a yearly count (Ngày hội sites, recognitions)
//! per year or as a range, never summed over years, a stock at its date in
//! its own sentence, the main flows compared with the stage before where it
//! has data, paragraphs opened in turn, ANTQ and ANTT spelled out once.

use std::collections::BTreeMap;

use crate::indicators::{Aggregation, Qualifier};
use crate::text::{format_decimal, format_int};

use super::*;

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

/// What the narrative is written from: the stage's totals and, where the
/// review keeps them, the figures year by year, the stage before and the
/// date the unit is taken at.
pub(super) struct Facts<'a> {
    pub figs: &'a Figures,
    pub by_year: Option<&'a BTreeMap<String, BTreeMap<i32, Figure>>>,
    pub stage: Stage,
    pub scope: String,
    pub awards: &'a Awards,
    pub previous: Option<&'a Previous>,
    /// ISO date the unit is taken at (stocks are said at the earlier of it and the stage's end).
    pub at: Option<&'a str>,
}

/// Each figure the narrative writes, with the unit of measure the catalogue
/// gives it and the words written after the number. A figure is only ever
/// written through this table, so a number is always followed by its own
/// unit: nothing of different units is added up (the old mixed
/// `vk_giao_nop`, "khẩu, quả, cái", has no entry and is never written as a
/// number).
pub(super) const WORDS: &[(&str, &str, &str)] = &[
    ("tt_buoi", "buổi", "buổi"),
    ("tt_luot", "lượt người", "lượt người"),
    ("dd_so", "diễn đàn", "diễn đàn"),
    ("dd_luot", "lượt người", "lượt người"),
    ("mh_moi", "mô hình", "mô hình"),
    ("mh_nhan_rong", "mô hình", "mô hình"),
    ("mh_hien_co", "mô hình", "mô hình đang hoạt động"),
    (
        "tcqc_so",
        "tổ chức",
        "tổ chức quần chúng bảo vệ ANTT ở cơ sở",
    ),
    ("mh_loai_so", "loại", "loại mô hình"),
    ("yk_dong_gop", "ý kiến", "ý kiến"),
    ("nguon_tin", "nguồn tin", "nguồn tin"),
    ("nguon_tin_gia_tri", "nguồn tin", "nguồn tin"),
    ("gd_doi_tuong", "người", "người lầm lỗi"),
    ("gd_tien_bo", "người", "người tiến bộ"),
    ("vk_sung", "khẩu", "khẩu súng các loại"),
    ("vk_dan", "viên", "viên đạn"),
    ("vk_vln", "kg", "kg vật liệu nổ"),
    ("vk_cctht", "cái", "công cụ hỗ trợ"),
    ("ngay_hoi", "điểm", "điểm"),
    ("atan_dang_ky", "đơn vị", "đơn vị"),
    ("atan_cong_nhan", "đơn vị", "đơn vị"),
    ("atan_du_dieu_kien", "đơn vị", "đơn vị"),
    ("pl_xuat_sac", "đơn vị", "đơn vị"),
    ("pl_kha", "đơn vị", "đơn vị"),
    ("pl_trung_binh", "đơn vị", "đơn vị"),
    ("pl_yeu", "đơn vị", "đơn vị"),
];

/// "32.146 buổi": a figure with the words of its unit (none when zero or missing).
fn amount(figs: &Figures, key: &str) -> Option<String> {
    let words = WORDS.iter().find(|w| w.0 == key)?.2;
    present(figs, key).map(|f| format!("{} {words}", narrative_number(f)))
}

/// The main figure of each group, compared with the stage before.
const MAIN: &[&str] = &["tt_buoi", "mh_moi", "nguon_tin", "gd_doi_tuong", "vk_sung"];

/// " (tăng 12,5% so với năm 2023)": a flow's change from the stage before,
/// said for the main figures only, when the stage before has it (not zero).
fn compared(f: &Facts, key: &str) -> String {
    let Some(prev) = f.previous else {
        return String::new();
    };
    let flow = crate::indicators::seed(key).is_some_and(|s| s.aggregation == Aggregation::Sum);
    let (Some(now), Some(before)) = (present(f.figs, key), present(&prev.totals, key)) else {
        return String::new();
    };
    if !flow || !MAIN.contains(&key) {
        return String::new();
    }
    let approx = [now, before]
        .iter()
        .any(|x| x.qualifier.is_some_and(|q| q != Qualifier::Exact));
    let change = (now.value - before.value) / before.value;
    let pct = crate::text::format_percent(change.abs(), 1);
    let about = if approx { "khoảng " } else { "" };
    if pct == crate::text::format_percent(0.0, 1) {
        format!(" (không thay đổi {})", prev.against())
    } else if change > 0.0 {
        format!(" (tăng {about}{pct} {})", prev.against())
    } else {
        format!(" (giảm {about}{pct} {})", prev.against())
    }
}

/// "a; b; c", or none.
fn join(clauses: Vec<String>) -> Option<String> {
    (!clauses.is_empty()).then(|| clauses.join("; "))
}

/// One sentence of a paragraph, before its opening is chosen.
#[derive(Debug, Clone, PartialEq)]
enum Sentence {
    /// What the unit did: "{opening}, toàn tỉnh đã …".
    Flow(String),
    /// What the people did: "{opening}, Nhân dân trong tỉnh đã …".
    People(String),
    /// What the unit does every year: "{opening}, hằng năm toàn tỉnh …".
    Yearly(String),
    /// A sentence with its own opening ("Đến 31/12/2023, …").
    Whole(String),
}

/// The opening of the paragraph at `index`: the stage the first time
/// ("Qua 10 năm triển khai", "Năm 2023", "Trong 6 tháng đầu năm 2026"),
/// then varied so that no two paragraphs in a row open alike.
fn opening(stage: &Stage, index: usize) -> String {
    if index == 0 {
        return match stage.half {
            Some(_) => format!("Trong {}", stage.label()),
            None if stage.from == stage.to => format!("Năm {}", stage.from),
            None => format!("Qua {} năm triển khai", stage_years(stage.from, stage.to)),
        };
    }
    let this = match stage.half {
        Some(_) => "Trong 6 tháng",
        None if stage.from == stage.to => "Trong năm",
        None => "Trong giai đoạn này",
    };
    [this, "Bên cạnh đó", "Đồng thời", "Ngoài ra"][(index - 1) % 4].to_string()
}

/// The sentences of a paragraph, the first with the opening.
fn paragraph(sentences: Vec<Sentence>, lead: &str, scope: &str) -> Option<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, s) in sentences.into_iter().enumerate() {
        let text = match (i, s) {
            (0, Sentence::Flow(t)) => format!("{lead}, {scope} đã {t}"),
            (0, Sentence::People(t)) => format!("{lead}, Nhân dân {}đã {t}", scope_in(scope)),
            (0, Sentence::Yearly(t)) => format!("{lead}, hằng năm {scope} {t}"),
            (_, Sentence::Flow(t)) => format!("{} đã {t}", capitalised(scope)),
            (_, Sentence::People(t)) => format!("Nhân dân {}đã {t}", scope_in(scope)),
            (_, Sentence::Yearly(t)) => format!("Hằng năm, {scope} {t}"),
            (_, Sentence::Whole(t)) => t,
        };
        out.push(format!("{text}."));
    }
    (!out.is_empty()).then(|| out.join(" "))
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "31/12/2023": the date stocks are said at, the stage's end or, when the
/// unit is taken at an earlier date (a unit merged in 2025, a review of the
/// running year), that date.
fn stock_date(f: &Facts) -> String {
    let (year, month, day) = match f.stage.half {
        Some(1) => (f.stage.from, 6, 30),
        _ => (f.stage.to, 12, 31),
    };
    let end = chrono::NaiveDate::from_ymd_opt(year, month, day);
    let at = f.at.and_then(|a| crate::dates::parse_date(a).ok());
    match (end, at) {
        (Some(e), Some(a)) if a < e => short_date(a),
        (Some(e), _) => short_date(e),
        (None, _) => format!("cuối năm {year}"),
    }
}

fn group_sentences(group: &str, f: &Facts) -> Vec<Sentence> {
    match group {
        "tuyen_truyen" => propaganda(f),
        "mo_hinh" => models(f),
        "nguon_tin" => tips(f),
        "giao_duc" => education(f),
        "vu_khi" => weapons(f),
        "ngay_hoi" => security_day(f),
        "khen_thuong" => form_awards(f.figs),
        _ => Vec::new(),
    }
}

fn flow(clauses: Vec<String>) -> Vec<Sentence> {
    join(clauses).map(Sentence::Flow).into_iter().collect()
}

fn propaganda(f: &Facts) -> Vec<Sentence> {
    let figs = f.figs;
    let mut c = Vec::new();
    if let Some(b) = amount(figs, "tt_buoi") {
        let mut s = format!(
            "tổ chức tuyên truyền, phát động phong trào được {b}{}",
            compared(f, "tt_buoi")
        );
        if let Some(l) = amount(figs, "tt_luot") {
            s.push_str(&format!(", với {l} tham dự"));
        }
        c.push(s);
    } else if let Some(l) = amount(figs, "tt_luot") {
        c.push(format!("thu hút {l} tham dự các buổi tuyên truyền"));
    }
    if let Some(d) = amount(figs, "dd_so") {
        let mut s = format!("tổ chức {d} phòng, chống tội phạm, tệ nạn xã hội");
        if let Some(l) = amount(figs, "dd_luot") {
            s.push_str(&format!(" với {l} tham dự"));
        }
        c.push(s);
    }
    flow(c)
}

fn models(f: &Facts) -> Vec<Sentence> {
    let figs = f.figs;
    let mut out = Vec::new();
    let new = amount(figs, "mh_moi").map(|a| format!("{a}{}", compared(f, "mh_moi")));
    match (new, amount(figs, "mh_nhan_rong")) {
        (Some(a), Some(b)) => out.push(Sentence::Flow(format!(
            "xây dựng mới {a}, nhân rộng {b} về phòng, chống tội phạm"
        ))),
        (Some(a), None) => out.push(Sentence::Flow(format!(
            "xây dựng mới {a} về phòng, chống tội phạm"
        ))),
        (None, Some(b)) => out.push(Sentence::Flow(format!(
            "nhân rộng {b} về phòng, chống tội phạm"
        ))),
        (None, None) => {}
    }
    // Stocks, at their date and in a sentence of their own; "… với 44 loại
    // mô hình": the distinct types, said once.
    let types = amount(figs, "mh_loai_so");
    let mut held = Vec::new();
    match (amount(figs, "mh_hien_co"), &types) {
        (Some(h), Some(k)) => held.push(format!("{h} thuộc {k}")),
        (Some(h), None) => held.push(h),
        (None, _) => {}
    }
    if let Some(t) = amount(figs, "tcqc_so") {
        match (&types, held.is_empty()) {
            (Some(k), true) => held.push(format!("{t} với {k}")),
            _ => held.push(t),
        }
    }
    if !held.is_empty() {
        out.push(Sentence::Whole(format!(
            "Đến {}, {} hiện có {}",
            stock_date(f),
            f.scope,
            held.join(" và ")
        )));
    }
    out
}

fn tips(f: &Facts) -> Vec<Sentence> {
    let figs = f.figs;
    let mut c = Vec::new();
    let people = amount(figs, "yk_dong_gop")
        .map(|y| c.push(format!("tham gia {y} đóng góp xây dựng lực lượng Công an")));
    let tips = amount(figs, "nguon_tin").map(|a| format!("{a}{}", compared(f, "nguon_tin")));
    let worth = "phục vụ công tác đấu tranh phòng, chống tội phạm";
    match (tips, amount(figs, "nguon_tin_gia_tri")) {
        (Some(a), Some(b)) => c.push(format!(
            "cung cấp cho cơ quan chức năng {a}, trong đó {b} có giá trị {worth}"
        )),
        (Some(a), None) => c.push(format!("cung cấp cho cơ quan chức năng {a}")),
        (None, Some(b)) => c.push(format!(
            "cung cấp cho cơ quan chức năng {b} có giá trị {worth}"
        )),
        (None, None) => {}
    }
    match (people, join(c)) {
        (Some(()), Some(t)) => vec![Sentence::People(t)],
        (None, Some(t)) => vec![Sentence::Flow(t)],
        (_, None) => Vec::new(),
    }
}

fn education(f: &Facts) -> Vec<Sentence> {
    let figs = f.figs;
    let Some(a) = amount(figs, "gd_doi_tuong") else {
        return Vec::new();
    };
    let mut s = format!(
        "cảm hóa, giáo dục, cải tạo tại gia đình và cộng đồng dân cư được {a}{}",
        compared(f, "gd_doi_tuong")
    );
    if let Some(b) = amount(figs, "gd_tien_bo") {
        s.push_str(&format!(", trong đó {b}"));
        if let Some(r) = present(figs, "gd_ty_le") {
            s.push_str(&format!(
                " (đạt {})",
                crate::text::format_percent(r.value / 100.0, 1)
            ));
        }
    }
    vec![Sentence::Flow(s)]
}

/// Weapons by unit of measure: "… khẩu súng các loại, … viên đạn, … kg vật
/// liệu nổ, … công cụ hỗ trợ". The old figure that added guns, rounds and
/// tools together is never said as a number: the paragraph says so and
/// points to the table.
fn weapons(f: &Facts) -> Vec<Sentence> {
    let figs = f.figs;
    let parts: Vec<String> = crate::indicators::WEAPONS_BY_UNIT
        .iter()
        .filter_map(|k| amount(figs, k).map(|a| format!("{a}{}", compared(f, k))))
        .collect();
    let mixed = present(figs, "vk_giao_nop").is_some();
    let units = crate::indicators::seed("vk_giao_nop").map_or("khẩu, quả, cái", |s| s.unit);
    let note = format!(
        "số liệu vũ khí, vật liệu nổ, công cụ hỗ trợ thống kê chung nhiều đơn vị tính ({units}) không cộng thành một con số, chi tiết tại bảng số liệu của mục này"
    );
    let mut out = Vec::new();
    if !parts.is_empty() {
        out.push(Sentence::Flow(format!(
            "vận động Nhân dân giao nộp {}",
            parts.join(", ")
        )));
        if mixed {
            out.push(Sentence::Whole(format!("Ngoài ra, {note}")));
        }
    } else if mixed {
        out.push(Sentence::Flow(format!(
            "vận động Nhân dân giao nộp vũ khí, vật liệu nổ, công cụ hỗ trợ các loại; {note}"
        )));
    }
    out
}

/// The Ngày hội is counted in sites a year, never added over years: one
/// year's sites, or over several years the range of a year's ("hằng năm …
/// tại 115 – 169 điểm"). Without the figures by year, the sum is said for
/// what it is: times the day was held.
fn security_day(f: &Facts) -> Vec<Sentence> {
    let what = "tổ chức Ngày hội toàn dân bảo vệ ANTQ";
    let Some(total) = present(f.figs, "ngay_hoi") else {
        return Vec::new();
    };
    if f.stage.from == f.stage.to {
        return vec![Sentence::Flow(format!(
            "{what} tại {}",
            amount(f.figs, "ngay_hoi").unwrap_or_default()
        ))];
    }
    let years: Vec<f64> = f
        .by_year
        .and_then(|b| b.get("ngay_hoi"))
        .map(|m| {
            m.range(f.stage.from..=f.stage.to)
                .map(|(_, v)| v.value)
                .filter(|v| *v != 0.0)
                .collect()
        })
        .unwrap_or_default();
    if years.is_empty() {
        return vec![Sentence::Flow(format!(
            "tổ chức {} lượt Ngày hội toàn dân bảo vệ ANTQ ở cơ sở",
            narrative_number(total)
        ))];
    }
    let low = years.iter().cloned().fold(f64::INFINITY, f64::min);
    let high = years.iter().cloned().fold(0.0, f64::max);
    let sites = if low == high {
        format!("{} điểm", plain(low))
    } else {
        format!("{} – {} điểm", plain(low), plain(high))
    };
    let all = years.len() as i32 == f.stage.to - f.stage.from + 1;
    if all {
        vec![Sentence::Yearly(format!("{what} tại {sites}"))]
    } else {
        vec![Sentence::Whole(format!(
            "Trong {} năm có số liệu, mỗi năm {} {what} tại {sites}",
            years.len(),
            f.scope
        ))]
    }
}

fn plain(v: f64) -> String {
    narrative_number(&Figure {
        value: v,
        qualifier: None,
        unapproved: 0.0,
        split: false,
        source: FigureSource::Form,
    })
}

fn form_awards(figs: &Figures) -> Vec<Sentence> {
    let mut c = Vec::new();
    for (code, name) in [("kt_bang_khen", "Bằng khen"), ("kt_giay_khen", "Giấy khen")] {
        let parts: Vec<String> = [("tap_the", "tập thể"), ("ca_nhan", "cá nhân")]
            .iter()
            .filter_map(|(o, w)| {
                present(figs, &format!("{code}.{o}"))
                    .map(|v| format!("{} {w}", narrative_number(v)))
            })
            .collect();
        if !parts.is_empty() {
            c.push(format!("tặng {name} cho {}", parts.join(" và ")));
        } else if let Some(t) = present(figs, code) {
            c.push(format!("tặng {} {name}", narrative_number(t)));
        }
    }
    flow(c)
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
    narrative_with_awards(groups, figs, stage, scope, &Awards::default())
}

/// The narrative as [`narrative_for`] writes it, with the awards paragraph
/// read from the register where the review keeps it: "Qua 10 năm triển
/// khai, các tập thể, cá nhân trong tỉnh đã được khen thưởng: Chủ tịch UBND
/// tỉnh tặng Bằng khen cho 2 tập thể, 5 cá nhân; … Nhân dịp này, …".
/// Without the register the form figures are said as before.
pub fn narrative_with_awards(
    groups: &[(&str, &str)],
    figs: &Figures,
    stage: &Stage,
    scope: &str,
    awards: &Awards,
) -> Vec<(String, String, String)> {
    write(
        groups,
        &Facts {
            figs,
            by_year: None,
            stage: *stage,
            scope: scope.to_string(),
            awards,
            previous: None,
            at: None,
        },
    )
}

/// The narrative from all the facts a review keeps: paragraphs opened in
/// turn ("Qua 10 năm triển khai, …", "Trong giai đoạn này, …", "Bên cạnh
/// đó, …"), ANTQ and ANTT spelled out where first used.
pub(super) fn write(groups: &[(&str, &str)], f: &Facts) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = Vec::new();
    for (code, heading) in groups {
        let lead = opening(&f.stage, out.len());
        let text = match *code {
            "khen_thuong" => awards_paragraph(&lead, &f.scope, f.awards)
                .or_else(|| paragraph(group_sentences(code, f), &lead, &f.scope)),
            "danh_gia" => assessment_paragraph(f),
            _ => paragraph(group_sentences(code, f), &lead, &f.scope),
        };
        if let Some(text) = text {
            out.push((code.to_string(), heading.to_string(), text));
        }
    }
    let mut texts: Vec<String> = out.iter().map(|p| p.2.clone()).collect();
    spell_out_first(&mut texts);
    for (p, t) in out.iter_mut().zip(texts) {
        p.2 = t;
    }
    out
}

/// The abbreviations a review may use once spelled out.
const SPELLED: &[(&str, &str)] = &[("ANTQ", "an ninh Tổ quốc"), ("ANTT", "an ninh, trật tự")];

/// Spell out ANTQ and ANTT where first used ("an ninh Tổ quốc (ANTQ)"),
/// unless the text already introduced them.
pub fn spell_out_first(texts: &mut [String]) {
    for (abbr, long) in SPELLED {
        let introduced = format!("({abbr})");
        for t in texts.iter_mut() {
            if t.contains(&introduced) {
                break;
            }
            if let Some(i) = find_word(t, abbr) {
                let start = t[..i].trim_end();
                let long = if start.is_empty() || start.ends_with(['.', ':', '!', '?']) {
                    capitalised(long)
                } else {
                    long.to_string()
                };
                t.replace_range(i..i + abbr.len(), &format!("{long} {introduced}"));
                break;
            }
        }
    }
}

/// The byte index of `word` standing alone in `t` (not inside a longer word).
fn find_word(t: &str, word: &str) -> Option<usize> {
    t.match_indices(word).map(|(i, _)| i).find(|&i| {
        let before = t[..i].chars().next_back();
        let after = t[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The year's assessments (figures of one year, never added over years):
/// "Năm 2024, toàn tỉnh có 98 đơn vị được công nhận đạt tiêu chuẩn “An toàn
/// về an ninh, trật tự” trên 120 đơn vị đủ điều kiện (đạt 81,7%); kết quả
/// phân loại phong trào: 10 đơn vị xuất sắc, …". Over a stage of several
/// years, the figures are those of its latest assessment, its year named
/// where known, and the recognitions of a year as a range.
fn assessment_paragraph(f: &Facts) -> Option<String> {
    let figs = f.figs;
    let mut c = Vec::new();
    let standard = "đạt tiêu chuẩn “An toàn về an ninh, trật tự”";
    if let Some(a) = amount(figs, "atan_cong_nhan") {
        let mut s = format!("có {a} được công nhận {standard}");
        if let Some(e) = amount(figs, "atan_du_dieu_kien") {
            s.push_str(&format!(" trên {e} đủ điều kiện"));
            if let Some(r) = present(figs, "atan_ty_le") {
                s.push_str(&format!(
                    " (đạt {})",
                    crate::text::format_percent(r.value / 100.0, 1)
                ));
            }
        }
        c.push(s);
    } else if let Some(d) = amount(figs, "atan_dang_ky") {
        c.push(format!("có {d} đăng ký xây dựng {standard}"));
    }
    let bands: Vec<String> = [
        ("pl_xuat_sac", "xuất sắc"),
        ("pl_kha", "khá"),
        ("pl_trung_binh", "trung bình"),
        ("pl_yeu", "yếu"),
    ]
    .iter()
    .filter_map(|(code, word)| amount(figs, code).map(|v| format!("{v} {word}")))
    .collect();
    if !bands.is_empty() {
        c.push(format!(
            "kết quả phân loại phong trào: {}",
            bands.join(", ")
        ));
    }
    let body = join(c)?;
    let stage = &f.stage;
    let when = if stage.half.is_none() && stage.from == stage.to {
        format!("Năm {}", stage.from)
    } else {
        match last_year_of(f, ASSESSED) {
            Some(y) => format!("Theo kết quả đánh giá năm {y} (gần nhất trong giai đoạn)"),
            None => "Theo kết quả đánh giá gần nhất trong giai đoạn".to_string(),
        }
    };
    let mut text = format!("{when}, {} {body}.", f.scope);
    if let Some(range) = yearly_range(f, "atan_cong_nhan") {
        text.push_str(&format!(
            " Qua các năm, số đơn vị được công nhận {standard} mỗi năm từ {range}."
        ));
    }
    Some(text)
}

/// The figures of an assessment (one year's, never added over years).
const ASSESSED: &[&str] = &[
    "atan_dang_ky",
    "atan_cong_nhan",
    "atan_du_dieu_kien",
    "pl_xuat_sac",
    "pl_kha",
    "pl_trung_binh",
    "pl_yeu",
];

/// The latest year of the stage with any of `keys` (from the figures by year).
fn last_year_of(f: &Facts, keys: &[&str]) -> Option<i32> {
    let by_year = f.by_year?;
    keys.iter()
        .filter_map(|k| by_year.get(*k))
        .flat_map(|m| m.range(f.stage.from..=f.stage.to))
        .filter(|(_, v)| v.value != 0.0)
        .map(|(y, _)| *y)
        .max()
}

/// "85 đến 98 đơn vị": a yearly figure's range over a stage of several
/// years (none for one year, or when every year has the same figure).
fn yearly_range(f: &Facts, key: &str) -> Option<String> {
    if f.stage.from == f.stage.to {
        return None;
    }
    let m = f.by_year?.get(key)?;
    let values: Vec<f64> = m
        .range(f.stage.from..=f.stage.to)
        .map(|(_, v)| v.value)
        .filter(|v| *v != 0.0)
        .collect();
    let low = values.iter().cloned().fold(f64::INFINITY, f64::min);
    let high = values.iter().cloned().fold(0.0, f64::max);
    let words = WORDS.iter().find(|w| w.0 == key)?.2;
    (values.len() > 1 && low < high).then(|| format!("{} đến {} {words}", plain(low), plain(high)))
}

/// The awards paragraph from the register, or none when it holds nothing.
fn awards_paragraph(lead: &str, scope: &str, awards: &Awards) -> Option<String> {
    let stage = lines_sentence(&awards.stage);
    let at_conference = awards
        .conference
        .as_ref()
        .map(|c| lines_sentence(&c.lines))
        .unwrap_or_default();
    let mut parts = Vec::new();
    // The stage's awards are all the conference's own: said once, as given there.
    let only_at_conference = awards
        .conference
        .as_ref()
        .is_some_and(|c| same_lines(&c.lines, &awards.stage));
    if !stage.is_empty() && !only_at_conference {
        parts.push(format!(
            "{lead}, các tập thể, cá nhân {}đã được khen thưởng: {stage}.",
            scope_in(scope)
        ));
    }
    if !at_conference.is_empty() {
        parts.push(format!("Nhân dịp này, {at_conference}."));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The same counts by issuer, form and recipient kind, in any order.
fn same_lines(a: &[AwardLine], b: &[AwardLine]) -> bool {
    let key = |l: &AwardLine| {
        (
            l.issuer.clone(),
            l.form.clone(),
            l.recipient_kind.clone(),
            l.count,
        )
    };
    let mut a: Vec<_> = a.iter().filter(|l| l.count > 0).map(key).collect();
    let mut b: Vec<_> = b.iter().filter(|l| l.count > 0).map(key).collect();
    a.sort();
    b.sort();
    a == b
}

fn scope_in(scope: &str) -> String {
    match scope.strip_prefix("toàn ") {
        Some("quốc") => "cả nước ".into(),
        Some(kind) => format!("trong {kind} "),
        None => String::new(),
    }
}

#[cfg(test)]
#[path = "narrative_tests.rs"]
mod tests;
