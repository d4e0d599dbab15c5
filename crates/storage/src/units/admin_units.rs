//! Loading the official administrative units (built into the binary) into an
//! empty database, and importing older unit versions and their lineage.

use std::collections::HashMap;

use antq_core::dates::{self};
use antq_core::units::{self, Level, OrgKind, Share, UnitKind};
use serde::Deserialize;
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::batch::{insert_rows, Val};
use crate::db::Db;
use crate::error::StorageResult;
use crate::units::{insert_units, rebuild_scope, rebuild_tree, sync_sequence, NewUnit};

pub use super::history::{import_history, ImportReport};

const PROVINCES_2025: &str = include_str!("../../../../data/admin-units/provinces_2025.csv");
const COMMUNES_2025: &str = include_str!("../../../../data/admin-units/communes_2025.csv");
const PROVINCES_LEGACY: &str = include_str!("../../../../data/admin-units/provinces_legacy.csv");
const DISTRICTS_LEGACY: &str = include_str!("../../../../data/admin-units/districts_legacy.csv");
const COMMUNES_LEGACY: &str = include_str!("../../../../data/admin-units/communes_legacy.csv");
const LINEAGE_PROVINCES: &str = include_str!("../../../../data/admin-units/lineage_provinces.csv");
const LINEAGE_COMMUNES: &str = include_str!("../../../../data/admin-units/lineage_communes.csv");
const LINEAGE_DISTRICTS: &str = include_str!("../../../../data/admin-units/lineage_districts.csv");

#[derive(Deserialize)]
struct Row {
    code: String,
    name: String,
    short_name: String,
    kind: String,
    #[serde(default)]
    province_code: Option<String>,
    #[serde(default)]
    district_code: Option<String>,
}

/// The rows of a built-in file, names with the kind word spelled as
/// published ("Thị Xã Mường Lay" in the file → "Thị xã Mường Lay").
fn rows(csv_text: &str) -> Vec<Row> {
    let mut rows = file_rows(csv_text);
    for r in &mut rows {
        r.name = units::published_name(&r.name);
    }
    rows
}

/// The rows of a built-in file as the file has them.
fn file_rows(csv_text: &str) -> Vec<Row> {
    csv::Reader::from_reader(csv_text.as_bytes())
        .deserialize()
        .collect::<Result<_, _>>()
        .expect("the built-in unit files are well-formed (checked by tests)")
}

fn pairs(csv_text: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(csv_text.as_bytes())
        .records()
        .map(|r| r.expect("well-formed").iter().map(str::to_string).collect())
        .collect()
}

/// The official commune lineage, old commune code → 2025 commune code.
pub struct CommuneLineage {
    /// The links to load, with their shares recomputed after `dropped`.
    pub links: Vec<(String, String, Share)>,
    /// The published links that were left out: (old code, 2025 code).
    pub dropped: Vec<(String, String)>,
}

