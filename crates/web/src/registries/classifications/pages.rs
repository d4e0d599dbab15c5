//! The pages of the movement classification: the list with band counts and
//! the late, a new sheet, the score sheet with its forms (self-score,
//! submit, review, decide), the printable sheet (Nghị định 30 layout), the
//! templates and rules, the Excel list out and self-scores in.

use antq_core::auth::Action;
use antq_core::dates;
use antq_core::registries::classifications::{
    format_points, parse_points, Band, Deadlines, State, SubjectKind, Thresholds,
};
use antq_storage::registries::classifications::{
    self as store, templates, ItemIn, ReviewIn, ScoreIn,
};
use antq_storage::units;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State as AxState};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form as FormBody, Router};
use serde::Deserialize;

use super::{counts, parse_year, shown, unprocessable, ListQuery};
use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::pages::{render, Chrome};
use crate::state::AppState;
use crate::units::pages::UnitPicker;

const BASE: &str = "/phan-loai-phong-trao";

pub fn routes(upload_limit: usize) -> Router<AppState> {
    Router::new()
        .route(BASE, get(list))
        .route("/phan-loai-phong-trao/moi", get(new_form).post(new_create))
        .route("/phan-loai-phong-trao/mau", get(templates_page))
        .route("/phan-loai-phong-trao/mau/quy-dinh", post(save_rules))
        .route("/phan-loai-phong-trao/mau/{id}", post(save_template))
        .route(
            "/phan-loai-phong-trao/nhap",
            get(import_form)
                .post(import_upload)
                .layer(axum::extract::DefaultBodyLimit::max(upload_limit)),
        )
        .route("/phan-loai-phong-trao/xuat", get(export))
        .route("/phan-loai-phong-trao/mau-nhap", get(import_template))
        .route("/phan-loai-phong-trao/{id}", get(show))
        .route("/phan-loai-phong-trao/{id}/in", get(print))
        .route("/phan-loai-phong-trao/{id}/cham-diem", post(score))
        .route("/phan-loai-phong-trao/{id}/gui", post(submit))
        .route("/phan-loai-phong-trao/{id}/cham-lai", post(review))
        .route("/phan-loai-phong-trao/{id}/xep-loai", post(decide))
}

fn this_year() -> String {
    use chrono::Datelike;
    dates::today().year().to_string()
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
    #[serde(default)]
    band: String,
}

/// A classification as a row of the list.
pub struct Row {
    pub id: i64,
    pub unit: String,
    pub kind: &'static str,
    pub subject: String,
    pub state: &'static str,
    pub self_points: String,
    pub reviewed_points: String,
    pub band: &'static str,
}

/// Band counts of one kind (or all) as shown.
pub struct CountRow {
    pub kind: &'static str,
    pub counts: Vec<String>,
    pub total: String,
}

/// A late subject as shown.
pub struct LateRow {
    pub kind: &'static str,
    pub subject: String,
    pub unit: String,
    pub deadline: String,
    pub id: Option<i64>,
}

#[derive(Template)]
#[template(path = "registries/classifications/list.html")]
struct ListPage {
    c: Chrome,
    picker: UnitPicker,
    p: ListParams,
    kinds: Vec<(&'static str, &'static str)>,
    bands: Vec<(&'static str, &'static str)>,
    band_names: Vec<&'static str>,
    rows: Vec<Row>,
    counts: Vec<CountRow>,
    late: Vec<LateRow>,
    unit_name: String,
    error: String,
    query: String,
}

