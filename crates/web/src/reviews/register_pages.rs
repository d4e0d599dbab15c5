//! The pages of the registers behind reviews: who signs for each body of a
//! unit ("Người ký", kept by its administrators) and the templates of
//! sections ("Mẫu báo cáo": the national one, a province's own copy).

use antq_core::reviews::document::TemplateKind;
use antq_core::reviews::signing::{Authority, Side, Signer};
use antq_storage::reviews::{SignerInput, TemplateSource};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Form as FormBody;
use serde::Deserialize;

use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::pages::{render, Chrome};
use crate::reviews::compose::{self, SectionForm};
use crate::reviews::registers;
use crate::state::AppState;
use crate::units::pages::UnitPicker;

#[derive(Deserialize, Default)]
pub struct UnitQuery {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    unit_pick: String,
    #[serde(default)]
    kind: String,
}

/// The unit a page is about: the one picked, else the user's own.
async fn unit_asked(
    state: &AppState,
    actor: &antq_storage::accounts::access::Actor,
    q: &UnitQuery,
) -> Result<Option<String>, Failure> {
    if !q.unit.trim().is_empty() || !q.unit_pick.trim().is_empty() {
        return crate::units::service::code_of_field(state, &q.unit, &q.unit_pick, "", "", "")
            .await
            .map(Some);
    }
    Ok(
        crate::units::service::own_unit(state, actor, antq_core::dates::today())
            .await?
            .map(|o| o.code),
    )
}

/// One block of the register as the page lists it.
pub struct SignerRow {
    pub id: i64,
    pub side: &'static str,
    pub side_label: &'static str,
    pub lines: String,
    pub signed_name: String,
    pub authority: &'static str,
    pub for_whom: String,
    pub position: String,
    pub rank: String,
    pub name: String,
    pub sort: i64,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "reviews/signers.html")]
struct SignersPage {
    c: Chrome,
    picker: UnitPicker,
    unit_code: String,
    unit_name: String,
    rows: Vec<SignerRow>,
    may_keep: bool,
    authorities: Vec<(&'static str, &'static str)>,
}

fn authorities() -> Vec<(&'static str, &'static str)> {
    Authority::ALL
        .iter()
        .map(|a| (a.code(), a.label_vi()))
        .collect()
}

/// "Người ký": a unit's register of signers.
pub async fn signers(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Query(q): Query<UnitQuery>,
) -> PageResult<Response> {
    let label = c.t("picker.unit");
    let Some(code) = unit_asked(&state, &ctx.actor, &q).await? else {
        let picker = UnitPicker::new(&c, "unit", "signers-unit", label);
        return render(SignersPage {
            picker,
            unit_code: String::new(),
            unit_name: String::new(),
            rows: Vec::new(),
            may_keep: false,
            authorities: authorities(),
            c,
        });
    };
    let (unit, list) = registers::signers(&state.db, &ctx.actor, &code).await?;
    let may_keep = registers::may_keep_signers(&state.db, &ctx.actor, unit.id).await?;
    let picker = UnitPicker::new(&c, "unit", "signers-unit", label).typed(&unit.name, &code);
    render(SignersPage {
        picker,
        unit_code: code,
        unit_name: unit.name.clone(),
        rows: list
            .into_iter()
            .map(|r| SignerRow {
                id: r.id,
                side: r.signer.side.code(),
                side_label: r.signer.side.label_vi(),
                lines: r.signer.title_lines().join(" / "),
                signed_name: r.signer.signed_name(),
                authority: r.signer.authority.code(),
                for_whom: r.signer.for_whom,
                position: r.signer.position,
                rank: r.signer.rank,
                name: r.signer.name,
                sort: r.sort,
                active: r.active,
            })
            .collect(),
        may_keep,
        authorities: authorities(),
        c,
    })
}

#[derive(Deserialize)]
pub struct SignerBody {
    side: String,
    #[serde(default)]
    authority: String,
    #[serde(default)]
    for_whom: String,
    #[serde(default)]
    position: String,
    #[serde(default)]
    rank: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    active: Option<String>,
    /// The unit whose page to go back to.
    #[serde(default)]
    unit: String,
}

impl SignerBody {
    fn input(&self) -> Result<SignerInput, Failure> {
        let sort = match self.sort.trim() {
            "" => 0,
            s => s.parse().map_err(|_| {
                Failure::new(
                    axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                    "Thứ tự phải là một số nguyên",
                )
            })?,
        };
        Ok(SignerInput {
            signer: Signer {
                side: Side::parse(&self.side)?,
                authority: Authority::parse(&self.authority).unwrap_or_default(),
                for_whom: self.for_whom.clone(),
                position: self.position.clone(),
                rank: self.rank.clone(),
                name: self.name.clone(),
            },
            sort,
            active: self.active.is_some(),
        })
    }
}

fn back(unit: &str) -> String {
    let code: String = unit
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(12)
        .collect();
    format!("/bao-cao/nguoi-ky?unit={code}")
}

