//! Reviews (sơ kết, tổng kết): the figures of a unit and stage read from
//! the approved data into a [`Snapshot`], stored with the narrative so the
//! review reprints identically after later corrections, and compared with
//! today's figures on demand. `figures` adds the options year by year and
//! the award register's counts; the programme named comes from
//! `programmes::coverage`.

mod approvals;
mod conference;
mod document;
mod drafting;
mod edit;
mod figures;
mod signers;
mod templates;

pub use approvals::{approve, approve_read, Approval};
pub use conference::{link_conference, refresh_conference};
pub use document::{save_document, DocumentChange};
pub use drafting::{citations, coverage};
pub use edit::edit_narrative;
pub use signers::{
    add_signer, register, registered, update_signer, RegisteredSigner, SignerInput, MAX_REGISTERED,
    MAX_SORT,
};
pub use templates::{
    national_template, province_of, reset_template, save_template, template_for, Template,
    TemplateSource,
};

use std::collections::BTreeMap;

use antq_core::dates::{self, Date};
use antq_core::indicators::GROUPS;
use antq_core::periods::YearRange;
use antq_core::reviews::document::{
    default_template, draft_reason, DataCoverage, Section, TemplateKind,
};
use antq_core::reviews::signing::{Side, Signer};
pub use antq_core::reviews::Paragraph;
use antq_core::reviews::{
    self, Choices, Difference, Figure, Line, Owner, Pending, Snapshot, Stage,
};
use antq_core::units::Level;
use antq_core::DomainError;
use serde::Serialize;
use serde_json::json;
use sqlx::Row as _;

use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::programmes::coverage;
pub use crate::programmes::coverage::ProgrammeChoice;
use crate::statistics::analytics::{self, By, MapMode, Row};
use crate::statistics::catalogue;
use crate::units::{self, Unit};

/// The most pending reports a snapshot lists by name.
const PENDING_LISTED: usize = 300;

/// A stored review.
#[derive(Debug, Clone, Serialize)]
pub struct Review {
    pub id: i64,
    pub unit_id: i64,
    pub owner: Owner,
    pub issue_date: String,
    pub snapshot: Snapshot,
    pub narrative: Vec<Paragraph>,
    /// Has an editor changed the generated narrative?
    pub edited: bool,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
    /// The title (trích yếu) an officer chose; none: the stage's default.
    pub title: Option<String>,
    /// The sections in order (a review built before they existed: the
    /// national default of its kind).
    pub sections: Vec<Section>,
    /// The signature blocks: as kept with the review, else (an older
    /// review) from the register as it is today.
    pub signers: Vec<Signer>,
    /// The "Nơi nhận" lines an officer chose; none: the default.
    pub recipients: Option<Vec<String>>,
    /// How complete the data was when the review was built (none for
    /// reviews built before this was recorded).
    pub coverage: Option<DataCoverage>,
    /// The sides that approved the text as it is.
    pub approvals: Vec<Approval>,
}

impl Review {
    /// The officer's choices for the header (title, signers, recipients).
    pub fn choices(&self) -> Choices {
        Choices {
            title: self.title.clone(),
            signers: Some(self.signers.clone()),
            recipients: self.recipients.clone(),
        }
    }

    /// Why the review is still a draft (its data was not complete), if it is.
    pub fn draft(&self) -> Option<String> {
        self.coverage.as_ref().and_then(draft_reason)
    }

    /// Has every side that issues it approved the text?
    pub fn is_final(&self) -> bool {
        Side::of(self.owner)
            .iter()
            .all(|s| self.approvals.iter().any(|a| a.side == *s))
    }
}

/// A review in a list.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub owner: Owner,
    pub from: i32,
    pub to: i32,
    pub half: Option<u8>,
    pub issue_date: String,
    pub created_by: String,
    pub created_at: String,
}

impl Summary {
    /// "2013 – 2023", "năm 2023", "6 tháng đầu năm 2026".
    pub fn stage_label(&self) -> String {
        Stage {
            from: self.from,
            to: self.to,
            half: self.half,
        }
        .label()
    }
}