/// `GET /phan-loai-phong-trao?unit=&year=`.
pub async fn list(
    AxState(state): AxState<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Query(mut p): Query<ListParams>,
) -> PageResult<Response> {
    if p.year.trim().is_empty() {
        p.year = this_year();
    }
    let picker = UnitPicker::new(&c, "unit", "cls-filter-unit", c.t("cls.unit"))
        .optional()
        .typed(&p.unit, &p.unit_pick);
    let found = async {
        let year = parse_year(&p.year)?;
        let unit = match p.unit.trim() {
            "" => None,
            t => Some(
                crate::units::service::resolve_unit(
                    &state,
                    t,
                    Some(&p.unit_pick),
                    dates::Date::from_ymd_opt(year, 12, 31).unwrap_or_else(dates::today),
                )
                .await
                .or(crate::units::service::resolve_unit(
                    &state,
                    t,
                    Some(&p.unit_pick),
                    dates::today(),
                )
                .await)?,
            ),
        };
        let q = ListQuery {
            unit: unit.as_ref().map(|u| u.code.clone()),
            year: Some(year.to_string()),
            kind: Some(p.kind.clone()),
            band: Some(p.band.clone()),
        };
        let (f, u) = super::filter(&state.db, Some(&ctx.actor), &q).await?;
        let list = store::list(&state.db, Some(&ctx.actor), &f).await?;
        let all_kinds = antq_storage::registries::classifications::Filter {
            kind: None,
            band: None,
            ..f.clone()
        };
        let counts = counts(&state.db, Some(&ctx.actor), &all_kinds).await?;
        let late = match &u {
            Some(u) => store::late(&state.db, Some(&ctx.actor), u.id, year, dates::today()).await?,
            None => Vec::new(),
        };
        Ok::<_, Failure>((u, list, counts, late))
    }
    .await;
    let (unit, list, cnt, late, error) = match found {
        Ok((u, l, k, late)) => (u, l, k, late, String::new()),
        Err(e) => (
            None,
            Vec::new(),
            Vec::new(),
            Vec::new(),
            crate::error::capitalised(&e.message),
        ),
    };
    let query = match &unit {
        Some(u) => format!(
            "unit={}&year={}",
            crate::auth::urlencode(&u.code),
            crate::auth::urlencode(p.year.trim())
        ),
        None => String::new(),
    };
    let rows = list
        .iter()
        .map(|x| Row {
            id: x.id,
            unit: x.unit.name.clone(),
            kind: x.kind.word_vi(),
            subject: x.subject.clone(),
            state: x.state.word_vi(),
            self_points: shown(x.self_points),
            reviewed_points: shown(x.reviewed_points),
            band: x.band.map(Band::word_vi).unwrap_or(""),
        })
        .collect();
    let counts = cnt
        .iter()
        .map(|k| CountRow {
            kind: k.kind.map(|k| k.word_vi()).unwrap_or(c.t("cls.all_kinds")),
            counts: k
                .counts
                .iter()
                .map(|n| antq_core::text::format_int(*n))
                .collect(),
            total: antq_core::text::format_int(k.total()),
        })
        .collect();
    let late = late
        .into_iter()
        .map(|l| LateRow {
            kind: l.kind.word_vi(),
            subject: l.subject,
            unit: l.unit.name,
            deadline: crate::pages::date_vi(Some(&l.deadline)).unwrap_or(l.deadline),
            id: l.classification_id,
        })
        .collect();
    render(ListPage {
        picker,
        kinds: SubjectKind::ALL
            .iter()
            .map(|k| (k.code(), k.word_vi()))
            .collect(),
        bands: Band::ALL.iter().map(|b| (b.code(), b.word_vi())).collect(),
        band_names: Band::ALL.iter().map(|b| b.word_vi()).collect(),
        rows,
        counts,
        late,
        unit_name: unit.map(|u| u.name).unwrap_or_default(),
        error,
        query,
        p,
        c,
    })
}

/// A subject one may open a sheet for, as a choice of the new page.
pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "registries/classifications/new.html")]
struct NewPage {
    c: Chrome,
    picker: UnitPicker,
    year: String,
    unit_code: String,
    unit_name: String,
    choices: Vec<Choice>,
    error: String,
}

#[derive(Deserialize, Default)]
pub struct NewParams {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    unit_pick: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    subject: String,
}

async fn new_page(
    state: &AppState,
    c: Chrome,
    ctx: &crate::auth::AuthContext,
    p: NewParams,
    err: Option<Failure>,
) -> PageResult<Response> {
    let mut picker =
        UnitPicker::new(&c, "unit", "cls-new-unit", c.t("cls.unit")).typed(&p.unit, &p.unit_pick);
    let year = if p.year.trim().is_empty() {
        this_year()
    } else {
        p.year.trim().to_string()
    };
    let mut choices = Vec::new();
    let mut unit_code = String::new();
    let mut unit_name = String::new();
    let mut error = err
        .as_ref()
        .map(|e| crate::error::capitalised(&e.message))
        .unwrap_or_default();
    if p.unit.trim().is_empty() && p.unit_pick.trim().is_empty() {
        if let Some(o) = crate::units::service::own_unit(state, &ctx.actor, dates::today()).await? {
            picker = picker.typed(&o.name, &o.code);
        }
    } else {
        let y = parse_year(&year).ok();
        let at = y
            .and_then(|y| dates::Date::from_ymd_opt(y, 12, 31))
            .unwrap_or_else(dates::today);
        let resolved =
            match crate::units::service::resolve_unit(state, &p.unit, Some(&p.unit_pick), at).await
            {
                Ok(u) => Ok(u),
                Err(_) => {
                    crate::units::service::resolve_unit(
                        state,
                        &p.unit,
                        Some(&p.unit_pick),
                        dates::today(),
                    )
                    .await
                }
            };
        match resolved {
            Ok(u) => {
                if u.level == antq_core::units::Level::Commune {
                    choices.push(Choice {
                        value: "xa".into(),
                        label: format!("{} ({})", u.name, SubjectKind::Xa.word_vi().to_lowercase()),
                    });
                }
                for a in units::areas::list(&state.db, u.id).await? {
                    choices.push(Choice {
                        value: format!("khu_dan_cu:{}", a.id),
                        label: format!(
                            "{} ({})",
                            a.name,
                            SubjectKind::KhuDanCu.word_vi().to_lowercase()
                        ),
                    });
                }
                for o in units::orgs::list(&state.db, u.id).await? {
                    if matches!(o.kind.as_str(), "agency" | "enterprise" | "school") {
                        choices.push(Choice {
                            value: format!("co_quan:{}", o.id),
                            label: o.name.clone(),
                        });
                    }
                }
                if choices.is_empty() && error.is_empty() {
                    error = format!("{} không có đối tượng nào để phân loại phong trào", u.name);
                }
                unit_code = u.code.clone();
                unit_name = u.name.clone();
            }
            Err(e) if error.is_empty() => error = crate::error::capitalised(&e.message),
            Err(_) => {}
        }
    }
    let status = err.map(|e| e.status);
    let mut res = render(NewPage {
        c,
        picker,
        year,
        unit_code,
        unit_name,
        choices,
        error,
    })?;
    if let Some(s) = status {
        *res.status_mut() = if s.is_client_error() {
            s
        } else {
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        };
    }
    Ok(res)
}

