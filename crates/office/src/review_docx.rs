//! The body of a review in Word: the title, the sections in the template's
//! order (Roman numerals, real heading styles), the figures of `Results`
//! with the data note as a footnote, the closing sentence; then the frame's
//! signatures and the annex.

use antq_core::reviews::document::{Section, SectionKind};
use antq_core::reviews::rich::{Block, Span};
use antq_core::reviews::Snapshot;

use super::{annex, frame, parts, roman, GroupPart, ReviewDoc, ReviewTable};
use crate::chart_png::svg_to_png;
use crate::docx::{Align, Docx, Para, Run, TableCell};

/// Body text size (points).
const BODY: f32 = 14.0;
/// What the results say when no figure of the stage is approved yet.
pub const NO_RESULTS: &str = "Chưa có số liệu được duyệt của kỳ báo cáo.";
/// The dots that hold the place of text not written yet, on paper.
pub(super) const DOTS: &str = "……………………………………………………………………………";

pub(super) fn write(doc: &ReviewDoc) -> Result<Vec<u8>, String> {
    let h = doc.header;
    let mut d = Docx::new(&format!("{} {}", h.kind, h.title));
    if let Some(reason) = &h.draft {
        frame::draft_stamp(&mut d, reason);
    }
    frame::header_block(&mut d, h);
    d.paragraph(
        Para::centred().before(360),
        &[Run::new(&h.kind, BODY).bold()],
    );
    d.paragraph(Para::centred(), &[Run::new(&h.title, BODY).bold()]);
    d.paragraph(Para::centred().with_rule(2000).after(240), &[]);

    let parts = parts(doc.snapshot, doc.narrative);
    let fallback = [Section::new(SectionKind::Results, "KẾT QUẢ ĐẠT ĐƯỢC", "")];
    let sections = if doc.sections.is_empty() {
        &fallback[..]
    } else {
        doc.sections
    };
    for (i, section) in sections.iter().enumerate() {
        let heading = format!("{}. {}", roman(i + 1), section.heading.to_uppercase());
        if section.kind == SectionKind::Results {
            results(&mut d, &heading, &parts, doc.snapshot)?;
        } else {
            typed(&mut d, &heading, section);
        }
    }
    d.paragraph(Para::body().keep_next(), &[Run::new(&h.closing, BODY)]);
    frame::signatures(&mut d, h);
    annex::write(&mut d, h, doc.snapshot, &parts);
    d.finish()
}

/// Runs of typed spans with their emphasis.
fn runs(spans: &[Span], size: f32) -> Vec<Run> {
    spans
        .iter()
        .map(|s| {
            let mut r = Run::new(&s.text, size);
            r.bold = s.bold;
            r.italic = s.italic;
            r
        })
        .collect()
}

/// A section the officer writes: its blocks, or a line of dots while it is
/// empty (a sub-heading with nothing under it keeps its place and gets its
/// dots, so a draft shows the template's outline).
fn typed(d: &mut Docx, heading: &str, section: &Section) {
    d.paragraph(Para::outline(1), &[Run::new(heading, BODY).bold()]);
    let blocks = section.blocks();
    if blocks.is_empty() {
        d.paragraph(Para::left().after(120), &[Run::new(DOTS, BODY)]);
        return;
    }
    for (i, block) in blocks.iter().enumerate() {
        match block {
            Block::Paragraph { spans } if block.is_subheading() => {
                d.paragraph(Para::outline(2), &runs(spans, BODY));
                if blocks.get(i + 1).is_none_or(Block::is_subheading) {
                    d.paragraph(Para::left().after(120), &[Run::new(DOTS, BODY)]);
                }
            }
            Block::Paragraph { spans } => d.paragraph(Para::body(), &runs(spans, BODY)),
            Block::Bullets { items } => {
                for item in items {
                    let mut r = vec![Run::new("-\t", BODY)];
                    r.extend(runs(item, BODY));
                    d.paragraph(Para::item(), &r);
                }
            }
            Block::Table { rows } => typed_table(d, rows),
        }
    }
}

