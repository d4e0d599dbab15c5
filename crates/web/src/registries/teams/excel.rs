//! The team register in Excel: one row per team under Vietnamese headings,
//! in the layout of antq's data-entry templates (title, "Biểu mẫu" and
//! "Kỳ" on row 2, headings on row 4, column keys on row 5, teams from row
//! 6, the unit's code in column A), so the upload is read by the shared,
//! bounded reader (`antq_office::xlsx::read_template_with`: zip checks,
//! cell limits, legacy encodings) and every bad cell is named by sheet and
//! cell. The workbook is written here as a small SpreadsheetML package
//! (stored zip, inline strings, every column formatted as text so dates
//! typed as dd/mm/yyyy stay text).

use std::collections::BTreeMap;

use antq_office::xlsx::{Filled, FilledCell};

/// The template's form code (row 2, column B).
pub const FORM: &str = "TCQC";
/// The sheet's name.
pub const SHEET: &str = "Tổ chức quần chúng";

/// The team columns (from C): key and heading.
pub const COLUMNS: [(&str, &str); 9] = [
    ("ten", "Tên tổ chức, tổ"),
    ("loai", "Loại"),
    ("khu_dan_cu", "Khu dân cư (nếu có)"),
    ("thanh_lap", "Ngày thành lập (dd/mm/yyyy)"),
    ("giai_the", "Ngày giải thể (nếu có)"),
    ("to_truong", "Tổ trưởng"),
    ("thanh_vien", "Số thành viên"),
    ("mo_hinh", "Số hiệu mô hình (nếu có)"),
    ("ghi_chu", "Ghi chú"),
];

/// One team as a row of the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    pub unit_code: String,
    pub unit_name: String,
    /// Values by column of `COLUMNS`.
    pub values: [String; 9],
}

/// One team read from a file, with the sheet row (1-based, as Excel shows).
#[derive(Debug, Clone)]
pub struct ReadRow {
    pub line: u32,
    pub unit_code: String,
    /// Values by key, with their places.
    pub cells: BTreeMap<&'static str, (String, String)>,
}

impl ReadRow {
    /// The text of a column ("" when empty).
    pub fn text(&self, key: &str) -> &str {
        self.cells.get(key).map_or("", |(_, v)| v.as_str())
    }

    /// "Tổ chức quần chúng, ô F7" for a column of this row.
    pub fn place(&self, key: &str) -> String {
        let col = COLUMNS.iter().position(|(k, _)| *k == key).unwrap_or(0) as u32 + 2;
        antq_office::xlsx::place(SHEET, self.line - 1, col)
    }

    /// "Tổ chức quần chúng, dòng 7".
    pub fn label(&self) -> String {
        format!("{SHEET}, dòng {}", self.line)
    }
}

/// Excel's serial day number as dd/mm/yyyy (a date cell typed as a number).
fn serial_date(n: f64) -> Option<String> {
    if !(1.0..=2_958_465.0).contains(&n) || n.fract() != 0.0 {
        return None;
    }
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let d = base.checked_add_signed(chrono::Duration::days(n as i64))?;
    Some(antq_core::dates::format_vi(d))
}

fn value(key: &str, v: &Filled) -> String {
    match v {
        Filled::Text(s) => s.clone(),
        Filled::Number(n) if key == "thanh_lap" || key == "giai_the" => {
            serial_date(*n).unwrap_or_else(|| n.to_string())
        }
        Filled::Number(n) if n.fract() == 0.0 => format!("{}", *n as i64),
        Filled::Number(n) => n.to_string(),
    }
}

/// "…, ô C17" → 17.
fn line_of(place: &str) -> u32 {
    let tail = place.rsplit(' ').next().unwrap_or("");
    tail.trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .unwrap_or(0)
}

