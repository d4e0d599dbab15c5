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
