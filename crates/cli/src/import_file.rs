//! `antq import` of a long CSV file of any size: read as a stream on a
//! thread of its own, [`CHUNK_ROWS`] records at a time, each chunk checked
//! and written in one transaction for the whole file
//! ([`import::run_stream`]): memory follows the chunk, not the file, and
//! reading overlaps with checking and writing.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use antq_core::imports::{Chunk, ErrorList};
use antq_storage::audit::Who;
use antq_storage::statistics::import::{self, ImportSummary};
use antq_storage::{Db, StorageError};

/// Records of one chunk. Up to five chunks are in hand at once (two waiting
/// on the channel, one being read, one checked, one written): the national
/// file (16 million values) peaks at about 280 MB (BENCHMARKS.md).
pub const CHUNK_ROWS: usize = 25_000;

/// `antq import FILE`: a long CSV file streamed, an Excel template or a
/// DHIS2 file read whole (their size is bounded by their readers); the
/// summary, or every error with its place (exit code 2).
pub async fn command(
    settings: &crate::config::Settings,
    file: &Path,
    dry_run: bool,
    format: Option<&str>,
) -> anyhow::Result<ExitCode> {
    use antq_office::files::Format;
    let fmt = Format::guess(format.unwrap_or(&file.to_string_lossy())).with_context(|| {
        format!(
            "không nhận ra định dạng của {} (dùng --format csv|xlsx|dhis2)",
            file.display()
        )
    })?;
    let bar = indicatif::ProgressBar::new_spinner();
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let db = crate::open(settings).await?;
    bar.set_message(format!("đọc, kiểm tra và ghi {}...", file.display()));
    let result = match fmt {
        Format::Csv => import_csv(&db, file, dry_run)
            .await
            .map_err(antq_web::error::Failure::from),
        _ => {
            let bytes = std::fs::read(file)
                .with_context(|| format!("không đọc được {}", file.display()))?;
            antq_web::statistics::import(&db, None, fmt, &bytes, dry_run).await
        }
    };
    bar.finish_and_clear();
    match result {
        Ok(s) => {
            println!(
                "{} {} giá trị trong {} báo cáo ({} báo cáo mới): {} mới, {} thay đổi, {} xóa, {} không đổi.{}",
                if s.dry_run { "Chạy thử:" } else { "Đã nhập" },
                s.rows,
                s.reports,
                s.changes.reports_created,
                s.changes.values_new,
                s.changes.values_changed,
                s.changes.values_cleared,
                s.changes.values_unchanged,
                if s.dry_run { " Không có gì được ghi." } else { "" }
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(f) => {
            eprintln!("Lỗi: {}", f.message);
            for e in &f.errors {
                eprintln!("  - {e}");
            }
            Ok(ExitCode::from(2))
        }
    }
}

/// Import the long CSV file at `path`, all or nothing.
pub async fn import_csv(
    db: &Db,
    path: &Path,
    dry_run: bool,
) -> Result<ImportSummary, StorageError> {
    import::run_stream(db, &Who::system(), || read(path.to_path_buf()), dry_run).await
}

/// Start reading the file on its own thread; its chunks come over the
/// channel (two at most wait, so a slow write holds the reader back), the
/// last one marked. If the thread fails, the channel closes without the
/// last chunk and the import refuses the file.
fn read(path: PathBuf) -> tokio::sync::mpsc::Receiver<Chunk> {
    let (tx, rx) = tokio::sync::mpsc::channel(2);
    std::thread::spawn(move || {
        let file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) => {
                let _ = tx.blocking_send(refused(vec![format!(
                    "Không đọc được tệp {}: {e}",
                    path.display()
                )]));
                return;
            }
        };
        let input = std::io::BufReader::with_capacity(1 << 20, file);
        match antq_office::csv_long::stream(input, CHUNK_ROWS) {
            Err(errors) => {
                let _ = tx.blocking_send(refused(errors));
            }
            Ok(chunks) => {
                let mut ended = false;
                for chunk in chunks {
                    ended = chunk.last;
                    if tx.blocking_send(chunk).is_err() {
                        // The import stopped (an error it could not go on from).
                        return;
                    }
                }
                if !ended {
                    let _ = tx.blocking_send(Chunk {
                        last: true,
                        ..Chunk::default()
                    });
                }
            }
        }
    });
    rx
}

/// A chunk of no rows that only says why the file is refused.
fn refused(messages: Vec<String>) -> Chunk {
    let mut errors = ErrorList::new();
    for m in messages {
        errors.push(m);
    }
    Chunk {
        rows: Default::default(),
        errors,
        last: true,
    }
}
