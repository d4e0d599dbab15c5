//! The score sheet of a classification: the page with its forms (self-score,
//! submit, review, decide) and the printable sheet (Nghị định 30 layout).

use antq_core::dates;
use antq_core::registries::classifications::{format_points, parse_points, Band, State};
use antq_storage::registries::classifications::{self as store, ReviewIn, ScoreIn};
use antq_storage::units;
use askama::Template;
use axum::extract::{Path, State as AxState};
use axum::response::Response;
use axum::Form as FormBody;

use super::pages::BASE;
use super::{shown, unprocessable};
use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::pages::{render, Chrome};
use crate::state::AppState;

/// One line of the score sheet as shown.
pub struct Line {
    pub item_id: i64,
    pub label: String,
    pub text: String,
    pub sub: bool,
    pub leaf: bool,
    pub max: String,
    pub self_points: String,
    pub self_input: String,
    pub evidence: String,
    pub reviewed: String,
    pub reviewed_input: String,
    pub reason: String,
}

/// The facts of a sheet, shared by the page and the print.
pub struct Facts {
    pub id: i64,
    pub year: i32,
    pub kind: &'static str,
    pub subject: String,
    pub unit: String,
    pub unit_code: String,
    pub state: &'static str,
    pub self_total: String,
    pub reviewed_total: String,
    pub band: &'static str,
    pub template: String,
    pub deadline: String,
    pub thresholds: String,
}

async fn facts_and_lines(
    state: &AppState,
    sh: &antq_storage::registries::classifications::Sheet,
) -> PageResult<(Facts, Vec<Line>)> {
    let c = &sh.classification;
    let t = store::thresholds(&state.db).await?;
    let d = store::deadlines(&state.db).await?;
    let inp = |p: Option<i64>| p.map(format_points).unwrap_or_default();
    let lines = sh
        .template
        .items
        .iter()
        .map(|i| {
            let l = sh.line(i.id);
            Line {
                item_id: i.id,
                label: i.label.clone(),
                text: i.text.clone(),
                sub: i.parent_id.is_some(),
                leaf: sh.template.is_leaf(i.id),
                max: format_points(i.max),
                self_points: shown(sh.points(i.id, false)),
                self_input: inp(l.and_then(|l| l.self_points)),
                evidence: l.map(|l| l.evidence.clone()).unwrap_or_default(),
                reviewed: shown(sh.points(i.id, true)),
                reviewed_input: inp(l.and_then(|l| l.reviewed_points.or(l.self_points))),
                reason: l.map(|l| l.reason.clone()).unwrap_or_default(),
            }
        })
        .collect();
    Ok((
        Facts {
            id: c.id,
            year: c.year,
            kind: c.kind.word_vi(),
            subject: c.subject.clone(),
            unit: c.unit.name.clone(),
            unit_code: c.unit.code.clone(),
            state: c.state.word_vi(),
            self_total: shown(c.self_points),
            reviewed_total: shown(c.reviewed_points),
            band: c.band.map(Band::word_vi).unwrap_or(""),
            template: sh.template.title.clone(),
            deadline: d
                .of(c.kind, c.year)
                .map(dates::format_vi)
                .unwrap_or_default(),
            thresholds: format!(
                "Xuất sắc từ {} điểm; Khá từ {} điểm; Trung bình từ {} điểm; dưới {} điểm: Yếu",
                format_points(t.xuat_sac),
                format_points(t.kha),
                format_points(t.trung_binh),
                format_points(t.trung_binh)
            ),
        },
        lines,
    ))
}

#[derive(Template)]
#[template(path = "registries/classifications/show.html")]
struct ShowPage {
    c: Chrome,
    f: Facts,
    lines: Vec<Line>,
    can_score: bool,
    can_review: bool,
}

/// `GET /phan-loai-phong-trao/{id}`: the score sheet.
pub async fn show(
    AxState(state): AxState<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    let (sh, may_score, may_review) = super::sheet_for(&state.db, &ctx.actor, id).await?;
    let st = sh.classification.state;
    let (f, lines) = facts_and_lines(&state, &sh).await?;
    render(ShowPage {
        c,
        f,
        lines,
        can_score: may_score && st == State::Draft,
        can_review: may_review && matches!(st, State::Submitted | State::Reviewed),
    })
}

/// "Biểu Nghị định 30": the printable sheet.
#[derive(Template)]
#[template(path = "registries/classifications/print.html")]
struct PrintPage {
    c: Chrome,
    f: Facts,
    lines: Vec<Line>,
    parent_body: String,
    body: String,
    date_line: String,
    title: String,
}

