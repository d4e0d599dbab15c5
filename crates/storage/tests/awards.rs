//! The award register on SQLite and, when `ANTQ_TEST_DATABASE_URL` names a
//! server, PostgreSQL: the seeded catalogue follows the law; a form the
//! office may not give is refused with the rule; a proposal is decided in
//! part; counts go by issuer; awards of old Điện Biên count under today's
//! Điện Biên through lineage; nobody sees awards outside their grants; an
//! imported register is written whole or not at all.

use antq_core::auth::Role;
use antq_core::dates::parse_date;
use antq_core::periods::YearRange;
use antq_core::programmes::awards::{awards_sentence, AwardState, NewRecipient};
use antq_core::units::{Level, UnitCode};
use antq_storage::accounts::access::{Actor, Grant};
use antq_storage::programmes::award_counts::{self, over_years, Scope};
use antq_storage::programmes::awards::{self, Decision, Filter, NewAward};
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
            level: Some(Level::Commune),
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

fn people(kind: &str, n: usize, prefix: &str) -> Vec<NewRecipient> {
    (1..=n)
        .map(|i| NewRecipient::parse(kind, &format!("{prefix} {i}"), "", "").unwrap())
        .collect()
}

async fn new_award(
    db: &Db,
    form: &str,
    office: &str,
    unit: &Unit,
    issuer: &Unit,
    recipients: Vec<NewRecipient>,
    on: &str,
) -> NewAward {
    NewAward {
        form_id: awards::form_named(db, form).await.unwrap().unwrap().id,
        office_id: awards::office_named(db, office).await.unwrap().unwrap().id,
        unit_id: unit.id,
        issuer_unit_id: issuer.id,
        reason: "Thành tích xuất sắc trong phong trào".into(),
        conference_id: None,
        recipients,
        proposed_on: parse_date(on).unwrap(),
    }
}

fn decision(reference: &str, on: &str) -> Decision {
    Decision {
        reference: reference.into(),
        date: parse_date(on).unwrap(),
    }
}

fn message(e: StorageError) -> String {
    e.to_string()
}

async fn catalogue_follows_the_law(db: &Db) {
    let forms = awards::forms(db).await.unwrap();
    let offices = awards::offices(db).await.unwrap();
    assert!(forms
        .iter()
        .any(|f| f.code == "bang_khen" && f.indicator.as_deref() == Some("kt_bang_khen")));
    assert!(forms
        .iter()
        .any(|f| f.code == "giay_khen" && f.indicator.as_deref() == Some("kt_giay_khen")));
    assert!(
        offices.iter().all(|o| !o.name.contains("huyện")),
        "no district office"
    );
    let rules = awards::rules(db).await.unwrap();
    assert!(rules.iter().any(|r| r.office == "Công an tỉnh"
        && r.form == "Giấy khen"
        && r.basis.contains("Điều 80")));
    assert!(rules.iter().any(|r| r.office == "Chủ tịch UBND tỉnh"
        && r.form == "Bằng khen"
        && r.basis.contains("Điều 79")));
    assert!(!rules
        .iter()
        .any(|r| r.office == "Công an tỉnh" && r.form == "Bằng khen"));
    // Seeding again changes nothing.
    awards::seed_if_empty(db).await.unwrap();
    assert_eq!(awards::forms(db).await.unwrap().len(), forms.len());
    assert_eq!(awards::rules(db).await.unwrap().len(), rules.len());
}

