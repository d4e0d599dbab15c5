//! Excel workbooks: tables out (numbers as numbers, Vietnamese headings),
//! and data-entry templates that round-trip: one row per reporting unit, one
//! column per indicator, filled offline and uploaded back.

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Reader};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

use crate::table::{Cell, Table};

pub const TEMPLATE_SHEET: &str = "Biểu 01";
const HEADER_ROW: u32 = 3;
const KEY_ROW: u32 = 4;
const FIRST_DATA_ROW: u32 = 5;

fn err(e: XlsxError) -> String {
    format!("không tạo được tệp Excel: {e}")
}

/// `A`, `B`, …, `Z`, `AA`, … for a 0-based column.
pub fn column_name(mut col: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII")
}

/// "Biểu 01, ô D17" for a 0-based row and column.
pub fn place(sheet: &str, row: u32, col: u32) -> String {
    format!("{sheet}, ô {}{}", column_name(col), row + 1)
}

/// A table as a one-sheet workbook.
pub fn write_table(sheet: &str, table: &Table) -> Result<Vec<u8>, String> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).map_err(err)?;
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_background_color("#FBF3DC");
    let int = Format::new().set_num_format("#,##0");
    let dec = Format::new().set_num_format("#,##0.0##");
    ws.write_string_with_format(0, 0, &table.title, &bold)
        .map_err(err)?;
    for (c, h) in table.headers.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, h, &head)
            .map_err(err)?;
        ws.set_column_width(c as u16, if c == 0 { 28 } else { 16 })
            .map_err(err)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 3, c as u16);
            match cell {
                Cell::Empty => {}
                Cell::Text(s) => {
                    ws.write_string(r, c, s).map_err(err)?;
                }
                Cell::Number(x) => {
                    let f = if x.fract() == 0.0 { &int } else { &dec };
                    ws.write_number_with_format(r, c, *x, f).map_err(err)?;
                }
            }
        }
    }
    wb.save_to_buffer().map_err(err)
}

/// What a data-entry template holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub title: String,
    pub form: String,
    pub period: String,
    pub parent: String,
    /// (key, heading) per indicator column.
    pub columns: Vec<(String, String)>,
    /// (unit code, unit name, values by column; `None` = empty cell).
    pub rows: Vec<(String, String, Vec<Option<f64>>)>,
}

/// Write a template workbook.
pub fn write_template(t: &Template) -> Result<Vec<u8>, String> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(TEMPLATE_SHEET).map_err(err)?;
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_background_color("#FBF3DC");
    let key = Format::new().set_font_color("#888888").set_italic();
    let int = Format::new().set_num_format("#,##0");
    ws.write_string_with_format(0, 0, &t.title, &bold)
        .map_err(err)?;
    for (c, (label, value)) in [
        ("Biểu mẫu", &t.form),
        ("Kỳ", &t.period),
        ("Đơn vị cấp trên", &t.parent),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(1, (c * 2) as u16, *label, &bold)
            .map_err(err)?;
        ws.write_string(1, (c * 2 + 1) as u16, value.as_str())
            .map_err(err)?;
    }
    ws.write_string_with_format(HEADER_ROW, 0, "Mã đơn vị", &head)
        .map_err(err)?;
    ws.write_string_with_format(HEADER_ROW, 1, "Tên đơn vị", &head)
        .map_err(err)?;
    ws.write_string_with_format(KEY_ROW, 0, "unit", &key)
        .map_err(err)?;
    ws.write_string_with_format(KEY_ROW, 1, "name", &key)
        .map_err(err)?;
    ws.set_column_width(0, 12).map_err(err)?;
    ws.set_column_width(1, 30).map_err(err)?;
    for (i, (k, heading)) in t.columns.iter().enumerate() {
        let c = (i + 2) as u16;
        ws.write_string_with_format(HEADER_ROW, c, heading, &head)
            .map_err(err)?;
        ws.write_string_with_format(KEY_ROW, c, k, &key)
            .map_err(err)?;
        ws.set_column_width(c, 16).map_err(err)?;
    }
    ws.set_row_height(HEADER_ROW, 60).map_err(err)?;
    for (r, (code, name, values)) in t.rows.iter().enumerate() {
        let row = FIRST_DATA_ROW + r as u32;
        ws.write_string(row, 0, code).map_err(err)?;
        ws.write_string(row, 1, name).map_err(err)?;
        for (i, v) in values.iter().enumerate() {
            if let Some(v) = v {
                ws.write_number_with_format(row, (i + 2) as u16, *v, &int)
                    .map_err(err)?;
            }
        }
    }
    ws.set_freeze_panes(FIRST_DATA_ROW, 2).map_err(err)?;
    wb.save_to_buffer().map_err(err)
}

