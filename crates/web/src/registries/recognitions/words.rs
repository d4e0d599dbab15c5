//! The words of the recognitions pages, Vietnamese first (keys `rec.*`).

pub static WORDS: &[(&str, &str, &str)] = &[];
