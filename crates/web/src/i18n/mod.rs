//! The UI's two languages: Vietnamese first, English by a switch (the `lang`
//! cookie). Every key carries both texts, so no translation can be missing;
//! a test checks that every key the templates use is here.

mod general;
mod programmes;
mod reporting;

pub use general::{LAYOUT, TABLE};
pub use programmes::{AWARDS, CONFERENCES, DOCUMENTS, FIGURES};
pub use reporting::{ENTRY, MACHINE, PICKER, WORK};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    pub fn from_cookie(v: Option<&str>) -> Lang {
        match v {
            Some("en") => Lang::En,
            _ => Lang::Vi,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

/// Look a key up; an unknown key shows itself (and fails the template test).
pub fn t(lang: Lang, key: &str) -> &'static str {
    match entries().find(|(k, _, _)| *k == key) {
        Some((_, vi, en)) => match lang {
            Lang::Vi => vi,
            Lang::En => en,
        },
        None => {
            tracing::warn!(key, "missing translation key");
            "⟨?⟩"
        }
    }
}

pub fn has_key(key: &str) -> bool {
    entries().any(|(k, _, _)| *k == key)
}

/// Every key with its Vietnamese and English text.
pub fn entries() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    [
        TABLE,
        ENTRY,
        WORK,
        PICKER,
        MACHINE,
        LAYOUT,
        DOCUMENTS,
        CONFERENCES,
        AWARDS,
        FIGURES,
    ]
    .into_iter()
    .chain(crate::registries::WORDS)
    .chain([crate::reviews::words::WORDS])
    .chain([crate::portal::search::WORDS])
    .flat_map(|t| t.iter())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_both_texts_present() {
        let mut keys: Vec<&str> = entries().map(|(k, _, _)| *k).collect();
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n, "duplicate keys");
        for (k, vi, en) in entries() {
            assert!(!vi.is_empty() && !en.is_empty(), "{k}");
        }
    }

    /// Every `c.t("...")` in the templates names a key of the table.
    #[test]
    fn templates_use_only_known_keys() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut stack = vec![dir];
        let mut checked = 0;
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let p = entry.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let text = std::fs::read_to_string(&p).unwrap();
                for part in text.split("t(\"").skip(1) {
                    let key = part.split('"').next().unwrap();
                    assert!(has_key(key), "{}: unknown key {key}", p.display());
                    checked += 1;
                }
            }
        }
        assert!(checked > 50, "found only {checked} keys in templates");
    }
}
