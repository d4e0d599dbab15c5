//! Administrators extend the catalogue (indicators with a designed, capped
//! breakdown, ratios, forms) and the police and the Front comment on
//! reports. SQLite always, PostgreSQL when ANTQ_TEST_DATABASE_URL is set.

use antq_core::auth::{NewPassword, Role, Username};
use antq_core::breakdowns::parse_dimension;
use antq_core::dates::parse_date;
use antq_core::indicators::{Aggregation, Qualifier};
use antq_core::periods::YearRange;
use antq_core::units::UnitCode;
use antq_storage::audit::{AuditFilter, Who};
use antq_storage::statistics::analytics::{self, MapMode};
use antq_storage::statistics::catalogue;
use antq_storage::statistics::catalogue_edit::{self, NewForm, NewIndicator};
use antq_storage::statistics::comments;
use antq_storage::statistics::reports::{self, ValueInput};
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::units::{self, Unit};
use antq_storage::{accounts::access, accounts::users, Db, StorageError};

async fn unit(db: &Db, code: &str, at: &str) -> Unit {
    units::get_at(db, &UnitCode::parse(code).unwrap(), parse_date(at).unwrap())
        .await
        .unwrap()
}

async fn user(db: &Db, name: &str, role: Role, unit: i64) -> access::Actor {
    let id = users::create(
        db,
        &Who::system(),
        users::NewUser {
            username: Username::parse(name).unwrap(),
            display_name: name.to_string(),
            password: NewPassword::parse("một mật khẩu thật dài").unwrap(),
            grants: vec![(role, unit)],
        },
    )
    .await
    .unwrap();
    users::actor(db, id).await.unwrap().unwrap()
}

fn value(indicator: &str, option: &str, n: i64) -> ValueInput {
    ValueInput {
        indicator: indicator.into(),
        option: option.into(),
        value: Some((n * 1000, Qualifier::Exact, None)),
    }
}

