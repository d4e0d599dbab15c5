//! News articles: what an editor writes, read back with the names the pages
//! show. The editorial workflow is in `workflow`, the public reading in
//! `public`. Every write is audited (entity "article") and records a search
//! change when it alters what the public may see.

use antq_core::auth::Action;
use antq_core::dates;
use antq_core::portal::article::ArticleText;
use antq_core::portal::{ArticleState, Topic};
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::changes::{self, ItemKind};
use crate::accounts::access::{self, Actor};
use crate::audit::{self, Change, Who};
use crate::db::{Db, WriteTx};
use crate::error::{StorageError, StorageResult};

/// An article with the names its pages show.
#[derive(Debug, Clone, Serialize)]
pub struct Article {
    pub id: i64,
    pub slug: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub headline: String,
    pub lead: String,
    pub body: String,
    pub author_line: String,
    pub photo_credit: String,
    pub topic: Topic,
    pub place_unit_id: Option<i64>,
    pub place_name: Option<String>,
    pub province_code: Option<String>,
    pub tags: Vec<String>,
    pub state: ArticleState,
    pub publish_at: Option<String>,
    pub published_at: Option<String>,
    pub correction: String,
    pub return_reason: String,
    pub conference_id: Option<i64>,
    pub created_by: String,
    pub created_at: String,
    pub updated_by: String,
    pub updated_at: String,
}

/// What an editor sends: the text, whose it is, what it is about.
#[derive(Debug, Clone)]
pub struct ArticleInput {
    /// The unit whose editors own the article.
    pub unit_id: i64,
    pub topic: Topic,
    /// The province or commune the article concerns.
    pub place_unit_id: Option<i64>,
    pub text: ArticleText,
}

pub(crate) const COLUMNS: &str = "a.id, a.slug, a.unit_id, u.name, a.headline, a.lead, a.body, \
    a.author_line, a.photo_credit, a.topic, a.place_unit_id, p.name, a.province_code, a.tags, \
    a.state, a.publish_at, a.published_at, a.correction, a.return_reason, a.conference_id, \
    a.created_by, a.created_at, a.updated_by, a.updated_at";

pub(crate) const FROM: &str =
    "articles a JOIN units u ON u.id = a.unit_id LEFT JOIN units p ON p.id = a.place_unit_id";

pub(crate) fn from_row(r: &AnyRow) -> StorageResult<Article> {
    let topic: String = r.get(9);
    let state: String = r.get(14);
    let tags: String = r.get(13);
    Ok(Article {
        id: r.get(0),
        slug: r.get(1),
        unit_id: r.get(2),
        unit_name: r.get(3),
        headline: r.get(4),
        lead: r.get(5),
        body: r.get(6),
        author_line: r.get(7),
        photo_credit: r.get(8),
        topic: Topic::parse(&topic)
            .ok_or_else(|| corrupt(format!("chủ đề bài viết \"{topic}\"")))?,
        place_unit_id: r.get(10),
        place_name: r.get(11),
        province_code: r.get(12),
        tags: tags
            .split('\n')
            .filter(|t| !t.is_empty())
            .map(String::from)
            .collect(),
        state: ArticleState::parse(&state)
            .ok_or_else(|| corrupt(format!("trạng thái bài viết \"{state}\"")))?,
        publish_at: r.get(15),
        published_at: r.get(16),
        correction: r.get(17),
        return_reason: r.get(18),
        conference_id: r.get(19),
        created_by: r.get(20),
        created_at: r.get(21),
        updated_by: r.get(22),
        updated_at: r.get(23),
    })
}

/// An article by id, whatever its state (for antq itself and the checks below).
pub async fn load(db: &Db, id: i64) -> StorageResult<Option<Article>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM {FROM} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// A value in the database that antq never writes.
pub(crate) fn corrupt(what: String) -> StorageError {
    StorageError::Database(sqlx::Error::Protocol(format!(
        "giá trị không hợp lệ trong cơ sở dữ liệu: {what}"
    )))
}

fn not_found(id: i64) -> StorageError {
    StorageError::NotFound(format!("bài viết số {id}"))
}

/// An article for an officer who may edit the unit's news (else "not found").
pub async fn get(db: &Db, actor: &Actor, id: i64) -> StorageResult<Article> {
    let a = load(db, id).await?.ok_or_else(|| not_found(id))?;
    access::require_visible(db, actor, Action::EditArticles, a.unit_id, || {
        format!("bài viết số {id}")
    })
    .await?;
    Ok(a)
}

/// A slug no other article has: the headline's, then "-2", "-3", ...
pub(crate) async fn free_slug(
    tx: &mut WriteTx,
    headline: &str,
    own: Option<i64>,
) -> StorageResult<String> {
    let base = antq_core::portal::article::slug(headline);
    for n in 1..1000 {
        let candidate = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM articles WHERE slug = $1")
            .bind(&candidate)
            .fetch_optional(tx.conn())
            .await?;
        if taken.is_none() || taken == own {
            return Ok(candidate);
        }
    }
    Err(antq_core::DomainError::invalid("Có quá nhiều bài viết cùng tiêu đề").into())
}

