//! The triage states of a tip, the moves between them, and the date its
//! content is destroyed.
//!
//! A transfer to another unit is a *move*, not a state a tip ends in: the
//! tip lives on at the new unit (its key re-wrapped for the new readers).
//! `Transferred` records, at the unit that handed it over, that the tip has
//! left; the receiving unit works it as `New` again. So `Transferred` is a
//! closed state for the unit it left, and its retention clock runs there
//! only if the storage keeps a copy (it should not: the content moves).

use std::str::FromStr;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::DomainError;

/// Where a tip stands in its triage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TipState {
    /// Received, not yet looked at.
    New,
    /// An officer is checking it.
    Verifying,
    /// Checked and found useful: counts in `nguon_tin_gia_tri`.
    Valuable,
    /// Checked and found of no value, or a duplicate.
    NotValuable,
    /// Handed over to another unit (see the module documentation).
    Transferred,
    /// Work on it is finished.
    Closed,
}

impl TipState {
    /// Every state, in triage order.
    pub const ALL: [TipState; 6] = [
        TipState::New,
        TipState::Verifying,
        TipState::Valuable,
        TipState::NotValuable,
        TipState::Transferred,
        TipState::Closed,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            TipState::New => "new",
            TipState::Verifying => "verifying",
            TipState::Valuable => "valuable",
            TipState::NotValuable => "not_valuable",
            TipState::Transferred => "transferred",
            TipState::Closed => "closed",
        }
    }

    /// The Vietnamese label shown to officers.
    pub fn label_vi(self) -> &'static str {
        match self {
            TipState::New => "Mới",
            TipState::Verifying => "Đang xác minh",
            TipState::Valuable => "Có giá trị",
            TipState::NotValuable => "Không có giá trị / trùng",
            TipState::Transferred => "Đã chuyển đơn vị khác",
            TipState::Closed => "Đã kết thúc",
        }
    }

    /// The English label.
    pub fn label_en(self) -> &'static str {
        match self {
            TipState::New => "New",
            TipState::Verifying => "Being verified",
            TipState::Valuable => "Valuable",
            TipState::NotValuable => "Not valuable / duplicate",
            TipState::Transferred => "Transferred to another unit",
            TipState::Closed => "Closed",
        }
    }

    /// Is work on the tip over at this unit (its retention clock runs)?
    /// `Valuable` is not closed: a useful tip is still being acted on until
    /// an officer closes it.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            TipState::NotValuable | TipState::Transferred | TipState::Closed
        )
    }

    /// Does the tip count as a valuable source (`nguon_tin_gia_tri`)?
    pub fn counts_as_valuable(self) -> bool {
        self == TipState::Valuable
    }
}

impl FromStr for TipState {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TipState::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| DomainError::invalid(format!("\"{s}\" không phải trạng thái tin báo")))
    }
}

/// May an officer move a tip from `from` to `to`?
///
/// - a new tip is taken up (`Verifying`) or judged at once (valuable, not
///   valuable, transferred);
/// - a tip being verified is judged or transferred;
/// - a valuable tip is closed when the work is done, or transferred;
/// - a tip judged of no value may be closed, or taken up again;
/// - a closed tip may be reopened (`Verifying`), e.g. when the tipster adds
///   information;
/// - a transferred tip does not move at the unit it left (the receiving
///   unit works it from `New`).
///
/// Staying in the same state is not a move.
pub fn can_move(from: TipState, to: TipState) -> bool {
    use TipState::*;
    match from {
        New => matches!(to, Verifying | Valuable | NotValuable | Transferred),
        Verifying => matches!(to, Valuable | NotValuable | Transferred),
        Valuable => matches!(to, Closed | Transferred | Verifying),
        NotValuable => matches!(to, Closed | Verifying),
        Closed => matches!(to, Verifying),
        Transferred => false,
    }
}

/// The day a closed tip's content and keys are destroyed: `retention_days`
/// after the day it was closed (a legal hold or new tipster input, handled
/// by the caller, postpones it).
pub fn destroy_on(closed_on: NaiveDate, retention_days: u32) -> NaiveDate {
    closed_on
        .checked_add_days(Days::new(u64::from(retention_days)))
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_labels_are_vietnamese() {
        for s in TipState::ALL {
            assert_eq!(s.as_str().parse::<TipState>().unwrap(), s);
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
        assert_eq!(TipState::NotValuable.label_vi(), "Không có giá trị / trùng");
        assert_eq!(TipState::Verifying.label_vi(), "Đang xác minh");
        assert_eq!(
            TipState::Transferred.label_en(),
            "Transferred to another unit"
        );
        assert_eq!(
            "open".parse::<TipState>().unwrap_err().to_string(),
            "\"open\" không phải trạng thái tin báo"
        );
    }

    #[test]
    fn closed_and_valuable() {
        let closed: Vec<_> = TipState::ALL
            .into_iter()
            .filter(|s| s.is_closed())
            .collect();
        assert_eq!(
            closed,
            [
                TipState::NotValuable,
                TipState::Transferred,
                TipState::Closed
            ]
        );
        let valuable: Vec<_> = TipState::ALL
            .into_iter()
            .filter(|s| s.counts_as_valuable())
            .collect();
        assert_eq!(valuable, [TipState::Valuable]);
    }

    #[test]
    fn moves() {
        use TipState::*;
        assert!(can_move(New, Verifying));
        assert!(can_move(Verifying, Valuable));
        assert!(can_move(Valuable, Closed));
        assert!(can_move(Closed, Verifying));
        assert!(can_move(NotValuable, Closed));
        assert!(!can_move(Closed, New));
        assert!(!can_move(Closed, Valuable));
        assert!(!can_move(New, Closed));
        assert!(!can_move(Verifying, New));
        for s in TipState::ALL {
            assert!(!can_move(s, s), "{s:?}");
            assert!(!can_move(Transferred, s), "{s:?}");
            assert!(!can_move(s, New), "{s:?}");
        }
        // Every state but Transferred can be left, and every closed state
        // can be reached from Verifying (directly or through Valuable).
        for s in TipState::ALL {
            let leaves = TipState::ALL.into_iter().any(|t| can_move(s, t));
            assert_eq!(leaves, s != Transferred, "{s:?}");
        }
    }

    #[test]
    fn destruction_date() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        assert_eq!(
            destroy_on(d, 30),
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
        );
        assert_eq!(
            destroy_on(d, 1826),
            NaiveDate::from_ymd_opt(2031, 1, 31).unwrap()
        );
        assert_eq!(destroy_on(d, 0), d);
        assert_eq!(destroy_on(NaiveDate::MAX, 10), NaiveDate::MAX);
    }
}
