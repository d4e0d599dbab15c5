//! The public search and document pages (no login): the demo library found
//! by words without accents and by the press's spelling of a reference,
//! highlighted; the API's contract and its bounds with Vietnamese JSON
//! errors; a document that is not public is 404 (page and files); an
//! officer makes a document public and the search finds it.

use antq_core::auth::Role;
use antq_storage::programmes::documents;
use antq_storage::search::indexer;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{spawn_app, TestApp};

async fn demo(app: &TestApp) {
    antq_storage::demo::library::load(&app.db).await.unwrap();
    indexer::catch_up(&app.db, &app.state.search).await.unwrap();
}

async fn id_of(app: &TestApp, reference: &str) -> i64 {
    documents::by_reference(&app.db, reference)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn readers_search_and_read_public_documents() {
    let app = spawn_app().await;
    demo(&app).await;
    let a = app.agent();
    let p09 = id_of(&app, documents::PROGRAMME_09).await;

    // The page, without login and without JavaScript: a plain GET form.
    let res = a.get("/tim-kiem-van-ban").await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("action=\"/tim-kiem-van-ban\"") && html.contains("lang=\"vi\""));

    for q in ["chuong+trinh+phoi+hop+09", "09%2FCtr-BCA-TTTW"] {
        let html = a
            .get(&format!("/tim-kiem-van-ban?q={q}"))
            .await
            .text()
            .await
            .unwrap();
        let first = html
            .split("class=\"search-hit\"")
            .nth(1)
            .unwrap_or_else(|| panic!("no results for {q}"));
        assert!(
            first.contains(&format!("href=\"/van-ban-cong-khai/{p09}\"")),
            "{q}: {first}"
        );
        assert!(first.contains("<mark>"), "{q}: highlighted");
    }
    // Filters and pages in the address.
    let html = a
        .get("/tim-kiem-van-ban?q=an+ninh&hieu_luc=het")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(html.matches("class=\"search-hit\"").count(), 1);
    // A query too long: said in Vietnamese on the page.
    let long = "a".repeat(201);
    let html = a
        .get(&format!("/tim-kiem-van-ban?q={long}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("nhiều nhất là 200"), "bounded");

    // The document's page: the reference as printed, aliases, relations, files.
    let res = a.get(&format!("/van-ban-cong-khai/{p09}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Số: 09/CTr-BCA-MTTW"));
    assert!(html.contains("09/Ctr-BCA-TTTW"));
    assert!(html.contains("Được thay thế bởi"));
    assert!(html.contains("Thực hiện"));
    assert!(html.contains("Hết hiệu lực"));
    let file = html
        .split(&format!("/van-ban-cong-khai/{p09}/tep/"))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let res = a.get(&format!("/van-ban-cong-khai/{p09}/tep/{file}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("wordprocessingml"));

    // Not public: 404, page and file.
    let private: i64 = sqlx::query_scalar("SELECT id FROM documents WHERE public = 0")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(
        a.get(&format!("/van-ban-cong-khai/{private}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        a.get(&format!("/van-ban-cong-khai/{private}/tep/1"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        a.get("/van-ban-cong-khai/999999").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_api_answers_its_contract() {
    let app = spawn_app().await;
    demo(&app).await;
    let a = app.agent();
    let (s, v) = a.get_json("/api/v1/public/search?q=124%2F2021").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let first = &v["items"][0];
    for k in ["kind", "id", "title", "url", "snippet", "date"] {
        assert!(first.get(k).is_some(), "{k} in {first}");
    }
    assert_eq!(first["kind"], "document");
    assert!(first["title"].as_str().unwrap().contains("124/2021/TT-BCA"));
    assert_eq!(first["date"], "2021-12-28");
    assert!(v["total"].as_u64().unwrap() >= 1);
    assert!(v["took_ms"].is_number());
    let (_, v) = a
        .get_json("/api/v1/public/search?q=an+ninh+to+quoc&kind=article")
        .await;
    assert_eq!(v["total"], 0);
    let (_, v) = a
        .get_json("/api/v1/public/search?q=an+ninh+to+quoc&kind=document")
        .await;
    assert!(v["total"].as_u64().unwrap() >= 5);
    // Suggestions.
    let (s, v) = a
        .get_json("/api/v1/public/search/suggest?q=chuong+trinh+phoi")
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(v["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["title"].as_str().unwrap().contains("09/CTr-BCA-MTTW")));
    // Bounds: JSON errors in Vietnamese.
    let long = "a".repeat(201);
    for (path, words) in [
        (format!("/api/v1/public/search?q={long}"), "200"),
        ("/api/v1/public/search?q=a&page=101".into(), "trang"),
        ("/api/v1/public/search?q=a&page=abc".into(), "Trang"),
        ("/api/v1/public/search?q=a&kind=tin".into(), "Loại kết quả"),
        ("/api/v1/public/search?q=a&nam=abc".into(), "Năm"),
        (format!("/api/v1/public/search/suggest?q={long}"), "200"),
    ] {
        let (s, v) = a.get_json(&path).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {v}");
        assert!(v["error"].as_str().unwrap().contains(words), "{path}: {v}");
    }
    // Only signs: nothing found, never every item.
    let (s, v) = a.get_json("/api/v1/public/search?q=%3F%21").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["total"], 0, "{v}");
    // The page shows the form again with the error, under the error's status.
    let res = a.get("/tim-kiem-van-ban?q=a&nam=abc").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("không phải số"), "{body}");
    assert!(body.contains("name=\"q\""), "{body}");
    // Described in the OpenAPI document.
    let (_, doc) = a.get_json("/api/v1/openapi.json").await;
    assert!(doc["paths"]["/public/search"]["get"].is_object());
    assert!(doc["paths"]["/documents/{id}/public"]["put"].is_object());
}

#[tokio::test]
async fn officers_make_documents_public_and_relate_them() {
    let app = spawn_app().await;
    demo(&app).await;
    let private: i64 = sqlx::query_scalar("SELECT id FROM documents WHERE public = 0")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let reader = app.agent();
    let (_, v) = reader.get_json("/api/v1/public/search?q=xac+minh").await;
    assert_eq!(v["total"], 0);
    // A viewer may not.
    let viewer = app.logged_in("xem.vn", Role::Viewer, "VN").await;
    let res = viewer
        .post_form(&format!("/van-ban/{private}/cong-khai"), &[("public", "1")])
        .await;
    assert!(res.status().is_redirection());
    assert_eq!(
        documents::public_state(&app.db, private).await.unwrap(),
        (false, true)
    );
    // A national administrator: the page's form, then the API.
    let admin = app.logged_in("qt.vn", Role::Admin, "VN").await;
    let page = admin
        .get(&format!("/van-ban/{private}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("id=\"doc-public-form\""));
    let res = admin
        .post_form(
            &format!("/van-ban/{private}/cong-khai"),
            &[("public", "1"), ("in_force", "1")],
        )
        .await;
    assert!(res.status().is_redirection());
    indexer::catch_up(&app.db, &app.state.search).await.unwrap();
    let (_, v) = reader.get_json("/api/v1/public/search?q=xac+minh").await;
    assert_eq!(v["total"], 1, "{v}");
    let (s, _) = admin
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/documents/{private}/public"),
            json!({"public": false}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    indexer::catch_up(&app.db, &app.state.search).await.unwrap();
    let (_, v) = reader.get_json("/api/v1/public/search?q=xac+minh").await;
    assert_eq!(v["total"], 0);
    // Relations: by the page (a reference typed) and the API.
    let kl44 = id_of(&app, "44-KL/TW").await;
    let ct09 = id_of(&app, "09-CT/TW").await;
    let res = admin
        .post_form(
            &format!("/van-ban/{kl44}/lien-quan"),
            &[("kind", "replaces"), ("other", "09-ct/tw")],
        )
        .await;
    assert!(res.status().is_redirection());
    assert_eq!(
        documents::public_state(&app.db, ct09).await.unwrap(),
        (true, false)
    );
    let (s, v) = admin
        .post_json(
            &format!("/api/v1/documents/{kl44}/relations"),
            json!({"related_id": ct09, "kind": "supersedes"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, _) = admin
        .send_json(
            reqwest::Method::DELETE,
            &format!("/api/v1/documents/{kl44}/relations/{ct09}/replaces"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('document.publish', 'document.relate', 'document.unrelate')",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(n, 4);
}
