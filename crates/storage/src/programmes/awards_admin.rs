//! Changing the award catalogue: forms, offices and rules (national
//! administrators only; every change audited).

use antq_core::auth::Action;
use antq_core::programmes::awards::{limits, OfficeLevel};
use antq_core::programmes::Body;
use antq_core::text;
use serde_json::json;

use super::{form, office};
use crate::accounts::access::Actor;
use crate::audit::{self, Change};
use crate::db::{Db, WriteTx};
use crate::error::{StorageError, StorageResult};

fn require_admin(actor: &Actor) -> StorageResult<()> {
    if actor.is_national(Action::EditCatalogue) {
        Ok(())
    } else {
        Err(StorageError::Forbidden)
    }
}

fn checked(label: &str, s: &str, max: usize) -> StorageResult<String> {
    let s = text::clean(s);
    if s.is_empty() {
        return Err(antq_core::DomainError::invalid(format!("{label} không được để trống")).into());
    }
    text::check_len(label, &s, max)?;
    Ok(s)
}

fn checked_code(s: &str) -> StorageResult<String> {
    let c = checked("Mã", s, limits::CODE)?;
    if !c
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(antq_core::DomainError::invalid(
            "Mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới",
        )
        .into());
    }
    Ok(c)
}

async fn audit_catalogue(
    tx: &mut WriteTx,
    actor: &Actor,
    action: &str,
    id: String,
    after: serde_json::Value,
) -> StorageResult<()> {
    audit::append(
        tx,
        Change {
            who: &actor.who(),
            action,
            entity: "award_catalogue",
            entity_id: id,
            unit_id: None,
            before: None,
            after: Some(after),
        },
    )
    .await?;
    Ok(())
}

/// Add a form or change one with the same code (national administrators; audited).
pub async fn save_form(
    db: &Db,
    actor: &Actor,
    code: &str,
    name: &str,
    indicator: Option<&str>,
    active: bool,
) -> StorageResult<()> {
    require_admin(actor)?;
    let code = checked_code(code)?;
    let name = checked("Tên hình thức", name, limits::NAME)?;
    let indicator = indicator
        .map(text::clean)
        .filter(|s| !s.is_empty())
        .map(|s| text::check_len("Chỉ tiêu", &s, limits::CODE).map(|_| s))
        .transpose()?;
    let mut tx = db.begin_write().await?;
    let n = sqlx::query(
        "UPDATE award_forms SET name = $2, indicator = $3, active = $4 WHERE code = $1",
    )
    .bind(&code)
    .bind(&name)
    .bind(&indicator)
    .bind(i64::from(active))
    .execute(tx.conn())
    .await?
    .rows_affected();
    if n == 0 {
        sqlx::query(
            "INSERT INTO award_forms (code, name, indicator, position, active) \
             VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 1 FROM award_forms), $4)",
        )
        .bind(&code)
        .bind(&name)
        .bind(&indicator)
        .bind(i64::from(active))
        .execute(tx.conn())
        .await?;
    }
    let after = json!({"code": code, "name": name, "indicator": indicator, "active": active});
    audit_catalogue(&mut tx, actor, "award_form.save", code, after).await?;
    tx.commit().await
}

/// Add an office or change one with the same code (national administrators; audited).
pub async fn save_office(
    db: &Db,
    actor: &Actor,
    code: &str,
    name: &str,
    level: OfficeLevel,
    body: Body,
    active: bool,
) -> StorageResult<()> {
    require_admin(actor)?;
    let code = checked_code(code)?;
    let name = checked("Tên cơ quan", name, limits::NAME)?;
    let mut tx = db.begin_write().await?;
    let n = sqlx::query(
        "UPDATE award_offices SET name = $2, level = $3, body = $4, active = $5 WHERE code = $1",
    )
    .bind(&code)
    .bind(&name)
    .bind(level.code())
    .bind(body.code())
    .bind(i64::from(active))
    .execute(tx.conn())
    .await?
    .rows_affected();
    if n == 0 {
        sqlx::query(
            "INSERT INTO award_offices (code, name, level, body, position, active) \
             VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(position), 0) + 1 FROM award_offices), $5)",
        )
        .bind(&code)
        .bind(&name)
        .bind(level.code())
        .bind(body.code())
        .bind(i64::from(active))
        .execute(tx.conn())
        .await?;
    }
    let after = json!({"code": code, "name": name, "level": level.code(), "body": body.code(), "active": active});
    audit_catalogue(&mut tx, actor, "award_office.save", code, after).await?;
    tx.commit().await
}

/// Allow an office to give a form, or change the basis (audited).
pub async fn set_rule(
    db: &Db,
    actor: &Actor,
    office_id: i64,
    form_id: i64,
    basis: &str,
) -> StorageResult<()> {
    require_admin(actor)?;
    let basis = checked("Căn cứ", basis, limits::BASIS)?;
    let (o, f) = (office(db, office_id).await?, form(db, form_id).await?);
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM award_rules WHERE office_id = $1 AND form_id = $2")
        .bind(o.id)
        .bind(f.id)
        .execute(tx.conn())
        .await?;
    sqlx::query("INSERT INTO award_rules (office_id, form_id, basis) VALUES ($1, $2, $3)")
        .bind(o.id)
        .bind(f.id)
        .bind(&basis)
        .execute(tx.conn())
        .await?;
    let after = json!({"office": o.code, "form": f.code, "basis": basis});
    audit_catalogue(
        &mut tx,
        actor,
        "award_rule.set",
        format!("{}:{}", o.code, f.code),
        after,
    )
    .await?;
    tx.commit().await
}

/// Withdraw an office's right to give a form (audited).
pub async fn remove_rule(
    db: &Db,
    actor: &Actor,
    office_id: i64,
    form_id: i64,
) -> StorageResult<()> {
    require_admin(actor)?;
    let (o, f) = (office(db, office_id).await?, form(db, form_id).await?);
    let mut tx = db.begin_write().await?;
    let n = sqlx::query("DELETE FROM award_rules WHERE office_id = $1 AND form_id = $2")
        .bind(o.id)
        .bind(f.id)
        .execute(tx.conn())
        .await?
        .rows_affected();
    if n == 0 {
        return Err(StorageError::not_found(format!(
            "quy định {} tặng {}",
            o.name, f.name
        )));
    }
    let after = json!({"office": o.code, "form": f.code, "removed": true});
    audit_catalogue(
        &mut tx,
        actor,
        "award_rule.remove",
        format!("{}:{}", o.code, f.code),
        after,
    )
    .await?;
    tx.commit().await
}
