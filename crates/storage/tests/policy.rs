//! The access policy's decisions that must be right, on SQLite always and on
//! PostgreSQL when `ANTQ_TEST_DATABASE_URL` names a server:
//!
//! - approval (approve, return, reopen) only from strictly above the
//!   reporting unit, over levels × lineage × roles;
//! - disabling a user or setting a new password revokes the user's sessions
//!   and API tokens, and re-enabling brings none back;
//! - Argon2 work is bounded.

use antq_core::auth::{Action, NewPassword, Role, Username};
use antq_core::dates::{self, parse_date};
use antq_core::units::UnitCode;
use antq_storage::accounts::access::{self, Actor, Grant};
use antq_storage::accounts::users::{self, Argon2Slots};
use antq_storage::audit::Who;
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::units::{self, Unit};
use antq_storage::{accounts::sessions, Db};
use chrono::Duration;

/// The places of the matrix. Old Tiền Giang (82 until 30/06/2025) and old
/// Đồng Tháp (87) went into today's Đồng Tháp (82); in old Tiền Giang, the
/// old ward Phường 2 (28264) of Mỹ Tho city (district 815) went whole into
/// today's Phường Mỹ Tho (28261), which also kept the code of the old Phường 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum P {
    /// The old commune: Phường 2 (28264) in 2020.
    OldCommune,
    /// Its district as it was: Thành phố Mỹ Tho (815).
    OldDistrict,
    /// Its province as it was: old Tiền Giang (82 in 2020).
    OldProvince,
    /// Today's commune that absorbed it: Phường Mỹ Tho (28261 in 2026).
    MergedCommune,
    /// Today's province that absorbed the old one: Đồng Tháp (82 in 2026).
    Province,
    Nation,
    /// Old Đồng Tháp (87): another old province of today's Đồng Tháp.
    SiblingOldProvince,
    /// Điện Biên (11): elsewhere.
    Elsewhere,
}

use P::*;

const TARGETS: [P; 5] = [
    OldCommune,
    OldDistrict,
    OldProvince,
    MergedCommune,
    Province,
];
const GRANTS: [P; 8] = [
    OldCommune,
    OldDistrict,
    OldProvince,
    MergedCommune,
    Province,
    Nation,
    SiblingOldProvince,
    Elsewhere,
];

fn place(p: P) -> (&'static str, &'static str) {
    match p {
        OldCommune => ("28264", "2020-12-14"),
        OldDistrict => ("815", "2020-12-14"),
        OldProvince => ("82", "2020-12-14"),
        MergedCommune => ("28261", "2026-01-01"),
        Province => ("82", "2026-01-01"),
        Nation => ("VN", "2026-01-01"),
        SiblingOldProvince => ("87", "2020-12-14"),
        Elsewhere => ("11", "2026-01-01"),
    }
}

/// What a grant on `g` covers (reads, enters, submits): its subtree as it
/// was, and through lineage the older units under today's units.
fn covers(g: P, t: P) -> bool {
    match g {
        OldCommune => t == OldCommune,
        OldDistrict => matches!(t, OldCommune | OldDistrict),
        OldProvince => matches!(t, OldCommune | OldDistrict | OldProvince),
        MergedCommune => matches!(t, OldCommune | MergedCommune),
        Province | Nation => true,
        SiblingOldProvince | Elsewhere => false,
    }
}

/// Where a grant on `g` decides (approves, returns, reopens): strictly above.
/// Never the unit itself, never its same-level successor.
fn decides(g: P, t: P) -> bool {
    match g {
        OldDistrict => t == OldCommune,
        OldProvince => matches!(t, OldCommune | OldDistrict),
        Province => matches!(t, OldCommune | OldDistrict | MergedCommune),
        Nation => true,
        OldCommune | MergedCommune | SiblingOldProvince | Elsewhere => false,
    }
}

