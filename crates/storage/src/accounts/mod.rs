//! Accounts: users and their role grants, sessions and API tokens, and the
//! one access policy (who may do what on which units).

pub mod access;
pub mod login_failures;
pub mod sessions;
pub mod users;
