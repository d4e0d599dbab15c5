//! A register's Excel file, read one row per record: the first sheet, the
//! header row found by its Vietnamese headings (accents and case do not
//! matter), then every filled row below it with typed accessors whose
//! errors name the sheet and cell ("Sổ mô hình, ô E7: ngày …"). The read is
//! bounded as the statistics templates' are (zip checks, unzipped size,
//! cells, rows, columns), plus the rows of one register import and the
//! length of one cell's text.
//!
//! Each register defines its headings once ([`Column`]s) and uses them both
//! to write its template or export ([`write`]) and to read it back.

use std::io::Cursor;

use antq_core::dates::{self, Date};
use antq_core::text;
use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook};

use crate::limits::{n, ImportLimits};
use crate::xlsx::{place, write_text};

/// The longest text one cell may hold (characters).
pub const MAX_CELL_CHARS: usize = 4_000;
/// Rows at the top of a sheet where the header row is looked for.
const HEADER_SEARCH_ROWS: u32 = 20;

/// A column of a register: its heading, as written and as looked for.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub head: &'static str,
    /// A heading the file must have (others may be left out).
    pub required: bool,
    /// Column width in the written file.
    pub width: f64,
}

impl Column {
    pub const fn new(head: &'static str, width: f64) -> Column {
        Column {
            head,
            required: true,
            width,
        }
    }

    pub const fn optional(head: &'static str, width: f64) -> Column {
        Column {
            head,
            required: false,
            width,
        }
    }
}

/// One value to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Int(i64),
    Date(Date),
}

/// A register as a one-sheet workbook: a title row, the headings on row 3,
/// one record per row below. Dates are written as Excel dates (shown
/// dd/mm/yyyy), whole numbers as numbers, texts as text.
pub fn write(
    sheet: &str,
    title: &str,
    columns: &[Column],
    rows: &[Vec<Value>],
) -> Result<Vec<u8>, String> {
    let err = |e: rust_xlsxwriter::XlsxError| format!("không tạo được tệp Excel: {e}");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).map_err(err)?;
    let bold = Format::new().set_bold().set_font_size(13);
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color("#FBF3DC");
    let date = Format::new().set_num_format("dd/mm/yyyy");
    write_text(ws, 0, 0, title, Some(&bold)).map_err(err)?;
    let header = 2u32;
    for (c, col) in columns.iter().enumerate() {
        write_text(ws, header, c as u16, col.head, Some(&head)).map_err(err)?;
        ws.set_column_width(c as u16, col.width).map_err(err)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = header + 1 + i as u32;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            match v {
                Value::Empty => {}
                Value::Text(t) if t.is_empty() => {}
                Value::Text(t) => write_text(ws, r, c, t, None).map_err(err)?,
                Value::Int(x) => {
                    ws.write_number(r, c, *x as f64).map_err(err)?;
                }
                Value::Date(d) => {
                    let day = d.signed_duration_since(excel_epoch()).num_days();
                    ws.write_number_with_format(r, c, day as f64, &date)
                        .map_err(err)?;
                }
            }
        }
    }
    ws.set_freeze_panes(header + 1, 0).map_err(err)?;
    wb.save_to_buffer().map_err(err)
}

/// The rows of a register sheet, read and bounded.
#[derive(Debug)]
pub struct Sheet {
    pub name: String,
    /// For each expected column, the sheet column it was found in.
    cols: Vec<Option<u32>>,
    rows: Vec<(u32, Vec<(u32, Data)>)>,
}

impl Sheet {
    /// The filled rows below the headings, in order.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(move |(line, cells)| Row {
            sheet: &self.name,
            line: *line,
            cells,
            cols: &self.cols,
        })
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// One row of a register sheet.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    sheet: &'a str,
    /// 0-based sheet row.
    line: u32,
    cells: &'a [(u32, Data)],
    cols: &'a [Option<u32>],
}

