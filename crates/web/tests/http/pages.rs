//! The pages, as a browser without JavaScript sees them.

use antq_core::auth::Role;
use reqwest::StatusCode;

use crate::helpers::{spawn_app, PASSWORD};

#[tokio::test]
async fn public_pages_are_vietnamese_with_an_english_switch() {
    let app = spawn_app().await;
    let a = app.agent();
    let res = a.get("/").await;
    assert_eq!(res.status(), StatusCode::OK);
    let csp = res
        .headers()
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("default-src 'self'"));
    let html = res.text().await.unwrap();
    assert!(html.contains("lang=\"vi\""));
    assert!(html.contains("Toàn dân bảo vệ an ninh Tổ quốc"));
    assert!(html.contains("Đăng nhập"));

    let res = a.get("/ngon-ngu?lang=en&next=/don-vi").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers().get("location").unwrap(), "/don-vi");
    let html = a.get("/don-vi").await.text().await.unwrap();
    assert!(html.contains("lang=\"en\""));
    assert!(html.contains("Administrative units"));
    // An outside address is never followed.
    let res = a.get("/ngon-ngu?lang=vi&next=//evil.example").await;
    assert_eq!(res.headers().get("location").unwrap(), "/");
}

#[tokio::test]
async fn the_unit_browser_finds_units_without_accents() {
    let app = spawn_app().await;
    let a = app.agent();
    let html = a
        .get("/don-vi?q=dien+bien&level=province&at=2026-01-01")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Tỉnh Điện Biên"));
    assert!(!html.contains("Tỉnh Đồng Tháp"));
    // The htmx partial alone.
    let part = a
        .get("/don-vi/tim?q=MUONG+PHANG&at=2026-01-01")
        .await
        .text()
        .await
        .unwrap();
    assert!(part.contains("Xã Mường Phăng"));
    assert!(!part.contains("<html"));
    // The tree at a date: provinces of 2020, then districts of one.
    let html = a.get("/don-vi?at=2020-01-01").await.text().await.unwrap();
    assert!(html.contains("Tỉnh Tiền Giang"));
    assert!(html.contains("63 ") || html.matches("/don-vi/").count() >= 63);
    let html = a
        .get("/don-vi?parent=11&at=2020-01-01")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Thành phố Điện Biên Phủ"));
    assert!(html.contains("Huyện Mường Nhé"));
    // Dates are shown the Vietnamese way.
    assert!(html.contains("01/01/2020"));
}

#[tokio::test]
async fn a_unit_page_shows_its_lineage() {
    let app = spawn_app().await;
    let a = app.agent();
    let res = a.get("/don-vi/82?at=2026-01-01").await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Tỉnh Đồng Tháp"));
    assert!(html.contains("Tỉnh Tiền Giang"));
    assert!(html.contains("01/07/2025"));
    let html = a
        .get("/don-vi/82?at=2020-01-01")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("<h1 id=\"unit-name\">Tỉnh Tiền Giang</h1>"));
    let res = a.get("/don-vi/99999").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.unwrap().contains("Không tìm thấy"));
}

