//! The pages of the conferences registry: the list (by unit, year, kind),
//! the form to record or change one, a conference with everything recorded
//! about it (awards by issuer, photos), and its press draft.

use antq_core::dates;
use antq_core::programmes::conferences::ConferenceKind;
use antq_storage::accounts::access::Actor;
use antq_storage::programmes::conferences as store;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use super::form::FormView;
use super::ListParams;
use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::pages::{render, Chrome};
use crate::state::AppState;
use crate::units::pages::UnitPicker;

/// The page routes; `upload_limit` bounds the bodies of upload routes.
pub fn routes(upload_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/hoi-nghi", get(list))
        .route("/hoi-nghi/moi", get(new_form).post(create))
        .route("/hoi-nghi/{id}", get(super::show::show))
        .route("/hoi-nghi/{id}/sua", get(edit_form).post(update))
        .route("/hoi-nghi/{id}/tin-bai", get(super::show::draft))
        .route(
            "/hoi-nghi/{id}/anh",
            post(super::photos::add_photo).layer(axum::extract::DefaultBodyLimit::max(
                upload_limit.min(store::photos::MAX_PHOTO_BYTES + 64 * 1024),
            )),
        )
        .route("/hoi-nghi/{id}/anh/{photo}", get(super::photos::photo))
        .route(
            "/hoi-nghi/{id}/anh/{photo}/xoa",
            post(super::photos::remove_photo),
        )
}

/// A kind in words for the page (never its code).
pub(super) fn kind_words(k: ConferenceKind) -> &'static str {
    k.word_vi()
}

pub(super) fn stage_words(from: Option<i32>, to: Option<i32>) -> String {
    match (from, to) {
        (Some(f), Some(t)) if f == t => format!("Năm {f}"),
        (Some(f), Some(t)) => format!("{f} – {t}"),
        _ => String::new(),
    }
}

// ---------------------------------------------------------------- list

#[derive(Template)]
#[template(path = "programmes/conferences/list.html")]
struct ListPage {
    c: Chrome,
    picker: UnitPicker,
    from: String,
    to: String,
    kind: String,
    kinds: Vec<(&'static str, &'static str)>,
    /// id, date, kind, title, unit, stage.
    rows: Vec<(i64, String, String, String, String, String)>,
    /// "Có 4.960 hội nghị; đang hiện 500 hội nghị gần nhất…" when not all are shown.
    more: String,
    error: String,
    may_record: bool,
}

#[derive(Deserialize, Default)]
struct ListForm {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    unit_pick: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    kind: String,
}

fn kinds() -> Vec<(&'static str, &'static str)> {
    ConferenceKind::ALL
        .iter()
        .map(|k| (k.code(), kind_words(*k)))
        .collect()
}

async fn list(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Query(f): Query<ListForm>,
) -> PageResult<Response> {
    let picker = UnitPicker::new(&c, "unit", "conference-filter-unit", c.t("cf.unit"))
        .optional()
        .typed(&f.unit, &f.unit_pick);
    let found = async {
        let unit = if f.unit.trim().is_empty() {
            None
        } else {
            let u = crate::units::service::resolve_unit(
                &state,
                &f.unit,
                Some(&f.unit_pick),
                dates::today(),
            )
            .await?;
            Some(u)
        };
        let p = ListParams {
            from: Some(f.from.clone()),
            to: Some(f.to.clone()),
            kind: Some(f.kind.clone()),
            ..ListParams::default()
        };
        super::list(&state, &ctx.actor, &p, unit.as_ref()).await
    }
    .await;
    let mut more = String::new();
    let (rows, error) = match found {
        Ok((list, total)) => (
            {
                if total > list.len() as i64 {
                    more = format!(
                        "Có {} hội nghị; đang hiện {} hội nghị gần nhất. Hãy chọn đơn vị, khoảng năm hoặc loại để thu hẹp.",
                        antq_core::text::format_int(total),
                        antq_core::text::format_int(list.len() as i64)
                    );
                }
                list
            }
            .into_iter()
                .map(|s| {
                    (
                        s.id,
                        crate::pages::date_vi(Some(&s.held_on)).unwrap_or_default(),
                        kind_words(s.kind).to_string(),
                        s.title,
                        s.unit_name,
                        stage_words(s.stage_from, s.stage_to),
                    )
                })
                .collect(),
            String::new(),
        ),
        Err(e) => (Vec::new(), crate::error::capitalised(&e.message)),
    };
    let may_record = ctx
        .actor
        .grants
        .iter()
        .any(|g| antq_core::auth::Action::EditRecords.permitted_by(g.role));
    render(ListPage {
        picker,
        from: f.from,
        to: f.to,
        kind: f.kind,
        kinds: kinds(),
        rows,
        more,
        error,
        may_record,
        c,
    })
}

// ---------------------------------------------------------------- form

