//! The entry page's saves through storage: every valid value is saved even
//! when another is not, rules read in words, and a report's history comes
//! from the audit log. SQLite always, PostgreSQL when ANTQ_TEST_DATABASE_URL is set.

use antq_core::auth::{NewPassword, Role, Username};
use antq_core::dates::parse_date;
use antq_core::indicators::Qualifier;
use antq_core::reports::Transition;
use antq_core::units::UnitCode;
use antq_storage::accounts::users;
use antq_storage::audit::Who;
use antq_storage::statistics::reports::{self, ValueInput};
use antq_storage::statistics::{catalogue, comments};
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::units;
use antq_storage::{Db, StorageError};

fn v(code: &str, n: i64) -> ValueInput {
    ValueInput {
        indicator: code.into(),
        option: String::new(),
        value: Some((n * 1000, Qualifier::Exact, None)),
    }
}

fn json(view: &reports::ReportView) -> serde_json::Value {
    serde_json::to_value(view).unwrap()
}

/// The 2026 report as read afresh.
async fn fresh(db: &Db, form: &catalogue::Form, unit: &units::Unit) -> serde_json::Value {
    json(&reports::view(db, form, unit, "2026").await.unwrap())
}

async fn story(db: Db) {
    let form = catalogue::form(&db, "antq-nam").await.unwrap();
    let unit = units::get_at(
        &db,
        &UnitCode::parse("03325").unwrap(),
        parse_date("2026-06-01").unwrap(),
    )
    .await
    .unwrap();
    let user_id = users::create(
        &db,
        &Who::system(),
        users::NewUser {
            username: Username::parse("ca.muongphang").unwrap(),
            display_name: "Lò Văn Phăng".into(),
            password: NewPassword::parse("mật khẩu kiểm thử dài").unwrap(),
            grants: vec![(Role::Police, unit.id)],
        },
    )
    .await
    .unwrap();
    let who = Who::user(user_id, "ca.muongphang");
    let province = Who::system();

    assert!(reports::history(&db, &form, &unit, "2026")
        .await
        .unwrap()
        .is_empty());

    // One negative value among good ones: the good ones are saved, the bad
    // one is reported by its key, without its key in the message.
    let saved = reports::put_valid_values(
        &db,
        &who,
        &form,
        &unit,
        "2026",
        vec![
            v("tt_buoi", 12),
            v("dd_so", -1),
            v("gd_doi_tuong", 10),
            v("gd_tien_bo", 15),
        ],
    )
    .await
    .unwrap();
    assert_eq!(saved.changes.values_new, 3);
    assert_eq!(saved.problems.len(), 1);
    assert_eq!(saved.problems[0].key, "dd_so");
    assert!(
        saved.problems[0].message.contains("âm"),
        "{:?}",
        saved.problems
    );
    assert!(!saved.problems[0].message.contains("dd_so"));
    assert_eq!(saved.view.state, "draft");
    assert_eq!(saved.view.values["tt_buoi"].milli, 12_000);
    assert!(!saved.view.values.contains_key("dd_so"));
    // The broken rule reads in words, with the indicators' labels.
    let broken = saved
        .view
        .validation
        .iter()
        .find(|v| v.rule == "gd_tien_bo_le_doi_tuong")
        .expect("15 tiến bộ out of 10");
    assert!(
        broken.message.contains("không được lớn hơn") && broken.message.contains("15 so với 10"),
        "{}",
        broken.message
    );
    assert!(!broken.message.contains("gd_tien_bo") && !broken.message.contains("<="));
    // The answer of a save is built from what the save wrote, not read
    // again: it is the report as a fresh read gives it.
    assert_eq!(json(&saved.view), fresh(&db, &form, &unit).await);

    // Nothing valid: nothing written, every problem listed, a repeat named.
    let again = reports::put_valid_values(
        &db,
        &who,
        &form,
        &unit,
        "2026",
        vec![v("tt_buoi", 13), v("tt_buoi", 14), v("khong_co", 1)],
    )
    .await
    .unwrap();
    assert_eq!(again.changes.values_changed, 1);
    assert_eq!(again.view.values["tt_buoi"].milli, 13_000);
    let keys: Vec<&str> = again.problems.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["tt_buoi", "khong_co"]);
    assert_eq!(json(&again.view), fresh(&db, &form, &unit).await);

    // Fix, submit, return with a reason, resubmit, approve: the history tells it.
    reports::put_values(&db, &who, &form, &unit, "2026", vec![v("gd_tien_bo", 7)])
        .await
        .unwrap();
    reports::transition(&db, &who, &form, &unit, "2026", Transition::Submit, None)
        .await
        .unwrap();
    // A submitted report is refused whole, even through a partial save.
    match reports::put_valid_values(&db, &who, &form, &unit, "2026", vec![v("tt_buoi", 1)]).await {
        Err(StorageError::Conflict(m)) => assert!(m.contains("không sửa được"), "{m}"),
        other => panic!(
            "a submitted report was written: {:?}",
            other.map(|s| s.changes)
        ),
    }
    reports::transition(
        &db,
        &province,
        &form,
        &unit,
        "2026",
        Transition::Return,
        Some("Bổ sung số diễn đàn".into()),
    )
    .await
    .unwrap();
    // Saved again while returned, with a remark on it: the answer keeps the
    // state, the reason and the remark.
    let officer = users::actor(&db, user_id).await.unwrap().unwrap();
    comments::add(&db, &officer, &form, &unit, "2026", "Đã bổ sung")
        .await
        .unwrap();
    let fixed = reports::put_values(&db, &who, &form, &unit, "2026", vec![v("dd_so", 2)])
        .await
        .unwrap();
    assert_eq!(fixed.state, "returned");
    assert_eq!(fixed.return_comment.as_deref(), Some("Bổ sung số diễn đàn"));
    assert_eq!(fixed.comments.len(), 1);
    assert_eq!(json(&fixed), fresh(&db, &form, &unit).await);
    reports::transition(&db, &who, &form, &unit, "2026", Transition::Submit, None)
        .await
        .unwrap();
    reports::transition(
        &db,
        &province,
        &form,
        &unit,
        "2026",
        Transition::Approve,
        None,
    )
    .await
    .unwrap();
    let steps = reports::history(&db, &form, &unit, "2026").await.unwrap();
    let actions: Vec<&str> = steps.iter().map(|s| s.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "report.create",
            "report.submit",
            "report.return",
            "report.submit",
            "report.approve"
        ]
    );
    assert_eq!(steps[0].actor_name.as_deref(), Some("Lò Văn Phăng"));
    assert_eq!(steps[2].actor, "system");
    assert_eq!(steps[2].comment.as_deref(), Some("Bổ sung số diễn đàn"));
    assert!(steps[1].comment.is_none());
    assert!(steps.windows(2).all(|w| w[0].at <= w[1].at));
}

#[tokio::test]
async fn entry_saves_on_sqlite() {
    let t = TestDb::sqlite();
    story(t.ready().await).await;
}

#[tokio::test]
async fn entry_saves_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set");
        return;
    };
    let t = TestDb::postgres(&server).await;
    story(t.ready().await).await;
}
