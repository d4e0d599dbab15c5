//! Safety-standard recognition on SQLite always and on PostgreSQL when
//! `ANTQ_TEST_DATABASE_URL` names a server: registration in the window
//! (else refused unless an administrator overrides), exclusions, the
//! dossier (documents by content, checklist), the decision by the level
//! that decides (commune for areas, above for communes and organisations),
//! the commune threshold, the summary's shares, access, the demo, and an
//! import whose every bad cell is named.

use antq_core::auth::Role;
use antq_core::dates::parse_date;
use antq_core::registries::recognitions::{RecognitionState, SubjectKind, Window};
use antq_core::units::{AreaKind, Name, OrgKind, UnitCode};
use antq_storage::accounts::access::{Actor, Grant};
use antq_storage::audit::Who;
use antq_storage::registries::recognitions::{
    self as rec, CheckInput, Decision, Filter, ImportRow, NewRecognition, Scope,
};
use antq_storage::statistics::analytics::MapMode;
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::units::{self, areas, orgs, Unit};
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

fn d(s: &str) -> antq_core::dates::Date {
    parse_date(s).unwrap()
}

fn decision(recognised: bool, reason: &str) -> Decision {
    Decision {
        recognised,
        number: "15/QĐ-UBND".into(),
        date: d("2024-11-20"),
        issuer: "Chủ tịch UBND".into(),
        reason: reason.into(),
        override_reason: String::new(),
    }
}

async fn first_commune(db: &Db, province: &Unit) -> Unit {
    let id: i64 = sqlx::query_scalar(
        "SELECT u.id FROM units u JOIN unit_tree t ON t.descendant_id = u.id WHERE t.ancestor_id = $1 \
         AND u.level = 'commune' AND (u.valid_to IS NULL OR u.valid_to >= '2024-06-30') \
         AND (u.valid_from IS NULL OR u.valid_from <= '2024-06-30') ORDER BY u.code DESC LIMIT 1",
    )
    .bind(province.id)
    .fetch_one(db.pool())
    .await
    .unwrap();
    units::by_id(db, id).await.unwrap()
}

