//! Movement statistics: the indicator catalogue, reports and their values,
//! comments, rollups, analytics, and the import/export of values.

pub mod analytics;
pub mod catalogue;
pub mod catalogue_cache;
pub mod catalogue_edit;
pub mod comments;
pub mod export;
pub mod import;
pub mod report_values;
pub mod reports;
pub mod rollups;
pub mod worklist;
