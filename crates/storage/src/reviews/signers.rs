//! The register of who signs for each body: an administrator keeps, for a
//! unit and a side (police, Front), the signature blocks in order; a new
//! review takes the first active one of each side of its owner, else the
//! head's default block. Every change is audited; a block is deactivated,
//! never deleted (old reviews keep their own copy).

use antq_core::dates;
use antq_core::reviews::signing::{Authority, Side, Signer};
use antq_core::reviews::{Owner, Snapshot};
use antq_core::DomainError;
use serde::Serialize;
use serde_json::json;
use sqlx::Row as _;

use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};

/// The most blocks a unit's register keeps (active or not).
pub const MAX_REGISTERED: i64 = 40;
/// The largest sort number.
pub const MAX_SORT: i64 = 9_999;

/// A block of the register.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegisteredSigner {
    pub id: i64,
    pub unit_id: i64,
    #[serde(flatten)]
    pub signer: Signer,
    /// Lower first.
    pub sort: i64,
    pub active: bool,
    pub updated_by: String,
    pub updated_at: String,
}

/// A block as an administrator sends it.
#[derive(Debug, Clone, PartialEq)]
pub struct SignerInput {
    pub signer: Signer,
    pub sort: i64,
    pub active: bool,
}

const COLUMNS: &str =
    "id, unit_id, side, authority, for_whom, position, rank, name, sort, active, updated_by, updated_at";

fn from_row(r: &sqlx::any::AnyRow) -> StorageResult<RegisteredSigner> {
    Ok(RegisteredSigner {
        id: r.get(0),
        unit_id: r.get(1),
        signer: Signer {
            side: Side::parse(&r.get::<String, _>(2))?,
            authority: Authority::parse(&r.get::<String, _>(3))?,
            for_whom: r.get(4),
            position: r.get(5),
            rank: r.get(6),
            name: r.get(7),
        },
        sort: r.get(8),
        active: r.get::<i64, _>(9) != 0,
        updated_by: r.get(10),
        updated_at: r.get(11),
    })
}

/// A unit's register, active blocks first, then by side and sort.
pub async fn register(db: &Db, unit_id: i64) -> StorageResult<Vec<RegisteredSigner>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM review_signers WHERE unit_id = $1 \
         ORDER BY active DESC, side DESC, sort, id"
    ))
    .bind(unit_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// One block of a register.
pub async fn registered(db: &Db, id: i64) -> StorageResult<RegisteredSigner> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM review_signers WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(|| StorageError::not_found(format!("người ký số {id}")))?;
    from_row(&row)
}

fn checked(input: SignerInput) -> StorageResult<SignerInput> {
    if !(0..=MAX_SORT).contains(&input.sort) {
        return Err(DomainError::invalid(format!(
            "Thứ tự là một số từ 0 đến {}",
            antq_core::text::format_int(MAX_SORT)
        ))
        .into());
    }
    let signer = input.signer.checked()?;
    if signer.name.is_empty() {
        return Err(DomainError::invalid("Chưa có họ tên người ký").into());
    }
    Ok(SignerInput { signer, ..input })
}

/// Add a block to a unit's register (audited).
pub async fn add_signer(
    db: &Db,
    who: &Who,
    unit_id: i64,
    input: SignerInput,
) -> StorageResult<RegisteredSigner> {
    let input = checked(input)?;
    let now = dates::timestamp(dates::now_utc());
    let (input, now) = (&input, &now);
    let id = db
        .write(|mut tx| async move {
            let n: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM review_signers WHERE unit_id = $1")
                    .bind(unit_id)
                    .fetch_one(tx.conn())
                    .await?;
            if n >= MAX_REGISTERED {
                return Err(DomainError::invalid(format!(
                    "Mỗi đơn vị ghi tối đa {MAX_REGISTERED} người ký"
                ))
                .into());
            }
            let s = &input.signer;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO review_signers (unit_id, side, authority, for_whom, position, rank, name, \
                 sort, active, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(unit_id)
            .bind(s.side.code())
            .bind(s.authority.code())
            .bind(&s.for_whom)
            .bind(&s.position)
            .bind(&s.rank)
            .bind(&s.name)
            .bind(input.sort)
            .bind(i64::from(input.active))
            .bind(&who.name)
            .bind(now)
            .fetch_one(tx.conn())
            .await?;
            audit::append(
                &mut tx,
                Change {
                    who,
                    action: "review_signer.add",
                    entity: "review_signer",
                    entity_id: id.to_string(),
                    unit_id: Some(unit_id),
                    before: None,
                    after: Some(json!({"signer": s, "sort": input.sort, "active": input.active})),
                },
            )
            .await?;
            tx.commit().await?;
            Ok(id)
        })
        .await?;
    registered(db, id).await
}

/// Change a block (or deactivate it: `active: false`), audited.
pub async fn update_signer(
    db: &Db,
    who: &Who,
    id: i64,
    input: SignerInput,
) -> StorageResult<RegisteredSigner> {
    let before = registered(db, id).await?;
    let input = checked(input)?;
    if before.signer == input.signer && before.sort == input.sort && before.active == input.active {
        return Ok(before);
    }
    let now = dates::timestamp(dates::now_utc());
    let (input, now, before) = (&input, &now, &before);
    db.write(|mut tx| async move {
        let s = &input.signer;
        sqlx::query(
            "UPDATE review_signers SET side = $1, authority = $2, for_whom = $3, position = $4, \
             rank = $5, name = $6, sort = $7, active = $8, updated_by = $9, updated_at = $10 WHERE id = $11",
        )
        .bind(s.side.code())
        .bind(s.authority.code())
        .bind(&s.for_whom)
        .bind(&s.position)
        .bind(&s.rank)
        .bind(&s.name)
        .bind(input.sort)
        .bind(i64::from(input.active))
        .bind(&who.name)
        .bind(now)
        .bind(id)
        .execute(tx.conn())
        .await?;
        audit::append(
            &mut tx,
            Change {
                who,
                action: "review_signer.update",
                entity: "review_signer",
                entity_id: id.to_string(),
                unit_id: Some(before.unit_id),
                before: Some(
                    json!({"signer": before.signer, "sort": before.sort, "active": before.active}),
                ),
                after: Some(json!({"signer": s, "sort": input.sort, "active": input.active})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    registered(db, id).await
}

/// The blocks a new review of `unit_id` takes: for each side of the owner,
/// the unit's first active block of that side, else the default block.
pub async fn for_owner(
    db: &Db,
    unit_id: i64,
    owner: Owner,
    snap: &Snapshot,
) -> StorageResult<Vec<Signer>> {
    let active: Vec<RegisteredSigner> = register(db, unit_id)
        .await?
        .into_iter()
        .filter(|s| s.active)
        .collect();
    Ok(Side::of(owner)
        .iter()
        .map(|side| {
            active
                .iter()
                .find(|s| s.signer.side == *side)
                .map(|s| s.signer.clone())
                .unwrap_or_else(|| Signer::default_for(*side, snap))
        })
        .collect())
}
