//! `antq backup`, `antq backup verify`, `antq restore`: one file per
//! backup with a SHA-256 sidecar (`FILE.sha256`, the format `sha256sum -c`
//! reads).
//!
//! - SQLite: `VACUUM INTO`, a consistent copy taken while the server runs;
//!   the backup is itself a SQLite database.
//! - PostgreSQL: `pg_dump --format=custom` (one snapshot, also online);
//!   restored with `pg_restore --single-transaction`, so a restore that
//!   fails leaves nothing behind. The PostgreSQL client tools of the
//!   server's major version must be on the PATH.
//!
//! The database holds everything antq keeps (uploaded files included)
//! except the tips secret, which lives in the configuration or in
//! `data_dir/tips.secret`: keep that beside the backups, or receipts given
//! to citizens no longer open their tips.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use antq_storage::backup::{self, Fingerprint};
use antq_storage::{Backend, Db};
use anyhow::{bail, Context};
use clap::Subcommand;
use sha2::{Digest, Sha256};

use crate::config::{DatabaseUrl, Settings};

#[derive(Subcommand)]
pub enum Command {
    /// Check a backup: its checksum, then the copy opened, its schema and
    /// its audit chain (a PostgreSQL dump is restored into a scratch
    /// database on the configured server, then dropped).
    Verify { file: PathBuf },
}

/// `antq backup -o FILE` or `antq backup verify FILE`.
pub async fn run(
    settings: &Settings,
    command: Option<Command>,
    output: Option<PathBuf>,
) -> anyhow::Result<()> {
    match command {
        Some(Command::Verify { file }) => verify(settings, &file).await.map(|_| ()),
        None => {
            let output = output.context("cần tên tệp sao lưu: antq backup -o TỆP")?;
            create(settings, &output).await
        }
    }
}

/// What a backup file holds, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sqlite,
    PgDump,
}

fn kind_of(path: &Path) -> anyhow::Result<Kind> {
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(path)
        .with_context(|| format!("không mở được tệp {}", path.display()))?;
    let n = f.read(&mut head)?;
    if n >= 16 && &head == b"SQLite format 3\0" {
        Ok(Kind::Sqlite)
    } else if n >= 5 && &head[..5] == b"PGDMP" {
        Ok(Kind::PgDump)
    } else {
        bail!(
            "tệp {} không phải bản sao lưu của antq (không phải SQLite hay pg_dump)",
            path.display()
        )
    }
}

/// `FILE.sha256` beside `FILE`.
fn sidecar(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".sha256");
    PathBuf::from(s)
}

fn sha256_of(path: &Path) -> anyhow::Result<String> {
    let mut f = std::fs::File::open(path)
        .with_context(|| format!("không mở được tệp {}", path.display()))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}

fn sync_file(path: &Path) -> anyhow::Result<()> {
    std::fs::File::open(path)?.sync_all()?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // The new name itself survives a power cut only once its folder is synced.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// The SQLite file a `sqlite:` URL names.
fn sqlite_path(url: &str) -> anyhow::Result<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .context("không phải địa chỉ SQLite")?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        bail!("cơ sở dữ liệu SQLite trong bộ nhớ không sao lưu hay khôi phục được");
    }
    Ok(PathBuf::from(path))
}