async fn wrong_forms_levels_and_places_are_refused(db: &Db) {
    let province = unit(db, "11", "2026-01-01");
    let province = province.await;
    let commune = commune_of(db, &province, "2026-01-01").await;
    let elsewhere = unit(db, "82", "2026-01-01").await;
    let police = actor(Role::Police, &province);
    let a = new_award(
        db,
        "bang_khen",
        "giam_doc_ca_tinh",
        &province,
        &province,
        people("ca_nhan", 1, "Cá nhân"),
        "2026-01-05",
    )
    .await;
    let e = message(awards::propose(db, Some(&police), &a).await.unwrap_err());
    assert!(
        e.starts_with("Công an tỉnh không được tặng Bằng khen: "),
        "{e}"
    );
    assert!(e.contains("Giấy khen") && e.contains("Điều 80"), "{e}");
    // The provincial chair's office sits at a province, not a commune.
    let a = new_award(
        db,
        "bang_khen",
        "chu_tich_ubnd_tinh",
        &commune,
        &commune,
        people("tap_the", 1, "Tổ"),
        "2026-01-05",
    )
    .await;
    let e = message(
        awards::propose(db, Some(&actor(Role::Police, &commune)), &a)
            .await
            .unwrap_err(),
    );
    assert!(e.contains("cơ quan cấp tỉnh"), "{e}");
    // Điện Biên's chair does not reward a unit of Đồng Tháp.
    let a = new_award(
        db,
        "bang_khen",
        "chu_tich_ubnd_tinh",
        &elsewhere,
        &province,
        people("tap_the", 1, "Tổ"),
        "2026-01-05",
    )
    .await;
    let e = message(awards::propose(db, None, &a).await.unwrap_err());
    assert!(e.contains("không thuộc"), "{e}");
    // A recipient that is a unit must lie under the issuer too.
    let mut r = people("tap_the", 1, "Công an tỉnh Đồng Tháp");
    r[0].unit_id = Some(elsewhere.id);
    let a = new_award(
        db,
        "giay_khen",
        "giam_doc_ca_tinh",
        &province,
        &province,
        r,
        "2026-01-05",
    )
    .await;
    assert!(message(awards::propose(db, None, &a).await.unwrap_err()).contains("không thuộc"));
    // A viewer proposes nothing.
    let a = new_award(
        db,
        "giay_khen",
        "giam_doc_ca_tinh",
        &commune,
        &province,
        people("ca_nhan", 1, "A"),
        "2026-01-05",
    )
    .await;
    assert!(matches!(
        awards::propose(db, Some(&actor(Role::Viewer, &province)), &a).await,
        Err(StorageError::Forbidden)
    ));
}

