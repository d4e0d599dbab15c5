//! Decisions that must be right (issue 10 §2): approval only from above,
//! login throttling that counts concurrent guesses and does not let a
//! stranger lock the owner out, the client address behind a proxy, tokens
//! revoked with the account, and ids outside one's units "not found".

use antq_core::auth::Role;
use antq_storage::units;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with, PASSWORD};

/// Old Phường 2 (28264) of Mỹ Tho, old Tiền Giang, 2020: today it lies in
/// Phường Mỹ Tho (28261) of today's Đồng Tháp (82).
const OLD: &str = "/api/v1/data/antq-nam/28264/2020";
/// Old Tiền Giang's own report for 2020 (82 was Tiền Giang until 30/06/2025).
const OLD_PROVINCE: &str = "/api/v1/data/antq-nam/82/2020";

fn values() -> Value {
    json!({"values": {"tt_buoi": 120, "tt_luot": 3_048_210, "gd_doi_tuong": 40, "gd_tien_bo": 15}})
}

#[tokio::test]
async fn only_the_level_above_approves_returns_or_reopens_an_old_communes_report() {
    let app = spawn_app().await;
    let merged = app.logged_in("ca.mytho", Role::Police, "28261").await;
    let merged_front = app.logged_in("mt.mytho", Role::Front, "28261").await;
    let province = app.logged_in("ca.dongthap", Role::Police, "82").await;
    let nation = app.logged_in("ca.trunguong", Role::Police, "VN").await;

    // Today's commune enters and submits the old commune's figures.
    let (s, r) = merged.send_json(Method::PUT, OLD, values()).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["unit_name"], "Phường 2");
    let (s, r) = merged.post_json(&format!("{OLD}/submit"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["state"], "submitted");

    // It never decides on them: not through the API...
    for step in ["approve", "return"] {
        let (s, e) = merged
            .post_json(&format!("{OLD}/{step}"), json!({"comment": "tự duyệt"}))
            .await;
        assert!(
            matches!(s, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{step}: {s} {e}"
        );
    }
    // ...nor through the page, which does not offer the button either.
    let mut page = app.agent();
    page.login("ca.mytho", PASSWORD).await;
    let html = page
        .get("/so-lieu/antq-nam/28264/2020")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Phường 2"),
        "the entry page is theirs to read"
    );
    assert!(!html.contains("id=\"approve-report\""));
    page.post_form(
        "/so-lieu/antq-nam/28264/2020/buoc",
        &[("action", "approve")],
    )
    .await;
    let (_, r) = merged.get_json(OLD).await;
    assert_eq!(r["state"], "submitted", "the page did not approve it");
    // The Front of the merged commune neither.
    let (s, _) = merged_front
        .post_json(&format!("{OLD}/approve"), json!({}))
        .await;
    assert!(matches!(s, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND));

    // The province above returns it, then approves the fixed report.
    let (s, r) = province
        .post_json(&format!("{OLD}/return"), json!({"comment": "Kiểm tra lại"}))
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["state"], "returned");
    merged.send_json(Method::PUT, OLD, values()).await;
    let (s, _) = merged.post_json(&format!("{OLD}/submit"), json!({})).await;
    assert_eq!(s, StatusCode::OK);
    let (s, r) = province
        .post_json(&format!("{OLD}/approve"), json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["state"], "approved");

    // Approved is locked for the commune: no change, no reopening.
    let (s, e) = merged
        .send_json(Method::PUT, OLD, json!({"values": {"tt_buoi": 1}}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    let (s, _) = merged
        .post_json(&format!("{OLD}/reopen"), json!({"comment": "sửa"}))
        .await;
    assert!(matches!(s, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND));
    let (_, r) = merged.get_json(OLD).await;
    assert_eq!(r["state"], "approved");
    assert_eq!(r["values"]["tt_buoi"]["value"], 120.0);
    // The province reopens it.
    let (s, r) = province
        .post_json(&format!("{OLD}/reopen"), json!({"comment": "Đính chính"}))
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["state"], "returned");

    // Today's province does not approve the old province's own report
    // (its same-level predecessor); the nation does.
    let (s, r) = province
        .send_json(Method::PUT, OLD_PROVINCE, values())
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["unit_name"], "Tỉnh Tiền Giang");
    let (s, _) = province
        .post_json(&format!("{OLD_PROVINCE}/submit"), json!({}))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = province
        .post_json(&format!("{OLD_PROVINCE}/approve"), json!({}))
        .await;
    assert!(matches!(s, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND));
    let (s, r) = nation
        .post_json(&format!("{OLD_PROVINCE}/approve"), json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["state"], "approved");
}

