use std::sync::Arc;

use antq_storage::Db;

use crate::config::WebConfig;
use crate::throttle::Throttle;

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Where read-only analytics and public pages read: a streaming
    /// replica when `read_database_url` is set, else `db` itself. Never
    /// for a read that a write depends on.
    pub reader: Db,
    pub config: Arc<WebConfig>,
    pub throttle: Arc<Throttle>,
    /// Permits for imports running at once (`WebConfig::import_concurrency`).
    pub imports: Arc<tokio::sync::Semaphore>,
    /// Citizen information: challenges, limits, keys held in memory.
    pub tips: Arc<crate::tips::Desk>,
    /// The public search's index (kept current by `search::indexer::follow`).
    pub search: antq_storage::search::Search,
    /// The open-data pages' figures, kept until the data move.
    pub open_data: Arc<crate::portal::open_data_cache::OpenDataCache>,
    /// Counters for `/metrics`.
    pub metrics: Arc<crate::ops::metrics::Metrics>,
}
