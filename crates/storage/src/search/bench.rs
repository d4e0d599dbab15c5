//! The search benchmark (`antq bench search`, and `cargo run --release -p
//! antq-storage --example bench_search`): generated Vietnamese documents and
//! articles indexed on disk in a temporary directory, then the benchmark's
//! queries timed (p50, p99) with their snippets. See BENCHMARKS.md.

use std::path::Path;
use std::time::Instant;

use super::{generate, Search, SearchQuery};
use crate::error::StorageResult;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Index `items` generated items on disk, then time the benchmark's queries.
pub fn run(items: usize, rounds: usize) -> StorageResult<()> {
    let dir = std::env::temp_dir().join(format!(
        "antq-bench-search-{}",
        &antq_core::auth::random_secret()[..12]
    ));
    let result = bench_in(&dir, items, rounds);
    std::fs::remove_dir_all(&dir).ok();
    result
}

fn bench_in(dir: &Path, items: usize, rounds: usize) -> StorageResult<()> {
    let fmt = |x: f64| antq_core::text::format_decimal(x, 2);
    let start = Instant::now();
    let generated = generate::bench_items(items, 2026);
    let gen_s = start.elapsed().as_secs_f64();
    let bytes: usize = generated
        .iter()
        .map(|i| i.title.len() + i.lead.len() + i.body.len())
        .sum();
    println!(
        "Sinh {} mục ({} MB chữ) trong {} giây.",
        antq_core::text::format_int(items as i64),
        fmt(bytes as f64 / 1e6),
        fmt(gen_s)
    );
    let search = Search::open(dir)?;
    let start = Instant::now();
    for chunk in generated.chunks(1_000) {
        search.add(chunk)?;
    }
    search.apply(&[], &[], 0)?;
    let index_s = start.elapsed().as_secs_f64();
    println!(
        "Lập chỉ mục: {} mục trong {} giây = {} mục/giây (ghi đĩa, một luồng ghi).",
        antq_core::text::format_int(items as i64),
        fmt(index_s),
        antq_core::text::format_int((items as f64 / index_s) as i64)
    );
    // A reference that exists, asked whole as readers type it from a letter.
    let reference = generated
        .iter()
        .find_map(|i| i.references.first().cloned())
        .unwrap_or_default();
    drop(generated);
    let mut queries: Vec<String> = generate::BENCH_QUERIES
        .iter()
        .map(|q| q.to_string())
        .collect();
    if !reference.is_empty() {
        queries.push(reference);
    }
    // Warm up: one round unmeasured (it also tells each query's pages).
    let mut pages = Vec::with_capacity(queries.len());
    for q in &queries {
        let r = search.search(SearchQuery {
            q: q.clone(),
            ..SearchQuery::default()
        })?;
        pages.push(r.pages.max(1));
    }
    let mut times = Vec::new();
    let mut totals = Vec::new();
    let mut per_query: Vec<Vec<f64>> = vec![Vec::new(); queries.len()];
    for round in 0..rounds {
        for (i, q) in queries.iter().enumerate() {
            let page = (1 + (round % 3)).min(pages[i]);
            let t = Instant::now();
            let r = search.search(SearchQuery {
                q: q.clone(),
                page,
                ..SearchQuery::default()
            })?;
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            times.push(ms);
            per_query[i].push(ms);
            if round == 0 {
                totals.push((i, r.total));
            }
        }
    }
    times.sort_by(f64::total_cmp);
    let mut suggest = Vec::new();
    for _ in 0..rounds {
        for q in ["an ninh to", "phong trào t", "123/20", "dien b"] {
            let t = Instant::now();
            search.suggest(q)?;
            suggest.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    suggest.sort_by(f64::total_cmp);
    for (i, total) in totals {
        per_query[i].sort_by(f64::total_cmp);
        println!(
            "  {:<40} {:>9} kết quả, p50 {} ms, lâu nhất {} ms",
            queries[i],
            antq_core::text::format_int(total as i64),
            fmt(percentile(&per_query[i], 0.5)),
            fmt(*per_query[i].last().unwrap_or(&0.0))
        );
    }
    println!(
        "Tìm kiếm ({} lần, kèm đoạn trích): p50 {} ms, p99 {} ms, lâu nhất {} ms.",
        antq_core::text::format_int(times.len() as i64),
        fmt(percentile(&times, 0.5)),
        fmt(percentile(&times, 0.99)),
        fmt(*times.last().unwrap_or(&0.0))
    );
    println!(
        "Gợi ý khi gõ ({} lần): p50 {} ms, p99 {} ms.",
        antq_core::text::format_int(suggest.len() as i64),
        fmt(percentile(&suggest, 0.5)),
        fmt(percentile(&suggest, 0.99))
    );
    Ok(())
}
