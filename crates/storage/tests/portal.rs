//! The portal's articles on SQLite always and on PostgreSQL when
//! `ANTQ_TEST_DATABASE_URL` names a server: scheduled publishing (not
//! before its time, then by `publish_due`), a conference's press draft as a
//! draft, the public lists, the archive, related news and the search
//! change log.

use antq_core::auth::Role;
use antq_core::dates::{self, parse_date};
use antq_core::portal::article::ArticleText;
use antq_core::portal::{ArticleState, Topic};
use antq_core::programmes::conferences::{Attendee, ConferenceKind};
use antq_core::programmes::Body;
use antq_core::units::UnitCode;
use antq_storage::accounts::access::{Actor, Grant};
use antq_storage::portal::articles::{self, ArticleInput};
use antq_storage::portal::public::{self, NewsFilter};
use antq_storage::portal::{changes, workflow};
use antq_storage::programmes::conferences::{self as conf, ConferenceInput, OrganiserInput};
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::units::{self, Unit};
use antq_storage::{Db, StorageError};

async fn unit(db: &Db, code: &str) -> Unit {
    units::get_at(db, &UnitCode::parse(code).unwrap(), dates::today())
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

fn input(unit_id: i64, headline: &str, topic: Topic, tags: &str) -> ArticleInput {
    ArticleInput {
        unit_id,
        topic,
        place_unit_id: Some(unit_id),
        text: ArticleText::parse(headline, "Sa-pô.", "Nội dung.", "T.L tổng hợp", "", tags)
            .unwrap(),
    }
}

async fn all(db: Db) {
    let dien_bien = unit(&db, "11").await;
    let dong_thap = unit(&db, "82").await;
    let editor = actor(Role::Editor, &dien_bien);
    let reviewer = actor(Role::Reviewer, &dien_bien);
    let police = actor(Role::Police, &dien_bien);

    // Only editors and reviewers write news.
    let err = articles::create(
        &db,
        Some(&police),
        &input(dien_bien.id, "Tin", Topic::Movement, ""),
        None,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, StorageError::Forbidden));

    // Scheduled: not public before its time; published by the sweep after.
    let id = articles::create(
        &db,
        Some(&editor),
        &input(dien_bien.id, "Tin hẹn giờ", Topic::Movement, "an ninh"),
        None,
    )
    .await
    .unwrap();
    workflow::submit(&db, &editor, id).await.unwrap();
    assert!(matches!(
        workflow::publish(&db, Some(&editor), id, None)
            .await
            .unwrap_err(),
        StorageError::Forbidden
    ));
    let later = dates::now_utc() + chrono::Duration::hours(2);
    workflow::publish(&db, Some(&reviewer), id, Some(later))
        .await
        .unwrap();
    let a = articles::load(&db, id).await.unwrap().unwrap();
    assert_eq!(a.state, ArticleState::Scheduled);
    assert_eq!(workflow::publish_due(&db).await.unwrap(), 0);
    assert!(public::by_slug(&db, &a.slug).await.unwrap().is_none());
    sqlx::query("UPDATE articles SET publish_at = $1 WHERE id = $2")
        .bind("2026-01-01T00:00:00.000000Z")
        .bind(id)
        .execute(db.pool())
        .await
        .unwrap();
    assert_eq!(workflow::publish_due(&db).await.unwrap(), 1);
    let a = public::by_slug(&db, &a.slug).await.unwrap().unwrap();
    assert_eq!(
        a.published_at.as_deref(),
        Some("2026-01-01T00:00:00.000000Z")
    );
    assert_eq!(a.province_code.as_deref(), Some("11"));
    // The month's archive holds it.
    let (jan, _) = public::news(
        &db,
        &NewsFilter {
            month: Some((2026, 1)),
            ..Default::default()
        },
        1,
        10,
    )
    .await
    .unwrap();
    assert_eq!(jan.len(), 1);
    // The index follows: the publication is in the change log.
    let logged = changes::since(&db, 0, 100).await.unwrap();
    assert!(logged
        .iter()
        .any(|(_, k, item)| *k == changes::ItemKind::Article && *item == id));

    // Related: the same topic and tag before another province's news.
    let near = articles::create(
        &db,
        None,
        &input(
            dien_bien.id,
            "Tổ an ninh tự quản",
            Topic::Movement,
            "an ninh",
        ),
        None,
    )
    .await
    .unwrap();
    let far = articles::create(
        &db,
        None,
        &input(dong_thap.id, "Khen thưởng tập thể", Topic::Awards, ""),
        None,
    )
    .await
    .unwrap();
    workflow::publish(&db, None, near, None).await.unwrap();
    workflow::publish(&db, None, far, None).await.unwrap();
    let related = public::related(&db, &a, 5).await.unwrap();
    let ids: Vec<i64> = related.iter().map(|r| r.id).collect();
    assert_eq!(
        ids,
        vec![near],
        "the other province's award news shares nothing"
    );

    // A conference's press draft becomes a draft of the conference's unit.
    let police_dt = actor(Role::Police, &dong_thap);
    let c = conf::create(
        &db,
        &police_dt,
        ConferenceInput {
            kind: ConferenceKind::NgayHoi,
            title: "Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm 2026".into(),
            held_on: parse_date("2026-08-19").unwrap(),
            place: "Nhà văn hóa tỉnh".into(),
            unit_id: dong_thap.id,
            stage: None,
            attendance: Some(300),
            notes: String::new(),
            organisers: vec![OrganiserInput {
                unit_id: Some(dong_thap.id),
                body: Body::CongAn,
                name: String::new(),
            }],
            attendees: vec![Attendee {
                rank_title: "ông".into(),
                name: "Nguyễn Văn A".into(),
                office: "Chủ tịch UBND tỉnh".into(),
                body: String::new(),
            }],
            reviewed: Vec::new(),
            signed: Vec::new(),
            reviews: Vec::new(),
        },
    )
    .await
    .unwrap();
    // Điện Biên's editor may not draft from Đồng Tháp's conference.
    assert!(workflow::from_conference(&db, &editor, c.id).await.is_err());
    let dt_editor = actor(Role::Editor, &dong_thap);
    let drafted = workflow::from_conference(&db, &dt_editor, c.id)
        .await
        .unwrap();
    let d = articles::get(&db, &dt_editor, drafted).await.unwrap();
    assert_eq!(d.state, ArticleState::Draft);
    assert_eq!(d.topic, Topic::Conferences);
    assert_eq!(d.conference_id, Some(c.id));
    assert!(d.headline.contains("Đồng Tháp"), "{}", d.headline);
    assert!(d.body.contains("Nguyễn Văn A"), "{}", d.body);
    assert!(
        !d.body.contains("tổng hợp"),
        "the author line is its own field"
    );
    // Outside one's units an article is "not found".
    assert!(matches!(
        articles::get(&db, &editor, drafted).await.unwrap_err(),
        StorageError::NotFound(_)
    ));
}

#[tokio::test]
async fn articles_on_sqlite() {
    let t = TestDb::sqlite();
    all(t.ready().await).await;
}

#[tokio::test]
async fn articles_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL article tests did not run");
        return;
    };
    let t = TestDb::postgres(&server).await;
    all(t.ready().await).await;
}