pub(crate) fn who_of(actor: Option<&Actor>) -> Who {
    actor.map_or_else(Who::system, Actor::who)
}

pub(crate) fn snapshot(a: &Article) -> Value {
    json!({"headline": a.headline, "lead": a.lead, "body": a.body, "author_line": a.author_line,
        "photo_credit": a.photo_credit, "topic": a.topic.code(), "place_unit_id": a.place_unit_id,
        "tags": a.tags, "state": a.state.code(), "publish_at": a.publish_at,
        "published_at": a.published_at, "correction": a.correction})
}

async fn check_place(db: &Db, input: &ArticleInput) -> StorageResult<Option<String>> {
    match input.place_unit_id {
        None => Ok(None),
        Some(p) => {
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM units WHERE id = $1")
                .bind(p)
                .fetch_optional(db.pool())
                .await?;
            if exists.is_none() {
                return Err(
                    antq_core::DomainError::invalid(format!("Không có đơn vị số {p}")).into(),
                );
            }
            // A unit's editors write about their own units: the place lies
            // in the owning unit's subtree (or lineage), never another
            // province's page and feed.
            let within: Option<i64> = sqlx::query_scalar(
                "SELECT descendant_id FROM unit_scope WHERE ancestor_id = $1 AND descendant_id = $2",
            )
            .bind(input.unit_id)
            .bind(p)
            .fetch_optional(db.pool())
            .await?;
            if within.is_none() {
                return Err(antq_core::DomainError::invalid(
                    "Địa bàn của bài phải thuộc đơn vị biên tập (tỉnh, xã của đơn vị mình)",
                )
                .into());
            }
            super::public::province_code(db, p).await
        }
    }
}