fn rejected(e: StorageError) -> String {
    match e {
        StorageError::Invalid(m) => m.to_string(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn story(db: Db) {
    let admin = Who::system();
    let before = catalogue::indicators(&db).await.unwrap().len();

    // A breakdown of 5 × 5 = 25 combinations is refused with its count, and nothing is written.
    let too_big = NewIndicator {
        code: "tg_nguoi".into(),
        name_vi: "Người tham gia tuần tra".into(),
        unit: "người".into(),
        group: "mo_hinh".into(),
        value_type: "integer".into(),
        aggregation: "sum".into(),
        breakdown: vec![
            parse_dimension("Độ tuổi: a1, a2, a3, a4, a5").unwrap(),
            parse_dimension("Dân tộc: b1, b2, b3, b4, b5").unwrap(),
        ],
        forms: vec!["antq-nam".into()],
        ..Default::default()
    };
    let e = rejected(
        catalogue_edit::create_indicator(&db, &admin, too_big.clone())
            .await
            .unwrap_err(),
    );
    assert!(e.contains("25 tổ hợp"), "{e}");
    assert_eq!(catalogue::indicators(&db).await.unwrap().len(), before);

    // 2 × 2 = 4 combinations are accepted and the indicator joins the yearly form.
    let created = catalogue_edit::create_indicator(
        &db,
        &admin,
        NewIndicator {
            breakdown: vec![
                parse_dimension("Giới tính: Nam | Male, Nữ | Female").unwrap(),
                parse_dimension("Độ tuổi: Dưới 30, Từ 30").unwrap(),
            ],
            ..too_big
        },
    )
    .await
    .unwrap();
    assert_eq!(created.options.len(), 4);
    assert_eq!(created.options[0].code, "nam-duoi_30");
    assert_eq!(created.options[3].name_vi, "Nữ, Từ 30");
    let form = catalogue::form(&db, "antq-nam").await.unwrap();
    assert_eq!(form.indicators.last().unwrap().code, "tg_nguoi");

    // Its values are entered per combination and add up in the analytics.
    let dt = unit(&db, "82", "2026-06-01").await;
    reports::put_values(
        &db,
        &admin,
        &form,
        &dt,
        "2026",
        vec![
            value("tg_nguoi", "nam-duoi_30", 12),
            value("tg_nguoi", "nu-tu_30", 7),
            value("tt_buoi", "", 40),
        ],
    )
    .await
    .unwrap();
    let unknown_option = reports::put_values(
        &db,
        &admin,
        &form,
        &dt,
        "2026",
        vec![value("tg_nguoi", "khong_co", 1)],
    )
    .await;
    assert!(unknown_option.is_err());
    let cat = catalogue::indicators(&db).await.unwrap();
    let rows = analytics::run(
        &db,
        &analytics::Query {
            indicators: std::slice::from_ref(&created),
            catalogue: &cat,
            unit: &dt,
            range: YearRange {
                from: 2026,
                to: 2026,
            },
            by: None,
            map: MapMode::Current,
            approved_only: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(rows[0].value, Some(19.0));

    // A ratio over two stored indicators; ratios are never put on a form.
    let ratio = NewIndicator {
        code: "tg_ty_le".into(),
        name_vi: "Tỷ lệ thử".into(),
        unit: "%".into(),
        group: "giao_duc".into(),
        value_type: "decimal".into(),
        aggregation: "ratio".into(),
        numerator: "gd_tien_bo".into(),
        denominator: "gd_doi_tuong".into(),
        ..Default::default()
    };
    let e = rejected(
        catalogue_edit::create_indicator(
            &db,
            &admin,
            NewIndicator {
                forms: vec!["antq-nam".into()],
                numerator: "gd_ty_le".into(),
                ..ratio.clone()
            },
        )
        .await
        .unwrap_err(),
    );
    assert!(e.contains("tử số gd_ty_le là một tỷ lệ"), "{e}");
    assert!(e.contains("không được nhập trên biểu"), "{e}");
    let r = catalogue_edit::create_indicator(&db, &admin, ratio)
        .await
        .unwrap();
    assert_eq!(r.aggregation, Aggregation::Ratio);
    assert_eq!(r.numerator.as_deref(), Some("gd_tien_bo"));
    // The same code twice is refused.
    let e = rejected(
        catalogue_edit::create_indicator(
            &db,
            &admin,
            NewIndicator {
                code: "tt_buoi".into(),
                name_vi: "x".into(),
                unit: "buổi".into(),
                group: "tuyen_truyen".into(),
                value_type: "integer".into(),
                aggregation: "sum".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap_err(),
    );
    assert!(e.contains("đã có chỉ tiêu tt_buoi"), "{e}");

    // A Front-owned quarterly form reported by communes, every problem listed at once.
    let e = rejected(
        catalogue_edit::create_form(
            &db,
            &admin,
            NewForm {
                code: "Sai Mã".into(),
                name_vi: "".into(),
                period_type: "week".into(),
                calendar: "calendar".into(),
                owner_role: "viewer".into(),
                levels: vec!["nation".into()],
                deadline_days: 400,
                indicators: vec!["gd_ty_le".into(), "khong_co".into()],
                ..Default::default()
            },
        )
        .await
        .unwrap_err(),
    );
    for part in [
        "không phải mã biểu mẫu",
        "tên tiếng Việt",
        "công an (police) hoặc mặt trận (front)",
        "\"nation\" không phải cấp báo cáo",
        "hạn nộp",
        "gd_ty_le là tỷ lệ",
        "không có chỉ tiêu \"khong_co\"",
    ] {
        assert!(e.contains(part), "{part} missing from {e}");
    }
    catalogue_edit::create_form(
        &db,
        &admin,
        NewForm {
            code: "mttq-quy".into(),
            name_vi: "Biểu quý của Mặt trận".into(),
            name_en: "Front quarterly form".into(),
            period_type: "quarter".into(),
            calendar: "calendar".into(),
            owner_role: "front".into(),
            levels: vec!["commune".into()],
            deadline_days: 10,
            indicators: vec!["yk_dong_gop".into(), "tg_nguoi".into()],
        },
    )
    .await
    .unwrap();
    let f = catalogue::form(&db, "mttq-quy").await.unwrap();
    assert_eq!(f.owner_role, Role::Front);
    assert_eq!(
        f.indicators
            .iter()
            .map(|i| i.code.as_str())
            .collect::<Vec<_>>(),
        ["yk_dong_gop", "tg_nguoi"]
    );
    assert!(reports::check_period(&f, "2026Q3").is_ok());
    assert!(reports::check_period(&f, "2026").is_err());

    // Comments: the Front of the province comments on the police's report;
    // a viewer or another province's Front may not; an empty report has nothing to comment on.
    let front = user(&db, "mt.thu", Role::Front, dt.id).await;
    let police = user(&db, "ca.thu", Role::Police, dt.id).await;
    let viewer = user(&db, "xem.thu", Role::Viewer, dt.id).await;
    let other = user(
        &db,
        "mt.khac",
        Role::Front,
        unit(&db, "11", "2026-06-01").await.id,
    )
    .await;
    let c = comments::add(
        &db,
        &front,
        &form,
        &dt,
        "2026",
        "  Đề nghị bổ sung số liệu tuần tra. ",
    )
    .await
    .unwrap();
    assert_eq!(c.role, Role::Front);
    assert_eq!(c.body, "Đề nghị bổ sung số liệu tuần tra.");
    comments::add(&db, &police, &form, &dt, "2026", "Đã bổ sung.")
        .await
        .unwrap();
    for a in [&viewer, &other] {
        assert!(matches!(
            comments::add(&db, a, &form, &dt, "2026", "x").await,
            Err(StorageError::Forbidden)
        ));
    }
    assert!(matches!(
        comments::add(&db, &front, &form, &dt, "2025", "x").await,
        Err(StorageError::Conflict(_))
    ));
    assert!(matches!(
        comments::add(&db, &front, &form, &dt, "2026", "   ").await,
        Err(StorageError::Invalid(_))
    ));
    let view = reports::view(&db, &form, &dt, "2026").await.unwrap();
    assert_eq!(
        view.comments
            .iter()
            .map(|c| (c.author.as_str(), c.role))
            .collect::<Vec<_>>(),
        [("mt.thu", Role::Front), ("ca.thu", Role::Police)]
    );
    assert_eq!(view.state, "draft", "a comment does not change the report");

    // Every change is in the audit log.
    for action in ["indicator.create", "form.create", "report.comment"] {
        let log = antq_storage::audit::list(
            &db,
            "1 = 1",
            &AuditFilter {
                action: Some(action.into()),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert!(!log.is_empty(), "no {action} in the log");
    }
}

/// Two nodes on one database: a change to the catalogue made through one
/// (or by hand, by any program) is what the other works from at its next
/// read, though it keeps the catalogue it read.
async fn a_change_reaches_the_other_node(t: &TestDb) {
    let a = t.ready().await;
    let b = Db::connect(&t.url).await.unwrap();
    // Every catalogue table moves the version, on either database.
    let triggers: i64 = match a.backend() {
        antq_storage::db::Backend::Sqlite => sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'catalogue_changed_%'",
        ),
        antq_storage::db::Backend::Postgres => sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_trigger WHERE tgname LIKE 'catalogue_changed_%'",
        ),
    }
    .fetch_one(a.pool())
    .await
    .unwrap();
    let tables = 6;
    let expected = match a.backend() {
        antq_storage::db::Backend::Sqlite => tables * 3,
        antq_storage::db::Backend::Postgres => tables,
    };
    assert_eq!(triggers, expected);
    let name = |f: &catalogue::Form| {
        f.indicators
            .iter()
            .find(|i| i.code == "tt_buoi")
            .unwrap()
            .name_vi
            .clone()
    };
    let before = catalogue::form(&a, "antq-nam").await.unwrap();
    assert_eq!(
        name(&catalogue::form(&a, "antq-nam").await.unwrap()),
        name(&before)
    );
    sqlx::query(
        "UPDATE indicators SET name_vi = 'Số buổi tuyên truyền (đổi tên)' WHERE code = 'tt_buoi'",
    )
    .execute(b.pool())
    .await
    .unwrap();
    let after = catalogue::form(&a, "antq-nam").await.unwrap();
    assert_eq!(name(&after), "Số buổi tuyên truyền (đổi tên)");
    let all = catalogue::indicators(&a).await.unwrap();
    assert!(all
        .iter()
        .any(|i| i.name_vi == "Số buổi tuyên truyền (đổi tên)"));
    // A rule dropped on the other node is no longer checked here.
    assert!(!after.rules.is_empty());
    sqlx::query("DELETE FROM validation_rules")
        .execute(b.pool())
        .await
        .unwrap();
    assert!(catalogue::form(&a, "antq-nam")
        .await
        .unwrap()
        .rules
        .is_empty());
}

#[tokio::test]
async fn a_catalogue_change_reaches_the_other_node_on_sqlite() {
    a_change_reaches_the_other_node(&TestDb::sqlite()).await;
}

#[tokio::test]
async fn a_catalogue_change_reaches_the_other_node_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL catalogue test did not run");
        return;
    };
    a_change_reaches_the_other_node(&TestDb::postgres(&server).await).await;
}

#[tokio::test]
async fn catalogue_and_comments_on_sqlite() {
    let t = TestDb::sqlite();
    story(t.ready().await).await;
}

#[tokio::test]
async fn catalogue_and_comments_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL catalogue story did not run");
        return;
    };
    let t = TestDb::postgres(&server).await;
    story(t.ready().await).await;
}
