//! A plain table, the common shape of every export, and the protection of
//! text cells that a spreadsheet would take for a formula.

use std::borrow::Cow;

/// Whether a spreadsheet would run this text as a formula (OWASP "CSV
/// injection"): it starts with `=`, `+`, `-`, `@`, a tab or a carriage return.
pub fn starts_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A text cell as written to CSV: a text a spreadsheet would take for a
/// formula gets a leading `'`, shown as text by Excel and LibreOffice.
/// Texts that already start with quotes before such a character get one
/// more, so [`unprotect`] gives back exactly what was written. Numbers are
/// never passed here.
pub fn protect(s: &str) -> Cow<'_, str> {
    if starts_formula(s.trim_start_matches('\'')) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// The text [`protect`] was given: one leading `'` is removed when what
/// follows it would otherwise be protected.
pub fn unprotect(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if starts_formula(rest.trim_start_matches('\'')) => rest,
        _ => s,
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<f64> for Cell {
    fn from(x: f64) -> Self {
        Cell::Number(x)
    }
}

impl From<Option<f64>> for Cell {
    fn from(x: Option<f64>) -> Self {
        x.map(Cell::Number).unwrap_or(Cell::Empty)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// As CSV (UTF-8 with a byte-order mark, so Excel opens Vietnamese text correctly).
    pub fn to_csv(&self) -> Vec<u8> {
        let mut out = vec![0xEF, 0xBB, 0xBF];
        {
            let mut w = csv::Writer::from_writer(&mut out);
            let _ = w.write_record(self.headers.iter().map(|h| protect(h).into_owned()));
            for row in &self.rows {
                let cells: Vec<String> = row
                    .iter()
                    .map(|c| match c {
                        Cell::Empty => String::new(),
                        Cell::Text(s) => protect(s).into_owned(),
                        Cell::Number(x) => {
                            if x.fract() == 0.0 {
                                format!("{}", *x as i64)
                            } else {
                                format!("{x}")
                            }
                        }
                    })
                    .collect();
                let _ = w.write_record(&cells);
            }
            let _ = w.flush();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_protected_and_given_back() {
        for s in [
            "=HYPERLINK(\"http://x\",\"bấm\")",
            "+1",
            "-1",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "'=1+1",
            "''-2",
        ] {
            let p = protect(s);
            assert!(p.starts_with('\''), "{s:?} -> {p:?}");
            assert!(!starts_formula(&p));
            assert_eq!(unprotect(&p), s);
        }
        for s in ["Ghi chú", "'trích dẫn", "4.378", "", "'", "a=b"] {
            assert_eq!(protect(s), s);
            assert_eq!(unprotect(s), s);
        }
        let t = Table {
            title: "t".into(),
            headers: vec!["=cmd|' /C calc'!A0".into(), "Số".into()],
            rows: vec![vec![Cell::from("=1+1"), Cell::Number(-5.0)]],
        };
        let csv = String::from_utf8(t.to_csv()).unwrap();
        assert!(csv.contains("'=cmd|' /C calc'!A0,Số"), "{csv}");
        assert!(csv.contains("'=1+1,-5"), "a number stays a number: {csv}");
    }
}
