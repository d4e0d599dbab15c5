//! Excel workbooks: tables out (numbers as numbers, Vietnamese headings),
//! and data-entry templates that round-trip: one row per reporting unit, one
//! column per indicator, filled offline and uploaded back.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Seek};

use antq_core::imports::ErrorList;
use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::limits::{megabytes, n, ImportLimits};
use crate::table::{Cell, Table};

pub const TEMPLATE_SHEET: &str = "Biểu 01";
const HEADER_ROW: u32 = 3;
const KEY_ROW: u32 = 4;
const FIRST_DATA_ROW: u32 = 5;

fn err(e: XlsxError) -> String {
    format!("không tạo được tệp Excel: {e}")
}

/// `A`, `B`, …, `Z`, `AA`, … for a 0-based column.
/// The headings of antq's workbooks: bold, wrapped, centred, on the pale
/// gold of the pages' table heads.
pub fn heading_format() -> Format {
    Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_background_color("#FBF3DC")
}

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

/// Write a text cell. A text that a spreadsheet would take for a formula
/// (`=`, `+`, `-`, `@`, tab, carriage return first) gets Excel's quote
/// prefix: it is stored as the same text, shown as text and stays text when
/// the cell is edited. Numbers are written with `write_number`.
pub fn write_text(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    let plain = Format::new();
    let format = format.unwrap_or(&plain);
    if crate::table::starts_formula(text) {
        ws.write_string_with_format(row, col, text, &format.clone().set_quote_prefix())?;
    } else if format == &plain {
        ws.write_string(row, col, text)?;
    } else {
        ws.write_string_with_format(row, col, text, format)?;
    }
    Ok(())
}