/// Read an uploaded register; every bad cell is reported with its place.
pub fn read(bytes: &[u8]) -> Result<Vec<ReadRow>, Vec<String>> {
    let limits = antq_office::limits::ImportLimits {
        sheet_rows: antq_core::registries::teams::limits::IMPORT_ROWS as u32 + 10,
        sheet_columns: 40,
        ..Default::default()
    };
    let up = antq_office::xlsx::read_template_with(bytes, &limits)?;
    if up.form.trim() != FORM {
        return Err(vec![format!(
            "{SHEET}, ô B2: mã biểu mẫu phải là {FORM} (hãy dùng mẫu tải từ trang sổ tổ chức quần chúng)"
        )]);
    }
    let mut rows: BTreeMap<u32, ReadRow> = BTreeMap::new();
    let mut errors = Vec::new();
    for FilledCell {
        place,
        unit,
        key,
        value: v,
    } in up.cells
    {
        let Some((k, _)) = COLUMNS.iter().find(|(k, _)| *k == key) else {
            errors.push(format!(
                "{place}: cột \u{201C}{key}\u{201D} không có trong mẫu"
            ));
            continue;
        };
        let line = line_of(&place);
        let row = rows.entry(line).or_insert_with(|| ReadRow {
            line,
            unit_code: unit.clone(),
            cells: BTreeMap::new(),
        });
        let text = antq_core::text::clean(&value(k, &v));
        if !text.is_empty() {
            row.cells.insert(k, (place, text));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if rows.is_empty() {
        return Err(vec![format!(
            "Trang \u{201C}{SHEET}\u{201D} không có tổ nào"
        )]);
    }
    Ok(rows.into_values().collect())
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' && c != '\r' => {}
            c => out.push(c),
        }
    }
    out
}

fn col_name(c: usize) -> String {
    antq_office::xlsx::column_name(c as u32)
}

fn cell(out: &mut String, r: usize, c: usize, text: &str, style: u8) {
    if text.is_empty() {
        return;
    }
    out.push_str(&format!(
        "<c r=\"{}{}\" s=\"{style}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
        col_name(c),
        r + 1,
        esc(text)
    ));
}

/// The register (or an empty template when `rows` is empty) as an .xlsx file.
pub fn write(title: &str, rows: &[Row]) -> Vec<u8> {
    let mut sheet = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
         <sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"5\" topLeftCell=\"A6\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>\
         <cols><col min=\"1\" max=\"1\" width=\"12\" style=\"1\" customWidth=\"1\"/>\
         <col min=\"2\" max=\"2\" width=\"28\" style=\"1\" customWidth=\"1\"/>\
         <col min=\"3\" max=\"3\" width=\"36\" style=\"1\" customWidth=\"1\"/>\
         <col min=\"4\" max=\"11\" width=\"20\" style=\"1\" customWidth=\"1\"/></cols><sheetData>",
    );
    let line = |r: usize, cells: &[(usize, &str, u8)]| {
        let mut s = format!("<row r=\"{}\">", r + 1);
        for (c, t, st) in cells {
            cell(&mut s, r, *c, t, *st);
        }
        s.push_str("</row>");
        s
    };
    let mut body = String::new();
    body.push_str(&line(0, &[(0, title, 2)]));
    body.push_str(&line(
        1,
        &[
            (0, "Biểu mẫu", 2),
            (1, FORM, 1),
            (2, "Kỳ", 2),
            (3, "Sổ theo dõi", 1),
        ],
    ));
    let mut heads: Vec<(usize, &str, u8)> = vec![(0, "Mã đơn vị", 3), (1, "Tên đơn vị", 3)];
    let mut keys: Vec<(usize, &str, u8)> = vec![(0, "unit", 4), (1, "name", 4)];
    for (i, (k, h)) in COLUMNS.iter().enumerate() {
        heads.push((i + 2, h, 3));
        keys.push((i + 2, k, 4));
    }
    body.push_str(&line(3, &heads));
    body.push_str(&line(4, &keys));
    for (i, r) in rows.iter().enumerate() {
        let mut cells: Vec<(usize, &str, u8)> =
            vec![(0, r.unit_code.as_str(), 1), (1, r.unit_name.as_str(), 1)];
        for (c, v) in r.values.iter().enumerate() {
            cells.push((c + 2, v.as_str(), 1));
        }
        body.push_str(&line(5 + i, &cells));
    }
    sheet.push_str(&body);
    sheet.push_str("</sheetData></worksheet>");
    let styles = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
        <styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
        <fonts count=\"3\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font>\
        <font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font>\
        <font><i/><sz val=\"9\"/><color rgb=\"FF888888\"/><name val=\"Calibri\"/></font></fonts>\
        <fills count=\"3\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill>\
        <fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFFBF3DC\"/></patternFill></fill></fills>\
        <borders count=\"1\"><border/></borders>\
        <cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>\
        <cellXfs count=\"5\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>\
        <xf numFmtId=\"49\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>\
        <xf numFmtId=\"49\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\" applyFont=\"1\"/>\
        <xf numFmtId=\"49\" fontId=\"1\" fillId=\"2\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\" applyFont=\"1\" applyFill=\"1\" applyAlignment=\"1\"><alignment wrapText=\"1\" vertical=\"center\"/></xf>\
        <xf numFmtId=\"49\" fontId=\"2\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\" applyFont=\"1\"/></cellXfs>\
        <cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>";
    let workbook = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
         <sheets><sheet name=\"{}\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
        esc(SHEET)
    );
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("[Content_Types].xml", b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>\
<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>\
</Types>".to_vec()),
        ("_rels/.rels", b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>\
</Relationships>".to_vec()),
        ("xl/workbook.xml", workbook.into_bytes()),
        ("xl/_rels/workbook.xml.rels", b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
</Relationships>".to_vec()),
        ("xl/styles.xml", styles.as_bytes().to_vec()),
        ("xl/worksheets/sheet1.xml", sheet.into_bytes()),
    ];
    zip_stored(&files)
}

fn crc32(data: &[u8]) -> u32 {
    static TABLE: std::sync::OnceLock<[u32; 256]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = [0u32; 256];
        for (i, e) in t.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
            *e = c;
        }
        t
    });
    let mut c = 0xFFFF_FFFFu32;
    for b in data {
        c = table[((c ^ u32::from(*b)) & 0xFF) as usize] ^ (c >> 8);
    }
    c ^ 0xFFFF_FFFF
}

