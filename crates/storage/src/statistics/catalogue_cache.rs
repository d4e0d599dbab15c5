//! The catalogue (indicators with their options, forms with their rules) as
//! this process last read it, kept with the catalogue's version number at
//! that moment. Every change to the catalogue's tables moves the number
//! (triggers of migration 19, whoever writes: this node, another node on the
//! same database, the command line, a migration), so a request reads one
//! small row instead of the whole catalogue, and works from the catalogue as
//! it was when the request read it (as when it read the whole catalogue).
//! What is kept was read between two readings of the same number, so it is
//! that version whole.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::catalogue::{Form, Indicator};
use crate::db::Db;

/// What was read, at which version. Bounded by the catalogue's own size: only
/// forms that exist are kept.
#[derive(Default)]
pub struct CatalogueCache {
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    version: i64,
    indicators: Option<Arc<Vec<Indicator>>>,
    forms: HashMap<String, Arc<Form>>,
}

impl Kept {
    /// Make room for what was read at `version`: what was kept at another
    /// number is dropped (a number that went down too: a database restored
    /// under a running node).
    fn at(&mut self, version: i64) {
        if version != self.version {
            *self = Kept {
                version,
                ..Kept::default()
            };
        }
    }
}

impl CatalogueCache {
    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        // A panic while holding the lock leaves nothing half-changed here
        // (each change is one assignment): what is kept stays usable.
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn indicators(&self, version: i64) -> Option<Arc<Vec<Indicator>>> {
        let kept = self.kept();
        (kept.version == version)
            .then(|| kept.indicators.clone())
            .flatten()
    }

    pub(crate) fn form(&self, version: i64, code: &str) -> Option<Arc<Form>> {
        let kept = self.kept();
        (kept.version == version)
            .then(|| kept.forms.get(code).cloned())
            .flatten()
    }

    pub(crate) fn keep_indicators(&self, version: i64, all: Arc<Vec<Indicator>>) {
        let mut kept = self.kept();
        kept.at(version);
        kept.indicators = Some(all);
    }

    pub(crate) fn keep_form(&self, version: i64, form: Arc<Form>) {
        let mut kept = self.kept();
        kept.at(version);
        kept.forms.insert(form.code.clone(), form);
    }
}

/// The catalogue's version now, or `None` on a database older than
/// migration 19 (the migration tests stop at earlier versions): then
/// nothing is kept and the catalogue is read every time.
pub(crate) async fn version(db: &Db) -> Option<i64> {
    sqlx::query_scalar("SELECT n FROM catalogue_version WHERE id = 1")
        .fetch_one(db.pool())
        .await
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(code: &str) -> Arc<Form> {
        Arc::new(Form {
            id: 1,
            code: code.to_string(),
            name_vi: String::new(),
            name_en: String::new(),
            period_type: antq_core::periods::PeriodType::Year,
            calendar: antq_core::periods::Calendar::Reporting,
            owner_role: antq_core::auth::Role::Police,
            levels: Vec::new(),
            deadline_days: 0,
            indicators: Vec::new(),
            rules: Vec::new(),
        })
    }

    #[test]
    fn what_was_read_serves_only_its_own_version() {
        let cache = CatalogueCache::default();
        cache.keep_form(3, form("a"));
        assert!(cache.form(3, "a").is_some());
        assert!(cache.form(3, "b").is_none());
        assert!(cache.form(4, "a").is_none(), "the catalogue changed since");
        // Something read at version 4 drops what was read at 3.
        cache.keep_form(4, form("b"));
        assert!(cache.form(4, "a").is_none());
        assert!(cache.form(4, "b").is_some());
        // A number that went down (a database restored) starts over too.
        cache.keep_form(3, form("a"));
        assert!(cache.form(4, "b").is_none());
        assert!(cache.form(3, "a").is_some());
        assert!(cache.indicators(3).is_none());
        cache.keep_indicators(3, Arc::new(Vec::new()));
        assert!(cache.indicators(3).is_some());
    }
}