#[tokio::test]
async fn concurrent_wrong_passwords_get_exactly_the_limit_of_checks() {
    let app = spawn_app().await;
    app.user("ca.dongthoi", Role::Police, "03325").await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..19 {
        let mut a = app.agent();
        tasks.spawn(async move { a.login("ca.dongthoi", "không phải mật khẩu").await });
    }
    let (mut checked, mut refused) = (0, 0);
    while let Some(res) = tasks.join_next().await {
        let login = res.unwrap();
        match login.status {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                refused += 1;
                let msg = login.body["error"].as_str().unwrap();
                assert!(
                    msg.starts_with("Đăng nhập sai quá nhiều lần. Xin thử lại sau ")
                        && msg.ends_with(" phút, hoặc liên hệ quản trị viên của đơn vị."),
                    "{msg}"
                );
            }
            other => panic!("{other}"),
        }
    }
    assert_eq!((checked, refused), (5, 14));
    // And the account is now locked from this address, even with the right password.
    let mut a = app.agent();
    assert_eq!(
        a.login("ca.dongthoi", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

/// A login through a proxy that appended `proxy_added` to what the client wrote.
async fn login_via(
    app: &crate::helpers::TestApp,
    client_wrote: &str,
    proxy_added: &str,
    user: &str,
    password: &str,
) -> StatusCode {
    app.agent()
        .client
        .post(format!("{}/api/v1/session", app.base))
        .header("X-Forwarded-For", format!("{client_wrote}, {proxy_added}"))
        .json(&json!({"username": user, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_stranger_elsewhere_cannot_lock_the_owner_out_nor_forge_addresses() {
    let app = spawn_app_with(|c| c.trust_proxy = true).await;
    app.user("ca.chusohuu", Role::Police, "03325").await;
    // The stranger at 198.51.100.66 writes a new address into each request;
    // the proxy's entry, the right-most, is what counts.
    for i in 0..5 {
        let s = login_via(
            &app,
            &format!("10.0.0.{i}"),
            "198.51.100.66",
            "ca.chusohuu",
            "đoán mò",
        )
        .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    let s = login_via(&app, "10.0.0.99", "198.51.100.66", "ca.chusohuu", "đoán mò").await;
    assert_eq!(
        s,
        StatusCode::TOO_MANY_REQUESTS,
        "forged left-most entries do not help"
    );
    // The owner, at their own address, logs in.
    let s = login_via(
        &app,
        "198.51.100.66",
        "203.0.113.5",
        "ca.chusohuu",
        PASSWORD,
    )
    .await;
    assert_eq!(
        s,
        StatusCode::OK,
        "the stranger's failures do not lock the owner out"
    );
}

#[tokio::test]
async fn disabling_a_user_revokes_their_tokens_for_good() {
    let app = spawn_app().await;
    let admin = app.logged_in("qt.db", Role::Admin, "11").await;
    let id = app.user("ca.token", Role::Police, "03325").await;
    let mut officer = app.agent();
    officer.login("ca.token", PASSWORD).await;
    let (s, t) = officer
        .post_json("/api/v1/tokens", json!({"name": "script"}))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let mut script = app.agent();
    script.token = t["token"].as_str().map(str::to_string);
    assert_eq!(script.get_json("/api/v1/me").await.0, StatusCode::OK);

    for step in ["disable", "enable"] {
        let (s, _) = admin
            .post_json(&format!("/api/v1/users/{id}/{step}"), json!({}))
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (s, _) = script.get_json("/api/v1/me").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "after {step}");
    }
    // The officer logs in again and makes a new one.
    let mut officer = app.agent();
    assert_eq!(
        officer.login("ca.token", PASSWORD).await.status,
        StatusCode::OK
    );
    let (_, t) = officer.post_json("/api/v1/tokens", json!({})).await;
    script.token = t["token"].as_str().map(str::to_string);
    assert_eq!(script.get_json("/api/v1/me").await.0, StatusCode::OK);
}

/// The 404 body for `id`, with `id` written as `{}`.
fn shape(body: &Value, id: i64) -> String {
    body.to_string().replace(&id.to_string(), "{}")
}

#[tokio::test]
async fn ids_outside_ones_units_are_not_found_like_missing_ones() {
    let app = spawn_app().await;
    let db_police = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let db_admin = app.logged_in("qt.dienbien", Role::Admin, "11").await;
    let dt_police = app.logged_in("ca.dongthap", Role::Police, "82").await;
    let dt_admin = app.logged_in("qt.dongthap", Role::Admin, "82").await;
    let missing = 987_654;

    // A review of Điện Biên, asked for from Đồng Tháp.
    let (s, review) = db_police
        .post_json(
            "/api/v1/reviews",
            json!({"unit": "11", "from": "2026", "to": "2026", "owner": "police"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{review}");
    let id = review["id"].as_i64().unwrap();
    for (path, method, body) in [
        ("", Method::GET, Value::Null),
        ("/changes", Method::GET, Value::Null),
        ("/export?format=html", Method::GET, Value::Null),
        (
            "/narrative",
            Method::PUT,
            json!({"texts": {"tuyen_truyen": "x"}}),
        ),
    ] {
        let (s1, theirs) = dt_police
            .send_json(
                method.clone(),
                &format!("/api/v1/reviews/{id}{path}"),
                body.clone(),
            )
            .await;
        let (s2, none) = dt_police
            .send_json(method, &format!("/api/v1/reviews/{missing}{path}"), body)
            .await;
        assert_eq!(
            (s1, s2),
            (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND),
            "{path}"
        );
        assert_eq!(shape(&theirs, id), shape(&none, missing), "{path}");
    }
    let page = dt_police.get(&format!("/bao-cao/{id}")).await;
    assert_eq!(page.status(), StatusCode::NOT_FOUND);

    // A user and a grant of Điện Biên, asked for by Đồng Tháp's administrator.
    let officer = app.user("ca.xa.db", Role::Police, "03325").await;
    let (s, g) = db_admin
        .post_json(
            &format!("/api/v1/users/{officer}/grants"),
            json!({"role": "viewer", "unit": "11"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{g}");
    let grant = g["id"].as_i64().unwrap();
    let (s1, theirs) = dt_admin.get_json(&format!("/api/v1/users/{officer}")).await;
    let (s2, none) = dt_admin.get_json(&format!("/api/v1/users/{missing}")).await;
    assert_eq!((s1, s2), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    assert_eq!(shape(&theirs, officer), shape(&none, missing));
    let (s1, theirs) = dt_admin
        .send_json(
            Method::DELETE,
            &format!("/api/v1/grants/{grant}"),
            json!({}),
        )
        .await;
    let (s2, none) = dt_admin
        .send_json(
            Method::DELETE,
            &format!("/api/v1/grants/{missing}"),
            json!({}),
        )
        .await;
    assert_eq!(
        (s1, s2),
        (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND),
        "{theirs}"
    );
    assert_eq!(shape(&theirs, grant), shape(&none, missing));
    let (s, _) = db_admin
        .send_json(
            Method::DELETE,
            &format!("/api/v1/grants/{grant}"),
            json!({}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::NO_CONTENT,
        "their own administrator still can"
    );

    // A lineage link of Đồng Tháp, asked for by Điện Biên's administrator.
    let dong_thap = app.unit_id("82").await;
    let link = units::predecessors(&app.db, dong_thap)
        .await
        .unwrap()
        .remove(0)
        .link_id;
    let (s1, theirs) = db_admin.get_json(&format!("/api/v1/links/{link}")).await;
    let (s2, none) = db_admin.get_json(&format!("/api/v1/links/{missing}")).await;
    assert_eq!(
        (s1, s2),
        (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND),
        "{theirs}"
    );
    assert_eq!(shape(&theirs, link), shape(&none, missing));
    let (s, _) = dt_admin.get_json(&format!("/api/v1/links/{link}")).await;
    assert_eq!(s, StatusCode::OK);
}

/// The same on the demo world: Phường Cao Lãnh (29869) covers old communes
/// of old Đồng Tháp whose approved reports its officer may not reopen.
#[tokio::test]
async fn on_the_demo_world_the_merged_commune_cannot_reopen_an_old_communes_report() {
    let app = spawn_app().await;
    antq_storage::demo::load(&app.db, Some(PASSWORD))
        .await
        .unwrap();
    let cao_lanh = app.unit_id("29869").await;
    let olds = units::predecessors(&app.db, cao_lanh).await.unwrap();
    assert!(!olds.is_empty());
    let mut province = app.agent();
    assert_eq!(
        province.login("ca.dongthap", PASSWORD).await.status,
        StatusCode::OK
    );
    // The first old commune whose 2020 report the demo approved.
    let mut found = None;
    for old in &olds {
        let (s, r) = province
            .get_json(&format!("/api/v1/data/antq-nam/{}/2020", old.code))
            .await;
        if s == StatusCode::OK && r["state"] == "approved" && r["unit_name"] == old.name.as_str() {
            found = Some(old.code.clone());
            break;
        }
    }
    let code = found.expect("an approved 2020 report of an old commune under Phường Cao Lãnh");
    let period = "2020";
    let path = format!("/api/v1/data/antq-nam/{code}/{period}");
    let mut commune = app.agent();
    assert_eq!(
        commune.login("ca.caolanh", PASSWORD).await.status,
        StatusCode::OK
    );
    let (s, r) = commune.get_json(&path).await;
    assert_eq!(s, StatusCode::OK, "the commune reads it: {r}");
    assert_eq!(r["state"], "approved");
    let (s, _) = commune
        .post_json(&format!("{path}/reopen"), json!({"comment": "sửa"}))
        .await;
    assert!(matches!(s, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND));
    let (s, _) = commune
        .send_json(Method::PUT, &path, json!({"values": {"tt_buoi": 1}}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "approved is locked");
    let (s, r) = province
        .post_json(&format!("{path}/reopen"), json!({"comment": "Đính chính"}))
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let (s, r) = commune
        .post_json(&format!("{path}/submit"), json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "the commune may submit it again: {r}");
    let (s, _) = commune
        .post_json(&format!("{path}/approve"), json!({}))
        .await;
    assert!(matches!(s, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND));
    let (s, r) = province
        .post_json(&format!("{path}/approve"), json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["state"], "approved");
}

/// The demo world's police of Phường Cao Lãnh read the old wards of Cao Lãnh
/// city but not their namesakes elsewhere that the published lineage linked
/// by name (Phường 4 and 6 of Mỹ Tho, Phường 3 and 4 of Cai Lậy and Sa Đéc),
/// neither to read nor to enter data; the province still reads them.
#[tokio::test]
async fn on_the_demo_world_cao_lanh_does_not_reach_namesake_wards_elsewhere() {
    let app = spawn_app().await;
    antq_storage::demo::load(&app.db, Some(PASSWORD))
        .await
        .unwrap();
    let mut province = app.agent();
    assert_eq!(
        province.login("ca.dongthap", PASSWORD).await.status,
        StatusCode::OK
    );
    let mut commune = app.agent();
    assert_eq!(
        commune.login("ca.caolanh", PASSWORD).await.status,
        StatusCode::OK
    );
    for code in ["28252", "28270", "28437", "28439", "29902", "29908"] {
        let path = format!("/api/v1/data/antq-nam/{code}/2020");
        let (s, r) = province.get_json(&path).await;
        assert_eq!(s, StatusCode::OK, "the province reads {code}: {r}");
        let (s, r) = commune.get_json(&path).await;
        assert!(
            matches!(s, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "Phường Cao Lãnh must not read {code}: {s} {r}"
        );
        let (s, _) = commune
            .send_json(Method::PUT, &path, json!({"values": {"tt_buoi": 1}}))
            .await;
        assert!(
            matches!(s, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "Phường Cao Lãnh must not enter {code}'s data: {s}"
        );
    }
    let (s, r) = commune.get_json("/api/v1/data/antq-nam/29872/2020").await;
    assert_eq!(s, StatusCode::OK, "old Phường 4 of Cao Lãnh city: {r}");
}

/// A login from a browser whose session has ended but which may still hold
/// a device cookie, seen by the trusted proxy as coming from `addr`.
async fn login_from(
    app: &crate::helpers::TestApp,
    device: Option<&str>,
    addr: &str,
    user: &str,
    password: &str,
) -> reqwest::Response {
    let a = app.agent();
    let mut rb = a
        .client
        .post(a.url("/api/v1/session"))
        .header("X-Forwarded-For", addr);
    if let Some(d) = device {
        rb = rb.header("Cookie", format!("antq_device={d}"));
    }
    rb.json(&json!({"username": user, "password": password}))
        .send()
        .await
        .unwrap()
}

/// The device secret a successful login set.
fn device_of(res: &reqwest::Response) -> String {
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("antq_device="))
        .expect("a device cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    cookie["antq_device=".len()..]
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn strangers_on_many_addresses_do_not_keep_the_owners_browser_out() {
    let app = spawn_app_with(|c| c.trust_proxy = true).await;
    app.user("ca.thapmuoi", Role::Police, "03325").await;
    // The owner has logged in before from this browser: it holds a device
    // cookie like the session cookie.
    let res = login_from(&app, None, "192.0.2.1", "ca.thapmuoi", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
    let device = device_of(&res);
    // M1: five wrong passwords from each of ten addresses use up the
    // account's limit for strangers (50 in 15 minutes)…
    for i in 0..10 {
        for _ in 0..5 {
            let s = login_via(
                &app,
                "x",
                &format!("198.51.100.{i}"),
                "ca.thapmuoi",
                "đoán mò",
            )
            .await;
            assert_eq!(s, StatusCode::UNAUTHORIZED);
        }
    }
    let s = login_via(&app, "x", "198.51.100.99", "ca.thapmuoi", PASSWORD).await;
    assert_eq!(
        s,
        StatusCode::TOO_MANY_REQUESTS,
        "a new browser is a stranger"
    );
    // …but the owner's browser, from a fresh address, gets in.
    let res = login_from(&app, Some(&device), "203.0.113.77", "ca.thapmuoi", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
    // A forged device cookie is a stranger's: nineteen concurrent wrong
    // passwords from one new address with it get five checks.
    let app2 = spawn_app_with(|c| c.trust_proxy = true).await;
    app2.user("ca.thapmuoi", Role::Police, "03325").await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..19 {
        let a = app2.agent();
        tasks.spawn(async move {
            a.client
                .post(a.url("/api/v1/session"))
                .header("X-Forwarded-For", "198.51.100.200")
                .header("Cookie", format!("antq_device={}", "ab".repeat(32)))
                .json(&json!({"username": "ca.thapmuoi", "password": "đoán mò"}))
                .send()
                .await
                .unwrap()
                .status()
        });
    }
    let mut checked = 0;
    while let Some(s) = tasks.join_next().await {
        match s.unwrap() {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("{other}"),
        }
    }
    assert_eq!(checked, 5);
}

#[tokio::test]
async fn one_shared_address_full_of_failures_does_not_keep_its_officers_out() {
    let app = spawn_app_with(|c| c.trust_proxy = true).await;
    app.user("mt.dongthap", Role::Police, "03325").await;
    app.user("mt.moi", Role::Police, "03325").await;
    let office = "203.0.113.50";
    let res = login_from(&app, None, office, "mt.dongthap", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
    let device = device_of(&res);
    // M2: twenty wrong logins for names that do not exist, from the
    // commune office's one address.
    for i in 0..20 {
        let s = login_via(&app, "x", office, &format!("khong.co.{i}"), "đoán mò").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    // The address is closed to strangers, even with a right password…
    let s = login_via(&app, "x", office, "mt.moi", PASSWORD).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    let s = login_via(&app, "x", office, "khong.co.99", "đoán mò").await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    // …but not to the officer who logged in from there: with the device
    // cookie, and from another browser at the same address.
    assert_eq!(
        login_from(&app, Some(&device), office, "mt.dongthap", PASSWORD)
            .await
            .status(),
        StatusCode::OK
    );
    let s = login_via(&app, "x", office, "mt.dongthap", PASSWORD).await;
    assert_eq!(s, StatusCode::OK);
}
