//! `antq bench load`: the period-end rush over loopback. The server runs
//! as its own process (`antq serve` on 127.0.0.1, a free port) so that its
//! resident memory is its own; N commune officers log in, open their entry
//! page, save values into their yearly report again and again, then
//! submit; their provinces' officers approve what was submitted. Bounded
//! in officers, time and saves; reports saves per second, latency
//! percentiles and the server's resident memory (sampled from /proc).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use antq_core::auth::{NewPassword, Role, Username};
use antq_storage::accounts::users;
use antq_storage::audit::Who;
use antq_storage::Db;
use anyhow::Context;
use serde_json::{json, Value};
use sqlx::Row;

use crate::config::Settings;

/// The yearly report of this year: open in December.
const PERIOD: &str = "2026";

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// Today's communes (the first `n` by code) with their province.
async fn communes(db: &Db, n: usize) -> anyhow::Result<Vec<(String, String)>> {
    let rows = sqlx::query(
        "SELECT c.code, p.code FROM units c JOIN units p ON p.id = c.parent_id \
         WHERE c.level = 'commune' AND c.valid_to IS NULL AND p.valid_to IS NULL \
         ORDER BY c.code LIMIT $1",
    )
    .bind(n as i64)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// An account for the bench, made once; its password is this run's
/// (random, never written down).
async fn account(
    db: &Db,
    username: &str,
    role: Role,
    unit: &str,
    password: &str,
) -> anyhow::Result<()> {
    if let Some(id) = users::find_by_username(db, username).await? {
        users::set_password(db, &Who::system(), id, NewPassword::parse(password)?).await?;
        return Ok(());
    }
    let unit = antq_storage::units::get_at(
        db,
        &antq_core::units::UnitCode::parse(unit)?,
        antq_core::dates::today(),
    )
    .await?;
    users::create(
        db,
        &Who::system(),
        users::NewUser {
            username: Username::parse(username)?,
            display_name: String::new(),
            password: NewPassword::parse(password)?,
            grants: vec![(role, unit.id)],
        },
    )
    .await?;
    Ok(())
}

/// A logged-in browser: its cookie and CSRF token.
struct Officer {
    http: reqwest::Client,
    csrf: String,
}

async fn login(base: &str, username: &str, password: &str) -> anyhow::Result<Officer> {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(60))
        .build()?;
    let res = http
        .post(format!("{base}/api/v1/session"))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await?;
    anyhow::ensure!(
        res.status().is_success(),
        "{username}: login {}",
        res.status()
    );
    let v: Value = res.json().await?;
    let csrf = v["csrf_token"].as_str().unwrap_or_default().to_string();
    Ok(Officer { http, csrf })
}

impl Officer {
    async fn send(&self, method: reqwest::Method, url: String, body: Value) -> anyhow::Result<()> {
        let res = self
            .http
            .request(method, &url)
            .header("x-csrf-token", &self.csrf)
            .json(&body)
            .send()
            .await?;
        let status = res.status();
        let text = res.text().await.unwrap_or_default();
        anyhow::ensure!(status.is_success(), "{url}: {status} {text}");
        Ok(())
    }
}

/// The logged-in officer of province `code`.
fn province_officer<'a>(
    officers: &'a [(String, Officer)],
    code: &str,
) -> anyhow::Result<&'a Officer> {
    officers
        .iter()
        .find(|(c, _)| c == code)
        .map(|(_, o)| o)
        .context("province officer")
}

/// Resident memory of a process, in bytes.
fn rss_of(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// The server, as a child process on a free loopback port.
struct Server {
    child: std::process::Child,
    base: String,
}

/// The server, its limit of connections per address raised to the
/// officers' (they all come from 127.0.0.1, as behind a proxy).
fn start_server(settings: &Settings, officers: usize) -> anyhow::Result<Server> {
    use std::io::BufRead;
    let url = settings.database()?;
    let mut child = std::process::Command::new(std::env::current_exe()?)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("ANTQ__DATABASE_URL", url.expose())
        .env("ANTQ__DATA_DIR", &settings.data_dir)
        .env("ANTQ_LOG", "error")
        .env(
            "ANTQ__MAX_CONNECTIONS_PER_ADDRESS",
            (officers * 2 + 16).to_string(),
        )
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()?;
    let stdout = child.stdout.take().context("server stdout")?;
    let mut lines = std::io::BufReader::new(stdout).lines();
    let base = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(addr) = line.split("http://").nth(1) {
                    break format!("http://{}", addr.trim());
                }
            }
            _ => {
                let _ = child.kill();
                anyhow::bail!("máy chủ không khởi động được");
            }
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Ok(Server { child, base })
}

pub async fn load(
    db: &Db,
    settings: &Settings,
    officers: usize,
    seconds: u64,
    saves_each: usize,
) -> anyhow::Result<()> {
    // Only on a database made for measuring: it adds accounts and reopens,
    // overwrites and approves the reports of 2026.
    let others: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE username NOT LIKE 'tai.%'")
            .fetch_one(db.pool())
            .await?;
    anyhow::ensure!(
        others == 0,
        "cơ sở dữ liệu này có {others} người dùng thật: antq bench load chỉ chạy trên cơ sở dữ liệu dành để đo (antq migrate vào một tệp hay cơ sở dữ liệu mới)"
    );
    let units = communes(db, officers).await?;
    anyhow::ensure!(
        !units.is_empty(),
        "không có xã nào: chạy antq migrate trước"
    );
    let started = Instant::now();
    let mut provinces: Vec<String> = units.iter().map(|(_, p)| p.clone()).collect();
    provinces.sort();
    provinces.dedup();
    let password = format!("Do-tai-{}", &antq_core::auth::random_secret()[..20]);
    for (c, _) in &units {
        account(db, &format!("tai.{c}"), Role::Police, c, &password).await?;
    }
    for p in &provinces {
        account(db, &format!("tai.tinh{p}"), Role::Police, p, &password).await?;
    }
    println!(
        "{} cán bộ xã, {} cán bộ tỉnh (tạo tài khoản trong {} giây)",
        units.len(),
        provinces.len(),
        antq_core::text::format_decimal(started.elapsed().as_secs_f64(), 1)
    );
    let mut server = start_server(settings, units.len())?;
    let base = server.base.clone();
    let pid = server.child.id();
    let result = run(
        &base, pid, &units, &provinces, &password, seconds, saves_each,
    )
    .await;
    let _ = server.child.kill();
    let _ = server.child.wait();
    result
}

