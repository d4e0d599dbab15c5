//! One story through the storage layer, run on SQLite always and on
//! PostgreSQL when `ANTQ_TEST_DATABASE_URL` names a server (each run in its
//! own fresh database).

use antq_core::audit::ChainBreak;
use antq_core::auth::{Action, NewPassword, Role, Username};
use antq_core::dates::parse_date;
use antq_core::text;
use antq_core::units::{Level, Share, UnitCode};
use antq_storage::audit::{AuditFilter, Verification, Who};
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::units::{self, UnitQuery};
use antq_storage::{
    accounts::access, accounts::users, migrations, units::admin_units, Backend, Db, StorageError,
};

fn code(s: &str) -> UnitCode {
    UnitCode::parse(s).unwrap()
}

fn date(s: &str) -> chrono::NaiveDate {
    parse_date(s).unwrap()
}

async fn count(db: &Db, level: Level, at: &str) -> usize {
    units::list(
        db,
        &UnitQuery {
            at: date(at),
            level: Some(level),
            parent_id: None,
            q: None,
            limit: None,
        },
    )
    .await
    .unwrap()
    .len()
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

async fn story(db: Db) {
    // The official units are there, at both dates.
    assert_eq!(count(&db, Level::Province, "2026-01-01").await, 34);
    assert_eq!(count(&db, Level::Province, "2020-01-01").await, 63);
    assert_eq!(count(&db, Level::District, "2020-01-01").await, 696);
    assert_eq!(count(&db, Level::District, "2026-01-01").await, 0);
    assert_eq!(count(&db, Level::Commune, "2020-01-01").await, 10035);
    assert_eq!(count(&db, Level::Commune, "2025-07-01").await, 3321);

    // Migrating and loading again changes nothing.
    assert!(migrations::run(&db).await.unwrap().is_empty());
    assert!(admin_units::load_official_if_empty(&db)
        .await
        .unwrap()
        .is_none());

    // A code is not an identity.
    let tien_giang = units::get_at(&db, &code("82"), date("2020-01-01"))
        .await
        .unwrap();
    assert_eq!(tien_giang.name, "Tỉnh Tiền Giang");
    let dong_thap = units::get_at(&db, &code("82"), date("2026-01-01"))
        .await
        .unwrap();
    assert_eq!(dong_thap.name, "Tỉnh Đồng Tháp");
    assert_ne!(tien_giang.id, dong_thap.id);
    let mut preds: Vec<String> = units::predecessors(&db, dong_thap.id)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.code)
        .collect();
    preds.sort();
    assert_eq!(preds, vec!["82", "87"]);
    let succ = units::successors(&db, tien_giang.id).await.unwrap();
    assert_eq!(succ.len(), 1);
    assert_eq!(succ[0].name, "Tỉnh Đồng Tháp");
    assert!(matches!(
        units::get_at(&db, &code("87"), date("2026-01-01")).await,
        Err(StorageError::NotFound(_))
    ));

    // Search is accent- and case-insensitive; results follow Vietnamese collation.
    for q in ["dien bien", "ĐIỆN BIÊN", "Điện Biên"] {
        let found = units::list(
            &db,
            &UnitQuery {
                at: date("2026-01-01"),
                level: Some(Level::Province),
                parent_id: None,
                q: Some(q.into()),
                limit: None,
            },
        )
        .await
        .unwrap();
        assert_eq!(found.len(), 1, "{q}");
        assert_eq!(found[0].name, "Tỉnh Điện Biên");
    }
    let provinces = units::list(
        &db,
        &UnitQuery {
            at: date("2026-01-01"),
            level: Some(Level::Province),
            parent_id: None,
            q: None,
            limit: None,
        },
    )
    .await
    .unwrap();
    let names: Vec<&str> = provinces.iter().map(|u| u.short_name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_by(|a, b| text::compare(a, b));
    assert_eq!(names, sorted);
    let pos = |n: &str| names.iter().position(|x| *x == n).unwrap();
    assert!(pos("Đà Nẵng") < pos("Gia Lai") && pos("Cần Thơ") < pos("Đà Nẵng"));

    // Communes of a province at a date, through the tree.
    let dien_bien = units::get_at(&db, &code("11"), date("2026-01-01"))
        .await
        .unwrap();
    let communes = units::list(
        &db,
        &UnitQuery {
            at: date("2026-01-01"),
            level: Some(Level::Commune),
            parent_id: Some(dien_bien.id),
            q: None,
            limit: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(communes.len(), 45);
    let commune_a = &communes[0];
    let commune_b = &communes[1];

    // Access: a commune officer sees only their commune.
    let officer = user(&db, "ca.xa.a", Role::Police, commune_a.id).await;
    assert!(access::can(&db, &officer, Action::Read, commune_a.id)
        .await
        .unwrap());
    assert!(access::can(&db, &officer, Action::EditAreas, commune_a.id)
        .await
        .unwrap());
    assert!(!access::can(&db, &officer, Action::Read, commune_b.id)
        .await
        .unwrap());
    assert!(!access::can(&db, &officer, Action::Read, dien_bien.id)
        .await
        .unwrap());
    assert!(
        !access::can(&db, &officer, Action::ManageUsers, commune_a.id)
            .await
            .unwrap()
    );
    // A viewer reads but does not edit.
    let viewer = user(&db, "xem.xa.a", Role::Viewer, commune_a.id).await;
    assert!(access::can(&db, &viewer, Action::Read, commune_a.id)
        .await
        .unwrap());
    assert!(!access::can(&db, &viewer, Action::EditAreas, commune_a.id)
        .await
        .unwrap());

    // A grant on today's Đồng Tháp covers old Đồng Tháp and old Tiền Giang
    // through lineage; a grant on old Đồng Tháp does not reach Tiền Giang.
    let dt_officer = user(&db, "ca.dongthap", Role::Police, dong_thap.id).await;
    let old_dt = units::get_at(&db, &code("87"), date("2020-01-01"))
        .await
        .unwrap();
    let old_dt_commune = units::list(
        &db,
        &UnitQuery {
            at: date("2020-01-01"),
            level: Some(Level::Commune),
            parent_id: Some(old_dt.id),
            q: None,
            limit: Some(1),
        },
    )
    .await
    .unwrap()
    .remove(0);
    let old_tg_commune = units::list(
        &db,
        &UnitQuery {
            at: date("2020-01-01"),
            level: Some(Level::Commune),
            parent_id: Some(tien_giang.id),
            q: None,
            limit: Some(1),
        },
    )
    .await
    .unwrap()
    .remove(0);
    for id in [
        old_dt.id,
        tien_giang.id,
        old_dt_commune.id,
        old_tg_commune.id,
    ] {
        assert!(access::can(&db, &dt_officer, Action::Read, id)
            .await
            .unwrap());
    }
    assert!(!access::can(&db, &dt_officer, Action::Read, dien_bien.id)
        .await
        .unwrap());
    let old_dt_officer = user(&db, "ca.dongthap.cu", Role::Police, old_dt.id).await;
    assert!(
        access::can(&db, &old_dt_officer, Action::Read, old_dt_commune.id)
            .await
            .unwrap()
    );
    assert!(
        !access::can(&db, &old_dt_officer, Action::Read, old_tg_commune.id)
            .await
            .unwrap()
    );
    assert!(
        !access::can(&db, &old_dt_officer, Action::Read, dong_thap.id)
            .await
            .unwrap()
    );

    // Administrators manage the users inside their units only.
    let db_admin = user(&db, "qt.dienbien", Role::Admin, dien_bien.id).await;
    let manageable: Vec<String> = users::list_manageable(&db, &db_admin)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.username)
        .collect();
    assert!(manageable.contains(&"ca.xa.a".to_string()));
    assert!(!manageable.contains(&"ca.dongthap".to_string()));
    assert!(access::can_manage_user(&db, &db_admin, officer.user_id)
        .await
        .unwrap());
    assert!(!access::can_manage_user(&db, &db_admin, dt_officer.user_id)
        .await
        .unwrap());

    // Sessions expire when idle; tokens stop working when revoked.
    let session = antq_storage::accounts::sessions::create(&db, &officer.who())
        .await
        .unwrap();
    let long = chrono::Duration::hours(1);
    let live = antq_storage::accounts::sessions::load(&db, &session.id, long, long)
        .await
        .unwrap();
    assert_eq!(live.unwrap().user_id, officer.user_id);
    assert!(
        antq_storage::accounts::sessions::load(&db, "not-a-session", long, long)
            .await
            .unwrap()
            .is_none()
    );
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let idle = chrono::Duration::milliseconds(5);
    assert!(
        antq_storage::accounts::sessions::load(&db, &session.id, idle, long)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        antq_storage::accounts::sessions::load(&db, &session.id, long, long)
            .await
            .unwrap()
            .is_none(),
        "an expired session is gone for good"
    );
    let (tid, token) = antq_storage::accounts::sessions::create_token(
        &db,
        &officer.who(),
        officer.user_id,
        "script",
    )
    .await
    .unwrap();
    assert_eq!(
        antq_storage::accounts::sessions::user_for_token(&db, &token)
            .await
            .unwrap(),
        Some(officer.user_id)
    );
    assert!(matches!(
        antq_storage::accounts::sessions::revoke_token(&db, &viewer.who(), viewer.user_id, tid)
            .await,
        Err(StorageError::NotFound(_))
    ));
    antq_storage::accounts::sessions::revoke_token(&db, &officer.who(), officer.user_id, tid)
        .await
        .unwrap();
    assert_eq!(
        antq_storage::accounts::sessions::user_for_token(&db, &token)
            .await
            .unwrap(),
        None
    );

    // Duplicate usernames are a conflict, not a crash.
    let dup = users::create(
        &db,
        &Who::system(),
        users::NewUser {
            username: Username::parse("ca.xa.a").unwrap(),
            display_name: String::new(),
            password: NewPassword::parse("một mật khẩu thật dài").unwrap(),
            grants: vec![],
        },
    )
    .await;
    assert!(matches!(dup, Err(StorageError::Conflict(_))));

    // An admin corrects a lineage link; the change is audited with before and after.
    let link = units::predecessors(&db, dong_thap.id)
        .await
        .unwrap()
        .remove(0);
    units::update_link(
        &db,
        &db_admin.who(),
        link.link_id,
        Share::PartPrimary,
        Some("sửa thử".into()),
    )
    .await
    .unwrap();
    let rows = antq_storage::audit::list(
        &db,
        "1 = 1",
        &AuditFilter {
            action: Some("lineage".into()),
            limit: 10,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].before.as_ref().unwrap()["share"], "whole");
    assert_eq!(rows[0].after.as_ref().unwrap()["share"], "part_primary");
    assert_eq!(rows[0].actor, "qt.dienbien");

    // Older versions and their lineage are data: an import, all or nothing.
    let old_commune = &old_dt_commune;
    let bad_versions = "code,name,kind,level,parent_code,valid_from,valid_to\n\
        99999,Xã Thử,Xã,commune,999,2010-01-01,2019-12-31\n\
        12a45,Xã Sai,Xã,commune,,2010-01-01,2019-12-31\n";
    let err = admin_units::import_history(&db, &db_admin.who(), Some(bad_versions), None, false)
        .await
        .unwrap_err();
    match err {
        StorageError::Rejected(errs) => {
            assert!(
                errs.iter()
                    .any(|e| e.contains("dòng 2") && e.contains("999")),
                "{errs:?}"
            );
            assert!(
                errs.iter()
                    .any(|e| e.contains("dòng 3") && e.contains("12a45")),
                "{errs:?}"
            );
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
    let district = units::by_id(&db, old_commune.parent_id.unwrap())
        .await
        .unwrap();
    let versions = format!(
        "code,name,kind,level,parent_code,valid_from,valid_to\n\
         {c},Xã Cũ Trước Sáp Nhập,Xã,commune,{d},2010-01-01,2019-12-31\n\
         99998,Xã Đã Nhập,Xã,commune,{d},2010-01-01,2019-12-31\n",
        c = old_commune.code,
        d = district.code
    );
    let links = format!(
        "predecessor_code,predecessor_date,successor_code,successor_date,share\n\
         99998,2019-12-31,{c},2020-01-01,whole\n\
         {c},2019-12-31,{c},2020-01-01,whole\n",
        c = old_commune.code
    );
    let dry =
        admin_units::import_history(&db, &db_admin.who(), Some(&versions), Some(&links), true)
            .await
            .unwrap();
    assert!(dry.dry_run);
    assert_eq!(
        (dry.versions_added, dry.versions_shortened, dry.links_added),
        (2, 1, 2)
    );
    assert_eq!(
        units::versions(&db, &old_commune.code.parse_code())
            .await
            .unwrap()
            .len(),
        1
    );
    admin_units::import_history(&db, &db_admin.who(), Some(&versions), Some(&links), false)
        .await
        .unwrap();
    let history = units::versions(&db, &old_commune.code.parse_code())
        .await
        .unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].valid_to.as_deref(), Some("2019-12-31"));
    assert_eq!(history[1].valid_from.as_deref(), Some("2020-01-01"));
    let at_2015 = units::get_at(&db, &code("99998"), date("2015-06-01"))
        .await
        .unwrap();
    assert_eq!(at_2015.name, "Xã Đã Nhập");
    assert!(units::find_at(&db, &code("99998"), date("2020-06-01"))
        .await
        .unwrap()
        .is_none());
    // Today's Đồng Tháp officer now also covers the merged 2019 commune.
    assert!(access::can(&db, &dt_officer, Action::Read, at_2015.id)
        .await
        .unwrap());
    assert!(!access::can(&db, &officer, Action::Read, at_2015.id)
        .await
        .unwrap());

    // The audit log is append-only and verifies.
    assert!(matches!(
        antq_storage::audit::verify(&db).await.unwrap(),
        Verification::Intact { rows } if rows > 5
    ));
    assert!(sqlx::query("UPDATE audit_log SET actor = 'x' WHERE id = 2")
        .execute(db.pool())
        .await
        .is_err());
    assert!(sqlx::query("DELETE FROM audit_log WHERE id = 2")
        .execute(db.pool())
        .await
        .is_err());
    if db.backend() == Backend::Postgres {
        assert!(sqlx::query("TRUNCATE audit_log")
            .execute(db.pool())
            .await
            .is_err());
    }
    // Someone with full database rights drops the guard and edits a row: verify names it.
    match db.backend() {
        Backend::Sqlite => {
            sqlx::raw_sql("DROP TRIGGER audit_log_no_update")
                .execute(db.pool())
                .await
                .unwrap();
        }
        Backend::Postgres => {
            sqlx::raw_sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete")
                .execute(db.pool())
                .await
                .unwrap();
        }
    }
    sqlx::query("UPDATE audit_log SET actor = 'kẻ gian' WHERE id = 3")
        .execute(db.pool())
        .await
        .unwrap();
    assert_eq!(
        antq_storage::audit::verify(&db).await.unwrap(),
        Verification::Broken(ChainBreak::RowAltered { id: 3 })
    );
}

trait ParseCode {
    fn parse_code(&self) -> UnitCode;
}

impl ParseCode for String {
    fn parse_code(&self) -> UnitCode {
        UnitCode::parse(self).unwrap()
    }
}

#[tokio::test]
async fn story_on_sqlite() {
    let t = TestDb::sqlite();
    let db = t.ready().await;
    // Durability settings of the embedded database.
    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(sync, 2, "synchronous = FULL");
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    story(db.clone()).await;
    // What was committed is there after reopening the file.
    db.close().await;
    let again = Db::connect(&t.url).await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(again.pool())
        .await
        .unwrap();
    assert_eq!(n, 5);
}

#[tokio::test]
async fn story_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!(
            "skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL story did not run"
        );
        return;
    };
    let t = TestDb::postgres(&server).await;
    let db = t.ready().await;
    story(db.clone()).await;
    db.close().await;
}
