//! How much work one uploaded file may cost. Every reader refuses a file
//! past these limits with a Vietnamese message that names the limit, before
//! spending memory on it.

use antq_core::imports::MAX_LISTED_ERRORS;
use antq_core::text::format_int;

/// Limits on one imported file. The defaults suit a national template or a
/// year of a province's values; `antq.toml` can change the row cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportLimits {
    /// Values (CSV lines, DHIS2 dataValues) in one file.
    pub max_rows: usize,
    /// Errors listed for one file; the rest are counted.
    pub max_errors: usize,
    /// Rows of an Excel sheet (the last filled row).
    pub sheet_rows: u32,
    /// Columns of an Excel sheet (the last filled column).
    pub sheet_columns: u32,
    /// Filled cells of an Excel sheet.
    pub sheet_cells: usize,
    /// Bytes of an Excel file once unzipped (all its parts together).
    pub unzipped_bytes: u64,
}

/// Rows of a file read by the command line (`antq import`).
pub const DEFAULT_MAX_ROWS: usize = 2_000_000;
/// Rows of a file uploaded to the server (`import_max_rows`). A national
/// year is about 200.000 values, so 300.000 leaves room. Garbage rows are
/// cheap to refuse (rows are kept compactly, `ImportRows`: a million cost
/// about 80 MB), but valid rows become values to write (about 1 KB each at
/// peak in a release build: 26 MB of valid rows peaked at 896 MB), so the
/// cap keeps one upload at a few hundred MB. Larger files go through
/// `antq import` on the server.
pub const DEFAULT_UPLOAD_MAX_ROWS: usize = 300_000;
pub const DEFAULT_SHEET_ROWS: u32 = 100_000;
pub const DEFAULT_SHEET_COLUMNS: u32 = 1_000;
/// A national template (3.321 communes × 60 columns) is 200.000 cells.
pub const DEFAULT_SHEET_CELLS: usize = 500_000;
pub const DEFAULT_UNZIPPED_BYTES: u64 = 100 * 1024 * 1024;

impl Default for ImportLimits {
    fn default() -> Self {
        ImportLimits {
            max_rows: DEFAULT_MAX_ROWS,
            max_errors: MAX_LISTED_ERRORS,
            sheet_rows: DEFAULT_SHEET_ROWS,
            sheet_columns: DEFAULT_SHEET_COLUMNS,
            sheet_cells: DEFAULT_SHEET_CELLS,
            unzipped_bytes: DEFAULT_UNZIPPED_BYTES,
        }
    }
}

/// "4.378" for a count.
pub fn n(x: impl TryInto<i64>) -> String {
    format_int(x.try_into().unwrap_or(i64::MAX))
}

/// "100 MB" for a size in bytes.
pub fn megabytes(bytes: u64) -> String {
    format!("{} MB", n(bytes / (1024 * 1024)))
}
