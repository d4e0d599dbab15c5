//! Review pages: the list and the form that builds a review, the review
//! itself (printable, with Word/Excel/HTML downloads, the narrative editor
//! and the press summary), and what changed in the data since it was built.

use std::collections::BTreeMap;

use antq_core::dates;
use antq_core::reviews::signing::Side;
use antq_core::text::{format_decimal, format_int};
use antq_storage::reviews::{DocumentChange, Review};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Form as FormBody;
use serde::Deserialize;

use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::pages::{render, Chrome};
use crate::reviews::compose::{self, ApprovalView, ComposeView};
use crate::reviews::document_view::{doc_view, part_views, DocView, PartView};
use crate::reviews::{self, ReviewParams};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "reviews/standalone.html")]
struct Standalone {
    d: DocView,
}

/// The review as a standalone, printable HTML file.
pub fn review_html(r: &antq_storage::reviews::Review) -> Result<String, askama::Error> {
    Standalone {
        d: doc_view(r, reviews::header(r)),
    }
    .render()
}

#[derive(Template)]
#[template(path = "reviews/list.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<(i64, String, String, String, String, String)>,
    /// The create form's unit (the user's own by default) and year.
    picker: crate::units::pages::UnitPicker,
    /// The form as typed (after an error) or its defaults.
    form: NewForm,
    /// The programmes the title may name: (id, words).
    programmes: Vec<(i64, String)>,
    error: String,
    errors: Vec<String>,
}

/// A review's stage in words: "Năm 2023", "Giai đoạn 2013 – 2023",
/// "6 tháng đầu năm 2026" (never `2013..2023` or `2026S1`).
pub fn stage_words(from: i32, to: i32, half: Option<u8>) -> String {
    use antq_core::periods::{Period, PeriodType, YearRange};
    match half {
        Some(h) => Period::new(from, PeriodType::Half, h)
            .map(|p| p.words_vi())
            .unwrap_or_else(|_| format!("6 tháng năm {from}")),
        None => YearRange { from, to }.words_vi(),
    }
}

/// Where a compared figure sits, in words: a stage ("2013–2023"), a year
/// ("2024"), or a child unit's name (left as it is).
fn place_words(place: &str) -> String {
    let year = |s: &str| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit());
    match place.split_once('–') {
        Some((a, b)) if year(a.trim()) && year(b.trim()) => {
            format!("Giai đoạn {} – {}", a.trim(), b.trim())
        }
        _ if year(place) => format!("Năm {place}"),
        _ => {
            let mut chars = place.chars();
            match chars.next() {
                // "năm 2023", "6 tháng đầu năm 2026": a capital first letter.
                Some(first) if place.starts_with("năm ") || place.starts_with("giai đoạn ") => {
                    first.to_uppercase().chain(chars).collect()
                }
                _ => place.to_string(),
            }
        }
    }
}

fn owner_label(c: &Chrome, o: antq_core::reviews::Owner) -> &'static str {
    match o {
        antq_core::reviews::Owner::Police => c.t("role.police"),
        antq_core::reviews::Owner::Front => c.t("role.front"),
        antq_core::reviews::Owner::Joint => c.t("rv.joint"),
    }
}

pub async fn list(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
) -> PageResult<Response> {
    list_page(&state, c, &ctx.actor, None).await
}

/// The list with the create form: empty, or as typed with what was wrong.
async fn list_page(
    state: &AppState,
    c: Chrome,
    actor: &antq_storage::accounts::access::Actor,
    typed: Option<(NewForm, Failure)>,
) -> PageResult<Response> {
    let rows = reviews::list(&state.db, actor)
        .await?
        .into_iter()
        .map(|r| {
            (
                r.id,
                format!("{} ({})", r.unit_name, r.unit_code),
                stage_words(r.from, r.to, r.half),
                owner_label(&c, r.owner).to_string(),
                crate::pages::date_vi(Some(&r.issue_date)).unwrap_or_default(),
                r.created_by,
            )
        })
        .collect();
    let year = crate::statistics::analysis::current_reporting_year().to_string();
    let label = c.t("picker.unit");
    let (picker, form, error, errors) = match typed {
        Some((f, e)) => (
            crate::units::pages::UnitPicker::new(&c, "unit", "review-unit", label)
                .typed(&f.unit, &f.unit_pick),
            f,
            crate::error::capitalised(&e.message),
            crate::pages::error_lines(&e.errors),
        ),
        None => (
            crate::units::pages::UnitPicker::own(state, &c, actor, "unit", "review-unit", label)
                .await?,
            NewForm {
                from: year.clone(),
                to: year.clone(),
                owner: "joint".into(),
                ..NewForm::default()
            },
            String::new(),
            Vec::new(),
        ),
    };
    let programmes = reviews::programme_choices(&state.db, actor).await?;
    render(ListPage {
        rows,
        programmes,
        picker,
        form,
        error,
        errors,
        c,
    })
}

