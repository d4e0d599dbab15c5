//! HTTP tests of issue 12: review titles name the programme that covers the
//! stage (never programme 09 outside 2013 – 2023), the awards paragraph is
//! said by issuer from the register, and every figure says where it came
//! from on the page and in the JSON.

use antq_core::auth::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app;

const CITED: &str = "Chương trình phối hợp số 09/CTr-BCA-MTTW ngày 01/8/2013";

#[tokio::test]
async fn titles_name_the_covering_programme_and_awards_come_from_the_register() {
    let app = spawn_app().await;
    antq_storage::demo::programmes::load(&app.db)
        .await
        .unwrap()
        .expect("loaded");
    let province = app.logged_in("ca.dienbien", Role::Police, "11").await;

    // The 10-year review of Điện Biên (as of 2023).
    let (s, r) = province
        .post_json(
            "/api/v1/reviews",
            json!({"unit": "11", "at": "19/05/2023", "from": "2013", "to": "2023",
                   "owner": "joint", "issue_date": "19/05/2023"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let title = r["header"]["title"].as_str().unwrap();
    assert!(
        title.starts_with(&format!("Tổng kết 10 năm thực hiện {CITED}")),
        "{title}"
    );
    assert!(title.ends_with(", giai đoạn 2013 – 2023"), "{title}");
    assert_eq!(
        r["snapshot"]["programme"]["reference"], "09/CTr-BCA-MTTW",
        "the programme is kept with the review"
    );
    let awards = r["narrative"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["group"] == "khen_thuong")
        .expect("an awards paragraph")["text"]
        .as_str()
        .unwrap()
        .to_string();
    for said in [
        "Chủ tịch UBND tỉnh tặng Bằng khen cho 2 tập thể, 5 cá nhân",
        "Ủy ban MTTQ Việt Nam tỉnh tặng Bằng khen cho 2 tập thể, 10 cá nhân",
        "Công an tỉnh tặng Giấy khen cho 15 tập thể, 22 cá nhân",
        "Nhân dịp này,",
    ] {
        assert!(awards.contains(said), "{said}: {awards}");
    }
    // Where each figure came from, in the JSON (a word, never hidden).
    let year = &r["snapshot"]["by_year"]["kt_giay_khen.ca_nhan"]["2023"];
    assert_eq!(year["value"], 22.0, "{year}");
    assert_eq!(year["source"], "register");
    let id = r["id"].as_i64().unwrap();

    // The page: the awards-by-year table has the 2023 figures, each with
    // its source on hover and for screen readers, never as a code.
    let page = province
        .get(&format!("/bao-cao/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(CITED), "the title on the page");
    assert!(
        page.contains(
            "title=\"Nguồn: sổ theo dõi (khen thưởng, sự kiện)\">22<span class=\"visually-hidden\">"
        ),
        "the 2023 individuals' Giấy khen, from the register"
    );
    assert!(!page.contains(">register<"), "no code on the page");

    // The Excel annex reads back with the new title.
    let xlsx = province
        .get(&format!("/bao-cao/{id}/tai-ve.xlsx"))
        .await
        .bytes()
        .await
        .unwrap();
    {
        use calamine::{Reader, Xlsx};
        let mut wb: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.to_vec())).unwrap();
        let sheet = wb.worksheet_range("Tổng hợp").unwrap();
        let note: Vec<String> = sheet.rows().map(|r| r[0].to_string()).collect();
        // The annex's head: the issuers, "PHỤ LỤC", then the title.
        let title = note.iter().position(|l| l.contains(CITED));
        let annex = note.iter().position(|l| l == "PHỤ LỤC");
        assert!(annex.is_some() && title > annex, "{note:?}");
        assert!(
            note.iter()
                .any(|l| l.starts_with("Số liệu lấy từ sổ theo dõi")),
            "{note:?}"
        );
    }

    // A 2025 review does not claim programme 09; with none chosen it is
    // about the movement.
    let (s, y) = province
        .post_json(
            "/api/v1/reviews",
            json!({"unit": "11", "from": "2025", "to": "2025", "owner": "police"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{y}");
    let t = y["header"]["title"].as_str().unwrap();
    assert!(!t.contains("09/CTr") && !t.contains("số 09"), "{t}");
    let (s, y) = province
        .post_json(
            "/api/v1/reviews",
            json!({"unit": "11", "from": "2025", "to": "2025", "owner": "police", "programme": "none"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{y}");
    assert_eq!(
        y["header"]["title"],
        "Kết quả thực hiện phong trào \u{201C}Toàn dân bảo vệ an ninh Tổ quốc\u{201D} năm 2025"
    );
    assert!(y["snapshot"]["programme"].is_null());

    // The officer may name a programme of their own choosing, but only a
    // national one or their units'.
    let p09 = r["snapshot"]["programme"]["id"].as_i64().unwrap();
    let (s, y) = province
        .post_json(
            "/api/v1/reviews",
            json!({"unit": "11", "from": "2020", "to": "2020", "owner": "police", "programme": p09}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{y}");
    assert!(y["header"]["title"].as_str().unwrap().contains(CITED));
    for bad in [json!("abc"), json!(999_999), json!([1])] {
        let (s, e) = province
            .post_json(
                "/api/v1/reviews",
                json!({"unit": "11", "from": "2020", "owner": "police", "programme": bad}),
            )
            .await;
        assert!(s.is_client_error(), "{bad}: {s} {e}");
        assert!(
            e["error"].as_str().unwrap_or("").contains("hương trình"),
            "{e}"
        );
    }

    // The form offers the programmes by name and "none".
    let list = province.get("/bao-cao").await.text().await.unwrap();
    assert!(list.contains("name=\"programme\""));
    assert!(list.contains(&format!(
        "<option value=\"{p09}\">Chương trình phối hợp số 09/CTr-BCA-MTTW (2013 – 2023)</option>"
    )));
    let res = province
        .post_form(
            "/bao-cao",
            &[
                ("unit", "11"),
                ("from", "2024"),
                ("to", "2024"),
                ("owner", "police"),
                ("programme", "none"),
            ],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
}
