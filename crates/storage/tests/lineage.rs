//! The official lineage links only the right old units, on SQLite always and
//! on PostgreSQL when `ANTQ_TEST_DATABASE_URL` names a server.
//!
//! The published `lineage_communes.csv` was built by matching old commune
//! names within the new province, so namesakes of other old districts were
//! linked too (today's Phường Cao Lãnh had Phường 4 of Mỹ Tho among its
//! predecessors, and its police could read Mỹ Tho's data). The loader drops
//! those links; these tests hold it to that.

use std::collections::{BTreeSet, HashMap, HashSet};

use antq_core::auth::{Action, Role};
use antq_core::dates::parse_date;
use antq_core::units::{Share, UnitCode};
use antq_storage::accounts::access::{self, Actor, Grant};
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::units::admin_units::{
    load_official_if_empty, official_commune_lineage, remove_namesake_links,
    repair_official_lineage, respell_official_names,
};
use antq_storage::units::{self, Unit};
use antq_storage::Db;

/// The published links that named a namesake in another old district, as
/// counted from the data: 31 of 10.597, 6 of them into Phường Cao Lãnh.
#[test]
fn namesake_links_of_the_published_data_are_left_out() {
    let lineage = official_commune_lineage();
    assert_eq!(lineage.dropped.len(), 31, "{:?}", lineage.dropped);
    assert_eq!(lineage.links.len() + lineage.dropped.len(), 10_597);
    let into_cao_lanh: BTreeSet<&str> = lineage
        .dropped
        .iter()
        .filter(|(_, to)| to == "29869")
        .map(|(from, _)| from.as_str())
        .collect();
    assert_eq!(
        into_cao_lanh,
        BTreeSet::from(["28252", "28270", "28437", "28439", "29902", "29908"])
    );
    // Every old commune keeps a successor, and exactly one that takes its data.
    let mut by_old: HashMap<&str, Vec<Share>> = HashMap::new();
    for (from, _, share) in &lineage.links {
        by_old.entry(from).or_default().push(*share);
    }
    assert_eq!(by_old.len(), 10_035);
    for (code, shares) in by_old {
        let lead = shares
            .iter()
            .filter(|s| matches!(s, Share::Whole | Share::PartPrimary))
            .count();
        assert_eq!(lead, 1, "{code}: {shares:?}");
        if shares.len() == 1 {
            assert_eq!(shares, [Share::Whole], "{code}");
        }
    }
}

fn data_file(name: &str) -> String {
    let path = format!(
        "{}/../../data/admin-units/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).expect("the data file")
}

/// Old province code → new province code, from the official mapping.
fn province_mapping() -> HashMap<String, String> {
    data_file("lineage_provinces.csv")
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (a, b) = l.trim().split_once(',').expect("two columns");
            (a.to_string(), b.to_string())
        })
        .collect()
}

async fn unit(db: &Db, code: &str, at: &str) -> Unit {
    units::get_at(db, &UnitCode::parse(code).unwrap(), parse_date(at).unwrap())
        .await
        .unwrap()
}

/// Every link: predecessor and successor lie in the same province as mapped,
/// and no new unit has two predecessors of one name in different districts.
async fn links_stay_in_their_province(db: &Db) {
    let mapping = province_mapping();
    // For each link, each side's code, level, name, parent and province code
    // (the province itself for a province).
    type Row = (String, String, String, Option<i64>, String);
    let sides: Vec<(i64, Row, Row)> = {
        let q = "SELECT l.id, \
                   p.code, p.level, p.name, p.parent_id, pp.code, \
                   s.code, s.level, s.name, s.parent_id, sp.code \
                 FROM unit_links l \
                 JOIN units p ON p.id = l.predecessor_id \
                 JOIN unit_tree pt ON pt.descendant_id = p.id \
                 JOIN units pp ON pp.id = pt.ancestor_id AND pp.level = 'province' \
                 JOIN units s ON s.id = l.successor_id \
                 JOIN unit_tree st ON st.descendant_id = s.id \
                 JOIN units sp ON sp.id = st.ancestor_id AND sp.level = 'province'";
        #[allow(clippy::type_complexity)]
        let rows: Vec<(
            i64,
            String,
            String,
            String,
            Option<i64>,
            String,
            String,
            String,
            String,
            Option<i64>,
            String,
        )> = sqlx::query_as(q).fetch_all(db.pool()).await.unwrap();
        rows.into_iter()
            .map(|r| (r.0, (r.1, r.2, r.3, r.4, r.5), (r.6, r.7, r.8, r.9, r.10)))
            .collect()
    };
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM unit_links")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(sides.len() as i64, total, "every link has both provinces");
    let mut names: HashMap<String, HashMap<String, HashSet<Option<i64>>>> = HashMap::new();
    for (id, p, s) in &sides {
        assert_eq!(
            mapping.get(&p.4),
            Some(&s.4),
            "link {id}: {} {} (old province {}) → {} {} (province {})",
            p.0,
            p.2,
            p.4,
            s.0,
            s.2,
            s.4
        );
        if p.1 == "commune" {
            names
                .entry(s.0.clone())
                .or_default()
                .entry(p.2.clone())
                .or_default()
                .insert(p.3);
        }
    }
    for (succ, by_name) in names {
        for (name, parents) in by_name {
            assert_eq!(
                parents.len(),
                1,
                "{succ} has predecessors named {name} in {} districts",
                parents.len()
            );
        }
    }
    assert_eq!(total, 10_597 - 31 + 63 + 5);
}

