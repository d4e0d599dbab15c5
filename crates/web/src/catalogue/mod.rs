//! The operations behind the catalogue pages and API: reading the
//! indicators and forms (any signed-in user), and changing them (national
//! administrators, checked here through the one policy).

pub mod api;
pub mod pages;

use antq_core::auth::Action;
use antq_core::breakdowns::{self, Breakdown, Dimension};
use antq_storage::accounts::access::Actor;
use antq_storage::statistics::catalogue::{self, Form, Indicator};
use antq_storage::statistics::catalogue_edit::{
    self, IndicatorEdit, NewForm, NewIndicator, RuleInput,
};

use crate::error::Failure;
use crate::state::AppState;

fn require_editor(actor: &Actor) -> Result<(), Failure> {
    if actor.is_national(Action::EditCatalogue) {
        Ok(())
    } else {
        Err(Failure::forbidden())
    }
}

/// May the actor change the catalogue (to show or hide the editing forms)?
pub fn may_edit(actor: &Actor) -> bool {
    actor.is_national(Action::EditCatalogue)
}

pub async fn indicators(state: &AppState) -> Result<Vec<Indicator>, Failure> {
    Ok(catalogue::indicators(&state.db).await?)
}

pub async fn forms(state: &AppState) -> Result<Vec<Form>, Failure> {
    let mut out = Vec::new();
    for (code, _) in catalogue::form_codes(&state.db).await? {
        out.push(catalogue::form(&state.db, &code).await?);
    }
    Ok(out)
}

/// The dimensions typed in the designer, one per non-empty line.
pub fn parse_dimensions(text: &str) -> Result<Vec<Dimension>, Failure> {
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        out.push(breakdowns::parse_dimension(line)?);
    }
    Ok(out)
}

/// The designer's preview: how many combinations, and which (or why not).
pub fn preview(text: &str) -> (usize, Result<Breakdown, String>) {
    match parse_dimensions(text) {
        Ok(dims) => (
            breakdowns::count(&dims),
            breakdowns::design(&dims).map_err(|e| e.to_string()),
        ),
        Err(e) => (0, Err(e.message)),
    }
}

pub async fn create_indicator(
    state: &AppState,
    actor: &Actor,
    n: NewIndicator,
) -> Result<Indicator, Failure> {
    require_editor(actor)?;
    Ok(catalogue_edit::create_indicator(&state.db, &actor.who(), n).await?)
}

pub async fn update_indicator(
    state: &AppState,
    actor: &Actor,
    code: &str,
    edit: IndicatorEdit,
) -> Result<Indicator, Failure> {
    require_editor(actor)?;
    Ok(catalogue_edit::update_indicator(&state.db, &actor.who(), code, edit).await?)
}

pub async fn create_form(state: &AppState, actor: &Actor, n: NewForm) -> Result<(), Failure> {
    require_editor(actor)?;
    Ok(catalogue_edit::create_form(&state.db, &actor.who(), n).await?)
}

pub async fn add_rule(
    state: &AppState,
    actor: &Actor,
    form: &str,
    r: RuleInput,
) -> Result<(), Failure> {
    require_editor(actor)?;
    Ok(catalogue_edit::add_rule(&state.db, &actor.who(), form, r).await?)
}

pub async fn delete_rule(
    state: &AppState,
    actor: &Actor,
    form: &str,
    rule: &str,
) -> Result<(), Failure> {
    require_editor(actor)?;
    Ok(catalogue_edit::delete_rule(&state.db, &actor.who(), form, rule).await?)
}
