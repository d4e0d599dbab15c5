//! `/khen-thuong/moi`: propose an award, or record a past decision. Units
//! are picked by name; recipients are repeatable rows ("Thêm dòng" sends
//! the form back with more rows, so it works without JavaScript).

use antq_core::dates;
use antq_storage::accounts::access::Actor;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Form as FormBody;
use serde::Deserialize;

use super::{AwardIn, RecipientIn};
use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::pages::{render, Chrome};
use crate::state::AppState;
use crate::units::pages::UnitPicker;

/// Rows shown at first, added per "Thêm dòng", and at most.
const FIRST_ROWS: usize = 3;
const MORE_ROWS: usize = 3;
const MAX_ROWS: usize = antq_core::programmes::awards::limits::MAX_RECIPIENTS;

#[derive(Default, Clone)]
pub struct Typed {
    pub form: String,
    pub office: String,
    pub reason: String,
    pub conference_id: String,
    pub decision: String,
    pub date: String,
    pub unit: (String, String),
    pub issuer: (String, String),
    /// (kind code, name, position, body)
    pub rows: Vec<(String, String, String, String)>,
}

#[derive(Template)]
#[template(path = "programmes/awards/new.html")]
struct NewPage {
    c: Chrome,
    t: Typed,
    unit_picker: UnitPicker,
    issuer_picker: UnitPicker,
    forms: Vec<(String, String)>,
    offices: Vec<(String, String)>,
    conference: String,
    error: String,
    errors: Vec<String>,
}

#[derive(Deserialize)]
pub struct NewParams {
    hoi_nghi: Option<String>,
}

async fn page(
    state: &AppState,
    actor: &Actor,
    c: Chrome,
    t: Typed,
    err: Option<Failure>,
) -> PageResult<Response> {
    let (forms, offices) = super::pages::choices(state).await?;
    let conference = match t.conference_id.trim().parse::<i64>() {
        Ok(id) => antq_storage::programmes::awards::conference_title(&state.db, actor, id)
            .await?
            .map(|(title, d)| format!("{title} ({})", crate::pages::date_vi(Some(&d)).unwrap_or(d)))
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    let unit_picker =
        UnitPicker::new(&c, "unit", "award-unit", c.t("aw.unit")).typed(&t.unit.0, &t.unit.1);
    let issuer_picker = UnitPicker::new(
        &c,
        "issuer_unit",
        "award-issuer-unit",
        c.t("aw.issuer_unit"),
    )
    .typed(&t.issuer.0, &t.issuer.1);
    let status = err.as_ref().map(|e| e.status);
    let (error, errors) = match err {
        Some(e) => (
            crate::error::capitalised(&e.message),
            crate::pages::error_lines(&e.errors),
        ),
        None => (String::new(), Vec::new()),
    };
    let mut res = render(NewPage {
        t,
        unit_picker,
        issuer_picker,
        forms,
        offices,
        conference,
        error,
        errors,
        c,
    })?;
    if let Some(s) = status {
        *res.status_mut() = if s.is_client_error() {
            s
        } else {
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        };
    }
    Ok(res)
}

/// `GET /khen-thuong/moi[?hoi_nghi=ID]`: the empty form (the conference prefilled).
pub async fn form(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Query(p): Query<NewParams>,
) -> PageResult<Response> {
    let own = crate::units::service::own_unit(&state, &ctx.actor, dates::today()).await?;
    let unit = own.map(|o| (o.name, o.code)).unwrap_or_default();
    let t = Typed {
        conference_id: p
            .hoi_nghi
            .as_deref()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .map(|i| i.to_string())
            .unwrap_or_default(),
        issuer: unit.clone(),
        unit,
        rows: vec![
            (
                String::from("tap_the"),
                String::new(),
                String::new(),
                String::new()
            );
            FIRST_ROWS
        ],
        ..Typed::default()
    };
    page(&state, &ctx.actor, c, t, None).await
}

fn typed(fields: &[(String, String)]) -> (Typed, bool) {
    let get = |k: &str| {
        fields
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let n: usize = get("rows")
        .trim()
        .parse()
        .unwrap_or(FIRST_ROWS)
        .min(MAX_ROWS);
    let rows = (0..n)
        .map(|i| {
            (
                get(&format!("kind_{i}")),
                get(&format!("name_{i}")),
                get(&format!("position_{i}")),
                get(&format!("body_{i}")),
            )
        })
        .collect();
    let t = Typed {
        form: get("form"),
        office: get("office"),
        reason: get("reason"),
        conference_id: get("conference_id"),
        decision: get("decision"),
        date: get("date"),
        unit: (get("unit"), get("unit_pick")),
        issuer: (get("issuer_unit"), get("issuer_unit_pick")),
        rows,
    };
    (t, !get("more").is_empty())
}

async fn submit(
    state: &AppState,
    actor: &antq_storage::accounts::access::Actor,
    t: &Typed,
) -> Result<i64, Failure> {
    let at = match t.date.trim() {
        "" => dates::today(),
        d => dates::parse_input_date(d)?,
    };
    let unit = crate::units::service::resolve_unit(state, &t.unit.0, Some(&t.unit.1), at).await?;
    let issuer =
        crate::units::service::resolve_unit(state, &t.issuer.0, Some(&t.issuer.1), at).await?;
    let recipients = t
        .rows
        .iter()
        .filter(|r| !r.1.trim().is_empty())
        .map(|r| RecipientIn {
            kind: r.0.clone(),
            name: r.1.clone(),
            office: r.2.clone(),
            body: r.3.clone(),
            ..RecipientIn::default()
        })
        .collect();
    let conference_id = match t.conference_id.trim() {
        "" => None,
        s => Some(
            s.parse::<i64>()
                .map_err(|_| Failure::bad_request("Mã hội nghị không hợp lệ"))?,
        ),
    };
    let a = AwardIn {
        form: t.form.clone(),
        office: t.office.clone(),
        unit: unit.code,
        issuer_unit: issuer.code,
        reason: t.reason.clone(),
        conference_id,
        recipients,
        decision: Some(t.decision.clone()),
        date: Some(t.date.clone()),
    };
    super::create(&state.db, Some(actor), &a).await
}

/// `POST /khen-thuong/moi`: more rows, or the award proposed or recorded.
pub async fn create(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    FormBody(fields): FormBody<Vec<(String, String)>>,
) -> PageResult<Response> {
    let (mut t, more) = typed(&fields);
    if more {
        let n = (t.rows.len() + MORE_ROWS).min(MAX_ROWS);
        t.rows.resize(
            n,
            (
                String::from("ca_nhan"),
                String::new(),
                String::new(),
                String::new(),
            ),
        );
        return page(&state, &ctx.actor, c, t, None).await;
    }
    match submit(&state, &ctx.actor, &t).await {
        Ok(id) => Ok(crate::pages::done(
            &format!("/khen-thuong/{id}"),
            "msg.created",
        )),
        Err(e) => page(&state, &ctx.actor, c, t, Some(e)).await,
    }
}
