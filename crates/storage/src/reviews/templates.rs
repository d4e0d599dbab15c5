//! The sections a new review starts from: the national template of each
//! kind (kept by a national administrator; until one is saved, antq's own
//! `default_template`) and a province's own copy, which its communes use
//! too. A copy is reset by deleting it. Every change is audited.

use antq_core::dates;
use antq_core::reviews::document::{check_sections, default_template, Section, TemplateKind};
use antq_core::units::Level;
use antq_core::DomainError;
use serde::Serialize;
use serde_json::json;
use sqlx::Row as _;

use super::json_err;
use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::StorageResult;
use crate::units::{self, Unit};

/// Where a template comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateSource {
    /// The province's own copy.
    Province,
    /// The national template saved by an administrator.
    National,
    /// antq's built-in template (nobody has saved one).
    Builtin,
}

/// A template as a review or an editor reads it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Template {
    pub kind: TemplateKind,
    pub source: TemplateSource,
    /// The province whose template this is (none: the national one).
    pub unit_code: Option<String>,
    pub sections: Vec<Section>,
    pub updated_by: Option<String>,
    pub updated_at: Option<String>,
}

/// The province a unit's reviews take their template from: the unit itself
/// for a province, its province for a commune or district, none for the nation.
pub async fn province_of(db: &Db, unit: &Unit) -> StorageResult<Option<Unit>> {
    Ok(match unit.level {
        Level::Nation => None,
        Level::Province => Some(unit.clone()),
        Level::District | Level::Commune => units::ancestors(db, unit.id)
            .await?
            .into_iter()
            .find(|a| a.level == Level::Province),
    })
}

async fn stored(
    db: &Db,
    kind: TemplateKind,
    owner_key: i64,
) -> StorageResult<Option<(Vec<Section>, String, String)>> {
    let row = sqlx::query(
        "SELECT sections, updated_by, updated_at FROM review_templates WHERE kind = $1 AND owner_key = $2",
    )
    .bind(kind.code())
    .bind(owner_key)
    .fetch_optional(db.pool())
    .await?;
    match row {
        Some(r) => {
            let sections: Vec<Section> =
                serde_json::from_str(&r.get::<String, _>(0)).map_err(json_err)?;
            Ok(Some((sections, r.get(1), r.get(2))))
        }
        None => Ok(None),
    }
}

/// The national template of a kind: the saved one, else the built-in one.
pub async fn national_template(db: &Db, kind: TemplateKind) -> StorageResult<Template> {
    Ok(match stored(db, kind, 0).await? {
        Some((sections, by, at)) => Template {
            kind,
            source: TemplateSource::National,
            unit_code: None,
            sections,
            updated_by: Some(by),
            updated_at: Some(at),
        },
        None => Template {
            kind,
            source: TemplateSource::Builtin,
            unit_code: None,
            sections: default_template(kind),
            updated_by: None,
            updated_at: None,
        },
    })
}

/// The template a unit's reviews of a kind start from: its province's
/// copy, else the national template.
pub async fn template_for(db: &Db, unit: &Unit, kind: TemplateKind) -> StorageResult<Template> {
    if let Some(p) = province_of(db, unit).await? {
        if let Some((sections, by, at)) = stored(db, kind, p.id).await? {
            return Ok(Template {
                kind,
                source: TemplateSource::Province,
                unit_code: Some(p.code),
                sections,
                updated_by: Some(by),
                updated_at: Some(at),
            });
        }
    }
    national_template(db, kind).await
}

fn owner_of(province: Option<&Unit>) -> StorageResult<(i64, Option<i64>)> {
    match province {
        None => Ok((0, None)),
        Some(u) if u.level == Level::Province => Ok((u.id, Some(u.id))),
        Some(u) => Err(DomainError::invalid(format!(
            "Chỉ tỉnh, thành phố có mẫu báo cáo riêng; {} dùng mẫu của tỉnh, thành phố",
            u.name
        ))
        .into()),
    }
}

/// Save the national template (`province: None`) or a province's copy
/// (audited); the sections are checked as a review's are.
pub async fn save_template(
    db: &Db,
    who: &Who,
    province: Option<&Unit>,
    kind: TemplateKind,
    sections: Vec<Section>,
) -> StorageResult<Template> {
    let (owner_key, unit_id) = owner_of(province)?;
    let sections = check_sections(sections)?;
    let text = serde_json::to_string(&sections).map_err(json_err)?;
    let before = stored(db, kind, owner_key).await?.map(|s| s.0);
    if before.as_ref() == Some(&sections) {
        return read(db, province, kind).await;
    }
    let now = dates::timestamp(dates::now_utc());
    let (text, now, sections, before) = (&text, &now, &sections, &before);
    db.write(|mut tx| async move {
        // The same upsert on both databases (SQLite 3.24+, PostgreSQL 9.5+).
        let upsert = "INSERT INTO review_templates (kind, owner_key, unit_id, sections, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (kind, owner_key) DO UPDATE SET \
             sections = excluded.sections, updated_by = excluded.updated_by, updated_at = excluded.updated_at";
        sqlx::query(upsert)
            .bind(kind.code())
            .bind(owner_key)
            .bind(unit_id)
            .bind(text)
            .bind(&who.name)
            .bind(now)
            .execute(tx.conn())
            .await?;
        audit::append(
            &mut tx,
            Change {
                who,
                action: "review_template.save",
                entity: "review_template",
                entity_id: format!("{}:{owner_key}", kind.code()),
                unit_id,
                before: before.as_ref().map(|b| json!(b)),
                after: Some(json!(sections)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    read(db, province, kind).await
}

/// Drop a province's copy: its reviews take the national template again (audited).
pub async fn reset_template(
    db: &Db,
    who: &Who,
    province: &Unit,
    kind: TemplateKind,
) -> StorageResult<Template> {
    let (owner_key, unit_id) = owner_of(Some(province))?;
    if let Some((before, _, _)) = stored(db, kind, owner_key).await? {
        let before = &before;
        db.write(|mut tx| async move {
            sqlx::query("DELETE FROM review_templates WHERE kind = $1 AND owner_key = $2")
                .bind(kind.code())
                .bind(owner_key)
                .execute(tx.conn())
                .await?;
            audit::append(
                &mut tx,
                Change {
                    who,
                    action: "review_template.reset",
                    entity: "review_template",
                    entity_id: format!("{}:{owner_key}", kind.code()),
                    unit_id,
                    before: Some(json!(before)),
                    after: None,
                },
            )
            .await?;
            tx.commit().await?;
            Ok(())
        })
        .await?;
    }
    template_for(db, province, kind).await
}

async fn read(db: &Db, province: Option<&Unit>, kind: TemplateKind) -> StorageResult<Template> {
    match province {
        Some(p) => template_for(db, p, kind).await,
        None => national_template(db, kind).await,
    }
}
