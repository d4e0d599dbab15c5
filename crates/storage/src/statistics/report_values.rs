//! A report's values, stored together as one row of `report_values`: a
//! compact byte string holding every (indicator, option, figure, qualifier,
//! comment) of the report, sorted by indicator and option.
//!
//! One row per report instead of one per value: an import of 1,5 million
//! values writes 38.000 rows, not 1,5 million, and every reader of values
//! reads them a report at a time anyway (the entry page, the workflow, the
//! rollups, exports). Sums over many reports come from the rollups; the
//! few queries that need single values (quarters, months, breakdowns,
//! communes as they were) decode the rows of the reports they select.
//!
//! The format, version 1: the byte `1`, then per value: the indicator id
//! (LEB128), the option code (length, bytes), the figure in thousandths
//! (zigzag LEB128), the qualifier (one byte: 0 exact, 1 more than, 2 nearly,
//! 3 about), the comment (0 for none, else length + 1, then its bytes).
//!
//! Beside the bytes, the row keeps the same values as JSON text (`doc`,
//! since migration v8), written by the same [`row`]: an array of
//! `[indicator id, "option", figure, qualifier]`, the figure a plain number
//! (`1328`, `1.25`), the qualifier as in the bytes (0 exact, 1 more than,
//! 2 nearly, 3 about), with the comment as a fifth element when there is
//! one. antq never reads it; it is what the read-only view `antq_values`
//! expands (SQLite `json_each`, PostgreSQL `jsonb_array_elements`) into one
//! row per value for analysts' tools.

use std::collections::HashMap;

use antq_core::indicators::Qualifier;
use sqlx::Row as _;

use crate::db::{Backend, WriteTx};
use crate::error::{StorageError, StorageResult};

const VERSION: u8 = 1;

/// One stored value of a report.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredValue {
    pub indicator_id: i64,
    /// The breakdown option's code, empty for none.
    pub option: String,
    pub milli: i64,
    pub qualifier: Qualifier,
    pub comment: Option<String>,
}

/// One value as read from a row, borrowing its texts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry<'a> {
    pub indicator_id: i64,
    pub option: &'a str,
    pub milli: i64,
    pub qualifier: Qualifier,
    pub comment: Option<&'a str>,
}

impl Entry<'_> {
    pub fn into_stored(self) -> StoredValue {
        StoredValue {
            indicator_id: self.indicator_id,
            option: self.option.to_string(),
            milli: self.milli,
            qualifier: self.qualifier,
            comment: self.comment.map(str::to_string),
        }
    }
}

fn qualifier_byte(q: Qualifier) -> u8 {
    match q {
        Qualifier::Exact => 0,
        Qualifier::MoreThan => 1,
        Qualifier::Nearly => 2,
        Qualifier::About => 3,
    }
}

fn push_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn push_text(out: &mut Vec<u8>, s: &str) {
    push_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn push_entry(out: &mut Vec<u8>, e: Entry<'_>) {
    push_varint(out, e.indicator_id as u64);
    push_text(out, e.option);
    push_varint(out, ((e.milli << 1) ^ (e.milli >> 63)) as u64);
    out.push(qualifier_byte(e.qualifier));
    match e.comment {
        None => out.push(0),
        Some(c) => {
            push_varint(out, c.len() as u64 + 1);
            out.extend_from_slice(c.as_bytes());
        }
    }
}

/// The bytes of a report's values (sorted here by indicator and option).
pub fn encode(values: &mut [StoredValue]) -> Vec<u8> {
    values.sort_unstable_by(|a, b| {
        (a.indicator_id, a.option.as_str()).cmp(&(b.indicator_id, b.option.as_str()))
    });
    let mut out = Vec::with_capacity(1 + values.len() * 8);
    out.push(VERSION);
    for v in values.iter() {
        push_entry(
            &mut out,
            Entry {
                indicator_id: v.indicator_id,
                option: &v.option,
                milli: v.milli,
                qualifier: v.qualifier,
                comment: v.comment.as_deref(),
            },
        );
    }
    out
}

fn corrupt() -> StorageError {
    StorageError::Conflict("dữ liệu lưu của báo cáo bị hỏng (report_values)".into())
}

/// Reads the entries of one row's bytes.
pub struct Entries<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Entries<'a> {
    fn varint(&mut self) -> StorageResult<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.at).ok_or_else(corrupt)?;
            self.at += 1;
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(n);
            }
        }
        Err(corrupt())
    }

    fn text(&mut self, len: usize) -> StorageResult<&'a str> {
        let end = self.at.checked_add(len).ok_or_else(corrupt)?;
        let raw = self.bytes.get(self.at..end).ok_or_else(corrupt)?;
        self.at = end;
        std::str::from_utf8(raw).map_err(|_| corrupt())
    }

    fn entry(&mut self) -> StorageResult<Entry<'a>> {
        let indicator_id = self.varint()? as i64;
        let len = self.varint()? as usize;
        let option = self.text(len)?;
        let z = self.varint()?;
        let milli = ((z >> 1) as i64) ^ -((z & 1) as i64);
        let qualifier = match self.bytes.get(self.at).ok_or_else(corrupt)? {
            0 => Qualifier::Exact,
            1 => Qualifier::MoreThan,
            2 => Qualifier::Nearly,
            3 => Qualifier::About,
            _ => return Err(corrupt()),
        };
        self.at += 1;
        let comment = match self.varint()? as usize {
            0 => None,
            n => Some(self.text(n - 1)?),
        };
        Ok(Entry {
            indicator_id,
            option,
            milli,
            qualifier,
            comment,
        })
    }
}

