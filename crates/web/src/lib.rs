//! antq's web layer: server-rendered pages (askama, vendored htmx) and the
//! JSON API under `/api/v1`. Handlers are thin: they parse the request into
//! domain types, call one storage or domain function, and render.

pub mod accounts;
pub mod admin;
pub mod api;
pub mod app;
pub mod auth;
pub mod catalogue;
pub mod config;
pub mod csrf;
pub mod error;
pub mod extract;
pub mod home;
pub mod i18n;
pub mod ops;
pub mod pages;
pub mod portal;
pub mod programmes;
pub mod registries;
pub mod reviews;
pub mod state;
pub mod statistics;
pub mod throttle;
pub mod tips;
pub mod units;

pub use app::App;
pub use config::WebConfig;
