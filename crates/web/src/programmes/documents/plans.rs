//! A programme or plan as typed (a form with repeatable rows, a JSON body)
//! made into a parsed `PlanInput`, with the field that was wrong named.

use antq_core::programmes::documents::{reference_key, ProgrammeKind, ProgrammeState};
use antq_core::programmes::Body;
use antq_storage::accounts::access::Actor;
use antq_storage::programmes::documents::{self, DocQuery, Reader};
use antq_storage::programmes::plans::{ItemInput, PartyInput, PlanInput};

use super::{optional_date, optional_unit, optional_year, Invalid};
use crate::error::Failure;
use crate::state::AppState;

/// A party row as typed.
#[derive(Debug, Clone, Default)]
pub struct PartyFields {
    pub unit: String,
    pub unit_pick: String,
    pub body: String,
    pub name: String,
}

/// An item row as typed; `party` is the party row's number (1, 2, …), or empty.
#[derive(Debug, Clone, Default)]
pub struct ItemFields {
    pub content: String,
    pub party: String,
}

/// A programme as typed.
#[derive(Debug, Clone, Default)]
pub struct PlanFields {
    pub kind: String,
    pub title: String,
    pub document_id: Option<i64>,
    /// The document's reference (or one of its aliases), looked up in the library.
    pub reference: String,
    pub unit: String,
    pub unit_pick: String,
    pub signed_on: String,
    pub stage_from: String,
    pub stage_to: String,
    pub implements: String,
    pub state: String,
    pub replaced_by: String,
    pub ended_on: String,
    pub notes: String,
    pub parties: Vec<PartyFields>,
    pub items: Vec<ItemFields>,
}

fn invalid(msg: impl Into<String>) -> Failure {
    Failure::from(antq_core::DomainError::invalid(msg.into()))
}

/// The document whose reference or alias is exactly this text.
async fn find_document(state: &AppState, actor: &Actor, text: &str) -> Result<i64, Failure> {
    let key = reference_key(text);
    let q = DocQuery {
        q: Some(text.to_string()),
        limit: Some(5),
        reader: Reader::User(actor.clone()),
        ..DocQuery::default()
    };
    let page = documents::search(&state.db, &q).await?;
    page.items
        .iter()
        .find(|d| {
            d.reference.as_deref().map(reference_key).as_deref() == Some(key.as_str())
                || d.aliases.iter().any(|a| reference_key(&a.reference) == key)
        })
        .map(|d| d.id)
        .ok_or_else(|| {
            invalid(format!(
                "Không có văn bản số \u{201C}{}\u{201D} trong thư viện: thêm văn bản trước, rồi chọn lại",
                text.trim()
            ))
        })
}

fn optional_id(s: &str, label: &str) -> Result<Option<i64>, Failure> {
    match s.trim() {
        "" => Ok(None),
        t => t
            .parse::<i64>()
            .map(Some)
            .map_err(|_| invalid(format!("{label} \u{201C}{t}\u{201D} không hợp lệ"))),
    }
}

async fn parties(
    state: &AppState,
    rows: &[PartyFields],
) -> Result<(Vec<PartyInput>, Vec<Option<usize>>), Invalid> {
    let mut kept = Vec::new();
    let mut index = Vec::new();
    for (n, r) in rows.iter().enumerate() {
        if r.unit.trim().is_empty() && r.unit_pick.trim().is_empty() && r.name.trim().is_empty() {
            index.push(None);
            continue;
        }
        let body = match r.body.trim() {
            "" => Body::Khac,
            b => Body::parse(b).map_err(|e| Invalid::at("parties", e))?,
        };
        let unit = optional_unit(state, &r.unit, &r.unit_pick)
            .await
            .map_err(|e| {
                let mut f = e;
                f.message = format!("Bên thứ {}: {}", n + 1, f.message);
                Invalid::at("parties", f)
            })?;
        index.push(Some(kept.len()));
        kept.push(PartyInput {
            unit_id: unit.map(|u| u.id),
            body,
            name: r.name.clone(),
        });
    }
    Ok((kept, index))
}

fn items(rows: &[ItemFields], index: &[Option<usize>]) -> Result<Vec<ItemInput>, Invalid> {
    let mut out = Vec::new();
    for r in rows.iter().filter(|r| !r.content.trim().is_empty()) {
        let party = match r.party.trim() {
            "" => None,
            p => {
                let n: usize = p.parse().unwrap_or(0);
                let kept = n
                    .checked_sub(1)
                    .and_then(|i| index.get(i).copied().flatten());
                Some(kept.ok_or_else(|| {
                    Invalid::at(
                        "items",
                        invalid(format!(
                            "Nội dung \u{201C}{}\u{201D} giao cho bên thứ {p}, nhưng bên đó chưa được nhập",
                            r.content.trim()
                        )),
                    )
                })?)
            }
        };
        out.push(ItemInput {
            content: r.content.clone(),
            party,
        });
    }
    Ok(out)
}

/// Parse a programme as typed.
pub async fn plan_input(
    state: &AppState,
    actor: &Actor,
    f: &PlanFields,
) -> Result<PlanInput, Invalid> {
    if f.parties.len() > 50 || f.items.len() > 200 {
        return Err(Invalid::at(
            "items",
            invalid("Quá nhiều dòng bên tham gia hoặc nội dung"),
        ));
    }
    let kind = ProgrammeKind::parse(&f.kind).map_err(|e| Invalid::at("kind", e))?;
    let document_id = match (f.document_id, f.reference.trim()) {
        (Some(id), _) => Some(id),
        (None, "") => None,
        (None, r) => Some(
            find_document(state, actor, r)
                .await
                .map_err(|e| Invalid::at("reference", e))?,
        ),
    };
    let unit = optional_unit(state, &f.unit, &f.unit_pick)
        .await
        .map_err(|e| Invalid::at("unit", e))?;
    let state_value = match f.state.trim() {
        "" => ProgrammeState::InForce,
        s => ProgrammeState::parse(s).map_err(|e| Invalid::at("state", e))?,
    };
    let (party_inputs, index) = parties(state, &f.parties).await?;
    let input = PlanInput {
        document_id,
        kind,
        title: f.title.clone(),
        unit_id: unit.map(|u| u.id),
        signed_on: optional_date(&f.signed_on).map_err(|e| Invalid::at("signed_on", e))?,
        stage_from: optional_year(&f.stage_from, "Năm bắt đầu")
            .map_err(|e| Invalid::at("stage", e))?,
        stage_to: optional_year(&f.stage_to, "Năm kết thúc")
            .map_err(|e| Invalid::at("stage", e))?,
        implements_id: optional_id(&f.implements, "Chương trình được thực hiện")
            .map_err(|e| Invalid::at("implements", e))?,
        state: state_value,
        replaced_by_id: optional_id(&f.replaced_by, "Chương trình thay thế")
            .map_err(|e| Invalid::at("state", e))?,
        ended_on: optional_date(&f.ended_on).map_err(|e| Invalid::at("state", e))?,
        notes: f.notes.clone(),
        items: items(&f.items, &index)?,
        parties: party_inputs,
    };
    input.check().map_err(|e| {
        let msg = e.to_string();
        let field = if msg.starts_with("Tên chương trình") {
            "title"
        } else if msg.contains("Giai đoạn") || msg.contains("giai đoạn") {
            "stage"
        } else if msg.contains("bên") {
            "parties"
        } else if msg.contains("Nội dung") || msg.contains("nội dung") {
            "items"
        } else {
            "notes"
        };
        Invalid::at(field, e)
    })
}
