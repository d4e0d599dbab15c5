//! The models register on SQLite and, when `ANTQ_TEST_DATABASE_URL` names a
//! server, PostgreSQL: the taxonomy is seeded once; a model is registered,
//! replicated elsewhere and dissolved; the figure filter counts new,
//! replicated and active models and their distinct types by the reporting
//! year; today's Điện Biên lists the models of its old communes; nobody
//! sees or touches models outside their grants; an import is all or
//! nothing with every bad row named, and thousands of rows go in at once.

use antq_core::auth::Role;
use antq_core::dates::parse_date;
use antq_core::registries::models::{CaseKind, Count, ModelState};
use antq_core::units::{Level, UnitCode};
use antq_storage::accounts::access::{Actor, Grant};
use antq_storage::registries::models::{
    self, CaseFilter, Filter, ImportRow, ModelScope, NewCase, NewModel, Replica,
};
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::units::{self, Unit};
use antq_storage::{Db, StorageError};

async fn unit(db: &Db, code: &str, at: &str) -> Unit {
    units::get_at(db, &UnitCode::parse(code).unwrap(), parse_date(at).unwrap())
        .await
        .unwrap_or_else(|e| panic!("{code} at {at}: {e}"))
}

/// Two communes of a province as it was at `at`.
async fn communes_of(db: &Db, province: &Unit, at: &str) -> Vec<Unit> {
    let found = units::list(
        db,
        &units::UnitQuery {
            at: parse_date(at).unwrap(),
            level: Some(Level::Commune),
            parent_id: None,
            q: None,
            limit: Some(20_000),
        },
    )
    .await
    .unwrap();
    let mut out = Vec::new();
    for c in found {
        let up = units::ancestors(db, c.id).await.unwrap();
        if up.iter().any(|a| a.id == province.id) {
            out.push(c);
            if out.len() == 2 {
                break;
            }
        }
    }
    assert_eq!(out.len(), 2, "communes under {}", province.name);
    out
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

fn d(s: &str) -> antq_core::dates::Date {
    parse_date(s).unwrap()
}

async fn type_id(db: &Db, name: &str) -> i64 {
    models::type_named(db, name).await.unwrap().unwrap().id
}

fn new_model(name: &str, type_id: i64, unit: &Unit, on: &str) -> NewModel {
    NewModel {
        name: name.into(),
        type_id,
        unit_id: unit.id,
        area_id: None,
        started_on: d(on),
        rating: String::new(),
        rated_year: None,
        notes: String::new(),
        replicates_id: None,
    }
}

fn figure(unit: &Unit, count: Count, from: i32, to: i32) -> Filter {
    Filter {
        unit: Some(ModelScope { unit_id: unit.id }),
        count: Some((count, from, to)),
        limit: 100,
        ..Filter::default()
    }
}

async fn story(db: Db) {
    // The taxonomy, seeded once.
    let types = models::list_types(&db, true).await.unwrap();
    assert_eq!(types.len(), models::SEED_TYPES.len());
    models::seed_if_empty(&db).await.unwrap();
    assert_eq!(
        models::list_types(&db, true).await.unwrap().len(),
        types.len()
    );
    let camera = type_id(&db, "camera an ninh").await;
    let zalo = type_id(&db, "Zalo an ninh trật tự").await;

    let old = unit(&db, "11", "2020-01-01").await;
    let today = unit(&db, "11", "2026-01-01").await;
    let dong_thap = unit(&db, "82", "2026-01-01").await;
    let c = communes_of(&db, &old, "2020-01-01").await;
    let police = actor(Role::Police, &today);
    let front = actor(Role::Front, &today);
    let viewer = actor(Role::Viewer, &today);
    let stranger = actor(Role::Police, &dong_thap);

    // Registered by the province's police; not by a viewer nor a stranger.
    let m = new_model(
        "Camera an ninh bản Mường Phăng",
        camera,
        &c[0],
        "2015-03-01",
    );
    assert!(matches!(
        models::create(&db, Some(&viewer), &m).await,
        Err(StorageError::Forbidden)
    ));
    assert!(matches!(
        models::create(&db, Some(&stranger), &m).await,
        Err(StorageError::Forbidden)
    ));
    let id = models::create(&db, Some(&police), &m).await.unwrap();
    let mut future = m.clone();
    future.started_on = d("2999-01-01");
    assert!(models::create(&db, Some(&police), &future).await.is_err());
    let z = models::create(
        &db,
        Some(&front),
        &new_model("Zalo an ninh xã", zalo, &c[1], "2023-12-20"),
    )
    .await
    .unwrap();

    // Replicated at the other commune by the Front, then the original dissolved.
    let rep = models::replicate(
        &db,
        Some(&front),
        id,
        &Replica {
            unit_id: c[1].id,
            area_id: None,
            name: None,
            type_id: None,
            started_on: d("2018-05-01"),
            notes: String::new(),
        },
    )
    .await
    .unwrap();
    let r = models::get(&db, Some(&viewer), rep).await.unwrap();
    assert_eq!(r.model.replicates_id, Some(id));
    assert_eq!(r.model.type_id, camera);
    assert_eq!(r.model.name, m.name);
    let orig = models::get(&db, Some(&viewer), id).await.unwrap();
    assert_eq!(orig.replications.len(), 1);
    assert_eq!(orig.model.state, ModelState::NhanRong);
    assert!(matches!(
        models::get(&db, Some(&stranger), id).await,
        Err(StorageError::NotFound(_))
    ));
    assert!(
        models::change_state(
            &db,
            Some(&police),
            id,
            ModelState::GiaiThe,
            d("2017-01-01"),
            ""
        )
        .await
        .is_err(),
        "before the last state"
    );
    let o = models::change_state(
        &db,
        Some(&police),
        id,
        ModelState::GiaiThe,
        d("2021-06-30"),
        "Không còn hoạt động",
    )
    .await
    .unwrap();
    assert_eq!(o.model.dissolved_on.as_deref(), Some("2021-06-30"));
    assert_eq!(o.events.len(), 3);
    assert!(
        models::change_state(
            &db,
            Some(&police),
            id,
            ModelState::CungCo,
            d("2022-01-01"),
            ""
        )
        .await
        .is_err(),
        "nothing after a dissolution"
    );

    // The figures, by the counting rule, for today's Điện Biên (its old communes included).
    let count = |f: Filter| {
        let db = db.clone();
        async move { models::list(&db, None, &f).await.unwrap().1 }
    };
    assert_eq!(count(figure(&today, Count::Moi, 2013, 2023)).await, 1);
    assert_eq!(
        count(figure(&today, Count::Moi, 2013, 2024)).await,
        2,
        "20/12/2023 counts in 2024"
    );
    assert_eq!(count(figure(&today, Count::NhanRong, 2013, 2023)).await, 1);
    assert_eq!(count(figure(&today, Count::NhanRong, 2019, 2023)).await, 0);
    assert_eq!(count(figure(&today, Count::HienCo, 2013, 2020)).await, 2);
    assert_eq!(count(figure(&today, Count::HienCo, 2013, 2023)).await, 1);
    assert_eq!(count(figure(&old, Count::HienCo, 2013, 2024)).await, 2);
    assert_eq!(
        count(figure(&dong_thap, Count::HienCo, 2013, 2024)).await,
        0
    );
    let kinds = models::type_counts(&db, None, &figure(&today, Count::Loai, 2013, 2024))
        .await
        .unwrap();
    assert_eq!(kinds.len(), 2);
    assert!(kinds.iter().all(|k| k.count == 1));
    let (_, n) = models::list(
        &db,
        Some(&stranger),
        &Filter {
            limit: 10,
            ..Filter::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(n, 0, "a stranger lists nothing");
    let (found, n) = models::list(
        &db,
        Some(&viewer),
        &Filter {
            q: Some("muong phang".into()),
            limit: 10,
            ..Filter::default()
        },
    )
    .await
    .unwrap();
    assert_eq!((n, found.len()), (2, 2), "accent-insensitive search");
    let _ = z;

    // Exemplary cases.
    let case = NewCase {
        unit_id: c[0].id,
        kind: CaseKind::TapThe,
        name: "Tổ an ninh nhân dân bản Che Căn".into(),
        model_id: Some(rep),
        recognised_on: Some(d("2023-05-19")),
        recognition: "Điển hình tiên tiến 10 năm".into(),
        notes: String::new(),
    };
    assert!(models::create_case(&db, Some(&stranger), &case)
        .await
        .is_err());
    models::create_case(&db, Some(&police), &case)
        .await
        .unwrap();
    let (cases, n) = models::list_cases(
        &db,
        Some(&viewer),
        &CaseFilter {
            unit: Some(ModelScope { unit_id: today.id }),
            limit: 10,
            ..CaseFilter::default()
        },
    )
    .await
    .unwrap();
    assert_eq!((n, cases[0].kind), (1, CaseKind::TapThe));

    // Import: every bad row named, nothing written; then thousands at once.
    let before = models::list(
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
    let mut bad = new_model("", camera, &c[0], "2016-01-01");
    bad.type_id = 999_999;
    let rows = vec![
        ImportRow {
            label: "Sổ mô hình, dòng 2".into(),
            model: new_model("Tốt", camera, &c[0], "2016-01-01"),
            state: None,
            replicates_row: None,
        },
        ImportRow {
            label: "Sổ mô hình, dòng 3".into(),
            model: bad,
            state: None,
            replicates_row: None,
        },
    ];
    match models::create_many(&db, Some(&police), &rows, false).await {
        Err(StorageError::Rejected(e)) => {
            assert!(
                e.iter()
                    .any(|e| e.starts_with("Sổ mô hình, dòng 3: Chưa có tên")),
                "{e:?}"
            );
            assert!(
                e.iter()
                    .any(|e| e.contains("không có loại mô hình số 999999")),
                "{e:?}"
            );
            assert!(!e.iter().any(|e| e.contains("dòng 2")), "{e:?}");
        }
        other => panic!("{other:?}"),
    }
    match models::create_many(&db, Some(&stranger), &rows[..1], false).await {
        Err(StorageError::Rejected(e)) => assert!(e[0].contains("không có quyền"), "{e:?}"),
        other => panic!("{other:?}"),
    }
    // A replication of a model the importer cannot read: as if it did not exist.
    let own = new_model("Camera Đồng Tháp", camera, &dong_thap, "2024-01-01");
    let theirs = ImportRow {
        label: "Sổ mô hình, dòng 2".into(),
        model: NewModel {
            replicates_id: Some(id),
            ..own
        },
        state: None,
        replicates_row: None,
    };
    match models::create_many(&db, Some(&stranger), std::slice::from_ref(&theirs), true).await {
        Err(StorageError::Rejected(e)) => assert_eq!(
            e,
            vec![format!(
                "Sổ mô hình, dòng 2: không có mô hình số {id} để nhân rộng"
            )]
        ),
        other => panic!("{other:?}"),
    }
    let many: Vec<ImportRow> = (0..3000)
        .map(|i| ImportRow {
            label: format!("Sổ mô hình, dòng {}", i + 2),
            model: NewModel {
                replicates_id: (i % 3 == 0).then_some(id),
                ..new_model(&format!("Mô hình {i}"), camera, &c[i % 2], "2022-02-02")
            },
            state: (i % 5 == 0).then(|| (ModelState::GiaiThe, d("2023-01-01"))),
            // Every seventh replicates the row before it, in the same import.
            replicates_row: (i % 3 != 0 && i % 7 == 1).then(|| i - 1),
        })
        .collect();
    assert_eq!(
        models::create_many(&db, Some(&police), &many, true)
            .await
            .unwrap(),
        3000
    );
    let started = std::time::Instant::now();
    assert_eq!(
        models::create_many(&db, Some(&police), &many, false)
            .await
            .unwrap(),
        3000
    );
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    let after = models::list(
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
    assert_eq!(after, before + 3000);
    let replicas = many
        .iter()
        .filter(|r| r.model.replicates_id.is_some() || r.replicates_row.is_some())
        .count();
    assert_eq!(replicas, 1000 + 286);
    assert_eq!(
        count(figure(&today, Count::NhanRong, 2022, 2022)).await,
        replicas as i64
    );
    let id_of = |name: &'static str| {
        let db = db.clone();
        async move {
            let (id, replicates): (i64, Option<i64>) =
                sqlx::query_as("SELECT id, replicates_id FROM models WHERE name = $1")
                    .bind(name)
                    .fetch_one(db.pool())
                    .await
                    .unwrap();
            (id, replicates)
        }
    };
    assert_eq!(
        id_of("Mô hình 8").await.1,
        Some(id_of("Mô hình 7").await.0),
        "a replication of a row of the same file links to its new model"
    );
    // A model registered after the import gets a fresh id.
    let next = models::create(
        &db,
        Some(&police),
        &new_model("Sau khi nhập", camera, &c[0], "2024-01-01"),
    )
    .await
    .unwrap();
    assert!(next > rep);
}

#[tokio::test]
async fn models_on_sqlite() {
    let t = TestDb::sqlite();
    story(t.ready().await).await;
}

#[tokio::test]
async fn models_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL models story did not run");
        return;
    };
    let t = TestDb::postgres(&server).await;
    story(t.ready().await).await;
}