async fn a_proposal_is_decided_in_part(db: &Db) {
    let province = unit(db, "11", "2026-01-01").await;
    let commune = commune_of(db, &province, "2026-01-01").await;
    let mut rs = people("tap_the", 1, "Tổ an ninh nhân dân bản");
    rs.extend(people("ca_nhan", 1, "Lò Văn"));
    let a = new_award(
        db,
        "giay_khen",
        "giam_doc_ca_tinh",
        &commune,
        &province,
        rs,
        "2026-03-01",
    )
    .await;
    let id = awards::propose(db, Some(&actor(Role::Police, &commune)), &a)
        .await
        .unwrap();
    let got = awards::get(db, None, id).await.unwrap();
    assert_eq!(got.state, AwardState::Proposed);
    let collective = got.recipients[0].id;
    // The Front does not decide for the provincial police; the commune police neither.
    let future = decision("301/QĐ-CAT", "2999-01-01");
    let e = awards::decide(db, None, id, &[collective], &future)
        .await
        .unwrap_err();
    assert!(message(e).contains("sau ngày hôm nay"));
    let d = decision("301/QĐ-CAT", "2026-04-02");
    assert!(matches!(
        awards::decide(
            db,
            Some(&actor(Role::Front, &province)),
            id,
            &[collective],
            &d
        )
        .await,
        Err(StorageError::Forbidden)
    ));
    assert!(matches!(
        awards::decide(
            db,
            Some(&actor(Role::Police, &commune)),
            id,
            &[collective],
            &d
        )
        .await,
        Err(StorageError::Forbidden)
    ));
    let done = awards::decide(
        db,
        Some(&actor(Role::Police, &province)),
        id,
        &[collective],
        &d,
    )
    .await
    .unwrap();
    assert_eq!(done.state, AwardState::Decided);
    assert_eq!(done.year, 2026);
    assert_eq!(done.decision_reference.as_deref(), Some("301/QĐ-CAT"));
    let states: Vec<&str> = done.recipients.iter().map(|r| r.state.as_str()).collect();
    assert_eq!(states, ["accepted", "rejected"]);
    // Every step is in the audit log.
    for action in ["award.propose", "award.decide"] {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
            .bind(action)
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert!(n >= 1, "{action} audited");
    }
    // Decided once only.
    assert!(matches!(
        awards::decide(db, None, id, &[collective], &d).await,
        Err(StorageError::Conflict(_))
    ));
    let range = YearRange {
        from: 2026,
        to: 2026,
    };
    let rows = award_counts::counts(
        db,
        Scope::Unit {
            unit_id: province.id,
            range,
            map: MapMode::Current,
        },
    )
    .await
    .unwrap();
    let sums = over_years(&rows);
    assert_eq!(
        awards_sentence(&sums),
        "Công an tỉnh tặng Giấy khen cho 1 tập thể"
    );
    // A refused proposal counts for nothing.
    let a = new_award(
        db,
        "bang_khen",
        "mttq_tinh",
        &commune,
        &province,
        people("ca_nhan", 2, "B"),
        "2026-03-01",
    )
    .await;
    let id = awards::propose(db, Some(&actor(Role::Front, &commune)), &a)
        .await
        .unwrap();
    let r = awards::refuse(
        db,
        Some(&actor(Role::Front, &province)),
        id,
        "Chưa đủ tiêu chuẩn",
    )
    .await
    .unwrap();
    assert_eq!(r.state, AwardState::Refused);
    let rows = award_counts::counts(
        db,
        Scope::Unit {
            unit_id: province.id,
            range,
            map: MapMode::Current,
        },
    )
    .await
    .unwrap();
    assert_eq!(over_years(&rows).len(), 1);
}