/// One filled cell of an uploaded template.
#[derive(Debug, Clone, PartialEq)]
pub enum Filled {
    Number(f64),
    /// Text to parse the Vietnamese way ("4.378", "hơn 32.000").
    Text(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct FilledCell {
    /// "Biểu 01, ô D17"
    pub place: String,
    pub unit: String,
    pub key: String,
    pub value: Filled,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Upload {
    pub form: String,
    pub period: String,
    pub cells: Vec<FilledCell>,
}

fn text_of(d: &Data) -> String {
    match d {
        Data::String(s) => antq_core::text::clean(s),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// Read an uploaded template: every problem is reported with its cell.
pub fn read_template(bytes: &[u8]) -> Result<Upload, Vec<String>> {
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| vec![format!("không đọc được tệp Excel: {e}")])?;
    let sheet = wb
        .sheet_names()
        .iter()
        .find(|n| n.as_str() == TEMPLATE_SHEET)
        .cloned()
        .or_else(|| wb.sheet_names().first().cloned())
        .ok_or_else(|| vec!["tệp Excel không có trang tính nào".to_string()])?;
    let range = wb
        .worksheet_range(&sheet)
        .map_err(|e| vec![format!("không đọc được trang \"{sheet}\": {e}")])?;
    let get = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    let mut errors = Vec::new();
    let form = text_of(&get(1, 1));
    let period = text_of(&get(1, 3));
    if form.is_empty() {
        errors.push(format!("{}: thiếu mã biểu mẫu", place(&sheet, 1, 1)));
    }
    if period.is_empty() {
        errors.push(format!("{}: thiếu mã kỳ", place(&sheet, 1, 3)));
    }
    let (end_row, end_col) = range.end().unwrap_or((0, 0));
    let mut keys = Vec::new();
    for c in 2..=end_col {
        let k = text_of(&get(KEY_ROW, c));
        if !k.is_empty() {
            keys.push((c, k));
        }
    }
    if keys.is_empty() {
        errors.push(format!(
            "{}: dòng {} phải ghi mã chỉ tiêu của từng cột",
            sheet,
            KEY_ROW + 1
        ));
    }
    let mut cells = Vec::new();
    for r in FIRST_DATA_ROW..=end_row {
        let unit = text_of(&get(r, 0));
        let any = keys.iter().any(|(c, _)| !matches!(get(r, *c), Data::Empty));
        if unit.is_empty() {
            if any {
                errors.push(format!("{}: thiếu mã đơn vị", place(&sheet, r, 0)));
            }
            continue;
        }
        for (c, key) in &keys {
            let p = place(&sheet, r, *c);
            let value = match get(r, *c) {
                Data::Empty => continue,
                Data::Int(i) => Filled::Number(i as f64),
                Data::Float(f) => Filled::Number(f),
                Data::String(s) if s.trim().is_empty() => continue,
                Data::String(s) => {
                    if let Some(enc) = crate::legacy_text::detect(&s) {
                        errors.push(format!(
                            "{p}: \"{s}\" dùng bảng mã cũ {enc}; hãy chuyển sang Unicode"
                        ));
                        continue;
                    }
                    Filled::Text(antq_core::text::clean(&s))
                }
                other => {
                    errors.push(format!("{p}: \"{other}\" không phải số"));
                    continue;
                }
            };
            cells.push(FilledCell {
                place: p,
                unit: unit.clone(),
                key: key.clone(),
                value,
            });
        }
    }
    if errors.is_empty() {
        Ok(Upload {
            form,
            period,
            cells,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(3), "D");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
        assert_eq!(place("Biểu 01", 16, 3), "Biểu 01, ô D17");
    }

    #[test]
    fn a_template_round_trips() {
        let t = Template {
            title: "Biểu tổng hợp".into(),
            form: "antq-nam".into(),
            period: "2026".into(),
            parent: "11".into(),
            columns: vec![
                ("tt_buoi".into(), "Buổi tuyên truyền".into()),
                ("tt_luot".into(), "Lượt người".into()),
            ],
            rows: vec![
                (
                    "03325".into(),
                    "Xã Mường Phăng".into(),
                    vec![Some(12.0), None],
                ),
                (
                    "03127".into(),
                    "Phường Điện Biên Phủ".into(),
                    vec![None, Some(4378.0)],
                ),
            ],
        };
        let bytes = write_template(&t).unwrap();
        let up = read_template(&bytes).unwrap();
        assert_eq!((up.form.as_str(), up.period.as_str()), ("antq-nam", "2026"));
        assert_eq!(up.cells.len(), 2);
        assert_eq!(up.cells[0].unit, "03325");
        assert_eq!(up.cells[0].key, "tt_buoi");
        assert_eq!(up.cells[0].value, Filled::Number(12.0));
        assert_eq!(up.cells[0].place, "Biểu 01, ô C6");
        assert_eq!(up.cells[1].place, "Biểu 01, ô D7");
    }

    #[test]
    fn a_table_is_written_with_numbers() {
        let table = Table {
            title: "Tổng hợp".into(),
            headers: vec!["Năm".into(), "Buổi".into()],
            rows: vec![vec![Cell::from("2013"), Cell::Number(3120.0)]],
        };
        let bytes = write_table("Số liệu", &table).unwrap();
        let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes)).unwrap();
        let r = wb.worksheet_range("Số liệu").unwrap();
        assert_eq!(r.get_value((3, 1)), Some(&Data::Float(3120.0)));
        assert_eq!(r.get_value((0, 0)), Some(&Data::String("Tổng hợp".into())));
    }
}
