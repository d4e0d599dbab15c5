//! The movement's figures as open data: a national administrator chooses
//! which indicators are public and the lowest level (province or commune)
//! at which each is shown; the public pages read approved figures only,
//! through the same rollups as the analysis (`statistics::analytics`), in
//! today's map. Nothing else ever leaves here: no indicator that is not
//! public, no figure that counts an unapproved report, no breakdown below
//! the level allowed.

use antq_core::auth::Action;
use antq_core::dates;
use antq_core::indicators::Aggregation;
use antq_core::periods::YearRange;
use antq_core::units::Level;
use serde::Serialize;
use serde_json::json;
use sqlx::Row as _;

use crate::accounts::access::Actor;
use crate::audit::{self, Change};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::statistics::analytics::{self, By, MapMode, Row};
use crate::statistics::catalogue::{self, Indicator};
use crate::units::Unit;

/// The first year the public pages show.
pub const FIRST_YEAR: i32 = 2013;

/// The lowest level at which an indicator's figures are public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lowest {
    Province,
    Commune,
}

impl Lowest {
    pub fn as_str(self) -> &'static str {
        match self {
            Lowest::Province => "province",
            Lowest::Commune => "commune",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Lowest::Province => "Đến cấp tỉnh",
            Lowest::Commune => "Đến cấp xã",
        }
    }

    pub fn parse(s: &str) -> Result<Lowest, antq_core::DomainError> {
        match s.trim() {
            "province" => Ok(Lowest::Province),
            "commune" => Ok(Lowest::Commune),
            _ => Err(antq_core::DomainError::invalid(format!(
                "\"{s}\" không phải cấp thấp nhất được công khai (province, commune)"
            ))),
        }
    }
}

/// A public indicator with the catalogue's words for it.
#[derive(Debug, Clone, Serialize)]
pub struct PublicIndicator {
    pub code: String,
    pub name_vi: String,
    pub unit: String,
    pub lowest_level: Lowest,
    pub chosen_by: String,
    pub chosen_at: String,
}

/// The public indicators, in the catalogue's order.
pub async fn list(db: &Db) -> StorageResult<Vec<PublicIndicator>> {
    let chosen = sqlx::query(
        "SELECT indicator_code, lowest_level, chosen_by, chosen_at FROM public_indicators",
    )
    .fetch_all(db.pool())
    .await?;
    let catalogue = catalogue::indicators(db).await?;
    let mut out = Vec::new();
    for ind in &catalogue {
        if let Some(r) = chosen.iter().find(|r| r.get::<String, _>(0) == ind.code) {
            out.push(PublicIndicator {
                code: ind.code.clone(),
                name_vi: ind.name_vi.clone(),
                unit: ind.unit.clone(),
                lowest_level: Lowest::parse(&r.get::<String, _>(1))?,
                chosen_by: r.get(2),
                chosen_at: r.get(3),
            });
        }
    }
    Ok(out)
}

/// May the actor choose the public indicators? National administrators only.
pub fn may_choose(actor: &Actor) -> bool {
    actor.is_national(Action::EditCatalogue)
}

