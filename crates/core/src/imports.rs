//! A value read from a file, before it is checked against the database:
//! the common shape of long CSV rows, Excel template cells and DHIS2
//! dataValues.

/// A value as found in a file.
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    Number(f64),
    /// Typed the Vietnamese way ("4.378", "hơn 32.000"); empty clears.
    Text(String),
}

/// Where a value is in its file, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A line of a CSV file: "dòng 17" (written only when an error needs it).
    Line(usize),
    /// "Biểu 01, ô D17", "dataValues[3]".
    Named(String),
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Line(n) => write!(f, "dòng {n}"),
            Place::Named(s) => f.write_str(s),
        }
    }
}

/// One value to import, with its place for error messages.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    pub place: Place,
    /// The form; when absent, the form whose period type fits the period.
    pub form: Option<String>,
    pub unit: String,
    pub period: String,
    /// An indicator code, or `code.option` for a breakdown.
    pub key: String,
    pub value: RawValue,
    pub qualifier: String,
    pub comment: String,
}

impl ImportRow {
    /// The row as borrowed text, as [`ImportRows`] hands it out.
    pub fn as_ref(&self) -> RowRef<'_> {
        RowRef {
            place: match &self.place {
                Place::Line(n) => PlaceRef::Line(*n),
                Place::Named(s) => PlaceRef::Named(s),
            },
            form: self.form.as_deref(),
            unit: &self.unit,
            period: &self.period,
            key: &self.key,
            value: match &self.value {
                RawValue::Number(x) => ValueRef::Number(*x),
                RawValue::Text(t) => ValueRef::Text(t),
            },
            qualifier: &self.qualifier,
            comment: &self.comment,
        }
    }
}

/// A value as found in a file, borrowed from [`ImportRows`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'a> {
    Number(f64),
    Text(&'a str),
}

/// Where a value is in its file, borrowed from [`ImportRows`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceRef<'a> {
    /// "dòng 17".
    Line(usize),
    /// "dataValues[3]".
    Value(usize),
    /// "Biểu 01, ô D17".
    Named(&'a str),
}

impl std::fmt::Display for PlaceRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlaceRef::Line(n) => write!(f, "dòng {n}"),
            PlaceRef::Value(n) => write!(f, "dataValues[{n}]"),
            PlaceRef::Named(s) => f.write_str(s),
        }
    }
}

/// One row of [`ImportRows`], borrowed: what a reader pushes and what the
/// import reads back.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowRef<'a> {
    pub place: PlaceRef<'a>,
    pub form: Option<&'a str>,
    pub unit: &'a str,
    pub period: &'a str,
    pub key: &'a str,
    pub value: ValueRef<'a>,
    pub qualifier: &'a str,
    pub comment: &'a str,
}

impl RowRef<'_> {
    /// The row with its own strings.
    pub fn to_owned(&self) -> ImportRow {
        ImportRow {
            place: match self.place {
                PlaceRef::Line(n) => Place::Line(n),
                p => Place::Named(p.to_string()),
            },
            form: self.form.map(str::to_string),
            unit: self.unit.to_string(),
            period: self.period.to_string(),
            key: self.key.to_string(),
            value: match self.value {
                ValueRef::Number(x) => RawValue::Number(x),
                ValueRef::Text(t) => RawValue::Text(t.to_string()),
            },
            qualifier: self.qualifier.to_string(),
            comment: self.comment.to_string(),
        }
    }
}

/// The rows of one file, compact: the text of every row in one buffer and
/// 48 bytes of offsets a row, with no allocation per row or per string. A
/// file of short lines then costs a few times its size, not 25 times (an
/// [`ImportRow`] alone is 192 bytes, and each of its strings an allocation).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportRows {
    text: String,
    rows: Vec<Packed>,
    /// The distinct forms named (a file names one or a few).
    forms: Vec<String>,
    /// Added to the lines of these rows (`PlaceRef::Line`).
    line_shift: usize,
    /// How the file writes its numbers (for values read as text).
    numbers: NumberStyle,
    /// Rows appended whole (a file read in two parts): kept as they were
    /// read, so joining the parts copies nothing.
    next: Option<Box<ImportRows>>,
}

/// How a file writes its numbers, for the values read as text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum NumberStyle {
    /// The way people type them: "4.378", "64,5", "hơn 32.000" (Excel
    /// templates, long CSV files whose value column is `value_vi`).
    #[default]
    Vietnamese,
    /// Files for programs (long CSV): plain numbers ("1328", "2.5"), and
    /// Vietnamese ones only where they cannot mean anything else; "1.328"
    /// is refused ([`crate::indicators::parse_machine_number`]).
    Machine,
    /// DHIS2: plain numbers only, a dot before decimals ("1.250" is 1,25).
    Plain,
}

