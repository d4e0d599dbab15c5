//! The registers behind new reviews, checked through the one policy: who
//! signs for each body (read by whoever may read the unit, kept by its
//! administrators), and the templates (the national one kept by national
//! administrators, a province's copy by its police, Front or administrators).

use antq_core::auth::{Action, Role};
use antq_core::dates;
use antq_core::reviews::document::{Section, TemplateKind};
use antq_core::units::UnitCode;
use antq_storage::accounts::access::{self, Actor};
use antq_storage::reviews::{self as store, RegisteredSigner, SignerInput, Template};
use antq_storage::units::{self, Unit};
use antq_storage::Db;

use crate::error::Failure;

/// A unit by its code: the version valid today, else its latest.
pub async fn unit_by_code(db: &Db, code: &str) -> Result<Unit, Failure> {
    let code = UnitCode::parse(code)?;
    if let Some(u) = units::find_at(db, &code, dates::today()).await? {
        return Ok(u);
    }
    units::versions(db, &code)
        .await?
        .pop()
        .ok_or_else(|| Failure::not_found(format!("đơn vị {code}")))
}

/// A unit the caller may read; outside their units: "not found".
async fn visible_unit(db: &Db, actor: &Actor, code: &str) -> Result<Unit, Failure> {
    let u = unit_by_code(db, code).await?;
    access::require_visible(db, actor, Action::Read, u.id, || format!("đơn vị {code}")).await?;
    Ok(u)
}

/// May the caller keep the unit's register of signers (an administrator over it)?
pub async fn may_keep_signers(db: &Db, actor: &Actor, unit_id: i64) -> Result<bool, Failure> {
    Ok(access::can(
        db,
        &actor.with_roles(&[Role::Admin]),
        Action::WriteReview,
        unit_id,
    )
    .await?)
}

/// A unit's register of signers (active first).
pub async fn signers(
    db: &Db,
    actor: &Actor,
    code: &str,
) -> Result<(Unit, Vec<RegisteredSigner>), Failure> {
    let u = visible_unit(db, actor, code).await?;
    let list = store::register(db, u.id).await?;
    Ok((u, list))
}

/// Add a block to a unit's register (its administrators; audited).
pub async fn add_signer(
    db: &Db,
    actor: &Actor,
    code: &str,
    input: SignerInput,
) -> Result<RegisteredSigner, Failure> {
    let u = visible_unit(db, actor, code).await?;
    if !may_keep_signers(db, actor, u.id).await? {
        return Err(Failure::forbidden());
    }
    Ok(store::add_signer(db, &actor.who(), u.id, input).await?)
}

/// Change or deactivate a block of the register (audited).
pub async fn update_signer(
    db: &Db,
    actor: &Actor,
    id: i64,
    input: SignerInput,
) -> Result<RegisteredSigner, Failure> {
    let before = store::registered(db, id).await?;
    access::require_visible(db, actor, Action::Read, before.unit_id, || {
        format!("người ký số {id}")
    })
    .await?;
    if !may_keep_signers(db, actor, before.unit_id).await? {
        return Err(Failure::forbidden());
    }
    Ok(store::update_signer(db, &actor.who(), id, input).await?)
}

/// The unit a template request names: none for the national template.
async fn template_unit(
    db: &Db,
    actor: &Actor,
    unit: Option<&str>,
) -> Result<Option<Unit>, Failure> {
    match unit.map(str::trim).filter(|u| !u.is_empty()) {
        Some(code) => Ok(Some(visible_unit(db, actor, code).await?)),
        None => Ok(None),
    }
}

/// The template of a kind that reviews of `unit` start from (its province's
/// copy, else the national one), or the national template.
pub async fn template(
    db: &Db,
    actor: &Actor,
    kind: &str,
    unit: Option<&str>,
) -> Result<Template, Failure> {
    let kind = TemplateKind::parse(kind)?;
    Ok(match template_unit(db, actor, unit).await? {
        Some(u) => store::template_for(db, &u, kind).await?,
        None => store::national_template(db, kind).await?,
    })
}

/// May the caller change this template: the national one (`None`) as a
/// national administrator, a province's copy as its police, Front or administrator?
pub async fn may_edit_template(
    db: &Db,
    actor: &Actor,
    province: Option<&Unit>,
) -> Result<bool, Failure> {
    Ok(match province {
        None => actor
            .with_roles(&[Role::Admin])
            .is_national(Action::WriteReview),
        Some(p) => access::can(db, actor, Action::WriteReview, p.id).await?,
    })
}

/// The province whose copy a request changes: the unit named must be one.
async fn editable(db: &Db, actor: &Actor, unit: Option<&str>) -> Result<Option<Unit>, Failure> {
    let u = template_unit(db, actor, unit).await?;
    if let Some(u) = &u {
        if store::province_of(db, u).await?.map(|p| p.id) != Some(u.id) {
            return Err(Failure::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "Chỉ tỉnh, thành phố có mẫu báo cáo riêng; {} dùng mẫu của tỉnh, thành phố",
                    u.name
                ),
            ));
        }
    }
    if !may_edit_template(db, actor, u.as_ref()).await? {
        return Err(Failure::forbidden());
    }
    Ok(u)
}

/// Save the national template or a province's copy (audited).
pub async fn save_template(
    db: &Db,
    actor: &Actor,
    kind: &str,
    unit: Option<&str>,
    sections: Vec<Section>,
) -> Result<Template, Failure> {
    let kind = TemplateKind::parse(kind)?;
    let u = editable(db, actor, unit).await?;
    Ok(store::save_template(db, &actor.who(), u.as_ref(), kind, sections).await?)
}

/// Reset a province's copy to the national template (audited).
pub async fn reset_template(
    db: &Db,
    actor: &Actor,
    kind: &str,
    unit: &str,
) -> Result<Template, Failure> {
    let kind = TemplateKind::parse(kind)?;
    let u = editable(db, actor, Some(unit))
        .await?
        .ok_or_else(|| Failure::bad_request("Cần mã tỉnh, thành phố"))?;
    Ok(store::reset_template(db, &actor.who(), &u, kind).await?)
}
