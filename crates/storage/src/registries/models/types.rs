//! The national taxonomy of model types, kept as data: seeded once with the
//! types the movement's reviews name; national administrators add, rename
//! and deactivate types (audited).

use antq_core::auth::Action;
use antq_core::dates;
use antq_core::registries::models::{check_name, limits};
use antq_core::text;
use serde::Serialize;
use serde_json::json;

use crate::accounts::access::Actor;
use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};

/// A model type.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ModelType {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub active: bool,
}

/// The model types the movement's reviews and guidance name (HD 22/HD-BCA-V05
/// and provincial reviews): the starting taxonomy, which administrators edit.
pub const SEED_TYPES: [&str; 50] = [
    "Camera an ninh",
    "Tổ tự quản",
    "Khu dân cư không có tội phạm, tệ nạn xã hội",
    "Dòng họ tự quản về ANTT",
    "Tổ liên gia tự quản",
    "Ánh sáng đường quê",
    "Zalo an ninh trật tự",
    "Tổ hòa giải ở cơ sở",
    "Khóa cửa tránh trộm",
    "Bến thuyền an toàn",
    "Chợ an toàn",
    "Trường học an toàn",
    "Cổng trường an toàn giao thông",
    "Giáo dục, giúp đỡ người lầm lỗi tại cộng đồng",
    "Tổ an ninh nhân dân",
    "Tổ liên gia an toàn phòng cháy, chữa cháy",
    "Điểm chữa cháy công cộng",
    "Tuyến đường tự quản về ANTT",
    "Tuyến đường an toàn giao thông",
    "Đội dân phòng",
    "Đội thanh niên xung kích phòng, chống tội phạm",
    "Gia đình không có người vi phạm pháp luật",
    "Bản, làng không có ma túy",
    "Xã, phường không có ma túy",
    "Tôn giáo tự quản về ANTT",
    "Chức sắc, chức việc tôn giáo tham gia giữ gìn ANTT",
    "Người có uy tín tham gia giữ gìn ANTT",
    "Doanh nghiệp tự quản về ANTT",
    "Khu công nghiệp an toàn về ANTT",
    "Nhà trọ an toàn",
    "Cơ sở kinh doanh có điều kiện về ANTT an toàn",
    "Hộp thư tố giác tội phạm",
    "Đường dây nóng tiếp nhận tin báo tội phạm",
    "Câu lạc bộ phòng, chống tội phạm",
    "Câu lạc bộ phụ nữ với pháp luật",
    "Cựu chiến binh tham gia giữ gìn ANTT",
    "Tiếng kẻng an ninh",
    "Loa truyền thanh an ninh, trật tự",
    "Tổ tự quản bảo vệ an ninh biên giới",
    "Bảo vệ an ninh chính trị nội bộ",
    "Phòng, chống mua bán người",
    "Phòng, chống tín dụng đen",
    "Phòng, chống lừa đảo trên không gian mạng",
    "Tổ công nghệ số cộng đồng tham gia bảo đảm ANTT",
    "Ngày thứ Bảy vì ANTT",
    "Thể dục thể thao kết hợp tuần tra",
    "Tổ tuần tra nhân dân",
    "Phụ nữ tham gia giữ gìn ANTT",
    "Nông dân tham gia bảo vệ ANTT",
    "Ngày hội toàn dân bảo vệ ANTQ",
];

/// Seed the taxonomy once (idempotent; audited once).
pub async fn seed_if_empty(db: &Db) -> StorageResult<()> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM model_types")
        .fetch_one(db.pool())
        .await?;
    if n > 0 {
        return Ok(());
    }
    let now = dates::timestamp(dates::now_utc());
    let now = &now;
    db.write(|mut tx| async move {
        for name in SEED_TYPES {
            sqlx::query(
                "INSERT INTO model_types (name, search_key, sort_key, description, active, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, '', 1, 'system', $4, $4)",
            )
            .bind(name)
            .bind(text::fold(name))
            .bind(text::sort_key(name))
            .bind(now)
            .execute(tx.conn())
            .await?;
        }
        audit::append(
            &mut tx,
            Change {
                who: &Who::system(),
                action: "model_type.seed",
                entity: "model_type",
                entity_id: "seed".into(),
                unit_id: None,
                before: None,
                after: Some(json!({"types": SEED_TYPES.len()})),
            },
        )
        .await?;
        tx.commit().await
    })
    .await
}