fn json_err(e: serde_json::Error) -> StorageError {
    StorageError::Database(sqlx::Error::Decode(Box::new(e)))
}

fn fig(r: &Row) -> Option<Figure> {
    r.value.map(|v| Figure {
        value: v,
        qualifier: r.qualifier,
        unapproved: r.unapproved,
        split: r.flags.iter().any(|f| f == "includes_split_units"),
        source: r.source,
    })
}

/// The groups in catalogue order (code, Vietnamese heading).
pub fn groups() -> Vec<(&'static str, &'static str)> {
    GROUPS.iter().map(|(c, vi, _)| (*c, *vi)).collect()
}

/// Read the figures of a unit for a stage: approved data, by year and by
/// child unit, the options of broken-down indicators, and which reports are
/// not approved yet. Today's units gather their predecessors' data through
/// lineage; a unit that no longer exists is taken as it was.
pub async fn snapshot(db: &Db, unit: &Unit, stage: Stage) -> StorageResult<Snapshot> {
    let range = YearRange {
        from: stage.from,
        to: stage.to,
    };
    let periods = stage.periods();
    let within = periods.as_deref();
    let catalogue = catalogue::indicators(db).await?;
    let wanted: Vec<_> = catalogue
        .iter()
        .filter(|i| GROUPS.iter().any(|g| g.0 == i.group))
        .cloned()
        .collect();
    let current = unit.valid_to.is_none();
    let map = if current {
        MapMode::Current
    } else {
        MapMode::Historical
    };
    let query = |by: Option<By>, approved_only: bool| analytics::Query {
        indicators: &wanted,
        catalogue: &catalogue,
        unit,
        range,
        by,
        map,
        approved_only,
    };
    let totals_rows = analytics::run_within(db, &query(None, true), within).await?;
    let all_rows = analytics::run_within(db, &query(None, false), within).await?;
    let year_rows = analytics::run_within(db, &query(Some(By::Year), true), within).await?;
    let child_rows = if unit.level == Level::Commune {
        Vec::new()
    } else {
        analytics::run_within(db, &query(Some(By::Child), true), within).await?
    };
    let options = analytics::option_totals(db, &query(None, true), within).await?;

    let mut lines = Vec::new();
    let mut totals = BTreeMap::new();
    for i in &wanted {
        lines.push(Line {
            key: i.code.clone(),
            name: i.name_vi.clone(),
            unit: i.unit.clone(),
            group: i.group.clone(),
        });
        for o in &i.options {
            lines.push(Line {
                key: format!("{}.{}", i.code, o.code),
                name: format!("{} – {}", i.name_vi, o.name_vi),
                unit: i.unit.clone(),
                group: i.group.clone(),
            });
        }
    }
    for r in &totals_rows {
        if let Some(mut f) = fig(r) {
            // What is still waiting for approval, from the query over all data.
            if let Some(all) = all_rows.iter().find(|a| a.indicator == r.indicator) {
                f.unapproved = all.unapproved;
            }
            totals.insert(r.indicator.clone(), f);
        }
    }
    for r in all_rows.iter().filter(|r| r.value.is_some()) {
        if !totals.contains_key(&r.indicator) && r.unapproved > 0.0 {
            totals.insert(
                r.indicator.clone(),
                Figure {
                    value: 0.0,
                    qualifier: None,
                    unapproved: r.unapproved,
                    split: false,
                    source: r.source,
                },
            );
        }
    }
    for (code, option, milli, q) in options {
        totals.insert(
            format!("{code}.{option}"),
            Figure {
                value: milli as f64 / 1000.0,
                qualifier: q,
                unapproved: 0.0,
                split: false,
                source: antq_core::reviews::FigureSource::Form,
            },
        );
    }
    // The options year by year too: without them the awards-by-year table
    // had "–" in every year while its total row had the options' totals.
    let mut by_year = figures::options_by_year(db, &wanted, unit, range, map, within).await?;
    for r in &year_rows {
        if let (Some(f), Ok(y)) = (fig(r), r.period.parse::<i32>()) {
            by_year.entry(r.indicator.clone()).or_default().insert(y, f);
        }
    }
    let mut by_child: BTreeMap<String, BTreeMap<String, Figure>> = BTreeMap::new();
    let mut children: Vec<(String, String)> = Vec::new();
    // The unit's own reports (a province's own activities) are a row of their own.
    let own_name = match unit.level {
        Level::Nation => "Cấp Trung ương (trực tiếp)",
        Level::Province => "Cấp tỉnh (trực tiếp)",
        Level::District => "Cấp huyện (trực tiếp)",
        Level::Commune => "Cấp xã (trực tiếp)",
    };
    for r in &child_rows {
        if let Some(f) = fig(r) {
            let name = if r.unit == unit.code {
                own_name.to_string()
            } else {
                r.unit_name.clone()
            };
            by_child
                .entry(r.indicator.clone())
                .or_default()
                .insert(r.unit.clone(), f);
            if !children.iter().any(|(c, _)| c == &r.unit) {
                children.push((r.unit.clone(), name));
            }
        }
    }
    antq_core::units::official_order(&mut children, &unit.code);

    let (reports_total, reports_approved, pending) =
        report_states(db, unit, range, map, within).await?;
    let parent_name = if matches!(unit.level, Level::Commune | Level::District) {
        units::ancestors(db, unit.id)
            .await?
            .into_iter()
            .find(|a| a.level == Level::Province)
            .map(|p| p.name)
    } else {
        None
    };
    let mut snap = Snapshot {
        unit_code: unit.code.clone(),
        unit_name: unit.name.clone(),
        unit_kind: if unit.level == Level::Nation {
            String::new()
        } else {
            unit.kind.clone()
        },
        is_nation: unit.level == Level::Nation,
        parent_name,
        level: unit.level.as_str().to_string(),
        at: unit
            .valid_to
            .clone()
            .unwrap_or_else(|| dates::iso(dates::today())),
        from: range.from,
        to: range.to,
        half: stage.half,
        map: match map {
            MapMode::Current => "current".into(),
            MapMode::Historical => "historical".into(),
        },
        lines,
        totals,
        by_year,
        children,
        by_child,
        reports_total,
        reports_approved,
        pending,
        built_at: dates::timestamp(dates::now_utc()),
        programme: None,
        awards: Default::default(),
        previous: figures::previous(db, &query(None, true), stage).await?,
    };
    figures::awards(db, unit, &mut snap, map).await?;
    Ok(snap)
}

