//! The portal's news: an editor writes, a reviewer publishes, the public
//! reads (lists, "Xem thêm", related news, feeds, sitemap, the API), with
//! validators; access by unit; corrections, unpublishing and scheduling.

use antq_core::auth::Role;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{multipart_form, spawn_app, Agent, TestApp};

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// A draft written through the form; its id.
async fn draft(editor: &Agent, unit: &str, headline: &str, tags: &str) -> i64 {
    let res = editor
        .post_form(
            "/bien-tap/bai",
            &[
                ("unit", unit),
                ("topic", "phong-trao"),
                ("place", unit),
                ("headline", headline),
                ("lead", "Sa-pô của bài về an ninh cơ sở."),
                ("body", "Đoạn thứ nhất.\n\n> Lời trích dẫn.\n\nĐoạn cuối."),
                ("author_line", "T.L tổng hợp"),
                ("tags", tags),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "draft {headline}");
    let to = location(&res);
    to.trim_start_matches("/bien-tap/bai/").parse().unwrap()
}

async fn publish(editor: &Agent, reviewer: &Agent, id: i64) {
    let res = editor
        .post_form(&format!("/bien-tap/bai/{id}/gui-duyet"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = reviewer
        .post_form(&format!("/bien-tap/bai/{id}/dang"), &[("at", "")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

async fn slug_of(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar::<_, String>("SELECT slug FROM articles WHERE id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn an_article_goes_from_draft_to_the_public_and_back() {
    let app = spawn_app().await;
    let editor = app.logged_in("bientap.db", Role::Editor, "11").await;
    let reviewer = app.logged_in("duyettin.db", Role::Reviewer, "11").await;
    let public = app.agent();

    let id = draft(
        &editor,
        "11",
        "Điện Biên: Ra mắt mô hình Camera an ninh",
        "camera an ninh",
    )
    .await;
    let slug = slug_of(&app, id).await;
    assert_eq!(slug, "dien-bien-ra-mat-mo-hinh-camera-an-ninh");
    // A draft is not public.
    assert_eq!(
        public.get(&format!("/tin-tuc/{slug}")).await.status(),
        StatusCode::NOT_FOUND
    );
    // An editor cannot publish.
    let res = editor
        .post_form(&format!("/bien-tap/bai/{id}/dang"), &[("at", "")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        public.get(&format!("/tin-tuc/{slug}")).await.status(),
        StatusCode::NOT_FOUND
    );
    // A return needs a reason, and comes back to the editor with it.
    editor
        .post_form(&format!("/bien-tap/bai/{id}/gui-duyet"), &[])
        .await;
    reviewer
        .post_form(
            &format!("/bien-tap/bai/{id}/tra-lai"),
            &[("reason", "Thiếu ảnh minh họa")],
        )
        .await;
    let page = editor
        .get(&format!("/bien-tap/bai/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Bị trả lại"), "{page}");
    assert!(page.contains("Thiếu ảnh minh họa"));

    publish(&editor, &reviewer, id).await;
    let res = public.get(&format!("/tin-tuc/{slug}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let etag = res
        .headers()
        .get("etag")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(res.headers().get("last-modified").is_some());
    assert_eq!(
        res.headers().get("cache-control").unwrap(),
        "public, max-age=60"
    );
    let html = res.text().await.unwrap();
    assert!(html.contains("<h1 id=\"article-title\">Điện Biên: Ra mắt mô hình Camera an ninh</h1>"));
    assert!(html.contains("<blockquote><p>Lời trích dẫn.</p></blockquote>"));
    assert!(html.contains("T.L tổng hợp"));
    assert!(html.contains("property=\"og:title\""));
    assert!(html.contains("rel=\"canonical\" href=\"http://127.0.0.1"));
    // "Góp ý, đính chính bài này" opens the form addressed to the article's
    // editors, as a correction about it.
    let link = format!("/gui-ban-bien-tap?bai=/tin-tuc/{slug}");
    assert!(html.contains(&link), "{html}");
    let form = public.get(&link).await.text().await.unwrap();
    assert!(
        form.contains("<option value=\"11\" selected>Tỉnh Điện Biên</option>"),
        "{form}"
    );
    assert!(
        form.contains("value=\"correction\" id=\"editor-kind-correction\" checked"),
        "{form}"
    );
    assert!(
        form.contains(
            "Góp ý, đính chính bài \u{201C}Điện Biên: Ra mắt mô hình Camera an ninh\u{201D}"
        ),
        "{form}"
    );
    // Not an article: the form for the nation's editors.
    let form = public
        .get("/gui-ban-bien-tap?bai=%2Fkhong-co")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        form.contains("<option value=\"VN\" selected>Cả nước</option>"),
        "{form}"
    );
    // The same copy again: 304 without a body.
    let again = public
        .client_get_with(&format!("/tin-tuc/{slug}"), "if-none-match", &etag)
        .await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    // As a compressing proxy sends it back (weak): the same copy still.
    let weak = public
        .client_get_with(
            &format!("/tin-tuc/{slug}"),
            "if-none-match",
            &format!("W/{etag}"),
        )
        .await;
    assert_eq!(weak.status(), StatusCode::NOT_MODIFIED);

    // A correction needs a note, which readers see.
    let res = reviewer
        .post_form(
            &format!("/bien-tap/bai/{id}"),
            &[
                ("unit", "11"),
                ("topic", "phong-trao"),
                ("headline", "Điện Biên: Ra mắt mô hình Camera an ninh"),
                ("lead", "Sa-pô đã sửa."),
                ("body", "Đoạn thứ nhất."),
                ("correction", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = reviewer
        .post_form(
            &format!("/bien-tap/bai/{id}"),
            &[
                ("unit", "11"),
                ("topic", "phong-trao"),
                ("headline", "Điện Biên: Ra mắt mô hình Camera an ninh"),
                ("lead", "Sa-pô đã sửa."),
                ("body", "Đoạn thứ nhất."),
                ("correction", "Sửa số camera từ 12 thành 21"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = public
        .get(&format!("/tin-tuc/{slug}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Đính chính"));
    assert!(html.contains("Sửa số camera từ 12 thành 21"));
    assert!(html.contains("Sa-pô đã sửa."));

    // Unpublished: gone from the public, kept for the editors; the lists'
    // Last-Modified moves, so a copy revalidated by date is not kept.
    let before = public.get("/tin-tuc/atom.xml").await;
    let since = before
        .headers()
        .get("last-modified")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    reviewer
        .post_form(&format!("/bien-tap/bai/{id}/go"), &[])
        .await;
    let after = public
        .client_get_with("/tin-tuc/atom.xml", "if-modified-since", &since)
        .await;
    assert_eq!(after.status(), StatusCode::OK);
    assert!(!after.text().await.unwrap().contains("Camera an ninh"));
    assert_eq!(
        public.get(&format!("/tin-tuc/{slug}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let list = editor
        .get("/bien-tap?trang-thai=unpublished")
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains("Ra mắt mô hình Camera an ninh"));

    // Every step is in the audit log.
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE entity = 'article' AND entity_id = $1 ORDER BY id",
    )
    .bind(id.to_string())
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        actions,
        [
            "article.create",
            "article.submit",
            "article.return",
            "article.submit",
            "article.publish",
            "article.correct",
            "article.unpublish"
        ]
    );
}

#[tokio::test]
async fn the_newsroom_is_by_unit_and_role() {
    let app = spawn_app().await;
    let editor = app.logged_in("bientap.db2", Role::Editor, "11").await;
    let other = app.logged_in("bientap.dt", Role::Editor, "82").await;
    let police = app.logged_in("ca.db2", Role::Police, "11").await;
    let id = draft(&editor, "11", "Tin của Điện Biên", "").await;
    // Another province's editor: as if it did not exist.
    assert_eq!(
        other.get(&format!("/bien-tap/bai/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    // Nor may they write for Điện Biên.
    let res = other
        .post_form(
            "/bien-tap/bai",
            &[("unit", "11"), ("topic", "phong-trao"), ("headline", "X")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // A police officer without an editor's role has no newsroom.
    assert_eq!(
        police.get("/bien-tap").await.status(),
        StatusCode::FORBIDDEN
    );
    // Nor put their news on another province's page.
    let res = editor
        .post_form(
            "/bien-tap/bai",
            &[
                ("unit", "11"),
                ("topic", "phong-trao"),
                ("place", "82"),
                ("headline", "Tin lạc chỗ"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Địa bàn của bài phải thuộc đơn vị biên tập"));
    // Bad input is said in Vietnamese, with what was typed kept.
    let res = editor
        .post_form(
            "/bien-tap/bai",
            &[("unit", "11"), ("topic", "phong-trao"), ("headline", " ")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Bài viết cần có tiêu đề"));
}

#[tokio::test]
async fn lists_page_on_with_xem_them_and_related_news() {
    let app = spawn_app().await;
    let editor = app.logged_in("bientap.list", Role::Editor, "11").await;
    let reviewer = app.logged_in("duyettin.list", Role::Reviewer, "11").await;
    let public = app.agent();
    let mut ids = Vec::new();
    for i in 1..=12 {
        let tags = if i % 2 == 0 { "tổ tự quản" } else { "" };
        let id = draft(
            &editor,
            "11",
            &format!("Tin phong trào số {i} ở Điện Biên"),
            tags,
        )
        .await;
        publish(&editor, &reviewer, id).await;
        ids.push(id);
    }
    let other = draft(&editor, "11", "Khen thưởng tập thể", "").await;
    sqlx::query("UPDATE articles SET topic = 'khen-thuong' WHERE id = $1")
        .bind(other)
        .execute(app.db.pool())
        .await
        .unwrap();
    publish(&editor, &reviewer, other).await;

    // Page 1 has 10 items and "Xem thêm" to page 2, plain and with htmx.
    let html = public.get("/tin-tuc").await.text().await.unwrap();
    assert_eq!(html.matches("class=\"news-item\"").count(), 10);
    assert!(html.contains("href=\"/tin-tuc?trang=2\" hx-get=\"/tin-tuc/them?trang=2\""));
    let more = public
        .get("/tin-tuc/them?trang=2")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(more.matches("class=\"news-item\"").count(), 3);
    assert!(!more.contains("<html"));
    assert!(!more.contains("Xem thêm"), "the last page has no more");
    let page2 = public.get("/tin-tuc?trang=2").await.text().await.unwrap();
    assert!(page2.contains("Trang trước"));
    assert_eq!(
        public.get("/tin-tuc?trang=3").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        public.get("/tin-tuc/tinh/11%20").await.status(),
        StatusCode::NOT_FOUND
    );
    let bad = public.get("/tin-tuc?trang=abc").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(bad
        .text()
        .await
        .unwrap()
        .contains("không hợp lệ: cần một số từ 1"));

    // A topic page, a province page and the month's archive.
    let topic = public
        .get("/tin-tuc/chu-de/khen-thuong")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(topic.matches("class=\"news-item\"").count(), 1);
    let province = public.get("/tin-tuc/tinh/11").await.text().await.unwrap();
    assert!(province.contains("Tỉnh Điện Biên"));
    assert_eq!(
        public.get("/tin-tuc/tinh/99").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        public.get("/tin-tuc/chu-de/khong-co").await.status(),
        StatusCode::NOT_FOUND
    );

    // Related news: the same topic, place and tags first; never itself.
    let slug = slug_of(&app, ids[1]).await;
    let html = public
        .get(&format!("/tin-tuc/{slug}"))
        .await
        .text()
        .await
        .unwrap();
    let related = html.split("id=\"related-title\"").nth(1).unwrap();
    assert_eq!(related.matches("<li>").count(), 5);
    assert!(!related.contains(&format!("/tin-tuc/{slug}\"")));
    assert!(!related.contains("Khen thưởng tập thể"));

    // The API says the same.
    let (status, body): (StatusCode, Value) = public
        .get_json("/api/v1/public/articles?category=phong-trao&province=11&page=2")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["total"], 12);
    assert_eq!(body["items"].as_array().unwrap().len(), 2);
    let (status, body) = public
        .get_json("/api/v1/public/articles?category=xyz")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"]
        .as_str()
        .unwrap()
        .contains("Không có chuyên mục"));

    // Feeds and the sitemap.
    let atom = public.get("/tin-tuc/atom.xml").await;
    assert_eq!(
        atom.headers().get("content-type").unwrap(),
        "application/atom+xml; charset=utf-8"
    );
    let atom = atom.text().await.unwrap();
    assert_eq!(atom.matches("<entry>").count(), 13);
    assert!(atom.contains("<title>Khen thưởng tập thể</title>"));
    let feed = public
        .get("/tin-tuc/chu-de/khen-thuong/atom.xml")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(feed.matches("<entry>").count(), 1);
    let sitemap = public.get("/sitemap.xml").await.text().await.unwrap();
    assert!(sitemap.contains(&format!("/tin-tuc/{slug}</loc>")));
}

fn picture() -> Vec<u8> {
    let img = image::RgbImage::from_fn(1200, 800, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&img)
        .unwrap();
    // An EXIF segment with a GPS marker right after SOI.
    let mut with_exif = vec![0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x12];
    with_exif.extend_from_slice(b"Exif\0\0GPS-21.38N");
    with_exif.extend_from_slice(&out[2..]);
    with_exif
}

#[tokio::test]
async fn pictures_come_in_widths_without_their_metadata() {
    let app = spawn_app().await;
    let editor = app.logged_in("bientap.anh", Role::Editor, "11").await;
    let reviewer = app.logged_in("duyettin.anh", Role::Reviewer, "11").await;
    let public = app.agent();
    let id = draft(&editor, "11", "Bài có ảnh", "").await;
    let csrf = editor.csrf.clone().unwrap();
    let (ct, body) = multipart_form(
        &[
            ("csrf_token", &csrf),
            ("caption", "Lễ ra mắt mô hình"),
            ("credit", "Công an tỉnh"),
        ],
        &[("photo", &picture())],
    );
    let res = editor
        .post_raw(&format!("/bien-tap/bai/{id}/anh"), &ct, body)
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let image_id: i64 = sqlx::query_scalar("SELECT id FROM article_images WHERE article_id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    // Not public while a draft; the editor sees it.
    assert_eq!(
        public
            .get(&format!("/tin-tuc/anh/{image_id}/480"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        editor
            .get(&format!("/bien-tap/anh/{image_id}/480"))
            .await
            .status(),
        StatusCode::OK
    );
    // Placed in the body by "[ảnh 1]".
    let res = editor
        .post_form(
            &format!("/bien-tap/bai/{id}"),
            &[
                ("unit", "11"),
                ("topic", "phong-trao"),
                ("headline", "Bài có ảnh"),
                ("body", "Mở đầu.\n\n[ảnh 1]"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    publish(&editor, &reviewer, id).await;
    for (w, h) in [(480, 320), (960, 640), (1600, 800)] {
        let res = public.get(&format!("/tin-tuc/anh/{image_id}/{w}")).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers().get("content-type").unwrap(), "image/jpeg");
        let bytes = res.bytes().await.unwrap();
        assert!(!bytes.windows(6).any(|x| x == b"GPS-21"), "metadata gone");
        let back = image::load_from_memory(&bytes).unwrap();
        assert_eq!((back.width(), back.height()), (w.min(1200), h.min(800)));
    }
    let slug = slug_of(&app, id).await;
    let html = public.get("/tin-tuc").await.text().await.unwrap();
    assert!(html.contains(&format!("/tin-tuc/anh/{image_id}/480 480w")));
    let article = public
        .get(&format!("/tin-tuc/{slug}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(article.contains("property=\"og:image\""));
    // Not a picture: refused in words.
    let (ct, body) = multipart_form(
        &[("csrf_token", &csrf), ("caption", "x")],
        &[("photo", b"not a picture")],
    );
    let res = editor
        .post_raw(&format!("/bien-tap/bai/{id}/anh"), &ct, body)
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM article_images WHERE article_id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(n, 1);

    // Published: the editor may no longer change the picture; the reviewer
    // re-captions it (a credit typed with "Ảnh:" keeps the name only), then
    // removes it; both audited, the public copy gone.
    let change = format!("/bien-tap/bai/{id}/anh/{image_id}");
    let caption = |who: &'static str| {
        [
            ("action", "sua"),
            ("caption", who),
            ("credit", "Ảnh: Minh Anh"),
        ]
    };
    editor
        .post_form(&change, &caption("Sửa bởi biên tập"))
        .await;
    reviewer
        .post_form(&change, &caption("Lễ ra mắt mô hình Camera an ninh"))
        .await;
    let (cap, credit): (String, String) =
        sqlx::query_as("SELECT caption, credit FROM article_images WHERE id = $1")
            .bind(image_id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(
        (cap.as_str(), credit.as_str()),
        ("Lễ ra mắt mô hình Camera an ninh", "Minh Anh")
    );
    let article = public
        .get(&format!("/tin-tuc/{slug}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        article.contains(
            "Lễ ra mắt mô hình Camera an ninh <span class=\"muted\">(Ảnh: Minh Anh)</span>"
        ),
        "{article}"
    );
    // Another article's path for this picture: not found.
    let other = draft(&editor, "11", "Bài khác", "").await;
    let res = reviewer
        .post_form(
            &format!("/bien-tap/bai/{other}/anh/{image_id}"),
            &[("action", "xoa")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = reviewer.post_form(&change, &[("action", "xoa")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        public
            .get(&format!("/tin-tuc/anh/{image_id}/480"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE entity = 'article' AND entity_id = $1 \
         AND action LIKE 'article.image%' ORDER BY id",
    )
    .bind(id.to_string())
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        actions,
        [
            "article.image_add",
            "article.image_caption",
            "article.image_remove"
        ]
    );
}

/// Links readers and feed readers keep: the configured address, else the
/// request's host, over https only when antq knows it is reached so.
#[tokio::test]
async fn public_links_use_the_public_address() {
    let sitemap = |app: &TestApp, proto: Option<&'static str>| {
        let a = app.agent();
        async move {
            let res = match proto {
                Some(p) => {
                    a.client_get_with("/sitemap.xml", "x-forwarded-proto", p)
                        .await
                }
                None => a.get("/sitemap.xml").await,
            };
            assert_eq!(res.status(), StatusCode::OK);
            res.text().await.unwrap()
        }
    };
    let direct = spawn_app().await;
    // A client cannot make antq print https links it is not reached by.
    assert!(sitemap(&direct, Some("https"))
        .await
        .contains("<loc>http://127.0.0.1"));
    let proxied = crate::helpers::spawn_app_with(|c| c.trust_proxy = true).await;
    assert!(sitemap(&proxied, Some("https"))
        .await
        .contains("<loc>https://127.0.0.1"));
    assert!(sitemap(&proxied, None)
        .await
        .contains("<loc>http://127.0.0.1"));
    let named =
        crate::helpers::spawn_app_with(|c| c.public_url = Some("https://antq.example.vn".into()))
            .await;
    let map = sitemap(&named, None).await;
    assert!(map.contains("<loc>https://antq.example.vn/"), "{map}");
    assert!(!map.contains("127.0.0.1"), "{map}");
}
