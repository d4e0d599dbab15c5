//! The teams register in Excel: the import page and its upload, the empty
//! template, and a unit's register out.

use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use serde::Deserialize;

use crate::auth::PageUser;
use crate::error::PageResult;
use crate::pages::Chrome;
use crate::registries::upload::{self, ImportScreen, Outcome};
use crate::state::AppState;
use crate::statistics::{name_part, Download};

static IMPORT: ImportScreen = ImportScreen {
    id: "team",
    title: "tea.import",
    hint: "tea.import_hint",
    back: ("/to-chuc-quan-chung", "tea.back"),
    template: Some(("/to-chuc-quan-chung/mau.xlsx", "tea.template")),
    action: "/to-chuc-quan-chung/nhap",
    accept: ".xlsx",
    file: "tea.file",
    dry_run: "tea.dry_run",
    submit: "tea.import_submit",
};

/// `GET /to-chuc-quan-chung/nhap`.
pub async fn import_form(c: Chrome, PageUser(_): PageUser) -> PageResult<Response> {
    IMPORT.form(c)
}

/// `POST /to-chuc-quan-chung/nhap` (multipart: file, dry_run): all or nothing.
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
        format!("{} tổ chức, tổ", antq_core::text::format_int(*n as i64))
    });
    IMPORT.answer(c, outcome)
}

/// `GET /to-chuc-quan-chung/mau.xlsx`: the empty template.
pub async fn template(PageUser(_): PageUser) -> Response {
    Download::xlsx(
        super::register::template(),
        "mau-so-to-chuc-quan-chung.xlsx".into(),
    )
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
    let name = format!("so-to-chuc-quan-chung-{}.xlsx", name_part(&p.unit));
    Ok(Download::xlsx(bytes, name))
}
