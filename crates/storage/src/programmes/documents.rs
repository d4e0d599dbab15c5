//! The document library: documents with their issuers, aliases and files,
//! and the one search behind "Tìm kiếm văn bản" (number/symbol with aliases,
//! words of the subject accent-insensitive, kind, issuer, year).
//! (Owned by the documents work of issue 12.)
//!
//! Reading: every signed-in user reads national documents (no unit) and
//! those of units they may `Read`; editing needs `EditRecords` over the
//! owning unit, or a national grant for national documents.

#[path = "documents_text.rs"]
pub mod file_text;
#[path = "documents_files.rs"]
mod files;
#[path = "documents_import.rs"]
mod import_impl;
#[path = "documents_public.rs"]
mod public;
#[path = "documents_search.rs"]
mod search_impl;
#[path = "documents_seed.rs"]
mod seed;

pub use files::{attach, file, FileInfo};
pub(crate) use files::{store as store_file, NewFile};
pub use import_impl::{import, ImportSummary, MAX_ROWS};
pub use public::{
    add_relation, public_file, public_get, public_state, relations, remove_relation, set_public,
    CitingArticle, PublicDocument, Related, RelationKind,
};
pub use search_impl::{search, DocPage, DocQuery};
pub use seed::{seed_if_empty, PROGRAMME_09};

use antq_core::auth::Action;
use antq_core::dates::{self, Date};
use antq_core::programmes::documents::{reference_key, DocKind, DocRef};
use antq_core::text;
use antq_core::DomainError;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

use crate::accounts::access::{self, Actor};
use crate::audit::{self, Change, Who};
use crate::db::{Db, WriteTx};
use crate::error::{StorageError, StorageResult};
use crate::portal::changes::{self, ItemKind};

/// Who reads: which documents and programmes a search or a list shows.
/// The default is antq itself (other registries, the CLI), which sees
/// everything: a page or an API handler always sets `User`.
#[derive(Debug, Clone, Default)]
pub enum Reader {
    #[default]
    System,
    /// The public (the portal later): national records only.
    Public,
    /// A signed-in user: national records and those of the units they may `Read`.
    User(Actor),
}

impl Reader {
    /// An SQL condition on a nullable unit column (NULL: national).
    pub fn condition(&self, column: &str) -> String {
        match self {
            Reader::System => "1 = 1".into(),
            Reader::Public => format!("{column} IS NULL"),
            Reader::User(a) => format!(
                "({column} IS NULL OR {})",
                a.scope_sql(Action::Read, column)
            ),
        }
    }
}

/// How many issuers, aliases a document may list.
pub const MAX_ISSUERS: usize = 10;
pub const MAX_ALIASES: usize = 20;
/// The longest subject, in characters.
pub const MAX_SUBJECT: usize = 2_000;

/// Another way the document is cited, with a note ("báo chí ghi năm 2023").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alias {
    pub reference: String,
    pub note: String,
}

/// A document as read.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub id: i64,
    pub kind: DocKind,
    pub number: Option<String>,
    pub year: Option<i64>,
    pub symbol: Option<String>,
    pub reference: Option<String>,
    /// ISO date.
    pub issued_on: Option<String>,
    pub subject: String,
    pub as_written: Option<String>,
    pub unit_id: Option<i64>,
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
    pub issuers: Vec<String>,
    pub aliases: Vec<Alias>,
    pub files: Vec<FileInfo>,
}

impl Document {
    /// "Chương trình phối hợp số 09/CTr-BCA-MTTW ngày 01/08/2013", or the kind
    /// alone while the number is unknown.
    pub fn title(&self) -> String {
        let mut t = self.kind.word_vi().to_string();
        if let Some(r) = &self.reference {
            t.push_str(" số ");
            t.push_str(r);
        }
        if let Some(d) = self
            .issued_on
            .as_deref()
            .and_then(|d| dates::parse_date(d).ok())
        {
            t.push_str(" ngày ");
            t.push_str(&dates::format_vi(d));
        }
        t
    }
}

/// A document to create or update: parsed and bounded by [`DocInput::check`].
#[derive(Debug, Clone)]
pub struct DocInput {
    pub kind: DocKind,
    pub reference: Option<DocRef>,
    /// The year when the reference has none (administrative, Party documents).
    pub year: Option<i32>,
    pub issued_on: Option<Date>,
    pub subject: String,
    pub issuers: Vec<String>,
    pub aliases: Vec<Alias>,
    pub as_written: Option<String>,
    pub unit_id: Option<i64>,
}

