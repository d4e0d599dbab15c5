//! The optional escrow key: an administrator switches it on knowingly
//! (audited); from then on every new tip's key is also wrapped for it.
//! Its private key is shown once, to be kept offline (printed, in a safe);
//! antq never stores it. With it, the keys of the tips that came while it
//! was on can be wrapped again for an officer who lost both the password
//! and the recovery code.

use antq_core::dates;
use antq_vault::{PublicKey, SecretKey};
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::tips::receive::insert_wrap;

/// The escrow key in force, if any: (id, switched on by, on the day).
pub async fn active(db: &Db) -> StorageResult<Option<(i64, String, String)>> {
    Ok(
        sqlx::query_as("SELECT id, switched_on_by, switched_on FROM tip_escrow WHERE active = 1")
            .fetch_optional(db.pool())
            .await?,
    )
}

fn change<'a>(who: &'a Who, action: &'a str, id: i64) -> Change<'a> {
    Change {
        who,
        action,
        entity: "tip_escrow",
        entity_id: id.to_string(),
        unit_id: None,
        before: None,
        after: Some(json!({"escrow_id": id})),
    }
}

/// Switch an escrow key on (replacing one in force): its secret key, to be
/// shown once and kept offline.
pub async fn switch_on(db: &Db, who: &Who) -> StorageResult<SecretKey> {
    let (public, secret) = antq_vault::generate_keypair();
    let day = dates::today().to_string();
    let (public, day) = (&public, &day);
    db.write(|mut tx| async move {
        sqlx::query("UPDATE tip_escrow SET active = 0, switched_off = $1 WHERE active = 1")
            .bind(day)
            .execute(tx.conn())
            .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO tip_escrow (public_key, active, switched_on_by, switched_on) \
             VALUES ($1, 1, $2, $3) RETURNING id",
        )
        .bind(public.0.to_vec())
        .bind(&who.name)
        .bind(day)
        .fetch_one(tx.conn())
        .await?;
        audit::append(&mut tx, change(who, "tip_escrow.on", id)).await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    Ok(secret)
}

/// Switch the escrow key off: new tips are no longer wrapped for it (the
/// wraps of earlier tips stay until those tips are destroyed).
pub async fn switch_off(db: &Db, who: &Who) -> StorageResult<bool> {
    let Some((id, _, _)) = active(db).await? else {
        return Ok(false);
    };
    let day = dates::today().to_string();
    let day = &day;
    db.write(|mut tx| async move {
        sqlx::query("UPDATE tip_escrow SET active = 0, switched_off = $1 WHERE id = $2")
            .bind(day)
            .bind(id)
            .execute(tx.conn())
            .await?;
        audit::append(&mut tx, change(who, "tip_escrow.off", id)).await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    Ok(true)
}

/// With the escrow's secret key, wrap again for the officer's current key
/// the keys of the tips the officer may handle today. Returns how many.
pub async fn restore_for(
    db: &Db,
    who: &Who,
    escrow: &SecretKey,
    user_id: i64,
) -> StorageResult<usize> {
    let public: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT public_key FROM officer_keys WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(db.pool())
            .await?;
    let public = PublicKey::from_slice(
        &public.ok_or_else(|| StorageError::not_found("khóa đọc tin báo của cán bộ này"))?,
    )
    .map_err(|e| StorageError::Conflict(e.to_string()))?;
    let escrow_public = escrow.public_key().0.to_vec();
    // The tips wrapped for this escrow key that the officer may handle.
    let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(
        "SELECT t.id, e.wrapped FROM tips t \
         JOIN tip_escrow_keys e ON e.tip_id = t.id \
         JOIN tip_escrow k ON k.id = e.escrow_id AND k.public_key = $1 \
         WHERE t.destroyed_on IS NULL AND t.unit_id IN ( \
           SELECT s.descendant_id FROM unit_scope s JOIN grants g ON g.unit_id = s.ancestor_id \
           WHERE g.user_id = $2 AND g.role = 'police')",
    )
    .bind(escrow_public)
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    let mut wraps = Vec::new();
    for (tip_id, wrapped) in rows {
        let key = antq_vault::unwrap(&wrapped, escrow)
            .map_err(|e| StorageError::Conflict(e.to_string()))?;
        wraps.push((tip_id, antq_vault::wrap(&key, &public)));
    }
    let n = wraps.len();
    let wraps = &wraps;
    db.write(|mut tx| async move {
        for (tip_id, wrapped) in wraps {
            sqlx::query("DELETE FROM tip_keys WHERE tip_id = $1 AND user_id = $2")
                .bind(tip_id)
                .bind(user_id)
                .execute(tx.conn())
                .await?;
            insert_wrap(&mut tx, *tip_id, user_id, wrapped.clone()).await?;
        }
        audit::append(
            &mut tx,
            Change {
                who,
                action: "tip_escrow.restore",
                entity: "user",
                entity_id: user_id.to_string(),
                unit_id: None,
                before: None,
                after: Some(json!({"tips": wraps.len()})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    Ok(n)
}
