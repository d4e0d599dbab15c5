//! HTTP tests of issue 12: conferences. Recorded over the API and the
//! pages, read only within one's units (404 outside, as if missing),
//! refused with Vietnamese 422s, listed through a unit's subtree and
//! lineage, photos kept without their metadata, and the press draft
//! carrying the date, the organisers and the awards by issuer.

use antq_core::auth::Role;
use antq_storage::Db;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, Agent};

fn dien_bien() -> Value {
    json!({
        "kind": "tong_ket",
        "title": "Hội nghị tổng kết 10 năm thực hiện Chương trình phối hợp số 09",
        "held_on": "19/05/2023",
        "unit": "11",
        "stage_from": 2013,
        "stage_to": 2023,
        "organisers": [
            {"unit": "11", "body": "cong_an"},
            {"body": "khac", "name": "Ban Thường trực Ủy ban MTTQ tỉnh Điện Biên"}
        ],
        "attendees": [
            {"rank_title": "ông", "name": "Lê Thành Đô", "office": "Chủ tịch UBND tỉnh Điện Biên"},
            {"rank_title": "Đồng chí", "name": "Lò Văn Mừng", "office": "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh Điện Biên"}
        ]
    })
}

/// The article's awards at the conference, as the award register keeps them.
async fn awards(db: &Db, conference: i64, unit_id: i64) {
    let now = "2026-01-01T00:00:00Z";
    for (i, (office, form, collectives, individuals)) in [
        ("Chủ tịch UBND tỉnh", "Bằng khen", 2, 5),
        ("Ủy ban MTTQ Việt Nam tỉnh", "Bằng khen", 2, 10),
        ("Công an tỉnh", "Giấy khen", 15, 22),
    ]
    .into_iter()
    .enumerate()
    {
        let form_id: i64 = sqlx::query_scalar(
            "INSERT INTO award_forms (code, name, position) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(format!("http_test_form_{i}"))
        .bind(form)
        .bind(100 + i as i64)
        .fetch_one(db.pool())
        .await
        .unwrap();
        let office_id: i64 = sqlx::query_scalar(
            "INSERT INTO award_offices (code, name, level, body, position) \
             VALUES ($1, $2, 'province', 'khac', $3) RETURNING id",
        )
        .bind(format!("http_test_office_{i}"))
        .bind(office)
        .bind(-10 + i as i64)
        .fetch_one(db.pool())
        .await
        .unwrap();
        let award: i64 = sqlx::query_scalar(
            "INSERT INTO awards (form_id, office_id, unit_id, issuer_unit_id, state, year, \
             conference_id, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $3, 'decided', 2023, $4, 'test', $5, $5) RETURNING id",
        )
        .bind(form_id)
        .bind(office_id)
        .bind(unit_id)
        .bind(conference)
        .bind(now)
        .fetch_one(db.pool())
        .await
        .unwrap();
        let kinds = std::iter::repeat_n("tap_the", collectives)
            .chain(std::iter::repeat_n("ca_nhan", individuals));
        for (pos, kind) in kinds.enumerate() {
            sqlx::query(
                "INSERT INTO award_recipients (award_id, position, kind, name, state) \
                 VALUES ($1, $2, $3, $4, 'accepted')",
            )
            .bind(award)
            .bind(pos as i64)
            .bind(kind)
            .bind(format!("Người nhận {pos}"))
            .execute(db.pool())
            .await
            .unwrap();
        }
    }
}

#[tokio::test]
async fn a_conference_over_the_api_and_its_press_draft() {
    let app = spawn_app().await;
    let police = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let viewer = app.logged_in("xem.dienbien", Role::Viewer, "11").await;
    let other = app.logged_in("ca.dongthap", Role::Police, "82").await;

    let (s, c) = police.post_json("/api/v1/conferences", dien_bien()).await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let id = c["id"].as_i64().unwrap();
    assert_eq!(c["kind"], "tong_ket");
    assert_eq!(c["held_on"], "2023-05-19");
    assert_eq!(c["organisers"][0]["name"], "Công an tỉnh Điện Biên");
    assert_eq!(c["attendees"][1]["name"], "Lò Văn Mừng");

    // Not theirs: as if missing; and they may not record for Điện Biên.
    let (s, e) = other.get_json(&format!("/api/v1/conferences/{id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(e["error"], format!("Không tìm thấy hội nghị số {id}"));
    let (s, _) = other
        .get_json(&format!("/api/v1/conferences/{id}/press-draft"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = other.post_json("/api/v1/conferences", dien_bien()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = viewer.post_json("/api/v1/conferences", dien_bien()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = viewer
        .send_json(
            Method::PUT,
            &format!("/api/v1/conferences/{id}"),
            dien_bien(),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = other
        .send_json(
            Method::PUT,
            &format!("/api/v1/conferences/{id}"),
            dien_bien(),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // 422s in Vietnamese.
    for (change, words) in [
        (json!({"kind": "tiệc"}), "Loại sự kiện"),
        (json!({"title": "  "}), "Chưa nhập tên hội nghị"),
        (
            json!({"title": "x".repeat(501)}),
            "Tên hội nghị dài 501 ký tự",
        ),
        (
            json!({"stage_from": 2023, "stage_to": 2013}),
            "Giai đoạn 2023 – 2013",
        ),
        (
            json!({"organisers": [{"body": "khac"}]}),
            "Đơn vị tổ chức cần tên",
        ),
        (
            json!({"attendees": [{"name": ""}]}),
            "Đại biểu thứ 1 chưa có họ tên",
        ),
        (json!({"reviews": [999999]}), "Báo cáo tổng kết số 999999"),
    ] {
        let mut body = dien_bien();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (s, e) = police.post_json("/api/v1/conferences", body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{change}: {e}");
        assert!(
            e["error"].as_str().unwrap().contains(words),
            "{change}: {e}"
        );
    }
    let mut crowd = dien_bien();
    crowd["attendees"] = json!(vec![json!({"name": "A"}); 51]);
    let (s, e) = police.post_json("/api/v1/conferences", crowd).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");

    // The press draft: date, organisers, attendees; awards by issuer once given.
    let (s, d) = viewer
        .get_json(&format!("/api/v1/conferences/{id}/press-draft?author=T.L"))
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d.as_object().unwrap().len(), 3);
    assert!(d["lead"].as_str().unwrap().contains("19/5/2023, Công an tỉnh Điện Biên và Ban Thường trực Ủy ban MTTQ tỉnh Điện Biên tổ chức Hội nghị tổng kết"), "{d}");
    assert!(!d["body"].as_str().unwrap().contains("Nhân dịp này"));
    assert!(d["body"].as_str().unwrap().ends_with("T.L tổng hợp"));
    awards(&app.db, id, app.unit_id("11").await).await;
    let (_, d) = viewer
        .get_json(&format!("/api/v1/conferences/{id}/press-draft?author=T.L"))
        .await;
    let body = d["body"].as_str().unwrap();
    assert!(
        body.contains(
            "Dự hội nghị có ông Lê Thành Đô - Chủ tịch UBND tỉnh Điện Biên; đồng chí Lò Văn Mừng"
        ),
        "{body}"
    );
    assert!(
        body.contains(
            "Nhân dịp này, Chủ tịch UBND tỉnh tặng Bằng khen cho 2 tập thể, 5 cá nhân; \
             Ủy ban MTTQ Việt Nam tỉnh tặng Bằng khen cho 2 tập thể, 10 cá nhân; \
             Công an tỉnh tặng Giấy khen cho 15 tập thể, 22 cá nhân."
        ),
        "{body}"
    );
    assert!(d["headline"].as_str().unwrap().starts_with("Điện Biên: "));
    let (_, c) = viewer.get_json(&format!("/api/v1/conferences/{id}")).await;
    assert_eq!(c["awards"].as_array().unwrap().len(), 6);
    assert!(c["awards_sentence"]
        .as_str()
        .unwrap()
        .starts_with("Chủ tịch UBND tỉnh tặng Bằng khen"));

    // Listed through the province's subtree and by year; not for others.
    let (s, l) = viewer
        .get_json("/api/v1/conferences?unit=11&from=2023&to=2023")
        .await;
    assert_eq!(s, StatusCode::OK, "{l}");
    assert_eq!(l["total"], 1);
    assert_eq!(l["items"][0]["id"], id);
    let (_, l) = viewer
        .get_json("/api/v1/conferences?unit=11&from=2024")
        .await;
    assert_eq!(l["total"], 0);
    let (s, _) = other.get_json("/api/v1/conferences?unit=11").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, l) = other.get_json("/api/v1/conferences").await;
    assert_eq!(l["total"], 0);
    let (s, e) = viewer
        .get_json("/api/v1/conferences?unit=11&from=năm")
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
}

#[tokio::test]
async fn conferences_of_old_units_count_under_todays() {
    let app = spawn_app().await;
    let national = app.logged_in("qt.toanquoc", Role::Admin, "VN").await;
    let dong_thap = app.logged_in("ca.dongthap", Role::Police, "82").await;
    // Old Tiền Giang (82 in 2020) held it; today it is part of Đồng Tháp (82).
    let mut body = dien_bien();
    body["unit"] = json!("82");
    body["held_on"] = json!("2020-11-18");
    body["organisers"] = json!([{"unit": "82", "body": "cong_an"}]);
    let (s, c) = national.post_json("/api/v1/conferences", body).await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    assert_eq!(c["organisers"][0]["name"], "Công an tỉnh Tiền Giang");
    let (_, l) = dong_thap.get_json("/api/v1/conferences?unit=82").await;
    assert_eq!(l["total"], 1, "{l}");
    let (_, l) = dong_thap
        .get_json("/api/v1/conferences?unit=82&map=historical")
        .await;
    assert_eq!(l["total"], 0, "{l}");
}

fn jpeg_with_gps() -> Vec<u8> {
    let seg = |m: u8, d: &[u8]| {
        let mut s = vec![0xFF, m];
        s.extend_from_slice(&((d.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(d);
        s
    };
    let mut b = vec![0xFF, 0xD8];
    b.extend(seg(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
    b.extend(seg(0xE1, b"Exif\0\0MM\0*GPSLatitude 21.38"));
    b.extend(seg(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
    b.extend(seg(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
    b.extend_from_slice(&[0x12, 0x34, 0xFF, 0xD9]);
    b
}

async fn upload_photo(a: &Agent, id: i64, bytes: &[u8]) -> reqwest::Response {
    let boundary = "----antqconferencephoto";
    let csrf = a.csrf.clone().unwrap_or_default();
    let mut body = Vec::new();
    for (name, value) in [("caption", "Trao Bằng khen"), ("credit", "T.L")] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    a.client
        .post(a.url(&format!("/hoi-nghi/{id}/anh")))
        .header("x-csrf-token", &csrf)
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn pages_record_show_and_draft_with_photos_stripped() {
    let app = spawn_app().await;
    let police = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let other = app.logged_in("ca.dongthap", Role::Police, "82").await;

    // Recorded through the form, by the unit's name, without JavaScript.
    let res = police
        .post_form(
            "/hoi-nghi/moi",
            &[
                ("kind", "tong_ket"),
                ("title", "Hội nghị tổng kết 10 năm"),
                ("held_on", "19/05/2023"),
                ("unit", "Tỉnh Điện Biên"),
                ("unit_pick", ""),
                ("stage_from", "2013"),
                ("stage_to", "2023"),
                ("org_body_0", "cong_an"),
                ("org_name_0", ""),
                ("org_body_1", "mttq"),
                ("org_name_1", "Ban Thường trực Ủy ban MTTQ tỉnh Điện Biên"),
                ("org_body_2", ""),
                ("att_rank_0", "Trung tá"),
                ("att_name_0", "Nguyễn Thế Nam"),
                ("att_office_0", "Trưởng phòng công tác dân vận"),
                ("att_body_0", "Bộ Công an"),
                ("att_name_1", "Lê Thành Công"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{}",
        res.text().await.unwrap()
    );
    let to = res.headers()["location"].to_str().unwrap().to_string();
    let id: i64 = to.trim_start_matches("/hoi-nghi/").parse().unwrap();
    let page = police.get(&to).await.text().await.unwrap();
    for words in [
        "Công an tỉnh Điện Biên",
        "Ban Thường trực Ủy ban MTTQ tỉnh Điện Biên",
        "Trung tá Nguyễn Thế Nam - Trưởng phòng công tác dân vận, Bộ Công an",
        "19/05/2023",
        "Hội nghị tổng kết",
        "2013 – 2023",
        &format!("/khen-thuong/moi?hoi_nghi={id}"),
    ] {
        assert!(page.contains(words), "{words}");
    }
    assert!(!page.contains("tong_ket"));
    // A wrong form comes back as typed, with a Vietnamese error.
    let res = police
        .post_form(
            "/hoi-nghi/moi",
            &[
                ("kind", "tong_ket"),
                ("title", "Hội nghị"),
                ("held_on", "31/02/2023"),
                ("unit", "Tỉnh Điện Biên"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = res.text().await.unwrap();
    assert!(text.contains("value=\"Hội nghị\""));
    // The edit form shows what was recorded.
    let edit = police
        .get(&format!("/hoi-nghi/{id}/sua"))
        .await
        .text()
        .await
        .unwrap();
    assert!(edit.contains("value=\"Nguyễn Thế Nam\""));
    assert_eq!(
        other.get(&format!("/hoi-nghi/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other.get(&format!("/hoi-nghi/{id}/tin-bai")).await.status(),
        StatusCode::NOT_FOUND
    );

    // The press draft in text areas.
    let draft = police
        .get(&format!("/hoi-nghi/{id}/tin-bai?author=T.L"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        draft.contains("Điện Biên: Hội nghị tổng kết 10 năm"),
        "{draft}"
    );
    assert!(draft.contains("Ngày 19/5/2023, Công an tỉnh Điện Biên và Ban Thường trực"));
    assert!(draft.contains("<textarea id=\"draft-lead\""));
    assert!(draft.contains("T.L tổng hợp"));

    // A photo: its GPS gone; served to readers only.
    let res = upload_photo(&police, id, &jpeg_with_gps()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = police
        .get(&format!("/hoi-nghi/{id}"))
        .await
        .text()
        .await
        .unwrap();
    let src = page.split(&format!("/hoi-nghi/{id}/anh/")).nth(1).unwrap();
    let photo: i64 = src[..src.find('"').unwrap()].parse().unwrap();
    let got = police.get(&format!("/hoi-nghi/{id}/anh/{photo}")).await;
    assert_eq!(got.status(), StatusCode::OK);
    assert_eq!(got.headers()["content-type"], "image/jpeg");
    let bytes = got.bytes().await.unwrap();
    assert!(bytes.starts_with(&[0xFF, 0xD8]));
    assert!(!bytes.windows(4).any(|w| w == b"Exif") && !bytes.windows(3).any(|w| w == b"GPS"));
    assert_eq!(
        other
            .get(&format!("/hoi-nghi/{id}/anh/{photo}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // Not a picture: refused.
    let res = upload_photo(&police, id, b"GIF89a not a photo").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = police
        .get(&format!("/hoi-nghi/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Tệp không phải ảnh JPEG hoặc PNG"));

    // Listed by unit name on the list page.
    let list = police
        .get("/hoi-nghi?unit=T%E1%BB%89nh+%C4%90i%E1%BB%87n+Bi%C3%AAn&from=2023")
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains(&format!("href=\"/hoi-nghi/{id}\"")));
}
