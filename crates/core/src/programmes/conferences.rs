//! Conferences and events: their kinds, and the press item drafted from a
//! conference in the portal's style ("Điện Biên: Tổng kết 10 năm thực hiện
//! Chương trình phối hợp số 09", a lead with the date and the organisers,
//! the figures, the notable attendees, the plans signed, the awards by
//! issuer and an author line "T.L tổng hợp"), for an editor to finish.

use chrono::Datelike;
use serde::Serialize;

use crate::dates::Date;
use crate::programmes::awards::{awards_sentence, AwardCount};
use crate::DomainError;

/// What kind of event a conference is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConferenceKind {
    /// Hội nghị sơ kết.
    SoKet,
    /// Hội nghị tổng kết.
    TongKet,
    /// Ngày hội toàn dân bảo vệ ANTQ (19/8).
    NgayHoi,
    /// Diễn đàn.
    DienDan,
    /// Lễ ký kết.
    LeKyKet,
    /// Another event, named by its title.
    Khac,
}

impl ConferenceKind {
    pub const ALL: [ConferenceKind; 6] = [
        ConferenceKind::SoKet,
        ConferenceKind::TongKet,
        ConferenceKind::NgayHoi,
        ConferenceKind::DienDan,
        ConferenceKind::LeKyKet,
        ConferenceKind::Khac,
    ];

    /// The stored and API code.
    pub fn code(self) -> &'static str {
        match self {
            ConferenceKind::SoKet => "so_ket",
            ConferenceKind::TongKet => "tong_ket",
            ConferenceKind::NgayHoi => "ngay_hoi",
            ConferenceKind::DienDan => "dien_dan",
            ConferenceKind::LeKyKet => "le_ky_ket",
            ConferenceKind::Khac => "khac",
        }
    }

    /// From its code or its words ("Hội nghị tổng kết").
    pub fn parse(s: &str) -> Result<ConferenceKind, DomainError> {
        let t = s.trim();
        let folded = crate::text::fold(t);
        ConferenceKind::ALL
            .into_iter()
            .find(|k| k.code() == t || crate::text::fold(k.word_vi()) == folded)
            .ok_or_else(|| {
                DomainError::invalid(format!(
                    "Loại sự kiện \u{201C}{t}\u{201D} không có; chọn hội nghị sơ kết, tổng kết, \
                     ngày hội, diễn đàn, lễ ký kết hoặc sự kiện khác"
                ))
            })
    }

    /// "Hội nghị tổng kết", "Ngày hội toàn dân bảo vệ ANTQ"…
    pub fn word_vi(self) -> &'static str {
        match self {
            ConferenceKind::SoKet => "Hội nghị sơ kết",
            ConferenceKind::TongKet => "Hội nghị tổng kết",
            ConferenceKind::NgayHoi => "Ngày hội toàn dân bảo vệ ANTQ",
            ConferenceKind::DienDan => "Diễn đàn",
            ConferenceKind::LeKyKet => "Lễ ký kết",
            ConferenceKind::Khac => "Sự kiện khác",
        }
    }

    /// How the press calls the event inside a sentence: "hội nghị", "ngày hội"…
    fn noun(self) -> &'static str {
        match self {
            ConferenceKind::SoKet | ConferenceKind::TongKet => "hội nghị",
            ConferenceKind::NgayHoi => "ngày hội",
            ConferenceKind::DienDan => "diễn đàn",
            ConferenceKind::LeKyKet => "lễ ký kết",
            ConferenceKind::Khac => "sự kiện",
        }
    }
}

/// A notable attendee as the press names one: "Trung tá Nguyễn Thế Nam -
/// Trưởng phòng công tác dân vận, Cục xây dựng phong trào…, Bộ Công an".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attendee {
    /// Rank or form of address: "Trung tá", "ông", "Đồng chí" (may be empty).
    pub rank_title: String,
    pub name: String,
    /// Position: "Trưởng phòng công tác dân vận".
    pub office: String,
    /// Body: "Bộ Công an".
    pub body: String,
}

impl Attendee {
    /// "Trung tá Nguyễn Thế Nam - Trưởng phòng công tác dân vận, Bộ Công an".
    pub fn words(&self) -> String {
        self.said(self.rank_title.trim().to_string())
    }

    /// As inside a sentence: a form of address in lower case ("Dự hội nghị
    /// có đồng chí …"); a rank keeps its capital.
    pub fn in_sentence(&self) -> String {
        let address = self.rank_title.trim();
        let folded = crate::text::fold(address);
        if ["dong chi", "ong", "ba", "anh", "chi"].contains(&folded.as_str()) {
            self.said(address.to_lowercase())
        } else {
            self.words()
        }
    }

    fn said(&self, address: String) -> String {
        let mut s = [address.as_str(), self.name.trim()]
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let role: Vec<&str> = [self.office.trim(), self.body.trim()]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect();
        if !role.is_empty() {
            s.push_str(" - ");
            s.push_str(&role.join(", "));
        }
        s
    }
}

/// The programme a conference reviews, as the press cites it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CitedProgramme {
    /// For the headline: "Chương trình phối hợp số 09".
    pub short: String,
    /// For the lead: "Chương trình phối hợp số 09 giữa Bộ Công an với …".
    pub full: String,
}

