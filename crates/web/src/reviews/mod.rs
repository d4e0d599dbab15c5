//! The operations behind the review pages, API and `antq review`: build a
//! review from the approved data (stored with its figures), render it as
//! Word, Excel or HTML, edit its narrative, compare it with today's data.
//! Each checks access through the one policy; the CLI passes no actor.

pub mod api;
pub mod api_document;
pub mod compose;
pub mod document_view;
pub mod pages;
pub mod register_pages;
pub mod registers;
pub mod words;

use antq_core::auth::Action;
use antq_core::dates::{self, Date};
use antq_core::reviews::signing::Side;
use antq_core::reviews::{self, Difference, Header, Owner, Snapshot, Stage};
use antq_core::units::UnitCode;
use antq_storage::accounts::access::{self, Actor};
use antq_storage::reviews::{
    self as store, DocumentChange, NewReview, ProgrammeChoice, Review, Summary,
};
use antq_storage::{units, Db};

use crate::error::Failure;
use crate::statistics::{Download, XLSX};

pub use api_document::routes as document_api_routes;

/// The OpenAPI fragment of the document routes, merged into `openapi.json`.
pub const DOCUMENT_OPENAPI: &str = include_str!("document.openapi.json");

pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// What a new review is asked for (as typed in the form or on the command line).
pub struct ReviewParams<'a> {
    pub unit: &'a str,
    /// The date the unit is taken at (ISO or dd/mm/yyyy); default: the end of the stage, or today.
    pub at: Option<&'a str>,
    pub from: &'a str,
    pub to: Option<&'a str>,
    pub owner: &'a str,
    /// The date printed on the review (default today).
    pub issue_date: Option<&'a str>,
}

fn parse_date(s: Option<&str>) -> Result<Option<Date>, Failure> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Ok(Some(dates::parse_input_date(s)?)),
        None => Ok(None),
    }
}

/// Build and keep a review naming the programme that covers its stage; returns its id.
pub async fn create(db: &Db, actor: Option<&Actor>, p: ReviewParams<'_>) -> Result<i64, Failure> {
    create_choosing(db, actor, p, None).await
}

/// Build and keep a review naming `programme`: a programme's id, "none"
/// (the movement, no programme) or nothing / "" (the covering one).
pub async fn create_choosing(
    db: &Db,
    actor: Option<&Actor>,
    p: ReviewParams<'_>,
    programme: Option<&str>,
) -> Result<i64, Failure> {
    let choice = ProgrammeChoice::parse(programme.unwrap_or(""))?;
    let owner: Owner = p.owner.parse()?;
    let stage = Stage::parse(p.from, p.to)?;
    // The stage's last day: 30/06 for a first half, else 31/12 of its last year.
    let end = match stage.half {
        Some(1) => Date::from_ymd_opt(stage.to, 6, 30),
        _ => Date::from_ymd_opt(stage.to, 12, 31),
    }
    .unwrap_or_else(dates::today);
    let at = parse_date(p.at)?.unwrap_or_else(|| end.min(dates::today()));
    let unit = units::get_at(db, &UnitCode::parse(p.unit)?, at).await?;
    let who = match actor {
        Some(a) => {
            require_issuer(db, a, owner, unit.id).await?;
            a.who()
        }
        None => antq_storage::audit::Who::system(),
    };
    let issue_date = parse_date(p.issue_date)?.unwrap_or_else(dates::today);
    Ok(store::create_with(
        db,
        &who,
        NewReview {
            unit,
            owner,
            stage,
            issue_date,
        },
        choice,
    )
    .await?)
}

/// The police issue police reviews, the Front the Front's, either a joint
/// one; administrators any. Checked through the one policy, role by role.
async fn require_issuer(db: &Db, actor: &Actor, owner: Owner, unit_id: i64) -> Result<(), Failure> {
    use antq_core::auth::Role;
    let roles: &[Role] = match owner {
        Owner::Police => &[Role::Admin, Role::Police],
        Owner::Front => &[Role::Admin, Role::Front],
        Owner::Joint => &[Role::Admin, Role::Police, Role::Front],
    };
    Ok(access::require(db, &actor.with_roles(roles), Action::WriteReview, unit_id).await?)
}

/// Build and keep a review, and render it (`antq review`, `antq bench review`).
pub async fn create_file(
    db: &Db,
    p: ReviewParams<'_>,
    format: &str,
) -> Result<(Review, Download), Failure> {
    create_file_choosing(db, p, None, format).await
}

/// As [`create_file`], naming `programme` (`antq review --programme ID|none`).
pub async fn create_file_choosing(
    db: &Db,
    p: ReviewParams<'_>,
    programme: Option<&str>,
    format: &str,
) -> Result<(Review, Download), Failure> {
    let id = create_choosing(db, None, p, programme).await?;
    let r = get(db, None, id).await?;
    let d = render(&r, format)?;
    Ok((r, d))
}

/// A stored review the caller may read.
pub async fn get(db: &Db, actor: Option<&Actor>, id: i64) -> Result<Review, Failure> {
    let r = store::get(db, id).await?;
    if let Some(a) = actor {
        // Outside the caller's units: "not found", as a missing id.
        access::require_visible(db, a, Action::Read, r.unit_id, || {
            format!("báo cáo tổng kết số {id}")
        })
        .await?;
    }
    Ok(r)
}

