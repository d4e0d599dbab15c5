//! HTTP tests of issue 12: figures from the registries (where each
//! analytics figure came from, the awards reconciliation API and page).

use antq_core::auth::Role;
use antq_core::dates;
use antq_core::units::UnitCode;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};

/// A decided award of Điện Biên (as it was in 2023) by "Chủ tịch UBND tỉnh":
/// 2 collectives and 5 individuals, one more proposed individual rejected.
async fn seed_award(app: &TestApp) {
    let db = &app.db;
    let unit = antq_storage::units::get_at(
        db,
        &UnitCode::parse("11").unwrap(),
        dates::parse_date("2023-05-19").unwrap(),
    )
    .await
    .unwrap();
    let form: i64 = sqlx::query_scalar(
        "INSERT INTO award_forms (code, name, indicator, position) VALUES ('test_bk', 'Bằng khen', 'kt_bang_khen', 900) RETURNING id",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    let office: i64 = sqlx::query_scalar(
        "INSERT INTO award_offices (code, name, level, body, position) VALUES ('test_ct', 'Chủ tịch UBND tỉnh', 'province', 'ubnd', 900) RETURNING id",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    let award: i64 = sqlx::query_scalar(
        "INSERT INTO awards (form_id, office_id, unit_id, issuer_unit_id, state, year, decided_on, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $3, 'decided', 2023, '2023-05-19', 'test', '2023-05-19', '2023-05-19') RETURNING id",
    )
    .bind(form)
    .bind(office)
    .bind(unit.id)
    .fetch_one(db.pool())
    .await
    .unwrap();
    let recipients = [("tap_the", "accepted"); 2]
        .into_iter()
        .chain([("ca_nhan", "accepted"); 5])
        .chain([("ca_nhan", "rejected")]);
    for (n, (kind, state)) in recipients.enumerate() {
        sqlx::query(
            "INSERT INTO award_recipients (award_id, position, kind, name, state) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(award)
        .bind(n as i64 + 1)
        .bind(kind)
        .bind(format!("Người nhận {n}"))
        .bind(state)
        .execute(db.pool())
        .await
        .unwrap();
    }
}

fn rows(v: &Value) -> &Vec<Value> {
    v["rows"].as_array().unwrap()
}

#[tokio::test]
async fn analytics_say_where_each_figure_came_from_and_the_reconciliation_lists_both() {
    let app = spawn_app().await;
    let province = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    seed_award(&app).await;
    // The province reported 2 + 2 for 2023; its register holds 2 + 5.
    let (s, r) = province
        .send_json(
            Method::PUT,
            "/api/v1/data/antq-nam/11/2023",
            json!({"values": {"kt_bang_khen.tap_the": 2, "kt_bang_khen.ca_nhan": 2, "tt_buoi": 12}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");

    let (s, r) = province
        .get_json("/api/v1/analytics?indicators=kt_bang_khen,tt_buoi&unit=11&from=2023&by=year&approved_only=false")
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let row = |ind: &str| {
        rows(&r)
            .iter()
            .find(|x| x["indicator"] == ind)
            .unwrap()
            .clone()
    };
    let awards = row("kt_bang_khen");
    assert_eq!(
        awards["value"], 7.0,
        "the register's figure, not 4 + 7: {awards}"
    );
    assert_eq!(awards["source"], "both");
    assert_eq!(
        (
            awards["form_value"].as_f64(),
            awards["register_value"].as_f64()
        ),
        (Some(4.0), Some(7.0)),
        "both values of a row of both sources: {awards}"
    );
    assert!(row("tt_buoi").get("form_value").is_none());
    let flags = awards["flags"].as_array().unwrap();
    assert!(
        flags.iter().any(|f| f == "register_differs_from_form"),
        "{flags:?}"
    );
    assert_eq!(row("tt_buoi")["source"], "form");

    // The issuer dimension beside the reported figure.
    let (s, f) = province
        .get_json("/api/v1/figures/awards?unit=11&from=2023&to=2023&approved_only=false")
        .await;
    assert_eq!(s, StatusCode::OK, "{f}");
    let ind = rows(&f)
        .iter()
        .find(|x| x["issuer"] == "Chủ tịch UBND tỉnh" && x["recipient_kind"] == "ca_nhan")
        .unwrap();
    assert_eq!(ind["count"], 5, "the rejected recipient is not counted");
    assert_eq!(ind["reported"], 2.0);
    assert_eq!(ind["source"], "both");
    assert_eq!(ind["differs"], true);
    assert_eq!(ind["year"], 2023);
    assert_eq!(f["unit_name"], "Tỉnh Điện Biên");
    let pair = &f["pairs"][0];
    assert_eq!(
        (pair["unit"].as_str(), pair["year"].as_i64()),
        (Some("11"), Some(2023))
    );
    assert_eq!(
        (pair["register"].as_f64(), pair["reported"].as_f64()),
        (Some(7.0), Some(4.0))
    );

    // Outside one's units: refused; unknown units and missing years: clear errors.
    let (s, _) = commune
        .get_json("/api/v1/figures/awards?unit=11&from=2023")
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = province
        .get_json("/api/v1/figures/awards?unit=99999&from=2023")
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, e) = province.get_json("/api/v1/figures/awards?unit=11").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");

    // The page: Vietnamese, the unit by name, the difference in words.
    let res = province
        .get("/phan-tich/doi-chieu-khen-thuong?unit=11&from=2023&to=2023")
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    for words in [
        "Đối chiếu khen thưởng",
        "Tỉnh Điện Biên",
        "Chủ tịch UBND tỉnh",
        "Theo sổ khen thưởng",
        "cá nhân",
    ] {
        assert!(html.contains(words), "{words} missing");
    }
    assert!(
        !html.contains("ca_nhan") && !html.contains("tap_the"),
        "no codes on the page"
    );
    // Approved reports only by default above a commune: the draft is not
    // counted, so the register stands alone.
    assert!(html.contains("Chỉ có trong sổ"));
    // With the draft counted, both are listed and the difference is said in words.
    let res = province
        .get("/phan-tich/doi-chieu-khen-thuong?unit=Điện Biên&from=2023&to=2023&approved_only=0")
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Sổ và biểu khác nhau, chênh lệch 3"),
        "{html}"
    );
    assert!(html.contains("cả hai (dùng số của sổ)"));
    assert!(
        html.contains("id=\"figures-pairs\""),
        "the unit and year with both are listed"
    );
    let res = commune
        .get("/phan-tich/doi-chieu-khen-thuong?unit=11&from=2023&to=2023")
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("Đối chiếu khen thưởng"));

    // The analytics page says the source of each figure, and links to the reconciliation.
    let res = province
        .get("/phan-tich?i=kt_bang_khen&unit=11&unit_pick=11&from=2023&to=2023&approved_only=0")
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Nguồn: cả hai (dùng số của sổ)"), "{html}");
    assert!(
        html.contains(r#"<small class="figure-sides" aria-hidden="true">biểu báo cáo 4 · sổ theo dõi 7</small>"#),
        "the two differing figures are shown under the figure: {html}"
    );
    assert!(html.contains("/phan-tich/doi-chieu-khen-thuong?unit=11&amp;from=2023&amp;to=2023&amp;approved_only=0&amp;map=current"));
    assert!(html.contains("số theo sổ khác số báo cáo trong biểu"));

    // Asked by quarter, a yearly report's figure stays in the year's row,
    // and the page says why in words.
    let res = province
        .get("/phan-tich?i=tt_buoi&unit=11&unit_pick=11&from=2023&to=2023&approved_only=0&by=quarter")
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("gồm số liệu của báo cáo theo kỳ dài hơn kỳ đã chọn (không chia nhỏ được), ghi cho cả năm"),
        "{html}"
    );
    assert!(
        !html.contains("period_not_broken_down"),
        "no codes on the page"
    );
}
