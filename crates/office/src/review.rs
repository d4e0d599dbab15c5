//! A review (sơ kết, tổng kết) as Word and Excel files, and the tables and
//! charts the web page shows: all from the stored snapshot and narrative,
//! so a review prints the same in 2027 as in 2023.

use antq_core::indicators::GROUPS;
use antq_core::reviews::document::Section;
use antq_core::reviews::{Figure, Header, Paragraph, Snapshot};
use antq_core::text::{format_decimal, format_int, format_percent};

use crate::chart;

/// A value as the tables show it: exact, Vietnamese format, with its qualifier.
pub fn cell_text(f: Option<&Figure>, unit: &str) -> String {
    let Some(f) = f else {
        return "–".into();
    };
    let n = if unit == "%" {
        format_percent(f.value / 100.0, 1)
    } else if f.value.fract() == 0.0 {
        format_int(f.value as i64)
    } else {
        format_decimal(f.value, 1)
    };
    match f.qualifier.map(|q| q.word_vi()).filter(|w| !w.is_empty()) {
        Some(w) => format!("{w} {n}"),
        None => n,
    }
}

/// One table of a review: a title, column heads, rows of (label, cells,
/// unused), and the unit of measure of each value column.
#[derive(Debug, Clone)]
pub struct ReviewTable {
    pub title: String,
    pub heads: Vec<String>,
    pub rows: Vec<(String, Vec<Option<Figure>>, String)>,
    pub units: Vec<String>,
    /// A table by child unit: printed in the annex (phụ lục), not the body.
    pub annex: bool,
}

/// One group of results: its narrative, tables and charts (SVG).
#[derive(Debug, Clone)]
pub struct GroupPart {
    pub number: usize,
    pub heading: String,
    pub text: String,
    pub tables: Vec<ReviewTable>,
    /// (caption, SVG)
    pub charts: Vec<(String, String)>,
}

/// The most child units a comparison chart shows in official order.
const CHART_CHILDREN_ALL: usize = 35;
/// Beyond that, the chart shows this many of the largest values.
const CHART_CHILDREN: usize = 15;

/// Does the stage span several whole years?
fn several_years(s: &Snapshot) -> bool {
    s.half.is_none() && s.from != s.to
}

/// A figure of the whole stage, or none where adding the years would say
/// something false (the sites of each year's Ngày hội are not "sites").
pub fn stage_figure(s: &Snapshot, key: &str) -> Option<Figure> {
    if several_years(s) && antq_core::indicators::counted_per_year(key) {
        return None;
    }
    s.totals.get(key).copied()
}

