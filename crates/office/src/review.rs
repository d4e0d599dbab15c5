//! A review (sơ kết, tổng kết) as Word and Excel files, and the tables and
//! charts the web page shows: all from the stored snapshot and narrative,
//! so a review prints the same in 2027 as in 2023.

use antq_core::indicators::GROUPS;
use antq_core::reviews::{Figure, Header, Paragraph, Snapshot};
use antq_core::text::{format_decimal, format_int, format_percent};
use rust_xlsxwriter::{Format, FormatAlign, Workbook};

use crate::chart;
use crate::chart_png::svg_to_png;
use crate::docx::{Align, Docx, Para, Run, TableCell, TEXT_W};
use crate::xlsx::write_text;

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

/// The most child units a comparison chart shows (the largest values).
const CHART_CHILDREN: usize = 15;

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
                chunk
                    .iter()
                    .map(|l| s.totals.get(&l.key).copied())
                    .collect(),
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
            });
        }
        let child_lines: Vec<_> = lines
            .iter()
            .filter(|l| s.by_child.contains_key(&l.key))
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
                charts.push((
                    caption.clone(),
                    chart::bars(&caption, &labels, &values, &lead.unit),
                ));
            }
            if let Some(by) = s.by_child.get(&lead.key) {
                let mut pairs: Vec<(String, f64)> = s
                    .children
                    .iter()
                    .filter_map(|(c, n)| by.get(c).map(|f| (n.clone(), f.value)))
                    .collect();
                pairs.sort_by(|a, b| b.1.total_cmp(&a.1));
                let shown = pairs.len().min(CHART_CHILDREN);
                let more = if pairs.len() > shown {
                    format!(" ({shown} đơn vị cao nhất)")
                } else {
                    String::new()
                };
                pairs.truncate(shown);
                if !pairs.is_empty() {
                    let caption = format!(
                        "Biểu đồ {}.{}. {} theo đơn vị trực thuộc{more}",
                        out.len() + 1,
                        charts.len() + 1,
                        lead.name
                    );
                    let (labels, values): (Vec<String>, Vec<f64>) = pairs.into_iter().unzip();
                    charts.push((
                        caption.clone(),
                        chart::bars(&caption, &labels, &values, &lead.unit),
                    ));
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

fn roman(n: usize) -> &'static str {
    ["I", "II", "III", "IV", "V", "VI"]
        .get(n - 1)
        .copied()
        .unwrap_or("")
}

/// The review as a .docx in the layout of Nghị định 30/2020/NĐ-CP.
pub fn docx(h: &Header, s: &Snapshot, narrative: &[Paragraph]) -> Result<Vec<u8>, String> {
    let mut d = Docx::new(&format!("{} {}", h.kind, h.title));
    // The header block: issuer (left), national title and motto (right).
    let left_w = TEXT_W * 40 / 100;
    let right_w = TEXT_W - left_w;
    let mut left = Vec::new();
    if !h.parent.is_empty() {
        left.push((Para::centred(), vec![Run::new(&h.parent, 13.0)]));
    }
    left.push((Para::centred(), vec![Run::new(&h.issuer, 13.0).bold()]));
    left.push((Para::centred().with_rule(1200), vec![]));
    left.push((Para::centred().before(120), vec![Run::new(&h.number, 13.0)]));
    let right = vec![
        (
            Para::centred(),
            vec![Run::new("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12.0).bold()],
        ),
        (
            Para::centred(),
            vec![Run::new("Độc lập - Tự do - Hạnh phúc", 13.0).bold()],
        ),
        (Para::centred().with_rule(3000), vec![]),
        (
            Para::centred().before(120),
            vec![Run::new(&h.place_date, 13.0).italic()],
        ),
    ];
    d.table(
        &[left_w, right_w],
        &[vec![
            TableCell {
                paras: left,
                shade: false,
            },
            TableCell {
                paras: right,
                shade: false,
            },
        ]],
        false,
        0,
    );
    d.paragraph(
        Para::centred().before(360),
        &[Run::new(&h.kind, 14.0).bold()],
    );
    d.paragraph(Para::centred(), &[Run::new(&h.title, 14.0).bold()]);
    d.paragraph(Para::centred().with_rule(2000).after(240), &[]);

    d.paragraph(
        Para::heading(),
        &[Run::new(format!("{}. KẾT QUẢ ĐẠT ĐƯỢC", roman(1)), 14.0).bold()],
    );
    for part in parts(s, narrative) {
        d.paragraph(
            Para::heading(),
            &[Run::new(format!("{}. {}", part.number, part.heading), 14.0).bold()],
        );
        for line in part.text.split('\n').filter(|l| !l.trim().is_empty()) {
            d.paragraph(Para::body(), &[Run::new(line, 14.0)]);
        }
        for t in &part.tables {
            write_table(&mut d, t);
        }
        for (caption, svg) in &part.charts {
            let (png, w, hgt) = svg_to_png(svg, 2.0)?;
            d.image(png, w, hgt, TEXT_W * 90 / 100, caption);
        }
    }
    d.paragraph(
        Para::heading(),
        &[Run::new(format!("{}. GHI CHÚ VỀ SỐ LIỆU", roman(2)), 14.0).bold()],
    );
    for line in data_note(s) {
        d.paragraph(Para::body(), &[Run::new(line, 14.0)]);
    }
    // Signature block(s) and "Nơi nhận".
    let mut recipients = vec![(
        Para::left(),
        vec![Run::new("Nơi nhận:", 12.0).bold().italic()],
    )];
    for r in &h.recipients {
        recipients.push((Para::left(), vec![Run::new(format!("- {r}"), 11.0)]));
    }
    let sign = |cap: &str, title: &str| -> Vec<(Para, Vec<Run>)> {
        let mut v = Vec::new();
        if !cap.is_empty() {
            v.push((Para::centred(), vec![Run::new(cap, 14.0).bold()]));
        }
        v.push((Para::centred(), vec![Run::new(title, 14.0).bold()]));
        v.push((
            Para::centred().before(1400),
            vec![Run::new("(ký, ghi rõ họ tên, đóng dấu)", 12.0).italic()],
        ));
        v
    };
    let mut cells = vec![TableCell {
        paras: recipients,
        shade: false,
    }];
    let widths: Vec<u32> = if h.signers.len() > 1 {
        cells = h
            .signers
            .iter()
            .map(|(c, t)| TableCell {
                paras: sign(c, t),
                shade: false,
            })
            .collect();
        vec![TEXT_W / 2, TEXT_W - TEXT_W / 2]
    } else {
        let (c, t) = h.signers.first().cloned().unwrap_or_default();
        cells.push(TableCell {
            paras: sign(&c, &t),
            shade: false,
        });
        vec![TEXT_W * 45 / 100, TEXT_W - TEXT_W * 45 / 100]
    };
    d.paragraph(Para::left().after(240), &[]);
    d.table(&widths, &[cells], false, 0);
    if h.signers.len() > 1 {
        let mut rec = vec![TableCell {
            paras: vec![(
                Para::left(),
                vec![Run::new("Nơi nhận:", 12.0).bold().italic()],
            )],
            shade: false,
        }];
        for r in &h.recipients {
            rec[0]
                .paras
                .push((Para::left(), vec![Run::new(format!("- {r}"), 11.0)]));
        }
        d.paragraph(Para::left().after(120), &[]);
        d.table(&[TEXT_W], &[rec], false, 0);
    }
    d.finish()
}

fn write_table(d: &mut Docx, t: &ReviewTable) {
    d.paragraph(
        Para::centred().before(120).after(60),
        &[Run::new(&t.title, 12.0).bold()],
    );
    let n = t.heads.len().max(2) as u32;
    let size = 11.0;
    let first = if n > 4 {
        TEXT_W * 30 / 100
    } else {
        TEXT_W * 40 / 100
    };
    let rest = (TEXT_W - first) / (n - 1);
    let mut widths = vec![first];
    widths.extend(std::iter::repeat_n(rest, (n - 1) as usize));
    let mut rows = vec![t
        .heads
        .iter()
        .map(|h| {
            let mut c = TableCell::text(h, size, Align::Center, true);
            c.shade = true;
            c
        })
        .collect::<Vec<_>>()];
    for (label, cells, _) in &t.rows {
        let mut row = vec![TableCell::text(label, size, Align::Left, false)];
        for (i, c) in cells.iter().enumerate() {
            let unit = t.units.get(i).map(String::as_str).unwrap_or("");
            row.push(TableCell::text(
                cell_text(c.as_ref(), unit),
                size,
                Align::Right,
                false,
            ));
        }
        rows.push(row);
    }
    d.table(&widths, &rows, true, 1);
}

/// The review's tables as an Excel annex: one sheet per table, numbers as
/// numbers with a thousands format, qualifiers in a note column.
pub fn xlsx(h: &Header, s: &Snapshot, narrative: &[Paragraph]) -> Result<Vec<u8>, String> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_text_wrap()
        .set_background_color(0xE7E9EC);
    let int = Format::new().set_num_format("#,##0");
    let dec = Format::new().set_num_format("#,##0.0");
    let e = |x: rust_xlsxwriter::XlsxError| format!("không ghi được Excel: {x}");
    {
        let ws = wb.add_worksheet().set_name("Tong hop").map_err(e)?;
        write_text(ws, 0, 0, &format!("{} {}", h.kind, h.title), Some(&bold)).map_err(e)?;
        write_text(ws, 1, 0, &h.place_date, None).map_err(e)?;
        write_text(ws, 3, 0, "Chỉ tiêu", Some(&head)).map_err(e)?;
        write_text(ws, 3, 1, "Đơn vị tính", Some(&head)).map_err(e)?;
        write_text(ws, 3, 2, &stage_label(s), Some(&head)).map_err(e)?;
        write_text(ws, 3, 3, "Ghi chú", Some(&head)).map_err(e)?;
        let mut r = 4;
        for l in &s.lines {
            let Some(f) = s.totals.get(&l.key) else {
                continue;
            };
            write_text(ws, r, 0, &l.name, None).map_err(e)?;
            write_text(ws, r, 1, &l.unit, None).map_err(e)?;
            let fmt = if f.value.fract() == 0.0 { &int } else { &dec };
            ws.write_number_with_format(r, 2, f.value, fmt).map_err(e)?;
            if let Some(q) = f.qualifier {
                write_text(ws, r, 3, q.word_vi(), None).map_err(e)?;
            }
            r += 1;
        }
        ws.set_column_width(0, 60).map_err(e)?;
        ws.set_column_width(1, 14).map_err(e)?;
        ws.set_column_width(2, 16).map_err(e)?;
        r += 1;
        for line in data_note(s) {
            write_text(ws, r, 0, &line, None).map_err(e)?;
            r += 1;
        }
    }
    for (pi, part) in parts(s, narrative).iter().enumerate() {
        for (ti, t) in part.tables.iter().enumerate() {
            let name = format!("Bang {}.{}", pi + 1, ti + 1);
            let ws = wb.add_worksheet().set_name(&name).map_err(e)?;
            write_text(ws, 0, 0, &t.title, Some(&bold)).map_err(e)?;
            for (c, hd) in t.heads.iter().enumerate() {
                write_text(ws, 2, c as u16, hd, Some(&head)).map_err(e)?;
            }
            for (ri, (label, cells, _)) in t.rows.iter().enumerate() {
                let r = 3 + ri as u32;
                write_text(ws, r, 0, label, None).map_err(e)?;
                for (ci, c) in cells.iter().enumerate() {
                    if let Some(f) = c {
                        let fmt = if f.value.fract() == 0.0 { &int } else { &dec };
                        ws.write_number_with_format(r, 1 + ci as u16, f.value, fmt)
                            .map_err(e)?;
                    }
                }
            }
            ws.set_column_width(0, 48).map_err(e)?;
        }
    }
    wb.save_to_buffer().map_err(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use antq_core::indicators::Qualifier;
    use antq_core::reviews::{self, Line, Owner};
    use std::collections::BTreeMap;
    use std::io::Read;

    fn f(v: f64) -> Figure {
        Figure {
            value: v,
            qualifier: None,
            unapproved: 0.0,
            split: false,
            source: Default::default(),
        }
    }

    fn snapshot() -> Snapshot {
        let line = |k: &str, n: &str, u: &str, g: &str| Line {
            key: k.into(),
            name: n.into(),
            unit: u.into(),
            group: g.into(),
        };
        let mut totals = BTreeMap::new();
        totals.insert("tt_buoi".to_string(), f(32_146.0));
        totals.insert(
            "tt_luot".to_string(),
            Figure {
                qualifier: Some(Qualifier::MoreThan),
                unapproved: 1_000.0,
                ..f(3_048_210.0)
            },
        );
        totals.insert("gd_doi_tuong".to_string(), f(27_135.0));
        let mut by_year = BTreeMap::new();
        by_year.insert(
            "tt_buoi".to_string(),
            (2013..=2023)
                .map(|y| (y, f(2_900.0 + f64::from(y - 2013))))
                .collect(),
        );
        let mut by_child = BTreeMap::new();
        by_child.insert(
            "tt_buoi".to_string(),
            [
                ("01".to_string(), f(20_000.0)),
                ("02".to_string(), f(12_146.0)),
            ]
            .into_iter()
            .collect(),
        );
        Snapshot {
            unit_code: "87".into(),
            unit_name: "Tỉnh Đồng Tháp".into(),
            unit_kind: "Tỉnh".into(),
            is_nation: false,
            parent_name: None,
            level: "province".into(),
            at: "2023-05-18".into(),
            from: 2013,
            to: 2023,
            half: None,
            map: "historical".into(),
            lines: vec![
                line("tt_buoi", "Buổi tuyên truyền", "buổi", "tuyen_truyen"),
                line(
                    "tt_luot",
                    "Lượt người tham dự",
                    "lượt người",
                    "tuyen_truyen",
                ),
                line(
                    "gd_doi_tuong",
                    "Người lầm lỗi được giáo dục",
                    "người",
                    "giao_duc",
                ),
            ],
            totals,
            by_year,
            children: vec![
                ("01".into(), "Huyện Cao Lãnh".into()),
                ("02".into(), "Thành phố Sa Đéc".into()),
            ],
            by_child,
            reports_total: 10,
            reports_approved: 9,
            pending: vec![],
            built_at: "2023-05-17T08:00:00Z".into(),
            programme: None,
            awards: Default::default(),
        }
    }

    fn entry(zip: &[u8], name: &str) -> Vec<u8> {
        let mut a = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
        let mut out = Vec::new();
        a.by_name(name).unwrap().read_to_end(&mut out).unwrap();
        out
    }

    fn build() -> (Vec<u8>, Snapshot) {
        let s = snapshot();
        let narrative: Vec<Paragraph> = s
            .narrative(&[("tuyen_truyen", "Tuyên truyền"), ("giao_duc", "Giáo dục")])
            .into_iter()
            .map(|(group, heading, text)| Paragraph {
                group,
                heading,
                text,
            })
            .collect();
        let h = reviews::header(
            &s,
            Owner::Joint,
            antq_core::dates::parse_date("2023-05-18").unwrap(),
        );
        (docx(&h, &s, &narrative).unwrap(), s)
    }

    #[test]
    fn the_docx_has_the_decree_layout_and_the_figures() {
        let (bytes, _) = build();
        let doc = String::from_utf8(entry(&bytes, "word/document.xml")).unwrap();
        // A4, margins 20/20/30/20 mm, page numbers from page 2 (title page header is empty).
        assert!(doc.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
        assert!(doc.contains("w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1701\""));
        assert!(doc.contains("<w:titlePg/>"));
        let header = String::from_utf8(entry(&bytes, "word/header1.xml")).unwrap();
        assert!(header.contains("PAGE"));
        let styles = String::from_utf8(entry(&bytes, "word/styles.xml")).unwrap();
        assert!(styles.contains("w:ascii=\"Times New Roman\""));
        assert!(styles.contains("<w:sz w:val=\"28\"/>"), "14 pt body");
        for text in [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Đồng Tháp, ngày 18 tháng 5 năm 2023",
            "BÁO CÁO",
            "Tổng kết 10 năm thực hiện phong trào \u{201C}Toàn dân bảo vệ an ninh Tổ quốc\u{201D}, giai đoạn 2013 – 2023",
            "Số:        /BC-CAT-MTTQ",
            "Nơi nhận:",
            "TM. BAN THƯỜNG TRỰC",
            "32.146",
            "hơn 3.048.210",
            "được 32.146 buổi, với hơn 3 triệu lượt người tham dự",
            "Huyện Cao Lãnh",
            "GHI CHÚ VỀ SỐ LIỆU",
        ] {
            assert!(doc.contains(text), "{text} missing");
        }
        assert!(doc.contains("<w:jc w:val=\"both\"/>") && doc.contains("w:firstLine=\"720\""));
        // Tables: the header block, the year table, the child table, the signature block.
        assert_eq!(
            doc.matches("<w:tbl>").count(),
            6,
            "header, propaganda by year and by district, education by year, two signatures, recipients"
        );
        // Two charts for propaganda (years, districts); education has no yearly figures, so none.
        assert_eq!(doc.matches("<pic:pic>").count(), 2);
        let png = entry(&bytes, "word/media/chart1.png");
        assert_eq!(&png[..4], b"\x89PNG");
        // Built twice, the file is the same byte for byte.
        assert_eq!(build().0, bytes);
    }

    #[test]
    fn the_excel_annex_holds_numbers() {
        use calamine::{DataType, Reader, Xlsx};
        let s = snapshot();
        let h = reviews::header(
            &s,
            Owner::Police,
            antq_core::dates::parse_date("2023-05-18").unwrap(),
        );
        let bytes = xlsx(&h, &s, &[]).unwrap();
        let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let names = wb.sheet_names();
        assert!(names.len() >= 3, "{names:?}");
        let sheet = wb.worksheet_range("Tong hop").unwrap();
        let row = sheet.rows().find(|r| r[0] == "Buổi tuyên truyền").unwrap();
        assert_eq!(row[2].get_float(), Some(32_146.0));
    }

    /// Where LibreOffice is installed, the .docx converts to a PDF of A4 pages.
    #[test]
    fn libreoffice_renders_the_docx() {
        let Some(soffice) = ["soffice", "libreoffice"].into_iter().find(|c| {
            std::process::Command::new(c)
                .arg("--version")
                .output()
                .is_ok()
        }) else {
            eprintln!("skipped: LibreOffice is not installed, the rendering check did not run");
            return;
        };
        let dir = std::env::temp_dir().join(format!("antq-docx-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("review.docx");
        std::fs::write(&path, build().0).unwrap();
        let out = std::process::Command::new(soffice)
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&dir)
            .arg(&path)
            .env("HOME", &dir)
            .output()
            .unwrap();
        let pdf = std::fs::read(dir.join("review.pdf"))
            .unwrap_or_else(|_| panic!("no PDF: {}", String::from_utf8_lossy(&out.stderr)));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.starts_with("%PDF"));
        let compact = text.replace(' ', "");
        assert!(compact.contains("/MediaBox[00595.3"), "A4 pages");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
