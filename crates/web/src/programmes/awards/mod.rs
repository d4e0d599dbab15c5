//! The the award register, proposals and decisions (/khen-thuong; /api/v1/awards): the operations behind the pages, the API and the CLI, each
//! checking access through the one policy. (Owned by the awards work of issue 12.)

pub mod api;
pub mod pages;
