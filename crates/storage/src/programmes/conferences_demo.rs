//! The two conferences of the source article, for the demo: Điện Biên's
//! 10-year review of programme 09 on 19/5/2023 and Đồng Tháp's on 18/5/2023
//! (with the plan signed there), their organisers and attendees as the
//! article names them. Awards are the award register's to add (with the
//! conference ids returned here). Idempotent; audited as the system.

use antq_core::dates::parse_date;
use antq_core::programmes::conferences::{Attendee, ConferenceKind};
use antq_core::programmes::Body;
use antq_core::units::UnitCode;

use super::input::{ConferenceInput, OrganiserInput};
use super::write::create_as_system;
use crate::db::Db;
use crate::error::StorageResult;
use crate::units;

fn attendee(rank: &str, name: &str, office: &str, body: &str) -> Attendee {
    Attendee {
        rank_title: rank.into(),
        name: name.into(),
        office: office.into(),
        body: body.into(),
    }
}

/// The conference of this unit, kind and day, if already recorded.
async fn existing(
    db: &Db,
    unit_id: i64,
    kind: ConferenceKind,
    day: &str,
) -> StorageResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM conferences WHERE unit_id = $1 AND kind = $2 AND held_on = $3",
    )
    .bind(unit_id)
    .bind(kind.code())
    .bind(day)
    .fetch_optional(db.pool())
    .await?)
}

/// Programme 09, found by its reference or an alias, if the library has it.
async fn programme_09(db: &Db) -> StorageResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT p.id FROM programmes p JOIN documents d ON d.id = p.document_id \
         WHERE d.reference = '09/CTr-BCA-MTTW' ORDER BY p.id LIMIT 1",
    )
    .fetch_optional(db.pool())
    .await?)
}

/// The unit's 10-year review (2013 – 2023), if one was built (by the unit,
/// or by the unit of the same level that covers it today).
async fn review(db: &Db, unit_id: i64) -> StorageResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM reviews WHERE period_from = 2013 AND period_to = 2023 AND half IS NULL \
         AND (unit_id = $1 OR $1 IN (SELECT descendant_id FROM unit_scope s \
         JOIN units u ON u.id = s.ancestor_id JOIN units h ON h.id = $1 \
         WHERE s.ancestor_id = reviews.unit_id AND u.level = h.level)) ORDER BY id LIMIT 1",
    )
    .bind(unit_id)
    .fetch_optional(db.pool())
    .await?)
}

async fn record(db: &Db, c: ConferenceInput) -> StorageResult<i64> {
    let day = antq_core::dates::iso(c.held_on);
    if let Some(id) = existing(db, c.unit_id, c.kind, &day).await? {
        return Ok(id);
    }
    Ok(create_as_system(db, c).await?.id)
}

/// Record the article's two conferences (Điện Biên, Đồng Tháp) and return
/// their ids. `dong_thap_plan`: the plan signed at Đồng Tháp's, if the
/// register has it.
pub async fn seed_article(db: &Db, dong_thap_plan: Option<i64>) -> StorageResult<(i64, i64)> {
    let p09 = programme_09(db).await?;
    let at = |d: &str| parse_date(d).expect("a date of the article");
    let dien_bien = units::get_at(db, &UnitCode::parse("11")?, at("2023-05-19")).await?;
    let dong_thap = units::get_at(db, &UnitCode::parse("87")?, at("2023-05-18")).await?;
    let title = "Hội nghị tổng kết 10 năm thực hiện Chương trình phối hợp số 09 giữa Bộ Công an \
                 với Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam và các tổ chức thành viên";
    let base = |unit: &units::Unit, day: &str| ConferenceInput {
        kind: ConferenceKind::TongKet,
        title: title.into(),
        held_on: at(day),
        place: String::new(),
        unit_id: unit.id,
        stage: Some((2013, 2023)),
        attendance: None,
        notes: String::new(),
        organisers: Vec::new(),
        attendees: Vec::new(),
        reviewed: p09.into_iter().collect(),
        signed: Vec::new(),
        reviews: Vec::new(),
    };
    let mut db_conf = base(&dien_bien, "2023-05-19");
    db_conf.organisers = vec![
        OrganiserInput {
            unit_id: Some(dien_bien.id),
            body: Body::CongAn,
            name: String::new(),
        },
        OrganiserInput {
            unit_id: Some(dien_bien.id),
            body: Body::Mttq,
            name: "Ban Thường trực Ủy ban MTTQ tỉnh Điện Biên".into(),
        },
    ];
    db_conf.attendees = vec![
        attendee("ông", "Lê Thành Đô", "Chủ tịch UBND tỉnh Điện Biên", ""),
        attendee(
            "Đồng chí",
            "Lò Văn Mừng",
            "Ủy viên BTV, Trưởng Ban Dân vận Tỉnh ủy, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh Điện Biên",
            "",
        ),
    ];
    db_conf.reviews = review(db, dien_bien.id).await?.into_iter().collect();
    let mut dt_conf = base(&dong_thap, "2023-05-18");
    dt_conf.organisers = vec![
        OrganiserInput {
            unit_id: Some(dong_thap.id),
            body: Body::CongAn,
            name: String::new(),
        },
        OrganiserInput {
            unit_id: Some(dong_thap.id),
            body: Body::Mttq,
            name: String::new(),
        },
    ];
    dt_conf.attendees = vec![
        attendee(
            "Trung tá",
            "Nguyễn Thế Nam",
            "Trưởng phòng công tác dân vận, Cục xây dựng phong trào Bảo vệ an ninh Tổ quốc",
            "Bộ Công an",
        ),
        attendee(
            "ông",
            "Lê Thành Công",
            "Trưởng Ban dân vận, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh",
            "",
        ),
        attendee(
            "Đại tá",
            "Nguyễn Thanh Hải",
            "Phó Giám đốc Công an tỉnh Đồng Tháp",
            "",
        ),
    ];
    dt_conf.signed = dong_thap_plan.into_iter().collect();
    dt_conf.reviews = review(db, dong_thap.id).await?.into_iter().collect();
    Ok((record(db, db_conf).await?, record(db, dt_conf).await?))
}
