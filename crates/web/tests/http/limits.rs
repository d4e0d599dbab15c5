//! Bounded work on every input: entry-form posts, value saves, analytics
//! requests, flash cookies, download names, slow clients and connections.
//! Sizes are stated; time bounds are ratios or generous ceilings.

use std::time::{Duration, Instant};

use antq_core::auth::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{spawn_app, spawn_app_with, Agent};

const ENTRY: &str = "/so-lieu/antq-nam/03325/2026";
const API: &str = "/api/v1/data/antq-nam/03325/2026";

/// A urlencoded body of `n` value fields (`v:k0=1&v:k1=1…`), then the CSRF token.
fn many_fields(n: usize, value: &str, csrf: &str) -> String {
    let mut body = String::with_capacity(n * 16);
    for i in 0..n {
        body.push_str(&format!("v%3Ak{i}={value}&"));
    }
    body.push_str(&format!("csrf_token={csrf}"));
    body
}

async fn post_raw(agent: &Agent, path: &str, body: String, htmx: bool) -> reqwest::Response {
    let mut rb = agent
        .client
        .post(agent.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body);
    if htmx {
        rb = rb.header("hx-request", "true");
    }
    rb.send().await.unwrap()
}

/// The keys (`indicator` or `indicator.option`) of a form.
async fn form_keys(agent: &Agent, form: &str) -> Vec<String> {
    let (s, f) = agent.get_json(&format!("/api/v1/forms/{form}")).await;
    assert_eq!(s, StatusCode::OK, "{f}");
    let mut keys = Vec::new();
    for ind in f["indicators"].as_array().unwrap() {
        let code = ind["code"].as_str().unwrap();
        let options = ind["options"].as_array().unwrap();
        if options.is_empty() {
            keys.push(code.to_string());
        } else {
            for o in options {
                keys.push(format!("{code}.{}", o["code"].as_str().unwrap()));
            }
        }
    }
    keys
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huge_entry_forms_are_refused_quickly_and_healthz_answers() {
    let app = spawn_app().await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let csrf = commune.csrf.clone().unwrap();
    let save = format!("{ENTRY}/luu");

    // A normal save (one value), timed: the reference for the ratio.
    let mut normal = Duration::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        let res = post_raw(
            &commune,
            &save,
            format!("v%3Att_buoi=12&csrf_token={csrf}"),
            false,
        )
        .await;
        normal = normal.min(t.elapsed());
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }

    // 100.000 value fields (1,2 MB): refused whole (413) by the body limit (1 MiB).
    let body = many_fields(100_000, "1", &csrf);
    assert!(body.len() > 1_000_000);
    let t = Instant::now();
    let res = post_raw(&commune, &save, body, false).await;
    let huge = t.elapsed();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let text = res.text().await.unwrap();
    assert!(text.contains("vượt giới hạn 1.048.576 byte"), "{text}");

    // 20.000 value fields (under the body limit): refused by the field cap,
    // before any of them is decoded, with a message naming the limit.
    let body = many_fields(20_000, "1", &csrf);
    assert!(body.len() < 1024 * 1024);
    let t = Instant::now();
    let res = post_raw(&commune, &save, body, false).await;
    let many = t.elapsed();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let text = res.text().await.unwrap();
    assert!(
        text.contains("Yêu cầu có 20.001 trường, vượt giới hạn"),
        "{text}"
    );

    // Quadratic parsing took 80 s for 100.000 fields; now both answers cost
    // about as much as a normal save (generous: 20× it, or 3 s).
    let bound = (normal * 20).max(Duration::from_secs(3));
    assert!(huge < bound, "100.000 fields: {huge:?} (normal {normal:?})");
    assert!(many < bound, "20.000 fields: {many:?} (normal {normal:?})");

    // /healthz keeps answering while four clients post huge forms at once.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut posters = Vec::new();
    for _ in 0..4 {
        let client = commune.client.clone();
        let url = commune.url(&save);
        let body = many_fields(20_000, "abc", &csrf);
        let stop = stop.clone();
        posters.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let res = client
                    .post(&url)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
                n += 1;
            }
            n
        }));
    }
    let probe = app.agent();
    for _ in 0..5 {
        let t = Instant::now();
        let res = probe.get("/healthz").await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(
            t.elapsed() < Duration::from_secs(3),
            "/healthz took {:?} under load",
            t.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for p in posters {
        assert!(p.await.unwrap() >= 1);
    }
}

#[tokio::test]
async fn access_is_checked_before_a_save_is_read() {
    let app = spawn_app().await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let other = app.logged_in("ca.dienbienphu", Role::Police, "03127").await;
    let front = app.logged_in("mt.muongphang", Role::Front, "03325").await;
    let save = format!("{ENTRY}/luu");

    // 20.000 unreadable values from someone who may not enter this report:
    // refused for access (403/404), not for their size or their content.
    for agent in [&other, &front] {
        let csrf = agent.csrf.clone().unwrap();
        let res = post_raw(agent, &save, many_fields(20_000, "abc", &csrf), false).await;
        assert!(
            matches!(res.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{}",
            res.status()
        );
        let text = res.text().await.unwrap();
        assert!(
            !text.contains("không phải số") && !text.contains("trường"),
            "{text}"
        );

        // The same over the API.
        let values: serde_json::Map<String, Value> = (0..20_000)
            .map(|i| (format!("k{i}"), json!("abc")))
            .collect();
        let (s, e) = agent
            .send_json(Method::PUT, API, json!({ "values": values }))
            .await;
        assert!(
            matches!(s, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{s} {e}"
        );
        assert!(e.get("errors").is_none(), "{e}");
    }

    // The owner sending more values than the form has: 413 naming the limit.
    let values: serde_json::Map<String, Value> =
        (0..20_000).map(|i| (format!("k{i}"), json!(1))).collect();
    let (s, e) = commune
        .send_json(Method::PUT, API, json!({ "values": values }))
        .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{e}");
    assert!(
        e["error"]
            .as_str()
            .unwrap()
            .starts_with("Yêu cầu có 20.000 giá trị, vượt giới hạn"),
        "{e}"
    );

    // A field sent twice is refused, not silently resolved.
    let csrf = commune.csrf.clone().unwrap();
    let res = post_raw(
        &commune,
        &save,
        format!("v%3Att_buoi=1&v%3Att_buoi=2&csrf_token={csrf}"),
        true,
    )
    .await;
    let text = res.text().await.unwrap();
    // (named by the indicator's label at its cell, never by the field's code)
    assert!(text.contains("»: ô được gửi hai lần"), "{text}");
    assert!(!text.contains("v:tt_buoi được"), "{text}");
    let (_, r) = commune.get_json(API).await;
    assert!(r["values"].get("tt_buoi").is_none(), "{r}");

    // An ordinary save still works, with qualifier and comment.
    let res = post_raw(
        &commune,
        &save,
        format!(
            "v%3Att_luot=4.378&q%3Att_luot=more_than&c%3Att_luot=%C6%B0%E1%BB%9Bc+t%C3%ADnh&v%3Att_buoi=12&csrf_token={csrf}"
        ),
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, r) = commune.get_json(API).await;
    assert_eq!(r["values"]["tt_luot"]["value"], 4378.0, "{r}");
    assert_eq!(r["values"]["tt_luot"]["qualifier"], "more_than");
    assert_eq!(r["values"]["tt_luot"]["comment"], "ước tính");
    assert_eq!(r["values"]["tt_buoi"]["value"], 12.0);
}

#[tokio::test]
async fn flash_messages_stay_small() {
    let app = spawn_app().await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let csrf = commune.csrf.clone().unwrap();
    let keys = form_keys(&commune, "antq-nam").await;
    // Every value of the form unreadable, each 900 characters long: the
    // error list alone would be far over a cookie's 4 KB.
    let bad = "1a".repeat(450);
    let mut body: String = keys.iter().map(|k| format!("v%3A{k}={bad}&")).collect();
    body.push_str(&format!("csrf_token={csrf}"));
    // The entry page comes back at once, built from what was posted (every
    // typed text kept, each cell marked): no flash cookie to grow.
    let res = post_raw(&commune, &format!("{ENTRY}/luu"), body, false).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("antq_flash=") && !c.contains("Max-Age=0"));
    assert!(cookie.is_none(), "{cookie:?}");
    let page = res.text().await.unwrap();
    assert!(page.contains("không phải số"), "no message shown");
    assert_eq!(
        page.matches(&format!("value=\"{bad}\"")).count(),
        keys.len(),
        "every typed text kept"
    );
}

#[tokio::test]
async fn analytics_requests_are_bounded() {
    let app = spawn_app().await;
    let central = app.logged_in("quantri", Role::Admin, "VN").await;
    let province = app.logged_in("ca.dienbien", Role::Police, "11").await;

    // One indicator asked 1.000 times is asked once.
    let repeated = vec!["tt_buoi"; 1000].join(",");
    let (s, r) = province
        .get_json(&format!(
            "/api/v1/analytics?indicators={repeated}&unit=11&from=2013..2023&approved_only=false"
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let rows = r["rows"].as_array().unwrap();
    assert!(rows.len() <= 11, "{} rows", rows.len());
    assert!(rows.iter().all(|x| x["indicator"] == "tt_buoi"));
    // The pivot page's CSV the same way (`i=` repeated).
    let query = vec!["i=tt_buoi"; 1000].join("&");
    let res = province
        .get(&format!("/phan-tich.csv?{query}&unit=11&from=2013..2023"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let csv = res.text().await.unwrap();
    assert!(csv.len() < 4000, "{} bytes", csv.len());

    // More than 50 distinct indicators: 422 naming the limit, before any lookup.
    let many: Vec<String> = (0..1000).map(|i| format!("ct_{i}")).collect();
    let (s, e) = province
        .get_json(&format!(
            "/api/v1/analytics?indicators={}&unit=11&from=2013",
            many.join(",")
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"], "Yêu cầu có 1.000 chỉ tiêu, tối đa 50");
    let query: String = many.iter().map(|c| format!("i={c}&")).collect();
    let res = province
        .get(&format!("/phan-tich.csv?{query}unit=11&from=2013"))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Yêu cầu có 1.000 chỉ tiêu, tối đa 50"));
    // The pivot page shows the message, under the same status.
    let res = province
        .get(&format!("/phan-tich?{query}unit=11&from=2013"))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Yêu cầu có 1.000 chỉ tiêu, tối đa 50"));

    // Too many result cells: the nation by province and year over a century
    // with 50 indicators. Counted before the query runs: 422 with the limit.
    let (_, existing) = central.get_json("/api/v1/indicators").await;
    let mut codes: Vec<String> = existing
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap().to_string())
        .collect();
    let mut n = 0;
    while codes.len() < 50 {
        let code = format!("gioi_han_{n}");
        n += 1;
        let (s, e) = central
            .post_json(
                "/api/v1/indicators",
                json!({"code": code, "name_vi": format!("Chỉ tiêu thử {n}"), "unit": "lượt",
                       "group": "mo_hinh", "value_type": "integer", "aggregation": "sum"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{e}");
        codes.push(code);
    }
    let t = Instant::now();
    let (s, e) = central
        .get_json(&format!(
            "/api/v1/analytics?indicators={}&unit=VN&from=2000..2100&by=child_year",
            codes.join(",")
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let msg = e["error"].as_str().unwrap();
    assert!(
        msg.starts_with("Yêu cầu có ")
            && msg.contains("ô kết quả")
            && msg.contains("tối đa 200.000"),
        "{msg}"
    );
    assert!(t.elapsed() < Duration::from_secs(10));
    // The same request by year is small and runs.
    let (s, r) = central
        .get_json(&format!(
            "/api/v1/analytics?indicators={}&unit=VN&from=2013..2023",
            codes.join(",")
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
}

#[tokio::test]
async fn download_names_come_from_parsed_parts() {
    let app = spawn_app().await;
    let province = app.logged_in("ca.dienbien", Role::Police, "11").await;

    // A newline in the query: 400 with a Vietnamese message, never a 500.
    for bad in [
        "/phan-tich.csv?unit=11&from=2013%0A..2023",
        "/phan-tich.xlsx?unit=11&from=2013%0D%0ASet-Cookie:%20x=1",
        "/phan-tich.csv?unit=11%0A&from=2013",
        "/phan-tich?unit=11&from=2013%0A..2023",
    ] {
        let res = province.get(bad).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{bad}");
        assert!(res.headers().get("set-cookie").is_none());
        let text = res.text().await.unwrap();
        assert!(text.contains("ký tự điều khiển"), "{text}");
    }
    // Quotes and spaces in the query never reach the header: the name is
    // the fixed stem, the unit's stored code and the parsed years.
    let res = province
        .get("/phan-tich.csv?unit=11&from=%202013..2023%20&i=tt_buoi")
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"phan-tich_11_2013-2023.csv\""
    );
    let res = province.get("/phan-tich.csv?unit=%2211%22&from=2013").await;
    assert!(res.status().is_client_error(), "{}", res.status());
    let res = province
        .get("/api/v1/export/antq-nam/11?from=2013&to=2014")
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"antq-nam_11_2013-2014.csv\""
    );
}

/// Read until the server closes the connection (or `limit` passes); while
/// waiting, trickle one header byte every 200 ms. Returns when it closed.
async fn trickle_until_closed(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    let mut buf = [0u8; 1024];
    while start.elapsed() < limit {
        match tokio::time::timeout(Duration::from_millis(200), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return Some(start.elapsed()),
            Ok(Ok(_)) => continue, // a 408 answer, then the close
            Err(_) => {
                if stream.write_all(b"a").await.is_err() {
                    return Some(start.elapsed());
                }
            }
        }
    }
    None
}

#[tokio::test]
async fn slow_headers_are_cut_off() {
    let app = spawn_app_with(|c| c.header_read_timeout = Duration::from_secs(1)).await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut slow = TcpStream::connect(&addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    let closed = trickle_until_closed(&mut slow, Duration::from_secs(15)).await;
    let closed = closed.expect("a client trickling its headers for 15 s was never cut off");
    assert!(
        closed < Duration::from_secs(1 + 4),
        "cut off after {closed:?}"
    );
    // Others are served meanwhile and after.
    let res = app.agent().get("/healthz").await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn connections_beyond_the_cap_wait() {
    let app = spawn_app_with(|c| {
        c.max_connections = 1;
        c.header_read_timeout = Duration::from_secs(60);
    })
    .await;
    let addr = app.base.trim_start_matches("http://").to_string();
    // One client holds the only connection with a half-sent request.
    let mut hog = TcpStream::connect(&addr).await.unwrap();
    hog.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    // The next one is not served while it lasts...
    let mut next = TcpStream::connect(&addr).await.unwrap();
    next.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let waited = tokio::time::timeout(Duration::from_secs(1), next.read_to_end(&mut buf)).await;
    assert!(waited.is_err(), "served beyond the cap: {buf:?}");
    // ...and is served as soon as the first goes away.
    drop(hog);
    tokio::time::timeout(Duration::from_secs(10), next.read_to_end(&mut buf))
        .await
        .expect("served once a connection is free")
        .unwrap();
    let text = String::from_utf8_lossy(&buf);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
}

#[tokio::test]
async fn slow_requests_are_cut_off_with_a_message() {
    let app = spawn_app_with(|c| c.request_timeout = Duration::from_secs(1)).await;
    let addr = app.base.trim_start_matches("http://").to_string();
    // Headers complete, then a body that never finishes.
    let mut s = TcpStream::connect(&addr).await.unwrap();
    s.write_all(
        b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"user",
    )
    .await
    .unwrap();
    let t = Instant::now();
    let mut got = Vec::new();
    let mut buf = vec![0u8; 4096];
    while !got.ends_with(b"}") {
        let n = tokio::time::timeout(Duration::from_secs(10), s.read(&mut buf))
            .await
            .expect("answered before 10 s")
            .unwrap();
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&got);
    assert!(text.starts_with("HTTP/1.1 503"), "{text}");
    assert!(
        t.elapsed() < Duration::from_secs(1 + 4),
        "{:?}",
        t.elapsed()
    );
    let body = text.split("\r\n\r\n").nth(1).unwrap_or_default();
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    assert_eq!(
        v["error"], "Yêu cầu chạy quá 1 giây nên đã bị dừng; xin thử lại sau hoặc thu hẹp yêu cầu",
        "{text}"
    );
}

#[tokio::test]
async fn shutdown_finishes_the_requests_in_flight() {
    let guard = antq_storage::testing::TestDb::new().await;
    let db = guard.ready().await;
    let config = antq_web::WebConfig {
        addr: "127.0.0.1:0".parse().unwrap(),
        ..antq_web::WebConfig::default()
    };
    let app = antq_web::App::build(config, db).await.unwrap();
    let addr = app.local_addr();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    // A request in flight: headers sent, half of its body.
    let body = br#"{"username": "khong.co", "password": "sai mat khau"}"#;
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(
        format!(
            "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    s.write_all(&body[..10]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.send(()).unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    // No new connections are taken; the server waits for the request.
    assert!(!server.is_finished());
    assert!(TcpStream::connect(addr).await.is_err());
    s.write_all(&body[10..]).await.unwrap();
    let mut got = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut got))
        .await
        .expect("answered and closed")
        .unwrap();
    let text = String::from_utf8_lossy(&got);
    assert!(text.starts_with("HTTP/1.1 401"), "{text}");
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("the server stops once the request is answered")
        .unwrap()
        .unwrap();
}

/// Whether the server closes `stream` (EOF or reset) within `limit`,
/// the client sending nothing.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    let mut buf = [0u8; 256];
    let start = Instant::now();
    while start.elapsed() < limit {
        match tokio::time::timeout(limit - start.elapsed(), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue, // a 408 answer, then the close
            Err(_) => return false,
        }
    }
    false
}

/// `GET /healthz` on a raw connection from `from`; the status line.
async fn healthz_from(addr: &str, from: &str) -> String {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    let mut s = socket.connect(addr.parse().unwrap()).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut buf)).await;
    String::from_utf8_lossy(&buf)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

/// 40 connections that never send a byte, with a 1 s header timeout: each
/// is closed within a few seconds (the timer runs from the accept, not from
/// the first byte) and `/healthz` answers meanwhile and after.
#[tokio::test]
async fn silent_connections_are_closed_after_the_header_timeout() {
    let app = spawn_app_with(|c| {
        c.header_read_timeout = Duration::from_secs(1);
        c.max_connections = 16;
    })
    .await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let started = Instant::now();
    let mut silent = Vec::new();
    for _ in 0..40 {
        silent.push(TcpStream::connect(&addr).await.unwrap());
    }
    // More silent clients than the cap: the cap frees as they are closed.
    assert_eq!(
        healthz_from(&addr, "127.0.0.1").await,
        "HTTP/1.1 200 OK",
        "healthz behind 40 silent connections (cap 16)"
    );
    for s in &mut silent {
        assert!(
            closed_within(s, Duration::from_secs(15)).await,
            "a silent connection stayed open"
        );
    }
    // 40 connections, 16 at a time, 1 s each: about 3 s; 15 s is generous.
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(healthz_from(&addr, "127.0.0.1").await, "HTTP/1.1 200 OK");
}

/// One address opens more silent connections than its share (4 of 8):
/// the extra ones are closed at once, and a client from another address
/// (127.0.0.2, also loopback) is served although every one of the first
/// address's connections is still held open.
#[tokio::test]
async fn one_address_cannot_take_every_connection() {
    let app = spawn_app_with(|c| {
        c.header_read_timeout = Duration::from_secs(60);
        c.max_connections = 8;
        c.max_connections_per_address = 4;
    })
    .await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(TcpStream::connect(&addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    for _ in 0..10 {
        let mut extra = TcpStream::connect(&addr).await.unwrap();
        assert!(
            closed_within(&mut extra, Duration::from_secs(5)).await,
            "a connection past the per-address limit stayed open"
        );
    }
    let t = Instant::now();
    assert_eq!(healthz_from(&addr, "127.0.0.2").await, "HTTP/1.1 200 OK");
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    // The first four are still open (their 60 s have not run out).
    for s in &mut held {
        assert!(!closed_within(s, Duration::from_millis(100)).await);
    }
    // Once they go, the address may connect again.
    drop(held);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(healthz_from(&addr, "127.0.0.1").await, "HTTP/1.1 200 OK");
}
