//! The demo's classifications: the year 2024 for Điện Biên ("11") and old
//! Đồng Tháp ("87"), as they were on 30/06/2024: a dozen communes each,
//! with two residential areas and two organisations, all decided, every
//! band present in each province. The other communes show as late.

use antq_core::dates;
use antq_core::registries::classifications::{State, SubjectKind, Thresholds};
use antq_core::units::{AreaKind, Name, OrgKind, UnitCode};

use super::{
    decide_tx, insert_tx, review_tx, template_for, thresholds, write_scores_tx, Classification,
    Line, ReviewIn, ScoreIn, Sheet, Template, UnitRef,
};
use crate::audit::Who;
use crate::db::{Db, WriteTx};
use crate::error::StorageResult;
use crate::units;

const YEAR: i32 = 2024;
const AT: &str = "2024-06-30";

/// Percent of each item's maximum the subjects score themselves; the
/// reviewed totals land in every band under the default thresholds.
const COMMUNE_SHARES: [i64; 12] = [97, 93, 86, 81, 75, 72, 66, 61, 55, 52, 44, 91];
/// (area or organisation, share)
const OTHER_SHARES: [i64; 4] = [92, 73, 58, 40];

/// Write the demo's classifications (nothing if they are there). Returns
/// how many were written.
pub async fn demo(db: &Db) -> StorageResult<usize> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM classifications WHERE created_by = 'demo'")
            .fetch_one(db.pool())
            .await?;
    if n > 0 {
        return Ok(0);
    }
    let who = Who {
        id: None,
        name: "demo".into(),
    };
    let at = dates::parse_date(AT)?;
    let t = thresholds(db).await?;
    let mut tpl = Vec::new();
    for k in SubjectKind::ALL {
        tpl.push((k, template_for(db, k, YEAR).await?));
    }
    let tpl_of = |k: SubjectKind| {
        tpl.iter()
            .find(|(x, _)| *x == k)
            .map(|(_, t)| t.clone())
            .expect("a template per kind")
    };
    let mut written = 0;
    for (code, area_kind, areas, orgs) in [
        (
            "11",
            AreaKind::Ban,
            ["Bản Na Pen", "Bản Co Muông"],
            [
                "Công ty cổ phần Cấp nước Điện Biên",
                "Trường Trung học phổ thông Mường Ảng",
            ],
        ),
        (
            "87",
            AreaKind::Ap,
            ["Ấp Tân Thuận", "Ấp Bình Hòa"],
            [
                "Công ty cổ phần Lương thực Đồng Tháp",
                "Trường Trung học phổ thông Cao Lãnh",
            ],
        ),
    ] {
        let province = units::get_at(db, &UnitCode::parse(code)?, at).await?;
        let communes: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT u.id, u.code, u.name FROM units u WHERE u.level = 'commune' \
             AND u.id IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = $1) \
             AND (u.valid_from IS NULL OR u.valid_from <= $2) AND (u.valid_to IS NULL OR u.valid_to >= $2) \
             ORDER BY u.code LIMIT 12",
        )
        .bind(province.id)
        .bind(AT)
        .fetch_all(db.pool())
        .await?;
        let Some(first) = communes.first().cloned() else {
            continue;
        };
        // The areas and organisations of the first commune.
        let commune = units::by_id(db, first.0).await?;
        let mut others: Vec<(SubjectKind, i64, String)> = Vec::new();
        let existing = units::areas::list(db, commune.id).await?;
        for name in areas {
            let id = match existing.iter().find(|a| a.name == name) {
                Some(a) => a.id,
                None => {
                    units::areas::create(db, &who, &commune, area_kind, &Name::parse(name)?)
                        .await?
                        .id
                }
            };
            others.push((SubjectKind::KhuDanCu, id, name.to_string()));
        }
        let existing = units::orgs::list(db, commune.id).await?;
        for (i, name) in orgs.iter().enumerate() {
            let kind = if i == 0 {
                OrgKind::Enterprise
            } else {
                OrgKind::School
            };
            let id = match existing.iter().find(|o| o.name == *name) {
                Some(o) => o.id,
                None => {
                    units::orgs::create(db, &who, &commune, kind, &Name::parse(name)?)
                        .await?
                        .id
                }
            };
            others.push((SubjectKind::CoQuan, id, name.to_string()));
        }
        let mut tx = db.begin_write().await?;
        for (i, (id, ucode, name)) in communes.iter().enumerate() {
            let unit = UnitRef {
                id: *id,
                code: ucode.clone(),
                name: name.clone(),
            };
            let key = format!("xa:{id}");
            let s = (
                SubjectKind::Xa,
                *id,
                None,
                None,
                name.as_str(),
                key.as_str(),
            );
            one(
                &mut tx,
                &tpl_of(SubjectKind::Xa),
                &who,
                &t,
                s,
                unit,
                COMMUNE_SHARES[i % COMMUNE_SHARES.len()],
                i,
            )
            .await?;
            written += 1;
        }
        for (i, (kind, sid, name)) in others.iter().enumerate() {
            let unit = UnitRef {
                id: commune.id,
                code: commune.code.clone(),
                name: commune.name.clone(),
            };
            let (area, org, key) = match kind {
                SubjectKind::KhuDanCu => (Some(*sid), None, format!("khu_dan_cu:{sid}")),
                _ => (None, Some(*sid), format!("co_quan:{sid}")),
            };
            let s = (*kind, commune.id, area, org, name.as_str(), key.as_str());
            one(
                &mut tx,
                &tpl_of(*kind),
                &who,
                &t,
                s,
                unit,
                OTHER_SHARES[i],
                i,
            )
            .await?;
            written += 1;
        }
        tx.commit().await?;
    }
    Ok(written)
}

