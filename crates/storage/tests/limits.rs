//! Bounded input at the storage boundary: every kind of free text has a
//! length limit refused in Vietnamese with the limit named; years, ranges
//! and review stages stay in 2000–2100; and an empty selection never builds
//! an `IN ()` that PostgreSQL refuses. SQLite always, PostgreSQL when
//! `ANTQ_TEST_DATABASE_URL` is set.

use antq_core::auth::{NewPassword, Role, Username};
use antq_core::breakdowns::Dimension;
use antq_core::dates::parse_date;
use antq_core::imports::ImportRow;
use antq_core::indicators::Qualifier;
use antq_core::periods::YearRange;
use antq_core::reports::Transition;
use antq_core::reviews::{Owner, Stage};
use antq_core::text::limits;
use antq_core::units::{Name, Share, UnitCode};
use antq_storage::audit::Who;
use antq_storage::reviews::{self, NewReview};
use antq_storage::statistics::analytics::{self, MapMode};
use antq_storage::statistics::catalogue_edit::{self, IndicatorEdit, NewIndicator};
use antq_storage::statistics::reports::{self, ValueInput};
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::units::{self, Unit};
use antq_storage::{
    accounts::sessions, accounts::users, statistics::catalogue, statistics::comments,
    statistics::import, Db, StorageError,
};

async fn unit(db: &Db, code: &str, at: &str) -> Unit {
    units::get_at(db, &UnitCode::parse(code).unwrap(), parse_date(at).unwrap())
        .await
        .unwrap()
}

