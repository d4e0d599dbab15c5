//! The pages of the awards registry: the register (`/khen-thuong`), one
//! award with its decide and refuse forms, the printable list, the Excel
//! register in and out. The proposal form is in `new_page`.

use antq_core::dates;
use antq_core::programmes::awards::AwardState;
use antq_storage::programmes::awards as store;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form as FormBody, Router};
use serde::Deserialize;

use super::views::{self, AwardRow};
use super::RegisterQuery;
use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::pages::{render, Chrome};
use crate::registries::upload::{self, ImportScreen, Outcome};
use crate::state::AppState;
use crate::statistics::{name_part, Download};
use crate::units::pages::UnitPicker;

/// The page routes; `upload_limit` bounds the bodies of upload routes.
pub fn routes(upload_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/khen-thuong", get(register))
        .route(
            "/khen-thuong/moi",
            get(super::new_page::form).post(super::new_page::create),
        )
        .route("/khen-thuong/danh-muc", get(super::catalogue::page))
        .route(
            "/khen-thuong/danh-muc/quy-dinh",
            post(super::catalogue::page_rule),
        )
        .route(
            "/khen-thuong/danh-muc/hinh-thuc",
            post(super::catalogue::page_form),
        )
        .route(
            "/khen-thuong/danh-muc/co-quan",
            post(super::catalogue::page_office),
        )
        .route(
            "/khen-thuong/nhap",
            get(import_form)
                .post(import_upload)
                .layer(axum::extract::DefaultBodyLimit::max(upload_limit)),
        )
        .route("/khen-thuong/xuat", get(export))
        .route("/khen-thuong/{id}", get(show))
        .route("/khen-thuong/{id}/quyet-dinh", post(decide))
        .route("/khen-thuong/{id}/khong-khen", post(refuse))
        .route("/khen-thuong/{id}/danh-sach.docx", get(list_docx))
}

/// The register's filters as typed.
#[derive(Deserialize, Default)]
pub struct RegisterParams {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    unit_pick: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    form: String,
    #[serde(default)]
    office: String,
    #[serde(default)]
    state: String,
}

#[derive(Template)]
#[template(path = "programmes/awards/register.html")]
struct RegisterPage {
    c: Chrome,
    picker: UnitPicker,
    p: RegisterParams,
    forms: Vec<(String, String)>,
    offices: Vec<(String, String)>,
    states: Vec<(&'static str, &'static str)>,
    rows: Vec<AwardRow>,
    by_issuer: Vec<String>,
    error: String,
    export_href: String,
}

/// `GET /khen-thuong`: the awards of the units one may read, filtered.
pub async fn register(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Query(p): Query<RegisterParams>,
) -> PageResult<Response> {
    let picker = UnitPicker::new(&c, "unit", "award-filter-unit", c.t("aw.unit"))
        .optional()
        .typed(&p.unit, &p.unit_pick);
    let found = async {
        let unit = match p.unit.trim() {
            "" => None,
            t => Some(
                crate::units::service::resolve_unit(&state, t, Some(&p.unit_pick), dates::today())
                    .await?
                    .code,
            ),
        };
        let q = RegisterQuery {
            unit: unit.clone(),
            from: Some(p.from.clone()),
            to: Some(p.to.clone()),
            form: Some(p.form.clone()),
            office: Some(p.office.clone()),
            state: Some(p.state.clone()),
            ..RegisterQuery::default()
        };
        let list = super::list(&state.db, Some(&ctx.actor), &q).await?;
        Ok::<_, Failure>((unit, list))
    }
    .await;
    let (unit, list, error) = match found {
        Ok((u, l)) => (u, l, String::new()),
        Err(e) => (None, Vec::new(), crate::error::capitalised(&e.message)),
    };
    let export_href = match (&unit, p.from.trim()) {
        (Some(u), from) if !from.is_empty() => format!(
            "/khen-thuong/xuat?unit={u}&from={}&to={}",
            crate::auth::urlencode(from),
            crate::auth::urlencode(p.to.trim())
        ),
        _ => String::new(),
    };
    let (forms, offices) = choices(&state).await?;
    render(RegisterPage {
        picker,
        forms,
        offices,
        states: AwardState::ALL
            .iter()
            .map(|s| (s.code(), s.word_vi()))
            .collect(),
        by_issuer: views::by_issuer(&list),
        rows: list.iter().map(views::row).collect(),
        error,
        export_href,
        p,
        c,
    })
}

/// The forms and the offices as (code, name) for the selects.
pub async fn choices(
    state: &AppState,
) -> PageResult<(Vec<(String, String)>, Vec<(String, String)>)> {
    let forms = store::forms(&state.db)
        .await?
        .into_iter()
        .filter(|f| f.active)
        .map(|f| (f.code, f.name))
        .collect();
    let offices = store::offices(&state.db)
        .await?
        .into_iter()
        .filter(|o| o.active)
        .map(|o| (o.code, o.name))
        .collect();
    Ok((forms, offices))
}

/// A recipient as a row of the award page.
pub struct RecipientRow {
    pub id: i64,
    pub kind: &'static str,
    pub name: String,
    pub detail: String,
    pub state: &'static str,
}

#[derive(Template)]
#[template(path = "programmes/awards/show.html")]
struct ShowPage {
    c: Chrome,
    a: AwardRow,
    unit: String,
    reason: String,
    /// Why it was refused (empty unless refused).
    refusal: String,
    conference: Option<(i64, String)>,
    recipients: Vec<RecipientRow>,
    can_decide: bool,
    today: String,
}

