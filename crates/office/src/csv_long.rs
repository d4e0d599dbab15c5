//! Values in long form: `unit,period,indicator,value,qualifier,comment`,
//! one value per line (the indicator may name a breakdown: `kt_bang_khen.tap_the`).
//!
//! A file for programs: the `value` column holds plain numbers, as pandas,
//! DuckDB or DHIS2 read them (`1328`, `2.5`: no grouping, a dot before
//! decimals). On the way in, Vietnamese figures are accepted where they
//! cannot mean anything else (`1.328,5`, `12,5`, `1.234.567`) and a figure
//! that reads two ways (`1.328`, `1,328`) is refused with its line; a file
//! whose fourth column is named `value_vi` says it writes every figure the
//! Vietnamese way (`4.378` is four thousand three hundred and seventy-eight).

use antq_core::imports::{
    ErrorList, ExportValue, ImportRows, NumberStyle, PlaceRef, RowRef, ValueRef,
};

use crate::limits::{n, ImportLimits};
use crate::table::{protect, unprotect};

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

impl LongRecord {
    /// A stored value as a line, its figure a plain number.
    pub fn from_export(v: &ExportValue) -> LongRecord {
        LongRecord {
            unit: v.unit.clone(),
            period: v.period.clone(),
            indicator: v.key.clone(),
            value: antq_core::indicators::plain_milli(v.milli),
            qualifier: v.qualifier.clone(),
            comment: v.comment.clone().unwrap_or_default(),
        }
    }
}

/// The fourth column's name in a file that writes its figures the
/// Vietnamese way (`4.378`, `64,5`).
pub const VALUE_VI: &str = "value_vi";

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
pub fn read(bytes: &[u8]) -> Result<ImportRows, Vec<String>> {
    read_with(bytes, &ImportLimits::default())
}

/// [`read`] within `limits`: a file of more lines than `max_rows` is refused
/// before any row is kept, at most `max_errors` errors are listed (the rest
/// counted), and once a file has an error its rows are no longer kept.
pub fn read_with(bytes: &[u8], limits: &ImportLimits) -> Result<ImportRows, Vec<String>> {
    let text = match std::str::from_utf8(bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes)) {
        Ok(t) => t,
        Err(_) => {
            return Err(vec![
                "Tệp CSV không phải UTF-8; hãy lưu lại với mã hóa UTF-8 (Unicode)".into(),
            ])
        }
    };
    // Lines are counted first (cheap); records only when the lines exceed the cap.
    let lines = text.bytes().filter(|b| *b == b'\n').count();
    if lines > limits.max_rows {
        let records = count_records(text);
        if records > limits.max_rows {
            return Err(vec![format!(
                "Tệp có {} dòng số liệu, vượt giới hạn {} dòng của một tệp; hãy chia thành nhiều tệp",
                n(records),
                n(limits.max_rows)
            )]);
        }
    }
    let (first, second) = match split_point(text.as_bytes()) {
        Some(at) => text.split_at(at),
        None => (text, ""),
    };
    let cap = limits.max_errors;
    // Room for every row, counted, not guessed (a part's text is at most its
    // bytes); the parts are joined without a copy.
    let second_lines = second.bytes().filter(|b| *b == b'\n').count();
    let (a, b) = std::thread::scope(|scope| {
        let b = scope.spawn(|| read_part(second, false, cap, (second_lines + 1, second.len())));
        let a = read_part(first, true, cap, (lines - second_lines + 1, first.len()));
        (a, b.join().expect("the CSV reader does not panic"))
    });
    let mut a = a?;
    let b = b?;
    a.rows.set_numbers(if a.vietnamese {
        NumberStyle::Vietnamese
    } else {
        NumberStyle::Machine
    });
    // The second part's rows are counted from its own start, which follows
    // the first part's last row (its lines less those inside its cells).
    let first_lines = lines - second_lines - a.rows_seen.folded();
    if !a.errors.is_empty() || !b.errors.is_empty() {
        let mut errors = ErrorList::with_cap(cap);
        for (line, e) in a.errors {
            errors.push_with(|| format!("dòng {line}: {e}"));
        }
        errors.add_unlisted(a.more_errors);
        for (line, e) in b.errors {
            errors.push_with(|| format!("dòng {}: {e}", first_lines + line));
        }
        errors.add_unlisted(b.more_errors);
        return Err(errors.into_vec());
    }
    a.rows.append(b.rows, first_lines);
    a.rows.shrink_to_fit();
    Ok(a.rows)
}

