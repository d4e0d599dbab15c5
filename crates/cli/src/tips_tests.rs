use antq_core::tips::categories::default_categories;
use antq_core::tips::submission::{check_tip, NewTip};

use super::*;

const EXAMPLE: &str = include_str!("../../../docs/examples/tip.json");

fn err(bytes: &[u8]) -> String {
    parse_tip(bytes).unwrap_err().to_string()
}

/// The file's tip as the server's checks see it.
fn as_new_tip(map: &Map<String, Value>) -> NewTip {
    let s = |k: &str| map.get(k).and_then(Value::as_str).map(str::to_string);
    NewTip {
        category: s("category").unwrap(),
        unit_code: s("unit_code").unwrap(),
        area: s("area"),
        place: s("place"),
        happened: s("happened"),
        text: s("text").unwrap(),
        answers: map["answers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect(),
        identifiers: map["identifiers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["kind"].as_str().unwrap().into(),
                    i["value"].as_str().unwrap().into(),
                )
            })
            .collect(),
        concerns_local_officers: map["concerns_local_officers"].as_bool().unwrap(),
        contact: s("contact"),
    }
}

#[test]
fn the_example_is_a_valid_scam_tip_in_dong_thap() {
    let map = parse_tip(EXAMPLE.as_bytes()).unwrap();
    let tip = as_new_tip(&map);
    assert_eq!(tip.unit_code, "30037");
    let cat = default_categories()
        .into_iter()
        .find(|c| c.code == tip.category)
        .unwrap();
    assert!(cat.scam);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let content = check_tip(&cat, tip, today).unwrap();
    assert_eq!(content.identifiers.len(), 2);
    assert_eq!(content.identifiers[0].value, "0912345678");
}

#[test]
fn files_are_bounded_and_checked() {
    let big = format!("{{\"text\": \"{}\"}}", "a".repeat(70_000));
    assert_eq!(
        err(big.as_bytes()),
        "Tệp tin báo lớn hơn 64 KB: xin rút gọn nội dung"
    );
    assert!(err(b"[1, 2]").starts_with("Tệp tin báo phải là một đối tượng JSON"));
    assert!(err(b"{\"text\": ").starts_with("Tệp tin báo không phải JSON hợp lệ"));
    let mut map = parse_tip(EXAMPLE.as_bytes()).unwrap();
    map.insert("nonce".into(), Value::from(1));
    let with_nonce = serde_json::to_vec(&map).unwrap();
    assert!(err(&with_nonce).starts_with("Tệp tin báo có trường lạ \"nonce\""));
    let no_text = br#"{"category": "khac", "unit_code": "30037"}"#;
    assert_eq!(
        err(no_text),
        "Tệp tin báo thiếu trường \"text\" (một chuỗi chữ)"
    );
    let bad_ids =
        br#"{"category": "khac", "unit_code": "1", "text": "abc", "identifiers": ["0912"]}"#;
    assert!(err(bad_ids).starts_with("Định danh thứ 1 phải có dạng"));
    let bad_answers =
        br#"{"category": "khac", "unit_code": "1", "text": "abc", "answers": {"a": 1}}"#;
    assert!(err(bad_answers).starts_with("Trường \"answers\" phải là"));
    let bad_flag =
        r#"{"category": "khac", "unit_code": "1", "text": "abc", "concerns_local_officers": "có"}"#
            .as_bytes();
    assert!(err(bad_flag).starts_with("Trường \"concerns_local_officers\""));
}

#[test]
fn a_missing_file_is_said_in_vietnamese() {
    let e = read_tip(Path::new("/nonexistent/tip.json")).unwrap_err();
    assert!(e.to_string().starts_with("Không mở được tệp tin báo"));
}

#[test]
fn servers_are_http_addresses() {
    assert_eq!(
        server_base("http://127.0.0.1:8080/").unwrap(),
        "http://127.0.0.1:8080"
    );
    assert!(server_base("https://antq.example.vn")
        .unwrap_err()
        .to_string()
        .contains("chỉ gửi được qua http"));
    assert!(server_base("127.0.0.1:8080").is_err());
    assert!(server_base("http://").is_err());
}

#[test]
fn a_refusal_gives_the_servers_words() {
    let status = reqwest::StatusCode::TOO_MANY_REQUESTS;
    let body = r#"{"error": "Quá nhiều tin báo hôm nay"}"#.as_bytes();
    assert_eq!(refusal(status, body), "Quá nhiều tin báo hôm nay");
    let body = r#"{"error": "invalid", "message": "Nội dung tin báo quá ngắn"}"#.as_bytes();
    assert_eq!(refusal(status, body), "Nội dung tin báo quá ngắn");
    assert_eq!(refusal(status, b"<html>"), "máy chủ trả lời mã 429");
}

/// A stand-in for the server on loopback: a challenge of 8 bits, then 201
/// with a receipt when the nonce solves it, 400 with a message otherwise.
async fn fake_server(refuse: bool) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            let (head, body) = loop {
                let n = s.read(&mut chunk).await.unwrap();
                buf.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&buf).to_string();
                if let Some((head, body)) = text.split_once("\r\n\r\n") {
                    let len = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length: ")
                                .map(|v| v.trim().parse::<usize>().unwrap())
                        })
                        .unwrap_or(0);
                    if body.len() >= len {
                        break (head.to_string(), body.to_string());
                    }
                }
                assert!(n > 0, "the client closed early");
            };
            let (status, answer) = if head.starts_with("GET /api/v1/public/tips/challenge ") {
                ("200 OK", r#"{"token": "abc", "difficulty": 8}"#.to_string())
            } else if head.starts_with("POST /api/v1/public/tips ") {
                let v: Value = serde_json::from_str(&body).unwrap();
                let nonce = v["nonce"].as_u64().unwrap();
                let solved =
                    v["challenge"] == "abc" && antq_core::tips::pow::verify("abc", nonce, 8);
                assert_eq!(v["unit_code"], "30037", "the file's fields are sent");
                if solved && !refuse {
                    (
                        "201 Created",
                        r#"{"receipt": "1234 5678 9012 3456"}"#.to_string(),
                    )
                } else {
                    (
                        "400 Bad Request",
                        r#"{"error": "invalid", "message": "Đơn vị không tồn tại"}"#.to_string(),
                    )
                }
            } else {
                ("404 Not Found", "{}".to_string())
            };
            let reply = format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            );
            s.write_all(reply.as_bytes()).await.unwrap();
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_tip_is_sent_as_a_browser_would() {
    let tip = parse_tip(EXAMPLE.as_bytes()).unwrap();
    let base = fake_server(false).await;
    assert_eq!(
        send(&base, tip.clone()).await.unwrap(),
        Ok("1234 5678 9012 3456".to_string())
    );
    let base = fake_server(true).await;
    assert_eq!(
        send(&base, tip).await.unwrap(),
        Err("Đơn vị không tồn tại".to_string())
    );
}