#[tokio::test]
async fn logging_in_with_the_form_and_registering_an_area() {
    let app = spawn_app().await;
    app.user("ca.form", Role::Police, "03325").await;
    let mut a = app.agent();
    // A protected page sends to the login page and back.
    let res = a.get("/tai-khoan/ma-truy-cap").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        res.headers().get("location").unwrap(),
        "/dang-nhap?next=/tai-khoan/ma-truy-cap"
    );
    let res = a
        .post_form(
            "/dang-nhap",
            &[
                ("username", "ca.form"),
                ("password", "sai rồi sai rồi"),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(res.text().await.unwrap().contains("không đúng"));
    let res = a
        .post_form(
            "/dang-nhap",
            &[
                ("username", "ca.form"),
                ("password", PASSWORD),
                ("next", "/don-vi/03325"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers().get("location").unwrap(), "/don-vi/03325");
    assert!(res
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|c| c.to_str().unwrap().starts_with("antq_device=")));
    let html = a.get("/don-vi/03325").await.text().await.unwrap();
    assert!(html.contains("Đăng ký khu dân cư"));
    let csrf = html
        .split("name=\"csrf-token\" content=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    a.csrf = Some(csrf);
    // A form without the CSRF token is refused.
    let res = a
        .client
        .post(a.url("/don-vi/03325/khu-dan-cu"))
        .form(&[("kind", "Bản"), ("name", "Bản Mới")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = a
        .post_form(
            "/don-vi/03325/khu-dan-cu",
            &[("kind", "Bản"), ("name", "Bản Mới")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = a.get("/don-vi/03325").await.text().await.unwrap();
    assert!(html.contains("Bản · Bản Mới"));
    assert!(html.contains("Đã tạo."));
    // Another commune's page shows no areas and no form.
    let html = a.get("/don-vi/03127").await.text().await.unwrap();
    assert!(!html.contains("Đăng ký khu dân cư"));
    assert!(html.contains("ngoài phạm vi"));
    // Logging out.
    let res = a.post_form("/dang-xuat", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = a.get("/tai-khoan/ma-truy-cap").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn admin_pages_for_users_lineage_and_audit() {
    let app = spawn_app().await;
    let mut a = app.agent();
    app.user("qt.trunguong", Role::Admin, "VN").await;
    let res = a
        .post_form(
            "/dang-nhap",
            &[("username", "qt.trunguong"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = a.get("/quan-tri/nguoi-dung").await.text().await.unwrap();
    assert!(html.contains("qt.trunguong"));
    let csrf = html
        .split("name=\"csrf-token\" content=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    a.csrf = Some(csrf);
    let res = a
        .post_form(
            "/quan-tri/nguoi-dung",
            &[
                ("username", "mt.moi"),
                ("display_name", "Cán bộ Mặt trận"),
                ("password", "một mật khẩu rất dài"),
                ("role", "front"),
                ("unit", "11"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res
        .headers()
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let html = a.get(&to).await.text().await.unwrap();
    assert!(html.contains("Cán bộ Mặt trận") && html.contains("Tỉnh Điện Biên"));
    let html = a
        .get("/quan-tri/ke-thua?code=82&at=2026-01-01")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Tỉnh Tiền Giang") && html.contains("Tỉnh Đồng Tháp"));
    let html = a
        .get("/quan-tri/nhat-ky?action=T%E1%BA%A1o+ng%C6%B0%E1%BB%9Di+d%C3%B9ng")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("<td>Tạo người dùng</td>") && !html.contains("user.create"));
    assert!(html.contains("mt.moi"));
    // An officer without an admin grant is refused.
    let b = app.agent();
    app.user("ca.thuong", Role::Police, "11").await;
    b.post_form(
        "/dang-nhap",
        &[("username", "ca.thuong"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(
        b.get("/quan-tri/nhat-ky").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        b.get("/quan-tri/nguoi-dung").await.status(),
        StatusCode::FORBIDDEN
    );
}

/// The CSP (`script-src 'self'`) blocks inline handlers and scripts, so a
/// template that has one ships a dead button: none may.
#[test]
fn no_template_has_an_inline_handler_or_script() {
    fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (n, line) in text.lines().enumerate() {
                let lower = line.to_ascii_lowercase();
                let handler = lower.split_whitespace().any(|w| {
                    w.starts_with("on")
                        && w[2..].split('=').next().is_some_and(|name| {
                            !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase())
                        })
                        && w.contains('=')
                });
                let inline_script = lower.contains("<script") && !lower.contains(" src=");
                if handler || inline_script {
                    found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
    }
    let templates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut found = Vec::new();
    walk(&templates, &mut found);
    assert!(found.is_empty(), "inline handlers or scripts: {found:#?}");
}