/// The published commune lineage without the links it got by name alone.
///
/// `lineage_communes.csv` names both sides by code, but the package built it
/// by matching the *names* of the old communes listed for each new one within
/// the new province, not within the old district. Where two old districts
/// of the same new province had a commune of the same name (Phường 3,
/// Phường 4, Xã Hòa Bình, …), the new commune got every namesake as a
/// predecessor: today's Phường Cao Lãnh (29869) is linked to Phường 4 of
/// Mỹ Tho, Cai Lậy and Sa Đéc as well as to Phường 4 of Cao Lãnh city, and
/// the namesakes' links were marked `part` because each now had several
/// successors. The file carries no district, so the choice is made here:
/// among predecessors of one new commune that share a name but lie in
/// different old districts, only those in a district that also gives the
/// new commune a predecessor of unambiguous name are kept; when none is,
/// those in an old province that does; when neither decides, all are kept.
/// An old commune left with one successor then passes `whole`; one left
/// with several but without its primary gets the first as primary.
pub fn official_commune_lineage() -> CommuneLineage {
    struct Old {
        name: String,
        district: String,
        province: String,
    }
    let old: HashMap<String, Old> = rows(COMMUNES_LEGACY)
        .into_iter()
        .map(|r| {
            (
                r.code,
                Old {
                    name: r.name,
                    district: r.district_code.unwrap_or_default(),
                    province: r.province_code.unwrap_or_default(),
                },
            )
        })
        .collect();
    let published: Vec<(String, String, Share)> = pairs(LINEAGE_COMMUNES)
        .into_iter()
        .map(|p| {
            let share = p[2].parse().expect("built-in shares are known");
            (p[0].clone(), p[1].clone(), share)
        })
        .collect();
    let mut by_successor: HashMap<&str, Vec<&str>> = HashMap::new();
    for (from, to, _) in &published {
        by_successor.entry(to).or_default().push(from);
    }
    let mut dropped = std::collections::HashSet::new();
    for (to, preds) in &by_successor {
        let mut by_name: HashMap<&str, Vec<&Old>> = HashMap::new();
        let mut codes_by_name: HashMap<&str, Vec<&str>> = HashMap::new();
        for p in preds {
            let o = &old[*p];
            by_name.entry(&o.name).or_default().push(o);
            codes_by_name.entry(&o.name).or_default().push(p);
        }
        let anchors: Vec<&Old> = by_name
            .values()
            .filter(|v| v.len() == 1)
            .map(|v| v[0])
            .collect();
        for (name, group) in &by_name {
            let districts: std::collections::HashSet<&str> =
                group.iter().map(|o| o.district.as_str()).collect();
            if districts.len() < 2 {
                continue;
            }
            let in_district = |o: &Old| anchors.iter().any(|a| a.district == o.district);
            let in_province = |o: &Old| anchors.iter().any(|a| a.province == o.province);
            let keep: &dyn Fn(&Old) -> bool = if group.iter().any(|o| in_district(o)) {
                &in_district
            } else if group.iter().any(|o| in_province(o)) {
                &in_province
            } else {
                continue;
            };
            for (o, code) in group.iter().zip(&codes_by_name[name]) {
                if !keep(o) {
                    dropped.insert((code.to_string(), to.to_string()));
                }
            }
        }
    }
    let kept: Vec<(String, String, Share)> = published
        .into_iter()
        .filter(|(from, to, _)| !dropped.contains(&(from.clone(), to.clone())))
        .collect();
    let mut successors: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (from, _, _)) in kept.iter().enumerate() {
        successors.entry(from).or_default().push(i);
    }
    let mut shares: Vec<Share> = kept.iter().map(|l| l.2).collect();
    for list in successors.values() {
        if list.len() == 1 {
            shares[list[0]] = Share::Whole;
        } else if !list.iter().any(|i| shares[*i] == Share::PartPrimary) {
            shares[list[0]] = Share::PartPrimary;
        }
    }
    let links = kept
        .iter()
        .zip(shares)
        .map(|((from, to, _), share)| (from.clone(), to.clone(), share))
        .collect();
    let mut dropped: Vec<(String, String)> = dropped.into_iter().collect();
    dropped.sort();
    CommuneLineage { links, dropped }
}

/// Counts of what was loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loaded {
    pub units: usize,
    pub links: usize,
}

/// Load the official units if the database has none. Idempotent.
pub async fn load_official_if_empty(db: &Db) -> StorageResult<Option<Loaded>> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM units")
        .fetch_one(db.pool())
        .await?;
    if n > 0 {
        repair_official_lineage(db).await?;
        respell_official_names(db).await?;
        return Ok(None);
    }
    load_official(db).await.map(Some)
}

