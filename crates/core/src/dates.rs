//! Dates as antq speaks them: ISO `YYYY-MM-DD` on the wire, `dd/mm/yyyy` to
//! people, and "today" in Vietnam's time zone (UTC+7, no daylight saving).

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use crate::DomainError;

pub type Date = NaiveDate;

fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset")
}

/// Today's date in Vietnam.
pub fn today() -> Date {
    Utc::now().with_timezone(&vietnam()).date_naive()
}

/// Now, as an RFC 3339 UTC timestamp with microseconds (sortable as text).
pub fn now_utc() -> DateTime<Utc> {
    Utc::now()
}

pub fn timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Parse a date typed by a person or sent by a script for a report, a review
/// or a view "as at" a day: `YYYY-MM-DD` or `dd/mm/yyyy`, with its year in
/// [`crate::periods::MIN_YEAR`]..=[`crate::periods::MAX_YEAR`].
pub fn parse_input_date(s: &str) -> Result<Date, DomainError> {
    use chrono::Datelike;
    let d = parse_date(s)?;
    let year = d.year();
    if (crate::periods::MIN_YEAR..=crate::periods::MAX_YEAR).contains(&year) {
        Ok(d)
    } else {
        Err(DomainError::invalid(format!(
            "Ngày \"{}\" có năm {year} nằm ngoài khoảng cho phép {}–{}",
            s.trim(),
            crate::periods::MIN_YEAR,
            crate::periods::MAX_YEAR
        )))
    }
}

/// Parse a date in either form, any year: for the lineage of administrative
/// units, whose dates may precede 2000 (a unit valid since 1976). Input
/// about reports, reviews and views goes through [`parse_input_date`].
pub fn parse_date(s: &str) -> Result<Date, DomainError> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .map_err(|_| {
            DomainError::invalid(format!(
                "\"{s}\" không phải ngày hợp lệ (dùng dạng YYYY-MM-DD hoặc dd/mm/yyyy)"
            ))
        })
}

/// The ISO form stored in the database; it sorts as text.
pub fn iso(d: Date) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// `dd/mm/yyyy`, the Vietnamese short form.
pub fn format_vi(d: Date) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// A stored timestamp shown to a person in Vietnam time: `dd/mm/yyyy HH:MM`.
pub fn format_timestamp_vi(ts: &str) -> String {
    match DateTime::parse_from_rfc3339(ts) {
        Ok(t) => t
            .with_timezone(&vietnam())
            .format("%d/%m/%Y %H:%M")
            .to_string(),
        Err(_) => ts.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_forms() {
        let d = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
        assert_eq!(parse_date("2025-07-01").unwrap(), d);
        assert_eq!(parse_date("01/07/2025").unwrap(), d);
        assert!(parse_date("2025-13-01").is_err());
        assert!(parse_date("hôm qua").is_err());
        assert_eq!(format_vi(d), "01/07/2025");
        assert_eq!(iso(d), "2025-07-01");
    }

    #[test]
    fn input_dates_stay_in_the_year_range() {
        assert!(parse_input_date("2000-01-01").is_ok());
        assert!(parse_input_date("31/12/2100").is_ok());
        for bad in ["9999-12-31", "0001-01-01", "+10000-01-01", "31/12/1999"] {
            let e = parse_input_date(bad).unwrap_err().to_string();
            assert!(
                e.contains("nằm ngoài khoảng cho phép 2000–2100"),
                "{bad}: {e}"
            );
        }
        assert!(parse_input_date("hôm qua").is_err());
        // Lineage dates may be old.
        assert!(parse_date("1976-07-02").is_ok());
    }

    #[test]
    fn timestamps_show_in_vietnam_time() {
        assert_eq!(
            format_timestamp_vi("2026-01-01T20:30:00.000000Z"),
            "02/01/2026 03:30"
        );
    }
}