/// Add a block to a unit's register.
pub async fn add_signer(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    FormBody(b): FormBody<SignerBody>,
) -> Response {
    let to = back(&b.unit);
    let result = match b.input() {
        Ok(input) => registers::add_signer(&state.db, &ctx.actor, &b.unit, input).await,
        Err(e) => Err(e),
    };
    crate::pages::outcome(result, &to, "msg.saved", &to)
}

/// Change or deactivate a block of the register.
pub async fn update_signer(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    FormBody(b): FormBody<SignerBody>,
) -> Response {
    let to = back(&b.unit);
    let result = match b.input() {
        Ok(input) => registers::update_signer(&state.db, &ctx.actor, id, input).await,
        Err(e) => Err(e),
    };
    crate::pages::outcome(result, &to, "msg.saved", &to)
}

/// The sections editor of a template page.
pub struct SectionsEditor {
    pub sections: Vec<SectionForm>,
    pub kinds: Vec<(&'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "reviews/templates.html")]
struct TemplatesPage {
    c: Chrome,
    picker: UnitPicker,
    kind: &'static str,
    kinds: Vec<(&'static str, &'static str)>,
    unit_code: String,
    /// Where the sections come from, in words.
    source: String,
    f: SectionsEditor,
    may_edit: bool,
    /// A province's own copy (that may be reset to the national one).
    own_copy: bool,
}

/// "Mẫu báo cáo": the sections new reviews of a kind start from.
pub async fn templates(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Query(q): Query<UnitQuery>,
) -> PageResult<Response> {
    let kind = TemplateKind::parse(if q.kind.is_empty() { "ten" } else { &q.kind })?;
    let code = if q.unit.trim().is_empty() && q.unit_pick.trim().is_empty() {
        None
    } else {
        Some(crate::units::service::code_of_field(&state, &q.unit, &q.unit_pick, "", "", "").await?)
    };
    let t = registers::template(&state.db, &ctx.actor, kind.code(), code.as_deref()).await?;
    let province = match &code {
        Some(code) => {
            let u = registers::unit_by_code(&state.db, code).await?;
            antq_storage::reviews::province_of(&state.db, &u)
                .await?
                .filter(|p| p.id == u.id)
        }
        None => None,
    };
    let may_edit = (code.is_none() || province.is_some())
        && registers::may_edit_template(&state.db, &ctx.actor, province.as_ref()).await?;
    let source = match t.source {
        TemplateSource::Province => format!(
            "Mẫu riêng của {}",
            province.as_ref().map(|p| p.name.as_str()).unwrap_or("tỉnh")
        ),
        TemplateSource::National => "Mẫu chung toàn quốc".to_string(),
        TemplateSource::Builtin => "Mẫu mặc định của hệ thống".to_string(),
    };
    let label = c.t("picker.unit");
    let mut picker = UnitPicker::new(&c, "unit", "template-unit", label).optional();
    if let Some(code) = &code {
        picker = picker.typed(code, code);
    }
    render(TemplatesPage {
        picker,
        kind: kind.code(),
        kinds: TemplateKind::ALL
            .iter()
            .map(|k| (k.code(), k.label_vi()))
            .collect(),
        unit_code: code.unwrap_or_default(),
        own_copy: t.source == TemplateSource::Province,
        source,
        f: SectionsEditor {
            sections: compose::section_forms(t.sections),
            kinds: compose::typed_kinds(),
        },
        may_edit,
        c,
    })
}

fn template_back(kind: &str, unit: &str) -> String {
    let kind = TemplateKind::parse(kind).map(|k| k.code()).unwrap_or("ten");
    let code: String = unit
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(12)
        .collect();
    format!("/bao-cao/mau?kind={kind}&unit={code}")
}

/// Save a template (the step asked and everything typed).
pub async fn save_template(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    FormBody(fields): FormBody<Vec<(String, String)>>,
) -> Response {
    let get = |k: &str| {
        fields
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let (kind, unit) = (get("kind"), get("unit"));
    let to = template_back(&kind, &unit);
    let result = match compose::parse(&fields) {
        Ok(p) => {
            let sections = p.change(&[]).sections.unwrap_or_default();
            let unit = Some(unit.as_str()).filter(|u| !u.trim().is_empty());
            registers::save_template(&state.db, &ctx.actor, &kind, unit, sections).await
        }
        Err(m) => Err(Failure::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            m,
        )),
    };
    crate::pages::outcome(result, &to, "msg.saved", &to)
}

#[derive(Deserialize)]
pub struct ResetBody {
    kind: String,
    unit: String,
}

/// Put a province's copy back to the national template.
pub async fn reset_template(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    FormBody(b): FormBody<ResetBody>,
) -> Response {
    let to = template_back(&b.kind, &b.unit);
    crate::pages::outcome(
        registers::reset_template(&state.db, &ctx.actor, &b.kind, &b.unit).await,
        &to,
        "msg.saved",
        &to,
    )
}