impl<'a> Iterator for Entries<'a> {
    type Item = StorageResult<Entry<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.at >= self.bytes.len() {
            return None;
        }
        let e = self.entry();
        if e.is_err() {
            // Stop after the first error.
            self.at = self.bytes.len();
        }
        Some(e)
    }
}

/// The entries of a row's bytes (an error for an unknown version).
pub fn entries(bytes: &[u8]) -> StorageResult<Entries<'_>> {
    match bytes.first() {
        Some(&VERSION) => Ok(Entries { bytes, at: 1 }),
        _ => Err(corrupt()),
    }
}

/// All the values of a row's bytes.
pub fn decode(bytes: &[u8]) -> StorageResult<Vec<StoredValue>> {
    entries(bytes)?.map(|e| e.map(Entry::into_stored)).collect()
}

/// A report's new row: its values, when and by whom they were last written.
pub(crate) struct Body {
    pub report_id: i64,
    pub values: Vec<StoredValue>,
}

pub(crate) const COLUMNS: &[&str] = &[
    "report_id",
    "n_values",
    "body",
    "updated_at",
    "updated_by",
    "doc",
];

/// The columns of `report_values` before migration v8 (no `doc`).
pub(crate) const COLUMNS_V7: &[&str] =
    &["report_id", "n_values", "body", "updated_at", "updated_by"];

const UPSERT: &str = "ON CONFLICT (report_id) DO UPDATE SET body = excluded.body, doc = excluded.doc, \
     n_values = excluded.n_values, updated_at = excluded.updated_at, updated_by = excluded.updated_by";

/// Write reports' values (replacing what they had). `fresh`: the reports are
/// new in this transaction, so a plain INSERT does (PostgreSQL otherwise
/// checks the conflict clause row by row).
pub(crate) async fn write(
    tx: &mut WriteTx,
    bodies: Vec<Body>,
    fresh: bool,
    now: &str,
    who: &str,
) -> StorageResult<()> {
    write_rows(tx, rows(bodies, now, who), fresh).await
}

/// The `report_values` rows of some bodies ([`row`] of each).
pub(crate) fn rows(bodies: Vec<Body>, now: &str, who: &str) -> Vec<Vec<crate::batch::Val>> {
    bodies
        .into_iter()
        .map(|mut b| row(b.report_id, &mut b.values, now, who))
        .collect()
}

/// [`write`] of rows made beforehand by [`rows`].
pub(crate) async fn write_rows(
    tx: &mut WriteTx,
    rows: Vec<Vec<crate::batch::Val>>,
    fresh: bool,
) -> StorageResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let on_conflict = if fresh && tx.backend() == Backend::Postgres {
        ""
    } else {
        UPSERT
    };
    crate::batch::upsert_rows(tx, "report_values", COLUMNS, rows, on_conflict).await
}

/// A `report_values` row to write, in the order of [`COLUMNS`].
pub(crate) fn row(
    report_id: i64,
    values: &mut [StoredValue],
    at: &str,
    by: &str,
) -> Vec<crate::batch::Val> {
    use crate::batch::Val;
    vec![
        Val::Int(report_id),
        Val::Int(values.len() as i64),
        Val::Bytes(encode(values)),
        Val::Text(at.to_string()),
        Val::Text(by.to_string()),
        Val::Text(doc(values)),
    ]
}

/// The values as the JSON text of the `doc` column (see the module's
/// documentation), in the order given (sorted by [`encode`] first).
pub fn doc(values: &[StoredValue]) -> String {
    let mut out = String::with_capacity(2 + values.len() * 28);
    let mut ints = itoa_buffer();
    out.push('[');
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        out.push_str(ints.format(v.indicator_id));
        out.push(',');
        push_json_text(&mut out, &v.option);
        out.push(',');
        // The figure as a plain number: 1328, 1.25, -0.125.
        if v.milli < 0 {
            out.push('-');
        }
        let abs = v.milli.unsigned_abs();
        out.push_str(ints.format((abs / 1000) as i64));
        let frac = abs % 1000;
        if frac != 0 {
            out.push('.');
            let digits = [frac / 100, frac / 10 % 10, frac % 10];
            let keep = if digits[2] != 0 {
                3
            } else if digits[1] != 0 {
                2
            } else {
                1
            };
            for d in &digits[..keep] {
                out.push(char::from(b'0' + *d as u8));
            }
        }
        out.push(',');
        out.push(char::from(b'0' + qualifier_byte(v.qualifier)));
        if let Some(c) = &v.comment {
            out.push(',');
            push_json_text(&mut out, c);
        }
        out.push(']');
    }
    out.push(']');
    out
}

