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

const BY: &str = "demo";
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
    let sites = ngay_hoi_sites(db).await?;
    let mut tx = db.begin_write().await?;
    let now = dates::timestamp(dates::now_utc());
    let p09 = programme_09(&mut tx, &now).await?;
    let mut done = DemoProgrammes::default();
    let dbc = dien_bien_conference(&mut tx, &now, &dien_bien, p09).await?;
    done.conferences += 1;
    done.awards += dien_bien_awards(&mut tx, &now, &dien_bien, dbc, &communes).await?;
    dong_thap_conference(&mut tx, &now, &dong_thap, p09).await?;
    done.conferences += 1;
    done.events = ngay_hoi_events(&mut tx, &now, &sites).await?;
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
async fn insert(tx: &mut WriteTx, sql: &str, texts: &[Option<&str>]) -> StorageResult<i64> {
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
async fn dien_bien_awards(
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
            2,
            5,
            "Công an",
        ),
        (
            office("uy_ban_mttq_tinh", "Ủy ban MTTQ Việt Nam tỉnh", "mttq"),
            bang_khen,
            2,
            10,
            "Ban Công tác Mặt trận",
        ),
        (
            office("giam_doc_cong_an_tinh", "Giám đốc Công an tỉnh", "cong_an"),
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
        let award: i64 = sqlx::query_scalar(
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
        .await?;
        let mut position = 0i64;
        for _ in 0..collectives {
            let c = communes.get(next_commune % communes.len().max(1));
            next_commune += 1;
            let (name, unit_id) = match c {
                Some(c) => (
                    format!("{collective_word} {}", c.name.to_lowercase_kind()),
                    Some(c.id),
                ),
                None => (format!("Tập thể minh họa số {next_commune:02}"), None),
            };
            position += 1;
            recipient(tx, award, position, "tap_the", &name, unit_id, "").await?;
        }
        for _ in 0..individuals {
            next_person += 1;
            position += 1;
            let name = format!("Cá nhân minh họa số {next_person:02}");
            recipient(
                tx,
                award,
                position,
                "ca_nhan",
                &name,
                None,
                "Tổ viên Tổ bảo vệ an ninh, trật tự (dữ liệu minh họa)",
            )
            .await?;
        }
    }
    Ok(awards.len())
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

/// The Ngày hội sites each demo report counts: (unit id, year, sites).
async fn ngay_hoi_sites(db: &Db) -> StorageResult<Vec<(i64, i32, i64)>> {
    let Some(indicator): Option<i64> =
        sqlx::query_scalar("SELECT id FROM indicators WHERE code = 'ngay_hoi'")
            .fetch_optional(db.pool())
            .await?
    else {
        return Ok(Vec::new());
    };
    let rows: Vec<(i64, i64, Vec<u8>)> = sqlx::query_as(
        "SELECT r.unit_id, r.period_year, b.body FROM reports r JOIN report_values b ON b.report_id = r.id \
         WHERE r.state_changed_by = 'demo' ORDER BY r.unit_id, r.period_year",
    )
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::new();
    for (unit, year, body) in rows {
        let sites: i64 = crate::statistics::report_values::decode(&body)?
            .into_iter()
            .filter(|v| v.indicator_id == indicator && v.option.is_empty())
            .map(|v| v.milli / 1000)
            .sum();
        if sites > 0 {
            out.push((unit, year as i32, sites));
        }
    }
    Ok(out)
}

/// One Ngày hội event (19/8) per site counted, many rows to a statement.
async fn ngay_hoi_events(
    tx: &mut WriteTx,
    now: &str,
    sites: &[(i64, i32, i64)],
) -> StorageResult<usize> {
    let rows: Vec<(i64, i32, i64)> = sites
        .iter()
        .flat_map(|(u, y, n)| (1..=*n).map(move |i| (*u, *y, i)))
        .collect();
    for chunk in rows.chunks(200) {
        let mut sql = String::from(
            "INSERT INTO conferences (kind, title, held_on, unit_id, search_key, created_by, created_at, updated_at) VALUES ",
        );
        for (i, _) in chunk.iter().enumerate() {
            let b = i * 4;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!(
                "('ngay_hoi', ${}, ${}, ${}, ${}, 'demo', $1, $1)",
                b + 2,
                b + 3,
                b + 4,
                b + 5
            ));
        }
        let mut q = sqlx::query(&sql).bind(now.to_string());
        for (unit, year, site) in chunk {
            let title =
                format!("Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm {year} (điểm {site})");
            q = q
                .bind(title.clone())
                .bind(format!("{year}-08-19"))
                .bind(*unit)
                .bind(fold(&title));
        }
        q.execute(tx.conn()).await?;
    }
    Ok(rows.len())
}
