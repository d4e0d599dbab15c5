//! Conferences on SQLite always and on PostgreSQL when
//! `ANTQ_TEST_DATABASE_URL` names a server: recorded with organisers,
//! attendees, programmes, reviews and photos (audited); read and changed
//! only within one's units (404 outside); listed through a unit's subtree
//! and lineage; and what the press draft is written from.

use antq_core::auth::Role;
use antq_core::dates::parse_date;
use antq_core::programmes::conferences::{press_draft, Attendee, ConferenceKind};
use antq_core::programmes::Body;
use antq_core::reviews::{Owner, Stage};
use antq_core::units::UnitCode;
use antq_storage::accounts::access::{Actor, Grant};
use antq_storage::audit::Who;
use antq_storage::programmes::conferences::{
    self as conf, photos, ConferenceInput, Filter, OrganiserInput,
};
use antq_storage::statistics::analytics::MapMode;
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::units::{self, Unit};
use antq_storage::{Db, StorageError};

async fn unit(db: &Db, code: &str, at: &str) -> Unit {
    units::get_at(db, &UnitCode::parse(code).unwrap(), parse_date(at).unwrap())
        .await
        .unwrap()
}

fn actor(role: Role, u: &Unit) -> Actor {
    Actor {
        user_id: 0,
        username: format!("{}.{}", role.as_str(), u.code),
        display_name: "Trần Lâm".into(),
        grants: vec![Grant {
            id: 0,
            role,
            unit_id: u.id,
            unit_code: u.code.clone(),
            unit_name: u.name.clone(),
            unit_level: u.level,
            unit_valid_from: None,
            unit_valid_to: None,
        }],
    }
}

/// Programme 09 (as the documents work seeds it) and the Đồng Tháp plan.
async fn programmes(db: &Db) -> (i64, i64) {
    let now = "2026-01-01T00:00:00Z";
    sqlx::query(
        "INSERT INTO documents (kind, number, year, symbol, reference, reference_key, issued_on, \
         subject, search_key, created_by, created_at, updated_at) VALUES ('chuong_trinh_phoi_hop', \
         '09', 2013, 'CTr-BCA-MTTW', '09/CTr-BCA-MTTW', 'test-09', '2013-08-01', 'Phong trào', \
         'phong trao', 'test', $1, $1)",
    )
    .bind(now)
    .execute(db.pool())
    .await
    .unwrap();
    let doc: i64 = sqlx::query_scalar("SELECT id FROM documents WHERE reference_key = 'test-09'")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (kind, title, document) in [
        ("chuong_trinh", "Chương trình phối hợp số 09 giữa Bộ Công an với Ban thường trực Ủy ban Trung ương MTTQ Việt Nam", Some(doc)),
        ("ke_hoach", "Kế hoạch phối hợp phát huy vai trò Tổ Nhân dân tự quản", None),
    ] {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO programmes (document_id, kind, title, state, search_key, created_by, \
             created_at, updated_at) VALUES ($1, $2, $3, 'in_force', 'x', 'test', $4, $4) RETURNING id",
        )
        .bind(document)
        .bind(kind)
        .bind(title)
        .bind(now)
        .fetch_one(db.pool())
        .await
        .unwrap();
        ids.push(id);
    }
    (ids[0], ids[1])
}

fn dien_bien_input(unit_id: i64, reviewed: i64, review: i64) -> ConferenceInput {
    ConferenceInput {
        kind: ConferenceKind::TongKet,
        title: "Hội nghị tổng kết 10 năm thực hiện Chương trình phối hợp số 09".into(),
        held_on: parse_date("2023-05-19").unwrap(),
        place: "Hội trường Công an tỉnh".into(),
        unit_id,
        stage: Some((2013, 2023)),
        attendance: Some(150),
        notes: String::new(),
        organisers: vec![
            OrganiserInput {
                unit_id: Some(unit_id),
                body: Body::CongAn,
                name: String::new(),
            },
            OrganiserInput {
                unit_id: None,
                body: Body::Khac,
                name: "Ban Thường trực Ủy ban MTTQ tỉnh Điện Biên".into(),
            },
        ],
        attendees: vec![
            Attendee {
                rank_title: "ông".into(),
                name: "Lê Thành Đô".into(),
                office: "Chủ tịch UBND tỉnh Điện Biên".into(),
                body: String::new(),
            },
            Attendee {
                rank_title: "Đồng chí".into(),
                name: "Lò Văn Mừng".into(),
                office: "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh Điện Biên".into(),
                body: String::new(),
            },
        ],
        reviewed: vec![reviewed],
        signed: Vec::new(),
        reviews: vec![review],
    }
}

