//! Atom feeds (all news, a topic, a province), the sitemap, and the
//! pictures of published articles.

use antq_core::portal::Topic;
use antq_storage::portal::public::{self, NewsFilter, NewsItem};
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use super::cache::{cached, ATOM, XML};
use crate::error::{escape, Failure, PageResult};
use crate::extract::Path;
use crate::state::AppState;

/// Entries in a feed.
const FEED_SIZE: i64 = 30;
/// Articles in the sitemap (the newest).
const SITEMAP_SIZE: i64 = 5_000;

/// The portal's address: the configured one, else this request's host (a
/// host name with only the characters a host has).
pub fn origin(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &state.config.public_url {
        return u.clone();
    }
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.len() <= 253
                && h.bytes().all(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']')
                })
        })
        .unwrap_or("localhost");
    format!("{}://{host}", scheme(state, headers))
}

/// `https` when antq is reached over TLS: always (`cookie_secure = always`),
/// or as the trusted proxy says (`trust_proxy` and `X-Forwarded-Proto`).
fn scheme(state: &AppState, headers: &HeaderMap) -> &'static str {
    use crate::config::CookieSecure;
    let proxied_tls = state.config.trust_proxy
        && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
    if state.config.cookie_secure == CookieSecure::Always || proxied_tls {
        "https"
    } else {
        "http"
    }
}

fn atom(origin: &str, title: &str, path: &str, items: &[NewsItem]) -> String {
    let updated = items
        .first()
        .map(|i| i.published_at.clone())
        .unwrap_or_else(|| "2025-07-01T00:00:00Z".into());
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"vi\">\n\
         <title>{}</title>\n<id>{origin}{path}</id>\n<link rel=\"self\" href=\"{origin}{path}/atom.xml\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{origin}{path}\"/>\n<updated>{}</updated>\n\
         <author><name>Cổng thông tin phong trào Toàn dân bảo vệ an ninh Tổ quốc</name></author>\n",
        escape(title),
        escape(&updated)
    );
    for i in items {
        let href = format!("{origin}/tin-tuc/{}", i.slug);
        x.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{href}</id>\n<link href=\"{href}\"/>\n\
             <published>{p}</published>\n<updated>{p}</updated>\n<category term=\"{}\" label=\"{}\"/>\n\
             <summary>{}</summary>\n</entry>\n",
            escape(&i.headline),
            i.topic.code(),
            escape(i.topic.label_vi()),
            escape(&i.lead),
            p = escape(&i.published_at),
        ));
    }
    x.push_str("</feed>\n");
    x
}

async fn feed(
    state: &AppState,
    headers: &HeaderMap,
    f: NewsFilter,
    title: &str,
    path: &str,
) -> PageResult<Response> {
    let (items, _) = public::news(&state.reader, &f, 1, FEED_SIZE).await?;
    let last = public::last_change(&state.reader).await?;
    let body = atom(&origin(state, headers), title, path, &items);
    Ok(cached(true, headers, ATOM, last.as_deref(), body))
}

/// `GET /tin-tuc/atom.xml`.
pub async fn all(State(state): State<AppState>, headers: HeaderMap) -> PageResult<Response> {
    feed(
        &state,
        &headers,
        NewsFilter::default(),
        "Tin tức",
        "/tin-tuc",
    )
    .await
}

/// `GET /tin-tuc/chu-de/{topic}/atom.xml`.
pub async fn topic(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> PageResult<Response> {
    let t = Topic::parse(&code).ok_or_else(|| Failure::gone("Không có chuyên mục này"))?;
    let f = NewsFilter {
        topic: Some(t),
        ..Default::default()
    };
    let path = format!("/tin-tuc/chu-de/{}", t.code());
    feed(&state, &headers, f, t.label_vi(), &path).await
}

/// `GET /tin-tuc/tinh/{code}/atom.xml`.
pub async fn province(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> PageResult<Response> {
    let name = super::news::province_name(&state, &code).await?;
    let f = NewsFilter {
        province: Some(code.clone()),
        ..Default::default()
    };
    let path = format!("/tin-tuc/tinh/{code}");
    feed(&state, &headers, f, &format!("Tin tức {name}"), &path).await
}

/// `GET /sitemap.xml`: the portal's lists and its newest articles.
pub async fn sitemap(State(state): State<AppState>, headers: HeaderMap) -> PageResult<Response> {
    let origin = origin(&state, &headers);
    let (items, _) = public::news(
        &state.reader,
        &NewsFilter::default(),
        1,
        public::MAX_PAGE_SIZE,
    )
    .await?;
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut fixed = vec![
        "/tin-tuc".to_string(),
        "/tim-kiem-van-ban".into(),
        "/so-lieu-phong-trao".into(),
        "/gui-ban-bien-tap".into(),
    ];
    fixed.extend(
        Topic::ALL
            .iter()
            .map(|t| format!("/tin-tuc/chu-de/{}", t.code())),
    );
    for p in fixed {
        x.push_str(&format!("<url><loc>{origin}{p}</loc></url>\n"));
    }
    // The newest articles, page by page up to the sitemap's size.
    let mut page = 1;
    let mut listed = 0;
    let mut batch = items;
    loop {
        for i in &batch {
            x.push_str(&format!(
                "<url><loc>{origin}/tin-tuc/{}</loc><lastmod>{}</lastmod></url>\n",
                escape(&i.slug),
                escape(i.published_at.get(..10).unwrap_or(&i.published_at))
            ));
        }
        listed += batch.len() as i64;
        if (batch.len() as i64) < public::MAX_PAGE_SIZE || listed >= SITEMAP_SIZE {
            break;
        }
        page += 1;
        batch = public::news(
            &state.reader,
            &NewsFilter::default(),
            page,
            public::MAX_PAGE_SIZE,
        )
        .await?
        .0;
    }
    x.push_str("</urlset>\n");
    let last = public::last_change(&state.reader).await?;
    Ok(cached(true, &headers, XML, last.as_deref(), x))
}

/// `GET /tin-tuc/anh/{id}/{width}`: a published article's picture.
pub async fn image(
    State(state): State<AppState>,
    Path((id, width)): Path<(i64, u32)>,
) -> PageResult<Response> {
    let (media, body) = antq_storage::portal::images::public_body(&state.reader, id, width)
        .await?
        .ok_or_else(|| Failure::gone("Không có ảnh này"))?;
    Ok((
        [
            (CONTENT_TYPE, media),
            (CACHE_CONTROL, "public, max-age=86400".to_string()),
        ],
        body,
    )
        .into_response())
}
