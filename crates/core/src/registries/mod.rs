//! The registries of the movement (issue 13): models and exemplary cases
//! (`models`), grassroots organisations and teams (`teams`), the
//! safety-standard recognition (`recognitions`) and the movement
//! classification (`classifications`). Domain types and rules only.

pub mod classifications;
pub mod models;
pub mod recognitions;
pub mod teams;

use crate::words::Word;

/// The audit actions of the registries, in words (see `words::AUDIT_ACTIONS`).
pub fn audit_words() -> impl Iterator<Item = &'static Word> {
    [
        models::AUDIT_WORDS,
        teams::AUDIT_WORDS,
        recognitions::AUDIT_WORDS,
        classifications::AUDIT_WORDS,
        SHARED_AUDIT_WORDS,
    ]
    .into_iter()
    .flat_map(|t| t.iter())
}

/// Audit actions shared by the registries.
pub static SHARED_AUDIT_WORDS: &[Word] = &[(
    "registry_setting.save",
    "Sửa quy định của sổ theo dõi",
    "Registry rule changed",
)];
