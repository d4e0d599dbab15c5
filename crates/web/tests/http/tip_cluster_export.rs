//! One cluster of scam identifiers taken out for the competent unit: the
//! workbook read back has the cluster's counts and only the tips within
//! the officer's units, never what a tip says or who sent it; every export
//! audited; outside the police, or outside the cluster's units, nothing.

use antq_core::auth::Role;
use antq_office::tip_cluster::{SHEET, TIPS_LABEL, TIP_HEADS};
use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Agent, TestApp};
use crate::tips::{app, sent, vietnamese_error, PROVINCE};

const TEXT: &str = "Kẻ gian gọi giả danh cán bộ thuế, đòi chuyển tiền phạt ngay.";
const CONTACT: &str = "Chị Lò Thị Bích, 0987 111 222";

/// Three tips in three communes of Điện Biên, one phone number written
/// three ways: the communes' codes.
async fn three_tips(app: &TestApp) -> Vec<String> {
    let communes: Vec<String> = sqlx::query_scalar(
        "SELECT code FROM units WHERE parent_id = (SELECT id FROM units WHERE code = '11' AND valid_to IS NULL) \
         AND valid_to IS NULL ORDER BY code LIMIT 3",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(communes.len(), 3);
    let citizen = app.agent();
    for (unit, phone) in
        communes
            .iter()
            .zip(["+84 912 345 678", "0912.345.678", "(+84) 912-345-678"])
    {
        let body = json!({
            "category": "lua_dao_mang", "unit_code": unit, "text": TEXT,
            "answers": {"cach_lien_lac": "Điện thoại", "thu_doan": "Giả danh cán bộ thuế"},
            "identifiers": [{"kind": "phone", "value": phone}],
            "contact": CONTACT,
        });
        sent(&citizen, body).await;
    }
    communes
}

/// The only cluster an officer sees: (key, tips, tips here).
async fn the_cluster(a: &Agent) -> (String, i64, i64) {
    let (s, v) = a.get_json("/api/v1/tips/clusters").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{v}");
    let c = &items[0];
    (
        c["key"].as_str().unwrap().to_string(),
        c["tips"].as_i64().unwrap(),
        c["tips_here"].as_i64().unwrap(),
    )
}

async fn download(a: &Agent, path: &str) -> (StatusCode, String, Vec<u8>) {
    let res = a.get(path).await;
    let status = res.status();
    let ct = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, ct, res.bytes().await.unwrap().to_vec())
}

