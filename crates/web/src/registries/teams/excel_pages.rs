//! The teams register in Excel: the import page and its upload, the empty
//! template, and a unit's register out.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use serde::Deserialize;

use crate::auth::PageUser;
use crate::error::PageResult;
use crate::pages::{render, Chrome};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "registries/teams/import.html")]
struct ImportPage {
    c: Chrome,
    done: String,
    message: String,
    errors: Vec<String>,
}

/// `GET /to-chuc-quan-chung/nhap`.
pub async fn import_form(c: Chrome, PageUser(_): PageUser) -> PageResult<Response> {
    render(ImportPage {
        c,
        done: String::new(),
        message: String::new(),
        errors: Vec::new(),
    })
}

/// `POST /to-chuc-quan-chung/nhap` (multipart: file, dry_run): all or nothing.
pub async fn import_upload(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    multipart: Multipart,
) -> PageResult<Response> {
    let file = crate::registries::upload::read(&state, multipart).await?;
    let outcome = crate::registries::upload::Outcome::of(
        super::register::import(&state.db, Some(&ctx.actor), &file.bytes, file.dry_run).await,
        file.dry_run,
        |n| format!("{} tổ chức, tổ", antq_core::text::format_int(*n as i64)),
    );
    let page = render(ImportPage {
        c,
        done: outcome.done.clone(),
        message: outcome.message.clone(),
        errors: outcome.errors.clone(),
    })?;
    Ok(outcome.respond(page))
}

/// `GET /to-chuc-quan-chung/mau.xlsx`: the empty template.
pub async fn template(PageUser(_): PageUser) -> Response {
    crate::statistics::Download {
        bytes: super::register::template(),
        content_type: crate::statistics::XLSX,
        filename: "mau-so-to-chuc-quan-chung.xlsx".into(),
    }
    .into_response()
}

#[derive(Deserialize)]
pub struct ExportParams {
    #[serde(default)]
    unit: String,
}

/// `GET /to-chuc-quan-chung/xuat?unit=CODE`: the register as Excel.
pub async fn export(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Query(p): Query<ExportParams>,
) -> PageResult<Response> {
    let bytes = super::register::export(&state.db, Some(&ctx.actor), &p.unit).await?;
    let unit: String = p
        .unit
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(12)
        .collect();
    Ok(crate::statistics::Download {
        bytes,
        content_type: crate::statistics::XLSX,
        filename: format!("so-to-chuc-quan-chung-{unit}.xlsx"),
    }
    .into_response())
}