/// The records of a text (lines with something in them), without keeping any.
fn count_records(text: &str) -> usize {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let mut rec = csv::ByteRecord::new();
    let mut count = 0;
    while let Ok(true) = rdr.read_byte_record(&mut rec) {
        if !rec.iter().all(|c| c.trim_ascii().is_empty()) {
            count += 1;
        }
    }
    count
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

/// One part of a file as read.
struct Part {
    /// Its rows, each with the line it starts on, counted from the part's
    /// start (the caller shifts the second part's). Empty once an error is found.
    rows: ImportRows,
    /// The first errors (at most the cap), each with its line in the part.
    errors: Vec<(usize, String)>,
    /// Errors past the cap.
    more_errors: usize,
    /// How its lines are numbered: the line ends inside its cells, so far.
    rows_seen: Rows,
    /// The header names the value column `value_vi`: Vietnamese figures.
    vietnamese: bool,
}

/// The records of one part. The first part has the header.
/// `room` is what to reserve: rows and bytes of text.
fn read_part(
    text: &str,
    first: bool,
    cap: usize,
    room: (usize, usize),
) -> Result<Part, Vec<String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(first)
        .from_reader(text.as_bytes());
    let vietnamese = if first {
        header_style(&mut rdr)?
    } else {
        false
    };
    let mut part = Part {
        rows: if text.is_empty() {
            ImportRows::new()
        } else {
            ImportRows::with_capacity(room.0, room.1)
        },
        errors: Vec::new(),
        more_errors: 0,
        rows_seen: if first {
            Rows::after_header()
        } else {
            Rows::default()
        },
        vietnamese,
    };
    let error = |part: &mut Part, i: usize, e: &dyn Fn() -> String| {
        if part.errors.is_empty() {
            // The file is refused anyway: its rows are not needed any more.
            part.rows = ImportRows::new();
        }
        if part.errors.len() < cap {
            part.errors.push((i, e()));
        } else {
            part.more_errors += 1;
        }
    };
    let mut rec = csv::StringRecord::new();
    loop {
        let next_line = line_of(rdr.position());
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = part.rows_seen.of_error(&e, next_line);
                error(&mut part, line, &|| e.to_string());
                continue;
            }
        }
        let end = rdr.position();
        let ended = usize::try_from(end.byte())
            .ok()
            .and_then(|b| b.checked_sub(1))
            .and_then(|b| text.as_bytes().get(b))
            == Some(&b'\n');
        let line = part
            .rows_seen
            .of_record(end, ended, rec.as_slice().as_bytes());
        let keep = part.errors.is_empty();
        if let Err(e) = take_record(&rec, line, keep.then_some(&mut part.rows)) {
            error(&mut part, line, &|| e.clone());
        }
    }
    Ok(part)
}

/// A reader's position as a line number (from 1).
fn line_of(p: &csv::Position) -> usize {
    usize::try_from(p.line()).unwrap_or(usize::MAX)
}

/// Numbers records as the rows a spreadsheet shows for the file: the
/// header is row 1, a blank line is a row, and a cell over several lines
/// stays in its record's row. (A record's own position is where the reader
/// started looking, before the blank lines it skipped, so its first line is
/// counted back from where it ends: the line ends inside its quoted cells,
/// and its own if the reader has passed it — not at the end of a file
/// without a last line end, nor between the two bytes of a CR LF.) Rows
/// only go forward: a file whose lines end in a lone CR (old Macintosh),
/// which the parser does not count as lines, gets one row per record.
#[derive(Debug, Default)]
struct Rows {
    /// Line ends inside the cells of the records read so far.
    folded: usize,
    /// The last row given (1 after a header).
    last: usize,
}

