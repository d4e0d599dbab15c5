//! Turning an uploaded file into rows to import, whatever its format.

use antq_core::imports::{ImportRows, PlaceRef, RowRef, ValueRef};

use crate::limits::ImportLimits;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Dhis2,
}

impl Format {
    /// From a file name's extension or a format name.
    pub fn guess(name: &str) -> Option<Format> {
        let lower = name.to_ascii_lowercase();
        let ext = lower.rsplit('.').next().unwrap_or(&lower);
        match ext {
            "csv" => Some(Format::Csv),
            "xlsx" | "xlsm" | "xls" | "ods" => Some(Format::Xlsx),
            "json" | "dhis2" => Some(Format::Dhis2),
            _ => None,
        }
    }
}

/// Read a file into rows; every problem is named by its place.
pub fn read(format: Format, bytes: &[u8]) -> Result<ImportRows, Vec<String>> {
    read_with(format, bytes, &ImportLimits::default())
}

/// [`read`] within `limits` (rows, errors listed, sheet size, unzipped size).
pub fn read_with(
    format: Format,
    bytes: &[u8],
    limits: &ImportLimits,
) -> Result<ImportRows, Vec<String>> {
    match format {
        Format::Csv => crate::csv_long::read_with(bytes, limits),
        Format::Xlsx => crate::xlsx::read_template_with(bytes, limits).map(|up| {
            let mut rows = ImportRows::with_capacity(up.cells.len(), 0);
            for c in &up.cells {
                rows.push(RowRef {
                    place: PlaceRef::Named(&c.place),
                    form: Some(&up.form),
                    unit: &c.unit,
                    period: &up.period,
                    key: &c.key,
                    value: match &c.value {
                        crate::xlsx::Filled::Number(x) => ValueRef::Number(*x),
                        crate::xlsx::Filled::Text(t) => ValueRef::Text(t),
                    },
                    qualifier: "",
                    comment: "",
                });
            }
            rows
        }),
        Format::Dhis2 => crate::dhis2::read_with(bytes, limits),
    }
}
