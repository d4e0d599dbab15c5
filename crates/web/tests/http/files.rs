//! Files in and out: Excel templates that round-trip, long CSV, DHIS2
//! dataValueSets; imports are all or nothing and list every bad cell.

use antq_core::auth::Role;
use antq_office::xlsx::{read_template, write_template, Template};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, Agent};

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
    assert_eq!(errors.len(), 5, "{errors:?}");
    assert!(
        errors[0].starts_with("dòng 2: \"12,5a\" không phải số"),
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

    let good = "unit,period,indicator,value,qualifier,comment\n\
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
        text.contains("03325,2026,tt_luot,4.378,more_than,\"ước tính, chưa đủ\""),
        "{text}"
    );
    let res = province
        .get("/api/v1/dataValueSets?dataSet=antq-nam&orgUnit=11&period=2026")
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
    let (s, _) = b.post_json("/api/v1/dataValueSets", other).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
}
