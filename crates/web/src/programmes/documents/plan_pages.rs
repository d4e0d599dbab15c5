//! The pages of programmes and plans: `/chuong-trinh` (national first, then
//! by unit), a programme's page, and the forms with repeatable rows for
//! parties and items (a fixed number of blank rows: no JavaScript needed).

use antq_core::programmes::documents::{ProgrammeKind, ProgrammeState};
use antq_core::programmes::Body;
use antq_storage::accounts::access::Actor;
use antq_storage::programmes::documents::require_edit;
use antq_storage::programmes::plans::{self as store, PlanQuery, Programme};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};

use super::plans::{plan_input, ItemFields, PartyFields, PlanFields};
use super::views::ProgrammeRow;
use super::Invalid;
use crate::auth::PageUser;
use crate::error::PageResult;
use crate::extract::Path;
use crate::pages::{date_vi, render, Chrome};
use crate::state::AppState;
use crate::units::pages::UnitPicker;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/chuong-trinh", get(list).post(create))
        .route("/chuong-trinh/moi", get(new_form))
        .route("/chuong-trinh/{id}", get(show).post(update))
        .route("/chuong-trinh/{id}/sua", get(edit_form))
}

#[derive(Template)]
#[template(path = "programmes/documents/programmes.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<ProgrammeRow>,
    may_create: bool,
}

/// Every programme the actor may read.
fn readable(actor: &Actor) -> PlanQuery {
    PlanQuery {
        reader: antq_storage::programmes::documents::Reader::User(actor.clone()),
        ..PlanQuery::default()
    }
}

fn may_create(actor: &Actor) -> bool {
    actor
        .grants
        .iter()
        .any(|g| antq_core::auth::Action::EditRecords.permitted_by(g.role))
}

/// `/chuong-trinh`.
pub async fn list(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
) -> PageResult<Response> {
    let list = store::list(&state.db, &readable(&ctx.actor)).await?;
    let national = c.t("doc.national");
    render(ListPage {
        rows: list.iter().map(|p| ProgrammeRow::of(p, national)).collect(),
        may_create: may_create(&ctx.actor),
        c,
    })
}

#[derive(Template)]
#[template(path = "programmes/documents/programme.html")]
struct ShowPage {
    c: Chrome,
    p: Programme,
    kind: &'static str,
    state_words: &'static str,
    unit: String,
    signed_on: String,
    ended_on: String,
    parties: Vec<(String, &'static str, String)>,
    may_edit: bool,
}

/// `/chuong-trinh/{id}`.
pub async fn show(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    let p = store::read(&state.db, &ctx.actor, id).await?;
    let may_edit = require_edit(&state.db, &ctx.actor, p.unit_id).await.is_ok();
    render(ShowPage {
        kind: p.kind.word_vi(),
        state_words: p.state.word_vi(),
        unit: p
            .unit_name
            .clone()
            .unwrap_or_else(|| c.t("doc.national").to_string()),
        signed_on: date_vi(p.signed_on.as_deref()).unwrap_or_default(),
        ended_on: date_vi(p.ended_on.as_deref()).unwrap_or_default(),
        parties: p
            .parties
            .iter()
            .map(|x| {
                (
                    x.name.clone(),
                    x.body.word_vi(),
                    x.unit_name.clone().unwrap_or_default(),
                )
            })
            .collect(),
        may_edit,
        p,
        c,
    })
}

/// The form as shown, with the field that was wrong.
#[derive(Template)]
#[template(path = "programmes/documents/programme_form.html")]
struct FormPage {
    c: Chrome,
    heading: &'static str,
    action: String,
    f: PlanFields,
    picker: UnitPicker,
    party_pickers: Vec<UnitPicker>,
    kinds: Vec<(&'static str, &'static str)>,
    states: Vec<(&'static str, &'static str)>,
    bodies: Vec<(&'static str, &'static str)>,
    others: Vec<(i64, String)>,
    field: &'static str,
    error: String,
}

/// The names of the party rows' unit fields (a picker's name is static).
const PARTY_UNITS: [&str; 8] = [
    "party_unit_0",
    "party_unit_1",
    "party_unit_2",
    "party_unit_3",
    "party_unit_4",
    "party_unit_5",
    "party_unit_6",
    "party_unit_7",
];

impl FormPage {
    async fn new(
        state: &AppState,
        c: Chrome,
        actor: &Actor,
        heading: &'static str,
        action: String,
        mut f: PlanFields,
    ) -> PageResult<FormPage> {
        let rows = (f.parties.len() + 2).clamp(4, PARTY_UNITS.len());
        f.parties.resize(rows, PartyFields::default());
        let items = (f.items.len() + 3).clamp(5, 200);
        f.items.resize(items, ItemFields::default());
        let picker = UnitPicker::new(&c, "unit", "prog-unit", c.t("prog.unit"))
            .optional()
            .typed(&f.unit, &f.unit_pick);
        let party_pickers = f
            .parties
            .iter()
            .zip(PARTY_UNITS)
            .enumerate()
            .map(|(i, (p, name))| {
                UnitPicker::new(
                    &c,
                    name,
                    &format!("prog-party-{i}"),
                    &format!("{} {}", c.t("prog.party_unit"), i + 1),
                )
                .optional()
                .typed(&p.unit, &p.unit_pick)
            })
            .collect();
        let others = store::list(&state.db, &readable(actor))
            .await?
            .into_iter()
            .map(|p| (p.id, p.title))
            .collect();
        Ok(FormPage {
            heading,
            action,
            f,
            picker,
            party_pickers,
            kinds: ProgrammeKind::ALL
                .iter()
                .map(|k| (k.code(), k.word_vi()))
                .collect(),
            states: ProgrammeState::ALL
                .iter()
                .map(|k| (k.code(), k.word_vi()))
                .collect(),
            bodies: Body::ALL.iter().map(|b| (b.code(), b.word_vi())).collect(),
            others,
            field: "",
            error: String::new(),
            c,
        })
    }