/// The awards of the article, given at the conference (rows inserted as the
/// award register keeps them).
async fn awards(db: &Db, conference: i64, unit_id: i64) {
    let now = "2026-01-01T00:00:00Z";
    for (i, (office, form, collectives, individuals)) in [
        ("Chủ tịch UBND tỉnh", "Bằng khen", 2, 5),
        ("Ủy ban MTTQ Việt Nam tỉnh", "Bằng khen", 2, 10),
        ("Công an tỉnh", "Giấy khen", 15, 22),
    ]
    .into_iter()
    .enumerate()
    {
        let form_id: i64 = match sqlx::query_scalar::<_, i64>(
            "SELECT id FROM award_forms WHERE name = $1",
        )
        .bind(form)
        .fetch_optional(db.pool())
        .await
        .unwrap()
        {
            Some(id) => id,
            None => sqlx::query_scalar(
                "INSERT INTO award_forms (code, name, position) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(format!("test_form_{i}"))
            .bind(form)
            .bind(100 + i as i64)
            .fetch_one(db.pool())
            .await
            .unwrap(),
        };
        let office_id: i64 = sqlx::query_scalar(
            "INSERT INTO award_offices (code, name, level, body, position) \
             VALUES ($1, $2, 'province', 'khac', $3) RETURNING id",
        )
        .bind(format!("test_office_{i}"))
        .bind(office)
        .bind(-10 + i as i64)
        .fetch_one(db.pool())
        .await
        .unwrap();
        let award: i64 = sqlx::query_scalar(
            "INSERT INTO awards (form_id, office_id, unit_id, issuer_unit_id, state, year, \
             conference_id, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $3, 'decided', 2023, $4, 'test', $5, $5) RETURNING id",
        )
        .bind(form_id)
        .bind(office_id)
        .bind(unit_id)
        .bind(conference)
        .bind(now)
        .fetch_one(db.pool())
        .await
        .unwrap();
        let kinds = std::iter::repeat_n("tap_the", collectives)
            .chain(std::iter::repeat_n("ca_nhan", individuals));
        for (pos, kind) in kinds.enumerate() {
            sqlx::query(
                "INSERT INTO award_recipients (award_id, position, kind, name, state) \
                 VALUES ($1, $2, $3, $4, 'accepted')",
            )
            .bind(award)
            .bind(pos as i64)
            .bind(kind)
            .bind(format!("Người nhận {pos}"))
            .execute(db.pool())
            .await
            .unwrap();
        }
    }
}

async fn all(db: Db) {
    let dien_bien = unit(&db, "11", "2026-01-01").await;
    let dong_thap = unit(&db, "82", "2026-01-01").await;
    let old_tien_giang = unit(&db, "82", "2020-12-14").await;
    let police = actor(Role::Police, &dien_bien);
    let viewer = actor(Role::Viewer, &dien_bien);
    let stranger = actor(Role::Police, &dong_thap);
    let (p09, plan) = programmes(&db).await;
    let review = antq_storage::reviews::create(
        &db,
        &Who::system(),
        antq_storage::reviews::NewReview {
            unit: dien_bien.clone(),
            owner: Owner::Joint,
            stage: Stage::parse("2013", Some("2023")).unwrap(),
            issue_date: parse_date("2023-05-19").unwrap(),
        },
    )
    .await
    .unwrap();

    // Recorded with organisers (one named from its unit), attendees in order, links.
    let c = conf::create(&db, &police, dien_bien_input(dien_bien.id, p09, review))
        .await
        .unwrap();
    assert_eq!(c.organisers[0].name, "Công an tỉnh Điện Biên");
    assert_eq!(
        c.organisers[1].name,
        "Ban Thường trực Ủy ban MTTQ tỉnh Điện Biên"
    );
    assert_eq!(
        c.attendees
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>(),
        ["Lê Thành Đô", "Lò Văn Mừng"]
    );
    assert_eq!(c.programmes.len(), 1);
    assert_eq!(
        c.programmes[0].reference.as_deref(),
        Some("09/CTr-BCA-MTTW")
    );
    assert_eq!(c.reviews[0].id, review);
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'conference.create' AND entity_id = $1",
    )
    .bind(c.id.to_string())
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(audited, 1);

    // Access: a viewer reads but may not change; another province sees nothing.
    assert!(conf::get(&db, &viewer, c.id).await.is_ok());
    assert!(matches!(
        conf::update(
            &db,
            &viewer,
            c.id,
            dien_bien_input(dien_bien.id, p09, review)
        )
        .await,
        Err(StorageError::Forbidden)
    ));
    assert!(matches!(
        conf::get(&db, &stranger, c.id).await,
        Err(StorageError::NotFound(_))
    ));
    assert!(matches!(
        conf::create(&db, &stranger, dien_bien_input(dien_bien.id, p09, review)).await,
        Err(StorageError::Forbidden)
    ));
    // A review of another province cannot be presented.
    let other_review = antq_storage::reviews::create(
        &db,
        &Who::system(),
        antq_storage::reviews::NewReview {
            unit: dong_thap.clone(),
            owner: Owner::Joint,
            stage: Stage::parse("2023", None).unwrap(),
            issue_date: parse_date("2023-12-01").unwrap(),
        },
    )
    .await
    .unwrap();
    let err = conf::create(
        &db,
        &police,
        dien_bien_input(dien_bien.id, p09, other_review),
    )
    .await
    .unwrap_err();
    assert!(
        err.to_string().contains("không phải của đơn vị tổ chức"),
        "{err}"
    );
    // Bounded inputs, in Vietnamese.
    let mut long = dien_bien_input(dien_bien.id, p09, review);
    long.title = "x".repeat(501);
    assert!(conf::create(&db, &police, long)
        .await
        .unwrap_err()
        .to_string()
        .contains("Tên hội nghị dài 501 ký tự"));
    let mut crowd = dien_bien_input(dien_bien.id, p09, review);
    crowd.attendees = vec![crowd.attendees[0].clone(); conf::MAX_ATTENDEES + 1];
    assert!(conf::create(&db, &police, crowd)
        .await
        .unwrap_err()
        .to_string()
        .contains("51 đại biểu"));

    // Changed: everything replaced, audited.
    let mut changed = dien_bien_input(dien_bien.id, p09, review);
    changed.attendees.pop();
    changed.signed = vec![plan];
    let c2 = conf::update(&db, &police, c.id, changed).await.unwrap();
    assert_eq!(c2.attendees.len(), 1);
    assert_eq!(c2.programmes.len(), 2);

    // Lineage: a conference of old Tiền Giang counts under today's Đồng Tháp.
    let national = actor(Role::Admin, &unit(&db, "VN", "2026-01-01").await);
    let mut old = dien_bien_input(old_tien_giang.id, p09, review);
    old.reviews.clear();
    old.held_on = parse_date("2020-11-18").unwrap();
    old.title = "Hội nghị sơ kết Tiền Giang".into();
    old.kind = ConferenceKind::SoKet;
    let old = conf::create(&db, &national, old).await.unwrap();
    let filter = |map| Filter {
        unit: Some((dong_thap.id, map)),
        from: None,
        to: None,
        kind: None,
        q: None,
    };
    let ids = |l: Vec<conf::Summary>| l.into_iter().map(|s| s.id).collect::<Vec<_>>();
    assert_eq!(
        ids(conf::list(&db, &national, filter(MapMode::Current))
            .await
            .unwrap()),
        [old.id]
    );
    assert!(conf::list(&db, &national, filter(MapMode::Historical))
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        ids(conf::list(&db, &stranger, filter(MapMode::Current))
            .await
            .unwrap()),
        [old.id]
    );
    // Outside one's units: not listed; by year and kind.
    assert_eq!(
        ids(conf::list(
            &db,
            &police,
            Filter {
                unit: None,
                from: Some(2023),
                to: Some(2023),
                kind: None,
                q: None
            }
        )
        .await
        .unwrap()),
        [c.id]
    );
    assert!(conf::list(
        &db,
        &national,
        Filter {
            unit: None,
            from: None,
            to: None,
            kind: Some(ConferenceKind::DienDan),
            q: None
        }
    )
    .await
    .unwrap()
    .is_empty());
    assert_eq!(
        ids(conf::list(
            &db,
            &national,
            Filter {
                unit: None,
                from: None,
                to: None,
                kind: None,
                q: Some("tien giang")
            }
        )
        .await
        .unwrap()),
        [old.id]
    );

    // Photos: by content, bounded, served to readers only.
    let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xD9];
    let p = photos::add(
        &db,
        &police,
        c.id,
        photos::NewPhoto {
            bytes: &jpeg,
            caption: "Trao Bằng khen",
            credit: "T.L",
        },
    )
    .await
    .unwrap();
    assert_eq!(p.media_type, "image/jpeg");
    assert!(photos::add(
        &db,
        &police,
        c.id,
        photos::NewPhoto {
            bytes: b"GIF89a",
            caption: "x",
            credit: ""
        }
    )
    .await
    .unwrap_err()
    .to_string()
    .contains("JPEG hoặc PNG"));
    // A photo still carrying EXIF with GPS, or a PNG with a text chunk, never reaches storage.
    let with_gps = [
        &jpeg[..2],
        &[0xFF, 0xE1, 0, 12][..],
        b"Exif\0\0GPS\0\0",
        &jpeg[2..],
    ]
    .concat();
    let err = photos::add(
        &db,
        &police,
        c.id,
        photos::NewPhoto {
            bytes: &with_gps,
            caption: "x",
            credit: "",
        },
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("EXIF, vị trí GPS"), "{err}");
    let png_text = [
        &b"\x89PNG\r\n\x1a\n"[..],
        &[0, 0, 0, 4],
        b"tEXt",
        b"GPS\0",
        &[0; 4],
        &[0, 0, 0, 0],
        b"IEND",
        &[0; 4],
    ]
    .concat();
    assert!(photos::add(
        &db,
        &police,
        c.id,
        photos::NewPhoto {
            bytes: &png_text,
            caption: "x",
            credit: ""
        }
    )
    .await
    .is_err());
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM conference_photos")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(stored, 1, "only the clean photo");
    let big = [&jpeg[..3], &vec![0u8; photos::MAX_PHOTO_BYTES]].concat();
    assert!(photos::add(
        &db,
        &police,
        c.id,
        photos::NewPhoto {
            bytes: &big,
            caption: "x",
            credit: ""
        }
    )
    .await
    .unwrap_err()
    .to_string()
    .contains("vượt giới hạn"));
    assert!(matches!(
        photos::add(
            &db,
            &viewer,
            c.id,
            photos::NewPhoto {
                bytes: &jpeg,
                caption: "x",
                credit: ""
            }
        )
        .await,
        Err(StorageError::Forbidden)
    ));
    assert_eq!(
        photos::body(&db, &viewer, c.id, p.id).await.unwrap(),
        ("image/jpeg".to_string(), jpeg.to_vec())
    );
    assert!(matches!(
        photos::body(&db, &stranger, c.id, p.id).await,
        Err(StorageError::NotFound(_))
    ));
    assert!(matches!(
        photos::body(&db, &viewer, old.id, p.id).await,
        Err(StorageError::NotFound(_))
    ));
    assert_eq!(conf::get(&db, &viewer, c.id).await.unwrap().photos.len(), 1);
    photos::remove(&db, &police, c.id, p.id).await.unwrap();
    assert!(conf::get(&db, &viewer, c.id)
        .await
        .unwrap()
        .photos
        .is_empty());

    // The press draft's input: organisers, attendees, programme, plan, awards by issuer.
    awards(&db, c.id, dien_bien.id).await;
    let input = conf::press_input(&db, &viewer, c.id, "").await.unwrap();
    assert_eq!(input.unit_name, "Điện Biên");
    assert_eq!(input.author, "T.L");
    assert_eq!(
        input.programme.as_ref().unwrap().short,
        "Chương trình phối hợp số 09"
    );
    assert_eq!(
        input.signed,
        ["Kế hoạch phối hợp phát huy vai trò Tổ Nhân dân tự quản"]
    );
    let d = press_draft(&input);
    assert_eq!(
        d.headline,
        "Điện Biên: Tổng kết 10 năm thực hiện Chương trình phối hợp số 09"
    );
    assert!(d.lead.contains("19/5"), "{}", d.lead);
    assert!(d.lead.contains("Công an tỉnh Điện Biên và Ban Thường trực Ủy ban MTTQ tỉnh Điện Biên tổ chức Hội nghị tổng kết 10 năm (2013 – 2023)"), "{}", d.lead);
    assert!(
        d.body
            .contains("Dự hội nghị có ông Lê Thành Đô - Chủ tịch UBND tỉnh Điện Biên."),
        "{}",
        d.body
    );
    assert!(d.body.contains("Tại hội nghị, 2 đơn vị đã ký kết kế hoạch phối hợp phát huy vai trò Tổ Nhân dân tự quản."), "{}", d.body);
    assert!(
        d.body.contains(
            "Nhân dịp này, Chủ tịch UBND tỉnh tặng Bằng khen cho 2 tập thể, 5 cá nhân; \
         Ủy ban MTTQ Việt Nam tỉnh tặng Bằng khen cho 2 tập thể, 10 cá nhân; \
         Công an tỉnh tặng Giấy khen cho 15 tập thể, 22 cá nhân."
        ),
        "{}",
        d.body
    );
    assert!(d.body.ends_with("T.L tổng hợp"));
    assert!(matches!(
        conf::press_input(&db, &stranger, c.id, "").await,
        Err(StorageError::NotFound(_))
    ));
    the_article(&db, plan).await;
}

