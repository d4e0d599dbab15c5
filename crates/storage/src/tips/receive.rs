//! A tip arrives from a citizen: it is routed to the police of the unit
//! where it happened — or, when it concerns that unit's own officers, to
//! the level above, so the implicated unit never sees it — sealed with a
//! key of its own, and that key wrapped for every officer who may read it
//! (and for the escrow key, if an administrator switched one on). The
//! tipster gets a receipt; antq keeps only its keyed hash, and the tip's
//! key sealed by a key derived from it.
//!
//! Nothing about the sender is kept: no address, no agent, no time beyond
//! the day. The receipt of a tip is recorded in the tip itself, not in the
//! audit chain, whose second-precise times and order would date it; every
//! officer's act on it is audited.

use antq_core::tips::identifiers::mask;
use antq_core::tips::receipt::Receipt;
use antq_core::tips::states::TipState;
use antq_core::tips::submission::TipContent;
use antq_vault::{Keyed, TipKey};
use chrono::NaiveDate;

use crate::accounts::users::Argon2Slots;
use crate::db::{Db, WriteTx};
use crate::error::{StorageError, StorageResult};

/// What the tip's content is sealed under (associated data): content and
/// messages of a tip can never be swapped for each other.
pub const CONTENT_AAD: &[u8] = b"antq tip content v1";
pub const MESSAGE_AAD: &[u8] = b"antq tip message v1";
pub const ATTACHMENT_AAD: &[u8] = b"antq tip attachment v1";

/// Where a tip goes: the unit that handles it and the unit it implicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub place_unit_id: i64,
    pub unit_id: i64,
    pub concerns_unit_id: Option<i64>,
}

/// Route a tip about `place_unit_id` (a unit in force today): to its police,
/// or one level up when it concerns the unit's own officers.
pub async fn route(db: &Db, place_unit_id: i64, concerns_local: bool) -> StorageResult<Route> {
    let unit: Option<(Option<i64>, Option<String>)> =
        sqlx::query_as("SELECT parent_id, valid_to FROM units WHERE id = $1")
            .bind(place_unit_id)
            .fetch_optional(db.pool())
            .await?;
    let Some((parent, valid_to)) = unit else {
        return Err(StorageError::not_found("đơn vị nơi xảy ra vụ việc"));
    };
    if valid_to.is_some() {
        return Err(antq_core::DomainError::invalid(
            "Đơn vị này không còn (đã sáp nhập): chọn xã, phường hiện nay",
        )
        .into());
    }
    if !concerns_local {
        return Ok(Route {
            place_unit_id,
            unit_id: place_unit_id,
            concerns_unit_id: None,
        });
    }
    let Some(parent) = parent else {
        // A tip about the national level's own officers stays there.
        return Ok(Route {
            place_unit_id,
            unit_id: place_unit_id,
            concerns_unit_id: None,
        });
    };
    Ok(Route {
        place_unit_id,
        unit_id: parent,
        concerns_unit_id: Some(place_unit_id),
    })
}

/// How many tips arrived today about a unit, and in all (for the limits).
/// A tip about the unit's own officers is not counted for the unit: its
/// officers could otherwise learn of it from where the limit starts.
pub async fn received_on(db: &Db, place_unit_id: i64, day: NaiveDate) -> StorageResult<(i64, i64)> {
    let day = day.to_string();
    let here: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM tips WHERE place_unit_id = $1 AND received_on = $2 \
         AND concerns_unit_id IS NULL",
    )
    .bind(place_unit_id)
    .bind(&day)
    .fetch_one(db.pool())
    .await?;
    let all: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tips WHERE received_on = $1")
        .bind(&day)
        .fetch_one(db.pool())
        .await?;
    Ok((here, all))
}

/// Store a checked tip and give the receipt (shown once to the tipster).
pub async fn receive(
    db: &Db,
    keyed: &Keyed,
    content: &TipContent,
    route: Route,
    today: NaiveDate,
) -> StorageResult<(i64, Receipt)> {
    receive_with(db, keyed, content, route, today, &[]).await
}

/// [`receive`] with pictures (their metadata already stripped), sealed
/// with the tip's key in the same transaction.
pub async fn receive_with(
    db: &Db,
    keyed: &Keyed,
    content: &TipContent,
    route: Route,
    today: NaiveDate,
    attachments: &[crate::tips::attachments::Attachment],
) -> StorageResult<(i64, Receipt)> {
    store(db, keyed, content, route, today, attachments, true).await
}