/// Today's Phường Cao Lãnh comes from the nine wards and communes of old
/// Cao Lãnh city, all whole, and nothing else.
async fn cao_lanh_comes_from_cao_lanh_city(db: &Db) {
    let ward = unit(db, "29869", "2026-01-01").await;
    assert_eq!(ward.name, "Phường Cao Lãnh");
    let city = unit(db, "866", "2020-01-01").await;
    assert_eq!(city.name, "Thành phố Cao Lãnh");
    let preds = units::predecessors(db, ward.id).await.unwrap();
    let got: BTreeSet<(String, String, &str)> = preds
        .iter()
        .map(|l| (l.code.clone(), l.name.clone(), l.share.as_str()))
        .collect();
    let want: BTreeSet<(String, String, &str)> = [
        ("29869", "Phường 1"),
        ("29872", "Phường 4"),
        ("29875", "Phường 3"),
        ("29878", "Phường 6"),
        ("29890", "Xã Tân Thuận Tây"),
        ("29892", "Phường Hòa Thuận"),
        ("29893", "Xã Hòa An"),
        ("29896", "Xã Tân Thuận Đông"),
        ("29899", "Xã Tịnh Thới"),
    ]
    .into_iter()
    .map(|(c, n)| (c.to_string(), n.to_string(), "whole"))
    .collect();
    assert_eq!(got, want);
    for l in &preds {
        let old = unit(db, &l.code, "2020-01-01").await;
        assert_eq!(old.parent_id, Some(city.id), "{} {}", l.code, l.name);
    }
    // The namesakes elsewhere now go only to their own new wards.
    for (code, to) in [
        ("28252", "28249"),
        ("28270", "28270"),
        ("28437", "28435"),
        ("28439", "28439"),
        ("29902", "29905"),
        ("29908", "29905"),
    ] {
        let old = unit(db, code, "2020-01-01").await;
        let succ = units::successors(db, old.id).await.unwrap();
        let got: Vec<(String, Share)> = succ.iter().map(|l| (l.code.clone(), l.share)).collect();
        assert_eq!(got, [(to.to_string(), Share::Whole)], "{code} {}", old.name);
    }
}

