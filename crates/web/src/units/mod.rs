//! Administrative units: the browser, search, unit pages, residential areas
//! and organisations.

pub mod api;
pub mod pages;
pub mod service;