/// A zip of stored (uncompressed) entries.
fn zip_stored(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    // 01/01/2026 00:00 in DOS time.
    let (time, date): (u16, u16) = (0, ((2026 - 1980) << 9) | (1 << 5) | 1);
    for (name, data) in files {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let size = data.len() as u32;
        let name_b = name.as_bytes();
        let mut head = Vec::new();
        head.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        head.extend_from_slice(&20u16.to_le_bytes());
        head.extend_from_slice(&0x0800u16.to_le_bytes());
        head.extend_from_slice(&0u16.to_le_bytes());
        head.extend_from_slice(&time.to_le_bytes());
        head.extend_from_slice(&date.to_le_bytes());
        head.extend_from_slice(&crc.to_le_bytes());
        head.extend_from_slice(&size.to_le_bytes());
        head.extend_from_slice(&size.to_le_bytes());
        head.extend_from_slice(&(name_b.len() as u16).to_le_bytes());
        head.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&head);
        out.extend_from_slice(name_b);
        out.extend_from_slice(data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&0x0800u16.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&time.to_le_bytes());
        central.extend_from_slice(&date.to_le_bytes());
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&(name_b.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0u8; 12]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name_b);
    }
    let cd_offset = out.len() as u32;
    let cd_size = central.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0u8; 4]);
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&cd_size.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_register_reads_back_with_places() {
        let mut values: [String; 9] = Default::default();
        values[0] = "Tổ an ninh nhân dân bản Che Căn".into();
        values[1] = "Tổ an ninh nhân dân".into();
        values[3] = "15/03/2020".into();
        values[6] = "12".into();
        let rows = vec![Row {
            unit_code: "03325".into(),
            unit_name: "Xã Mường Phăng".into(),
            values,
        }];
        let bytes = write("Sổ tổ chức quần chúng", &rows);
        let back = read(&bytes).unwrap();
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].unit_code, "03325");
        assert_eq!(back[0].text("ten"), "Tổ an ninh nhân dân bản Che Căn");
        assert_eq!(back[0].text("thanh_lap"), "15/03/2020");
        assert_eq!(back[0].place("thanh_lap"), "Tổ chức quần chúng, ô F6");
        assert_eq!(back[0].label(), "Tổ chức quần chúng, dòng 6");
        assert!(
            read(&write("x", &[])).is_err(),
            "an empty template has no team"
        );
        assert!(read(b"not excel").is_err());
        assert_eq!(serial_date(43905.0).as_deref(), Some("15/03/2020"));
    }
}