#[derive(Deserialize, Default)]
pub struct NewForm {
    unit: String,
    #[serde(default)]
    unit_pick: String,
    from: String,
    #[serde(default)]
    to: String,
    /// Empty for whole years, "1" or "2" for the first or second half of `from`.
    #[serde(default)]
    half: String,
    #[serde(default)]
    at: String,
    owner: String,
    #[serde(default)]
    issue_date: String,
    /// "" (the covering programme), "none", or a programme's id.
    #[serde(default)]
    programme: String,
}

pub async fn create(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    FormBody(f): FormBody<NewForm>,
) -> PageResult<Response> {
    match build(&state, &ctx.actor, &f).await {
        Ok(id) => Ok(crate::pages::done(&format!("/bao-cao/{id}"), "msg.created")),
        Err(e) => {
            // The form again, as typed, with what was wrong (one line per
            // candidate unit when a name is shared).
            let status = if e.status.is_client_error() {
                e.status
            } else {
                axum::http::StatusCode::UNPROCESSABLE_ENTITY
            };
            let mut res = list_page(&state, c, &ctx.actor, Some((f, e))).await?;
            *res.status_mut() = status;
            Ok(res)
        }
    }
}

async fn build(
    state: &AppState,
    actor: &antq_storage::accounts::access::Actor,
    f: &NewForm,
) -> Result<i64, Failure> {
    // A half-year review is one half of the first year ("2026S1"): the
    // form asks for it in words, the stage takes its code.
    let (from, to) = match f.half.trim() {
        "" => (f.from.trim().to_string(), f.to.trim()),
        h @ ("1" | "2") => (format!("{}S{h}", f.from.trim()), ""),
        _ => {
            return Err(Failure::bad_request(
                "Chỉ chọn được cả năm, 6 tháng đầu năm hoặc 6 tháng cuối năm",
            ))
        }
    };
    // The unit as picked or typed: a code goes on as it is (the review
    // takes it at its own date); a name is looked up at the review's date.
    let unit = crate::units::service::code_of_field(state, &f.unit, &f.unit_pick, &f.at, &from, to)
        .await?;
    antq_core::text::check_len("Chương trình, kế hoạch", &f.programme, 20)?;
    reviews::create_choosing(
        &state.db,
        Some(actor),
        ReviewParams {
            unit: &unit,
            at: Some(&f.at),
            from: &from,
            to: (!to.is_empty()).then_some(to),
            owner: &f.owner,
            issue_date: Some(&f.issue_date),
        },
        Some(&f.programme),
    )
    .await
}

#[derive(Template)]
#[template(path = "reviews/show.html")]
struct ShowPage {
    c: Chrome,
    id: i64,
    /// The review's `updated_at` as shown (sent back by the approve buttons).
    version: String,
    d: DocView,
    /// The groups of the results, for the narrative editor.
    parts: Vec<PartView>,
    editable: bool,
    edited: bool,
    built: String,
    press_title: String,
    press_body: String,
    /// "Soạn báo cáo" (for one who may edit it).
    compose: Option<ComposeView>,
    state: String,
    approvals: Vec<ApprovalView>,
    /// What keeps the review from being signed: draft data, an early
    /// issue date, sections not yet written.
    warnings: Vec<String>,
}

