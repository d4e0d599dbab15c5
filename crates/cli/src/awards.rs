//! `antq awards`: the award register in and out of Excel. Import is all or
//! nothing (every bad cell listed); export writes a unit's decided awards,
//! with those of older units it absorbed, over years.
//! (Owned by the awards work of issue 12.)

use std::path::PathBuf;
use std::process::ExitCode;

use antq_storage::Db;
use clap::Subcommand;

/// Largest file read (the same order as an upload).
const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

#[derive(Subcommand)]
pub enum Command {
    /// Import a register from an Excel file, all or nothing.
    Import {
        file: PathBuf,
        /// Check and report what would change, write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Export the decided awards of a unit (with lineage) over years to Excel.
    Export {
        /// The unit's code (today's unit: older units it absorbed count in it).
        #[arg(long)]
        unit: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: Option<String>,
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
    use antq_web::programmes::awards::register;
    match command {
        Command::Import { file, dry_run } => {
            let size = std::fs::metadata(&file)?.len();
            if size > MAX_FILE_BYTES {
                anyhow::bail!("Tệp lớn hơn giới hạn {} MB", MAX_FILE_BYTES / (1024 * 1024));
            }
            let bytes = std::fs::read(&file)?;
            match register::import(db, None, &bytes, dry_run).await {
                Ok(n) => {
                    let verb = if dry_run {
                        "Tệp hợp lệ: sẽ ghi"
                    } else {
                        "Đã ghi"
                    };
                    println!(
                        "{verb} {} khen thưởng với {} người nhận",
                        n.awards, n.recipients
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(f) => Ok(report(&f)),
            }
        }
        Command::Export {
            unit,
            from,
            to,
            output,
        } => {
            let range = antq_core::periods::YearRange::parse(&from, to.as_deref())
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            match register::export(db, None, &unit, range).await {
                Ok(bytes) => {
                    std::fs::write(&output, bytes)?;
                    println!("Đã ghi {}", output.display());
                    Ok(ExitCode::SUCCESS)
                }
                Err(f) => Ok(report(&f)),
            }
        }
    }
}
