//! Citizen information over the JSON API: a tip sent as a citizen's script
//! would (proof of work solved), read by the police of its commune and by
//! nobody else; a tip about the commune's own officers routed past them;
//! the officer's key held per session; the tipster's conversation with the
//! receipt; triage, transfer and the scam clusters.

use antq_core::auth::Role;
use antq_core::tips::pow;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{spawn_app_with, Agent, TestApp, PASSWORD};

/// Mường Phăng and Điện Biên Phủ, communes of Điện Biên (11).
pub(crate) const COMMUNE: &str = "03325";
pub(crate) const OTHER: &str = "03127";
pub(crate) const PROVINCE: &str = "11";

pub(crate) async fn app() -> TestApp {
    spawn_app_with(|c| c.tips.difficulty = 8).await
}

/// An error body: `{"error": "..."}`, in Vietnamese, starting with a capital.
pub(crate) fn vietnamese_error(v: &Value) -> &str {
    let e = v["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no error in {v}"));
    assert!(e.chars().next().unwrap().is_uppercase(), "{e}");
    assert!(!e.is_ascii(), "not Vietnamese: {e}");
    e
}

/// A fresh challenge, solved: (token, nonce).
pub(crate) async fn solved(a: &Agent) -> (String, u64) {
    let (s, c) = a.get_json("/api/v1/public/tips/challenge").await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(c["algorithm"], "sha256-leading-zero-bits");
    assert_eq!(c["difficulty"], 8);
    let token = c["token"].as_str().unwrap().to_string();
    let nonce = pow::solve(&token, 8);
    (token, nonce)
}

/// A tip of the "other" category about a unit.
pub(crate) fn tip(unit: &str, text: &str) -> Value {
    json!({"category": "khac", "unit_code": unit, "text": text})
}

/// Send a tip with a freshly solved challenge.
pub(crate) async fn send(a: &Agent, mut body: Value) -> (StatusCode, Value) {
    let (token, nonce) = solved(a).await;
    body["challenge"] = json!(token);
    body["nonce"] = json!(nonce);
    a.post_json("/api/v1/public/tips", body).await
}

/// Send a tip that must be accepted: its receipt.
pub(crate) async fn sent(a: &Agent, body: Value) -> String {
    let (s, v) = send(a, body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["receipt"].as_str().unwrap().to_string()
}

/// The ids of the tips an officer lists.
async fn listed(a: &Agent) -> Vec<i64> {
    let (s, v) = a.get_json("/api/v1/tips").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect()
}

/// How many tips an officer counts, all states together.
async fn counted(a: &Agent) -> i64 {
    let (s, v) = a.get_json("/api/v1/tips/counts").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 6);
    items.iter().map(|i| i["tips"].as_i64().unwrap()).sum()
}

fn is_receipt(r: &str) -> bool {
    let groups: Vec<&str> = r.split(' ').collect();
    groups.len() == 4
        && groups
            .iter()
            .all(|g| g.len() == 4 && g.chars().all(|c| c.is_ascii_digit()))
}

