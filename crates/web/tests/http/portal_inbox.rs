//! "Gửi ban biên tập" over HTTP: the public API with the tips' proof of
//! work and limits, the page without JavaScript (the wait), and the
//! editors' inbox (states, answer, archive, spam, draft) refused to
//! officers without the editor roles.

use std::time::Duration;

use antq_core::auth::Role;
use base64::Engine;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{multipart_form, spawn_app_with, Agent, TestApp};
use crate::tips::{solved, vietnamese_error};

async fn app(per_unit_per_day: i64) -> TestApp {
    spawn_app_with(|c| {
        c.tips.difficulty = 8;
        c.tips.per_unit_per_day = per_unit_per_day;
        c.tips.no_script_wait = Duration::ZERO;
    })
    .await
}

fn message(unit: &str, subject: &str) -> Value {
    json!({
        "unit_code": unit,
        "kind": "correction",
        "name": "Lò Văn Thành",
        "contact": "0912 000 111",
        "subject": subject,
        "body": "Bài viết ghi nhầm số tổ chức quần chúng tự quản của tỉnh."
    })
}

async fn send(a: &Agent, mut body: Value) -> (StatusCode, Value) {
    let (token, nonce) = solved(a).await;
    body["challenge"] = json!(token);
    body["nonce"] = json!(nonce);
    a.post_json("/api/v1/public/editor-messages", body).await
}

async fn ids(app: &TestApp) -> Vec<i64> {
    sqlx::query_scalar("SELECT id FROM editor_messages ORDER BY id")
        .fetch_all(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn readers_write_to_the_editors_with_proof_of_work_and_limits() {
    let app = app(2).await;
    let reader = app.agent();
    let (s, v) = send(&reader, message("11", "Đính chính số liệu")).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v, json!({"received": true}));

    // Without work, with a used token, or a wrong one: refused.
    let (s, v) = reader
        .post_json("/api/v1/public/editor-messages", {
            let mut b = message("11", "Không có thử thách");
            b["challenge"] = json!("v1.1.8.00.00");
            b["nonce"] = json!(0);
            b
        })
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    vietnamese_error(&v);
    let (token, nonce) = solved(&reader).await;
    // Refused for its content (a commune, a short body): the token is kept.
    let mut b = message("03325", "Gửi xã");
    b["challenge"] = json!(token);
    b["nonce"] = json!(nonce);
    let (s, v) = reader.post_json("/api/v1/public/editor-messages", b).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(vietnamese_error(&v).contains("tỉnh, thành phố"));
    let mut b = message("11", "Ngắn");
    b["body"] = json!("Ngắn");
    b["challenge"] = json!(token);
    b["nonce"] = json!(nonce);
    let (s, v) = reader.post_json("/api/v1/public/editor-messages", b).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    // A PDF with it, then the same token again.
    let mut b = message("VN", "Gửi ban biên tập cả nước");
    b["attachment"] =
        json!({"data": base64::engine::general_purpose::STANDARD.encode(b"%PDF-1.7 thu")});
    b["challenge"] = json!(token);
    b["nonce"] = json!(nonce);
    let (s, v) = reader
        .post_json("/api/v1/public/editor-messages", b.clone())
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = reader.post_json("/api/v1/public/editor-messages", b).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "used once: {v}");
    // Not a picture nor a PDF.
    let mut b = message("11", "Tệp lạ");
    b["attachment"] =
        json!({"data": base64::engine::general_purpose::STANDARD.encode(b"MZ\x90\x00")});
    let (s, v) = send(&reader, b).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");

    // The unit's daily limit (2).
    let (s, v) = send(&reader, message("11", "Thư thứ hai")).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = send(&reader, message("11", "Thư thứ ba")).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{v}");
    vietnamese_error(&v);
    assert_eq!(ids(&app).await.len(), 3);

    // Nothing but what was typed and the day.
    let (day, name): (String, String) =
        sqlx::query_as("SELECT received_on, name FROM editor_messages ORDER BY id LIMIT 1")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(day.len(), 10, "a day, no time: {day}");
    assert_eq!(name, "Lò Văn Thành");
    // Described in the API's document.
    let (_, doc) = reader.get_json("/api/v1/openapi.json").await;
    assert!(doc["paths"]["/public/editor-messages"]["post"].is_object());
}

