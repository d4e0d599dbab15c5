//! Movement classification on SQLite always and on PostgreSQL when
//! `ANTQ_TEST_DATABASE_URL` names a server: the unit scores itself within
//! each item's maximum, submits, only the level strictly above reviews
//! (changes with a reason) and decides; the band follows the configured
//! thresholds, and a changed threshold changes it; late subjects are
//! listed; editing a used template makes a new version and leaves old
//! sheets intact; access by unit; import errors named by place; the demo.

use antq_core::auth::Role;
use antq_core::dates::parse_date;
use antq_core::registries::classifications::{Band, State, SubjectKind, Thresholds};
use antq_core::units::{AreaKind, Name, UnitCode};
use antq_storage::accounts::access::{Actor, Grant};
use antq_storage::audit::Who;
use antq_storage::registries::classifications::{
    self as cls, templates, Filter, ImportRow, ItemIn, ReviewIn, ScoreIn, Sheet, Subject,
};
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::units::{self, Unit};
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
        display_name: "Lò Văn Mừng".into(),
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

/// Every leaf scored at `share` percent of its maximum.
fn scores(sh: &Sheet, share: i64) -> Vec<ScoreIn> {
    sh.template
        .leaves()
        .iter()
        .map(|i| ScoreIn {
            item_id: i.id,
            points: Some(i.max * share / 100),
            evidence: "Biên bản họp chi bộ".into(),
        })
        .collect()
}

