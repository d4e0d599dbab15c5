//! Two `antq serve` processes on one PostgreSQL database (the second
//! reading analytics and public pages through `read_database_url`), as behind a
//! load balancer: both start at once on an empty database (one migrates,
//! the other waits for it), a session made on one works on the other, a
//! save on one is in the other's analytics at once, and a document made
//! public reaches the other node's search index within seconds, and
//! guesses at one account count on both nodes together. Skipped
//! without ANTQ_TEST_DATABASE_URL.

mod support;

use std::time::{Duration, Instant};

use antq_storage::portal::changes::{self, ItemKind};
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::Db;
use serde_json::{json, Value};
use support::*;

async fn json_of(res: reqwest::Response) -> (u16, Value) {
    let s = res.status().as_u16();
    (s, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_nodes_share_one_postgresql() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the two-node test did not run");
        return;
    };
    let t = TestDb::postgres(&server).await;
    let (dir_a, dir_b) = (temp_dir("node-a"), temp_dir("node-b"));

    // Both start at once on the empty database.
    let (url_a, url_b, da, db_) = (t.url.clone(), t.url.clone(), dir_a.clone(), dir_b.clone());
    // Behind one proxy, with the secret every node of a database shares.
    let secret: &'static str = Box::leak("5a".repeat(32).into_boxed_str());
    let env = [("ANTQ__TRUST_PROXY", "true"), ("ANTQ__TIPS_SECRET", secret)];
    // Node B reads analytics and public pages from a "replica": here the
    // primary itself, as the README allows for a test.
    let replica: &'static str = Box::leak(t.url.clone().into_boxed_str());
    let env_b = [
        ("ANTQ__TRUST_PROXY", "true"),
        ("ANTQ__TIPS_SECRET", secret),
        ("ANTQ__READ_DATABASE_URL", replica),
    ];
    let a = std::thread::spawn(move || Server::start_with(&url_a, &da, &env));
    let b = std::thread::spawn(move || Server::start_with(&url_b, &db_, &env_b));
    let (a, b) = (a.join().unwrap(), b.join().unwrap());
    let db = Db::connect(&t.url).await.unwrap();
    assert!(antq_storage::migrations::pending(&db)
        .await
        .unwrap()
        .is_empty());
    let versions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM schema_migrations")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(
        versions as usize,
        antq_storage::migrations::latest() as usize,
        "each migration applied once"
    );
    for node in [&a, &b] {
        let res = reqwest::get(format!("{}/readyz", node.base)).await.unwrap();
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }

    // A session made on node A works on node B.
    officer(&t.url, &dir_a, "ca.03151", "03151");
    officer(&t.url, &dir_a, "ca.dienbien", "11");
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let (s, login) = json_of(
        browser
            .post(format!("{}/api/v1/session", a.base))
            .json(&json!({"username": "ca.03151", "password": PASSWORD}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 200, "{login}");
    let csrf = login["csrf_token"].as_str().unwrap().to_string();
    let (s, saved) = json_of(
        browser
            .put(format!("{}{}", b.base, report_path("03151")))
            .header("x-csrf-token", &csrf)
            .json(&json!({"values": {"tt_buoi": 17}}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        s, 200,
        "the session of node A saves through node B: {saved}"
    );

    // A save on B is in A's analytics at once, and the other way round.
    let province = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let (s, _) = json_of(
        province
            .post(format!("{}/api/v1/session", b.base))
            .json(&json!({"username": "ca.dienbien", "password": PASSWORD}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 200);
    let analytics = "/api/v1/analytics?indicators=tt_buoi&unit=11&from=2026&approved_only=false";
    let (s, r) = json_of(
        province
            .get(format!("{}{analytics}", a.base))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["rows"][0]["value"], 17.0, "{r}");
    let (s, _) = json_of(
        browser
            .put(format!("{}{}", a.base, report_path("03151")))
            .header("x-csrf-token", &csrf)
            .json(&json!({"values": {"tt_buoi": 21}}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 200);
    let (_, r) = json_of(
        province
            .get(format!("{}{analytics}", b.base))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r["rows"][0]["value"], 21.0, "{r}");

    // A document made public through node A's database reaches node B's index.
    let register = dir_a.join("vanban.csv");
    std::fs::write(
        &register,
        "loại,số ký hiệu,ngày ban hành,cơ quan ban hành,trích yếu,tên gọi khác\n\
         Kế hoạch,77/KH-CAT,02/03/2026,Công an tỉnh,Về phòng ngừa tội phạm ở vùng biên giới Mường Nhé,\n",
    )
    .unwrap();
    antq_ok(
        &t.url,
        &dir_a,
        &["documents", "import", register.to_str().unwrap()],
        None,
    );
    let id: i64 = sqlx::query_scalar("SELECT id FROM documents WHERE subject LIKE '%Mường Nhé%'")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let mut tx = db.begin_write().await.unwrap();
    sqlx::query("UPDATE documents SET public = 1 WHERE id = $1")
        .bind(id)
        .execute(tx.conn())
        .await
        .unwrap();
    changes::record(&mut tx, ItemKind::Document, id)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let started = Instant::now();
    let mut found = false;
    while started.elapsed() < Duration::from_secs(15) {
        let (s, r) = json_of(
            reqwest::get(format!("{}/api/v1/public/search?q=muong+nhe", b.base))
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(s, 200, "{r}");
        if r["total"].as_i64().unwrap_or(0) > 0 {
            found = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(found, "node B's index caught up within 15 s");
    eprintln!(
        "node B found the document after {} ms",
        started.elapsed().as_millis()
    );

    // 50 wrong passwords for one account, from 50 addresses, half on each
    // node: neither node alone reached its limit of 50, together they did.
    let guess = |node: &str, addr: String, password: &'static str| {
        let url = format!("{node}/api/v1/session");
        async move {
            reqwest::Client::new()
                .post(url)
                .header("x-forwarded-for", addr)
                .json(&json!({"username": "ca.dienbien", "password": password}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    for i in 0..50 {
        let node = if i % 2 == 0 { &a.base } else { &b.base };
        let s = guess(node, format!("198.51.100.{}", i + 1), "doan-sai-mat-khau").await;
        assert_eq!(s, 401, "guess {i}");
    }
    for node in [&a.base, &b.base] {
        let s = guess(node, "203.0.113.77".into(), PASSWORD).await;
        assert_eq!(
            s, 429,
            "a stranger waits on every node, even with the right password"
        );
    }

    // 20 wrong passwords from one address for 20 names, half on each node:
    // neither node alone reached its limit of 20 for an address, together
    // they did; the address's next attempt waits on both nodes.
    let stranger = |node: &str, username: String, password: &'static str| {
        let url = format!("{node}/api/v1/session");
        async move {
            reqwest::Client::new()
                .post(url)
                .header("x-forwarded-for", "192.0.2.99")
                .json(&json!({"username": username, "password": password}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    for i in 0..20 {
        let node = if i % 2 == 0 { &a.base } else { &b.base };
        let s = stranger(node, format!("khach.{i}"), "doan-sai-mat-khau").await;
        assert_eq!(s, 401, "guess {i} from one address");
    }
    for node in [&a.base, &b.base] {
        let s = stranger(node, "ca.03151".into(), PASSWORD).await;
        assert_eq!(s, 429, "the address waits on every node");
    }
    db.close().await;
    a.kill();
    b.kill();
    let _ = std::fs::remove_dir_all(&dir_a);
    let _ = std::fs::remove_dir_all(&dir_b);
}
