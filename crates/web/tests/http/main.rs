//! HTTP tests: the real app on 127.0.0.1:0 over a fresh database (SQLite,
//! or PostgreSQL when ANTQ_TEST_DATABASE_URL is set).

mod helpers;

mod access;
mod api_units;
mod auth;
mod awards;
mod classifications;
mod conferences;
mod data;
mod decisions;
mod documents;
mod entry_page;
mod errors;
mod figures;
mod files;
mod limits;
mod machine;
mod models;
mod operations;
mod pages;
mod picker;
mod portal_inbox;
mod portal_news;
mod portal_open_data;
mod recognitions;
mod registries;
mod review_document;
mod review_titles;
mod reviews;
mod search;
mod teams;
mod text_limits;
mod tip_categories;
mod tip_cluster_export;
mod tips;
mod worklist;
