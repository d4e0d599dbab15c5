//! Files in and out: Excel templates that round-trip, long CSV, DHIS2
//! dataValueSets; imports are all or nothing and list every bad cell.

use antq_core::auth::Role;
use antq_office::xlsx::{read_template, write_template, Template};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with, Agent};

async fn upload(a: &Agent, query: &str, content_type: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let res = a
        .client
        .post(a.url(&format!("/api/v1/import?{query}")))
        .header("X-CSRF-Token", a.csrf.clone().unwrap_or_default())
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let s = res.status();
    (s, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn excel_templates_round_trip_and_bad_cells_are_all_reported() {
    let app = spawn_app().await;
    let province = app.logged_in("ca.dienbien", Role::Police, "11").await;

    let res = province.get("/api/v1/templates/antq-nam/11/2026").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("spreadsheetml"));
    let bytes = res.bytes().await.unwrap().to_vec();
    let empty = read_template(&bytes).unwrap();
    assert_eq!(empty.form, "antq-nam");
    assert_eq!(empty.period, "2026");
    assert!(empty.cells.is_empty(), "nothing entered yet");

    // Fill it "offline", with mistakes of many kinds.
    let columns = vec![
        ("tt_buoi".to_string(), "Buổi".to_string()),
        ("tt_luot".to_string(), "Lượt".to_string()),
        (
            "kt_bang_khen.tap_the".to_string(),
            "Bằng khen tập thể".to_string(),
        ),
    ];
    let mut filled = Template {
        title: "Biểu".into(),
        form: "antq-nam".into(),
        period: "2026".into(),
        parent: "11".into(),
        columns: columns.clone(),
        rows: vec![
            (
                "03325".into(),
                "Xã Mường Phăng".into(),
                vec![Some(12.0), Some(4378.0), Some(2.0)],
            ),
            (
                "03127".into(),
                "Phường Điện Biên Phủ".into(),
                vec![Some(-3.0), Some(10.5), None],
            ),
            (
                "99999".into(),
                "Không có".into(),
                vec![Some(1.0), None, None],
            ),
            (
                "29869".into(),
                "Phường Cao Lãnh (tỉnh khác)".into(),
                vec![Some(1.0), None, None],
            ),
        ],
    };
    let (s, e) = upload(
        &province,
        "format=xlsx",
        "application/octet-stream",
        write_template(&filled).unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let errors: Vec<String> = e["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect();
    let has = |needle: &str| errors.iter().any(|x| x.contains(needle));
    assert!(
        has("Biểu 01, ô C7: giá trị không được âm") || has("Biểu 01, ô C7"),
        "{errors:?}"
    );
    assert!(has("Biểu 01, ô D7") && has("số nguyên"), "{errors:?}");
    assert!(has("Biểu 01, ô C8") && has("99999"), "{errors:?}");
    assert!(has("Biểu 01, ô C9") && has("không có quyền"), "{errors:?}");
    assert_eq!(errors.len(), 4, "{errors:?}");
    let (_, r) = province.get_json("/api/v1/data/antq-nam/03325/2026").await;
    assert_eq!(r["state"], "not_started", "nothing was written");

    // A text cell typed the Vietnamese way is read; a bad one is named.
    // Clean file: a dry run first, then for real.
    filled.rows.truncate(1);
    let clean = write_template(&filled).unwrap();
    let (s, dry) = upload(
        &province,
        "format=xlsx&dry_run=true",
        "application/octet-stream",
        clean.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{dry}");
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["values_new"], 3);
    let (_, r) = province.get_json("/api/v1/data/antq-nam/03325/2026").await;
    assert_eq!(r["state"], "not_started", "a dry run writes nothing");
    let (s, done) = upload(&province, "format=xlsx", "application/octet-stream", clean).await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(done["values_new"], 3);
    assert_eq!(done["reports_created"], 1);
    let (_, r) = province.get_json("/api/v1/data/antq-nam/03325/2026").await;
    assert_eq!(r["values"]["tt_luot"]["value"], 4378.0);

    // The template now comes prefilled, and uploading it back changes nothing.
    let bytes = province
        .get("/api/v1/templates/antq-nam/11/2026")
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let again = read_template(&bytes).unwrap();
    assert_eq!(again.cells.len(), 3);
    let (s, same) = upload(&province, "format=xlsx", "application/octet-stream", bytes).await;
    assert_eq!(s, StatusCode::OK, "{same}");
    assert_eq!(same["values_unchanged"], 3);
    assert_eq!(same["values_new"], 0);
}

#[tokio::test]
async fn long_csv_and_dhis2_in_and_out() {
    let app = spawn_app().await;
    let province = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;

    // Mistakes: a bad number, a wrong period, a duplicate, an unknown indicator,
    // an expired unit code (87 ended in 2025), NFD text normalised on the way in.
    let csv = "unit,period,indicator,value,qualifier,comment\n\
        03325,2026,tt_buoi,\"12,5a\",,\n\
        03325,2026X,tt_buoi,1,,\n\
        03325,2026,tt_luot,\"4.378\",hơn,ước tính\n\
        03325,2026,tt_luot,5,,\n\
        03325,2026,khong_co,1,,\n\
        87,2026,tt_buoi,1,,\n";
    let (s, e) = upload(&province, "format=csv", "text/csv", csv.as_bytes().to_vec()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let errors: Vec<&str> = e["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert_eq!(errors.len(), 6, "{errors:?}");
    assert!(
        errors[0].starts_with("dòng 2: \"12,5a\" không phải số"),
        "{errors:?}"
    );
    // "4.378" in a file that does not say it writes Vietnamese figures:
    // 4378 or 4,378? Refused with its line, never guessed.
    assert!(
        errors.iter().any(|x| x
            .starts_with("dòng 4: giá trị \"4.378\" không rõ nghĩa: có thể là 4378 hoặc 4,378")),
        "{errors:?}"
    );
    assert!(errors
        .iter()
        .any(|x| x.starts_with("dòng 3:") && x.contains("2026X")));
    assert!(errors
        .iter()
        .any(|x| x.starts_with("dòng 5:") && x.contains("trùng với dòng 4")));
    assert!(errors
        .iter()
        .any(|x| x.starts_with("dòng 6:") && x.contains("khong_co")));
    assert!(errors
        .iter()
        .any(|x| x.starts_with("dòng 7:") && x.contains("87")));

    // The file says it writes figures the Vietnamese way (`value_vi`).
    let good = "unit,period,indicator,value_vi,qualifier,comment\n\
        03325,2026,tt_buoi,12,,\n\
        03325,2026,tt_luot,\"4.378\",hơn,\"ước tính, chưa đủ\"\n\
        03325,2026,kt_bang_khen.tap_the,2,,\n";
    let (s, r) = upload(
        &province,
        "format=csv",
        "text/csv",
        good.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    // Locked reports refuse imports.
    commune
        .post_json("/api/v1/data/antq-nam/03325/2026/submit", json!({}))
        .await;
    province
        .post_json("/api/v1/data/antq-nam/03325/2026/approve", json!({}))
        .await;
    let (s, e) = upload(
        &province,
        "format=csv",
        "text/csv",
        good.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["errors"][0].as_str().unwrap().contains("Đã duyệt"), "{e}");

    // Out as CSV and as DHIS2 JSON.
    let res = province.get("/api/v1/export/antq-nam/11?from=2026").await;
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    assert!(
        text.contains("03325,2026,tt_luot,4378,more_than,\"ước tính, chưa đủ\""),
        "{text}"
    );
    let res = province
        .get("/api/v1/dataValueSets?dataSet=antq-nam&orgUnit=11&period=2026&children=true&periodMapping=sameCode")
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let dvs: Value = res.json().await.unwrap();
    let values = dvs["dataValues"].as_array().unwrap();
    assert_eq!(values.len(), 3);
    assert!(values.iter().any(|v| v["dataElement"] == "kt_bang_khen"
        && v["categoryOptionCombo"] == "tap_the"
        && v["value"] == "2"));

    // DHIS2 in: a tool built for DHIS2 posts a set for another commune.
    let b = app.logged_in("ca.dienbienphu", Role::Police, "03127").await;
    let set = json!({"dataSet": "antq-nam", "period": "2026", "orgUnit": "03127",
        "dataValues": [{"dataElement": "tt_buoi", "value": "7"}, {"dataElement": "kt_giay_khen", "categoryOptionCombo": "ca_nhan", "value": 3}]});
    let (s, r) = b.post_json("/api/v1/dataValueSets", set.clone()).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["importCount"]["imported"], 2);
    let (_, r) = b.get_json("/api/v1/data/antq-nam/03127/2026").await;
    assert_eq!(r["values"]["kt_giay_khen.ca_nhan"]["value"], 3.0);
    // ... but not for a commune it does not report for.
    let other = json!({"dataSet": "antq-nam", "period": "2026", "orgUnit": "03325", "dataValues": [{"dataElement": "dd_so", "value": "1"}]});
    let (s, r) = b.post_json("/api/v1/dataValueSets", other).await;
    assert_eq!(s, StatusCode::CONFLICT, "{r}");
    assert_eq!(r["status"], "ERROR");
}

/// A workbook of a few KB whose one cell is at XFD1048576 (and whose
/// `<dimension>` says A1:XFD1048576).
fn far_cell_workbook() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_number(1_048_575, 16_383, 1.0).unwrap();
    wb.save_to_buffer().unwrap()
}

/// A multipart body as a browser sends the upload form.
fn multipart(filename: &str, bytes: &[u8], csrf: &str) -> (String, Vec<u8>) {
    let boundary = "----antqtestboundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{csrf}\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn crafted_spreadsheets_get_a_vietnamese_4xx_while_healthz_answers() {
    let app = spawn_app().await;
    let viewer = app.logged_in("xem.dienbien", Role::Viewer, "11").await;
    let officer = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let far = far_cell_workbook();
    assert!(far.len() < 10_000);

    // Several crafted uploads at once, and /healthz asked meanwhile.
    let mut uploads = Vec::new();
    for a in [&viewer, &officer, &viewer] {
        let (client, url, csrf) = (
            a.client.clone(),
            a.url("/api/v1/import?format=xlsx"),
            a.csrf.clone().unwrap_or_default(),
        );
        let body = far.clone();
        uploads.push(tokio::spawn(async move {
            let res = client
                .post(url)
                .header("X-CSRF-Token", csrf)
                .header("Content-Type", "application/octet-stream")
                .body(body)
                .send()
                .await
                .unwrap();
            (res.status(), res.json::<Value>().await.unwrap())
        }));
    }
    for _ in 0..5 {
        let started = std::time::Instant::now();
        let res = viewer.get("/healthz").await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
    for (u, is_viewer) in uploads.into_iter().zip([true, false, true]) {
        let (s, e) = u.await.unwrap();
        if is_viewer {
            // A viewer may import nothing: refused before the body is read.
            assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
            assert_eq!(
                e["error"],
                "Tài khoản không có quyền nhập số liệu nên không nhập được tệp"
            );
            continue;
        }
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        let first = e["errors"][0].as_str().unwrap();
        assert!(first.contains("ô XFD1048576"), "{e}");
        assert!(first.contains("giới hạn 100.000 dòng và 1.000 cột"), "{e}");
    }

    // The upload page says the same in its page.
    let (ct, body) = multipart(
        "bieu.xlsx",
        &far,
        officer.csrf.as_deref().unwrap_or_default(),
    );
    let res = officer
        .client
        .post(officer.url("/nhap-tep"))
        .header("Content-Type", ct)
        .header("X-CSRF-Token", officer.csrf.clone().unwrap_or_default())
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("XFD1048576"), "{page}");

    // An .ods or .xls named as a template is refused by name.
    let (s, e) = upload(
        &officer,
        "format=xlsx",
        "application/octet-stream",
        vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["errors"][0].as_str().unwrap().contains(".xls"), "{e}");
}

#[tokio::test]
async fn thousands_of_bad_rows_list_one_thousand_and_count_the_rest() {
    let app = spawn_app().await;
    let officer = app.logged_in("ca.dienbien", Role::Police, "11").await;
    // 3.000 rows whose unit codes do not exist: each would be looked up.
    let mut csv = String::from("unit,period,indicator,value,qualifier,comment\n");
    for i in 0..3_000 {
        csv.push_str(&format!("{:05},2026,tt_buoi,1,,\n", 90_000 + i));
    }
    let started = std::time::Instant::now();
    let (s, e) = upload(&officer, "format=csv", "text/csv", csv.into_bytes()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    let errors = e["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1_001, "{}", errors.len());
    assert!(errors[0].as_str().unwrap().starts_with("dòng 2: "), "{e}");
    assert_eq!(errors[1_000], "… và 2.000 lỗi khác");
    assert!(
        e["error"].as_str().unwrap().contains("3.000 lỗi"),
        "{}",
        e["error"]
    );
}

#[tokio::test]
async fn imports_past_the_concurrency_limit_get_429() {
    let app = spawn_app_with(|c| {
        c.import_concurrency = 1;
        c.import_wait = std::time::Duration::from_millis(200);
    })
    .await;
    let officer = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let csv = "unit,period,indicator,value,qualifier,comment\n03325,2026,tt_buoi,12,,\n";
    // Another import holds the only permit.
    let held = app.state.imports.clone().acquire_owned().await.unwrap();
    let (s, e) = upload(&officer, "format=csv&dry_run=true", "text/csv", csv.into()).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{e}");
    assert_eq!(
        e["error"],
        "Đang có nhiều tệp được nhập cùng lúc, xin thử lại sau ít phút"
    );
    let res = officer.get("/healthz").await;
    assert_eq!(res.status(), StatusCode::OK);
    drop(held);
    let (s, e) = upload(&officer, "format=csv&dry_run=true", "text/csv", csv.into()).await;
    assert_eq!(s, StatusCode::OK, "{e}");
}

#[tokio::test]
async fn uploads_past_the_body_limit_name_it() {
    let app = spawn_app_with(|c| c.upload_limit = 1024 * 1024).await;
    let officer = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let mut csv = String::from("unit,period,indicator,value,qualifier,comment\n");
    while csv.len() < 2 * 1024 * 1024 {
        csv.push_str("03325,2026,tt_buoi,12,,\n");
    }
    let (s, e) = upload(&officer, "format=csv", "text/csv", csv.into_bytes()).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{e}");
    assert_eq!(e["error"], "Tệp gửi lên lớn hơn giới hạn 1 MB");
}

#[tokio::test]
async fn a_comment_that_is_a_formula_is_exported_as_text_and_comes_back() {
    let app = spawn_app().await;
    let officer = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let formula = "=HYPERLINK(\"http://x.invalid\",\"Bấm vào\")";
    let csv = format!(
        "unit,period,indicator,value,qualifier,comment\n03325,2026,tt_buoi,12,,\"{}\"\n",
        formula.replace('"', "\"\"")
    );
    let (s, r) = upload(&officer, "format=csv", "text/csv", csv.into_bytes()).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let res = officer.get("/api/v1/export/antq-nam/11?from=2026").await;
    let text = res.text().await.unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("HYPERLINK"))
        .expect("the comment is exported");
    assert!(line.contains(",\"'=HYPERLINK("), "protected: {line}");
    // Imported back, the comment is the same text: nothing changes.
    let (s, r) = upload(
        &officer,
        "format=csv&dry_run=true",
        "text/csv",
        text.into_bytes(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["values_changed"], 0, "{r}");
    assert_eq!(r["values_unchanged"], 1, "{r}");
}

/// A logged-in session for raw requests: the `Cookie` header and the CSRF token.
async fn raw_session(app: &crate::helpers::TestApp, name: &str, role: Role) -> (String, String) {
    app.user(name, role, "11").await;
    let mut a = app.agent();
    let login = a.login(name, crate::helpers::PASSWORD).await;
    assert_eq!(login.status, StatusCode::OK);
    let cookie = login
        .cookies
        .iter()
        .map(|c| c.split(';').next().unwrap_or_default().to_string())
        .collect::<Vec<_>>()
        .join("; ");
    (cookie, a.csrf.unwrap())
}

/// Send only the headers of an import (declaring `length` bytes) and at
/// most `sent` bytes of body; the status line answered within 10 s, if any.
async fn headers_only(
    app: &crate::helpers::TestApp,
    session: &(String, String),
    length: usize,
    sent: usize,
) -> Option<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.base.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/v1/import?format=csv HTTP/1.1\r\nHost: x\r\nCookie: {}\r\nX-CSRF-Token: {}\r\n\
         Content-Type: text/csv\r\nContent-Length: {length}\r\n\r\n",
        session.0, session.1
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(&vec![b'x'; sent]).await.unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !got.windows(4).any(|w| w == b"\r\n\r\n") {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match tokio::time::timeout(left, s.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => got.extend_from_slice(&buf[..n]),
            _ => break,
        }
    }
    let text = String::from_utf8_lossy(&got).to_string();
    text.lines()
        .next()
        .map(str::to_string)
        .filter(|l| !l.is_empty())
}

/// With the only import slot taken, an upload that declares 1 MB and sends
/// 10 bytes of it is answered 429 at once: the server does not wait for
/// (nor hold) the body. A declared length past the upload limit (2 MB of
/// 1 MB) is answered 413 before any body is sent; a viewer, who may import
/// nothing, gets 403 without taking the slot.
#[tokio::test]
async fn uploads_are_admitted_before_their_body_is_read() {
    let app = spawn_app_with(|c| {
        c.import_concurrency = 1;
        c.import_wait = std::time::Duration::from_millis(200);
        c.upload_limit = 1024 * 1024;
    })
    .await;
    let officer = raw_session(&app, "ca.dienbien", Role::Police).await;
    let viewer = raw_session(&app, "xem.dienbien", Role::Viewer).await;
    let held = app.state.imports.clone().acquire_owned().await.unwrap();
    let status = headers_only(&app, &officer, 1024 * 1024, 10).await;
    assert_eq!(status.as_deref(), Some("HTTP/1.1 429 Too Many Requests"));
    let status = headers_only(&app, &viewer, 1024 * 1024, 10).await;
    assert_eq!(status.as_deref(), Some("HTTP/1.1 403 Forbidden"));
    drop(held);
    let status = headers_only(&app, &officer, 2 * 1024 * 1024, 0).await;
    assert_eq!(status.as_deref(), Some("HTTP/1.1 413 Payload Too Large"));
    assert_eq!(app.state.imports.available_permits(), 1);
    // The 413 names the limit.
    let mut a = app.agent();
    a.login("ca.dienbien", crate::helpers::PASSWORD).await;
    let res = a
        .client
        .post(a.url("/api/v1/import?format=csv"))
        .header("X-CSRF-Token", a.csrf.clone().unwrap())
        .header("Content-Type", "text/csv")
        .body(vec![b'x'; 2 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let e: Value = res.json().await.unwrap();
    assert_eq!(e["error"], "Tệp gửi lên lớn hơn giới hạn 1 MB");
}

/// A file with a header and no values: 422, a capitalised Vietnamese message.
#[tokio::test]
async fn an_empty_file_is_422() {
    let app = spawn_app().await;
    let officer = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let csv = "unit,period,indicator,value,qualifier,comment\n";
    let (s, e) = upload(&officer, "format=csv", "text/csv", csv.into()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"], "Tệp không có giá trị nào để nhập");
}

/// A multipart body that breaks off: a Vietnamese 400 without the parser's
/// English detail.
#[tokio::test]
async fn a_broken_multipart_upload_says_so_in_vietnamese() {
    let app = spawn_app().await;
    let officer = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let res = officer
        .client
        .post(officer.url("/nhap-tep"))
        .header("Content-Type", "multipart/form-data; boundary=XYZ")
        .header("X-CSRF-Token", officer.csrf.clone().unwrap_or_default())
        .body(
            "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nabc",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let page = res.text().await.unwrap();
    assert!(page.contains("Tệp gửi lên không đọc được"), "{page}");
    assert!(!page.contains("tệp gửi lên không đọc được:"), "{page}");
}

/// A file may not open a report the entry page would refuse: a period that
/// has not started (beyond the early-entry margin) is refused by line, and
/// nothing is written.
#[tokio::test]
async fn imports_refuse_periods_that_have_not_started() {
    let app = spawn_app().await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let csv = "unit,period,indicator,value,qualifier,comment\n\
        03325,2026,tt_buoi,3,,\n\
        03325,2099S1,tt_buoi,12,,\n";
    let (s, e) = upload(&commune, "format=csv", "text/csv", csv.as_bytes().to_vec()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let errors = e["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{e}");
    let msg = errors[0].as_str().unwrap();
    assert!(
        msg.starts_with("dòng 3: Chưa đến kỳ báo cáo: 6 tháng đầu năm 2099"),
        "{msg}"
    );
    // All or nothing: the good line was not written either.
    let (s, r) = commune.get_json("/api/v1/data/antq-nam/03325/2026").await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert!(r["values"].get("tt_buoi").is_none(), "{r}");
    // Over the page's form too: the same refusal.
    let (s, _) = upload(
        &commune,
        "format=csv&dry_run=true",
        "text/csv",
        "unit,period,indicator,value\n03325,2099,tt_buoi,1\n"
            .as_bytes()
            .to_vec(),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
}

/// The export form with a name several units share: the upload page again
/// (422) with the choice kept and the candidates as a list.
#[tokio::test]
async fn an_export_with_a_shared_name_comes_back_as_chosen() {
    let app = spawn_app().await;
    let admin = app.logged_in("qt.tw", Role::Admin, "VN").await;
    let res = admin
        .get("/tai-ve/so-lieu?form=antq-nam&unit=X%C3%A3+Ch%C3%A2u+Th%C3%A0nh&unit_pick=&from=2024&to=2025&format=dhis2")
        .await;
    let status = res.status();
    let html = res.text().await.unwrap();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("id=\"export-error\""), "{html}");
    assert!(
        html.matches("<li>Xã Châu Thành (").count() >= 2,
        "one line per candidate: {html}"
    );
    assert!(html.contains("value=\"Xã Châu Thành\""), "{html}");
    assert!(html.contains("name=\"from\" value=\"2024\""), "{html}");
    assert!(html.contains("name=\"to\" value=\"2025\""), "{html}");
    assert!(html.contains("<option value=\"dhis2\" selected>"), "{html}");
    assert!(
        html.contains("<option value=\"antq-nam\" selected>"),
        "{html}"
    );
}
