//! `antq models`: the register in and out of Excel, all or nothing.
//! (Owned by the models work of issue 13.)

use std::path::PathBuf;
use std::process::ExitCode;

use antq_storage::Db;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum Command {
    /// Import the register from an Excel file, all or nothing.
    Import { file: PathBuf },
}

pub async fn run(_db: &Db, command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Import { .. } => {
            eprintln!("Lỗi: chưa hỗ trợ nhập sổ này");
            Ok(ExitCode::FAILURE)
        }
    }
}
