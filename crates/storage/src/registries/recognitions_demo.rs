//! The demo's year of recognition (2024) for Điện Biên and Đồng Tháp (the
//! old province, code 87 before 01/07/2025): most residential areas of a
//! few communes recognised, some not; communes recognised when enough of
//! their areas are, one refused below the threshold; a few agencies,
//! enterprises and schools, and a primary school left out as excluded.

use antq_core::dates::{self, Date};
use antq_core::registries::recognitions::{self as rules, SubjectKind};
use antq_core::units::{AreaKind, Name, OrgKind, UnitCode};

use super::{criteria_of_year, exclusions, insert_tx, Decision, NewRecognition};
use crate::audit::Who;
use crate::db::Db;
use crate::error::StorageResult;
use crate::units::{self, areas, orgs, Unit};

const YEAR: i32 = 2024;

fn day(s: &str) -> Date {
    dates::parse_date(s).expect("a demo date")
}

struct Plan {
    code: &'static str,
    area_kind: AreaKind,
    area_word: &'static str,
    /// Areas per commune and how many of them are recognised, per commune.
    communes: &'static [(usize, usize)],
    /// Organisations of the province: decided (recognised or not) or waiting.
    orgs: &'static [(OrgKind, &'static str, Option<bool>)],
    issuer_province: &'static str,
}

const PLANS: [Plan; 2] = [
    Plan {
        code: "11",
        area_kind: AreaKind::Ban,
        area_word: "Bản",
        communes: &[(8, 7), (6, 6), (7, 5), (6, 3)],
        orgs: &[
            (
                OrgKind::Agency,
                "Sở Giáo dục và Đào tạo tỉnh Điện Biên",
                Some(true),
            ),
            (
                OrgKind::Enterprise,
                "Công ty Cổ phần Cấp nước Điện Biên",
                Some(true),
            ),
            (OrgKind::School, "Trường THPT Phan Đình Giót", None),
            (OrgKind::School, "Trường Tiểu học Him Lam", None),
        ],
        issuer_province: "Chủ tịch UBND tỉnh Điện Biên",
    },
    Plan {
        code: "87",
        area_kind: AreaKind::Ap,
        area_word: "Ấp",
        communes: &[(7, 6), (5, 5), (8, 4)],
        orgs: &[
            (OrgKind::Agency, "Sở Tài chính tỉnh Đồng Tháp", Some(true)),
            (
                OrgKind::Enterprise,
                "Công ty TNHH Thủy sản Sa Đéc",
                Some(false),
            ),
            (
                OrgKind::School,
                "Trường THPT Thành phố Cao Lãnh",
                Some(true),
            ),
            (OrgKind::School, "Trường Mầm non Hoa Sen", None),
        ],
        issuer_province: "Chủ tịch UBND tỉnh Đồng Tháp",
    },
];

/// The communes of a province valid on `at`, by code.
async fn communes(db: &Db, province: &Unit, at: &str, n: usize) -> StorageResult<Vec<Unit>> {
    let ids: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT u.id FROM units u JOIN unit_tree t ON t.descendant_id = u.id \
         WHERE t.ancestor_id = $1 AND u.level = 'commune' \
         AND (u.valid_from IS NULL OR u.valid_from <= $2) AND (u.valid_to IS NULL OR u.valid_to >= $2) \
         ORDER BY u.code LIMIT {n}"
    ))
    .bind(province.id)
    .bind(at)
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::new();
    for id in ids {
        out.push(units::by_id(db, id).await?);
    }
    Ok(out)
}

const AREA_NAMES: [&str; 8] = ["Một", "Hai", "Ba", "Bốn", "Năm", "Sáu", "Bảy", "Tám"];