async fn report_states(
    db: &Db,
    unit: &Unit,
    range: YearRange,
    map: MapMode,
    within: Option<&[String]>,
) -> StorageResult<(u64, u64, Vec<Pending>)> {
    let within = analytics::period_filter(within);
    let subject = match map {
        MapMode::Historical => "r.unit_id",
        MapMode::Current => "m.current_id",
    };
    let rows = sqlx::query(&format!(
        "SELECT u.code, u.name, r.period, r.state FROM reports r \
         JOIN unit_data_map m ON m.unit_id = r.unit_id JOIN units u ON u.id = r.unit_id \
         WHERE r.period_year BETWEEN $2 AND $3 {within} \
           AND {subject} IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = $1) \
         ORDER BY r.period, u.code"
    ))
    .bind(unit.id)
    .bind(i64::from(range.from))
    .bind(i64::from(range.to))
    .fetch_all(db.pool())
    .await?;
    let mut approved = 0u64;
    let mut pending = Vec::new();
    for r in &rows {
        let state: String = r.get(3);
        if state == "approved" {
            approved += 1;
        } else if pending.len() < PENDING_LISTED {
            pending.push(Pending {
                unit: r.get(0),
                unit_name: r.get(1),
                period: r.get(2),
                state,
            });
        }
    }
    Ok((rows.len() as u64, approved, pending))
}

fn generated(s: &Snapshot) -> Vec<Paragraph> {
    s.narrative(&groups())
        .into_iter()
        .map(|(group, heading, text)| Paragraph {
            group,
            heading,
            text,
        })
        .collect()
}

