//! The criteria of the recognition register per subject kind and the rules
//! in force (`/an-toan-antt/tieu-chi`): the threshold, the registration
//! window and the excluded sub-kinds; national administrators edit them.

use antq_core::registries::recognitions::{self as rules, SubjectKind};
use antq_core::text;
use antq_storage::registries::recognitions::{self as store, CriterionInput};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::Form as FormBody;
use serde::Deserialize;

use super::pages::kinds;
use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::pages::{render, Chrome};
use crate::state::AppState;

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