impl NumberStyle {
    /// A value's figure and qualifier, read this way.
    pub fn parse(
        self,
        text: &str,
    ) -> Result<crate::indicators::TypedNumber, crate::error::DomainError> {
        use crate::indicators::{parse_machine_number, parse_number, parse_plain_number};
        match self {
            NumberStyle::Vietnamese => parse_number(text),
            NumberStyle::Machine => parse_machine_number(text),
            NumberStyle::Plain => parse_plain_number(text),
        }
    }
}

/// One row: its text is `text[at..ends[6]]`, field `k` is
/// `text[ends[k-1]..ends[k]]` (field 0 starts at `at`).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Packed {
    number: f64,
    at: u32,
    /// Ends of unit, period, key, qualifier, comment, value text, place text.
    ends: [u32; 7],
    /// The line or value index (`PlaceRef::Line`, `PlaceRef::Value`).
    place: u32,
    /// 0 for none, else the index in `forms` plus one.
    form: u16,
    flags: u8,
}

const TEXT_VALUE: u8 = 1;
const PLACE_VALUE: u8 = 2;
const PLACE_NAMED: u8 = 4;

fn offset(n: usize) -> u32 {
    u32::try_from(n).expect("the rows of one import hold less than 4 GB of text")
}

impl ImportRows {
    pub fn new() -> Self {
        ImportRows::default()
    }

    /// Room for `rows` rows and `text` bytes of their text.
    pub fn with_capacity(rows: usize, text: usize) -> Self {
        ImportRows {
            text: String::with_capacity(text),
            rows: Vec::with_capacity(rows),
            ..ImportRows::default()
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len() + self.next.as_ref().map_or(0, |n| n.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Add a row (its text is copied into the shared buffer).
    pub fn push(&mut self, row: RowRef<'_>) {
        if let Some(next) = &mut self.next {
            return next.push(row);
        }
        let at = offset(self.text.len());
        let mut ends = [0u32; 7];
        let value_text = match row.value {
            ValueRef::Number(_) => "",
            ValueRef::Text(t) => t,
        };
        let place_text = match row.place {
            PlaceRef::Named(s) => s,
            _ => "",
        };
        let fields = [
            row.unit,
            row.period,
            row.key,
            row.qualifier,
            row.comment,
            value_text,
            place_text,
        ];
        for (end, field) in ends.iter_mut().zip(fields) {
            self.text.push_str(field);
            *end = offset(self.text.len());
        }
        let (place, place_flag) = match row.place {
            PlaceRef::Line(n) => (offset(n), 0),
            PlaceRef::Value(n) => (offset(n), PLACE_VALUE),
            PlaceRef::Named(_) => (0, PLACE_NAMED),
        };
        let form = match row.form {
            None => 0,
            Some(f) => match self.forms.iter().position(|g| g == f) {
                Some(i) => i + 1,
                None => {
                    self.forms.push(f.to_string());
                    self.forms.len()
                }
            },
        };
        self.rows.push(Packed {
            number: match row.value {
                ValueRef::Number(x) => x,
                ValueRef::Text(_) => 0.0,
            },
            at,
            ends,
            place,
            form: u16::try_from(form).expect("a file names fewer than 65.535 forms"),
            flags: place_flag
                | match row.value {
                    ValueRef::Number(_) => 0,
                    ValueRef::Text(_) => TEXT_VALUE,
                },
        });
    }

    /// Row `i` (panics past the end, like indexing).
    /// How the file writes its numbers.
    pub fn numbers(&self) -> NumberStyle {
        self.numbers
    }

    /// Say how the file writes its numbers (its readers do).
    pub fn set_numbers(&mut self, style: NumberStyle) {
        self.numbers = style;
    }

    pub fn get(&self, i: usize) -> RowRef<'_> {
        match (self.rows.get(i), &self.next) {
            (Some(p), _) => self.unpack(p),
            (None, Some(next)) => next.get(i - self.rows.len()),
            (None, None) => panic!("row {i} of {}", self.len()),
        }
    }

    pub fn iter(&self) -> Iter<'_> {
        Iter {
            part: Some(self),
            i: 0,
        }
    }

    fn unpack<'a>(&'a self, p: &Packed) -> RowRef<'a> {
        let field = |k: usize| {
            let start = if k == 0 { p.at } else { p.ends[k - 1] };
            &self.text[start as usize..p.ends[k] as usize]
        };
        RowRef {
            place: if p.flags & PLACE_NAMED != 0 {
                PlaceRef::Named(field(6))
            } else if p.flags & PLACE_VALUE != 0 {
                PlaceRef::Value(p.place as usize)
            } else {
                PlaceRef::Line(p.place as usize + self.line_shift)
            },
            form: (p.form > 0).then(|| self.forms[p.form as usize - 1].as_str()),
            unit: field(0),
            period: field(1),
            key: field(2),
            value: if p.flags & TEXT_VALUE != 0 {
                ValueRef::Text(field(5))
            } else {
                ValueRef::Number(p.number)
            },
            qualifier: field(3),
            comment: field(4),
        }
    }

    /// Put `other`'s rows after these, adding `line_shift` to their lines
    /// (rows read from the second part of a file). Nothing is copied.
    pub fn append(&mut self, mut other: ImportRows, line_shift: usize) {
        match &mut self.next {
            Some(next) => next.append(other, line_shift),
            None => {
                other.shift_lines(line_shift);
                self.next = Some(Box::new(other));
            }
        }
    }

    fn shift_lines(&mut self, by: usize) {
        self.line_shift += by;
        if let Some(next) = &mut self.next {
            next.shift_lines(by);
        }
    }

    /// Give back memory reserved but not used.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.rows.shrink_to_fit();
        if let Some(next) = &mut self.next {
            next.shrink_to_fit();
        }
    }
}

