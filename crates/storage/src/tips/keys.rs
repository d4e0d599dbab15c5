//! Each police officer's key pair for reading tips. The public key lets
//! antq wrap a tip's key for the officer when the tip arrives; the private
//! key is stored only sealed by a key derived from the officer's password
//! (and by a recovery code, once the officer asks for one). antq holds an
//! officer's private key in memory only while the officer is logged in.

use antq_core::dates;
use antq_vault::{PublicKey, RecoveryCode, SecretKey, VaultError};
use serde_json::json;

use crate::accounts::users::Argon2Slots;
use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};

/// What became of an officer's key at login.
pub enum Unlocked {
    /// The key, opened (or made now, for an officer who had none).
    Ready(SecretKey),
    /// The key is sealed by another password (one set by an administrator
    /// since): the officer opens it with the old password or the recovery
    /// code, or starts a new key.
    Locked,
}

fn today() -> String {
    dates::today().to_string()
}

async fn sealed_by_password(db: &Db, user_id: i64) -> StorageResult<Option<Vec<u8>>> {
    Ok(
        sqlx::query_scalar("SELECT by_password FROM officer_keys WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// Does the officer have a key pair?
pub async fn has_key(db: &Db, user_id: i64) -> StorageResult<bool> {
    Ok(sealed_by_password(db, user_id).await?.is_some())
}

/// Does the officer keep a recovery code?
pub async fn has_recovery(db: &Db, user_id: i64) -> StorageResult<bool> {
    let v: Option<Option<Vec<u8>>> =
        sqlx::query_scalar("SELECT by_recovery FROM officer_keys WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(matches!(v, Some(Some(_))))
}

/// At login (the password just checked): open the officer's key, or make
/// one if the officer has none yet (audited, without any secret).
pub async fn unlock_or_create(
    db: &Db,
    who: &Who,
    user_id: i64,
    password: &str,
) -> StorageResult<Unlocked> {
    if let Some(sealed) = sealed_by_password(db, user_id).await? {
        let password = password.to_string();
        return match Argon2Slots::global()
            .run(move || antq_vault::unlock_with_password(&sealed, &password))
            .await?
        {
            Ok(secret) => Ok(Unlocked::Ready(secret)),
            Err(VaultError::WrongPassword) => Ok(Unlocked::Locked),
            Err(e) => Err(StorageError::Conflict(e.to_string())),
        };
    }
    let secret = store_new_key(db, who, user_id, password, "officer_key.create").await?;
    Ok(Unlocked::Ready(secret))
}

/// Make a new key pair for the officer, sealed by `password`, replacing any
/// older one (whose tips the officer can read again once a colleague who
/// can opens them: their keys are then wrapped for the new key).
pub async fn store_new_key(
    db: &Db,
    who: &Who,
    user_id: i64,
    password: &str,
    action: &'static str,
) -> StorageResult<SecretKey> {
    let password = password.to_string();
    let (public, secret, sealed) = Argon2Slots::global()
        .run(move || {
            let (public, secret) = antq_vault::generate_keypair();
            let sealed = antq_vault::protect_with_password(&secret, &password);
            (public, secret, sealed)
        })
        .await?;
    let (public, sealed, day) = (&public, &sealed, &today());
    db.write(|mut tx| async move {
        let replaced: Option<i64> =
            sqlx::query_scalar("SELECT user_id FROM officer_keys WHERE user_id = $1")
                .bind(user_id)
                .fetch_optional(tx.conn())
                .await?;
        if replaced.is_some() {
            // Wraps for the old key can no longer be opened by anyone.
            sqlx::query("DELETE FROM tip_keys WHERE user_id = $1")
                .bind(user_id)
                .execute(tx.conn())
                .await?;
            sqlx::query("DELETE FROM officer_keys WHERE user_id = $1")
                .bind(user_id)
                .execute(tx.conn())
                .await?;
        }
        sqlx::query(
            "INSERT INTO officer_keys (user_id, public_key, by_password, by_recovery, created_on, updated_on) \
             VALUES ($1, $2, $3, NULL, $4, $4)",
        )
        .bind(user_id)
        .bind(public.0.to_vec())
        .bind(sealed.clone())
        .bind(day)
        .execute(tx.conn())
        .await?;
        audit::append(
            &mut tx,
            Change {
                who,
                action,
                entity: "user",
                entity_id: user_id.to_string(),
                unit_id: None,
                before: None,
                after: Some(json!({"replaced": replaced.is_some()})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    Ok(secret)
}

async fn update_sealed(
    db: &Db,
    who: &Who,
    user_id: i64,
    column: &'static str,
    sealed: Vec<u8>,
    action: &'static str,
) -> StorageResult<()> {
    let (sealed, day) = (&sealed, &today());
    db.write(|mut tx| async move {
        sqlx::query(&format!(
            "UPDATE officer_keys SET {column} = $1, updated_on = $2 WHERE user_id = $3"
        ))
        .bind(sealed.clone())
        .bind(day)
        .bind(user_id)
        .execute(tx.conn())
        .await?;
        audit::append(
            &mut tx,
            Change {
                who,
                action,
                entity: "user",
                entity_id: user_id.to_string(),
                unit_id: None,
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Seal the (open) key by a new password: after the officer changed it.
pub async fn reseal_with_password(
    db: &Db,
    who: &Who,
    user_id: i64,
    secret: &SecretKey,
    password: &str,
) -> StorageResult<()> {
    let (secret, password) = (secret.clone(), password.to_string());
    let sealed = Argon2Slots::global()
        .run(move || antq_vault::protect_with_password(&secret, &password))
        .await?;
    update_sealed(
        db,
        who,
        user_id,
        "by_password",
        sealed,
        "officer_key.password",
    )
    .await
}

/// Make a recovery code for the (open) key: shown once, never stored in
/// clear; a new code replaces the old one.
pub async fn new_recovery_code(
    db: &Db,
    who: &Who,
    user_id: i64,
    secret: &SecretKey,
) -> StorageResult<RecoveryCode> {
    let code = RecoveryCode::generate();
    let sealed = antq_vault::protect_with_recovery(secret, &code);
    update_sealed(
        db,
        who,
        user_id,
        "by_recovery",
        sealed,
        "officer_key.recovery",
    )
    .await?;
    Ok(code)
}

/// Open the key with the old password (after an administrator set a new
/// one) or with the recovery code, and seal it by the current password.
pub async fn recover(
    db: &Db,
    who: &Who,
    user_id: i64,
    with: Recovery,
    current_password: &str,
) -> StorageResult<SecretKey> {
    let sealed: Option<(Vec<u8>, Option<Vec<u8>>)> =
        sqlx::query_as("SELECT by_password, by_recovery FROM officer_keys WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(db.pool())
            .await?;
    let Some((by_password, by_recovery)) = sealed else {
        return Err(StorageError::not_found("khóa đọc tin báo của đồng chí"));
    };
    let secret = match with {
        Recovery::OldPassword(old) => {
            Argon2Slots::global()
                .run(move || antq_vault::unlock_with_password(&by_password, &old))
                .await?
        }
        Recovery::Code(code) => match by_recovery {
            Some(sealed) => antq_vault::unlock_with_recovery(&sealed, &code),
            None => {
                return Err(StorageError::Conflict(
                    "Đồng chí chưa tạo mã khôi phục: không mở được khóa cũ".into(),
                ))
            }
        },
    }
    .map_err(|e| StorageError::Conflict(e.to_string()))?;
    reseal_with_password(db, who, user_id, &secret, current_password).await?;
    Ok(secret)
}

/// How an officer opens a key sealed by another password.
pub enum Recovery {
    OldPassword(String),
    Code(RecoveryCode),
}

/// The officers who may read the tips a unit handles, with their public
/// keys: every enabled user with a police grant on the unit or above it.
pub async fn readers_of(
    tx: &mut crate::db::WriteTx,
    unit_id: i64,
) -> StorageResult<Vec<(i64, PublicKey)>> {
    let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(
        "SELECT DISTINCT k.user_id, k.public_key FROM officer_keys k \
         JOIN users u ON u.id = k.user_id AND u.disabled = 0 \
         JOIN grants g ON g.user_id = k.user_id AND g.role = 'police' \
         JOIN unit_scope s ON s.ancestor_id = g.unit_id AND s.descendant_id = $1 \
         ORDER BY k.user_id",
    )
    .bind(unit_id)
    .fetch_all(tx.conn())
    .await?;
    rows.into_iter()
        .map(|(id, bytes)| {
            let key: [u8; 32] = bytes
                .try_into()
                .map_err(|_| StorageError::Conflict("Khóa công khai hỏng".into()))?;
            Ok((id, PublicKey(key)))
        })
        .collect()
}
