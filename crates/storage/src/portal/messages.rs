//! "Gửi ban biên tập": what readers send to the editors of a unit (the
//! nation or a province) and the editors' inbox. A message keeps only what
//! the sender typed, the day it came (no time, address or agent) and at most
//! one attachment (a picture stripped of its metadata, or a PDF). Receiving
//! is not audited (the audit log would hold the sender's words); every act
//! of an editor on a message is. Editors are officers with
//! `Action::EditArticles` on the message's unit or above.

use antq_core::auth::Action;
use antq_core::dates;
use antq_core::text;
use antq_core::DomainError;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

use crate::accounts::access::{self, Actor};
use crate::audit::{self, Change};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};

/// The longest subject, body, name, contact and answer, in characters.
pub const MAX_SUBJECT: usize = 300;
pub const MAX_BODY: usize = 20_000;
pub const MIN_BODY: usize = 10;
pub const MAX_NAME: usize = 200;
pub const MAX_CONTACT: usize = 300;
pub const MAX_ANSWER: usize = 20_000;
/// The largest attachment, in bytes.
pub const MAX_ATTACHMENT: usize = 5 * 1024 * 1024;
/// Messages on one page of the inbox.
pub const PAGE_SIZE: i64 = 50;

/// What a reader sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Message,
    Correction,
    Story,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Message, Kind::Correction, Kind::Story];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Message => "message",
            Kind::Correction => "correction",
            Kind::Story => "story",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Kind::Message => "Góp ý",
            Kind::Correction => "Đính chính",
            Kind::Story => "Gửi tin, bài",
        }
    }

    pub fn parse(s: &str) -> Result<Kind, DomainError> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| {
                DomainError::invalid("Chưa chọn loại thư: góp ý, đính chính hoặc gửi tin, bài")
            })
    }
}

/// Where a message stands in the inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    New,
    Seen,
    Answered,
    Archived,
    Spam,
}

impl State {
    pub const ALL: [State; 5] = [
        State::New,
        State::Seen,
        State::Answered,
        State::Archived,
        State::Spam,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::New => "new",
            State::Seen => "seen",
            State::Answered => "answered",
            State::Archived => "archived",
            State::Spam => "spam",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            State::New => "Mới",
            State::Seen => "Đã xem",
            State::Answered => "Đã trả lời",
            State::Archived => "Lưu trữ",
            State::Spam => "Rác",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

/// A file sent with a message, already checked (see the web's reading).
#[derive(Debug, Clone)]
pub struct Attachment {
    pub name: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}

/// A message as a reader sends it (before [`check`]).
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub unit_id: i64,
    pub kind: Kind,
    pub name: String,
    pub contact: String,
    pub subject: String,
    pub body: String,
    pub attachment: Option<Attachment>,
}

/// Bound and normalise what was typed (NFC, trimmed), or say what is wrong.
pub fn check(m: NewMessage) -> Result<NewMessage, DomainError> {
    let clean = |label: &str, s: &str, max: usize| -> Result<String, DomainError> {
        let s = text::nfc(s.trim());
        text::check_len(label, &s, max)?;
        text::check_printable(label, &s)?;
        Ok(s)
    };
    let name = clean("Họ tên", &m.name, MAX_NAME)?;
    let contact = clean("Thông tin liên lạc", &m.contact, MAX_CONTACT)?;
    let subject = clean("Tiêu đề", &m.subject, MAX_SUBJECT)?;
    let body = text::nfc(m.body.trim());
    text::check_len("Nội dung", &body, MAX_BODY)?;
    if subject.is_empty() {
        return Err(DomainError::invalid("Chưa có tiêu đề thư"));
    }
    if body.chars().count() < MIN_BODY {
        return Err(DomainError::invalid(format!(
            "Nội dung thư cần ít nhất {MIN_BODY} ký tự"
        )));
    }
    if m.attachment
        .as_ref()
        .is_some_and(|a| a.bytes.len() > MAX_ATTACHMENT)
    {
        return Err(DomainError::invalid(format!(
            "Tệp đính kèm tối đa {} MB",
            MAX_ATTACHMENT / 1024 / 1024
        )));
    }
    Ok(NewMessage {
        name,
        contact,
        subject,
        body,
        ..m
    })
}

/// Messages received on a day: for the unit, and for every unit.
/// Whom a reader may write to: the nation's editors, then today's provinces
/// in Vietnamese order, as (code, name).
pub async fn recipients(db: &Db) -> StorageResult<Vec<(String, String)>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT code, name, level FROM units \
         WHERE level IN ('nation', 'province') AND valid_to IS NULL \
         ORDER BY CASE WHEN level = 'nation' THEN 0 ELSE 1 END, sort_key",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name, level)| {
            let name = if level == "nation" {
                "Cả nước".to_string()
            } else {
                name
            };
            (code, name)
        })
        .collect())
}

