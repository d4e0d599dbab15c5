//! A report: one form, one unit, one period, moving through
//! draft → submitted → approved, with return and reopen.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportState {
    Draft,
    Submitted,
    Approved,
    Returned,
}

impl ReportState {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportState::Draft => "draft",
            ReportState::Submitted => "submitted",
            ReportState::Approved => "approved",
            ReportState::Returned => "returned",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            ReportState::Draft => "Đang nhập",
            ReportState::Submitted => "Đã gửi",
            ReportState::Approved => "Đã duyệt",
            ReportState::Returned => "Bị trả lại",
        }
    }

    /// Values may change only in draft or returned reports.
    pub fn editable(self) -> bool {
        matches!(self, ReportState::Draft | ReportState::Returned)
    }
}

impl FromStr for ReportState {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "draft" => Ok(ReportState::Draft),
            "submitted" => Ok(ReportState::Submitted),
            "approved" => Ok(ReportState::Approved),
            "returned" => Ok(ReportState::Returned),
            _ => Err(DomainError::invalid(format!(
                "\"{s}\" không phải trạng thái báo cáo"
            ))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Transition {
    /// The reporting unit sends the report up.
    Submit,
    /// The level above accepts it; it is locked.
    Approve,
    /// The level above sends it back with a comment.
    Return,
    /// The level above unlocks an approved report for correction.
    Reopen,
}

impl Transition {
    pub fn as_str(self) -> &'static str {
        match self {
            Transition::Submit => "submit",
            Transition::Approve => "approve",
            Transition::Return => "return",
            Transition::Reopen => "reopen",
        }
    }

    /// Whether this transition is taken by the level above (not the reporting unit).
    pub fn by_approver(self) -> bool {
        !matches!(self, Transition::Submit)
    }

    /// The state after the transition, or why it cannot happen now.
    pub fn apply(self, from: ReportState) -> Result<ReportState, DomainError> {
        use ReportState::*;
        match (self, from) {
            (Transition::Submit, Draft | Returned) => Ok(Submitted),
            (Transition::Approve, Submitted) => Ok(Approved),
            (Transition::Return, Submitted) => Ok(Returned),
            (Transition::Reopen, Approved) => Ok(Returned),
            (t, s) => Err(DomainError::invalid(format!(
                "Không thể {} báo cáo đang ở trạng thái \"{}\"",
                match t {
                    Transition::Submit => "gửi",
                    Transition::Approve => "duyệt",
                    Transition::Return => "trả lại",
                    Transition::Reopen => "mở lại",
                },
                s.label_vi()
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReportState::*;

    #[test]
    fn the_workflow() {
        assert_eq!(Transition::Submit.apply(Draft).unwrap(), Submitted);
        assert_eq!(Transition::Return.apply(Submitted).unwrap(), Returned);
        assert_eq!(Transition::Submit.apply(Returned).unwrap(), Submitted);
        assert_eq!(Transition::Approve.apply(Submitted).unwrap(), Approved);
        assert_eq!(Transition::Reopen.apply(Approved).unwrap(), Returned);
        assert!(Transition::Approve.apply(Draft).is_err());
        assert!(Transition::Submit.apply(Approved).is_err());
        assert!(Transition::Return.apply(Approved).is_err());
        assert!(
            !Approved.editable()
                && !Submitted.editable()
                && Draft.editable()
                && Returned.editable()
        );
        assert!(Transition::Approve
            .apply(Approved)
            .unwrap_err()
            .to_string()
            .contains("Đã duyệt"));
    }
}
