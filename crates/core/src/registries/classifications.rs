//! Movement classification (QĐ 510/QĐ-BCA-V05): score-sheet templates per subject kind, self-scoring, review by the level above, bands by configured thresholds, deadlines.
//! (Owned by the classifications work of issue 13.)

use crate::words::Word;

/// The audit actions of this registry, in words.
pub static AUDIT_WORDS: &[Word] = &[];
