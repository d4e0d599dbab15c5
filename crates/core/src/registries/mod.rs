//! The registries of the movement (issue 13): models and exemplary cases
//! (`models`), grassroots organisations and teams (`teams`), the
//! safety-standard recognition (`recognitions`) and the movement
//! classification (`classifications`). Domain types and rules only.

pub mod classifications;
pub mod models;
pub mod recognitions;
pub mod teams;

use chrono::Datelike;

use crate::dates::Date;
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

/// The reporting year a dated record counts in: the year runs from 15/12
/// of the year before to 14/12 (domain.md §3.1), as for events and awards.
pub fn reporting_year(date: Date) -> i32 {
    if date.month() == 12 && date.day() >= 15 {
        date.year() + 1
    } else {
        date.year()
    }
}

/// The last day of reporting year `year` (14/12), the day a stock is read at.
pub fn year_end(year: i32) -> Option<Date> {
    Date::from_ymd_opt(year, 12, 14)
}

/// The first day of reporting year `year` (15/12 of the year before).
pub fn year_start(year: i32) -> Option<Date> {
    Date::from_ymd_opt(year - 1, 12, 15)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_of_mid_december_counts_in_the_next_year() {
        let d = |y, m, day| Date::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(reporting_year(d(2023, 12, 14)), 2023);
        assert_eq!(reporting_year(d(2023, 12, 15)), 2024);
        assert_eq!(reporting_year(d(2023, 1, 1)), 2023);
        assert_eq!(year_end(2023), Some(d(2023, 12, 14)));
        assert_eq!(year_start(2024), Some(d(2023, 12, 15)));
    }
}