type Row = (i64, String, String, i64);

fn of(r: Row) -> ModelType {
    ModelType {
        id: r.0,
        name: r.1,
        description: r.2,
        active: r.3 != 0,
    }
}

/// The types, in Vietnamese order (only the active ones unless `all`).
pub async fn list_types(db: &Db, all: bool) -> StorageResult<Vec<ModelType>> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT id, name, description, active FROM model_types {} ORDER BY sort_key, id",
        if all { "" } else { "WHERE active = 1" }
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(of).collect())
}

pub async fn type_by_id(db: &Db, id: i64) -> StorageResult<ModelType> {
    let r: Option<Row> =
        sqlx::query_as("SELECT id, name, description, active FROM model_types WHERE id = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    r.map(of)
        .ok_or_else(|| StorageError::not_found(format!("loại mô hình số {id}")))
}

/// A type by its name (accent- and case-insensitive) or its id.
pub async fn type_named(db: &Db, s: &str) -> StorageResult<Option<ModelType>> {
    let s = s.trim();
    if let Ok(id) = s.parse::<i64>() {
        return match type_by_id(db, id).await {
            Ok(t) => Ok(Some(t)),
            Err(StorageError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        };
    }
    let r: Option<Row> = sqlx::query_as(
        "SELECT id, name, description, active FROM model_types WHERE search_key = $1",
    )
    .bind(text::fold(s))
    .fetch_optional(db.pool())
    .await?;
    Ok(r.map(of))
}

/// Add a type (`id` None) or rename, describe, (de)activate one: national
/// administrators only (audited). Returns the type.
pub async fn save_type(
    db: &Db,
    actor: &Actor,
    id: Option<i64>,
    name: &str,
    description: &str,
    active: bool,
) -> StorageResult<ModelType> {
    if !actor.is_national(Action::EditCatalogue) {
        return Err(StorageError::Forbidden);
    }
    let name = check_name("Tên loại mô hình", name)?;
    let description = text::clean(description);
    text::check_len("Mô tả", &description, limits::NOTES)?;
    let before = match id {
        Some(i) => Some(type_by_id(db, i).await?),
        None => None,
    };
    let key = text::fold(&name);
    let now = dates::timestamp(dates::now_utc());
    let who = actor.who();
    let (name, description, key, now, who, before) =
        (&name, &description, &key, &now, &who, &before);
    let clash = || format!("Đã có loại mô hình \u{201C}{name}\u{201D} (hoặc một tên chỉ khác dấu)");
    let saved_id = db
        .write(|mut tx| async move {
            let saved: i64 = match before {
                Some(b) => {
                    sqlx::query(
                        "UPDATE model_types SET name = $1, search_key = $2, sort_key = $3, description = $4, \
                         active = $5, updated_at = $6 WHERE id = $7",
                    )
                    .bind(name)
                    .bind(key)
                    .bind(text::sort_key(name))
                    .bind(description)
                    .bind(i64::from(active))
                    .bind(now)
                    .bind(b.id)
                    .execute(tx.conn())
                    .await
                    .map_err(|e| StorageError::unique_as_conflict(e, clash()))?;
                    b.id
                }
                None => sqlx::query_scalar(
                    "INSERT INTO model_types (name, search_key, sort_key, description, active, created_by, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
                )
                .bind(name)
                .bind(key)
                .bind(text::sort_key(name))
                .bind(description)
                .bind(i64::from(active))
                .bind(&who.name)
                .bind(now)
                .fetch_one(tx.conn())
                .await
                .map_err(|e| StorageError::unique_as_conflict(e, clash()))?,
            };
            audit::append(
                &mut tx,
                Change {
                    who,
                    action: "model_type.save",
                    entity: "model_type",
                    entity_id: saved.to_string(),
                    unit_id: None,
                    before: before.as_ref().map(|b| json!(b)),
                    after: Some(json!({"name": name, "description": description, "active": active})),
                },
            )
            .await?;
            tx.commit().await?;
            Ok(saved)
        })
        .await?;
    type_by_id(db, saved_id).await
}
