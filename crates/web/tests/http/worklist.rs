//! What waits for a person, over HTTP: periods that have not started are
//! refused (page and API), the home page lists what to fix (with the
//! reason), what to approve and what is due, the work list and the
//! completeness page write periods in words, and the audit log reads in
//! Vietnamese.

use antq_core::auth::Role;
use antq_core::dates;
use antq_core::periods::{Calendar, Period, PeriodType};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_with};

/// The text a person reads: the HTML without its tags (and attributes).
fn visible(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// A period code (`2026S1`, `2026Q2`, `2013..2023`) in the text, if any.
fn period_code(text: &str) -> Option<String> {
    let b = text.as_bytes();
    for i in 0..b.len().saturating_sub(5) {
        let year = b[i..i + 4].iter().all(u8::is_ascii_digit)
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric());
        if !year {
            continue;
        }
        let rest = &b[i + 4..];
        let code =
            matches!(rest, [b'S' | b'Q', d, ..] if d.is_ascii_digit()) || rest.starts_with(b"..");
        if code {
            return Some(text[i..(i + 8).min(text.len())].to_string());
        }
    }
    None
}

fn current(kind: PeriodType) -> Period {
    Period::containing(dates::today(), kind, Calendar::Reporting).unwrap()
}

const VALUES: fn() -> serde_json::Value = || json!({"values": {"tt_buoi": 120, "tt_luot": 9000, "gd_doi_tuong": 10, "gd_tien_bo": 7, "tcqc_so": 40}});

#[tokio::test]
async fn periods_not_started_are_refused_on_pages_and_the_api() {
    let app = spawn_app().await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    // The page: a Vietnamese page in the layout, 422.
    let res = commune.get("/so-lieu/antq-nam/03325/2099").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("<nav"), "in the layout");
    assert!(
        html.contains("Chưa đến kỳ báo cáo: Năm 2099 (15/12/2098 – 14/12/2099)"),
        "{html}"
    );
    // The API, reading and writing.
    let (s, e) = commune.get_json("/api/v1/data/antq-nam/03325/2099").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e.to_string().contains("Chưa đến kỳ báo cáo"), "{e}");
    let (s, _) = commune
        .send_json(Method::PUT, "/api/v1/data/antq-6t/03325/2099S1", VALUES())
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // The current period opens; the next one only within the margin.
    let now = current(PeriodType::Year);
    let next = now.next().unwrap().code();
    let res = commune
        .get(&format!("/so-lieu/antq-nam/03325/{}", now.code()))
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    let strict = spawn_app_with(|c| c.early_entry_days = 0).await;
    let a = strict
        .logged_in("ca.muongphang", Role::Police, "03325")
        .await;
    let (s, _) = a
        .get_json(&format!("/api/v1/data/antq-nam/03325/{next}"))
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{next} has not started"
    );
    let early = spawn_app_with(|c| c.early_entry_days = 366).await;
    let a = early
        .logged_in("ca.muongphang", Role::Police, "03325")
        .await;
    let (s, _) = a
        .get_json(&format!("/api/v1/data/antq-nam/03325/{next}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{next} opens within a year's margin");
}

