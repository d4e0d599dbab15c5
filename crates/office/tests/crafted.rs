//! Crafted files, generated here: a sheet whose only cell is at XFD1048576,
//! a `<dimension>` that lies, a zip bomb, a shared-string table that claims
//! billions of strings, other formats named xlsx, a CSV of millions of rows
//! and one of thousands of errors. Each is refused (or read) quickly, with
//! a Vietnamese message that names the limit.
//!
//! The memory bounds are checked in `bounded.rs` (a process of its own).

use std::io::{Cursor, Read, Write};
use std::time::{Duration, Instant};

use antq_office::files::{self, Format};
use antq_office::limits::ImportLimits;
use antq_office::xlsx::{read_template, read_template_with, write_template, Template};

fn template() -> Template {
    Template {
        title: "Biểu".into(),
        form: "antq-nam".into(),
        period: "2026".into(),
        parent: "11".into(),
        columns: vec![("tt_buoi".into(), "Buổi".into())],
        rows: vec![("03325".into(), "Xã Mường Phăng".into(), vec![Some(12.0)])],
    }
}

/// The parts of a zip, in order.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut v = Vec::new();
            f.read_to_end(&mut v).unwrap();
            (f.name().to_string(), v)
        })
        .collect()
}

fn rezip(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A template whose part `name` is changed by `f`.
fn edited(name: &str, f: impl Fn(String) -> String) -> Vec<u8> {
    let mut parts = unzip(&write_template(&template()).unwrap());
    let part = parts.iter_mut().find(|(n, _)| n == name).expect(name);
    part.1 = f(String::from_utf8(part.1.clone()).unwrap()).into_bytes();
    rezip(&parts)
}

fn refused(r: Result<antq_office::xlsx::Upload, Vec<String>>) -> String {
    let e = r.expect_err("the file is refused");
    assert_eq!(e.len(), 1, "{e:?}");
    e[0].clone()
}

#[test]
fn a_cell_at_xfd1048576_is_refused_at_once_with_the_limit() {
    // rust_xlsxwriter writes the cell and a dimension A1:XFD1048576.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Biểu 01").unwrap();
    ws.write_string(1, 1, "antq-nam").unwrap();
    ws.write_number(1_048_575, 16_383, 1.0).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    assert!(bytes.len() < 10_000, "a few KB: {}", bytes.len());
    let started = Instant::now();
    let msg = refused(read_template(&bytes));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(msg.contains("ô XFD1048576"), "{msg}");
    assert!(msg.contains("giới hạn 100.000 dòng và 1.000 cột"), "{msg}");
    // Through the common entry point too.
    assert!(files::read(Format::Xlsx, &bytes).is_err());
}

#[test]
fn a_dimension_that_lies_costs_nothing_and_the_cells_are_read() {
    let bytes = edited("xl/worksheets/sheet1.xml", |x| {
        let at = x.find("<dimension ref=\"").unwrap();
        let end = at + x[at..].find("/>").unwrap() + 2;
        format!(
            "{}<dimension ref=\"A1:XFD1048576\"/>{}",
            &x[..at],
            &x[end..]
        )
    });
    let started = Instant::now();
    let up = read_template(&bytes).unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(up.cells.len(), 1);
    assert_eq!(up.cells[0].place, "Biểu 01, ô C6");
}

#[test]
fn empty_styled_cells_far_away_are_ignored() {
    // Excel writes styled empty cells; they are not data.
    let bytes = edited("xl/worksheets/sheet1.xml", |x| {
        x.replace(
            "</sheetData>",
            "<row r=\"1048576\"><c r=\"XFD1048576\" s=\"1\"/></row></sheetData>",
        )
    });
    assert_eq!(read_template(&bytes).unwrap().cells.len(), 1);
}

#[test]
fn too_many_cells_are_refused_with_the_limit() {
    let mut t = template();
    t.rows = (0..30)
        .map(|i| {
            (
                format!("{:05}", 3000 + i),
                "Xã".to_string(),
                vec![Some(1.0)],
            )
        })
        .collect();
    let bytes = write_template(&t).unwrap();
    let limits = ImportLimits {
        sheet_cells: 50,
        ..ImportLimits::default()
    };
    let msg = refused(read_template_with(&bytes, &limits));
    assert!(msg.contains("vượt giới hạn 50 ô"), "{msg}");
    assert!(read_template(&bytes).is_ok());
}

#[test]
fn a_zip_bomb_is_refused_by_what_it_unzips_to() {
    // 8 MB of spaces inside the sheet compress to a few KB.
    let bytes = edited("xl/worksheets/sheet1.xml", |x| {
        x.replace(
            "<sheetData>",
            &format!("<sheetData>{}", " ".repeat(8 << 20)),
        )
    });
    assert!(bytes.len() < 100_000, "{}", bytes.len());
    let limits = ImportLimits {
        unzipped_bytes: 4 << 20,
        ..ImportLimits::default()
    };
    let msg = refused(read_template_with(&bytes, &limits));
    assert!(msg.contains("giải nén lớn hơn giới hạn 4 MB"), "{msg}");
    // Under the default limit (100 MB) the same file is fine.
    assert!(read_template(&bytes).is_ok());
    // A zip that says its sheet is small is still refused: what it unzips
    // to is counted.
    let lying = lie_about_sizes(bytes, "xl/worksheets/sheet1.xml", 1_000);
    let msg = refused(read_template_with(&lying, &limits));
    assert!(msg.contains("giải nén lớn hơn giới hạn 4 MB"), "{msg}");
}

/// The zip with the uncompressed size of part `name` set to `size` in its
/// local and central headers.
fn lie_about_sizes(mut bytes: Vec<u8>, name: &str, size: u32) -> Vec<u8> {
    let mut patched = 0;
    for at in 0..bytes.len().saturating_sub(46) {
        // Local header, then central directory entry.
        let (size_at, name_len_at, name_at) = match &bytes[at..at + 4] {
            b"PK\x03\x04" => (22, 26, 30),
            b"PK\x01\x02" => (24, 28, 46),
            _ => continue,
        };
        let len =
            u16::from_le_bytes([bytes[at + name_len_at], bytes[at + name_len_at + 1]]) as usize;
        if bytes.get(at + name_at..at + name_at + len) == Some(name.as_bytes()) {
            bytes[at + size_at..at + size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "both headers of {name} patched");
    bytes
}

#[test]
fn a_shared_string_table_claiming_billions_is_refused() {
    // The reader would reserve room for every announced string (96 GB).
    let bytes = edited("xl/sharedStrings.xml", |x| {
        let at = x.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
        let end = at + x[at..].find('"').unwrap();
        format!("{}4000000000{}", &x[..at], &x[end..])
    });
    let msg = refused(read_template(&bytes));
    assert!(msg.contains("khai báo 4.000.000.000 chuỗi"), "{msg}");
    assert!(msg.contains("giới hạn 500.000 ô"), "{msg}");
}

#[test]
fn a_shared_string_table_that_hides_its_size_is_counted() {
    // 600.000 strings (over the 500.000-cell limit) and no count announced:
    // refused while the table is unzipped, before the reader sees it.
    let bytes = edited("xl/sharedStrings.xml", |_| {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">{}</sst>",
            "<si><t>x</t></si>".repeat(600_000)
        )
    });
    let msg = refused(read_template(&bytes));
    assert!(msg.contains("có hơn 500.000 chuỗi"), "{msg}");
}

#[test]
fn other_spreadsheet_formats_are_refused_by_name() {
    let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    xls.resize(4096, 0);
    let msg = refused(read_template(&xls));
    assert!(msg.contains(".xls") && msg.contains("lưu lại"), "{msg}");
    let ods = rezip(&[
        (
            "mimetype".into(),
            b"application/vnd.oasis.opendocument.spreadsheet".to_vec(),
        ),
        ("content.xml".into(), b"<office:document-content/>".to_vec()),
    ]);
    let msg = refused(read_template(&ods));
    assert!(msg.contains("OpenDocument (.ods)"), "{msg}");
    let msg = refused(read_template(b"unit,period\n"));
    assert!(msg.starts_with("Tệp không phải tệp Excel .xlsx"), "{msg}");
}

const HEADER: &str = "unit,period,indicator,value,qualifier,comment\n";

#[test]
fn a_csv_over_the_row_cap_is_refused_naming_both_counts() {
    // 2.000.001 garbage rows (about 10 MB), generated here.
    let mut text = String::with_capacity(12 << 20);
    text.push_str(HEADER);
    for _ in 0..2_000_001 {
        text.push_str("x,y,z,w\n");
    }
    let started = Instant::now();
    let e = files::read(Format::Csv, text.as_bytes()).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_eq!(
        e,
        vec!["Tệp có 2.000.001 dòng số liệu, vượt giới hạn 2.000.000 dòng của một tệp; hãy chia thành nhiều tệp".to_string()]
    );
    // The cap is a setting; a file at the cap is read.
    let limits = ImportLimits {
        max_rows: 3,
        ..ImportLimits::default()
    };
    let small = format!("{HEADER}x,y,z,w\nx,y,z,w\n\n\nx,y,z,w\n");
    assert_eq!(
        files::read_with(Format::Csv, small.as_bytes(), &limits)
            .unwrap()
            .len(),
        3
    );
    let more = format!("{small}x,y,z,w\n");
    let e = files::read_with(Format::Csv, more.as_bytes(), &limits).unwrap_err();
    assert!(
        e[0].starts_with("Tệp có 4 dòng số liệu, vượt giới hạn 3 dòng"),
        "{e:?}"
    );
}

#[test]
fn a_csv_with_thousands_of_errors_lists_one_thousand_and_counts_the_rest() {
    let mut text = String::from(HEADER);
    for _ in 0..2_500 {
        text.push_str("03325,2026,tt_buoi,1,,§iÖn Biªn\n");
    }
    let e = files::read(Format::Csv, text.as_bytes()).unwrap_err();
    assert_eq!(e.len(), 1_001);
    assert!(e[0].starts_with("dòng 2: "), "{}", e[0]);
    assert!(e[999].starts_with("dòng 1001: "), "{}", e[999]);
    assert_eq!(e[1_000], "… và 1.500 lỗi khác");
    assert_eq!(antq_core::imports::error_count(&e), 2_500);
}

#[test]
fn a_large_csv_in_two_halves_counts_errors_of_both() {
    // Over 1 MB, so read in two halves; errors in both, past the cap.
    let mut text = String::from(HEADER);
    for i in 0..60_000 {
        if i % 40 == 0 {
            text.push_str("03325,2026,tt_buoi,1,,§iÖn Biªn\n");
        } else {
            text.push_str("03325,2026,tt_buoi,12,exact,Ghi chú bình thường\n");
        }
    }
    assert!(text.len() > 1 << 20);
    let e = files::read(Format::Csv, text.as_bytes()).unwrap_err();
    assert_eq!(e.len(), 1_001);
    assert_eq!(e[1_000], "… và 500 lỗi khác");
}

#[test]
fn dhis2_sets_are_capped_and_their_errors_counted() {
    let value = r#"{"dataElement":"tt_buoi","value":"1"}"#;
    let set = |n: usize, tail: &str| {
        let values = vec![value; n].join(",");
        format!(r#"{{"dataValues":[{values}]{tail}}}"#)
    };
    // The set's defaults may come after its values.
    let ok = set(5, r#","period":"2026","orgUnit":"03325""#);
    let rows = files::read(Format::Dhis2, ok.as_bytes()).unwrap();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows.get(4).period, "2026");
    let limits = ImportLimits {
        max_rows: 4,
        ..ImportLimits::default()
    };
    let e = files::read_with(Format::Dhis2, ok.as_bytes(), &limits).unwrap_err();
    assert_eq!(
        e,
        vec!["Tệp có 5 giá trị (dataValues), vượt giới hạn 4 giá trị của một tệp; hãy chia thành nhiều tệp".to_string()]
    );
    // 1.500 values without period: 1.000 listed, the rest counted.
    let e = files::read(Format::Dhis2, set(1_500, "").as_bytes()).unwrap_err();
    assert_eq!(e.len(), 1_001);
    assert_eq!(e[0], "dataValues[0]: thiếu period hoặc orgUnit");
    assert_eq!(e[1_000], "… và 500 lỗi khác");
    assert!(files::read(Format::Dhis2, b"{\"dataValues\":[").is_err());
}

#[test]
fn exported_formulas_come_back_as_the_same_text() {
    use antq_office::csv_long::{read, write, LongRecord};
    let comments = [
        "=HYPERLINK(\"http://x\",\"bấm\")",
        "=1+1",
        "-chú",
        "@x",
        "'=1",
        "bình thường",
    ];
    let recs: Vec<LongRecord> = comments
        .iter()
        .map(|c| LongRecord {
            unit: "03325".into(),
            period: "2026".into(),
            indicator: "tt_buoi".into(),
            value: "-5".into(),
            qualifier: "exact".into(),
            comment: c.to_string(),
        })
        .collect();
    let bytes = write(&recs);
    let text = String::from_utf8(bytes.clone()).unwrap();
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[3], "-5", "a number is not protected: {line}");
        let comment = line.splitn(6, ',').nth(5).unwrap().trim_start_matches('"');
        assert!(
            !comment.starts_with(['=', '+', '-', '@']),
            "no live formula: {line}"
        );
    }
    assert!(text.contains("'=1+1"), "{text}");
    let back = read(&bytes).unwrap();
    let got: Vec<&str> = back.iter().map(|r| r.comment).collect();
    assert_eq!(got, comments);
}

#[test]
fn excel_text_that_looks_like_a_formula_gets_the_quote_prefix() {
    use antq_office::table::{Cell, Table};
    let table = Table {
        title: "=1+1".into(),
        headers: vec!["Đơn vị".into(), "Số".into()],
        rows: vec![vec![Cell::from("@SUM(A1)"), Cell::Number(-5.0)]],
    };
    let bytes = antq_office::xlsx::write_table("Số liệu", &table).unwrap();
    let parts = unzip(&bytes);
    let styles = &parts.iter().find(|(n, _)| n == "xl/styles.xml").unwrap().1;
    assert!(
        String::from_utf8_lossy(styles).contains("quotePrefix=\"1\""),
        "a quote-prefix style is written"
    );
    let sheet = String::from_utf8(
        parts
            .iter()
            .find(|(n, _)| n == "xl/worksheets/sheet1.xml")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    assert!(!sheet.contains("<f>"), "no formula cell: {sheet}");
    assert!(
        sheet.contains("<v>-5</v>"),
        "the number stays a number: {sheet}"
    );
    // The texts are kept exactly.
    let mut t = template();
    t.rows[0].1 = "=HYPERLINK(\"x\")".into();
    let up = read_template(&write_template(&t).unwrap()).unwrap();
    assert_eq!(up.cells.len(), 1);
}
