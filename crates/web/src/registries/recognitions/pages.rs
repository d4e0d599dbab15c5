//! The pages of the recognition register: the list with the summary by
//! kind (`/an-toan-antt`), the registration form, a record with its
//! dossier, checklist and decision, the register in and out, and the
//! criteria (national administrators edit them).

use antq_core::dates;
use antq_core::registries::recognitions::{self as rules, RecognitionState, SubjectKind};
use antq_core::text;
use antq_office::register_rows::{self, Column, Value};
use antq_storage::registries::recognitions::{self as store, CheckInput, CriterionInput};
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form as FormBody, Router};
use serde::Deserialize;

use super::{DecideIn, ListQuery, RegisterIn};
use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::pages::{render, Chrome};
use crate::state::AppState;
use crate::units::pages::UnitPicker;

/// The page routes; `upload_limit` bounds the bodies of upload routes.
pub fn routes(upload_limit: usize) -> Router<AppState> {
    let limit = axum::extract::DefaultBodyLimit::max(upload_limit);
    Router::new()
        .route("/an-toan-antt", get(list))
        .route("/an-toan-antt/dang-ky", get(register_form).post(register))
        .route("/an-toan-antt/xuat", get(export))
        .route("/an-toan-antt/mau.xlsx", get(template))
        .route(
            "/an-toan-antt/nhap",
            get(import_form).post(import_upload).layer(limit),
        )
        .route("/an-toan-antt/tieu-chi", get(criteria).post(save_criterion))
        .route("/an-toan-antt/quy-dinh", post(save_rules))
        .route("/an-toan-antt/{id}", get(show))
        .route("/an-toan-antt/{id}/tieu-chi", post(checks))
        .route("/an-toan-antt/{id}/tep", post(upload).layer(limit))
        .route("/an-toan-antt/{id}/tep/{file}", get(download))
        .route("/an-toan-antt/{id}/quyet-dinh", post(decide))
}

/// The list's filters as typed.
#[derive(Deserialize, Default)]
pub struct ListParams {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    unit_pick: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    kind: String,
    /// `recognised`, `registered`…: the records in that state only.
    #[serde(default)]
    state: String,
}

/// A record as a row of a list.
pub struct Row {
    pub id: i64,
    pub year: i32,
    pub unit: String,
    pub kind: &'static str,
    pub subject: String,
    pub registered_on: String,
    pub state: &'static str,
    pub decision: String,
}

fn row(r: &store::Recognition) -> Row {
    Row {
        id: r.id,
        year: r.year,
        unit: r.unit.name.clone(),
        kind: r.kind.word_vi(),
        subject: r.subject.clone(),
        registered_on: crate::pages::date_vi(Some(&r.registered_on)).unwrap_or_default(),
        state: r.state.word_vi(),
        decision: match crate::pages::date_vi(r.decision_date.as_deref()) {
            Some(d) => format!("{} ngày {d}", r.decision_number),
            None => String::new(),
        },
    }
}

/// A line of the summary table.
pub struct SummaryRow {
    pub kind: &'static str,
    pub registered: String,
    pub recognised: String,
    pub eligible: String,
    pub share: String,
}

#[derive(Template)]
#[template(path = "registries/recognitions/list.html")]
struct ListPage {
    c: Chrome,
    picker: UnitPicker,
    year: String,
    kind: String,
    kinds: Vec<(&'static str, &'static str)>,
    state: String,
    states: Vec<(&'static str, &'static str)>,
    unit_name: String,
    summary: Vec<SummaryRow>,
    rows: Vec<Row>,
    error: String,
    export_href: String,
}

fn kinds() -> Vec<(&'static str, &'static str)> {
    SubjectKind::ALL
        .iter()
        .map(|k| (k.code(), k.word_vi()))
        .collect()
}