/// A table as a one-sheet workbook.
pub fn write_table(sheet: &str, table: &Table) -> Result<Vec<u8>, String> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).map_err(err)?;
    let bold = Format::new().set_bold();
    let head = heading_format();
    let int = Format::new().set_num_format("#,##0");
    let dec = Format::new().set_num_format("#,##0.0##");
    write_text(ws, 0, 0, &table.title, Some(&bold)).map_err(err)?;
    for (c, h) in table.headers.iter().enumerate() {
        write_text(ws, 2, c as u16, h, Some(&head)).map_err(err)?;
        ws.set_column_width(c as u16, if c == 0 { 28 } else { 16 })
            .map_err(err)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 3, c as u16);
            match cell {
                Cell::Empty => {}
                Cell::Text(s) => {
                    write_text(ws, r, c, s, None).map_err(err)?;
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

/// A table for people to read and reuse: a title and lines of context
/// above it, Vietnamese headings, a total row in bold and notes below.
/// Numbers stay numbers: whole ones with the format `#,##0` (which a
/// Vietnamese Excel shows as 1.234), others with decimals; percentages
/// with one decimal. Column 0 holds the row labels.
pub struct PeopleTable<'a> {
    pub title: &'a str,
    pub lines: &'a [String],
    pub table: &'a Table,
    /// The total row (its label first), if any.
    pub total: Option<&'a [Cell]>,
    /// For each column after the labels: a percentage?
    pub percent: &'a [bool],
    pub notes: &'a [String],
}

/// Where the headings of a [`PeopleTable`] start (0-based row), after the
/// title, its lines and a blank row.
pub fn people_header_row(lines: usize) -> u32 {
    lines as u32 + 2
}

pub fn write_people_table(sheet: &str, t: &PeopleTable) -> Result<Vec<u8>, String> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).map_err(err)?;
    let title = Format::new().set_bold().set_font_size(14);
    let muted = Format::new().set_font_color("#5D6773");
    let head = heading_format()
        .set_align(FormatAlign::VerticalCenter)
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let label = Format::new().set_border(rust_xlsxwriter::FormatBorder::Thin);
    let int = Format::new()
        .set_num_format("#,##0")
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let dec = Format::new()
        .set_num_format("#,##0.0##")
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let pct = Format::new()
        .set_num_format("0.0")
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    write_text(ws, 0, 0, t.title, Some(&title)).map_err(err)?;
    for (n, line) in t.lines.iter().enumerate() {
        write_text(ws, n as u32 + 1, 0, line, Some(&muted)).map_err(err)?;
    }
    let header = people_header_row(t.lines.len());
    for (c, h) in t.table.headers.iter().enumerate() {
        write_text(ws, header, c as u16, h, Some(&head)).map_err(err)?;
        ws.set_column_width(c as u16, if c == 0 { 30 } else { 18 })
            .map_err(err)?;
    }
    ws.set_row_height(header, 45).map_err(err)?;
    let write_row =
        |ws: &mut Worksheet, r: u32, row: &[Cell], bold: bool| -> Result<(), XlsxError> {
            for (c, cell) in row.iter().enumerate() {
                let is_pct = c > 0 && t.percent.get(c - 1).copied().unwrap_or(false);
                let mut f = match cell {
                    Cell::Number(_) if is_pct => pct.clone(),
                    Cell::Number(x) if x.fract() == 0.0 => int.clone(),
                    Cell::Number(_) => dec.clone(),
                    _ => label.clone(),
                };
                if bold {
                    f = f.set_bold();
                }
                match cell {
                    Cell::Empty => {
                        ws.write_blank(r, c as u16, &f)?;
                    }
                    Cell::Text(s) => write_text(ws, r, c as u16, s, Some(&f))?,
                    Cell::Number(x) => {
                        ws.write_number_with_format(r, c as u16, *x, &f)?;
                    }
                }
            }
            Ok(())
        };
    let mut r = header + 1;
    for row in &t.table.rows {
        write_row(ws, r, row, false).map_err(err)?;
        r += 1;
    }
    if let Some(total) = t.total {
        write_row(ws, r, total, true).map_err(err)?;
        r += 1;
    }
    r += 1;
    for note in t.notes {
        write_text(ws, r, 0, note, Some(&muted)).map_err(err)?;
        r += 1;
    }
    ws.set_freeze_panes(header + 1, 1).map_err(err)?;
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
    let head = heading_format();
    let key = Format::new().set_font_color("#888888").set_italic();
    let int = Format::new().set_num_format("#,##0");
    write_text(ws, 0, 0, &t.title, Some(&bold)).map_err(err)?;
    for (c, (label, value)) in [
        ("Biểu mẫu", &t.form),
        ("Kỳ", &t.period),
        ("Đơn vị cấp trên", &t.parent),
    ]
    .iter()
    .enumerate()
    {
        write_text(ws, 1, (c * 2) as u16, label, Some(&bold)).map_err(err)?;
        write_text(ws, 1, (c * 2 + 1) as u16, value.as_str(), None).map_err(err)?;
    }
    write_text(ws, HEADER_ROW, 0, "Mã đơn vị", Some(&head)).map_err(err)?;
    write_text(ws, HEADER_ROW, 1, "Tên đơn vị", Some(&head)).map_err(err)?;
    write_text(ws, KEY_ROW, 0, "unit", Some(&key)).map_err(err)?;
    write_text(ws, KEY_ROW, 1, "name", Some(&key)).map_err(err)?;
    ws.set_column_width(0, 12).map_err(err)?;
    ws.set_column_width(1, 30).map_err(err)?;
    for (i, (k, heading)) in t.columns.iter().enumerate() {
        let c = (i + 2) as u16;
        write_text(ws, HEADER_ROW, c, heading, Some(&head)).map_err(err)?;
        write_text(ws, KEY_ROW, c, k, Some(&key)).map_err(err)?;
        ws.set_column_width(c, 16).map_err(err)?;
    }
    ws.set_row_height(HEADER_ROW, 60).map_err(err)?;
    for (r, (code, name, values)) in t.rows.iter().enumerate() {
        let row = FIRST_DATA_ROW + r as u32;
        write_text(ws, row, 0, code, None).map_err(err)?;
        write_text(ws, row, 1, name, None).map_err(err)?;
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
    read_template_with(bytes, &ImportLimits::default())
}

/// The filled cells of a sheet, by row then column (empty cells left out).
pub(crate) type Rows = BTreeMap<u32, Vec<(u32, Data)>>;