#[derive(Template)]
#[template(path = "programmes/conferences/form.html")]
struct FormPage {
    c: Chrome,
    /// Where the form goes: /hoi-nghi/moi or /hoi-nghi/{id}/sua.
    action: String,
    heading: &'static str,
    f: FormView,
    picker: UnitPicker,
    kinds: Vec<(&'static str, &'static str)>,
    bodies: Vec<(&'static str, &'static str)>,
    /// id, label, reviewed?, signed?
    programmes: Vec<(i64, String, bool, bool)>,
    /// id, label, chosen?
    reviews: Vec<(i64, String, bool)>,
    error: String,
    errors: Vec<String>,
}

fn bodies() -> Vec<(&'static str, &'static str)> {
    vec![
        ("cong_an", "Công an"),
        ("mttq", "Ban Thường trực Ủy ban MTTQ Việt Nam"),
        ("ubnd", "Ủy ban nhân dân"),
        ("khac", "Cơ quan khác (ghi tên)"),
    ]
}

async fn form_page(
    state: &AppState,
    c: Chrome,
    actor: &Actor,
    action: String,
    heading: &'static str,
    f: FormView,
    failure: Option<Failure>,
) -> PageResult<Response> {
    let programmes = store::programme_choices(&state.db, actor)
        .await?
        .into_iter()
        .map(|(id, _kind, title, reference)| {
            let label = match reference {
                Some(r) => format!("{title} ({r})"),
                None => title,
            };
            (id, label, f.reviewed.contains(&id), f.signed.contains(&id))
        })
        .collect();
    let scope = actor.scope_sql(antq_core::auth::Action::Read, "unit_id");
    let reviews = antq_storage::reviews::list(&state.db, &scope)
        .await?
        .into_iter()
        .map(|r| {
            let label = format!("{} – {} (số {})", r.unit_name, r.stage_label(), r.id);
            (r.id, label, f.reviews.contains(&r.id))
        })
        .collect();
    let picker = UnitPicker::new(&c, "unit", "conference-unit", c.t("cf.holder"))
        .typed(&f.unit, &f.unit_pick);
    let (status, error, errors) = match failure {
        Some(e) => (
            if e.status.is_client_error() {
                e.status
            } else {
                axum::http::StatusCode::UNPROCESSABLE_ENTITY
            },
            crate::error::capitalised(&e.message),
            crate::pages::error_lines(&e.errors),
        ),
        None => (axum::http::StatusCode::OK, String::new(), Vec::new()),
    };
    let mut res = render(FormPage {
        action,
        heading,
        f,
        picker,
        kinds: kinds(),
        bodies: bodies(),
        programmes,
        reviews,
        error,
        errors,
        c,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

async fn new_form(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
) -> PageResult<Response> {
    let mut f = FormView::blank();
    if let Some(own) = crate::units::service::own_unit(&state, &ctx.actor, dates::today()).await? {
        f.unit = own.name;
        f.unit_pick = own.code;
    }
    let heading = c.t("cf.new");
    form_page(
        &state,
        c,
        &ctx.actor,
        "/hoi-nghi/moi".into(),
        heading,
        f,
        None,
    )
    .await
}

/// The holding unit as picked, at the conference's date, then the parameters.
async fn submitted(state: &AppState, f: &FormView) -> Result<super::ConferenceParams, Failure> {
    let at = match f.held_on.trim() {
        "" => dates::today(),
        s => dates::parse_input_date(s)?,
    };
    let unit = crate::units::service::resolve_unit(state, &f.unit, Some(&f.unit_pick), at).await?;
    f.params(&unit.code)
}

async fn create(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let mut f = FormView::from_pairs(&pairs)?;
    let result = async {
        let p = submitted(&state, &f).await?;
        super::create(&state, &ctx.actor, &p).await
    }
    .await;
    match result {
        Ok(conf) => Ok(crate::pages::done(
            &format!("/hoi-nghi/{}", conf.id),
            "msg.created",
        )),
        Err(e) => {
            f.pad();
            let heading = c.t("cf.new");
            form_page(
                &state,
                c,
                &ctx.actor,
                "/hoi-nghi/moi".into(),
                heading,
                f,
                Some(e),
            )
            .await
        }
    }
}

async fn edit_form(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    let conf = super::get(&state, &ctx.actor, id).await?;
    if !store::may_edit(&state.db, &ctx.actor, conf.unit_id).await? {
        return Err(Failure::forbidden().into());
    }
    let heading = c.t("cf.edit");
    let f = FormView::from_conference(&conf);
    form_page(
        &state,
        c,
        &ctx.actor,
        format!("/hoi-nghi/{id}/sua"),
        heading,
        f,
        None,
    )
    .await
}

async fn update(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    super::get(&state, &ctx.actor, id).await?;
    let mut f = FormView::from_pairs(&pairs)?;
    let result = async {
        let p = submitted(&state, &f).await?;
        super::update(&state, &ctx.actor, id, &p).await
    }
    .await;
    match result {
        Ok(_) => Ok(crate::pages::done(&format!("/hoi-nghi/{id}"), "msg.saved")),
        Err(e) => {
            f.pad();
            let heading = c.t("cf.edit");
            let action = format!("/hoi-nghi/{id}/sua");
            form_page(&state, c, &ctx.actor, action, heading, f, Some(e)).await
        }
    }
}
