//! Safety-standard recognition ("An toàn về an ninh, trật tự", TT 124/2021/TT-BCA): registration, dossier, criteria checklist and decision per subject and year.
//! (Owned by the recognitions work of issue 13.)

use crate::words::Word;

/// The audit actions of this registry, in words.
pub static AUDIT_WORDS: &[Word] = &[];
