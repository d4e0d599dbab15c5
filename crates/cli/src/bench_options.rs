//! `antq bench run`: breakdown options (the reviews' awards by recipient)
//! of the nation, read from `rollup_option` against the same totals summed
//! from every report of the range.

use antq_core::imports::{ImportRow, Place, RawValue};
use antq_core::periods::YearRange;
use antq_storage::audit::Who;
use antq_storage::statistics::analytics::{self, MapMode};
use antq_storage::statistics::{catalogue, import};
use antq_storage::{units, Db};

use super::bench::time;

/// Give every commune of 2024 awards by recipient in its yearly report
/// (an import into the benchmark's database, as drafts; again on a later
/// run, it changes nothing; refused if one of those reports was submitted
/// or approved since), then time the nation's options for 2016–2025 both
/// ways and check they agree. Prints one row of `bench run`'s table.
pub async fn options(db: &Db, iterations: usize, nation: &units::Unit) -> anyhow::Result<()> {
    let communes = units::list(
        db,
        &units::UnitQuery {
            at: antq_core::dates::parse_date("2024-06-01")?,
            level: Some(antq_core::units::Level::Commune),
            parent_id: None,
            q: None,
            limit: None,
        },
    )
    .await?;
    let mut rows = Vec::with_capacity(communes.len() * 2);
    for (n, c) in communes.iter().enumerate() {
        for (key, value) in [
            ("kt_bang_khen.tap_the", n % 3 + 1),
            ("kt_bang_khen.ca_nhan", n % 7),
        ] {
            rows.push(ImportRow {
                place: Place::Line(rows.len() + 2),
                form: Some("antq-nam".into()),
                unit: c.code.clone(),
                period: "2024".into(),
                key: key.into(),
                value: RawValue::Text(value.to_string()),
                qualifier: String::new(),
                comment: String::new(),
            });
        }
    }
    import::run(db, None, &Who::system(), rows, false).await?;

    let catalogue = catalogue::indicators(db).await?;
    let awards = catalogue::indicators_by_code(db, &["kt_bang_khen".to_string()]).await?;
    let q = analytics::Query {
        indicators: &awards,
        catalogue: &catalogue,
        unit: nation,
        range: YearRange {
            from: 2016,
            to: 2025,
        },
        by: None,
        map: MapMode::Current,
        approved_only: false,
    };
    let (m, p, fast) = time(iterations, || async {
        Ok(analytics::option_totals(db, &q, None).await?)
    })
    .await?;
    let (bm, bp, slow) = time(iterations.min(5), || async {
        Ok(analytics::option_totals_from_reports(db, &q, None).await?)
    })
    .await?;
    let sorted = |mut t: Vec<(String, String, i64, _)>| {
        t.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        t.into_iter()
            .map(|(i, o, m, _)| (i, o, m))
            .collect::<Vec<_>>()
    };
    let rows = fast.len();
    anyhow::ensure!(
        sorted(fast) == sorted(slow),
        "the nation's options differ between the rollups and the reports"
    );
    println!(
        "| nation 2016–2025, breakdown options (awards by recipient; right: summed from every report) | {m:.2} ms | {p:.2} ms | {bm:.1} ms | {bp:.1} ms | {rows} |"
    );
    Ok(())
}