/// Integers written without the formatting machinery (this runs for every
/// value of every import).
struct Ints([u8; 20]);

fn itoa_buffer() -> Ints {
    Ints([0; 20])
}

impl Ints {
    fn format(&mut self, n: i64) -> &str {
        let mut at = self.0.len();
        let mut u = n.unsigned_abs();
        loop {
            at -= 1;
            self.0[at] = b'0' + (u % 10) as u8;
            u /= 10;
            if u == 0 {
                break;
            }
        }
        if n < 0 {
            at -= 1;
            self.0[at] = b'-';
        }
        std::str::from_utf8(&self.0[at..]).expect("ASCII digits")
    }
}

/// A JSON string: option codes (plain ASCII) as they are, other text
/// escaped by serde_json.
fn push_json_text(out: &mut String, s: &str) {
    if s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        out.push_str(&serde_json::Value::String(s.to_string()).to_string());
    }
}

/// The values of some reports, by report (reports without values are absent).
pub(crate) async fn read_many(
    conn: &mut sqlx::AnyConnection,
    ids: &[i64],
) -> StorageResult<HashMap<i64, Vec<StoredValue>>> {
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let list = crate::db::id_list(chunk);
        let rows = sqlx::query(&format!(
            "SELECT report_id, body FROM report_values WHERE report_id IN ({list})"
        ))
        .fetch_all(&mut *conn)
        .await?;
        for r in rows {
            let body: Vec<u8> = r.get(1);
            out.insert(r.get::<i64, _>(0), decode(&body)?);
        }
    }
    Ok(out)
}

/// The values of one report (one prepared statement, whatever the report:
/// this is the path of every save).
pub(crate) async fn read(
    conn: &mut sqlx::AnyConnection,
    report_id: i64,
) -> StorageResult<Vec<StoredValue>> {
    let body: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT body FROM report_values WHERE report_id = $1")
            .bind(report_id)
            .fetch_optional(conn)
            .await?;
    body.map_or(Ok(Vec::new()), |b| decode(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(ind: i64, option: &str, milli: i64, q: Qualifier, c: Option<&str>) -> StoredValue {
        StoredValue {
            indicator_id: ind,
            option: option.into(),
            milli,
            qualifier: q,
            comment: c.map(str::to_string),
        }
    }

    #[test]
    fn values_read_back_as_written_sorted_by_key() {
        let mut values = vec![
            value(
                300,
                "",
                3_048_210_000,
                Qualifier::MoreThan,
                Some("ước tính"),
            ),
            value(2, "tap_the", 12_000, Qualifier::Exact, None),
            value(2, "ca_nhan", -64_500, Qualifier::About, Some("")),
            value(1, "", 0, Qualifier::Nearly, None),
            value(i64::MAX, "x", i64::MIN, Qualifier::Exact, None),
        ];
        let bytes = encode(&mut values);
        assert_eq!(bytes[0], VERSION);
        let back = decode(&bytes).unwrap();
        assert_eq!(back, values);
        let keys: Vec<(i64, &str)> = back
            .iter()
            .map(|v| (v.indicator_id, v.option.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                (1, ""),
                (2, "ca_nhan"),
                (2, "tap_the"),
                (300, ""),
                (i64::MAX, "x")
            ]
        );
        assert_eq!(back[1].comment.as_deref(), Some(""));
        assert_eq!(decode(&encode(&mut [])).unwrap(), []);
        let text = doc(&back);
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json[0], serde_json::json!([1, "", 0, 2]));
        assert!(text.contains(r#"[2,"ca_nhan",-64.5,3,""]"#), "{text}");
        assert!(text.contains(r#"[2,"tap_the",12,0]"#), "{text}");
        assert_eq!(
            json[3],
            serde_json::json!([300, "", 3_048_210, 1, "ước tính"])
        );
        assert!(
            text.ends_with(r#"[9223372036854775807,"x",-9223372036854775.808,0]]"#),
            "{text}"
        );
        for milli in [1, 10, 100, 120, 1_250, 999_999, -7_010] {
            let one = doc(&[value(1, "", milli, Qualifier::Exact, None)]);
            assert_eq!(
                one,
                format!("[[1,\"\",{},0]]", antq_core::indicators::plain_milli(milli))
            );
        }
        assert_eq!(doc(&[]), "[]");
    }

    #[test]
    fn damaged_bytes_are_an_error_not_a_panic() {
        let mut values = vec![value(7, "nam", 1_000, Qualifier::Exact, Some("ghi chú"))];
        let bytes = encode(&mut values);
        for cut in (0..bytes.len() - 1).filter(|c| *c != 1) {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut wrong = bytes.clone();
        wrong[0] = 9;
        assert!(decode(&wrong).is_err());
        let mut bad_qualifier = bytes;
        let q_at = 1 + 1 + 1 + 3 + 2;
        bad_qualifier[q_at] = 7;
        assert!(decode(&bad_qualifier).is_err());
    }
}
