//! A review presented at a conference recorded after the review was built:
//! the link, and the awards given there kept in the review's snapshot (so
//! it still reprints identically from then on). A narrative nobody has
//! edited is written again with "Nhân dịp này, …"; an edited one is left
//! to its editor.

use antq_core::dates;
use antq_core::reviews::{AwardLine, ConferenceAwards};
use serde_json::json;

use super::{generated, get, json_err, Review};
use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::programmes::award_counts::{self, Scope};

/// Link review `id` to conference `conference` (audited) and keep the
/// awards given there with the review.
pub async fn link_conference(
    db: &Db,
    who: &Who,
    id: i64,
    conference: i64,
) -> StorageResult<Review> {
    let review = get(db, id).await?;
    let (title, held_on): (String, String) =
        sqlx::query_as("SELECT title, held_on FROM conferences WHERE id = $1")
            .bind(conference)
            .fetch_optional(db.pool())
            .await?
            .ok_or_else(|| StorageError::not_found(format!("hội nghị số {conference}")))?;
    let lines: Vec<AwardLine> =
        award_counts::over_years(&award_counts::counts(db, Scope::Conference(conference)).await?)
            .iter()
            .map(AwardLine::from_count)
            .collect();
    let mut snap = review.snapshot.clone();
    snap.awards.conference = if lines.is_empty() {
        None
    } else {
        Some(ConferenceAwards {
            id: conference,
            title,
            held_on,
            lines,
        })
    };
    let narrative = if review.edited {
        review.narrative.clone()
    } else {
        generated(&snap)
    };
    let changed = snap != review.snapshot || narrative != review.narrative;
    let now = dates::timestamp(dates::now_utc());
    let (snap, narrative, now, unit_id) = (&snap, &narrative, &now, review.unit_id);
    db.write(|mut tx| async move {
        let linked: Option<i64> = sqlx::query_scalar(
            "SELECT review_id FROM conference_reviews WHERE conference_id = $1 AND review_id = $2",
        )
        .bind(conference)
        .bind(id)
        .fetch_optional(tx.conn())
        .await?;
        if linked.is_none() {
            sqlx::query(
                "INSERT INTO conference_reviews (conference_id, review_id) VALUES ($1, $2)",
            )
            .bind(conference)
            .bind(id)
            .execute(tx.conn())
            .await?;
        }
        sqlx::query(
            "UPDATE reviews SET snapshot = $1, narrative = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(serde_json::to_string(snap).map_err(json_err)?)
        .bind(serde_json::to_string(narrative).map_err(json_err)?)
        .bind(now)
        .bind(id)
        .execute(tx.conn())
        .await?;
        if changed {
            super::approvals::clear_audited(
                &mut tx,
                who,
                id,
                unit_id,
                "Số liệu khen thưởng tại hội nghị đã thay đổi",
            )
            .await?;
        }
        audit::append(
            &mut tx,
            Change {
                who,
                action: "review.link",
                entity: "review",
                entity_id: id.to_string(),
                unit_id: Some(unit_id),
                before: None,
                after: Some(json!({"conference": conference,
                                   "awards": snap.awards.conference.as_ref().map(|c| &c.lines)})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    get(db, id).await
}

/// Keep the reviews presented at a conference up to date with the awards
/// given there (after the conference or one of its awards changed): each
/// linked review is linked again (audited).
pub async fn refresh_conference(db: &Db, who: &Who, conference: i64) -> StorageResult<()> {
    let reviews: Vec<i64> = sqlx::query_scalar(
        "SELECT review_id FROM conference_reviews WHERE conference_id = $1 ORDER BY review_id",
    )
    .bind(conference)
    .fetch_all(db.pool())
    .await?;
    for id in reviews {
        link_conference(db, who, id, conference).await?;
    }
    Ok(())
}
