//! The words of the classifications pages, Vietnamese first (keys `cla.*`).

pub static WORDS: &[(&str, &str, &str)] = &[];