/// A tip whose receipt nobody keeps (the demo's many tips: only the one
/// with a conversation hands out its receipt), so the tipster's copy of
/// its key is not made (the slow key derivation skipped).
pub(crate) async fn receive_unreceipted(
    db: &Db,
    keyed: &Keyed,
    content: &TipContent,
    route: Route,
    today: NaiveDate,
) -> StorageResult<i64> {
    Ok(store(db, keyed, content, route, today, &[], false).await?.0)
}

async fn store(
    db: &Db,
    keyed: &Keyed,
    content: &TipContent,
    route: Route,
    today: NaiveDate,
    attachments: &[crate::tips::attachments::Attachment],
    tipster_copy: bool,
) -> StorageResult<(i64, Receipt)> {
    crate::tips::attachments::check(attachments)?;
    let key = TipKey::generate();
    let receipt = Receipt::generate();
    let receipt_hash = keyed.receipt(receipt.as_str()).to_vec();
    let sealed_key = if tipster_copy {
        let (key, digits) = (key.clone(), receipt.as_str().to_string());
        Some(
            Argon2Slots::global()
                .run(move || antq_vault::protect_tip_key(&key, &digits))
                .await?,
        )
    } else {
        None
    };
    let plain = serde_json::to_vec(content).map_err(|e| StorageError::Conflict(e.to_string()))?;
    let sealed = antq_vault::seal(&key, &plain, CONTENT_AAD);
    let identifiers: Vec<(String, Vec<u8>, String)> = content
        .identifiers
        .iter()
        .map(|i| {
            (
                i.kind.as_str().to_string(),
                keyed.identifier(i.kind.as_str(), &i.value).to_vec(),
                mask(i),
            )
        })
        .collect();
    let day = today.to_string();
    let ctx = (
        &key,
        &receipt_hash,
        &sealed_key,
        &sealed,
        &identifiers,
        &day,
    );
    let id = db
        .write_unaudited(|mut tx| async move {
            let (key, receipt_hash, sealed_key, sealed, identifiers, day) = ctx;
            let readers = crate::tips::keys::readers_of(&mut tx, route.unit_id).await?;
            if readers.is_empty() {
                return Err(StorageError::Conflict(
                    "Chưa có cán bộ Công an nào nhận được tin báo của địa bàn này: xin gọi số điện thoại đường dây nóng của Công an địa phương".into(),
                ));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO tips (receipt_hash, category_code, place_unit_id, unit_id, concerns_unit_id, \
                 state, content, tipster_key, received_on, tipster_on) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
            )
            .bind(receipt_hash.clone())
            .bind(&content.category)
            .bind(route.place_unit_id)
            .bind(route.unit_id)
            .bind(route.concerns_unit_id)
            .bind(TipState::New.as_str())
            .bind(sealed.clone())
            .bind(sealed_key.clone())
            .bind(day)
            .fetch_one(tx.conn())
            .await?;
            for (user_id, public) in &readers {
                insert_wrap(&mut tx, id, *user_id, antq_vault::wrap(key, public)).await?;
            }
            wrap_for_escrow(&mut tx, id, key).await?;
            crate::tips::attachments::insert(&mut tx, id, None, key, attachments).await?;
            for (kind, hash, masked) in identifiers {
                sqlx::query(
                    "INSERT INTO tip_identifiers (tip_id, kind, hash, masked) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(kind)
                .bind(hash.clone())
                .bind(masked)
                .execute(tx.conn())
                .await?;
            }
            tx.commit().await?;
            Ok(id)
        })
        .await?;
    Ok((id, receipt))
}

pub(crate) async fn insert_wrap(
    tx: &mut WriteTx,
    tip_id: i64,
    user_id: i64,
    wrapped: Vec<u8>,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO tip_keys (tip_id, user_id, wrapped) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(tip_id)
    .bind(user_id)
    .bind(wrapped)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Wrap the tip's key for the active escrow key, if there is one.
async fn wrap_for_escrow(tx: &mut WriteTx, tip_id: i64, key: &TipKey) -> StorageResult<()> {
    let escrow: Option<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT id, public_key FROM tip_escrow WHERE active = 1")
            .fetch_optional(tx.conn())
            .await?;
    if let Some((escrow_id, bytes)) = escrow {
        let public: [u8; 32] = bytes
            .try_into()
            .map_err(|_| StorageError::Conflict("Khóa ký gửi hỏng".into()))?;
        sqlx::query("INSERT INTO tip_escrow_keys (tip_id, escrow_id, wrapped) VALUES ($1, $2, $3)")
            .bind(tip_id)
            .bind(escrow_id)
            .bind(antq_vault::wrap(key, &antq_vault::PublicKey(public)))
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}
