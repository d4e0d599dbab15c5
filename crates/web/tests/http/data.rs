//! Statistics through the API: enter → submit → return → fix → approve →
//! locked → reopen, access by unit and role, completeness and rollups.

use antq_core::auth::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::spawn_app;

const R: &str = "/api/v1/data/antq-nam/03325/2026";

#[tokio::test]
async fn the_reporting_workflow() {
    let app = spawn_app().await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let front = app.logged_in("mt.muongphang", Role::Front, "03325").await;
    let province = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let other = app.logged_in("ca.dienbienphu", Role::Police, "03127").await;

    let (s, empty) = commune.get_json(R).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(empty["state"], "not_started");
    assert_eq!(empty["period_start"], "2025-12-15");
    assert_eq!(empty["period_end"], "2026-12-14");

    // Values as programs write them, with a qualifier and a comment.
    let (s, r) = commune
        .send_json(Method::PUT, R, json!({"values": {
            "tt_buoi": 12, "tt_luot": {"value": "4378", "qualifier": "more_than", "comment": "ước tính"},
            "gd_doi_tuong": "10", "gd_tien_bo": 12, "kt_bang_khen.tap_the": 2,
            // Two options of one indicator: their approval moves one rollup row once.
            "kt_bang_khen.ca_nhan": 3
        }}))
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["state"], "draft");
    assert_eq!(r["values"]["tt_luot"]["value"], 4378.0);
    assert_eq!(r["values"]["tt_luot"]["qualifier"], "more_than");
    assert_eq!(r["values"]["kt_bang_khen.tap_the"]["value"], 2.0);
    assert_eq!(r["validation"][0]["severity"], "error");

    // Bad values: every one reported, nothing written.
    let (s, e) = commune
        .send_json(
            Method::PUT,
            R,
            json!({"values": {"tt_buoi": "12,5a", "dd_so": -1, "khong_co": 1}}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["errors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x.as_str().unwrap().contains("\"12,5a\" không phải số")));
    let (_, r) = commune.get_json(R).await;
    assert_eq!(r["values"]["tt_buoi"]["value"], 12.0);
    // "4.378" reads two ways (4378 the Vietnamese way, 4,378 as programs
    // write it): refused, never guessed.
    let (s, e) = commune
        .send_json(Method::PUT, R, json!({"values": {"tt_luot": "4.378"}}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(
        e["errors"][0].as_str().unwrap().contains("không rõ nghĩa"),
        "{e}"
    );
    let (_, r) = commune.get_json(R).await;
    assert_eq!(r["values"]["tt_luot"]["value"], 4378.0);

    // The error blocks submission; fixing it lets it through.
    let (s, e) = commune.post_json(&format!("{R}/submit"), json!({})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, _) = commune
        .send_json(Method::PUT, R, json!({"values": {"gd_tien_bo": 7}}))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, r) = commune.post_json(&format!("{R}/submit"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["state"], "submitted");

    // Locked while waiting; the Front reads but does not write; others see nothing.
    let (s, e) = commune
        .send_json(Method::PUT, R, json!({"values": {"tt_buoi": 13}}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(e["error"].as_str().unwrap().contains("Đã gửi"));
    let (s, _) = front.get_json(R).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = front
        .send_json(Method::PUT, R, json!({"values": {"tt_buoi": 13}}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = other.get_json(R).await;
    assert!(matches!(s, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND));
    // A unit cannot approve its own report.
    let (s, _) = commune.post_json(&format!("{R}/approve"), json!({})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // The province returns it with a comment; the commune fixes and resubmits; the province approves.
    let (s, r) = province
        .post_json(
            &format!("{R}/return"),
            json!({"comment": "Bổ sung số diễn đàn"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["state"], "returned");
    assert_eq!(r["return_comment"], "Bổ sung số diễn đàn");
    let (s, _) = commune
        .send_json(
            Method::PUT,
            R,
            json!({"values": {"dd_so": 2, "dd_luot": 150}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    commune.post_json(&format!("{R}/submit"), json!({})).await;
    let (s, r) = province.post_json(&format!("{R}/approve"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["state"], "approved");
    let (s, e) = commune
        .send_json(Method::PUT, R, json!({"values": {"tt_buoi": 14}}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(e["error"].as_str().unwrap().contains("mở lại"));
    let (s, e) = province.post_json(&format!("{R}/approve"), json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    let (s, r) = province
        .post_json(&format!("{R}/reopen"), json!({"comment": "Đính chính"}))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(r["state"], "returned");
    let (s, _) = commune
        .send_json(Method::PUT, R, json!({"values": {"tt_buoi": 14}}))
        .await;
    assert_eq!(s, StatusCode::OK);

    // Every transition and value change is in the audit log.
    let admin = app.logged_in("qt.dienbien", Role::Admin, "11").await;
    let (_, log) = admin.get_json("/api/v1/audit?action=report").await;
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    for a in [
        "report.create",
        "report.submit",
        "report.return",
        "report.approve",
        "report.reopen",
    ] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    let (_, log) = admin.get_json("/api/v1/audit?action=value.set").await;
    let change = log
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["after"]["tt_buoi"] == "14")
        .unwrap();
    assert_eq!(change["before"]["tt_buoi"], "12");
    assert_eq!(change["actor"], "ca.muongphang");
}

#[tokio::test]
async fn completeness_and_rollups() {
    let app = spawn_app().await;
    let a = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let b = app.logged_in("ca.dienbienphu", Role::Police, "03127").await;
    let province = app.logged_in("ca.dienbien", Role::Police, "11").await;
    a.send_json(
        Method::PUT,
        R,
        json!({"values": {"tt_buoi": 10, "tcqc_so": 4}}),
    )
    .await;
    a.post_json(&format!("{R}/submit"), json!({})).await;
    let (s, _) = province.post_json(&format!("{R}/approve"), json!({})).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = b
        .send_json(
            Method::PUT,
            "/api/v1/data/antq-nam/03127/2026",
            json!({"values": {"tt_buoi": {"value": 5, "qualifier": "more_than"}}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);

    let (s, c) = province
        .get_json("/api/v1/completeness/antq-nam/11/2026")
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(c["total"], 46);
    assert_eq!(c["counts"]["approved"], 1);
    assert_eq!(c["counts"]["draft"], 1);
    assert_eq!(c["counts"]["not_started"], 44);
    let (s, _) = a.get_json("/api/v1/completeness/antq-nam/11/2026").await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "a commune does not see the province's completeness"
    );

    // Above the reporting level only approved figures count by default.
    let (s, r) = province
        .get_json("/api/v1/analytics?indicators=tt_buoi,tcqc_so&unit=11&from=2026")
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["approved_only"], true);
    assert_eq!(r["rows"][0]["indicator"], "tt_buoi");
    assert_eq!(r["rows"][0]["period"], "2026");
    assert_eq!(r["rows"][0]["value"], 10.0);
    let (_, r) = province
        .get_json("/api/v1/analytics?indicators=tt_buoi&unit=11&from=2026&approved_only=false")
        .await;
    assert_eq!(r["rows"][0]["value"], 15.0);
    assert_eq!(r["rows"][0]["qualifier"], "more_than");
    assert_eq!(r["rows"][0]["unapproved"], 5.0);
    assert!(r["rows"][0]["flags"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == "includes_unapproved"));
    let (_, r) = province.get_json("/api/v1/analytics?indicators=tt_buoi&unit=11&from=2013&to=2026&by=child&approved_only=false").await;
    let by_child: Vec<(&str, f64)> = r["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["unit"].as_str().unwrap(), x["value"].as_f64().unwrap()))
        .collect();
    assert_eq!(by_child.len(), 2);
    assert!(by_child.contains(&("03325", 10.0)) && by_child.contains(&("03127", 5.0)));
    // A value entered a moment ago is in the answer at once.
    a.send_json(
        Method::PUT,
        "/api/v1/data/antq-nam/03325/2025",
        json!({"values": {"tt_buoi": 3}}),
    )
    .await;
    let (_, r) = a
        .get_json("/api/v1/analytics?indicators=tt_buoi&unit=03325&from=2025..2026&by=year")
        .await;
    let years: Vec<(&str, f64)> = r["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["period"].as_str().unwrap(), x["value"].as_f64().unwrap()))
        .collect();
    assert_eq!(years, vec![("2025", 3.0), ("2026", 10.0)]);
    // Bad parameters are clear errors; another unit is refused.
    let (s, e) = province
        .get_json("/api/v1/analytics?indicators=khong_co&unit=11&from=2026")
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{e}");
    let (s, _) = province
        .get_json("/api/v1/analytics?indicators=tt_buoi&unit=11&from=2026&by=week")
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = a
        .get_json("/api/v1/analytics?indicators=tt_buoi&unit=03127&from=2026")
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn national_administrators_edit_the_catalogue_and_rules() {
    let app = spawn_app().await;
    let central = app.logged_in("quantri", Role::Admin, "VN").await;
    let province_admin = app.logged_in("qt.dienbien", Role::Admin, "11").await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;

    let body = json!({"name_vi": "Buổi tuyên truyền, vận động", "name_en": "Outreach sessions", "unit": "buổi"});
    let (s, _) = province_admin
        .send_json(Method::PUT, "/api/v1/indicators/tt_buoi", body.clone())
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "only national administrators edit the catalogue"
    );
    let (s, ind) = central
        .send_json(Method::PUT, "/api/v1/indicators/tt_buoi", body)
        .await;
    assert_eq!(s, StatusCode::OK, "{ind}");
    assert_eq!(ind["name_vi"], "Buổi tuyên truyền, vận động");
    let (s, _) = central
        .send_json(
            Method::PUT,
            "/api/v1/indicators/tt_buoi",
            json!({"name_vi": " ", "name_en": "x", "unit": "y"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    // A new rule applies to reports at once; a rule over unknown indicators is refused.
    let rule = json!({"code": "tt_buoi_hop_ly", "left": "tt_buoi", "operator": "<=", "right": "500",
                      "severity": "warning", "message": "Số buổi bất thường, cần giải thích"});
    let (s, r) = central
        .post_json("/api/v1/forms/antq-nam/rules", rule.clone())
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let (s, _) = central
        .post_json("/api/v1/forms/antq-nam/rules", rule)
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, e) = central
        .post_json("/api/v1/forms/antq-nam/rules", json!({"code": "sai", "left": "khong_co", "operator": "<=", "right": "1", "severity": "error", "message": "x"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["error"].as_str().unwrap().contains("khong_co"));
    let (_, r) = commune
        .send_json(Method::PUT, R, json!({"values": {"tt_buoi": 900}}))
        .await;
    assert!(
        r["validation"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["rule"] == "tt_buoi_hop_ly"),
        "{r}"
    );
    let (s, e) = commune.post_json(&format!("{R}/submit"), json!({})).await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an unexplained warning blocks: {e}"
    );
    commune
        .send_json(
            Method::PUT,
            R,
            json!({"values": {"tt_buoi": {"value": 900, "comment": "Đợt cao điểm trước Tết"}}}),
        )
        .await;
    let (s, _) = commune.post_json(&format!("{R}/submit"), json!({})).await;
    assert_eq!(
        s,
        StatusCode::OK,
        "a warning with a comment lets it through"
    );
    let (s, _) = central
        .send_json(
            Method::DELETE,
            "/api/v1/forms/antq-nam/rules/tt_buoi_hop_ly",
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, f) = central.get_json("/api/v1/forms/antq-nam").await;
    assert!(!f["rules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["code"] == "tt_buoi_hop_ly"));
    let (_, log) = central.get_json("/api/v1/audit?action=rule").await;
    assert_eq!(log.as_array().unwrap().len(), 2);
    let (_, log) = central.get_json("/api/v1/audit?action=indicator").await;
    assert_eq!(
        log[0]["before"]["name_vi"],
        "Buổi tuyên truyền, phát động phong trào"
    );
}

#[tokio::test]
async fn administrators_add_indicators_and_forms_and_the_front_comments() {
    let app = spawn_app().await;
    let central = app.logged_in("quantri", Role::Admin, "VN").await;
    let province_admin = app.logged_in("qt.dienbien", Role::Admin, "11").await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let front = app.logged_in("mt.dienbien", Role::Front, "11").await;
    let viewer = app.logged_in("xem.dienbien", Role::Viewer, "11").await;
    let other_front = app.logged_in("mt.dongthap", Role::Front, "82").await;

    // The designer's preview counts combinations and names the cap.
    let (s, p) = central
        .get_json("/api/v1/breakdowns/preview?dimensions=Gi%E1%BB%9Bi%20t%C3%ADnh%3A%20Nam%2C%20N%E1%BB%AF%0A%C4%90%E1%BB%99%20tu%E1%BB%95i%3A%20a%2C%20b%2C%20c")
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(p["count"], 6);
    assert_eq!(p["ok"], true);
    assert_eq!(p["combinations"][0]["name_vi"], "Nam, a");

    let mut ind = json!({"code": "tg_tuan_tra", "name_vi": "Lượt tuần tra", "unit": "lượt",
        "group": "mo_hinh", "value_type": "integer", "aggregation": "sum", "forms": ["antq-nam"],
        "breakdown": [{"name": "Lực lượng", "options": ["Công an", "Dân quân", "Bảo vệ dân phố", "Tổ tự quản", "Khác"]},
                      {"name": "Thời gian", "options": ["Ngày", "Đêm", "Lễ Tết", "Cao điểm", "Thường"]}]});
    let (s, _) = province_admin
        .post_json("/api/v1/indicators", ind.clone())
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, e) = central.post_json("/api/v1/indicators", ind.clone()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["error"].as_str().unwrap().contains("25 tổ hợp"), "{e}");
    ind["breakdown"][1]["options"] = json!(["Ngày", "Đêm"]);
    let (s, created) = central.post_json("/api/v1/indicators", ind).await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    assert_eq!(created["options"].as_array().unwrap().len(), 10);

    // The new indicator is on the yearly form; a commune enters one combination.
    let (_, r) = commune
        .send_json(
            Method::PUT,
            R,
            json!({"values": {"tg_tuan_tra.cong_an-dem": 14}}),
        )
        .await;
    assert_eq!(r["values"]["tg_tuan_tra.cong_an-dem"]["value"], 14.0, "{r}");

    // A new Front-owned quarterly form.
    let form = json!({"code": "mttq-quy", "name_vi": "Biểu quý của Mặt trận", "period_type": "quarter",
        "calendar": "calendar", "owner_role": "front", "levels": ["commune"], "deadline_days": 10,
        "indicators": ["yk_dong_gop", "tg_tuan_tra"]});
    let (s, f) = central.post_json("/api/v1/forms", form.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{f}");
    assert_eq!(f["owner_role"], "front");
    let (s, _) = central.post_json("/api/v1/forms", form).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "the same code twice");
    let (_, forms) = commune.get_json("/api/v1/forms").await;
    assert!(forms
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "mttq-quy"));

    // The province's Front comments on the commune's police report; a viewer
    // and another province's Front may not.
    let comments = format!("{R}/comments");
    let (s, c) = front
        .post_json(
            &comments,
            json!({"body": "Đề nghị làm rõ số lượt tuần tra ban đêm."}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    assert_eq!(c["role"], "front");
    for a in [&viewer, &other_front] {
        let (s, _) = a.post_json(&comments, json!({"body": "x"})).await;
        assert!(
            s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
            "{s}"
        );
    }
    let (_, r) = commune.get_json(R).await;
    assert_eq!(r["comments"][0]["author"], "mt.dienbien");
    let entry = front
        .get("/so-lieu/antq-nam/03325/2026")
        .await
        .text()
        .await
        .unwrap();
    let title = &entry[entry.find("<title>").unwrap()..entry.find("</title>").unwrap()];
    assert!(
        !title.contains("y-kien"),
        "the comments are in the page, not its title: {title}"
    );
    assert_eq!(entry.matches("id=\"y-kien\"").count(), 1);

    // The catalogue page: everybody reads it, only national administrators see the editors.
    let page = central
        .get("/quan-tri/danh-muc")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("tg_tuan_tra") && page.contains("Công an, Đêm"));
    assert!(page.contains("id=\"new-indicator\""));
    let page = commune
        .get("/quan-tri/danh-muc")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("mttq-quy"));
    assert!(!page.contains("id=\"new-indicator\""));
    let preview = central
        .get("/quan-tri/danh-muc/phan-to?breakdown=A%3A%201%2C%202%2C%203")
        .await
        .text()
        .await
        .unwrap();
    assert!(preview.contains("id=\"combination-count\">3<"), "{preview}");
    let (_, log) = central
        .get_json("/api/v1/audit?action=report.comment")
        .await;
    assert_eq!(log.as_array().unwrap().len(), 1);
}
