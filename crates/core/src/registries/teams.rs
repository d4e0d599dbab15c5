//! Grassroots security organisations and teams: kinds as data, teams with members over time, the yearly evaluation with its quota and leader rules (HD 01/HD-BCA-V05).
//! (Owned by the teams work of issue 13.)

use crate::words::Word;

/// The audit actions of this registry, in words.
pub static AUDIT_WORDS: &[Word] = &[];