impl Row<'_> {
    /// The row as Excel shows it (1-based).
    pub fn number(&self) -> u32 {
        self.line + 1
    }

    /// "Sổ mô hình, dòng 7".
    pub fn label(&self) -> String {
        format!("{}, dòng {}", self.sheet, self.line + 1)
    }

    /// "Sổ mô hình, ô E7" for the `i`-th expected column.
    pub fn place(&self, i: usize) -> String {
        let col = self.cols.get(i).copied().flatten().unwrap_or(i as u32);
        place(self.sheet, self.line, col)
    }

    fn data(&self, i: usize) -> Option<&Data> {
        let col = self.cols.get(i).copied().flatten()?;
        self.cells
            .binary_search_by_key(&col, |(c, _)| *c)
            .ok()
            .map(|k| &self.cells[k].1)
    }

    /// The text of a column, cleaned (NFC, trimmed); "" when empty. A date
    /// cell reads as dd/mm/yyyy, a whole number without decimals.
    pub fn text(&self, i: usize) -> String {
        match self.data(i) {
            None | Some(Data::Empty) => String::new(),
            Some(Data::String(s)) => text::clean(s),
            Some(Data::Int(x)) => x.to_string(),
            Some(Data::Float(f)) if f.fract() == 0.0 && f.abs() < 1e15 => {
                format!("{}", *f as i64)
            }
            Some(Data::Float(f)) => f.to_string(),
            Some(Data::Bool(b)) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Some(Data::DateTime(dt)) => {
                let (y, m, d, ..) = dt.to_ymd_hms_milli();
                format!("{d:02}/{m:02}/{y:04}")
            }
            Some(Data::DateTimeIso(s)) => text::clean(s),
            Some(other) => other.to_string(),
        }
    }

    /// A whole number, or None when the cell is empty; "4.378" is read the
    /// Vietnamese way.
    pub fn int(&self, i: usize) -> Result<Option<i64>, String> {
        match self.data(i) {
            None | Some(Data::Empty) => Ok(None),
            Some(Data::Int(x)) => Ok(Some(*x)),
            Some(Data::Float(f)) if f.fract() == 0.0 && f.abs() < 1e15 => Ok(Some(*f as i64)),
            Some(Data::Float(f)) => Err(format!(
                "{}: \u{201C}{}\u{201D} không phải số nguyên",
                self.place(i),
                antq_core::text::format_decimal(*f, 2)
            )),
            Some(_) => {
                let t = self.text(i);
                if t.is_empty() {
                    return Ok(None);
                }
                // "4.378": dots only as thousands separators, groups of three.
                let grouped = t.split('.').enumerate().all(|(n, g)| {
                    !g.is_empty()
                        && g.len() <= 3
                        && (n == 0 || g.len() == 3)
                        && g.chars().all(|c| c.is_ascii_digit())
                });
                let digits = if grouped {
                    t.replace('.', "")
                } else {
                    t.clone()
                };
                digits.parse::<i64>().map(Some).map_err(|_| {
                    format!(
                        "{}: \u{201C}{t}\u{201D} không phải số nguyên",
                        self.place(i)
                    )
                })
            }
        }
    }

    /// A date from a date cell, an Excel serial day or a text dd/mm/yyyy
    /// (or yyyy-mm-dd); None when the cell is empty.
    pub fn date(&self, i: usize) -> Result<Option<Date>, String> {
        let bad = |t: &str| {
            format!(
                "{}: ngày \u{201C}{t}\u{201D} không hợp lệ (dd/mm/yyyy)",
                self.place(i)
            )
        };
        match self.data(i) {
            None | Some(Data::Empty) => Ok(None),
            Some(Data::DateTime(dt)) => {
                let (y, m, d, ..) = dt.to_ymd_hms_milli();
                Date::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d))
                    .map(Some)
                    .ok_or_else(|| bad(&self.text(i)))
            }
            // A number in a cell not formatted as a date: a serial day of
            // antq's years (2000 – 2100), else what was typed is quoted.
            Some(Data::Float(f)) => plain_serial(*f)
                .map(Some)
                .ok_or_else(|| bad(&antq_core::text::format_decimal(*f, 2))),
            Some(Data::Int(x)) => plain_serial(*x as f64)
                .map(Some)
                .ok_or_else(|| bad(&x.to_string())),
            Some(Data::DateTimeIso(s)) => dates::parse_date(s.get(..10).unwrap_or(s))
                .map(Some)
                .map_err(|_| bad(s)),
            Some(_) => {
                let t = self.text(i);
                if t.is_empty() {
                    return Ok(None);
                }
                dates::parse_input_date(&t).map(Some).map_err(|_| bad(&t))
            }
        }
    }
}

