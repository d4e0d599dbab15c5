//! The words of the models pages, Vietnamese first (keys `mod.*`).

pub static WORDS: &[(&str, &str, &str)] = &[];
