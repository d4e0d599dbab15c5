//! The categories of tips and their questionnaires: data a national
//! administrator edits (seeded with antq's defaults), audited.

use antq_core::auth::Action;
use antq_core::dates;
use antq_core::tips::categories::{check_category, default_categories, Category};
use serde_json::json;

use crate::accounts::access::Actor;
use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};

fn parse(body: &str) -> StorageResult<Category> {
    serde_json::from_str(body)
        .map_err(|e| StorageError::Conflict(format!("Loại tin báo hỏng: {e}")))
}

/// Every category, in their order (inactive ones too).
pub async fn list(db: &Db) -> StorageResult<Vec<Category>> {
    let rows: Vec<String> = sqlx::query_scalar("SELECT body FROM tip_categories ORDER BY sort, id")
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(|b| parse(b)).collect()
}

/// The categories a citizen may choose.
pub async fn active(db: &Db) -> StorageResult<Vec<Category>> {
    Ok(list(db).await?.into_iter().filter(|c| c.active).collect())
}

/// One category by code.
pub async fn get(db: &Db, code: &str) -> StorageResult<Category> {
    let body: Option<String> =
        sqlx::query_scalar("SELECT body FROM tip_categories WHERE code = $1")
            .bind(code)
            .fetch_optional(db.pool())
            .await?;
    parse(&body.ok_or_else(|| StorageError::not_found(format!("loại tin báo \"{code}\"")))?)
}

/// antq's default categories in a database that has none (at every
/// start; an administrator's categories are never touched).
pub async fn seed_if_empty(db: &Db) -> StorageResult<()> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tip_categories")
        .fetch_one(db.pool())
        .await?;
    if n == 0 {
        seed(db).await?;
    }
    Ok(())
}

/// Add antq's default categories that are missing (a new database, the
/// demo); never changes one an administrator edited.
pub async fn seed(db: &Db) -> StorageResult<usize> {
    let have: Vec<String> = sqlx::query_scalar("SELECT code FROM tip_categories")
        .fetch_all(db.pool())
        .await?;
    let mut added = 0;
    for (i, c) in default_categories().into_iter().enumerate() {
        if have.contains(&c.code) {
            continue;
        }
        save_at(db, &Who::system(), c, i as i64).await?;
        added += 1;
    }
    Ok(added)
}

/// May the actor edit the categories? National administrators, as for
/// the other national settings (`Action::EditCatalogue` on the nation).
pub fn may_edit(actor: &Actor) -> bool {
    actor.is_national(Action::EditCatalogue)
}

/// An administrator's edit: `new` refuses a code already in use (the
/// form for a new category), otherwise the category is added or changed.
/// Forbidden unless [`may_edit`]; checked and audited as [`save`].
pub async fn save_as(db: &Db, actor: &Actor, c: Category, new: bool) -> StorageResult<Category> {
    if !may_edit(actor) {
        return Err(StorageError::Forbidden);
    }
    if new {
        let c = check_category(c)?;
        if let Ok(old) = get(db, &c.code).await {
            return Err(StorageError::Conflict(format!(
                "Đã có loại tin báo mã \"{}\" ({}): chọn mã khác hoặc sửa loại đó",
                c.code, old.name
            )));
        }
        return save(db, &actor.who(), c).await;
    }
    save(db, &actor.who(), c).await
}

/// Add or change a category (checked, audited).
pub async fn save(db: &Db, who: &Who, c: Category) -> StorageResult<Category> {
    let sort: Option<i64> = sqlx::query_scalar("SELECT sort FROM tip_categories WHERE code = $1")
        .bind(&c.code)
        .fetch_optional(db.pool())
        .await?;
    let sort = match sort {
        Some(s) => s,
        None => {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM tip_categories")
                .fetch_one(db.pool())
                .await?
        }
    };
    save_at(db, who, c, sort).await
}

async fn save_at(db: &Db, who: &Who, c: Category, sort: i64) -> StorageResult<Category> {
    let c = check_category(c)?;
    let body = serde_json::to_string(&c).map_err(|e| StorageError::Conflict(e.to_string()))?;
    let now = dates::timestamp(dates::now_utc());
    let (c_ref, body, now) = (&c, &body, &now);
    db.write(|mut tx| async move {
        let before: Option<String> =
            sqlx::query_scalar("SELECT body FROM tip_categories WHERE code = $1")
                .bind(&c_ref.code)
                .fetch_optional(tx.conn())
                .await?;
        if before.is_some() {
            sqlx::query(
                "UPDATE tip_categories SET body = $1, active = $2, updated_by = $3, updated_at = $4 WHERE code = $5",
            )
            .bind(body)
            .bind(i64::from(c_ref.active))
            .bind(&who.name)
            .bind(now)
            .bind(&c_ref.code)
            .execute(tx.conn())
            .await?;
        } else {
            sqlx::query(
                "INSERT INTO tip_categories (code, body, active, sort, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&c_ref.code)
            .bind(body)
            .bind(i64::from(c_ref.active))
            .bind(sort)
            .bind(&who.name)
            .bind(now)
            .execute(tx.conn())
            .await?;
        }
        audit::append(
            &mut tx,
            Change {
                who,
                action: "tip_category.save",
                entity: "tip_category",
                entity_id: c_ref.code.clone(),
                unit_id: None,
                before: before.and_then(|b| serde_json::from_str(&b).ok()),
                after: Some(json!(c_ref)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    Ok(c)
}
