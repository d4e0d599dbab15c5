//! One error contract: every API error is JSON `{"error": "…"}` with a
//! Vietnamese message that starts with a capital letter, including what axum
//! answers by itself; every page error is a page in the app's layout. The
//! OpenAPI document describes every operation's answers.

use antq_core::auth::Role;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::spawn_app;

/// A JSON error: the status, a Vietnamese message with a capital first letter.
async fn api_error(res: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(res.status(), status, "status");
    let ct = res
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(ct.starts_with("application/json"), "content type {ct}");
    let body: Value = res.json().await.expect("a JSON body");
    let msg = body["error"].as_str().expect("an error message");
    let first = msg.chars().next().expect("not empty");
    assert!(first.is_uppercase(), "capital first letter: {msg}");
    assert!(
        msg.chars().any(|c| {
            "ảãạăắằẳẵặâấầẩẫậđẻẽẹêếềểễệỉĩịỏõọôốồổỗộơớờởỡợủũụưứừửữựỳỷỹỵáàéèíìóòúùýÁĐ".contains(c)
        }),
        "a Vietnamese message: {msg}"
    );
    body
}

#[tokio::test]
async fn the_api_answers_every_framework_error_as_json() {
    let app = spawn_app().await;
    let a = app.logged_in("quantri.loi", Role::Admin, "VN").await;
    let c = &a.client;
    let csrf = a.csrf.clone().unwrap();
    let url = |p: &str| a.url(p);

    // An id that is not a number names nothing there is: 404.
    let res = c.get(url("/api/v1/users/abc")).send().await.unwrap();
    let e = api_error(res, StatusCode::NOT_FOUND).await;
    assert!(e.get("detail").is_none(), "no English detail: {e}");

    // A query parameter of the wrong type, or given twice: 400.
    let res = c.get(url("/api/v1/units?limit=x")).send().await.unwrap();
    api_error(res, StatusCode::BAD_REQUEST).await;
    let res = c
        .get(url("/api/v1/units?at=2025-01-01&at=2025-02-01"))
        .send()
        .await
        .unwrap();
    let e = api_error(res, StatusCode::BAD_REQUEST).await;
    assert!(e.get("detail").is_none(), "no English detail: {e}");

    // A body that is not declared JSON: 415.
    let res = c
        .post(url("/api/v1/links"))
        .header("X-CSRF-Token", &csrf)
        .body("predecessor=1")
        .send()
        .await
        .unwrap();
    api_error(res, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    let res = c
        .post(url("/api/v1/links"))
        .header("X-CSRF-Token", &csrf)
        .header(CONTENT_TYPE, "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    api_error(res, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;

    // JSON that does not parse: 400; JSON of the wrong shape: 422.
    let res = c
        .post(url("/api/v1/links"))
        .header("X-CSRF-Token", &csrf)
        .header(CONTENT_TYPE, "application/json")
        .body("{\"predecessor\": ")
        .send()
        .await
        .unwrap();
    api_error(res, StatusCode::BAD_REQUEST).await;
    let res = c
        .post(url("/api/v1/links"))
        .header("X-CSRF-Token", &csrf)
        .header(CONTENT_TYPE, "application/json")
        .body("{\"predecessor\": 12}")
        .send()
        .await
        .unwrap();
    api_error(res, StatusCode::UNPROCESSABLE_ENTITY).await;

    // JSON that is not an object (serde would read a struct from an array): 422.
    let res = c
        .post(url("/api/v1/tokens"))
        .header("X-CSRF-Token", &csrf)
        .header(CONTENT_TYPE, "application/json")
        .body("[]")
        .send()
        .await
        .unwrap();
    api_error(res, StatusCode::UNPROCESSABLE_ENTITY).await;

    // An unknown route under the API: 404 JSON, also outside /api/v1.
    for p in [
        "/api/v1/khong-co",
        "/api/v1/users/1/khong-co",
        "/api/v2/units",
    ] {
        let res = c.get(url(p)).send().await.unwrap();
        api_error(res, StatusCode::NOT_FOUND).await;
    }

    // A method the route does not have: 405 JSON, with the Allow header.
    let res = c
        .request(Method::PATCH, url("/api/v1/users"))
        .header("X-CSRF-Token", &csrf)
        .send()
        .await
        .unwrap();
    let allow = res
        .headers()
        .get("allow")
        .expect("an Allow header")
        .to_str()
        .unwrap()
        .to_string();
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    api_error(res, StatusCode::METHOD_NOT_ALLOWED).await;

    // A body over the limit: 413 JSON naming the limit (JSON 2 MB, files 20 MB).
    let big = format!("{{\"name\": \"{}\"}}", "a".repeat(3 * 1024 * 1024));
    let res = c
        .post(url("/api/v1/tokens"))
        .header("X-CSRF-Token", &csrf)
        .header(CONTENT_TYPE, "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    let e = api_error(res, StatusCode::PAYLOAD_TOO_LARGE).await;
    assert!(e["error"].as_str().unwrap().contains("2 MB"), "{e}");
    let res = c
        .post(url("/api/v1/import?format=csv"))
        .header("X-CSRF-Token", &csrf)
        .header(CONTENT_TYPE, "text/csv")
        .body(vec![b'a'; 21 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    let e = api_error(res, StatusCode::PAYLOAD_TOO_LARGE).await;
    assert!(e["error"].as_str().unwrap().contains("20 MB"), "{e}");

    // An import without a format nor a content type it knows: 415.
    let res = c
        .post(url("/api/v1/import"))
        .header("X-CSRF-Token", &csrf)
        .body("a,b")
        .send()
        .await
        .unwrap();
    api_error(res, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;

    // Handlers' own errors start with a capital letter too.
    let res = c.get(url("/api/v1/users/987654")).send().await.unwrap();
    let e = api_error(res, StatusCode::NOT_FOUND).await;
    assert!(
        e["error"].as_str().unwrap().starts_with("Không tìm thấy"),
        "{e}"
    );
    let res = app
        .agent()
        .client
        .get(url("/api/v1/me"))
        .send()
        .await
        .unwrap();
    let e = api_error(res, StatusCode::UNAUTHORIZED).await;
    assert_eq!(e["error"], "Cần đăng nhập");
}

/// A page error: HTML in the app's layout (navigation, a way home), Vietnamese.
async fn page_error(res: reqwest::Response, status: StatusCode) -> String {
    assert_eq!(res.status(), status, "status");
    let ct = res
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(ct.starts_with("text/html"), "content type {ct}");
    let html = res.text().await.unwrap();
    assert!(html.contains("class=\"topbar\""), "the layout's navigation");
    assert!(html.contains("href=\"/\""), "a way home");
    assert!(html.contains("Về trang chủ"), "in Vietnamese");
    html
}

#[tokio::test]
async fn pages_answer_errors_as_pages_in_the_layout() {
    let app = spawn_app().await;
    let a = app.logged_in("canbo.loi", Role::Police, "11").await;
    let c = &a.client;
    let url = |p: &str| a.url(p);

    let html = page_error(
        c.get(url("/khong-co-trang-nay")).send().await.unwrap(),
        StatusCode::NOT_FOUND,
    )
    .await;
    assert!(html.contains("Không tìm thấy trang này"));
    // The signed-in user's navigation is there.
    assert!(html.contains("/so-lieu"), "the user's menu");

    page_error(
        c.get(url("/static/khong-co.css")).send().await.unwrap(),
        StatusCode::NOT_FOUND,
    )
    .await;

    // A path id that is not a number: a Vietnamese 400 page, not axum's English.
    let html = page_error(
        c.get(url("/bao-cao/abc")).send().await.unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert!(!html.contains("Invalid URL"), "{html}");
    assert!(html.contains("Yêu cầu không hợp lệ"));

    // A wrong method: 405 page with Allow.
    let res = c
        .request(Method::DELETE, url("/don-vi"))
        .header("X-CSRF-Token", a.csrf.clone().unwrap())
        .send()
        .await
        .unwrap();
    assert!(res.headers().get("allow").is_some());
    page_error(res, StatusCode::METHOD_NOT_ALLOWED).await;

    // A handler's own error (a report that does not exist) keeps its message,
    // and a link back to where the user came from.
    let res = c
        .get(url("/bao-cao/987654"))
        .header("referer", a.url("/bao-cao"))
        .send()
        .await
        .unwrap();
    let html = page_error(res, StatusCode::NOT_FOUND).await;
    assert!(html.contains("Không tìm thấy"), "{html}");
    assert!(html.contains("href=\"/bao-cao\""), "a way back: {html}");

    // An administrators' page: 403 page.
    let res = c.get(url("/quan-tri/nguoi-dung")).send().await.unwrap();
    page_error(res, StatusCode::FORBIDDEN).await;

    // A form over the limit: 413 page naming the limit.
    let res = c
        .post(url("/don-vi/11/to-chuc"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(vec![b'a'; 3 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    let html = page_error(res, StatusCode::PAYLOAD_TOO_LARGE).await;
    assert!(html.contains("2 MB"), "{html}");
    let csrf = a.csrf.clone().unwrap();
    let res = c
        .post(url("/nhap-tep"))
        .header("x-csrf-token", &csrf)
        .header(CONTENT_TYPE, "multipart/form-data; boundary=x")
        .body(vec![b'a'; 21 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    let status = res.status();
    assert!(status.is_client_error(), "{status}");
    page_error(res, status).await;
}

#[tokio::test]
async fn the_openapi_document_describes_every_answer() {
    let doc: Value = antq_web::api::openapi_doc().clone();
    let responses = &doc["components"]["responses"];
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let r = op["responses"].as_object().unwrap();
            let where_ = format!("{method} {path}");
            // A success answer, with a schema unless it has no body.
            let ok: Vec<_> = r.iter().filter(|(s, _)| s.starts_with('2')).collect();
            assert!(!ok.is_empty(), "{where_}: no success answer");
            for (status, resp) in ok {
                if status == "204" {
                    continue;
                }
                let content = resp["content"].as_object();
                assert!(content.is_some(), "{where_} {status}: no content");
                for (media, c) in content.unwrap() {
                    assert!(
                        c["schema"].is_object(),
                        "{where_} {status} {media}: no schema"
                    );
                }
            }
            if path == "/openapi.json" {
                continue;
            }
            // Malformed requests, bad tokens, missing things, refusals.
            for status in ["400", "401", "404", "422"] {
                assert!(r.contains_key(status), "{where_}: {status} not documented");
            }
            // Every error answer is the error schema.
            for (status, resp) in r.iter().filter(|(s, _)| !s.starts_with('2')) {
                let name = resp["$ref"]
                    .as_str()
                    .and_then(|s| s.strip_prefix("#/components/responses/"))
                    .unwrap_or_else(|| panic!("{where_} {status}: not a shared error"));
                assert_eq!(
                    responses[name]["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/Error",
                    "{where_} {status}"
                );
            }
            // A request body: its schema, and the errors that come with one.
            if method == "post" || method == "put" {
                let body = &op["requestBody"];
                let has_body = body.is_object();
                let no_body = path.ends_with("/disable")
                    || path.ends_with("/enable")
                    || path == "/session" && method == "delete"
                    || path == "/tips/key/recovery";
                assert!(has_body || no_body, "{where_}: no request body");
                if has_body {
                    for (media, c) in body["content"].as_object().unwrap() {
                        assert!(c["schema"].is_object(), "{where_} {media}: no body schema");
                    }
                    for status in ["413", "415"] {
                        assert!(r.contains_key(status), "{where_}: {status} not documented");
                    }
                }
            }
            // Ids are 64-bit integers.
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["name"] == "id" {
                    assert_eq!(p["schema"]["format"], "int64", "{where_}");
                }
            }
        }
    }
    // Limited or throttled operations say so.
    for (path, method) in [
        ("/session", "post"),
        ("/import", "post"),
        ("/dataValueSets", "post"),
        ("/analytics", "get"),
    ] {
        assert!(
            doc["paths"][path][method]["responses"]["429"].is_object(),
            "{method} {path}: 429"
        );
    }
    for path in ["/import", "/dataValueSets"] {
        assert!(doc["paths"][path]["post"]["responses"]["413"].is_object());
    }
    // Closed sets are enums.
    let s = &doc["components"]["schemas"];
    assert!(s["NewArea"]["properties"]["kind"]["enum"].is_array());
    assert!(s["NewOrganisation"]["properties"]["kind"]["enum"].is_array());
    assert!(s["Role"]["enum"].is_array());
    assert!(s["Report"]["properties"]["state"]["enum"].is_array());
}

#[tokio::test]
async fn a_panic_is_a_500_in_the_contract() {
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    async fn boom() -> &'static str {
        panic!("a handler that fails")
    }
    let app = axum::Router::new()
        .route("/api/v1/boom", axum::routing::get(boom))
        .route("/boom", axum::routing::get(boom))
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(axum::middleware::from_fn(antq_web::error::contract));
    let res = app
        .clone()
        .oneshot(Request::get("/api/v1/boom").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), 500);
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .unwrap();
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["error"], "Lỗi hệ thống, xin thử lại sau");
    let res = app
        .oneshot(Request::get("/boom").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), 500);
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .unwrap();
    let html = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(
        html.contains("Lỗi hệ thống") && html.contains("class=\"topbar\""),
        "{html}"
    );
}
