//! The whole report over the API (issue 14): a review's title, sections,
//! signers and recipients resolved and saved, approvals by side (a joint
//! review is final only when the police and the Front both approved; a
//! police officer alone cannot finish it; a draft is refused with its
//! reason), the signers register and the templates; errors in Vietnamese.

use antq_core::auth::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, Agent};

const H1: &str = "/api/v1/data/antq-6t/03325/2026S1";

async fn build(a: &Agent, unit: &str, owner: &str) -> Value {
    let body = json!({"unit": unit, "from": "2026S1", "owner": owner, "issue_date": "20/06/2026"});
    let (s, r) = a.post_json("/api/v1/reviews", body).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    r
}

fn error(v: &Value) -> &str {
    v["error"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_joint_review_is_final_only_when_both_sides_approve() {
    let app = spawn_app().await;
    let ca = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let mt = app.logged_in("mt.muongphang", Role::Front, "03325").await;
    let province = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let outsider = app.logged_in("ca.dongthap", Role::Police, "82").await;

    // The commune's half-year report, approved by the province.
    let (s, _) = ca
        .send_json(Method::PUT, H1, json!({"values": {"tt_buoi": 12}}))
        .await;
    assert_eq!(s, StatusCode::OK);
    ca.post_json(&format!("{H1}/submit"), json!({})).await;
    let (s, _) = province
        .post_json(&format!("{H1}/approve"), json!({}))
        .await;
    assert_eq!(s, StatusCode::OK);

    // A police officer may draft a joint review.
    let r = build(&ca, "03325", "joint").await;
    let id = r["id"].as_i64().unwrap();
    assert_eq!(
        r["state"],
        json!({"draft": false, "approvals": [], "final": false})
    );
    assert_eq!(r["draft_reason"], Value::Null);
    assert_eq!(r["date_warning"], Value::Null);
    let title = r["title"].as_str().unwrap();
    assert!(title.starts_with("Sơ kết 6 tháng đầu năm 2026"), "{title}");
    assert_eq!(r["chosen"], json!({"title": false, "recipients": false}));
    assert_eq!(r["recipients"][0], "Công an tỉnh Điện Biên;");
    assert!(r["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| !l.as_str().unwrap().contains("cấp trên")));
    assert_eq!(r["signers"][0]["position"], "TRƯỞNG CÔNG AN");
    assert_eq!(r["signers"][1]["for_whom"], "BAN THƯỜNG TRỰC");
    let kinds: Vec<&str> = r["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds[..3], ["situation", "leadership", "results"]);

    // Outside one's units: not found, for reading and approving.
    let path = format!("/api/v1/reviews/{id}");
    let (s, _) = outsider.get_json(&path).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, e) = outsider
        .post_json(&format!("{path}/approve"), json!({"side": "police"}))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{e}");

    // The police approve their side; they cannot approve the Front's.
    let (s, one) = ca
        .post_json(&format!("{path}/approve"), json!({"side": "police"}))
        .await;
    assert_eq!(s, StatusCode::OK, "{one}");
    assert_eq!(one["state"]["final"], false);
    assert_eq!(one["state"]["approvals"][0]["by"], "ca.muongphang");
    let (s, e) = ca
        .post_json(&format!("{path}/approve"), json!({"side": "front"}))
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "a police officer alone cannot finish it: {e}"
    );
    let (s, both) = mt
        .post_json(&format!("{path}/approve"), json!({"side": "front"}))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(both["state"]["final"], true);

    // The text changes: the approvals go, and the header follows.
    let mut sections = both["sections"].clone();
    sections[0]["text"] = json!("Xã có 12 bản.");
    let change = json!({
        "title": "Sơ kết công tác 6 tháng đầu năm 2026",
        "sections": sections,
        "signers": [
            {"side": "police", "authority": "head", "position": "Trưởng Công an", "rank": "Thiếu tá", "name": "Lò Văn H"},
            {"side": "front", "authority": "on_behalf", "for_whom": "Ban Thường trực", "position": "Chủ tịch", "name": "Quàng Thị K"}
        ],
        "recipients": ["Công an tỉnh Điện Biên;", "Lưu: VT."]
    });
    let (s, saved) = ca
        .send_json(Method::PUT, &format!("{path}/document"), change)
        .await;
    assert_eq!(s, StatusCode::OK, "{saved}");
    assert_eq!(saved["state"]["final"], false);
    assert_eq!(saved["state"]["approvals"], json!([]));
    assert_eq!(saved["title"], "Sơ kết công tác 6 tháng đầu năm 2026");
    assert_eq!(saved["header"]["title"], saved["title"]);
    assert_eq!(saved["header"]["signers"][0]["name"], "Lò Văn H");
    assert_eq!(saved["sections"][0]["text"], "Xã có 12 bản.");
    assert_eq!(
        saved["recipients"],
        json!(["Công an tỉnh Điện Biên;", "Lưu: VT."])
    );
    // An approval or a change sent for a text read before this change is
    // refused (409, in Vietnamese): it never lands on a text its sender did not read.
    let stale = both["updated_at"].as_str().unwrap();
    let (s, e) = mt
        .post_json(
            &format!("{path}/approve"),
            json!({"side": "front", "version": stale}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert!(error(&e).starts_with("Báo cáo vừa được sửa lúc"), "{e}");
    let (s, e) = mt
        .send_json(
            Method::PUT,
            &format!("{path}/document"),
            json!({"version": stale, "title": "Ghi đè"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    let docx = ca.get(&format!("{path}/export?format=docx")).await;
    assert_eq!(docx.status(), StatusCode::OK);

    // Refusals in Vietnamese.
    let (s, e) = ca
        .send_json(
            Method::PUT,
            &format!("{path}/document"),
            json!({"signers": [{"side": "police", "position": "Trưởng Công an", "name": "A"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error(&e), "Thiếu người ký của Mặt trận Tổ quốc");
    let (s, e) = ca
        .send_json(
            Method::PUT,
            &format!("{path}/document"),
            json!({"sections": [{"kind": "situation", "heading": "A"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error(&e).contains("Kết quả đạt được"), "{e}");
    let (s, e) = ca
        .post_json(&format!("{path}/approve"), json!({"side": "army"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error(&e).starts_with("Nội dung JSON"), "{e}");
    let (s, _) = outsider
        .send_json(
            Method::PUT,
            &format!("{path}/document"),
            json!({"title": "X"}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // The largest document the schema allows is more than the API's usual
    // 2 MB (20 sections of 40.000 characters of 4 bytes): it is saved.
    let long = "😀".repeat(40_000);
    let mut big: Vec<Value> = (0..19)
        .map(|i| json!({"kind": "other", "heading": format!("MỤC {i}"), "text": long}))
        .collect();
    big.push(json!({"kind": "results", "heading": "KẾT QUẢ ĐẠT ĐƯỢC"}));
    let (s, e) = ca
        .send_json(
            Method::PUT,
            &format!("{path}/document"),
            json!({"sections": big}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{}", error(&e));
    big[0]["text"] = json!(format!("{long}x"));
    let (s, e) = ca
        .send_json(
            Method::PUT,
            &format!("{path}/document"),
            json!({"sections": big}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error(&e),
        "Nội dung mục thứ 1 dài 40.001 ký tự, vượt giới hạn 40.000 ký tự"
    );

    // A police-only review has no Front side to approve.
    let p = build(&ca, "03325", "police").await;
    let (s, e) = ca
        .post_json(
            &format!("/api/v1/reviews/{}/approve", p["id"]),
            json!({"side": "front"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error(&e).contains("không duyệt báo cáo này"), "{e}");

    // The province's half-year is not complete: a draft, never approved.
    let d = build(&province, "11", "police").await;
    let reason = d["draft_reason"].as_str().unwrap().to_string();
    assert!(reason.starts_with("Mới có 1 trên"), "{reason}");
    assert_eq!(d["header"]["draft"], reason.as_str());
    let (s, e) = province
        .post_json(
            &format!("/api/v1/reviews/{}/approve", d["id"]),
            json!({"side": "police"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error(&e),
        format!("Chưa thể duyệt: báo cáo còn là dự thảo. {reason}")
    );
}

#[tokio::test]
async fn signers_register_and_templates() {
    let app = spawn_app().await;
    let admin = app.logged_in("qt.dienbien", Role::Admin, "11").await;
    let police = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let outsider = app.logged_in("ca.dongthap", Role::Police, "82").await;

    // The register: kept by the province's administrators.
    let block = json!({"side": "police", "authority": "deputy", "for_whom": "Giám đốc",
                       "position": "Phó Giám đốc", "rank": "Đại tá", "name": "Nguyễn Văn A", "sort": 1});
    let (s, e) = police
        .post_json("/api/v1/units/11/signers", block.clone())
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (s, added) = admin.post_json("/api/v1/units/11/signers", block).await;
    assert_eq!(s, StatusCode::CREATED, "{added}");
    assert_eq!(added["active"], true);
    let (s, list) = police.get_json("/api/v1/units/11/signers").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list["may_edit"], false);
    assert_eq!(list["signers"][0]["name"], "Nguyễn Văn A");
    let (s, _) = outsider.get_json("/api/v1/units/11/signers").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, e) = admin
        .post_json(
            "/api/v1/units/11/signers",
            json!({"side": "front", "authority": "on_behalf", "position": "Chủ tịch", "name": "Trần Thị B"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error(&e).contains("TM."), "{e}");
    // A new province review signs with the register's block.
    let r = build(&police, "11", "police").await;
    assert_eq!(r["signers"][0]["name"], "Nguyễn Văn A");
    assert_eq!(r["header"]["signers"][0]["authority"], "deputy");
    let id = added["id"].as_i64().unwrap();
    let off = json!({"side": "police", "authority": "deputy", "for_whom": "Giám đốc",
                     "position": "Phó Giám đốc", "rank": "Đại tá", "name": "Nguyễn Văn A", "sort": 1, "active": false});
    let (s, _) = outsider
        .send_json(
            Method::PUT,
            &format!("/api/v1/review-signers/{id}"),
            off.clone(),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, changed) = admin
        .send_json(Method::PUT, &format!("/api/v1/review-signers/{id}"), off)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(changed["active"], false);

    // Templates: the province's copy, used by its communes, reset.
    let t = "/api/v1/review-templates/half";
    let (s, national) = commune.get_json(&format!("{t}?unit=03325")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(national["source"], "builtin");
    let mut sections = national["sections"].clone();
    sections[0]["heading"] = json!("TÌNH HÌNH CHUNG");
    let body = json!({"sections": sections});
    let (s, _) = police.send_json(Method::PUT, t, body.clone()).await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "the national template is the centre's"
    );
    let (s, _) = commune
        .send_json(Method::PUT, &format!("{t}?unit=11"), body.clone())
        .await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "a commune does not see its province"
    );
    let (s, e) = police
        .send_json(Method::PUT, &format!("{t}?unit=03325"), body.clone())
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error(&e).starts_with("Chỉ tỉnh, thành phố"), "{e}");
    let (s, copy) = police
        .send_json(Method::PUT, &format!("{t}?unit=11"), body)
        .await;
    assert_eq!(s, StatusCode::OK, "{copy}");
    assert_eq!(copy["source"], "province");
    let (_, used) = commune.get_json(&format!("{t}?unit=03325")).await;
    assert_eq!(used["sections"][0]["heading"], "TÌNH HÌNH CHUNG");
    let r = build(&commune, "03325", "police").await;
    assert_eq!(r["sections"][0]["heading"], "TÌNH HÌNH CHUNG");
    let (s, _) = outsider.get_json(&format!("{t}?unit=11")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, reset) = police
        .send_json(Method::DELETE, &format!("{t}?unit=11"), json!({}))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(reset["source"], "builtin");
    let (s, e) = police.get_json("/api/v1/review-templates/month").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error(&e), "Không có loại mẫu \u{201C}month\u{201D}");
}
