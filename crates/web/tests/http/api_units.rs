//! Units are public: the acceptance checks of the foundation.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::spawn_app;

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn provinces_before_and_after_the_reorganisation() {
    let app = spawn_app().await;
    let a = app.agent();
    let (s, now) = a
        .get_json("/api/v1/units?level=province&at=2026-01-01")
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(now.as_array().unwrap().len(), 34);
    let (_, before) = a
        .get_json("/api/v1/units?level=province&at=2020-01-01")
        .await;
    assert_eq!(before.as_array().unwrap().len(), 63);
    for u in now.as_array().unwrap() {
        for field in [
            "code",
            "name",
            "kind",
            "parent_code",
            "valid_from",
            "valid_to",
        ] {
            assert!(u.get(field).is_some(), "{field} missing in {u}");
        }
        assert_eq!(u["valid_from"], "2025-07-01");
        assert!(u["valid_to"].is_null());
    }
    let (_, communes) = a
        .get_json("/api/v1/units?level=commune&at=2026-01-01&parent=11")
        .await;
    assert_eq!(communes.as_array().unwrap().len(), 45);
    assert!(communes
        .as_array()
        .unwrap()
        .iter()
        .all(|u| u["parent_code"] == "11"));
    let (_, districts) = a
        .get_json("/api/v1/units?level=district&at=2020-01-01&parent=11")
        .await;
    assert_eq!(districts.as_array().unwrap().len(), 10);
}

#[tokio::test]
async fn a_code_means_different_units_at_different_dates() {
    let app = spawn_app().await;
    let a = app.agent();
    let (s, tg) = a.get_json("/api/v1/units/82?at=2020-01-01").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(tg["name"], "Tỉnh Tiền Giang");
    assert_eq!(tg["successors"][0]["name"], "Tỉnh Đồng Tháp");
    let (_, dt) = a.get_json("/api/v1/units/82?at=2026-01-01").await;
    assert_eq!(dt["name"], "Tỉnh Đồng Tháp");
    let mut preds: Vec<&str> = dt["predecessors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    preds.sort();
    assert_eq!(preds, vec!["82", "87"]);
    for p in dt["predecessors"].as_array().unwrap() {
        assert_eq!(p["share"], "whole");
        assert_eq!(p["valid_to"], "2025-06-30");
    }
    // Dates in the Vietnamese form are accepted too.
    let (_, same) = a.get_json("/api/v1/units/82?at=01/01/2020").await;
    assert_eq!(same["name"], "Tỉnh Tiền Giang");
    // Old Đồng Tháp no longer exists today.
    let (s, err) = a.get_json("/api/v1/units/87?at=2026-01-01").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(err["error"].as_str().unwrap().contains("87"));
}

#[tokio::test]
async fn search_ignores_accents_and_case_and_sorts_the_vietnamese_way() {
    let app = spawn_app().await;
    let a = app.agent();
    for q in [
        "dien%20bien",
        "%C4%90I%E1%BB%86N%20BI%C3%8AN",
        "Dien%20Bien",
    ] {
        let (s, found) = a
            .get_json(&format!("/api/v1/units?level=province&at=2026-01-01&q={q}"))
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(names(&found), vec!["Tỉnh Điện Biên"], "q={q}");
    }
    // A commune by its name without accents.
    let (_, found) = a
        .get_json("/api/v1/units?level=commune&at=2026-01-01&q=muong%20phang")
        .await;
    assert_eq!(names(&found), vec!["Xã Mường Phăng"]);
    // Vietnamese collation: Đ after D, Ă/Â after A, tones in order.
    let (_, all) = a
        .get_json("/api/v1/units?level=province&at=2026-01-01")
        .await;
    let short: Vec<String> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["short_name"].as_str().unwrap().to_string())
        .collect();
    let pos = |n: &str| short.iter().position(|x| x == n).unwrap();
    assert!(pos("Cần Thơ") < pos("Đà Nẵng"));
    assert!(pos("Đồng Tháp") < pos("Gia Lai"));
    assert!(pos("An Giang") < pos("Bắc Ninh"));
}

#[tokio::test]
async fn bad_parameters_get_clear_errors() {
    let app = spawn_app().await;
    let a = app.agent();
    let (s, e) = a.get_json("/api/v1/units?at=2026-13-45").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["error"].as_str().unwrap().contains("2026-13-45"));
    let (s, _) = a.get_json("/api/v1/units?level=planet").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = a.get_json("/api/v1/units/abc").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = a.get_json("/api/v1/units/99999").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, e) = a.get_json("/api/v1/no-such-thing").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(e["error"].is_string());
}

#[tokio::test]
async fn health_and_openapi() {
    let app = spawn_app().await;
    let a = app.agent();
    let (s, h) = a.get_json("/healthz").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h["status"], "ok");
    let res = a.get("/healthz").await;
    assert!(
        res.headers().get("x-request-id").is_some(),
        "responses carry a request id"
    );
    let (s, doc) = a.get_json("/api/v1/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/units",
        "/units/{code}",
        "/units/{code}/areas",
        "/session",
        "/tokens",
        "/users",
        "/audit",
        "/links/{id}",
    ] {
        assert!(paths.contains_key(p), "{p} not documented");
    }
    // Every documented path is routed: it answers something other than the API's 404.
    for (path, ops) in paths {
        let concrete = path
            .replace("{code}", "11")
            .replace("{id}", "1")
            .replace("{form}", "antq-nam")
            .replace("{unit}", "11")
            .replace("{period}", "2026")
            .replace("{rule}", "x");
        for method in ops.as_object().unwrap().keys() {
            let m: reqwest::Method = method.to_uppercase().parse().unwrap();
            let res = a
                .client
                .request(m.clone(), a.url(&format!("/api/v1{concrete}")))
                .send()
                .await
                .unwrap();
            let status = res.status();
            let body: Value = res.json().await.unwrap_or(Value::Null);
            assert!(
                !(status == StatusCode::NOT_FOUND
                    && body["error"] == "Không tìm thấy đường dẫn API")
                    && status != StatusCode::METHOD_NOT_ALLOWED,
                "{m} {path} is documented but not routed ({status})"
            );
        }
    }
}
