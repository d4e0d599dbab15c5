//! HTTP tests of issue 12: awards. The contracts of `/api/v1/awards` and
//! `/api/v1/awards/summary`, proposal → partial decision by the right side,
//! refusals in Vietnamese (422 with the rule), 403 and 404 by grant, the
//! register pages, the Word list of a decision and the Excel round trip.

use antq_core::auth::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::spawn_app;

fn proposal() -> Value {
    json!({
        "form": "giay_khen",
        "office": "giam_doc_ca_tinh",
        "unit": "03325",
        "issuer_unit": "11",
        "reason": "Thành tích xuất sắc trong phong trào",
        "recipients": [
            {"kind": "tap_the", "name": "Tổ an ninh nhân dân bản Che Căn"},
            {"kind": "ca_nhan", "name": "Lò Văn Thắng", "office": "Tổ trưởng", "body": "bản Che Căn"}
        ]
    })
}

#[tokio::test]
async fn a_proposal_is_decided_in_part_by_the_police_and_counted_by_issuer() {
    let app = spawn_app().await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let police = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let front = app.logged_in("mt.dienbien", Role::Front, "11").await;
    let other = app.logged_in("ca.dongthap", Role::Police, "82").await;

    let (s, a) = commune.post_json("/api/v1/awards", proposal()).await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    assert_eq!(a["state"], "proposed");
    assert_eq!(a["issuer"], "Công an tỉnh");
    assert_eq!(a["recipients"][0]["kind"], "tap_the");
    let id = a["id"].as_i64().unwrap();
    let collective = a["recipients"][0]["id"].as_i64().unwrap();

    let decide = json!({"accepted": [collective], "decision": "301/QĐ-CAT", "date": "02/04/2026"});
    let (s, _) = front
        .post_json(&format!("/api/v1/awards/{id}/decide"), decide.clone())
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "the Front does not decide for the police"
    );
    let (s, _) = other.get_json(&format!("/api/v1/awards/{id}")).await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "outside their units: as if missing"
    );
    let (s, _) = other
        .post_json(&format!("/api/v1/awards/{id}/decide"), decide.clone())
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, d) = police
        .post_json(&format!("/api/v1/awards/{id}/decide"), decide.clone())
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["state"], "decided");
    assert_eq!(d["decision"], "301/QĐ-CAT");
    assert_eq!(d["date"], "2026-04-02");
    let (s, e) = police
        .post_json(&format!("/api/v1/awards/{id}/decide"), decide)
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");

    let (s, list) = front
        .get_json("/api/v1/awards?unit=11&from=2026&to=2026")
        .await;
    assert_eq!(s, StatusCode::OK);
    let item = &list["items"][0];
    for key in [
        "id",
        "form",
        "issuer",
        "decision",
        "date",
        "recipients",
        "conference_id",
    ] {
        assert!(item.get(key).is_some(), "{key} in {item}");
    }
    let (s, sum) = front
        .get_json("/api/v1/awards/summary?unit=11&from=2026&to=2026")
        .await;
    assert_eq!(s, StatusCode::OK, "{sum}");
    assert_eq!(
        sum["rows"],
        json!([{"form": "Giấy khen", "issuer": "Công an tỉnh", "recipient_kind": "tap_the", "count": 1}])
    );
    let (s, _) = other
        .get_json("/api/v1/awards/summary?unit=11&from=2026")
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, e) = front.get_json("/api/v1/awards/summary?unit=11").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (_, theirs) = other.get_json("/api/v1/awards").await;
    assert_eq!(theirs["items"], json!([]));

    // The pages: the register, the award, its Word list.
    let page = front
        .get("/khen-thuong?unit=11&unit_pick=11&from=2026")
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Công an tỉnh Điện Biên tặng Giấy khen cho 1 tập thể"),
        "{html}"
    );
    assert!(html.contains("301/QĐ-CAT"));
    let page = front
        .get(&format!("/khen-thuong/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Được khen") && page.contains("Không được khen"));
    assert!(!page.contains("tap_the"), "codes are not shown");
    let docx = front
        .get(&format!("/khen-thuong/{id}/danh-sach.docx"))
        .await;
    assert_eq!(docx.status(), StatusCode::OK);
    let bytes = docx.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"));
    assert_eq!(
        other.get(&format!("/khen-thuong/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn refusals_are_said_in_vietnamese() {
    let app = spawn_app().await;
    let police = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let viewer = app.logged_in("xem.dienbien", Role::Viewer, "11").await;
    let mut bad = proposal();
    bad["form"] = json!("Bằng khen");
    let (s, e) = police.post_json("/api/v1/awards", bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let msg = e["error"].as_str().unwrap();
    assert!(
        msg.starts_with("Công an tỉnh không được tặng Bằng khen: "),
        "{msg}"
    );
    let mut bad = proposal();
    bad["issuer_unit"] = json!("03325");
    let (s, e) = police.post_json("/api/v1/awards", bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["error"].as_str().unwrap().contains("cấp tỉnh"), "{e}");
    let mut bad = proposal();
    bad["recipients"][1]["kind"] = json!("nhóm");
    let (s, e) = police.post_json("/api/v1/awards", bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        e["error"].as_str().unwrap().starts_with("Người nhận thứ 2"),
        "{e}"
    );
    let mut bad = proposal();
    bad["decision"] = json!("1/QĐ-CAT");
    bad["date"] = json!("31/02/2026");
    let (s, _) = police.post_json("/api/v1/awards", bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = viewer.post_json("/api/v1/awards", proposal()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // The catalogue is for national administrators to change.
    let rule = json!({"office": "giam_doc_ca_tinh", "form": "bang_khen", "basis": "Thử"});
    let (s, _) = police
        .post_json("/api/v1/awards/catalogue/rules", rule.clone())
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let admin = app.logged_in("qt.quocgia", Role::Admin, "VN").await;
    let (s, cat) = admin
        .post_json("/api/v1/awards/catalogue/rules", rule)
        .await;
    assert_eq!(s, StatusCode::OK, "{cat}");
    assert!(cat["rules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["office"] == "Công an tỉnh" && r["form"] == "Bằng khen"));
}

#[tokio::test]
async fn a_past_decision_of_old_dien_bien_counts_under_today_and_round_trips_in_excel() {
    let app = spawn_app().await;
    let police = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let mut rec = proposal();
    rec["unit"] = json!("11");
    rec["decision"] = json!("301/QĐ-CAT");
    rec["date"] = json!("19/05/2023");
    let (s, a) = police.post_json("/api/v1/awards", rec).await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    assert_eq!(a["state"], "decided");
    assert_eq!(a["year"], 2023);
    let (_, sum) = police
        .get_json("/api/v1/awards/summary?unit=11&from=2023")
        .await;
    let rows = sum["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{sum}");
    let (_, hist) = police
        .get_json("/api/v1/awards/summary?unit=11&from=2023&map=historical&at=2023-05-19")
        .await;
    assert_eq!(hist["rows"], sum["rows"]);

    // Export, then import the same file again: one more decision, same recipients.
    let xlsx = police
        .get("/khen-thuong/xuat?unit=11&from=2023&to=2023")
        .await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    let bytes = xlsx.bytes().await.unwrap().to_vec();
    let rows = antq_office::awards::register::read(&bytes).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].row.decision, "301/QĐ-CAT");
    use antq_web::programmes::awards::register;
    let n = register::import(&app.db, None, &bytes, false)
        .await
        .unwrap();
    assert_eq!((n.awards, n.recipients), (1, 2));
    let (_, twice) = police
        .get_json("/api/v1/awards/summary?unit=11&from=2023")
        .await;
    assert_eq!(twice["rows"][0]["count"], 2, "{twice}");
    // A file with a form the office may not give: nothing is written, the cell is named.
    let mut bad = rows.iter().map(|r| r.row.clone()).collect::<Vec<_>>();
    bad[1].form = "Bằng khen".into();
    bad[1].decision = "302/QĐ-CAT".into();
    bad[0].decision = "303/QĐ-CAT".into();
    let file = antq_office::awards::register::write(&bad).unwrap();
    let e = register::import(&app.db, None, &file, false)
        .await
        .unwrap_err();
    assert!(
        e.errors
            .iter()
            .any(|x| x.starts_with("Sổ khen thưởng, ô D3: Công an tỉnh không được tặng Bằng khen")),
        "{:?}",
        e.errors
    );
    let (_, after) = police
        .get_json("/api/v1/awards/summary?unit=11&from=2023")
        .await;
    assert_eq!(after, twice, "all or nothing");

    // The same file through the page: a page listing the cell, nothing written.
    let (ct, body) = multipart(&file);
    let res = police
        .client
        .post(police.url("/khen-thuong/nhap"))
        .header("Content-Type", ct)
        .header("X-CSRF-Token", police.csrf.clone().unwrap_or_default())
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Sổ khen thưởng, ô D3: Công an tỉnh không được tặng Bằng khen"),
        "{page}"
    );
    let (_, after) = police
        .get_json("/api/v1/awards/summary?unit=11&from=2023")
        .await;
    assert_eq!(after, twice, "all or nothing through the page too");
}

/// A multipart body as the upload form sends it.
fn multipart(bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----antqawardsboundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"so.xlsx\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn the_new_award_page_works_without_javascript() {
    let app = spawn_app().await;
    let police = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let page = police.get("/khen-thuong/moi").await;
    assert_eq!(page.status(), StatusCode::OK);
    // Linked from a conference: the conference is named and kept.
    let unit = app.unit_id("11").await;
    sqlx::query(
        "INSERT INTO conferences (kind, title, held_on, unit_id, search_key, created_by, created_at, updated_at) \
         VALUES ('tong_ket', 'Hội nghị tổng kết 10 năm Chương trình 09', '2023-05-19', $1, 'x', 'system', 'now', 'now')",
    )
    .bind(unit)
    .execute(app.db.pool())
    .await
    .unwrap();
    let conf: i64 = sqlx::query_scalar("SELECT MAX(id) FROM conferences")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let html = police
        .get(&format!("/khen-thuong/moi?hoi_nghi={conf}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Hội nghị tổng kết 10 năm Chương trình 09 (19/05/2023)"),
        "{html}"
    );
    assert!(html.contains(&format!("name=\"conference_id\" value=\"{conf}\"")));
    let more = police
        .post_form(
            "/khen-thuong/moi",
            &[("rows", "3"), ("more", "1"), ("name_0", "Tổ A")],
        )
        .await;
    let html = more.text().await.unwrap();
    assert!(html.contains("name=\"name_5\"") && html.contains("value=\"Tổ A\""));
    let conf_text = conf.to_string();
    let form = [
        ("unit", "Điện Biên"),
        ("unit_pick", "11"),
        ("issuer_unit", "Điện Biên"),
        ("issuer_unit_pick", "11"),
        ("form", "bang_khen"),
        ("office", "giam_doc_ca_tinh"),
        ("rows", "1"),
        ("kind_0", "tap_the"),
        ("name_0", "Tổ A"),
        ("conference_id", &conf_text),
    ];
    let bad = police.post_form("/khen-thuong/moi", &form).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad
        .text()
        .await
        .unwrap()
        .contains("Công an tỉnh không được tặng Bằng khen"));
    let mut good = form.to_vec();
    good[4] = ("form", "giay_khen");
    let res = police.post_form("/khen-thuong/moi", &good).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/khen-thuong/"), "{to}");
    let html = police.get(&to).await.text().await.unwrap();
    assert!(
        html.contains("id=\"award-decide\""),
        "the police of the province decide"
    );
    assert!(police.get("/khen-thuong/danh-muc").await.status() == StatusCode::OK);
}

/// A refused proposal shows why on its page; its proposer could not have
/// decided it.
#[tokio::test]
async fn a_refusal_shows_its_reason_and_a_proposer_never_decides() {
    let app = spawn_app().await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let police = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let (s, a) = commune.post_json("/api/v1/awards", proposal()).await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let id = a["id"].as_i64().unwrap();
    let (s, r) = police
        .post_json(
            &format!("/api/v1/awards/{id}/refuse"),
            json!({"reason": "Thành tích chưa đủ tiêu chuẩn Giấy khen"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let html = commune
        .get(&format!("/khen-thuong/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Lý do không khen thưởng</dt><dd id=\"award-refusal\">Thành tích chưa đủ tiêu chuẩn Giấy khen"),
        "{html}"
    );
    // The province's own proposal: its author may not decide it.
    let (s, own) = police.post_json("/api/v1/awards", proposal()).await;
    assert_eq!(s, StatusCode::CREATED, "{own}");
    let own_id = own["id"].as_i64().unwrap();
    let who = own["recipients"][0]["id"].as_i64().unwrap();
    let (s, e) = police
        .post_json(
            &format!("/api/v1/awards/{own_id}/decide"),
            json!({"accepted": [who], "decision": "12/QĐ-CAT", "date": "02/04/2026"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert!(
        e["error"]
            .as_str()
            .unwrap()
            .contains("chính tài khoản này lập"),
        "{e}"
    );
}