fn invalid(r: Result<impl std::fmt::Debug, StorageError>) -> String {
    match r {
        Err(StorageError::Invalid(m)) => m.to_string(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn v(code: &str, n: i64, comment: Option<String>) -> ValueInput {
    ValueInput {
        indicator: code.into(),
        option: String::new(),
        value: Some((n * 1000, Qualifier::Exact, comment)),
    }
}

/// `n` Vietnamese characters (three bytes each in UTF-8).
fn text(n: usize) -> String {
    "ệ".repeat(n)
}

async fn texts(db: &Db) {
    let who = Who::system();
    let form = catalogue::form(db, "antq-nam").await.unwrap();
    let province = unit(db, "87", "2020-06-01").await;
    let commune = units::list(
        db,
        &units::UnitQuery {
            at: parse_date("2020-06-01").unwrap(),
            level: Some(antq_core::units::Level::Commune),
            parent_id: Some(province.id),
            q: None,
            limit: Some(1),
        },
    )
    .await
    .unwrap()
    .remove(0);

    // A value's comment: 1.000 characters are fine, one more is refused and nothing is written.
    let r = reports::put_values(
        db,
        &who,
        &form,
        &commune,
        "2020",
        vec![
            v("tt_buoi", 10, Some(text(limits::VALUE_COMMENT))),
            v("tt_luot", 100, None),
        ],
    )
    .await
    .unwrap();
    assert_eq!(
        r.values["tt_buoi"]
            .comment
            .as_ref()
            .unwrap()
            .chars()
            .count(),
        1000
    );
    match reports::put_values(
        db,
        &who,
        &form,
        &commune,
        "2020",
        vec![v("tt_buoi", 11, Some(text(limits::VALUE_COMMENT + 1)))],
    )
    .await
    {
        Err(StorageError::Rejected(errs)) => assert_eq!(
            errs,
            ["Ghi chú của tt_buoi dài 1.001 ký tự, vượt giới hạn 1.000 ký tự"]
        ),
        other => panic!("expected a rejection: {other:?}"),
    }
    // The same through an import.
    let row = ImportRow {
        place: antq_core::imports::Place::Line(2),
        form: Some("antq-nam".into()),
        unit: commune.code.clone(),
        period: "2020".into(),
        key: "tt_buoi".into(),
        value: antq_core::imports::RawValue::Text("12".into()),
        qualifier: String::new(),
        comment: text(limits::VALUE_COMMENT + 5),
    };
    match import::run(db, None, &who, vec![row], false).await {
        Err(StorageError::Rejected(errs)) => {
            assert!(
                errs[0].contains("dài 1.005 ký tự, vượt giới hạn 1.000 ký tự"),
                "{errs:?}"
            )
        }
        other => panic!("expected a rejection: {other:?}"),
    }
    let r = reports::view(db, &form, &commune, "2020").await.unwrap();
    assert_eq!(r.values["tt_buoi"].milli, 10_000, "nothing written");

    // A return reason: at most 2.000 characters.
    reports::transition(db, &who, &form, &commune, "2020", Transition::Submit, None)
        .await
        .unwrap();
    assert_eq!(
        invalid(
            reports::transition(
                db,
                &who,
                &form,
                &commune,
                "2020",
                Transition::Return,
                Some(text(limits::RETURN_REASON + 1)),
            )
            .await
        ),
        "Lý do trả lại dài 2.001 ký tự, vượt giới hạn 2.000 ký tự"
    );
    let r = reports::transition(
        db,
        &who,
        &form,
        &commune,
        "2020",
        Transition::Return,
        Some(text(limits::RETURN_REASON)),
    )
    .await
    .unwrap();
    assert_eq!(r.state, "returned");

    // A comment on a report: at most 4.000 characters; a 15 MB one is refused.
    let police = users::create(
        db,
        &who,
        users::NewUser {
            username: Username::parse("ca.gioihan").unwrap(),
            display_name: "Công an".into(),
            password: NewPassword::parse("một mật khẩu thật dài").unwrap(),
            grants: vec![(Role::Police, province.id)],
        },
    )
    .await
    .unwrap();
    let actor = users::actor(db, police).await.unwrap().unwrap();
    comments::add(
        db,
        &actor,
        &form,
        &commune,
        "2020",
        &text(limits::REPORT_COMMENT),
    )
    .await
    .unwrap();
    assert_eq!(
        invalid(
            comments::add(
                db,
                &actor,
                &form,
                &commune,
                "2020",
                &text(limits::REPORT_COMMENT + 1)
            )
            .await
        ),
        "Ý kiến dài 4.001 ký tự, vượt giới hạn 4.000 ký tự"
    );
    let huge = "x".repeat(15 * 1024 * 1024);
    assert_eq!(
        invalid(comments::add(db, &actor, &form, &commune, "2020", &huge).await),
        "Ý kiến dài 15.728.640 ký tự, vượt giới hạn 4.000 ký tự"
    );

    // Names of people and tokens.
    let long_name = users::create(
        db,
        &who,
        users::NewUser {
            username: Username::parse("ten.dai").unwrap(),
            display_name: text(limits::NAME + 1),
            password: NewPassword::parse("một mật khẩu thật dài").unwrap(),
            grants: vec![],
        },
    )
    .await;
    assert_eq!(
        invalid(long_name),
        "Họ tên dài 201 ký tự, vượt giới hạn 200 ký tự"
    );
    assert_eq!(
        invalid(sessions::create_token(db, &who, police, &text(limits::TOKEN_NAME + 1)).await),
        "Tên mã truy cập dài 101 ký tự, vượt giới hạn 100 ký tự"
    );
    sessions::create_token(db, &who, police, &text(limits::TOKEN_NAME))
        .await
        .unwrap();

    // Names of units' areas and organisations (one type in core).
    assert_eq!(
        Name::parse(&text(limits::NAME + 1))
            .unwrap_err()
            .to_string(),
        "Tên dài 201 ký tự, vượt giới hạn 200 ký tự"
    );
    assert!(Name::parse(&text(limits::NAME)).is_ok());

    // Catalogue names, a rule's message, a breakdown's names.
    assert_eq!(
        invalid(
            catalogue_edit::update_indicator(
                db,
                &who,
                "tt_buoi",
                IndicatorEdit {
                    name_vi: text(limits::CATALOGUE_NAME + 1),
                    name_en: "Sessions".into(),
                    unit: "buổi".into(),
                },
            )
            .await
        ),
        "Tên tiếng Việt dài 301 ký tự, vượt giới hạn 300 ký tự"
    );
    let e = invalid(
        catalogue_edit::create_indicator(
            db,
            &who,
            NewIndicator {
                code: "tg_gioi_han".into(),
                name_vi: "Giới hạn".into(),
                unit: "người".into(),
                group: "mo_hinh".into(),
                value_type: "integer".into(),
                aggregation: "sum".into(),
                breakdown: vec![Dimension {
                    name: text(limits::NAME + 1),
                    options: vec!["a".into(), "b".into()],
                }],
                ..Default::default()
            },
        )
        .await,
    );
    assert!(
        e.contains("Tên nhóm phân tổ dài 201 ký tự, vượt giới hạn 200 ký tự"),
        "{e}"
    );

    // A note on a lineage link.
    let old_tg = unit(db, "82", "2020-06-01").await;
    let new_dt = unit(db, "82", "2026-01-01").await;
    assert_eq!(
        invalid(
            units::add_link(
                db,
                &who,
                old_tg.id,
                new_dt.id,
                Share::Whole,
                Some(text(limits::NOTE + 1))
            )
            .await
        ),
        "Ghi chú dài 1.001 ký tự, vượt giới hạn 1.000 ký tự"
    );

    // A review's narrative: at most 20.000 characters a paragraph.
    reports::put_values(
        db,
        &who,
        &form,
        &commune,
        "2020",
        vec![v("tt_buoi", 10, None), v("tt_luot", 100, None)],
    )
    .await
    .unwrap();
    for t in [Transition::Submit, Transition::Approve] {
        reports::transition(db, &who, &form, &commune, "2020", t, None)
            .await
            .unwrap();
    }
    let id = reviews::create(
        db,
        &who,
        NewReview {
            unit: province.clone(),
            owner: Owner::Police,
            stage: Stage::years(2020, 2020),
            issue_date: parse_date("2021-01-10").unwrap(),
        },
    )
    .await
    .unwrap();
    let review = reviews::get(db, id).await.unwrap();
    let first = review.narrative.first().expect("a paragraph about tt_buoi");
    let mut texts = std::collections::BTreeMap::new();
    texts.insert(first.group.clone(), text(limits::NARRATIVE + 1));
    let e = invalid(reviews::edit_narrative(db, &who, id, &texts).await);
    assert_eq!(
        e,
        format!(
            "Đoạn \"{}\" dài 20.001 ký tự, vượt giới hạn 20.000 ký tự",
            first.heading
        )
    );
    texts.insert(first.group.clone(), text(limits::NARRATIVE));
    reviews::edit_narrative(db, &who, id, &texts).await.unwrap();

    // A stage built in code with years out of range is refused by storage too.
    for stage in [
        Stage::years(1990, 2020),
        Stage::years(2020, 2147483647),
        Stage::years(2020, 2010),
    ] {
        let e = invalid(
            reviews::create(
                db,
                &who,
                NewReview {
                    unit: province.clone(),
                    owner: Owner::Police,
                    stage,
                    issue_date: parse_date("2021-01-10").unwrap(),
                },
            )
            .await,
        );
        assert!(
            e.contains("nằm ngoài khoảng") || e.contains("bị ngược"),
            "{e}"
        );
    }
    assert!(reports::check_period(&form, "2147483647S1").is_err());
    assert!(reports::check_period(&form, "1999").is_err());
}

/// A rule's sides are bounded (the reported rule had 200.000 terms, 2 MB,
/// copied into every report an import touched); an overflowing constant is
/// refused, not stored wrong.
async fn rule_expressions(db: &Db) {
    let who = Who::system();
    let rule = |left: String, right: &str| catalogue_edit::RuleInput {
        code: "qt_gioi_han".into(),
        left,
        operator: "<=".into(),
        right: right.into(),
        missing: String::new(),
        severity: "warning".into(),
        message: "Giới hạn".into(),
    };
    let huge = vec!["tt_buoi"; 200_000].join(" + ");
    let e = invalid(catalogue_edit::add_rule(db, &who, "antq-6t", rule(huge, "tt_luot")).await);
    assert!(e.contains("vượt giới hạn 300 ký tự"), "{e}");
    let many = vec!["1"; 51].join("+");
    let e = invalid(catalogue_edit::add_rule(db, &who, "antq-6t", rule(many, "tt_luot")).await);
    assert!(e.contains("vượt giới hạn 50 số hạng"), "{e}");
    let e = invalid(
        catalogue_edit::add_rule(
            db,
            &who,
            "antq-6t",
            rule("tt_buoi".into(), "tt_luot + 9223372036854776"),
        )
        .await,
    );
    assert!(e.contains("quá lớn"), "{e}");
    let before = catalogue::form(db, "antq-6t").await.unwrap().rules.len();
    catalogue_edit::add_rule(
        db,
        &who,
        "antq-6t",
        rule("tt_buoi + 1".into(), "tt_luot + 10"),
    )
    .await
    .unwrap();
    assert_eq!(
        catalogue::form(db, "antq-6t").await.unwrap().rules.len(),
        before + 1
    );
}

/// Selections that are empty go through the public functions without
/// building `IN ()`.
async fn empty_selections(db: &Db) {
    let who = Who::system();
    let form = catalogue::form(db, "antq-nam").await.unwrap();
    let cat = catalogue::indicators(db).await.unwrap();
    let province = unit(db, "87", "2020-06-01").await;
    let with_options: Vec<_> = cat
        .iter()
        .filter(|i| !i.options.is_empty())
        .cloned()
        .collect();
    assert!(!with_options.is_empty());
    for by in [None, Some(analytics::By::Year), Some(analytics::By::Child)] {
        let q = analytics::Query {
            indicators: &[],
            catalogue: &cat,
            unit: &province,
            range: YearRange::new(2020, 2021).unwrap(),
            by,
            map: MapMode::Historical,
            approved_only: false,
        };
        assert!(analytics::run(db, &q).await.unwrap().is_empty());
        assert!(analytics::run_within(db, &q, Some(&[]))
            .await
            .unwrap()
            .is_empty());
        let q = analytics::Query {
            indicators: &with_options,
            ..q
        };
        // No period selected: nothing, and no SQL error.
        assert!(analytics::option_totals(db, &q, Some(&[]))
            .await
            .unwrap()
            .is_empty());
        analytics::run_within(db, &q, Some(&[])).await.unwrap();
        analytics::run_within(db, &q, Some(&["hỏng".to_string()]))
            .await
            .unwrap();
    }
    // An empty import and an empty save write nothing and fail nothing.
    let s = import::run(db, None, &who, Vec::new(), false)
        .await
        .unwrap();
    assert_eq!((s.rows, s.reports), (0, 0));
    let commune = units::list(
        db,
        &units::UnitQuery {
            at: parse_date("2020-06-01").unwrap(),
            level: Some(antq_core::units::Level::Commune),
            parent_id: Some(province.id),
            q: None,
            limit: Some(2),
        },
    )
    .await
    .unwrap()
    .remove(1);
    reports::put_values(db, &who, &form, &commune, "2021", Vec::new())
        .await
        .unwrap();
}

#[tokio::test]
async fn limits_on_sqlite() {
    let t = TestDb::sqlite();
    let db = t.ready().await;
    empty_selections(&db).await;
    texts(&db).await;
    rule_expressions(&db).await;
}

#[tokio::test]
async fn limits_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!(
            "skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL limits test did not run"
        );
        return;
    };
    let t = TestDb::postgres(&server).await;
    let db = t.ready().await;
    empty_selections(&db).await;
    texts(&db).await;
    rule_expressions(&db).await;
}
