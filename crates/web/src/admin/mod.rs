//! Administration: users and their grants, lineage links, the audit log.

pub mod api;
pub mod pages;
pub mod service;