async fn run(
    base: &str,
    pid: u32,
    units: &[(String, String)],
    provinces: &[String],
    password: &str,
    seconds: u64,
    saves_each: usize,
) -> anyhow::Result<()> {
    // Logins one after another (one address: the throttle's limits for strangers).
    let t = Instant::now();
    let mut commune_officers = Vec::new();
    for (c, _) in units {
        commune_officers.push((c.clone(), login(base, &format!("tai.{c}"), password).await?));
    }
    let mut province_officers = Vec::new();
    for p in provinces {
        province_officers.push((
            p.clone(),
            login(base, &format!("tai.tinh{p}"), password).await?,
        ));
    }
    println!(
        "Đăng nhập: {} lượt trong {} giây (mỗi lượt một phép băm Argon2)",
        commune_officers.len() + province_officers.len(),
        antq_core::text::format_decimal(t.elapsed().as_secs_f64(), 1)
    );

    // A second run finds last run's reports approved: opened again first.
    for (c, p) in units {
        let officer = province_officer(&province_officers, p)?;
        let url = format!("{base}/api/v1/data/antq-nam/{c}/{PERIOD}");
        let state: Value = officer.http.get(&url).send().await?.json().await?;
        let step = match state["state"].as_str() {
            Some("approved") => "reopen",
            Some("submitted") => "return",
            _ => continue,
        };
        officer
            .send(
                reqwest::Method::POST,
                format!("{url}/{step}"),
                json!({"comment": "Mở lại để đo tải"}),
            )
            .await?;
    }

    let rss_peak = Arc::new(std::sync::atomic::AtomicU64::new(rss_of(pid).unwrap_or(0)));
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (rss_peak, stop) = (rss_peak.clone(), stop.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                if let Some(r) = rss_of(pid) {
                    rss_peak.fetch_max(r, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, (unit, officer)) in commune_officers.into_iter().enumerate() {
        let base = base.to_string();
        tasks.push(tokio::spawn(async move {
            let mut saves = Vec::with_capacity(saves_each);
            let page = officer
                .http
                .get(format!("{base}/so-lieu/antq-nam/{unit}/{PERIOD}"))
                .send()
                .await?;
            anyhow::ensure!(page.status().is_success(), "entry page {}", page.status());
            page.bytes().await?;
            let url = format!("{base}/api/v1/data/antq-nam/{unit}/{PERIOD}");
            for k in 0..saves_each {
                if Instant::now() >= deadline {
                    break;
                }
                let v = (i * 7 + k) as i64 % 500;
                let t = Instant::now();
                officer
                    .send(
                        reqwest::Method::PUT,
                        url.clone(),
                        json!({"values": {"tt_buoi": v + 1, "tt_luot": (v + 1) * 40, "gd_doi_tuong": v % 9 + 7, "gd_tien_bo": v % 7}}),
                    )
                    .await?;
                saves.push(t.elapsed());
            }
            officer
                .send(reqwest::Method::POST, format!("{url}/submit"), json!({}))
                .await?;
            Ok::<_, anyhow::Error>(saves)
        }));
    }
    let mut times = Vec::new();
    for t in tasks {
        times.extend(t.await??);
    }
    let wall = started.elapsed();
    // Provinces approve what their communes submitted.
    let t = Instant::now();
    let mut approvals = 0;
    for (c, p) in units {
        let officer = province_officer(&province_officers, p)?;
        officer
            .send(
                reqwest::Method::POST,
                format!("{base}/api/v1/data/antq-nam/{c}/{PERIOD}/approve"),
                json!({}),
            )
            .await?;
        approvals += 1;
    }
    let approve_wall = t.elapsed();
    stop.store(true, Ordering::Relaxed);
    let _ = sampler.await;
    times.sort();
    let ms = |x: f64| antq_core::text::format_decimal(x, 2);
    println!(
        "Lưu số liệu: {} lượt của {} cán bộ trong {} giây = {} lượt/giây; p50 {} ms, p95 {} ms, p99 {} ms, tối đa {} ms",
        antq_core::text::format_int(times.len() as i64),
        units.len(),
        antq_core::text::format_decimal(wall.as_secs_f64(), 1),
        antq_core::text::format_int((times.len() as f64 / wall.as_secs_f64()) as i64),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95)),
        ms(percentile(&times, 0.99)),
        ms(percentile(&times, 1.0)),
    );
    println!(
        "Duyệt: {approvals} báo cáo trong {} giây; bộ nhớ thường trú của máy chủ cao nhất {} MB",
        antq_core::text::format_decimal(approve_wall.as_secs_f64(), 1),
        antq_core::text::format_int((rss_peak.load(Ordering::Relaxed) / (1024 * 1024)) as i64)
    );
    Ok(())
}
