//! The register of grassroots organisations and teams on SQLite and, when
//! `ANTQ_TEST_DATABASE_URL` names a server, PostgreSQL: the seeded kinds;
//! a team of an old commune counts under today's Điện Biên; members over
//! time; active at a day; nobody sees teams outside their grants; the
//! evaluation's rules (20% refusal, leader, not rated, police only); an
//! import refused with every row located, and 5.000 teams imported at once.

use antq_core::auth::Role;
use antq_core::dates::parse_date;
use antq_core::registries::teams::{Level, NotRated, Outcome};
use antq_core::units::{Level as UnitLevel, UnitCode};
use antq_storage::accounts::access::{Actor, Grant};
use antq_storage::registries::teams::{self, Filter, NewTeam, Rating};
use antq_storage::statistics::analytics::MapMode;
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::units::{self, Unit};
use antq_storage::{Db, StorageError};

async fn unit(db: &Db, code: &str, at: &str) -> Unit {
    units::get_at(db, &UnitCode::parse(code).unwrap(), parse_date(at).unwrap())
        .await
        .unwrap_or_else(|e| panic!("{code} at {at}: {e}"))
}

/// A commune of a province as it was at `at`.
async fn commune_of(db: &Db, province: &Unit, at: &str) -> Unit {
    let found = units::list(
        db,
        &units::UnitQuery {
            at: parse_date(at).unwrap(),
            level: Some(UnitLevel::Commune),
            parent_id: None,
            q: None,
            limit: Some(20_000),
        },
    )
    .await
    .unwrap();
    for c in found {
        let up = units::ancestors(db, c.id).await.unwrap();
        if up.iter().any(|a| a.id == province.id) {
            return c;
        }
    }
    panic!("no commune under {}", province.name)
}

fn actor(role: Role, u: &Unit) -> Actor {
    Actor {
        user_id: 7,
        username: format!("{}.{}", role.as_str(), u.code),
        display_name: String::new(),
        grants: vec![Grant {
            id: 7,
            role,
            unit_id: u.id,
            unit_code: u.code.clone(),
            unit_name: u.name.clone(),
            unit_level: u.level,
            unit_valid_from: u.valid_from.clone(),
            unit_valid_to: u.valid_to.clone(),
        }],
    }
}

fn team(kind: i64, unit: &Unit, name: &str, established: &str, members: Option<i64>) -> NewTeam {
    NewTeam {
        kind_id: kind,
        unit_id: unit.id,
        area_id: None,
        name: name.into(),
        established_on: parse_date(established).unwrap(),
        dissolved_on: None,
        leader: "Lò Văn Thắng".into(),
        members,
        model_id: None,
        notes: String::new(),
    }
}

fn rejected(e: StorageError) -> Vec<String> {
    match e {
        StorageError::Rejected(v) => v,
        other => panic!("expected a rejection, got {other}"),
    }
}

