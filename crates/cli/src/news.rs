//! The portal's scheduled articles: published when their time comes.

use antq_storage::Db;

/// Publish the scheduled articles whose time has come, every minute.
pub async fn publish_due_every_minute(db: Db) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        every.tick().await;
        match antq_storage::portal::workflow::publish_due(&db).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(published = n, "scheduled articles published"),
            Err(e) => tracing::warn!(error = %e, "publishing scheduled articles failed"),
        }
    }
}