/// Replace the public indicators with these (code, lowest level); audited.
pub async fn set(db: &Db, actor: &Actor, choices: &[(String, Lowest)]) -> StorageResult<()> {
    if !may_choose(actor) {
        return Err(StorageError::Forbidden);
    }
    let catalogue = catalogue::indicators(db).await?;
    let mut seen = std::collections::HashSet::new();
    for (code, _) in choices {
        if !catalogue.iter().any(|i| &i.code == code) {
            return Err(antq_core::DomainError::invalid(format!(
                "Không có chỉ tiêu mã \"{code}\" trong danh mục"
            ))
            .into());
        }
        if !seen.insert(code.as_str()) {
            return Err(antq_core::DomainError::invalid(format!(
                "Chỉ tiêu \"{code}\" được chọn hai lần"
            ))
            .into());
        }
    }
    analytics::check_indicator_count(choices.len())?;
    let before: Vec<(String, String)> = sqlx::query_as(
        "SELECT indicator_code, lowest_level FROM public_indicators ORDER BY indicator_code",
    )
    .fetch_all(db.pool())
    .await?;
    let who = actor.who();
    let stamp = dates::timestamp(dates::now_utc());
    let ctx = (&who, &stamp, choices, &before, actor);
    db.write(|mut tx| async move {
        let (who, stamp, choices, before, actor) = ctx;
        sqlx::query("DELETE FROM public_indicators")
            .execute(tx.conn())
            .await?;
        for (code, lowest) in choices {
            sqlx::query(
                "INSERT INTO public_indicators (indicator_code, lowest_level, chosen_by, chosen_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(code)
            .bind(lowest.as_str())
            .bind(&actor.username)
            .bind(stamp)
            .execute(tx.conn())
            .await?;
        }
        let as_json = |v: Vec<(&str, &str)>| {
            v.into_iter()
                .map(|(c, l)| json!({"indicator": c, "lowest_level": l}))
                .collect::<Vec<_>>()
        };
        audit::append(
            &mut tx,
            Change {
                who,
                action: "open_data.indicators",
                entity: "public_indicators",
                entity_id: "all".into(),
                unit_id: None,
                before: Some(json!(as_json(
                    before.iter().map(|(c, l)| (c.as_str(), l.as_str())).collect()
                ))),
                after: Some(json!(as_json(
                    choices.iter().map(|(c, l)| (c.as_str(), l.as_str())).collect()
                ))),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Entities whose audited changes never move an approved figure (logins,
/// articles, tips, reviews, documents…); every other audited change may.
const NOT_FIGURES: &str = "'user', 'grant', 'api_token', 'article', 'editor_message', 'tip', \
     'tip_escrow', 'tip_cluster', 'tip_category', 'review', 'review_template', 'review_signer', \
     'document', 'programme', 'area'";

/// The audit log's last entry, and the last one after `after` that may move
/// a public figure (an approval, a return, an import, a register change, the
/// choice of public indicators…), if any: a cache of the figures is kept
/// while the second does not move. Reads only the entries after `after`.
/// Audit ids are taken under the chain head's lock, held to the commit
/// (`audit::reserve`), so no entry below the last one seen can appear later.
pub async fn changes_since(db: &Db, after: i64) -> StorageResult<(i64, Option<i64>)> {
    let last: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM audit_log")
        .fetch_one(db.pool())
        .await?;
    let last = last.unwrap_or(0);
    if last <= after {
        return Ok((last, None));
    }
    let moved: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT MAX(id) FROM audit_log WHERE id > $1 AND entity NOT IN ({NOT_FIGURES})"
    ))
    .bind(after)
    .fetch_one(db.pool())
    .await?;
    Ok((last, moved))
}

/// The years the public pages show (a year asked outside them is refused).
pub fn years() -> YearRange {
    let this_year = dates::today()
        .format("%Y")
        .to_string()
        .parse()
        .unwrap_or(2026);
    YearRange {
        from: FIRST_YEAR,
        to: this_year,
    }
}

/// The public figures of the nation or of a province.
#[derive(Debug, Clone)]
pub struct OpenFigures {
    pub unit: Unit,
    /// The public indicators, in the catalogue's order.
    pub indicators: Vec<(Indicator, Lowest)>,
    pub range: YearRange,
    /// By year (indicator × year), approved figures only.
    pub by_year: Vec<Row>,
    /// The year of the breakdown by child unit.
    pub year: i32,
    /// By child unit in `year` (provinces of the nation; communes of a
    /// province for the indicators public down to communes).
    pub by_child: Vec<Row>,
    /// The indicators of `by_child`.
    pub child_indicators: Vec<String>,
    /// The latest approval of a report counted here (ISO timestamp).
    pub approved_at: Option<String>,
    /// The years shown (with figures, or the breakdown's) whose data are not
    /// all approved: units that must report, and those whose reports are
    /// all approved.
    pub incomplete: Vec<(i32, antq_core::reviews::document::DataCoverage)>,
}

/// Keep only what may be public: figures with a value, no part from an
/// unapproved report, nothing but the figure itself.
fn public_rows(rows: Vec<Row>) -> Vec<Row> {
    rows.into_iter()
        .filter(|r| {
            r.value.is_some()
                && r.unapproved == 0.0
                && !r.flags.iter().any(|f| f == "includes_unapproved")
        })
        .map(|mut r| {
            r.channel_value = None;
            r.form_value = None;
            r.register_value = None;
            r
        })
        .collect()
}

/// The approved figures of the nation or of a province (today's map) for
/// the public indicators; `year` the breakdown's year (default: the latest
/// year with a figure). Another unit: not found.
pub async fn figures(db: &Db, unit: &Unit, year: Option<i32>) -> StorageResult<OpenFigures> {
    if !matches!(unit.level, Level::Nation | Level::Province) || unit.valid_to.is_some() {
        return Err(StorageError::NotFound(format!(
            "số liệu công khai của {}",
            unit.name
        )));
    }
    let public = list(db).await?;
    let catalogue = catalogue::indicators(db).await?;
    let indicators: Vec<(Indicator, Lowest)> = public
        .iter()
        .filter_map(|p| {
            catalogue
                .iter()
                .find(|i| i.code == p.code)
                .map(|i| (i.clone(), p.lowest_level))
        })
        .collect();
    let this_year = dates::today()
        .format("%Y")
        .to_string()
        .parse()
        .unwrap_or(2026);
    let range = YearRange {
        from: FIRST_YEAR,
        to: this_year,
    };
    let mut out = OpenFigures {
        unit: unit.clone(),
        indicators: indicators.clone(),
        range,
        by_year: Vec::new(),
        year: year.unwrap_or(this_year),
        by_child: Vec::new(),
        child_indicators: Vec::new(),
        approved_at: None,
        incomplete: Vec::new(),
    };
    if indicators.is_empty() {
        return Ok(out);
    }
    // The nation's stocks are the sums of its provinces' (each reporting
    // unit's latest value counts once, in the province that holds it
    // today): asked province by province, which is quick on every backend.
    let nation_stocks: Vec<Indicator> = if unit.level == Level::Nation {
        indicators
            .iter()
            .filter(|(i, _)| i.aggregation == Aggregation::Latest)
            .map(|(i, _)| i.clone())
            .collect()
    } else {
        Vec::new()
    };
    let all: Vec<Indicator> = indicators
        .iter()
        .map(|(i, _)| i.clone())
        .filter(|i| !nation_stocks.iter().any(|s| s.code == i.code))
        .collect();
    let mut province_stocks = Vec::new();
    if !nation_stocks.is_empty() {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM units WHERE parent_id = $1 AND valid_to IS NULL")
                .bind(unit.id)
                .fetch_all(db.pool())
                .await?;
        for id in ids {
            let province = crate::units::by_id(db, id).await?;
            let q = analytics::Query {
                indicators: &nation_stocks,
                catalogue: &catalogue,
                unit: &province,
                range,
                by: Some(By::Year),
                map: MapMode::Current,
                approved_only: true,
            };
            province_stocks.extend(public_rows(analytics::run(db, &q).await?));
        }
        let mut sums: Vec<Row> = Vec::new();
        for r in &province_stocks {
            match sums
                .iter_mut()
                .find(|s| s.indicator == r.indicator && s.period == r.period)
            {
                Some(s) => s.value = Some(s.value.unwrap_or(0.0) + r.value.unwrap_or(0.0)),
                None => sums.push(Row {
                    unit: unit.code.clone(),
                    unit_name: unit.name.clone(),
                    ..r.clone()
                }),
            }
        }
        out.by_year.extend(sums);
    }
    let q = analytics::Query {
        indicators: &all,
        catalogue: &catalogue,
        unit,
        range,
        by: Some(By::Year),
        map: MapMode::Current,
        approved_only: true,
    };
    if !all.is_empty() {
        out.by_year
            .extend(public_rows(analytics::run(db, &q).await?));
    }
    let latest = out
        .by_year
        .iter()
        .filter_map(|r| r.period.parse::<i32>().ok())
        .max();
    out.year = match year {
        Some(y) if (FIRST_YEAR..=this_year).contains(&y) => y,
        _ => latest.unwrap_or(this_year),
    };
    // Below the nation, provinces (every public indicator); below a
    // province, communes (only those public down to communes).
    let child: Vec<Indicator> = indicators
        .iter()
        .filter(|(_, l)| unit.level == Level::Nation || *l == Lowest::Commune)
        .map(|(i, _)| i.clone())
        .collect();
    let year_code = out.year.to_string();
    out.by_child.extend(
        province_stocks
            .iter()
            .filter(|r| r.period == year_code)
            .cloned(),
    );
    let child: Vec<Indicator> = child
        .into_iter()
        .filter(|i| !nation_stocks.iter().any(|s| s.code == i.code))
        .collect();
    if !child.is_empty() {
        let q = analytics::Query {
            indicators: &child,
            range: YearRange {
                from: out.year,
                to: out.year,
            },
            by: Some(By::Child),
            ..q
        };
        // The unit's own row (what it reported itself) is in the totals by
        // year; the breakdown lists the units below it only.
        out.by_child.extend(
            public_rows(analytics::run(db, &q).await?)
                .into_iter()
                .filter(|r| r.unit != unit.code),
        );
    }
    out.child_indicators = indicators
        .iter()
        .filter(|(_, l)| unit.level == Level::Nation || *l == Lowest::Commune)
        .map(|(i, _)| i.code.clone())
        .collect();
    // A year still being reported (or never wholly reported) must not read
    // as complete: every year shown is checked.
    let mut years: Vec<i32> = out
        .by_year
        .iter()
        .filter_map(|r| r.period.parse::<i32>().ok())
        .collect();
    years.push(out.year);
    years.sort_unstable();
    years.dedup();
    for y in years {
        let c = crate::reviews::coverage(db, unit, &antq_core::reviews::Stage::years(y, y), true)
            .await?;
        if c.units_approved < c.units_expected {
            out.incomplete.push((y, c));
        }
    }
    out.incomplete.sort_by_key(|(y, _)| *y);
    out.approved_at = sqlx::query_scalar(
        "SELECT MAX(r.state_changed_at) FROM reports r WHERE r.state = 'approved' \
         AND r.unit_id IN (SELECT descendant_id FROM unit_scope WHERE ancestor_id = $1)",
    )
    .bind(unit.id)
    .fetch_one(db.pool())
    .await?;
    Ok(out)
}
