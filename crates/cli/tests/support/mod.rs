//! Running the real `antq` binary for the operations tests (backup under
//! load, the crash harness): its commands, its server on a free loopback
//! port, officers talking to it through the API with tokens.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The password every test officer gets.
pub const PASSWORD: &str = "Mat-khau-thu-2026!";

/// A place for one test's database (SQLite) or its data directory.
pub fn temp_dir(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "antq-{what}-{}",
        &antq_core::auth::random_secret()[..12]
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Run `antq ARGS` against a database and data directory.
pub fn antq(db_url: &str, data_dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_antq"))
        .args(args)
        .env("ANTQ__DATABASE_URL", db_url)
        .env("ANTQ__DATA_DIR", data_dir)
        .env("ANTQ_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the antq binary runs");
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `antq ARGS`, which must succeed; its output.
pub fn antq_ok(db_url: &str, data_dir: &Path, args: &[&str], stdin: Option<&str>) -> String {
    let out = antq(db_url, data_dir, args, stdin);
    assert!(out.status.success(), "antq {args:?} failed: {}", text(&out));
    text(&out)
}

/// A police officer of `unit` with an API token.
pub fn officer(db_url: &str, data_dir: &Path, username: &str, unit: &str) -> String {
    antq_ok(
        db_url,
        data_dir,
        &[
            "user",
            "add",
            "--username",
            username,
            "--role",
            "police",
            "--unit",
            unit,
        ],
        Some(&format!("{PASSWORD}\n")),
    );
    let out = antq(
        db_url,
        data_dir,
        &["user", "token", "--username", username],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// `antq serve` on a free loopback port.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub fn start(db_url: &str, data_dir: &Path) -> Server {
        Server::start_with(db_url, data_dir, &[])
    }

    /// With more settings in the environment (`ANTQ__TRUST_PROXY`, …).
    pub fn start_with(db_url: &str, data_dir: &Path, env: &[(&str, &str)]) -> Server {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(data_dir.join("server.log"))
            .unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_antq"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env("ANTQ__DATABASE_URL", db_url)
            .env("ANTQ__DATA_DIR", data_dir)
            .env("ANTQ_LOG", "warn")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("antq serve starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if !sent {
                    if let Some(addr) = line.split("http://").nth(1) {
                        let _ = tx.send(format!("http://{}", addr.trim()));
                        sent = true;
                    }
                }
            }
        });
        let base = match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(b) => b,
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "antq serve did not start; its log: {}",
                    std::fs::read_to_string(data_dir.join("server.log")).unwrap_or_default()
                );
            }
        };
        Server { child, base }
    }

    /// SIGKILL: no shutdown, no flush, nothing finished.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An officer's API client.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Client {
    pub fn new(base: &str, token: &str) -> Client {
        Client {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
            base: base.to_string(),
            token: token.to_string(),
        }
    }

    /// One request; Err when no answer came (the server died meanwhile).
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<(u16, Value), reqwest::Error> {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await?;
        let status = res.status().as_u16();
        let body = res.json::<Value>().await.unwrap_or(Value::Null);
        Ok((status, body))
    }

    /// Save `tt_buoi = n` into a commune's yearly report.
    pub async fn save(&self, unit: &str, n: i64) -> Result<(u16, Value), reqwest::Error> {
        self.send(
            reqwest::Method::PUT,
            &report_path(unit),
            Some(json!({"values": {"tt_buoi": n}})),
        )
        .await
    }

    pub async fn report(&self, unit: &str) -> Value {
        let (s, v) = self
            .send(reqwest::Method::GET, &report_path(unit), None)
            .await
            .expect("the server answers");
        assert_eq!(s, 200, "{v}");
        v
    }
}

/// The yearly report of 2026 every test writes into.
pub fn report_path(unit: &str) -> String {
    format!("/api/v1/data/antq-nam/{unit}/2026")
}

/// A report's `tt_buoi` (0 when it holds none).
pub fn sessions_of(report: &Value) -> i64 {
    report["values"]["tt_buoi"]["value"].as_f64().unwrap_or(0.0) as i64
}

/// Communes of Điện Biên (province 11) that the tests write into.
pub const COMMUNES: [&str; 12] = [
    "03151", "03158", "03160", "03162", "03163", "03164", "03166", "03169", "03172", "03175",
    "03176", "03127",
];

/// Wait until `f` holds or `limit` passes.
pub fn wait_until(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
    let started = Instant::now();
    while started.elapsed() < limit {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// The rollups maintained on write equal a rebuild from the reports.
pub async fn assert_rollups_equal_rebuild(db: &antq_storage::Db, what: &str) {
    antq_storage::testing::assert_rollups_equal_rebuild(db, what).await;
}
