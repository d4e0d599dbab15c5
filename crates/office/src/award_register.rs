//! The award register in Excel: one row per recipient, the award's columns
//! repeated on each of its rows (rows with the same unit, issuing unit,
//! form, office, decision and date are one award). Written for export;
//! read for import with every bad cell reported by sheet and cell in
//! Vietnamese. Whether an office may give a form is checked by the caller
//! against the catalogue, with the places this reader gives.

use std::io::Cursor;

use antq_core::dates::{self, Date};
use antq_core::programmes::awards::{limits, RecipientKind};
use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook};

use crate::xlsx::{place, write_text};

/// The sheet's name.
pub const SHEET: &str = "Sổ khen thưởng";
/// Rows one file may hold.
pub const MAX_ROWS: usize = 20_000;

/// The columns, in order.
pub const HEADS: [&str; 11] = [
    "Mã đơn vị",
    "Mã đơn vị của cơ quan khen thưởng",
    "Hình thức",
    "Cơ quan khen thưởng",
    "Số, ký hiệu quyết định",
    "Ngày quyết định",
    "Tập thể / Cá nhân",
    "Tên tập thể hoặc họ tên",
    "Chức vụ",
    "Đơn vị công tác",
    "Lý do",
];

/// One row of the register: one recipient of one decided award.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterRow {
    pub unit: String,
    pub issuer_unit: String,
    pub form: String,
    pub office: String,
    pub decision: String,
    pub date: Date,
    pub kind: RecipientKind,
    pub name: String,
    pub position: String,
    pub body: String,
    pub reason: String,
}

/// A row read from a file, with where it was (for the caller's errors).
#[derive(Debug, Clone)]
pub struct ReadRow {
    pub row: RegisterRow,
    /// 0-based sheet row.
    pub line: u32,
}

impl ReadRow {
    /// "Sổ khen thưởng, ô C5" for a column of this row.
    pub fn place(&self, col: u32) -> String {
        place(SHEET, self.line, col)
    }
}