/// The article's two conferences for the demo: recorded once, as the article names them.
async fn the_article(db: &Db, plan: i64) {
    let (dien_bien, dong_thap) = conf::demo::seed_article(db, Some(plan)).await.unwrap();
    assert_eq!(
        conf::demo::seed_article(db, Some(plan)).await.unwrap(),
        (dien_bien, dong_thap)
    );
    let national = actor(Role::Admin, &unit(db, "VN", "2026-01-01").await);
    let dt = conf::get(db, &national, dong_thap).await.unwrap();
    let names: Vec<&str> = dt.organisers.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Công an tỉnh Đồng Tháp",
            "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Đồng Tháp"
        ]
    );
    assert_eq!(dt.attendees.len(), 3);
    let d = press_draft(
        &conf::press_input(db, &national, dong_thap, "T.L")
            .await
            .unwrap(),
    );
    assert!(
        d.lead
            .starts_with("Ngày 18/5/2023, Công an tỉnh Đồng Tháp và Ban Thường trực"),
        "{}",
        d.lead
    );
    assert!(
        d.body
            .contains("Dự hội nghị có Trung tá Nguyễn Thế Nam - Trưởng phòng công tác dân vận"),
        "{}",
        d.body
    );
    assert!(d.body.contains(
        "Tại hội nghị, 2 đơn vị đã ký kết kế hoạch phối hợp phát huy vai trò Tổ Nhân dân tự quản."
    ));
    let db_conf = conf::get(db, &national, dien_bien).await.unwrap();
    assert_eq!(
        db_conf.programmes[0].reference.as_deref(),
        Some("09/CTr-BCA-MTTW")
    );
    assert_eq!(
        db_conf.reviews.len(),
        1,
        "the 10-year review presented there"
    );
}

#[tokio::test]
async fn conferences_on_sqlite() {
    let t = TestDb::sqlite();
    all(t.ready().await).await;
}

#[tokio::test]
async fn conferences_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL conference tests did not run");
        return;
    };
    let t = TestDb::postgres(&server).await;
    all(t.ready().await).await;
}
