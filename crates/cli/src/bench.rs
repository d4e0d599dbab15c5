//! `antq bench`: synthetic national data and the timings of the queries the
//! statistics must answer fast, against a plain GROUP BY over the raw values
//! in the same database. Results are printed as Markdown for BENCHMARKS.md.

use std::time::{Duration, Instant};

use antq_core::dates;
use antq_core::indicators::Qualifier;
use antq_core::periods::YearRange;
use antq_core::units::UnitCode;
use antq_storage::audit::Who;
use antq_storage::statistics::analytics::{self, By, MapMode};
use antq_storage::statistics::reports::ValueInput;
use antq_storage::{demo::synthetic, statistics::catalogue, statistics::reports, units, Db};
use anyhow::Context;

fn stats(mut xs: Vec<Duration>) -> (f64, f64) {
    xs.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(xs[xs.len() / 2]);
    let p95 = ms(xs[(xs.len() * 95 / 100).min(xs.len() - 1)]);
    (median, p95)
}

pub(crate) async fn time<F, Fut, T>(n: usize, mut f: F) -> anyhow::Result<(f64, f64, T)>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<T>>,
{
    let mut out = None;
    let mut times = Vec::with_capacity(n);
    f().await?; // warm-up
    for _ in 0..n {
        let t = Instant::now();
        out = Some(f().await?);
        times.push(t.elapsed());
    }
    let (m, p) = stats(times);
    Ok((m, p, out.expect("at least one run")))
}

pub async fn generate(db: &Db, every: usize) -> anyhow::Result<()> {
    let bar = indicatif::ProgressBar::new_spinner();
    bar.enable_steady_tick(Duration::from_millis(200));
    let g = synthetic::generate(db, every, |n| {
        bar.set_message(format!("{n} giá trị đã ghi"))
    })
    .await?;
    bar.finish_and_clear();
    println!(
        "| generate | {} reports, {} values | insert {:.1} s ({:.0} values/s) | rollups rebuilt in {:.1} s |",
        g.reports,
        g.values,
        g.insert.as_secs_f64(),
        g.values as f64 / g.insert.as_secs_f64(),
        g.rollups.as_secs_f64()
    );
    Ok(())
}

/// Every value of the benchmark's file was new to the database.
fn all_new(
    summary: &antq_storage::statistics::import::ImportSummary,
    values: usize,
) -> anyhow::Result<()> {
    anyhow::ensure!(
        summary.changes.values_new == values,
        "{} values imported, {values} expected: use a database without the benchmark's data",
        summary.changes.values_new
    );
    Ok(())
}

/// Today's units named in `--units`.
async fn unit_ids(db: &Db, units_arg: &str) -> anyhow::Result<Vec<i64>> {
    let today = dates::today();
    let mut ids = Vec::new();
    for code in units_arg
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        ids.push(units::get_at(db, &UnitCode::parse(code)?, today).await?.id);
    }
    Ok(ids)
}

/// Peak resident memory of this process since the last reset, in MB.
fn peak_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0)
        / 1024
}

/// The import of a file as `antq import` runs it: the CSV written to
/// `path`, then streamed from it; time and peak memory of the import alone.
pub async fn import_file(db: &Db, units_arg: &str, path: &std::path::Path) -> anyhow::Result<()> {
    let ids = unit_ids(db, units_arg).await?;
    let mut out = std::io::BufWriter::new(
        std::fs::File::create(path).with_context(|| format!("{}", path.display()))?,
    );
    let values = synthetic::write_csv(db, &ids, &mut out).await?;
    std::io::Write::flush(&mut out)?;
    drop(out);
    let bytes = std::fs::metadata(path)?.len();
    // The peak from here on (Linux `clear_refs` 5).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let started = Instant::now();
    let summary = crate::import_file::import_csv(db, path, false).await?;
    let total = started.elapsed();
    all_new(&summary, values)?;
    println!(
        "| import {units_arg} from a file ({} MB CSV, streamed) | {values} values, {} reports | {:.1} s | {:.0} values/s | peak RSS {} MB |",
        bytes / 1_000_000,
        summary.reports,
        total.as_secs_f64(),
        values as f64 / total.as_secs_f64(),
        peak_mb()
    );
    Ok(())
}