async fn all(db: Db) {
    // Today's Mường Phăng (03325) under today's Điện Biên (11).
    let today = antq_core::dates::iso(antq_core::dates::today());
    let commune = unit(&db, "03325", &today).await;
    let province = unit(&db, "11", &today).await;
    let nation = unit(&db, "VN", &today).await;
    let other = unit(&db, "82", &today).await;
    let ca_xa = actor(Role::Police, &commune);
    let ca_tinh = actor(Role::Police, &province);
    let mt_tinh = actor(Role::Front, &province);
    let viewer = actor(Role::Viewer, &province);
    let outsider = actor(Role::Police, &other);
    let admin = actor(Role::Admin, &nation);

    // Seeded templates: three kinds, each of 100 points.
    let all_t = templates::templates(&db).await.unwrap();
    assert_eq!(all_t.len(), 3);
    for t in &all_t {
        let sum: i64 = t.top().map(|i| i.max).sum();
        assert_eq!(sum, 1000, "{}", t.title);
        assert!(t.title.contains("minh họa"));
    }

    // The commune opens its sheet for 2024.
    let id = cls::create(&db, Some(&ca_xa), Subject::Commune(commune.id), 2024)
        .await
        .unwrap();
    let again = cls::create(&db, Some(&ca_xa), Subject::Commune(commune.id), 2024).await;
    assert!(matches!(again, Err(StorageError::Conflict(_))), "{again:?}");
    assert!(matches!(
        cls::create(&db, Some(&outsider), Subject::Commune(commune.id), 2025).await,
        Err(StorageError::Forbidden)
    ));
    assert!(matches!(
        cls::create(&db, Some(&ca_tinh), Subject::Commune(province.id), 2024).await,
        Err(StorageError::Invalid(_))
    ));
    let sh = cls::sheet(&db, Some(&ca_xa), id).await.unwrap();
    assert_eq!(sh.classification.kind, SubjectKind::Xa);
    assert_eq!(sh.classification.state, State::Draft);

    // Outside one's units: as if missing.
    assert!(matches!(
        cls::sheet(&db, Some(&outsider), id).await,
        Err(StorageError::NotFound(_))
    ));
    assert!(matches!(
        cls::set_scores(&db, Some(&viewer), id, &scores(&sh, 95)).await,
        Err(StorageError::Forbidden)
    ));

    // More than an item's maximum is refused, in Vietnamese.
    let first = sh.template.leaves()[0].clone();
    let too_much = vec![ScoreIn {
        item_id: first.id,
        points: Some(first.max + 1),
        evidence: String::new(),
    }];
    let e = cls::set_scores(&db, Some(&ca_xa), id, &too_much)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("vượt điểm chuẩn"), "{e}");
    // An item with sub-items is scored through them.
    let parent = sh
        .template
        .top()
        .find(|i| !sh.template.is_leaf(i.id))
        .unwrap()
        .clone();
    let e = cls::set_scores(
        &db,
        Some(&ca_xa),
        id,
        &[ScoreIn {
            item_id: parent.id,
            points: Some(1),
            evidence: String::new(),
        }],
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("các ý nhỏ"), "{e}");

    // Submitting before every item is scored is refused.
    let e = cls::submit(&db, Some(&ca_xa), id).await.unwrap_err();
    assert!(e.to_string().contains("Chưa tự chấm điểm mục"), "{e}");

    // 95% of everything (rounded down item by item).
    let self_total: i64 = scores(&sh, 95).iter().filter_map(|s| s.points).sum();
    let sh = cls::set_scores(&db, Some(&ca_xa), id, &scores(&sh, 95))
        .await
        .unwrap();
    assert_eq!(sh.classification.self_points, Some(self_total));
    let kids: i64 = sh
        .template
        .children(parent.id)
        .map(|c| c.max * 95 / 100)
        .sum();
    assert_eq!(sh.points(parent.id, false), Some(kids));

    // Review before submitting: refused.
    let e = cls::review(&db, Some(&ca_tinh), id, &[]).await.unwrap_err();
    assert!(matches!(e, StorageError::Conflict(_)), "{e:?}");
    cls::submit(&db, Some(&ca_xa), id).await.unwrap();
    // Scores are locked once sent.
    assert!(matches!(
        cls::set_scores(&db, Some(&ca_xa), id, &scores(&sh, 90)).await,
        Err(StorageError::Conflict(_))
    ));

    // Only the level strictly above reviews and decides: not the commune itself.
    let one_down = vec![ReviewIn {
        item_id: first.id,
        points: first.max - 50,
        reason: String::new(),
    }];
    assert!(matches!(
        cls::review(&db, Some(&ca_xa), id, &one_down).await,
        Err(StorageError::Forbidden)
    ));
    assert!(matches!(
        cls::decide(&db, Some(&ca_xa), id).await,
        Err(StorageError::Forbidden)
    ));
    // A changed score needs a reason.
    let e = cls::review(&db, Some(&ca_tinh), id, &one_down)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("phải ghi lý do"), "{e}");
    let with_reason = vec![ReviewIn {
        reason: "Kế hoạch ban hành chậm".into(),
        ..one_down[0].clone()
    }];
    let sh = cls::review(&db, Some(&mt_tinh), id, &with_reason)
        .await
        .unwrap();
    let expected = self_total - (first.max * 95 / 100) + (first.max - 50);
    assert_eq!(sh.classification.reviewed_points, Some(expected));
    assert_eq!(sh.classification.state, State::Reviewed);
    assert_eq!(sh.line(first.id).unwrap().reason, "Kế hoạch ban hành chậm");

    // The band follows the reviewed total and the thresholds: a threshold
    // at the reviewed total gives Xuất sắc; one point tenth above gives Khá.
    assert!(matches!(
        cls::set_thresholds(&db, Some(&ca_tinh), &Thresholds::default()).await,
        Err(StorageError::Forbidden)
    ));
    cls::set_thresholds(
        &db,
        Some(&admin),
        &Thresholds {
            xuat_sac: expected + 1,
            kha: 700,
            trung_binh: 500,
        },
    )
    .await
    .unwrap();
    let sh = cls::decide(&db, Some(&ca_tinh), id).await.unwrap();
    assert_eq!(sh.classification.band, Some(Band::Kha));
    assert_eq!(sh.classification.state, State::Decided);
    assert!(matches!(
        cls::decide(&db, Some(&ca_tinh), id).await,
        Err(StorageError::Conflict(_))
    ));

    // A second commune, decided under the default thresholds: 90 → Xuất sắc.
    cls::set_thresholds(&db, Some(&admin), &Thresholds::default())
        .await
        .unwrap();
    let commune2 = unit(&db, "03127", &today).await;
    let id2 = cls::create(&db, Some(&ca_tinh), Subject::Commune(commune2.id), 2024)
        .await
        .unwrap();
    let sh2 = cls::sheet(&db, None, id2).await.unwrap();
    cls::set_scores(&db, Some(&ca_tinh), id2, &scores(&sh2, 90))
        .await
        .unwrap();
    cls::submit(&db, Some(&ca_tinh), id2).await.unwrap();
    let sh2 = cls::decide(&db, Some(&ca_tinh), id2).await.unwrap();
    assert_eq!(sh2.classification.reviewed_points, Some(900));
    assert_eq!(sh2.classification.band, Some(Band::XuatSac));

    // An area of the commune: its police reviews it (the commune is above it).
    let area = units::areas::create(
        &db,
        &Who::system(),
        &commune,
        AreaKind::Ban,
        &Name::parse("Bản Kéo").unwrap(),
    )
    .await
    .unwrap();
    let id3 = cls::create(&db, Some(&ca_xa), Subject::Area(area.id), 2024)
        .await
        .unwrap();
    let sh3 = cls::sheet(&db, None, id3).await.unwrap();
    assert_eq!(sh3.classification.kind, SubjectKind::KhuDanCu);
    cls::set_scores(&db, Some(&ca_xa), id3, &scores(&sh3, 45))
        .await
        .unwrap();
    cls::submit(&db, Some(&ca_xa), id3).await.unwrap();
    // Who scored it does not also review it: another officer of the commune or above does.
    assert!(matches!(
        cls::decide(&db, Some(&ca_xa), id3).await,
        Err(StorageError::Forbidden)
    ));
    let sh3 = cls::decide(&db, Some(&ca_tinh), id3).await.unwrap();
    assert_eq!(sh3.classification.band, Some(Band::Yeu));

    // The list and the counts by kind and band, through the subtree.
    let f = Filter {
        unit_id: Some(province.id),
        year: Some(2024),
        ..Filter::default()
    };
    let listed = cls::list(&db, Some(&viewer), &f).await.unwrap();
    assert_eq!(listed.len(), 3);
    assert!(cls::list(&db, Some(&outsider), &Filter::default())
        .await
        .unwrap()
        .is_empty());
    let counts = cls::summary(&db, Some(&viewer), &f).await.unwrap();
    let n = |k, b| {
        counts
            .iter()
            .find(|c| c.kind == k && c.band == b)
            .map_or(0, |c| c.count)
    };
    assert_eq!(n(SubjectKind::Xa, Band::Kha), 1);
    assert_eq!(n(SubjectKind::Xa, Band::XuatSac), 1);
    assert_eq!(n(SubjectKind::KhuDanCu, Band::Yeu), 1);

    // Late: after 30/11 the draft sheets and the communes without a sheet.
    let third: i64 = sqlx::query_scalar(
        "SELECT u.id FROM units u WHERE u.level = 'commune' AND u.valid_to IS NULL \
         AND u.id IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = $1) \
         AND u.id NOT IN ($2, $3) ORDER BY u.code LIMIT 1",
    )
    .bind(province.id)
    .bind(commune.id)
    .bind(commune2.id)
    .fetch_one(db.pool())
    .await
    .unwrap();
    let id4 = cls::create(&db, Some(&ca_tinh), Subject::Commune(third), 2024)
        .await
        .unwrap();
    let late = cls::late(
        &db,
        Some(&viewer),
        province.id,
        2024,
        parse_date("2024-12-01").unwrap(),
    )
    .await
    .unwrap();
    assert!(late.iter().any(|l| l.classification_id == Some(id4)));
    assert!(!late
        .iter()
        .any(|l| l.unit.id == commune.id && l.kind == SubjectKind::Xa));
    let before = cls::late(
        &db,
        Some(&viewer),
        province.id,
        2024,
        parse_date("2024-11-30").unwrap(),
    )
    .await
    .unwrap();
    assert!(before.is_empty(), "nobody is late on the deadline itself");

    // Editing a used template makes a new version from a later year; old
    // sheets keep theirs.
    let xa_t = cls::template_for(&db, SubjectKind::Xa, 2024).await.unwrap();
    let mut items: Vec<ItemIn> = xa_t
        .top()
        .map(|i| ItemIn {
            label: i.label.clone(),
            text: i.text.clone(),
            max: i.max,
            children: xa_t
                .children(i.id)
                .map(|c| ItemIn {
                    label: c.label.clone(),
                    text: c.text.clone(),
                    max: c.max,
                    children: Vec::new(),
                })
                .collect(),
        })
        .collect();
    items[0].text = "Nội dung mới của mục 1".into();
    assert!(matches!(
        templates::save(&db, Some(&ca_tinh), xa_t.id, 2026, "Mẫu mới", &items).await,
        Err(StorageError::Forbidden)
    ));
    let e = templates::save(&db, Some(&admin), xa_t.id, 2022, "Mẫu mới", &items)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("phiên bản mới"), "{e}");
    let mut wrong = items.clone();
    wrong[0].max += 10;
    let e = templates::save(&db, Some(&admin), xa_t.id, 2026, "Mẫu mới", &wrong)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("phải đúng 100 điểm"), "{e}");
    let new_id = templates::save(&db, Some(&admin), xa_t.id, 2026, "Mẫu mới", &items)
        .await
        .unwrap();
    assert_ne!(new_id, xa_t.id);
    assert_eq!(
        cls::template_for(&db, SubjectKind::Xa, 2026)
            .await
            .unwrap()
            .id,
        new_id
    );
    assert_eq!(
        cls::template_for(&db, SubjectKind::Xa, 2025)
            .await
            .unwrap()
            .id,
        xa_t.id
    );
    let old = cls::sheet(&db, None, id).await.unwrap();
    assert_eq!(old.template.id, xa_t.id);
    assert_ne!(
        old.template.top().next().unwrap().text,
        "Nội dung mới của mục 1"
    );
    // An unused version is changed in place.
    let same = templates::save(&db, Some(&admin), new_id, 2026, "Mẫu mới, sửa lại", &items)
        .await
        .unwrap();
    assert_eq!(same, new_id);

    // Import of self-scores: all or nothing, every bad row named.
    let sh4 = cls::sheet(&db, None, id4).await.unwrap();
    let leaf = sh4.template.leaves()[0].clone();
    let rows = vec![
        ImportRow {
            place: "Biểu 01, ô E6".into(),
            classification_id: id4,
            item_id: leaf.id,
            points: leaf.max,
            evidence: "Nghị quyết số 12".into(),
        },
        ImportRow {
            place: "Biểu 01, ô E7".into(),
            classification_id: id4,
            item_id: sh4.template.leaves()[1].id,
            points: 9_999,
            evidence: String::new(),
        },
        ImportRow {
            place: "Biểu 01, ô C8".into(),
            classification_id: id,
            item_id: leaf.id,
            points: 10,
            evidence: String::new(),
        },
        ImportRow {
            place: "Biểu 01, ô C9".into(),
            classification_id: 999_999,
            item_id: leaf.id,
            points: 10,
            evidence: String::new(),
        },
    ];
    match cls::import_scores(&db, Some(&ca_tinh), &rows, false).await {
        Err(StorageError::Rejected(errors)) => {
            assert_eq!(errors.len(), 3, "{errors:?}");
            assert!(errors[0].starts_with("Biểu 01, ô E7: "), "{errors:?}");
            assert!(errors[0].contains("vượt điểm chuẩn"));
            assert!(errors[1].starts_with("Biểu 01, ô C8: "));
            assert!(errors[2].starts_with("Biểu 01, ô C9: "));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        cls::sheet(&db, None, id4)
            .await
            .unwrap()
            .classification
            .self_points,
        None,
        "nothing written"
    );
    assert_eq!(
        cls::import_scores(&db, Some(&ca_tinh), &rows[..1], true)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        cls::sheet(&db, None, id4)
            .await
            .unwrap()
            .classification
            .self_points,
        None,
        "a dry run writes nothing"
    );
    cls::import_scores(&db, Some(&ca_tinh), &rows[..1], false)
        .await
        .unwrap();
    assert_eq!(
        cls::sheet(&db, None, id4)
            .await
            .unwrap()
            .classification
            .self_points,
        Some(leaf.max)
    );

    // Every step audited.
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT action FROM audit_log WHERE entity = 'classification'")
            .fetch_all(db.pool())
            .await
            .unwrap();
    for a in [
        "classification.create",
        "classification.score",
        "classification.submit",
        "classification.review",
        "classification.decide",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }

    // The demo: both provinces, every band in each, idempotent.
    let n = cls::demo(&db).await.unwrap();
    assert!(n >= 20, "{n}");
    assert_eq!(cls::demo(&db).await.unwrap(), 0);
    for code in ["11", "87"] {
        let p = unit(&db, code, "2024-06-30").await;
        let counts = cls::summary(
            &db,
            None,
            &Filter {
                unit_id: Some(p.id),
                year: Some(2024),
                ..Filter::default()
            },
        )
        .await
        .unwrap();
        for b in Band::ALL {
            assert!(
                counts.iter().any(|c| c.band == b && c.count > 0),
                "{code}: {b:?} in {counts:?}"
            );
        }
        assert!(counts.iter().any(|c| c.kind == SubjectKind::KhuDanCu));
        assert!(counts.iter().any(|c| c.kind == SubjectKind::CoQuan));
    }
}

#[tokio::test]
async fn classifications_on_sqlite() {
    let t = TestDb::sqlite();
    all(t.ready().await).await;
}

#[tokio::test]
async fn classifications_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL classification tests did not run");
        return;
    };
    let t = TestDb::postgres(&server).await;
    all(t.ready().await).await;
}
