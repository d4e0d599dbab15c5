//! Models ("mô hình") and exemplary cases: the national model-type taxonomy, a unit's models with their states, sites and teams, replication as a link, exemplary cases (HD 22/HD-BCA-V05).
//! (Owned by the models work of issue 13.)

use crate::words::Word;

/// The audit actions of this registry, in words.
pub static AUDIT_WORDS: &[Word] = &[];
