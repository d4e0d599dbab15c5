//! `antq search reindex` (the index rebuilt from the database) and
//! `antq bench search` (indexing rate and search latencies over generated
//! Vietnamese documents and articles; see BENCHMARKS.md).

use std::path::Path;
use std::time::Instant;

use antq_storage::search::{indexer, Search};
use antq_storage::Db;
use anyhow::Context;

/// Rebuild the index in `dir` from the database.
pub async fn reindex(db: &Db, dir: &Path) -> anyhow::Result<()> {
    let search = Search::open(dir).with_context(|| {
        format!(
            "không mở được chỉ mục tìm kiếm {} (máy chủ đang chạy giữ chỉ mục? dừng máy chủ rồi chạy lại)",
            dir.display()
        )
    })?;
    let start = Instant::now();
    let n = indexer::rebuild(db, &search).await?;
    println!(
        "Đã lập lại chỉ mục tìm kiếm: {} mục trong {} giây ({}).",
        antq_core::text::format_int(n as i64),
        antq_core::text::format_decimal(start.elapsed().as_secs_f64(), 1),
        dir.display()
    );
    Ok(())
}

/// Index `items` generated items on disk, then time the benchmark's queries.
pub fn bench(items: usize, rounds: usize) -> anyhow::Result<()> {
    antq_storage::search::bench::run(items, rounds)?;
    Ok(())
}
