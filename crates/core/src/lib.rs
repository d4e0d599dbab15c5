//! antq's domain: the rules that hold whatever the storage or the web layer.
//!
//! Nothing here talks to a database or a socket. Every value that enters the
//! system is parsed into one of these types at the boundary.

pub mod audit;
pub mod auth;
pub mod breakdowns;
pub mod dates;
pub mod error;
pub mod imports;
pub mod indicators;
pub mod machine_numbers;
pub mod periods;
pub mod portal;
pub mod programmes;
pub mod registries;
pub mod reports;
pub mod reviews;
pub mod text;
pub mod tips;
pub mod units;
pub mod validation;
pub mod words;

pub use error::DomainError;
