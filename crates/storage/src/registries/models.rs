//! Models ("mô hình") and exemplary cases: the national model-type taxonomy, a unit's models with their states, sites and teams, replication as a link, exemplary cases (HD 22/HD-BCA-V05).
//! Schema: `schema_v11_models.sql`. (Owned by the models work of issue 13.)
//!
//! Who may do what, through the one policy: everyone reads the models of
//! the units their grants cover (`Action::Read`); the police and the Front
//! register and change the models of the units under their grants
//! (`Action::EditRecords` as police or Front); national administrators
//! keep the taxonomy of types (`Action::EditCatalogue` on the nation).

mod cases;
mod import;
mod list;
mod types;
mod write;

use antq_core::auth::{Action, Role};
use antq_core::registries::models::ModelState;
use serde::Serialize;

pub use cases::{create_case, get_case, list_cases, Case, CaseFilter, NewCase};
pub use import::{create_many, state_days, ImportRow};
pub use list::{count_sql, list, scope_sql, type_counts, Filter, ModelScope, TypeCount};
pub use types::{
    list_types, save_type, seed_if_empty, type_by_id, type_named, ModelType, SEED_TYPES,
};
pub use write::{
    add_site, change_state, create, get, may_edit, replicate, update, Edit, ModelRecord, NewModel,
    NewSite, Replica,
};

use crate::accounts::access::{self, Actor};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};

/// A unit as a model names it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UnitRef {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// A model as listed.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    pub id: i64,
    pub name: String,
    pub type_id: i64,
    pub type_name: String,
    pub unit: UnitRef,
    pub area_id: Option<i64>,
    pub area_name: Option<String>,
    /// ISO dates.
    pub started_on: String,
    pub dissolved_on: Option<String>,
    /// The model it replicates, if it is a replication.
    pub replicates_id: Option<i64>,
    pub replicates_name: Option<String>,
    pub state: ModelState,
    pub rating: String,
    pub rated_year: Option<i64>,
    pub notes: String,
}

/// The actor in the capacity that edits models: the police or the Front.
fn editor(actor: &Actor) -> Actor {
    actor.with_roles(&[Role::Police, Role::Front])
}

/// May the actor register or change the models of this unit?
async fn require_edit(db: &Db, actor: &Actor, unit_id: i64) -> StorageResult<()> {
    access::require(db, &editor(actor), Action::EditRecords, unit_id).await
}

fn invalid(msg: impl Into<String>) -> StorageError {
    antq_core::DomainError::invalid(msg).into()
}

/// The unit of an id, as a reference.
async fn unit_ref(db: &Db, id: i64) -> StorageResult<UnitRef> {
    let u = crate::units::by_id(db, id).await?;
    Ok(UnitRef {
        id: u.id,
        code: u.code,
        name: u.name,
    })
}

/// Check that an area (if any) belongs to the unit.
async fn check_area(db: &Db, unit_id: i64, area_id: Option<i64>) -> StorageResult<()> {
    let Some(a) = area_id else { return Ok(()) };
    let found: Option<i64> = sqlx::query_scalar("SELECT unit_id FROM areas WHERE id = $1")
        .bind(a)
        .fetch_optional(db.pool())
        .await?;
    match found {
        None => Err(StorageError::not_found(format!("khu dân cư số {a}"))),
        Some(u) if u != unit_id => Err(invalid(format!(
            "Khu dân cư số {a} không thuộc đơn vị của mô hình"
        ))),
        Some(_) => Ok(()),
    }
}
