//! Values in long form: `unit,period,indicator,value,qualifier,comment`,
//! one value per line (the indicator may name a breakdown: `kt_bang_khen.tap_the`).

use antq_core::imports::{ImportRow, Place, RawValue};

/// One line to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LongRecord {
    pub unit: String,
    pub period: String,
    pub indicator: String,
    pub value: String,
    pub qualifier: String,
    pub comment: String,
}

pub const HEADER: [&str; 6] = [
    "unit",
    "period",
    "indicator",
    "value",
    "qualifier",
    "comment",
];

/// Read a long CSV; errors name their line. Text is normalised to NFC;
/// text in legacy encodings is refused. A large file is read in two halves
/// at once (split at a line end outside quotes), numbered as one.
pub fn read(bytes: &[u8]) -> Result<Vec<ImportRow>, Vec<String>> {
    let text = match std::str::from_utf8(bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes)) {
        Ok(t) => t,
        Err(_) => {
            return Err(vec![
                "tệp CSV không phải UTF-8; hãy lưu lại với mã hóa UTF-8 (Unicode)".into(),
            ])
        }
    };
    let (first, second) = match split_point(text.as_bytes()) {
        Some(at) => text.split_at(at),
        None => (text, ""),
    };
    let (a, b) = std::thread::scope(|scope| {
        let b = scope.spawn(|| read_part(second, false));
        let a = read_part(first, true);
        (a, b.join().expect("the CSV reader does not panic"))
    });
    let (first_records, first_errors, count) = a?;
    let (more, more_errors, _) = b?;
    // The second part's records follow the first's: "dòng 2" is the first
    // record after the header.
    let mut records: Vec<ImportRow> = Vec::with_capacity(first_records.len() + more.len());
    records.extend(first_records.into_iter().map(|(_, r)| r));
    for (i, mut r) in more {
        r.place = Place::Line(count + i + 2);
        records.push(r);
    }
    let errors: Vec<String> = first_errors
        .into_iter()
        .map(|(i, e)| format!("dòng {}: {e}", i + 2))
        .chain(
            more_errors
                .into_iter()
                .map(|(i, e)| format!("dòng {}: {e}", count + i + 2)),
        )
        .collect();
    if errors.is_empty() {
        Ok(records)
    } else {
        Err(errors)
    }
}

/// Where to cut a large file in two: after a line end with an even number
/// of quotes before it (so not inside a quoted field).
fn split_point(bytes: &[u8]) -> Option<usize> {
    if bytes.len() < 1 << 20 {
        return None;
    }
    let mid = bytes.len() / 2;
    let mut quotes = bytes[..mid].iter().filter(|b| **b == b'"').count();
    for (i, b) in bytes[mid..].iter().enumerate() {
        match b {
            b'"' => quotes += 1,
            b'\n' if quotes % 2 == 0 => return Some(mid + i + 1),
            _ => {}
        }
    }
    None
}

/// The records of one part, its errors, each with its index in the part,
/// and the number of lines read. The first part has the header, and its
/// records their lines; the caller numbers the second's.
#[allow(clippy::type_complexity)]
fn read_part(
    text: &str,
    first: bool,
) -> Result<(Vec<(usize, ImportRow)>, Vec<(usize, String)>, usize), Vec<String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(first)
        .from_reader(text.as_bytes());
    if first {
        let header_ok = rdr
            .headers()
            .map(|h| {
                let cols: Vec<String> = h.iter().map(|c| c.trim().to_lowercase()).collect();
                cols.len() >= 4 && cols.iter().zip(HEADER).all(|(a, b)| a == b)
            })
            .unwrap_or(false);
        if !header_ok {
            return Err(vec![format!(
                "dòng 1: tiêu đề phải là \"{}\"",
                HEADER.join(",")
            )]);
        }
    }
    // About 30 bytes a line: room for all, not a copy at each doubling.
    let mut out = Vec::with_capacity(text.len() / 30);
    let mut errors = Vec::new();
    let mut rec = csv::StringRecord::new();
    let mut i = 0usize;
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                errors.push((i, e.to_string()));
                i += 1;
                continue;
            }
        }
        let get = |k: usize| antq_core::text::clean(rec.get(k).unwrap_or_default());
        if rec.iter().all(|c| c.trim().is_empty()) {
            i += 1;
            continue;
        }
        let comment = get(5);
        if let Some(enc) = crate::legacy_text::detect(&comment) {
            errors.push((
                i,
                format!("ghi chú \"{comment}\" dùng bảng mã cũ {enc}; hãy chuyển sang Unicode"),
            ));
        }
        // A cell of plain digits is a number already (most cells of a large
        // file); anything else is read the Vietnamese way when checked.
        let raw = rec.get(3).unwrap_or_default().trim();
        let value = if !raw.is_empty() && raw.len() <= 12 && raw.bytes().all(|b| b.is_ascii_digit())
        {
            RawValue::Number(raw.parse::<u64>().unwrap_or_default() as f64)
        } else {
            RawValue::Text(get(3))
        };
        out.push((
            i,
            ImportRow {
                place: Place::Line(if first { i + 2 } else { 0 }),
                form: None,
                unit: get(0),
                period: get(1),
                key: get(2),
                value,
                qualifier: get(4),
                comment,
            },
        ));
        i += 1;
    }
    Ok((out, errors, i))
}