fn actor_on(u: &Unit, role: Role) -> Actor {
    Actor {
        user_id: 1,
        username: "ca.caolanh".into(),
        display_name: "Công an phường Cao Lãnh".into(),
        grants: vec![Grant {
            id: 1,
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

/// The police of Phường Cao Lãnh (the demo account `ca.caolanh`) reach old
/// Cao Lãnh city's wards, and not Mỹ Tho's, Cai Lậy's or Sa Đéc's.
async fn cao_lanh_police_scope(db: &Db) {
    let ward = unit(db, "29869", "2026-01-01").await;
    let police = actor_on(&ward, Role::Police);
    for code in ["28252", "28270", "28437", "28439", "29902", "29908"] {
        let old = unit(db, code, "2020-01-01").await;
        for action in [Action::Read, Action::EnterData(Role::Police)] {
            assert!(
                !access::can(db, &police, action, old.id).await.unwrap(),
                "{code} {} must be out of Phường Cao Lãnh's scope for {action:?}",
                old.name
            );
        }
    }
    for code in ["29869", "29872", "29899"] {
        let old = unit(db, code, "2020-01-01").await;
        assert!(
            access::can(db, &police, Action::Read, old.id)
                .await
                .unwrap(),
            "{code} {} is in Phường Cao Lãnh's scope",
            old.name
        );
    }
    // The province still covers Mỹ Tho's old wards.
    let province = unit(db, "82", "2026-01-01").await;
    let old = unit(db, "28252", "2020-01-01").await;
    assert!(
        access::can(db, &actor_on(&province, Role::Police), Action::Read, old.id)
            .await
            .unwrap()
    );
}

/// A database loaded before the fix: the published links are put back as
/// they were loaded then, the police of Phường Cao Lãnh reach Mỹ Tho's
/// Phường 4, and the repair takes the 31 links out again.
async fn repair_of_a_database_loaded_before(db: &Db) {
    let published: Vec<(String, String, String)> = data_file("lineage_communes.csv")
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.trim().split(',').collect();
            (c[0].to_string(), c[1].to_string(), c[2].to_string())
        })
        .collect();
    let lineage = official_commune_lineage();
    let dropped: HashSet<(String, String)> = lineage.dropped.iter().cloned().collect();
    let touched: HashSet<&str> = lineage.dropped.iter().map(|(f, _)| f.as_str()).collect();
    let mut tx = db.begin_write().await.unwrap();
    for (from, to, share) in published
        .iter()
        .filter(|(f, _, _)| touched.contains(f.as_str()))
    {
        let p: i64 = sqlx::query_scalar("SELECT id FROM units WHERE code = $1 AND valid_to = '2025-06-30' AND level = 'commune'")
            .bind(from)
            .fetch_one(tx.conn())
            .await
            .unwrap();
        let s: i64 = sqlx::query_scalar("SELECT id FROM units WHERE code = $1 AND valid_from = '2025-07-01' AND level = 'commune'")
            .bind(to)
            .fetch_one(tx.conn())
            .await
            .unwrap();
        if dropped.contains(&(from.clone(), to.clone())) {
            sqlx::query(
                "INSERT INTO unit_links (predecessor_id, successor_id, share) VALUES ($1, $2, $3)",
            )
            .bind(p)
            .bind(s)
            .bind(share)
            .execute(tx.conn())
            .await
            .unwrap();
        } else {
            sqlx::query(
                "UPDATE unit_links SET share = $1 WHERE predecessor_id = $2 AND successor_id = $3",
            )
            .bind(share)
            .bind(p)
            .bind(s)
            .execute(tx.conn())
            .await
            .unwrap();
        }
    }
    units::rebuild_scope(&mut tx).await.unwrap();
    units::rebuild_data_map(&mut tx).await.unwrap();
    tx.commit().await.unwrap();

    let ward = unit(db, "29869", "2026-01-01").await;
    let mytho4 = unit(db, "28252", "2020-01-01").await;
    let police = actor_on(&ward, Role::Police);
    assert!(
        access::can(db, &police, Action::Read, mytho4.id)
            .await
            .unwrap(),
        "the old links reproduce the leak"
    );
    assert_eq!(remove_namesake_links(db).await.unwrap(), 31);
    assert_eq!(remove_namesake_links(db).await.unwrap(), 0, "idempotent");
    links_stay_in_their_province(db).await;
    cao_lanh_comes_from_cao_lanh_city(db).await;
    cao_lanh_police_scope(db).await;
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'units.repair_official_lineage'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert!(audited >= 1);
    // A database loaded with the fix is not repaired again at start.
    assert_eq!(repair_official_lineage(db).await.unwrap(), 0);
}

/// The file says "Thị Xã Mường Lay"; antq says "Thị xã Mường Lay", in a
/// new database and, after the next start, in one loaded before.
async fn names_spell_the_kind_word_as_published(db: &Db) {
    assert!(data_file("districts_legacy.csv").contains("095,Thị Xã Mường Lay,"));
    let name = |code: &'static str, at: &'static str| async move { unit(db, code, at).await.name };
    assert_eq!(name("095", "2020-01-01").await, "Thị xã Mường Lay");
    assert_eq!(name("450", "2020-01-01").await, "Thành phố Đồng Hới");
    assert_eq!(name("19624", "2020-01-01").await, "Thị trấn Ái Tử");
    assert_eq!(
        respell_official_names(db).await.unwrap(),
        0,
        "nothing to do"
    );
    // A database loaded before: the file's spelling, and one name an
    // administrator chose, which stays.
    for (code, name) in [
        ("095", "Thị Xã Mường Lay"),
        ("058", "Thành Phố Bắc Kạn (cũ)"),
    ] {
        sqlx::query("UPDATE units SET name = $1 WHERE code = $2")
            .bind(name)
            .bind(code)
            .execute(db.pool())
            .await
            .unwrap();
    }
    assert_eq!(load_official_if_empty(db).await.unwrap(), None, "a start");
    assert_eq!(name("095", "2020-01-01").await, "Thị xã Mường Lay");
    assert_eq!(name("058", "2020-01-01").await, "Thành Phố Bắc Kạn (cũ)");
    assert_eq!(respell_official_names(db).await.unwrap(), 0, "idempotent");
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'unit.update' AND after_json LIKE '%Thị xã Mường Lay%'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(audited, 1);
}

async fn all(db: Db) {
    links_stay_in_their_province(&db).await;
    cao_lanh_comes_from_cao_lanh_city(&db).await;
    cao_lanh_police_scope(&db).await;
    repair_of_a_database_loaded_before(&db).await;
    names_spell_the_kind_word_as_published(&db).await;
}

#[tokio::test]
async fn lineage_on_sqlite() {
    let t = TestDb::sqlite();
    all(t.ready().await).await;
}

#[tokio::test]
async fn lineage_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL lineage tests did not run");
        return;
    };
    let t = TestDb::postgres(&server).await;
    all(t.ready().await).await;
}