/// Every cell of the workbook's sheet.
fn cells(bytes: &[u8]) -> Vec<Vec<Data>> {
    let mut wb = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range(SHEET).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

fn number(d: &Data) -> Option<f64> {
    match d {
        Data::Float(x) => Some(*x),
        Data::Int(i) => Some(*i as f64),
        _ => None,
    }
}

/// The count of tips in the summary, and the tip rows' numbers.
fn read_back(rows: &[Vec<Data>]) -> (f64, Vec<f64>) {
    let count = rows
        .iter()
        .find(|r| r.first() == Some(&Data::String(TIPS_LABEL.into())))
        .and_then(|r| number(&r[1]))
        .expect("the count of tips");
    let heads = rows
        .iter()
        .position(|r| r.first() == Some(&Data::String(TIP_HEADS[0].into())))
        .expect("the tip headings");
    let ids = rows[heads + 1..]
        .iter()
        .map(|r| number(&r[0]).expect("a tip number"))
        .collect();
    (count, ids)
}

fn assert_nothing_of_the_tips(text: &str) {
    for secret in [TEXT, "thuế", CONTACT, "Lò Thị Bích", "912345678", "0987"] {
        assert!(!text.contains(secret), "{secret:?} exported: {text}");
    }
}

#[tokio::test]
async fn a_cluster_is_exported_with_its_counts_and_only_the_tips_in_scope() {
    let app = app().await;
    let province = app.logged_in("ca.tinh", Role::Police, PROVINCE).await;
    let communes = three_tips(&app).await;
    let commune = app.logged_in("ca.xa", Role::Police, &communes[0]).await;

    // The commune: counted 3, listed 1 (its own), over the API.
    let (key, tips, here) = the_cluster(&commune).await;
    assert_eq!((tips, here), (3, 1));
    let (s, ct, bytes) = download(
        &commune,
        &format!("/api/v1/tips/clusters/{key}/export?format=xlsx"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.contains("spreadsheetml"), "{ct}");
    let rows = cells(&bytes);
    let (count, ids) = read_back(&rows);
    assert_eq!(count, 3.0);
    assert_eq!(ids.len(), 1, "only the commune's own tip is listed");
    let all: String = rows.iter().flatten().map(|d| format!("{d}\n")).collect();
    assert!(all.contains("09x xxx x678") && all.contains("Số điện thoại"));
    assert!(all.contains("Lừa đảo trên không gian mạng") && all.contains("Mới"));
    assert!(
        all.contains("2 tin báo ở đơn vị khác chỉ được đếm"),
        "{all}"
    );
    assert_nothing_of_the_tips(&all);

    // The province, from the clusters page: all three, in Excel and CSV.
    let page = province.get("/tin-bao/cum").await.text().await.unwrap();
    let xlsx_href = format!("/tin-bao/cum/{key}/excel");
    assert!(
        page.contains(&xlsx_href) && page.contains("Tải CSV"),
        "{page}"
    );
    let (s, _, bytes) = download(&province, &xlsx_href).await;
    assert_eq!(s, StatusCode::OK);
    let rows = cells(&bytes);
    let (count, ids) = read_back(&rows);
    assert_eq!((count, ids.len()), (3.0, 3));
    let all: String = rows.iter().flatten().map(|d| format!("{d}\n")).collect();
    assert_nothing_of_the_tips(&all);
    let (s, ct, bytes) = download(&province, &format!("/tin-bao/cum/{key}/csv")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("text/csv"), "{ct}");
    let csv = String::from_utf8(bytes).unwrap();
    assert!(csv.contains(&format!("{TIPS_LABEL},3")), "{csv}");
    assert_nothing_of_the_tips(&csv);

    // Each export audited, with the tips it listed.
    let listed: Vec<String> = sqlx::query_scalar(
        "SELECT after_json FROM audit_log WHERE action = 'tip_cluster.export' ORDER BY id",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(listed.len(), 3, "{listed:?}");
    assert!(listed[0].contains("tips_listed") && listed[2].contains("\"csv\""));
    assert_nothing_of_the_tips(&listed.join("\n"));
}

#[tokio::test]
async fn nobody_else_exports_a_cluster() {
    let app = app().await;
    let province = app.logged_in("ca.tinh", Role::Police, PROVINCE).await;
    three_tips(&app).await;
    let (key, _, _) = the_cluster(&province).await;
    let elsewhere = app.logged_in("ca.dongthap", Role::Police, "82").await;
    let front = app.logged_in("mt.tinh", Role::Front, PROVINCE).await;
    let admin = app.logged_in("quantri", Role::Admin, "VN").await;
    let api = format!("/api/v1/tips/clusters/{key}/export");

    // Another province's police: the cluster is not theirs to see.
    let (s, v) = elsewhere.get_json(&api).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    vietnamese_error(&v);
    let (s, _, _) = download(&elsewhere, &format!("/tin-bao/cum/{key}/excel")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Not the police: refused.
    for a in [&front, &admin] {
        let (s, v) = a.get_json(&api).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        vietnamese_error(&v);
    }
    // A key that is no cluster's, a format that is none.
    let (s, v) = province
        .get_json(&format!("/api/v1/tips/clusters/{}/export", "0".repeat(64)))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    let (s, v) = province
        .get_json("/api/v1/tips/clusters/khong-phai-khoa/export")
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    let (s, v) = province.get_json(&format!("{api}?format=pdf")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    vietnamese_error(&v);
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'tip_cluster.export'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(n, 0, "nothing was exported");
}
