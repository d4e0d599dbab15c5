//! Logging in and out, sessions, CSRF, throttling, API tokens.

use antq_core::auth::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{spawn_app, PASSWORD};

#[tokio::test]
async fn login_sets_a_safe_session_cookie_and_rotates_it() {
    let app = spawn_app().await;
    app.user("ca.test", Role::Police, "03325").await;
    let mut a = app.agent();
    let wrong = a.login("ca.test", "sai mật khẩu rồi nhé").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body["error"].as_str().unwrap().contains("không đúng"));
    let unknown = a.login("khong.co.ai", PASSWORD).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);

    let first = a.login("ca.test", PASSWORD).await;
    assert_eq!(first.status, StatusCode::OK);
    let cookie = first
        .cookies
        .iter()
        .find(|c| c.starts_with("antq_session="))
        .unwrap();
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
    assert!(!cookie.contains("Secure"), "plain HTTP: no Secure flag");
    assert!(first.body["csrf_token"].as_str().unwrap().len() >= 32);

    let mut b = app.agent();
    let second = b.login("ca.test", PASSWORD).await;
    let cookie2 = second
        .cookies
        .iter()
        .find(|c| c.starts_with("antq_session="))
        .unwrap();
    assert_ne!(
        cookie.split(';').next(),
        cookie2.split(';').next(),
        "every login gets a new session id"
    );

    let (s, me) = a.get_json("/api/v1/me").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(me["username"], "ca.test");
    assert_eq!(me["grants"][0]["unit_code"], "03325");

    // Behind a TLS proxy the cookie is Secure.
    let fresh = app.agent();
    let res = fresh
        .client
        .post(fresh.url("/api/v1/session"))
        .header("X-Forwarded-Proto", "https")
        .json(&json!({"username": "ca.test", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let c = res.headers().get("set-cookie").unwrap().to_str().unwrap();
    assert!(c.contains("Secure"));
    // So is the device cookie (a long-lived random secret that lets this
    // browser past the limits strangers meet, see `throttle`).
    let device: Vec<_> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .filter(|c| c.starts_with("antq_device="))
        .collect();
    assert_eq!(device.len(), 1);
    for flag in ["HttpOnly", "SameSite=Lax", "Secure", "Max-Age=7776000"] {
        assert!(device[0].contains(flag), "{flag} in {}", device[0]);
    }

    // Logging out ends the session.
    let (s, _) = a
        .send_json(Method::DELETE, "/api/v1/session", json!({}))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = a.get_json("/api/v1/me").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // The other session lives on.
    let (s, _) = b.get_json("/api/v1/me").await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn everything_but_units_needs_a_login() {
    let app = spawn_app().await;
    let a = app.agent();
    for path in [
        "/api/v1/me",
        "/api/v1/users",
        "/api/v1/units/03325/areas",
        "/api/v1/audit",
        "/api/v1/tokens",
    ] {
        let (s, body) = a.get_json(path).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{path}");
        assert!(body["error"].is_string());
    }
    let (s, _) = a
        .post_json(
            "/api/v1/units/03325/areas",
            json!({"name": "Bản A", "kind": "bản"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn cookie_writes_need_the_csrf_token_bearer_writes_do_not() {
    let app = spawn_app().await;
    let mut a = app.logged_in("ca.csrf", Role::Police, "03325").await;
    let csrf = a.csrf.take();
    let (s, e) = a
        .post_json(
            "/api/v1/units/03325/areas",
            json!({"name": "Bản Một", "kind": "bản"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(e["error"].as_str().unwrap().contains("CSRF"));
    a.csrf = Some("0".repeat(64));
    let (s, _) = a
        .post_json(
            "/api/v1/units/03325/areas",
            json!({"name": "Bản Một", "kind": "bản"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    a.csrf = csrf;
    let (s, area) = a
        .post_json(
            "/api/v1/units/03325/areas",
            json!({"name": "Bản Một", "kind": "bản"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{area}");
    // A request from another site is refused even with the token.
    let res = a
        .client
        .post(a.url("/api/v1/units/03325/areas"))
        .header("X-CSRF-Token", a.csrf.clone().unwrap())
        .header("Origin", "https://evil.example")
        .json(&json!({"name": "Bản Hai", "kind": "bản"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // A bearer token needs no CSRF token.
    let (s, t) = a
        .post_json("/api/v1/tokens", json!({"name": "kịch bản"}))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let token = t["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("antq_"));
    let mut script = app.agent();
    script.token = Some(token.clone());
    let (s, _) = script
        .post_json(
            "/api/v1/units/03325/areas",
            json!({"name": "Bản Ba", "kind": "bản"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    // The token is listed (never shown again) and can be revoked by its owner.
    let (_, list) = a.get_json("/api/v1/tokens").await;
    let id = list[0]["id"].as_i64().unwrap();
    assert!(list[0].get("token").is_none());
    let (s, _) = a
        .send_json(Method::DELETE, &format!("/api/v1/tokens/{id}"), json!({}))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, e) = script.get_json("/api/v1/me").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(e["error"].as_str().unwrap().contains("token"));
}

#[tokio::test]
async fn repeated_failures_lock_the_account_for_a_while() {
    let app = spawn_app().await;
    app.user("ca.throttle", Role::Police, "03325").await;
    let mut a = app.agent();
    for _ in 0..5 {
        assert_eq!(
            a.login("ca.throttle", "không phải mật khẩu").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let locked = a.login("ca.throttle", PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.body["error"].as_str().unwrap().contains("phút"));
    // Another account from the same address is not locked yet.
    app.user("ca.other", Role::Police, "03325").await;
    assert_eq!(a.login("ca.other", PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_disabled_user_is_logged_out_and_cannot_log_in() {
    let app = spawn_app().await;
    let admin = app.logged_in("qt.db", Role::Admin, "11").await;
    let id = app.user("ca.khoa", Role::Police, "03325").await;
    let mut officer = app.agent();
    assert_eq!(
        officer.login("ca.khoa", PASSWORD).await.status,
        StatusCode::OK
    );
    let (s, _) = admin
        .post_json(&format!("/api/v1/users/{id}/disable"), json!({}))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = officer.get_json("/api/v1/me").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(
        officer.login("ca.khoa", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    let (s, _) = admin
        .post_json(&format!("/api/v1/users/{id}/enable"), json!({}))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        officer.login("ca.khoa", PASSWORD).await.status,
        StatusCode::OK
    );
}

/// A form posted after the session ended goes through the login back to the
/// page the form was on (its `Referer`), whichever form it was: the post's
/// own address may answer only POST, and a login never ends on a 405.
#[tokio::test]
async fn a_post_without_a_session_logs_in_back_to_the_page_of_its_form() {
    let app = spawn_app().await;
    let anonymous = app.agent();
    for (target, page) in [
        ("/bao-cao/1/sua", "/bao-cao/1"),
        ("/quan-tri/nguoi-dung/3/khoa", "/quan-tri/nguoi-dung/3"),
        ("/don-vi/03325/khu-dan-cu", "/don-vi/03325?at=2026-01-01"),
        ("/quan-tri/danh-muc/bieu", "/quan-tri/danh-muc"),
    ] {
        let res = anonymous
            .client
            .post(anonymous.url(target))
            .header("Referer", anonymous.url(page))
            .form(&[("name", "x")])
            .send()
            .await
            .unwrap();
        assert!(res.status().is_redirection(), "{target}: {}", res.status());
        let to = res.headers()["location"].to_str().unwrap().to_string();
        let next = to.strip_prefix("/dang-nhap?next=").unwrap_or_default();
        assert_eq!(percent_decode(next), page, "{target} → {to}");
    }
    // A Referer from elsewhere keeps only its path, checked again after the login.
    let res = anonymous
        .client
        .post(anonymous.url("/bao-cao/1/sua"))
        .header("Referer", "https://evil.example//evil.example/x")
        .send()
        .await
        .unwrap();
    let to = res.headers()["location"].to_str().unwrap().to_string();
    let login = anonymous.get(&to).await.text().await.unwrap();
    assert!(login.contains("name=\"next\" value=\"/\""), "{login}");
}

/// `%XX` escapes back to bytes (the login's `next` is percent-encoded).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}