/// Load the demo's recognitions once (`created_by = 'demo'`); returns how
/// many records were written (0 when they were already there).
pub async fn demo(db: &Db) -> StorageResult<usize> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM recognitions WHERE created_by = 'demo'")
            .fetch_one(db.pool())
            .await?;
    if n > 0 {
        return Ok(0);
    }
    let who = Who {
        id: None,
        name: "demo".into(),
    };
    let at = day("2024-06-30");
    let excl = exclusions(db).await?;
    // (new record, subject key, subject name, decision)
    let mut items: Vec<(NewRecognition, String, String, Option<Decision>)> = Vec::new();
    for plan in &PLANS {
        let province = units::get_at(db, &UnitCode::parse(plan.code)?, at).await?;
        let communes = communes(db, &province, "2024-06-30", plan.communes.len()).await?;
        for (c, &(n_areas, n_recognised)) in communes.iter().zip(plan.communes) {
            let existing = areas::list(db, c.id).await?;
            let mut ids = Vec::new();
            for word in AREA_NAMES.iter().take(n_areas) {
                let name = format!("{} {word}", plan.area_word);
                let id = match existing.iter().find(|a| a.name == name) {
                    Some(a) => a.id,
                    None => {
                        areas::create(db, &who, c, plan.area_kind, &Name::parse(&name)?)
                            .await?
                            .id
                    }
                };
                ids.push((id, name));
            }
            for (i, (id, name)) in ids.into_iter().enumerate() {
                let recognised = i < n_recognised;
                items.push((
                    NewRecognition {
                        year: YEAR,
                        kind: SubjectKind::KhuDanCu,
                        unit_id: c.id,
                        area_id: Some(id),
                        organisation_id: None,
                        registered_on: day("2024-02-20"),
                        override_window: false,
                    },
                    format!("a{id}"),
                    name,
                    Some(Decision {
                        recognised,
                        number: format!("{}/QĐ-UBND", 100 + i),
                        date: day("2024-11-25"),
                        issuer: format!("Chủ tịch UBND {}", c.name),
                        reason: if recognised {
                            String::new()
                        } else {
                            "Còn xảy ra vụ việc phức tạp về trật tự, an toàn xã hội trong năm"
                                .into()
                        },
                        override_reason: String::new(),
                    }),
                ));
            }
            let share_ok = n_recognised * 10 >= n_areas * 7;
            items.push((
                NewRecognition {
                    year: YEAR,
                    kind: SubjectKind::Xa,
                    unit_id: c.id,
                    area_id: None,
                    organisation_id: None,
                    registered_on: day("2024-03-05"),
                    override_window: false,
                },
                format!("u{}", c.id),
                c.name.clone(),
                Some(Decision {
                    recognised: share_ok,
                    number: format!("{}/QĐ-UBND", 2400 + items.len()),
                    date: day("2024-12-10"),
                    issuer: plan.issuer_province.to_string(),
                    reason: if share_ok {
                        String::new()
                    } else {
                        "Tỷ lệ khu dân cư được công nhận dưới 70%".into()
                    },
                    override_reason: String::new(),
                }),
            ));
        }
        let existing = orgs::list(db, province.id).await?;
        for (i, (kind, name, recognised)) in plan.orgs.iter().enumerate() {
            let org_id = match existing.iter().find(|o| o.name == *name) {
                Some(o) => o.id,
                None => {
                    orgs::create(db, &who, &province, *kind, &Name::parse(name)?)
                        .await?
                        .id
                }
            };
            let subject = SubjectKind::of_org_kind(kind.as_str()).unwrap_or(SubjectKind::CoQuan);
            if rules::is_excluded(&excl, kind.as_str(), name, None) {
                continue; // excluded: counted nowhere
            }
            items.push((
                NewRecognition {
                    year: YEAR,
                    kind: subject,
                    unit_id: province.id,
                    area_id: None,
                    organisation_id: Some(org_id),
                    registered_on: day("2024-03-15"),
                    override_window: false,
                },
                format!("o{org_id}"),
                name.to_string(),
                recognised.map(|recognised| Decision {
                    recognised,
                    number: format!("{}/QĐ-BCA", 50 + i),
                    date: day("2024-12-05"),
                    issuer: "Bộ Công an".into(),
                    reason: if recognised {
                        String::new()
                    } else {
                        "Chưa có quy chế phối hợp với Công an địa phương".into()
                    },
                    override_reason: String::new(),
                }),
            ));
        }
    }
    let mut crit = std::collections::HashMap::new();
    for k in SubjectKind::ALL {
        crit.insert(k, criteria_of_year(db, k, YEAR).await?);
    }
    let (who, items_ref, crit) = (&who, &items, &crit);
    db.write(|mut tx| async move {
        for (n, key, name, d) in items_ref {
            let id = insert_tx(&mut tx, who, n, key, name, d.as_ref()).await?;
            if let Some(d) = d {
                for (i, c) in crit[&n.kind].iter().enumerate() {
                    // A refused record misses its last criterion.
                    let met = d.recognised || i + 1 < crit[&n.kind].len();
                    sqlx::query(
                        "INSERT INTO recognition_checks (recognition_id, criterion_id, met, note) VALUES ($1, $2, $3, '')",
                    )
                    .bind(id)
                    .bind(c.id)
                    .bind(i64::from(met))
                    .execute(tx.conn())
                    .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(())
    })
    .await?;
    Ok(items.len())
}
