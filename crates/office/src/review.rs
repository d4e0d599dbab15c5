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
#[path = "review_tests.rs"]
mod tests;
