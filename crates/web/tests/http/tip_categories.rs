//! The categories of tips, edited by a national administrator over the API
//! and on the editor's pages: the public form shows the edit at once;
//! anyone else is refused (403); a bad category is refused (422) with the
//! reason in Vietnamese, and the form keeps what was typed.

use antq_core::auth::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::tips::{app, vietnamese_error, COMMUNE, PROVINCE};

async fn category(a: &crate::helpers::Agent, code: &str) -> Value {
    let (s, v) = a.get_json("/api/v1/tips/categories").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {v}"))
        .clone()
}

async fn page(a: &crate::helpers::Agent, path: &str) -> (StatusCode, String) {
    let res = a.get(path).await;
    (res.status(), res.text().await.unwrap())
}

#[tokio::test]
async fn an_administrator_edits_a_question_and_citizens_see_it() {
    let app = app().await;
    let admin = app.logged_in("quantri", Role::Admin, "VN").await;

    // Over the API: the label of the first question of "Khác" changes.
    let mut khac = category(&admin, "khac").await;
    let old_label = khac["questions"][0]["label"].as_str().unwrap().to_string();
    khac["questions"][0]["label"] = json!("Việc bạn báo thuộc lĩnh vực nào nhất?");
    let (s, v) = admin
        .send_json(Method::PUT, "/api/v1/tips/categories/khac", khac)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let citizen = app.agent();
    let (s, form) = page(&citizen, "/tin-bao/gui?loai=khac").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        form.contains("Việc bạn báo thuộc lĩnh vực nào nhất?"),
        "{form}"
    );
    assert!(!form.contains(&old_label), "the old label is gone");

    // On the editor's page: a new category without JavaScript, a question
    // added in an empty row, its key made from its label.
    let (s, list) = page(&admin, "/tin-bao/loai").await;
    assert_eq!(s, StatusCode::OK);
    assert!(list.contains("1.826 ngày (5 năm)"), "{list}");
    assert!(list.contains("730 ngày (2 năm)"), "{list}");
    assert!(
        list.contains("nav-tip-categories"),
        "linked from the tip nav"
    );
    let (s, _) = page(&admin, "/tin-bao/loai/moi").await;
    assert_eq!(s, StatusCode::OK);
    let res = admin
        .post_form(
            "/tin-bao/loai/moi",
            &[
                ("code", "buon_lau"),
                ("name", "Buôn lậu, hàng giả"),
                ("description", ""),
                ("retention_days", "1096"),
                ("active", "1"),
                ("q0_key", ""),
                ("q0_label", "Mặt hàng nào?"),
                ("q0_help", ""),
                ("q0_kind", "choice"),
                ("q0_required", "1"),
                ("q0_options", "Thuốc lá\r\nXăng dầu\r\nHàng giả"),
                ("q1_key", ""),
                ("q1_label", ""),
                ("q1_help", ""),
                ("q1_kind", "text"),
                ("q1_options", ""),
            ],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let saved = category(&admin, "buon_lau").await;
    assert_eq!(saved["retention_days"], 1096);
    assert_eq!(saved["questions"].as_array().unwrap().len(), 1);
    assert_eq!(saved["questions"][0]["key"], "mat_hang_nao");
    assert_eq!(saved["questions"][0]["options"][1], "Xăng dầu");
    let (_, form) = page(&citizen, "/tin-bao/gui?loai=buon_lau").await;
    assert!(form.contains("Mặt hàng nào?") && form.contains("Xăng dầu"));

    // Emptying the label removes the question.
    let (s, edit) = page(&admin, "/tin-bao/loai/buon_lau").await;
    assert_eq!(s, StatusCode::OK);
    assert!(edit.contains("Mặt hàng nào?") && edit.contains("Chọn một"));
    let res = admin
        .post_form(
            "/tin-bao/loai/buon_lau",
            &[
                ("name", "Buôn lậu, hàng giả"),
                ("retention_days", "1096"),
                ("q0_key", "mat_hang_nao"),
                ("q0_label", ""),
                ("q0_kind", "choice"),
                ("q0_options", "Thuốc lá\r\nXăng dầu"),
            ],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let saved = category(&admin, "buon_lau").await;
    assert_eq!(saved["questions"].as_array().unwrap().len(), 0);
    assert_eq!(saved["active"], false, "an unticked box is inactive");
    let (s, _) = page(&citizen, "/tin-bao/gui?loai=buon_lau").await;
    assert_eq!(s, StatusCode::NOT_FOUND, "no longer offered");

    // Audited, each edit.
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'tip_category.save' AND entity_id IN ('khac', 'buon_lau') AND actor = 'quantri'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(n, 3);
}

#[tokio::test]
async fn only_national_administrators_may_edit_categories() {
    let app = app().await;
    let police = app.logged_in("ca.xa", Role::Police, COMMUNE).await;
    let province_admin = app.logged_in("qt.tinh", Role::Admin, PROVINCE).await;
    let admin = app.logged_in("quantri", Role::Admin, "VN").await;
    let khac = category(&admin, "khac").await;
    for a in [&police, &province_admin] {
        let (s, v) = a.get_json("/api/v1/tips/categories").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        assert!(vietnamese_error(&v).contains("quản trị viên cấp toàn quốc"));
        let (s, v) = a
            .send_json(Method::PUT, "/api/v1/tips/categories/khac", khac.clone())
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        vietnamese_error(&v);
        let (s, _) = page(a, "/tin-bao/loai").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let res = a
            .post_form("/tin-bao/loai/khac", &[("name", "Đổi tên")])
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
    let (_, inbox) = page(&police, "/tin-bao/quan-ly").await;
    assert!(
        !inbox.contains("nav-tip-categories"),
        "no link for the police"
    );
    assert_eq!(category(&admin, "khac").await, khac, "nothing changed");
}

#[tokio::test]
async fn a_bad_category_is_refused_with_the_reason() {
    let app = app().await;
    let admin = app.logged_in("quantri", Role::Admin, "VN").await;
    let khac = category(&admin, "khac").await;
    let put = |body: Value| {
        let admin = &admin;
        async move {
            admin
                .send_json(Method::PUT, "/api/v1/tips/categories/khac", body)
                .await
        }
    };

    let mut short = khac.clone();
    short["retention_days"] = json!(10);
    let (s, v) = put(short).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(vietnamese_error(&v).contains("Thời hạn lưu giữ"), "{v}");

    let mut one = khac.clone();
    one["questions"][1]["options"] = json!(["Chưa"]);
    let (s, v) = put(one).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(vietnamese_error(&v).contains("từ 2 đến 30 lựa chọn"), "{v}");

    let mut kind = khac.clone();
    kind["questions"][0]["kind"] = json!("paragraph");
    let (s, v) = put(kind).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    vietnamese_error(&v);

    let mut other = khac.clone();
    other["code"] = json!("ma_tuy");
    let (s, v) = put(other).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    vietnamese_error(&v);

    let mut huge = khac.clone();
    huge["description"] = json!("x".repeat(600 * 1024));
    let (s, v) = put(huge).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{v}");

    // The page keeps what was typed and says why.
    let res = admin
        .post_form(
            "/tin-bao/loai/khac",
            &[
                ("name", "Khác (đã sửa)"),
                ("retention_days", "9999"),
                ("active", "1"),
                ("q0_key", "linh_vuc"),
                ("q0_label", "Câu hỏi vừa gõ"),
                ("q0_kind", "text"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Thời hạn lưu giữ là 9.999 ngày"), "{html}");
    assert!(html.contains("Khác (đã sửa)") && html.contains("Câu hỏi vừa gõ"));
    assert_eq!(category(&admin, "khac").await, khac, "nothing saved");

    // A new category may not take a code in use.
    let res = admin
        .post_form(
            "/tin-bao/loai/moi",
            &[
                ("code", "khac"),
                ("name", "Trùng"),
                ("retention_days", "730"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("Đã có loại tin báo mã"));
}
