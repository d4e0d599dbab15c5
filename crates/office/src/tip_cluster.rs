//! One cluster of scam identifiers in Excel and CSV, for the competent
//! unit: what is known of the identifier (masked), counted across the
//! country, then one row per tip within the exporter's units — its number,
//! day, units, category and state. What a tip says and anything about who
//! sent it are never given to this writer.

use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

use crate::table::{protect, Cell};
use crate::xlsx::write_text;

/// The sheet's name.
pub const SHEET: &str = "Cụm định danh";

/// The headings of the tip rows.
pub const TIP_HEADS: [&str; 6] = [
    "Tin báo số",
    "Ngày nhận",
    "Nơi xảy ra",
    "Đơn vị xử lý",
    "Loại tin báo",
    "Trạng thái",
];

/// The label of the count of tips in the summary.
pub const TIPS_LABEL: &str = "Số tin báo có định danh này (cả nước)";

/// A tip of the cluster, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterTip {
    pub id: i64,
    /// dd/mm/yyyy.
    pub received: String,
    pub place: String,
    pub unit: String,
    pub category: String,
    pub state: String,
}

/// A cluster, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterSheet {
    /// Who exported it and when, in words (a line under the title).
    pub exported: String,
    pub kind: String,
    /// Masked: "09x xxx x678".
    pub display: String,
    pub tips: i64,
    pub tips_here: i64,
    pub units: i64,
    pub provinces: i64,
    /// dd/mm/yyyy.
    pub first_seen: String,
    pub last_seen: String,
    pub categories: Vec<String>,
    pub rows: Vec<ClusterTip>,
}

impl ClusterSheet {
    pub fn title(&self) -> String {
        format!("Cụm định danh lừa đảo: {} {}", self.kind, self.display)
    }

    /// The summary, label and value.
    pub fn summary(&self) -> Vec<(&'static str, Cell)> {
        let n = |x: i64| Cell::Number(x as f64);
        vec![
            ("Loại định danh", Cell::from(self.kind.as_str())),
            ("Định danh (đã che)", Cell::from(self.display.as_str())),
            (TIPS_LABEL, n(self.tips)),
            ("Trong đó thuộc đơn vị của người xuất", n(self.tips_here)),
            ("Số xã, phường nơi xảy ra", n(self.units)),
            ("Số tỉnh, thành phố", n(self.provinces)),
            ("Lần đầu", Cell::from(self.first_seen.as_str())),
            ("Lần cuối", Cell::from(self.last_seen.as_str())),
            ("Loại tin báo", Cell::from(self.categories.join("; "))),
        ]
    }

    /// The line above the tip rows.
    pub fn tips_note(&self) -> String {
        let outside = self.tips - self.tips_here;
        if outside > 0 {
            format!(
                "Các tin báo thuộc đơn vị của người xuất ({} tin báo ở đơn vị khác chỉ được đếm, không liệt kê):",
                antq_core::text::format_int(outside)
            )
        } else {
            "Các tin báo thuộc đơn vị của người xuất:".into()
        }
    }

    fn tip_cells(t: &ClusterTip) -> [Cell; 6] {
        [
            Cell::Number(t.id as f64),
            Cell::from(t.received.as_str()),
            Cell::from(t.place.as_str()),
            Cell::from(t.unit.as_str()),
            Cell::from(t.category.as_str()),
            Cell::from(t.state.as_str()),
        ]
    }
}

fn err(e: XlsxError) -> String {
    format!("không tạo được tệp Excel: {e}")
}

/// The cluster as a one-sheet workbook: title, summary (numbers as
/// numbers), then the tip rows under their headings.
pub fn write_xlsx(c: &ClusterSheet) -> Result<Vec<u8>, String> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(SHEET).map_err(err)?;
    let bold = Format::new().set_bold();
    let head = crate::xlsx::heading_format();
    let int = Format::new()
        .set_num_format("#,##0")
        .set_align(FormatAlign::Left);
    write_text(ws, 0, 0, &c.title(), Some(&bold)).map_err(err)?;
    write_text(ws, 1, 0, &c.exported, None).map_err(err)?;
    let mut row = 3;
    for (label, value) in c.summary() {
        write_text(ws, row, 0, label, Some(&bold)).map_err(err)?;
        match value {
            Cell::Number(x) => {
                ws.write_number_with_format(row, 1, x, &int).map_err(err)?;
            }
            Cell::Text(s) => write_text(ws, row, 1, &s, None).map_err(err)?,
            Cell::Empty => {}
        }
        row += 1;
    }
    row += 1;
    write_text(ws, row, 0, &c.tips_note(), Some(&bold)).map_err(err)?;
    row += 1;
    for (col, h) in TIP_HEADS.iter().enumerate() {
        write_text(ws, row, col as u16, h, Some(&head)).map_err(err)?;
    }
    ws.set_column_width(0, 40).map_err(err)?;
    for col in 1..TIP_HEADS.len() as u16 {
        ws.set_column_width(col, 24).map_err(err)?;
    }
    for t in &c.rows {
        row += 1;
        for (col, cell) in ClusterSheet::tip_cells(t).iter().enumerate() {
            match cell {
                Cell::Number(x) => {
                    ws.write_number(row, col as u16, *x).map_err(err)?;
                }
                Cell::Text(s) => write_text(ws, row, col as u16, s, None).map_err(err)?,
                Cell::Empty => {}
            }
        }
    }
    wb.save_to_buffer().map_err(err)
}