/// What a new review is for.
#[derive(Debug, Clone)]
pub struct NewReview {
    pub unit: Unit,
    pub owner: Owner,
    pub stage: Stage,
    pub issue_date: Date,
}

/// Build a review from today's approved data and keep it (audited), naming
/// the programme that covers its stage.
pub async fn create(db: &Db, who: &Who, n: NewReview) -> StorageResult<i64> {
    create_with(db, who, n, ProgrammeChoice::Covering).await
}

/// Build a review naming the programme the officer chose (or the covering
/// one, or none), keep it and link it to the conference that reviewed the
/// same stage for the unit, if one is recorded (audited).
pub async fn create_with(
    db: &Db,
    who: &Who,
    n: NewReview,
    choice: ProgrammeChoice,
) -> StorageResult<i64> {
    // The years in range and in order (a stage built in code skips its parser).
    antq_core::periods::YearRange::new(n.stage.from, n.stage.to)?;
    if n.stage
        .half
        .is_some_and(|h| !(1..=2).contains(&h) || n.stage.to != n.stage.from)
    {
        return Err(DomainError::invalid("Sơ kết 6 tháng là S1 hoặc S2 của một năm").into());
    }
    if n.stage.to - n.stage.from > 30 {
        return Err(DomainError::invalid("một kỳ sơ kết, tổng kết dài tối đa 30 năm").into());
    }
    let mut snap = snapshot(db, &n.unit, n.stage).await?;
    snap.programme = coverage::chosen(db, &n.unit, n.stage.from, n.stage.to, choice).await?;
    let conference = conference_for(db, &n.unit, &snap).await?;
    let narrative = generated(&snap);
    let sections = drafting::sections_for(db, &n.unit, &n.stage).await?;
    let signers = signers::for_owner(db, n.unit.id, n.owner, &snap).await?;
    let coverage = drafting::coverage(db, &n.unit, &n.stage, n.unit.valid_to.is_none()).await?;
    let contents = (
        serde_json::to_string(&sections).map_err(json_err)?,
        serde_json::to_string(&signers).map_err(json_err)?,
        serde_json::to_string(&coverage).map_err(json_err)?,
    );
    let now = dates::timestamp(dates::now_utc());
    let (n, snap, narrative, now, contents) = (&n, &snap, &narrative, &now, &contents);
    let id = db
        .write(|mut tx| async move {
            let id: i64 = sqlx::query_scalar(
            "INSERT INTO reviews (unit_id, owner, period_from, period_to, half, issue_date, snapshot, narrative, edited, \
             created_by, created_at, updated_at, sections, signers, coverage) \
             VALUES ($1, $2, $3, $4, $10, $5, $6, $7, 0, $8, $9, $9, $11, $12, $13) RETURNING id",
            )
            .bind(n.unit.id)
            .bind(n.owner.as_str())
            .bind(i64::from(n.stage.from))
            .bind(i64::from(n.stage.to))
            .bind(dates::iso(n.issue_date))
            .bind(serde_json::to_string(&snap).map_err(json_err)?)
            .bind(serde_json::to_string(&narrative).map_err(json_err)?)
            .bind(&who.name)
            .bind(now)
            .bind(n.stage.half.map(i64::from))
            .bind(&contents.0)
            .bind(&contents.1)
            .bind(&contents.2)
            .fetch_one(tx.conn())
            .await?;
            if let Some(c) = conference {
                sqlx::query("INSERT INTO conference_reviews (conference_id, review_id) VALUES ($1, $2)")
                    .bind(c)
                    .bind(id)
                    .execute(tx.conn())
                    .await?;
            }
            audit::append(
            &mut tx,
            Change {
                who,
                action: "review.create",
                entity: "review",
                entity_id: id.to_string(),
                unit_id: Some(n.unit.id),
                before: None,
                after: Some(json!({"unit": n.unit.code, "owner": n.owner.as_str(),
                                   "from": n.stage.from, "to": n.stage.to, "half": n.stage.half,
                                   "issue_date": dates::iso(n.issue_date),
                                   "programme": snap.programme.as_ref().map(|p| p.id),
                                   "conference": conference,
                                   "coverage": coverage})),
            },
            )
            .await?;
            tx.commit().await?;
            Ok(id)
        })
        .await?;
    Ok(id)
}

