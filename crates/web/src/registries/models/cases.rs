//! The exemplary cases of the models register (`/mo-hinh/dien-hinh`): the
//! list and the form to record one.

use antq_core::dates;
use antq_core::registries::models::CaseKind;
use antq_core::text::format_int;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Form as FormBody;
use serde::Deserialize;

use super::pages::{enc, opt_text, PAGE};
use super::CaseIn;
use crate::auth::PageUser;
use crate::error::PageResult;
use crate::pages::{date_vi, render, Chrome};
use crate::state::AppState;
use crate::units::pages::UnitPicker;
use crate::units::service::resolve_unit;

fn kind_word(c: &Chrome, k: CaseKind) -> &'static str {
    c.t(match k {
        CaseKind::TapThe => "mod.tap_the",
        CaseKind::CaNhan => "mod.ca_nhan",
    })
}

pub struct CaseRow {
    pub kind: &'static str,
    pub name: String,
    pub unit: String,
    pub model: Option<(i64, String)>,
    pub date: String,
    pub recognition: String,
}

#[derive(Deserialize, Default)]
pub struct CaseParams {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    unit_pick: String,
    #[serde(default)]
    trang: String,
}

#[derive(Template)]
#[template(path = "registries/models/cases.html")]
struct CasesPage {
    c: Chrome,
    filter_picker: UnitPicker,
    picker: UnitPicker,
    rows: Vec<CaseRow>,
    total: String,
    error: String,
    next_href: String,
    prev_href: String,
}

/// `GET /mo-hinh/dien-hinh`: the exemplary cases and the form to record one.
pub async fn cases_page(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Query(p): Query<CaseParams>,
) -> PageResult<Response> {
    let page: usize = p.trang.trim().parse().unwrap_or(1).clamp(1, 10_000);
    let found = async {
        let unit = match p.unit.trim() {
            "" => None,
            t => Some(
                resolve_unit(&state, t, Some(&p.unit_pick), dates::today())
                    .await?
                    .code,
            ),
        };
        let q = super::CaseQuery {
            unit,
            kind: None,
            limit: Some(PAGE as i64),
            offset: Some(((page - 1) * PAGE) as i64),
        };
        super::list_cases(&state.db, Some(&ctx.actor), &q).await
    }
    .await;
    let filter_picker = UnitPicker::new(&c, "unit", "case-filter-unit", c.t("mod.unit"))
        .optional()
        .typed(&p.unit, &p.unit_pick);
    let picker = UnitPicker::own(
        &state,
        &c,
        &ctx.actor,
        "case_unit",
        "case-unit",
        c.t("mod.unit"),
    )
    .await?;
    let base = format!(
        "/mo-hinh/dien-hinh?unit={}&unit_pick={}",
        enc(&p.unit),
        enc(&p.unit_pick)
    );
    let (rows, total, error, prev_href, next_href) = match found {
        Ok((items, total)) => {
            let pages = (total as usize).div_ceil(PAGE).max(1);
            (
                items
                    .iter()
                    .map(|x| CaseRow {
                        kind: kind_word(&c, x.kind),
                        name: x.name.clone(),
                        unit: x.unit.name.clone(),
                        model: x
                            .model_id
                            .map(|m| (m, x.model_name.clone().unwrap_or_default())),
                        date: date_vi(x.recognised_on.as_deref()).unwrap_or_default(),
                        recognition: x.recognition.clone(),
                    })
                    .collect(),
                format_int(total),
                String::new(),
                if page > 1 {
                    format!("{base}&trang={}", page - 1)
                } else {
                    String::new()
                },
                if page < pages {
                    format!("{base}&trang={}", page + 1)
                } else {
                    String::new()
                },
            )
        }
        Err(e) => (
            Vec::new(),
            String::new(),
            crate::error::capitalised(&e.message),
            String::new(),
            String::new(),
        ),
    };
    render(CasesPage {
        filter_picker,
        picker,
        rows,
        total,
        error,
        next_href,
        prev_href,
        c,
    })
}

#[derive(Deserialize)]
pub struct CaseForm {
    #[serde(default)]
    case_unit: String,
    #[serde(default)]
    case_unit_pick: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    model_id: String,
    #[serde(default)]
    recognised_on: String,
    #[serde(default)]
    recognition: String,
}

/// `POST /mo-hinh/dien-hinh`.
pub async fn cases_create(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    FormBody(f): FormBody<CaseForm>,
) -> Response {
    let to = "/mo-hinh/dien-hinh";
    let r = async {
        let at = match f.recognised_on.trim() {
            "" => dates::today(),
            s => dates::parse_input_date(s)?,
        };
        let unit = resolve_unit(&state, &f.case_unit, Some(&f.case_unit_pick), at).await?;
        let model_id = match f.model_id.trim() {
            "" => None,
            s => Some(s.parse::<i64>().map_err(|_| {
                super::unprocessable(format!("Số mô hình \u{201C}{s}\u{201D} không hợp lệ"))
            })?),
        };
        let b = CaseIn {
            unit: unit.code,
            kind: f.kind.clone(),
            name: f.name.clone(),
            model_id,
            recognised_on: opt_text(&f.recognised_on),
            recognition: Some(f.recognition.clone()),
            notes: None,
        };
        super::create_case(&state.db, Some(&ctx.actor), &b).await
    }
    .await;
    crate::pages::outcome(r, to, "msg.created", to)
}
