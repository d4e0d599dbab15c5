//! The public search, on SQLite always and on PostgreSQL when
//! `ANTQ_TEST_DATABASE_URL` names a server: the demo library found by
//! words with or without accents, by references and their aliases, by
//! reference prefixes, phrases and filters; exact diacritics ranked first;
//! NFD typed like NFC; a document that is not public never found; the
//! index following the change log (a file's text, an article, a document
//! withdrawn), on disk across a reopen.

use antq_core::auth::Role;
use antq_core::dates::parse_date;
use antq_core::units::UnitCode;
use antq_storage::accounts::access::{Actor, Grant};
use antq_storage::portal::changes::{self, ItemKind};
use antq_storage::programmes::documents::{self, file_text};
use antq_storage::search::{indexer, Item, Search, SearchQuery};
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::{units, Db, StorageError};

fn q(text: &str) -> SearchQuery {
    SearchQuery {
        q: text.into(),
        ..SearchQuery::default()
    }
}

fn titles(s: &Search, query: SearchQuery) -> Vec<String> {
    s.search(query)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.title)
        .collect()
}

fn first(s: &Search, text: &str) -> String {
    titles(s, q(text)).into_iter().next().unwrap_or_default()
}

async fn national_admin(db: &Db) -> Actor {
    let u = units::get_at(
        db,
        &UnitCode::parse("VN").unwrap(),
        parse_date("2026-01-01").unwrap(),
    )
    .await
    .unwrap();
    Actor {
        user_id: 0,
        username: "quantri".into(),
        display_name: String::new(),
        grants: vec![Grant {
            id: 0,
            role: Role::Admin,
            unit_id: u.id,
            unit_code: u.code.clone(),
            unit_name: u.name.clone(),
            unit_level: u.level,
            unit_valid_from: None,
            unit_valid_to: None,
        }],
    }
}

async fn demo_library(db: &Db) -> Search {
    let s = Search::in_ram().unwrap();
    indexer::catch_up(db, &s).await.unwrap();
    assert!(s.is_empty(), "nothing is public before the demo");
    let made = antq_storage::demo::library::load(db).await.unwrap();
    assert!(made >= 10, "{made}");
    assert_eq!(antq_storage::demo::library::load(db).await.unwrap(), 0);
    indexer::catch_up(db, &s).await.unwrap();
    assert_eq!(s.len(), made as u64);
    assert_eq!(s.applied().unwrap(), Some(changes::last(db).await.unwrap()));
    s
}

