//! The recognitions register over HTTP. (Owned by the recognitions work of issue 13.)
//! The contracts of `/api/v1/recognitions` (list, record, register, checks,
//! decide, summary), the window and the commune threshold refused in
//! Vietnamese (422), 403 and 404 outside one's units, and the pages.

use antq_core::auth::Role;
use antq_core::units::{AreaKind, Name};
use antq_storage::audit::Who;
use antq_storage::units::{self, areas};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::spawn_app;

fn all_met(detail: &Value) -> Value {
    let checks: Vec<Value> = detail["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!({"criterion_id": c["criterion_id"], "met": true, "note": "Đạt"}))
        .collect();
    json!({ "checks": checks })
}

#[tokio::test]
async fn a_residential_area_and_its_commune_are_registered_checked_and_decided() {
    let app = spawn_app().await;
    let commune_id = app.unit_id("03325").await;
    let commune = units::by_id(&app.db, commune_id).await.unwrap();
    for n in ["Bản Che Căn", "Bản Co Thông"] {
        areas::create(
            &app.db,
            &Who::system(),
            &commune,
            AreaKind::Ban,
            &Name::parse(n).unwrap(),
        )
        .await
        .unwrap();
    }
    let police = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let province = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let viewer = app.logged_in("xem.dienbien", Role::Viewer, "11").await;
    let other = app.logged_in("ca.dongthap", Role::Police, "82").await;

    // Outside the window: refused in Vietnamese.
    let late = json!({"year": 2026, "kind": "khu_dan_cu", "unit": "03325", "subject": "Bản Che Căn", "registered_on": "02/04/2026"});
    let (s, e) = police.post_json("/api/v1/recognitions", late).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(
        e["error"]
            .as_str()
            .unwrap()
            .contains("ngoài thời hạn đăng ký"),
        "{e}"
    );

    let body = json!({"year": 2026, "kind": "khu_dan_cu", "unit": "03325", "subject": "Bản Che Căn", "registered_on": "15/02/2026"});
    let (s, _) = viewer.post_json("/api/v1/recognitions", body.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = other.post_json("/api/v1/recognitions", body.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, r) = police.post_json("/api/v1/recognitions", body.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    assert_eq!(r["state"], "registered");
    assert_eq!(r["kind_name"], "Khu dân cư");
    assert_eq!(r["subject"], "Bản Che Căn");
    assert_eq!(r["registered_on"], "2026-02-15");
    assert_eq!(r["checks"].as_array().unwrap().len(), 5);
    let id = r["id"].as_i64().unwrap();
    let (s, _) = police.post_json("/api/v1/recognitions", body).await;
    assert_eq!(s, StatusCode::CONFLICT);
    // An area the commune does not have.
    let (s, e) = police
        .post_json(
            "/api/v1/recognitions",
            json!({"year": 2026, "kind": "khu_dan_cu", "unit": "03325", "subject": "Bản Không Có", "registered_on": "15/02/2026"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");

    // Outside one's units: 404 for a record, 403 for a unit.
    let (s, _) = other.get_json(&format!("/api/v1/recognitions/{id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = other
        .get_json("/api/v1/recognitions?unit=11&year=2026")
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = other
        .get_json("/api/v1/recognitions/summary?unit=11&year=2026")
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, theirs) = other.get_json("/api/v1/recognitions").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(theirs["total"], 0);

    // Recognising before the checklist is met: refused.
    let decision = json!({"recognised": true, "decision_number": "12/QĐ-UBND", "decision_date": "10/04/2026", "issuer": "Chủ tịch UBND xã Mường Phăng"});
    let (s, e) = police
        .post_json(
            &format!("/api/v1/recognitions/{id}/decide"),
            decision.clone(),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"].as_str().unwrap().contains("tiêu chí"), "{e}");
    let (s, d) = police
        .post_json(&format!("/api/v1/recognitions/{id}/checks"), all_met(&r))
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["state"], "dossier");
    let (s, _) = viewer
        .post_json(
            &format!("/api/v1/recognitions/{id}/decide"),
            decision.clone(),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, d) = police
        .post_json(
            &format!("/api/v1/recognitions/{id}/decide"),
            decision.clone(),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["state"], "recognised");
    assert_eq!(d["decision_date"], "2026-04-10");
    let (s, _) = police
        .post_json(&format!("/api/v1/recognitions/{id}/decide"), decision)
        .await;
    assert_eq!(s, StatusCode::CONFLICT);

    // The commune: decided by the province, refused below the threshold unless a reason is given.
    let (s, x) = police
        .post_json(
            "/api/v1/recognitions",
            json!({"year": 2026, "kind": "xa", "unit": "03325", "registered_on": "2026-03-01"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{x}");
    let xid = x["id"].as_i64().unwrap();
    assert_eq!(x["areas_share"]["share_text"], "50%");
    let (s, _) = police
        .post_json(&format!("/api/v1/recognitions/{xid}/checks"), all_met(&x))
        .await;
    assert_eq!(s, StatusCode::OK);
    let decision = json!({"recognised": true, "decision_number": "88/QĐ-UBND", "decision_date": "15/04/2026", "issuer": "Chủ tịch UBND tỉnh Điện Biên"});
    let (s, _) = police
        .post_json(
            &format!("/api/v1/recognitions/{xid}/decide"),
            decision.clone(),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "a commune does not decide on itself"
    );
    let (s, e) = province
        .post_json(
            &format!("/api/v1/recognitions/{xid}/decide"),
            decision.clone(),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(
        e["error"].as_str().unwrap().contains("dưới ngưỡng 70%"),
        "{e}"
    );
    let mut over = decision;
    over["override_reason"] = json!("Bản còn lại mới thành lập trong năm");
    let (s, d) = province
        .post_json(&format!("/api/v1/recognitions/{xid}/decide"), over)
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");

    // The list and the summary.
    let (s, list) = viewer
        .get_json("/api/v1/recognitions?unit=11&year=2026")
        .await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert_eq!(list["total"], 2);
    let item = &list["items"][0];
    for key in [
        "id",
        "year",
        "unit",
        "unit_name",
        "kind",
        "kind_name",
        "subject",
        "registered_on",
        "state",
        "decision_number",
        "decision_date",
    ] {
        assert!(item.get(key).is_some(), "{key} in {item}");
    }
    let (s, sum) = viewer
        .get_json("/api/v1/recognitions/summary?unit=11&year=2026")
        .await;
    assert_eq!(s, StatusCode::OK, "{sum}");
    let areas_row = sum["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "khu_dan_cu")
        .unwrap()
        .clone();
    assert_eq!(areas_row["registered"], 1);
    assert_eq!(areas_row["recognised"], 1);
    assert_eq!(areas_row["eligible"], 2);
    assert_eq!(areas_row["share_text"], "50%");
    let (s, _) = viewer
        .get_json("/api/v1/recognitions/summary?unit=11&year=2025")
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, e) = viewer
        .get_json("/api/v1/recognitions/summary?unit=11")
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, e) = viewer.get_json("/api/v1/recognitions?year=1990").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, _) = viewer.get_json("/api/v1/recognitions/999999").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, c) = viewer
        .get_json("/api/v1/recognitions/criteria?kind=xa&year=2026")
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(c["total"].as_u64().unwrap() >= 4);
    let (s, _) = province
        .post_json(
            "/api/v1/recognitions/criteria",
            json!({"kind": "xa", "year_from": 2027, "position": 1, "text": "Tiêu chí mới"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "national administrators only");

    // The pages: words, never codes.
    let page = viewer
        .get("/an-toan-antt?unit=11&unit_pick=11&year=2026")
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Kết quả theo loại đối tượng"), "{html}");
    assert!(html.contains("Bản Che Căn"));
    assert!(html.contains("50%"));
    assert!(!html.contains(">khu_dan_cu<") && !html.contains(">recognised<"));
    let page = viewer.get(&format!("/an-toan-antt/{xid}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Bản còn lại mới thành lập"), "{html}");
    assert!(html.contains("Được công nhận"));
    let page = other.get(&format!("/an-toan-antt/{xid}")).await;
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    let page = police.get("/an-toan-antt/dang-ky").await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = police.get("/an-toan-antt/tieu-chi").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Trường tiểu học"));
    let res = police
        .post_form(
            "/an-toan-antt/dang-ky",
            &[
                ("unit", "03325"),
                ("unit_pick", "03325"),
                ("year", "2026"),
                ("kind", "khu_dan_cu"),
                ("subject", "Bản Co Thông"),
                ("registered_on", "20/03/2026"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = police
        .post_form(
            "/an-toan-antt/dang-ky",
            &[
                ("unit", "03325"),
                ("unit_pick", "03325"),
                ("year", "2026"),
                ("kind", "khu_dan_cu"),
                ("subject", "Bản Co Thông"),
                ("registered_on", "20/05/2026"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("thời hạn"));
    let res = viewer.get("/an-toan-antt/xuat?unit=11&year=2026").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));

    // The API description.
    let (_, spec) = viewer.get_json("/api/v1/openapi.json").await;
    for p in [
        "/recognitions",
        "/recognitions/summary",
        "/recognitions/{id}",
        "/recognitions/{id}/checks",
        "/recognitions/{id}/decide",
    ] {
        assert!(spec["paths"].get(p).is_some(), "{p}");
    }
}

#[tokio::test]
async fn the_rules_are_kept_by_national_administrators() {
    let app = spawn_app().await;
    let admin = app.logged_in("qt.toanquoc", Role::Admin, "VN").await;
    let province_admin = app.logged_in("qt.dienbien", Role::Admin, "11").await;
    let (s, r) = admin.get_json("/api/v1/recognitions/rules").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(r["commune_threshold"], 70.0);
    assert_eq!(r["window"], json!({"from": "01/01", "to": "31/03"}));
    let (s, _) = province_admin
        .post_json(
            "/api/v1/recognitions/rules",
            json!({"commune_threshold": 60}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, e) = admin
        .post_json(
            "/api/v1/recognitions/rules",
            json!({"window": {"from": "31/03", "to": "01/01"}}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, r) = admin
        .post_json(
            "/api/v1/recognitions/rules",
            json!({"commune_threshold": 65.5, "window": {"from": "01/01", "to": "30/04"}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["commune_threshold"], 65.5);
    let page = admin
        .get("/an-toan-antt/tieu-chi")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("65,5%"), "{page}");
    let res = admin
        .post_form(
            "/an-toan-antt/quy-dinh",
            &[
                ("threshold", "70"),
                ("window_from", "01/01"),
                ("window_to", "31/03"),
                ("excl_0", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, r) = admin.get_json("/api/v1/recognitions/rules").await;
    assert_eq!(r["commune_threshold"], 70.0);
    assert_eq!(r["exclusions"][0]["excluded"], true);
    assert_eq!(
        r["exclusions"][1]["excluded"], false,
        "unticked: no longer excluded"
    );
}

/// The dossier upload: the CSRF token goes in the form's first field (as
/// the page's form sends it); a token in the URL alone, or a missing one,
/// is refused and nothing is attached.
#[tokio::test]
async fn a_dossier_upload_carries_its_token_in_the_form_never_in_the_url() {
    let app = spawn_app().await;
    let police = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let body = json!({"year": 2026, "kind": "xa", "unit": "03325", "registered_on": "15/02/2026"});
    let (s, r) = police.post_json("/api/v1/recognitions", body).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let id = r["id"].as_i64().unwrap();
    let csrf = police.csrf.clone().unwrap();
    let form = |token_first: bool, name: &str| {
        let b = "----antqdossier";
        let mut body = Vec::new();
        if token_first {
            body.extend(
                format!("--{b}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{csrf}\r\n")
                    .into_bytes(),
            );
        }
        body.extend(
            format!(
                "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
                 Content-Type: application/pdf\r\n\r\n%PDF-1.7\n%...\r\n--{b}--\r\n"
            )
            .into_bytes(),
        );
        (format!("multipart/form-data; boundary={b}"), body)
    };
    let post = |url: String, (ct, body): (String, Vec<u8>)| {
        police
            .client
            .post(police.url(&url))
            .header("Content-Type", ct)
            .body(body)
            .send()
    };
    let res = post(
        format!("/an-toan-antt/{id}/tep?csrf_token={csrf}"),
        form(false, "url.pdf"),
    )
    .await
    .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "a token in the URL alone"
    );
    let res = post(format!("/an-toan-antt/{id}/tep"), form(false, "none.pdf"))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "no token");
    let res = post(
        format!("/an-toan-antt/{id}/tep"),
        form(true, "bien-ban.pdf"),
    )
    .await
    .unwrap();
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let page = police
        .get(&format!("/an-toan-antt/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("bien-ban.pdf"), "{page}");
    assert!(!page.contains("url.pdf") && !page.contains("none.pdf"));
    assert!(
        !page.contains("tep?csrf_token"),
        "the page's form keeps the token out of its URL"
    );
}

/// The register's cells, row by row, as text.
fn sheet_texts(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    calamine::Data::DateTime(d) => {
                        let (y, m, d, ..) = d.to_ymd_hms_milli();
                        format!("{d:02}/{m:02}/{y:04}")
                    }
                    c => c.to_string(),
                })
                .collect()
        })
        .collect()
}

fn xlsx_form(bytes: &[u8]) -> (String, Vec<u8>) {
    let b = "----antqrecimport";
    let mut body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"so.xlsx\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

/// Export → import reproduces the records (dates read as Excel dates);
/// one bad cell refuses the whole file with every bad cell named.
#[tokio::test]
async fn the_excel_register_round_trips_and_a_bad_cell_refuses_it_all() {
    let first = spawn_app().await;
    let province = first.logged_in("ca.dienbien", Role::Police, "11").await;
    for unit in ["03325", "03127"] {
        let body = json!({"year": 2026, "kind": "xa", "unit": unit, "registered_on": "15/02/2026"});
        let (s, r) = province.post_json("/api/v1/recognitions", body).await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
    }
    let res = province.get("/an-toan-antt/xuat?unit=11&year=2026").await;
    assert_eq!(res.status(), StatusCode::OK);
    let exported = res.bytes().await.unwrap().to_vec();
    let template = province.get("/an-toan-antt/mau.xlsx").await;
    assert_eq!(template.status(), StatusCode::OK);
    let template = template.bytes().await.unwrap().to_vec();
    assert_eq!(sheet_texts(&template)[2][0], "Năm");

    let second = spawn_app().await;
    let officer = second.logged_in("ca.dienbien", Role::Police, "11").await;
    let post = |bytes: Vec<u8>| {
        let (ct, body) = xlsx_form(&bytes);
        officer
            .client
            .post(officer.url("/an-toan-antt/nhap"))
            .header("Content-Type", ct)
            .header("X-CSRF-Token", officer.csrf.clone().unwrap_or_default())
            .body(body)
            .send()
    };
    // One bad date and one bad kind: both named, nothing written.
    let mut bad = sheet_texts(&exported);
    bad[3][4] = "31/02/2026".into();
    bad[4][2] = "Thôn".into();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Sổ An toàn về ANTT").unwrap();
    for (r, row) in bad.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, v).unwrap();
        }
    }
    let res = post(wb.save_to_buffer().unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    for cell in [
        "Sổ An toàn về ANTT, ô E4: ngày",
        "Sổ An toàn về ANTT, ô C5:",
    ] {
        assert!(page.contains(cell), "{cell} in {page}");
    }
    // The same file on a sheet of another name with its first two columns
    // swapped: each error names that sheet and the cell where it really is.
    bad[3][0] = "năm nay".into();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Trang 1").unwrap();
    for (r, row) in bad.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let c = match c {
                0 => 1,
                1 => 0,
                c => c,
            };
            ws.write_string(r as u32, c as u16, v).unwrap();
        }
    }
    let res = post(wb.save_to_buffer().unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    for cell in ["Trang 1, ô B4:", "Trang 1, ô E4: ngày", "Trang 1, ô C5:"] {
        assert!(page.contains(cell), "{cell} in {page}");
    }
    let (_, l) = officer
        .get_json("/api/v1/recognitions?unit=11&year=2026")
        .await;
    assert_eq!(l["items"].as_array().map(Vec::len).unwrap_or(0), 0, "{l}");

    let res = post(exported.clone()).await.unwrap();
    let status = res.status();
    let page = res.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Đã ghi 2 hồ sơ"), "{page}");
    let again = officer.get("/an-toan-antt/xuat?unit=11&year=2026").await;
    let again = again.bytes().await.unwrap().to_vec();
    assert_eq!(sheet_texts(&again), sheet_texts(&exported));
}