/// The register as an Excel file.
pub fn write(rows: &[RegisterRow]) -> Result<Vec<u8>, String> {
    let err = |e: rust_xlsxwriter::XlsxError| format!("không tạo được tệp Excel: {e}");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(SHEET).map_err(err)?;
    let bold = Format::new().set_bold().set_text_wrap();
    for (c, h) in HEADS.iter().enumerate() {
        write_text(ws, 0, c as u16, h, Some(&bold)).map_err(err)?;
        ws.set_column_width(c as u16, if c >= 7 { 30 } else { 18 })
            .map_err(err)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let n = i as u32 + 1;
        let cells = [
            r.unit.as_str(),
            &r.issuer_unit,
            &r.form,
            &r.office,
            &r.decision,
            &dates::format_vi(r.date),
            if r.kind == RecipientKind::Collective {
                "Tập thể"
            } else {
                "Cá nhân"
            },
            &r.name,
            &r.position,
            &r.body,
            &r.reason,
        ];
        for (c, v) in cells.iter().enumerate() {
            write_text(ws, n, c as u16, v, None).map_err(err)?;
        }
    }
    wb.save_to_buffer().map_err(err)
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => antq_core::text::clean(s),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{d:02}/{m:02}/{y:04}")
        }
        Data::DateTimeIso(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// Read a register file: every bad cell is reported ("Sổ khen thưởng, ô F3:
/// ngày \"31/02/2023\" không hợp lệ"); nothing is returned unless all are good.
pub fn read(bytes: &[u8]) -> Result<Vec<ReadRow>, Vec<String>> {
    if !bytes.starts_with(b"PK") {
        return Err(vec!["Tệp không phải Excel (.xlsx)".into()]);
    }
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e| vec![format!("Không đọc được tệp Excel: {e}")])?;
    let names = wb.sheet_names();
    let sheet = names
        .iter()
        .find(|n| n.as_str() == SHEET)
        .or_else(|| names.first())
        .cloned()
        .ok_or_else(|| vec!["Tệp Excel không có trang tính nào".to_string()])?;
    let range = wb
        .worksheet_range(&sheet)
        .map_err(|e| vec![format!("Không đọc được trang \u{201C}{sheet}\u{201D}: {e}")])?;
    let (start_row, start_col) = range.start().unwrap_or((0, 0));
    if range.height() > MAX_ROWS + 1 {
        return Err(vec![format!(
            "Trang \u{201C}{sheet}\u{201D} có {} dòng, vượt giới hạn {} dòng của một lần nhập",
            antq_core::text::format_int(range.height() as i64),
            antq_core::text::format_int(MAX_ROWS as i64)
        )]);
    }
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let line = start_row + i as u32;
        if line == 0 {
            continue; // the heads
        }
        let cell = |c: usize| {
            let c = c as i64 - i64::from(start_col);
            if c < 0 {
                String::new()
            } else {
                row.get(c as usize).map(text).unwrap_or_default()
            }
        };
        let cells: Vec<String> = (0..HEADS.len()).map(cell).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let before = errors.len();
        let at = |c: usize| place(SHEET, line, c as u32);
        for c in [0usize, 1, 2, 3, 4, 5, 6, 7] {
            if cells[c].is_empty() {
                errors.push(format!("{}: thiếu {}", at(c), HEADS[c].to_lowercase()));
            }
        }
        for (c, max) in [
            (4, limits::REFERENCE),
            (7, limits::NAME),
            (8, limits::NAME),
            (9, limits::NAME),
            (10, limits::REASON),
        ] {
            if let Err(e) = antq_core::text::check_len(HEADS[c], &cells[c], max) {
                errors.push(format!("{}: {e}", at(c)));
            }
        }
        let date = match dates::parse_input_date(&cells[5]) {
            Ok(d) => Some(d),
            Err(_) if cells[5].is_empty() => None,
            Err(_) => {
                errors.push(format!(
                    "{}: ngày \u{201C}{}\u{201D} không hợp lệ (dd/mm/yyyy)",
                    at(5),
                    cells[5]
                ));
                None
            }
        };
        let kind = match RecipientKind::parse(&cells[6]) {
            Ok(k) => Some(k),
            Err(_) if cells[6].is_empty() => None,
            Err(e) => {
                errors.push(format!("{}: {e}", at(6)));
                None
            }
        };
        if errors.len() > before {
            continue;
        }
        if let (Some(date), Some(kind)) = (date, kind) {
            out.push(ReadRow {
                line,
                row: RegisterRow {
                    unit: cells[0].clone(),
                    issuer_unit: cells[1].clone(),
                    form: cells[2].clone(),
                    office: cells[3].clone(),
                    decision: cells[4].clone(),
                    date,
                    kind,
                    name: cells[7].clone(),
                    position: cells[8].clone(),
                    body: cells[9].clone(),
                    reason: cells[10].clone(),
                },
            });
        }
    }
    if out.is_empty() && errors.is_empty() {
        errors.push(format!(
            "Trang \u{201C}{sheet}\u{201D} không có dòng khen thưởng nào"
        ));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kind: RecipientKind, name: &str) -> RegisterRow {
        RegisterRow {
            unit: "11".into(),
            issuer_unit: "11".into(),
            form: "Giấy khen".into(),
            office: "Công an tỉnh".into(),
            decision: "301/QĐ-CAT".into(),
            date: dates::parse_date("2023-05-19").unwrap(),
            kind,
            name: name.into(),
            position: String::new(),
            body: String::new(),
            reason: "Thành tích xuất sắc".into(),
        }
    }

    #[test]
    fn the_register_reads_back() {
        let rows = vec![
            row(RecipientKind::Collective, "Công an xã Mường Phăng"),
            row(RecipientKind::Individual, "=Lò Văn A"),
        ];
        let bytes = write(&rows).unwrap();
        let back = read(&bytes).unwrap();
        assert_eq!(back.iter().map(|r| r.row.clone()).collect::<Vec<_>>(), rows);
        assert_eq!(back[1].place(7), "Sổ khen thưởng, ô H3");
    }

    #[test]
    fn every_bad_cell_is_reported_by_place() {
        let mut bad = row(RecipientKind::Individual, "Lò Văn B");
        bad.form = String::new();
        let bytes = write(&[bad]).unwrap();
        // Rewrite the date and kind cells with bad text.
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name(SHEET).unwrap();
        for (c, h) in HEADS.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (c, v) in [
            "11",
            "11",
            "",
            "Công an tỉnh",
            "301/QĐ-CAT",
            "31/02/2023",
            "nhóm",
            "X",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(1, c as u16, *v).unwrap();
        }
        let errors = read(&wb.save_to_buffer().unwrap()).unwrap_err();
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("Sổ khen thưởng, ô C2: thiếu hình thức")),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("Sổ khen thưởng, ô F2: ngày")),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("Sổ khen thưởng, ô G2: Người nhận phải là")),
            "{errors:?}"
        );
        assert!(read(&bytes).is_err());
        assert!(read(b"not excel").is_err());
    }
}
