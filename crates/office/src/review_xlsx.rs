//! The review's tables as an Excel annex (phụ lục): every sheet opens with
//! the issuers, the title and "(Kèm theo Báo cáo số … ngày … của …)", then
//! a ruled table in Times New Roman; printed A4 landscape, one page wide,
//! the table's heading repeated on each page. Numbers are numbers
//! (#,##0), ratios are percentages of value/100 (36,0%).

use antq_core::reviews::{Figure, Header};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::{annex, data_note, parts, stage_label, ReviewDoc};
use crate::xlsx::write_text;

/// Why a count of each year has no figure for the whole stage.
const PER_YEAR_NOTE: &str = "Tính theo từng năm, không cộng qua các năm";

const FONT: &str = "Times New Roman";

/// The formats of the annex.
struct Formats {
    plain: Format,
    bold: Format,
    title: Format,
    italic: Format,
    head: Format,
    cell: Format,
    int: Format,
    dec: Format,
    pct: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new().set_font_name(FONT).set_font_size(12);
        let ruled = base.clone().set_border(FormatBorder::Thin);
        Formats {
            plain: base.clone(),
            bold: base.clone().set_bold(),
            title: base.clone().set_bold().set_font_size(13),
            italic: base.clone().set_italic(),
            head: ruled
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap()
                .set_background_color(0xE7E9EC),
            cell: ruled.clone().set_text_wrap(),
            int: ruled.clone().set_num_format("#,##0"),
            dec: ruled.clone().set_num_format("#,##0.0"),
            pct: ruled.set_num_format("0.0%"),
        }
    }

    /// A figure's number and format: a ratio (unit "%") as value/100 in a
    /// percent format, a whole number #,##0, else one decimal.
    fn number(&self, f: &Figure, unit: &str) -> (f64, &Format) {
        if unit == "%" {
            (f.value / 100.0, &self.pct)
        } else if f.value.fract() == 0.0 {
            (f.value, &self.int)
        } else {
            (f.value, &self.dec)
        }
    }
}

fn err(x: XlsxError) -> String {
    format!("không ghi được Excel: {x}")
}

/// The lines above every sheet: each issuer (its parent upright, its name
/// bold), then the title and the "Kèm theo" line; returns the next free row.
fn frame(ws: &mut Worksheet, h: &Header, title: &str, f: &Formats) -> Result<u32, XlsxError> {
    let mut r = 0;
    for issuer in &h.issuers {
        if !issuer.parent.trim().is_empty() {
            write_text(ws, r, 0, &issuer.parent, Some(&f.plain))?;
            r += 1;
        }
        write_text(ws, r, 0, &issuer.name.join(" "), Some(&f.bold))?;
        r += 1;
    }
    r += 1;
    write_text(ws, r, 0, "PHỤ LỤC", Some(&f.title))?;
    write_text(ws, r + 1, 0, title, Some(&f.title))?;
    write_text(ws, r + 2, 0, &annex::reference(h), Some(&f.italic))?;
    Ok(r + 4)
}

/// A4 landscape, the decree's margins, one page wide, row `head` repeated.
fn page(ws: &mut Worksheet, head: u32) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_margins(0.79, 1.18, 0.79, 0.79, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(head, head)?;
    Ok(())
}

pub(super) fn write(doc: &ReviewDoc) -> Result<Vec<u8>, String> {
    let (h, s) = (doc.header, doc.snapshot);
    let f = Formats::new();
    let mut wb = Workbook::new();
    {
        let ws = wb.add_worksheet().set_name("Tổng hợp").map_err(err)?;
        let head = frame(ws, h, &h.title, &f).map_err(err)?;
        let heads = ["Chỉ tiêu", "Đơn vị tính", &stage_label(s), "Ghi chú"];
        for (c, text) in heads.iter().enumerate() {
            write_text(ws, head, c as u16, text, Some(&f.head)).map_err(err)?;
        }
        let mut r = head + 1;
        for l in &s.lines {
            if !s.totals.contains_key(&l.key) {
                continue;
            }
            write_text(ws, r, 0, &l.name, Some(&f.cell)).map_err(err)?;
            write_text(ws, r, 1, &l.unit, Some(&f.cell)).map_err(err)?;
            match super::stage_figure(s, &l.key) {
                Some(fig) => {
                    let (v, fmt) = f.number(&fig, &l.unit);
                    ws.write_number_with_format(r, 2, v, fmt).map_err(err)?;
                    let q = fig.qualifier.map(|q| q.word_vi()).unwrap_or("");
                    write_text(ws, r, 3, q, Some(&f.cell)).map_err(err)?;
                }
                None => {
                    write_text(ws, r, 2, "–", Some(&f.cell)).map_err(err)?;
                    write_text(ws, r, 3, PER_YEAR_NOTE, Some(&f.cell)).map_err(err)?;
                }
            }
            r += 1;
        }
        ws.set_column_width(0, 60).map_err(err)?;
        ws.set_column_width(1, 14).map_err(err)?;
        ws.set_column_width(2, 16).map_err(err)?;
        ws.set_column_width(3, 14).map_err(err)?;
        r += 1;
        write_text(ws, r, 0, "Ghi chú về số liệu", Some(&f.bold)).map_err(err)?;
        for line in data_note(s) {
            r += 1;
            write_text(ws, r, 0, &line, Some(&f.plain)).map_err(err)?;
        }
        page(ws, head).map_err(err)?;
    }
    for (pi, part) in parts(s, doc.narrative).iter().enumerate() {
        for (ti, t) in part.tables.iter().enumerate() {
            let name = format!("Bảng {}.{}", pi + 1, ti + 1);
            let ws = wb.add_worksheet().set_name(&name).map_err(err)?;
            let head = frame(ws, h, &t.title, &f).map_err(err)?;
            for (c, hd) in t.heads.iter().enumerate() {
                write_text(ws, head, c as u16, hd, Some(&f.head)).map_err(err)?;
            }
            for (ri, (label, cells, _)) in t.rows.iter().enumerate() {
                let r = head + 1 + ri as u32;
                write_text(ws, r, 0, label, Some(&f.cell)).map_err(err)?;
                for (ci, c) in cells.iter().enumerate() {
                    let col = 1 + ci as u16;
                    match c {
                        Some(fig) => {
                            let unit = t.units.get(ci).map(String::as_str).unwrap_or("");
                            let (v, fmt) = f.number(fig, unit);
                            ws.write_number_with_format(r, col, v, fmt).map_err(err)?;
                        }
                        None => write_text(ws, r, col, "–", Some(&f.cell)).map_err(err)?,
                    }
                }
            }
            ws.set_column_width(0, 40).map_err(err)?;
            for c in 1..t.heads.len() {
                ws.set_column_width(c as u16, 18).map_err(err)?;
            }
            page(ws, head).map_err(err)?;
        }
    }
    wb.save_to_buffer().map_err(err)
}