/// Write records in long form (UTF-8 with a byte-order mark for Excel).
pub fn write(records: &[LongRecord]) -> Vec<u8> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let _ = w.write_record(HEADER);
        for r in records {
            let _ = w.write_record([
                &r.unit,
                &r.period,
                &r.indicator,
                &r.value,
                &r.qualifier,
                &r.comment,
            ]);
        }
        let _ = w.flush();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_errors_by_line() {
        let recs = vec![LongRecord {
            unit: "03325".into(),
            period: "2026".into(),
            indicator: "tt_buoi".into(),
            value: "4.378".into(),
            qualifier: "more_than".into(),
            comment: "Ghi chú, có dấu phẩy".into(),
        }];
        let bytes = write(&recs);
        let back = read(&bytes).unwrap();
        assert_eq!(back[0].value, RawValue::Text("4.378".into()));
        assert_eq!(back[0].comment, "Ghi chú, có dấu phẩy");
        assert_eq!(back[0].place, Place::Line(2));
        assert_eq!(back[0].key, "tt_buoi");
        assert!(read(b"a,b,c\n").unwrap_err()[0].contains("dòng 1"));
        let nfd =
            "unit,period,indicator,value,qualifier,comment\n03325,2026,tt_buoi,1,,Ba\u{309}n\n"
                .as_bytes()
                .to_vec();
        assert_eq!(read(&nfd).unwrap()[0].comment, "Bản");
        let legacy =
            "unit,period,indicator,value,qualifier,comment\n03325,2026,tt_buoi,1,,§iÖn Biªn\n";
        assert!(read(legacy.as_bytes()).unwrap_err()[0].contains("TCVN3"));
        assert!(read(&[0xff, 0xfe, 0x00]).is_err());
    }

    #[test]
    fn a_large_file_read_in_two_parts_keeps_its_lines() {
        // Over 1 MB, with a quoted comment spanning two lines near the middle
        // and a bad row in each half.
        let mut text = String::from("unit,period,indicator,value,qualifier,comment\n");
        let n = 40_000;
        for i in 0..n {
            match i {
                100 | 39_000 => text.push_str("03325,2026,tt_buoi,1,,\"§iÖn Biªn\"\n"),
                19_990..=20_010 => text.push_str("03325,2026,tt_buoi,1,,\"dòng một\ndòng hai\"\n"),
                _ => {
                    text.push_str("03325,2026,tt_buoi,12,exact,Ghi chú bình thường cho dòng này\n")
                }
            }
        }
        assert!(text.len() > 1 << 20);
        assert!(split_point(text.as_bytes()).is_some());
        let errors = read(text.as_bytes()).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].starts_with("dòng 102: "), "{}", errors[0]);
        assert!(errors[1].starts_with("dòng 39002: "), "{}", errors[1]);
        let clean = text.replace("§iÖn Biªn", "Điện Biên");
        let records = read(clean.as_bytes()).unwrap();
        assert_eq!(records.len(), n);
        for (i, r) in records.iter().enumerate() {
            assert_eq!(r.place, Place::Line(i + 2));
        }
        assert_eq!(records[20_000].comment, "dòng một dòng hai");
        assert_eq!(records[0].value, RawValue::Number(12.0));
    }
}
