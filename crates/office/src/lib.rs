//! antq's office files: CSV and Excel in and out, with every error reported
//! by place in Vietnamese (`Biểu 01, ô D17: "12,5a" không phải số`), and SVG
//! charts with Vietnamese labels and number format.

pub mod awards;
pub mod chart;
pub mod chart_png;
pub mod csv_long;
pub mod dhis2;
pub mod docx;
pub mod files;
pub mod images;
pub mod legacy_text;
pub mod limits;
pub mod register_rows;
pub mod resize;
pub mod review;
pub mod table;
pub mod tip_cluster;
pub mod xlsx;

pub use table::{Cell, Table};
