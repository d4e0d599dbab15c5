//! The conferences and events, press drafts (/hoi-nghi; /api/v1/conferences): the operations behind the pages, the API and the CLI, each
//! checking access through the one policy. (Owned by the conferences work of issue 12.)

pub mod api;
pub mod pages;