pub async fn received_on(db: &Db, unit_id: i64, day: dates::Date) -> StorageResult<(i64, i64)> {
    let r = sqlx::query(
        "SELECT CAST(COALESCE(SUM(CASE WHEN unit_id = $1 THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COUNT(*) AS BIGINT) FROM editor_messages WHERE received_on = $2",
    )
    .bind(unit_id)
    .bind(day.to_string())
    .fetch_one(db.pool())
    .await?;
    Ok((r.get(0), r.get(1)))
}

/// Keep a checked message (not audited: see the module's words).
pub async fn receive(db: &Db, m: &NewMessage, today: dates::Date) -> StorageResult<i64> {
    let day = today.to_string();
    let stamp = dates::timestamp(dates::now_utc());
    let ctx = (m, &day, &stamp);
    db.write_unaudited(|mut tx| async move {
        let (m, day, stamp) = ctx;
        let a = m.attachment.as_ref();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO editor_messages (unit_id, kind, name, contact, subject, body, state, \
             received_on, attachment_name, attachment_type, attachment, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'new', $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(m.unit_id)
        .bind(m.kind.as_str())
        .bind(&m.name)
        .bind(&m.contact)
        .bind(&m.subject)
        .bind(&m.body)
        .bind(day)
        .bind(a.map(|a| a.name.clone()))
        .bind(a.map(|a| a.media_type.clone()))
        .bind(a.map(|a| a.bytes.clone()))
        .bind(stamp)
        .fetch_one(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// A message in the inbox list.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub id: i64,
    pub unit_name: String,
    pub kind: Kind,
    pub subject: String,
    pub name: String,
    pub state: State,
    pub received_on: String,
    pub has_attachment: bool,
}

/// A message as an editor reads it.
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub id: i64,
    #[serde(skip)]
    pub unit_id: i64,
    pub unit_name: String,
    pub kind: Kind,
    pub name: String,
    pub contact: String,
    pub subject: String,
    pub body: String,
    pub state: State,
    pub received_on: String,
    pub answer: String,
    pub answered_by: Option<String>,
    pub answered_at: Option<String>,
    pub attachment_name: Option<String>,
    pub attachment_type: Option<String>,
    pub draft_article_id: Option<i64>,
}

fn kind_of(s: &str) -> StorageResult<Kind> {
    Ok(Kind::parse(s)?)
}

fn state_of(s: &str) -> StorageResult<State> {
    State::parse(s).ok_or_else(|| StorageError::Conflict(format!("trạng thái thư lạ: {s}")))
}

/// The editor's messages may be read only by editors: anyone else is refused.
fn require_editor(actor: &Actor) -> StorageResult<()> {
    if actor
        .grants
        .iter()
        .any(|g| Action::EditArticles.permitted_by(g.role))
    {
        Ok(())
    } else {
        Err(StorageError::Forbidden)
    }
}

/// How many messages the actor's inbox holds in each state.
pub async fn counts(db: &Db, actor: &Actor) -> StorageResult<Vec<(State, i64)>> {
    require_editor(actor)?;
    let scope = actor.scope_sql(Action::EditArticles, "m.unit_id");
    let rows = sqlx::query(&format!(
        "SELECT m.state, CAST(COUNT(*) AS BIGINT) FROM editor_messages m WHERE {scope} GROUP BY m.state"
    ))
    .fetch_all(db.pool())
    .await?;
    let mut out: Vec<(State, i64)> = State::ALL.iter().map(|s| (*s, 0)).collect();
    for r in rows {
        let s: String = r.get(0);
        if let Some(e) = out.iter_mut().find(|(k, _)| k.as_str() == s) {
            e.1 = r.get(1);
        }
    }
    Ok(out)
}

/// One page of the actor's messages in a state, newest first.
pub async fn list(db: &Db, actor: &Actor, state: State, page: i64) -> StorageResult<Vec<Summary>> {
    require_editor(actor)?;
    let scope = actor.scope_sql(Action::EditArticles, "m.unit_id");
    let offset = (page.max(1) - 1) * PAGE_SIZE;
    sqlx::query(&format!(
        "SELECT m.id, u.name, m.kind, m.subject, m.name, m.state, m.received_on, \
         CASE WHEN m.attachment_type IS NULL THEN 0 ELSE 1 END \
         FROM editor_messages m JOIN units u ON u.id = m.unit_id \
         WHERE m.state = $1 AND {scope} ORDER BY m.id DESC LIMIT {PAGE_SIZE} OFFSET {offset}"
    ))
    .bind(state.as_str())
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(Summary {
            id: r.get(0),
            unit_name: r.get(1),
            kind: kind_of(&r.get::<String, _>(2))?,
            subject: r.get(3),
            name: r.get(4),
            state: state_of(&r.get::<String, _>(5))?,
            received_on: r.get(6),
            has_attachment: r.get::<i64, _>(7) == 1,
        })
    })
    .collect()
}

fn not_found(id: i64) -> StorageError {
    StorageError::NotFound(format!("thư gửi ban biên tập số {id}"))
}

async fn load(db: &Db, id: i64) -> StorageResult<Message> {
    let r = sqlx::query(
        "SELECT m.id, m.unit_id, u.name, m.kind, m.name, m.contact, m.subject, m.body, m.state, \
         m.received_on, m.answer, m.answered_by, m.answered_at, m.attachment_name, \
         m.attachment_type, m.draft_article_id \
         FROM editor_messages m JOIN units u ON u.id = m.unit_id WHERE m.id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(|| not_found(id))?;
    Ok(Message {
        id: r.get(0),
        unit_id: r.get(1),
        unit_name: r.get(2),
        kind: kind_of(&r.get::<String, _>(3))?,
        name: r.get(4),
        contact: r.get(5),
        subject: r.get(6),
        body: r.get(7),
        state: state_of(&r.get::<String, _>(8))?,
        received_on: r.get(9),
        answer: r.get(10),
        answered_by: r.get(11),
        answered_at: r.get(12),
        attachment_name: r.get(13),
        attachment_type: r.get(14),
        draft_article_id: r.get(15),
    })
}

/// A message the actor may handle, or 403 (no editor role) / 404.
async fn visible(db: &Db, actor: &Actor, id: i64) -> StorageResult<Message> {
    require_editor(actor)?;
    let m = load(db, id).await.map_err(|_| not_found(id))?;
    access::require_visible(db, actor, Action::EditArticles, m.unit_id, || {
        format!("thư gửi ban biên tập số {id}")
    })
    .await?;
    Ok(m)
}

/// Write a change of state (and of the answer or draft) with its audit row.
async fn change(
    db: &Db,
    actor: &Actor,
    m: &Message,
    action: &str,
    set: &str,
    binds: Vec<String>,
    after: serde_json::Value,
) -> StorageResult<()> {
    let who = actor.who();
    let stamp = dates::timestamp(dates::now_utc());
    let ctx = (&who, &stamp, &binds, &after, m);
    db.write(|mut tx| async move {
        let (who, stamp, binds, after, m) = ctx;
        let n = binds.len();
        let sql = format!(
            "UPDATE editor_messages SET {set}, updated_at = ${} WHERE id = ${}",
            n + 1,
            n + 2
        );
        let mut q = sqlx::query(&sql);
        for b in binds.iter() {
            q = q.bind(b.clone());
        }
        q.bind(stamp.clone()).bind(m.id).execute(tx.conn()).await?;
        audit::append(
            &mut tx,
            Change {
                who,
                action,
                entity: "editor_message",
                entity_id: m.id.to_string(),
                unit_id: Some(m.unit_id),
                before: Some(json!({"state": m.state.as_str()})),
                after: Some(after.clone()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Read a message; a new one becomes "đã xem" (audited).
pub async fn open(db: &Db, actor: &Actor, id: i64) -> StorageResult<Message> {
    let mut m = visible(db, actor, id).await?;
    if m.state == State::New {
        change(
            db,
            actor,
            &m,
            "editor_message.seen",
            "state = 'seen'",
            vec![],
            json!({"state": "seen"}),
        )
        .await?;
        m.state = State::Seen;
    }
    Ok(m)
}

/// Record the answer given by the contact the reader left ("đã trả lời").
pub async fn answer(db: &Db, actor: &Actor, id: i64, answer: &str) -> StorageResult<Message> {
    let m = visible(db, actor, id).await?;
    let answer = text::nfc(answer.trim());
    text::check_len("Nội dung trả lời", &answer, MAX_ANSWER)?;
    if answer.is_empty() {
        return Err(DomainError::invalid("Chưa ghi nội dung đã trả lời").into());
    }
    let stamp = dates::timestamp(dates::now_utc());
    change(
        db,
        actor,
        &m,
        "editor_message.answer",
        "state = 'answered', answer = $1, answered_by = $2, answered_at = $3",
        vec![answer.clone(), actor.username.clone(), stamp],
        json!({"state": "answered", "answer": answer}),
    )
    .await?;
    load(db, id).await
}

/// Move a message to "lưu trữ", "rác", or back to "đã xem".
pub async fn set_state(db: &Db, actor: &Actor, id: i64, to: State) -> StorageResult<Message> {
    let m = visible(db, actor, id).await?;
    if !matches!(to, State::Archived | State::Spam | State::Seen) {
        return Err(DomainError::invalid(
            "Chỉ chuyển thư vào lưu trữ, vào rác hoặc trả về hộp thư đã xem",
        )
        .into());
    }
    if m.state == to {
        return Ok(m);
    }
    change(
        db,
        actor,
        &m,
        "editor_message.state",
        "state = $1",
        vec![to.as_str().to_string()],
        json!({"state": to.as_str()}),
    )
    .await?;
    load(db, id).await
}

/// Turn a message into an article draft of the message's unit (once: a
/// second call returns the same draft). The draft's id.
pub async fn to_draft(db: &Db, actor: &Actor, id: i64) -> StorageResult<i64> {
    let m = visible(db, actor, id).await?;
    if let Some(a) = m.draft_article_id {
        return Ok(a);
    }
    let who = actor.who();
    let stamp = dates::timestamp(dates::now_utc());
    // The article's own rules: a headline within its limit, a slug from
    // the headline, and the byline "Bạn đọc" (the sender's name is theirs
    // to give; the editor adds it if the sender agrees).
    let subject = if m.subject.trim().is_empty() {
        "Thư bạn đọc".to_string()
    } else {
        m.subject.clone()
    };
    let headline: String = subject
        .chars()
        .take(antq_core::portal::article::MAX_HEADLINE)
        .collect();
    let checked =
        antq_core::portal::article::ArticleText::parse(&headline, "", &m.body, "Bạn đọc", "", "")?;
    let headline = checked.headline;
    let key = text::fold(&headline);
    let author = "Bạn đọc".to_string();
    let ctx = (&who, &stamp, &m, &headline, &key, &author, actor);
    db.write(|mut tx| async move {
        let (who, stamp, m, headline, key, author, actor) = ctx;
        let slug = crate::portal::articles::free_slug(&mut tx, headline, None).await?;
        let article: i64 = sqlx::query_scalar(
            "INSERT INTO articles (slug, unit_id, headline, body, author_line, topic, state, \
             search_key, created_by, created_at, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'phong-trao', 'draft', $6, $7, $8, $7, $8) RETURNING id",
        )
        .bind(&slug)
        .bind(m.unit_id)
        .bind(headline)
        .bind(&m.body)
        .bind(author)
        .bind(key)
        .bind(&actor.username)
        .bind(stamp)
        .fetch_one(tx.conn())
        .await?;
        sqlx::query(
            "UPDATE editor_messages SET draft_article_id = $1, updated_at = $2 WHERE id = $3",
        )
        .bind(article)
        .bind(stamp)
        .bind(m.id)
        .execute(tx.conn())
        .await?;
        audit::append(
            &mut tx,
            Change {
                who,
                action: "editor_message.draft",
                entity: "editor_message",
                entity_id: m.id.to_string(),
                unit_id: Some(m.unit_id),
                before: None,
                after: Some(json!({"article_id": article, "slug": slug})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(article)
    })
    .await
}

/// An attachment's columns as stored (name, media type, bytes).
type StoredFile = (Option<String>, Option<String>, Option<Vec<u8>>);

/// A message's attachment (name, media type, bytes), for its editors.
pub async fn attachment(
    db: &Db,
    actor: &Actor,
    id: i64,
) -> StorageResult<Option<(String, String, Vec<u8>)>> {
    visible(db, actor, id).await?;
    let r: Option<StoredFile> = sqlx::query_as(
        "SELECT attachment_name, attachment_type, attachment FROM editor_messages WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(match r {
        Some((Some(n), Some(t), Some(b))) => Some((n, t, b)),
        _ => None,
    })
}
