//! `antq awards`: The award register: import and export it (all or nothing).
//! (Owned by the awards work of issue 12.)

use std::path::PathBuf;
use std::process::ExitCode;

use antq_storage::Db;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum Command {
    /// Import a register from an Excel or CSV file, all or nothing.
    Import {
        file: PathBuf,
        /// Check and report what would change, write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

pub async fn run(_db: &Db, command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Import { .. } => anyhow::bail!("chưa có"),
    }
}