/// A serial day typed as a plain number, only within 01/01/2000 – 31/12/2100
/// (a year such as 2025 typed in a date column is not 17/07/1905).
fn plain_serial(x: f64) -> Option<Date> {
    let first = Date::from_ymd_opt(2000, 1, 1)?;
    let last = Date::from_ymd_opt(2100, 12, 31)?;
    serial(x).filter(|d| (first..=last).contains(d))
}

/// Excel's serial day (1900 system) as a date.
fn serial(x: f64) -> Option<Date> {
    if !(1.0..=2_958_465.0).contains(&x) {
        return None;
    }
    let day = i32::try_from(x.floor() as i64).ok()?;
    let from_ce = excel_epoch()
        .signed_duration_since(Date::from_ymd_opt(1, 1, 1)?)
        .num_days();
    Date::from_num_days_from_ce_opt(i32::try_from(from_ce).ok()? + 1 + day)
}

/// Day 0 of Excel's serial days (1900 system, after its 29/02/1900).
fn excel_epoch() -> Date {
    Date::from_ymd_opt(1899, 12, 30).expect("a valid date")
}

/// Read the first sheet of a register file: the header row is the first of
/// the top rows holding every required heading; the rows below it are the
/// records (rows with no filled expected cell are skipped). At most
/// `max_rows` records; every cell's text at most [`MAX_CELL_CHARS`].
pub fn read(
    bytes: &[u8],
    columns: &[Column],
    max_rows: usize,
    limits: &ImportLimits,
) -> Result<Sheet, Vec<String>> {
    crate::xlsx::check_package(bytes, limits).map_err(|e| vec![e])?;
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e| vec![format!("Không đọc được tệp Excel: {e}")])?;
    let sheet = wb
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| vec!["Tệp Excel không có trang tính nào".to_string()])?;
    let all = crate::xlsx::read_cells(&mut wb, &sheet, limits).map_err(|e| vec![e])?;
    drop(wb);
    let wanted: Vec<String> = columns.iter().map(|c| fold_head(c.head)).collect();
    let mut found: Option<(u32, Vec<Option<u32>>)> = None;
    for (&r, cells) in all.range(..HEADER_SEARCH_ROWS) {
        let mut cols = vec![None; columns.len()];
        for (c, d) in cells {
            if let Data::String(s) = d {
                let f = fold_head(s);
                if let Some(i) = wanted.iter().position(|w| *w == f) {
                    if cols[i].is_none() {
                        cols[i] = Some(*c);
                    }
                }
            }
        }
        let complete = columns
            .iter()
            .zip(&cols)
            .all(|(col, at)| !col.required || at.is_some());
        if complete {
            found = Some((r, cols));
            break;
        }
    }
    let Some((header, cols)) = found else {
        let missing: Vec<String> = columns
            .iter()
            .filter(|c| c.required)
            .map(|c| format!("\u{201C}{}\u{201D}", c.head))
            .collect();
        return Err(vec![format!(
            "Trang \u{201C}{sheet}\u{201D}: không thấy dòng tiêu đề có đủ các cột {} trong {} dòng đầu; hãy dùng mẫu tải từ trang sổ",
            missing.join(", "),
            HEADER_SEARCH_ROWS
        )]);
    };
    let used: Vec<u32> = cols.iter().flatten().copied().collect();
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (r, cells) in all.range(header + 1..) {
        let cells: Vec<(u32, Data)> = cells
            .iter()
            .filter(|(c, d)| {
                used.contains(c) && !matches!(d, Data::String(s) if s.trim().is_empty())
            })
            .cloned()
            .collect();
        if cells.is_empty() {
            continue;
        }
        if rows.len() >= max_rows {
            return Err(vec![format!(
                "Trang \u{201C}{sheet}\u{201D} có hơn {} dòng, vượt giới hạn {} dòng của một lần nhập; hãy chia nhỏ tệp",
                n(max_rows),
                n(max_rows)
            )]);
        }
        for (c, d) in &cells {
            if let Data::String(s) = d {
                if s.chars().count() > MAX_CELL_CHARS {
                    errors.push(format!(
                        "{}: ô dài hơn giới hạn {} ký tự",
                        place(&sheet, *r, *c),
                        n(MAX_CELL_CHARS)
                    ));
                } else if let Some(enc) = crate::legacy_text::detect(s) {
                    errors.push(format!(
                        "{}: \u{201C}{s}\u{201D} dùng bảng mã cũ {enc}; hãy chuyển sang Unicode",
                        place(&sheet, *r, *c)
                    ));
                }
            }
        }
        rows.push((*r, cells));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if rows.is_empty() {
        return Err(vec![format!(
            "Trang \u{201C}{sheet}\u{201D} không có dòng nào dưới dòng tiêu đề"
        )]);
    }
    Ok(Sheet {
        name: sheet,
        cols,
        rows,
    })
}

