//! The registries' landing page and the figures computed from the registers.

use antq_core::auth::Role;
use reqwest::StatusCode;

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_landing_page_leads_to_the_four_registers() {
    let app = spawn_app().await;
    let officer = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let page = officer.get("/so-theo-doi").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    for (href, name) in [
        ("/mo-hinh", "Mô hình, điển hình tiên tiến"),
        ("/to-chuc-quan-chung", "Tổ chức quần chúng, tổ bảo vệ ANTT"),
        ("/an-toan-antt", "An toàn về an ninh, trật tự"),
        ("/phan-loai-phong-trao", "Phân loại phong trào"),
    ] {
        assert!(
            html.contains(&format!("<a href=\"{href}\">{name}</a>")),
            "{href} in {html}"
        );
    }
    // Only for those who have logged in.
    let anonymous = app.agent().get("/so-theo-doi").await;
    assert_ne!(anonymous.status(), StatusCode::OK);
}

/// The demo's Điện Biên over 2013 – 2023: the analytics contract gives the
/// figures computed from the registers with their source, and the
/// analytics page opens each to the records behind it.
#[tokio::test]
async fn register_figures_in_analytics_open_to_their_records() {
    let app = spawn_app().await;
    antq_storage::demo::load(&app.db, Some(crate::helpers::PASSWORD))
        .await
        .unwrap();
    let officer = app.logged_in("ca.dienbien.kt", Role::Police, "11").await;
    let (s, body) = officer
        .get_json(
            "/api/v1/analytics?indicators=mh_moi,mh_nhan_rong,mh_hien_co,tcqc_so,mh_loai_so\
             &unit=11&at=2023-06-30&from=2013&to=2023&map=historical",
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let rows = body["rows"].as_array().expect("rows");
    let row = |code: &str| {
        rows.iter()
            .find(|r| r["indicator"] == code && r["period"] == "2013..2023")
            .unwrap_or_else(|| panic!("{code} in {body}"))
            .clone()
    };
    for (code, value, source) in [
        ("mh_moi", 15.0, "both"),
        ("mh_nhan_rong", 30.0, "both"),
        ("mh_hien_co", 120.0, "both"),
        ("tcqc_so", 4378.0, "both"),
        ("mh_loai_so", 44.0, "register"),
    ] {
        let r = row(code);
        assert_eq!(r["value"].as_f64(), Some(value), "{code}: {r}");
        assert_eq!(r["source"], source, "{code}: {r}");
    }
    let page = officer
        .get("/phan-tich?i=mh_moi&i=mh_loai_so&i=tcqc_so&unit=11&at=2023-06-30&from=2013&to=2023&by=year&map=historical")
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    for href in [
        "/mo-hinh?unit=11&#38;from=2023&#38;to=2023&#38;count=moi",
        "/mo-hinh?unit=11&#38;from=2023&#38;to=2023&#38;count=loai",
        "/to-chuc-quan-chung?unit=11&#38;at=2023-12-14&#38;mass_org=1",
    ] {
        assert!(html.contains(href), "{href} in {html}");
    }
}

/// The demo's Điện Biên in 2024: the analytics contract gives the
/// recognition and classification figures from the registers, and the
/// analytics page opens them to the recognitions and classifications lists.
#[tokio::test]
async fn assessment_figures_come_from_the_registers() {
    let app = spawn_app().await;
    antq_storage::demo::load(&app.db, Some(crate::helpers::PASSWORD))
        .await
        .unwrap();
    let officer = app.logged_in("ca.dienbien.pl", Role::Police, "11").await;
    let (s, body) = officer
        .get_json(
            "/api/v1/analytics?indicators=atan_cong_nhan,atan_ty_le,pl_kha\
             &unit=11&at=2024-06-30&from=2024&to=2024&map=historical",
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let rows = body["rows"].as_array().expect("rows");
    for code in ["atan_cong_nhan", "atan_ty_le", "pl_kha"] {
        let r = rows
            .iter()
            .find(|r| r["indicator"] == code)
            .unwrap_or_else(|| panic!("{code} in {body}"));
        assert_eq!(r["source"], "register", "{code}: {r}");
        assert!(r["value"].as_f64().is_some_and(|v| v > 0.0), "{code}: {r}");
    }
    let page = officer
        .get("/phan-tich?i=atan_cong_nhan&i=pl_kha&unit=11&at=2024-06-30&from=2024&to=2024&by=year&map=historical")
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    for href in [
        "/an-toan-antt?unit=11&#38;unit_pick=11&#38;year=2024&#38;state=recognised",
        "/phan-loai-phong-trao?unit=11&#38;unit_pick=11&#38;year=2024&#38;band=kha",
    ] {
        assert!(html.contains(href), "{href} in {html}");
    }
    let list = officer
        .get("/an-toan-antt?unit=11&unit_pick=11&year=2024&state=recognised")
        .await;
    assert_eq!(list.status(), StatusCode::OK);
    let html = list.text().await.unwrap();
    assert!(
        html.contains("<option value=\"recognised\" selected>"),
        "{html}"
    );
}

/// Every register's import page is one page with the register's words and
/// links: its form, its template where it has one, the way back; a file
/// that is not a workbook is refused with 422 and the reason, in the page.
#[tokio::test]
async fn every_register_has_its_import_page() {
    let app = spawn_app().await;
    let police = app.logged_in("ca.dienbien", Role::Police, "11").await;
    for (page, id, title, back, template) in [
        (
            "/mo-hinh/nhap",
            "model",
            "Nhập sổ mô hình từ Excel",
            "/mo-hinh",
            Some("/mo-hinh/mau.xlsx"),
        ),
        (
            "/to-chuc-quan-chung/nhap",
            "team",
            "Nhập sổ tổ chức quần chúng từ Excel",
            "/to-chuc-quan-chung",
            Some("/to-chuc-quan-chung/mau.xlsx"),
        ),
        (
            "/an-toan-antt/nhap",
            "rec",
            "Nhập sổ An toàn về ANTT từ tệp",
            "/an-toan-antt",
            Some("/an-toan-antt/mau.xlsx"),
        ),
        (
            "/phan-loai-phong-trao/nhap",
            "cls",
            "Nhập điểm tự chấm từ Excel",
            "/phan-loai-phong-trao",
            None,
        ),
        (
            "/khen-thuong/nhap",
            "award",
            "Nhập sổ khen thưởng từ Excel",
            "/khen-thuong",
            None,
        ),
    ] {
        let res = police.get(page).await;
        assert_eq!(res.status(), StatusCode::OK, "{page}");
        let html = res.text().await.unwrap();
        assert!(
            html.contains(&format!("<h1>{title}</h1>")),
            "{page}: {html}"
        );
        assert!(html.contains(&format!("action=\"{page}\"")), "{page}");
        assert!(html.contains(&format!("<a href=\"{back}\">")), "{page}");
        assert!(!html.contains("⟨?⟩"), "{page}: a word is missing");
        match template {
            Some(t) => {
                assert!(
                    html.contains(&format!("<a href=\"{t}\" download")),
                    "{page}"
                );
                let file = police.get(t).await;
                assert_eq!(file.status(), StatusCode::OK, "{t}");
                assert!(file.bytes().await.unwrap().starts_with(b"PK"), "{t}");
            }
            None => assert!(!html.contains("download id="), "{page}"),
        }

        let (ct, body) = crate::helpers::multipart_form(&[], &[("file", b"not a workbook")]);
        let refused = police.post_raw(page, &ct, body).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{page}");
        let html = refused.text().await.unwrap();
        assert!(
            html.contains(&format!("role=\"alert\" id=\"{id}-import-errors\"")),
            "{page}: {html}"
        );
        assert!(
            !html.contains(&format!("id=\"{id}-import-done\"")),
            "{page}"
        );
        assert!(html.contains(&format!("<h1>{title}</h1>")), "{page}");
    }

    // The safety register also takes CSV: by its header, cell by cell.
    let mut row: Vec<String> = vec![String::new(); 10];
    row[0] = "hai nghìn".into();
    let write_csv = antq_storage::registries::recognitions::write_csv;
    for (file, said) in [
        (
            write_csv(&[row]),
            "Sổ An toàn về ANTT, ô A2: năm “hai nghìn” không hợp lệ",
        ),
        (
            b"Nam,Ma don vi\n2024,11\n".to_vec(),
            "Dòng đầu của tệp CSV phải là tiêu đề của sổ",
        ),
        (
            [&write_csv(&[])[..], b",,,,,,,,,\n,,,,,,,,,\n"].concat(),
            "Tệp không có dòng nào để nhập (mọi dòng đều trống)",
        ),
        (
            // The register's ten columns, two of them swapped.
            String::from_utf8(write_csv(&[]))
                .unwrap()
                .replacen("Năm,Mã đơn vị", "Mã đơn vị,Năm", 1)
                .into_bytes(),
            "Dòng đầu của tệp CSV phải là tiêu đề của sổ",
        ),
        (
            "Năm;Mã đơn vị;Loại đối tượng\n2024;11;Xã\n"
                .as_bytes()
                .to_vec(),
            "các cột cách nhau bằng dấu chấm phẩy",
        ),
    ] {
        let (ct, body) = crate::helpers::multipart_form(&[], &[("file", &file)]);
        let res = police.post_raw("/an-toan-antt/nhap", &ct, body).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{said}");
        let html = res.text().await.unwrap();
        assert!(html.contains(said), "{html}");
    }
}
