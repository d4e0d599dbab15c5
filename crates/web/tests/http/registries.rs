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