/// The challenge of a page's form.
fn challenge_of(html: &str) -> String {
    let at = html
        .find("name=\"challenge\" value=\"")
        .expect("a challenge")
        + 24;
    html[at..].split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn the_page_works_without_javascript() {
    let app = app(100).await;
    let reader = app.agent();
    let page = reader.get("/gui-ban-bien-tap").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let html = page.text().await.unwrap();
    assert!(html.contains("Gửi ban biên tập"));
    let token = challenge_of(&html);
    let fields = |subject: &'static str, token: &str| {
        vec![
            ("challenge", token.to_string()),
            ("nonce", "0".into()),
            ("unit", "Tỉnh Điện Biên".into()),
            ("unit_pick", "".into()),
            ("kind", "story".into()),
            ("subject", subject.into()),
            (
                "body",
                "Bản Phăng tổ chức ngày hội toàn dân bảo vệ an ninh Tổ quốc.".into(),
            ),
        ]
    };
    // A form refused (no subject) comes back with what was typed and its token.
    let f = fields("", &token);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (ct, body) = multipart_form(&f, &[]);
    let res = reader
        .client
        .post(reader.url("/gui-ban-bien-tap"))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let back = res.text().await.unwrap();
    assert!(back.contains("Chưa có tiêu đề"), "{back}");
    assert!(back.contains("Bản Phăng tổ chức"));
    assert_eq!(challenge_of(&back), token);
    // With a subject and a PDF: thanked.
    let f = fields("Ngày hội ở bản Phăng", &token);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (ct, body) = multipart_form(&f, &[("attachment", b"%PDF-1.4 bai")]);
    let res = reader
        .client
        .post(reader.url("/gui-ban-bien-tap"))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/gui-ban-bien-tap/da-gui");
    let thanks = reader.get("/gui-ban-bien-tap/da-gui").await;
    assert_eq!(thanks.status(), StatusCode::OK);
    assert!(thanks.text().await.unwrap().contains("đã nhận thư"));
    let (unit, kind, media): (i64, String, Option<String>) =
        sqlx::query_as("SELECT unit_id, kind, attachment_type FROM editor_messages")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(unit, app.unit_id("11").await);
    assert_eq!(kind, "story");
    assert_eq!(media.as_deref(), Some("application/pdf"));
}

#[tokio::test]
async fn editors_handle_their_inbox_and_others_are_refused() {
    let app = app(100).await;
    let reader = app.agent();
    send(&reader, message("11", "Đính chính số liệu")).await;
    send(&reader, message("82", "Thư cho Đồng Tháp")).await;
    let id = ids(&app).await[0];
    let editor = app.logged_in("bientap.db", Role::Editor, "11").await;
    let elsewhere = app.logged_in("bientap.dt", Role::Editor, "82").await;
    let police = app.logged_in("ca.db", Role::Police, "11").await;
    let front = app.logged_in("mt.db", Role::Front, "11").await;

    let list = editor.get("/bien-tap/thu").await;
    assert_eq!(list.status(), StatusCode::OK);
    let html = list.text().await.unwrap();
    assert!(html.contains("Mới (1)"), "{html}");
    assert!(html.contains("Đính chính số liệu"));
    assert!(!html.contains("Thư cho Đồng Tháp"));
    for other in [&police, &front] {
        assert_eq!(
            other.get("/bien-tap/thu").await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            other.get(&format!("/bien-tap/thu/{id}")).await.status(),
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        elsewhere.get(&format!("/bien-tap/thu/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        elsewhere
            .post_form(&format!("/bien-tap/thu/{id}/trang-thai"), &[("to", "rac")])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // Opening marks it seen; the contact to answer by is shown.
    let page = editor.get(&format!("/bien-tap/thu/{id}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("0912 000 111"));
    assert!(html.contains("Đã xem"));
    assert!(editor
        .get("/bien-tap/thu")
        .await
        .text()
        .await
        .unwrap()
        .contains("Đã xem (1)"));

    let res = editor
        .post_form(
            &format!("/bien-tap/thu/{id}/tra-loi"),
            &[(
                "answer",
                "Đã gọi điện cảm ơn bạn đọc.\r\nHẹn đăng bài vào tuần sau.",
            )],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = editor
        .get(&format!("/bien-tap/thu/{id}"))
        .await
        .text()
        .await
        .unwrap();
    // Each line of the answer stays a paragraph.
    assert!(
        html.contains("<p>Đã gọi điện cảm ơn bạn đọc.</p>\n  <p>Hẹn đăng bài vào tuần sau.</p>"),
        "{html}"
    );
    for to in ["luu-tru", "rac", "da-xem"] {
        let res = editor
            .post_form(&format!("/bien-tap/thu/{id}/trang-thai"), &[("to", to)])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{to}");
    }
    let res = editor
        .post_form(&format!("/bien-tap/thu/{id}/tao-bai"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/bien-tap/bai/"), "{to}");
    // The draft opens in the editors' article page.
    let draft = editor.get(&to).await;
    assert_eq!(draft.status(), StatusCode::OK);
    assert!(draft.text().await.unwrap().contains("Đính chính số liệu"));
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE entity = 'editor_message' ORDER BY id",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        actions,
        vec![
            "editor_message.seen",
            "editor_message.answer",
            "editor_message.state",
            "editor_message.state",
            "editor_message.state",
            "editor_message.draft"
        ]
    );
}
