//! The recognition register in Excel: the columns, the workbook written
//! for the template and the export, the reader of an uploaded register
//! (Excel or CSV; `antq recognitions` uses both), and the import page.

use antq_core::dates;
use antq_core::text;
use antq_office::register_rows::{self, Column, Value};
use antq_storage::registries::recognitions as store;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::ListQuery;
use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::pages::Chrome;
use crate::registries::upload::{self, ImportScreen, Outcome};
use crate::state::AppState;
use crate::statistics::{name_part, Download};

#[derive(Deserialize)]
pub struct ExportParams {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    year: String,
}

/// The register's columns, in the order of [`store::HEADS`]: written in the
/// template and the export, looked for when a file is read.
fn columns() -> Vec<Column> {
    store::HEADS
        .iter()
        .enumerate()
        .map(|(i, h)| Column::new(h, if i == 3 || i >= 8 { 32.0 } else { 16.0 }))
        .collect()
}

/// Columns of [`store::HEADS`] holding a date, and the year.
const DATE_COLUMNS: [usize; 2] = [4, 7];
const YEAR_COLUMN: usize = 0;

/// The register's rows as an Excel file (the import's template when
/// `rows` is empty): years as numbers, dates as Excel dates.
pub fn workbook(rows: Vec<Vec<String>>) -> Result<Vec<u8>, Failure> {
    let values: Vec<Vec<Value>> = rows
        .into_iter()
        .map(|r| {
            r.into_iter()
                .enumerate()
                .map(|(c, t)| {
                    if c == YEAR_COLUMN {
                        if let Ok(y) = t.parse::<i64>() {
                            return Value::Int(y);
                        }
                    }
                    if DATE_COLUMNS.contains(&c) {
                        if let Ok(d) = dates::parse_input_date(&t) {
                            return Value::Date(d);
                        }
                    }
                    Value::Text(t)
                })
                .collect()
        })
        .collect();
    register_rows::write(
        store::SHEET,
        "Sổ theo dõi xây dựng khu dân cư, xã, cơ quan, doanh nghiệp, nhà trường đạt tiêu chuẩn \u{201C}An toàn về an ninh, trật tự\u{201D}",
        &columns(),
        &values,
    )
    .map_err(|e| Failure::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e))
}

/// The rows of an uploaded register: Excel (the template or an export, read
/// by the shared register reader) or CSV with the same columns. A date cell
/// is read as a date, a text dd/mm/yyyy too; bad cells are named by sheet
/// and cell.
pub fn read_upload(bytes: &[u8]) -> Result<Vec<store::ImportRow>, Vec<String>> {
    if !bytes.starts_with(b"PK") && !bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return store::read_csv(bytes);
    }
    let limits = antq_office::limits::ImportLimits {
        sheet_rows: store::MAX_ROWS as u32 + 50,
        sheet_columns: 50,
        ..Default::default()
    };
    let sheet = register_rows::read(bytes, &columns(), store::MAX_ROWS, &limits)?;
    // A date or year cell read as such is passed on as its text; a bad one
    // is passed as typed, and the import names it with every other error.
    let out = sheet
        .rows()
        .map(|row| {
            let mut cells: Vec<String> = (0..store::HEADS.len()).map(|c| row.text(c)).collect();
            for c in DATE_COLUMNS {
                if let Ok(Some(d)) = row.date(c) {
                    cells[c] = dates::format_vi(d);
                }
            }
            if let Ok(Some(y)) = row.int(YEAR_COLUMN) {
                cells[YEAR_COLUMN] = y.to_string();
            }
            store::ImportRow {
                line: row.number(),
                cells,
                places: Some((0..store::HEADS.len()).map(|c| row.place(c)).collect()),
            }
        })
        .collect();
    Ok(out)
}

/// `GET /an-toan-antt/mau.xlsx`: the empty template.
pub async fn template(PageUser(_): PageUser) -> PageResult<Response> {
    Ok(Download::xlsx(
        workbook(Vec::new())?,
        "mau-so-an-toan-antt.xlsx".into(),
    ))
}

/// `GET /an-toan-antt/xuat?unit=CODE&year=YYYY`: the register as Excel.
pub async fn export(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Query(p): Query<ExportParams>,
) -> PageResult<Response> {
    let q = ListQuery {
        unit: Some(p.unit.clone()),
        year: Some(p.year.clone()),
        ..ListQuery::default()
    };
    let f = super::filter(&state.db, Some(&ctx.actor), &q).await?;
    let rows = store::export_rows(&state.db, Some(&ctx.actor), &f).await?;
    let name = format!(
        "an-toan-antt-{}-{}.xlsx",
        name_part(&p.unit),
        name_part(&p.year)
    );
    Ok(Download::xlsx(workbook(rows)?, name))
}

static IMPORT: ImportScreen = ImportScreen {
    id: "rec",
    title: "rec.import",
    hint: "rec.import_hint",
    back: ("/an-toan-antt", "rec.back"),
    template: Some(("/an-toan-antt/mau.xlsx", "rec.template")),
    action: "/an-toan-antt/nhap",
    accept: ".xlsx,.csv",
    file: "rec.file",
    dry_run: "rec.dry_run",
    submit: "rec.import_submit",
};

/// `GET /an-toan-antt/nhap`.
pub async fn import_form(c: Chrome, PageUser(_): PageUser) -> PageResult<Response> {
    IMPORT.form(c)
}

/// `POST /an-toan-antt/nhap` (multipart: file, dry_run): all or nothing.
pub async fn import_upload(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    multipart: Multipart,
) -> PageResult<Response> {
    let file = upload::read(&state, multipart).await?;
    let written = async {
        let rows = read_upload(&file.bytes).map_err(antq_storage::StorageError::Rejected)?;
        store::import(&state.db, Some(&ctx.actor), &rows, file.dry_run).await
    }
    .await
    .map_err(Failure::from);
    let outcome = Outcome::of(written, file.dry_run, |n| {
        format!("{} hồ sơ", text::format_int(*n as i64))
    });
    IMPORT.answer(c, outcome)
}
