//! A record of the recognition register (`/an-toan-antt/{id}`): its page
//! with the criteria checklist, the dossier's files and the decision, and
//! the forms that change them (checks, files in and out, the decision).

use antq_core::dates;
use antq_core::registries::recognitions::SubjectKind;
use antq_core::text;
use antq_storage::registries::recognitions::{self as store, CheckInput};
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use axum::Form as FormBody;
use serde::Deserialize;

use super::pages::{row, Row};
use super::DecideIn;
use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::pages::{render, Chrome};
use crate::state::AppState;

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
