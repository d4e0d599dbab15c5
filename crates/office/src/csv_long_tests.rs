//! Tests of `csv_long`: both readers, their rows and errors.

use super::*;

#[test]
fn round_trip_and_errors_by_line() {
    let recs = vec![LongRecord {
        unit: "03325".into(),
        period: "2026".into(),
        indicator: "tt_buoi".into(),
        value: "4378.5".into(),
        qualifier: "more_than".into(),
        comment: "Ghi chú, có dấu phẩy".into(),
    }];
    let bytes = write(&recs);
    let back = read(&bytes).unwrap();
    assert_eq!(back.numbers(), NumberStyle::Machine);
    assert_eq!(back.get(0).value, ValueRef::Text("4378.5"));
    assert_eq!(back.get(0).comment, "Ghi chú, có dấu phẩy");
    assert_eq!(back.get(0).place, PlaceRef::Line(2));
    assert_eq!(back.get(0).key, "tt_buoi");
    assert!(read(b"a,b,c\n").unwrap_err()[0].contains("dòng 1"));
    let nfd = "unit,period,indicator,value,qualifier,comment\n03325,2026,tt_buoi,1,,Ba\u{309}n\n"
        .as_bytes()
        .to_vec();
    assert_eq!(read(&nfd).unwrap().get(0).comment, "Bản");
    let legacy = "unit,period,indicator,value,qualifier,comment\n03325,2026,tt_buoi,1,,§iÖn Biªn\n";
    assert!(read(legacy.as_bytes()).unwrap_err()[0].contains("TCVN3"));
    assert!(read(&[0xff, 0xfe, 0x00]).is_err());
}

#[test]
fn exports_write_plain_numbers_and_a_header_may_declare_vietnamese_ones() {
    let v = ExportValue {
        form: "antq-nam".into(),
        unit: "03325".into(),
        period: "2026".into(),
        key: "tt_buoi".into(),
        milli: 1_328_000,
        qualifier: "exact".into(),
        comment: None,
    };
    let text = String::from_utf8(write(&[
        LongRecord::from_export(&v),
        LongRecord::from_export(&ExportValue {
            milli: 2_500,
            ..v.clone()
        }),
    ]))
    .unwrap();
    assert!(text.contains("03325,2026,tt_buoi,1328,exact,"), "{text}");
    assert!(text.contains(",2.5,"), "{text}");
    let vi = read(
        "unit,period,indicator,value_vi,qualifier,comment\n03325,2026,tt_buoi,1.328,,\n".as_bytes(),
    )
    .unwrap();
    assert_eq!(vi.numbers(), NumberStyle::Vietnamese);
    assert!(read(b"unit,period,indicator,gia_tri\n").unwrap_err()[0].contains("value_vi"));
}

/// Every row of the chunks of a stream, as owned rows, and the errors.
fn streamed(bytes: &[u8], size: usize) -> (Vec<antq_core::imports::ImportRow>, Vec<String>) {
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    let chunks: Vec<_> = stream(bytes, size).unwrap().collect();
    // Only the chunk that reaches the end says so (none may, when the
    // file ends just after a full chunk).
    let marked = chunks.iter().filter(|c| c.last).count();
    assert!(marked <= 1 && chunks[..chunks.len() - 1].iter().all(|c| !c.last));
    for c in &chunks {
        assert!(c.rows.len() <= size);
        assert_eq!(c.rows.numbers(), chunks[0].rows.numbers());
        rows.extend(c.rows.iter().map(|r| r.to_owned()));
        errors.extend(c.errors.clone().into_vec());
    }
    (rows, errors)
}

#[test]
fn a_stream_reads_the_rows_read_whole_chunk_by_chunk() {
    // A byte-order mark, a blank line, a comment over two lines, a
    // quoted value, Vietnamese figures.
    let text = "\u{feff}unit,period,indicator,value_vi,qualifier,comment\n\
                03325,2026,tt_buoi,4.378,,\n\
                \n\
                03325,2026,tt_luot,\"1.328,5\",more_than,\"dòng một\ndòng hai\"\n\
                03127,2019,tt_buoi,12,exact,Ghi chú\n\
                03127,2019,tt_luot,7,,\n";
    let whole = read(text.as_bytes()).unwrap();
    let whole: Vec<_> = whole.iter().map(|r| r.to_owned()).collect();
    assert_eq!(whole.len(), 4);
    for size in [1, 2, 3, 100] {
        let (rows, errors) = streamed(text.as_bytes(), size);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(rows, whole, "chunks of {size}");
    }
    let first = stream(text.as_bytes(), 2).unwrap().next().unwrap();
    assert_eq!(first.rows.numbers(), NumberStyle::Vietnamese);

    // Errors carry the lines `read` gives them; a line not in UTF-8 is
    // named, and the lines after it still read.
    let mut bad = b"unit,period,indicator,value,qualifier,comment\n03325,2026,tt_buoi,1,,\n03325,2026,tt_luot,1,,\xff\xfe\n03325,2026,dd_so,2,,\xa7i\xd6n Bi\xaan\n".to_vec();
    bad.extend_from_slice("03325,2026,tt_buoi,1,,§iÖn Biªn\n03325,2026,kt,3,,\n".as_bytes());
    let (rows, errors) = streamed(&bad, 2);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors[0].starts_with("dòng 3: không phải UTF-8"),
        "{errors:?}"
    );
    assert!(
        errors[1].starts_with("dòng 4: không phải UTF-8"),
        "{errors:?}"
    );
    assert!(
        errors[2].starts_with("dòng 5: ") && errors[2].contains("TCVN3"),
        "{errors:?}"
    );
    assert_eq!(rows[1].place, antq_core::imports::Place::Line(6));

    // A quote left open: the record stops at its limit, said by its line.
    let mut open =
        String::from("unit,period,indicator,value,qualifier,comment\n03325,2026,tt_buoi,1,,\"mở\n");
    while open.len() < 3 << 20 {
        open.push_str("03325,2026,tt_buoi,1,,\n");
    }
    let (rows, errors) = streamed(open.as_bytes(), 1000);
    assert!(rows.is_empty(), "{}", rows.len());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("dòng 2: không đọc được tiếp tệp: một dòng dài quá 1 MB"),
        "{errors:?}"
    );

    // A wrong header is refused before any chunk.
    assert!(stream(&b"a,b,c\n1,2,3\n"[..], 10).err().unwrap()[0].contains("dòng 1"));
    assert!(stream(&b""[..], 10).is_err());
}