fn csv_cell(c: &Cell) -> String {
    match c {
        Cell::Empty => String::new(),
        Cell::Text(s) => protect(s).into_owned(),
        Cell::Number(x) => format!("{}", *x as i64),
    }
}

/// The cluster as CSV (UTF-8 with a byte-order mark): the title, the
/// summary as label and value, a blank line, then the tip rows under
/// their headings.
pub fn write_csv(c: &ClusterSheet) -> Vec<u8> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(&mut out);
        let _ = w.write_record([protect(&c.title()).into_owned()]);
        let _ = w.write_record([protect(&c.exported).into_owned()]);
        for (label, value) in c.summary() {
            let _ = w.write_record([label.to_string(), csv_cell(&value)]);
        }
        let _ = w.write_record([""]);
        let _ = w.write_record([protect(&c.tips_note()).into_owned()]);
        let _ = w.write_record(TIP_HEADS);
        for t in &c.rows {
            let _ = w.write_record(ClusterSheet::tip_cells(t).iter().map(csv_cell));
        }
        let _ = w.flush();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    fn sheet() -> ClusterSheet {
        ClusterSheet {
            exported: "Xuất ngày 03/12/2026, cán bộ ca.tinh".into(),
            kind: "Số điện thoại".into(),
            display: "09x xxx x678".into(),
            tips: 3,
            tips_here: 2,
            units: 3,
            provinces: 1,
            first_seen: "01/12/2026".into(),
            last_seen: "03/12/2026".into(),
            categories: vec!["Lừa đảo trên không gian mạng".into()],
            rows: vec![
                ClusterTip {
                    id: 7,
                    received: "01/12/2026".into(),
                    place: "Xã Mường Phăng".into(),
                    unit: "Xã Mường Phăng".into(),
                    category: "Lừa đảo trên không gian mạng".into(),
                    state: "Mới".into(),
                },
                ClusterTip {
                    id: 9,
                    received: "03/12/2026".into(),
                    place: "=HYPERLINK(\"x\")".into(),
                    unit: "Công an tỉnh Điện Biên".into(),
                    category: "Lừa đảo trên không gian mạng".into(),
                    state: "Đang xác minh".into(),
                },
            ],
        }
    }

    #[test]
    fn the_workbook_reads_back_with_its_counts_and_rows() {
        let c = sheet();
        let bytes = write_xlsx(&c).unwrap();
        let mut wb = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = wb.worksheet_range(SHEET).unwrap();
        let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
        let find = |label: &str| {
            rows.iter()
                .find(|r| r.first() == Some(&Data::String(label.into())))
                .unwrap_or_else(|| panic!("no {label}"))
                .clone()
        };
        assert_eq!(find(TIPS_LABEL)[1], Data::Float(3.0));
        assert_eq!(find("Số xã, phường nơi xảy ra")[1], Data::Float(3.0));
        assert_eq!(
            find("Định danh (đã che)")[1],
            Data::String("09x xxx x678".into())
        );
        let heads = rows
            .iter()
            .position(|r| r.first() == Some(&Data::String(TIP_HEADS[0].into())))
            .unwrap();
        let tips: Vec<_> = rows[heads + 1..].to_vec();
        assert_eq!(tips.len(), 2);
        assert_eq!(tips[1][0], Data::Float(9.0));
        assert_eq!(tips[1][5], Data::String("Đang xác minh".into()));
        assert_eq!(tips[1][2], Data::String("=HYPERLINK(\"x\")".into()));
        assert!(rows.iter().flatten().any(|d| d
            .to_string()
            .contains("1 tin báo ở đơn vị khác chỉ được đếm")));
    }

    #[test]
    fn the_csv_has_the_same_and_no_formulas() {
        let csv = String::from_utf8(write_csv(&sheet())).unwrap();
        assert!(csv.starts_with('\u{feff}'));
        assert!(csv.contains(&format!("{TIPS_LABEL},3")), "{csv}");
        assert!(
            csv.contains("Tin báo số,Ngày nhận,Nơi xảy ra,Đơn vị xử lý,Loại tin báo,Trạng thái"),
            "{csv}"
        );
        assert!(
            csv.contains("9,03/12/2026,\"'=HYPERLINK(\"\"x\"\")\""),
            "{csv}"
        );
    }
}
