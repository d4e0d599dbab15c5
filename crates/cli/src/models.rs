//! `antq models`: the register in and out of Excel. Import is all or
//! nothing (every bad cell listed, as "Sổ mô hình, ô D7: …"); export writes the
//! models of a unit's subtree in the template's columns, so it reads back; the
//! empty template is written by `antq models template`.
//! (Owned by the models work of issue 13.)

use std::path::PathBuf;
use std::process::ExitCode;

use antq_storage::Db;
use clap::Subcommand;

/// Largest file read (the same order as an upload).
const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

#[derive(Subcommand)]
pub enum Command {
    /// Import the register from an Excel file (the template, one row per model), all or nothing.
    Import {
        file: PathBuf,
        /// Check and report what would be written, write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Export the models of a unit (its subtree, with the older units it absorbed) to Excel.
    Export {
        /// The unit's code (today's unit).
        #[arg(long)]
        unit: String,
        /// The file to write (.xlsx).
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Write the empty template to fill.
    Template {
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
    use antq_web::registries::models::excel;
    match command {
        Command::Import { file, dry_run } => {
            let size = std::fs::metadata(&file)?.len();
            if size > MAX_FILE_BYTES {
                anyhow::bail!("Tệp lớn hơn giới hạn {} MB", MAX_FILE_BYTES / (1024 * 1024));
            }
            let bytes = std::fs::read(&file)?;
            let started = std::time::Instant::now();
            match excel::import(db, None, &bytes, dry_run).await {
                Ok(n) => {
                    let verb = if dry_run {
                        "Tệp hợp lệ: sẽ ghi"
                    } else {
                        "Đã ghi"
                    };
                    println!(
                        "{verb} {} mô hình ({:.1} giây)",
                        antq_core::text::format_int(n as i64),
                        started.elapsed().as_secs_f64()
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(f) => Ok(report(&f)),
            }
        }
        Command::Export { unit, output } => match excel::export(db, None, &unit).await {
            Ok(bytes) => {
                std::fs::write(&output, bytes)?;
                println!("Đã ghi {}", output.display());
                Ok(ExitCode::SUCCESS)
            }
            Err(f) => Ok(report(&f)),
        },
        Command::Template { output } => match excel::template() {
            Ok(bytes) => {
                std::fs::write(&output, bytes)?;
                println!("Đã ghi {}", output.display());
                Ok(ExitCode::SUCCESS)
            }
            Err(f) => Ok(report(&f)),
        },
    }
}