impl DocInput {
    /// Clean every text (NFC, spaces) and refuse what is empty or too long.
    pub fn check(mut self) -> Result<DocInput, DomainError> {
        self.subject = text::clean(&self.subject);
        if self.subject.is_empty() {
            return Err(DomainError::invalid("Trích yếu đang để trống"));
        }
        text::check_len("Trích yếu", &self.subject, MAX_SUBJECT)?;
        self.issuers = self
            .issuers
            .iter()
            .map(|s| text::clean(s))
            .filter(|s| !s.is_empty())
            .collect();
        if self.issuers.len() > MAX_ISSUERS {
            return Err(DomainError::invalid(format!(
                "Văn bản có {} cơ quan ban hành, nhiều nhất là {MAX_ISSUERS}",
                self.issuers.len()
            )));
        }
        for i in &self.issuers {
            text::check_len("Tên cơ quan ban hành", i, text::limits::NAME)?;
        }
        self.aliases = self
            .aliases
            .iter()
            .map(|a| Alias {
                reference: text::clean(&a.reference),
                note: text::clean(&a.note),
            })
            .filter(|a| !a.reference.is_empty())
            .collect();
        if self.aliases.len() > MAX_ALIASES {
            return Err(DomainError::invalid(format!(
                "Văn bản có {} tên gọi khác, nhiều nhất là {MAX_ALIASES}",
                self.aliases.len()
            )));
        }
        for a in &self.aliases {
            text::check_len("Tên gọi khác", &a.reference, 100)?;
            text::check_len("Ghi chú của tên gọi khác", &a.note, text::limits::NOTE)?;
        }
        self.as_written = self
            .as_written
            .as_deref()
            .map(text::clean)
            .filter(|s| !s.is_empty());
        if let Some(w) = &self.as_written {
            text::check_len("Trích dẫn nguyên văn", w, 300)?;
        }
        if let Some(y) = self.year {
            if !(1900..=2100).contains(&y) {
                return Err(DomainError::invalid(format!("Năm {y} không hợp lệ")));
            }
        }
        Ok(self)
    }

    fn year(&self) -> Option<i64> {
        use chrono::Datelike;
        self.reference
            .as_ref()
            .and_then(|r| r.year)
            .or(self.year)
            .or(self.issued_on.map(|d| d.year()))
            .map(i64::from)
    }

    fn search_key(&self) -> String {
        let mut parts = vec![self.kind.word_vi().to_string(), self.subject.clone()];
        if let Some(r) = &self.reference {
            parts.push(r.to_string());
        }
        parts.extend(self.issuers.iter().cloned());
        parts.extend(self.aliases.iter().map(|a| a.reference.clone()));
        parts.extend(self.as_written.iter().cloned());
        text::fold(&parts.join(" "))
    }

    fn audit_json(&self) -> serde_json::Value {
        json!({
            "kind": self.kind.code(),
            "reference": self.reference.as_ref().map(|r| r.to_string()),
            "year": self.year(),
            "issued_on": self.issued_on.map(dates::iso),
            "subject": self.subject,
            "issuers": self.issuers,
            "aliases": self.aliases,
            "as_written": self.as_written,
            "unit_id": self.unit_id,
        })
    }
}

/// May the actor read documents of this unit (None: national)?
pub async fn can_read(db: &Db, actor: &Actor, unit_id: Option<i64>) -> StorageResult<bool> {
    match unit_id {
        None => Ok(true),
        Some(u) => access::can(db, actor, Action::Read, u).await,
    }
}

/// Refuse an actor who may not edit records of the unit (None: national).
pub async fn require_edit(db: &Db, actor: &Actor, unit_id: Option<i64>) -> StorageResult<()> {
    match unit_id {
        None if actor.is_national(Action::EditRecords) => Ok(()),
        None => Err(StorageError::Forbidden),
        Some(u) => access::require(db, actor, Action::EditRecords, u).await,
    }
}

fn not_found(id: i64) -> StorageError {
    StorageError::not_found(format!("văn bản số {id}"))
}