/// Everything the press draft is written from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PressInput {
    pub kind: ConferenceKind,
    pub title: String,
    pub held_on: Date,
    /// Where it was held ("Hội trường Công an tỉnh"), may be empty.
    pub place: String,
    /// The holding unit's short name for the headline: "Điện Biên".
    pub unit_name: String,
    pub stage: Option<(i32, i32)>,
    pub programme: Option<CitedProgramme>,
    /// The organisers in order: "Công an tỉnh Điện Biên", "Ban Thường trực
    /// Ủy ban MTTQ tỉnh Điện Biên".
    pub organisers: Vec<String>,
    pub attendees: Vec<Attendee>,
    /// The figures: paragraphs of the linked review's narrative.
    pub figures: Vec<String>,
    /// Titles of the plans signed there.
    pub signed: Vec<String>,
    /// The awards given there, by issuer.
    pub awards: Vec<AwardCount>,
    /// The author's initials: "T.L".
    pub author: String,
    /// The day the draft is written: the year is left out of a date of the
    /// same year, as the press does ("19/5"), else written ("19/5/2023").
    pub written_on: Date,
}

/// The press item: a headline, a lead, and the body's paragraphs joined by
/// blank lines, ending with the author line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PressDraft {
    pub headline: String,
    pub lead: String,
    pub body: String,
}

/// "19/5" (no zero padding), as the press writes a day.
pub fn day_month(d: Date) -> String {
    format!("{}/{}", d.day(), d.month())
}

/// "19/5/2023".
pub fn day_month_year(d: Date) -> String {
    format!("{}/{}/{}", d.day(), d.month(), d.year())
}

/// An author's initials from a name: "Trần Lâm" → "T.L", "Nguyễn Văn An" →
/// "N.V.A"; none from what is not a person's name.
pub fn initials(name: &str) -> String {
    // A person's name has two to four words; anything longer ("Cán bộ Công
    // an tỉnh Điện Biên") is an account's description: no initials.
    if !(2..=4).contains(&name.split_whitespace().count()) {
        return String::new();
    }
    let out: Vec<String> = name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphabetic())
        .map(|c| c.to_uppercase().collect())
        .collect();
    out.join(".")
}

/// "A", "A và B", "A, B và C".
fn joined(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} và {last}", rest.join(", ")),
    }
}

/// The first letter in lower case, for a title used inside a sentence
/// ("Kế hoạch phối hợp…" → "kế hoạch phối hợp…").
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "10 năm (2013 – 2023)", "năm 2023".
fn stage_words(stage: Option<(i32, i32)>) -> Option<String> {
    let (from, to) = stage?;
    Some(if from == to {
        format!("năm {from}")
    } else {
        format!(
            "{} năm ({from} – {to})",
            crate::reviews::stage_years(from, to)
        )
    })
}

fn headline(i: &PressInput) -> String {
    let verb = match i.kind {
        ConferenceKind::SoKet => Some("Sơ kết"),
        ConferenceKind::TongKet => Some("Tổng kết"),
        _ => None,
    };
    let subject = match (verb, &i.programme) {
        (Some(v), Some(p)) => {
            let years = stage_words(i.stage)
                .map(|s| format!(" {}", s.split(" (").next().unwrap_or(&s)))
                .unwrap_or_default();
            format!("{v}{years} thực hiện {}", p.short)
        }
        _ => i.title.trim().to_string(),
    };
    if i.unit_name.trim().is_empty() {
        subject
    } else {
        format!("{}: {subject}", i.unit_name.trim())
    }
}

fn lead(i: &PressInput) -> String {
    let date = if i.held_on.year() == i.written_on.year() {
        day_month(i.held_on)
    } else {
        day_month_year(i.held_on)
    };
    let what = match (&i.programme, i.kind) {
        (Some(p), ConferenceKind::SoKet | ConferenceKind::TongKet) => {
            let years = stage_words(i.stage)
                .map(|s| format!(" {s}"))
                .unwrap_or_default();
            format!("{}{years} thực hiện {}", i.kind.word_vi(), p.full.trim())
        }
        _ => i.title.trim().to_string(),
    };
    let place = match i.place.trim() {
        "" => String::new(),
        p => format!(" tại {p}"),
    };
    match i.organisers.as_slice() {
        [] => format!(
            "Ngày {date}, {}{place} đã được tổ chức.",
            lower_first(&what)
        ),
        orgs => format!("Ngày {date}, {} tổ chức {what}{place}.", joined(orgs)),
    }
}

/// The press draft of a conference.
pub fn press_draft(i: &PressInput) -> PressDraft {
    let mut body: Vec<String> = i
        .figures
        .iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if !i.attendees.is_empty() {
        let names: Vec<String> = i.attendees.iter().map(Attendee::in_sentence).collect();
        body.push(format!("Dự {} có {}.", i.kind.noun(), names.join("; ")));
    }
    if !i.signed.is_empty() {
        let parties = match i.organisers.len() {
            n if n >= 2 => format!("{n} đơn vị"),
            _ => "các bên".to_string(),
        };
        let plans: Vec<String> = i.signed.iter().map(|t| lower_first(t.trim())).collect();
        body.push(format!(
            "Tại {}, {parties} đã ký kết {}.",
            i.kind.noun(),
            plans.join("; ")
        ));
    }
    let awards = awards_sentence(&i.awards);
    if !awards.is_empty() {
        body.push(format!("Nhân dịp này, {awards}."));
    }
    if !i.author.trim().is_empty() {
        body.push(format!("{} tổng hợp", i.author.trim()));
    }
    PressDraft {
        headline: upper_first(&headline(i)),
        lead: lead(i),
        body: body.join("\n\n"),
    }
}

#[cfg(test)]
mod tests;

/// The SHA-256 of a stored photo, hex-encoded.
pub fn photo_digest(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}
