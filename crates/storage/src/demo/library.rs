//! The demo's public library: the movement's instruments (domain notes
//! §1.2, seeded in every library) made public, each with a generated DOCX
//! whose text the public search reads, and their relations (Kết luận 44
//! and Chương trình 09 implement Chỉ thị 09; the 2023 programme replaces
//! programme 09). The unconfirmed "77/QĐ-TTg" stays private. Idempotent.

use antq_core::dates;
use antq_core::programmes::documents::sha256_hex;
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::StorageResult;
use crate::portal::changes::{self, ItemKind};
use crate::programmes::documents::{self, file_text, RelationKind};
use crate::search::generate;

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// Make the instruments public; returns how many were made public now.
pub async fn load(db: &Db) -> StorageResult<usize> {
    let public: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE public = 1")
        .fetch_one(db.pool())
        .await?;
    if public > 0 {
        return Ok(0);
    }
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM documents WHERE unit_id IS NULL \
         AND (reference IS NOT NULL OR kind = 'chuong_trinh') ORDER BY id",
    )
    .fetch_all(db.pool())
    .await?;
    let mut docs = Vec::new();
    for id in &ids {
        if let Some(d) = documents::load(db, *id).await? {
            docs.push(d);
        }
    }
    let by_ref = |r: &str| {
        docs.iter()
            .find(|d| d.reference.as_deref() == Some(r))
            .map(|d| d.id)
    };
    let ct09 = by_ref("09-CT/TW");
    let kl44 = by_ref("44-KL/TW");
    let p09 = by_ref(documents::PROGRAMME_09);
    let successor = docs
        .iter()
        .find(|d| d.reference.is_none() && d.year == Some(2023))
        .map(|d| d.id);
    let mut relations = Vec::new();
    if let (Some(a), Some(b)) = (kl44, ct09) {
        relations.push((a, b, RelationKind::Implements));
    }
    if let (Some(a), Some(b)) = (p09, ct09) {
        relations.push((a, b, RelationKind::Implements));
    }
    if let (Some(a), Some(b)) = (successor, p09) {
        relations.push((a, b, RelationKind::Replaces));
    }
    let grounds: Vec<String> = docs
        .iter()
        .filter(|d| Some(d.id) == ct09)
        .map(|d| {
            format!(
                "{} của {} {}",
                d.title(),
                d.issuers.join(", "),
                d.subject.to_lowercase()
            )
        })
        .collect();
    let who = Who::system();
    let now = dates::timestamp(dates::now_utc());
    let count = docs.len();
    db.write(|mut tx| {
        let (who, now, docs, relations, grounds) = (&who, &now, &docs, &relations, &grounds);
        async move {
            for d in docs.iter() {
                let grounds: &[String] = if Some(d.id) == p09 || Some(d.id) == kl44 { grounds } else { &[] };
                let paragraphs = generate::document_text(
                    d.id as u64,
                    &d.issuers,
                    &d.title(),
                    &d.subject,
                    grounds,
                );
                let bytes = file_text::docx_of(&paragraphs);
                let text = file_text::extract(DOCX, &bytes);
                let name = format!(
                    "{}.docx",
                    d.reference
                        .as_deref()
                        .map(|r| r.replace('/', "-"))
                        .unwrap_or_else(|| format!("van-ban-{}", d.id))
                );
                documents::store_file(
                    &mut tx,
                    who,
                    documents::NewFile {
                        document_id: d.id,
                        unit_id: None,
                        name: &name,
                        media_type: DOCX,
                        sha: &sha256_hex(&bytes),
                        bytes: &bytes,
                        text: text.as_deref(),
                        now,
                    },
                )
                .await?;
                sqlx::query("UPDATE documents SET public = 1, in_force = 1 WHERE id = $1")
                    .bind(d.id)
                    .execute(tx.conn())
                    .await?;
            }
            for (a, b, kind) in relations.iter() {
                sqlx::query(
                    "INSERT INTO document_relations (document_id, related_id, kind) VALUES ($1, $2, $3)",
                )
                .bind(a)
                .bind(b)
                .bind(kind.code())
                .execute(tx.conn())
                .await?;
                if *kind == RelationKind::Replaces {
                    sqlx::query("UPDATE documents SET in_force = 0 WHERE id = $1")
                        .bind(b)
                        .execute(tx.conn())
                        .await?;
                }
                changes::record(&mut tx, ItemKind::Document, *b).await?;
            }
            audit::append(
                &mut tx,
                Change {
                    who,
                    action: "demo.library",
                    entity: "document",
                    entity_id: "public".into(),
                    unit_id: None,
                    before: None,
                    after: Some(json!({"public": docs.iter().map(|d| d.id).collect::<Vec<_>>(),
                        "relations": relations.len()})),
                },
            )
            .await?;
            tx.commit().await
        }
    })
    .await?;
    Ok(count)
}
