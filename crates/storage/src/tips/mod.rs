//! Citizen information ("tin báo"): tips sent without an account, kept
//! sealed, read only by the police officers of the unit that handles them
//! (never by the unit a tip implicates), every opening audited.
//!
//! - [`receive`]: routing, sealing and the receipt.
//! - [`tipster`]: the tipster's side, with the receipt.
//! - [`keys`]: each officer's key pair, sealed by the password.
//! - [`inbox`] and [`handling`]: the officers' lists, reading and acts.
//! - [`clusters`]: scam identifiers seen together, [`cluster_export`]: one
//!   of them taken out (audited); [`figures`]: counts.
//! - [`retention`]: destruction after the retention period.
//! - [`categories`]: the questionnaires, data an administrator edits.
//! - [`escrow`]: the optional escrow key an administrator switches on.

pub mod attachments;
pub mod categories;
pub mod challenges;
pub mod cluster_export;
pub mod clusters;
pub mod escrow;
pub mod figures;
pub mod handling;
pub mod inbox;
pub mod keys;
pub mod rate;
pub mod receive;
pub mod retention;
pub mod tipster;