/// May the caller edit this review (as one who may issue it)?
pub async fn may_edit(db: &Db, actor: &Actor, r: &Review) -> Result<bool, Failure> {
    match require_issuer(db, actor, r.owner, r.unit_id).await {
        Ok(()) => Ok(true),
        Err(f) if f.status == axum::http::StatusCode::FORBIDDEN => Ok(false),
        Err(f) => Err(f),
    }
}

/// The programmes a review may name, for the form: (id, words).
pub async fn programme_choices(db: &Db, actor: &Actor) -> Result<Vec<(i64, String)>, Failure> {
    Ok(
        antq_storage::programmes::coverage::choices(db, &actor.scope_sql(Action::Read, "unit_id"))
            .await?,
    )
}

pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<Summary>, Failure> {
    Ok(store::list(db, &actor.scope_sql(Action::Read, "unit_id")).await?)
}

/// The header texts of a stored review: the officer's title, signers and
/// recipients where chosen, and the draft stamp's reason while its data
/// was not complete.
pub fn header(r: &Review) -> Header {
    let date = dates::parse_date(&r.issue_date).unwrap_or_else(|_| dates::today());
    let mut h = reviews::header(&r.snapshot, r.owner, date, &r.choices());
    h.draft = r.draft();
    h
}

/// A warning when the review is dated before its data's period ends.
pub fn date_warning(r: &Review) -> Option<String> {
    let date = dates::parse_date(&r.issue_date).ok()?;
    reviews::document::date_warning(&r.snapshot.stage(), date)
}

/// The review as a file: docx, xlsx or html.
pub fn render(r: &Review, format: &str) -> Result<Download, Failure> {
    let h = header(r);
    let doc = antq_office::review::ReviewDoc {
        header: &h,
        sections: &r.sections,
        snapshot: &r.snapshot,
        narrative: &r.narrative,
    };
    let stage = match r.snapshot.half {
        Some(h) => format!("{}S{h}", r.snapshot.from),
        None => format!("{}-{}", r.snapshot.from, r.snapshot.to),
    };
    let base = format!("bao-cao-{}-{stage}_{}", r.snapshot.unit_code, r.id);
    let fail = |e: String| Failure::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e);
    match format {
        "docx" => Ok(Download {
            bytes: antq_office::review::docx(&doc).map_err(fail)?,
            content_type: DOCX,
            filename: format!("{base}.docx"),
        }),
        "xlsx" => Ok(Download {
            bytes: antq_office::review::xlsx(&doc).map_err(fail)?,
            content_type: XLSX,
            filename: format!("{base}.xlsx"),
        }),
        "html" => Ok(Download {
            bytes: crate::reviews::pages::review_html(r)
                .map_err(|e| fail(e.to_string()))?
                .into_bytes(),
            content_type: "text/html; charset=utf-8",
            filename: format!("{base}.html"),
        }),
        other => Err(Failure::bad_request(format!(
            "định dạng \"{other}\" không hỗ trợ (docx, xlsx, html)"
        ))),
    }
}

/// Replace narrative paragraphs (by group) with an editor's text.
pub async fn edit(
    db: &Db,
    actor: &Actor,
    id: i64,
    texts: &std::collections::BTreeMap<String, String>,
) -> Result<Review, Failure> {
    let r = get(db, Some(actor), id).await?;
    require_issuer(db, actor, r.owner, r.unit_id).await?;
    Ok(store::edit_narrative(db, &actor.who(), id, texts).await?)
}

/// What changed in the data since the review was built.
pub async fn changes(
    db: &Db,
    actor: Option<&Actor>,
    id: i64,
) -> Result<(Review, Snapshot, Vec<Difference>), Failure> {
    let r = get(db, actor, id).await?;
    let (now, diff) = store::changes_since(db, &r).await?;
    Ok((r, now, diff))
}

/// Save the title, sections, signers and recipients of a review (one who
/// may issue it; audited). The approvals given to the old text go.
pub async fn save_document(
    db: &Db,
    actor: &Actor,
    id: i64,
    change: DocumentChange,
) -> Result<Review, Failure> {
    let r = get(db, Some(actor), id).await?;
    require_issuer(db, actor, r.owner, r.unit_id).await?;
    Ok(store::save_document(db, &actor.who(), id, change).await?)
}

/// The role whose grant approves a side's text.
fn role_of(side: Side) -> antq_core::auth::Role {
    match side {
        Side::Police => antq_core::auth::Role::Police,
        Side::Front => antq_core::auth::Role::Front,
    }
}

/// May the caller approve this side of the review (a grant of that side
/// over its unit)?
pub async fn may_approve(db: &Db, actor: &Actor, r: &Review, side: Side) -> Result<bool, Failure> {
    Ok(Side::of(r.owner).contains(&side)
        && access::can(db, actor, Action::ApproveReview(role_of(side)), r.unit_id).await?)
}

/// Approve the review's text for one side: the police by a police grant over
/// its unit, the Front by a Front grant (audited). A joint review is final
/// once both have; a draft is refused with the reason.
pub async fn approve(
    db: &Db,
    actor: &Actor,
    id: i64,
    side: Side,
    version: Option<&str>,
) -> Result<Review, Failure> {
    let r = get(db, Some(actor), id).await?;
    if Side::of(r.owner).contains(&side) {
        access::require(db, actor, Action::ApproveReview(role_of(side)), r.unit_id).await?;
    }
    Ok(store::approve_read(db, &actor.who(), id, side, version).await?)
}
