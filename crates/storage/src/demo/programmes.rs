//! The demo's programmes, conferences and awards, as the source article
//! tells them (`shared/source-article.txt`): the Điện Biên review conference
//! of 19/5/2023 with its attendees and awards (Chủ tịch UBND tỉnh: Bằng
//! khen 2 tập thể, 5 cá nhân; Ủy ban MTTQ Việt Nam tỉnh: Bằng khen 2 tập
//! thể, 10 cá nhân; Giám đốc Công an tỉnh: Giấy khen 15 tập thể, 22 cá
//! nhân), the Đồng Tháp conference of 18/5/2023 and the plan signed there,
//! and one Ngày hội event per site the demo's yearly reports count
//! (`ngay_hoi`). Recipients are demo communes' bodies and plainly fictional
//! people. Plain SQL into the v10 tables, in one audited transaction; a
//! second load changes nothing.

use antq_core::dates;
use antq_core::text::fold;
use antq_core::units::{Level, UnitCode};
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::db::{Db, WriteTx};
use crate::error::StorageResult;
use crate::units::{self, Unit, UnitQuery};

use super::{programme_awards, programme_events};

pub(super) const BY: &str = "demo";
const PROGRAMME_09: &str = "09/CTr-BCA-MTTW";

/// What the programmes' demo load did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoProgrammes {
    pub conferences: usize,
    pub awards: usize,
    pub events: usize,
}

/// Load the demo's conferences, awards, plan and events once.
pub async fn load(db: &Db) -> StorageResult<Option<DemoProgrammes>> {
    let already: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM conferences WHERE created_by = 'demo'")
            .fetch_one(db.pool())
            .await?;
    if already > 0 {
        return Ok(None);
    }
    let dien_bien = unit_at(db, "11", "2023-05-19").await?;
    let dong_thap = unit_at(db, "87", "2023-05-18").await?;
    let communes = units::list(
        db,
        &UnitQuery {
            at: dates::parse_date("2023-05-19")?,
            level: Some(Level::Commune),
            parent_id: Some(dien_bien.id),
            q: None,
            limit: Some(40),
        },
    )
    .await?;
    let sites = programme_events::ngay_hoi_sites(db).await?;
    let mut tx = db.begin_write().await?;
    let now = dates::timestamp(dates::now_utc());
    let p09 = programme_09(&mut tx, &now).await?;
    let mut done = DemoProgrammes::default();
    let dbc = dien_bien_conference(&mut tx, &now, &dien_bien, p09).await?;
    done.conferences += 1;
    done.awards +=
        programme_awards::dien_bien_awards(&mut tx, &now, &dien_bien, dbc, &communes).await?;
    dong_thap_conference(&mut tx, &now, &dong_thap, p09).await?;
    done.conferences += 1;
    done.events = programme_events::ngay_hoi_events(&mut tx, &now, &sites).await?;
    audit::append(
        &mut tx,
        Change {
            who: &Who::system(),
            action: "demo.programmes",
            entity: "demo",
            entity_id: "hoi-nghi-khen-thuong".into(),
            unit_id: None,
            before: None,
            after: Some(
                json!({"conferences": done.conferences, "awards": done.awards,
                               "events": done.events, "programme_09": p09}),
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Some(done))
}

async fn unit_at(db: &Db, code: &str, at: &str) -> StorageResult<Unit> {
    units::get_at(db, &UnitCode::parse(code)?, dates::parse_date(at)?).await
}

/// Insert a row and return its id.
pub(super) async fn insert(
    tx: &mut WriteTx,
    sql: &str,
    texts: &[Option<&str>],
) -> StorageResult<i64> {
    let mut q = sqlx::query_scalar::<_, i64>(sql);
    for t in texts {
        q = q.bind(t.map(str::to_string));
    }
    Ok(q.fetch_one(tx.conn()).await?)
}

/// Programme 09 (seeded at every start by the document library); a minimal
/// row of our own only where it is not there yet.
async fn programme_09(tx: &mut WriteTx, now: &str) -> StorageResult<i64> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT p.id FROM programmes p JOIN documents d ON d.id = p.document_id \
         WHERE d.reference = $1 ORDER BY p.id LIMIT 1",
    )
    .bind(PROGRAMME_09)
    .fetch_optional(tx.conn())
    .await?;
    if let Some(id) = found {
        return Ok(id);
    }
    let subject = "Đẩy mạnh phong trào Toàn dân bảo vệ an ninh Tổ quốc trong tình hình mới";
    let doc = insert(
        tx,
        "INSERT INTO documents (kind, number, year, symbol, reference, reference_key, issued_on, \
         subject, search_key, created_by, created_at, updated_at) \
         VALUES ('chuong_trinh', '09', 2013, 'CTr-BCA-MTTW', $1, $2, '2013-08-01', $3, $4, $5, $6, $6) RETURNING id",
        &[
            Some(PROGRAMME_09),
            Some(&fold(PROGRAMME_09)),
            Some(subject),
            Some(&fold(&format!("{PROGRAMME_09} {subject}"))),
            Some(BY),
            Some(now),
        ],
    )
    .await?;
    for (i, name) in [
        "Bộ Công an",
        "Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam",
    ]
    .iter()
    .enumerate()
    {
        sqlx::query(
            "INSERT INTO document_issuers (document_id, position, name, name_key) VALUES ($1, $2, $3, $4)",
        )
        .bind(doc)
        .bind(i as i64 + 1)
        .bind(*name)
        .bind(fold(name))
        .execute(tx.conn())
        .await?;
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO programmes (document_id, kind, title, signed_on, stage_from, stage_to, state, \
         search_key, created_by, created_at, updated_at) \
         VALUES ($1, 'chuong_trinh', $2, '2013-08-01', 2013, 2023, 'replaced', $3, $4, $5, $5) RETURNING id",
    )
    .bind(doc)
    .bind(subject)
    .bind(fold(subject))
    .bind(BY)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    Ok(id)
}

