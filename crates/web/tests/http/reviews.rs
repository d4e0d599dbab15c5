//! Reviews over HTTP: built from approved data only, downloaded as Word,
//! Excel and HTML, narrative edited, reprinted identically after a
//! correction whose figures the comparison shows; access by unit.

use antq_core::auth::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::spawn_app;

const R: &str = "/api/v1/data/antq-nam/03325/2026";

#[tokio::test]
async fn a_review_from_approved_data_reprints_identically_and_shows_corrections() {
    let app = spawn_app().await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let province = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let other = app.logged_in("ca.dongthap", Role::Police, "82").await;

    // One approved report, one still in draft (its figures stay out).
    let (s, _) = commune
        .send_json(
            Method::PUT,
            R,
            json!({"values": {"tt_buoi": 120, "tt_luot": 3_048_210, "gd_doi_tuong": 40, "gd_tien_bo": 15}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    commune.post_json(&format!("{R}/submit"), json!({})).await;
    let (s, _) = province.post_json(&format!("{R}/approve"), json!({})).await;
    assert_eq!(s, StatusCode::OK);
    let draft = "/api/v1/data/antq-nam/03127/2026";
    let writer = app.logged_in("ca.dbp", Role::Police, "03127").await;
    writer
        .send_json(Method::PUT, draft, json!({"values": {"tt_buoi": 7}}))
        .await;

    let body = json!({"unit": "11", "from": "2026", "to": "2026", "owner": "police", "issue_date": "05/03/2026"});
    let (s, _) = other.post_json("/api/v1/reviews", body.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "not their province");
    let (s, review) = province.post_json("/api/v1/reviews", body).await;
    assert_eq!(s, StatusCode::CREATED, "{review}");
    let id = review["id"].as_i64().unwrap();
    assert_eq!(review["snapshot"]["totals"]["tt_buoi"]["value"], 120.0);
    assert_eq!(review["snapshot"]["totals"]["tt_buoi"]["unapproved"], 7.0);
    assert_eq!(
        review["header"]["place_date"],
        "Điện Biên, ngày 05 tháng 3 năm 2026"
    );
    let text = review["narrative"][0]["text"].as_str().unwrap();
    assert_eq!(
        text,
        "Năm 2026, toàn tỉnh đã tổ chức tuyên truyền, phát động phong trào được 120 buổi, với hơn 3 triệu lượt người tham dự."
    );
    let (s, _) = other.get_json(&format!("/api/v1/reviews/{id}")).await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "outside their units: as if missing"
    );

    // Word, Excel and HTML.
    let docx = province
        .get(&format!("/api/v1/reviews/{id}/export?format=docx"))
        .await;
    assert_eq!(docx.status(), StatusCode::OK);
    let first_docx = docx.bytes().await.unwrap();
    assert_eq!(&first_docx[..2], b"PK");
    let xlsx = province
        .get(&format!("/bao-cao/{id}/tai-ve.xlsx"))
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(&xlsx[..2], b"PK");
    let html = province
        .get(&format!("/bao-cao/{id}/tai-ve.html"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") && html.contains("120 buổi"));
    let page = province
        .get(&format!("/bao-cao/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("id=\"edit-narrative\""));
    // One commune in one year: nothing to compare, so no chart.
    assert!(!page.contains("<svg"), "{page}");
    assert!(page.contains("Bảng 1.1."), "tables on the page");

    // The Front may read the police's review but not rewrite it.
    let front = app.logged_in("mt.dienbien", Role::Front, "11").await;
    let (s, _) = front.get_json(&format!("/api/v1/reviews/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = front
        .send_json(
            Method::PUT,
            &format!("/api/v1/reviews/{id}/narrative"),
            json!({"texts": {"tuyen_truyen": "x"}}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // An editor rewrites a paragraph; it is kept with the review.
    let (s, edited) = province
        .send_json(
            Method::PUT,
            &format!("/api/v1/reviews/{id}/narrative"),
            json!({"texts": {"tuyen_truyen": "Năm 2026, công tác tuyên truyền được đẩy mạnh với 120 buổi."}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{edited}");
    assert_eq!(edited["edited"], true);
    let edited_docx = province
        .get(&format!("/api/v1/reviews/{id}/export?format=docx"))
        .await
        .bytes()
        .await
        .unwrap();
    assert_ne!(edited_docx, first_docx);

    // A correction after the review: reopen, fix, approve.
    province
        .post_json(&format!("{R}/reopen"), json!({"comment": "Sửa số buổi"}))
        .await;
    commune
        .send_json(Method::PUT, R, json!({"values": {"tt_buoi": 125}}))
        .await;
    commune.post_json(&format!("{R}/submit"), json!({})).await;
    province.post_json(&format!("{R}/approve"), json!({})).await;
    let again = province
        .get(&format!("/api/v1/reviews/{id}/export?format=docx"))
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(again, edited_docx, "the review reprints byte for byte");
    let (_, changes) = province
        .get_json(&format!("/api/v1/reviews/{id}/changes"))
        .await;
    let list = changes["changes"]
        .as_array()
        .unwrap_or_else(|| panic!("{changes}"));
    assert!(
        list.iter()
            .any(|c| c["key"] == "tt_buoi" && c["before"] == 120.0 && c["after"] == 125.0),
        "{changes}"
    );
    let diff_page = province
        .get(&format!("/bao-cao/{id}/doi-chieu"))
        .await
        .text()
        .await
        .unwrap();
    assert!(diff_page.contains("id=\"changes\"") && diff_page.contains("125"));
    // A half-year review counts only the half's reports, not the year's.
    let half = "/api/v1/data/antq-6t/03325/2026S1";
    commune
        .send_json(
            Method::PUT,
            half,
            json!({"values": {"tt_buoi": 30, "tt_luot": 900}}),
        )
        .await;
    commune
        .post_json(&format!("{half}/submit"), json!({}))
        .await;
    let (s, _) = province
        .post_json(&format!("{half}/approve"), json!({}))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, h) = province
        .post_json(
            "/api/v1/reviews",
            json!({"unit": "11", "from": "2026S1", "owner": "front"}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "the police do not issue the Front's review: {h}"
    );
    let (s, h) = province
        .post_json(
            "/api/v1/reviews",
            json!({"unit": "11", "from": "2026S1", "owner": "police"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    assert_eq!(h["snapshot"]["totals"]["tt_buoi"]["value"], 30.0);
    // 2026 is outside programme 09's stage: never "số 09" (the successor,
    // where the register holds it, or the movement).
    let title = h["header"]["title"].as_str().unwrap();
    assert!(
        title.contains("6 tháng đầu năm 2026") && !title.contains("số 09"),
        "{title}"
    );
    assert!(h["narrative"][0]["text"]
        .as_str()
        .unwrap()
        .starts_with("Trong 6 tháng đầu năm 2026, toàn tỉnh đã tổ chức tuyên truyền, phát động phong trào được 30 buổi"));

    let list = province.get("/bao-cao").await.text().await.unwrap();
    assert!(
        list.contains("6 tháng đầu năm 2026") && list.contains("năm 2026"),
        "{list}"
    );
    let (_, listed) = other.get_json("/api/v1/reviews").await;
    assert_eq!(
        listed.as_array().unwrap().len(),
        0,
        "another province sees none"
    );

    let admin = app.logged_in("quantri", Role::Admin, "VN").await;
    let (_, log) = admin.get_json("/api/v1/audit?action=review").await;
    assert_eq!(
        log.as_array().unwrap().len(),
        3,
        "two built, one edited: {log}"
    );
}

/// A review asked for with a name several units share: the form comes back
/// (422) as typed, with the candidates as a list.
#[tokio::test]
async fn a_review_form_with_a_shared_name_comes_back_as_typed() {
    let app = spawn_app().await;
    let admin = app.logged_in("qt.tw", Role::Admin, "VN").await;
    let res = admin
        .post_form(
            "/bao-cao",
            &[
                ("unit", "Xã Châu Thành"),
                ("unit_pick", ""),
                ("from", "2026"),
                ("to", ""),
                ("half", "1"),
                ("at", ""),
                ("owner", "police"),
                ("issue_date", "05/03/2026"),
            ],
        )
        .await;
    let status = res.status();
    let html = res.text().await.unwrap();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("id=\"review-error\""), "{html}");
    assert!(
        html.matches("<li>Xã Châu Thành (").count() >= 2,
        "one line per candidate: {html}"
    );
    assert!(html.contains("value=\"Xã Châu Thành\""), "{html}");
    assert!(
        html.contains("name=\"from\" required value=\"2026\""),
        "{html}"
    );
    assert!(html.contains("<option value=\"1\" selected>"), "{html}");
    assert!(
        html.contains("<option value=\"police\" selected>"),
        "{html}"
    );
    assert!(html.contains("value=\"05/03/2026\""), "{html}");
}

/// A first-half review names its unit as it was at the half's end: "Tỉnh
/// Đồng Tháp" in the first half of 2025 is the old province (87, until
/// 30/06/2025), not the merged one (82).
#[tokio::test]
async fn a_first_half_review_takes_the_unit_named_at_the_halfs_end() {
    let app = spawn_app().await;
    let admin = app.logged_in("qt.tw", Role::Admin, "VN").await;
    let res = admin
        .post_form(
            "/bao-cao",
            &[
                ("unit", "Tỉnh Đồng Tháp"),
                ("from", "2025"),
                ("half", "1"),
                ("owner", "police"),
            ],
        )
        .await;
    let status = res.status();
    let body = res.text().await.unwrap();
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let list = admin.get("/bao-cao").await.text().await.unwrap();
    assert!(list.contains("Tỉnh Đồng Tháp (87)"), "{list}");
    assert!(!list.contains("Tỉnh Đồng Tháp (82)"), "{list}");
}