/// A document the actor may read (otherwise not found, like a missing one).
pub async fn get(db: &Db, actor: &Actor, id: i64) -> StorageResult<Document> {
    let doc = load(db, id).await?.ok_or_else(|| not_found(id))?;
    if can_read(db, actor, doc.unit_id).await? {
        Ok(doc)
    } else {
        Err(not_found(id))
    }
}

/// The document whose reference or one of whose aliases is this text
/// (case-, accent- and space-insensitive), without access checks: how other
/// registries find programme 09 by [`PROGRAMME_09`].
pub async fn by_reference(db: &Db, reference: &str) -> StorageResult<Option<Document>> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM documents WHERE reference_key = $1 \
         UNION SELECT document_id FROM document_aliases WHERE reference_key = $1 ORDER BY 1",
    )
    .bind(reference_key(reference))
    .fetch_optional(db.pool())
    .await?;
    match id {
        Some(id) => load(db, id).await,
        None => Ok(None),
    }
}

const COLUMNS: &str = "d.id, d.kind, d.number, d.year, d.symbol, d.reference, d.issued_on, \
     d.subject, d.as_written, d.unit_id, u.name, u.code";

/// A document without access checks (for the library's own use).
pub async fn load(db: &Db, id: i64) -> StorageResult<Option<Document>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM documents d LEFT JOIN units u ON u.id = d.unit_id WHERE d.id = $1"
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let mut doc = from_row(&row)?;
    fill(db, std::slice::from_mut(&mut doc)).await?;
    doc.files = files::list(db, id).await?;
    Ok(Some(doc))
}

pub(crate) fn from_row(r: &sqlx::any::AnyRow) -> StorageResult<Document> {
    let kind: String = r.get(1);
    Ok(Document {
        id: r.get(0),
        kind: DocKind::parse(&kind)?,
        number: r.get(2),
        year: r.get(3),
        symbol: r.get(4),
        reference: r.get(5),
        issued_on: r.get(6),
        subject: r.get(7),
        as_written: r.get(8),
        unit_id: r.get(9),
        unit_name: r.get(10),
        unit_code: r.get(11),
        issuers: Vec::new(),
        aliases: Vec::new(),
        files: Vec::new(),
    })
}

/// Read the issuers and aliases of these documents.
pub(crate) async fn fill(db: &Db, docs: &mut [Document]) -> StorageResult<()> {
    if docs.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = docs.iter().map(|d| d.id).collect();
    let list = crate::db::id_list(&ids);
    let issuers: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT document_id, name FROM document_issuers WHERE document_id IN ({list}) \
         ORDER BY document_id, position"
    ))
    .fetch_all(db.pool())
    .await?;
    let aliases: Vec<(i64, String, String)> = sqlx::query_as(&format!(
        "SELECT document_id, reference, note FROM document_aliases WHERE document_id IN ({list}) \
         ORDER BY document_id, id"
    ))
    .fetch_all(db.pool())
    .await?;
    for d in docs.iter_mut() {
        d.issuers = issuers
            .iter()
            .filter(|(id, _)| *id == d.id)
            .map(|(_, n)| n.clone())
            .collect();
        d.aliases = aliases
            .iter()
            .filter(|(id, _, _)| *id == d.id)
            .map(|(_, r, n)| Alias {
                reference: r.clone(),
                note: n.clone(),
            })
            .collect();
    }
    Ok(())
}

/// Record a new document (audited).
pub async fn create(db: &Db, actor: &Actor, input: DocInput) -> StorageResult<Document> {
    let input = input.check()?;
    require_edit(db, actor, input.unit_id).await?;
    let who = actor.who();
    let id = db
        .write(|mut tx| {
            let (input, who) = (&input, &who);
            async move {
                let id = insert(&mut tx, who, input).await?;
                tx.commit().await?;
                Ok(id)
            }
        })
        .await?;
    load(db, id).await?.ok_or_else(|| not_found(id))
}