/// The groups of a review with figures, each with its tables and charts.
pub fn parts(s: &Snapshot, narrative: &[Paragraph]) -> Vec<GroupPart> {
    let mut out = Vec::new();
    for (code, heading, _) in GROUPS {
        let lines: Vec<_> = s
            .lines_of(code)
            .into_iter()
            .filter(|l| {
                s.totals.get(&l.key).is_some_and(|f| f.value != 0.0)
                    || s.by_year.get(&l.key).is_some_and(|m| !m.is_empty())
            })
            .collect();
        let text = narrative
            .iter()
            .find(|p| p.group == *code)
            .map(|p| p.text.clone());
        if lines.is_empty() && text.is_none() {
            continue;
        }
        let years = s.years();
        // Years down, indicators across (at most five a table), the stage last.
        let mut tables = Vec::new();
        for (ci, chunk) in lines.chunks(5).enumerate() {
            let mut heads = vec!["Năm".to_string()];
            heads.extend(chunk.iter().map(|l| format!("{} ({})", l.name, l.unit)));
            // One year or a half-year: the stage's own row is the table.
            let shown_years: &[i32] = if s.from == s.to { &[] } else { &years };
            let mut rows: Vec<(String, Vec<Option<Figure>>, String)> = shown_years
                .iter()
                .map(|y| {
                    (
                        y.to_string(),
                        chunk
                            .iter()
                            .map(|l| s.by_year.get(&l.key).and_then(|m| m.get(y)).copied())
                            .collect(),
                        String::new(),
                    )
                })
                .collect();
            rows.push((
                stage_label(s),
                chunk.iter().map(|l| stage_figure(s, &l.key)).collect(),
                String::new(),
            ));
            let suffix = if lines.len() > 5 {
                format!(" (phần {})", ci + 1)
            } else {
                String::new()
            };
            tables.push(ReviewTable {
                title: format!(
                    "Bảng {}.{}. {} theo năm{suffix}",
                    out.len() + 1,
                    ci + 1,
                    heading
                ),
                heads,
                rows,
                units: chunk.iter().map(|l| l.unit.clone()).collect(),
                annex: false,
            });
        }
        let child_lines: Vec<_> = lines
            .iter()
            .filter(|l| s.by_child.contains_key(&l.key) && stage_figure(s, &l.key).is_some())
            .take(5)
            .collect();
        if !s.children.is_empty() && !child_lines.is_empty() {
            let mut heads = vec!["Đơn vị".to_string()];
            heads.extend(
                child_lines
                    .iter()
                    .map(|l| format!("{} ({})", l.name, l.unit)),
            );
            let mut rows: Vec<(String, Vec<Option<Figure>>, String)> = s
                .children
                .iter()
                .filter(|(c, _)| {
                    child_lines
                        .iter()
                        .any(|l| s.by_child[&l.key].contains_key(c))
                })
                .map(|(c, n)| {
                    (
                        n.clone(),
                        child_lines
                            .iter()
                            .map(|l| s.by_child[&l.key].get(c).copied())
                            .collect(),
                        String::new(),
                    )
                })
                .collect();
            rows.push((
                format!(
                    "Toàn {}",
                    if s.is_nation {
                        "quốc".to_string()
                    } else {
                        s.unit_kind.to_lowercase()
                    }
                ),
                child_lines
                    .iter()
                    .map(|l| s.totals.get(&l.key).copied())
                    .collect(),
                String::new(),
            ));
            tables.push(ReviewTable {
                title: format!(
                    "Bảng {}.{}. {} theo đơn vị trực thuộc",
                    out.len() + 1,
                    tables.len() + 1,
                    heading
                ),
                heads,
                rows,
                units: child_lines.iter().map(|l| l.unit.clone()).collect(),
                annex: true,
            });
        }
        let mut charts = Vec::new();
        if let Some(lead) = lines.iter().find(|l| s.by_year.contains_key(&l.key)) {
            let m = &s.by_year[&lead.key];
            let trend = s.from != s.to;
            let labels: Vec<String> = years.iter().map(|y| y.to_string()).collect();
            let values: Vec<f64> = years
                .iter()
                .map(|y| m.get(y).map(|f| f.value).unwrap_or(0.0))
                .collect();
            if trend {
                let caption = format!("Biểu đồ {}.1. {} theo năm", out.len() + 1, lead.name);
                if let Some(svg) = chart::bars(&labels, &values, &lead.unit) {
                    charts.push((caption, svg));
                }
            }
            if let Some(by) = s.by_child.get(&lead.key) {
                let mut pairs: Vec<(String, f64)> = s
                    .children
                    .iter()
                    .filter_map(|(c, n)| by.get(c).map(|f| (n.clone(), f.value)))
                    .collect();
                // Every unit in official order when the chart holds them
                // all; beyond that, the largest values, said in the caption.
                let more = if pairs.len() > CHART_CHILDREN_ALL {
                    pairs.sort_by(|a, b| b.1.total_cmp(&a.1));
                    pairs.truncate(CHART_CHILDREN);
                    format!(" ({CHART_CHILDREN} đơn vị cao nhất)")
                } else {
                    String::new()
                };
                if !pairs.is_empty() {
                    let caption = format!(
                        "Biểu đồ {}.{}. {} theo đơn vị trực thuộc{more}",
                        out.len() + 1,
                        charts.len() + 1,
                        lead.name
                    );
                    let (labels, values): (Vec<String>, Vec<f64>) = pairs.into_iter().unzip();
                    if let Some(svg) = chart::bars(&labels, &values, &lead.unit) {
                        charts.push((caption, svg));
                    }
                }
            }
        }
        out.push(GroupPart {
            number: out.len() + 1,
            heading: heading.to_string(),
            text: text.unwrap_or_default(),
            tables,
            charts,
        });
    }
    out
}

/// "2013 – 2023", "Năm 2023", "6 tháng đầu năm 2026": the stage as a row label.
pub fn stage_label(s: &Snapshot) -> String {
    if s.half.is_none() && s.from != s.to {
        return format!("{} – {}", s.from, s.to);
    }
    let l = s.stage().label();
    let mut c = l.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => l,
    }
}