async fn all(db: Db) {
    let province = unit(&db, "11", "2024-06-30").await;
    let commune = first_commune(&db, &province).await;
    let other_province = unit(&db, "87", "2024-06-30").await;
    let commune_police = actor(Role::Police, &commune);
    let province_police = actor(Role::Police, &province);
    let province_admin = actor(Role::Admin, &province);
    let viewer = actor(Role::Viewer, &province);
    let stranger = actor(Role::Police, &other_province);
    let system = Who::system();

    // Criteria seeded: 5 for areas, two worded generally and marked.
    let crit = rec::criteria_of_year(&db, SubjectKind::KhuDanCu, 2024)
        .await
        .unwrap();
    assert_eq!(crit.len(), 5);
    assert_eq!(crit.iter().filter(|c| !c.note.is_empty()).count(), 2);
    assert!(!rec::criteria_of_year(&db, SubjectKind::Xa, 2024)
        .await
        .unwrap()
        .is_empty());
    assert!(rec::criteria_of_year(&db, SubjectKind::Xa, 2021)
        .await
        .unwrap()
        .is_empty());

    // Three areas of the commune.
    let mut area_ids = Vec::new();
    for n in ["Bản Một", "Bản Hai", "Bản Ba"] {
        let a = areas::create(
            &db,
            &system,
            &commune,
            AreaKind::Ban,
            &Name::parse(n).unwrap(),
        )
        .await
        .unwrap();
        area_ids.push(a.id);
    }
    let new_area = |i: usize, on: &str| NewRecognition {
        year: 2024,
        kind: SubjectKind::KhuDanCu,
        unit_id: commune.id,
        area_id: Some(area_ids[i]),
        organisation_id: None,
        registered_on: d(on),
        override_window: false,
    };

    // The window: refused after 31/03 in Vietnamese, unless an administrator overrides.
    let late = rec::register(&db, Some(&commune_police), &new_area(0, "2024-04-02")).await;
    match late {
        Err(StorageError::Invalid(e)) => {
            assert!(e.to_string().contains("ngoài thời hạn đăng ký"), "{e}")
        }
        other => panic!("late registration accepted: {other:?}"),
    }
    let mut forced = new_area(0, "2024-04-02");
    forced.override_window = true;
    assert!(matches!(
        rec::register(&db, Some(&commune_police), &forced).await,
        Err(StorageError::Invalid(_))
    ));
    let a0 = rec::register(&db, Some(&province_admin), &forced)
        .await
        .unwrap();
    // Access: a viewer and another province may not register.
    assert!(matches!(
        rec::register(&db, Some(&viewer), &new_area(1, "2024-02-01")).await,
        Err(StorageError::Forbidden)
    ));
    assert!(matches!(
        rec::register(&db, Some(&stranger), &new_area(1, "2024-02-01")).await,
        Err(StorageError::Forbidden)
    ));
    let a1 = rec::register(&db, Some(&commune_police), &new_area(1, "2024-02-01"))
        .await
        .unwrap();
    let a2 = rec::register(&db, Some(&commune_police), &new_area(2, "2024-03-31"))
        .await
        .unwrap();
    // Twice the same subject and year: a conflict.
    assert!(matches!(
        rec::register(&db, Some(&commune_police), &new_area(2, "2024-03-01")).await,
        Err(StorageError::Conflict(_))
    ));
    // Reading outside one's units: not found.
    assert!(matches!(
        rec::get(&db, Some(&stranger), a1).await,
        Err(StorageError::NotFound(_))
    ));
    assert_eq!(
        rec::get(&db, Some(&viewer), a1).await.unwrap().subject,
        "Bản Hai"
    );

    // A configurable window.
    rec::set_window(
        &db,
        &actor(Role::Admin, &unit(&db, "VN", "2024-06-30").await),
        &Window {
            from: "01/01".into(),
            to: "30/04".into(),
        },
    )
    .await
    .unwrap();
    assert!(
        rec::set_window(&db, &province_admin, &Window::first_quarter())
            .await
            .is_err()
    );

    // The dossier: a PDF kept by content, an executable refused.
    let f = rec::attach(
        &db,
        Some(&commune_police),
        a1,
        "bien-ban.pdf",
        b"%PDF-1.4 hello",
    )
    .await
    .unwrap();
    assert_eq!(f.content_type, "application/pdf");
    assert_eq!(f.sha256.len(), 64);
    assert!(matches!(
        rec::attach(&db, Some(&commune_police), a1, "x.pdf", b"MZ\x90\x00").await,
        Err(StorageError::Invalid(_))
    ));
    assert!(matches!(
        rec::attach(
            &db,
            Some(&commune_police),
            a1,
            "again.pdf",
            b"%PDF-1.4 hello"
        )
        .await,
        Err(StorageError::Conflict(_))
    ));
    let (_, ty, bytes) = rec::file(&db, Some(&viewer), a1, f.id).await.unwrap();
    assert_eq!(
        (ty.as_str(), bytes.as_slice()),
        ("application/pdf", &b"%PDF-1.4 hello"[..])
    );

    // Checklist: all met for a0 and a1; a2 fails one.
    for (id, fail_last) in [(a0, false), (a1, false), (a2, true)] {
        let checks: Vec<CheckInput> = crit
            .iter()
            .enumerate()
            .map(|(i, c)| CheckInput {
                criterion_id: c.id,
                met: !(fail_last && i == crit.len() - 1),
                note: String::new(),
            })
            .collect();
        let r = rec::set_checks(&db, Some(&commune_police), id, &checks)
            .await
            .unwrap();
        assert_eq!(r.state, RecognitionState::Dossier);
    }
    // Recognising with a criterion not met is refused.
    assert!(matches!(
        rec::decide(&db, Some(&commune_police), a2, &decision(true, "")).await,
        Err(StorageError::Invalid(_))
    ));
    // Not recognised needs a reason.
    assert!(matches!(
        rec::decide(&db, Some(&commune_police), a2, &decision(false, "")).await,
        Err(StorageError::Invalid(_))
    ));
    // Areas are decided by their commune: a viewer or a stranger may not.
    assert!(matches!(
        rec::decide(&db, Some(&viewer), a0, &decision(true, "")).await,
        Err(StorageError::Forbidden)
    ));
    rec::decide(&db, Some(&commune_police), a0, &decision(true, ""))
        .await
        .unwrap();
    rec::decide(
        &db,
        Some(&province_police),
        a2,
        &decision(false, "Còn vụ việc phức tạp"),
    )
    .await
    .unwrap();
    // Decided: closed.
    assert!(matches!(
        rec::decide(&db, Some(&commune_police), a0, &decision(true, "")).await,
        Err(StorageError::Conflict(_))
    ));

    // The commune: decided above it, and only with enough of its areas.
    let xa = rec::register(
        &db,
        Some(&commune_police),
        &NewRecognition {
            year: 2024,
            kind: SubjectKind::Xa,
            unit_id: commune.id,
            area_id: None,
            organisation_id: None,
            registered_on: d("2024-02-10"),
            override_window: false,
        },
    )
    .await
    .unwrap();
    let xa_crit = rec::criteria_of_year(&db, SubjectKind::Xa, 2024)
        .await
        .unwrap();
    let checks: Vec<CheckInput> = xa_crit
        .iter()
        .map(|c| CheckInput {
            criterion_id: c.id,
            met: true,
            note: "Đạt".into(),
        })
        .collect();
    rec::set_checks(&db, Some(&commune_police), xa, &checks)
        .await
        .unwrap();
    assert!(matches!(
        rec::decide(&db, Some(&commune_police), xa, &decision(true, "")).await,
        Err(StorageError::Forbidden)
    ));
    let share = rec::commune_share(&db, commune.id, 2024).await.unwrap();
    assert_eq!((share.recognised, share.total), (1, 3));
    assert!(share.below());
    match rec::decide(&db, Some(&province_police), xa, &decision(true, "")).await {
        Err(StorageError::Invalid(e)) => {
            assert!(e.to_string().contains("1/3 khu dân cư"), "{e}");
            assert!(e.to_string().contains("33,3%"), "{e}");
        }
        other => panic!("below the threshold accepted: {other:?}"),
    }
    // The threshold is configuration.
    let national_admin = actor(Role::Admin, &unit(&db, "VN", "2024-06-30").await);
    rec::set_threshold(&db, &national_admin, 30.0)
        .await
        .unwrap();
    assert!(!rec::commune_share(&db, commune.id, 2024)
        .await
        .unwrap()
        .below());
    rec::set_threshold(&db, &national_admin, 70.0)
        .await
        .unwrap();
    let mut over = decision(true, "");
    over.override_reason = "Hai khu dân cư còn lại sáp nhập trong năm".into();
    let r = rec::decide(&db, Some(&province_police), xa, &over)
        .await
        .unwrap();
    assert_eq!(r.state, RecognitionState::Recognised);

    // Exclusions: a primary school by its name, a small enterprise by its mark.
    let school = orgs::create(
        &db,
        &system,
        &province,
        OrgKind::School,
        &Name::parse("Trường Tiểu học Him Lam").unwrap(),
    )
    .await
    .unwrap();
    let high = orgs::create(
        &db,
        &system,
        &province,
        OrgKind::School,
        &Name::parse("Trường THPT Lê Quý Đôn").unwrap(),
    )
    .await
    .unwrap();
    let small = orgs::create(
        &db,
        &system,
        &province,
        OrgKind::Enterprise,
        &Name::parse("Công ty TNHH Hoa Ban").unwrap(),
    )
    .await
    .unwrap();
    let big = orgs::create(
        &db,
        &system,
        &province,
        OrgKind::Enterprise,
        &Name::parse("Công ty Cổ phần Cấp nước").unwrap(),
    )
    .await
    .unwrap();
    rec::set_org_class(&db, Some(&province_police), small.id, "dn_nho")
        .await
        .unwrap();
    let org = |id: i64, kind: SubjectKind| NewRecognition {
        year: 2024,
        kind,
        unit_id: province.id,
        area_id: None,
        organisation_id: Some(id),
        registered_on: d("2024-03-01"),
        override_window: false,
    };
    for (id, kind) in [
        (school.id, SubjectKind::CoSoGiaoDuc),
        (small.id, SubjectKind::DoanhNghiep),
    ] {
        match rec::register(&db, Some(&province_police), &org(id, kind)).await {
            Err(StorageError::Invalid(e)) => {
                assert!(e.to_string().contains("không thuộc diện xét"), "{e}")
            }
            other => panic!("excluded organisation registered: {other:?}"),
        }
    }
    // The wrong kind for an organisation.
    assert!(matches!(
        rec::register(
            &db,
            Some(&province_police),
            &org(high.id, SubjectKind::CoQuan)
        )
        .await,
        Err(StorageError::Invalid(_))
    ));
    let h = rec::register(
        &db,
        Some(&province_police),
        &org(high.id, SubjectKind::CoSoGiaoDuc),
    )
    .await
    .unwrap();
    rec::register(
        &db,
        Some(&province_police),
        &org(big.id, SubjectKind::DoanhNghiep),
    )
    .await
    .unwrap();
    // An organisation of the province is decided above it (the nation), not by the province.
    let r_h = rec::get(&db, None, h).await.unwrap();
    assert!(!rec::may_decide(&db, &province_police, &r_h).await.unwrap());
    let national_police = actor(Role::Police, &unit(&db, "VN", "2024-06-30").await);
    assert!(rec::may_decide(&db, &national_police, &r_h).await.unwrap());

    // The summary of the province for 2024, a stock of the year.
    let s = rec::summary(
        &db,
        Scope {
            unit_id: province.id,
            map: MapMode::Historical,
        },
        2024,
    )
    .await
    .unwrap();
    let k = |kind: SubjectKind| s.iter().find(|x| x.kind == kind).unwrap().clone();
    let areas_s = k(SubjectKind::KhuDanCu);
    assert_eq!(
        (areas_s.registered, areas_s.recognised, areas_s.eligible),
        (3, 1, 3)
    );
    assert_eq!(areas_s.share, Some(33.3));
    let xa_s = k(SubjectKind::Xa);
    assert_eq!((xa_s.registered, xa_s.recognised), (1, 1));
    assert!(
        xa_s.eligible > 100,
        "Điện Biên's communes: {}",
        xa_s.eligible
    );
    let school_s = k(SubjectKind::CoSoGiaoDuc);
    assert_eq!((school_s.registered, school_s.eligible), (1, 1));
    let ent_s = k(SubjectKind::DoanhNghiep);
    assert_eq!((ent_s.registered, ent_s.eligible), (1, 1));
    // Another year counts nothing of 2024.
    let s25 = rec::summary(
        &db,
        Scope {
            unit_id: province.id,
            map: MapMode::Historical,
        },
        2023,
    )
    .await
    .unwrap();
    assert!(s25.iter().all(|x| x.registered == 0));

    // Lists: by unit and year, within one's units only.
    let mine = rec::list(
        &db,
        Some(&viewer),
        &Filter {
            year: Some(2024),
            ..Filter::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(mine.len(), 6);
    let theirs = rec::list(&db, Some(&stranger), &Filter::default())
        .await
        .unwrap();
    assert!(theirs.is_empty());

    // Criteria are edited by national administrators only.
    let edit = rec::CriterionInput {
        id: None,
        kind: SubjectKind::CoQuan,
        year_from: 2026,
        position: 1,
        text: "Tiêu chí mới".into(),
        note: String::new(),
        active: true,
    };
    assert!(matches!(
        rec::save_criterion(&db, &province_admin, &edit).await,
        Err(StorageError::Forbidden)
    ));
    rec::save_criterion(&db, &national_admin, &edit)
        .await
        .unwrap();
    assert_eq!(
        rec::criteria_of_year(&db, SubjectKind::CoQuan, 2026)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        rec::criteria_of_year(&db, SubjectKind::CoQuan, 2025)
            .await
            .unwrap()
            .len(),
        4
    );

    // Import: all or nothing, every bad cell named.
    let row = |line: u32, cells: &[&str]| ImportRow {
        line,
        cells: cells.iter().map(|s| s.to_string()).collect(),
        places: None,
    };
    let bad = vec![
        row(
            2,
            &[
                "2023",
                &commune.code,
                "Khu dân cư",
                "Bản Một",
                "10/02/2023",
                "Được công nhận",
                "9/QĐ-UBND",
                "20/11/2023",
                "Chủ tịch UBND xã",
                "",
            ],
        ),
        row(
            3,
            &[
                "20x3",
                &commune.code,
                "Khu dân cư",
                "Bản Hai",
                "10/02/2023",
                "",
                "",
                "",
                "",
                "",
            ],
        ),
        row(
            4,
            &[
                "2023",
                &commune.code,
                "Khu dân cư",
                "Bản Không Có",
                "10/02/2023",
                "",
                "",
                "",
                "",
                "",
            ],
        ),
        row(
            5,
            &[
                "2023",
                &commune.code,
                "Khu dân cư",
                "Bản Ba",
                "31/02/2023",
                "",
                "",
                "",
                "",
                "",
            ],
        ),
        row(
            6,
            &[
                "2023",
                &commune.code,
                "Khu dân cư",
                "Bản Ba",
                "10/02/2023",
                "Không được công nhận",
                "9/QĐ-UBND",
                "20/11/2023",
                "Chủ tịch UBND xã",
                "",
            ],
        ),
    ];
    match rec::import(&db, None, &bad, false).await {
        Err(StorageError::Rejected(errors)) => {
            let all = errors.join("\n");
            assert!(all.contains("ô A3"), "{all}");
            assert!(all.contains("ô D4"), "{all}");
            assert!(all.contains("ô E5"), "{all}");
            assert!(all.contains("ô J6"), "{all}");
            assert_eq!(errors.len(), 4, "{all}");
        }
        other => panic!("a bad import accepted: {other:?}"),
    }
    assert!(rec::list(
        &db,
        None,
        &Filter {
            year: Some(2023),
            ..Filter::default()
        }
    )
    .await
    .unwrap()
    .is_empty());
    let good = vec![
        bad[0].clone(),
        row(
            3,
            &[
                "2023",
                &commune.code,
                "xa",
                "",
                "12/02/2023",
                "",
                "",
                "",
                "",
                "",
            ],
        ),
    ];
    assert_eq!(rec::import(&db, None, &good, true).await.unwrap(), 2);
    assert!(rec::list(
        &db,
        None,
        &Filter {
            year: Some(2023),
            ..Filter::default()
        }
    )
    .await
    .unwrap()
    .is_empty());
    assert_eq!(rec::import(&db, None, &good, false).await.unwrap(), 2);
    // A stranger may not import another province's records.
    match rec::import(
        &db,
        Some(&stranger),
        &[row(
            2,
            &[
                "2022",
                &commune.code,
                "Khu dân cư",
                "Bản Một",
                "10/02/2022",
                "",
                "",
                "",
                "",
                "",
            ],
        )],
        false,
    )
    .await
    {
        Err(StorageError::Rejected(errors)) => assert!(errors[0].contains("ô B2"), "{errors:?}"),
        other => panic!("{other:?}"),
    }
    let rows = rec::export_rows(
        &db,
        None,
        &Filter {
            year: Some(2023),
            ..Filter::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows
        .iter()
        .any(|r| r[5] == "Được công nhận" && r[7] == "20/11/2023"));

    // The demo: both provinces, once.
    let n = rec::demo(&db).await.unwrap();
    assert!(n > 40, "{n}");
    assert_eq!(rec::demo(&db).await.unwrap(), 0);
    for (code, at) in [("11", "2024-06-30"), ("87", "2024-06-30")] {
        let p = unit(&db, code, at).await;
        let s = rec::summary(
            &db,
            Scope {
                unit_id: p.id,
                map: MapMode::Historical,
            },
            2024,
        )
        .await
        .unwrap();
        let a = s.iter().find(|x| x.kind == SubjectKind::KhuDanCu).unwrap();
        assert!(
            a.recognised > 10 && a.recognised < a.registered,
            "{code}: {a:?}"
        );
        let x = s.iter().find(|x| x.kind == SubjectKind::Xa).unwrap();
        assert!(
            x.recognised >= 2 && x.recognised < x.registered,
            "{code}: {x:?}"
        );
    }
    // Today's Đồng Tháp (82) gathers the old one through lineage.
    let dt = unit(&db, "82", "2026-01-01").await;
    let s = rec::summary(
        &db,
        Scope {
            unit_id: dt.id,
            map: MapMode::Current,
        },
        2024,
    )
    .await
    .unwrap();
    let a = s.iter().find(|x| x.kind == SubjectKind::KhuDanCu).unwrap();
    assert!(a.registered >= 20, "{a:?}");
}

#[tokio::test]
async fn recognitions_on_sqlite() {
    let t = TestDb::sqlite();
    all(t.ready().await).await;
}

#[tokio::test]
async fn recognitions_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL recognition tests did not run");
        return;
    };
    let t = TestDb::postgres(&server).await;
    all(t.ready().await).await;
}