/// A database loaded before names were respelled (see [`rows`]) still says
/// "Thị Xã Mường Lay": give those official units the published spelling
/// where the name is still the file's (a name an administrator changed
/// stays), each audited as a unit change. Idempotent; returns how many
/// names changed.
pub async fn respell_official_names(db: &Db) -> StorageResult<usize> {
    let mut found: Vec<(i64, String, String)> = Vec::new();
    for text in [
        PROVINCES_2025,
        COMMUNES_2025,
        PROVINCES_LEGACY,
        DISTRICTS_LEGACY,
        COMMUNES_LEGACY,
    ] {
        for r in file_rows(text) {
            let published = units::published_name(&r.name);
            if published == r.name {
                continue;
            }
            let ids: Vec<i64> =
                sqlx::query_scalar("SELECT id FROM units WHERE code = $1 AND name = $2")
                    .bind(&r.code)
                    .bind(&r.name)
                    .fetch_all(db.pool())
                    .await?;
            found.extend(
                ids.into_iter()
                    .map(|id| (id, r.name.clone(), published.clone())),
            );
        }
    }
    if found.is_empty() {
        return Ok(0);
    }
    let mut tx = db.begin_write().await?;
    for (id, before, after) in &found {
        sqlx::query("UPDATE units SET name = $1 WHERE id = $2")
            .bind(after)
            .bind(id)
            .execute(tx.conn())
            .await?;
        audit::append(
            &mut tx,
            Change {
                who: &Who::system(),
                action: "unit.update",
                entity: "unit",
                entity_id: id.to_string(),
                unit_id: Some(*id),
                before: Some(json!({ "name": before })),
                after: Some(json!({ "name": after })),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(found.len())
}

const REPAIR_ACTION: &str = "units.repair_official_lineage";

/// In a database loaded before the namesake links were left out (see
/// [`official_commune_lineage`]), delete those links and set the shares the
/// loader now gives; once, audited, so that a link an administrator adds
/// back later stays. A database loaded with the fix needs none. Returns how many links were deleted.
pub async fn repair_official_lineage(db: &Db) -> StorageResult<usize> {
    let (loaded, repaired): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM audit_log WHERE action = 'units.load_official' \
                   AND after_json NOT LIKE '%namesake_links_left_out%'), \
                (SELECT COUNT(*) FROM audit_log WHERE action = $1)",
    )
    .bind(REPAIR_ACTION)
    .fetch_one(db.pool())
    .await?;
    if loaded == 0 || repaired > 0 {
        return Ok(0);
    }
    remove_namesake_links(db).await
}

/// Delete the official namesake links (see [`official_commune_lineage`]) that
/// are in the database and set the shares the loader gives, audited, and
/// recompute scope, data map and rollups. Returns how many links were deleted.
pub async fn remove_namesake_links(db: &Db) -> StorageResult<usize> {
    let lineage = official_commune_lineage();
    let legacy_to = dates::iso(units::legacy_end());
    let current_from = dates::iso(units::current_start());
    let link_of = "SELECT l.id, l.share FROM unit_links l \
         JOIN units p ON p.id = l.predecessor_id \
         JOIN units s ON s.id = l.successor_id \
         WHERE p.code = $1 AND p.level = 'commune' AND p.valid_to = $2 \
           AND s.code = $3 AND s.level = 'commune' AND s.valid_from = $4";
    let mut tx = db.begin_write().await?;
    let mut deleted = Vec::new();
    for (from, to) in &lineage.dropped {
        let found: Option<(i64, String)> = sqlx::query_as(link_of)
            .bind(from)
            .bind(&legacy_to)
            .bind(to)
            .bind(&current_from)
            .fetch_optional(tx.conn())
            .await?;
        if let Some((id, _)) = found {
            sqlx::query("DELETE FROM unit_links WHERE id = $1")
                .bind(id)
                .execute(tx.conn())
                .await?;
            deleted.push(json!({"predecessor": from, "successor": to}));
        }
    }
    let touched: std::collections::HashSet<&str> = lineage
        .dropped
        .iter()
        .map(|(from, _)| from.as_str())
        .collect();
    let mut reshared = Vec::new();
    for (from, to, share) in lineage
        .links
        .iter()
        .filter(|(from, _, _)| touched.contains(from.as_str()))
    {
        let found: Option<(i64, String)> = sqlx::query_as(link_of)
            .bind(from)
            .bind(&legacy_to)
            .bind(to)
            .bind(&current_from)
            .fetch_optional(tx.conn())
            .await?;
        if let Some((id, old)) = found {
            if old != share.as_str() {
                sqlx::query("UPDATE unit_links SET share = $1 WHERE id = $2")
                    .bind(share.as_str())
                    .bind(id)
                    .execute(tx.conn())
                    .await?;
                reshared.push(json!({
                    "predecessor": from, "successor": to, "before": old, "after": share.as_str(),
                }));
            }
        }
    }
    let n = deleted.len();
    if n > 0 || !reshared.is_empty() {
        rebuild_scope(&mut tx).await?;
        crate::units::rebuild_data_map(&mut tx).await?;
        crate::statistics::rollups::rebuild(&mut tx).await?;
    }
    audit::append(
        &mut tx,
        Change {
            who: &Who::system(),
            action: REPAIR_ACTION,
            entity: "units",
            entity_id: "official-2025".into(),
            unit_id: None,
            before: None,
            after: Some(json!({
                "reason": "liên kết kế thừa nối nhầm với đơn vị cùng tên ở huyện khác",
                "deleted": deleted,
                "shares": reshared,
            })),
        },
    )
    .await?;
    tx.commit().await?;
    if n > 0 {
        tracing::warn!(
            links = n,
            "official lineage repaired: namesake links deleted"
        );
    }
    Ok(n)
}

async fn load_official(db: &Db) -> StorageResult<Loaded> {
    let legacy_to = Some(units::legacy_end());
    let current_from = Some(units::current_start());
    let mut all = Vec::new();
    let mut next = 1i64;
    let mut new_id = || {
        let id = next;
        next += 1;
        id
    };
    let kind = |k: &str| -> UnitKind { k.parse().expect("built-in kinds are known") };

    let nation = new_id();
    all.push(NewUnit {
        id: nation,
        code: units::NATION_CODE.into(),
        level: Level::Nation,
        kind: UnitKind::QuocGia,
        name: "Việt Nam".into(),
        short_name: "Việt Nam".into(),
        parent_id: None,
        valid_from: None,
        valid_to: None,
    });
    let mut add = |all: &mut Vec<NewUnit>, r: &Row, level, parent, from, to| -> i64 {
        let id = new_id();
        all.push(NewUnit {
            id,
            code: r.code.clone(),
            level,
            kind: kind(&r.kind),
            name: r.name.clone(),
            short_name: r.short_name.clone(),
            parent_id: Some(parent),
            valid_from: from,
            valid_to: to,
        });
        id
    };
    let mut old_prov = HashMap::new();
    for r in rows(PROVINCES_LEGACY) {
        old_prov.insert(
            r.code.clone(),
            add(&mut all, &r, Level::Province, nation, None, legacy_to),
        );
    }
    let mut old_dist = HashMap::new();
    for r in rows(DISTRICTS_LEGACY) {
        let parent = old_prov[r.province_code.as_deref().unwrap_or_default()];
        old_dist.insert(
            r.code.clone(),
            add(&mut all, &r, Level::District, parent, None, legacy_to),
        );
    }
    let mut old_comm = HashMap::new();
    for r in rows(COMMUNES_LEGACY) {
        let parent = old_dist[r.district_code.as_deref().unwrap_or_default()];
        old_comm.insert(
            r.code.clone(),
            add(&mut all, &r, Level::Commune, parent, None, legacy_to),
        );
    }
    let mut new_prov = HashMap::new();
    for r in rows(PROVINCES_2025) {
        new_prov.insert(
            r.code.clone(),
            add(&mut all, &r, Level::Province, nation, current_from, None),
        );
    }
    let mut new_comm = HashMap::new();
    for r in rows(COMMUNES_2025) {
        let parent = new_prov[r.province_code.as_deref().unwrap_or_default()];
        new_comm.insert(
            r.code.clone(),
            add(&mut all, &r, Level::Commune, parent, current_from, None),
        );
    }

    let mut links: Vec<(i64, i64, Share)> = Vec::new();
    for p in pairs(LINEAGE_PROVINCES) {
        links.push((old_prov[&p[0]], new_prov[&p[1]], Share::Whole));
    }
    let commune_lineage = official_commune_lineage();
    let left_out = commune_lineage.dropped.len();
    for (from, to, share) in commune_lineage.links {
        links.push((old_comm[&from], new_comm[&to], share));
    }
    for p in pairs(LINEAGE_DISTRICTS) {
        links.push((old_dist[&p[0]], new_comm[&p[1]], Share::Whole));
    }

    // The police and the Front committee of every current province and commune.
    let now = dates::timestamp(dates::now_utc());
    let mut orgs = Vec::new();
    for u in all.iter().filter(|u| u.valid_from.is_some()) {
        for k in [OrgKind::Police, OrgKind::FrontCommittee] {
            let name = k
                .standing_name(&u.name)
                .expect("standing organisations have names");
            orgs.push(vec![
                Val::Int(u.id),
                Val::Text(k.as_str().into()),
                Val::Text(antq_core::text::fold(&name)),
                Val::Bytes(antq_core::text::sort_key(&name)),
                Val::Text(name),
                Val::Text(now.clone()),
            ]);
        }
    }

    let loaded = Loaded {
        units: all.len(),
        links: links.len(),
    };
    let mut tx = db.begin_write().await?;
    insert_units(&mut tx, all).await?;
    let link_rows = links
        .into_iter()
        .map(|(p, s, share)| vec![Val::Int(p), Val::Int(s), Val::Text(share.as_str().into())])
        .collect();
    insert_rows(
        &mut tx,
        "unit_links",
        &["predecessor_id", "successor_id", "share"],
        link_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "organisations",
        &[
            "unit_id",
            "kind",
            "search_key",
            "sort_key",
            "name",
            "created_at",
        ],
        orgs,
    )
    .await?;
    sync_sequence(&mut tx, db.backend(), "units").await?;
    rebuild_tree(&mut tx).await?;
    rebuild_scope(&mut tx).await?;
    crate::units::rebuild_data_map(&mut tx).await?;
    audit::append(
        &mut tx,
        Change {
            who: &Who::system(),
            action: "units.load_official",
            entity: "units",
            entity_id: "official-2025".into(),
            unit_id: None,
            before: None,
            after: Some(json!({
                "source": "vietnamadminunits 1.0.4 (MIT), data/admin-units",
                "units": loaded.units,
                "links": loaded.links,
                "namesake_links_left_out": left_out,
            })),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(
        units = loaded.units,
        links = loaded.links,
        "official administrative units loaded"
    );
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::super::history::strip_kind;
    use super::*;

    #[test]
    fn built_in_files_parse_and_have_the_published_counts() {
        assert_eq!(rows(PROVINCES_2025).len(), 34);
        assert_eq!(rows(COMMUNES_2025).len(), 3321);
        assert_eq!(rows(PROVINCES_LEGACY).len(), 63);
        assert_eq!(rows(DISTRICTS_LEGACY).len(), 696);
        assert_eq!(rows(COMMUNES_LEGACY).len(), 10035);
        assert_eq!(pairs(LINEAGE_COMMUNES).len(), 10597);
        for r in rows(COMMUNES_2025)
            .iter()
            .chain(rows(COMMUNES_LEGACY).iter())
        {
            let k: UnitKind = r.kind.parse().unwrap();
            assert!(k.fits(Level::Commune), "{} {}", r.code, r.kind);
        }
    }

    #[test]
    fn names_spell_the_kind_word_as_published() {
        assert!(DISTRICTS_LEGACY.contains("095,Thị Xã Mường Lay,"));
        let districts = rows(DISTRICTS_LEGACY);
        let lay = districts.iter().find(|r| r.code == "095").unwrap();
        assert_eq!(lay.name, "Thị xã Mường Lay");
        for r in rows(PROVINCES_2025)
            .iter()
            .chain(&rows(PROVINCES_LEGACY))
            .chain(&districts)
            .chain(&rows(COMMUNES_LEGACY))
            .chain(&rows(COMMUNES_2025))
        {
            let k: UnitKind = r.kind.parse().unwrap();
            assert!(
                !r.name
                    .to_lowercase()
                    .starts_with(&k.as_str().to_lowercase())
                    || r.name.starts_with(k.as_str()),
                "{} {}",
                r.code,
                r.name
            );
        }
    }

    #[test]
    fn strips_the_kind_from_a_name() {
        assert_eq!(strip_kind("Xã Mường Phăng", UnitKind::Xa), "Mường Phăng");
        assert_eq!(
            strip_kind("Thị trấn Tuần Giáo", UnitKind::ThiTran),
            "Tuần Giáo"
        );
        assert_eq!(strip_kind("Bản Phăng", UnitKind::Xa), "Bản Phăng");
    }
}