async fn all(db: Db) {
    // Kinds: seeded, all counted among the mass organisations.
    let kinds = teams::kinds(&db).await.unwrap();
    assert_eq!(kinds.len(), 8);
    assert!(kinds.iter().all(|k| k.mass_org && k.active));
    assert_eq!(kinds.last().unwrap().name, "Khác");
    teams::seed_if_empty(&db).await.unwrap();
    assert_eq!(teams::kinds(&db).await.unwrap().len(), 8, "idempotent");
    let antt = teams::kind_named(&db, "to an ninh nhan dan")
        .await
        .unwrap()
        .unwrap();
    let hoa_giai = teams::kind_named(&db, "Tổ hòa giải")
        .await
        .unwrap()
        .unwrap();

    let dien_bien = unit(&db, "11", "2026-01-01").await;
    let dong_thap = unit(&db, "82", "2026-01-01").await;
    let old_dien_bien = unit(&db, "11", "2020-01-01").await;
    let old_commune = commune_of(&db, &old_dien_bien, "2020-01-01").await;
    let today_commune = unit(&db, "03325", "2026-01-01").await;
    let nation = unit(&db, "VN", "2026-01-01").await;
    let police = actor(Role::Police, &dien_bien);
    let front = actor(Role::Front, &dien_bien);
    let viewer = actor(Role::Viewer, &dien_bien);
    let other = actor(Role::Police, &dong_thap);
    let admin = actor(Role::Admin, &nation);

    // Kinds are for national administrators.
    assert!(matches!(
        teams::save_kind(&db, &police, None, "Tổ tự quản bến đò", true, true).await,
        Err(StorageError::Forbidden)
    ));
    let k = teams::save_kind(&db, &admin, None, "Tổ tự quản bến đò", false, true)
        .await
        .unwrap();
    assert!(!k.mass_org);
    let k = teams::save_kind(&db, &admin, Some(k.id), "Tổ tự quản bến đò", false, false)
        .await
        .unwrap();
    assert!(!k.active);
    let e = teams::create(
        &db,
        Some(&police),
        &team(k.id, &today_commune, "Tổ bến đò", "2020-01-01", None),
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("ngừng dùng"), "{e}");

    // A team of an old commune, members over time; one of today's commune.
    let old = teams::create(
        &db,
        Some(&front),
        &team(
            antt.id,
            &old_commune,
            "Tổ an ninh nhân dân bản Cũ",
            "2019-03-01",
            Some(10),
        ),
    )
    .await
    .unwrap();
    teams::set_members(
        &db,
        Some(&police),
        old,
        parse_date("2022-01-01").unwrap(),
        15,
        &[],
    )
    .await
    .unwrap();
    let mut dissolved = team(
        hoa_giai.id,
        &today_commune,
        "Tổ hòa giải bản Che Căn",
        "2021-05-01",
        Some(7),
    );
    dissolved.dissolved_on = Some(parse_date("2023-06-30").unwrap());
    let gone = teams::create(&db, Some(&police), &dissolved).await.unwrap();
    assert!(matches!(
        teams::create(
            &db,
            Some(&viewer),
            &team(antt.id, &today_commune, "X", "2020-01-01", None)
        )
        .await,
        Err(StorageError::Forbidden)
    ));
    assert!(matches!(
        teams::create(
            &db,
            Some(&other),
            &team(antt.id, &today_commune, "X", "2020-01-01", None)
        )
        .await,
        Err(StorageError::Forbidden)
    ));
    let mut bad = team(antt.id, &today_commune, "Tổ Y", "2022-01-01", Some(5));
    bad.dissolved_on = Some(parse_date("2021-01-01").unwrap());
    let e = teams::create(&db, Some(&police), &bad).await.unwrap_err();
    assert!(e.to_string().contains("phải sau ngày thành lập"), "{e}");

    let at = |s: &str| Filter {
        unit: Some((dien_bien.id, MapMode::Current)),
        at: Some(parse_date(s).unwrap()),
        limit: 100,
        ..Filter::default()
    };
    let (list, total) = teams::list(&db, Some(&viewer), &at("2021-06-01"))
        .await
        .unwrap();
    assert_eq!(
        total, 2,
        "the old commune's team counts under today's Điện Biên"
    );
    let members: Vec<Option<i64>> = list.iter().map(|t| t.members).collect();
    assert!(
        members.contains(&Some(10)) && members.contains(&Some(7)),
        "{members:?}"
    );
    let (list, total) = teams::list(&db, Some(&viewer), &at("2023-12-14"))
        .await
        .unwrap();
    assert_eq!(
        total, 1,
        "the dissolved team is not active at the year's end"
    );
    assert_eq!(
        list[0].members,
        Some(15),
        "the latest count at or before the day"
    );
    let totals = teams::totals_by_kind(&db, Some(&viewer), &at("2023-12-14"))
        .await
        .unwrap();
    assert_eq!(totals.len(), 1);
    assert_eq!((totals[0].teams, totals[0].members), (1, 15));
    let mut search = at("2021-06-01");
    search.q = Some("che can".into());
    assert_eq!(teams::list(&db, Some(&viewer), &search).await.unwrap().1, 1);
    let mut mass = at("2021-06-01");
    mass.mass_org = Some(false);
    assert_eq!(teams::list(&db, Some(&viewer), &mass).await.unwrap().1, 0);

    // Outside one's grants: not found, and never listed.
    assert!(matches!(
        teams::get(&db, Some(&other), old, None).await,
        Err(StorageError::NotFound(_))
    ));
    assert_eq!(
        teams::list(
            &db,
            Some(&other),
            &Filter {
                limit: 10,
                ..Filter::default()
            }
        )
        .await
        .unwrap()
        .1,
        0
    );
    let d = teams::get(&db, Some(&viewer), old, None).await.unwrap();
    assert_eq!(d.member_history.len(), 2);
    assert_eq!(d.team.members, Some(15));
    let _ = gone;

    // Evaluation of 2025 in today's commune: 10 good, 2 excellent, a third refused.
    let mut ids = Vec::new();
    for i in 0..14 {
        ids.push(
            teams::create(
                &db,
                Some(&police),
                &team(
                    antt.id,
                    &today_commune,
                    &format!("Tổ an ninh số {i}"),
                    "2024-01-01",
                    Some(6),
                ),
            )
            .await
            .unwrap(),
        );
    }
    let young = teams::create(
        &db,
        Some(&police),
        &team(antt.id, &today_commune, "Tổ mới lập", "2025-04-01", Some(5)),
    )
    .await
    .unwrap();
    let rated = |id: i64, level: Level, leader: Option<Level>| Rating {
        team_id: id,
        outcome: Outcome::Rated { level, leader },
        notes: String::new(),
    };
    let mut batch: Vec<Rating> = ids[..10]
        .iter()
        .map(|i| rated(*i, Level::Tot, None))
        .collect();
    batch.push(rated(ids[10], Level::XuatSac, Some(Level::Tot)));
    batch.push(rated(ids[11], Level::XuatSac, None));
    batch.push(Rating {
        team_id: young,
        outcome: Outcome::NotRated(NotRated::TooShort),
        notes: String::new(),
    });
    assert!(
        matches!(
            teams::evaluate(&db, Some(&front), dien_bien.id, 2025, &batch).await,
            Err(StorageError::Rejected(_))
        ),
        "the Front does not decide evaluations"
    );
    assert_eq!(
        teams::evaluate(&db, Some(&police), dien_bien.id, 2025, &batch)
            .await
            .unwrap(),
        13
    );
    // One excellent too many, a leader above the team, a young team rated:
    // all refused together, nothing written.
    let more = vec![
        rated(ids[12], Level::XuatSac, None),
        rated(ids[13], Level::HoanThanh, Some(Level::Tot)),
        rated(young, Level::HoanThanh, None),
    ];
    let errors = rejected(
        teams::evaluate(&db, Some(&police), dien_bien.id, 2025, &more)
            .await
            .unwrap_err(),
    );
    assert!(
        errors.iter().any(|e| e.ends_with(
            "năm đánh giá 2025: Đã có 3 tổ xuất sắc trên 10 tổ tốt: tối đa 20%, tức 2 tổ"
        )),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("tổ trưởng không được xếp loại cao hơn tổ")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("Tổ mới lập") && e.contains("chưa đủ 9 tháng")),
        "{errors:?}"
    );
    let page = teams::evaluations_of_unit(&db, Some(&viewer), today_commune.id, 2025)
        .await
        .unwrap();
    let excellent = page
        .iter()
        .filter(|t| t.evaluation.as_ref().and_then(|e| e.level.as_deref()) == Some("xuat_sac"))
        .count();
    assert_eq!(excellent, 2, "nothing of the refused batch was written");
    assert!(page.iter().any(|t| t.team_id == young
        && t.evaluation.as_ref().and_then(|e| e.not_rated.as_deref())
            == Some("chua_du_thoi_gian")));
    // Under complaint: not rated, with its reason; the other police may not.
    let complaint = vec![Rating {
        team_id: ids[12],
        outcome: Outcome::NotRated(NotRated::Complaint),
        notes: "Đơn khiếu nại ngày 01/10/2025".into(),
    }];
    teams::evaluate(&db, Some(&police), today_commune.id, 2025, &complaint)
        .await
        .unwrap();
    assert!(
        teams::evaluate(&db, Some(&other), today_commune.id, 2025, &complaint)
            .await
            .is_err()
    );
    let d = teams::get(&db, None, ids[12], None).await.unwrap();
    assert_eq!(d.evaluations[0].not_rated.as_deref(), Some("khieu_nai"));

    // An import: every bad row located, nothing written; then 5.000 teams.
    let before = teams::list(
        &db,
        None,
        &Filter {
            limit: 1,
            ..Filter::default()
        },
    )
    .await
    .unwrap()
    .1;
    let mut bad = team(antt.id, &today_commune, "", "2020-01-01", Some(3));
    bad.members = Some(-1);
    let items = vec![
        (
            "Tổ chức quần chúng, dòng 6".to_string(),
            team(antt.id, &today_commune, "Tổ A", "2020-01-01", Some(3)),
        ),
        ("Tổ chức quần chúng, dòng 7".to_string(), bad),
        (
            "Tổ chức quần chúng, dòng 8".to_string(),
            team(antt.id, &dong_thap, "Tổ B", "2020-01-01", None),
        ),
    ];
    let errors = rejected(
        teams::create_many(&db, Some(&police), &items, false)
            .await
            .unwrap_err(),
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("Tổ chức quần chúng, dòng 7: Chưa có tên")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("Tổ chức quần chúng, dòng 8: không có quyền")),
        "{errors:?}"
    );
    let many: Vec<(String, NewTeam)> = (0..5_000)
        .map(|i| {
            (
                format!("dòng {}", i + 6),
                team(
                    if i % 2 == 0 { antt.id } else { hoa_giai.id },
                    &today_commune,
                    &format!("Tổ số {i}"),
                    "2020-01-01",
                    Some(5 + (i % 7) as i64),
                ),
            )
        })
        .collect();
    assert_eq!(
        teams::create_many(&db, Some(&police), &many, true)
            .await
            .unwrap(),
        5_000
    );
    let started = std::time::Instant::now();
    assert_eq!(
        teams::create_many(&db, Some(&police), &many, false)
            .await
            .unwrap(),
        5_000
    );
    eprintln!(
        "5.000 teams imported in {:?} on {:?}",
        started.elapsed(),
        db.backend()
    );
    let after = teams::list(
        &db,
        None,
        &Filter {
            limit: 1,
            ..Filter::default()
        },
    )
    .await
    .unwrap()
    .1;
    assert_eq!(after - before, 5_000);
    let mut last = at("2023-12-14");
    last.q = Some("Tổ số 4999".into());
    let (found, _) = teams::list(&db, Some(&viewer), &last).await.unwrap();
    assert_eq!(found[0].members, Some(5 + (4999 % 7)));

    // The evaluation's rules change together, each key audited.
    let nation = unit(&db, antq_core::units::NATION_CODE, "2026-01-01").await;
    let admin = actor(Role::Admin, &nation);
    let audited = || async {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'registry_setting.save'",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        n
    };
    let before = audited().await;
    let mut rules = teams::rules(&db).await.unwrap();
    rules.quota_percent = 25;
    rules.min_months = 6;
    rules.rounding = antq_core::registries::teams::Rounding::Ceil;
    teams::set_rules(&db, &admin, &rules).await.unwrap();
    assert_eq!(teams::rules(&db).await.unwrap(), rules);
    assert_eq!(audited().await - before, 4, "one entry per rule");
    let mut wrong = rules;
    wrong.quota_percent = 101;
    assert!(teams::set_rules(&db, &admin, &wrong).await.is_err());
    assert_eq!(teams::rules(&db).await.unwrap(), rules, "nothing changed");
    let province = unit(&db, "11", "2023-06-30").await;
    assert!(matches!(
        teams::set_rules(&db, &actor(Role::Admin, &province), &rules).await,
        Err(StorageError::Forbidden)
    ));
}

#[tokio::test]
async fn teams_on_sqlite() {
    let t = TestDb::sqlite();
    all(t.ready().await).await;
}

#[tokio::test]
async fn teams_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!(
            "skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL team tests did not run"
        );
        return;
    };
    let t = TestDb::postgres(&server).await;
    all(t.ready().await).await;
}
