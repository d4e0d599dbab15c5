//! The documents, programmes and plans (/van-ban, /chuong-trinh; /api/v1/documents, /api/v1/programmes): the operations behind the pages, the API and the CLI, each
//! checking access through the one policy. (Owned by the documents work of issue 12.)

pub mod api;
pub mod pages;