pub async fn import(db: &Db, units_arg: &str) -> anyhow::Result<()> {
    let ids = unit_ids(db, units_arg).await?;
    let (csv, values) = synthetic::import_csv(db, &ids).await?;
    let started = Instant::now();
    let rows = antq_office::files::read(antq_office::files::Format::Csv, &csv)
        .map_err(|e| anyhow::anyhow!(e.join("\n")))?;
    let parsed = started.elapsed();
    let summary =
        antq_storage::statistics::import::run(db, None, &Who::system(), rows, false).await?;
    let total = started.elapsed();
    all_new(&summary, values)?;
    println!(
        "| import {units_arg} ({} MB CSV) | {values} values, {} reports | parse {:.2} s, check and write {:.2} s | {:.2} s | {:.0} values/s |",
        csv.len() / 1_000_000,
        summary.reports,
        parsed.as_secs_f64(),
        (total - parsed).as_secs_f64(),
        total.as_secs_f64(),
        values as f64 / total.as_secs_f64()
    );
    Ok(())
}

pub async fn run(db: &Db, iterations: usize) -> anyhow::Result<()> {
    let form = catalogue::form(db, synthetic::FORM)
        .await
        .context("run `antq bench generate` first")?;
    let catalogue = catalogue::indicators(db).await?;
    let twenty: Vec<_> = form.indicators.iter().take(20).cloned().collect();
    let ids: Vec<i64> = twenty.iter().map(|i| i.id).collect();
    let today = dates::today();
    let province = units::get_at(db, &UnitCode::parse("01")?, today).await?;
    let nation = units::get_at(db, &UnitCode::parse("VN")?, today).await?;
    let values = synthetic::count_values(db).await?;
    println!(
        "Database: {}, {} values in all.\n",
        db.backend().name(),
        values
    );
    println!(
        "| query | antq median | antq p95 | plain GROUP BY median | plain GROUP BY p95 | rows |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");

    let range = YearRange {
        from: 2016,
        to: 2025,
    };
    let query = |unit: units::Unit, by: By| {
        let (twenty, catalogue) = (&twenty, &catalogue);
        async move {
            let q = analytics::Query {
                indicators: twenty,
                catalogue,
                unit: &unit,
                range,
                by: Some(by),
                map: MapMode::Current,
                approved_only: true,
            };
            Ok::<_, anyhow::Error>(analytics::run(db, &q).await?)
        }
    };
    let (m, p, rows) = time(iterations, || query(province.clone(), By::Year)).await?;
    let (bm, bp, base_rows) = time(iterations.min(20), || async {
        Ok(synthetic::baseline_by_year(db, province.id, &ids, 2016, 2025).await?)
    })
    .await?;
    check_equal(&rows, &base_rows, &twenty)?;
    println!(
        "| province {} 2016–2025, 20 indicators by year | {m:.2} ms | {p:.2} ms | {bm:.1} ms | {bp:.1} ms | {} |",
        province.code,
        rows.len()
    );

    let (m, p, rows_nation) = time(iterations, || query(nation.clone(), By::ChildYear)).await?;
    // The plain GROUP BY can take minutes on SQLite; time one run, with a limit.
    let t = Instant::now();
    let limit = Duration::from_secs(120);
    let base = tokio::time::timeout(
        limit,
        synthetic::baseline_by_child_year(db, nation.id, &ids, 2016, 2025),
    )
    .await;
    let (bm, bp) = match base {
        Ok(rows) => {
            let measured = t.elapsed().as_secs_f64() * 1000.0;
            let total: i64 = rows?.iter().map(|r| r.3).sum();
            let ours: f64 = rows_nation.iter().filter_map(|r| r.value).sum();
            anyhow::ensure!(
                (ours * 1000.0).round() as i64 == total,
                "national totals differ: {ours} vs {total}"
            );
            (format!("{measured:.0} ms"), "(one run)".to_string())
        }
        Err(_) => (format!("> {} s", limit.as_secs()), "(stopped)".to_string()),
    };
    println!(
        "| nation by province × year 2016–2025, 20 indicators | {m:.2} ms | {p:.2} ms | {bm} | {bp} | {} |",
        rows_nation.len()
    );

    // The nation by quarter and by month: every figure adds up to the
    // same total as by province × year.
    let national: f64 = rows_nation.iter().filter_map(|r| r.value).sum();
    for (by, words) in [(By::Quarter, "quarter"), (By::Month, "month")] {
        let (m, p, rows) = time(iterations, || query(nation.clone(), by)).await?;
        let total: f64 = rows.iter().filter_map(|r| r.value).sum();
        anyhow::ensure!(
            (total - national).abs() < 0.5,
            "nation by {words}: {total} vs {national} by province × year"
        );
        println!(
            "| nation 2016–2025, 20 indicators by {words} | {m:.2} ms | {p:.2} ms | – | – | {} |",
            rows.len()
        );
    }

    crate::bench_options::options(db, iterations, &nation).await?;

    // Saving one form of 40 values, with the rollups current right after.
    let commune = units::list(
        db,
        &units::UnitQuery {
            at: today,
            level: Some(antq_core::units::Level::Commune),
            parent_id: Some(province.id),
            q: None,
            limit: Some(1),
        },
    )
    .await?
    .remove(0);
    let mut round = 0i64;
    let who = Who::system();
    let (m, p, _) = time(iterations, || {
        round += 1;
        let inputs: Vec<ValueInput> = form
            .indicators
            .iter()
            .map(|i| ValueInput {
                indicator: i.code.clone(),
                option: String::new(),
                value: Some(((round % 97) * 1000 + 1000, Qualifier::Exact, None)),
            })
            .collect();
        let (form, commune, who) = (&form, &commune, &who);
        async move {
            reports::put_values(db, who, form, commune, "2027Q1", inputs).await?;
            Ok(())
        }
    })
    .await?;
    // The figure for 2027 (no other data that year) must be the last save:
    // the commune's read from its reports, the province's from its rollup node.
    let expected = ((round % 97) + 1) as f64;
    let mut rows = 0;
    for unit in [&commune, &province] {
        let check = analytics::run(
            db,
            &analytics::Query {
                indicators: &form.indicators[..1],
                catalogue: &catalogue,
                unit,
                range: YearRange {
                    from: 2027,
                    to: 2027,
                },
                by: None,
                map: MapMode::Current,
                approved_only: false,
            },
        )
        .await?;
        anyhow::ensure!(
            check.first().and_then(|r| r.value) == Some(expected),
            "{}: the figure is not the last save: {check:?}",
            unit.name
        );
        rows = check.len();
    }
    println!("| save one form of 40 values; the rollups show it at once | {m:.2} ms | {p:.2} ms | – | – | {rows} |");
    Ok(())
}

