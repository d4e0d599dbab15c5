//! Uploading a file of values (Excel template, long CSV, DHIS2 JSON), with
//! a dry run, and the result: what changed, or every error with its place.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Response};

use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::pages::{render, Chrome};
use crate::state::AppState;
use crate::statistics;

#[derive(Template)]
#[template(path = "data/upload.html")]
struct UploadPage {
    c: Chrome,
    filename: String,
    dry_run: bool,
    summary: Option<antq_storage::statistics::import::ImportSummary>,
    errors: Vec<String>,
    message: String,
    /// The export form: the forms to choose from, the unit (the user's own).
    forms: Vec<(String, String)>,
    picker: crate::units::pages::UnitPicker,
    year: String,
}

/// The forms to choose from and the export form's unit picker.
async fn export_form(
    state: &AppState,
    c: &Chrome,
    actor: &antq_storage::accounts::access::Actor,
) -> PageResult<(
    Vec<(String, String)>,
    crate::units::pages::UnitPicker,
    String,
)> {
    let forms = antq_storage::statistics::catalogue::form_codes(&state.db).await?;
    let picker = crate::units::pages::UnitPicker::own(
        state,
        c,
        actor,
        "unit",
        "export-unit",
        c.t("picker.unit"),
    )
    .await?;
    let year = crate::statistics::analysis::current_reporting_year().to_string();
    Ok((forms, picker, year))
}

pub async fn form(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
) -> PageResult<Response> {
    let (forms, picker, year) = export_form(&state, &c, &ctx.actor).await?;
    render(UploadPage {
        c,
        filename: String::new(),
        dry_run: true,
        summary: None,
        errors: Vec::new(),
        message: String::new(),
        forms,
        picker,
        year,
    })
}

#[derive(serde::Deserialize)]
pub struct ExportChoice {
    #[serde(default)]
    form: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    unit_pick: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    format: String,
}

/// `/tai-ve/so-lieu?form=…&unit=…`: the export chosen on the page, with the
/// unit by name or code, sent on to `/tai-ve/so-lieu/{form}/{code}`.
pub async fn export_chosen(
    State(state): State<AppState>,
    PageUser(_): PageUser,
    axum::extract::Query(q): axum::extract::Query<ExportChoice>,
) -> PageResult<Response> {
    let unit = crate::units::service::resolve_unit(
        &state,
        &q.unit,
        Some(&q.unit_pick),
        antq_core::dates::today(),
    )
    .await?;
    let form = antq_storage::statistics::catalogue::form(&state.db, q.form.trim()).await?;
    let mut to = format!(
        "/tai-ve/so-lieu/{}/{}?from={}",
        crate::auth::urlencode(&form.code),
        unit.code,
        crate::auth::urlencode(q.from.trim())
    );
    if !q.to.trim().is_empty() {
        to.push_str(&format!("&to={}", crate::auth::urlencode(q.to.trim())));
    }
    if q.format == "dhis2" {
        to.push_str("&format=dhis2");
    }
    Ok(axum::response::Redirect::to(&to).into_response())
}

pub async fn upload(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    headers: axum::http::HeaderMap,
    mut multipart: Multipart,
) -> PageResult<Response> {
    // Checked before any of the body is read (the multipart is read below).
    let permit = statistics::admit_upload(&state, &ctx.actor, &headers).await?;
    let mut filename = String::new();
    let mut bytes = axum::body::Bytes::new();
    let mut dry_run = false;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| statistics::too_large_or(&state, e.status(), e.to_string()))?
    {
        match field.name() {
            Some("file") => {
                filename = field.file_name().unwrap_or_default().to_string();
                bytes = field
                    .bytes()
                    .await
                    .map_err(|e| statistics::too_large_or(&state, e.status(), e.to_string()))?;
            }
            Some("dry_run") => dry_run = true,
            _ => {}
        }
    }
    let format = antq_office::files::Format::guess(&filename).ok_or_else(|| {
        Failure::bad_request(format!(
            "không nhận ra định dạng của \"{filename}\" (.xlsx, .csv, .json)"
        ))
    })?;
    let (summary, errors, message) =
        match statistics::import_upload(&state, &ctx.actor, permit, format, bytes, dry_run).await {
            Ok(s) => (Some(s), Vec::new(), String::new()),
            // Too many imports at once: the error page with its 429.
            Err(f) if f.status == axum::http::StatusCode::TOO_MANY_REQUESTS => return Err(f.into()),
            Err(f) => (None, f.errors.clone(), f.message),
        };
    let status = if errors.is_empty() && message.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let (forms, picker, year) = export_form(&state, &c, &ctx.actor).await?;
    let mut res = render(UploadPage {
        c,
        filename,
        dry_run,
        summary,
        errors,
        message,
        forms,
        picker,
        year,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// The Excel template of a form for a unit and period.
pub async fn template(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    axum::extract::Path((form, unit, period)): axum::extract::Path<(String, String, String)>,
) -> PageResult<Response> {
    Ok(crate::api::download(
        statistics::template(&state.db, Some(&ctx.actor), &form, &unit, &period).await?,
    ))
}

#[derive(serde::Deserialize)]
pub struct ExportQuery {
    from: String,
    to: Option<String>,
    format: Option<String>,
    #[serde(rename = "periodMapping")]
    period_mapping: Option<String>,
}

/// The values of a form under a unit as CSV or DHIS2 JSON.
pub async fn export(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    axum::extract::Path((form, unit)): axum::extract::Path<(String, String)>,
    axum::extract::Query(q): axum::extract::Query<ExportQuery>,
) -> PageResult<Response> {
    let dhis2 = match q.format.as_deref() {
        Some("dhis2") => Some(super::api::period_mapping(q.period_mapping.as_deref())?),
        _ => None,
    };
    Ok(crate::api::download(
        statistics::export(
            &state.db,
            Some(&ctx.actor),
            &form,
            &unit,
            &q.from,
            q.to.as_deref(),
            dhis2,
        )
        .await?,
    ))
}
