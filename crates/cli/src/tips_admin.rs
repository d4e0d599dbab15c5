//! `antq tip escrow …` and `antq tip sweep`: what an administrator does to
//! the channel from the command line. The escrow's secret key is printed
//! once, never stored; restoring reads it from standard input.

use std::io::Read;
use std::process::ExitCode;

use antq_core::auth::Username;
use antq_storage::audit::Who;
use antq_storage::tips::{escrow as store, retention};
use antq_storage::Db;
use anyhow::{bail, Context};

#[derive(clap::Subcommand)]
pub enum EscrowCommand {
    /// Is an escrow key on, since when, by whom.
    Status,
    /// Switch an escrow key on (replacing one in force) and print its
    /// secret code once; `--yes` confirms that you know what it means.
    On {
        #[arg(long)]
        yes: bool,
    },
    /// Switch the escrow key off (new tips are no longer wrapped for it).
    Off,
    /// Wrap again, for the officer's current key, the keys of the tips the
    /// officer may handle; the escrow's secret code is read from standard input.
    Restore {
        #[arg(long)]
        user: String,
    },
}

pub async fn escrow(db: &Db, command: EscrowCommand) -> anyhow::Result<ExitCode> {
    let who = Who::system();
    match command {
        EscrowCommand::Status => match store::active(db).await? {
            Some((_, by, on)) => println!("Khóa ký gửi đang bật từ ngày {on} (người bật: {by})."),
            None => println!("Không có khóa ký gửi nào đang bật."),
        },
        EscrowCommand::On { yes } => {
            if !yes {
                bail!(
                    "Khóa ký gửi cho phép người giữ nó đọc mọi tin báo đến từ nay. Nếu chắc chắn, chạy lại với --yes và cất mã in ra ở nơi an toàn, ngoài máy chủ."
                );
            }
            let secret = store::switch_on(db, &who).await?;
            let code = antq_vault::RecoveryCode::from_secret_key(&secret).display();
            println!("Đã bật khóa ký gửi. Mã bí mật (chỉ in một lần, antq không lưu):");
            println!("{code}");
        }
        EscrowCommand::Off => {
            if store::switch_off(db, &who).await? {
                println!("Đã tắt khóa ký gửi: tin báo mới không còn được ký gửi.");
            } else {
                println!("Không có khóa ký gửi nào đang bật.");
            }
        }
        EscrowCommand::Restore { user } => {
            let name = Username::parse(&user)?;
            let user_id = antq_storage::accounts::users::find_by_username(db, name.as_str())
                .await?
                .with_context(|| format!("không có người dùng {name}"))?;
            let mut text = String::new();
            std::io::stdin()
                .take(1024)
                .read_to_string(&mut text)
                .context("không đọc được mã từ đầu vào")?;
            let code = antq_vault::RecoveryCode::parse(&text)?;
            let n = store::restore_for(db, &who, &code.to_secret_key(), user_id).await?;
            println!("Đã cấp lại khóa của {n} tin báo cho {name}.");
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn sweep(db: &Db) -> anyhow::Result<ExitCode> {
    let n = retention::sweep(db, antq_core::dates::today()).await?;
    println!("Đã hủy {n} tin báo hết thời hạn lưu giữ.");
    Ok(ExitCode::SUCCESS)
}

/// While serving: destroy the tips whose retention has passed, at start and
/// every hour (each destruction audited).
pub async fn sweep_hourly(db: Db) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        match antq_storage::tips::retention::sweep(&db, antq_core::dates::today()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(destroyed = n, "tips past their retention destroyed"),
            Err(e) => tracing::warn!(error = %e, "tip retention sweep failed"),
        }
    }
}

/// While serving: forget the per-minute tip counts of past minutes, every
/// minute (`tips::rate`), so the database does not keep when tips came.
pub async fn forget_past_minutes(db: Db) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        every.tick().await;
        let minute = antq_core::dates::now_utc().timestamp().div_euclid(60) * 60;
        if let Err(e) = antq_storage::tips::rate::forget_before(&db, minute).await {
            tracing::warn!(error = %e, "forgetting past minutes' tip counts failed");
        }
    }
}
