//! What waits for a person, through the storage layer: the commune's list
//! (returned and overdue first, past periods still open, nothing before it
//! has started), the province's approvals (strictly above, by the one
//! policy), the refusal of periods not started, and completeness counts that
//! never count a unit twice. SQLite always, PostgreSQL when
//! ANTQ_TEST_DATABASE_URL is set.

use antq_core::auth::Role;
use antq_core::dates::parse_date;
use antq_core::indicators::Qualifier;
use antq_core::reports::Transition;
use antq_core::units::UnitCode;
use antq_storage::accounts::access::{Actor, Grant};
use antq_storage::audit::Who;
use antq_storage::statistics::catalogue;
use antq_storage::statistics::reports::{self, ValueInput};
use antq_storage::statistics::worklist::{self, WorkItem};
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::units::{self, Unit};
use antq_storage::{Db, StorageError};

fn v(code: &str, n: i64) -> ValueInput {
    ValueInput {
        indicator: code.into(),
        option: String::new(),
        value: Some((n * 1000, Qualifier::Exact, None)),
    }
}

async fn unit(db: &Db, code: &str) -> Unit {
    units::get_at(
        db,
        &UnitCode::parse(code).unwrap(),
        parse_date("2026-07-01").unwrap(),
    )
    .await
    .unwrap()
}

fn actor(role: Role, u: &Unit) -> Actor {
    Actor {
        user_id: 0,
        username: format!("{}.{}", role.as_str(), u.code),
        display_name: String::new(),
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

fn find<'a>(items: &'a [WorkItem], form: &str, period: &str) -> &'a WorkItem {
    items
        .iter()
        .find(|i| i.form == form && i.period == period)
        .unwrap_or_else(|| panic!("{form} {period} not in {items:#?}"))
}

