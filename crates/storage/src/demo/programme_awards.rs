//! The awards of the demo's Điện Biên conference, exactly as the article
//! gives them, with demo communes' bodies and plainly fictional people as
//! recipients (see `demo::programmes`).

use crate::db::WriteTx;
use crate::error::StorageResult;
use crate::units::Unit;

use super::programmes::{insert, BY};

/// An award form or office by its name (or code), added when the register
/// has none yet.
async fn lookup_or_add(
    tx: &mut WriteTx,
    table: &str,
    code: &str,
    name: &str,
    extra: (&str, &str),
) -> StorageResult<i64> {
    let found: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM {table} WHERE name = $1 OR code = $2 ORDER BY CASE WHEN name = $1 THEN 0 ELSE 1 END, id LIMIT 1"
    ))
    .bind(name)
    .bind(code)
    .fetch_optional(tx.conn())
    .await?;
    if let Some(id) = found {
        return Ok(id);
    }
    let position: i64 = sqlx::query_scalar(&format!(
        "SELECT CAST(COALESCE(MAX(position), 0) + 1 AS BIGINT) FROM {table}"
    ))
    .fetch_one(tx.conn())
    .await?;
    let (columns, values) = extra;
    let id = insert(
        tx,
        &format!(
            "INSERT INTO {table} (code, name, position, {columns}) VALUES ($1, $2, {position}, {values}) RETURNING id"
        ),
        &[Some(code), Some(name)],
    )
    .await?;
    Ok(id)
}

/// The three awards presented at the Điện Biên conference.
pub(super) async fn dien_bien_awards(
    tx: &mut WriteTx,
    now: &str,
    unit: &Unit,
    conference: i64,
    communes: &[Unit],
) -> StorageResult<usize> {
    let bang_khen = lookup_or_add(
        tx,
        "award_forms",
        "bang_khen",
        "Bằng khen",
        ("indicator", "'kt_bang_khen'"),
    )
    .await?;
    let giay_khen = lookup_or_add(
        tx,
        "award_forms",
        "giay_khen",
        "Giấy khen",
        ("indicator", "'kt_giay_khen'"),
    )
    .await?;
    let office = |code: &'static str, name: &'static str, body: &'static str| (code, name, body);
    let awards = [
        (
            office("chu_tich_ubnd_tinh", "Chủ tịch UBND tỉnh", "ubnd"),
            bang_khen,
            2i64,
            5i64,
            "Công an",
        ),
        (
            office("mttq_tinh", "Ủy ban MTTQ Việt Nam tỉnh", "mttq"),
            bang_khen,
            2,
            10,
            "Ban Công tác Mặt trận",
        ),
        (
            office("giam_doc_ca_tinh", "Công an tỉnh", "cong_an"),
            giay_khen,
            15,
            22,
            "Công an",
        ),
    ];
    let mut next_commune = 0usize;
    let mut next_person = 0usize;
    for ((code, name, body), form, collectives, individuals, collective_word) in awards {
        let values = format!("'province', '{body}'");
        let office_id =
            lookup_or_add(tx, "award_offices", code, name, ("level, body", &values)).await?;
        let award = new_award(tx, now, unit, conference, form, office_id).await?;
        for k in 0..collectives {
            let c = communes.get(next_commune % communes.len().max(1));
            next_commune += 1;
            let (name, unit_id) = match c {
                Some(c) => (
                    format!("{collective_word} {}", c.name.to_lowercase_kind()),
                    Some(c.id),
                ),
                None => (format!("Tập thể minh họa số {next_commune:02}"), None),
            };
            recipient(tx, award, k + 1, "tap_the", &name, unit_id, "").await?;
        }
        for k in 0..individuals {
            next_person += 1;
            let name = format!("Cá nhân minh họa số {next_person:02}");
            let office = "Tổ viên Tổ bảo vệ an ninh, trật tự (dữ liệu minh họa)";
            recipient(
                tx,
                award,
                collectives + k + 1,
                "ca_nhan",
                &name,
                None,
                office,
            )
            .await?;
        }
    }
    Ok(awards.len())
}

/// One decided award of 2023, presented at the conference.
async fn new_award(
    tx: &mut WriteTx,
    now: &str,
    unit: &Unit,
    conference: i64,
    form: i64,
    office_id: i64,
) -> StorageResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO awards (form_id, office_id, unit_id, issuer_unit_id, state, year, proposed_on, \
         decided_on, reason, conference_id, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $3, 'decided', 2023, '2023-04-20', '2023-05-15', $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(form)
    .bind(office_id)
    .bind(unit.id)
    .bind("Đã có thành tích xuất sắc trong thực hiện nhiệm vụ công tác phối hợp (2013 – 2023)")
    .bind(conference)
    .bind(BY)
    .bind(now)
    .fetch_one(tx.conn())
    .await?)
}

/// "Xã Mường Phăng" → "xã Mường Phăng", as in running text.
trait LowerKind {
    fn to_lowercase_kind(&self) -> String;
}

impl LowerKind for String {
    fn to_lowercase_kind(&self) -> String {
        for kind in ["Xã", "Phường", "Thị trấn"] {
            if let Some(rest) = self.strip_prefix(kind) {
                return format!("{}{rest}", kind.to_lowercase());
            }
        }
        self.clone()
    }
}

async fn recipient(
    tx: &mut WriteTx,
    award: i64,
    position: i64,
    kind: &str,
    name: &str,
    unit_id: Option<i64>,
    office: &str,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO award_recipients (award_id, position, kind, name, unit_id, office, state) \
         VALUES ($1, $2, $3, $4, $5, $6, 'accepted')",
    )
    .bind(award)
    .bind(position)
    .bind(kind)
    .bind(name)
    .bind(unit_id)
    .bind(office)
    .execute(tx.conn())
    .await?;
    Ok(())
}