/// `GET /phan-loai-phong-trao/{id}/in`.
pub async fn print(
    AxState(state): AxState<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    let sh = store::sheet(&state.db, Some(&ctx.actor), id).await?;
    let (f, lines) = facts_and_lines(&state, &sh).await?;
    let unit = units::by_id(&state.db, sh.classification.unit.id).await?;
    let parent = match unit.parent_id {
        Some(p) => Some(units::by_id(&state.db, p).await?),
        None => None,
    };
    let strip = |n: &str| {
        [
            "Tỉnh ",
            "Thành phố ",
            "Xã ",
            "Phường ",
            "Thị trấn ",
            "Đặc khu ",
            "Huyện ",
            "Quận ",
            "Thị xã ",
        ]
        .iter()
        .find_map(|p| n.strip_prefix(p))
        .unwrap_or(n)
        .to_string()
    };
    let body = format!("Ủy ban nhân dân {}", unit.name).to_uppercase();
    let parent_body = parent
        .map(|p| format!("Ủy ban nhân dân {}", p.name).to_uppercase())
        .unwrap_or_default();
    let place = strip(&unit.name);
    let day = match sh
        .classification
        .decided_at
        .as_deref()
        .or(sh.classification.submitted_at.as_deref())
    {
        Some(ts) => dates::parse_date(&ts[..ts.len().min(10)]).unwrap_or_else(|_| dates::today()),
        None => dates::today(),
    };
    use chrono::Datelike;
    let date_line = format!(
        "{place}, ngày {:02} tháng {} năm {}",
        day.day(),
        if day.month() <= 2 {
            format!("{:02}", day.month())
        } else {
            day.month().to_string()
        },
        day.year()
    );
    render(PrintPage {
        title: format!(
            "BẢNG CHẤM ĐIỂM ĐÁNH GIÁ, PHÂN LOẠI PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC NĂM {}",
            sh.classification.year
        ),
        c,
        f,
        lines,
        parent_body,
        body,
        date_line,
    })
}

fn field<'a>(fields: &'a [(String, String)], k: &str) -> &'a str {
    fields
        .iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// `POST /phan-loai-phong-trao/{id}/cham-diem`: `p_ITEM` (points), `e_ITEM` (evidence).
pub async fn score(
    AxState(state): AxState<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    FormBody(fields): FormBody<Vec<(String, String)>>,
) -> Response {
    let to = format!("{BASE}/{id}");
    let r = async {
        let sh = store::sheet(&state.db, Some(&ctx.actor), id).await?;
        let mut scores = Vec::new();
        for i in sh.template.leaves() {
            let typed = field(&fields, &format!("p_{}", i.id)).trim();
            let points = if typed.is_empty() {
                None
            } else {
                Some(
                    parse_points(typed)
                        .map_err(|e| unprocessable(format!("Mục {}: {e}", i.label)))?,
                )
            };
            scores.push(ScoreIn {
                item_id: i.id,
                points,
                evidence: field(&fields, &format!("e_{}", i.id)).to_string(),
            });
        }
        Ok::<_, Failure>(store::set_scores(&state.db, Some(&ctx.actor), id, &scores).await?)
    }
    .await;
    crate::pages::outcome(r, &to, "msg.saved", &to)
}

/// `POST /phan-loai-phong-trao/{id}/gui`.
pub async fn submit(
    AxState(state): AxState<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> Response {
    let to = format!("{BASE}/{id}");
    let r = store::submit(&state.db, Some(&ctx.actor), id)
        .await
        .map_err(Failure::from);
    crate::pages::outcome(r, &to, "msg.saved", &to)
}

/// `POST /phan-loai-phong-trao/{id}/cham-lai`: `r_ITEM` (points), `why_ITEM` (reason).
pub async fn review(
    AxState(state): AxState<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    FormBody(fields): FormBody<Vec<(String, String)>>,
) -> Response {
    let to = format!("{BASE}/{id}");
    let r = async {
        let sh = store::sheet(&state.db, Some(&ctx.actor), id).await?;
        let mut changes = Vec::new();
        for i in sh.template.leaves() {
            let typed = field(&fields, &format!("r_{}", i.id)).trim();
            if typed.is_empty() {
                continue;
            }
            changes.push(ReviewIn {
                item_id: i.id,
                points: parse_points(typed)
                    .map_err(|e| unprocessable(format!("Mục {}: {e}", i.label)))?,
                reason: field(&fields, &format!("why_{}", i.id)).to_string(),
            });
        }
        Ok::<_, Failure>(store::review(&state.db, Some(&ctx.actor), id, &changes).await?)
    }
    .await;
    crate::pages::outcome(r, &to, "msg.saved", &to)
}

/// `POST /phan-loai-phong-trao/{id}/xep-loai`.
pub async fn decide(
    AxState(state): AxState<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> Response {
    let to = format!("{BASE}/{id}");
    let r = store::decide(&state.db, Some(&ctx.actor), id)
        .await
        .map_err(Failure::from);
    crate::pages::outcome(r, &to, "msg.saved", &to)
}
