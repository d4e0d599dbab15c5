//! The access policy, decided here and only here: a user may do `action` to
//! a unit when one of the user's grants has a role that permits the action
//! (`antq_core::auth::Action::allowed_roles`) and sits on a unit whose scope
//! (its subtree, plus the older units under it through lineage) holds that
//! unit. Every list of non-public records is filtered with `scope_sql`.

use antq_core::auth::{Action, Role};
use antq_core::units::Level;
use serde::Serialize;

use crate::audit::Who;
use crate::db::Db;
use crate::error::{StorageError, StorageResult};

/// A grant with the unit it sits on.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Grant {
    pub id: i64,
    pub role: Role,
    #[serde(skip)]
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub unit_level: Level,
    pub unit_valid_from: Option<String>,
    pub unit_valid_to: Option<String>,
}

/// The user behind a request, with every grant.
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub grants: Vec<Grant>,
}

impl Actor {
    pub fn who(&self) -> Who {
        Who::user(self.user_id, &self.username)
    }

    fn units_for(&self, action: Action) -> Vec<i64> {
        let mut ids: Vec<i64> = self
            .grants
            .iter()
            .filter(|g| action.permitted_by(g.role))
            .map(|g| g.unit_id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Does a grant that permits `action` sit on the nation (covering everything)?
    pub fn is_national(&self, action: Action) -> bool {
        self.grants
            .iter()
            .any(|g| g.unit_level == Level::Nation && action.permitted_by(g.role))
    }

    /// The same actor with only the grants of these roles (to ask what it
    /// may do in one capacity, e.g. as the police).
    pub fn with_roles(&self, roles: &[Role]) -> Actor {
        Actor {
            grants: self
                .grants
                .iter()
                .filter(|g| roles.contains(&g.role))
                .cloned()
                .collect(),
            ..self.clone()
        }
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    /// An SQL condition on `column` (a unit id) that holds for the units where
    /// the actor may do `action`. Ids are integers from the database, so
    /// writing them into the SQL is safe.
    ///
    /// For the approver's actions (`Action::strictly_above`: approve, return,
    /// reopen) the grant must sit on a unit of a *higher level* than the
    /// reporting unit, among the units its scope covers: above it in the tree
    /// as it was at the period's end (old district or old province over an old
    /// commune), or above the unit that covers it today (today's province over
    /// an old commune or district). A grant on the unit itself, or on its
    /// same-level successor (today's commune that absorbed the old commune,
    /// today's province that absorbed the old province), may enter and submit
    /// the figures, never decide on them.
    pub fn scope_sql(&self, action: Action, column: &str) -> String {
        let strict = action.strictly_above();
        if self.is_national(action) && !strict {
            return "1 = 1".into();
        }
        let ids = self.units_for(action);
        if ids.is_empty() {
            return "1 = 0".into();
        }
        let list = crate::db::id_list(&ids);
        if strict {
            let above = level_rank_sql("a.level");
            let below = level_rank_sql("d.level");
            return format!(
                "{column} IN (SELECT s.descendant_id FROM unit_scope s \
                 JOIN units a ON a.id = s.ancestor_id JOIN units d ON d.id = s.descendant_id \
                 WHERE s.ancestor_id IN ({list}) AND {above} < {below})"
            );
        }
        format!("{column} IN (SELECT descendant_id FROM unit_scope WHERE ancestor_id IN ({list}))")
    }
}

/// A unit level as a number, higher for lower levels (nation 0, commune 3),
/// as SQL on a `units.level` column. Unknown text ranks lowest, so it is
/// never above anything.
fn level_rank_sql(column: &str) -> String {
    let mut sql = format!("CASE {column}");
    for (rank, level) in [
        Level::Nation,
        Level::Province,
        Level::District,
        Level::Commune,
    ]
    .iter()
    .enumerate()
    {
        sql.push_str(&format!(" WHEN '{}' THEN {rank}", level.as_str()));
    }
    sql.push_str(" ELSE 9 END");
    sql
}

/// May the actor do `action` to the unit?
pub async fn can(db: &Db, actor: &Actor, action: Action, unit_id: i64) -> StorageResult<bool> {
    let ids = actor.units_for(action);
    if ids.is_empty() {
        return Ok(false);
    }
    let cond = actor.scope_sql(action, "u.id");
    let found: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT u.id FROM units u WHERE u.id = $1 AND {cond}"
    ))
    .bind(unit_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(found.is_some())
}

/// The first of the action's roles under which the actor may do it to the
/// unit (for acts signed with a role, such as a comment), or `Forbidden`.
pub async fn require_role(
    db: &Db,
    actor: &Actor,
    action: Action,
    unit_id: i64,
) -> StorageResult<Role> {
    for role in action.allowed_roles() {
        if can(db, &actor.with_roles(&[*role]), action, unit_id).await? {
            return Ok(*role);
        }
    }
    Err(StorageError::Forbidden)
}

/// `can`, as an error when the answer is no.
pub async fn require(db: &Db, actor: &Actor, action: Action, unit_id: i64) -> StorageResult<()> {
    if can(db, actor, action, unit_id).await? {
        Ok(())
    } else {
        Err(StorageError::Forbidden)
    }
}

/// `can`, for a record addressed by its id (a review, a grant, a link): no
/// means "not found", with the same message as an id that does not exist
/// (`what`, e.g. "báo cáo tổng kết số 7"), so ids outside the caller's units
/// do not reveal that they exist.
pub async fn require_visible(
    db: &Db,
    actor: &Actor,
    action: Action,
    unit_id: i64,
    what: impl FnOnce() -> String,
) -> StorageResult<()> {
    if can(db, actor, action, unit_id).await? {
        Ok(())
    } else {
        Err(StorageError::NotFound(what()))
    }
}

/// May the actor administer this user? Only if every grant the user holds
/// lies in units the actor administers (a user without grants: national
/// administrators only).
pub async fn can_manage_user(db: &Db, actor: &Actor, user_id: i64) -> StorageResult<bool> {
    if actor.is_national(Action::ManageUsers) {
        return Ok(true);
    }
    let cond = actor.scope_sql(Action::ManageUsers, "g.unit_id");
    let (total, inside): (i64, i64) = sqlx::query_as(&format!(
        "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM grants g WHERE g.user_id = $1"
    ))
    .bind(user_id)
    .fetch_one(db.pool())
    .await?;
    Ok(total > 0 && total == inside)
}
