//! The figures of the register: registered, recognised and eligible
//! subjects per kind in a unit's subtree for one year (a stock of that
//! year, never summed across years), and a commune's share of recognised
//! residential areas.

use antq_core::registries::recognitions::{self as rules, SubjectKind};
use antq_core::registries::year_end;
use antq_core::DomainError;
use serde::Serialize;

use super::{exclusions, subtree_sql, threshold};
use crate::db::Db;
use crate::error::StorageResult;
use crate::statistics::analytics::MapMode;

/// A unit's subtree, as it was (historical) or through lineage (current).
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    pub unit_id: i64,
    pub map: MapMode,
}

/// The figures of one subject kind in one year.
#[derive(Debug, Clone, Serialize)]
pub struct KindSummary {
    pub kind: SubjectKind,
    pub registered: i64,
    pub recognised: i64,
    /// Subjects of the kind in the scope on the year's last day (14/12),
    /// excluded organisations left out.
    pub eligible: i64,
    /// Recognised / eligible in percent, one decimal; none when nothing is eligible.
    pub share: Option<f64>,
}

/// Registered and recognised subjects per unit (as recorded), year and
/// kind code in the scope for the years `from..=to`.
pub(crate) async fn counts_by_unit(
    db: &Db,
    scope: Scope,
    from: i32,
    to: i32,
) -> StorageResult<Vec<(i64, i64, String, i64, i64)>> {
    // The years and ids are integers: safe in the SQL.
    Ok(sqlx::query_as(&format!(
        "SELECT r.unit_id, r.year, r.subject_kind, COUNT(*), \
                CAST(SUM(CASE WHEN r.state = 'recognised' THEN 1 ELSE 0 END) AS BIGINT) \
         FROM recognitions r WHERE r.year BETWEEN {from} AND {to} AND {} \
         GROUP BY r.unit_id, r.year, r.subject_kind",
        subtree_sql("r.unit_id", scope.unit_id, scope.map)
    ))
    .fetch_all(db.pool())
    .await?)
}

/// The subjects a unit holds that the standard considers: its residential
/// areas, itself when a commune, its agencies, enterprises and schools
/// (excluded organisations left out), while the unit exists.
#[derive(Debug, Clone)]
pub(crate) struct Eligible {
    pub unit_id: i64,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub kind: SubjectKind,
    pub count: i64,
}

impl Eligible {
    /// Does the unit exist on `day` (ISO)?
    pub fn on(&self, day: &str) -> bool {
        self.valid_from.as_deref().is_none_or(|f| f <= day)
            && self.valid_to.as_deref().is_none_or(|t| t >= day)
    }
}