/// A heading compared without accents, case or surrounding spaces.
fn fold_head(s: &str) -> String {
    text::fold(&text::clean(s))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: [Column; 3] = [
        Column::new("Mã đơn vị", 12.0),
        Column::new("Ngày bắt đầu (dd/mm/yyyy)", 14.0),
        Column::optional("Số thành viên", 10.0),
    ];

    fn limits() -> ImportLimits {
        ImportLimits::default()
    }

    #[test]
    fn a_written_register_reads_back_with_types_and_places() {
        let d = Date::from_ymd_opt(2020, 3, 15).unwrap();
        let bytes = write(
            "Sổ thử",
            "Sổ thử nghiệm",
            &COLS,
            &[
                vec![Value::Text("03325".into()), Value::Date(d), Value::Int(12)],
                vec![
                    Value::Text("=03127".into()),
                    Value::Text("16/03/2020".into()),
                    Value::Empty,
                ],
            ],
        )
        .unwrap();
        let sheet = read(&bytes, &COLS, 10, &limits()).unwrap();
        let rows: Vec<Row> = sheet.rows().collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].text(0), "03325");
        assert_eq!(rows[0].date(1).unwrap(), Some(d));
        assert_eq!(rows[0].int(2).unwrap(), Some(12));
        assert_eq!(rows[1].text(0), "=03127");
        assert_eq!(rows[1].date(1).unwrap(), Date::from_ymd_opt(2020, 3, 16));
        assert_eq!(rows[1].int(2).unwrap(), None);
        assert_eq!(rows[1].place(1), "Sổ thử, ô B5");
        assert_eq!(rows[1].label(), "Sổ thử, dòng 5");
    }

    #[test]
    fn headings_are_found_without_accents_or_case_and_in_any_order() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("Trang 1").unwrap();
        ws.write_string(1, 3, "NGAY BAT DAU (DD/MM/YYYY)").unwrap();
        ws.write_string(1, 1, "  mã   đơn vị ").unwrap();
        ws.write_string(2, 1, "03325").unwrap();
        ws.write_string(2, 3, "31/02/2020").unwrap();
        ws.write_string(3, 1, "03127").unwrap();
        ws.write_number(3, 3, 43905.0).unwrap();
        let sheet = read(&wb.save_to_buffer().unwrap(), &COLS, 10, &limits()).unwrap();
        let rows: Vec<Row> = sheet.rows().collect();
        assert_eq!(rows[0].text(0), "03325");
        assert_eq!(
            rows[0].date(1).unwrap_err(),
            "Trang 1, ô D3: ngày \u{201C}31/02/2020\u{201D} không hợp lệ (dd/mm/yyyy)"
        );
        assert_eq!(rows[1].date(1).unwrap(), Date::from_ymd_opt(2020, 3, 15));
        assert_eq!(rows[0].int(2).unwrap(), None, "an absent optional column");
    }

    #[test]
    fn a_bad_date_or_number_cell_is_named_by_sheet_and_cell() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("Sổ").unwrap();
        for (c, col) in COLS.iter().enumerate() {
            ws.write_string(0, c as u16, col.head).unwrap();
        }
        ws.write_string(1, 0, "03325").unwrap();
        ws.write_string(1, 1, "hôm qua").unwrap();
        ws.write_string(1, 2, "12a").unwrap();
        ws.write_boolean(2, 0, true).unwrap();
        ws.write_boolean(2, 1, true).unwrap();
        let sheet = read(&wb.save_to_buffer().unwrap(), &COLS, 10, &limits()).unwrap();
        let rows: Vec<Row> = sheet.rows().collect();
        assert_eq!(
            rows[0].date(1).unwrap_err(),
            "Sổ, ô B2: ngày \u{201C}hôm qua\u{201D} không hợp lệ (dd/mm/yyyy)"
        );
        assert_eq!(
            rows[0].int(2).unwrap_err(),
            "Sổ, ô C2: \u{201C}12a\u{201D} không phải số nguyên"
        );
        assert!(rows[1].date(1).unwrap_err().starts_with("Sổ, ô B3: ngày"));
    }

    #[test]
    fn a_number_with_decimals_is_never_read_as_another_whole_number() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("Sổ").unwrap();
        for (c, col) in COLS.iter().enumerate() {
            ws.write_string(0, c as u16, col.head).unwrap();
        }
        for (r, cell) in ["4.378", "3.1", "12.34.567", "-5"].iter().enumerate() {
            ws.write_string(r as u32 + 1, 2, *cell).unwrap();
        }
        ws.write_number(5, 2, 2025.5).unwrap();
        let sheet = read(&wb.save_to_buffer().unwrap(), &COLS, 10, &limits()).unwrap();
        let got: Vec<Result<Option<i64>, String>> = sheet.rows().map(|r| r.int(2)).collect();
        assert_eq!(got[0], Ok(Some(4378)), "thousands the Vietnamese way");
        let year_as_date = sheet.rows().nth(4).unwrap().date(2);
        assert_eq!(
            year_as_date,
            Err("Sổ, ô C6: ngày \u{201C}2.025,5\u{201D} không hợp lệ (dd/mm/yyyy)".to_string())
        );
        assert_eq!(
            got[1],
            Err("Sổ, ô C3: \u{201C}3.1\u{201D} không phải số nguyên".to_string())
        );
        assert!(got[2].is_err(), "{:?}", got[2]);
        assert_eq!(got[3], Ok(Some(-5)));
        assert_eq!(
            got[4],
            Err("Sổ, ô C6: \u{201C}2.025,5\u{201D} không phải số nguyên".to_string())
        );
    }

    #[test]
    fn a_missing_heading_is_named() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("Sổ").unwrap();
        ws.write_string(0, 0, "Mã đơn vị").unwrap();
        ws.write_string(1, 0, "03325").unwrap();
        let e = read(&wb.save_to_buffer().unwrap(), &COLS, 10, &limits()).unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(e[0].starts_with("Trang \u{201C}Sổ\u{201D}: không thấy dòng tiêu đề"));
        assert!(
            e[0].contains("\u{201C}Ngày bắt đầu (dd/mm/yyyy)\u{201D}"),
            "{e:?}"
        );
        assert!(!e[0].contains("Số thành viên"), "optional: {e:?}");
    }

    #[test]
    fn too_many_rows_or_too_long_a_cell_refuse_the_file() {
        let rows: Vec<Vec<Value>> = (0..11)
            .map(|i| vec![Value::Text(format!("{i:05}")), Value::Empty, Value::Empty])
            .collect();
        let bytes = write("Sổ", "Sổ", &COLS, &rows).unwrap();
        let e = read(&bytes, &COLS, 10, &limits()).unwrap_err();
        assert!(e[0].contains("vượt giới hạn 10 dòng"), "{e:?}");
        assert_eq!(read(&bytes, &COLS, 11, &limits()).unwrap().len(), 11);
        let long = "x".repeat(MAX_CELL_CHARS + 1);
        let bytes = write(
            "Sổ",
            "Sổ",
            &COLS,
            &[vec![Value::Text(long), Value::Empty, Value::Empty]],
        )
        .unwrap();
        let e = read(&bytes, &COLS, 10, &limits()).unwrap_err();
        assert_eq!(
            e,
            vec!["Sổ, ô A4: ô dài hơn giới hạn 4.000 ký tự".to_string()]
        );
        let small = ImportLimits {
            sheet_rows: 5,
            ..limits()
        };
        let many: Vec<Vec<Value>> = (0..6)
            .map(|i| vec![Value::Int(i), Value::Empty, Value::Empty])
            .collect();
        let bytes = write("Sổ", "Sổ", &COLS, &many).unwrap();
        assert!(read(&bytes, &COLS, 100, &small).is_err());
        assert!(read(b"not excel", &COLS, 10, &limits()).is_err());
    }
}
