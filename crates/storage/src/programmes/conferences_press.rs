//! What the press draft of a conference is written from: its organisers
//! and attendees, the programme it reviews, the figures of the review
//! presented there, the plans signed and the awards given there by issuer.

use antq_core::dates;
use antq_core::programmes::conferences::{initials, CitedProgramme, PressInput};

use super::input::Role;
use crate::accounts::access::Actor;
use crate::db::Db;
use crate::error::StorageResult;
use crate::programmes::award_counts::{self, Scope};

/// How the headline cites a programme: "Chương trình phối hợp số 09" when
/// its document has a number, else its title.
async fn cited(db: &Db, programme_id: i64, title: &str) -> StorageResult<CitedProgramme> {
    let row: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT p.kind, d.number FROM programmes p LEFT JOIN documents d ON d.id = p.document_id \
         WHERE p.id = $1",
    )
    .bind(programme_id)
    .fetch_optional(db.pool())
    .await?;
    let short = match row {
        Some((kind, Some(number))) if !number.trim().is_empty() => {
            let word = if kind == "ke_hoach" {
                "Kế hoạch phối hợp"
            } else {
                "Chương trình phối hợp"
            };
            format!("{word} số {}", number.trim())
        }
        _ => title.to_string(),
    };
    Ok(CitedProgramme {
        short,
        full: title.to_string(),
    })
}

/// Everything the press draft needs, for one who may read the conference.
/// `author`: the initials for the author line; empty: the caller's own
/// ("Trần Lâm" → "T.L").
pub async fn press_input(
    db: &Db,
    actor: &Actor,
    id: i64,
    author: &str,
) -> StorageResult<PressInput> {
    let c = super::get(db, actor, id).await?;
    let (name, short): (String, String) =
        sqlx::query_as("SELECT name, short_name FROM units WHERE id = $1")
            .bind(c.unit_id)
            .fetch_one(db.pool())
            .await?;
    let unit_name = if short.trim().is_empty() { name } else { short };
    let programme = match c.programmes.iter().find(|p| p.role == Role::Reviews) {
        Some(p) => Some(cited(db, p.id, &p.title).await?),
        None => None,
    };
    let counts = award_counts::counts(db, Scope::Conference(id)).await?;
    let mut figures = Vec::new();
    if let Some(r) = c.reviews.first() {
        let review = crate::reviews::get(db, r.id).await?;
        figures = review
            .narrative
            .into_iter()
            // The draft says the conference's awards itself ("Nhân dịp này, …").
            .filter(|p| p.group != "khen_thuong" || counts.is_empty())
            .map(|p| p.text)
            .filter(|t| !t.trim().is_empty())
            .collect();
    }
    let author = match author.trim() {
        "" => {
            let name = if actor.display_name.trim().is_empty() {
                &actor.username
            } else {
                &actor.display_name
            };
            initials(name)
        }
        a => antq_core::text::clean(a).chars().take(40).collect(),
    };
    Ok(PressInput {
        kind: c.kind,
        title: c.title.clone(),
        held_on: dates::parse_date(&c.held_on)?,
        place: c.place.clone(),
        unit_name,
        stage: c.stage_from.zip(c.stage_to),
        programme,
        organisers: c.organisers.iter().map(|o| o.name.clone()).collect(),
        attendees: c.attendees.clone(),
        figures,
        signed: c
            .programmes
            .iter()
            .filter(|p| p.role == Role::Signed)
            .map(|p| p.title.clone())
            .collect(),
        awards: award_counts::over_years(&counts),
        author,
        written_on: dates::today(),
    })
}