async fn finds_the_instruments(db: &Db, s: &Search) {
    // The checks of issue 16: programme 09 by its words without accents and
    // by the press's variant of its reference.
    assert!(first(s, "chuong trinh phoi hop 09").contains("09/CTr-BCA-MTTW"));
    assert!(first(s, "Chương trình phối hợp 09").contains("09/CTr-BCA-MTTW"));
    assert!(first(s, "09/Ctr-BCA-TTTW").contains("09/CTr-BCA-MTTW"));
    assert!(first(s, "số 09/CTr-BCA-MTTQ").contains("09/CTr-BCA-MTTW"));
    // A reference's start finds it.
    assert!(first(s, "124/2021").contains("124/2021/TT-BCA"));
    assert!(first(s, "thông tư 124/2021").contains("124/2021/TT-BCA"));
    // Accent-insensitive, đ = d, NFD like NFC.
    let with = s.search(q("an ninh Tổ quốc")).unwrap().total;
    assert!(with >= 5, "{with}");
    assert_eq!(s.search(q("an ninh to quoc")).unwrap().total, with);
    assert_eq!(s.search(q("AN NINH TỔ QUỐC")).unwrap().total, with);
    let nfd = "an ninh To\u{302}\u{309} quo\u{302}\u{301}c";
    assert_eq!(s.search(q(nfd)).unwrap().total, with);
    assert!(first(s, "nghi dinh 06/2014/ND-CP").contains("06/2014/NĐ-CP"));
    assert!(first(s, "06/2014/nđ-cp").contains("06/2014/NĐ-CP"));
    // Full text (generated DOCX): words that are only in the file.
    let r = s.search(q("Điều 3 trách nhiệm của các bên")).unwrap();
    assert!(r.total >= 5);
    // Highlights: escaped text around <mark>.
    let r = s.search(q("ngay hoi toan dan")).unwrap();
    assert!(r.hits[0].title_html.contains("<mark>") || r.hits[0].snippet.contains("<mark>"));
    assert!(r.hits.iter().all(|h| !h.snippet.contains("<script")));
    let r = s.search(q("\u{201C}Ngày hội toàn dân")).unwrap();
    assert!(
        r.hits[0].title.contains("521/2005/QĐ-TTg"),
        "{:?}",
        r.hits[0].title
    );
    assert!(
        r.hits[0].title_html.contains("&#")
            || !r.hits[0].title_html.contains('\u{201C}')
            || r.hits[0].title_html.contains("<mark>")
    );
    // Filters: kind, document kind, issuer, year, in force / expired.
    let only = |f: fn(&mut SearchQuery)| {
        let mut query = q("an ninh");
        f(&mut query);
        titles(s, query)
    };
    assert!(only(|q| q.kind = Some(ItemKind::Article)).is_empty());
    let circulars = only(|q| q.doc_kind = Some("thong_tu".into()));
    assert_eq!(circulars.len(), 1, "{circulars:?}");
    let bca = only(|q| q.issuer = Some("bo cong an".into()));
    assert!(
        bca.len() >= 4 && bca.iter().all(|t| !t.starts_with("Chỉ thị")),
        "{bca:?}"
    );
    let y = only(|q| q.year = Some(2013));
    assert_eq!(y.len(), 1, "{y:?}");
    let expired = titles(
        s,
        SearchQuery {
            in_force: Some(false),
            ..SearchQuery::default()
        },
    );
    assert_eq!(expired.len(), 1, "{expired:?}");
    assert!(expired[0].contains("09/CTr-BCA-MTTW"));
    // The unconfirmed decision is not public: never found.
    assert_eq!(s.search(q("77/QĐ-TTg")).unwrap().total, 0);
    assert_eq!(s.search(q("chưa xác minh")).unwrap().total, 0);
    // Suggestions as one types.
    let sug = s.suggest("chuong trinh phoi h").unwrap();
    assert!(
        sug.iter().any(|x| x.title.contains("09/CTr-BCA-MTTW")),
        "{sug:?}"
    );
    let sug = s.suggest("124/20").unwrap();
    assert!(sug[0].title.contains("124/2021/TT-BCA"), "{sug:?}");
    // Bounds, with Vietnamese messages.
    let long = "a".repeat(201);
    let e = s.search(q(&long)).unwrap_err();
    assert!(
        matches!(e, StorageError::Invalid(_)) && e.to_string().contains("200"),
        "{e}"
    );
    let e = s
        .search(SearchQuery {
            page: 101,
            ..q("an ninh")
        })
        .unwrap_err();
    assert!(e.to_string().contains("trang"), "{e}");
    // Pages.
    let p1 = s.search(q("an ninh")).unwrap();
    let p2 = s.search(SearchQuery {
        page: 2,
        ..q("an ninh")
    });
    if p1.total > 10 {
        assert!(!p2.unwrap().hits.is_empty());
    } else {
        // Past the last page: said so, not an empty page.
        assert!(p2.unwrap_err().to_string().contains("Không có trang 2"));
    }
    let e = s
        .search(SearchQuery {
            page: p1.pages + 1,
            ..q("an ninh")
        })
        .unwrap_err();
    assert!(e.to_string().contains("Không có trang"), "{e}");
    let _ = db;
}

async fn follows_changes(db: &Db, s: &Search) {
    let admin = national_admin(db).await;
    let p09 = documents::by_reference(db, documents::PROGRAMME_09)
        .await
        .unwrap()
        .unwrap();
    // A DOCX uploaded: its text is kept and found after the next step.
    let bytes = file_text::docx_of(&["Hội thi dân vận khéo ở bản Mường Phăng".into()]);
    documents::attach(db, &admin, p09.id, "phu-luc.docx", &bytes)
        .await
        .unwrap();
    assert_eq!(s.search(q("dan van kheo")).unwrap().total, 0);
    assert!(indexer::step(db, s, 1_000).await.unwrap() > 0);
    assert!(first(s, "dan van kheo").contains("09/CTr-BCA-MTTW"));
    // A published article is found; a draft is not.
    let unit: i64 = sqlx::query_scalar("SELECT id FROM units WHERE code = 'VN'")
        .fetch_one(db.pool())
        .await
        .unwrap();
    for (slug, state) in [("ngay-hoi-muong-phang", "published"), ("nhap", "draft")] {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO articles (slug, unit_id, headline, lead, body, topic, state, \
             published_at, search_key, created_by, created_at, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'phong-trao', $6, '2026-08-19T08:00:00Z', '', 't', \
             '2026-08-19T08:00:00Z', 't', '2026-08-19T08:00:00Z') RETURNING id",
        )
        .bind(slug)
        .bind(unit)
        .bind(format!("Ngày hội Đại đoàn kết ở Mường Phăng ({state})"))
        .bind("Bà con các bản cùng bàn việc giữ gìn an ninh")
        .bind("Năm nay, Ngày hội diễn ra ở sân văn hóa xã.")
        .bind(state)
        .fetch_one(db.pool())
        .await
        .unwrap();
        let mut tx = db.begin_write().await.unwrap();
        changes::record(&mut tx, ItemKind::Article, id)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    indexer::catch_up(db, s).await.unwrap();
    let r = s
        .search(SearchQuery {
            kind: Some(ItemKind::Article),
            ..q("dai doan ket muong phang")
        })
        .unwrap();
    assert_eq!(r.total, 1);
    assert_eq!(r.hits[0].url, "/tin-tuc/ngay-hoi-muong-phang");
    assert_eq!(r.hits[0].date.as_deref(), Some("2026-08-19"));
    // A document withdrawn from the public is gone at the next step.
    documents::set_public(db, &admin, p09.id, false, false)
        .await
        .unwrap();
    indexer::catch_up(db, s).await.unwrap();
    assert!(!first(s, "09/Ctr-BCA-TTTW").contains("09/CTr-BCA-MTTW"));
    assert!(documents::public_get(db, p09.id).await.is_err());
    documents::set_public(db, &admin, p09.id, true, false)
        .await
        .unwrap();
    indexer::catch_up(db, s).await.unwrap();
    assert!(first(s, "09/Ctr-BCA-TTTW").contains("09/CTr-BCA-MTTW"));
    // The public page's facts: aliases, relations both ways.
    let page = documents::public_get(db, p09.id).await.unwrap();
    assert_eq!(page.doc.aliases.len(), 3);
    assert!(page
        .relations
        .iter()
        .any(|r| r.backwards && r.word_vi() == "Được thay thế bởi"));
    assert!(page
        .relations
        .iter()
        .any(|r| !r.backwards && r.word_vi() == "Thực hiện"));
    // Audited.
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'document.publish'")
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert_eq!(n, 2);
}