async fn new_conference(
    tx: &mut WriteTx,
    now: &str,
    unit: &Unit,
    held_on: &str,
    title: &str,
) -> StorageResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO conferences (kind, title, held_on, unit_id, stage_from, stage_to, search_key, \
         created_by, created_at, updated_at) \
         VALUES ('tong_ket', $1, $2, $3, 2013, 2023, $4, $5, $6, $6) RETURNING id",
    )
    .bind(title)
    .bind(held_on)
    .bind(unit.id)
    .bind(fold(title))
    .bind(BY)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    Ok(id)
}

async fn organisers(tx: &mut WriteTx, id: i64, unit: &Unit, names: [&str; 2]) -> StorageResult<()> {
    for (i, (body, name)) in ["cong_an", "mttq"].iter().zip(names).enumerate() {
        sqlx::query(
            "INSERT INTO conference_organisers (conference_id, position, unit_id, body, name) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(i as i64 + 1)
        .bind(unit.id)
        .bind(*body)
        .bind(name)
        .execute(tx.conn())
        .await?;
    }
    Ok(())
}

/// (rank or title, name, office, body)
async fn attendees(
    tx: &mut WriteTx,
    id: i64,
    list: &[(&str, &str, &str, &str)],
) -> StorageResult<()> {
    for (i, (rank, name, office, body)) in list.iter().enumerate() {
        sqlx::query(
            "INSERT INTO conference_attendees (conference_id, position, rank_title, name, office, body) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(i as i64 + 1)
        .bind(*rank)
        .bind(*name)
        .bind(*office)
        .bind(*body)
        .execute(tx.conn())
        .await?;
    }
    Ok(())
}

async fn link_programme(
    tx: &mut WriteTx,
    conference: i64,
    programme: i64,
    role: &str,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO conference_programmes (conference_id, programme_id, role) VALUES ($1, $2, $3)",
    )
    .bind(conference)
    .bind(programme)
    .bind(role)
    .execute(tx.conn())
    .await?;
    Ok(())
}

async fn dien_bien_conference(
    tx: &mut WriteTx,
    now: &str,
    unit: &Unit,
    p09: i64,
) -> StorageResult<i64> {
    let id = new_conference(
        tx,
        now,
        unit,
        "2023-05-19",
        "Hội nghị tổng kết 10 năm (2013 – 2023) thực hiện Chương trình phối hợp số 09 về \u{201C}Đẩy mạnh phong trào Toàn dân bảo vệ an ninh Tổ quốc trong tình hình mới\u{201D}",
    )
    .await?;
    organisers(
        tx,
        id,
        unit,
        [
            "Công an tỉnh Điện Biên",
            "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Điện Biên",
        ],
    )
    .await?;
    attendees(
        tx,
        id,
        &[
            (
                "Đồng chí",
                "Lò Văn Mừng",
                "Ủy viên Ban Thường vụ, Trưởng Ban Dân vận Tỉnh ủy, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh",
                "Ủy ban MTTQ Việt Nam tỉnh Điện Biên",
            ),
            ("", "Lê Thành Đô", "Chủ tịch UBND tỉnh", "Ủy ban nhân dân tỉnh Điện Biên"),
        ],
    )
    .await?;
    link_programme(tx, id, p09, "reviews").await?;
    Ok(id)
}

async fn dong_thap_conference(
    tx: &mut WriteTx,
    now: &str,
    unit: &Unit,
    p09: i64,
) -> StorageResult<()> {
    let id = new_conference(
        tx,
        now,
        unit,
        "2023-05-18",
        "Hội nghị tổng kết 10 năm thực hiện Chương trình phối hợp số 09 về \u{201C}Đẩy mạnh phong trào toàn dân bảo vệ an ninh Tổ quốc trong tình hình mới, giai đoạn 2013 - 2023\u{201D}",
    )
    .await?;
    organisers(
        tx,
        id,
        unit,
        [
            "Công an tỉnh Đồng Tháp",
            "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Đồng Tháp",
        ],
    )
    .await?;
    attendees(
        tx,
        id,
        &[
            (
                "Trung tá",
                "Nguyễn Thế Nam",
                "Trưởng phòng công tác dân vận, Cục xây dựng phong trào Bảo vệ an ninh Tổ quốc",
                "Bộ Công an",
            ),
            (
                "ông",
                "Lê Thành Công",
                "Trưởng Ban dân vận, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh",
                "Tỉnh Đồng Tháp",
            ),
            (
                "Đại tá",
                "Nguyễn Thanh Hải",
                "Phó Giám đốc Công an tỉnh",
                "Công an tỉnh Đồng Tháp",
            ),
        ],
    )
    .await?;
    link_programme(tx, id, p09, "reviews").await?;
    // The plan signed there (its number is not known: no document).
    let title = "Kế hoạch phối hợp phát huy vai trò Tổ Nhân dân tự quản tham gia xây dựng khu dân cư \u{201C}An ninh - An toàn - An dân\u{201D}";
    let plan: i64 = sqlx::query_scalar(
        "INSERT INTO programmes (kind, title, unit_id, signed_on, implements_id, state, search_key, \
         created_by, created_at, updated_at) \
         VALUES ('ke_hoach', $1, $2, '2023-05-18', $3, 'in_force', $4, $5, $6, $6) RETURNING id",
    )
    .bind(title)
    .bind(unit.id)
    .bind(p09)
    .bind(fold(title))
    .bind(BY)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    for (i, (body, name)) in [
        ("cong_an", "Công an tỉnh Đồng Tháp"),
        (
            "mttq",
            "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Đồng Tháp",
        ),
    ]
    .iter()
    .enumerate()
    {
        sqlx::query(
            "INSERT INTO programme_parties (programme_id, position, unit_id, body, name) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(plan)
        .bind(i as i64 + 1)
        .bind(unit.id)
        .bind(*body)
        .bind(*name)
        .execute(tx.conn())
        .await?;
    }
    link_programme(tx, id, plan, "signed").await
}