impl Rows {
    /// The row of a record just read.
    /// `end`: the reader's position after it; `ended`: whether the byte
    /// before that position is a line end.
    /// `cells`: its cells' bytes, one after the other.
    fn of_record(&mut self, end: &csv::Position, ended: bool, cells: &[u8]) -> usize {
        let inside = if cells.contains(&b'\n') {
            cells.iter().filter(|b| **b == b'\n').count()
        } else {
            0
        };
        let own_end = usize::from(ended);
        let first_line = line_of(end).saturating_sub(inside + own_end).max(1);
        let row = first_line.saturating_sub(self.folded).max(self.last + 1);
        self.folded += inside;
        self.last = row;
        row
    }

    /// Rows of a reader that has read the header (row 1).
    fn after_header() -> Rows {
        Rows { folded: 0, last: 1 }
    }

    /// The row of a record that could not be read (`next_line`: where the
    /// reader stood before it).
    fn of_error(&self, e: &csv::Error, next_line: usize) -> usize {
        e.position()
            .map_or(next_line, line_of)
            .saturating_sub(self.folded)
            .max(1)
    }

    /// Line ends inside cells so far.
    fn folded(&self) -> usize {
        self.folded
    }
}

/// Whether the header is right, and whether it names the value column
/// `value_vi` (the file writes Vietnamese figures).
fn header_style<R: std::io::Read>(rdr: &mut csv::Reader<R>) -> Result<bool, Vec<String>> {
    let cols: Vec<String> = rdr
        .headers()
        .map(|h| h.iter().map(|c| c.trim().to_lowercase()).collect())
        .unwrap_or_default();
    let vietnamese = cols.get(3).is_some_and(|c| c == VALUE_VI);
    let header_ok = cols.len() >= 4
        && cols
            .iter()
            .zip(HEADER)
            .enumerate()
            .all(|(i, (a, b))| a == b || (i == 3 && vietnamese));
    if !header_ok {
        return Err(vec![format!(
            "dòng 1: tiêu đề phải là \"{}\" (cột value ghi số dạng thuần như 1328 hoặc 2.5; đặt tên {VALUE_VI} nếu tệp ghi số kiểu Việt Nam như 4.378 hoặc 64,5)",
            HEADER.join(",")
        )]);
    }
    Ok(vietnamese)
}

/// One record as a row of `rows` (when given; a file already refused keeps
/// none) at line `line`: `Ok(false)` for a blank line, `Err` with why the
/// record is refused.
fn take_record(
    rec: &csv::StringRecord,
    line: usize,
    rows: Option<&mut ImportRows>,
) -> Result<bool, String> {
    if rec.iter().all(|c| c.trim().is_empty()) {
        return Ok(false);
    }
    // Text cells may carry the quote that protects them from spreadsheets;
    // a cell already clean (nearly all) is not copied on its way in.
    let get = |k: usize| clean(unprotect(rec.get(k).unwrap_or_default()));
    let comment = get(5);
    if let Some(enc) = crate::legacy_text::detect(&comment) {
        return Err(format!(
            "ghi chú \"{comment}\" dùng bảng mã cũ {enc}; hãy chuyển sang Unicode"
        ));
    }
    let Some(rows) = rows else {
        return Ok(true);
    };
    // A cell of plain digits is a number already (most cells of a large
    // file); anything else is read in the file's number style when checked.
    let raw = rec.get(3).unwrap_or_default().trim();
    let text_value;
    let value = if !raw.is_empty() && raw.len() <= 12 && raw.bytes().all(|b| b.is_ascii_digit()) {
        ValueRef::Number(raw.parse::<u64>().unwrap_or_default() as f64)
    } else {
        text_value = clean(raw);
        ValueRef::Text(&text_value)
    };
    rows.push(RowRef {
        place: PlaceRef::Line(line),
        form: None,
        unit: &get(0),
        period: &get(1),
        key: &get(2),
        value,
        qualifier: &get(4),
        comment: &comment,
    });
    Ok(true)
}

