//! HTTP tests of issue 12: documents. The API's contract (ranked search,
//! the exact reference or an alias first), access (404 outside one's
//! grants), a bad reference refused with a Vietnamese reason at the field,
//! and the pages with and without htmx.

use antq_core::auth::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn searching_an_alias_finds_programme_09_first_with_the_contract_fields() {
    let app = spawn_app().await;
    let a = app.logged_in("xem.dienbien", Role::Viewer, "11").await;
    let (s, body) = a.get_json("/api/v1/documents?q=09%2FCtr-BCA-TTTW").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let first = &body["items"][0];
    assert_eq!(first["reference"], "09/CTr-BCA-MTTW");
    assert_eq!(first["kind"], "chuong_trinh");
    assert_eq!(first["number"], "09");
    assert_eq!(first["symbol"], "CTr-BCA-MTTW");
    assert_eq!(first["date"], "2013-08-01");
    assert_eq!(first["year"], 2013);
    assert_eq!(
        first["issuers"][1],
        "Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam"
    );
    assert!(first["subject"]
        .as_str()
        .unwrap()
        .contains("Toàn dân bảo vệ an ninh Tổ quốc"));
    assert!(first["aliases"]
        .as_array()
        .unwrap()
        .contains(&json!("09/Ctr-BCA-TTTW")));
    assert!(body["total"].as_i64().unwrap() >= 1);

    // Words without accents, with the filters.
    let (_, body) = a
        .get_json("/api/v1/documents?q=chuong%20trinh%20phoi%20hop")
        .await;
    assert_eq!(body["total"], 2);
    let (_, body) = a
        .get_json("/api/v1/documents?kind=thong_tu&issuer=bo%20cong%20an&year=2021")
        .await;
    assert_eq!(body["items"][0]["reference"], "124/2021/TT-BCA");
    assert_eq!(body["total"], 1);
    let (s, body) = a.get_json("/api/v1/documents?year=hai").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"].as_str().unwrap().starts_with("Năm"));

    // The document with the programmes that use it; the programme itself.
    let id = first["id"].as_i64().unwrap();
    let (s, doc) = a.get_json(&format!("/api/v1/documents/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    let pid = doc["programmes"][0]["id"].as_i64().unwrap();
    let (s, p) = a.get_json(&format!("/api/v1/programmes/{pid}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (p["stage_from"].as_i64(), p["stage_to"].as_i64()),
        (Some(2013), Some(2023))
    );
    assert_eq!(p["state"], "replaced");
    assert_eq!(p["parties"][0]["body"], "cong_an");
    assert_eq!(p["parties"][1]["body"], "mttq");
    let (_, list) = a.get_json("/api/v1/programmes").await;
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    let next = &list["items"][0];
    assert!(
        next["reference"].is_null(),
        "the successor has no invented number"
    );
    assert_eq!(
        (next["stage_from"].as_i64(), next["stage_to"].as_i64()),
        (Some(2023), Some(2033))
    );
    assert_eq!(next["state"], "in_force");
    assert_eq!(p["replaced_by"]["id"], next["id"]);
}

#[tokio::test]
async fn documents_of_other_units_are_not_found_and_bad_references_are_explained() {
    let app = spawn_app().await;
    let police = app.logged_in("ca.dongthap", Role::Police, "82").await;
    let other = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let (s, body) = police
        .post_json(
            "/api/v1/documents",
            json!({"reference": "12/KH-CAT-MTTQ", "date": "18/05/2023",
                   "subject": "Phát huy vai trò Tổ Nhân dân tự quản", "unit": "82",
                   "issuers": ["Công an tỉnh Đồng Tháp", "Ủy ban MTTQ Việt Nam tỉnh Đồng Tháp"]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    assert_eq!(body["kind"], "ke_hoach", "the kind comes from the symbol");
    let id = body["id"].as_i64().unwrap();
    let (s, body) = other.get_json(&format!("/api/v1/documents/{id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(body.get("subject").is_none());
    let (s, _) = other.get_json("/api/v1/documents/999999").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, found) = other.get_json("/api/v1/documents?q=12%2FKH-CAT-MTTQ").await;
    assert_eq!(found["total"], 0);
    let res = other.get(&format!("/van-ban/{id}")).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // A national document needs a national grant.
    let (s, _) = police
        .post_json(
            "/api/v1/documents",
            json!({"reference": "01/2024/TT-BCA", "subject": "Thử"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // A bad reference: 422 with the reason in Vietnamese.
    let (s, body) = police
        .post_json(
            "/api/v1/documents",
            json!({"reference": "Chương trình 09", "subject": "Thử", "unit": "82"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let msg = body["error"].as_str().unwrap();
    assert!(msg.contains("không phải số, ký hiệu văn bản"), "{msg}");
    // The same on the form: the page again, the error at the field.
    let res = police
        .post_form(
            "/van-ban",
            &[
                ("reference", "12/21/TT-BCA"),
                ("subject", "Thử"),
                ("unit", "82"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"doc-reference-error\""), "{html}");
    assert!(html.contains("năm phải có bốn chữ số"));
    // A programme of the province implementing the national one.
    let (_, list) = police.get_json("/api/v1/programmes").await;
    let national = list["items"][0]["id"].as_i64().unwrap();
    let (s, p) = police
        .post_json(
            "/api/v1/programmes",
            json!({"kind": "ke_hoach", "title": "Kế hoạch về Tổ Nhân dân tự quản", "reference": "12/KH-CAT-MTTQ",
                   "unit": "82", "stage_from": 2023, "stage_to": 2028, "implements_id": national,
                   "parties": [{"unit": "82", "body": "cong_an"}, {"unit": "82", "body": "mttq"}],
                   "items": [{"content": "Hướng dẫn các tổ", "party": 2}]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    assert_eq!(
        p["items"][0]["party"],
        "Ủy ban MTTQ Việt Nam tỉnh Đồng Tháp"
    );
    let (s, _) = other
        .get_json(&format!("/api/v1/programmes/{}", p["id"]))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_search_page_works_with_and_without_htmx() {
    let app = spawn_app().await;
    let a = app.logged_in("xem.dienbien2", Role::Viewer, "11").await;
    let res = a.get("/van-ban?q=chuong+trinh+phoi+hop").await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("<h1>Văn bản</h1>"));
    assert!(html.contains("09/CTr-BCA-MTTW"));
    assert!(html.contains("01/08/2013"), "dates dd/mm/yyyy");
    assert!(html.contains("Chương trình phối hợp"));
    assert!(!html.contains("chuong_trinh<"), "no internal codes shown");
    let res = a
        .client
        .get(a.url("/van-ban?q=09%2FCtr-BCA-TTTW"))
        .header("HX-Request", "true")
        .send()
        .await
        .unwrap();
    let html = res.text().await.unwrap();
    assert!(!html.contains("<html"), "htmx gets the results alone");
    let first = html.find("09/CTr-BCA-MTTW").unwrap();
    assert!(html.find("/van-ban/").unwrap() < first + 200);
    // The programme's page says its state and stage in words.
    let (_, list) = a.get_json("/api/v1/programmes").await;
    let p09 = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["reference"] == "09/CTr-BCA-MTTW");
    let id = p09.unwrap()["id"].as_i64().unwrap();
    let html = a
        .get(&format!("/chuong-trinh/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("2013 – 2023"));
    assert!(html.contains("Đã được thay thế"));
    assert!(html.contains("Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam"));
    let html = a.get("/chuong-trinh").await.text().await.unwrap();
    assert!(html.contains("Toàn quốc"));
}
