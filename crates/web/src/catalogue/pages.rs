//! The catalogue page: indicators by group, forms and their validation
//! rules; national administrators add indicators (with the breakdown
//! designer, which shows and caps the number of combinations), forms and
//! rules, and rename indicators.

use antq_core::indicators::{Aggregation, GROUPS, MAX_COMBINATIONS};
use antq_core::text::format_int;
use antq_storage::statistics::catalogue_edit::{IndicatorEdit, NewForm, NewIndicator, RuleInput};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Form as FormBody;
use serde::Deserialize;

use crate::auth::PageUser;
use crate::catalogue;
use crate::error::PageResult;
use crate::pages::{outcome, render, Chrome};
use crate::state::AppState;

const PAGE: &str = "/quan-tri/danh-muc";

pub struct IndicatorRow {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub unit: String,
    pub kind: String,
    pub breakdown: String,
    pub forms: String,
}

pub struct GroupRows {
    pub name: String,
    pub rows: Vec<IndicatorRow>,
}

pub struct RuleRow {
    pub code: String,
    pub text: String,
    pub severity: &'static str,
    pub message: String,
}

pub struct FormRow {
    pub code: String,
    pub name: String,
    pub facts: String,
    pub indicators: String,
    pub rules: Vec<RuleRow>,
}

#[derive(Template)]
#[template(path = "admin/catalogue.html")]
struct CataloguePage {
    c: Chrome,
    editor: bool,
    groups: Vec<GroupRows>,
    forms: Vec<FormRow>,
    group_options: Vec<(&'static str, &'static str)>,
    stored: Vec<(String, String)>,
    max_combinations: usize,
}

fn aggregation_label(c: &Chrome, a: Aggregation) -> &'static str {
    c.t(match a {
        Aggregation::Sum => "cat.agg_sum",
        Aggregation::Latest => "cat.agg_latest",
        Aggregation::Ratio => "cat.agg_ratio",
        Aggregation::Distinct => "cat.agg_distinct",
    })
}

