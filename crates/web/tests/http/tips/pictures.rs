//! Pictures sent with a tip (metadata stripped, opened only by the police
//! of the unit), and a bounded flood held to the per-minute limit.

use super::*;

/// A tiny JPEG carrying an EXIF segment with a GPS position, as a phone
/// writes one.
fn photo_with_gps() -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8];
    let exif = b"Exif\0\0GPSLatitude 21.3856 GPSLongitude 103.0169";
    b.extend_from_slice(&[0xFF, 0xE1]);
    b.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
    b.extend_from_slice(exif);
    b.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x0B, 8, 0, 1, 0, 1, 1, 1, 0x11, 0]);
    b.extend_from_slice(&[
        0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 0x3F, 0, 0x55, 0xFF, 0xD9,
    ]);
    b
}

fn has(bytes: &[u8], needle: &[u8]) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn pictures_come_without_their_metadata_and_only_to_the_police_of_the_unit() {
    use base64::Engine;
    let app = app().await;
    let officer = app.logged_in("ca.xa", Role::Police, COMMUNE).await;
    let other = app.logged_in("ca.khac", Role::Police, OTHER).await;
    let citizen = app.agent();
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);

    // Not a picture: refused by its content, named by its place.
    let mut body = tip(COMMUNE, "Ảnh chụp nhóm người lạ tụ tập ban đêm.");
    body["attachments"] =
        json!([{"data": b64(&photo_with_gps())}, {"data": b64(b"%PDF-1.7 not a photo")}]);
    let (s, v) = send(&citizen, body.clone()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(
        vietnamese_error(&v).starts_with("Tệp đính kèm thứ 2"),
        "{v}"
    );
    assert!(listed(&officer).await.is_empty(), "nothing kept");

    body["attachments"] = json!([{"data": b64(&photo_with_gps())}]);
    let receipt = sent(&citizen, body).await;
    let id = listed(&officer).await[0];
    let (s, open) = officer.get_json(&format!("/api/v1/tips/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{open}");
    let pics = open["attachments"].as_array().unwrap();
    assert_eq!(pics.len(), 1, "{open}");
    let pic = pics[0]["id"].as_i64().unwrap();
    let url = format!("/api/v1/tips/{id}/attachments/{pic}");
    let res = officer.get(&url).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(&[0xFF, 0xD8]) && bytes.ends_with(&[0xFF, 0xD9]));
    assert!(
        !has(&bytes, b"GPS") && !has(&bytes, b"Exif"),
        "metadata stripped"
    );
    assert!(has(&bytes, &[0xFF, 0xDA]), "the picture itself kept");
    assert!(audited(&app, id)
        .await
        .contains(&"tip.attachment".to_string()));
    // Another commune's police: as if it did not exist.
    assert_eq!(other.get(&url).await.status(), StatusCode::NOT_FOUND);
    // The public never gets it back.
    assert!(citizen.get(&url).await.status().is_client_error());

    // The tipster adds a picture through the page (a browser's multipart form).
    let (s, _, cookie) = open_session(&citizen, &receipt).await;
    assert_eq!(s, StatusCode::OK);
    let page = citizen.get("/tin-bao/trao-doi").await.text().await.unwrap();
    let token = page
        .split("name=\"tip_token\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("the conversation's form token")
        .to_string();
    let (ct, form) = crate::helpers::multipart_form(
        &[
            ("tip_token", &token),
            ("text", "Thêm một ảnh chụp sáng nay."),
        ],
        &[("attachment", &photo_with_gps()), ("attachment", b"")],
    );
    let res = citizen
        .client
        .post(citizen.url("/tin-bao/trao-doi"))
        .header("Content-Type", ct)
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "back to the conversation"
    );
    assert!(cookie.is_some());
    let (_, open) = officer.get_json(&format!("/api/v1/tips/{id}")).await;
    let pics = open["attachments"].as_array().unwrap();
    assert_eq!(pics.len(), 2, "the empty file input adds nothing: {open}");
    assert!(pics[1]["message_id"].as_i64().is_some());

    // Six pictures through the form: it comes back with the words and
    // what was typed, nothing kept.
    let photo = photo_with_gps();
    let six: Vec<(&str, &[u8])> = (0..6).map(|_| ("attachment", &photo[..])).collect();
    let typed = "Nhóm thanh niên tụ tập đua xe mỗi tối thứ Bảy.";
    let (ct, form) = crate::helpers::multipart_form(
        &[
            ("category", "khac"),
            ("unit", "Xã Mường Phăng"),
            ("unit_pick", COMMUNE),
            ("text", typed),
        ],
        &six,
    );
    let res = citizen
        .client
        .post(citizen.url("/tin-bao/gui"))
        .header("Content-Type", ct)
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("tối đa 5 ảnh") && page.contains(typed),
        "{page}"
    );
    assert_eq!(listed(&officer).await.len(), 1, "nothing kept");
}

