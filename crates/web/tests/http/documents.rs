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

/// The page a form's redirect leads to.
async fn followed(a: &crate::helpers::Agent, res: reqwest::Response) -> String {
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "a redirect after the form"
    );
    let to = res.headers()["location"].to_str().unwrap().to_string();
    a.get(&to).await.text().await.unwrap()
}

#[tokio::test]
async fn the_forms_record_a_document_with_a_file_and_a_plan_with_its_rows() {
    let app = spawn_app().await;
    let police = app.logged_in("ca.dongthap2", Role::Police, "82").await;
    let res = police.get("/van-ban/moi").await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = police
        .post_form(
            "/van-ban",
            &[
                ("reference", "12 / kh-CAT-MTTQ"),
                ("date", "18/05/2023"),
                ("subject", "Phát huy vai trò Tổ Nhân dân tự quản"),
                (
                    "issuers",
                    "Công an tỉnh Đồng Tháp\nỦy ban MTTQ Việt Nam tỉnh Đồng Tháp",
                ),
                ("unit", "Đồng Tháp"),
                ("alias_0", "12/KH-CA-MTTQ"),
                ("alias_note_0", "Báo ghi"),
                ("as_written", "Kế hoạch số 12 ngày 18/5"),
            ],
        )
        .await;
    let html = followed(&police, res).await;
    assert!(html.contains("12/KH-CAT-MTTQ"), "{html}");
    assert!(html.contains("18/05/2023"));
    assert!(html.contains("Kế hoạch số 12 ngày 18/5"));
    assert!(html.contains("Báo ghi"));
    let (_, found) = police.get_json("/api/v1/documents?q=12%2FKH-CA-MTTQ").await;
    let id = found["items"][0]["id"].as_i64().unwrap();
    assert_eq!(found["items"][0]["kind"], "ke_hoach");

    // A PDF, recognised by its content; a text file refused.
    let csrf = police.csrf.clone().unwrap();
    let upload = |bytes: Vec<u8>, name: &'static str| {
        let mut body = format!(
            "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend(bytes);
        body.extend(b"\r\n--XyZ--\r\n");
        police
            .client
            .post(police.url(&format!("/van-ban/{id}/tep")))
            .header("x-csrf-token", &csrf)
            .header("content-type", "multipart/form-data; boundary=XyZ")
            .body(body)
            .send()
    };
    let res = upload(b"%PDF-1.7\n%...".to_vec(), "ke-hoach.pdf")
        .await
        .unwrap();
    let html = followed(&police, res).await;
    assert!(
        html.contains("ke-hoach.pdf") && html.contains("SHA-256"),
        "{html}"
    );
    let res = upload(b"not a pdf".to_vec(), "gia.pdf").await.unwrap();
    let html = followed(&police, res).await;
    assert!(html.contains("Tệp không phải PDF hay Word"), "{html}");
    let (_, doc) = police.get_json(&format!("/api/v1/documents/{id}")).await;
    let file = doc["files"][0]["id"].as_i64().unwrap();
    let res = police.get(&format!("/van-ban/{id}/tep/{file}")).await;
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(&res.bytes().await.unwrap()[..5], b"%PDF-");

    // A plan with two parties (units picked by name) and an item for the second.
    assert_eq!(
        police.get("/chuong-trinh/moi").await.status(),
        StatusCode::OK
    );
    let res = police
        .post_form(
            "/chuong-trinh",
            &[
                ("kind", "ke_hoach"),
                ("title", "Kế hoạch phối hợp về Tổ Nhân dân tự quản"),
                ("reference", "12/KH-CA-MTTQ"),
                ("unit", "Đồng Tháp"),
                ("signed_on", "18/05/2023"),
                ("stage_from", "2023"),
                ("stage_to", "2028"),
                ("state", "in_force"),
                ("party_unit_0", "Đồng Tháp"),
                ("party_body_0", "cong_an"),
                ("party_unit_1", ""),
                ("party_body_1", "khac"),
                ("party_name_1", "Hội Nông dân tỉnh"),
                ("party_unit_2", "Đồng Tháp"),
                ("party_body_2", "mttq"),
                ("item_0", "Hướng dẫn các Tổ Nhân dân tự quản"),
                ("item_party_0", "3"),
            ],
        )
        .await;
    let html = followed(&police, res).await;
    assert!(html.contains("Công an tỉnh Đồng Tháp"), "{html}");
    assert!(html.contains("Hội Nông dân tỉnh"));
    assert!(html.contains("2023 – 2028"));
    assert!(html.contains("Đang có hiệu lực"));
    let items = &html[html.find("id=\"programme-items\"").unwrap()..];
    assert!(
        items.contains("Ủy ban MTTQ Việt Nam tỉnh Đồng Tháp"),
        "the item's party"
    );
    // A stage the wrong way round: the form again, the error at its field.
    let res = police
        .post_form(
            "/chuong-trinh",
            &[
                ("kind", "ke_hoach"),
                ("title", "Sai"),
                ("stage_from", "2030"),
                ("stage_to", "2020"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Giai đoạn bắt đầu năm 2030 sau năm kết thúc 2020"));
}