/// `GET /an-toan-antt?unit=&year=&kind=&state=`: the records of a unit's subtree
/// and year with the summary by kind.
pub async fn list(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Query(p): Query<ListParams>,
) -> PageResult<Response> {
    let year = match p.year.trim() {
        "" => dates::today().format("%Y").to_string(),
        y => y.to_string(),
    };
    let (mut text_typed, mut code) = (p.unit.clone(), p.unit_pick.clone());
    if p.unit.trim().is_empty() {
        if let Some(o) = crate::units::service::own_unit(&state, &ctx.actor, dates::today()).await?
        {
            text_typed = o.name;
            code = o.code;
        }
    }
    let picker =
        UnitPicker::new(&c, "unit", "rec-filter-unit", c.t("rec.unit")).typed(&text_typed, &code);
    let found = async {
        let y = super::parse_year(&year)?;
        let unit =
            crate::units::service::resolve_unit(&state, &text_typed, Some(&code), dates::today())
                .await?;
        let q = ListQuery {
            unit: Some(unit.code.clone()),
            year: Some(y.to_string()),
            kind: Some(p.kind.clone()),
            state: Some(p.state.clone()),
        };
        let f = super::filter(&state.db, Some(&ctx.actor), &q).await?;
        let list = store::list(&state.db, Some(&ctx.actor), &f).await?;
        let (_, scope) = super::scope_of(&state.db, Some(&ctx.actor), &unit.code, Some(y)).await?;
        let summary = store::summary(&state.db, scope, y).await?;
        Ok::<_, Failure>((unit, y, list, summary))
    }
    .await;
    let (unit_name, summary, rows, error, export_href) = match found {
        Ok((u, y, list, summary)) => (
            u.name.clone(),
            summary
                .iter()
                .map(|k| SummaryRow {
                    kind: k.kind.word_vi(),
                    registered: text::format_int(k.registered),
                    recognised: text::format_int(k.recognised),
                    eligible: text::format_int(k.eligible),
                    share: rules::share_text(k.recognised, k.eligible),
                })
                .collect(),
            list.iter().map(row).collect(),
            String::new(),
            format!("/an-toan-antt/xuat?unit={}&year={y}", u.code),
        ),
        Err(e) => (
            String::new(),
            Vec::new(),
            Vec::new(),
            crate::error::capitalised(&e.message),
            String::new(),
        ),
    };
    render(ListPage {
        c,
        picker,
        year,
        kind: p.kind,
        kinds: kinds(),
        state: p.state,
        states: RecognitionState::ALL
            .iter()
            .map(|s| (s.code(), s.word_vi()))
            .collect(),
        unit_name,
        summary,
        rows,
        error,
        export_href,
    })
}

#[derive(Template)]
#[template(path = "registries/recognitions/register.html")]
struct RegisterPage {
    c: Chrome,
    picker: UnitPicker,
    t: RegisterForm,
    kinds: Vec<(&'static str, &'static str)>,
    window: String,
    error: String,
}

/// The registration form as typed.
#[derive(Deserialize, Default, Clone)]
pub struct RegisterForm {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    unit_pick: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    registered_on: String,
    #[serde(default)]
    override_window: Option<String>,
}