async fn story(db: Db) {
    let who = Who::system();
    let today = parse_date("2026-12-02").unwrap();
    let nam = catalogue::form(&db, "antq-nam").await.unwrap();
    let six = catalogue::form(&db, "antq-6t").await.unwrap();
    let commune = unit(&db, "03325").await;
    let other = unit(&db, "03127").await;
    let province = unit(&db, "11").await;

    // Periods not started are refused; the margin opens the next one early.
    match worklist::check_started(&nam, "2099", today, 15) {
        Err(StorageError::Invalid(e)) => {
            let m = e.to_string();
            assert!(
                m.starts_with("Chưa đến kỳ báo cáo: Năm 2099 (15/12/2098 – 14/12/2099)"),
                "{m}"
            );
            assert!(m.contains("từ ngày 30/11/2098"), "{m}");
        }
        other => panic!("2099 must be refused: {other:?}"),
    }
    assert!(
        worklist::check_started(&nam, "2027", today, 15).is_ok(),
        "opens 30/11/2026"
    );
    assert!(
        worklist::check_started(&nam, "2027", today, 10).is_err(),
        "opens 05/12/2026"
    );
    assert!(
        worklist::check_started(&six, "2026S1", today, 0).is_ok(),
        "past periods stay open"
    );

    // The commune enters 2026, submits it, and the province returns it.
    let ok = vec![
        v("tt_buoi", 120),
        v("tt_luot", 9000),
        v("gd_doi_tuong", 10),
        v("gd_tien_bo", 7),
        v("tcqc_so", 40),
    ];
    reports::put_values(&db, &who, &nam, &commune, "2026", ok.clone())
        .await
        .unwrap();
    reports::transition(&db, &who, &nam, &commune, "2026", Transition::Submit, None)
        .await
        .unwrap();
    reports::transition(
        &db,
        &who,
        &nam,
        &commune,
        "2026",
        Transition::Return,
        Some("Thiếu số buổi tuyên truyền".into()),
    )
    .await
    .unwrap();
    // 2025 approved; the other commune submitted 2026S2.
    reports::put_values(&db, &who, &nam, &commune, "2025", ok.clone())
        .await
        .unwrap();
    reports::transition(&db, &who, &nam, &commune, "2025", Transition::Submit, None)
        .await
        .unwrap();
    reports::transition(&db, &who, &nam, &commune, "2025", Transition::Approve, None)
        .await
        .unwrap();
    reports::put_values(&db, &who, &six, &other, "2026S2", ok.clone())
        .await
        .unwrap();
    reports::transition(&db, &who, &six, &other, "2026S2", Transition::Submit, None)
        .await
        .unwrap();
    reports::put_values(&db, &who, &nam, &other, "2025", ok.clone())
        .await
        .unwrap();
    reports::transition(&db, &who, &nam, &other, "2025", Transition::Submit, None)
        .await
        .unwrap();
    // A past half-year left in draft.
    reports::put_values(&db, &who, &six, &commune, "2025S2", vec![v("tt_buoi", 3)])
        .await
        .unwrap();

    let officer = actor(Role::Police, &commune);
    let list = worklist::to_enter(&db, &officer, today, 15).await.unwrap();
    // Returned first (with its reason), then the overdue ones, earliest deadline first.
    assert_eq!(list[0].form, "antq-nam");
    assert_eq!(list[0].period, "2026");
    assert_eq!(list[0].state, "returned");
    assert_eq!(
        list[0].return_comment.as_deref(),
        Some("Thiếu số buổi tuyên truyền")
    );
    let overdue: Vec<&str> = list
        .iter()
        .filter(|i| i.late)
        .map(|i| i.period.as_str())
        .collect();
    assert_eq!(overdue, ["2025S2", "2026S1"], "{list:#?}");
    assert!(list[1..=2].iter().all(|i| i.late), "{list:#?}");
    assert_eq!(find(&list, "antq-6t", "2025S2").state, "draft");
    // The overdue 2026S1 the commune never opened is on the list.
    let s1 = find(&list, "antq-6t", "2026S1");
    assert_eq!((s1.state.as_str(), s1.late), ("not_started", true));
    assert_eq!(s1.deadline, "2026-06-24");
    // Open and not yet due; the next periods open 15 days early.
    let s2 = find(&list, "antq-6t", "2026S2");
    assert_eq!((s2.state.as_str(), s2.late), ("not_started", false));
    assert_eq!(find(&list, "antq-6t", "2027S1").state, "not_started");
    assert_eq!(find(&list, "antq-nam", "2027").state, "not_started");
    assert!(!list
        .iter()
        .any(|i| i.period == "2027S2" || i.period == "2028"));
    // Done reports come last.
    assert_eq!(list.last().unwrap().period, "2025");
    assert_eq!(list.last().unwrap().state, "approved");
    // Only the commune's own reports: nothing of the other commune.
    assert!(list.iter().all(|i| i.unit == commune.code), "{list:#?}");
    // Without the margin, the 2027 periods are not listed yet.
    let strict = worklist::to_enter(&db, &officer, today, 0).await.unwrap();
    assert!(!strict.iter().any(|i| i.period.starts_with("2027")));
    // Months later, the draft is still listed though its period is older
    // than the list looks back; the approved 2025 is not.
    let later = worklist::to_enter(&db, &officer, parse_date("2027-07-01").unwrap(), 15)
        .await
        .unwrap();
    assert!(later
        .iter()
        .any(|i| i.period == "2025S2" && i.state == "draft" && i.late));
    assert!(!later.iter().any(|i| i.period == "2025"));
    // The Front owns no form: nothing to enter.
    let front = actor(Role::Front, &commune);
    assert!(worklist::to_enter(&db, &front, today, 15)
        .await
        .unwrap()
        .is_empty());

    // Approvals: the province police see the other commune's submission;
    // the commune itself, a same-level officer or the Front never do.
    let (waiting, total) = worklist::to_approve(&db, &actor(Role::Police, &province), today, 50)
        .await
        .unwrap();
    assert_eq!(total, 2);
    let got: Vec<(&str, &str, &str)> = waiting
        .iter()
        .map(|w| (w.form.as_str(), w.unit.as_str(), w.period.as_str()))
        .collect();
    // The most urgent first: 2025's deadline passed, though submitted last.
    assert_eq!(
        got,
        [
            ("antq-nam", other.code.as_str(), "2025"),
            ("antq-6t", other.code.as_str(), "2026S2")
        ]
    );
    let (one, total) = worklist::to_approve(&db, &actor(Role::Police, &province), today, 1)
        .await
        .unwrap();
    assert_eq!((one.len(), total), (1, 2));
    assert_eq!(one[0].period, "2025");
    for a in [
        actor(Role::Police, &other),
        actor(Role::Police, &commune),
        actor(Role::Front, &province),
        actor(Role::Viewer, &province),
    ] {
        let (w, n) = worklist::to_approve(&db, &a, today, 50).await.unwrap();
        assert!(w.is_empty() && n == 0, "{} sees {w:?}", a.username);
    }

    // Completeness: "chưa nhập" and "trễ hạn" never count a unit twice.
    let c = reports::completeness(&db, &six, &province, "2026S1", today)
        .await
        .unwrap();
    let sum: usize = c.by_status.values().sum();
    assert_eq!(sum, c.total);
    assert_eq!(
        c.by_status.get("late"),
        Some(&c.total),
        "all overdue: {:?}",
        c.by_status
    );
    assert_eq!(c.by_status.get("not_started"), None);
    assert!(c.units.iter().all(|u| u.status == "late"));
    let c = reports::completeness(&db, &six, &province, "2026S2", today)
        .await
        .unwrap();
    assert_eq!(c.by_status.values().sum::<usize>(), c.total);
    assert_eq!(c.by_status.get("submitted"), Some(&1));
    assert_eq!(c.by_status.get("not_started"), Some(&(c.total - 1)));
    assert_eq!(c.by_status.get("late"), None);
    let late = reports::completeness(
        &db,
        &six,
        &province,
        "2026S2",
        parse_date("2027-01-10").unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(
        late.by_status.get("submitted"),
        Some(&1),
        "submitted is never late"
    );
    assert_eq!(late.by_status.get("late"), Some(&(late.total - 1)));
    assert_eq!(late.by_status.get("not_started"), None);
}

#[tokio::test]
async fn worklist_on_sqlite() {
    let t = TestDb::sqlite();
    story(t.ready().await).await;
}

#[tokio::test]
async fn worklist_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL work list story did not run");
        return;
    };
    let t = TestDb::postgres(&server).await;
    story(t.ready().await).await;
}
