//! The models register in Excel: the template to fill, a unit's models out,
//! and models in.

use antq_core::text::format_int;
use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use serde::Deserialize;

use crate::auth::PageUser;
use crate::error::PageResult;
use crate::pages::{render, Chrome};
use crate::state::AppState;

/// `GET /mo-hinh/mau.xlsx`: the template to fill.
pub async fn template(PageUser(_): PageUser) -> PageResult<Response> {
    Ok(crate::statistics::Download {
        bytes: super::excel::template()?,
        content_type: crate::statistics::XLSX,
        filename: "mau-so-mo-hinh.xlsx".into(),
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct ExportParams {
    unit: String,
}

/// `GET /mo-hinh/xuat?unit=CODE`: a unit's models as Excel.
pub async fn export(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Query(p): Query<ExportParams>,
) -> PageResult<Response> {
    let bytes = super::excel::export(&state.db, Some(&ctx.actor), &p.unit).await?;
    let unit: String = p
        .unit
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(12)
        .collect();
    Ok(crate::statistics::Download {
        bytes,
        content_type: crate::statistics::XLSX,
        filename: format!("so-mo-hinh-{unit}.xlsx"),
    }
    .into_response())
}

#[derive(Template)]
#[template(path = "registries/models/import.html")]
struct ImportPage {
    c: Chrome,
    done: String,
    message: String,
    errors: Vec<String>,
}

/// `POST /mo-hinh/nhap` (multipart: file, dry_run): all or nothing.
pub async fn import_upload(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    multipart: Multipart,
) -> PageResult<Response> {
    let file = crate::registries::upload::read(&state, multipart).await?;
    let outcome = crate::registries::upload::Outcome::of(
        super::excel::import(&state.db, Some(&ctx.actor), &file.bytes, file.dry_run).await,
        file.dry_run,
        |n| format!("{} mô hình", format_int(*n as i64)),
    );
    let page = render(ImportPage {
        c,
        done: outcome.done.clone(),
        message: outcome.message.clone(),
        errors: outcome.errors.clone(),
    })?;
    Ok(outcome.respond(page))
}
