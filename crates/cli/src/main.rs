//! `antq`: the one binary. `antq serve` runs the web server; the other
//! commands administer the same database from the shell.

#![forbid(unsafe_code)]

mod awards;
mod backup;
mod bench;
mod bench_command;
mod bench_load;
mod bench_options;
mod bench_portal;
mod classifications;
mod config;
mod documents;
mod import_file;
mod models;
mod news;
mod recognitions;
mod search;
mod serving_lock;
mod teams;
mod tips;
mod tips_admin;

/// mimalloc instead of the system allocator: imports build and free millions
/// of small strings, often on another thread than made them, where glibc's
/// allocator spends its time in locks and consolidation (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use antq_core::audit::ChainBreak;
use antq_core::auth::{NewPassword, Role, Username};
use antq_core::units::UnitCode;
use antq_storage::audit::{Verification, Who};
use antq_storage::{
    accounts::sessions, accounts::users, demo, units, units::admin_units, Db, StorageError,
};
use anyhow::{bail, Context};
use clap::{Parser, Subcommand};

use crate::config::{DatabaseUrl, Settings};

#[derive(Parser)]
#[command(
    name = "antq",
    version,
    about = "antq: hệ thống thông tin phong trào Toàn dân bảo vệ an ninh Tổ quốc"
)]
struct Cli {
    /// Configuration file (default: ./antq.toml if present).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Database: sqlite://FILE or postgres://USER@HOST/DB (default: SQLite in ./antq-data/).
    #[arg(long, global = true, env = "ANTQ_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (migrations are applied and the official units loaded on start).
    Serve {
        /// Listen address (default 127.0.0.1:8080).
        #[arg(long)]
        addr: Option<std::net::SocketAddr>,
        /// Load the demo world (Điện Biên and Đồng Tháp) and print its password.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and load the official units.
    Migrate,
    /// Back up the database while the server runs: `antq backup -o FILE`
    /// (SQLite: VACUUM INTO; PostgreSQL: pg_dump), with FILE.sha256 beside it.
    #[command(args_conflicts_with_subcommands = true)]
    Backup {
        #[command(subcommand)]
        command: Option<backup::Command>,
        /// The backup file to write (never overwritten).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Restore a backup into the configured database (stop the server
    /// first). Refuses a database that holds data unless --force.
    Restore {
        file: PathBuf,
        /// Replace whatever the database holds.
        #[arg(long)]
        force: bool,
    },
    /// Load the demo world and print the demo accounts' password.
    Demo,
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Import values from a file, all or nothing: an Excel template (.xlsx),
    /// long CSV (.csv: unit,period,indicator,value,qualifier,comment) or DHIS2
    /// dataValueSets (.json). Every error is listed with its place.
    Import {
        file: PathBuf,
        /// Check and report what would change, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// csv, xlsx or dhis2 (default: from the file name).
        #[arg(long)]
        format: Option<String>,
    },
    /// Export the values of a form under a unit (long CSV or DHIS2 JSON).
    Export {
        #[arg(long)]
        form: String,
        #[arg(long)]
        unit: String,
        /// A period code or YYYY..YYYY.
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: Option<String>,
        /// csv or dhis2. The long CSV writes plain numbers (1328, 2.5).
        #[arg(long, default_value = "csv")]
        format: String,
        /// For dhis2 (required there): how antq's periods (a year runs
        /// 15/12 → 14/12) are written as DHIS2 periods. `sameCode`: under
        /// the DHIS2 period of the same code (antq's 2026 as DHIS2's 2026).
        #[arg(long)]
        period_mapping: Option<String>,
        /// Output file (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Write the Excel template of a form for a unit's reporting units and a period.
    Template {
        #[arg(long)]
        form: String,
        #[arg(long)]
        unit: String,
        #[arg(long)]
        period: String,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Build a review (sơ kết, tổng kết) from the approved data, keep it, and
    /// write it as Word, Excel or HTML.
    Review {
        /// The unit's code (87, 11, 03325, VN).
        #[arg(long)]
        unit: String,
        /// The date the unit is taken at (default: the end of the stage).
        #[arg(long)]
        at: Option<String>,
        /// First year (or YYYY..YYYY).
        #[arg(long)]
        from: String,
        /// Last year.
        #[arg(long)]
        to: Option<String>,
        /// police, front or joint.
        #[arg(long, default_value = "joint")]
        owner: String,
        /// The date printed on the review (default: today).
        #[arg(long)]
        date: Option<String>,
        /// The programme the title names: its id, "none", or nothing (the one covering the stage).
        #[arg(long)]
        programme: Option<String>,
        /// The review's own title (trích yếu), instead of the stage's default.
        #[arg(long)]
        title: Option<String>,
        /// docx, xlsx or html.
        #[arg(long, default_value = "docx")]
        format: String,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// The public search's index.
    Search {
        #[command(subcommand)]
        command: SearchCommand,
    },
    /// Benchmarks: synthetic national data, and query timings (see BENCHMARKS.md).
    Bench {
        #[command(subcommand)]
        command: bench_command::Command,
    },
    /// Administrative units.
    Units {
        #[command(subcommand)]
        command: UnitsCommand,
    },
    /// The document library (văn bản): programmes, plans, decisions.
    Documents {
        #[command(subcommand)]
        command: documents::Command,
    },
    /// The award register (khen thưởng).
    Awards {
        #[command(subcommand)]
        command: awards::Command,
    },
    /// The register of models and exemplary cases (Excel in and out).
    Models {
        #[command(subcommand)]
        command: models::Command,
    },
    /// The register of grassroots organisations and teams (Excel in and out).
    Teams {
        #[command(subcommand)]
        command: teams::Command,
    },
    /// The safety-standard recognitions (Excel in and out).
    Recognitions {
        #[command(subcommand)]
        command: recognitions::Command,
    },
    /// Citizen information (tin báo): send a tip as the public page does.
    Tip {
        #[command(subcommand)]
        command: tips::Command,
    },
    /// The movement classifications (Excel in and out).
    Classifications {
        #[command(subcommand)]
        command: classifications::Command,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user with one grant. The password is asked for, or read from stdin.
    Add {
        #[arg(long)]
        username: String,
        /// admin, police, front or viewer.
        #[arg(long)]
        role: String,
        /// The unit of the grant (VN for the whole country).
        #[arg(long)]
        unit: String,
        /// A date at which the unit code is valid (default today).
        #[arg(long)]
        at: Option<String>,
        #[arg(long, default_value = "")]
        name: String,
    },
    /// Print a new API token for a user.
    Token {
        #[arg(long)]
        username: String,
        #[arg(long, default_value = "CLI")]
        name: String,
    },
    /// Set a new password (asked for, or read from stdin).
    Passwd {
        #[arg(long)]
        username: String,
    },
    /// List users and their grants.
    List,
}

#[derive(Subcommand)]
enum SearchCommand {
    /// Rebuild the index (`data_dir/search`) from the database; run with the server stopped.
    Reindex,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the whole hash chain; exits non-zero naming the first bad row.
    Verify,
}

#[derive(Subcommand)]
enum UnitsCommand {
    /// Import older unit versions and lineage links (all or nothing).
    Import {
        /// CSV: code,name,kind,level,parent_code,valid_from,valid_to
        #[arg(long)]
        versions: Option<PathBuf>,
        /// CSV: predecessor_code,predecessor_date,successor_code,successor_date,share
        #[arg(long)]
        links: Option<PathBuf>,
        /// Check and report without writing.
        #[arg(long)]
        dry_run: bool,
    },
}

fn init_logging(settings: &Settings) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("ANTQ_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tantivy=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if settings.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

pub(crate) async fn open(settings: &Settings) -> anyhow::Result<Db> {
    let url: DatabaseUrl = settings.database()?;
    let db = Db::connect(url.expose())
        .await
        .with_context(|| format!("không kết nối được cơ sở dữ liệu {url}"))?;
    antq_storage::prepare(&db)
        .await
        .context("không chuẩn bị được cơ sở dữ liệu")?;
    Ok(db)
}

fn read_password(prompt: &str) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let a = rpassword::prompt_password(prompt)?;
        let b = rpassword::prompt_password("Nhập lại mật khẩu: ")?;
        if a != b {
            bail!("hai lần nhập mật khẩu không khớp");
        }
        Ok(a)
    } else {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        Ok(s.lines().next().unwrap_or_default().to_string())
    }
}

fn print_demo(loaded: &demo::DemoLoaded) {
    println!(
        "Dữ liệu mẫu đã nạp: {} tài khoản mới, {} khu dân cư mới.",
        loaded.users_created, loaded.areas_created
    );
    if loaded.reviews > 0 {
        println!(
            "Đã lập {} báo cáo tổng kết 10 năm (2013 – 2023), gắn với hội nghị tổng kết của Điện Biên và Đồng Tháp.",
            loaded.reviews
        );
    }
    if let Some(tips) = &loaded.tips {
        println!(
            "Đã nạp {} tin báo mẫu; mã biên nhận của tin báo có trao đổi (để thử trang /tin-bao/theo-doi): {}",
            antq_core::text::format_int(tips.tips as i64),
            tips.conversation_receipt
        );
    }
    println!(
        "Mật khẩu của mọi tài khoản mẫu (chỉ in ra lúc nạp): {}",
        loaded.password
    );
    println!("Tài khoản mẫu:");
    for (username, name, role, unit) in demo::DEMO_USERS {
        println!(
            "  {username:<16} {:<7} đơn vị {unit:<6} {name}",
            role.as_str()
        );
    }
}

fn storage_error(e: StorageError) -> anyhow::Error {
    match e {
        StorageError::Rejected(errors) => {
            let mut msg = format!("dữ liệu có {} lỗi, không có gì được ghi:", errors.len());
            for e in errors {
                msg.push_str("\n  - ");
                msg.push_str(&e);
            }
            anyhow::anyhow!(msg)
        }
        other => anyhow::anyhow!(other.to_string()),
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let mut settings = Settings::load(cli.config.as_deref())?;
    if let Some(url) = cli.database_url {
        settings.database_url = Some(DatabaseUrl(url));
    }
    init_logging(&settings);
    match cli.command {
        Command::Serve {
            addr,
            demo: with_demo,
        } => {
            if let Some(addr) = addr {
                settings.addr = addr;
            }
            // Held while serving: `antq restore` refuses to run meanwhile.
            let _serving = serving_lock::try_take(&settings.data_dir)?;
            if _serving.is_none() {
                tracing::warn!(data_dir = %settings.data_dir.display(), "another antq serve holds this data_dir");
            }
            let db = open(&settings).await?;
            if with_demo {
                let keyed = antq_vault::Keyed::new(settings.web()?.tips.secret);
                let loaded =
                    demo::load_with_tips(&db, settings.demo_password.as_deref(), Some(&keyed))
                        .await
                        .map_err(storage_error)?;
                print_demo(&loaded);
            }
            tokio::spawn(tips_admin::sweep_hourly(db.clone()));
            tokio::spawn(tips_admin::forget_past_minutes(db.clone()));
            tokio::spawn(news::publish_due_every_minute(db.clone()));
            let reader = match settings
                .read_database_url
                .as_ref()
                .filter(|u| !u.0.trim().is_empty())
            {
                Some(url) => {
                    let reader = Db::connect(url.expose()).await.with_context(|| {
                        format!("không kết nối được cơ sở dữ liệu chỉ đọc {url}")
                    })?;
                    tracing::info!(read_database = %url, "analytics and public pages read the replica");
                    reader
                }
                None => db.clone(),
            };
            let app = antq_web::App::build_with_reader(settings.web()?, db.clone(), reader)
                .await
                .with_context(|| format!("không mở được địa chỉ {}", settings.addr))?;
            // The nation's open-data page takes seconds to compute: kept ready.
            tokio::spawn(antq_web::portal::open_data_cache::keep_warm(
                app.state().clone(),
                std::time::Duration::from_secs(30),
            ));
            tracing::info!(addr = %app.local_addr(), database = %settings.database()?, "antq is serving");
            println!("antq đang chạy tại http://{}", app.local_addr());
            if settings.public_url.is_none() {
                tracing::warn!("public_url is not set: feeds, the sitemap and canonical links use the request's host");
                println!(
                    "Chưa đặt public_url (ví dụ ANTQ__PUBLIC_URL=https://antq.example.vn): tin RSS/Atom, sơ đồ trang và liên kết chính thức của cổng thông tin đang lấy tên máy chủ từ yêu cầu."
                );
            }
            app.run_until_stopped(antq_web::app::shutdown_signal())
                .await?;
            db.close().await;
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { command, output } => {
            backup::run(&settings, command, output).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { file, force } => {
            backup::restore(&settings, &file, force).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => {
            let db = open(&settings).await?;
            println!("Cơ sở dữ liệu đã cập nhật ({}).", db.backend().name());
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo => {
            let db = open(&settings).await?;
            let keyed = antq_vault::Keyed::new(settings.web()?.tips.secret);
            let loaded = demo::load_with_tips(&db, settings.demo_password.as_deref(), Some(&keyed))
                .await
                .map_err(storage_error)?;
            print_demo(&loaded);
            Ok(ExitCode::SUCCESS)
        }
        Command::User { command } => {
            let db = open(&settings).await?;
            match command {
                UserCommand::Add {
                    username,
                    role,
                    unit,
                    at,
                    name,
                } => {
                    let username = Username::parse(&username)?;
                    let role: Role = role.parse()?;
                    let at = match at {
                        Some(s) => antq_core::dates::parse_input_date(&s)?,
                        None => antq_core::dates::today(),
                    };
                    let unit = units::get_at(&db, &UnitCode::parse(&unit)?, at)
                        .await
                        .map_err(storage_error)?;
                    let password =
                        NewPassword::parse(&read_password("Mật khẩu (ít nhất 12 ký tự): ")?)?;
                    let id = users::create(
                        &db,
                        &Who::system(),
                        users::NewUser {
                            username: username.clone(),
                            display_name: name,
                            password,
                            grants: vec![(role, unit.id)],
                        },
                    )
                    .await
                    .map_err(storage_error)?;
                    println!(
                        "Đã tạo người dùng {username} (#{id}), vai trò {role} tại {} ({}).",
                        unit.name, unit.code
                    );
                }
                UserCommand::Token { username, name } => {
                    let id = users::find_by_username(&db, &username)
                        .await?
                        .with_context(|| format!("không có người dùng {username}"))?;
                    let (_, token) = sessions::create_token(&db, &Who::system(), id, &name).await?;
                    println!("{token}");
                }
                UserCommand::Passwd { username } => {
                    let id = users::find_by_username(&db, &username)
                        .await?
                        .with_context(|| format!("không có người dùng {username}"))?;
                    let password =
                        NewPassword::parse(&read_password("Mật khẩu mới (ít nhất 12 ký tự): ")?)?;
                    users::set_password(&db, &Who::system(), id, password).await?;
                    println!("Đã đặt mật khẩu mới cho {username}.");
                }
                UserCommand::List => {
                    for u in users::list_all(&db).await? {
                        let grants: Vec<String> = u
                            .grants
                            .iter()
                            .map(|g| format!("{}@{} {}", g.role, g.unit_code, g.unit_name))
                            .collect();
                        let state = if u.disabled { " [đã khóa]" } else { "" };
                        println!("{:<18}{state} {}", u.username, grants.join("; "));
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Documents { command } => documents::run(&open(&settings).await?, command).await,
        Command::Awards { command } => awards::run(&open(&settings).await?, command).await,
        Command::Models { command } => models::run(&open(&settings).await?, command).await,
        Command::Teams { command } => teams::run(&open(&settings).await?, command).await,
        Command::Tip { command } => match command {
            tips::Command::Send { .. } => tips::run(command, None).await,
            other => tips::run(other, Some(&open(&settings).await?)).await,
        },
        Command::Recognitions { command } => {
            recognitions::run(&open(&settings).await?, command).await
        }
        Command::Classifications { command } => {
            classifications::run(&open(&settings).await?, command).await
        }
        Command::Search {
            command: SearchCommand::Reindex,
        } => {
            let db = open(&settings).await?;
            search::reindex(&db, &settings.data_dir.join("search")).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench { command } => bench_command::run(&settings, command).await,
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let db = open(&settings).await?;
            match antq_storage::audit::verify(&db).await? {
                Verification::Intact { rows } => {
                    println!("Nhật ký nguyên vẹn: {rows} dòng, chuỗi băm khớp.");
                    Ok(ExitCode::SUCCESS)
                }
                Verification::Broken(b) => {
                    let msg = match b {
                        ChainBreak::RowAltered { id } => {
                            format!("dòng #{id} đã bị sửa (mã băm không khớp nội dung)")
                        }
                        ChainBreak::LinkBroken { id } => {
                            format!("dòng #{id} không nối với dòng trước (có dòng bị xóa, chèn hoặc đổi thứ tự)")
                        }
                        ChainBreak::HeadMismatch { last_id } => format!(
                            "đầu chuỗi không khớp dòng cuối #{} (có dòng cuối bị xóa)",
                            last_id.unwrap_or(0)
                        ),
                    };
                    eprintln!("NHẬT KÝ BỊ SỬA ĐỔI: {msg}");
                    Ok(ExitCode::from(2))
                }
            }
        }
        Command::Import {
            file,
            dry_run,
            format,
        } => import_file::command(&settings, &file, dry_run, format.as_deref()).await,
        Command::Export {
            form,
            unit,
            from,
            to,
            format,
            period_mapping,
            output,
        } => {
            let db = open(&settings).await?;
            let dhis2 = if format == "dhis2" {
                Some(
                    antq_web::statistics::api::period_mapping(period_mapping.as_deref())
                        .map_err(|f| anyhow::anyhow!(f.message))?,
                )
            } else {
                None
            };
            let d =
                antq_web::statistics::export(&db, None, &form, &unit, &from, to.as_deref(), dhis2)
                    .await
                    .map_err(|f| anyhow::anyhow!(f.message))?;
            write_out(output.as_deref(), &d.bytes)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Review {
            unit,
            at,
            from,
            to,
            owner,
            date,
            programme,
            title,
            format,
            output,
        } => {
            let db = open(&settings).await?;
            let started = std::time::Instant::now();
            let params = antq_web::reviews::ReviewParams {
                unit: &unit,
                at: at.as_deref(),
                from: &from,
                to: to.as_deref(),
                owner: &owner,
                issue_date: date.as_deref(),
            };
            let (review, d) =
                review_file(&db, params, programme.as_deref(), title, &format).await?;
            // What keeps it a draft, and a date before the data's end, in words.
            if let Some(reason) = review.draft() {
                eprintln!("{}: {reason}", antq_core::reviews::document::DRAFT_STAMP);
            }
            if let Some(w) = antq_web::reviews::date_warning(&review) {
                eprintln!("Cảnh báo: {w}");
            }
            write_out(Some(&output), &d.bytes)?;
            println!(
                "Đã lập báo cáo số {} ({} {}–{}) và ghi vào {} trong {} ms",
                review.id,
                review.snapshot.unit_name,
                review.snapshot.from,
                review.snapshot.to,
                output.display(),
                started.elapsed().as_millis()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Template {
            form,
            unit,
            period,
            output,
        } => {
            let db = open(&settings).await?;
            let d = antq_web::statistics::template(&db, None, &form, &unit, &period)
                .await
                .map_err(|f| anyhow::anyhow!(f.message))?;
            write_out(Some(&output), &d.bytes)?;
            println!("Đã ghi biểu mẫu vào {}", output.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Units {
            command:
                UnitsCommand::Import {
                    versions,
                    links,
                    dry_run,
                },
        } => {
            if versions.is_none() && links.is_none() {
                bail!("cần --versions hoặc --links");
            }
            let read = |p: &Option<PathBuf>| -> anyhow::Result<Option<String>> {
                p.as_ref()
                    .map(|p| {
                        std::fs::read_to_string(p)
                            .with_context(|| format!("không đọc được {}", p.display()))
                    })
                    .transpose()
            };
            let (v, l) = (read(&versions)?, read(&links)?);
            let db = open(&settings).await?;
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_message("đang kiểm tra và nhập...");
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            let result = admin_units::import_history(
                &db,
                &Who::system(),
                v.as_deref(),
                l.as_deref(),
                dry_run,
            )
            .await;
            bar.finish_and_clear();
            let report = result.map_err(storage_error)?;
            let verb = if dry_run { "Sẽ" } else { "Đã" };
            println!(
                "{verb} thêm {} phiên bản đơn vị, điều chỉnh {} phiên bản, thêm {} liên kết kế thừa.{}",
                report.versions_added,
                report.versions_shortened,
                report.links_added,
                if dry_run { " (chạy thử, không ghi gì)" } else { "" }
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn write_out(path: Option<&std::path::Path>, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    match path {
        Some(p) => {
            std::fs::write(p, bytes).with_context(|| format!("không ghi được {}", p.display()))
        }
        None => std::io::stdout()
            .write_all(bytes)
            .context("không ghi được ra màn hình"),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("Lỗi: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Build a review (with the officer's title, if given), keep it and render it.
async fn review_file(
    db: &antq_storage::Db,
    params: antq_web::reviews::ReviewParams<'_>,
    programme: Option<&str>,
    title: Option<String>,
    format: &str,
) -> anyhow::Result<(
    antq_storage::reviews::Review,
    antq_web::statistics::Download,
)> {
    let failed = |f: antq_web::error::Failure| anyhow::anyhow!(f.message);
    let Some(title) = title else {
        return antq_web::reviews::create_file_choosing(db, params, programme, format)
            .await
            .map_err(failed);
    };
    // Refused before anything is built.
    antq_core::text::check_len(
        "Tên báo cáo (trích yếu)",
        &antq_core::text::clean(&title),
        antq_core::reviews::document::MAX_HEADING_CHARS,
    )?;
    let id = antq_web::reviews::create_choosing(db, None, params, programme)
        .await
        .map_err(failed)?;
    let change = antq_storage::reviews::DocumentChange {
        title: Some(title),
        ..Default::default()
    };
    let review = antq_storage::reviews::save_document(db, &Who::system(), id, change)
        .await
        .map_err(|e| anyhow::anyhow!(e.to_string()))?;
    let d = antq_web::reviews::render(&review, format).map_err(failed)?;
    Ok((review, d))
}
