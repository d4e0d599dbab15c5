//! The header and closing texts of a review as Nghị định 30/2020 lays them
//! out, and its dates.

use serde::{Deserialize, Serialize};

use super::document::closing_sentence;
use super::signing::{default_recipients, Side, Signer};
use super::*;

/// "ngày 18 tháng 5 năm 2023", the way Nghị định 30/2020 writes dates:
/// days below 10 and months 1 and 2 take a leading zero.
pub fn date_line(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let day = format!("{:02}", d.day());
    let month = if d.month() <= 2 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    format!("ngày {day} tháng {month} năm {}", d.year())
}

/// One issuing body at the top left: its parent body (printed upright, may
/// be empty) and its own name in lines (bold, a short rule beneath).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issuer {
    pub parent: String,
    pub name: Vec<String>,
}

/// The header and closing texts of a review, as Nghị định 30/2020 lays them out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Top left: one issuer, or the co-issuers of a joint review as equals
    /// (each bold with its own rule, the leading body first, no parent).
    pub issuers: Vec<Issuer>,
    /// "Số:        /BC-CAT".
    pub number: String,
    /// "Đồng Tháp, ngày 18 tháng 5 năm 2023".
    pub place_date: String,
    /// "BÁO CÁO".
    pub kind: String,
    /// The trích yếu: the review's own title, or the default of its stage.
    pub title: String,
    /// Signature blocks, the leading body's on the right as the decree
    /// prints a joint document's.
    pub signers: Vec<Signer>,
    /// "Nơi nhận:" lines.
    pub recipients: Vec<String>,
    /// "Trên đây là Báo cáo … ./.".
    pub closing: String,
    /// "DỰ THẢO – chưa đủ số liệu" and why, while the data is incomplete.
    #[serde(default)]
    pub draft: Option<String>,
}

/// What an officer chose for one review; `None` keeps the default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Choices {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub signers: Option<Vec<Signer>>,
    #[serde(default)]
    pub recipients: Option<Vec<String>>,
}

/// The default title (trích yếu) of a review: from its stage and the
/// programme that covers it.
pub fn default_title(s: &Snapshot) -> String {
    s.stage().title(s.programme.as_ref())
}

/// The issuers in running text: "Công an tỉnh và Ban Thường trực Ủy ban
/// MTTQ Việt Nam tỉnh Đồng Tháp" (each body with its level).
pub fn issuers_in_text(s: &Snapshot, owner: Owner) -> String {
    if s.is_nation {
        let police = "Bộ Công an";
        let front = "Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam";
        return match owner {
            Owner::Police => police.into(),
            Owner::Front => front.into(),
            Owner::Joint => format!("{police} và {front}"),
        };
    }
    let place = s.name_in_text();
    let front = format!("Ban Thường trực Ủy ban MTTQ Việt Nam {place}");
    match owner {
        Owner::Police => format!("Công an {place}"),
        Owner::Front => front,
        Owner::Joint => format!("Công an {} và {front}", s.unit_kind.to_lowercase()),
    }
}

/// A body's name in capitals, broken before the unit's name when the whole
/// would not fit one line of the header (about 30 characters at 13 pt).
fn name_lines(body: &str, unit_upper: &str) -> Vec<String> {
    let whole = format!("{body} {unit_upper}");
    if whole.chars().count() <= 30 {
        vec![whole]
    } else {
        vec![body.to_string(), unit_upper.to_string()]
    }
}

/// The header of a review for its unit and owner, dated `date`, with the
/// officer's choices where made and the defaults elsewhere.
pub fn header(s: &Snapshot, owner: Owner, date: chrono::NaiveDate, choices: &Choices) -> Header {
    // Nghị định 30: the place is the administrative unit where the issuer sits.
    let place = if s.is_nation {
        "Hà Nội".to_string()
    } else {
        s.short_name()
    };
    let name_upper = s.unit_name.to_uppercase();
    let (police_parent, police_name, police_sym) = if s.is_nation {
        (String::new(), vec!["BỘ CÔNG AN".to_string()], "BC-BCA")
    } else if let Some(p) = &s.parent_name {
        (
            format!("CÔNG AN {}", p.to_uppercase()),
            name_lines("CÔNG AN", &name_upper),
            if s.level == "district" {
                "BC-CAH"
            } else {
                "BC-CAX"
            },
        )
    } else {
        (
            "BỘ CÔNG AN".to_string(),
            name_lines("CÔNG AN", &name_upper),
            "BC-CAT",
        )
    };
    let front_whole = if s.is_nation {
        "ỦY BAN TRUNG ƯƠNG MTTQ VIỆT NAM".to_string()
    } else {
        format!("ỦY BAN MTTQ VIỆT NAM {name_upper}")
    };
    let front_board = if s.is_nation {
        vec![
            "BAN THƯỜNG TRỰC".to_string(),
            "ỦY BAN TRUNG ƯƠNG MTTQ VIỆT NAM".to_string(),
        ]
    } else {
        name_lines("BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM", &name_upper)
    };
    let front_sym = if s.is_nation { "MTTW" } else { "MTTQ" };
    let (issuers, sym) = match owner {
        Owner::Police => (
            vec![Issuer {
                parent: police_parent,
                name: police_name,
            }],
            police_sym.to_string(),
        ),
        Owner::Front => (
            vec![Issuer {
                parent: front_whole,
                name: vec!["BAN THƯỜNG TRỰC".to_string()],
            }],
            format!("BC-{front_sym}-BTT"),
        ),
        Owner::Joint => (
            vec![
                Issuer {
                    parent: String::new(),
                    name: police_name,
                },
                Issuer {
                    parent: String::new(),
                    name: front_board,
                },
            ],
            format!("{police_sym}-{front_sym}"),
        ),
    };
    let title = choices
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| default_title(s));
    let signers = choices.signers.clone().unwrap_or_else(|| {
        Side::of(owner)
            .iter()
            .map(|side| Signer::default_for(*side, s))
            .collect()
    });
    let recipients = choices
        .recipients
        .clone()
        .unwrap_or_else(|| default_recipients(s, owner));
    Header {
        issuers,
        number: format!("Số:        /{sym}"),
        place_date: format!("{place}, {}", date_line(date)),
        kind: "BÁO CÁO".into(),
        closing: closing_sentence(&title, &issuers_in_text(s, owner)),
        title,
        signers,
        recipients,
        draft: None,
    }
}