/// What keeps a review from being signed, in words.
fn warnings(r: &Review) -> Vec<String> {
    let mut v = Vec::new();
    if let Some(reason) = r.draft() {
        v.push(format!(
            "Báo cáo còn là dự thảo vì chưa đủ số liệu: {reason}"
        ));
    }
    if let Ok(d) = dates::parse_date(&r.issue_date) {
        v.extend(antq_core::reviews::document::date_warning(
            &r.snapshot.stage(),
            d,
        ));
    }
    let unnamed: Vec<&str> = r
        .signers
        .iter()
        .filter(|s| s.name.trim().is_empty())
        .map(|s| s.side.label_vi())
        .collect();
    if !unnamed.is_empty() {
        v.push(format!(
            "Chưa có họ tên người ký của {}: chọn trong danh sách người ký hoặc ghi ở mục “Soạn báo cáo”.",
            unnamed.join(", ")
        ));
    }
    let unwritten: Vec<&str> = r
        .sections
        .iter()
        .filter(|s| s.unwritten())
        .map(|s| s.heading.as_str())
        .collect();
    if !unwritten.is_empty() {
        v.push(format!(
            "Còn {} mục chưa viết: {}.",
            unwritten.len(),
            unwritten.join("; ")
        ));
    }
    v
}

/// The review page, with the editor filled from `posted` after a refused save.
async fn show_page(
    state: &AppState,
    c: Chrome,
    actor: &antq_storage::accounts::access::Actor,
    id: i64,
    posted: Option<(DocumentChange, String)>,
) -> Result<ShowPage, Failure> {
    let r = reviews::get(&state.db, Some(actor), id).await?;
    let editable = reviews::may_edit(&state.db, actor, &r).await?;
    let narrative: Vec<(String, String, String)> = r
        .narrative
        .iter()
        .map(|p| (p.group.clone(), p.heading.clone(), p.text.clone()))
        .collect();
    let (press_title, press_body) =
        antq_core::reviews::press_summary(&r.snapshot, r.owner, &narrative);
    let h = reviews::header(&r);
    let compose = if editable {
        let register = antq_storage::reviews::register(&state.db, r.unit_id).await?;
        Some(compose::view(
            &r,
            &h.signers,
            &h.recipients,
            &register,
            posted,
        ))
    } else {
        None
    };
    let mut may = Vec::new();
    for side in Side::of(r.owner) {
        if reviews::may_approve(&state.db, actor, &r, *side).await? {
            may.push(*side);
        }
    }
    Ok(ShowPage {
        id,
        version: r.updated_at.clone(),
        d: doc_view(&r, h),
        parts: part_views(&r.snapshot, &r.narrative),
        editable,
        edited: r.edited,
        built: dates::format_timestamp_vi(&r.snapshot.built_at),
        press_title,
        press_body,
        compose,
        state: compose::state_words(&r),
        approvals: compose::approvals(&r, &may),
        warnings: warnings(&r),
        c,
    })
}

pub async fn show(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    render(show_page(&state, c, &ctx.actor, id, None).await?)
}

