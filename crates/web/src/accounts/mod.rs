//! Accounts: login and logout, the session API, and the user's own API
//! tokens.

pub mod api;
pub mod login;
pub mod pages;
pub mod service;