/// A PostgreSQL URL for the client tools, its password moved into the
/// environment (not visible in the process list).
fn pg_target(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_string(), None);
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return (url.to_string(), None);
    };
    match userinfo.split_once(':') {
        Some((user, password)) => (
            format!("{scheme}://{user}@{host}"),
            Some(percent_decode(password)),
        ),
        None => (url.to_string(), None),
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Run a PostgreSQL client tool against `url`; its own messages on failure.
fn pg_tool(tool: &str, url: &str, args: &[&str]) -> anyhow::Result<String> {
    let (target, password) = pg_target(url);
    let mut cmd = Process::new(tool);
    cmd.args(args).arg(format!("--dbname={target}"));
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    let out = cmd.output().with_context(|| {
        format!("không chạy được {tool}: cần cài công cụ PostgreSQL (gói postgresql-client) cùng phiên bản với máy chủ")
    })?;
    if !out.status.success() {
        bail!(
            "{tool} báo lỗi: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `antq backup -o FILE`: a consistent copy of the database while it
/// serves, then its checksum. An existing file is never overwritten.
pub async fn create(settings: &Settings, output: &Path) -> anyhow::Result<()> {
    for f in [output.to_path_buf(), sidecar(output)] {
        if f.symlink_metadata().is_ok() {
            bail!("tệp {} đã có; hãy chọn tên khác", f.display());
        }
    }
    let url = settings.database()?;
    let partial = {
        let mut s = output.as_os_str().to_owned();
        s.push(".partial");
        PathBuf::from(s)
    };
    let _ = std::fs::remove_file(&partial);
    let started = std::time::Instant::now();
    if let Err(e) = copy_out(&url, &partial).await {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    private(&partial)?;
    sync_file(&partial)?;
    let sum = sha256_of(&partial)?;
    std::fs::rename(&partial, output)?;
    sync_file(output)?;
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    write_new(&sidecar(output), format!("{sum}  {name}\n").as_bytes())?;
    let size = std::fs::metadata(output)?.len();
    println!(
        "Đã sao lưu {} vào {} ({}, {} giây).",
        url,
        output.display(),
        human_size(size),
        antq_core::text::format_decimal(started.elapsed().as_secs_f64(), 1)
    );
    println!("SHA-256: {sum} (trong {})", sidecar(output).display());
    println!(
        "Nhớ giữ kèm khóa bí mật tin báo (tips_secret trong cấu hình hoặc tệp {}): thiếu nó, mã tra cứu của người gửi tin không còn dùng được.",
        settings.data_dir.join("tips.secret").display()
    );
    Ok(())
}

/// The configured database, which must exist and be antq's, copied into `to`.
async fn copy_out(url: &DatabaseUrl, to: &Path) -> anyhow::Result<()> {
    let backend = Backend::from_url(url.expose())
        .context("địa chỉ cơ sở dữ liệu phải bắt đầu bằng sqlite: hoặc postgres://")?;
    if backend == Backend::Sqlite {
        let path = sqlite_path(url.expose())?;
        if !path.exists() {
            bail!(
                "không có cơ sở dữ liệu {}: kiểm tra database_url hoặc data_dir (ví dụ --config /etc/antq/antq.toml)",
                path.display()
            );
        }
    }
    let db = Db::connect(url.expose())
        .await
        .with_context(|| format!("không kết nối được cơ sở dữ liệu {url}"))?;
    let pending = antq_storage::migrations::pending(&db).await;
    let antq_database =
        pending.is_ok_and(|p| p.len() < antq_storage::migrations::latest() as usize);
    if !antq_database {
        db.close().await;
        bail!("{url} không phải cơ sở dữ liệu của antq (không có bảng phiên bản): không sao lưu");
    }
    let done = match backend {
        Backend::Sqlite => backup::sqlite_copy(&db, to)
            .await
            .map_err(|e| anyhow::anyhow!("không sao lưu được: {e}")),
        Backend::Postgres => {
            let file = to.to_str().context("đường dẫn tệp phải là UTF-8")?;
            pg_tool(
                "pg_dump",
                url.expose(),
                &[
                    "--format=custom",
                    "--no-password",
                    &format!("--file={file}"),
                ],
            )
            .map(|_| ())
        }
    };
    db.close().await;
    done
}

/// Readable by its owner only (a backup holds everything antq keeps).
fn private(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    let _ = path;
    Ok(())
}

/// Write a new file (never through an existing one or a link), synced.
fn write_new(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("không ghi được tệp {} (đã có?)", path.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    private(path)
}

fn human_size(bytes: u64) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb >= 1.0 {
        format!("{} MB", antq_core::text::format_decimal(mb, 1))
    } else {
        format!(
            "{} KB",
            antq_core::text::format_int((bytes / 1024).max(1) as i64)
        )
    }
}

/// The file's checksum against its sidecar.
fn check_sum(file: &Path) -> anyhow::Result<String> {
    let side = sidecar(file);
    let text = std::fs::read_to_string(&side)
        .with_context(|| format!("thiếu tệp tổng kiểm {} của bản sao lưu", side.display()))?;
    let want = text
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let got = sha256_of(file)?;
    if want != got {
        bail!(
            "bản sao lưu {} đã hỏng hoặc bị sửa: mã SHA-256 là {got}, tệp {} ghi {want}",
            file.display(),
            side.display()
        );
    }
    Ok(got)
}

/// `antq backup verify FILE`: the checksum, then the copy opened and
/// checked: SQLite's integrity check, the schema, the audit chain. A
/// PostgreSQL dump is restored into a scratch database on the configured
/// server (dropped afterwards) and checked the same way.
pub async fn verify(settings: &Settings, file: &Path) -> anyhow::Result<Fingerprint> {
    let sum = check_sum(file)?;
    println!("Tổng kiểm SHA-256 khớp ({sum}).");
    let fp = match kind_of(file)? {
        Kind::Sqlite => {
            let dir = scratch_dir()?;
            let copy = dir.join("verify.db");
            std::fs::copy(file, &copy)?;
            let result = async {
                let db = Db::connect(&format!("sqlite://{}", copy.display())).await?;
                let ok: String = sqlx::query_scalar("PRAGMA integrity_check")
                    .fetch_one(db.pool())
                    .await?;
                if ok != "ok" {
                    bail!("SQLite báo tệp hỏng: {ok}");
                }
                let fp = checked(&db).await;
                db.close().await;
                fp
            }
            .await;
            let _ = std::fs::remove_dir_all(&dir);
            result?
        }
        Kind::PgDump => {
            let url = settings.database()?;
            if Backend::from_url(url.expose()) != Some(Backend::Postgres) {
                bail!("muốn kiểm tra trọn bản sao lưu PostgreSQL, hãy đặt database_url là một máy chủ PostgreSQL (antq tạo ở đó một cơ sở dữ liệu tạm rồi xóa)");
            }
            check_dump(file)?;
            let scratch = ScratchPg::create(url.expose()).await?;
            let result = async {
                restore_pg(&scratch.url, file, false)?;
                let db = Db::connect(&scratch.url).await?;
                let fp = checked(&db).await;
                db.close().await;
                fp
            }
            .await;
            scratch.drop_now().await;
            result?
        }
    };
    println!(
        "Bản sao lưu dùng được: {} báo cáo, nhật ký {} dòng, chuỗi băm khớp.",
        antq_core::text::format_int(fp.reports),
        antq_core::text::format_int(fp.audit_rows)
    );
    Ok(fp)
}

/// Schema known, audit chain intact; the database's fingerprint.
async fn checked(db: &Db) -> anyhow::Result<Fingerprint> {
    let pending = antq_storage::migrations::pending(db).await?;
    if pending.len() == antq_storage::migrations::latest() as usize {
        bail!("tệp không chứa cơ sở dữ liệu antq (không có bảng phiên bản)");
    }
    let newer: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version > $1")
            .bind(antq_storage::migrations::latest())
            .fetch_all(db.pool())
            .await?;
    if !newer.is_empty() {
        bail!(
            "bản sao lưu có lược đồ mới hơn chương trình này (phiên bản {}): hãy dùng antq cùng bản hoặc mới hơn",
            newer.iter().max().copied().unwrap_or_default()
        );
    }
    if !pending.is_empty() {
        println!(
            "Bản sao lưu có lược đồ cũ hơn chương trình ({} bước nâng cấp): được nâng cấp khi khôi phục.",
            pending.len()
        );
    }
    match antq_storage::audit::verify(db).await? {
        antq_storage::audit::Verification::Intact { .. } => {}
        antq_storage::audit::Verification::Broken(b) => {
            bail!("nhật ký trong bản sao lưu bị sửa đổi ({b:?})")
        }
    }
    Ok(backup::fingerprint(db).await?)
}

/// `antq restore FILE [--force]`: into the configured database, which must
/// be empty unless `--force` (then its contents are replaced). Stop the
/// server first. Afterwards the schema is brought up to date and the
/// audit chain checked; the search index is rebuilt at the next start.
pub async fn restore(settings: &Settings, file: &Path, force: bool) -> anyhow::Result<Fingerprint> {
    if !file.is_file() {
        bail!("không có tệp {}", file.display());
    }
    check_sum(file)?;
    let kind = kind_of(file)?;
    let url = settings.database()?;
    let backend = Backend::from_url(url.expose())
        .context("địa chỉ cơ sở dữ liệu phải bắt đầu bằng sqlite: hoặc postgres://")?;
    let _serving = crate::serving_lock::try_take(&settings.data_dir)?.ok_or_else(|| {
        anyhow::anyhow!(
            "máy chủ antq đang chạy với thư mục dữ liệu {}: dừng nó trước khi khôi phục",
            settings.data_dir.display()
        )
    })?;
    match (kind, backend) {
        (Kind::Sqlite, Backend::Sqlite) => {
            let target = sqlite_path(url.expose())?;
            if target.exists() {
                refuse_unless_empty(&url, force).await?;
            }
            let mut tmp = target.as_os_str().to_owned();
            tmp.push(".restoring");
            let tmp = PathBuf::from(tmp);
            std::fs::copy(file, &tmp)
                .with_context(|| format!("không ghi được {}", tmp.display()))?;
            private(&tmp)?;
            sync_file(&tmp)?;
            // The copy is checked before it replaces anything.
            let copy = Db::connect(&format!("sqlite://{}", tmp.display())).await?;
            let fine = checked(&copy).await;
            copy.close().await;
            if let Err(e) = fine {
                let _ = std::fs::remove_file(&tmp);
                for ext in ["-wal", "-shm"] {
                    let mut side = tmp.as_os_str().to_owned();
                    side.push(ext);
                    let _ = std::fs::remove_file(PathBuf::from(side));
                }
                return Err(e);
            }
            for ext in ["-wal", "-shm", "-journal"] {
                let mut side = target.as_os_str().to_owned();
                side.push(ext);
                let _ = std::fs::remove_file(PathBuf::from(side));
            }
            std::fs::rename(&tmp, &target)?;
            sync_file(&target)?;
        }
        (Kind::PgDump, Backend::Postgres) => {
            check_dump(file)?;
            // Other sessions, counted on a connection of our own (the pool
            // may hold more than one).
            let others: i64 = {
                use sqlx::Connection;
                sqlx::any::install_default_drivers();
                let mut conn = sqlx::AnyConnection::connect(url.expose()).await?;
                let n = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() \
                     AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
                )
                .fetch_one(&mut conn)
                .await?;
                conn.close().await?;
                n
            };
            let db = Db::connect(url.expose()).await?;
            let empty = backup::is_empty(&db).await?;
            db.close().await;
            if !empty && !force {
                refuse(&url)?;
            }
            if others > 0 {
                bail!(
                    "có {others} kết nối khác tới {url} (máy chủ antq đang chạy?): dừng mọi máy chủ dùng cơ sở dữ liệu này trước khi khôi phục"
                );
            }
            restore_pg(url.expose(), file, !empty)?;
        }
        (Kind::Sqlite, Backend::Postgres) => bail!(
            "đây là bản sao lưu SQLite, còn database_url là PostgreSQL: bản sao lưu SQLite chỉ khôi phục vào SQLite"
        ),
        (Kind::PgDump, Backend::Sqlite) => bail!(
            "đây là bản sao lưu PostgreSQL (pg_dump), còn database_url là SQLite: hãy đặt database_url là máy chủ PostgreSQL"
        ),
    }
    // The index describes the database before: rebuilt from the restored one.
    let _ = std::fs::remove_dir_all(settings.data_dir.join("search"));
    let db = crate::open(settings).await?;
    let fp = checked(&db).await?;
    db.close().await;
    println!(
        "Đã khôi phục {} vào {url}: {} báo cáo, nhật ký {} dòng, chuỗi băm khớp. Chỉ mục tìm kiếm được lập lại khi máy chủ chạy.",
        file.display(),
        antq_core::text::format_int(fp.reports),
        antq_core::text::format_int(fp.audit_rows)
    );
    Ok(fp)
}

async fn refuse_unless_empty(url: &DatabaseUrl, force: bool) -> anyhow::Result<()> {
    let db = Db::connect(url.expose()).await?;
    let empty = backup::is_empty(&db).await?;
    db.close().await;
    if !empty && !force {
        refuse(url)?;
    }
    Ok(())
}

fn refuse(url: &DatabaseUrl) -> anyhow::Result<()> {
    bail!(
        "cơ sở dữ liệu {url} đã có dữ liệu: antq chỉ khôi phục vào cơ sở dữ liệu trống. Dừng máy chủ và thêm --force nếu thật sự muốn thay toàn bộ dữ liệu hiện có bằng bản sao lưu"
    )
}

/// Restore a dump in one transaction: `pg_restore` writes the SQL, `psql
/// --single-transaction` runs it, after emptying the schema first when
/// `wipe` (so a restore that fails half-way leaves the old data as it was).
fn restore_pg(url: &str, file: &Path, wipe: bool) -> anyhow::Result<()> {
    use std::process::Stdio;
    let (target, password) = pg_target(url);
    let tool_missing = |tool: &str| {
        format!("không chạy được {tool}: cần cài công cụ PostgreSQL (gói postgresql-client) cùng phiên bản với máy chủ")
    };
    let mut dump = Process::new("pg_restore")
        .args([
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--file=-",
        ])
        .arg(file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| tool_missing("pg_restore"))?;
    let mut psql = Process::new("psql");
    psql.args([
        "--no-password",
        "--quiet",
        "--no-psqlrc",
        "--set=ON_ERROR_STOP=1",
        "--output=/dev/null",
    ])
    .arg(format!("--dbname={target}"))
    .env("PGOPTIONS", "-c client_min_messages=warning")
    .stdin(Stdio::piped())
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
    if let Some(p) = password {
        psql.env("PGPASSWORD", p);
    }
    let mut psql = psql.spawn().with_context(|| tool_missing("psql"))?;
    let mut sql_in = psql.stdin.take().context("psql stdin")?;
    let mut sql_out = dump.stdout.take().context("pg_restore stdout")?;
    // BEGIN now, COMMIT only once pg_restore has written all of it without
    // error: a dump cut short ends psql's input without COMMIT, and
    // PostgreSQL rolls the transaction back.
    let feeder = std::thread::spawn(move || -> std::io::Result<std::process::ChildStdin> {
        sql_in.write_all(b"BEGIN;\n")?;
        if wipe {
            sql_in.write_all(
                b"DO $$ DECLARE s text := current_schema(); BEGIN \
                  EXECUTE 'DROP SCHEMA ' || quote_ident(s) || ' CASCADE'; \
                  EXECUTE 'CREATE SCHEMA ' || quote_ident(s); END $$;\n",
            )?;
        }
        std::io::copy(&mut sql_out, &mut sql_in)?;
        Ok(sql_in)
    });
    let dump_out = dump.wait_with_output()?;
    let fed = feeder
        .join()
        .unwrap_or_else(|_| Err(std::io::Error::other("the feeding thread panicked")));
    let fed_whole = match fed {
        Ok(mut sql_in) if dump_out.status.success() => sql_in.write_all(b"COMMIT;\n"),
        // Closed without COMMIT: rolled back.
        Ok(sql_in) => {
            drop(sql_in);
            Ok(())
        }
        Err(e) => Err(e),
    };
    let psql_out = psql.wait_with_output()?;
    if !dump_out.status.success() {
        bail!(
            "khôi phục không thành, dữ liệu cũ giữ nguyên; pg_restore báo: {}",
            String::from_utf8_lossy(&dump_out.stderr).trim()
        );
    }
    if !psql_out.status.success() {
        bail!(
            "khôi phục không thành, dữ liệu cũ giữ nguyên; psql báo: {}",
            String::from_utf8_lossy(&psql_out.stderr).trim()
        );
    }
    if let Err(e) = fed_whole {
        bail!("khôi phục bị ngắt, dữ liệu cũ giữ nguyên: {e}");
    }
    Ok(())
}

/// A dump antq can restore in one transaction: antq's tables, and no large
/// objects (pg_restore commits those on its own).
fn check_dump(file: &Path) -> anyhow::Result<()> {
    let out = Process::new("pg_restore")
        .arg("--list")
        .arg(file)
        .output()
        .context("không chạy được pg_restore: cần cài công cụ PostgreSQL (gói postgresql-client) cùng phiên bản với máy chủ")?;
    if !out.status.success() {
        bail!(
            "pg_restore không đọc được {}: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let list = String::from_utf8_lossy(&out.stdout);
    if !list.contains(" TABLE public schema_migrations ")
        || !list.contains(" TABLE public audit_log ")
    {
        bail!(
            "{} không phải bản sao lưu cơ sở dữ liệu của antq",
            file.display()
        );
    }
    if list.contains(" BLOB ") || list.contains("LARGE OBJECT") || list.contains(" BLOBS ") {
        bail!(
            "{} có large object, antq không dùng và không khôi phục được trong một giao dịch",
            file.display()
        );
    }
    Ok(())
}

fn scratch_dir() -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "antq-verify-{}",
        &antq_core::auth::random_secret()[..12]
    ));
    std::fs::create_dir_all(&dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(dir)
}

/// A database made on the configured PostgreSQL server for a check, dropped after.
struct ScratchPg {
    server: String,
    name: String,
    url: String,
}

impl ScratchPg {
    async fn create(server: &str) -> anyhow::Result<ScratchPg> {
        let name = format!(
            "antq_verify_{}",
            antq_core::auth::random_secret()[..12].to_ascii_lowercase()
        );
        let db = Db::connect(server).await?;
        sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
            .execute(db.pool())
            .await
            .context("không tạo được cơ sở dữ liệu tạm để kiểm tra (cần quyền CREATEDB)")?;
        db.close().await;
        let (base, query) = match server.split_once('?') {
            Some((b, q)) => (b, format!("?{q}")),
            None => (server, String::new()),
        };
        let base = base.rsplit_once('/').map(|(h, _)| h).unwrap_or(base);
        Ok(ScratchPg {
            server: server.to_string(),
            url: format!("{base}/{name}{query}"),
            name,
        })
    }

    async fn drop_now(self) {
        if let Ok(db) = Db::connect(&self.server).await {
            let _ = sqlx::raw_sql(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(db.pool())
            .await;
            db.close().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_leave_the_url() {
        assert_eq!(
            pg_target("postgres://antq:p%40ss@db:5432/antq"),
            (
                "postgres://antq@db:5432/antq".to_string(),
                Some("p@ss".to_string())
            )
        );
        assert_eq!(
            pg_target("postgres://postgres@127.0.0.1/antq"),
            ("postgres://postgres@127.0.0.1/antq".to_string(), None)
        );
    }

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(
            sqlite_path("sqlite:///var/lib/antq/antq.db?mode=rwc").unwrap(),
            PathBuf::from("/var/lib/antq/antq.db")
        );
        assert_eq!(
            sqlite_path("sqlite://antq-data/antq.db").unwrap(),
            PathBuf::from("antq-data/antq.db")
        );
        assert!(sqlite_path("sqlite::memory:").is_err());
    }
}
