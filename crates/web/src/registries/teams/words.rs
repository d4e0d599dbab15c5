//! The words of the teams pages, Vietnamese first (keys `tea.*`).

pub static WORDS: &[(&str, &str, &str)] = &[];