/// A long CSV file read as a stream, `chunk_rows` records at a time, for
/// `antq import` of files of any size: memory follows the chunk. Errors are
/// those of [`read`], with the same lines; a record in a legacy encoding
/// or not in UTF-8 is refused with its line.
pub struct LongStream<R: std::io::Read> {
    rdr: csv::Reader<Capped<R>>,
    /// Where the record being read starts, for [`Capped`].
    record_start: std::sync::Arc<std::sync::atomic::AtomicU64>,
    numbers: NumberStyle,
    chunk_rows: usize,
    rows_seen: Rows,
    done: bool,
}

/// Start reading a long CSV from `input` (a UTF-8 byte-order mark is
/// skipped): `Err` when its header is wrong.
pub fn stream<R: std::io::BufRead>(
    mut input: R,
    chunk_rows: usize,
) -> Result<LongStream<R>, Vec<String>> {
    let bom = input
        .fill_buf()
        .map(|b| b.starts_with(&[0xEF, 0xBB, 0xBF]))
        .unwrap_or(false);
    if bom {
        input.consume(3);
    }
    let record_start = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let capped = Capped::new(input, record_start.clone());
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(capped);
    let vietnamese = header_style(&mut rdr)?;
    Ok(LongStream {
        rdr,
        record_start,
        numbers: if vietnamese {
            NumberStyle::Vietnamese
        } else {
            NumberStyle::Machine
        },
        chunk_rows: chunk_rows.max(1),
        rows_seen: Rows::after_header(),
        done: false,
    })
}

impl<R: std::io::Read> Iterator for LongStream<R> {
    type Item = antq_core::imports::Chunk;

    /// The next `chunk_rows` records (blank lines are not counted), or
    /// `None` at the end of the file. The chunk that reaches the end says
    /// so (`last`); when the file ends just after a full chunk, the next
    /// call gives `None` and the caller says it.
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut chunk = antq_core::imports::Chunk {
            rows: ImportRows::with_capacity(self.chunk_rows, self.chunk_rows * 32),
            errors: ErrorList::new(),
            last: false,
        };
        chunk.rows.set_numbers(self.numbers);
        let mut bytes = csv::ByteRecord::new();
        let mut taken = 0;
        while taken < self.chunk_rows {
            let before = self.rdr.position().byte();
            // Between the CR and the LF of a line end, the line is not counted yet.
            let cr = self.rdr.get_ref().byte_before(before) == Some(b'\r');
            let next_line = line_of(self.rdr.position()) + usize::from(cr);
            self.record_start
                .store(before, std::sync::atomic::Ordering::Relaxed);
            let read = self.rdr.read_byte_record(&mut bytes);
            match read {
                Ok(false) => {
                    self.done = true;
                    break;
                }
                Ok(true) => {
                    // The record's row, as a spreadsheet shows the file (as
                    // the whole-file reader numbers it), then its text.
                    let end = self.rdr.position();
                    let ended = self.rdr.get_ref().byte_before(end.byte()) == Some(b'\n');
                    let line = self.rows_seen.of_record(end, ended, bytes.as_slice());
                    match csv::StringRecord::from_byte_record(std::mem::take(&mut bytes)) {
                        Ok(rec) => {
                            match take_record(&rec, line, Some(&mut chunk.rows)) {
                                Ok(true) => taken += 1,
                                Ok(false) => {}
                                Err(e) => {
                                    chunk.errors.push_with(|| format!("dòng {line}: {e}"));
                                    taken += 1;
                                }
                            }
                            bytes = rec.into_byte_record();
                        }
                        Err(e) => {
                            chunk.errors.push_with(|| format!(
                                "dòng {line}: không phải UTF-8; hãy lưu lại tệp với mã hóa UTF-8 (Unicode)"
                            ));
                            bytes = e.into_byte_record();
                            taken += 1;
                        }
                    }
                }
                Err(e) => {
                    let line = next_line.saturating_sub(self.rows_seen.folded()).max(1);
                    chunk.errors.push_with(|| match e.kind() {
                        csv::ErrorKind::Io(io) => {
                            format!("dòng {line}: không đọc được tiếp tệp: {io}")
                        }
                        _ => format!("dòng {line}: {e}"),
                    });
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        self.done = true;
                        break;
                    }
                    taken += 1;
                }
            }
        }
        if self.done && chunk.rows.is_empty() && chunk.errors.is_empty() {
            return None;
        }
        chunk.last = self.done;
        Some(chunk)
    }
}