/// The rows of [`ImportRows`] in order.
pub struct Iter<'a> {
    part: Option<&'a ImportRows>,
    i: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = RowRef<'a>;

    fn next(&mut self) -> Option<RowRef<'a>> {
        loop {
            let part = self.part?;
            if let Some(p) = part.rows.get(self.i) {
                self.i += 1;
                return Some(part.unpack(p));
            }
            self.part = part.next.as_deref();
            self.i = 0;
        }
    }
}

impl From<Vec<ImportRow>> for ImportRows {
    fn from(rows: Vec<ImportRow>) -> Self {
        let mut out = ImportRows::with_capacity(rows.len(), 0);
        for r in &rows {
            out.push(r.as_ref());
        }
        out
    }
}

impl<'a> FromIterator<RowRef<'a>> for ImportRows {
    fn from_iter<I: IntoIterator<Item = RowRef<'a>>>(iter: I) -> Self {
        let mut out = ImportRows::new();
        for r in iter {
            out.push(r);
        }
        out
    }
}

/// A stored value as exported.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportValue {
    pub form: String,
    pub unit: String,
    pub period: String,
    pub key: String,
    pub milli: i64,
    pub qualifier: String,
    pub comment: Option<String>,
}

/// A part of a file read as a stream (`antq import` of a large CSV file):
/// its rows, and what was wrong in reading them, each error with its place.
/// The import checks and writes one chunk after another in one transaction,
/// so memory follows the chunk, not the file.
#[derive(Debug, Default)]
pub struct Chunk {
    pub rows: ImportRows,
    pub errors: ErrorList,
    /// The file ends with this chunk. A reader that stops without sending
    /// it (it failed) makes the import refuse the file, never write part.
    pub last: bool,
}

/// At most this many errors of one file are listed; the rest are counted.
pub const MAX_LISTED_ERRORS: usize = 1_000;

/// The errors of one file: the first ones listed (at most `cap`), the rest
/// only counted, so a file of garbage costs a bounded error list and its
/// messages are not even formatted past the cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorList {
    listed: Vec<String>,
    more: usize,
    cap: usize,
}

impl Default for ErrorList {
    fn default() -> Self {
        ErrorList::with_cap(MAX_LISTED_ERRORS)
    }
}

impl ErrorList {
    pub fn new() -> Self {
        ErrorList::default()
    }

    /// A list that keeps at most `cap` messages (at least one).
    pub fn with_cap(cap: usize) -> Self {
        ErrorList {
            listed: Vec::new(),
            more: 0,
            cap: cap.max(1),
        }
    }

    /// Add an error; its message is built only if it will be listed.
    pub fn push_with(&mut self, message: impl FnOnce() -> String) {
        if self.listed.len() < self.cap {
            self.listed.push(message());
        } else {
            self.more += 1;
        }
    }

    pub fn push(&mut self, message: impl Into<String>) {
        self.push_with(|| message.into());
    }

    /// Count `n` errors beyond those listed.
    pub fn add_unlisted(&mut self, n: usize) {
        self.more += n;
    }