/// A typed table: ruled, the first row bold on a grey ground and repeated
/// on each page, columns of equal width.
fn typed_table(d: &mut Docx, rows: &[Vec<Vec<Span>>]) {
    let n = rows.iter().map(Vec::len).max().unwrap_or(1).max(1) as u32;
    let widths = vec![d.text_width() / n; n as usize];
    let cells: Vec<Vec<TableCell>> = rows
        .iter()
        .enumerate()
        .map(|(ri, row)| {
            row.iter()
                .map(|spans| {
                    let mut r = runs(spans, 12.0);
                    if ri == 0 {
                        r.iter_mut().for_each(|r| r.bold = true);
                    }
                    let align = if ri == 0 { Align::Center } else { Align::Left };
                    TableCell {
                        paras: vec![(
                            Para {
                                align,
                                ..Para::left()
                            },
                            r,
                        )],
                        shade: ri == 0,
                    }
                })
                .collect()
        })
        .collect();
    d.paragraph(Para::left().after(60), &[]);
    d.table(&widths, &cells, true, 1);
    d.paragraph(Para::left().after(120), &[]);
}

/// "Số liệu tổng hợp đến ngày 17/05/2023 từ các báo cáo đã được duyệt …":
/// the footnote on the results' heading; the full note is in the annex.
pub fn note_line(s: &Snapshot) -> String {
    let day = s.built_at.get(..10).unwrap_or_default();
    let date: Vec<&str> = day.split('-').collect();
    let date = match date.as_slice() {
        [y, m, d] => format!("{d}/{m}/{y}"),
        _ => day.to_string(),
    };
    let approved = if s.reports_total > 0 {
        format!(
            " ({} trên {} báo cáo)",
            antq_core::text::format_int(s.reports_approved as i64),
            antq_core::text::format_int(s.reports_total as i64)
        )
    } else {
        String::new()
    };
    format!(
        "Số liệu tổng hợp đến ngày {date} từ các báo cáo đã được duyệt{approved} của {} và các đơn vị trực thuộc; xem Ghi chú về số liệu ở cuối Phụ lục.",
        s.name_in_text()
    )
}

/// The section written from the data: per group its narrative, tables by
/// year and charts; tables by child unit are named here and printed in the
/// annex. The heading carries the data note as a footnote.
fn results(d: &mut Docx, heading: &str, parts: &[GroupPart], s: &Snapshot) -> Result<(), String> {
    let note = d.footnote(&note_line(s));
    d.paragraph(
        Para::outline(1),
        &[
            Run::new(heading, BODY).bold(),
            Run::footnote_ref(note, BODY),
        ],
    );
    if parts.is_empty() {
        d.paragraph(Para::body(), &[Run::new(NO_RESULTS, BODY).italic()]);
    }
    for part in parts {
        d.paragraph(
            Para::outline(2),
            &[Run::new(format!("{}. {}", part.number, part.heading), BODY).bold()],
        );
        for line in part.text.split('\n').filter(|l| !l.trim().is_empty()) {
            d.paragraph(Para::body(), &[Run::new(line, BODY)]);
        }
        for t in part.tables.iter().filter(|t| !t.annex) {
            figure_table(d, t);
        }
        let in_annex: Vec<&str> = part
            .tables
            .iter()
            .filter(|t| t.annex)
            .filter_map(|t| t.title.split(". ").next())
            .collect();
        if !in_annex.is_empty() {
            d.paragraph(
                Para::body(),
                &[Run::new(
                    format!(
                        "(Số liệu theo đơn vị trực thuộc: xem Phụ lục, {}.)",
                        in_annex.join(", ")
                    ),
                    13.0,
                )
                .italic()],
            );
        }
        for (caption, svg) in &part.charts {
            let (png, w, hgt) = svg_to_png(svg, 2.0)?;
            d.image(png, w, hgt, d.text_width() * 90 / 100, caption);
        }
    }
    Ok(())
}

/// A table of figures: its title, the heads bold on grey (repeated on each
/// page), labels left and numbers right, the width of the current pages.
pub(super) fn figure_table(d: &mut Docx, t: &ReviewTable) {
    d.paragraph(
        Para::centred().before(120).after(60).keep_next(),
        &[Run::new(&t.title, 12.0).bold()],
    );
    let width = d.text_width();
    let n = t.heads.len().max(2) as u32;
    let size = 11.0;
    let first = if n > 4 {
        width * 30 / 100
    } else {
        width * 40 / 100
    };
    let rest = (width - first) / (n - 1);
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
                super::cell_text(c.as_ref(), unit),
                size,
                Align::Right,
                false,
            ));
        }
        rows.push(row);
    }
    d.table(&widths, &rows, true, 1);
}
