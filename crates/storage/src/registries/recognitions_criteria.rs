//! The criteria checklist per subject kind, versioned by `year_from`:
//! seeded from domain.md §1.3, edited by national administrators (audited).

use antq_core::dates;
use antq_core::registries::recognitions::{SubjectKind, MAX_CRITERION, MAX_NOTE};
use antq_core::text;
use antq_core::DomainError;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

use crate::accounts::access::Actor;
use crate::audit::{self, Change};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};

/// A criterion of a subject kind, from a year on.
#[derive(Debug, Clone, Serialize)]
pub struct Criterion {
    pub id: i64,
    pub kind: SubjectKind,
    pub year_from: i32,
    pub position: i64,
    pub text: String,
    /// Where the wording is general or unconfirmed.
    pub note: String,
    pub active: bool,
}

/// A criterion as an administrator saves it (`id`: change that one).
#[derive(Debug, Clone)]
pub struct CriterionInput {
    pub id: Option<i64>,
    pub kind: SubjectKind,
    pub year_from: i32,
    pub position: i64,
    pub text: String,
    pub note: String,
    pub active: bool,
}

const UNCONFIRMED: &str =
    "Diễn đạt chung, chưa đối chiếu với văn bản chính thức của TT 124/2021 (chưa xác nhận)";

/// The starting criteria (TT 124/2021, from 2022): kind, text, note.
const SEED: &[(SubjectKind, &str, &str)] = &[
    (SubjectKind::KhuDanCu, "Trong quý I, chi bộ ra nghị quyết, khu dân cư đăng ký xây dựng đạt tiêu chuẩn \u{201C}An toàn về an ninh, trật tự\u{201D} và 100% hộ gia đình đăng ký", ""),
    (SubjectKind::KhuDanCu, "Chấp hành đầy đủ chủ trương của Đảng, chính sách, pháp luật của Nhà nước và quy định của địa phương", ""),
    (SubjectKind::KhuDanCu, "Không xảy ra hoạt động chống Đảng, chính quyền, phá hoại, tôn giáo trái pháp luật, lợi dụng tôn giáo, dân tộc, tranh chấp để gây rối, ly khai, tranh chấp phức tạp kéo dài, kích động người khác", ""),
    (SubjectKind::KhuDanCu, "Kiềm chế, làm giảm tội phạm, tệ nạn xã hội và vi phạm pháp luật về trật tự, an toàn xã hội", UNCONFIRMED),
    (SubjectKind::KhuDanCu, "Phong trào toàn dân bảo vệ an ninh Tổ quốc được đánh giá, phân loại từ mức khá trở lên", UNCONFIRMED),
    (SubjectKind::Xa, "Trong quý I, Đảng ủy ra nghị quyết, Ủy ban nhân dân có kế hoạch và đăng ký xây dựng đạt tiêu chuẩn \u{201C}An toàn về an ninh, trật tự\u{201D}", ""),
    (SubjectKind::Xa, "Xây dựng, duy trì ít nhất một mô hình trong phong trào toàn dân bảo vệ an ninh Tổ quốc hoạt động hiệu quả", ""),
    (SubjectKind::Xa, "Đạt các tiêu chí tại khoản 2, 3, 4 Điều 4 (như khu dân cư)", ""),
    (SubjectKind::Xa, "Công an xã chủ động tham mưu, không có cá nhân bị kỷ luật", ""),
    (SubjectKind::Xa, "Tỷ lệ khu dân cư được công nhận đạt \u{201C}An toàn về an ninh, trật tự\u{201D} không dưới ngưỡng quy định", "Ngưỡng 70% theo TT 23/2012, chưa xác nhận với TT 124 (ngưỡng đặt trong mục Quy định)"),
];

/// The general criteria of agencies, enterprises and schools.
const ORG_SEED: &[(&str, &str)] = &[
    ("Trong quý I, có nghị quyết hoặc kế hoạch và đăng ký xây dựng đạt tiêu chuẩn \u{201C}An toàn về an ninh, trật tự\u{201D}", ""),
    ("Chấp hành đầy đủ chủ trương của Đảng, chính sách, pháp luật của Nhà nước; có quy chế phối hợp với Công an địa phương", UNCONFIRMED),
    ("Không để xảy ra vụ việc phức tạp về an ninh, trật tự; bảo vệ an toàn người, tài sản của cơ quan, đơn vị", UNCONFIRMED),
    ("Không có cán bộ, nhân viên, người học vi phạm pháp luật bị xử lý hình sự", UNCONFIRMED),
];

