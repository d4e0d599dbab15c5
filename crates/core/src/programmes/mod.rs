//! The events behind the figures: documents and their references
//! (`documents`), coordination programmes and plans, conferences and their
//! press items (`conferences`), awards and who may give them (`awards`).

pub mod awards;
pub mod conferences;
pub mod documents;

/// Where a figure came from: the reported forms, a register (the award
/// register, the events), or both (then they may differ: see the
/// reconciliation view).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum FigureSource {
    #[default]
    Form,
    Register,
    Both,
}

/// The side of a party, an organiser or an issuing office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Body {
    /// Công an (the police).
    CongAn,
    /// Ủy ban Mặt trận Tổ quốc Việt Nam (the Front).
    Mttq,
    /// Ủy ban nhân dân (the people's committee).
    Ubnd,
    /// Any other body, named in full.
    Khac,
}

impl Body {
    pub const ALL: [Body; 4] = [Body::CongAn, Body::Mttq, Body::Ubnd, Body::Khac];

    pub fn code(self) -> &'static str {
        match self {
            Body::CongAn => "cong_an",
            Body::Mttq => "mttq",
            Body::Ubnd => "ubnd",
            Body::Khac => "khac",
        }
    }

    pub fn parse(s: &str) -> Result<Body, crate::DomainError> {
        Body::ALL
            .into_iter()
            .find(|b| b.code() == s.trim())
            .ok_or_else(|| {
                crate::DomainError::Invalid(format!(
                    "Cơ quan không hợp lệ: \u{201C}{}\u{201D}",
                    s.trim()
                ))
            })
    }

    pub fn word_vi(self) -> &'static str {
        match self {
            Body::CongAn => "Công an",
            Body::Mttq => "Ủy ban MTTQ Việt Nam",
            Body::Ubnd => "Ủy ban nhân dân",
            Body::Khac => "Cơ quan khác",
        }
    }
}
