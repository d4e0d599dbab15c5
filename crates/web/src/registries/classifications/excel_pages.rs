//! The movement classification in Excel: the band list out, the self-score
//! template, and self-scores in.

use askama::Template;
use axum::extract::{Multipart, Query, State as AxState};
use axum::response::Response;
use serde::Deserialize;

use crate::auth::PageUser;
use crate::error::PageResult;
use crate::pages::{render, Chrome};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "registries/classifications/import.html")]
struct ImportPage {
    c: Chrome,
    done: String,
    message: String,
    errors: Vec<String>,
}

/// `GET /phan-loai-phong-trao/nhap`.
pub async fn import_form(c: Chrome, PageUser(_): PageUser) -> PageResult<Response> {
    render(ImportPage {
        c,
        done: String::new(),
        message: String::new(),
        errors: Vec::new(),
    })
}

/// `POST /phan-loai-phong-trao/nhap` (multipart: file, dry_run): all or nothing.
pub async fn import_upload(
    AxState(state): AxState<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    multipart: Multipart,
) -> PageResult<Response> {
    let file = crate::registries::upload::read(&state, multipart).await?;
    let outcome = crate::registries::upload::Outcome::of(
        super::excel::import(&state.db, Some(&ctx.actor), &file.bytes, file.dry_run).await,
        file.dry_run,
        |n| format!("điểm tự chấm của {n} phiếu"),
    );
    let page = render(ImportPage {
        c,
        done: outcome.done.clone(),
        message: outcome.message.clone(),
        errors: outcome.errors.clone(),
    })?;
    Ok(outcome.respond(page))
}

#[derive(Deserialize)]
pub struct ExportParams {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    year: String,
}

fn safe(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .take(12)
        .collect()
}

/// `GET /phan-loai-phong-trao/xuat?unit=&year=`: the band list as Excel.
pub async fn export(
    AxState(state): AxState<AppState>,
    PageUser(ctx): PageUser,
    Query(p): Query<ExportParams>,
) -> PageResult<Response> {
    let bytes = super::excel::export(&state.db, Some(&ctx.actor), &p.unit, &p.year).await?;
    Ok(crate::statistics::Download {
        bytes,
        content_type: crate::statistics::XLSX,
        filename: format!(
            "phan-loai-phong-trao-{}-{}.xlsx",
            safe(&p.unit),
            safe(&p.year)
        ),
    }
    .into_response())
}

/// `GET /phan-loai-phong-trao/mau-nhap?unit=&year=`: the self-score template of the draft sheets.
pub async fn import_template(
    AxState(state): AxState<AppState>,
    PageUser(ctx): PageUser,
    Query(p): Query<ExportParams>,
) -> PageResult<Response> {
    let bytes = super::excel::template(&state.db, Some(&ctx.actor), &p.unit, &p.year).await?;
    Ok(crate::statistics::Download {
        bytes,
        content_type: crate::statistics::XLSX,
        filename: format!("diem-tu-cham-{}-{}.xlsx", safe(&p.unit), safe(&p.year)),
    }
    .into_response())
}
