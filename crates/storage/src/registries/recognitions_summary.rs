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

fn valid_at(alias: &str, day: &str) -> String {
    format!(
        "({alias}.valid_from IS NULL OR {alias}.valid_from <= '{day}') AND ({alias}.valid_to IS NULL OR {alias}.valid_to >= '{day}')"
    )
}

/// Registered, recognised and eligible subjects per kind in the scope for `year`.
pub async fn summary(db: &Db, scope: Scope, year: i32) -> StorageResult<Vec<KindSummary>> {
    rules::check_year(year)?;
    let day = year_end(year)
        .map(antq_core::dates::iso)
        .ok_or_else(|| DomainError::invalid("năm không hợp lệ"))?;
    // The day is an ISO date and the ids integers: safe in the SQL.
    let counts: Vec<(String, i64, i64)> = sqlx::query_as(&format!(
        "SELECT r.subject_kind, COUNT(*), SUM(CASE WHEN r.state = 'recognised' THEN 1 ELSE 0 END) \
         FROM recognitions r WHERE r.year = {year} AND {} GROUP BY r.subject_kind",
        subtree_sql("r.unit_id", scope.unit_id, scope.map)
    ))
    .fetch_all(db.pool())
    .await?;
    let (areas,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM areas a JOIN units u ON u.id = a.unit_id WHERE {} AND {}",
        valid_at("u", &day),
        subtree_sql("a.unit_id", scope.unit_id, scope.map)
    ))
    .fetch_one(db.pool())
    .await?;
    let (communes,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM units u WHERE u.level = 'commune' AND {} AND {}",
        valid_at("u", &day),
        subtree_sql("u.id", scope.unit_id, scope.map)
    ))
    .fetch_one(db.pool())
    .await?;
    let orgs: Vec<(String, String, Option<String>)> = sqlx::query_as(&format!(
        "SELECT o.kind, o.name, c.sub_kind FROM organisations o JOIN units u ON u.id = o.unit_id \
         LEFT JOIN recognition_org_classes c ON c.organisation_id = o.id \
         WHERE o.kind IN ('agency', 'enterprise', 'school') AND {} AND {}",
        valid_at("u", &day),
        subtree_sql("o.unit_id", scope.unit_id, scope.map)
    ))
    .fetch_all(db.pool())
    .await?;
    let excl = exclusions(db).await?;
    let mut out = Vec::new();
    for kind in SubjectKind::ALL {
        let eligible = match kind {
            SubjectKind::KhuDanCu => areas,
            SubjectKind::Xa => communes,
            k => orgs
                .iter()
                .filter(|(ok, name, marked)| {
                    k.org_kind() == Some(ok.as_str())
                        && !rules::is_excluded(&excl, ok, name, marked.as_deref())
                })
                .count() as i64,
        };
        let (registered, recognised) = counts
            .iter()
            .find(|c| c.0 == kind.code())
            .map(|c| (c.1, c.2))
            .unwrap_or((0, 0));
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
