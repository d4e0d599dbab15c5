//! `antq recognitions`: the safety-standard register in and out. Import is
//! all or nothing (every bad cell named, "Sổ An toàn về ANTT, ô C7: …");
//! export writes a unit's records of a year (with those of older units it
//! absorbed) to Excel, or to CSV when the file ends in `.csv`.
//! (Owned by the recognitions work of issue 13.)

use std::path::PathBuf;
use std::process::ExitCode;

use antq_storage::registries::recognitions as store;
use antq_storage::Db;
use antq_web::registries::recognitions::{self as web, ListQuery};
use clap::Subcommand;

/// Largest file read.
const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

#[derive(Subcommand)]
pub enum Command {
    /// Import the register from an Excel file (the template or an export) or a UTF-8 CSV with the same columns, all or nothing.
    Import {
        file: PathBuf,
        /// Check and report what would be written, write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Export a unit's records of a year (Excel, or CSV for a .csv file).
    Export {
        /// The unit's code (today's unit: older units it absorbed count in it).
        #[arg(long)]
        unit: String,
        #[arg(long)]
        year: String,
        /// The file to write (.xlsx or .csv).
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
}

fn report(f: &antq_web::error::Failure) -> ExitCode {
    eprintln!("Lỗi: {}", f.message);
    for e in &f.errors {
        eprintln!("  {e}");
    }
    ExitCode::from(1)
}

fn is_csv(p: &std::path::Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

pub async fn run(db: &Db, command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Import { file, dry_run } => {
            let size = std::fs::metadata(&file)?.len();
            if size > MAX_FILE_BYTES {
                anyhow::bail!("Tệp lớn hơn giới hạn {} MB", MAX_FILE_BYTES / (1024 * 1024));
            }
            let bytes = std::fs::read(&file)?;
            let outcome = async {
                let rows = web::excel_pages::read_upload(&bytes)
                    .map_err(antq_storage::StorageError::Rejected)?;
                store::import(db, None, &rows, dry_run).await
            }
            .await
            .map_err(antq_web::error::Failure::from);
            match outcome {
                Ok(n) => {
                    let verb = if dry_run {
                        "Tệp hợp lệ: sẽ ghi"
                    } else {
                        "Đã ghi"
                    };
                    println!("{verb} {n} hồ sơ An toàn về ANTT");
                    Ok(ExitCode::SUCCESS)
                }
                Err(f) => Ok(report(&f)),
            }
        }
        Command::Export { unit, year, output } => {
            let q = ListQuery {
                unit: Some(unit),
                year: Some(year),
                ..ListQuery::default()
            };
            let rows = async {
                let f = web::filter(db, None, &q).await?;
                Ok::<_, antq_web::error::Failure>(store::export_rows(db, None, &f).await?)
            }
            .await;
            let rows = match rows {
                Ok(r) => r,
                Err(f) => return Ok(report(&f)),
            };
            let n = rows.len();
            let bytes = if is_csv(&output) {
                store::write_csv(&rows)
            } else {
                match web::excel_pages::workbook(rows) {
                    Ok(b) => b,
                    Err(f) => return Ok(report(&f)),
                }
            };
            std::fs::write(&output, bytes)?;
            println!("Đã ghi {n} hồ sơ vào {}", output.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}
