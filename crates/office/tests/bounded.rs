//! Memory follows the file: the process's peak resident size (VmHWM) grows
//! by a bounded factor of the input, never by what the input claims. One
//! test in its own process, so no other test moves the peak.

use antq_office::files::{self, Format};

/// Start measuring: the peak is reset to the present resident size (Linux
/// `clear_refs` 5), which is returned. Without the reset the cases are
/// ordered by growing size, so each one's peak is still its own.
fn reset_peak() -> u64 {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    peak()
}

/// Peak resident memory of this process so far, in bytes.
fn peak() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .unwrap_or(0)
}

const MB: u64 = 1024 * 1024;
const HEADER: &str = "unit,period,indicator,value,qualifier,comment\n";

#[test]
fn memory_follows_the_file_not_its_claims() {
    if peak() == 0 {
        eprintln!("no /proc/self/status here: memory bounds not measured");
        return;
    }
    // 1. A sheet whose only cell is at XFD1048576 (the rectangle would be
    //    17 billion cells): refused with less than 50 MB more.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_number(1_048_575, 16_383, 1.0).unwrap();
    ws.write_number(0, 0, 1.0).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let before = reset_peak();
    assert!(files::read(Format::Xlsx, &bytes).is_err());
    let grew = peak() - before;
    assert!(
        grew < 50 * MB,
        "a crafted sheet of {} bytes cost {grew} bytes",
        bytes.len()
    );

    // 2. 20 MB of CSV whose every line is an error: the rows are not kept,
    //    the errors are capped: less than 2 × the file more.
    let mut text = String::with_capacity(21 << 20);
    text.push_str(HEADER);
    while text.len() < 20 << 20 {
        text.push_str("03325,2026,tt_buoi,1,,§iÖn Biªn\n");
    }
    let before = reset_peak();
    let e = files::read(Format::Csv, text.as_bytes()).unwrap_err();
    let grew = peak() - before;
    assert_eq!(e.len(), 1_001);
    assert!(
        grew < 2 * text.len() as u64,
        "{} bytes of bad CSV cost {grew} bytes",
        text.len()
    );
    drop(text);

    // 3. A national-size template: 3.400 units × 60 columns (204.000 cells).
    let t = antq_office::xlsx::Template {
        title: "Biểu".into(),
        form: "antq-nam".into(),
        period: "2026".into(),
        parent: "VN".into(),
        columns: (0..60)
            .map(|c| (format!("ct_{c}"), format!("Chỉ tiêu {c}")))
            .collect(),
        rows: (0..3_400)
            .map(|u| (format!("{:05}", u), format!("Xã {u}"), vec![Some(12.0); 60]))
            .collect(),
    };
    let bytes = antq_office::xlsx::write_template(&t).unwrap();
    let before = reset_peak();
    let cells = files::read(Format::Xlsx, &bytes).unwrap();
    let grew = peak() - before;
    eprintln!(
        "{} values from a {} KB workbook: peak grew by {} MB",
        cells.len(),
        bytes.len() / 1024,
        grew / MB
    );
    assert_eq!(cells.len(), 204_000);
    drop(cells);
    assert!(grew < 200 * MB, "{grew} bytes for 204.000 cells");

    // 4. 20 MB of CSV that parses (short garbage lines of 16 bytes, 1,3
    //    million rows): the rows are kept for the database checks, compactly
    //    (48 bytes of offsets a row and its text in one buffer, no
    //    allocation per row): about 3,3 bytes of memory for every byte of
    //    file (an `ImportRow` a row cost 24). Less than 5 × the file.
    let mut text = String::with_capacity(21 << 20);
    text.push_str(HEADER);
    let mut i = 0u64;
    while text.len() < 20 << 20 {
        text.push_str(&format!("x{i:05},y,z{},w\n", i % 97));
        i += 1;
    }
    let before = reset_peak();
    let rows = files::read(Format::Csv, text.as_bytes()).unwrap();
    let grew = peak() - before;
    eprintln!(
        "{} rows of {} bytes: peak grew by {} MB",
        rows.len(),
        text.len(),
        grew / MB
    );
    assert_eq!(rows.len(), i as usize);
    assert!(
        grew < 5 * text.len() as u64,
        "{} bytes of CSV cost {grew} bytes",
        text.len()
    );
}
