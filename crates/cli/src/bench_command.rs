//! `antq bench …`: the benchmarks' subcommands (BENCHMARKS.md) and where
//! each is run.

use std::process::ExitCode;

use clap::Subcommand;

use crate::config::Settings;
use crate::{bench, bench_load, bench_portal};

#[derive(Subcommand)]
pub enum Command {
    /// Time indexing and searching generated Vietnamese documents and
    /// articles (an index on disk in a temporary directory; no database).
    Search {
        #[arg(long, default_value_t = 100_000)]
        items: usize,
        /// Rounds of the benchmark's queries.
        #[arg(long, default_value_t = 30)]
        rounds: usize,
    },
    /// Load synthetic quarterly data for every commune, 2016–2026 (40 indicators).
    Generate {
        /// Take one commune in N (1 = all: about 15 million values).
        #[arg(long, default_value_t = 1)]
        every: usize,
    },
    /// Time importing the synthetic quarterly values of whole provinces
    /// (all their communes, legacy and current, 2016–2026) from a long CSV,
    /// through `antq import`'s code: parsing, checking, writing the values,
    /// rollups and audit rows. Use a database without the benchmark's data.
    Import {
        /// Today's provinces, comma-separated (VN: the whole country).
        #[arg(long, default_value = "01,79")]
        units: String,
        /// Write the CSV to this file, then import it from the file as
        /// `antq import` does (streamed), with the peak resident memory of
        /// the import (the national file is about 520 MB).
        #[arg(long)]
        file: Option<std::path::PathBuf>,
    },
    /// Time the public news pages over loopback: article pages one after
    /// another, then concurrent readers (makes synthetic articles first if
    /// the database has fewer than `--articles`).
    Portal {
        #[arg(long, default_value_t = 2_000)]
        articles: usize,
        #[arg(long, default_value_t = 2_000)]
        requests: usize,
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
    },
    /// The period-end rush over loopback: N commune officers log in, open
    /// their entry page, save again and again, submit; provinces approve.
    /// The server runs as its own process; its memory is sampled.
    Load {
        #[arg(long, default_value_t = 200)]
        officers: usize,
        /// Stop saving after this long.
        #[arg(long, default_value_t = 30)]
        seconds: u64,
        /// Saves per officer at most.
        #[arg(long, default_value_t = 50)]
        saves: usize,
    },
    /// Time the rollups against a plain GROUP BY in the same database.
    Run {
        #[arg(long, default_value_t = 50)]
        iterations: usize,
    },
    /// Time building a province's review (figures, narrative, charts) as .docx.
    Review {
        #[arg(long, default_value = "01")]
        unit: String,
        #[arg(long, default_value = "2016")]
        from: String,
        #[arg(long, default_value = "2025")]
        to: String,
        #[arg(long, default_value_t = 10)]
        iterations: usize,
    },
}

pub async fn run(settings: &Settings, command: Command) -> anyhow::Result<ExitCode> {
    if let Command::Search { items, rounds } = command {
        crate::search::bench(items.max(1), rounds.max(1))?;
        return Ok(ExitCode::SUCCESS);
    }
    let db = crate::open(settings).await?;
    match command {
        Command::Generate { every } => bench::generate(&db, every).await?,
        Command::Run { iterations } => bench::run(&db, iterations.max(1)).await?,
        Command::Load {
            officers,
            seconds,
            saves,
        } => {
            bench_load::load(
                &db,
                settings,
                officers.clamp(1, 3_321),
                seconds.clamp(1, 600),
                saves.clamp(1, 10_000),
            )
            .await?
        }
        Command::Import { units, file } => match file {
            Some(file) => bench::import_file(&db, &units, &file).await?,
            None => bench::import(&db, &units).await?,
        },
        Command::Portal {
            articles,
            requests,
            concurrency,
        } => {
            bench_portal::portal(
                &db,
                articles,
                requests.clamp(1, 100_000),
                concurrency.clamp(1, 64),
            )
            .await?
        }
        Command::Review {
            unit,
            from,
            to,
            iterations,
        } => bench::review(&db, &unit, &from, &to, iterations.max(1)).await?,
        Command::Search { .. } => unreachable!("handled above"),
    }
    Ok(ExitCode::SUCCESS)
}
