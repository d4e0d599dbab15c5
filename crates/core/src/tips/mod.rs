//! Citizen information ("tin báo", issue 15): the pure domain of the channel
//! through which citizens send tips without an account.
//!
//! - [`categories`]: the categories and their questionnaires (data an
//!   administrator edits) and the check of a tipster's answers;
//! - [`identifiers`]: the structured identifiers of the online-scam category
//!   (phones, bank accounts, web addresses, social accounts, e-wallets),
//!   normalised so that equal identifiers match, and masked for display;
//! - [`providers`]: the tables of banks, e-wallets and social networks;
//! - [`pow`]: the proof of work asked before a submission;
//! - [`receipt`]: the tipster's 16-digit receipt;
//! - [`states`]: the triage states of a tip and the retention date;
//! - [`submission`]: a citizen's tip as sent and as checked (the plaintext
//!   that is encrypted elsewhere).
//!
//! Nothing here does I/O. Nothing here logs: tip content and receipts must
//! never reach a log.

pub mod categories;
pub mod identifiers;
pub mod pow;
pub mod providers;
pub mod receipt;
pub mod states;
pub mod submission;