/// Write a new draft (audited). `actor` None: antq itself (the demo).
pub async fn create(
    db: &Db,
    actor: Option<&Actor>,
    input: &ArticleInput,
    conference_id: Option<i64>,
) -> StorageResult<i64> {
    if let Some(x) = actor {
        access::require(db, x, Action::EditArticles, input.unit_id).await?;
    }
    let province = check_place(db, input).await?;
    let who = who_of(actor);
    let now = dates::timestamp(dates::now_utc());
    let (who, now, province) = (&who, &now, &province);
    db.write(|mut tx| async move {
        let t = &input.text;
        let slug = free_slug(&mut tx, &t.headline, None).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO articles (slug, unit_id, headline, lead, body, author_line, photo_credit, \
             topic, place_unit_id, province_code, tags, state, search_key, conference_id, \
             created_by, created_at, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'draft', $12, $13, $14, $15, $14, $15) \
             RETURNING id",
        )
        .bind(&slug)
        .bind(input.unit_id)
        .bind(&t.headline)
        .bind(&t.lead)
        .bind(&t.body)
        .bind(&t.author_line)
        .bind(&t.photo_credit)
        .bind(input.topic.code())
        .bind(input.place_unit_id)
        .bind(province.as_deref())
        .bind(t.tags.join("\n"))
        .bind(t.search_key(input.topic))
        .bind(conference_id)
        .bind(&who.name)
        .bind(now)
        .fetch_one(tx.conn())
        .await?;
        audit::append(
            &mut tx,
            Change {
                who,
                action: "article.create",
                entity: "article",
                entity_id: id.to_string(),
                unit_id: Some(input.unit_id),
                before: None,
                after: Some(json!({"slug": slug, "headline": t.headline, "topic": input.topic.code(),
                    "conference": conference_id})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// Change the text of an article editors may still change (audited). A
/// published article is changed only by a correction (`workflow::correct`).
pub async fn update(db: &Db, actor: &Actor, id: i64, input: &ArticleInput) -> StorageResult<()> {
    let before = get(db, actor, id).await?;
    access::require(db, actor, Action::EditArticles, input.unit_id).await?;
    let reviewer = access::can(db, actor, Action::PublishArticles, before.unit_id).await?;
    if !(before.state.editable() || (reviewer && before.state == ArticleState::Submitted)) {
        return Err(antq_core::DomainError::invalid(format!(
            "Bài viết đang ở trạng thái \"{}\" nên không sửa được; bài đã đăng chỉ sửa bằng đính chính",
            before.state.label_vi()
        ))
        .into());
    }
    let province = check_place(db, input).await?;
    write_text(db, actor, &before, input, province, None).await
}

/// Write the text of an article and audit it; a correction note, when
/// given, is added to the article's corrections with the day.
pub(crate) async fn write_text(
    db: &Db,
    actor: &Actor,
    before: &Article,
    input: &ArticleInput,
    province: Option<String>,
    correction: Option<&str>,
) -> StorageResult<()> {
    let who = actor.who();
    let now = dates::timestamp(dates::now_utc());
    let correction_text = match correction {
        None => before.correction.clone(),
        Some(note) => {
            let line = format!("{}: {note}", dates::format_vi(dates::today()));
            if before.correction.is_empty() {
                line
            } else {
                format!("{}\n{line}", before.correction)
            }
        }
    };
    let (who, now, province, correction_text) = (&who, &now, &province, &correction_text);
    let published = before.state == ArticleState::Published;
    db.write(|mut tx| async move {
        let t = &input.text;
        // The address of a published article stays (links to it keep working).
        let slug = if published {
            before.slug.clone()
        } else {
            free_slug(&mut tx, &t.headline, Some(before.id)).await?
        };
        sqlx::query(
            "UPDATE articles SET slug = $1, unit_id = $2, headline = $3, lead = $4, body = $5, \
             author_line = $6, photo_credit = $7, topic = $8, place_unit_id = $9, \
             province_code = $10, tags = $11, search_key = $12, correction = $13, \
             updated_by = $14, updated_at = $15 WHERE id = $16",
        )
        .bind(&slug)
        .bind(input.unit_id)
        .bind(&t.headline)
        .bind(&t.lead)
        .bind(&t.body)
        .bind(&t.author_line)
        .bind(&t.photo_credit)
        .bind(input.topic.code())
        .bind(input.place_unit_id)
        .bind(province.as_deref())
        .bind(t.tags.join("\n"))
        .bind(t.search_key(input.topic))
        .bind(correction_text)
        .bind(&who.name)
        .bind(now)
        .bind(before.id)
        .execute(tx.conn())
        .await?;
        let mut after = snapshot(before);
        after["headline"] = json!(t.headline);
        after["lead"] = json!(t.lead);
        after["body"] = json!(t.body);
        after["tags"] = json!(t.tags);
        after["topic"] = json!(input.topic.code());
        after["correction"] = json!(correction_text);
        audit::append(
            &mut tx,
            Change {
                who,
                action: if correction.is_some() {
                    "article.correct"
                } else {
                    "article.update"
                },
                entity: "article",
                entity_id: before.id.to_string(),
                unit_id: Some(input.unit_id),
                before: Some(snapshot(before)),
                after: Some(after),
            },
        )
        .await?;
        if published {
            changes::record(&mut tx, ItemKind::Article, before.id).await?;
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// One line of an officer's list.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub id: i64,
    pub headline: String,
    pub unit_name: String,
    pub topic: Topic,
    pub state: ArticleState,
    pub updated_at: String,
    pub published_at: Option<String>,
}

/// The articles of the units whose news the actor edits, newest change
/// first, optionally in one state; and how many there are by state.
pub async fn list(
    db: &Db,
    actor: &Actor,
    state: Option<ArticleState>,
    limit: i64,
    offset: i64,
) -> StorageResult<(Vec<Listed>, Vec<(ArticleState, i64)>)> {
    let scope = actor.scope_sql(Action::EditArticles, "a.unit_id");
    let counts: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT a.state, COUNT(*) FROM articles a WHERE {scope} GROUP BY a.state"
    ))
    .fetch_all(db.pool())
    .await?;
    let counts = ArticleState::ALL
        .into_iter()
        .map(|s| {
            let n = counts
                .iter()
                .find(|(c, _)| c == s.code())
                .map_or(0, |c| c.1);
            (s, n)
        })
        .collect();
    let mut sql = format!(
        "SELECT a.id, a.headline, u.name, a.topic, a.state, a.updated_at, a.published_at \
         FROM articles a JOIN units u ON u.id = a.unit_id WHERE {scope}"
    );
    if state.is_some() {
        sql.push_str(" AND a.state = $1");
    }
    sql.push_str(&format!(
        " ORDER BY a.updated_at DESC, a.id DESC LIMIT {} OFFSET {}",
        limit.clamp(1, 200),
        offset.clamp(0, 1_000_000)
    ));
    let mut q = sqlx::query(&sql);
    if let Some(s) = state {
        q = q.bind(s.code());
    }
    let rows = q.fetch_all(db.pool()).await?;
    let items = rows
        .iter()
        .map(|r| {
            let topic: String = r.get(3);
            let st: String = r.get(4);
            Ok(Listed {
                id: r.get(0),
                headline: r.get(1),
                unit_name: r.get(2),
                topic: Topic::parse(&topic)
                    .ok_or_else(|| corrupt(format!("chủ đề \"{topic}\"")))?,
                state: ArticleState::parse(&st)
                    .ok_or_else(|| corrupt(format!("trạng thái \"{st}\"")))?,
                updated_at: r.get(5),
                published_at: r.get(6),
            })
        })
        .collect::<StorageResult<Vec<_>>>()?;
    Ok((items, counts))
}
