//! The open-data pages' figures, kept. They come from the rollups, which
//! for the nation's stocks take seconds; they change only when something is
//! approved, returned, imported, registered or chosen as public — every one
//! of them audited — so a page's figures are kept under the last audited
//! change that may move a figure (`open_data::changes_since`: logins,
//! articles, tips… do not count) and the day (for "this year"), computed
//! again when either moves, one computation at a time. The nation's page is
//! kept warm in the background, so readers do not wait for it after a change.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use antq_core::units::UnitCode;
use antq_storage::portal::open_data::{self, OpenFigures};
use antq_storage::units::{self, Unit};
use antq_storage::{Db, StorageResult};

use crate::state::AppState;

/// Pages kept at most (the nation and 34 provinces, a few years each).
const MAX_ENTRIES: usize = 400;

type Key = (String, Option<i32>);

#[derive(Default)]
pub struct OpenDataCache {
    entries: Mutex<HashMap<Key, (String, Arc<OpenFigures>)>>,
    computing: tokio::sync::Mutex<()>,
    /// (the audit log's last entry read, the last one that may move a figure).
    seen: Mutex<Option<(i64, i64)>>,
}

impl OpenDataCache {
    /// The figures' version: the last audited change that may move them
    /// (only the audit entries since the last look are read), and the day.
    async fn version(&self, db: &Db) -> StorageResult<String> {
        let before = *self.seen.lock().unwrap_or_else(|p| p.into_inner());
        let relevant = match before {
            // First look: whatever was there may have moved a figure.
            None => {
                let (last, _) = open_data::changes_since(db, i64::MAX).await?;
                *self.seen.lock().unwrap_or_else(|p| p.into_inner()) = Some((last, last));
                last
            }
            Some((read, relevant)) => {
                let (last, moved) = open_data::changes_since(db, read).await?;
                let relevant = moved.unwrap_or(relevant).max(relevant);
                let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
                let kept = seen.unwrap_or((0, 0));
                *seen = Some((last.max(kept.0), relevant.max(kept.1)));
                relevant.max(kept.1)
            }
        };
        Ok(format!(
            "{relevant}/{}",
            antq_core::dates::iso(antq_core::dates::today())
        ))
    }

    fn fresh(&self, key: &Key, version: &str) -> Option<Arc<OpenFigures>> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|(v, _)| v == version)
            .map(|(_, f)| f.clone())
    }

    /// The figures of the nation or a province (`year`: the breakdown's),
    /// as `open_data::figures` computes them, kept until the data move.
    pub async fn figures(
        &self,
        db: &Db,
        unit: &Unit,
        year: Option<i32>,
    ) -> StorageResult<Arc<OpenFigures>> {
        let version = self.version(db).await?;
        let key = (unit.code.clone(), year);
        if let Some(f) = self.fresh(&key, &version) {
            return Ok(f);
        }
        let _one = self.computing.lock().await;
        if let Some(f) = self.fresh(&key, &version) {
            return Ok(f);
        }
        let f = Arc::new(open_data::figures(db, unit, year).await?);
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key, (version, f.clone()));
        Ok(f)
    }
}

/// Keep the nation's page current: look every `every` whether the data
/// moved, and compute it again if so (a failure is logged and retried).
pub async fn keep_warm(state: AppState, every: Duration) {
    let Ok(nation) = UnitCode::parse("VN") else {
        return;
    };
    loop {
        let today = antq_core::dates::today();
        match units::find_at(&state.db, &nation, today).await {
            Ok(Some(vn)) => {
                if let Err(e) = state.open_data.figures(&state.reader, &vn, None).await {
                    tracing::warn!(error = %e, "the nation's open data could not be computed");
                }
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "the nation's unit could not be read"),
        }
        tokio::time::sleep(every).await;
    }
}
