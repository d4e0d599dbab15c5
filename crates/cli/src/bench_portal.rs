//! `antq bench portal`: the public news pages timed over loopback — first
//! one article page after another (its server time, as near as a client on
//! the same machine measures it), then a bounded load of concurrent readers
//! over the home page, "Xem thêm", topic and province pages and articles.

use std::time::{Duration, Instant};

use antq_storage::portal::public::{self, NewsFilter};
use antq_storage::Db;

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn report(what: &str, mut times: Vec<Duration>, wall: Duration) {
    times.sort();
    let ms = |x: f64| antq_core::text::format_decimal(x, 2);
    println!(
        "{what}: {} yêu cầu, p50 {} ms, p99 {} ms, tối đa {} ms, {} yêu cầu/giây",
        antq_core::text::format_int(times.len() as i64),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        ms(percentile(&times, 1.0)),
        antq_core::text::format_int((times.len() as f64 / wall.as_secs_f64()) as i64)
    );
}

/// The addresses a reader opens, in a fixed mix.
async fn addresses(db: &Db) -> anyhow::Result<Vec<String>> {
    let (items, _) = public::news(db, &NewsFilter::default(), 1, public::MAX_PAGE_SIZE).await?;
    let mut out = vec![
        "/tin-tuc".to_string(),
        "/tin-tuc/them?trang=2".into(),
        "/tin-tuc?trang=3".into(),
        "/tin-tuc/chu-de/phong-trao".into(),
        "/tin-tuc/tinh/11".into(),
    ];
    out.extend(items.iter().map(|i| format!("/tin-tuc/{}", i.slug)));
    Ok(out)
}

pub async fn portal(
    db: &Db,
    articles: usize,
    requests: usize,
    concurrency: usize,
) -> anyhow::Result<()> {
    let have: i64 = public::news(db, &NewsFilter::default(), 1, 1).await?.1;
    if (have as usize) < articles {
        let started = Instant::now();
        let total = antq_storage::portal::synthetic::articles(db, articles - have as usize).await?;
        println!(
            "Đã tạo {} bài viết mẫu (tổng {}) trong {} giây",
            antq_core::text::format_int((articles - have as usize) as i64),
            antq_core::text::format_int(total),
            antq_core::text::format_decimal(started.elapsed().as_secs_f64(), 1)
        );
    }
    let config = antq_web::WebConfig {
        addr: "127.0.0.1:0".parse()?,
        ..antq_web::WebConfig::default()
    };
    let app = antq_web::App::build(config, db.clone()).await?;
    let base = format!("http://{}", app.local_addr());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::builder().build()?;
    let paths = addresses(db).await?;
    let articles_only: Vec<&String> = paths
        .iter()
        .filter(|p| p.matches('/').count() == 2 && !p.contains('?') && p.len() > 9)
        .collect();

    // Warm up, then one article after another.
    for p in paths.iter().take(10) {
        client
            .get(format!("{base}{p}"))
            .send()
            .await?
            .bytes()
            .await?;
    }
    let mut times = Vec::new();
    let started = Instant::now();
    for i in 0..requests.min(1_000) {
        let p = articles_only[i % articles_only.len()];
        let t = Instant::now();
        let res = client.get(format!("{base}{p}")).send().await?;
        anyhow::ensure!(res.status().is_success(), "{p}: {}", res.status());
        res.bytes().await?;
        times.push(t.elapsed());
    }
    report("Trang bài viết, lần lượt", times, started.elapsed());

    // Concurrent readers over the mix.
    let started = Instant::now();
    let per = requests / concurrency.max(1);
    let mut tasks = Vec::new();
    for r in 0..concurrency.max(1) {
        let client = client.clone();
        let base = base.clone();
        let paths = paths.clone();
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(per);
            for i in 0..per {
                let p = &paths[(r * 7 + i * 13) % paths.len()];
                let t = Instant::now();
                let res = client.get(format!("{base}{p}")).send().await?;
                anyhow::ensure!(res.status().is_success(), "{p}: {}", res.status());
                res.bytes().await?;
                times.push(t.elapsed());
            }
            Ok::<_, anyhow::Error>(times)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await??);
    }
    report(
        &format!("Trang công khai, {concurrency} người đọc cùng lúc"),
        all,
        started.elapsed(),
    );
    let _ = stop.send(());
    server.await??;
    Ok(())
}