/// `GET /phan-loai-phong-trao/moi[?unit=&year=]`: pick a unit, then a subject.
pub async fn new_form(
    AxState(state): AxState<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Query(p): Query<NewParams>,
) -> PageResult<Response> {
    new_page(&state, c, &ctx, p, None).await
}

/// `POST /phan-loai-phong-trao/moi`: open the sheet of the subject chosen.
pub async fn new_create(
    AxState(state): AxState<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    FormBody(p): FormBody<NewParams>,
) -> PageResult<Response> {
    let r = async {
        let year = parse_year(&p.year)?;
        let unit = super::unit_for(&state.db, &p.unit_pick, Some(year)).await;
        let unit = match unit {
            Ok(u) => u,
            Err(_) => {
                crate::units::service::resolve_unit(
                    &state,
                    &p.unit,
                    Some(&p.unit_pick),
                    dates::today(),
                )
                .await?
            }
        };
        let (kind, id) = match p.subject.split_once(':') {
            Some((k, id)) => (k, id.parse::<i64>().ok()),
            None => (p.subject.as_str(), None),
        };
        if p.subject.trim().is_empty() {
            return Err(unprocessable("Chưa chọn đối tượng phân loại"));
        }
        let n = super::NewIn {
            year: i64::from(year),
            unit: unit.code.clone(),
            kind: kind.to_string(),
            area_id: if kind == "khu_dan_cu" { id } else { None },
            organisation_id: if kind == "co_quan" { id } else { None },
        };
        super::create(&state.db, &ctx.actor, &n).await
    }
    .await;
    match r {
        Ok(id) => Ok(crate::pages::done(&format!("{BASE}/{id}"), "msg.created")),
        Err(e) => new_page(&state, c, &ctx, p, Some(e)).await,
    }
}

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

/// A template as shown, with its items as editable text.
pub struct TemplateView {
    pub id: i64,
    pub kind: &'static str,
    pub year_from: i32,
    pub next_year: i32,
    pub title: String,
    pub note: String,
    pub used: i64,
    pub lines: Vec<(String, String, String, bool)>,
    pub text: String,
}

#[derive(Template)]
#[template(path = "registries/classifications/templates.html")]
struct TemplatesPage {
    c: Chrome,
    items: Vec<TemplateView>,
    can_edit: bool,
    thresholds: (String, String, String),
    deadlines: (String, String, String),
}

fn dm(x: (u32, u32)) -> String {
    format!("{:02}/{:02}", x.0, x.1)
}

/// `GET /phan-loai-phong-trao/mau`: the templates, the thresholds and the deadlines.
pub async fn templates_page(
    AxState(state): AxState<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
) -> PageResult<Response> {
    let all = templates::templates(&state.db).await?;
    let t = store::thresholds(&state.db).await?;
    let d = store::deadlines(&state.db).await?;
    let items = all
        .iter()
        .map(|x| TemplateView {
            id: x.id,
            kind: x.kind.word_vi(),
            year_from: x.year_from,
            next_year: x.year_from.max(this_year().parse().unwrap_or(2026)) + 1,
            title: x.title.clone(),
            note: x.note.clone(),
            used: x.used,
            lines: x
                .items
                .iter()
                .map(|i| {
                    (
                        i.label.clone(),
                        i.text.clone(),
                        format_points(i.max),
                        i.parent_id.is_some(),
                    )
                })
                .collect(),
            text: x
                .items
                .iter()
                .map(|i| format!("{} | {} | {}", i.label, i.text, format_points(i.max)))
                .collect::<Vec<_>>()
                .join("\n"),
        })
        .collect();
    render(TemplatesPage {
        can_edit: ctx.actor.is_national(Action::EditCatalogue),
        thresholds: (
            format_points(t.xuat_sac),
            format_points(t.kha),
            format_points(t.trung_binh),
        ),
        deadlines: (dm(d.khu_dan_cu), dm(d.xa), dm(d.co_quan)),
        items,
        c,
    })
}

