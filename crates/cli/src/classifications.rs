//! `antq classifications`: the band list out to Excel, self-scores in from
//! Excel (all or nothing, every bad cell listed).
//! (Owned by the classifications work of issue 13.)

use std::path::PathBuf;
use std::process::ExitCode;

use antq_storage::Db;
use clap::Subcommand;

/// Largest file read (the same order as an upload).
const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

#[derive(Subcommand)]
pub enum Command {
    /// Import self-scores (one row per sheet × item) from an Excel file, all or nothing.
    Import {
        file: PathBuf,
        /// Check and report what would change, write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Export the band list of a unit (with the units under it) for a year to Excel.
    Export {
        /// The unit's code (today's unit, or the unit of that year if it is gone).
        #[arg(long)]
        unit: String,
        #[arg(long)]
        year: String,
        /// The file to write (.xlsx).
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

pub async fn run(db: &Db, command: Command) -> anyhow::Result<ExitCode> {
    use antq_web::registries::classifications::excel;
    match command {
        Command::Import { file, dry_run } => {
            let size = std::fs::metadata(&file)?.len();
            if size > MAX_FILE_BYTES {
                anyhow::bail!("Tệp lớn hơn giới hạn {} MB", MAX_FILE_BYTES / (1024 * 1024));
            }
            let bytes = std::fs::read(&file)?;
            match excel::import(db, None, &bytes, dry_run).await {
                Ok(n) => {
                    let verb = if dry_run {
                        "Tệp hợp lệ: sẽ ghi"
                    } else {
                        "Đã ghi"
                    };
                    println!("{verb} điểm tự chấm của {n} phiếu");
                    Ok(ExitCode::SUCCESS)
                }
                Err(f) => Ok(report(&f)),
            }
        }
        Command::Export { unit, year, output } => match excel::export(db, None, &unit, &year).await
        {
            Ok(bytes) => {
                std::fs::write(&output, bytes)?;
                println!("Đã ghi {}", output.display());
                Ok(ExitCode::SUCCESS)
            }
            Err(f) => Ok(report(&f)),
        },
    }
}
