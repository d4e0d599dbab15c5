//! Values for programs: DHIS2 `dataValueSets` read plain numbers ("1.250"
//! is 1,25), answer with DHIS2's `ImportSummary` (also when refused), export
//! what they are asked for (units with or without children, dates,
//! repeated parameters) and import back unchanged; the long CSV writes
//! plain numbers.

use antq_core::auth::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, Agent, TestApp};

/// `tt_luot` and `dd_luot` take decimals here (no seeded indicator does).
async fn decimals(app: &TestApp) {
    sqlx::query(
        "UPDATE indicators SET value_type = 'decimal' WHERE code IN ('tt_luot', 'dd_luot')",
    )
    .execute(app.db.pool())
    .await
    .unwrap();
}

async fn export(a: &Agent, query: &str) -> (StatusCode, Value) {
    a.get_json(&format!("/api/v1/dataValueSets?{query}")).await
}

/// (orgUnit, period, dataElement[.coc], value) of each exported value, sorted.
fn keys(set: &Value) -> Vec<(String, String, String, String)> {
    let mut out: Vec<_> = set["dataValues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let de = match v["categoryOptionCombo"].as_str() {
                Some(c) => format!("{}.{c}", v["dataElement"].as_str().unwrap()),
                None => v["dataElement"].as_str().unwrap().to_string(),
            };
            (
                v["orgUnit"].as_str().unwrap().to_string(),
                v["period"].as_str().unwrap().to_string(),
                de,
                v["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn dhis2_decimals_are_read_as_dhis2_writes_them_and_round_trip() {
    let app = spawn_app().await;
    decimals(&app).await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let set = json!({"dataSet": "antq-nam", "period": "2026", "orgUnit": "03325",
    "dataValues": [
        {"dataElement": "tt_luot", "value": "1.250", "qualifier": "more_than",
         "comment": "ước tính, \"chưa đủ\""},
        {"dataElement": "dd_luot", "value": "2.5"},
        {"dataElement": "tt_buoi", "value": "1328"},
        {"dataElement": "kt_bang_khen", "categoryOptionCombo": "tap_the", "value": "3"}
    ]});
    let (s, r) = commune.post_json("/api/v1/dataValueSets", set).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["responseType"], "ImportSummary");
    assert_eq!(r["status"], "SUCCESS");
    assert_eq!(
        r["importCount"],
        json!({"imported": 4, "updated": 0, "ignored": 0, "deleted": 0})
    );
    assert_eq!(r["conflicts"], json!([]));
    let (_, view) = commune.get_json("/api/v1/data/antq-nam/03325/2026").await;
    assert_eq!(view["values"]["tt_luot"]["value"], 1.25, "{view}");
    assert_eq!(view["values"]["dd_luot"]["value"], 2.5);
    assert_eq!(view["values"]["tt_buoi"]["value"], 1328.0);
    let stored: i64 = sqlx::query_scalar(
        "SELECT value_milli FROM antq_values WHERE unit_code = '03325' AND indicator = 'tt_luot'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(stored, 1_250);

    // A DHIS2 export is written only under an explicit period mapping.
    let (s, e) = export(&commune, "dataSet=antq-nam&orgUnit=03325&period=2026").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        e["error"]
            .as_str()
            .unwrap()
            .contains("periodMapping=sameCode"),
        "{e}"
    );
    let query = "dataSet=antq-nam&orgUnit=03325&period=2026&periodMapping=sameCode";
    let (s, first) = export(&commune, query).await;
    assert_eq!(s, StatusCode::OK, "{first}");
    assert_eq!(first["periodMapping"], "sameCode");
    assert!(first["periodNote"]
        .as_str()
        .unwrap()
        .contains("15/12/2025 – 14/12/2026"));
    let luot = first["dataValues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["dataElement"] == "tt_luot")
        .unwrap();
    assert_eq!(luot["value"], "1.25");
    assert_eq!(luot["qualifier"], "more_than");
    assert_eq!(luot["comment"], "ước tính, \"chưa đủ\"");
    assert_eq!(
        keys(&first),
        [
            (
                "03325".into(),
                "2026".into(),
                "dd_luot".into(),
                "2.5".into()
            ),
            (
                "03325".into(),
                "2026".into(),
                "kt_bang_khen.tap_the".into(),
                "3".into()
            ),
            (
                "03325".into(),
                "2026".into(),
                "tt_buoi".into(),
                "1328".into()
            ),
            (
                "03325".into(),
                "2026".into(),
                "tt_luot".into(),
                "1.25".into()
            ),
        ]
    );

    // The export imports back unchanged: every value ignored as the same.
    let (s, r) = commune
        .post_json("/api/v1/dataValueSets", first.clone())
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(
        r["importCount"],
        json!({"imported": 0, "updated": 0, "ignored": 4, "deleted": 0})
    );
    let (_, again) = export(&commune, query).await;
    assert_eq!(again, first);

    // The long CSV writes the same plain numbers.
    let res = commune.get("/api/v1/export/antq-nam/03325?from=2026").await;
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    assert!(text.contains("03325,2026,tt_buoi,1328,exact,"), "{text}");
    assert!(
        text.contains("03325,2026,tt_luot,1.25,more_than,"),
        "{text}"
    );
    assert!(text.contains("03325,2026,dd_luot,2.5,exact,"), "{text}");
    // ... and a CSV with plain decimals reads them as such.
    let csv = "unit,period,indicator,value,qualifier,comment\n03325,2026,dd_luot,0.125,,\n";
    let res = commune
        .client
        .post(commune.url("/api/v1/import?format=csv"))
        .header("X-CSRF-Token", commune.csrf.clone().unwrap_or_default())
        .header("Content-Type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let (_, view) = commune.get_json("/api/v1/data/antq-nam/03325/2026").await;
    assert_eq!(view["values"]["dd_luot"]["value"], 0.125);
}

#[tokio::test]
async fn a_refused_set_is_an_import_summary_with_every_conflict() {
    let app = spawn_app().await;
    decimals(&app).await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let set = json!({"dataSet": "antq-nam", "period": "2026", "orgUnit": "03325",
    "dataValues": [
        {"dataElement": "tt_buoi", "value": "12"},
        {"dataElement": "tt_luot", "value": "1,5"},
        {"dataElement": "khong_co", "value": "1"},
        {"dataElement": "dd_so", "value": "2.5"},
        {"dataElement": "dd_luot", "value": "1.234.567"}
    ]});
    let (s, r) = commune.post_json("/api/v1/dataValueSets", set).await;
    assert_eq!(s, StatusCode::CONFLICT, "{r}");
    assert_eq!(r["responseType"], "ImportSummary");
    assert_eq!(r["status"], "ERROR");
    assert_eq!(
        r["importCount"],
        json!({"imported": 0, "updated": 0, "ignored": 5, "deleted": 0})
    );
    let conflicts = r["conflicts"].as_array().unwrap();
    let objects: Vec<&str> = conflicts
        .iter()
        .map(|c| c["object"].as_str().unwrap())
        .collect();
    assert_eq!(
        objects,
        [
            "dataValues[1]",
            "dataValues[2]",
            "dataValues[3]",
            "dataValues[4]"
        ],
        "{r}"
    );
    assert!(conflicts[0]["value"].as_str().unwrap().contains("\"1,5\""));
    assert!(conflicts[1]["value"].as_str().unwrap().contains("khong_co"));
    assert!(conflicts[2]["value"]
        .as_str()
        .unwrap()
        .contains("số nguyên"));
    assert!(r["error"]
        .as_str()
        .unwrap()
        .starts_with("Tệp không được nhập"));
    // All or nothing: the good value was not written either.
    let (_, view) = commune.get_json("/api/v1/data/antq-nam/03325/2026").await;
    assert!(
        view["values"]
            .get("tt_buoi")
            .is_none_or(|v| v["milli"].is_null()),
        "{view}"
    );
}

#[tokio::test]
async fn exports_select_units_with_or_without_children_dates_and_repeated_parameters() {
    let app = spawn_app().await;
    let province = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let csv = "unit,period,indicator,value,qualifier,comment\n\
        03325,2025,tt_buoi,1,,\n\
        03325,2026,tt_buoi,2,,\n\
        03127,2026,tt_buoi,3,,\n";
    let res = province
        .client
        .post(province.url("/api/v1/import?format=csv"))
        .header("X-CSRF-Token", province.csrf.clone().unwrap_or_default())
        .header("Content-Type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let got = |set: &Value| -> Vec<(String, String, String)> {
        keys(set)
            .into_iter()
            .map(|(u, p, _, v)| (u, p, v))
            .collect()
    };
    let m = "dataSet=antq-nam&periodMapping=sameCode";
    let row = |u: &str, p: &str, v: &str| (u.to_string(), p.to_string(), v.to_string());
    // The province alone has no values; with its children, all of them.
    let (s, alone) = export(
        &province,
        &format!("{m}&orgUnit=11&period=2025&period=2026"),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{alone}");
    assert_eq!(got(&alone), []);
    let (_, all) = export(
        &province,
        &format!("{m}&orgUnit=11&children=true&period=2025&period=2026"),
    )
    .await;
    assert_eq!(
        got(&all),
        [
            row("03127", "2026", "3"),
            row("03325", "2025", "1"),
            row("03325", "2026", "2")
        ]
    );
    // One commune, without children: that commune only.
    let (_, one) = export(&province, &format!("{m}&orgUnit=03325&period=2026")).await;
    assert_eq!(got(&one), [row("03325", "2026", "2")]);
    // Repeated orgUnit.
    let (_, two) = export(
        &province,
        &format!("{m}&orgUnit=03325&orgUnit=03127&period=2026"),
    )
    .await;
    assert_eq!(
        got(&two),
        [row("03127", "2026", "3"), row("03325", "2026", "2")]
    );
    // Dates select the periods lying between them: antq's 2026 runs
    // 15/12/2025 → 14/12/2026, so 01/01/2025 → 31/12/2026 holds 2026 only.
    let (_, dated) = export(
        &province,
        &format!("{m}&orgUnit=03325&startDate=2025-01-01&endDate=2026-12-31"),
    )
    .await;
    assert_eq!(got(&dated), [row("03325", "2026", "2")]);
    let (_, both) = export(
        &province,
        &format!("{m}&orgUnit=03325&startDate=2024-12-15&endDate=2026-12-14"),
    )
    .await;
    assert_eq!(
        got(&both),
        [row("03325", "2025", "1"), row("03325", "2026", "2")]
    );
    // Repeated dataSet: values of both forms, and no single dataSet at the top.
    let (s, forms) = export(
        &province,
        "dataSet=antq-nam&dataSet=antq-6t&periodMapping=sameCode&orgUnit=03325&period=2026",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{forms}");
    assert_eq!(got(&forms), [row("03325", "2026", "2")]);
    assert!(forms.get("dataSet").is_none(), "{forms}");
    assert_eq!(one["dataSet"], "antq-nam");
}

#[tokio::test]
async fn the_progress_page_downloads_dhis2_under_its_stated_mapping() {
    let app = spawn_app().await;
    let province = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let page = province.get("/tien-do/antq-nam/11/2026").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    let link = "/tai-ve/so-lieu/antq-nam/11?from=2026&amp;format=dhis2&amp;periodMapping=sameCode";
    assert!(html.contains(link), "{html}");
    let res = province
        .get("/tai-ve/so-lieu/antq-nam/11?from=2026&format=dhis2&periodMapping=sameCode")
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let set: Value = res.json().await.unwrap();
    assert_eq!(set["periodMapping"], "sameCode");
    // Without a mapping no DHIS2 period is written: the page says why.
    let res = province
        .get("/tai-ve/so-lieu/antq-nam/11?from=2026&format=dhis2")
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("periodMapping=sameCode"));
}
