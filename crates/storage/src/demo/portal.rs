//! The demo's portal side: a handful of public indicators (so the open-data
//! pages of Điện Biên and Đồng Tháp show approved figures) and a few
//! messages to the editors of Điện Biên and of the nation. Loaded once:
//! nothing is changed when indicators were already chosen or messages exist.

use antq_core::units::UnitCode;
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::StorageResult;
use crate::portal::messages::{self, Kind, NewMessage};
use crate::portal::open_data::Lowest;
use crate::units;

/// (indicator, lowest level shown).
pub const PUBLIC_INDICATORS: &[(&str, Lowest)] = &[
    ("tt_buoi", Lowest::Commune),
    ("tt_luot", Lowest::Commune),
    ("mh_moi", Lowest::Province),
    ("mh_nhan_rong", Lowest::Province),
    ("nguon_tin", Lowest::Province),
    ("tcqc_so", Lowest::Commune),
];

/// (unit code, kind, name, contact, subject, body)
const MESSAGES: &[(&str, Kind, &str, &str, &str, &str)] = &[
    (
        "11",
        Kind::Story,
        "Lò Văn Thành",
        "0912 000 111",
        "Bản Phăng tổ chức ngày hội toàn dân bảo vệ an ninh Tổ quốc",
        "Sáng Chủ nhật, bà con bản Phăng đã tổ chức ngày hội với các tiết mục văn nghệ và phần thi tìm hiểu pháp luật.\n\nBan biên tập có thể liên hệ trưởng bản để có thêm ảnh.",
    ),
    (
        "11",
        Kind::Correction,
        "",
        "doc.gia@example.vn",
        "Đính chính số tổ chức quần chúng",
        "Bài viết về hội nghị tổng kết ghi nhầm số tổ chức quần chúng tự quản; theo báo cáo của tỉnh là 4.378 tổ chức.",
    ),
    (
        "11",
        Kind::Message,
        "",
        "",
        "Đề nghị đăng thêm tin về các mô hình ở xã vùng cao",
        "Mong ban biên tập đăng thêm tin về các mô hình tự quản ở các xã vùng cao của tỉnh.",
    ),
    (
        "VN",
        Kind::Message,
        "Nguyễn Thị Hoa",
        "",
        "Góp ý về trang số liệu phong trào",
        "Trang số liệu nên có thêm biểu đồ so sánh giữa các năm cho từng tỉnh.",
    ),
];

pub async fn load(db: &Db) -> StorageResult<()> {
    let chosen: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM public_indicators")
        .fetch_one(db.pool())
        .await?;
    let catalogue = crate::statistics::catalogue::indicators(db).await?;
    if chosen == 0 {
        let system = Who::system();
        let stamp = antq_core::dates::timestamp(antq_core::dates::now_utc());
        let mut tx = db.begin_write().await?;
        let mut after = Vec::new();
        for (code, lowest) in PUBLIC_INDICATORS {
            if !catalogue.iter().any(|i| i.code == *code) {
                continue;
            }
            sqlx::query(
                "INSERT INTO public_indicators (indicator_code, lowest_level, chosen_by, chosen_at) \
                 VALUES ($1, $2, 'demo', $3)",
            )
            .bind(*code)
            .bind(lowest.as_str())
            .bind(&stamp)
            .execute(tx.conn())
            .await?;
            after.push(json!({"indicator": code, "lowest_level": lowest.as_str()}));
        }
        audit::append(
            &mut tx,
            Change {
                who: &system,
                action: "open_data.indicators",
                entity: "public_indicators",
                entity_id: "all".into(),
                unit_id: None,
                before: Some(json!([])),
                after: Some(json!(after)),
            },
        )
        .await?;
        tx.commit().await?;
    }
    let sent: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM editor_messages")
        .fetch_one(db.pool())
        .await?;
    if sent == 0 {
        let today = antq_core::dates::today();
        for (code, kind, name, contact, subject, body) in MESSAGES {
            let unit = units::get_at(db, &UnitCode::parse(code)?, today).await?;
            let m = messages::check(NewMessage {
                unit_id: unit.id,
                kind: *kind,
                name: name.to_string(),
                contact: contact.to_string(),
                subject: subject.to_string(),
                body: body.to_string(),
                attachment: None,
            })?;
            messages::receive(db, &m, today).await?;
        }
    }
    Ok(())
}