/// Items typed one per line, "TT | Nội dung | Điểm"; "4.1" is a sub-item of "4".
pub fn parse_items(text: &str) -> Result<Vec<ItemIn>, Failure> {
    let mut items: Vec<ItemIn> = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .take(antq_core::registries::classifications::limits::MAX_ITEMS + 1)
    {
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        if parts.len() != 3 {
            return Err(unprocessable(format!(
                "Dòng {}: ghi theo mẫu \u{201C}TT | Nội dung | Điểm\u{201D}",
                n + 1
            )));
        }
        let max =
            parse_points(parts[2]).map_err(|e| unprocessable(format!("Dòng {}: {e}", n + 1)))?;
        let item = ItemIn {
            label: parts[0].to_string(),
            text: parts[1].to_string(),
            max,
            children: Vec::new(),
        };
        match parts[0].split_once('.') {
            Some((parent, _)) => match items.iter_mut().rev().find(|i| i.label == parent) {
                Some(p) => p.children.push(item),
                None => {
                    return Err(unprocessable(format!(
                        "Dòng {}: ý {} chưa có mục {} đứng trước",
                        n + 1,
                        parts[0],
                        parent
                    )))
                }
            },
            None => items.push(item),
        }
    }
    Ok(items)
}

#[derive(Deserialize)]
pub struct TemplateForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    year_from: String,
    #[serde(default)]
    items: String,
}

/// `POST /phan-loai-phong-trao/mau/{id}`: change a template or make a new version.
pub async fn save_template(
    AxState(state): AxState<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    FormBody(f): FormBody<TemplateForm>,
) -> Response {
    let to = format!("{BASE}/mau");
    let r = async {
        if f.items.len() > 200_000 {
            return Err(unprocessable("Nội dung mẫu quá dài"));
        }
        let year = parse_year(&f.year_from)?;
        let items = parse_items(&f.items)?;
        Ok(templates::save(&state.db, Some(&ctx.actor), id, year, &f.title, &items).await?)
    }
    .await;
    crate::pages::outcome(r, &to, "msg.saved", &to)
}

#[derive(Deserialize)]
pub struct RulesForm {
    #[serde(default)]
    xuat_sac: String,
    #[serde(default)]
    kha: String,
    #[serde(default)]
    trung_binh: String,
    #[serde(default)]
    khu_dan_cu: String,
    #[serde(default)]
    xa: String,
    #[serde(default)]
    co_quan: String,
}

fn day_month(s: &str, what: &str) -> Result<(u32, u32), Failure> {
    let bad = || {
        unprocessable(format!(
            "Hạn của {what} ghi theo dạng ngày/tháng, ví dụ 20/11"
        ))
    };
    let (d, m) = s.trim().split_once('/').ok_or_else(bad)?;
    Ok((
        d.trim().parse().map_err(|_| bad())?,
        m.trim().parse().map_err(|_| bad())?,
    ))
}

/// `POST /phan-loai-phong-trao/mau/quy-dinh`: thresholds and deadlines (national administrators).
pub async fn save_rules(
    AxState(state): AxState<AppState>,
    PageUser(ctx): PageUser,
    FormBody(f): FormBody<RulesForm>,
) -> Response {
    let to = format!("{BASE}/mau");
    let r = async {
        let pts = |s: &str, w: &str| {
            parse_points(s).map_err(|e| unprocessable(format!("Ngưỡng {w}: {e}")))
        };
        let t = Thresholds {
            xuat_sac: pts(&f.xuat_sac, "Xuất sắc")?,
            kha: pts(&f.kha, "Khá")?,
            trung_binh: pts(&f.trung_binh, "Trung bình")?,
        };
        let d = Deadlines {
            khu_dan_cu: day_month(&f.khu_dan_cu, "khu dân cư")?,
            xa: day_month(&f.xa, "xã")?,
            co_quan: day_month(&f.co_quan, "cơ quan, doanh nghiệp, cơ sở giáo dục")?,
        };
        t.check()?;
        d.check()?;
        store::set_thresholds(&state.db, Some(&ctx.actor), &t).await?;
        store::set_deadlines(&state.db, Some(&ctx.actor), &d).await?;
        Ok::<_, Failure>(())
    }
    .await;
    crate::pages::outcome(r, &to, "msg.saved", &to)
}

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