#[tokio::test]
async fn the_home_page_says_what_waits() {
    let app = spawn_app().await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let other = app.logged_in("ca.dienbienphu", Role::Police, "03127").await;
    let province = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let year = current(PeriodType::Year).code();
    let r = format!("/api/v1/data/antq-nam/03325/{year}");
    let (s, e) = commune.send_json(Method::PUT, &r, VALUES()).await;
    assert_eq!(s, StatusCode::OK, "{e}");
    let (s, e) = commune.post_json(&format!("{r}/submit"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{e}");
    let (s, e) = province
        .post_json(
            &format!("{r}/return"),
            json!({"comment": "Thiếu số buổi tuyên truyền ở thôn Co Mỵ"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{e}");
    let o = format!("/api/v1/data/antq-nam/03127/{year}");
    other.send_json(Method::PUT, &o, VALUES()).await;
    let (s, e) = other.post_json(&format!("{o}/submit"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{e}");

    // The commune officer: the returned report, its reason, a link to it.
    let html = commune.get("/").await.text().await.unwrap();
    let fix = html
        .split("id=\"home-fix\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .expect("a list of reports to fix");
    assert!(fix.contains("Bị trả lại"), "{fix}");
    assert!(
        fix.contains("Thiếu số buổi tuyên truyền ở thôn Co Mỵ"),
        "{fix}"
    );
    assert!(
        fix.contains(&format!("href=\"/so-lieu/antq-nam/03325/{year}\"")),
        "{fix}"
    );
    // The half-year before the current one was never opened: overdue.
    let prev_half = {
        let h = current(PeriodType::Half);
        if h.index == 2 {
            Period::new(h.year, PeriodType::Half, 1)
        } else {
            Period::new(h.year - 1, PeriodType::Half, 2)
        }
        .unwrap()
    };
    assert!(fix.contains(&prev_half.words_vi()), "{fix}");
    assert!(fix.contains("Trễ hạn"));
    // Nothing waits for the commune's approval: it approves nothing.
    let approve = html.split("id=\"home-approve\"").nth(1).unwrap();
    let approve = approve.split("</section>").next().unwrap();
    assert!(
        approve.contains("Không có báo cáo nào chờ bạn duyệt"),
        "{approve}"
    );
    assert!(
        period_code(&visible(&html)).is_none(),
        "{:?}",
        period_code(&visible(&html))
    );

    // The province officer: the other commune's submitted report.
    let html = province.get("/").await.text().await.unwrap();
    let approve = html.split("id=\"home-approve\"").nth(1).unwrap();
    let approve = approve.split("</section>").next().unwrap();
    assert!(
        approve.contains("Xã Điện Biên Phủ") || approve.contains("Điện Biên Phủ"),
        "{approve}"
    );
    assert!(
        approve.contains(&format!("href=\"/so-lieu/antq-nam/03127/{year}\"")),
        "{approve}"
    );
    assert!(
        !approve.contains("/so-lieu/antq-nam/03325/"),
        "returned is not waiting: {approve}"
    );
    assert!(approve.contains(
        &Period::parse(&year)
            .unwrap()
            .words_with_dates_vi(Calendar::Reporting)
    ));
    assert!(period_code(&visible(&html)).is_none());
}

#[tokio::test]
async fn the_work_list_and_completeness_read_in_words() {
    let app = spawn_app().await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let province = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let half = current(PeriodType::Half).code();
    let r = format!("/api/v1/data/antq-6t/03325/{half}");
    commune.send_json(Method::PUT, &r, VALUES()).await;
    let (s, e) = commune.post_json(&format!("{r}/submit"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{e}");
    province
        .post_json(&format!("{r}/return"), json!({"comment": "Kiểm tra lại"}))
        .await;

    // The commune's list: the returned report first, the overdue half-year
    // before it listed too, periods in words.
    let html = commune.get("/so-lieu").await.text().await.unwrap();
    let text = visible(&html);
    assert_eq!(period_code(&text), None);
    let first_row = html
        .split("<tbody>")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(
        first_row.contains(&format!("/so-lieu/antq-6t/03325/{half}")),
        "{first_row}"
    );
    assert!(first_row.contains("Kiểm tra lại"), "{first_row}");
    assert!(text.contains("Trễ hạn"));

    // Completeness: filtered by state, every unit counted once, in words.
    let base = format!("/tien-do/antq-6t/11/{half}");
    let html = province.get(&base).await.text().await.unwrap();
    assert!(period_code(&visible(&html)).is_none());
    assert!(html.contains(&Period::parse(&half).unwrap().words_vi()));
    let html = province
        .get(&format!("{base}?state=returned"))
        .await
        .text()
        .await
        .unwrap();
    let rows = html.matches("data-status=").count();
    assert_eq!(rows, 1, "only the returned commune");
    assert!(html.contains("data-status=\"returned\""));
    let html = province
        .get(&format!("{base}?state=submitted&sort=changed"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Không có đơn vị nào ở trạng thái này"));
    // Sorted by state: the returned report before the units not started.
    let html = province
        .get(&format!("{base}?sort=state"))
        .await
        .text()
        .await
        .unwrap();
    let statuses: Vec<&str> = html
        .split("data-status=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    let order = [
        "late",
        "not_started",
        "returned",
        "draft",
        "submitted",
        "approved",
    ];
    let ranks: Vec<usize> = statuses
        .iter()
        .map(|s| order.iter().position(|o| o == s).unwrap())
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{statuses:?}");
    // An unknown filter is a 400 page in Vietnamese, not ignored.
    let res = province.get(&format!("{base}?state=lost")).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Không lọc được theo trạng thái"));
}

#[tokio::test]
async fn the_audit_log_reads_in_vietnamese() {
    let app = spawn_app().await;
    let admin = app.logged_in("qt.dienbien", Role::Admin, "11").await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let year = current(PeriodType::Year).code();
    let r = format!("/api/v1/data/antq-nam/03325/{year}");
    let (s, e) = commune
        .send_json(
            Method::PUT,
            &r,
            json!({"values": {"tt_luot": {"value": "4378", "qualifier": "more_than", "comment": "ước tính"}}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{e}");

    let res = admin.get("/quan-tri/nhat-ky").await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    for code in [
        "value.set",
        "report.create",
        "session.login",
        "more_than",
        "tt_luot",
    ] {
        assert!(!html.contains(code), "{code} on the audit page");
    }
    assert!(html.contains("Nhập số liệu"));
    assert!(html.contains("Mở báo cáo"));
    assert!(
        html.contains("<th scope=\"row\">Lượt người tham dự tuyên truyền</th>"),
        "the indicator's label"
    );
    // Fields in words, codes as they are (a unit code is not a number), roles in words.
    assert!(html.contains("<td>Năm "), "the period in words");
    assert!(html.contains("<td>03325</td>"));
    assert!(!html.contains("3.325"));
    assert!(html.contains("Vai trò: Công an"));
    assert!(!html.contains("police"));
    assert!(
        html.contains("hơn 4.378 (ghi chú: ước tính)"),
        "the value in words"
    );
    assert!(
        html.contains(&format!("href=\"/so-lieu/antq-nam/03325/{year}\"")),
        "a link to the report"
    );
    assert!(
        html.contains("href=\"/don-vi/03325\""),
        "a link to the unit"
    );
    assert!(period_code(&visible(&html)).is_none());

    // Filters: an action by its Vietnamese name, part of a username.
    let only = admin
        .get("/quan-tri/nhat-ky?action=Nh%E1%BA%ADp+s%E1%BB%91+li%E1%BB%87u")
        .await
        .text()
        .await
        .unwrap();
    assert!(only.contains("Nhập số liệu"));
    assert!(!only.contains("<td>Mở báo cáo</td>"));
    assert!(only.contains("<option value=\"Nhập số liệu\" selected>"));
    let by_user = admin
        .get("/quan-tri/nhat-ky?user=PHANG")
        .await
        .text()
        .await
        .unwrap();
    assert!(by_user.contains("ca.muongphang"));
    assert!(
        !by_user.contains("<td>qt.dienbien</td>"),
        "only matching users"
    );
    let none = admin
        .get("/quan-tri/nhat-ky?user=khong-co-ai")
        .await
        .text()
        .await
        .unwrap();
    assert!(!none.contains("<td>ca.muongphang</td>"));
}

/// A report created by an import is audited in one row with its figures:
/// the audit page names each indicator and writes its value in words.
#[tokio::test]
async fn an_imported_report_shows_its_figures_by_indicator_in_the_audit_log() {
    let app = spawn_app().await;
    let admin = app.logged_in("qt.dienbien", Role::Admin, "11").await;
    let province = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let year = current(PeriodType::Year).code();
    let csv = format!(
        "unit,period,indicator,value,qualifier,comment\n\
         03325,{year},tt_luot,4378,hơn,ước tính\n\
         03325,{year},kt_bang_khen.tap_the,2,,\n"
    );
    let res = province
        .client
        .post(province.url("/api/v1/import?format=csv"))
        .header("X-CSRF-Token", province.csrf.clone().unwrap_or_default())
        .header("Content-Type", "text/csv")
        .body(csv.into_bytes())
        .send()
        .await
        .unwrap();
    let status = res.status();
    assert_eq!(status, StatusCode::OK, "{}", res.text().await.unwrap());

    let html = admin.get("/quan-tri/nhat-ky").await.text().await.unwrap();
    assert!(html.contains("Mở báo cáo"));
    assert!(
        html.contains("<th scope=\"row\">Số liệu: Lượt người tham dự tuyên truyền</th>"),
        "the indicator's label"
    );
    assert!(
        html.contains("hơn 4.378 (ghi chú: ước tính)"),
        "the value in words"
    );
    assert!(html.contains("Tập thể</th>"), "an option's label");
    for bad in [
        "Nội dung khác",
        "Số giá trị",
        "tt_luot",
        "more_than",
        "tap_the",
    ] {
        assert!(!html.contains(bad), "{bad} on the audit page");
    }
}

#[tokio::test]
async fn the_reviews_list_writes_stages_in_words() {
    let app = spawn_app().await;
    let province = app.logged_in("ca.dienbien", Role::Police, "11").await;
    for body in [
        json!({"unit": "11", "from": "2024", "to": "2026", "owner": "police"}),
        json!({"unit": "11", "from": "2026S1", "owner": "police"}),
        json!({"unit": "11", "from": "2025", "to": "2025", "owner": "police"}),
    ] {
        let (s, r) = province.post_json("/api/v1/reviews", body).await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
    }
    let html = province.get("/bao-cao").await.text().await.unwrap();
    let list = html.split("<tbody>").nth(1).unwrap();
    let text = visible(list);
    assert!(text.contains("Giai đoạn 2024 – 2026"), "{text}");
    assert!(text.contains("6 tháng đầu năm 2026"), "{text}");
    assert!(text.contains("Năm 2025"), "{text}");
    // The list (the create form above it, another helper's, still names the input format).
    assert_eq!(period_code(&text), None);
}

/// The main pages, as the people who use them read them, show no internal
/// code: no period code, no qualifier, audit action or role code.
#[tokio::test]
async fn the_main_pages_show_no_internal_code() {
    let app = spawn_app().await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let province = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let admin = app.logged_in("qt.codes", Role::Admin, "VN").await;
    // Something in every page: a qualified value with a comment, submitted,
    // returned with a reason, a review.
    let report = "/api/v1/data/antq-6t/03325/2026S1";
    let (s, r) = commune
        .send_json(
            Method::PUT,
            report,
            json!({"values": {"tt_buoi": 3, "tt_luot": {"value": 4378, "qualifier": "more_than", "comment": "ước tính"}}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let (s, r) = commune
        .post_json(&format!("{report}/submit"), json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let (s, r) = province
        .post_json(
            &format!("{report}/return"),
            json!({"comment": "Xem lại số lượt"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let (s, r) = province
        .post_json(
            "/api/v1/reviews",
            json!({"unit": "11", "from": "2026S1", "owner": "police"}),
        )
        .await;
    assert!(s.is_success(), "{r}");
    let review = format!("/bao-cao/{}", r["id"]);

    let codes = [
        "more_than",
        "nearly",
        "exact",
        "value.set",
        "report.",
        "user.",
        "grant.",
        "police",
        "viewer",
        "not_started",
        "submitted",
        "approved",
        "returned",
        "draft",
    ];
    let pages: Vec<(&crate::helpers::Agent, String)> = vec![
        (&commune, "/".into()),
        (&commune, "/so-lieu".into()),
        (&commune, "/so-lieu/antq-6t/03325/2026S1".into()),
        (&province, "/".into()),
        (&province, "/so-lieu".into()),
        (&province, "/so-lieu/antq-6t/03325/2026S1".into()),
        (&province, "/tien-do/antq-6t/11/2026S1".into()),
        (
            &province,
            "/phan-tich?i=tt_buoi&unit=11&from=2025&to=2026".into(),
        ),
        (&province, "/bao-cao".into()),
        (&province, review),
        (&province, "/don-vi/03325".into()),
        (&admin, "/quan-tri/nguoi-dung".into()),
        (&admin, "/quan-tri/nhat-ky".into()),
    ];
    for (who, path) in pages {
        let res = who.get(&path).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let text = visible(&res.text().await.unwrap());
        assert_eq!(period_code(&text), None, "{path}: {text}");
        for code in codes {
            assert!(!text.contains(code), "{path} shows \"{code}\": {text}");
        }
    }
}
