//! The public portal (issue 16): news articles and their editorial
//! workflow, the editors' inbox ("Gửi ban biên tập"), the public side of the
//! document library and the movement's figures as open data. What the
//! search index holds changes only through `changes::record`, in the same
//! transaction as the change itself.

pub mod articles;
pub mod changes;
pub mod demo;
pub mod images;
pub mod messages;
pub mod open_data;
pub mod public;
pub mod synthetic;
pub mod workflow;