async fn register_page(
    state: &AppState,
    c: Chrome,
    ctx: &crate::auth::AuthContext,
    mut t: RegisterForm,
    error: String,
) -> PageResult<Response> {
    if t.year.is_empty() {
        t.year = dates::today().format("%Y").to_string();
    }
    if t.registered_on.is_empty() {
        t.registered_on = dates::format_vi(dates::today());
    }
    let picker = if t.unit.is_empty() {
        UnitPicker::own(state, &c, &ctx.actor, "unit", "rec-unit", c.t("rec.unit")).await?
    } else {
        UnitPicker::new(&c, "unit", "rec-unit", c.t("rec.unit")).typed(&t.unit, &t.unit_pick)
    };
    let year = t.year.parse::<i32>().unwrap_or(2024);
    let window = store::window(&state.db).await?.text(year);
    let failed = !error.is_empty();
    let mut res = render(RegisterPage {
        c,
        picker,
        t,
        kinds: kinds(),
        window,
        error,
    })?;
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// `GET /an-toan-antt/dang-ky`.
pub async fn register_form(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
) -> PageResult<Response> {
    register_page(&state, c, &ctx, RegisterForm::default(), String::new()).await
}

/// `POST /an-toan-antt/dang-ky`: register, then show the record.
pub async fn register(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    FormBody(t): FormBody<RegisterForm>,
) -> PageResult<Response> {
    let done = async {
        let on = match t.registered_on.trim() {
            "" => dates::today(),
            s => dates::parse_input_date(s).map_err(|e| super::unprocessable(e.to_string()))?,
        };
        let unit =
            crate::units::service::resolve_unit(&state, &t.unit, Some(&t.unit_pick), on).await?;
        let year: i64 = t.year.trim().parse().map_err(|_| {
            super::unprocessable(format!(
                "Năm \u{201C}{}\u{201D} không hợp lệ",
                t.year.trim()
            ))
        })?;
        let b = RegisterIn {
            year,
            kind: t.kind.clone(),
            unit: unit.code,
            area_id: None,
            organisation_id: None,
            subject: Some(t.subject.clone()),
            registered_on: Some(dates::iso(on)),
            override_window: t.override_window.is_some(),
        };
        super::register(&state.db, &ctx.actor, &b).await
    }
    .await;
    match done {
        Ok(id) => Ok(crate::pages::done(
            &format!("/an-toan-antt/{id}"),
            "msg.saved",
        )),
        Err(e) => register_page(&state, c, &ctx, t, crate::error::capitalised(&e.message)).await,
    }
}

/// A criterion on the record page.
pub struct CheckView {
    pub id: i64,
    pub position: i64,
    pub text: String,
    pub note: String,
    /// "met", "not_met" or "".
    pub met: &'static str,
    pub met_word: &'static str,
    pub check_note: String,
}

pub struct FileView {
    pub id: i64,
    pub name: String,
    pub size: String,
    pub sha: String,
}

#[derive(Template)]
#[template(path = "registries/recognitions/show.html")]
struct ShowPage {
    c: Chrome,
    r: Row,
    unit: String,
    issuer: String,
    reason: String,
    override_reason: String,
    decided: bool,
    checks: Vec<CheckView>,
    files: Vec<FileView>,
    can_edit: bool,
    can_decide: bool,
    share: String,
    share_below: bool,
    today: String,
}

/// `GET /an-toan-antt/{id}`.
pub async fn show(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    let r = store::get(&state.db, Some(&ctx.actor), id).await?;
    let can_edit = !r.state.decided()
        && antq_storage::accounts::access::can(
            &state.db,
            &ctx.actor,
            antq_core::auth::Action::EditRecords,
            r.unit.id,
        )
        .await?;
    let can_decide = !r.state.decided() && store::may_decide(&state.db, &ctx.actor, &r).await?;
    let checks = store::checklist(&state.db, &r)
        .await?
        .into_iter()
        .map(|k| CheckView {
            id: k.criterion_id,
            position: k.position,
            text: k.text,
            note: k.note,
            met: match k.met {
                Some(true) => "met",
                Some(false) => "not_met",
                None => "",
            },
            met_word: c.t(match k.met {
                Some(true) => "rec.met",
                Some(false) => "rec.not_met",
                None => "rec.unchecked",
            }),
            check_note: k.check_note,
        })
        .collect();
    let files = store::files(&state.db, r.id)
        .await?
        .into_iter()
        .map(|f| FileView {
            id: f.id,
            name: f.name,
            size: format!("{} KB", text::format_int((f.size + 1023) / 1024)),
            sha: f.sha256[..12.min(f.sha256.len())].to_string(),
        })
        .collect();
    let (share, share_below) = if r.kind == SubjectKind::Xa {
        let s = store::commune_share(&state.db, r.unit.id, r.year).await?;
        (
            format!(
                "{}/{} ({}); {} {}%",
                text::format_int(s.recognised),
                text::format_int(s.total),
                s.text(),
                c.t("rec.threshold"),
                text::format_decimal(s.threshold, 1)
            ),
            s.below(),
        )
    } else {
        (String::new(), false)
    };
    render(ShowPage {
        unit: format!("{} ({})", r.unit.name, r.unit.code),
        issuer: r.decision_issuer.clone(),
        reason: r.reason.clone(),
        override_reason: r.override_reason.clone(),
        decided: r.state.decided(),
        r: row(&r),
        checks,
        files,
        can_edit,
        can_decide,
        share,
        share_below,
        today: dates::format_vi(dates::today()),
        c,
    })
}

/// `POST /an-toan-antt/{id}/tieu-chi`: fields `met_<criterion>` (met | not_met) and `note_<criterion>`.
pub async fn checks(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    FormBody(fields): FormBody<Vec<(String, String)>>,
) -> Response {
    let to = format!("/an-toan-antt/{id}");
    let mut list: Vec<CheckInput> = Vec::new();
    for (k, v) in &fields {
        if let Some(cid) = k.strip_prefix("met_").and_then(|s| s.parse::<i64>().ok()) {
            if v == "met" || v == "not_met" {
                let note = fields
                    .iter()
                    .find(|(n, _)| n == &format!("note_{cid}"))
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                list.push(CheckInput {
                    criterion_id: cid,
                    met: v == "met",
                    note,
                });
            }
        }
    }
    let saved = store::set_checks(&state.db, Some(&ctx.actor), id, &list)
        .await
        .map_err(Failure::from);
    crate::pages::outcome(saved, &to, "msg.saved", &to)
}

/// `POST /an-toan-antt/{id}/tep` (multipart: file).
pub async fn upload(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Response {
    let to = format!("/an-toan-antt/{id}");
    let saved = async {
        let too_large = |_| {
            Failure::new(
                axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                "Tệp quá lớn hoặc không đọc được",
            )
        };
        while let Some(field) = multipart.next_field().await.map_err(too_large)? {
            if field.name() == Some("file") {
                let name = field.file_name().unwrap_or_default().to_string();
                let bytes = field.bytes().await.map_err(too_large)?;
                return Ok(store::attach(&state.db, Some(&ctx.actor), id, &name, &bytes).await?);
            }
        }
        Err(Failure::bad_request("Chưa chọn tệp"))
    }
    .await;
    crate::pages::outcome(saved, &to, "msg.saved", &to)
}

/// `GET /an-toan-antt/{id}/tep/{file}`.
pub async fn download(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path((id, file)): Path<(i64, i64)>,
) -> PageResult<Response> {
    let (name, ty, bytes) = store::file(&state.db, Some(&ctx.actor), id, file).await?;
    let content_type = match ty.as_str() {
        "application/pdf" => "application/pdf",
        "image/jpeg" => "image/jpeg",
        "image/png" => "image/png",
        _ => crate::reviews::DOCX,
    };
    Ok(crate::statistics::Download {
        bytes,
        content_type,
        filename: name,
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    result: String,
    #[serde(default)]
    decision_number: String,
    #[serde(default)]
    decision_date: String,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    override_reason: String,
}

/// `POST /an-toan-antt/{id}/quyet-dinh`.
pub async fn decide(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    FormBody(f): FormBody<DecideForm>,
) -> Response {
    let to = format!("/an-toan-antt/{id}");
    let b = DecideIn {
        recognised: f.result == "recognised",
        decision_number: f.decision_number,
        decision_date: f.decision_date,
        issuer: f.issuer,
        reason: f.reason,
        override_reason: f.override_reason,
    };
    let done = super::decide(&state.db, &ctx.actor, id, &b).await;
    crate::pages::outcome(done, &to, "msg.saved", &to)
}

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
    Ok(crate::statistics::Download {
        bytes: workbook(Vec::new())?,
        content_type: crate::statistics::XLSX,
        filename: "mau-so-an-toan-antt.xlsx".into(),
    }
    .into_response())
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
    let bytes = workbook(rows)?;
    let unit: String = p
        .unit
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(12)
        .collect();
    let year: String = p
        .year
        .chars()
        .filter(char::is_ascii_digit)
        .take(4)
        .collect();
    Ok(crate::statistics::Download {
        bytes,
        content_type: crate::statistics::XLSX,
        filename: format!("an-toan-antt-{unit}-{year}.xlsx"),
    }
    .into_response())
}

#[derive(Template)]
#[template(path = "registries/recognitions/import.html")]
struct ImportPage {
    c: Chrome,
    done: String,
    message: String,
    errors: Vec<String>,
}

/// `GET /an-toan-antt/nhap`.
pub async fn import_form(c: Chrome, PageUser(_): PageUser) -> PageResult<Response> {
    render(ImportPage {
        c,
        done: String::new(),
        message: String::new(),
        errors: Vec::new(),
    })
}

/// `POST /an-toan-antt/nhap` (multipart: file, dry_run): all or nothing.
pub async fn import_upload(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    multipart: Multipart,
) -> PageResult<Response> {
    let file = crate::registries::upload::read(&state, multipart).await?;
    let outcome = crate::registries::upload::Outcome::of(
        async {
            let rows = read_upload(&file.bytes).map_err(antq_storage::StorageError::Rejected)?;
            store::import(&state.db, Some(&ctx.actor), &rows, file.dry_run).await
        }
        .await
        .map_err(Failure::from),
        file.dry_run,
        |n| format!("{} hồ sơ", text::format_int(*n as i64)),
    );
    let page = render(ImportPage {
        c,
        done: outcome.done.clone(),
        message: outcome.message.clone(),
        errors: outcome.errors.clone(),
    })?;
    Ok(outcome.respond(page))
}

pub struct CriterionView {
    pub id: i64,
    pub kind: &'static str,
    pub year_from: i32,
    pub position: i64,
    pub text: String,
    pub note: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "registries/recognitions/criteria.html")]
struct CriteriaPage {
    c: Chrome,
    items: Vec<CriterionView>,
    kinds: Vec<(&'static str, &'static str)>,
    can_edit: bool,
    threshold: String,
    threshold_value: String,
    window: String,
    window_from: String,
    window_to: String,
    exclusions: Vec<String>,
    /// (index, name, excluded, prefixes joined by "; ")
    exclusion_rows: Vec<(usize, String, bool, String)>,
}

/// `GET /an-toan-antt/tieu-chi`: the criteria per kind and the rules in force.
pub async fn criteria(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
) -> PageResult<Response> {
    let items = store::criteria(&state.db)
        .await?
        .into_iter()
        .map(|k| CriterionView {
            id: k.id,
            kind: k.kind.word_vi(),
            year_from: k.year_from,
            position: k.position,
            text: k.text,
            note: k.note,
            active: k.active,
        })
        .collect();
    let w = store::window(&state.db).await?;
    let excl = store::exclusions(&state.db).await?;
    let t = store::threshold(&state.db).await?;
    render(CriteriaPage {
        threshold_value: format!("{t}"),
        window_from: w.from.clone(),
        window_to: w.to.clone(),
        exclusion_rows: excl
            .iter()
            .enumerate()
            .map(|(i, e)| (i, e.name.clone(), e.excluded, e.name_prefixes.join("; ")))
            .collect(),
        c,
        items,
        kinds: kinds(),
        can_edit: ctx
            .actor
            .is_national(antq_core::auth::Action::EditCatalogue),
        threshold: format!(
            "{}%",
            text::format_decimal(store::threshold(&state.db).await?, 1)
        ),
        window: format!("{} – {}", w.from, w.to),
        exclusions: store::exclusions(&state.db)
            .await?
            .into_iter()
            .filter(|e| e.excluded)
            .map(|e| e.name)
            .collect(),
    })
}

#[derive(Deserialize)]
pub struct CriterionForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    year_from: String,
    #[serde(default)]
    position: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    active: Option<String>,
}

/// `POST /an-toan-antt/tieu-chi`: add or change a criterion.
pub async fn save_criterion(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    FormBody(f): FormBody<CriterionForm>,
) -> Response {
    let to = "/an-toan-antt/tieu-chi";
    let saved = async {
        let num = |s: &str, what: &str| {
            s.trim().parse::<i64>().map_err(|_| {
                super::unprocessable(format!("{what} \u{201C}{}\u{201D} không hợp lệ", s.trim()))
            })
        };
        let input = CriterionInput {
            id: match f.id.trim() {
                "" => None,
                s => Some(num(s, "Mã tiêu chí")?),
            },
            kind: SubjectKind::parse(&f.kind).map_err(|e| super::unprocessable(e.to_string()))?,
            year_from: super::parse_year(&f.year_from)?,
            position: num(&f.position, "Số thứ tự")?,
            text: f.text.clone(),
            note: f.note.clone(),
            active: f.active.is_some(),
        };
        Ok::<_, Failure>(store::save_criterion(&state.db, &ctx.actor, &input).await?)
    }
    .await;
    crate::pages::outcome(saved, to, "msg.saved", to)
}

/// `POST /an-toan-antt/quy-dinh`: the threshold, the window and which
/// sub-kinds are excluded (with their name prefixes), national administrators.
pub async fn save_rules(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    FormBody(fields): FormBody<Vec<(String, String)>>,
) -> Response {
    let to = "/an-toan-antt/tieu-chi";
    let field = |k: &str| {
        fields
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_string())
    };
    let saved = async {
        let threshold: f64 = field("threshold")
            .unwrap_or_default()
            .replace(',', ".")
            .trim_end_matches('%')
            .trim()
            .parse()
            .map_err(|_| super::unprocessable("Tỷ lệ phải là một số từ 0 đến 100"))?;
        let window = rules::Window {
            from: field("window_from").unwrap_or_default(),
            to: field("window_to").unwrap_or_default(),
        };
        let mut excl = store::exclusions(&state.db).await?;
        for (i, e) in excl.iter_mut().enumerate() {
            e.excluded = field(&format!("excl_{i}")).is_some();
            if let Some(p) = field(&format!("prefixes_{i}")) {
                e.name_prefixes = p
                    .split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
            }
        }
        store::set_threshold(&state.db, &ctx.actor, threshold).await?;
        store::set_window(&state.db, &ctx.actor, &window).await?;
        store::set_exclusions(&state.db, &ctx.actor, &excl).await?;
        Ok::<_, Failure>(())
    }
    .await;
    crate::pages::outcome(saved, to, "msg.saved", to)
}
