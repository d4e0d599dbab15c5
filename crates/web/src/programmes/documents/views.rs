//! Documents and programmes as the API answers them and as the pages show
//! them (words, dd/mm/yyyy dates, never internal codes on a page).

use antq_storage::programmes::documents::Document;
use antq_storage::programmes::plans::{Programme, ProgrammeLink};
use serde_json::{json, Value};

use crate::pages::date_vi;

/// A document in a list: the contract of `GET /api/v1/documents`.
pub fn doc_json(d: &Document) -> Value {
    json!({
        "id": d.id,
        "kind": d.kind.code(),
        "kind_name": d.kind.word_vi(),
        "reference": d.reference,
        "number": d.number,
        "year": d.year,
        "symbol": d.symbol,
        "date": d.issued_on,
        "issuers": d.issuers,
        "subject": d.subject,
        "aliases": d.aliases.iter().map(|a| a.reference.clone()).collect::<Vec<_>>(),
    })
}

/// A document with everything kept about it.
pub fn doc_detail_json(d: &Document, programmes: &[ProgrammeLink]) -> Value {
    let mut v = doc_json(d);
    v["alias_notes"] = json!(d.aliases);
    v["as_written"] = json!(d.as_written);
    v["unit"] = match (&d.unit_code, &d.unit_name) {
        (Some(code), Some(name)) => json!({"code": code, "name": name}),
        _ => Value::Null,
    };
    v["files"] = json!(d
        .files
        .iter()
        .map(
            |f| json!({"id": f.id, "name": f.name, "media_type": f.media_type,
            "size": f.size, "sha256": f.sha256})
        )
        .collect::<Vec<_>>());
    v["programmes"] = json!(programmes);
    v
}

/// A programme or plan: its parties and items, with unit codes, never internal ids of units.
pub fn programme_json(p: &Programme) -> Value {
    let unit = |code: &Option<String>, name: &Option<String>| match (code, name) {
        (Some(c), Some(n)) => json!({"code": c, "name": n}),
        _ => Value::Null,
    };
    let mut v = json!({
        "id": p.id,
        "kind": p.kind.code(),
        "title": p.title,
        "reference": p.reference,
        "unit": unit(&p.unit_code, &p.unit_name),
        "signed_on": p.signed_on,
        "stage_from": p.stage_from,
        "stage_to": p.stage_to,
        "implements": p.implements,
        "implemented_by": p.implemented_by,
        "state": p.state.code(),
        "replaced_by": p.replaced_by,
        "ended_on": p.ended_on,
        "notes": p.notes,
        "parties": p.parties.iter().map(|x| json!({
            "unit": unit(&x.unit_code, &x.unit_name),
            "body": x.body.code(),
            "name": x.name,
        })).collect::<Vec<_>>(),
        "items": p.items.iter().map(|i| json!({
            "content": i.content,
            "party": i.party_name,
        })).collect::<Vec<_>>(),
    });
    // Only when there is one: a link to a document is never to nothing.
    if let Some(d) = p.document_id {
        v["document_id"] = json!(d);
    }
    v
}

/// A document as one row of the search results.
pub struct DocRow {
    pub id: i64,
    pub reference: String,
    pub kind: &'static str,
    pub date: String,
    pub issuers: String,
    pub subject: String,
    pub aliases: String,
}

impl DocRow {
    pub fn of(d: &Document, no_number: &str) -> DocRow {
        DocRow {
            id: d.id,
            reference: d.reference.clone().unwrap_or_else(|| no_number.to_string()),
            kind: d.kind.word_vi(),
            date: date_vi(d.issued_on.as_deref()).unwrap_or_default(),
            issuers: d.issuers.join("; "),
            subject: d.subject.clone(),
            aliases: d
                .aliases
                .iter()
                .map(|a| a.reference.clone())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// A programme as one row of the list.
pub struct ProgrammeRow {
    pub id: i64,
    pub title: String,
    pub kind: &'static str,
    pub unit: String,
    pub stage: String,
    pub state: &'static str,
    pub reference: String,
}

impl ProgrammeRow {
    pub fn of(p: &Programme, national: &str) -> ProgrammeRow {
        ProgrammeRow {
            id: p.id,
            title: p.title.clone(),
            kind: p.kind.word_vi(),
            unit: p.unit_name.clone().unwrap_or_else(|| national.to_string()),
            stage: p.stage(),
            state: p.state.word_vi(),
            reference: p.reference.clone().unwrap_or_default(),
        }
    }
}