/// Insert a document, its issuers and aliases, and audit it, in the caller's transaction.
pub(crate) async fn insert(tx: &mut WriteTx, who: &Who, input: &DocInput) -> StorageResult<i64> {
    let now = dates::timestamp(dates::now_utc());
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO documents (kind, number, year, symbol, reference, reference_key, issued_on, \
         subject, as_written, unit_id, search_key, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(input.kind.code())
    .bind(input.reference.as_ref().map(|r| r.number.clone()))
    .bind(input.year())
    .bind(input.reference.as_ref().map(|r| r.symbol()))
    .bind(input.reference.as_ref().map(|r| r.to_string()))
    .bind(
        input
            .reference
            .as_ref()
            .map(|r| reference_key(&r.to_string())),
    )
    .bind(input.issued_on.map(dates::iso))
    .bind(&input.subject)
    .bind(&input.as_written)
    .bind(input.unit_id)
    .bind(input.search_key())
    .bind(&who.name)
    .bind(&now)
    .fetch_one(tx.conn())
    .await?;
    write_lists(tx, id, input).await?;
    changes::record(tx, ItemKind::Document, id).await?;
    audit::append(
        tx,
        Change {
            who,
            action: "document.create",
            entity: "document",
            entity_id: id.to_string(),
            unit_id: input.unit_id,
            before: None,
            after: Some(input.audit_json()),
        },
    )
    .await?;
    Ok(id)
}

async fn write_lists(tx: &mut WriteTx, id: i64, input: &DocInput) -> StorageResult<()> {
    sqlx::query("DELETE FROM document_issuers WHERE document_id = $1")
        .bind(id)
        .execute(tx.conn())
        .await?;
    sqlx::query("DELETE FROM document_aliases WHERE document_id = $1")
        .bind(id)
        .execute(tx.conn())
        .await?;
    for (i, name) in input.issuers.iter().enumerate() {
        sqlx::query(
            "INSERT INTO document_issuers (document_id, position, name, name_key) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(i as i64 + 1)
        .bind(name)
        .bind(text::fold(name))
        .execute(tx.conn())
        .await?;
    }
    for a in &input.aliases {
        sqlx::query(
            "INSERT INTO document_aliases (document_id, reference, reference_key, note) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(&a.reference)
        .bind(reference_key(&a.reference))
        .bind(&a.note)
        .execute(tx.conn())
        .await?;
    }
    Ok(())
}

/// Change a document (audited, with what it was before).
pub async fn update(db: &Db, actor: &Actor, id: i64, input: DocInput) -> StorageResult<Document> {
    let input = input.check()?;
    let before = get(db, actor, id).await?;
    require_edit(db, actor, before.unit_id).await?;
    require_edit(db, actor, input.unit_id).await?;
    let who = actor.who();
    db.write(|mut tx| {
        let (input, who, before) = (&input, &who, &before);
        async move {
            let now = dates::timestamp(dates::now_utc());
            sqlx::query(
                "UPDATE documents SET kind = $1, number = $2, year = $3, symbol = $4, \
                 reference = $5, reference_key = $6, issued_on = $7, subject = $8, \
                 as_written = $9, unit_id = $10, search_key = $11, updated_at = $12 WHERE id = $13",
            )
            .bind(input.kind.code())
            .bind(input.reference.as_ref().map(|r| r.number.clone()))
            .bind(input.year())
            .bind(input.reference.as_ref().map(|r| r.symbol()))
            .bind(input.reference.as_ref().map(|r| r.to_string()))
            .bind(
                input
                    .reference
                    .as_ref()
                    .map(|r| reference_key(&r.to_string())),
            )
            .bind(input.issued_on.map(dates::iso))
            .bind(&input.subject)
            .bind(&input.as_written)
            .bind(input.unit_id)
            .bind(input.search_key())
            .bind(&now)
            .bind(id)
            .execute(tx.conn())
            .await?;
            write_lists(&mut tx, id, input).await?;
            changes::record(&mut tx, ItemKind::Document, id).await?;
            audit::append(
                &mut tx,
                Change {
                    who,
                    action: "document.update",
                    entity: "document",
                    entity_id: id.to_string(),
                    unit_id: input.unit_id.or(before.unit_id),
                    before: Some(json!({
                        "kind": before.kind.code(), "reference": before.reference,
                        "issued_on": before.issued_on, "subject": before.subject,
                        "issuers": before.issuers, "aliases": before.aliases,
                        "as_written": before.as_written, "unit_id": before.unit_id,
                    })),
                    after: Some(input.audit_json()),
                },
            )
            .await?;
            tx.commit().await
        }
    })
    .await?;
    load(db, id).await?.ok_or_else(|| not_found(id))
}