fn recipient_state(c: &Chrome, s: &str) -> &'static str {
    c.t(match s {
        "accepted" => "aw.accepted",
        "rejected" => "aw.rejected",
        _ => "aw.proposed",
    })
}

/// `GET /khen-thuong/{id}`.
pub async fn show(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    let a = store::get(&state.db, Some(&ctx.actor), id).await?;
    let can_decide =
        a.state == AwardState::Proposed && store::may_decide(&state.db, &ctx.actor, &a).await?;
    let conference = match a.conference_id {
        Some(cid) => store::conference_title(&state.db, &ctx.actor, cid)
            .await?
            .map(|(t, d)| {
                (
                    cid,
                    format!("{t} ({})", crate::pages::date_vi(Some(&d)).unwrap_or(d)),
                )
            }),
        None => None,
    };
    let recipients = a
        .recipients
        .iter()
        .map(|r| RecipientRow {
            id: r.id,
            kind: c.t(match r.kind {
                antq_core::programmes::awards::RecipientKind::Collective => "aw.collective",
                antq_core::programmes::awards::RecipientKind::Individual => "aw.individual",
            }),
            name: r.name.clone(),
            detail: [r.office.as_str(), r.body.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
            state: recipient_state(&c, &r.state),
        })
        .collect();
    let refusal = store::refusal_reason(&state.db, Some(&ctx.actor), id).await?;
    render(ShowPage {
        unit: format!("{} ({})", a.unit.name, a.unit.code),
        reason: a.reason.clone(),
        refusal,
        a: views::row(&a),
        conference,
        recipients,
        can_decide,
        today: dates::format_vi(dates::today()),
        c,
    })
}

/// `POST /khen-thuong/{id}/quyet-dinh`: accepted (repeated), decision, date.
pub async fn decide(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    FormBody(fields): FormBody<Vec<(String, String)>>,
) -> Response {
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let accepted: Result<Vec<i64>, _> = fields
        .iter()
        .filter(|(k, _)| k == "accepted")
        .take(antq_core::programmes::awards::limits::MAX_RECIPIENTS + 1)
        .map(|(_, v)| v.trim().parse::<i64>())
        .collect();
    let to = format!("/khen-thuong/{id}");
    let r = match accepted {
        Ok(list) => {
            super::decide(
                &state.db,
                Some(&ctx.actor),
                id,
                Some(list),
                get("decision"),
                get("date"),
            )
            .await
        }
        Err(_) => Err(Failure::bad_request(
            "Danh sách người được khen không hợp lệ",
        )),
    };
    crate::pages::outcome(r, &to, "msg.saved", &to)
}

#[derive(Deserialize)]
pub struct RefuseForm {
    #[serde(default)]
    reason: String,
}

/// `POST /khen-thuong/{id}/khong-khen`.
pub async fn refuse(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    FormBody(f): FormBody<RefuseForm>,
) -> Response {
    let to = format!("/khen-thuong/{id}");
    let r = store::refuse(&state.db, Some(&ctx.actor), id, &f.reason)
        .await
        .map_err(Failure::from);
    crate::pages::outcome(r, &to, "msg.saved", &to)
}

/// `GET /khen-thuong/{id}/danh-sach.docx`: the list of a decision, for print.
pub async fn list_docx(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    let a = store::get(&state.db, Some(&ctx.actor), id).await?;
    Ok(views::list_docx(&a)?.into_response())
}

static IMPORT: ImportScreen = ImportScreen {
    id: "award",
    title: "aw.import",
    hint: "aw.import_hint",
    back: ("/khen-thuong", "aw.back_register"),
    template: None,
    action: "/khen-thuong/nhap",
    accept: ".xlsx",
    file: "aw.file",
    dry_run: "aw.dry_run",
    submit: "aw.import_submit",
};

/// `GET /khen-thuong/nhap`.
pub async fn import_form(c: Chrome, PageUser(_): PageUser) -> PageResult<Response> {
    IMPORT.form(c)
}

/// `POST /khen-thuong/nhap` (multipart: file, dry_run): all or nothing.
pub async fn import_upload(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    multipart: Multipart,
) -> PageResult<Response> {
    let file = upload::read(&state, multipart).await?;
    let written =
        super::register::import(&state.db, Some(&ctx.actor), &file.bytes, file.dry_run).await;
    let outcome = Outcome::of(written, file.dry_run, |n| {
        format!("{} khen thưởng với {} người nhận", n.awards, n.recipients)
    });
    IMPORT.answer(c, outcome)
}

#[derive(Deserialize)]
pub struct ExportParams {
    unit: String,
    from: String,
    #[serde(default)]
    to: String,
}

/// `GET /khen-thuong/xuat?unit=CODE&from=&to=`: the register as Excel.
pub async fn export(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Query(p): Query<ExportParams>,
) -> PageResult<Response> {
    let to = Some(p.to.trim()).filter(|s| !s.is_empty());
    let range = antq_core::periods::YearRange::parse(p.from.trim(), to)?;
    let bytes = super::register::export(&state.db, Some(&ctx.actor), &p.unit, range).await?;
    let name = format!(
        "so-khen-thuong-{}-{}-{}.xlsx",
        name_part(&p.unit),
        range.from,
        range.to
    );
    Ok(Download::xlsx(bytes, name))
}
