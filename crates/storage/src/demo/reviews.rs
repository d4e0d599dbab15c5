//! The demo's two 10-year reviews (2013 – 2023), built from the demo's
//! approved data the way an officer builds them, so that each conference
//! of the source article has the review presented there (linked through
//! `conference_reviews`) and its press draft carries the figures. Built
//! once; a second load changes nothing.

use antq_core::dates;
use antq_core::reviews::{Owner, Stage};
use antq_core::units::UnitCode;

use crate::audit::Who;
use crate::db::Db;
use crate::error::StorageResult;
use crate::reviews::{self, NewReview};
use crate::units;

/// The author recorded on the demo's reviews.
const BY: &str = "demo";

/// (province code, day of its conference): Điện Biên 19/5/2023, Đồng Tháp 18/5/2023.
const REVIEWED: &[(&str, &str)] = &[("11", "2023-05-19"), ("87", "2023-05-18")];

/// Build the reviews presented at the demo's conferences, once; how many were built.
pub async fn load(db: &Db) -> StorageResult<usize> {
    let already: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reviews WHERE created_by = $1")
        .bind(BY)
        .fetch_one(db.pool())
        .await?;
    if already > 0 {
        return Ok(0);
    }
    let who = Who {
        id: None,
        name: BY.into(),
    };
    for (code, day) in REVIEWED {
        let day = dates::parse_date(day)?;
        let unit = units::get_at(db, &UnitCode::parse(code)?, day).await?;
        reviews::create(
            db,
            &who,
            NewReview {
                unit,
                owner: Owner::Joint,
                stage: Stage::years(2013, 2023),
                issue_date: day,
            },
        )
        .await?;
    }
    Ok(REVIEWED.len())
}
