//! Text limits over HTTP: a comment over the limit is refused with the
//! limit named, and a 15 MB comment is refused quickly (by the body limit
//! or the text limit, either is fine) without being stored.

use antq_core::auth::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::spawn_app;

const R: &str = "/api/v1/data/antq-nam/03325/2026";

#[tokio::test]
async fn long_comments_and_reasons_are_refused_with_the_limit() {
    let app = spawn_app().await;
    let commune = app.logged_in("ca.gioihan", Role::Police, "03325").await;
    let front = app.logged_in("mt.gioihan", Role::Front, "11").await;
    let (s, _) = commune
        .send_json(Method::PUT, R, json!({"values": {"tt_buoi": 3}}))
        .await;
    assert_eq!(s, StatusCode::OK);
    let comments = format!("{R}/comments");

    // 4.001 characters: refused with the limit named.
    let (s, e) = front
        .post_json(&comments, json!({"body": "ạ".repeat(4_001)}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(
        e["error"]
            .as_str()
            .unwrap()
            .contains("dài 4.001 ký tự, vượt giới hạn 4.000 ký tự"),
        "{e}"
    );

    // 15 MB (15.728.640 characters): refused quickly, 413 or 422.
    let huge = "x".repeat(15 * 1024 * 1024);
    let started = std::time::Instant::now();
    let (s, _) = front.post_json(&comments, json!({ "body": huge })).await;
    assert!(
        s == StatusCode::PAYLOAD_TOO_LARGE || s == StatusCode::UNPROCESSABLE_ENTITY,
        "{s}"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "a 15 MB comment took {:?}",
        started.elapsed()
    );

    // A value's comment over 1.000 characters.
    let (s, e) = commune
        .send_json(
            Method::PUT,
            R,
            json!({"values": {"tt_buoi": {"value": 4, "comment": "ô".repeat(1_001)}}}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e.to_string().contains("vượt giới hạn 1.000 ký tự"), "{e}");

    // Nothing of it was stored.
    let (_, r) = commune.get_json(R).await;
    assert_eq!(r["comments"].as_array().unwrap().len(), 0, "{r}");
    assert_eq!(r["values"]["tt_buoi"]["value"], 3.0, "{r}");
}

#[tokio::test]
async fn review_stages_out_of_range_are_refused() {
    let app = spawn_app().await;
    let province = app.logged_in("ca.tinh.gioihan", Role::Police, "11").await;
    for (from, to) in [
        ("2147483647S1", None),
        ("-5S1", None),
        ("1999", None),
        ("2020", Some("2147483647")),
        ("2030", Some("2020")),
    ] {
        let body = json!({"unit": "11", "from": from, "to": to, "owner": "police"});
        let (s, e) = province.post_json("/api/v1/reviews", body).await;
        assert!(
            s == StatusCode::UNPROCESSABLE_ENTITY || s == StatusCode::BAD_REQUEST,
            "{from} {to:?}: {s} {e}"
        );
        assert!(e["error"].is_string(), "{from}: {e}");
    }
}

#[tokio::test]
async fn dates_outside_the_year_range_are_refused() {
    let app = spawn_app().await;
    let province = app.logged_in("ca.tinh.ngay", Role::Police, "11").await;
    for (field, date) in [
        ("issue_date", "9999-12-31"),
        ("at", "0001-01-01"),
        ("at", "+10000-01-01"),
    ] {
        let body = json!({"unit": "11", "from": "2020", "owner": "police", field: date});
        let (s, e) = province.post_json("/api/v1/reviews", body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{field}={date}: {e}");
        let msg = e["error"].as_str().unwrap_or_default();
        assert!(msg.contains("nằm ngoài khoảng cho phép 2000–2100"), "{msg}");
    }
    let (s, e) = province.get_json("/api/v1/units?at=%2B10000-01-01").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, e) = province
        .get_json("/api/v1/analytics?indicators=tt_buoi&unit=11&from=2020&at=%2B10000-01-01")
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
}
