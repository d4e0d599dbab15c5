//! What an operator watches: `/readyz` says whether the server can work
//! (and what is missing when not); `/metrics` counts requests by route and
//! status, saves and throttled logins, and opens only to allowed
//! addresses or the configured token.

use antq_core::auth::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with};

async fn metrics(base: &str, headers: &[(&str, &str)]) -> (StatusCode, String) {
    let mut req = reqwest::Client::new().get(format!("{base}/metrics"));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

#[tokio::test]
async fn ready_until_the_schema_falls_behind() {
    let app = spawn_app().await;
    let a = app.agent();
    let (s, r) = a.get_json("/readyz").await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["status"], "ready");
    assert_eq!(r["schema"]["pending"], 0);
    assert_eq!(r["search_changes_behind"], 0);

    // A database a step behind the binary (as before `antq migrate`).
    sqlx::query("DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)")
        .execute(app.db.pool())
        .await
        .unwrap();
    let (s, r) = a.get_json("/readyz").await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{r}");
    assert_eq!(r["schema"]["pending"], 1);
    let problems: Vec<Value> = r["problems"].as_array().unwrap().clone();
    assert!(
        problems[0]
            .as_str()
            .unwrap()
            .starts_with("Cơ sở dữ liệu chưa được nâng cấp"),
        "{r}"
    );
    // Liveness is another question: the process still answers.
    let (s, _) = a.get_json("/healthz").await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn metrics_count_routes_saves_and_throttled_logins() {
    let app = spawn_app().await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let (s, r) = commune
        .send_json(
            Method::PUT,
            "/api/v1/data/antq-nam/03325/2026",
            json!({"values": {"tt_buoi": 3}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let (s, _) = commune.get_json("/api/v1/data/antq-nam/03325/9999").await;
    assert!(s.is_client_error());

    let (s, text) = metrics(&app.base, &[]).await;
    assert_eq!(s, StatusCode::OK, "loopback may read: {text}");
    assert!(text.contains(
        "antq_http_requests_total{method=\"PUT\",route=\"/api/v1/data/{form}/{unit}/{period}\",status=\"200\"} 1\n"
    ), "{text}");
    assert!(text.contains("antq_http_request_duration_seconds_bucket{method=\"PUT\",route=\"/api/v1/data/{form}/{unit}/{period}\",le=\"+Inf\"} 1\n"));
    assert!(text.contains("\nantq_saves_total 1\n"), "{text}");
    assert!(text.contains("\nantq_throttled_logins_total 0\n"));
    assert!(text.contains("\nantq_db_pool_connections "));
    // What clients typed never becomes a label: only route templates do.
    assert!(!text.contains("9999"));

    // Wrong passwords until the throttle refuses: counted.
    let stranger = app.agent();
    let mut throttled = false;
    for _ in 0..30 {
        let (s, _) = stranger
            .send_json(
                Method::POST,
                "/api/v1/session",
                json!({"username": "ca.muongphang", "password": "sai-mat-khau"}),
            )
            .await;
        if s == StatusCode::TOO_MANY_REQUESTS {
            throttled = true;
            break;
        }
    }
    assert!(throttled);
    let (_, text) = metrics(&app.base, &[]).await;
    assert!(
        !text.contains("\nantq_throttled_logins_total 0\n"),
        "{text}"
    );
}

#[tokio::test]
async fn metrics_open_only_to_allowed_addresses_or_the_token() {
    let app = spawn_app_with(|c| {
        c.metrics_allow = vec![antq_web::ops::Net::parse("10.0.0.0/8").unwrap()];
        c.metrics_token = Some("bi-mat-do-dac".into());
        c.trust_proxy = true;
    })
    .await;
    let (s, text) = metrics(&app.base, &[]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(text.starts_with("Chỉ xem được số đo"), "{text}");
    let (s, _) = metrics(&app.base, &[("authorization", "Bearer sai")]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, text) = metrics(&app.base, &[("authorization", "Bearer bi-mat-do-dac")]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(text.contains("# TYPE antq_http_requests_total counter"));
    // Behind the trusted proxy the client's address counts, not the proxy's.
    let (s, _) = metrics(&app.base, &[("x-forwarded-for", "10.1.2.3")]).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = metrics(&app.base, &[("x-forwarded-for", "203.0.113.9")]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

/// Behind a trusted proxy on the same machine, loopback is the proxy: a
/// forwarded client is judged by its own address, even an unreadable one.
#[tokio::test]
async fn behind_a_local_proxy_forwarded_clients_are_not_loopback() {
    let app = spawn_app_with(|c| c.trust_proxy = true).await;
    let (s, _) = metrics(&app.base, &[]).await;
    assert_eq!(s, StatusCode::OK, "the proxy's host itself may read");
    let (s, _) = metrics(&app.base, &[("x-forwarded-for", "203.0.113.9")]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = metrics(&app.base, &[("x-forwarded-for", "203.0.113.9, unknown")]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

/// Methods a client invents are counted together: no request adds a label.
#[tokio::test]
async fn invented_methods_add_no_label() {
    let app = spawn_app().await;
    let client = reqwest::Client::new();
    for i in 0..20 {
        let m = Method::from_bytes(format!("ZZ{i}").as_bytes()).unwrap();
        client
            .request(m, format!("{}/", app.base))
            .send()
            .await
            .unwrap();
    }
    let (_, text) = metrics(&app.base, &[]).await;
    assert!(!text.contains("ZZ"), "{text}");
    assert!(text.contains("method=\"OTHER\""));
}