/// The longest record a streamed file may have. A quote left open would
/// otherwise make the rest of the file one record, held in memory.
pub const MAX_RECORD_BYTES: u64 = 1 << 20;

/// The input of a [`LongStream`], refusing to read on once the record being
/// read passes [`MAX_RECORD_BYTES`] (its start is set before each record).
struct Capped<R> {
    inner: R,
    read: u64,
    record_start: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// The last two reads (where each starts, its bytes): the byte before
    /// the CSV reader's position is in one of them (its buffer holds at
    /// most one read), for [`Rows`].
    recent: [(u64, Vec<u8>); 2],
}

impl<R> Capped<R> {
    fn new(inner: R, record_start: std::sync::Arc<std::sync::atomic::AtomicU64>) -> Capped<R> {
        Capped {
            inner,
            read: 0,
            record_start,
            recent: Default::default(),
        }
    }

    /// The byte just before offset `at`, if it was read lately.
    fn byte_before(&self, at: u64) -> Option<u8> {
        let at = at.checked_sub(1)?;
        self.recent.iter().find_map(|(start, bytes)| {
            let i = usize::try_from(at.checked_sub(*start)?).ok()?;
            bytes.get(i).copied()
        })
    }
}

impl<R: std::io::Read> std::io::Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let start = self.record_start.load(std::sync::atomic::Ordering::Relaxed);
        if self.read.saturating_sub(start) > MAX_RECORD_BYTES {
            return Err(std::io::Error::other(format!(
                "một dòng dài quá {} (có thể thiếu dấu ngoặc kép đóng)",
                crate::limits::megabytes(MAX_RECORD_BYTES)
            )));
        }
        let n = self.inner.read(buf)?;
        if n > 0 {
            self.recent.swap(0, 1);
            let (start, bytes) = &mut self.recent[1];
            *start = self.read;
            bytes.clear();
            bytes.extend_from_slice(&buf[..n]);
        }
        self.read += n as u64;
        Ok(n)
    }
}

/// [`antq_core::text::clean`] without a copy when the text is clean already.
fn clean(s: &str) -> std::borrow::Cow<'_, str> {
    let t = s.trim();
    let plain = t.is_ascii()
        && !t.contains("  ")
        && !t
            .bytes()
            .any(|b| b != b' ' && char::from(b).is_whitespace());
    if plain {
        std::borrow::Cow::Borrowed(t)
    } else {
        std::borrow::Cow::Owned(antq_core::text::clean(s))
    }
}

/// Write records in long form (UTF-8 with a byte-order mark for Excel);
/// values are written as given (plain numbers: [`LongRecord::from_export`]).
pub fn write(records: &[LongRecord]) -> Vec<u8> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let _ = w.write_record(HEADER);
        for r in records {
            // Text columns are protected from spreadsheets; the value is a number.
            let _ = w.write_record([
                protect(&r.unit).as_bytes(),
                protect(&r.period).as_bytes(),
                protect(&r.indicator).as_bytes(),
                r.value.as_bytes(),
                protect(&r.qualifier).as_bytes(),
                protect(&r.comment).as_bytes(),
            ]);
        }
        let _ = w.flush();
    }
    out
}

#[cfg(test)]
#[path = "csv_long_tests.rs"]
mod tests;
