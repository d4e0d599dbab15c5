//! The demo's portal: articles drafted from the demo's conferences (their
//! press drafts, which carry the reviews' figures for the two 10-year
//! reviews) and published the day after each conference, citing the
//! documents of the programmes they review. Built once; a second load
//! changes nothing.

use antq_core::auth::Role;
use antq_core::portal::article::ArticleText;
use antq_core::portal::{ArticleState, Topic};
use antq_core::units::Level;

use super::articles::{create, ArticleInput};
use super::workflow::{self, split_author};
use crate::accounts::access::{Actor, Grant};
use crate::db::Db;
use crate::error::StorageResult;

/// Commune festivals of the last year that get an article.
const COMMUNE_ARTICLES: i64 = 8;

/// antq reading as a national administrator (the press drafts read the
/// conferences through the one policy).
async fn reader(db: &Db) -> StorageResult<Actor> {
    let (id, name): (i64, String) =
        sqlx::query_as("SELECT id, name FROM units WHERE level = 'nation' ORDER BY id LIMIT 1")
            .fetch_one(db.pool())
            .await?;
    Ok(Actor {
        user_id: 0,
        username: "system".into(),
        display_name: "antq".into(),
        grants: vec![Grant {
            id: 0,
            role: Role::Admin,
            unit_id: id,
            unit_code: "VN".into(),
            unit_name: name,
            unit_level: Level::Nation,
            unit_valid_from: None,
            unit_valid_to: None,
        }],
    })
}

/// Draft, publish and date the demo's articles; how many were made.
pub async fn load(db: &Db) -> StorageResult<usize> {
    let already: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM articles WHERE conference_id IS NOT NULL")
            .fetch_one(db.pool())
            .await?;
    if already > 0 {
        return Ok(0);
    }
    let mut chosen: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT c.id, c.unit_id, c.held_on, c.kind FROM conferences c JOIN units u ON u.id = c.unit_id \
         WHERE c.kind <> 'ngay_hoi' OR (u.level = 'province' AND c.held_on >= '2022') \
         ORDER BY c.held_on, c.id",
    )
    .fetch_all(db.pool())
    .await?;
    let communes: Vec<(i64, i64, String, String)> = sqlx::query_as(&format!(
        "SELECT c.id, c.unit_id, c.held_on, c.kind FROM conferences c JOIN units u ON u.id = c.unit_id \
         WHERE u.level = 'commune' AND u.valid_to IS NULL AND c.held_on >= '2025' \
         ORDER BY c.held_on DESC, c.id LIMIT {COMMUNE_ARTICLES}"
    ))
    .fetch_all(db.pool())
    .await?;
    chosen.extend(communes);
    let actor = reader(db).await?;
    let mut made = 0;
    for (conference, unit_id, held_on, kind) in chosen {
        let input =
            crate::programmes::conferences::press_input(db, &actor, conference, "T.L").await?;
        let draft = antq_core::programmes::conferences::press_draft(&input);
        let (body, author) = split_author(&draft.body);
        let tags = if kind == "ngay_hoi" {
            "Ngày hội toàn dân bảo vệ an ninh Tổ quốc"
        } else {
            "tổng kết, Chương trình phối hợp 09"
        };
        let text = ArticleText::parse(&draft.headline, &draft.lead, &body, &author, "", tags)?;
        let topic = if kind == "ngay_hoi" {
            Topic::Movement
        } else {
            Topic::Conferences
        };
        let id = create(
            db,
            None,
            &ArticleInput {
                unit_id,
                topic,
                place_unit_id: Some(unit_id),
                text,
            },
            Some(conference),
        )
        .await?;
        workflow::publish(db, None, id, None).await?;
        // Published at 9:00 (Vietnam) the day after the conference.
        let day = antq_core::dates::parse_date(&held_on)?
            .succ_opt()
            .unwrap_or_default();
        let at = format!("{}T02:00:00.000000Z", antq_core::dates::iso(day));
        sqlx::query(
            "UPDATE articles SET published_at = $1, updated_at = $1 WHERE id = $2 AND state = $3",
        )
        .bind(&at)
        .bind(id)
        .bind(ArticleState::Published.code())
        .execute(db.pool())
        .await?;
        sqlx::query(
            "INSERT INTO article_documents (article_id, document_id) \
             SELECT DISTINCT $1, p.document_id FROM conference_programmes cp \
             JOIN programmes p ON p.id = cp.programme_id \
             WHERE cp.conference_id = $2 AND p.document_id IS NOT NULL",
        )
        .bind(id)
        .bind(conference)
        .execute(db.pool())
        .await?;
        made += 1;
    }
    Ok(made)
}
