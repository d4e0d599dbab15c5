//! Awards from proposal to decision: a unit proposes a list of recipients
//! for a form from an office; the issuing side decides (all or some) with a
//! decision's number and date, or refuses. A decided award can also be
//! recorded directly (a past decision). Every change is audited; access goes
//! through the one policy. (Owned by the awards work of issue 12.)

use antq_core::auth::{Action, Role};
use antq_core::dates::{self, Date};
use antq_core::programmes::awards::{
    check_recipient_count, limits, AwardState, NewRecipient, RecipientKind,
};
use antq_core::programmes::Body;
use antq_core::text;
use chrono::Datelike;
use serde::Serialize;
use serde_json::json;

use super::{check_rule, form, office, Form, Office};
use crate::accounts::access::{self, Actor};
use crate::audit::{self, Change, Who};
use crate::db::{Db, WriteTx};
use crate::error::{StorageError, StorageResult};

/// A new award, as proposed or as recorded.
#[derive(Debug, Clone)]
pub struct NewAward {
    pub form_id: i64,
    pub office_id: i64,
    /// The unit whose movement it rewards.
    pub unit_id: i64,
    /// The unit of the issuing office (the province of "Chủ tịch UBND tỉnh").
    pub issuer_unit_id: i64,
    pub reason: String,
    pub conference_id: Option<i64>,
    pub recipients: Vec<NewRecipient>,
    pub proposed_on: Date,
}

/// A decision: its number and symbol, and its date.
#[derive(Debug, Clone)]
pub struct Decision {
    pub reference: String,
    pub date: Date,
}

/// A unit as an award names it.
#[derive(Debug, Clone, Serialize)]
pub struct UnitRef {
    #[serde(skip)]
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// A recipient as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Recipient {
    pub id: i64,
    pub kind: RecipientKind,
    pub name: String,
    pub unit_id: Option<i64>,
    pub organisation_id: Option<i64>,
    pub office: String,
    pub body: String,
    /// proposed | accepted | rejected
    pub state: String,
}

/// An award with its recipients.
#[derive(Debug, Clone, Serialize)]
pub struct Award {
    pub id: i64,
    pub form: Form,
    pub office: Office,
    pub unit: UnitRef,
    pub issuer_unit: UnitRef,
    pub state: AwardState,
    pub year: i32,
    pub proposed_on: Option<String>,
    pub decision_reference: Option<String>,
    pub decided_on: Option<String>,
    pub reason: String,
    pub conference_id: Option<i64>,
    pub created_by: String,
    pub recipients: Vec<Recipient>,
}

impl Award {
    /// The issuer as printed: "Chủ tịch UBND tỉnh Điện Biên".
    pub fn issuer_words(&self) -> String {
        issuer_words(&self.office, &self.issuer_unit.name)
    }
}

/// "Chủ tịch UBND tỉnh" + "Tỉnh Điện Biên" → "Chủ tịch UBND tỉnh Điện Biên";
/// a national office stays as it is.
pub fn issuer_words(office: &Office, unit_name: &str) -> String {
    if office.level == antq_core::programmes::awards::OfficeLevel::National {
        return office.name.clone();
    }
    let short = ["Tỉnh ", "Thành phố ", "Xã ", "Phường ", "Đặc khu "]
        .iter()
        .find_map(|p| unit_name.strip_prefix(p))
        .unwrap_or(unit_name);
    format!("{} {short}", office.name)
}

/// The side that records an office's decisions: the police for a police
/// office, the Front for the Front's, either for the people's committee.
pub fn deciding_role(body: Body) -> Role {
    match body {
        Body::CongAn => Role::Police,
        Body::Mttq => Role::Front,
        Body::Ubnd | Body::Khac => Role::Admin,
    }
}

async fn in_scope(db: &Db, ancestor: i64, unit: i64) -> StorageResult<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT descendant_id FROM unit_scope WHERE ancestor_id = $1 AND descendant_id = $2",
    )
    .bind(ancestor)
    .bind(unit)
    .fetch_optional(db.pool())
    .await?;
    Ok(found.is_some())
}

fn invalid(msg: String) -> StorageError {
    antq_core::DomainError::invalid(msg).into()
}