/// A flood on loopback, bounded: 40 solved submissions, 8 at a time,
/// against a limit of 10 a minute. Exactly 10 are kept, the others are
/// told in Vietnamese to come back later, and the channel answers still.
#[tokio::test]
async fn a_flood_is_held_to_the_limit_and_the_channel_keeps_answering() {
    let app = spawn_app_with(|c| {
        c.tips.difficulty = 8;
        c.tips.per_minute = 10;
    })
    .await;
    let officer = app.logged_in("ca.xa", Role::Police, COMMUNE).await;
    let citizen = app.agent();
    let mut bodies = Vec::new();
    for i in 0..40 {
        let (token, nonce) = solved(&citizen).await;
        let mut b = tip(COMMUNE, &format!("Tin báo thứ {i} về trật tự ở bản."));
        b["challenge"] = json!(token);
        b["nonce"] = json!(nonce);
        bodies.push(b);
    }
    let mut statuses = Vec::new();
    for wave in bodies.chunks(8) {
        let url = citizen.url("/api/v1/public/tips");
        let answers = futures_join(wave.iter().map(|b| {
            let (client, url, body) = (citizen.client.clone(), url.clone(), b.clone());
            async move {
                let res = client.post(url).json(&body).send().await.unwrap();
                let status = res.status();
                (status, res.json::<Value>().await.unwrap_or(Value::Null))
            }
        }))
        .await;
        for (s, v) in answers {
            if s != StatusCode::CREATED {
                assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{v}");
                vietnamese_error(&v);
            }
            statuses.push(s);
        }
    }
    let kept = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    assert_eq!(kept, 10, "{statuses:?}");
    assert_eq!(counted(&officer).await, 10);
    let (s, _) = citizen.get_json("/api/v1/public/tips/categories").await;
    assert_eq!(s, StatusCode::OK, "the channel still answers");
}

/// Run requests together (the test crate has no futures dependency).
async fn futures_join<F>(fs: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = fs.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

/// Beside a reported `nguon_tin`, the police see how many tips came through
/// antq; the Front, reading the same figures, does not.
#[tokio::test]
async fn only_the_police_see_the_channel_beside_the_report() {
    use antq_core::indicators::Qualifier;
    use antq_core::periods::{Calendar, Period, PeriodType};
    use antq_storage::statistics::{catalogue, reports};
    let app = app().await;
    let police = app.logged_in("ca.xa", Role::Police, COMMUNE).await;
    let front = app.logged_in("mt.xa", Role::Front, COMMUNE).await;
    let citizen = app.agent();
    sent(&citizen, tip(COMMUNE, "Một việc cần báo cho công an xã.")).await;
    let today = antq_core::dates::today();
    let year = Period::containing(today, PeriodType::Year, Calendar::Reporting).unwrap();
    let unit = antq_storage::units::get_at(
        &app.db,
        &antq_core::units::UnitCode::parse(COMMUNE).unwrap(),
        today,
    )
    .await
    .unwrap();
    let form = catalogue::form(&app.db, "antq-nam").await.unwrap();
    reports::put_values(
        &app.db,
        &antq_storage::audit::Who::system(),
        &form,
        &unit,
        &year.code(),
        vec![reports::ValueInput {
            indicator: "nguon_tin".into(),
            option: String::new(),
            value: Some((7000, Qualifier::Exact, None)),
        }],
    )
    .await
    .unwrap();
    let url = format!(
        "/api/v1/analytics?indicators=nguon_tin&unit={COMMUNE}&from={y}&to={y}",
        y = year.year
    );
    let (s, v) = police.get_json(&url).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["rows"][0]["value"], 7.0, "{v}");
    assert_eq!(v["rows"][0]["channel_value"], 1.0, "{v}");
    let (s, v) = front.get_json(&url).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["rows"][0]["value"], 7.0, "{v}");
    assert!(v["rows"][0].get("channel_value").is_none(), "{v}");
}