pub(super) async fn seed_if_empty(db: &Db) -> StorageResult<()> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM recognition_criteria")
        .fetch_one(db.pool())
        .await?;
    if n > 0 {
        return Ok(());
    }
    let now = dates::timestamp(dates::now_utc());
    let mut rows: Vec<(SubjectKind, &str, &str)> = SEED.to_vec();
    for k in [
        SubjectKind::CoQuan,
        SubjectKind::DoanhNghiep,
        SubjectKind::CoSoGiaoDuc,
    ] {
        rows.extend(ORG_SEED.iter().map(|(t, n)| (k, *t, *n)));
    }
    let mut tx = db.begin_unaudited().await?;
    let mut pos = std::collections::HashMap::new();
    for (kind, t, note) in rows {
        let p = pos.entry(kind).or_insert(0i64);
        *p += 1;
        sqlx::query(
            "INSERT INTO recognition_criteria (subject_kind, year_from, position, text, note, active, updated_by, updated_at) \
             VALUES ($1, 2022, $2, $3, $4, 1, 'system', $5)",
        )
        .bind(kind.code())
        .bind(*p)
        .bind(t)
        .bind(note)
        .bind(&now)
        .execute(tx.conn())
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

fn from_row(r: &sqlx::any::AnyRow) -> StorageResult<Criterion> {
    let (year, active): (i64, i64) = (r.get(2), r.get(6));
    Ok(Criterion {
        id: r.get(0),
        kind: SubjectKind::parse(&r.get::<String, _>(1))?,
        year_from: year as i32,
        position: r.get(3),
        text: r.get(4),
        note: r.get(5),
        active: active != 0,
    })
}

const COLS: &str = "id, subject_kind, year_from, position, text, note, active";

/// Every criterion, all versions (for the administrators' page).
pub async fn criteria(db: &Db) -> StorageResult<Vec<Criterion>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLS} FROM recognition_criteria ORDER BY subject_kind, year_from, position, id"
    ))
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// The active criteria of a kind that apply in `year`: those of the latest
/// version (`year_from`) not after it.
pub async fn criteria_of_year(
    db: &Db,
    kind: SubjectKind,
    year: i32,
) -> StorageResult<Vec<Criterion>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLS} FROM recognition_criteria WHERE subject_kind = $1 AND active = 1 AND year_from = \
         (SELECT MAX(year_from) FROM recognition_criteria WHERE subject_kind = $1 AND year_from <= $2) \
         ORDER BY position, id"
    ))
    .bind(kind.code())
    .bind(i64::from(year))
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// Add or change a criterion (national administrators; audited).
pub async fn save_criterion(
    db: &Db,
    actor: &Actor,
    c: &CriterionInput,
) -> StorageResult<Criterion> {
    super::require_national_admin(actor)?;
    let t = text::clean(&c.text);
    let note = text::clean(&c.note);
    if t.is_empty() {
        return Err(DomainError::invalid("Chưa có nội dung tiêu chí").into());
    }
    text::check_len("Tiêu chí", &t, MAX_CRITERION)?;
    text::check_len("Ghi chú", &note, MAX_NOTE)?;
    antq_core::registries::recognitions::check_year(c.year_from)?;
    if !(1..=100).contains(&c.position) {
        return Err(DomainError::invalid("Số thứ tự tiêu chí từ 1 đến 100").into());
    }
    let who = actor.who();
    let now = dates::timestamp(dates::now_utc());
    let (who, now, t, note) = (&who, &now, &t, &note);
    let id = db
        .write(|mut tx| async move {
            let before: Option<(String, i64, i64, String, i64)> = match c.id {
                Some(id) => Some(
                    sqlx::query_as(
                        "SELECT subject_kind, year_from, position, text, active FROM recognition_criteria WHERE id = $1",
                    )
                    .bind(id)
                    .fetch_optional(tx.conn())
                    .await?
                    .ok_or_else(|| StorageError::not_found(format!("tiêu chí số {id}")))?,
                ),
                None => None,
            };
            let id = match c.id {
                Some(id) => {
                    sqlx::query(
                        "UPDATE recognition_criteria SET subject_kind = $1, year_from = $2, position = $3, \
                         text = $4, note = $5, active = $6, updated_by = $7, updated_at = $8 WHERE id = $9",
                    )
                    .bind(c.kind.code())
                    .bind(i64::from(c.year_from))
                    .bind(c.position)
                    .bind(t)
                    .bind(note)
                    .bind(i64::from(c.active))
                    .bind(&who.name)
                    .bind(now)
                    .bind(id)
                    .execute(tx.conn())
                    .await?;
                    id
                }
                None => {
                    sqlx::query_scalar(
                        "INSERT INTO recognition_criteria (subject_kind, year_from, position, text, note, active, updated_by, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    )
                    .bind(c.kind.code())
                    .bind(i64::from(c.year_from))
                    .bind(c.position)
                    .bind(t)
                    .bind(note)
                    .bind(i64::from(c.active))
                    .bind(&who.name)
                    .bind(now)
                    .fetch_one(tx.conn())
                    .await?
                }
            };
            audit::append(
                &mut tx,
                Change {
                    who,
                    action: "recognition_criterion.save",
                    entity: "recognition_criterion",
                    entity_id: id.to_string(),
                    unit_id: None,
                    before: before.map(|b| json!({"kind": b.0, "year_from": b.1, "position": b.2, "text": b.3, "active": b.4 != 0})),
                    after: Some(json!({"kind": c.kind.code(), "year_from": c.year_from, "position": c.position, "text": t, "note": note, "active": c.active})),
                },
            )
            .await?;
            tx.commit().await?;
            Ok(id)
        })
        .await?;
    let row = sqlx::query(&format!(
        "SELECT {COLS} FROM recognition_criteria WHERE id = $1"
    ))
    .bind(id)
    .fetch_one(db.pool())
    .await?;
    from_row(&row)
}
