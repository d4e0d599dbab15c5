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
    /// The export form as typed (after an error) or its defaults, and what
    /// was wrong with it.
    export: ExportChoice,
    export_error: String,
    export_errors: Vec<String>,
}

/// The forms to choose from and the export form's unit picker and
/// choices: the user's own unit and this year, or the choice as typed.
async fn export_form(
    state: &AppState,
    c: &Chrome,
    actor: &antq_storage::accounts::access::Actor,
    typed: Option<ExportChoice>,
) -> PageResult<(
    Vec<(String, String)>,
    crate::units::pages::UnitPicker,
    ExportChoice,
)> {
    let forms = antq_storage::statistics::catalogue::form_codes(&state.db).await?;
    let label = c.t("picker.unit");
    Ok(match typed {
        Some(q) => (
            forms,
            crate::units::pages::UnitPicker::new(c, "unit", "export-unit", label)
                .typed(&q.unit, &q.unit_pick),
            q,
        ),
        None => {
            let picker =
                crate::units::pages::UnitPicker::own(state, c, actor, "unit", "export-unit", label)
                    .await?;
            let year = crate::statistics::analysis::current_reporting_year().to_string();
            let choice = ExportChoice {
                from: year.clone(),
                to: year,
                ..ExportChoice::default()
            };
            (forms, picker, choice)
        }
    })
}

pub async fn form(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
) -> PageResult<Response> {
    export_page(&state, c, &ctx.actor, None).await
}

/// The page with the export form empty, or as typed with what was wrong.
async fn export_page(
    state: &AppState,
    c: Chrome,
    actor: &antq_storage::accounts::access::Actor,
    typed: Option<(ExportChoice, Failure)>,
) -> PageResult<Response> {
    let (typed, export_error, export_errors) = match typed {
        Some((q, e)) => (
            Some(q),
            crate::error::capitalised(&e.message),
            crate::pages::error_lines(&e.errors),
        ),
        None => (None, String::new(), Vec::new()),
    };
    let (forms, picker, export) = export_form(state, &c, actor, typed).await?;
    render(UploadPage {
        c,
        filename: String::new(),
        dry_run: true,
        summary: None,
        errors: Vec::new(),
        message: String::new(),
        forms,
        picker,
        export,
        export_error,
        export_errors,
    })
}

#[derive(serde::Deserialize, Default)]
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
    c: Chrome,
    PageUser(ctx): PageUser,
    axum::extract::Query(q): axum::extract::Query<ExportChoice>,
) -> PageResult<Response> {
    match export_target(&state, &q).await {
        Ok(to) => Ok(axum::response::Redirect::to(&to).into_response()),
        Err(e) => {
            // The form again, as chosen, with what was wrong.
            let status = if e.status.is_client_error() {
                e.status
            } else {
                axum::http::StatusCode::UNPROCESSABLE_ENTITY
            };
            let mut res = export_page(&state, c, &ctx.actor, Some((q, e))).await?;
            *res.status_mut() = status;
            Ok(res)
        }
    }
}

async fn export_target(state: &AppState, q: &ExportChoice) -> Result<String, Failure> {
    let unit = crate::units::service::resolve_unit(
        state,
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
    Ok(to)
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
    let (forms, picker, export) = export_form(&state, &c, &ctx.actor, None).await?;
    let mut res = render(UploadPage {
        c,
        filename,
        dry_run,
        summary,
        errors,
        message,
        forms,
        picker,
        export,
        export_error: String::new(),
        export_errors: Vec::new(),
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