/// Exact diacritics first, phrases, on hand-made items.
#[test]
fn exact_diacritics_rank_first_and_phrases_hold() {
    let s = Search::in_ram().unwrap();
    let item = |id: i64, title: &str, body: &str| Item {
        kind: ItemKind::Article,
        id,
        title: title.into(),
        lead: String::new(),
        body: body.into(),
        url: format!("/tin-tuc/{id}"),
        date: None,
        meta: String::new(),
        references: Vec::new(),
        doc_kind: None,
        issuers: Vec::new(),
        year: None,
        in_force: None,
    };
    s.apply(
        &[],
        &[
            item(1, "Tô điểm phố phường", "Những bức tranh tô điểm."),
            item(2, "Tổ dân phố an toàn", "Tổ dân phố số 3."),
            item(3, "Bàn chuyện an ninh", "Giữ an ninh và trật tự ở bản."),
            item(4, "Giữ gìn an ninh trật tự", "An ninh trật tự ở cơ sở."),
            item(5, "Đường về Điện Biên", "Con đường đẹp."),
        ],
        7,
    )
    .unwrap();
    assert_eq!(s.applied().unwrap(), Some(7));
    let ids = |text: &str| -> Vec<i64> {
        s.search(q(text))
            .unwrap()
            .hits
            .iter()
            .map(|h| h.id)
            .collect()
    };
    assert_eq!(ids("tổ"), [2, 1]);
    assert_eq!(ids("tô"), [1, 2]);
    assert_eq!(ids("to").len(), 2);
    assert_eq!(ids("an ninh trat tu").len(), 2);
    assert_eq!(ids("\"an ninh trat tu\""), [4]);
    assert_eq!(ids("\"an ninh trật tự\""), [4]);
    assert_eq!(ids("duong dien bien"), [5]);
    assert_eq!(ids("ĐƯỜNG"), [5]);
    // Only signs: nothing to look for, so nothing found (not every item).
    assert!(ids("?!").is_empty());
    assert!(ids("\"\" ...").is_empty());
    assert_eq!(ids("").len(), 5);
    let r = s.search(q("dien bien")).unwrap();
    assert_eq!(
        r.hits[0].title_html,
        "Đường về <mark>Điện</mark> <mark>Biên</mark>"
    );
}

#[tokio::test]
async fn an_index_on_disk_keeps_its_place() {
    let dir = std::env::temp_dir().join(format!(
        "antq-search-{}",
        &antq_core::auth::random_secret()[..12]
    ));
    {
        let s = Search::open(&dir).unwrap();
        assert_eq!(s.applied().unwrap(), None);
        s.apply(&[], &antq_storage::search::generate::bench_items(30, 1), 42)
            .unwrap();
    }
    let s = Search::open(&dir).unwrap();
    assert_eq!(s.applied().unwrap(), Some(42));
    assert_eq!(s.len(), 30);
    std::fs::remove_dir_all(&dir).ok();
}

async fn all(db: Db) {
    let s = demo_library(&db).await;
    finds_the_instruments(&db, &s).await;
    follows_changes(&db, &s).await;
}

#[tokio::test]
async fn search_on_sqlite() {
    let t = TestDb::sqlite();
    all(t.ready().await).await;
}

#[tokio::test]
async fn search_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set");
        return;
    };
    let t = TestDb::postgres(&server).await;
    all(t.ready().await).await;
}