/// Check a new award against the catalogue and the tree: the office may
/// give the form, its unit is at the office's level, the unit rewarded and
/// every recipient that is a unit lies under it.
pub(super) async fn check_new(
    db: &Db,
    actor: Option<&Actor>,
    a: &NewAward,
) -> StorageResult<(Form, Office)> {
    let (f, o) = (form(db, a.form_id).await?, office(db, a.office_id).await?);
    if !f.active || !o.active {
        return Err(invalid(format!(
            "{} hoặc {} đã ngừng dùng trong danh mục khen thưởng",
            f.name, o.name
        )));
    }
    check_rule(db, &o, &f).await?;
    let issuer = crate::units::by_id(db, a.issuer_unit_id).await?;
    if issuer.level != o.level.unit_level() {
        return Err(invalid(format!(
            "{} là cơ quan cấp {}; {} không phải đơn vị cấp {}",
            o.name,
            o.level.word_vi(),
            issuer.name,
            o.level.word_vi()
        )));
    }
    let unit = crate::units::by_id(db, a.unit_id).await?;
    if !in_scope(db, issuer.id, unit.id).await? {
        return Err(invalid(format!(
            "{} không thuộc {}, nên {} không khen thưởng được",
            unit.name,
            issuer.name,
            issuer_words(&o, &issuer.name)
        )));
    }
    text::check_len("Lý do khen thưởng", &a.reason, limits::REASON)?;
    check_recipient_count(a.recipients.len())?;
    for r in &a.recipients {
        let rid = match (r.unit_id, r.organisation_id) {
            (Some(u), _) => Some(u),
            (None, Some(org)) => Some(
                sqlx::query_scalar::<_, i64>("SELECT unit_id FROM organisations WHERE id = $1")
                    .bind(org)
                    .fetch_optional(db.pool())
                    .await?
                    .ok_or_else(|| StorageError::not_found(format!("tổ chức số {org}")))?,
            ),
            _ => None,
        };
        if let Some(u) = rid {
            if !in_scope(db, issuer.id, u).await? {
                return Err(invalid(format!(
                    "{} không thuộc {}, nên không có trong danh sách khen thưởng của {}",
                    r.name,
                    issuer.name,
                    issuer_words(&o, &issuer.name)
                )));
            }
        }
    }
    if let Some(c) = a.conference_id {
        // The caller must see the conference, and it must be held within
        // the issuer's tree or above it (an award is given at its own
        // province's or commune's conference, or at one held above them).
        let held_by = match actor {
            Some(x) => crate::programmes::conferences::require(db, x, Action::Read, c).await?,
            None => sqlx::query_scalar::<_, i64>("SELECT unit_id FROM conferences WHERE id = $1")
                .bind(c)
                .fetch_optional(db.pool())
                .await?
                .ok_or_else(|| StorageError::not_found(format!("hội nghị số {c}")))?,
        };
        if !in_scope(db, issuer.id, held_by).await? && !in_scope(db, held_by, issuer.id).await? {
            return Err(invalid(format!(
                "Hội nghị số {c} không do {} hoặc cấp trên tổ chức, nên không ghi khen thưởng của {} vào đó được",
                issuer.name,
                issuer_words(&o, &issuer.name)
            )));
        }
    }
    Ok((f, o))
}

/// A decision dated after today is a typing mistake.
pub(super) fn check_decision(d: &Decision) -> StorageResult<()> {
    text::check_len("Số, ký hiệu quyết định", &d.reference, limits::REFERENCE)?;
    if d.date > dates::today() {
        return Err(invalid(format!(
            "Ngày quyết định {} sau ngày hôm nay",
            dates::format_vi(d.date)
        )));
    }
    Ok(())
}

/// May the actor record the decisions of this office at this unit?
pub(super) async fn require_decider(
    db: &Db,
    actor: &Actor,
    o: &Office,
    issuer_unit: i64,
) -> StorageResult<()> {
    access::require(
        db,
        actor,
        Action::DecideAward(deciding_role(o.body)),
        issuer_unit,
    )
    .await
}

/// Propose an award (the unit's police or Front; audited). Returns its id.
pub async fn propose(db: &Db, actor: Option<&Actor>, a: &NewAward) -> StorageResult<i64> {
    let (f, o) = check_new(db, actor, a).await?;
    let who = match actor {
        Some(x) => {
            access::require(db, x, Action::ProposeAward, a.unit_id).await?;
            x.who()
        }
        None => Who::system(),
    };
    insert(db, &who, a, &f, &o, None).await
}

