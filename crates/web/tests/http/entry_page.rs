//! The report entry page never loses a typed value: every valid value is
//! saved even when another cell is wrong, the wrong cell keeps its text and
//! names the indicator by its label, "Gửi lên cấp trên" saves first and
//! submits only when nothing is wrong, an htmx save without a session gets a
//! 401 (never the login page), and a login never lands on a 405. An officer
//! above reads the report and approves or returns it; each step says what
//! happened and the history shows it.

use antq_core::auth::Role;
use antq_storage::statistics::catalogue;
use reqwest::StatusCode;

use crate::helpers::{spawn_app, Agent, TestApp, PASSWORD};

const PAGE: &str = "/so-lieu/antq-nam/03325/2026";
const API: &str = "/api/v1/data/antq-nam/03325/2026";

/// Post the entry form (urlencoded fields), as a browser would, or as htmx.
async fn post(agent: &Agent, path: &str, fields: &[(&str, &str)], htmx: bool) -> reqwest::Response {
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    if let Some(c) = &agent.csrf {
        all.push(("csrf_token", c));
    }
    let mut rb = agent.client.post(agent.url(path)).form(&all);
    if htmx {
        rb = rb
            .header("hx-request", "true")
            .header("hx-current-url", agent.url(PAGE));
    }
    rb.send().await.unwrap()
}

async fn label(app: &TestApp, code: &str) -> String {
    let form = catalogue::form(&app.db, "antq-nam").await.unwrap();
    form.indicators
        .iter()
        .find(|i| i.code == code)
        .unwrap()
        .name_vi
        .clone()
}

/// The `<input …>` tag of a cell in a page.
fn input_tag<'a>(page: &'a str, id: &str) -> &'a str {
    let at = page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let start = page[..at].rfind('<').unwrap();
    let end = at + page[at..].find('>').unwrap();
    &page[start..=end]
}

