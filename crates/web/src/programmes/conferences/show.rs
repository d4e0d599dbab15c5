//! A conference as its page shows it (everything recorded, the awards
//! given there by issuer, the photos) and its press draft in text areas.

use antq_core::programmes::awards::RecipientKind;
use antq_core::programmes::conferences::PressDraft;
use antq_core::text::format_int;
use antq_storage::programmes::conferences::{self as store, Conference, Role};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::pages::{kind_words, stage_words};
use crate::auth::PageUser;
use crate::error::PageResult;
use crate::pages::{render, Chrome};
use crate::state::AppState;

// ---------------------------------------------------------------- show

/// Awards by issuer and form: (issuer, form, collectives, individuals).
type AwardRow = (String, String, String, String);

#[derive(Template)]
#[template(path = "programmes/conferences/show.html")]
struct ShowPage {
    c: Chrome,
    conf: Conference,
    kind: &'static str,
    date: String,
    stage: String,
    attendance: String,
    attendees: Vec<String>,
    reviewed: Vec<(i64, String)>,
    signed: Vec<(i64, String)>,
    /// id, label.
    reviews: Vec<(i64, String)>,
    awards: Vec<AwardRow>,
    awards_sentence: String,
    editable: bool,
}

fn award_rows(counts: &[antq_core::programmes::awards::AwardCount]) -> Vec<AwardRow> {
    let mut rows: Vec<(String, String, i64, i64)> = Vec::new();
    for a in counts {
        let i = match rows.iter().position(|r| r.0 == a.issuer && r.1 == a.form) {
            Some(i) => i,
            None => {
                rows.push((a.issuer.clone(), a.form.clone(), 0, 0));
                rows.len() - 1
            }
        };
        match a.recipient_kind {
            RecipientKind::Collective => rows[i].2 += a.count,
            RecipientKind::Individual => rows[i].3 += a.count,
        }
    }
    rows.into_iter()
        .map(|(i, f, t, n)| (i, f, format_int(t), format_int(n)))
        .collect()
}

fn linked(conf: &Conference, role: Role) -> Vec<(i64, String)> {
    conf.programmes
        .iter()
        .filter(|p| p.role == role)
        .map(|p| {
            let label = match &p.reference {
                Some(r) => format!("{} ({r})", p.title),
                None => p.title.clone(),
            };
            (p.id, label)
        })
        .collect()
}

pub async fn show(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    let conf = super::get(&state, &ctx.actor, id).await?;
    let editable = store::may_edit(&state.db, &ctx.actor, conf.unit_id).await?;
    let counts = super::awards(&state, id).await?;
    render(ShowPage {
        kind: kind_words(conf.kind),
        date: crate::pages::date_vi(Some(&conf.held_on)).unwrap_or_default(),
        stage: stage_words(conf.stage_from, conf.stage_to),
        attendance: conf.attendance.map(format_int).unwrap_or_default(),
        attendees: conf.attendees.iter().map(|a| a.words()).collect(),
        reviewed: linked(&conf, Role::Reviews),
        signed: linked(&conf, Role::Signed),
        reviews: conf
            .reviews
            .iter()
            .map(|r| {
                let stage = crate::reviews::pages::stage_words(r.from, r.to, None);
                (r.id, format!("{} – {stage}", r.unit_name))
            })
            .collect(),
        awards: award_rows(&counts),
        awards_sentence: antq_core::programmes::awards::awards_sentence(&counts),
        editable,
        conf,
        c,
    })
}

// ---------------------------------------------------------------- press draft

#[derive(Template)]
#[template(path = "programmes/conferences/draft.html")]
struct DraftPage {
    c: Chrome,
    id: i64,
    title: String,
    author: String,
    d: PressDraft,
    rows: usize,
}

#[derive(Deserialize, Default)]
pub struct DraftForm {
    #[serde(default)]
    author: String,
}

pub async fn draft(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    Query(q): Query<DraftForm>,
) -> PageResult<Response> {
    let conf = super::get(&state, &ctx.actor, id).await?;
    let d = super::draft(&state, &ctx.actor, id, &q.author).await?;
    let rows = (d.body.chars().count() / 60 + d.body.matches('\n').count() + 2).clamp(8, 40);
    render(DraftPage {
        id,
        title: conf.title,
        author: q.author,
        d,
        rows,
        c,
    })
}
