//! The kinds of teams and the evaluation rules of the teams register
//! (`/to-chuc-quan-chung/loai`): the list, and the forms national
//! administrators use to add or change a kind and to set the rules.

use antq_core::auth::Action;
use antq_core::registries::teams::{Rounding, Rules};
use antq_storage::registries::teams as store;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::Form as FormBody;
use serde::Deserialize;

use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::pages::{render, Chrome};
use crate::state::AppState;

pub struct KindRow {
    pub id: i64,
    pub name: String,
    pub mass_org: bool,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "registries/teams/kinds.html")]
struct KindsPage {
    c: Chrome,
    kinds: Vec<KindRow>,
    is_admin: bool,
    rules: Rules,
    rounding: &'static str,
}

/// `GET /to-chuc-quan-chung/loai`: the kinds and the evaluation rules.
pub async fn kinds_page(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
) -> PageResult<Response> {
    let kinds = store::kinds(&state.db)
        .await?
        .into_iter()
        .map(|k| KindRow {
            id: k.id,
            name: k.name,
            mass_org: k.mass_org,
            active: k.active,
        })
        .collect();
    let rules = store::rules(&state.db).await?;
    render(KindsPage {
        kinds,
        is_admin: ctx.actor.is_national(Action::EditCatalogue),
        rounding: match rules.rounding {
            Rounding::Floor => "floor",
            Rounding::Nearest => "nearest",
            Rounding::Ceil => "ceil",
        },
        rules,
        c,
    })
}

#[derive(Deserialize)]
pub struct KindForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    mass_org: String,
    #[serde(default)]
    active: String,
}

/// `POST /to-chuc-quan-chung/loai`: add or change a kind.
pub async fn kind_save(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    FormBody(f): FormBody<KindForm>,
) -> Response {
    let to = "/to-chuc-quan-chung/loai";
    let r = async {
        let id = match f.id.trim() {
            "" => None,
            s => Some(
                s.parse::<i64>()
                    .map_err(|_| Failure::bad_request("Mã loại không hợp lệ"))?,
            ),
        };
        let active = id.is_none() || !f.active.is_empty();
        store::save_kind(
            &state.db,
            &ctx.actor,
            id,
            &f.name,
            !f.mass_org.is_empty(),
            active,
        )
        .await
        .map_err(Failure::from)
    }
    .await;
    crate::pages::outcome(r, to, "msg.saved", to)
}

#[derive(Deserialize)]
pub struct RulesForm {
    #[serde(default)]
    quota_percent: String,
    #[serde(default)]
    min_months: String,
    #[serde(default)]
    rounding: String,
    #[serde(default)]
    base_includes_excellent: String,
}

/// `POST /to-chuc-quan-chung/quy-dinh`: the evaluation rules.
pub async fn rules_save(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    FormBody(f): FormBody<RulesForm>,
) -> Response {
    let to = "/to-chuc-quan-chung/loai";
    let r = async {
        let n = |s: &str, label: &str| {
            s.trim()
                .parse::<u32>()
                .map_err(|_| super::unprocessable(format!("{label} phải là số nguyên")))
        };
        let rules = Rules {
            quota_percent: n(&f.quota_percent, "Tỷ lệ")?,
            min_months: n(&f.min_months, "Số tháng")?,
            rounding: Rounding::parse(&f.rounding)?,
            base_includes_excellent: !f.base_includes_excellent.is_empty(),
        };
        store::set_rules(&state.db, &ctx.actor, &rules)
            .await
            .map_err(Failure::from)
    }
    .await;
    crate::pages::outcome(r, to, "msg.saved", to)
}
