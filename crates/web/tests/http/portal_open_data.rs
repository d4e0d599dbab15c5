//! "Số liệu phong trào" over HTTP, on the demo's statistics: a national
//! administrator chooses what is public (others refused); the public pages
//! show approved figures of public indicators only, never below the allowed
//! level, with their source, and download as CSV and Excel.

use antq_core::auth::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn open_data_shows_only_what_is_public_and_approved() {
    let app = spawn_app().await;
    antq_storage::demo::demo_data::load(&app.db).await.unwrap();
    let national = app.logged_in("qt.tw", Role::Admin, "VN").await;
    let provincial = app.logged_in("qt.db", Role::Admin, "11").await;
    let editor = app.logged_in("bt.tw", Role::Editor, "VN").await;
    let reader = app.agent();

    let choose = json!({"items": [
        {"indicator": "tt_buoi", "lowest_level": "province"},
        {"indicator": "tcqc_so", "lowest_level": "commune"}
    ]});
    for who in [&provincial, &editor] {
        let (s, v) = who
            .send_json(
                reqwest::Method::PUT,
                "/api/v1/open-data/indicators",
                choose.clone(),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        assert_eq!(
            who.get("/quan-tri/so-lieu-cong-khai").await.status(),
            StatusCode::FORBIDDEN
        );
    }
    let (s, v) = national
        .send_json(reqwest::Method::PUT, "/api/v1/open-data/indicators", choose)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["items"].as_array().unwrap().len(), 2);
    let page = national.get("/quan-tri/so-lieu-cong-khai").await;
    assert_eq!(page.status(), StatusCode::OK);

    // Điện Biên: by year; by commune only for the indicator public to communes.
    let res = reader.get("/so-lieu-phong-trao/11").await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Số liệu đã duyệt của Tỉnh Điện Biên"),
        "{html}"
    );
    assert!(html.contains("figures-children-table"));
    assert!(html.contains("<svg"), "a chart");
    // Not public: the tips' indicator.
    assert!(
        !html.contains("Nguồn tin do Nhân dân"),
        "no unpublic indicator"
    );
    // Each approved figure, written the Vietnamese way (4.378).
    let dien_bien = antq_storage::units::by_id(&app.db, app.unit_id("11").await)
        .await
        .unwrap();
    let f = antq_storage::portal::open_data::figures(&app.db, &dien_bien, None)
        .await
        .unwrap();
    assert!(!f.by_year.is_empty());
    for r in &f.by_year {
        let unit = if r.indicator == "tt_buoi" {
            "buổi"
        } else {
            "tổ chức"
        };
        let shown = antq_web::portal::open_data::figure(r.value.unwrap(), unit);
        assert!(html.contains(&format!(">{shown}<")), "{} {shown}", r.period);
    }

    // The nation: by province, linking to each province's page.
    let started = std::time::Instant::now();
    let res = reader.get("/so-lieu-phong-trao?nam=2024").await;
    let status = res.status();
    let html = res.text().await.unwrap();
    assert!(
        html.contains("href=\"/so-lieu-phong-trao/11\""),
        "{status} after {:?}: {}",
        started.elapsed(),
        &html[html.find("<main").unwrap_or(0)..][..600.min(html.len())]
    );

    // Downloads.
    let csv = reader.get("/so-lieu-phong-trao/11?tai-ve=csv").await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = String::from_utf8(csv.bytes().await.unwrap().to_vec()).unwrap();
    assert!(text.contains("Số liệu đã duyệt của Tỉnh Điện Biên"));
    assert!(!text.contains("Nguồn tin do Nhân dân"));
    let xlsx = reader.get("/so-lieu-phong-trao/11?tai-ve=xlsx").await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));

    // Province level only: no commune table (the page kept before is
    // computed again: the choice is audited, so its version moved).
    let (s, _) = national
        .send_json(
            reqwest::Method::PUT,
            "/api/v1/open-data/indicators",
            json!({"items": [{"indicator": "tt_buoi", "lowest_level": "province"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let html = reader
        .get("/so-lieu-phong-trao/11")
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains("figures-children-table"));
    assert!(
        !html.contains("Tổ chức quần chúng bảo vệ ANTT"),
        "tcqc_so no longer public"
    );

    // No page for a commune or an unknown code.
    for path in ["/so-lieu-phong-trao/03325", "/so-lieu-phong-trao/xx"] {
        assert_eq!(
            reader.get(path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let audited: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'open_data.indicators'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(audited, 2);
}