/// The eligible subjects of the scope's units, per unit and kind.
pub(crate) async fn eligible_by_unit(db: &Db, scope: Scope) -> StorageResult<Vec<Eligible>> {
    let mut out = Vec::new();
    let areas: Vec<(i64, Option<String>, Option<String>, i64)> = sqlx::query_as(&format!(
        "SELECT a.unit_id, u.valid_from, u.valid_to, COUNT(*) FROM areas a JOIN units u ON u.id = a.unit_id \
         WHERE {} GROUP BY a.unit_id, u.valid_from, u.valid_to",
        subtree_sql("a.unit_id", scope.unit_id, scope.map)
    ))
    .fetch_all(db.pool())
    .await?;
    for (unit_id, valid_from, valid_to, count) in areas {
        out.push(Eligible {
            unit_id,
            valid_from,
            valid_to,
            kind: SubjectKind::KhuDanCu,
            count,
        });
    }
    let communes: Vec<(i64, Option<String>, Option<String>)> = sqlx::query_as(&format!(
        "SELECT u.id, u.valid_from, u.valid_to FROM units u WHERE u.level = 'commune' AND {}",
        subtree_sql("u.id", scope.unit_id, scope.map)
    ))
    .fetch_all(db.pool())
    .await?;
    for (unit_id, valid_from, valid_to) in communes {
        out.push(Eligible {
            unit_id,
            valid_from,
            valid_to,
            kind: SubjectKind::Xa,
            count: 1,
        });
    }
    type OrgRow = (
        i64,
        Option<String>,
        Option<String>,
        String,
        String,
        Option<String>,
    );
    let orgs: Vec<OrgRow> = sqlx::query_as(&format!(
        "SELECT o.unit_id, u.valid_from, u.valid_to, o.kind, o.name, c.sub_kind \
         FROM organisations o JOIN units u ON u.id = o.unit_id \
         LEFT JOIN recognition_org_classes c ON c.organisation_id = o.id \
         WHERE o.kind IN ('agency', 'enterprise', 'school') AND {}",
        subtree_sql("o.unit_id", scope.unit_id, scope.map)
    ))
    .fetch_all(db.pool())
    .await?;
    let excl = exclusions(db).await?;
    let mut by_org_kind: std::collections::BTreeMap<(i64, &str), Eligible> =
        std::collections::BTreeMap::new();
    for (unit_id, valid_from, valid_to, org_kind, name, marked) in orgs {
        if rules::is_excluded(&excl, &org_kind, &name, marked.as_deref()) {
            continue;
        }
        let Some(kind) = SubjectKind::ALL
            .into_iter()
            .find(|k| k.org_kind() == Some(org_kind.as_str()))
        else {
            continue;
        };
        by_org_kind
            .entry((unit_id, kind.code()))
            .or_insert(Eligible {
                unit_id,
                valid_from,
                valid_to,
                kind,
                count: 0,
            })
            .count += 1;
    }
    out.extend(by_org_kind.into_values());
    Ok(out)
}

/// Registered, recognised and eligible subjects per kind in the scope for `year`.
pub async fn summary(db: &Db, scope: Scope, year: i32) -> StorageResult<Vec<KindSummary>> {
    rules::check_year(year)?;
    let day = year_end(year)
        .map(antq_core::dates::iso)
        .ok_or_else(|| DomainError::invalid("năm không hợp lệ"))?;
    let counts = counts_by_unit(db, scope, year, year).await?;
    let eligible = eligible_by_unit(db, scope).await?;
    let mut out = Vec::new();
    for kind in SubjectKind::ALL {
        let eligible = eligible
            .iter()
            .filter(|e| e.kind == kind && e.on(&day))
            .map(|e| e.count)
            .sum();
        let (registered, recognised) = counts
            .iter()
            .filter(|c| c.2 == kind.code())
            .fold((0, 0), |(a, b), c| (a + c.3, b + c.4));
        out.push(KindSummary {
            kind,
            registered,
            recognised,
            eligible,
            share: rules::share_percent(recognised, eligible),
        });
    }
    Ok(out)
}

/// A commune's residential areas and how many were recognised in a year,
/// with the threshold in force.
#[derive(Debug, Clone, Serialize)]
pub struct AreaShare {
    pub recognised: i64,
    pub total: i64,
    /// Percent.
    pub threshold: f64,
}

impl AreaShare {
    /// Below the threshold (a commune without areas is never below).
    pub fn below(&self) -> bool {
        self.total > 0 && (self.recognised as f64) * 100.0 < self.threshold * self.total as f64
    }

    pub fn text(&self) -> String {
        rules::share_text(self.recognised, self.total)
    }
}

/// The share of a commune's areas recognised in `year`.
pub async fn commune_share(db: &Db, commune_id: i64, year: i32) -> StorageResult<AreaShare> {
    let (total,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM areas WHERE unit_id = $1")
        .bind(commune_id)
        .fetch_one(db.pool())
        .await?;
    let (recognised,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM recognitions WHERE unit_id = $1 AND year = $2 \
         AND subject_kind = 'khu_dan_cu' AND state = 'recognised'",
    )
    .bind(commune_id)
    .bind(i64::from(year))
    .fetch_one(db.pool())
    .await?;
    Ok(AreaShare {
        recognised,
        total,
        threshold: threshold(db).await?,
    })
}