async fn unit(db: &Db, p: P) -> Unit {
    let (code, at) = place(p);
    units::get_at(db, &UnitCode::parse(code).unwrap(), parse_date(at).unwrap())
        .await
        .unwrap_or_else(|e| panic!("{p:?} ({code} at {at}): {e}"))
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

async fn approval_matrix(db: &Db) {
    let mut units_of = Vec::new();
    for p in GRANTS {
        units_of.push((p, unit(db, p).await));
    }
    let u = |p: P| &units_of.iter().find(|(q, _)| *q == p).unwrap().1;
    // The places are what the matrix says they are.
    assert_eq!(u(OldCommune).name, "Phường 2");
    assert_eq!(u(OldProvince).name, "Tỉnh Tiền Giang");
    assert_eq!(u(MergedCommune).name, "Phường Mỹ Tho");
    assert_eq!(u(Province).name, "Tỉnh Đồng Tháp");

    let mut checked = 0;
    let mut wrong = Vec::new();
    for g in GRANTS {
        for role in Role::ALL {
            let a = actor(role, u(g));
            for t in TARGETS {
                let target = u(t).id;
                let mut expect = vec![
                    (Action::Read, covers(g, t)),
                    (
                        Action::Comment,
                        matches!(role, Role::Police | Role::Front) && covers(g, t),
                    ),
                ];
                // News: editors and reviewers write their units' articles;
                // only reviewers publish them.
                expect.push((
                    Action::EditArticles,
                    matches!(role, Role::Editor | Role::Reviewer) && covers(g, t),
                ));
                expect.push((
                    Action::PublishArticles,
                    role == Role::Reviewer && covers(g, t),
                ));
                for owner in [Role::Police, Role::Front] {
                    expect.push((Action::EnterData(owner), role == owner && covers(g, t)));
                    expect.push((Action::Approve(owner), role == owner && decides(g, t)));
                }
                for (action, want) in expect {
                    let got = access::can(db, &a, action, target).await.unwrap();
                    checked += 1;
                    if got != want {
                        wrong.push(format!(
                            "{role:?} on {g:?}, {action:?} on {t:?}: got {got}, want {want}"
                        ));
                    }
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert_eq!(checked, GRANTS.len() * Role::ALL.len() * TARGETS.len() * 8);

    // `require` says the same, as an error.
    let merged_police = actor(Role::Police, u(MergedCommune));
    assert!(matches!(
        access::require(
            db,
            &merged_police,
            Action::Approve(Role::Police),
            u(OldCommune).id
        )
        .await,
        Err(antq_storage::StorageError::Forbidden)
    ));
    let province_police = actor(Role::Police, u(Province));
    access::require(
        db,
        &province_police,
        Action::Approve(Role::Police),
        u(OldCommune).id,
    )
    .await
    .unwrap();
    // Two grants: the one above decides, whatever the other.
    let mut both = merged_police.clone();
    both.grants.extend(province_police.grants.clone());
    assert!(
        access::can(db, &both, Action::Approve(Role::Police), u(OldCommune).id)
            .await
            .unwrap()
    );
    assert!(
        !access::can(db, &both, Action::Approve(Role::Police), u(Province).id)
            .await
            .unwrap()
    );
}

async fn new_user(db: &Db, name: &str) -> i64 {
    let unit = units::get_at(db, &UnitCode::parse("11").unwrap(), dates::today())
        .await
        .unwrap();
    users::create(
        db,
        &Who::system(),
        users::NewUser {
            username: Username::parse(name).unwrap(),
            display_name: name.into(),
            password: NewPassword::parse("một mật khẩu thật dài").unwrap(),
            grants: vec![(Role::Police, unit.id)],
        },
    )
    .await
    .unwrap()
}

async fn session_live(db: &Db, id: &str) -> bool {
    sessions::load(db, id, Duration::minutes(30), Duration::hours(12))
        .await
        .unwrap()
        .is_some()
}

async fn tokens_and_sessions_end(db: &Db) {
    let id = new_user(db, "ca.thuhoi").await;
    let other = new_user(db, "ca.khac").await;
    let who = Who::user(id, "ca.thuhoi");
    let (_, t1) = sessions::create_token(db, &who, id, "script")
        .await
        .unwrap();
    let (_, t2) = sessions::create_token(db, &who, id, "cron").await.unwrap();
    let (_, kept) = sessions::create_token(db, &Who::user(other, "ca.khac"), other, "x")
        .await
        .unwrap();
    let s = sessions::create(db, &who).await.unwrap();
    assert_eq!(sessions::user_for_token(db, &t1).await.unwrap(), Some(id));
    assert!(session_live(db, &s.id).await);

    // Disabling ends both sessions and tokens.
    users::set_disabled(db, &Who::system(), id, true)
        .await
        .unwrap();
    for t in [&t1, &t2] {
        assert_eq!(sessions::user_for_token(db, t).await.unwrap(), None);
    }
    assert!(!session_live(db, &s.id).await);
    let listed = sessions::list_tokens(db, id).await.unwrap();
    assert!(listed.iter().all(|t| t.revoked_at.is_some()), "{listed:?}");
    // Re-enabling brings none back.
    users::set_disabled(db, &Who::system(), id, false)
        .await
        .unwrap();
    for t in [&t1, &t2] {
        assert_eq!(sessions::user_for_token(db, t).await.unwrap(), None);
    }
    assert!(users::actor(db, id).await.unwrap().is_some());
    // Another user's token is untouched.
    assert_eq!(
        sessions::user_for_token(db, &kept).await.unwrap(),
        Some(other)
    );

    // A new password does the same.
    let (_, t3) = sessions::create_token(db, &who, id, "new").await.unwrap();
    let s2 = sessions::create(db, &who).await.unwrap();
    assert_eq!(sessions::user_for_token(db, &t3).await.unwrap(), Some(id));
    users::set_password(
        db,
        &Who::system(),
        id,
        NewPassword::parse("một mật khẩu khác hẳn").unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(sessions::user_for_token(db, &t3).await.unwrap(), None);
    assert!(!session_live(db, &s2.id).await);
    assert_eq!(
        sessions::user_for_token(db, &kept).await.unwrap(),
        Some(other)
    );
    // A token made afterwards works.
    let (_, t4) = sessions::create_token(db, &who, id, "after").await.unwrap();
    assert_eq!(sessions::user_for_token(db, &t4).await.unwrap(), Some(id));

    // The audit log says how many tokens went.
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT after_json FROM audit_log WHERE action IN ('user.disable', 'user.password') \
         AND entity_id = $1 ORDER BY id",
    )
    .bind(id.to_string())
    .fetch_all(db.pool())
    .await
    .unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[0].contains("\"tokens_revoked\":2"), "{}", rows[0]);
    assert!(rows[1].contains("\"tokens_revoked\":1"), "{}", rows[1]);
}

async fn all(db: Db) {
    approval_matrix(&db).await;
    tokens_and_sessions_end(&db).await;
}

#[tokio::test]
async fn policy_on_sqlite() {
    let t = TestDb::sqlite();
    all(t.ready().await).await;
}

#[tokio::test]
async fn policy_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL policy tests did not run");
        return;
    };
    let t = TestDb::postgres(&server).await;
    all(t.ready().await).await;
}

/// Forty-eight verifications at once: never more Argon2 runs than the
/// slots, each holding 19 MiB.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn argon2_work_is_bounded() {
    let slots = Argon2Slots::global();
    let hash = antq_core::auth::dummy_password_hash().to_string();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..48 {
        let hash = hash.clone();
        set.spawn(users::verify_password("sai".into(), hash));
    }
    while let Some(ok) = set.join_next().await {
        assert!(!ok.unwrap().unwrap());
    }
    assert!(slots.peak() >= 1);
    assert!(
        slots.peak() <= slots.limit(),
        "{} at once, limit {}",
        slots.peak(),
        slots.limit()
    );
    // The mechanism on its own: 2 slots, 12 tasks that each hold theirs a while.
    let two = std::sync::Arc::new(Argon2Slots::new(2));
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..12 {
        let two = two.clone();
        set.spawn(async move {
            two.run(|| std::thread::sleep(std::time::Duration::from_millis(20)))
                .await
                .unwrap()
        });
    }
    while set.join_next().await.is_some() {}
    assert_eq!(two.peak(), 2);
}

/// A caller that goes away (an aborted login) does not free its slot while
/// the work still runs; a caller that finds no slot within the wait is told
/// the server is busy instead of queueing without end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn argon2_slots_outlive_cancelled_callers_and_the_wait_is_bounded() {
    use std::time::Duration;
    let one = std::sync::Arc::new(Argon2Slots::new(1));
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let started = std::sync::Arc::new(std::sync::Barrier::new(2));
    let s2 = started.clone();
    let holder = {
        let one = one.clone();
        tokio::spawn(async move {
            one.run(move || {
                s2.wait();
                // Runs until the test lets it end.
                let _ = rx.recv_timeout(Duration::from_secs(30));
            })
            .await
        })
    };
    tokio::task::spawn_blocking(move || started.wait())
        .await
        .unwrap();
    // The caller is cancelled; the work it started still runs.
    holder.abort();
    let _ = holder.await;
    let refused = one.run_within(Duration::from_millis(300), || ()).await;
    assert!(
        matches!(refused, Err(antq_storage::StorageError::Busy)),
        "a slot was freed while its work still ran"
    );
    assert_eq!(
        antq_storage::StorageError::Busy.to_string(),
        "Máy chủ đang bận, xin thử lại sau ít giây"
    );
    // Once the work ends, the slot is free again.
    tx.send(()).unwrap();
    let ok = one.run_within(Duration::from_secs(10), || 7).await;
    assert_eq!(ok.unwrap(), 7);
    assert_eq!(one.peak(), 1);
}