async fn the_article_counts_through_lineage(db: &Db) {
    let old = unit(db, "11", "2023-05-19").await;
    let today = unit(db, "11", "2026-01-01").await;
    assert_ne!(old.id, today.id, "old Điện Biên is a version of its own");
    let on = "2023-05-19";
    for (form, office, collectives, individuals, reference) in [
        ("bang_khen", "chu_tich_ubnd_tinh", 2, 5, "1125/QĐ-UBND"),
        ("bang_khen", "mttq_tinh", 2, 10, "455/QĐ-MTTQ-BTT"),
        ("giay_khen", "giam_doc_ca_tinh", 15, 22, "301/QĐ-CAT"),
    ] {
        let mut rs = people("tap_the", collectives, "Tập thể");
        rs.extend(people("ca_nhan", individuals, "Cá nhân"));
        let a = new_award(db, form, office, &old, &old, rs, on).await;
        awards::record(db, None, &a, &decision(reference, on))
            .await
            .unwrap();
    }
    let range = YearRange {
        from: 2023,
        to: 2023,
    };
    let now = award_counts::counts(
        db,
        Scope::Unit {
            unit_id: today.id,
            range,
            map: MapMode::Current,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        awards_sentence(&over_years(&now)),
        "Chủ tịch UBND tỉnh tặng Bằng khen cho 2 tập thể, 5 cá nhân; \
         Ủy ban MTTQ Việt Nam tỉnh tặng Bằng khen cho 2 tập thể, 10 cá nhân; \
         Công an tỉnh tặng Giấy khen cho 15 tập thể, 22 cá nhân"
    );
    let then = award_counts::counts(
        db,
        Scope::Unit {
            unit_id: old.id,
            range,
            map: MapMode::Historical,
        },
    )
    .await
    .unwrap();
    assert_eq!(over_years(&then), over_years(&now));
    // Today's unit as a tree of its own holds none of the old unit's awards.
    let own = award_counts::counts(
        db,
        Scope::Unit {
            unit_id: today.id,
            range,
            map: MapMode::Historical,
        },
    )
    .await
    .unwrap();
    assert!(own.is_empty());
    // The register lists the three decisions through lineage, for those who may read them.
    let f = Filter {
        unit: Some((today.id, MapMode::Current)),
        years: Some(range),
        ..Filter::default()
    };
    let reader = actor(Role::Viewer, &today);
    assert_eq!(awards::list(db, Some(&reader), &f).await.unwrap().len(), 3);
    // Nobody else sees them: not in lists, not by id.
    let stranger = actor(Role::Police, &unit(db, "82", "2026-01-01").await);
    let all = awards::list(db, Some(&stranger), &Filter::default())
        .await
        .unwrap();
    assert!(all.iter().all(|a| a.unit.code != "11"), "{all:?}");
    let id = awards::list(db, Some(&reader), &f).await.unwrap()[0].id;
    assert!(matches!(
        awards::get(db, Some(&stranger), id).await,
        Err(StorageError::NotFound(_))
    ));
    assert!(awards::get(db, Some(&reader), id).await.is_ok());
}

async fn an_import_is_all_or_nothing(db: &Db) {
    let province = unit(db, "11", "2026-01-01").await;
    let before = awards::list(db, None, &Filter::default())
        .await
        .unwrap()
        .len();
    let good = new_award(
        db,
        "giay_khen",
        "giam_doc_ca_tinh",
        &province,
        &province,
        people("ca_nhan", 1, "C"),
        "2026-05-01",
    )
    .await;
    let bad = new_award(
        db,
        "bang_khen",
        "giam_doc_ca_tinh",
        &province,
        &province,
        people("ca_nhan", 1, "D"),
        "2026-05-01",
    )
    .await;
    let items = vec![
        (
            "Sổ khen thưởng, dòng 2–2".to_string(),
            good.clone(),
            decision("1/QĐ-CAT", "2026-05-01"),
        ),
        (
            "Sổ khen thưởng, dòng 3–3".to_string(),
            bad,
            decision("2/QĐ-CAT", "2026-05-01"),
        ),
    ];
    match awards::record_many(db, None, &items, false).await {
        Err(StorageError::Rejected(errors)) => {
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert!(
                errors[0].starts_with(
                    "Sổ khen thưởng, dòng 3–3: Công an tỉnh không được tặng Bằng khen"
                ),
                "{errors:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        awards::list(db, None, &Filter::default())
            .await
            .unwrap()
            .len(),
        before
    );
    // A dry run writes nothing; a real run writes.
    let items = vec![("x".to_string(), good, decision("1/QĐ-CAT", "2026-05-01"))];
    assert_eq!(
        awards::record_many(db, None, &items, true).await.unwrap(),
        1
    );
    assert_eq!(
        awards::list(db, None, &Filter::default())
            .await
            .unwrap()
            .len(),
        before
    );
    assert_eq!(
        awards::record_many(db, None, &items, false).await.unwrap(),
        1
    );
    assert_eq!(
        awards::list(db, None, &Filter::default())
            .await
            .unwrap()
            .len(),
        before + 1
    );
}

async fn story(db: Db) {
    catalogue_follows_the_law(&db).await;
    wrong_forms_levels_and_places_are_refused(&db).await;
    a_proposal_is_decided_in_part(&db).await;
    the_article_counts_through_lineage(&db).await;
    an_import_is_all_or_nothing(&db).await;
}

#[tokio::test]
async fn awards_on_sqlite() {
    let t = TestDb::sqlite();
    story(t.ready().await).await;
}

#[tokio::test]
async fn awards_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!(
            "skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL award story did not run"
        );
        return;
    };
    let t = TestDb::postgres(&server).await;
    story(t.ready().await).await;
}
