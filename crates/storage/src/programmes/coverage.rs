//! The programme that covers a review's stage: the unit's own plan or
//! programme (or one of the units above it) whose stage contains the
//! review's years, else the national programme covering those years. A
//! programme whose stage is not known covers nothing by default; the
//! officer may still choose it. (Owned by the reviews work of issue 12.)

use antq_core::reviews::ProgrammeRef;
use antq_core::DomainError;
use sqlx::Row as _;

use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::units::Unit;

/// What the officer asked for when building a review.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProgrammeChoice {
    /// The programme that covers the stage, if any.
    #[default]
    Covering,
    /// No programme: the review is about the movement.
    None,
    /// This programme (national, or of the unit or a unit above it).
    Chosen(i64),
}

impl ProgrammeChoice {
    /// "" or "auto": covering; "none" / "không": none; a number: that one.
    pub fn parse(s: &str) -> Result<ProgrammeChoice, DomainError> {
        let t = antq_core::text::fold(s.trim());
        match t.as_str() {
            "" | "auto" => Ok(ProgrammeChoice::Covering),
            "none" | "khong" => Ok(ProgrammeChoice::None),
            n => n
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .map(ProgrammeChoice::Chosen)
                .ok_or_else(|| {
                    DomainError::invalid(format!(
                        "Chương trình, kế hoạch \u{201C}{}\u{201D} không hợp lệ: chọn một chương trình, \u{201C}none\u{201D} (không nêu) hoặc để trống (tự tìm)",
                        s.trim()
                    ))
                }),
        }
    }
}

/// Programmes visible from a unit: national ones and those of the unit or
/// a unit above it.
const VISIBLE: &str = "(p.unit_id IS NULL OR p.unit_id IN \
     (SELECT ancestor_id FROM unit_tree WHERE descendant_id = $1))";

/// The programme in force for `unit` whose stage contains `from..=to`: the
/// unit's own (the nearest unit first), else a national one; the latest
/// stage first.
pub async fn covering_programme(
    db: &Db,
    unit: &Unit,
    from: i32,
    to: i32,
) -> StorageResult<Option<ProgrammeRef>> {
    let id: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT p.id FROM programmes p \
         LEFT JOIN unit_tree t ON t.ancestor_id = p.unit_id AND t.descendant_id = $1 \
         WHERE {VISIBLE} AND p.stage_from IS NOT NULL AND p.stage_to IS NOT NULL \
           AND p.stage_from <= $2 AND p.stage_to >= $3 \
         ORDER BY CASE WHEN p.unit_id IS NULL THEN 1 ELSE 0 END, COALESCE(t.depth, 0), \
           CASE WHEN p.kind = 'chuong_trinh' THEN 0 ELSE 1 END, p.stage_from DESC, p.id \
         LIMIT 1"
    ))
    .bind(unit.id)
    .bind(i64::from(from))
    .bind(i64::from(to))
    .fetch_optional(db.pool())
    .await?;
    match id {
        Some(id) => Ok(Some(programme_ref(db, id).await?)),
        None => Ok(None),
    }
}

/// The programme a review names, as the officer chose it.
pub async fn chosen(
    db: &Db,
    unit: &Unit,
    from: i32,
    to: i32,
    choice: ProgrammeChoice,
) -> StorageResult<Option<ProgrammeRef>> {
    match choice {
        ProgrammeChoice::Covering => covering_programme(db, unit, from, to).await,
        ProgrammeChoice::None => Ok(None),
        ProgrammeChoice::Chosen(id) => {
            let visible: Option<i64> = sqlx::query_scalar(&format!(
                "SELECT p.id FROM programmes p WHERE p.id = $2 AND {VISIBLE}"
            ))
            .bind(unit.id)
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
            if visible.is_none() {
                return Err(DomainError::invalid(format!(
                    "Không có chương trình, kế hoạch số {id} của {} hoặc của Trung ương",
                    unit.name
                ))
                .into());
            }
            Ok(Some(programme_ref(db, id).await?))
        }
    }
}

/// A programme as a review cites it: its document's number, date, issuers
/// and subject (the programme's title and parties when it has no document).
pub async fn programme_ref(db: &Db, id: i64) -> StorageResult<ProgrammeRef> {
    let r = sqlx::query(
        "SELECT p.id, p.kind, p.title, p.signed_on, p.stage_from, p.stage_to, p.document_id, \
                d.reference, d.issued_on, d.subject \
         FROM programmes p LEFT JOIN documents d ON d.id = p.document_id WHERE p.id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(|| StorageError::not_found(format!("chương trình, kế hoạch số {id}")))?;
    let document_id: Option<i64> = r.get(6);
    let mut issuers: Vec<String> = match document_id {
        Some(d) => {
            sqlx::query_scalar(
                "SELECT name FROM document_issuers WHERE document_id = $1 ORDER BY position",
            )
            .bind(d)
            .fetch_all(db.pool())
            .await?
        }
        None => Vec::new(),
    };
    if issuers.is_empty() {
        issuers = sqlx::query_scalar(
            "SELECT name FROM programme_parties WHERE programme_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(db.pool())
        .await?;
    }
    let title: String = r.get(2);
    let subject: Option<String> = r.get(9);
    let signed: Option<String> = r.get(3);
    let issued: Option<String> = r.get(8);
    Ok(ProgrammeRef {
        id: r.get(0),
        kind: r.get(1),
        reference: r.get(7),
        issued_on: issued.or(signed),
        issuers,
        subject: subject.filter(|s| !s.trim().is_empty()).unwrap_or(title),
        stage_from: r.get::<Option<i64>, _>(4).map(|y| y as i32),
        stage_to: r.get::<Option<i64>, _>(5).map(|y| y as i32),
    })
}

/// The programmes an officer may choose for reviews of units within
/// `scope_sql` (on `unit_id`): national ones first, then by unit, as
/// (id, words).
pub async fn choices(db: &Db, scope_sql: &str) -> StorageResult<Vec<(i64, String)>> {
    let rows = sqlx::query(&format!(
        "SELECT p.id FROM programmes p WHERE p.unit_id IS NULL OR {} \
         ORDER BY CASE WHEN p.unit_id IS NULL THEN 0 ELSE 1 END, p.stage_from DESC, p.id LIMIT 100",
        scope_sql.replace("unit_id", "p.unit_id")
    ))
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::new();
    for r in rows {
        let p = programme_ref(db, r.get(0)).await?;
        let words = match (&p.reference, p.stage_from, p.stage_to) {
            (Some(reference), Some(a), Some(b)) => {
                format!("{} số {reference} ({a} – {b})", p.kind_words())
            }
            (Some(reference), _, _) => format!("{} số {reference}", p.kind_words()),
            (None, _, _) => p.citation(),
        };
        out.push((p.id, words));
    }
    Ok(out)
}
