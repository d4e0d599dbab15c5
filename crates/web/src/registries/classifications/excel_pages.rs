//! The movement classification in Excel: the band list out, the self-score
//! template, and self-scores in.

use axum::extract::{Multipart, Query, State as AxState};
use axum::response::Response;
use serde::Deserialize;

use crate::auth::PageUser;
use crate::error::PageResult;
use crate::pages::Chrome;
use crate::registries::upload::{self, ImportScreen, Outcome};
use crate::state::AppState;
use crate::statistics::{name_part, Download};

/// The self-score template depends on a unit and a year: it is downloaded
/// from the list, not from the import page.
static IMPORT: ImportScreen = ImportScreen {
    id: "cls",
    title: "cls.import",
    hint: "cls.import_hint",
    back: ("/phan-loai-phong-trao", "cls.back_list"),
    template: None,
    action: "/phan-loai-phong-trao/nhap",
    accept: ".xlsx",
    file: "cls.file",
    dry_run: "cls.dry_run",
    submit: "cls.import_submit",
};

/// `GET /phan-loai-phong-trao/nhap`.
pub async fn import_form(c: Chrome, PageUser(_): PageUser) -> PageResult<Response> {
    IMPORT.form(c)
}

/// `POST /phan-loai-phong-trao/nhap` (multipart: file, dry_run): all or nothing.
pub async fn import_upload(
    AxState(state): AxState<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    multipart: Multipart,
) -> PageResult<Response> {
    let file = upload::read(&state, multipart).await?;
    let written =
        super::excel::import(&state.db, Some(&ctx.actor), &file.bytes, file.dry_run).await;
    let outcome = Outcome::of(written, file.dry_run, |n| {
        format!("điểm tự chấm của {n} phiếu")
    });
    IMPORT.answer(c, outcome)
}

#[derive(Deserialize)]
pub struct ExportParams {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    year: String,
}

/// `GET /phan-loai-phong-trao/xuat?unit=&year=`: the band list as Excel.
pub async fn export(
    AxState(state): AxState<AppState>,
    PageUser(ctx): PageUser,
    Query(p): Query<ExportParams>,
) -> PageResult<Response> {
    let bytes = super::excel::export(&state.db, Some(&ctx.actor), &p.unit, &p.year).await?;
    let name = format!(
        "phan-loai-phong-trao-{}-{}.xlsx",
        name_part(&p.unit),
        name_part(&p.year)
    );
    Ok(Download::xlsx(bytes, name))
}

/// `GET /phan-loai-phong-trao/mau-nhap?unit=&year=`: the self-score template of the draft sheets.
pub async fn import_template(
    AxState(state): AxState<AppState>,
    PageUser(ctx): PageUser,
    Query(p): Query<ExportParams>,
) -> PageResult<Response> {
    let bytes = super::excel::template(&state.db, Some(&ctx.actor), &p.unit, &p.year).await?;
    let name = format!(
        "diem-tu-cham-{}-{}.xlsx",
        name_part(&p.unit),
        name_part(&p.year)
    );
    Ok(Download::xlsx(bytes, name))
}