    fn err(&self, field: &str) -> &str {
        if self.field == field {
            &self.error
        } else {
            ""
        }
    }

    fn other_selected(&self, chosen: &str, id: &i64) -> bool {
        chosen.trim() == id.to_string()
    }
}

fn fields_of(form: &[(String, String)]) -> PlanFields {
    let get = |k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    PlanFields {
        kind: get("kind"),
        title: get("title"),
        document_id: None,
        reference: get("reference"),
        unit: get("unit"),
        unit_pick: get("unit_pick"),
        signed_on: get("signed_on"),
        stage_from: get("stage_from"),
        stage_to: get("stage_to"),
        implements: get("implements"),
        state: get("state"),
        replaced_by: get("replaced_by"),
        ended_on: get("ended_on"),
        notes: get("notes"),
        parties: (0..PARTY_UNITS.len())
            .map(|i| PartyFields {
                unit: get(&format!("party_unit_{i}")),
                unit_pick: get(&format!("party_unit_{i}_pick")),
                body: get(&format!("party_body_{i}")),
                name: get(&format!("party_name_{i}")),
            })
            .collect(),
        items: (0..200)
            .map(|i| ItemFields {
                content: get(&format!("item_{i}")),
                party: get(&format!("item_party_{i}")),
            })
            .filter(|i| !i.content.trim().is_empty() || !i.party.trim().is_empty())
            .collect(),
    }
}

fn fields_from(p: &Programme) -> PlanFields {
    let s = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
    PlanFields {
        kind: p.kind.code().into(),
        title: p.title.clone(),
        document_id: None,
        reference: p.reference.clone().unwrap_or_default(),
        unit: p.unit_name.clone().unwrap_or_default(),
        unit_pick: p.unit_code.clone().unwrap_or_default(),
        signed_on: date_vi(p.signed_on.as_deref()).unwrap_or_default(),
        stage_from: s(p.stage_from),
        stage_to: s(p.stage_to),
        implements: s(p.implements.as_ref().map(|l| l.id)),
        state: p.state.code().into(),
        replaced_by: s(p.replaced_by.as_ref().map(|l| l.id)),
        ended_on: date_vi(p.ended_on.as_deref()).unwrap_or_default(),
        notes: p.notes.clone(),
        parties: p
            .parties
            .iter()
            .map(|x| PartyFields {
                unit: x.unit_name.clone().unwrap_or_default(),
                unit_pick: x.unit_code.clone().unwrap_or_default(),
                body: x.body.code().into(),
                name: x.name.clone(),
            })
            .collect(),
        items: p
            .items
            .iter()
            .map(|i| ItemFields {
                content: i.content.clone(),
                party: i
                    .party_id
                    .and_then(|pid| p.parties.iter().position(|x| x.id == pid))
                    .map(|n| (n + 1).to_string())
                    .unwrap_or_default(),
            })
            .collect(),
    }
}

/// `/chuong-trinh/moi`.
pub async fn new_form(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
) -> PageResult<Response> {
    let f = PlanFields {
        kind: "ke_hoach".into(),
        state: "in_force".into(),
        ..PlanFields::default()
    };
    render(FormPage::new(&state, c, &ctx.actor, "prog.new", "/chuong-trinh".into(), f).await?)
}

/// `/chuong-trinh/{id}/sua`.
pub async fn edit_form(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    let p = store::read(&state.db, &ctx.actor, id).await?;
    require_edit(&state.db, &ctx.actor, p.unit_id).await?;
    let page = FormPage::new(
        &state,
        c,
        &ctx.actor,
        "prog.edit",
        format!("/chuong-trinh/{id}"),
        fields_from(&p),
    )
    .await?;
    render(page)
}

async fn save(
    state: &AppState,
    c: Chrome,
    actor: &Actor,
    id: Option<i64>,
    form: Vec<(String, String)>,
) -> PageResult<Response> {
    let f = fields_of(&form);
    let saved = async {
        let input = plan_input(state, actor, &f).await?;
        match id {
            None => store::create(&state.db, actor, input).await,
            Some(id) => store::update(&state.db, actor, id, input).await,
        }
        .map_err(|e| Invalid::at("", e))
    }
    .await;
    let e = match saved {
        Ok(p) => {
            return Ok(crate::pages::done(
                &format!("/chuong-trinh/{}", p.id),
                "msg.saved",
            ))
        }
        Err(e) => e,
    };
    let (heading, action) = match id {
        None => ("prog.new", "/chuong-trinh".to_string()),
        Some(id) => ("prog.edit", format!("/chuong-trinh/{id}")),
    };
    let mut page = FormPage::new(state, c, actor, heading, action, f).await?;
    page.field = if e.field.is_empty() { "form" } else { e.field };
    page.error = crate::error::capitalised(&e.failure.message);
    let status = if e.failure.status.is_client_error() {
        e.failure.status
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = render(page)?;
    *res.status_mut() = status;
    Ok(res)
}

/// `POST /chuong-trinh`.
pub async fn create(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    save(&state, c, &ctx.actor, None, form).await
}

/// `POST /chuong-trinh/{id}`.
pub async fn update(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    save(&state, c, &ctx.actor, Some(id), form).await
}