fn check_equal(
    rows: &[analytics::Row],
    base: &[(i64, i64, i64)],
    inds: &[catalogue::Indicator],
) -> anyhow::Result<()> {
    for (ind, year, milli) in base {
        let code = &inds
            .iter()
            .find(|i| i.id == *ind)
            .context("indicator")?
            .code;
        let ours = rows
            .iter()
            .find(|r| &r.indicator == code && r.period == year.to_string())
            .and_then(|r| r.value)
            .unwrap_or(0.0);
        anyhow::ensure!(
            (ours * 1000.0).round() as i64 == *milli,
            "{code} {year}: {ours} vs {milli}"
        );
    }
    Ok(())
}

/// Time a review from the data to the .docx bytes: read the figures, store
/// the review, write the narrative, tables and charts (PNG) into Word.
pub async fn review(
    db: &Db,
    unit: &str,
    from: &str,
    to: &str,
    iterations: usize,
) -> anyhow::Result<()> {
    let (m, p, (bytes, charts)) = time(iterations, || async {
        let (r, d) = antq_web::reviews::create_file(
            db,
            antq_web::reviews::ReviewParams {
                unit,
                at: None,
                from,
                to: Some(to),
                owner: "joint",
                issue_date: None,
            },
            "docx",
        )
        .await
        .map_err(|f| anyhow::anyhow!(f.message))?;
        let charts = antq_office::review::parts(&r.snapshot, &r.narrative)
            .iter()
            .map(|p| p.charts.len())
            .sum::<usize>();
        Ok((d.bytes.len(), charts))
    })
    .await?;
    println!(
        "| review of {unit} {from}–{to} as .docx ({charts} charts, {} KB) | {m:.1} ms | {p:.1} ms |",
        bytes / 1024
    );
    Ok(())
}
