//! Values in long form: `unit,period,indicator,value,qualifier,comment`,
//! one value per line (the indicator may name a breakdown: `kt_bang_khen.tap_the`).

/// One line, as read (checked later against the database).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LongRecord {
    /// "dòng 17", for error messages.
    pub place: String,
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
/// text in legacy encodings is refused.
pub fn read(bytes: &[u8]) -> Result<Vec<LongRecord>, Vec<String>> {
    let text = match std::str::from_utf8(bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes)) {
        Ok(t) => t,
        Err(_) => {
            return Err(vec![
                "tệp CSV không phải UTF-8; hãy lưu lại với mã hóa UTF-8 (Unicode)".into(),
            ])
        }
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
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
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let place = format!("dòng {}", i + 2);
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("{place}: {e}"));
                continue;
            }
        };
        let get = |k: usize| antq_core::text::clean(rec.get(k).unwrap_or_default());
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let comment = get(5);
        if let Some(enc) = crate::legacy_text::detect(&comment) {
            errors.push(format!(
                "{place}: ghi chú \"{comment}\" dùng bảng mã cũ {enc}; hãy chuyển sang Unicode"
            ));
        }
        out.push(LongRecord {
            place,
            unit: get(0),
            period: get(1),
            indicator: get(2),
            value: get(3),
            qualifier: get(4),
            comment,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
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
            place: String::new(),
            unit: "03325".into(),
            period: "2026".into(),
            indicator: "tt_buoi".into(),
            value: "4.378".into(),
            qualifier: "more_than".into(),
            comment: "Ghi chú, có dấu phẩy".into(),
        }];
        let bytes = write(&recs);
        let back = read(&bytes).unwrap();
        assert_eq!(back[0].value, "4.378");
        assert_eq!(back[0].comment, "Ghi chú, có dấu phẩy");
        assert_eq!(back[0].place, "dòng 2");
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
}