/// The conference that reviewed this stage for this unit (whole years).
async fn conference_for(db: &Db, unit: &Unit, s: &Snapshot) -> StorageResult<Option<i64>> {
    if s.half.is_some() {
        return Ok(None);
    }
    figures::conference_of(db, unit, s.from, s.to)
        .await
        .map(|c| c.map(|(id, _, _)| id))
}

/// A stored review, exactly as it was built.
pub async fn get(db: &Db, id: i64) -> StorageResult<Review> {
    let r = sqlx::query(
        "SELECT id, unit_id, owner, issue_date, snapshot, narrative, edited, created_by, created_at, updated_at, \
         title, sections, signers, recipients, coverage FROM reviews WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(|| StorageError::not_found(format!("báo cáo tổng kết số {id}")))?;
    let snap: String = r.get(4);
    let narrative: String = r.get(5);
    let snapshot: Snapshot = serde_json::from_str(&snap).map_err(json_err)?;
    let owner: Owner = r.get::<String, _>(2).parse()?;
    let unit_id: i64 = r.get(1);
    let json = |i: usize| r.get::<Option<String>, _>(i);
    let sections = match json(11) {
        Some(t) => serde_json::from_str(&t).map_err(json_err)?,
        None => default_template(TemplateKind::of(&snapshot.stage())),
    };
    let signers = match json(12) {
        Some(t) => serde_json::from_str(&t).map_err(json_err)?,
        None => signers::for_owner(db, unit_id, owner, &snapshot).await?,
    };
    let recipients = match json(13) {
        Some(t) => Some(serde_json::from_str(&t).map_err(json_err)?),
        None => None,
    };
    let coverage = match json(14) {
        Some(t) => Some(serde_json::from_str(&t).map_err(json_err)?),
        None => None,
    };
    Ok(Review {
        id: r.get(0),
        unit_id,
        owner,
        issue_date: r.get(3),
        snapshot,
        narrative: serde_json::from_str(&narrative).map_err(json_err)?,
        edited: r.get::<i64, _>(6) != 0,
        created_by: r.get(7),
        created_at: r.get(8),
        updated_at: r.get(9),
        title: r.get(10),
        sections,
        signers,
        recipients,
        coverage,
        approvals: approvals::of_review(db, id).await?,
    })
}

/// The reviews of units the caller may read (`scope_sql` on `unit_id`), newest first.
pub async fn list(db: &Db, scope_sql: &str) -> StorageResult<Vec<Summary>> {
    let rows = sqlx::query(&format!(
        "SELECT v.id, u.code, u.name, v.owner, v.period_from, v.period_to, v.issue_date, v.created_by, v.created_at, v.half \
         FROM reviews v JOIN units u ON u.id = v.unit_id WHERE {} ORDER BY v.id DESC LIMIT 200",
        scope_sql.replace("unit_id", "v.unit_id")
    ))
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Summary {
                id: r.get(0),
                unit_code: r.get(1),
                unit_name: r.get(2),
                owner: r.get::<String, _>(3).parse()?,
                from: r.get::<i64, _>(4) as i32,
                to: r.get::<i64, _>(5) as i32,
                issue_date: r.get(6),
                created_by: r.get(7),
                created_at: r.get(8),
                half: r.get::<Option<i64>, _>(9).map(|h| h as u8),
            })
        })
        .collect()
}

/// What differs between the review's stored figures and today's data.
pub async fn changes_since(db: &Db, review: &Review) -> StorageResult<(Snapshot, Vec<Difference>)> {
    let unit = units::by_id(db, review.unit_id).await?;
    let now = snapshot(db, &unit, review.snapshot.stage()).await?;
    let d = reviews::diff(&review.snapshot, &now);
    Ok((now, d))
}