#[tokio::test]
async fn a_bad_cell_never_costs_the_good_ones() {
    let app = spawn_app().await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let dd_so = label(&app, "dd_so").await;

    // Without JavaScript ("Lưu nháp", or Enter): the page again, from what was posted.
    let res = post(
        &commune,
        &format!("{PAGE}/luu"),
        &[
            ("v:tt_buoi", "12"),
            ("v:dd_so", "12,5a"),
            ("v:tt_luot", "hơn 300"),
            ("c:tt_luot", "ước tính"),
            ("v:gd_doi_tuong", "  "),
            ("intent", "save"),
        ],
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    let bad = input_tag(&page, "v-dd_so");
    assert!(bad.contains("value=\"12,5a\""), "{bad}");
    assert!(bad.contains("aria-invalid=\"true\""), "{bad}");
    assert!(
        page.contains(&format!("«{dd_so}»: &quot;12,5a&quot; không phải số"))
            || page.contains(&format!("«{dd_so}»: &#34;12,5a&#34; không phải số")),
        "the message names the label"
    );
    assert!(!page.contains("dd_so:"), "never the code in a message");
    assert!(input_tag(&page, "v-tt_luot").contains("value=\"hơn 300\""));
    assert!(!input_tag(&page, "v-tt_luot").contains("aria-invalid"));
    assert!(input_tag(&page, "c-tt_luot").contains("value=\"ước tính\""));
    // The qualifier follows the words typed.
    let q = &page[page.find("id=\"q-tt_luot\"").unwrap()..];
    let q = &q[..q.find("</select>").unwrap()];
    assert!(q.contains("value=\"more_than\" selected"), "{q}");
    assert!(page.contains("Đã lưu 2 giá trị"), "what was saved is said");
    // The good values are saved.
    let (_, r) = commune.get_json(API).await;
    assert_eq!(r["state"], "draft");
    assert_eq!(r["values"]["tt_buoi"]["value"], 12.0, "{r}");
    assert_eq!(r["values"]["tt_luot"]["value"], 300.0);
    assert_eq!(r["values"]["tt_luot"]["qualifier"], "more_than");
    assert!(r["values"].get("dd_so").is_none());

    // As the person types (htmx): the checks panel, the cell named, the badge.
    let res = post(
        &commune,
        &format!("{PAGE}/luu"),
        &[
            ("v:tt_buoi", "13"),
            ("v:dd_so", "-4"),
            ("v:dd_luot", "khoảng 2.000"),
        ],
        true,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let part = res.text().await.unwrap();
    assert!(part.contains("data-keys=\"dd_so\""), "{part}");
    assert!(
        part.contains(&format!("«{dd_so}»: giá trị không được âm")),
        "{part}"
    );
    assert!(
        part.contains("id=\"report-state\" hx-swap-oob=\"true\">Đang nhập<"),
        "{part}"
    );
    assert!(!part.contains("<html"), "a fragment");
    let (_, r) = commune.get_json(API).await;
    assert_eq!(r["values"]["tt_buoi"]["value"], 13.0);
    assert_eq!(r["values"]["dd_luot"]["value"], 2000.0);
    assert_eq!(r["values"]["dd_luot"]["qualifier"], "about");

    // Nothing wrong: back to the page, which says how many values were saved.
    let res = post(&commune, &format!("{PAGE}/luu"), &[("v:dd_so", "3")], false).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = commune.get(PAGE).await.text().await.unwrap();
    assert!(
        page.contains("Đã lưu 1 giá trị"),
        "the flash says what happened"
    );
    assert!(
        page.contains("Năm 2026 (15/12/2025 – 14/12/2026)"),
        "the period in words"
    );
    assert!(!page.contains(">tt_buoi<"), "no indicator code shown");
}

#[tokio::test]
async fn submitting_saves_first_and_submits_only_when_nothing_is_wrong() {
    let app = spawn_app().await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let save = format!("{PAGE}/luu");

    // One unreadable cell: the rest saved, nothing submitted, the error at its cell.
    let res = post(
        &commune,
        &save,
        &[
            ("v:tt_buoi", "12"),
            ("v:tt_luot", "4.378"),
            ("v:dd_so", "hai"),
            ("intent", "submit"),
        ],
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("chưa được gửi lên cấp trên"),
        "says it was not submitted"
    );
    let cell = input_tag(&page, "v-dd_so");
    assert!(
        cell.contains("value=\"hai\"") && cell.contains("aria-invalid=\"true\""),
        "{cell}"
    );
    let (_, r) = commune.get_json(API).await;
    assert_eq!(r["state"], "draft", "not submitted");
    assert_eq!(r["values"]["tt_luot"]["value"], 4378.0, "but saved");

    // A broken rule: saved, not submitted, shown in words at the cell.
    let res = post(
        &commune,
        &save,
        &[
            ("v:dd_so", "2"),
            ("v:gd_doi_tuong", "10"),
            ("v:gd_tien_bo", "15"),
            ("intent", "submit"),
        ],
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    let cell = input_tag(&page, "v-gd_tien_bo");
    assert!(
        cell.contains("value=\"15\"") && cell.contains("aria-invalid=\"true\""),
        "{cell}"
    );
    assert!(page.contains("không được lớn hơn"), "the rule in words");
    assert!(!page.contains("gd_tien_bo &lt;="), "not its formula");
    let (_, r) = commune.get_json(API).await;
    assert_eq!(r["state"], "draft");
    assert_eq!(r["values"]["gd_tien_bo"]["value"], 15.0);

    // Fixed: saved and submitted in one press, and the page says so.
    let res = post(
        &commune,
        &save,
        &[("v:gd_tien_bo", "7"), ("intent", "submit")],
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, r) = commune.get_json(API).await;
    assert_eq!(r["state"], "submitted");
    assert_eq!(r["values"]["gd_tien_bo"]["value"], 7.0);
    let page = commune.get(PAGE).await.text().await.unwrap();
    assert!(page.contains("Đã gửi lên cấp trên"));
    assert!(!page.contains("name=\"v:tt_buoi\""), "locked while waiting");
}

#[tokio::test]
async fn an_ended_session_never_shows_a_login_page_in_a_fragment_nor_a_405() {
    let app = spawn_app().await;
    app.user("ca.muongphang", Role::Police, "03325").await;
    let anonymous = app.agent();

    // htmx without a session: 401 and a short message, not the login page.
    let res = post(
        &anonymous,
        &format!("{PAGE}/luu"),
        &[("v:tt_buoi", "5")],
        true,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(res.headers()["hx-reswap"], "none");
    let body = res.text().await.unwrap();
    assert!(body.contains("Phiên đăng nhập đã hết"), "{body}");
    assert!(
        body.contains(&format!("/dang-nhap?next={PAGE}\"")),
        "back to the page: {body}"
    );
    assert!(
        !body.contains("id=\"password\"") && !body.contains("<html"),
        "{body}"
    );

    // A plain post without a session goes to the login...
    let res = post(
        &anonymous,
        &format!("{PAGE}/buoc"),
        &[("action", "submit")],
        false,
    )
    .await;
    assert!(res.status().is_redirection());
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/dang-nhap?next="), "{to}");
    // ...whose form carries the page, not the form's target...
    let login = anonymous.get(&to).await.text().await.unwrap();
    assert!(
        login.contains(&format!("name=\"next\" value=\"{PAGE}\"")),
        "{login}"
    );
    // ...and a login with the target as `next` lands on the page (GET), never a 405.
    let res = anonymous
        .client
        .post(anonymous.url("/dang-nhap"))
        .form(&[
            ("username", "ca.muongphang"),
            ("password", PASSWORD),
            ("next", &format!("{PAGE}/luu")),
        ])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(res.headers()["location"], PAGE);
    let res = anonymous.get(PAGE).await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_officer_above_reads_the_report_and_each_step_says_what_happened() {
    let app = spawn_app().await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let province = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let save = format!("{PAGE}/luu");
    let step = format!("{PAGE}/buoc");
    post(
        &commune,
        &save,
        &[("v:tt_buoi", "12"), ("c:tt_buoi", "ghi chú")],
        false,
    )
    .await;

    // The commune types; the province reads, even before it is sent up.
    let mine = commune.get(PAGE).await.text().await.unwrap();
    assert!(mine.contains("name=\"v:tt_buoi\""));
    let theirs = province.get(PAGE).await.text().await.unwrap();
    assert!(
        !theirs.contains("name=\"v:"),
        "no edit form for the officer above"
    );
    assert!(theirs.contains("id=\"approver-view\""));
    assert!(theirs.contains("id=\"v-tt_buoi-shown\">12<"));

    post(&commune, &step, &[("action", "submit")], false).await;
    let theirs = province.get(PAGE).await.text().await.unwrap();
    assert!(!theirs.contains("name=\"v:"));
    assert!(theirs.contains("id=\"approve-report\""));
    assert!(theirs.contains("id=\"return-form\""));
    assert!(theirs.contains("id=\"comment-form\""));

    let res = post(
        &province,
        &step,
        &[("action", "return"), ("comment", "Bổ sung số diễn đàn")],
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let theirs = province.get(PAGE).await.text().await.unwrap();
    assert!(
        theirs.contains("Đã trả lại xã Mường Phăng"),
        "the step is named"
    );
    let mine = commune.get(PAGE).await.text().await.unwrap();
    assert!(mine.contains("id=\"return-reason\""));
    post(&commune, &step, &[("action", "submit")], false).await;
    post(&province, &step, &[("action", "approve")], false).await;
    let theirs = province.get(PAGE).await.text().await.unwrap();
    assert!(theirs.contains("Đã duyệt báo cáo của xã Mường Phăng"));
    let res = post(
        &province,
        &format!("{PAGE}/y-kien"),
        &[("body", "Tốt")],
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let theirs = province.get(PAGE).await.text().await.unwrap();
    assert!(theirs.contains("Đã gửi ý kiến"));
    assert!(!theirs.contains("Đã lưu."), "never the old \"Đã lưu.\"");

    // The history: every step, by whom, the reason of the return.
    let history = &theirs[theirs.find("id=\"report-history\"").unwrap()..];
    let history = &history[..history.find("</ol>").unwrap()];
    let order = [
        "Bắt đầu nhập báo cáo",
        "Gửi lên cấp trên",
        "Trả lại để sửa",
        "Gửi lên cấp trên",
        "Duyệt",
    ];
    let mut at = 0;
    for step in order {
        let found = history[at..]
            .find(step)
            .unwrap_or_else(|| panic!("{step} in {history}"));
        at += found + step.len();
    }
    assert!(history.contains("Lý do: Bổ sung số diễn đàn"));
    assert!(history.contains("Người dùng ca.dienbien (ca.dienbien)"));
    assert!(!history.contains("report."), "no audit action codes");
}

#[tokio::test]
async fn an_autosave_says_which_cells_it_could_not_save_and_a_refused_one_is_not_a_success() {
    let app = spawn_app().await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let save = format!("{PAGE}/luu");

    // The page names who is typing (entry.js keeps the entries per user)
    // and shows the qualifiers with a capital letter.
    let page = commune.get(PAGE).await.text().await.unwrap();
    let form = input_tag(&page, "entry-form");
    assert!(form.contains("data-user=\"ca.muongphang\""), "{form}");
    for label in ["Chính xác", "Hơn", "Gần", "Khoảng"] {
        assert!(page.contains(&format!(">{label}</option>")), "{label}");
    }
    assert!(!page.contains(">hơn</option>"), "never lower case");

    // A partial save: the unsaved cell is named for the browser's store.
    let res = post(
        &commune,
        &save,
        &[("v:tt_buoi", "12"), ("v:dd_so", "hai")],
        true,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let part = res.text().await.unwrap();
    assert!(part.contains("data-unsaved=\"dd_so\""), "{part}");
    // Everything saved: nothing named.
    let res = post(&commune, &save, &[("v:dd_so", "2")], true).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(!res.text().await.unwrap().contains("data-unsaved"));

    // Sent up meanwhile (another tab): the autosave is refused whole, and
    // says so with the error's status, not 200.
    let res = post(&commune, &save, &[("intent", "submit")], false).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = post(&commune, &save, &[("v:tt_buoi", "99")], true).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let part = res.text().await.unwrap();
    assert!(part.contains("id=\"save-notice\""), "{part}");
    assert!(part.contains("Chưa lưu được"), "{part}");
    assert!(!part.contains("<html"), "a fragment");
    let (_, r) = commune.get_json(API).await;
    assert_eq!(r["state"], "submitted");
    assert_eq!(r["values"]["tt_buoi"]["value"], 12.0, "nothing saved");
}