/// Save the editor ("Soạn báo cáo"): the step asked (move, add, remove a
/// section) and everything typed, in one change. A refused change shows
/// the page again with what was typed and why (422).
pub async fn compose_save(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    FormBody(fields): FormBody<Vec<(String, String)>>,
) -> PageResult<Response> {
    let to = format!("/bao-cao/{id}#soan");
    let posted = compose::parse(&fields)
        .map_err(|m| Failure::new(axum::http::StatusCode::UNPROCESSABLE_ENTITY, m))?;
    let r = reviews::get(&state.db, Some(&ctx.actor), id).await?;
    let register = antq_storage::reviews::register(&state.db, r.unit_id).await?;
    let step = posted.op;
    let change = posted.change(&register);
    match reviews::save_document(&state.db, &ctx.actor, id, change.clone()).await {
        Ok(_) if step == compose::Op::Save => Ok(crate::pages::done(&to, "msg.saved")),
        Ok(_) => Ok(axum::response::Redirect::to(&to).into_response()),
        // Refused (invalid, or changed meanwhile by someone else): the page
        // again with what was typed and why.
        Err(e)
            if e.status == axum::http::StatusCode::UNPROCESSABLE_ENTITY
                || e.status == axum::http::StatusCode::CONFLICT =>
        {
            let status = e.status;
            let page = show_page(&state, c, &ctx.actor, id, Some((change, e.message))).await?;
            let mut res = render(page)?;
            *res.status_mut() = status;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ApproveForm {
    side: String,
    /// The review's `updated_at` on the approver's screen.
    #[serde(default)]
    version: String,
}

/// One side approves the text as it is.
pub async fn approve(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    FormBody(f): FormBody<ApproveForm>,
) -> Response {
    let to = format!("/bao-cao/{id}");
    let side = match Side::parse(&f.side) {
        Ok(s) => s,
        Err(e) => return crate::pages::failed(&to, e.into()),
    };
    let version = Some(f.version.as_str()).filter(|v| !v.is_empty());
    match reviews::approve(&state.db, &ctx.actor, id, side, version).await {
        Ok(r) => {
            let text = if r.is_final() {
                "Đã duyệt. Báo cáo đã hoàn thành, có thể ký ban hành.".to_string()
            } else {
                format!(
                    "Đã duyệt phần của {}. Báo cáo chờ bên còn lại duyệt.",
                    side.label_vi()
                )
            };
            crate::pages::done_text(&to, &text)
        }
        Err(e) => crate::pages::failed(&to, e),
    }
}

pub async fn download(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path((id, file)): Path<(i64, String)>,
) -> PageResult<Response> {
    let format = file.strip_prefix("tai-ve.").unwrap_or("");
    let r = reviews::get(&state.db, Some(&ctx.actor), id).await?;
    let d = reviews::render(&r, format)?;
    let how = if format == "html" {
        crate::statistics::Disposition::Inline
    } else {
        crate::statistics::Disposition::Attachment
    };
    Ok(d.respond(how))
}

pub async fn edit(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    FormBody(fields): FormBody<Vec<(String, String)>>,
) -> Response {
    let texts: BTreeMap<String, String> = fields
        .into_iter()
        .filter(|(k, _)| k != "csrf_token")
        .collect();
    let to = format!("/bao-cao/{id}");
    crate::pages::outcome(
        reviews::edit(&state.db, &ctx.actor, id, &texts).await,
        &to,
        "msg.saved",
        &to,
    )
}

#[derive(Template)]
#[template(path = "reviews/diff.html")]
struct DiffPage {
    c: Chrome,
    id: i64,
    unit: String,
    at: String,
    from: String,
    to: String,
    owner: &'static str,
    issue_date: String,
    /// The programme the review named ("none" when it named none), for rebuilding it.
    programme: String,
    h_title: String,
    built: String,
    now_built: String,
    rows: Vec<(String, String, String, String)>,
}

fn number(x: Option<f64>) -> String {
    match x {
        None => "–".into(),
        Some(v) if v.fract() == 0.0 => format_int(v as i64),
        Some(v) => format_decimal(v, 1),
    }
}

pub async fn diff(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    let (r, now, d) = reviews::changes(&state.db, Some(&ctx.actor), id).await?;
    let s = &r.snapshot;
    let (from, to) = match s.half {
        Some(h) => (format!("{}S{h}", s.from), String::new()),
        None => (s.from.to_string(), s.to.to_string()),
    };
    render(DiffPage {
        id,
        unit: s.unit_code.clone(),
        at: s.at.clone(),
        from,
        to,
        owner: r.owner.as_str(),
        issue_date: r.issue_date.clone(),
        programme: s
            .programme
            .as_ref()
            .map(|p| p.id.to_string())
            .unwrap_or_else(|| "none".into()),
        h_title: reviews::header(&r).title,
        built: dates::format_timestamp_vi(&r.snapshot.built_at),
        now_built: dates::format_timestamp_vi(&now.built_at),
        rows: d
            .into_iter()
            .map(|x| {
                (
                    x.name,
                    place_words(&x.place),
                    number(x.before),
                    number(x.after),
                )
            })
            .collect(),
        c,
    })
}

#[cfg(test)]
mod stage_tests {
    use super::*;

    #[test]
    fn stages_and_places_in_words() {
        assert_eq!(stage_words(2013, 2023, None), "Giai đoạn 2013 – 2023");
        assert_eq!(stage_words(2023, 2023, None), "Năm 2023");
        assert_eq!(stage_words(2026, 2026, Some(1)), "6 tháng đầu năm 2026");
        assert_eq!(place_words("2013–2023"), "Giai đoạn 2013 – 2023");
        assert_eq!(place_words("2024"), "Năm 2024");
        assert_eq!(place_words("năm 2023"), "Năm 2023");
        assert_eq!(place_words("Xã Mường Phăng"), "Xã Mường Phăng");
    }
}