/// Read an uploaded template within `limits`: the file is checked as a zip
/// first (Excel 97–2003 and OpenDocument are refused, the unzipped size is
/// bounded), then its sheet is read cell by cell, so memory follows the
/// cells really present, never the rectangle a `<dimension>` or a far cell
/// claims.
pub fn read_template_with(bytes: &[u8], limits: &ImportLimits) -> Result<Upload, Vec<String>> {
    check_package(bytes, limits).map_err(|e| vec![e])?;
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e| vec![format!("Không đọc được tệp Excel: {e}")])?;
    let names = wb.sheet_names();
    let sheet = names
        .iter()
        .find(|n| n.as_str() == TEMPLATE_SHEET)
        .or_else(|| names.first())
        .cloned()
        .ok_or_else(|| vec!["Tệp Excel không có trang tính nào".to_string()])?;
    let rows = read_cells(&mut wb, &sheet, limits).map_err(|e| vec![e])?;
    drop(wb);
    let get = |r: u32, c: u32| -> Option<&Data> {
        let row = rows.get(&r)?;
        row.binary_search_by_key(&c, |(c, _)| *c)
            .ok()
            .map(|i| &row[i].1)
    };
    let text_at = |r: u32, c: u32| get(r, c).map(text_of).unwrap_or_default();
    let mut errors = ErrorList::with_cap(limits.max_errors);
    let form = text_at(1, 1);
    let period = text_at(1, 3);
    if form.is_empty() {
        errors.push(format!("{}: thiếu mã biểu mẫu", place(&sheet, 1, 1)));
    }
    if period.is_empty() {
        errors.push(format!("{}: thiếu mã kỳ", place(&sheet, 1, 3)));
    }
    // Indicator keys by column, from the key row.
    let keys: BTreeMap<u32, String> = rows
        .get(&KEY_ROW)
        .map(|row| {
            row.iter()
                .filter(|(c, _)| *c >= 2)
                .map(|(c, d)| (*c, text_of(d)))
                .filter(|(_, k)| !k.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if keys.is_empty() {
        errors.push(format!(
            "{}: dòng {} phải ghi mã chỉ tiêu của từng cột",
            sheet,
            KEY_ROW + 1
        ));
    }
    let mut cells = Vec::new();
    for (&r, row) in rows.range(FIRST_DATA_ROW..) {
        let unit = text_at(r, 0);
        let mut filled = row.iter().filter(|(c, _)| keys.contains_key(c)).peekable();
        if unit.is_empty() {
            if filled.peek().is_some() {
                errors.push(format!("{}: thiếu mã đơn vị", place(&sheet, r, 0)));
            }
            continue;
        }
        for (c, data) in filled {
            let key = &keys[c];
            let p = || place(&sheet, r, *c);
            let value = match data {
                Data::Empty => continue,
                Data::Int(i) => Filled::Number(*i as f64),
                Data::Float(f) => Filled::Number(*f),
                Data::String(s) if s.trim().is_empty() => continue,
                Data::String(s) => {
                    if let Some(enc) = crate::legacy_text::detect(s) {
                        errors.push_with(|| {
                            format!(
                                "{}: \"{s}\" dùng bảng mã cũ {enc}; hãy chuyển sang Unicode",
                                p()
                            )
                        });
                        continue;
                    }
                    Filled::Text(antq_core::text::clean(s))
                }
                other => {
                    errors.push_with(|| format!("{}: \"{other}\" không phải số", p()));
                    continue;
                }
            };
            if !errors.is_empty() {
                // The file is refused anyway: keep only its errors.
                continue;
            }
            cells.push(FilledCell {
                place: p(),
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
        Err(errors.into_vec())
    }
}

/// The filled cells of one sheet, read one at a time; a cell past the
/// sheet limits refuses the file at once.
pub(crate) fn read_cells<RS: Read + Seek>(
    wb: &mut Xlsx<RS>,
    sheet: &str,
    limits: &ImportLimits,
) -> Result<Rows, String> {
    let unreadable = |e: calamine::XlsxError| format!("Không đọc được trang \"{sheet}\": {e}");
    let mut reader = wb.worksheet_cells_reader(sheet).map_err(unreadable)?;
    let mut rows: Rows = BTreeMap::new();
    let mut count = 0usize;
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let (r, c) = cell.get_position();
        let value: Data = cell.get_value().clone().into();
        if matches!(value, Data::Empty) {
            continue;
        }
        if r >= limits.sheet_rows || c >= limits.sheet_columns {
            return Err(format!(
                "{}: ô ở ngoài giới hạn {} dòng và {} cột của một trang tính",
                place(sheet, r, c),
                n(limits.sheet_rows),
                n(limits.sheet_columns)
            ));
        }
        count += 1;
        if count > limits.sheet_cells {
            return Err(format!(
                "Trang \"{sheet}\" có hơn {} ô có dữ liệu, vượt giới hạn {} ô",
                n(limits.sheet_cells),
                n(limits.sheet_cells)
            ));
        }
        rows.entry(r).or_default().push((c, value));
    }
    for row in rows.values_mut() {
        // Cells come in order; a hand-made file may repeat or reorder them.
        row.sort_by_key(|(c, _)| *c);
        row.dedup_by_key(|(c, _)| *c);
    }
    Ok(rows)
}

/// Check an Excel file as a zip before reading it: refuse Excel 97–2003,
/// OpenDocument and binary workbooks by name, and a file whose parts
/// unzip to more than the limit (a "zip bomb"), by unzipping each part into
/// nothing and counting, whatever sizes the zip claims.
pub(crate) fn check_package(bytes: &[u8], limits: &ImportLimits) -> Result<(), String> {
    const SAVE_AS: &str = "hãy mở tệp trong Excel và lưu lại dưới dạng Sổ làm việc Excel (.xlsx)";
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(format!(
            "Tệp Excel 97–2003 (.xls) không được nhận; {SAVE_AS}"
        ));
    }
    if !bytes.starts_with(b"PK") {
        return Err(format!("Tệp không phải tệp Excel .xlsx; {SAVE_AS}"));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("Không đọc được tệp Excel (.xlsx): {e}"))?;
    let names: Vec<String> = zip.file_names().map(|n| n.to_ascii_lowercase()).collect();
    if !names.iter().any(|n| n == "xl/workbook.xml") {
        let what = if names.iter().any(|n| n == "xl/workbook.bin") {
            "Tệp Excel nhị phân (.xlsb) không được nhận"
        } else if names.iter().any(|n| n == "mimetype" || n == "content.xml") {
            "Tệp OpenDocument (.ods) không được nhận"
        } else {
            "Tệp không phải tệp Excel .xlsx"
        };
        return Err(format!("{what}; {SAVE_AS}"));
    }
    let too_big = || {
        format!(
            "Tệp Excel khi giải nén lớn hơn giới hạn {}; hãy chia nhỏ tệp",
            megabytes(limits.unzipped_bytes)
        )
    };
    let mut total = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut part = zip
            .by_index(i)
            .map_err(|e| format!("Không đọc được tệp Excel (.xlsx): {e}"))?;
        if part.size() > limits.unzipped_bytes.saturating_sub(total) {
            return Err(too_big());
        }
        let shared = part
            .name()
            .to_ascii_lowercase()
            .ends_with("sharedstrings.xml");
        let mut head = Vec::new();
        let mut strings = StringCounter::default();
        loop {
            let got = part
                .read(&mut buf)
                .map_err(|e| format!("Không đọc được tệp Excel (.xlsx): {e}"))?;
            if got == 0 {
                break;
            }
            total += got as u64;
            if total > limits.unzipped_bytes {
                return Err(too_big());
            }
            if shared {
                if head.len() < 64 * 1024 {
                    head.extend_from_slice(&buf[..got]);
                }
                strings.feed(&buf[..got]);
                if strings.count > limits.sheet_cells as u64 {
                    return Err(too_many_strings(limits.sheet_cells as u64, false, limits));
                }
            }
        }
        if shared {
            check_shared_strings(&head, limits)?;
        }
    }
    Ok(())
}

/// `declared`: the count the file announces, not yet counted.
fn too_many_strings(count: u64, declared: bool, limits: &ImportLimits) -> String {
    format!(
        "Tệp Excel {} {} chuỗi văn bản, vượt giới hạn {} ô",
        if declared { "khai báo" } else { "có hơn" },
        n(count),
        n(limits.sheet_cells)
    )
}

/// Counts the strings (`<si>` elements, with or without a namespace prefix)
/// of a shared-string table as its bytes stream by, so a table that does not
/// announce its size is bounded too. A tag cut between two chunks is seen
/// whole through the few bytes carried over.
#[derive(Default)]
struct StringCounter {
    carry: Vec<u8>,
    count: u64,
}

impl StringCounter {
    /// Longest tag prefix looked at: `<` + a short namespace prefix + `:si` + one byte.
    const CARRY: usize = 40;

    fn feed(&mut self, chunk: &[u8]) {
        let mut data = std::mem::take(&mut self.carry);
        let start = data.len();
        data.extend_from_slice(chunk);
        // Tags starting in the carried bytes were counted with the previous chunk
        // unless they were cut; count only tags whose end is in the new bytes.
        let mut i = 0;
        while i < data.len() {
            if data[i] == b'<' {
                if let Some(end) = si_tag_end(&data[i + 1..]) {
                    let last = i + 1 + end;
                    if last >= start {
                        self.count += 1;
                    }
                    i = last;
                    continue;
                }
            }
            i += 1;
        }
        let keep = data.len().min(Self::CARRY);
        self.carry = data[data.len() - keep..].to_vec();
    }
}

/// After a `<`: the index of the byte that ends an `si` start tag name
/// (`si>`, `si `, `si/`, `x:si>`…), or None.
fn si_tag_end(rest: &[u8]) -> Option<usize> {
    let name_end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b':' || *b == b'_' || *b == b'-'))?;
    let name = &rest[..name_end];
    let local = name.rsplit(|b| *b == b':').next().unwrap_or(name);
    let ends = matches!(rest[name_end], b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r');
    (local == b"si" && ends).then_some(name_end)
}

/// The shared-string table announces its size (`uniqueCount`), and the
/// reader reserves room for that many strings before reading them: a file
/// that announces billions is refused here.
fn check_shared_strings(head: &[u8], limits: &ImportLimits) -> Result<(), String> {
    let mut xml = quick_xml::Reader::from_reader(head);
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e))
                if e.local_name().as_ref() == b"sst" =>
            {
                for a in e.attributes().flatten() {
                    if a.key.as_ref() == b"uniqueCount" || a.key.as_ref() == b"count" {
                        let claimed = std::str::from_utf8(&a.value)
                            .ok()
                            .and_then(|v| v.trim().parse::<u64>().ok());
                        match claimed {
                            None => {
                                return Err(
                                    "Bảng chuỗi của tệp Excel khai báo số chuỗi không hợp lệ"
                                        .to_string(),
                                )
                            }
                            Some(c) if c > limits.sheet_cells as u64 => {
                                return Err(too_many_strings(c, true, limits))
                            }
                            Some(_) => {}
                        }
                    }
                }
                return Ok(());
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    // The table did not start within its first 64 KB.
    Err("Không đọc được bảng chuỗi của tệp Excel".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_strings_are_counted_across_chunks() {
        let xml = "<sst xmlns=\"x\"><si><t>a</t></si><x:si><t>b</t></x:si><si/><sis>no</sis></sst>";
        for size in 1..xml.len() {
            let mut c = StringCounter::default();
            for chunk in xml.as_bytes().chunks(size) {
                c.feed(chunk);
            }
            assert_eq!(c.count, 3, "chunks of {size}");
        }
    }

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
        let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).unwrap();
        let r = wb.worksheet_range("Số liệu").unwrap();
        assert_eq!(r.get_value((3, 1)), Some(&Data::Float(3120.0)));
        assert_eq!(r.get_value((0, 0)), Some(&Data::String("Tổng hợp".into())));
    }
}
