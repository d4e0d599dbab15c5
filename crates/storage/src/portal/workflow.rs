//! The editorial workflow: editors submit; reviewers publish (now or at a
//! time), return with a reason, unpublish (the record stays) and correct a
//! published article with a note readers see. Scheduled articles appear
//! when `publish_due` runs (the server runs it every minute). Every step is
//! audited; what changes the public portal records a search change.

use antq_core::auth::Action;
use antq_core::dates;
use antq_core::portal::article::{parse_correction, ArticleText};
use antq_core::portal::{ArticleState, Topic};
use antq_core::DomainError;
use serde_json::json;

use super::articles::{self, get, who_of, Article, ArticleInput};
use super::changes::{self, ItemKind};
use crate::accounts::access::{self, Actor};
use crate::audit::{self, Change};
use crate::db::Db;
use crate::error::StorageResult;

const MAX_REASON: usize = 1_000;

fn wrong_state(a: &Article, what: &str) -> DomainError {
    DomainError::invalid(format!(
        "Bài viết đang ở trạng thái \"{}\" nên không thể {what}",
        a.state.label_vi()
    ))
}

/// Move an article to a new state (audited), with the columns that go with it.
async fn set_state(
    db: &Db,
    actor: Option<&Actor>,
    a: &Article,
    to: ArticleState,
    action: &'static str,
    publish_at: Option<String>,
    reason: Option<String>,
) -> StorageResult<()> {
    let who = who_of(actor);
    let now = dates::timestamp(dates::now_utc());
    let published_at = match to {
        ArticleState::Published => Some(
            a.published_at
                .clone()
                .filter(|_| a.state == ArticleState::Unpublished)
                .unwrap_or_else(|| publish_at.clone().unwrap_or_else(|| now.clone())),
        ),
        _ => a.published_at.clone(),
    };
    let return_reason = reason.clone().unwrap_or_default();
    let touches_public = to == ArticleState::Published || a.state == ArticleState::Published;
    let (who, now, published_at, publish_at, return_reason) =
        (&who, &now, &published_at, &publish_at, &return_reason);
    db.write(|mut tx| async move {
        let n = sqlx::query(
            "UPDATE articles SET state = $1, publish_at = $2, published_at = $3, \
             return_reason = $4, updated_by = $5, updated_at = $6 WHERE id = $7 AND state = $8",
        )
        .bind(to.code())
        .bind(publish_at.as_deref())
        .bind(published_at.as_deref())
        .bind(return_reason)
        .bind(&who.name)
        .bind(now)
        .bind(a.id)
        .bind(a.state.code())
        .execute(tx.conn())
        .await?
        .rows_affected();
        if n == 0 {
            return Err(DomainError::invalid(
                "Bài viết vừa được người khác chuyển trạng thái; xin tải lại trang",
            )
            .into());
        }
        audit::append(
            &mut tx,
            Change {
                who,
                action,
                entity: "article",
                entity_id: a.id.to_string(),
                unit_id: Some(a.unit_id),
                before: Some(json!({"state": a.state.code()})),
                after: Some(json!({"state": to.code(), "publish_at": publish_at,
                    "published_at": published_at, "reason": return_reason})),
            },
        )
        .await?;
        if touches_public {
            changes::record(&mut tx, ItemKind::Article, a.id).await?;
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// An editor sends a draft (or a returned article) to the reviewers.
pub async fn submit(db: &Db, actor: &Actor, id: i64) -> StorageResult<()> {
    let a = get(db, actor, id).await?;
    if !a.state.editable() {
        return Err(wrong_state(&a, "gửi duyệt").into());
    }
    if a.body.trim().is_empty() && a.lead.trim().is_empty() {
        return Err(
            DomainError::invalid("Bài viết chưa có nội dung nên chưa gửi duyệt được").into(),
        );
    }
    set_state(
        db,
        Some(actor),
        &a,
        ArticleState::Submitted,
        "article.submit",
        None,
        None,
    )
    .await
}

/// A reviewer publishes now, or at `at` (a UTC timestamp in the future:
/// scheduled). `actor` None: antq itself (the demo).
pub async fn publish(
    db: &Db,
    actor: Option<&Actor>,
    id: i64,
    at: Option<chrono::DateTime<chrono::Utc>>,
) -> StorageResult<()> {
    let a = match actor {
        Some(x) => {
            let a = get(db, x, id).await?;
            access::require(db, x, Action::PublishArticles, a.unit_id).await?;
            a
        }
        None => articles::load(db, id)
            .await?
            .ok_or_else(|| crate::StorageError::not_found(format!("bài viết số {id}")))?,
    };
    if !matches!(
        a.state,
        ArticleState::Submitted
            | ArticleState::Draft
            | ArticleState::Returned
            | ArticleState::Unpublished
            | ArticleState::Scheduled
    ) {
        return Err(wrong_state(&a, "đăng").into());
    }
    let now = dates::now_utc();
    match at.filter(|t| *t > now) {
        Some(t) => {
            set_state(
                db,
                actor,
                &a,
                ArticleState::Scheduled,
                "article.schedule",
                Some(dates::timestamp(t)),
                None,
            )
            .await
        }
        None => {
            set_state(
                db,
                actor,
                &a,
                ArticleState::Published,
                "article.publish",
                None,
                None,
            )
            .await
        }
    }
}

/// A reviewer sends an article back to its editors with the reason.
pub async fn send_back(db: &Db, actor: &Actor, id: i64, reason: &str) -> StorageResult<()> {
    let a = get(db, actor, id).await?;
    access::require(db, actor, Action::PublishArticles, a.unit_id).await?;
    if !matches!(a.state, ArticleState::Submitted | ArticleState::Scheduled) {
        return Err(wrong_state(&a, "trả lại").into());
    }
    let reason = antq_core::text::clean(reason);
    antq_core::text::check_len("Lý do trả lại", &reason, MAX_REASON)?;
    if reason.is_empty() {
        return Err(DomainError::invalid("Cần ghi lý do trả lại để người viết sửa").into());
    }
    set_state(
        db,
        Some(actor),
        &a,
        ArticleState::Returned,
        "article.return",
        None,
        Some(reason),
    )
    .await
}

/// A reviewer takes a published article off the portal; the record stays.
pub async fn unpublish(db: &Db, actor: &Actor, id: i64) -> StorageResult<()> {
    let a = get(db, actor, id).await?;
    access::require(db, actor, Action::PublishArticles, a.unit_id).await?;
    if !matches!(a.state, ArticleState::Published | ArticleState::Scheduled) {
        return Err(wrong_state(&a, "gỡ").into());
    }
    set_state(
        db,
        Some(actor),
        &a,
        ArticleState::Unpublished,
        "article.unpublish",
        None,
        None,
    )
    .await
}

/// A reviewer corrects a published article: the new text, and a note
/// readers see under it ("Đính chính ngày …: …").
pub async fn correct(
    db: &Db,
    actor: &Actor,
    id: i64,
    topic: Topic,
    place_unit_id: Option<i64>,
    text: &ArticleText,
    note: &str,
) -> StorageResult<()> {
    let a = get(db, actor, id).await?;
    access::require(db, actor, Action::PublishArticles, a.unit_id).await?;
    if a.state != ArticleState::Published {
        return Err(wrong_state(&a, "đính chính (chỉ đính chính bài đã đăng)").into());
    }
    let note = parse_correction(note)?;
    let input = ArticleInput {
        unit_id: a.unit_id,
        topic,
        place_unit_id,
        text: text.clone(),
    };
    let province = match place_unit_id {
        Some(p) => super::public::province_code(db, p).await?,
        None => None,
    };
    articles::write_text(db, actor, &a, &input, province, Some(&note)).await
}

/// Publish the scheduled articles whose time has come (antq itself,
/// audited). Returns how many.
pub async fn publish_due(db: &Db) -> StorageResult<usize> {
    let now = dates::timestamp(dates::now_utc());
    let due: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM articles WHERE state = 'scheduled' AND publish_at <= $1 ORDER BY publish_at",
    )
    .bind(&now)
    .fetch_all(db.pool())
    .await?;
    let mut n = 0;
    for id in due {
        let Some(a) = articles::load(db, id).await? else {
            continue;
        };
        if a.state != ArticleState::Scheduled {
            continue;
        }
        let at = a.publish_at.clone();
        set_state(
            db,
            None,
            &a,
            ArticleState::Published,
            "article.publish",
            at,
            None,
        )
        .await?;
        n += 1;
    }
    Ok(n)
}

/// A conference's press draft becomes an article draft of the conference's
/// unit, about its place, under "Sơ kết, tổng kết" (one click on the
/// conference's page). Returns the new article's id.
pub async fn from_conference(db: &Db, actor: &Actor, conference_id: i64) -> StorageResult<i64> {
    let input = crate::programmes::conferences::press_input(db, actor, conference_id, "").await?;
    let draft = antq_core::programmes::conferences::press_draft(&input);
    let c = crate::programmes::conferences::get(db, actor, conference_id).await?;
    let (body, author) = split_author(&draft.body);
    let text = ArticleText::parse(&draft.headline, &draft.lead, &body, &author, "", "")?;
    let article = ArticleInput {
        unit_id: c.unit_id,
        topic: Topic::Conferences,
        place_unit_id: Some(c.unit_id),
        text,
    };
    articles::create(db, Some(actor), &article, Some(conference_id)).await
}

/// The press draft ends with its author line ("T.L tổng hợp"): take it out
/// of the body.
pub fn split_author(body: &str) -> (String, String) {
    let paragraphs: Vec<&str> = body.split('\n').filter(|p| !p.trim().is_empty()).collect();
    match paragraphs.split_last() {
        Some((last, rest)) if last.trim().ends_with("tổng hợp") && last.len() < 80 => {
            (rest.join("\n\n"), last.trim().to_string())
        }
        _ => (paragraphs.join("\n\n"), String::new()),
    }
}
