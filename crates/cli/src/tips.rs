//! `antq tip send`: submit a tip as a citizen's browser would, for hotlines
//! that take tips by phone and for tests. The tip is read from a JSON file
//! (see `docs/examples/tip.json`), the server's proof of work is solved,
//! and the receipt is printed once. Nothing of the tip is logged.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context};
use serde::Deserialize;
use serde_json::{Map, Value};

/// The largest tip file read, in bytes.
pub const MAX_FILE: u64 = 64 * 1024;
/// The hardest proof of work solved (leading zero bits); a server asking
/// more is refused rather than left to run for hours.
pub const MAX_DIFFICULTY: u32 = 28;

const FIELDS: [&str; 10] = [
    "category",
    "unit_code",
    "area",
    "place",
    "happened",
    "text",
    "answers",
    "identifiers",
    "concerns_local_officers",
    "contact",
];

#[derive(clap::Subcommand)]
pub enum Command {
    /// Send a tip from a JSON file to an antq server (solving its proof of
    /// work, as the public page does) and print the receipt.
    Send {
        /// The server's address, e.g. http://127.0.0.1:8080.
        #[arg(long)]
        server: String,
        /// The tip: category, unit_code, area, place, happened, text,
        /// answers {key: value}, identifiers [{kind, value}],
        /// concerns_local_officers, contact.
        #[arg(long)]
        file: PathBuf,
    },
    /// The escrow key, which an administrator switches on knowingly: with
    /// it, the tips that come while it is on can be read again by an
    /// officer who lost both the password and the recovery code.
    Escrow {
        #[command(subcommand)]
        command: crate::tips_admin::EscrowCommand,
    },
    /// Destroy the closed tips whose retention has passed (content and
    /// keys; `serve` also does it every hour).
    Sweep,
}

pub async fn run(command: Command, db: Option<&antq_storage::Db>) -> anyhow::Result<ExitCode> {
    match command {
        Command::Escrow { command } => {
            crate::tips_admin::escrow(db.context("cần cơ sở dữ liệu")?, command).await
        }
        Command::Sweep => crate::tips_admin::sweep(db.context("cần cơ sở dữ liệu")?).await,
        Command::Send { server, file } => {
            let tip = read_tip(&file)?;
            let base = server_base(&server)?;
            match send(&base, tip).await? {
                Ok(receipt) => {
                    println!("Đã gửi tin báo. Mã biên nhận: {receipt}");
                    println!(
                        "Hãy ghi lại mã này và giữ kín: không ai cấp lại được. Dùng mã để xem trả lời và bổ sung thông tin."
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(message) => {
                    eprintln!("Máy chủ không nhận tin báo: {message}");
                    Ok(ExitCode::from(2))
                }
            }
        }
    }
}

/// The server's base address: http only (this build has no TLS; send
/// through a local address or a proxy), without a trailing slash.
pub fn server_base(server: &str) -> anyhow::Result<String> {
    let s = server.trim().trim_end_matches('/');
    if s.len() > 2_000 {
        bail!("Địa chỉ máy chủ quá dài");
    }
    if s.starts_with("https://") {
        bail!(
            "Bản antq này chỉ gửi được qua http (chưa có TLS): dùng địa chỉ http nội bộ của máy chủ, hoặc gửi qua trang tin báo công khai"
        );
    }
    if !s.starts_with("http://") || s.len() <= "http://".len() {
        bail!("Địa chỉ máy chủ phải bắt đầu bằng http://, ví dụ http://127.0.0.1:8080");
    }
    Ok(s.to_string())
}

/// Read and check the tip file: at most 64 KB of JSON, an object with the
/// tip's fields only, each of the right type.
pub fn read_tip(path: &Path) -> anyhow::Result<Map<String, Value>> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("Không mở được tệp tin báo {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("Không đọc được tệp tin báo {}", path.display()))?;
    parse_tip(&bytes)
}

/// Check a tip as read from its file (see [`read_tip`]).
pub fn parse_tip(bytes: &[u8]) -> anyhow::Result<Map<String, Value>> {
    if bytes.len() as u64 > MAX_FILE {
        bail!("Tệp tin báo lớn hơn 64 KB: xin rút gọn nội dung");
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        anyhow::anyhow!(
            "Tệp tin báo không phải JSON hợp lệ (dòng {}, cột {})",
            e.line(),
            e.column()
        )
    })?;
    let Value::Object(map) = value else {
        bail!("Tệp tin báo phải là một đối tượng JSON {{\"category\": …, \"text\": …}}");
    };
    for key in map.keys() {
        if !FIELDS.contains(&key.as_str()) {
            bail!(
                "Tệp tin báo có trường lạ \"{}\": chỉ dùng {}",
                key.chars().take(40).collect::<String>(),
                FIELDS.join(", ")
            );
        }
    }
    for key in ["category", "unit_code", "text"] {
        match map.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => {}
            _ => bail!("Tệp tin báo thiếu trường \"{key}\" (một chuỗi chữ)"),
        }
    }
    for key in ["area", "place", "happened", "contact"] {
        if !matches!(map.get(key), None | Some(Value::Null | Value::String(_))) {
            bail!("Trường \"{key}\" phải là một chuỗi chữ");
        }
    }
    if !matches!(
        map.get("concerns_local_officers"),
        None | Some(Value::Bool(_))
    ) {
        bail!("Trường \"concerns_local_officers\" phải là true hoặc false");
    }
    check_answers(map.get("answers"))?;
    check_identifiers(map.get("identifiers"))?;
    Ok(map)
}

