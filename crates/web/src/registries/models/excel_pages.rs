//! The models register in Excel: the template to fill, a unit's models out,
//! and models in.

use antq_core::text::format_int;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use serde::Deserialize;

use crate::auth::PageUser;
use crate::error::PageResult;
use crate::pages::Chrome;
use crate::registries::upload::{self, ImportScreen, Outcome};
use crate::state::AppState;
use crate::statistics::{name_part, Download};

/// `GET /mo-hinh/mau.xlsx`: the template to fill.
pub async fn template(PageUser(_): PageUser) -> PageResult<Response> {
    Ok(Download::xlsx(
        super::excel::template()?,
        "mau-so-mo-hinh.xlsx".into(),
    ))
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
    let name = format!("so-mo-hinh-{}.xlsx", name_part(&p.unit));
    Ok(Download::xlsx(bytes, name))
}

static IMPORT: ImportScreen = ImportScreen {
    id: "model",
    title: "mod.import",
    hint: "mod.import_hint",
    back: ("/mo-hinh", "mod.back"),
    template: Some(("/mo-hinh/mau.xlsx", "mod.template")),
    action: "/mo-hinh/nhap",
    accept: ".xlsx",
    file: "mod.file",
    dry_run: "mod.dry_run",
    submit: "mod.import_submit",
};

/// `GET /mo-hinh/nhap`.
pub async fn import_form(c: Chrome, PageUser(_): PageUser) -> PageResult<Response> {
    IMPORT.form(c)
}

/// `POST /mo-hinh/nhap` (multipart: file, dry_run): all or nothing.
pub async fn import_upload(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    multipart: Multipart,
) -> PageResult<Response> {
    let file = upload::read(&state, multipart).await?;
    let written =
        super::excel::import(&state.db, Some(&ctx.actor), &file.bytes, file.dry_run).await;
    let outcome = Outcome::of(written, file.dry_run, |n| {
        format!("{} mô hình", format_int(*n as i64))
    });
    IMPORT.answer(c, outcome)
}
