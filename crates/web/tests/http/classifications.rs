//! The classifications register over HTTP: the API contract of
//! `/api/v1/classifications` (list, sheet, scores, submit, review, decide,
//! summary) and `/api/v1/score-templates`; refusals in Vietnamese (422),
//! 403 for a level not above, 404 outside one's units; the pages (list
//! with band counts and the late, the sheet, the printable sheet in the
//! Nghị định 30 layout, the new sheet, templates and rules) and the Excel
//! list out and self-scores in. (Owned by the classifications work of issue 13.)

use antq_core::auth::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::spawn_app;

/// Every scored item at `share` percent of its maximum (points as numbers).
fn scores(sheet: &Value, share: f64) -> Value {
    let items: Vec<Value> = sheet["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["scored"] == json!(true))
        .map(|i| {
            let max = i["max_points"].as_f64().unwrap();
            json!({"item_id": i["id"], "points": (max * share * 10.0).floor() / 10.0, "evidence": "Biên bản họp"})
        })
        .collect();
    json!({ "scores": items })
}

fn multipart(bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----antqclsboundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"diem.xlsx\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn a_commune_scores_itself_the_province_reviews_and_the_band_follows_the_thresholds() {
    let app = spawn_app().await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let police = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let viewer = app.logged_in("xem.dienbien", Role::Viewer, "11").await;
    let other = app.logged_in("ca.dongthap", Role::Police, "82").await;
    let admin = app.logged_in("quantri", Role::Admin, "VN").await;

    let (s, t) = police.get_json("/api/v1/score-templates").await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(t["total"], 3);
    assert_eq!(t["thresholds"]["xuat_sac"], 90);
    assert_eq!(t["deadlines"]["khu_dan_cu"], "20/11");

    let (s, e) = commune
        .post_json(
            "/api/v1/classifications",
            json!({"year": 2024, "unit": "03325", "kind": "huyen"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(
        e["error"].as_str().unwrap().contains("đối tượng phân loại"),
        "{e}"
    );
    let (s, sheet) = commune
        .post_json(
            "/api/v1/classifications",
            json!({"year": 2024, "unit": "03325", "kind": "xa"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{sheet}");
    for key in [
        "id",
        "year",
        "unit",
        "unit_name",
        "kind",
        "kind_name",
        "subject",
        "state",
        "self_points",
        "reviewed_points",
        "band",
        "band_name",
        "items",
    ] {
        assert!(sheet.get(key).is_some(), "{key} in {sheet}");
    }
    assert_eq!(sheet["kind"], "xa");
    assert_eq!(sheet["state"], "draft");
    let id = sheet["id"].as_i64().unwrap();

    // More than an item's maximum: refused in Vietnamese.
    let first = sheet["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["scored"] == json!(true))
        .unwrap()
        .clone();
    let (s, e) = commune
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/classifications/{id}/scores"),
            json!({"scores": [{"item_id": first["id"], "points": first["max_points"].as_f64().unwrap() + 0.5}]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(
        e["error"].as_str().unwrap().contains("vượt điểm chuẩn"),
        "{e}"
    );
    let (s, e) = commune
        .post_json(&format!("/api/v1/classifications/{id}/submit"), json!({}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");

    let (s, scored) = commune
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/classifications/{id}/scores"),
            scores(&sheet, 0.95),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{scored}");
    let own = scored["self_points"].as_f64().unwrap();
    assert!(own > 94.0 && own <= 95.0, "{own}");
    let (s, sent) = commune
        .post_json(&format!("/api/v1/classifications/{id}/submit"), json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{sent}");
    assert_eq!(sent["state"], "submitted");

    // The commune does not review itself; outside one's units: as if missing.
    let (s, _) = commune
        .post_json(&format!("/api/v1/classifications/{id}/decide"), json!({}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = other
        .get_json(&format!("/api/v1/classifications/{id}"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = other
        .post_json(&format!("/api/v1/classifications/{id}/decide"), json!({}))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = other
        .get_json("/api/v1/classifications?unit=11&year=2024")
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // A changed score without a reason: refused; with one: kept.
    let change =
        |reason: &str| json!({"scores": [{"item_id": first["id"], "points": 0, "reason": reason}]});
    let (s, e) = police
        .post_json(&format!("/api/v1/classifications/{id}/review"), change(""))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"].as_str().unwrap().contains("lý do"), "{e}");
    let (s, r) = police
        .post_json(
            &format!("/api/v1/classifications/{id}/review"),
            change("Chưa có nghị quyết"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let reviewed = r["reviewed_points"].as_f64().unwrap();
    assert!(reviewed < own);

    // Thresholds at the reviewed total: Xuất sắc; one tenth above: Khá.
    let at = |x: f64| {
        let t = (x * 10.0).round() as i64;
        if t % 10 == 0 {
            format!("{}", t / 10)
        } else {
            format!("{},{}", t / 10, t % 10)
        }
    };
    let res = admin
        .post_form(
            "/phan-loai-phong-trao/mau/quy-dinh",
            &[
                ("xuat_sac", &at(reviewed + 0.1)),
                ("kha", "70"),
                ("trung_binh", "50"),
                ("khu_dan_cu", "20/11"),
                ("xa", "30/11"),
                ("co_quan", "30/11"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (s, d) = police
        .post_json(&format!("/api/v1/classifications/{id}/decide"), json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["state"], "decided");
    assert_eq!(d["band"], "kha", "{d}");
    assert_eq!(d["band_name"], "Khá");
    let (s, _) = police
        .post_json(&format!("/api/v1/classifications/{id}/decide"), json!({}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);

    // The list and the summary.
    let (s, list) = viewer
        .get_json("/api/v1/classifications?unit=11&year=2024")
        .await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["unit"], "03325");
    assert_eq!(list["items"][0]["band"], "kha");
    let (s, sum) = viewer
        .get_json("/api/v1/classifications/summary?unit=11&year=2024")
        .await;
    assert_eq!(s, StatusCode::OK, "{sum}");
    assert_eq!(sum["kinds"][1]["kind"], "xa");
    assert_eq!(sum["kinds"][1]["kha"], 1);
    assert!(
        !sum["late"].as_array().unwrap().is_empty(),
        "other communes are late"
    );
    let (s, e) = viewer
        .get_json("/api/v1/classifications/summary?unit=11")
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, e) = viewer
        .get_json("/api/v1/classifications?unit=11&year=1800")
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");

    // The pages.
    let page = viewer
        .get("/phan-loai-phong-trao?unit=11&unit_pick=11&year=2024")
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    for w in [
        "Xuất sắc",
        "Khá",
        "Trung bình",
        "Yếu",
        "Chưa hoàn thành đúng hạn",
        "Mường Phăng",
    ] {
        assert!(html.contains(w), "{w}");
    }
    assert!(!html.contains("xuat_sac") || html.contains("value=\"xuat_sac\""));
    let html = viewer
        .get(&format!("/phan-loai-phong-trao/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Chưa có nghị quyết"));
    assert!(html.contains(&at(reviewed)), "points shown as 9,5");
    let print = viewer.get(&format!("/phan-loai-phong-trao/{id}/in")).await;
    assert_eq!(print.status(), StatusCode::OK);
    let html = print.text().await.unwrap();
    for w in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BẢNG CHẤM ĐIỂM ĐÁNH GIÁ, PHÂN LOẠI PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC NĂM 2024",
        "Điểm chuẩn",
        "Điểm tự chấm",
        "Điểm cấp trên chấm",
        "Xếp loại: <strong>Khá</strong>",
        "ngày ",
    ] {
        assert!(html.contains(w), "{w} in {html}");
    }
    assert_eq!(
        other
            .get(&format!("/phan-loai-phong-trao/{id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other
            .get(&format!("/phan-loai-phong-trao/{id}/in"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let html = viewer
        .get("/phan-loai-phong-trao/mau")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("minh họa"));
    let xlsx = viewer
        .get("/phan-loai-phong-trao/xuat?unit=11&year=2024")
        .await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
}

#[tokio::test]
async fn a_sheet_opened_by_name_and_self_scores_imported_all_or_nothing() {
    let app = spawn_app().await;
    let police = app.logged_in("ca.dienbien", Role::Police, "11").await;

    // The new page: pick the unit, then the subject (without JavaScript).
    let html = police
        .get("/phan-loai-phong-trao/moi?unit=M%C6%B0%E1%BB%9Dng%20Ph%C4%83ng&unit_pick=03325&year=2025")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("value=\"xa\""), "{html}");
    let res = police
        .post_form(
            "/phan-loai-phong-trao/moi",
            &[
                ("unit", "Mường Phăng"),
                ("unit_pick", "03325"),
                ("year", "2025"),
                ("subject", "xa"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    let id: i64 = to.rsplit('/').next().unwrap().parse().unwrap();
    let (_, sheet) = police
        .get_json(&format!("/api/v1/classifications/{id}"))
        .await;
    assert_eq!(sheet["year"], 2025);
    assert_eq!(sheet["may_score"], true);

    // The template for the import lists the draft sheet item by item.
    let tpl = police
        .get("/phan-loai-phong-trao/mau-nhap?unit=11&year=2025")
        .await;
    assert_eq!(tpl.status(), StatusCode::OK);
    assert!(tpl.bytes().await.unwrap().starts_with(b"PK"));

    let items: Vec<(i64, f64)> = sheet["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["scored"] == json!(true))
        .map(|i| (i["id"].as_i64().unwrap(), i["max_points"].as_f64().unwrap()))
        .collect();
    let file = |points: &dyn Fn(usize, f64) -> f64| {
        antq_office::xlsx::write_template(&antq_office::xlsx::Template {
            title: "Điểm tự chấm".into(),
            form: "phan_loai_phong_trao".into(),
            period: "2025".into(),
            parent: "11".into(),
            columns: vec![
                ("phieu".into(), "Số phiếu".into()),
                ("muc".into(), "Mã mục".into()),
                ("diem".into(), "Điểm tự chấm".into()),
                ("minh_chung".into(), "Minh chứng".into()),
            ],
            rows: items
                .iter()
                .enumerate()
                .map(|(n, (item, max))| {
                    (
                        "03325".to_string(),
                        format!("mục {n}"),
                        vec![
                            Some(id as f64),
                            Some(*item as f64),
                            Some(points(n, *max)),
                            None,
                        ],
                    )
                })
                .collect(),
        })
        .unwrap()
    };
    let bad = file(&|n, max| if n == 1 { max + 5.0 } else { max });
    let (ct, body) = multipart(&bad);
    let res = police
        .client
        .post(police.url("/phan-loai-phong-trao/nhap"))
        .header("Content-Type", ct)
        .header("X-CSRF-Token", police.csrf.clone().unwrap_or_default())
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Biểu 01, ô E7: "), "{page}");
    assert!(page.contains("vượt điểm chuẩn"), "{page}");
    let (_, after) = police
        .get_json(&format!("/api/v1/classifications/{id}"))
        .await;
    assert_eq!(after["self_points"], Value::Null, "nothing written");

    let good = file(&|_, max| max);
    let n = antq_web::registries::classifications::excel::import(&app.db, None, &good, false)
        .await
        .unwrap();
    assert_eq!(n, 1);
    let (_, after) = police
        .get_json(&format!("/api/v1/classifications/{id}"))
        .await;
    assert_eq!(after["self_points"], 100, "{after}");
}