    /// Every error, listed or not.
    pub fn len(&self) -> usize {
        self.listed.len() + self.more
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the next error will only be counted.
    pub fn is_full(&self) -> bool {
        self.listed.len() >= self.cap
    }

    pub fn listed(&self) -> &[String] {
        &self.listed
    }

    /// Add another list's errors after these (the cap is this list's).
    pub fn extend(&mut self, other: ErrorList) {
        for message in other.listed {
            self.push(message);
        }
        self.more += other.more;
    }

    /// The listed messages, then "… và 2.611.204 lỗi khác" if some were not listed.
    pub fn into_vec(self) -> Vec<String> {
        let mut v = self.listed;
        if self.more > 0 {
            v.push(more_line(self.more));
        }
        v
    }
}

const MORE_PREFIX: &str = "… và ";
const MORE_SUFFIX: &str = " lỗi khác";

fn more_line(n: usize) -> String {
    format!(
        "{MORE_PREFIX}{}{MORE_SUFFIX}",
        crate::text::format_int(n as i64)
    )
}

/// How many errors a list made by [`ErrorList::into_vec`] stands for (its
/// last line may count those not listed).
pub fn error_count(errors: &[String]) -> usize {
    let more = errors
        .last()
        .and_then(|l| l.strip_prefix(MORE_PREFIX)?.strip_suffix(MORE_SUFFIX))
        .and_then(|n| n.replace('.', "").parse::<usize>().ok());
    match more {
        Some(n) => errors.len() - 1 + n,
        None => errors.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_rows_give_back_what_was_pushed() {
        let rows = vec![
            ImportRow {
                place: Place::Line(2),
                form: None,
                unit: "03325".into(),
                period: "2026".into(),
                key: "tt_buoi".into(),
                value: RawValue::Number(12.0),
                qualifier: String::new(),
                comment: "Ghi chú có dấu".into(),
            },
            ImportRow {
                place: Place::Named("Biểu 01, ô D17".into()),
                form: Some("antq-nam".into()),
                unit: "01".into(),
                period: "2026S1".into(),
                key: "kt_bang_khen.tap_the".into(),
                value: RawValue::Text("hơn 32.000".into()),
                qualifier: "more_than".into(),
                comment: String::new(),
            },
        ];
        let mut packed = ImportRows::from(rows.clone());
        assert_eq!(std::mem::size_of::<Packed>(), 48);
        assert_eq!(packed.len(), 2);
        let back: Vec<ImportRow> = packed.iter().map(|r| r.to_owned()).collect();
        assert_eq!(back, rows);
        assert_eq!(packed.get(1).place.to_string(), "Biểu 01, ô D17");
        let mut second = ImportRows::new();
        second.push(rows[0].as_ref());
        second.push(RowRef {
            place: PlaceRef::Value(3),
            form: Some("antq-thang"),
            ..rows[1].as_ref()
        });
        packed.append(second, 10);
        assert_eq!(packed.len(), 4);
        assert_eq!(packed.iter().count(), 4);
        packed.push(rows[0].as_ref());
        assert_eq!(
            packed.get(4).place,
            PlaceRef::Line(12),
            "pushed after the appended rows"
        );
        assert_eq!(packed.iter().nth(4), Some(packed.get(4)));
        assert_eq!(packed.get(2).place, PlaceRef::Line(12));
        assert_eq!(packed.get(2).comment, "Ghi chú có dấu");
        assert_eq!(packed.get(3).place.to_string(), "dataValues[3]");
        assert_eq!(packed.get(3).form, Some("antq-thang"));
        assert_eq!(packed.get(3).value, ValueRef::Text("hơn 32.000"));
        assert_eq!(packed.get(1).form, Some("antq-nam"));
    }

    #[test]
    fn errors_past_the_cap_are_counted_not_kept() {
        let mut e = ErrorList::with_cap(3);
        let mut built = 0;
        for i in 0..2_611_207 {
            e.push_with(|| {
                built += 1;
                format!("dòng {i}: lỗi")
            });
        }
        assert_eq!(built, 3, "messages past the cap are not formatted");
        assert_eq!(e.len(), 2_611_207);
        let v = e.into_vec();
        assert_eq!(v.len(), 4);
        assert_eq!(v[3], "… và 2.611.204 lỗi khác");
        assert_eq!(error_count(&v), 2_611_207);
        assert_eq!(error_count(&v[..3]), 3);
        let mut few = ErrorList::new();
        few.push("một lỗi");
        assert_eq!(few.into_vec(), vec!["một lỗi".to_string()]);
    }
}