#[test]
fn errors_name_the_row_a_spreadsheet_shows_after_blank_lines_and_cells_over_two_lines() {
    let text = "unit,period,indicator,value,qualifier,comment\n\
                03325,2026,tt_buoi,1,,\n\
                \n\
                \n\
                03325,2026,tt_luot,2,,\"dòng một\ndòng hai\"\n\
                03325,2026,dd_so,3,,\"§iÖn Biªn\"\n";
    // Rows 3 and 4 are blank; the comment over two lines is in row 5.
    let errors = read(text.as_bytes()).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("dòng 6: "), "{}", errors[0]);
    for size in [1, 2, 100] {
        assert_eq!(
            streamed(text.as_bytes(), size).1,
            errors,
            "chunks of {size}"
        );
    }
    let good = text.replace("§iÖn Biªn", "Điện Biên");
    let rows = read(good.as_bytes()).unwrap();
    let lines: Vec<_> = rows.iter().map(|r| r.place).collect();
    assert_eq!(
        lines,
        [PlaceRef::Line(2), PlaceRef::Line(5), PlaceRef::Line(6)]
    );
    // The same when the last line has no line end, and with CR LF line
    // ends (both readers, in chunks of every size).
    let unended = text.trim_end().to_string();
    let crlf = text.replace('\n', "\r\n");
    for t in [&unended, &crlf] {
        assert!(read(t.as_bytes()).unwrap_err()[0].starts_with("dòng 6: "));
        for size in [1, 2, 100] {
            assert!(streamed(t.as_bytes(), size).1[0].starts_with("dòng 6: "));
        }
    }
    let rows = read(good.replace('\n', "\r\n").as_bytes()).unwrap();
    let lines: Vec<_> = rows.iter().map(|r| r.place).collect();
    assert_eq!(
        lines,
        [PlaceRef::Line(2), PlaceRef::Line(5), PlaceRef::Line(6)]
    );
    // The streamed reader, its input given one byte at a time (every
    // record crosses reads), numbers the rows as the whole-file one.
    for t in [good.clone(), good.replace('\n', "\r\n")] {
        let one_by_one = std::io::BufReader::with_capacity(1, t.as_bytes());
        let chunk = stream(one_by_one, 100).unwrap().next().unwrap();
        let lines: Vec<_> = chunk.rows.iter().map(|r| r.place).collect();
        assert_eq!(
            lines,
            [PlaceRef::Line(2), PlaceRef::Line(5), PlaceRef::Line(6)]
        );
    }
    // A record not in UTF-8, after blank lines, with CR LF: its row.
    let mut bad = crlf.replace("\"§iÖn Biªn\"", "x").into_bytes();
    let at = bad.len() - 3;
    bad.insert(at, 0xff);
    let (_, errors) = streamed(&bad, 2);
    assert!(
        errors[0].starts_with("dòng 6: không phải UTF-8"),
        "{errors:?}"
    );
    // Lines ending in a lone CR (old Macintosh files): a row a record.
    let mac = good
        .replace('\n', "\r")
        .replace("dòng một\rdòng hai", "một dòng");
    let rows = read(mac.as_bytes()).unwrap();
    let lines: Vec<_> = rows.iter().map(|r| r.place).collect();
    assert_eq!(
        lines,
        [PlaceRef::Line(2), PlaceRef::Line(3), PlaceRef::Line(4)]
    );
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
            _ => text.push_str("03325,2026,tt_buoi,12,exact,Ghi chú bình thường cho dòng này\n"),
        }
    }
    assert!(text.len() > 1 << 20);
    assert!(split_point(text.as_bytes()).is_some());
    let errors = read(text.as_bytes()).unwrap_err();
    assert_eq!(errors.len(), 2, "{errors:?}");
    // Rows as a spreadsheet shows them: the 21 comments over two lines
    // before record 39.000 stay in their rows.
    assert!(errors[0].starts_with("dòng 102: "), "{}", errors[0]);
    assert!(errors[1].starts_with("dòng 39002: "), "{}", errors[1]);
    let clean = text.replace("§iÖn Biªn", "Điện Biên");
    let records = read(clean.as_bytes()).unwrap();
    assert_eq!(records.len(), n);
    for (i, r) in records.iter().enumerate() {
        assert_eq!(r.place, PlaceRef::Line(i + 2));
    }
    // The streamed reader names the same lines.
    let (_, streamed_errors) = streamed(text.as_bytes(), 7_000);
    assert_eq!(streamed_errors, errors);
    assert_eq!(records.get(20_000).comment, "dòng một dòng hai");
    assert_eq!(records.get(0).value, ValueRef::Number(12.0));
}