/// The data note: what the figures include and leave out.
pub fn data_note(s: &Snapshot) -> Vec<String> {
    let mut out = vec![format!(
        "Số liệu tổng hợp từ các báo cáo đã được duyệt của {} và các đơn vị trực thuộc, {} ({}), đọc lúc {}.",
        s.name_in_text(),
        s.stage().label(),
        if s.map == "current" {
            "số liệu của các đơn vị hành chính trước ngày 01/07/2025 được cộng vào đơn vị hiện nay kế thừa"
        } else {
            "theo địa giới hành chính tại thời điểm đó"
        },
        antq_core::dates::format_timestamp_vi(&s.built_at)
    )];
    if s.reports_total > 0 {
        out.push(format!(
            "Đã duyệt {} trên {} báo cáo ({}).",
            format_int(s.reports_approved as i64),
            format_int(s.reports_total as i64),
            format_percent(s.reports_approved as f64 / s.reports_total as f64, 1)
        ));
    }
    let pending: Vec<String> = s
        .lines
        .iter()
        .filter_map(|l| {
            let f = s.totals.get(&l.key)?;
            if f.unapproved <= 0.0 {
                return None;
            }
            let all = f.value + f.unapproved;
            Some(format!(
                "{} chưa tính {} {} của báo cáo chưa duyệt ({} tổng số)",
                l.name,
                cell_text(
                    Some(&Figure {
                        value: f.unapproved,
                        qualifier: None,
                        unapproved: 0.0,
                        split: false,
                        source: Default::default(),
                    }),
                    &l.unit
                ),
                l.unit,
                format_percent(f.unapproved / all, 1)
            ))
        })
        .collect();
    if !pending.is_empty() {
        out.push(format!("Chưa duyệt: {}.", pending.join("; ")));
    }
    if !s.pending.is_empty() {
        let list: Vec<String> = s
            .pending
            .iter()
            .take(20)
            .map(|p| {
                format!(
                    "{} ({})",
                    p.unit_name,
                    antq_core::words::period_vi(&p.period)
                )
            })
            .collect();
        out.push(format!(
            "Báo cáo chưa duyệt: {}{}.",
            list.join(", "),
            if s.pending.len() > 20 {
                let not_approved = s.reports_total.saturating_sub(s.reports_approved) as usize;
                format!(" và {} báo cáo khác", not_approved.saturating_sub(20))
            } else {
                String::new()
            }
        ));
    }
    let from_register: Vec<&str> = s
        .lines
        .iter()
        .filter(|l| {
            s.totals.get(&l.key).is_some_and(|f| {
                matches!(
                    f.source,
                    antq_core::reviews::FigureSource::Register
                        | antq_core::reviews::FigureSource::Both
                )
            })
        })
        .map(|l| l.name.as_str())
        .collect();
    if !from_register.is_empty() {
        out.push(format!(
            "Số liệu lấy từ sổ theo dõi khen thưởng, sự kiện (không cộng thêm số liệu báo cáo định kỳ cùng kỳ): {}.",
            from_register.join("; ")
        ));
    }
    let split: Vec<&str> = s
        .lines
        .iter()
        .filter(|l| s.totals.get(&l.key).is_some_and(|f| f.split))
        .map(|l| l.name.as_str())
        .collect();
    if !split.is_empty() {
        out.push(format!(
            "Có số liệu của xã, phường bị chia tách năm 2025 (tính vào đơn vị kế thừa phần chính): {}.",
            split.join("; ")
        ));
    }
    let qualified: Vec<String> = s
        .lines
        .iter()
        .filter_map(|l| {
            let q = s.totals.get(&l.key)?.qualifier?;
            Some(format!("{} ({})", l.name, q.word_vi()))
        })
        .collect();
    if !qualified.is_empty() {
        out.push(format!(
            "Số liệu ước tính, không chính xác tuyệt đối: {}.",
            qualified.join("; ")
        ));
    }
    out
}

/// "I" … "XX": the numeral of a section (a review has at most 20).
pub fn roman(n: usize) -> String {
    const ONES: [&str; 10] = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"];
    let tens = "X".repeat(n / 10 % 10);
    format!("{tens}{}", ONES[n % 10])
}

/// Everything a review prints: its header texts (issuers, title, signers,
/// recipients, closing, draft stamp), its sections in order (typed ones with
/// their text, `Results` from the snapshot and narrative), the figures.
#[derive(Debug, Clone, Copy)]
pub struct ReviewDoc<'a> {
    pub header: &'a Header,
    pub sections: &'a [Section],
    pub snapshot: &'a Snapshot,
    pub narrative: &'a [Paragraph],
}

/// The review as a .docx in the layout of Nghị định 30/2020/NĐ-CP: the
/// header, the sections, the closing, the signatures and "Nơi nhận", then
/// the annex (phụ lục) in landscape.
pub fn docx(doc: &ReviewDoc) -> Result<Vec<u8>, String> {
    body::write(doc)
}

/// The review's tables as an Excel annex (phụ lục): one sheet per table.
pub fn xlsx(doc: &ReviewDoc) -> Result<Vec<u8>, String> {
    workbook::write(doc)
}

pub use annex::{reference as annex_reference, title as annex_title};
pub use body::{note_line, NO_RESULTS};

#[path = "review_annex.rs"]
mod annex;
#[path = "review_docx.rs"]
mod body;
#[path = "review_frame.rs"]
mod frame;
#[path = "review_xlsx.rs"]
mod workbook;

#[cfg(test)]
#[path = "review_tests.rs"]
mod tests;