fn check_answers(v: Option<&Value>) -> anyhow::Result<()> {
    match v {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Object(m)) if m.values().all(Value::is_string) => Ok(()),
        _ => bail!("Trường \"answers\" phải là một đối tượng {{\"mã câu hỏi\": \"câu trả lời\"}}"),
    }
}

fn check_identifiers(v: Option<&Value>) -> anyhow::Result<()> {
    let items = match v {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::Array(items)) => items,
        _ => bail!("Trường \"identifiers\" phải là một danh sách [{{\"kind\": …, \"value\": …}}]"),
    };
    for (i, item) in items.iter().enumerate() {
        let ok = item.as_object().is_some_and(|o| {
            o.len() == 2
                && o.get("kind").is_some_and(Value::is_string)
                && o.get("value").is_some_and(Value::is_string)
        });
        if !ok {
            bail!(
                "Định danh thứ {} phải có dạng {{\"kind\": \"phone\", \"value\": \"0912 345 678\"}}",
                i + 1
            );
        }
    }
    Ok(())
}

#[derive(Deserialize)]
struct Challenge {
    token: String,
    difficulty: u32,
}

/// The server's answer to a refused request, in its words.
fn refusal(status: reqwest::StatusCode, body: &[u8]) -> String {
    let v: Option<Value> = serde_json::from_slice(body).ok();
    let said = v.as_ref().and_then(|v| {
        ["message", "error"]
            .iter()
            .find_map(|k| v.get(*k).and_then(Value::as_str))
            .map(|s| s.chars().take(500).collect::<String>())
    });
    said.unwrap_or_else(|| format!("máy chủ trả lời mã {}", status.as_u16()))
}

/// Fetch a challenge, solve it, post the tip: the receipt, or the server's
/// reason for refusing it.
async fn send(base: &str, mut tip: Map<String, Value>) -> anyhow::Result<Result<String, String>> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .context("Không khởi tạo được kết nối")?;
    let url = format!("{base}/api/v1/public/tips/challenge");
    let answer = client
        .get(&url)
        .send()
        .await
        .with_context(|| format!("Không kết nối được máy chủ {base}"))?;
    let status = answer.status();
    let body = answer.bytes().await.context("Máy chủ ngắt kết nối")?;
    if !status.is_success() {
        return Ok(Err(refusal(status, &body)));
    }
    let challenge: Challenge = serde_json::from_slice(&body)
        .context("Máy chủ không trả về thử thách chống gửi tràn (token, difficulty)")?;
    if challenge.difficulty > MAX_DIFFICULTY || challenge.token.len() > 1_000 {
        bail!(
            "Máy chủ đòi bằng chứng công việc quá khó ({} bit, tối đa {MAX_DIFFICULTY})",
            challenge.difficulty
        );
    }
    let token = challenge.token.clone();
    let nonce = tokio::task::spawn_blocking(move || {
        antq_core::tips::pow::solve(&token, challenge.difficulty)
    })
    .await
    .context("Không giải được thử thách chống gửi tràn")?;
    tip.insert("challenge".into(), Value::String(challenge.token));
    tip.insert("nonce".into(), Value::from(nonce));
    let answer = client
        .post(format!("{base}/api/v1/public/tips"))
        .json(&tip)
        .send()
        .await
        .with_context(|| format!("Không gửi được tin báo đến máy chủ {base}"))?;
    let status = answer.status();
    let body = answer.bytes().await.context("Máy chủ ngắt kết nối")?;
    if status != reqwest::StatusCode::CREATED {
        return Ok(Err(refusal(status, &body)));
    }
    let v: Value = serde_json::from_slice(&body).context("Máy chủ trả lời không đúng định dạng")?;
    match v.get("receipt").and_then(Value::as_str) {
        Some(r) if r.len() <= 100 => Ok(Ok(r.to_string())),
        _ => bail!("Máy chủ nhận tin báo nhưng không trả mã biên nhận"),
    }
}

#[cfg(test)]
#[path = "tips_tests.rs"]
mod tests;