#[tokio::test]
async fn a_citizen_sends_a_tip_and_the_commune_police_read_it() {
    let app = app().await;
    let officer = app.logged_in("ca.xa", Role::Police, COMMUNE).await;
    let citizen = app.agent();
    let (s, cats) = citizen.get_json("/api/v1/public/tips/categories").await;
    assert_eq!(s, StatusCode::OK);
    let codes: Vec<&str> = cats["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"khac") && codes.contains(&"lua_dao_mang"),
        "{codes:?}"
    );

    let text = "Có người lạ mua bán hàng cấm ở chợ phiên sáng Chủ nhật.";
    let (token, nonce) = solved(&citizen).await;
    let mut body = tip(COMMUNE, text);
    body["challenge"] = json!(token);
    body["nonce"] = json!(nonce);
    let (s, v) = citizen.post_json("/api/v1/public/tips", body.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let receipt = v["receipt"].as_str().unwrap();
    assert!(is_receipt(receipt), "{receipt}");

    // The same challenge works once.
    let (s, v) = citizen.post_json("/api/v1/public/tips", body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(vietnamese_error(&v).contains("đã được dùng"), "{v}");

    let id = listed(&officer).await[0];
    let (s, open) = officer.get_json(&format!("/api/v1/tips/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{open}");
    assert_eq!(open["content"]["text"], text);
    assert_eq!(open["tip"]["state"], "new");
    assert_eq!(open["tip"]["concerns_place"], false);
    assert_eq!(open["readings"].as_array().unwrap().len(), 1);
    assert!(open["readings"][0]["who"]
        .as_str()
        .unwrap()
        .contains("ca.xa"));
    let (_, again) = officer.get_json(&format!("/api/v1/tips/{id}")).await;
    assert_eq!(again["readings"].as_array().unwrap().len(), 2);
    let (s, _) = officer
        .get_json(&format!("/api/v1/tips/{}", id + 1000))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_proofs_of_work_are_refused() {
    let app = app().await;
    let _officer = app.logged_in("ca.xa", Role::Police, COMMUNE).await;
    let citizen = app.agent();
    let body = tip(COMMUNE, "Một việc cần báo cho công an xã.");

    // A wrong nonce.
    let (token, _) = solved(&citizen).await;
    let wrong = (0u64..).find(|n| !pow::verify(&token, *n, 8)).unwrap();
    let mut b = body.clone();
    b["challenge"] = json!(token);
    b["nonce"] = json!(wrong);
    let (s, v) = citizen.post_json("/api/v1/public/tips", b).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    vietnamese_error(&v);

    // A forged token.
    let mut b = body.clone();
    b["challenge"] = json!("v1.9999999999.0.00.00");
    b["nonce"] = json!(0);
    let (s, v) = citizen.post_json("/api/v1/public/tips", b).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    vietnamese_error(&v);

    // No challenge at all: the body lacks a required field.
    let (s, v) = citizen.post_json("/api/v1/public/tips", body.clone()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    vietnamese_error(&v);

    // Without JavaScript: difficulty 0, and the form must wait.
    let (s, c) = citizen
        .get_json("/api/v1/public/tips/challenge?script=false")
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(c["difficulty"], 0);
    assert!(c["wait_seconds"].as_u64().unwrap() > 0, "{c}");
    let mut b = body.clone();
    b["challenge"] = c["token"].clone();
    b["nonce"] = json!(0);
    let (s, v) = citizen.post_json("/api/v1/public/tips", b).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{v}");
    assert!(vietnamese_error(&v).starts_with("Xin chờ thêm"), "{v}");

    // A body over the limit (text and pictures together).
    let (s, v) = send(&citizen, tip(COMMUNE, &"x".repeat(22 * 1024 * 1024))).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
    assert!(vietnamese_error(&v).contains("20 MB"), "{v}");

    // Content checked after the work: too short a text.
    let (s, v) = send(&citizen, tip(COMMUNE, "ngắn")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(vietnamese_error(&v).contains("quá ngắn"), "{v}");
    // A unit that does not exist.
    let (s, v) = send(&citizen, tip("99999", "Một việc cần báo cho công an xã.")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    vietnamese_error(&v);
}

#[tokio::test]
async fn a_unit_without_a_keyed_officer_cannot_receive_a_tip() {
    let app = app().await;
    // A police officer exists but never logged in: no key yet.
    app.user("ca.xa", Role::Police, COMMUNE).await;
    let citizen = app.agent();
    let (s, v) = send(&citizen, tip(COMMUNE, "Một việc cần báo cho công an xã.")).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(vietnamese_error(&v).contains("đường dây nóng"), "{v}");
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tips")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(n, 0, "nothing stored");
}

#[tokio::test]
async fn only_the_police_of_the_unit_see_a_tip_and_never_the_accused_unit() {
    let app = app().await;
    let commune = app.logged_in("ca.xa", Role::Police, COMMUNE).await;
    let other = app.logged_in("ca.xakhac", Role::Police, OTHER).await;
    let province = app.logged_in("ca.tinh", Role::Police, PROVINCE).await;
    let front = app.logged_in("mt.xa", Role::Front, COMMUNE).await;
    let admin = app.logged_in("qt.xa", Role::Admin, COMMUNE).await;
    let citizen = app.agent();
    sent(&citizen, tip(COMMUNE, "Một việc cần báo cho công an xã.")).await;
    let id = listed(&commune).await[0];
    let path = format!("/api/v1/tips/{id}");

    assert!(
        listed(&other).await.is_empty(),
        "the other commune lists it"
    );
    assert_eq!(counted(&other).await, 0, "the other commune counts it");
    for (who, a) in [
        ("other commune", &other),
        ("front", &front),
        ("admin", &admin),
    ] {
        let (s, v) = a.get_json(&path).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{who}: {v}");
        vietnamese_error(&v);
    }
    // Tips are the police's: the Front and administrators are told so,
    // rather than shown an inbox that looks empty.
    for (who, a) in [("front", &front), ("admin", &admin)] {
        for list in [
            "/api/v1/tips",
            "/api/v1/tips/counts",
            "/api/v1/tips/clusters",
        ] {
            let (s, v) = a.get_json(list).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who} {list}: {v}");
            assert!(vietnamese_error(&v).contains("Công an"), "{v}");
        }
    }
    // The province sees its communes' tips.
    assert_eq!(listed(&province).await, vec![id]);

    // A tip about the commune's own officers goes to the province only.
    let text = "Cán bộ công an xã nhận tiền để bỏ qua vi phạm.";
    let mut about = tip(COMMUNE, text);
    about["concerns_local_officers"] = json!(true);
    sent(&citizen, about).await;
    let ids = listed(&province).await;
    assert_eq!(ids.len(), 2);
    let accused = ids[0];
    assert_ne!(accused, id);
    assert_eq!(listed(&commune).await, vec![id]);
    assert_eq!(counted(&commune).await, 1);
    assert_eq!(counted(&province).await, 2);
    let (s, v) = commune.get_json(&format!("/api/v1/tips/{accused}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    let (s, v) = commune
        .post_json(
            &format!("/api/v1/tips/{accused}/state"),
            json!({"state": "closed"}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    let (s, open) = province.get_json(&format!("/api/v1/tips/{accused}")).await;
    assert_eq!(s, StatusCode::OK, "{open}");
    assert_eq!(open["content"]["text"], text);
    assert_eq!(open["tip"]["concerns_place"], true);

    // Not ticked, but the place names the commune's police: the same.
    let mut named = tip(COMMUNE, "Có người bị giữ qua đêm không lập biên bản.");
    named["place"] = json!("Trụ sở Công an xã Mường Phăng");
    sent(&citizen, named).await;
    assert_eq!(listed(&province).await.len(), 3);
    assert_eq!(
        listed(&commune).await,
        vec![id],
        "the commune never sees it"
    );
}

/// The session cookie's value of a logged-in agent.
fn session_id(cookies: &[String]) -> String {
    cookies
        .iter()
        .find_map(|c| c.strip_prefix("antq_session="))
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn the_key_is_held_per_session_and_opened_with_the_password() {
    let app = app().await;
    app.user("ca.xa", Role::Police, COMMUNE).await;
    let mut officer = app.agent();
    let login = officer.login("ca.xa", PASSWORD).await;
    assert_eq!(login.status(), StatusCode::OK);
    sent(
        &app.agent(),
        tip(COMMUNE, "Một việc cần báo cho công an xã."),
    )
    .await;
    let id = listed(&officer).await[0];
    let path = format!("/api/v1/tips/{id}");

    // An API token lists the tip but holds no key.
    let (s, t) = officer
        .post_json("/api/v1/tokens", json!({"name": "tập lệnh"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    let mut script = app.agent();
    script.token = Some(t["token"].as_str().unwrap().to_string());
    assert_eq!(listed(&script).await, vec![id]);
    let (s, v) = script.get_json(&path).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(vietnamese_error(&v).contains("/tin-bao/khoa"), "{v}");
    let (s, v) = script
        .post_json("/api/v1/tips/key", json!({"password": PASSWORD}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    vietnamese_error(&v);

    // The session's key forgotten (as after a restart): opened again.
    app.state
        .tips
        .keyring
        .drop_officer(&session_id(&login.cookies));
    let (s, v) = officer.get_json(&path).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    let (s, v) = officer
        .post_json(
            "/api/v1/tips/key",
            json!({"password": "không phải mật khẩu"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(vietnamese_error(&v), "Mật khẩu không đúng");
    let (s, v) = officer
        .post_json("/api/v1/tips/key", json!({"password": PASSWORD}))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (s, v) = officer.get_json(&path).await;
    assert_eq!(s, StatusCode::OK, "{v}");

    // A recovery code, shown once.
    let (s, v) = officer
        .post_json("/api/v1/tips/key/recovery", json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["recovery_code"].as_str().unwrap().len() >= 16, "{v}");
}

/// Open the tipster's session with a receipt: (status, body, Set-Cookie).
async fn open_session(a: &Agent, receipt: &str) -> (StatusCode, Value, Option<String>) {
    let (token, nonce) = solved(a).await;
    let res = a
        .client
        .post(a.url("/api/v1/public/tips/session"))
        .json(&json!({"receipt": receipt, "challenge": token, "nonce": nonce}))
        .send()
        .await
        .unwrap();
    let status = res.status();
    let cookie = res
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_string());
    (status, res.json().await.unwrap_or(Value::Null), cookie)
}

#[tokio::test]
async fn a_wrong_receipt_answers_like_a_malformed_one() {
    let app = app().await;
    let _officer = app.logged_in("ca.xa", Role::Police, COMMUNE).await;
    let tipster = app.agent();
    sent(&tipster, tip(COMMUNE, "Một việc cần báo cho công an xã.")).await;
    let (s, wrong, cookie) = open_session(&tipster, "0000 0000 0000 0000").await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{wrong}");
    assert!(cookie.is_none());
    let (s, malformed, _) = open_session(&tipster, "không phải mã").await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{malformed}");
    assert_eq!(vietnamese_error(&wrong), vietnamese_error(&malformed));
    // Without a session: 401, and no way to write.
    let (s, v) = tipster.get_json("/api/v1/public/tips/messages").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{v}");
    vietnamese_error(&v);
    let (s, v) = tipster
        .post_json("/api/v1/public/tips/messages", json!({"text": "Thêm tin."}))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{v}");
}

#[tokio::test]
async fn the_tipster_comes_back_with_the_receipt() {
    let app = app().await;
    let officer = app.logged_in("ca.xa", Role::Police, COMMUNE).await;
    let tipster = app.agent();
    let receipt = sent(&tipster, tip(COMMUNE, "Một việc cần báo cho công an xã.")).await;
    let id = listed(&officer).await[0];
    let write = |kind: &'static str, text: &'static str| {
        let officer = &officer;
        async move {
            let (s, v) = officer
                .post_json(
                    &format!("/api/v1/tips/{id}/messages"),
                    json!({"kind": kind, "text": text}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
        }
    };
    write("question", "Bạn thấy việc này vào lúc mấy giờ?").await;
    write("note", "Ghi chú nội bộ: đã cử tổ công tác.").await;

    let (s, v, cookie) = open_session(&tipster, &receipt).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let cookie = cookie.unwrap();
    assert!(cookie.starts_with("antq_tip="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let csrf = v["csrf_token"].as_str().unwrap().to_string();
    let (s, view) = tipster.get_json("/api/v1/public/tips/messages").await;
    assert_eq!(s, StatusCode::OK, "{view}");
    assert_eq!(view["content"]["text"], "Một việc cần báo cho công an xã.");
    assert_eq!(view["open"], true);
    let messages = view["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 1, "no internal note: {view}");
    assert_eq!(messages[0]["kind"], "question");
    assert_eq!(messages[0]["officer"], Value::Null, "no officer's name");

    let url = tipster.url("/api/v1/public/tips/messages");
    let answer = json!({"text": "Khoảng 7 giờ sáng, trước cổng chợ."});
    let res = tipster
        .client
        .post(&url)
        .json(&answer)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    vietnamese_error(&res.json().await.unwrap());
    let res = tipster
        .client
        .post(&url)
        .header("X-CSRF-Token", &csrf)
        .json(&answer)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);

    let (_, open) = officer.get_json(&format!("/api/v1/tips/{id}")).await;
    let last = open["messages"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["author"], "tipster");
    assert_eq!(last["text"], answer["text"]);

    // Closing the session forgets it.
    let res = tipster
        .client
        .delete(tipster.url("/api/v1/public/tips/session"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let (s, _) = tipster.get_json("/api/v1/public/tips/messages").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

/// The audited actions on a tip.
async fn audited(app: &TestApp, id: i64) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE entity = 'tip' AND entity_id = $1 ORDER BY id",
    )
    .bind(id.to_string())
    .fetch_all(app.db.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn triage_and_transfer_are_audited() {
    let app = app().await;
    let officer = app.logged_in("ca.xa", Role::Police, COMMUNE).await;
    let other = app.logged_in("ca.xakhac", Role::Police, OTHER).await;
    sent(
        &app.agent(),
        tip(COMMUNE, "Một việc cần báo cho công an xã."),
    )
    .await;
    let id = listed(&officer).await[0];
    let (s, row) = officer
        .post_json(
            &format!("/api/v1/tips/{id}/state"),
            json!({"state": "verifying"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{row}");
    assert_eq!(row["state"], "verifying");
    let (s, v) = officer.get_json("/api/v1/tips?state=verifying").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
    let (s, v) = officer.get_json("/api/v1/tips?state=xyz").await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    vietnamese_error(&v);
    // An old version is a conflict.
    let (s, v) = officer
        .post_json(
            &format!("/api/v1/tips/{id}/state"),
            json!({"state": "valuable", "version": row["version"].as_i64().unwrap() - 1}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    vietnamese_error(&v);

    let (s, v) = officer
        .post_json(
            &format!("/api/v1/tips/{id}/transfer"),
            json!({"unit": OTHER, "version": row["version"]}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    assert_eq!(listed(&other).await, vec![id]);
    let (s, open) = other.get_json(&format!("/api/v1/tips/{id}")).await;
    assert_eq!(s, StatusCode::OK, "the receiving unit reads it: {open}");
    assert!(listed(&officer).await.is_empty());
    let actions = audited(&app, id).await;
    for a in ["tip.state", "tip.transfer", "tip.read"] {
        assert!(
            actions.iter().any(|x| x == a),
            "{a} not audited: {actions:?}"
        );
    }
}

#[tokio::test]
async fn one_scam_number_written_three_ways_is_one_cluster() {
    let app = app().await;
    let province = app.logged_in("ca.tinh", Role::Police, PROVINCE).await;
    let communes: Vec<String> = sqlx::query_scalar(
        "SELECT code FROM units WHERE parent_id = (SELECT id FROM units WHERE code = '11' AND valid_to IS NULL) \
         AND valid_to IS NULL ORDER BY code LIMIT 3",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(communes.len(), 3);
    let citizen = app.agent();
    for (unit, phone) in
        communes
            .iter()
            .zip(["+84 912 345 678", "0912.345.678", "(+84) 912-345-678"])
    {
        let body = json!({
            "category": "lua_dao_mang", "unit_code": unit,
            "text": "Có người gọi giả danh công an yêu cầu chuyển tiền.",
            "answers": {"cach_lien_lac": "Điện thoại"},
            "identifiers": [{"kind": "phone", "value": phone}],
        });
        sent(&citizen, body).await;
    }
    let (s, v) = province.get_json("/api/v1/tips/clusters").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{v}");
    let c = &items[0];
    assert_eq!(c["kind"], "phone");
    assert_eq!(c["tips"], 3);
    assert_eq!(c["units"], 3);
    assert_eq!(c["provinces"], 1);
    assert_eq!(c["display"], "09x xxx x678");
    assert!(
        !v.to_string().contains("912345678"),
        "no identifier in clear: {v}"
    );
}

/// A unit's daily limit never holds back a tip about that unit's own
/// police (nor counts it: its officers could learn of it from where the
/// limit starts), and a tip refused for its content keeps its challenge.
#[tokio::test]
async fn limits_never_silence_a_tip_about_the_local_police() {
    let app = spawn_app_with(|c| {
        c.tips.difficulty = 8;
        c.tips.per_unit_per_day = 1;
    })
    .await;
    app.logged_in("ca.tinh", Role::Police, PROVINCE).await;
    app.logged_in("ca.xa", Role::Police, COMMUNE).await;
    let citizen = app.agent();
    sent(&citizen, tip(COMMUNE, "Tin thứ nhất về trật tự ở bản.")).await;
    let (s, v) = send(&citizen, tip(COMMUNE, "Tin thứ hai về trật tự ở bản.")).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{v}");
    vietnamese_error(&v);
    let mut about = tip(COMMUNE, "Cán bộ công an xã làm ngơ cho điểm bán ma túy.");
    about["concerns_local_officers"] = json!(true);
    sent(&citizen, about).await;

    // Refused for its content (too short): the same challenge then works.
    let (token, nonce) = solved(&citizen).await;
    let mut short = tip(OTHER, "Ngắn");
    short["challenge"] = json!(token);
    short["nonce"] = json!(nonce);
    let (s, v) = citizen.post_json("/api/v1/public/tips", short).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let mut good = tip(OTHER, "Một tin đủ dài về trật tự ở phường.");
    good["challenge"] = json!(token);
    good["nonce"] = json!(nonce);
    let (s, v) = citizen.post_json("/api/v1/public/tips", good.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = citizen.post_json("/api/v1/public/tips", good).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "used once: {v}");
}

#[path = "tips/pictures.rs"]
mod pictures;
