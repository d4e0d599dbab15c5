//! The figures the registries give: award indicators by issuer, event
//! counts per year, where each figure came from (form, register or both),
//! reconciliation, and the programme that covers a review's stage.
//! (Owned by the figures work of issue 12.)