#[allow(clippy::too_many_arguments)]
async fn one(
    tx: &mut WriteTx,
    template: &Template,
    who: &Who,
    t: &Thresholds,
    s: super::SubjectRow<'_>,
    unit: UnitRef,
    share: i64,
    n: usize,
) -> StorageResult<()> {
    let template = template.clone();
    let id = insert_tx(tx, who, &template, YEAR, s).await?;
    let mut sh = Sheet {
        classification: Classification {
            id,
            template_id: template.id,
            year: YEAR,
            kind: s.0,
            unit,
            area_id: s.2,
            organisation_id: s.3,
            subject: s.4.to_string(),
            state: State::Draft,
            self_points: None,
            reviewed_points: None,
            band: None,
            submitted_at: None,
            decided_by: String::new(),
            decided_at: None,
            created_by: who.name.clone(),
        },
        template,
        lines: Vec::new(),
    };
    let scores: Vec<ScoreIn> = sh
        .template
        .leaves()
        .iter()
        .map(|i| ScoreIn {
            item_id: i.id,
            points: Some((i.max * share + 50) / 100),
            evidence: format!("Báo cáo kết quả thực hiện năm {YEAR} của đơn vị"),
        })
        .collect();
    write_scores_tx(tx, who, &sh, &scores).await?;
    sh.lines = scores
        .iter()
        .map(|s| Line {
            item_id: s.item_id,
            self_points: s.points,
            ..Line::default()
        })
        .collect();
    sqlx::query("UPDATE classifications SET state = 'submitted', submitted_at = $2 WHERE id = $1")
        .bind(id)
        .bind(format!("{YEAR}-11-{:02}T02:00:00Z", 10 + n % 8))
        .execute(tx.conn())
        .await?;
    sh.classification.state = State::Submitted;
    // The level above takes half a point off the first item of every other sheet.
    let change: Vec<ReviewIn> = match (n % 2, scores.first()) {
        (1, Some(first)) if first.points.unwrap_or(0) >= 5 => vec![ReviewIn {
            item_id: first.item_id,
            points: first.points.unwrap_or(0) - 5,
            reason: "Kế hoạch ban hành chậm so với quy định".into(),
        }],
        _ => Vec::new(),
    };
    review_tx(tx, who, &sh, &change).await?;
    sh.classification.state = State::Reviewed;
    decide_tx(tx, who, &sh, t, &format!("{YEAR}-11-28T03:00:00Z")).await?;
    Ok(())
}