pub async fn page(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
) -> PageResult<Response> {
    let indicators = catalogue::indicators(&state).await?;
    let forms = catalogue::forms(&state).await?;
    let en = c.lang_code() == "en";
    let groups = GROUPS
        .iter()
        .map(|(code, vi, e)| GroupRows {
            name: if en { e } else { vi }.to_string(),
            rows: indicators
                .iter()
                .filter(|i| i.group == *code)
                .map(|i| IndicatorRow {
                    code: i.code.clone(),
                    name_vi: i.name_vi.clone(),
                    name_en: i.name_en.clone(),
                    unit: i.unit.clone(),
                    kind: match (&i.numerator, &i.denominator) {
                        (Some(n), Some(d)) => {
                            format!("{} = {n} / {d}", aggregation_label(&c, i.aggregation))
                        }
                        _ => aggregation_label(&c, i.aggregation).to_string(),
                    },
                    breakdown: i
                        .options
                        .iter()
                        .map(|o| if en { &o.name_en } else { &o.name_vi }.clone())
                        .collect::<Vec<_>>()
                        .join(" · "),
                    forms: forms
                        .iter()
                        .filter(|f| f.indicators.iter().any(|x| x.code == i.code))
                        .map(|f| f.code.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                })
                .collect(),
        })
        .filter(|g| !g.rows.is_empty())
        .collect();
    let form_rows = forms
        .iter()
        .map(|f| FormRow {
            code: f.code.clone(),
            name: if en { &f.name_en } else { &f.name_vi }.clone(),
            facts: format!(
                "{} · {} · {} · {} · {} {}",
                f.period_type.as_str(),
                f.calendar.as_str(),
                c.role_label(f.owner_role),
                f.levels
                    .iter()
                    .map(|l| l.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                c.t("cat.deadline"),
                format_int(f.deadline_days),
            ),
            indicators: f
                .indicators
                .iter()
                .map(|i| i.code.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            rules: f
                .rules
                .iter()
                .map(|r| RuleRow {
                    code: r.code.clone(),
                    text: format!("{} {} {}", r.left.text(), r.op.as_str(), r.right.text()),
                    severity: c.t(match r.severity {
                        antq_core::validation::Severity::Error => "cat.sev_error",
                        antq_core::validation::Severity::Warning => "cat.sev_warning",
                    }),
                    message: r.message_vi.clone(),
                })
                .collect(),
        })
        .collect();
    render(CataloguePage {
        editor: catalogue::may_edit(&ctx.actor),
        groups,
        forms: form_rows,
        group_options: GROUPS.iter().map(|(k, vi, _)| (*k, *vi)).collect(),
        stored: indicators
            .iter()
            .filter(|i| i.aggregation != Aggregation::Ratio)
            .map(|i| (i.code.clone(), i.name_vi.clone()))
            .collect(),
        max_combinations: MAX_COMBINATIONS,
        c,
    })
}

#[derive(Template)]
#[template(path = "admin/breakdown_preview.html")]
struct PreviewPartial {
    c: Chrome,
    empty: bool,
    count: usize,
    max: usize,
    error: String,
    combinations: Vec<String>,
}

#[derive(Deserialize)]
pub struct PreviewParams {
    #[serde(default)]
    breakdown: String,
}

/// The designer's live preview (htmx): the number of combinations against the cap.
pub async fn preview(
    c: Chrome,
    PageUser(_): PageUser,
    Query(p): Query<PreviewParams>,
) -> PageResult<Response> {
    let (count, result) = catalogue::preview(&p.breakdown);
    let empty = p.breakdown.trim().is_empty();
    render(PreviewPartial {
        empty,
        count,
        max: MAX_COMBINATIONS,
        error: result.as_ref().err().cloned().unwrap_or_default(),
        combinations: result
            .map(|b| b.combinations.into_iter().map(|x| x.name_vi).collect())
            .unwrap_or_default(),
        c,
    })
}

fn field(fields: &[(String, String)], name: &str) -> String {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

fn all(fields: &[(String, String)], name: &str) -> Vec<String> {
    fields
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

pub async fn create_indicator(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    FormBody(f): FormBody<Vec<(String, String)>>,
) -> Response {
    let result = match catalogue::parse_dimensions(&field(&f, "breakdown")) {
        Ok(breakdown) => {
            let n = NewIndicator {
                code: field(&f, "code"),
                name_vi: field(&f, "name_vi"),
                name_en: field(&f, "name_en"),
                unit: field(&f, "unit"),
                group: field(&f, "group"),
                value_type: field(&f, "value_type"),
                aggregation: field(&f, "aggregation"),
                numerator: field(&f, "numerator"),
                denominator: field(&f, "denominator"),
                breakdown,
                forms: all(&f, "forms"),
            };
            catalogue::create_indicator(&state, &ctx.actor, n).await
        }
        Err(e) => Err(e),
    };
    outcome(result, PAGE, "msg.created", PAGE)
}

pub async fn update_indicator(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(code): Path<String>,
    FormBody(edit): FormBody<IndicatorEdit>,
) -> Response {
    let result = catalogue::update_indicator(&state, &ctx.actor, &code, edit).await;
    outcome(result, PAGE, "msg.saved", PAGE)
}

pub async fn create_form(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    FormBody(f): FormBody<Vec<(String, String)>>,
) -> Response {
    let n = NewForm {
        code: field(&f, "code"),
        name_vi: field(&f, "name_vi"),
        name_en: field(&f, "name_en"),
        period_type: field(&f, "period_type"),
        calendar: field(&f, "calendar"),
        owner_role: field(&f, "owner_role"),
        levels: all(&f, "levels"),
        deadline_days: field(&f, "deadline_days").trim().parse().unwrap_or(-1),
        indicators: all(&f, "indicators"),
    };
    let result = catalogue::create_form(&state, &ctx.actor, n).await;
    outcome(result, PAGE, "msg.created", PAGE)
}

pub async fn add_rule(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(form): Path<String>,
    FormBody(input): FormBody<RuleInput>,
) -> Response {
    let result = catalogue::add_rule(&state, &ctx.actor, &form, input).await;
    outcome(result, PAGE, "msg.created", PAGE)
}

pub async fn delete_rule(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path((form, rule)): Path<(String, String)>,
) -> Response {
    let result = catalogue::delete_rule(&state, &ctx.actor, &form, &rule).await;
    outcome(result, PAGE, "msg.saved", PAGE)
}
