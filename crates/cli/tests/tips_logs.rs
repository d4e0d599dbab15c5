//! A citizen's tip through the real binary: `antq serve --demo` with its
//! most talkative log level, `antq tip send` solving the proof of work as a
//! hotline's script would, the commune police reading the tip over the API;
//! then the server's whole output (stdout and stderr) is searched for
//! anything the citizen wrote: none of it may be there.

use std::fs::{self, File};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "Demo-tin-bao-nhat-ky-2026";

struct Server {
    child: Child,
    dir: PathBuf,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

impl Server {
    fn log(&self) -> String {
        ["out.log", "err.log"]
            .iter()
            .map(|f| fs::read_to_string(self.dir.join(f)).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

fn start() -> Server {
    let dir = std::env::temp_dir().join(format!(
        "antq-tips-logs-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    fs::create_dir_all(&dir).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_antq"))
        .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
        .env(
            "ANTQ__DATABASE_URL",
            format!("sqlite://{}", dir.join("antq.db").display()),
        )
        .env("ANTQ__DATA_DIR", &dir)
        .env("ANTQ__DEMO_PASSWORD", PASSWORD)
        .env("ANTQ__TIPS_DIFFICULTY", "8")
        // Everything antq and its libraries say.
        .env("ANTQ_LOG", "trace")
        .stdin(Stdio::null())
        .stdout(File::create(dir.join("out.log")).unwrap())
        .stderr(File::create(dir.join("err.log")).unwrap())
        .spawn()
        .expect("the antq binary runs");
    let mut server = Server {
        child,
        dir,
        base: String::new(),
    };
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(300) {
        let out = fs::read_to_string(server.dir.join("out.log")).unwrap_or_default();
        if let Some(at) = out.find("http://127.0.0.1:") {
            let rest = &out[at..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || ":/.".contains(c)))
                .unwrap_or(rest.len());
            server.base = rest[..end].trim_end_matches('/').to_string();
            return server;
        }
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!("antq exited with {status}: {}", server.log());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("antq did not start: {}", server.log());
}

#[tokio::test]
async fn nothing_a_citizen_writes_reaches_the_server_log() {
    let server = start();
    let stamp = std::process::id();
    let text = format!(
        "Nhóm đối tượng Mật-danh-Sông-Nậm-Rốm-{stamp} tổ chức đánh bạc ở bãi đất trống sau chợ."
    );
    let contact = format!("Liên hệ chị Lò Thị Hiền-{stamp}");
    let phone = "0987 65 43 21";
    let tip = serde_json::json!({
        "category": "lua_dao_mang",
        "unit_code": "03325",
        "place": format!("Bản Tọ Cáy-{stamp}"),
        "text": text,
        "answers": {"cach_lien_lac": "Điện thoại"},
        "identifiers": [{"kind": "phone", "value": phone}],
        "contact": contact,
    });
    let file = server.dir.join("tip.json");
    fs::write(&file, serde_json::to_vec(&tip).unwrap()).unwrap();
    let sent = Command::new(env!("CARGO_BIN_EXE_antq"))
        .args(["tip", "send", "--server", &server.base, "--file"])
        .arg(&file)
        .env("ANTQ_LOG", "warn")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&sent.stdout).into_owned();
    assert!(
        sent.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&sent.stderr)
    );
    let receipt: String = said
        .lines()
        .map(|l| l.chars().filter(char::is_ascii_digit).collect::<String>())
        .find(|d| d.len() == 16)
        .unwrap_or_else(|| panic!("a receipt is printed: {said}"));

    // The commune police read it (their key opened at login).
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let url = |p: &str| format!("{}{p}", server.base);
    let login: serde_json::Value = client
        .post(url("/api/v1/session"))
        .json(&serde_json::json!({"username": "ca.muongphang", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(login["csrf_token"].is_string(), "{login}");
    let get = |path: String| {
        let request = client.get(url(&path));
        async move {
            let answer = request.send().await.unwrap();
            answer.json::<serde_json::Value>().await.unwrap()
        }
    };
    let list = get("/api/v1/tips?state=new".into()).await;
    let ids: Vec<i64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["id"].as_i64())
        .collect();
    let mut found = false;
    for id in ids {
        let open = get(format!("/api/v1/tips/{id}")).await;
        if open["content"]["text"] == text.as_str() {
            found = true;
            break;
        }
    }
    assert!(found, "the commune police read the tip");

    let log = server.log();
    assert!(log.contains("127.0.0.1"), "the output was captured: {log}");
    // The most talkative level was on: the database library's statements are there.
    assert!(log.contains("sqlx"), "trace logging was on");
    for secret in [
        text.as_str(),
        &format!("Mật-danh-Sông-Nậm-Rốm-{stamp}"),
        &format!("Hiền-{stamp}"),
        &format!("Tọ Cáy-{stamp}"),
        "0987654321",
        "0987 65 43 21",
        &receipt,
        &receipt
            .as_bytes()
            .chunks(4)
            .map(|g| String::from_utf8_lossy(g).into_owned())
            .collect::<Vec<_>>()
            .join(" "),
    ] {
        assert!(!log.contains(secret), "the log holds «{secret}»");
    }
}