/// Record a decided award directly (a past decision; the issuing side; audited).
pub async fn record(
    db: &Db,
    actor: Option<&Actor>,
    a: &NewAward,
    d: &Decision,
) -> StorageResult<i64> {
    check_decision(d)?;
    let (f, o) = check_new(db, actor, a).await?;
    let who = match actor {
        Some(x) => {
            require_decider(db, x, &o, a.issuer_unit_id).await?;
            x.who()
        }
        None => Who::system(),
    };
    insert(db, &who, a, &f, &o, Some(d)).await
}

async fn insert(
    db: &Db,
    who: &Who,
    a: &NewAward,
    f: &Form,
    o: &Office,
    d: Option<&Decision>,
) -> StorageResult<i64> {
    let mut tx = db.begin_write().await?;
    let id = insert_tx(&mut tx, who, a, f, o, d).await?;
    tx.commit().await?;
    if let (Some(c), Some(_)) = (a.conference_id, d) {
        crate::reviews::refresh_conference(db, who, c).await?;
    }
    Ok(id)
}

pub(super) async fn insert_tx(
    tx: &mut WriteTx,
    who: &Who,
    a: &NewAward,
    f: &Form,
    o: &Office,
    d: Option<&Decision>,
) -> StorageResult<i64> {
    let now = dates::timestamp(dates::now_utc());
    let (state, year, rstate) = match d {
        Some(d) => (AwardState::Decided, d.date.year(), "accepted"),
        None => (AwardState::Proposed, a.proposed_on.year(), "proposed"),
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO awards (form_id, office_id, unit_id, issuer_unit_id, state, year, proposed_on, \
         decision_reference, decided_on, reason, conference_id, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(f.id)
    .bind(o.id)
    .bind(a.unit_id)
    .bind(a.issuer_unit_id)
    .bind(state.code())
    .bind(i64::from(year))
    .bind(dates::iso(a.proposed_on))
    .bind(d.map(|d| d.reference.clone()))
    .bind(d.map(|d| dates::iso(d.date)))
    .bind(&a.reason)
    .bind(a.conference_id)
    .bind(&who.name)
    .bind(&now)
    .fetch_one(tx.conn())
    .await?;
    for (pos, r) in a.recipients.iter().enumerate() {
        sqlx::query(
            "INSERT INTO award_recipients (award_id, position, kind, name, unit_id, organisation_id, office, body, state) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(pos as i64 + 1)
        .bind(r.kind.code())
        .bind(&r.name)
        .bind(r.unit_id)
        .bind(r.organisation_id)
        .bind(&r.office)
        .bind(&r.body)
        .bind(rstate)
        .execute(tx.conn())
        .await?;
    }
    let after = json!({
        "form": f.code, "office": o.code, "state": state.code(), "year": year,
        "decision": d.map(|d| d.reference.clone()), "recipients": a.recipients,
    });
    let action = if d.is_some() {
        "award.record"
    } else {
        "award.propose"
    };
    audit_award(tx, who, action, id, a.unit_id, after).await?;
    Ok(id)
}

async fn audit_award(
    tx: &mut WriteTx,
    who: &Who,
    action: &str,
    id: i64,
    unit_id: i64,
    after: serde_json::Value,
) -> StorageResult<()> {
    audit::append(
        tx,
        Change {
            who,
            action,
            entity: "award",
            entity_id: id.to_string(),
            unit_id: Some(unit_id),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    Ok(())
}

/// An award for the issuing side to act on: visible, still proposed, and the actor may decide it.
async fn pending(db: &Db, actor: Option<&Actor>, id: i64) -> StorageResult<(Award, Who)> {
    let a = get(db, actor, id).await?;
    let who = match actor {
        Some(x) => {
            require_decider(db, x, &a.office, a.issuer_unit.id).await?;
            x.who()
        }
        None => Who::system(),
    };
    if actor.is_some_and(|x| x.username == a.created_by) {
        return Err(StorageError::Conflict(format!(
            "Đề nghị khen thưởng số {id} do chính tài khoản này lập; người khác có thẩm quyền mới được quyết định"
        )));
    }
    if a.state != AwardState::Proposed {
        return Err(StorageError::Conflict(format!(
            "Đề nghị khen thưởng số {id} đã được xử lý ({})",
            a.state.word_vi().to_lowercase()
        )));
    }
    Ok((a, who))
}

/// Decide a proposal: accept the listed recipients (the others are not
/// accepted), with the decision's number and date; the award then counts
/// in the decision's year (audited).
pub async fn decide(
    db: &Db,
    actor: Option<&Actor>,
    id: i64,
    accepted: &[i64],
    d: &Decision,
) -> StorageResult<Award> {
    let (a, who) = pending(db, actor, id).await?;
    check_decision(d)?;
    if let Some(x) = accepted
        .iter()
        .find(|x| !a.recipients.iter().any(|r| r.id == **x))
    {
        return Err(invalid(format!(
            "Người nhận số {x} không có trong đề nghị khen thưởng số {id}"
        )));
    }
    if accepted.is_empty() {
        return Err(invalid(
            "Chưa chọn người nhận nào; nếu không khen ai, hãy chọn \u{201C}Không khen thưởng\u{201D}"
                .into(),
        ));
    }
    let now = dates::timestamp(dates::now_utc());
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE awards SET state = 'decided', year = $2, decision_reference = $3, decided_on = $4, \
         updated_at = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(i64::from(d.date.year()))
    .bind(&d.reference)
    .bind(dates::iso(d.date))
    .bind(&now)
    .execute(tx.conn())
    .await?;
    for r in &a.recipients {
        let state = if accepted.contains(&r.id) {
            "accepted"
        } else {
            "rejected"
        };
        sqlx::query("UPDATE award_recipients SET state = $2 WHERE id = $1")
            .bind(r.id)
            .bind(state)
            .execute(tx.conn())
            .await?;
    }
    let after = json!({"decision": d.reference, "date": dates::iso(d.date), "accepted": accepted});
    audit_award(&mut tx, &who, "award.decide", id, a.unit.id, after).await?;
    tx.commit().await?;
    if let Some(c) = a.conference_id {
        crate::reviews::refresh_conference(db, &who, c).await?;
    }
    get(db, None, id).await
}

/// Refuse a proposal, with a reason (audited).
pub async fn refuse(db: &Db, actor: Option<&Actor>, id: i64, reason: &str) -> StorageResult<Award> {
    let (a, who) = pending(db, actor, id).await?;
    let reason = text::clean(reason);
    text::check_len("Lý do", &reason, limits::REASON)?;
    let now = dates::timestamp(dates::now_utc());
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE awards SET state = 'refused', updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(&now)
        .execute(tx.conn())
        .await?;
    sqlx::query("UPDATE award_recipients SET state = 'rejected', reason = $2 WHERE award_id = $1")
        .bind(id)
        .bind(&reason)
        .execute(tx.conn())
        .await?;
    audit_award(
        &mut tx,
        &who,
        "award.refuse",
        id,
        a.unit.id,
        json!({"reason": reason}),
    )
    .await?;
    tx.commit().await?;
    get(db, None, id).await
}

/// Why a refused award was refused (kept with its recipients), for one who may read it.
pub async fn refusal_reason(db: &Db, actor: Option<&Actor>, id: i64) -> StorageResult<String> {
    let a = get(db, actor, id).await?;
    if a.state != AwardState::Refused {
        return Ok(String::new());
    }
    let reason: Option<String> = sqlx::query_scalar(
        "SELECT reason FROM award_recipients WHERE award_id = $1 AND reason <> '' ORDER BY position LIMIT 1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(reason.unwrap_or_default())
}

/// May the actor decide this award (for the page's forms)?
pub async fn may_decide(db: &Db, actor: &Actor, a: &Award) -> StorageResult<bool> {
    access::can(
        db,
        actor,
        Action::DecideAward(deciding_role(a.office.body)),
        a.issuer_unit.id,
    )
    .await
}

/// One award the caller may read (outside their units: not found).
pub async fn get(db: &Db, actor: Option<&Actor>, id: i64) -> StorageResult<Award> {
    let what = || format!("khen thưởng số {id}");
    let mut found = super::awards_list::load(db, &format!("a.id = {id}"), 1).await?;
    let a = found.pop().ok_or_else(|| StorageError::not_found(what()))?;
    if let Some(x) = actor {
        access::require_visible(db, x, Action::Read, a.unit.id, what).await?;
    }
    Ok(a)
}
