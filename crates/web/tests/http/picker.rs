//! Units picked by name (the picker's options, names resolved without
//! JavaScript, ambiguity), the error pages, the create-user form that
//! keeps what was typed, and the pivot's total row and people's Excel.

use antq_core::auth::Role;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};

use crate::helpers::*;

/// The `<li role="option">` items of a picker fragment: (name, context, code).
fn options(html: &str) -> Vec<(String, String, String)> {
    let attr = |li: &str, name: &str| {
        let key = format!("{name}=\"");
        li.find(&key)
            .map(|i| {
                let rest = &li[i + key.len()..];
                rest[..rest.find('"').unwrap()].to_string()
            })
            .unwrap_or_default()
    };
    html.split("<li ")
        .skip(1)
        .filter(|li| li.contains("data-code"))
        .map(|li| {
            (
                attr(li, "data-name"),
                attr(li, "data-context"),
                attr(li, "data-code"),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_picker_finds_units_by_name_without_accents_with_their_province() {
    let app = spawn_app().await;
    let a = app.agent();
    let res = a.get("/don-vi/chon?q=chau%20thanh&id=unit").await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    let opts = options(&html);
    let communes: Vec<_> = opts.iter().filter(|o| o.0 == "Xã Châu Thành").collect();
    assert!(communes.len() >= 5, "{opts:?}");
    let provinces: std::collections::HashSet<&str> =
        communes.iter().map(|o| o.1.as_str()).collect();
    assert_eq!(
        provinces.len(),
        communes.len(),
        "each one told apart: {communes:?}"
    );
    assert!(provinces.contains("Tỉnh Tây Ninh"), "{provinces:?}");
    assert!(html.contains("role=\"option\""));
    assert!(html.contains("id=\"unit-opt-1\""));
    // A province first when typing its name; a code finds its unit.
    let html = a
        .get("/don-vi/chon?q=dien%20bien")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(options(&html)[0].0, "Tỉnh Điện Biên", "{html}");
    let html = a.get("/don-vi/chon?q=11").await.text().await.unwrap();
    assert!(options(&html).iter().any(|o| o.2 == "11"), "{html}");
    // Nothing found says so; a text over the limit is refused.
    let html = a.get("/don-vi/chon?q=zzzzqq").await.text().await.unwrap();
    assert!(html.contains("Không tìm thấy đơn vị nào"), "{html}");
    let long = "a".repeat(300);
    let res = a.get(&format!("/don-vi/chon?q={long}")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_unit_typed_by_name_is_resolved_and_a_shared_name_lists_the_candidates() {
    let app = spawn_app().await;
    let a = app.logged_in("ca.pick", Role::Police, "VN").await;
    // Without JavaScript: the name alone, any accents.
    let res = a
        .get("/phan-tich?i=tt_buoi&unit=t%E1%BB%89nh%20di%E1%BB%87n%20bi%C3%AAn&from=2013&to=2014")
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("id=\"pivot-heading\">Tỉnh Điện Biên"),
        "{html}"
    );
    // The picker then shows the unit resolved.
    assert!(html.contains("name=\"unit_pick\" value=\"11\""), "{html}");
    // The code the picker kept wins while the text still names its unit.
    let res = a
        .get("/phan-tich?i=tt_buoi&unit=X%C3%A3%20Ch%C3%A2u%20Th%C3%A0nh&unit_pick=28519&from=2026")
        .await;
    let html = res.text().await.unwrap();
    assert!(
        html.contains("id=\"pivot-heading\">Xã Châu Thành"),
        "{html}"
    );
    assert!(html.contains("Tỉnh Đồng Tháp"), "{html}");
    // A name five units share: 422, each candidate with its province.
    let res = a.get("/phan-tich?i=tt_buoi&unit=xa%20chau%20thanh").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Có 5 đơn vị tên &#34;Xã Châu Thành&#34;"),
        "{html}"
    );
    for p in [
        "Tỉnh Tây Ninh",
        "Tỉnh Đồng Tháp",
        "Tỉnh An Giang",
        "Tỉnh Vĩnh Long",
    ] {
        assert!(
            html.contains(&format!("Xã Châu Thành ({p}, mã")),
            "{p}: {html}"
        );
    }
    // What was typed stays in the field.
    assert!(html.contains("value=\"xa chau thanh\""), "{html}");
    // A name that matches nothing.
    let res = a.get("/phan-tich?i=tt_buoi&unit=Xã%20Không%20Có").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Không tìm thấy đơn vị nào tên"));
    // A review by name, posted without JavaScript.
    let res = a
        .post_form(
            "/bao-cao",
            &[
                ("unit", "Tỉnh Điện Biên"),
                ("from", "2013"),
                ("to", "2014"),
                ("owner", "joint"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/bao-cao/"), "{to}");
    let html = a.get(&to).await.text().await.unwrap();
    assert!(html.contains("Điện Biên"), "{html}");
    // A half-year review is chosen in words, never by typing "2026S1".
    let res = a
        .post_form(
            "/bao-cao",
            &[
                ("unit", "Tỉnh Điện Biên"),
                ("from", "2026"),
                ("to", "2030"),
                ("half", "1"),
                ("owner", "joint"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/bao-cao/"), "{to}");
    let html = a.get(&to).await.text().await.unwrap();
    assert!(html.contains("6 tháng đầu năm 2026"), "{html}");
    assert!(!html.contains("2026S1"), "{html}");
}

/// A page error in the layout: navigation, a way home, Vietnamese.
async fn in_layout(res: reqwest::Response, status: StatusCode) -> String {
    assert_eq!(res.status(), status);
    let ct = res.headers()[CONTENT_TYPE].to_str().unwrap().to_string();
    assert!(ct.starts_with("text/html"), "{ct}");
    let html = res.text().await.unwrap();
    assert!(html.contains("class=\"topbar\""), "{html}");
    assert!(html.contains("Về trang chủ"), "{html}");
    assert!(html.contains("<html lang=\"vi\""), "{html}");
    html
}

#[tokio::test]
async fn every_error_status_is_a_page_in_the_layout_and_json_under_the_api() {
    let app = spawn_app().await;
    let a = app.logged_in("ca.loi2", Role::Police, "11").await;
    in_layout(a.get("/khong-co").await, StatusCode::NOT_FOUND).await;
    in_layout(a.get("/static/nope.js").await, StatusCode::NOT_FOUND).await;
    let html = in_layout(a.get("/bao-cao/abc").await, StatusCode::BAD_REQUEST).await;
    assert!(html.contains("Yêu cầu không hợp lệ"));
    assert!(!html.contains("Invalid"), "{html}");
    let html = in_layout(
        a.get("/don-vi?at=abc").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(html.contains("không phải ngày hợp lệ"), "{html}");
    let res = a
        .client
        .request(Method::PUT, a.url("/don-vi"))
        .header("X-CSRF-Token", a.csrf.clone().unwrap())
        .send()
        .await
        .unwrap();
    in_layout(res, StatusCode::METHOD_NOT_ALLOWED).await;
    in_layout(a.get("/quan-tri/ke-thua").await, StatusCode::FORBIDDEN).await;
    // Under /api/v1 the same mistakes answer JSON.
    for (path, status) in [
        ("/api/v1/nope", StatusCode::NOT_FOUND),
        // A path id that is not a number is not found (as a null id a
        // fuzzer follows), in JSON.
        ("/api/v1/reviews/abc", StatusCode::NOT_FOUND),
    ] {
        let res = a.get(path).await;
        assert_eq!(res.status(), status, "{path}");
        let ct = res.headers()[CONTENT_TYPE].to_str().unwrap().to_string();
        assert!(ct.starts_with("application/json"), "{path}: {ct}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert!(body["error"].as_str().is_some(), "{path}: {body}");
    }
    // Too many failed logins from one browser: 429, a page in the layout.
    let b = app.agent();
    let mut last = None;
    for _ in 0..30 {
        let res = b
            .client
            .post(b.url("/dang-nhap"))
            .form(&[
                ("username", "ca.loi2"),
                ("password", "sai mật khẩu"),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap();
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            last = Some(res);
            break;
        }
    }
    let res = last.expect("the login is throttled");
    let html = res.text().await.unwrap();
    assert!(html.contains("class=\"topbar\""), "{html}");
    assert!(html.contains("lang=\"vi\""), "{html}");
}

#[tokio::test]
async fn the_create_user_form_keeps_what_was_typed_and_starts_at_the_least_role() {
    let app = spawn_app().await;
    let a = app.logged_in("qt.pick", Role::Admin, "11").await;
    let html = a.get("/quan-tri/nguoi-dung").await.text().await.unwrap();
    let select = &html[html.find("name=\"role\"").unwrap()..];
    let select = &select[..select.find("</select>").unwrap()];
    assert!(
        select.contains("<option value=\"viewer\" selected>"),
        "{select}"
    );
    assert!(!select.contains("value=\"admin\" selected"), "{select}");
    // The picker starts at the administrator's own unit.
    assert!(
        html.contains("name=\"unit\" value=\"Tỉnh Điện Biên\""),
        "{html}"
    );
    // A password too short: the form comes back filled in, with the message.
    let res = a
        .post_form(
            "/quan-tri/nguoi-dung",
            &[
                ("username", "moi.nguoi"),
                ("display_name", "Nguyễn Văn Mới"),
                ("password", "ngắn"),
                ("role", "front"),
                ("unit", "Xã Mường Phăng"),
                ("unit_pick", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("class=\"topbar\""));
    assert!(html.contains("value=\"moi.nguoi\""), "{html}");
    assert!(html.contains("value=\"Nguyễn Văn Mới\""), "{html}");
    assert!(html.contains("<option value=\"front\" selected>"), "{html}");
    assert!(html.contains("value=\"Xã Mường Phăng\""), "{html}");
    assert!(html.contains("id=\"new-user-error\""), "{html}");
    assert!(
        !html.contains("value=\"ngắn\""),
        "the password is never sent back"
    );
    // Then right: created at the commune picked by name.
    let res = a
        .post_form(
            "/quan-tri/nguoi-dung",
            &[
                ("username", "moi.nguoi"),
                ("display_name", "Nguyễn Văn Mới"),
                ("password", "một mật khẩu đủ dài"),
                ("role", "front"),
                ("unit", "Xã Mường Phăng"),
                ("unit_pick", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    let html = a.get(&to).await.text().await.unwrap();
    assert!(html.contains("Xã Mường Phăng"), "{html}");
    // A grant with a unit name shared by several: the form keeps its values.
    let res = a
        .post_form(
            &format!("{to}/quyen"),
            &[("role", "viewer"), ("unit", "Xã Châu Thành"), ("at", "")],
        )
        .await;
    let status = res.status();
    let html = res.text().await.unwrap();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("id=\"grant-error\""), "{html}");
    assert!(html.contains("value=\"Xã Châu Thành\""), "{html}");
}

#[tokio::test]
async fn the_pivot_has_a_total_row_charts_and_a_peoples_excel() {
    use calamine::{Data, Reader, Xlsx};
    let app = spawn_app().await;
    antq_storage::demo::load(&app.db, Some(PASSWORD))
        .await
        .unwrap();
    let mut a = app.agent();
    assert_eq!(
        a.login("ca.dienbien", PASSWORD).await.status,
        StatusCode::OK
    );
    let q = "i=tt_buoi&i=tt_luot&unit=11&from=2013&to=2015&by=year&approved_only=0";
    let html = a
        .get(&format!("/phan-tich?{q}"))
        .await
        .text()
        .await
        .unwrap();
    // One chart per indicator.
    let charts = &html[html.find("id=\"pivot-charts\"").expect("charts")..];
    assert_eq!(charts.matches("<svg").count(), 2, "{charts}");
    assert!(
        html.contains("<td>Năm 2013</td>"),
        "periods in words: {html}"
    );
    // The total row is the sum of the rows.
    let csv = a
        .get(&format!("/phan-tich.csv?{q}"))
        .await
        .text()
        .await
        .unwrap();
    let mut sums = [0f64; 2];
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        for n in 0..2 {
            sums[n] += cells[n + 1].parse::<f64>().unwrap();
        }
    }
    assert!(
        csv.lines().nth(1).unwrap().starts_with("2013,"),
        "machine CSV: {csv}"
    );
    let total = &html[html.find("id=\"pivot-total\"").expect("total row")..];
    let total = &total[..total.find("</tr>").unwrap()];
    assert!(total.contains("Tổng cộng"), "{total}");
    let vi = |x: f64| antq_core::text::format_int(x as i64);
    assert!(total.contains(&vi(sums[0])), "{total} {sums:?}");
    assert!(total.contains(&vi(sums[1])), "{total} {sums:?}");
    // The Excel for people: headings in Vietnamese, the unit's name, periods
    // in words, numbers as numbers, the total.
    let res = a.get(&format!("/phan-tich.xlsx?{q}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = wb.worksheet_range("Phân tích").unwrap();
    let text = |r: u32, c: u32| match sheet.get_value((r, c)) {
        Some(Data::String(s)) => s.clone(),
        other => format!("{other:?}"),
    };
    assert_eq!(text(0, 0), "Tỉnh Điện Biên · Giai đoạn 2013 – 2015");
    assert_eq!(text(1, 0), "Đơn vị: Tỉnh Điện Biên");
    let header = antq_office::xlsx::people_header_row(2);
    assert_eq!(text(header, 0), "Kỳ");
    assert!(
        text(header, 1).starts_with("Buổi tuyên truyền"),
        "{}",
        text(header, 1)
    );
    assert_eq!(text(header + 1, 0), "Năm 2013");
    assert!(matches!(
        sheet.get_value((header + 1, 1)),
        Some(Data::Float(_))
    ));
    assert_eq!(text(header + 4, 0), "Tổng cộng");
    assert_eq!(
        sheet.get_value((header + 4, 1)),
        Some(&Data::Float(sums[0]))
    );
    assert_eq!(
        sheet.get_value((header + 4, 2)),
        Some(&Data::Float(sums[1]))
    );
}
