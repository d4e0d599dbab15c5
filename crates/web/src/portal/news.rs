//! The public news: the home page (latest, by topic, by province), topic,
//! province and month pages with "Xem thêm" (htmx appends the next items;
//! without JavaScript the link opens the next page), and an article with
//! its related news. No login; answered with ETag and Last-Modified.

use antq_core::portal::Topic;
use antq_storage::portal::public::{self, NewsFilter};
use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;

use super::cache::{cached, HTML};
use super::views::{body, item, when, BlockView, ItemView};
use crate::error::{Failure, PageResult};
use crate::extract::{Path, Query};
use crate::pages::Chrome;
use crate::state::AppState;

/// Items on a page of news.
pub const PAGE_SIZE: i64 = 10;

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    pub trang: Option<String>,
}

/// The page asked for (1 when absent); a page that is not a number is an error.
pub fn page_number(q: &PageQuery) -> Result<i64, Failure> {
    match q.trang.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(1),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=public::MAX_PAGE).contains(n))
            .ok_or_else(|| {
                Failure::bad_request(format!(
                    "Trang \"{}\" không hợp lệ: cần một số từ 1 đến {}",
                    s.chars().take(20).collect::<String>(),
                    antq_core::text::format_int(public::MAX_PAGE)
                ))
            }),
    }
}

/// A list of news with its way on.
pub struct NewsList {
    pub items: Vec<ItemView>,
    /// The next page's address (plain) and fragment (htmx), if there is more.
    pub more: Option<(String, String)>,
    /// The previous page's address, past the first.
    pub previous: Option<String>,
    pub page: i64,
    pub pages: i64,
}

/// `base`: the list's address ("/tin-tuc/chu-de/khen-thuong").
async fn list(state: &AppState, f: &NewsFilter, base: &str, page: i64) -> PageResult<NewsList> {
    let (items, total) = public::news(&state.reader, f, page, PAGE_SIZE).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    if page > pages {
        return Err(
            Failure::gone(format!("Không có trang {page}: danh sách có {pages} trang")).into(),
        );
    }
    let more = (page < pages).then(|| {
        (
            format!("{base}?trang={}", page + 1),
            format!("{base}/them?trang={}", page + 1),
        )
    });
    let previous = (page > 1).then(|| format!("{base}?trang={}", page - 1));
    Ok(NewsList {
        items: items.iter().map(item).collect(),
        more,
        previous,
        page,
        pages,
    })
}

#[derive(Template)]
#[template(path = "portal/news.html")]
struct NewsPage {
    c: Chrome,
    title: String,
    intro: String,
    canonical: String,
    feed: String,
    list: NewsList,
    /// On the home page: topics and provinces with news.
    topics: Vec<(String, &'static str)>,
    provinces: Vec<(String, String, i64)>,
    months: Vec<(String, String, i64)>,
}

#[derive(Template)]
#[template(path = "portal/news_more.html")]
struct MoreFragment {
    list: NewsList,
}

/// Which list a page shows, and how it presents itself.
struct ListSpec {
    filter: NewsFilter,
    /// The list's address ("/tin-tuc/chu-de/khen-thuong").
    base: String,
    title: String,
    intro: String,
    feed: String,
}

async fn news_page(
    state: &AppState,
    c: Chrome,
    headers: &HeaderMap,
    spec: ListSpec,
    page: i64,
) -> PageResult<Response> {
    let ListSpec {
        filter: f,
        base,
        title,
        intro,
        feed,
    } = spec;
    let base = base.as_str();
    let list = list(state, &f, base, page).await?;
    let provinces = public::provinces(&state.reader).await?;
    let months = public::months(&state.reader)
        .await?
        .into_iter()
        .take(24)
        .map(|(y, m, n)| {
            (
                format!("/tin-tuc/luu-tru/{y}/{m}"),
                format!("Tháng {m}/{y}"),
                n,
            )
        })
        .collect();
    let last = public::last_change(&state.reader).await?;
    let shared = c.user.is_none();
    let origin = super::feeds::origin(state, headers);
    let page_html = NewsPage {
        title,
        intro,
        canonical: if page > 1 {
            format!("{origin}{base}?trang={page}")
        } else {
            format!("{origin}{base}")
        },
        feed,
        list,
        topics: Topic::ALL
            .iter()
            .map(|t| (format!("/tin-tuc/chu-de/{}", t.code()), t.label_vi()))
            .collect(),
        provinces,
        months,
        c,
    }
    .render()?;
    Ok(cached(shared, headers, HTML, last.as_deref(), page_html))
}

/// `GET /tin-tuc` (and `/` for readers who are not logged in).
pub async fn home(
    State(state): State<AppState>,
    c: Chrome,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> PageResult<Response> {
    let page = page_number(&q)?;
    let spec = ListSpec {
        filter: NewsFilter::default(),
        base: "/tin-tuc".into(),
        title: "Tin tức".into(),
        intro: "Tin mới về phong trào Toàn dân bảo vệ an ninh Tổ quốc từ Công an và Mặt trận Tổ quốc các cấp.".into(),
        feed: "/tin-tuc/atom.xml".into(),
    };
    news_page(&state, c, &headers, spec, page).await
}

fn topic_of(code: &str) -> Result<Topic, Failure> {
    Topic::parse(code).ok_or_else(|| Failure::gone("Không có chuyên mục này"))
}

/// `GET /tin-tuc/chu-de/{topic}`.
pub async fn topic(
    State(state): State<AppState>,
    c: Chrome,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(q): Query<PageQuery>,
) -> PageResult<Response> {
    let t = topic_of(&code)?;
    let page = page_number(&q)?;
    let base = format!("/tin-tuc/chu-de/{}", t.code());
    let spec = ListSpec {
        filter: NewsFilter {
            topic: Some(t),
            ..Default::default()
        },
        feed: format!("{base}/atom.xml"),
        base,
        title: t.label_vi().into(),
        intro: format!("Tin thuộc chuyên mục {}.", t.label_vi()),
    };
    news_page(&state, c, &headers, spec, page).await
}

/// Today's province by its code, or 404.
pub async fn province_name(state: &AppState, code: &str) -> Result<String, Failure> {
    if code.is_empty() || code.len() > 10 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Failure::gone("Không có tỉnh, thành phố này"));
    }
    let name: Option<String> =
        antq_storage::portal::public::today_province_name(&state.reader, code)
            .await
            .map_err(Failure::from)?;
    name.ok_or_else(|| Failure::gone("Không có tỉnh, thành phố này"))
}

/// `GET /tin-tuc/tinh/{code}`.
pub async fn province(
    State(state): State<AppState>,
    c: Chrome,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(q): Query<PageQuery>,
) -> PageResult<Response> {
    let name = province_name(&state, &code).await?;
    let page = page_number(&q)?;
    let base = format!("/tin-tuc/tinh/{code}");
    let spec = ListSpec {
        filter: NewsFilter {
            province: Some(code.clone()),
            ..Default::default()
        },
        feed: format!("{base}/atom.xml"),
        base,
        intro: format!("Tin về phong trào ở {name}."),
        title: name,
    };
    news_page(&state, c, &headers, spec, page).await
}

fn month_of(year: i32, month: u32) -> Result<(i32, u32), Failure> {
    if (2000..=2100).contains(&year) && (1..=12).contains(&month) {
        Ok((year, month))
    } else {
        Err(Failure::gone("Không có tháng này trong lưu trữ"))
    }
}

/// `GET /tin-tuc/luu-tru/{year}/{month}`.
pub async fn month(
    State(state): State<AppState>,
    c: Chrome,
    headers: HeaderMap,
    Path((year, month)): Path<(i32, u32)>,
    Query(q): Query<PageQuery>,
) -> PageResult<Response> {
    let (y, m) = month_of(year, month)?;
    let page = page_number(&q)?;
    let base = format!("/tin-tuc/luu-tru/{y}/{m}");
    let spec = ListSpec {
        filter: NewsFilter {
            month: Some((y, m)),
            ..Default::default()
        },
        base,
        title: format!("Tin tháng {m}/{y}"),
        intro: format!("Các tin đăng trong tháng {m}/{y}."),
        feed: "/tin-tuc/atom.xml".into(),
    };
    news_page(&state, c, &headers, spec, page).await
}

/// The "Xem thêm" fragments: the next items and the next link.
async fn more(state: &AppState, f: NewsFilter, base: &str, q: &PageQuery) -> PageResult<Response> {
    let page = page_number(q)?;
    let list = list(state, &f, base, page).await?;
    crate::pages::render(MoreFragment { list })
}

pub async fn home_more(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
) -> PageResult<Response> {
    more(&state, NewsFilter::default(), "/tin-tuc", &q).await
}

pub async fn topic_more(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<PageQuery>,
) -> PageResult<Response> {
    let t = topic_of(&code)?;
    let f = NewsFilter {
        topic: Some(t),
        ..Default::default()
    };
    more(&state, f, &format!("/tin-tuc/chu-de/{}", t.code()), &q).await
}

pub async fn province_more(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<PageQuery>,
) -> PageResult<Response> {
    province_name(&state, &code).await?;
    let f = NewsFilter {
        province: Some(code.clone()),
        ..Default::default()
    };
    more(&state, f, &format!("/tin-tuc/tinh/{code}"), &q).await
}

pub async fn month_more(
    State(state): State<AppState>,
    Path((year, month)): Path<(i32, u32)>,
    Query(q): Query<PageQuery>,
) -> PageResult<Response> {
    let (y, m) = month_of(year, month)?;
    let f = NewsFilter {
        month: Some((y, m)),
        ..Default::default()
    };
    more(&state, f, &format!("/tin-tuc/luu-tru/{y}/{m}"), &q).await
}

#[derive(Template)]
#[template(path = "portal/article.html")]
struct ArticlePage {
    c: Chrome,
    headline: String,
    lead: String,
    canonical: String,
    /// The article's own address (for "Góp ý" links).
    path: String,
    topic: &'static str,
    topic_href: String,
    place: Option<(String, String)>,
    date: String,
    iso: String,
    updated: Option<String>,
    author_line: String,
    photo_credit: String,
    blocks: Vec<BlockView>,
    tags: Vec<String>,
    corrections: Vec<String>,
    related: Vec<ItemView>,
    og_image: Option<String>,
    documents: Vec<(String, String)>,
}

/// `GET /tin-tuc/{slug}`: a published article with its related news.
pub async fn article(
    State(state): State<AppState>,
    c: Chrome,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> PageResult<Response> {
    let a = public::by_slug(&state.reader, &slug)
        .await?
        .ok_or_else(|| Failure::gone("Không có bài viết này hoặc bài đã được gỡ"))?;
    let related = public::related(&state.reader, &a, 5).await?;
    let images = antq_storage::portal::images::list(&state.reader, a.id).await?;
    let image_refs: Vec<(i64, String, String)> = images
        .iter()
        .map(|i| (i.id, i.caption.clone(), i.credit.clone()))
        .collect();
    let documents = antq_storage::portal::public::cited_documents(&state.reader, a.id)
        .await?
        .into_iter()
        .map(|(id, title)| (format!("/van-ban-cong-khai/{id}"), title))
        .collect();
    let published = a.published_at.clone().unwrap_or_default();
    let updated =
        (a.updated_at > published && !a.correction.is_empty()).then(|| when(&a.updated_at));
    let shared = c.user.is_none();
    let origin = super::feeds::origin(&state, &headers);
    let place = match (&a.province_code, &a.place_name) {
        (Some(code), Some(name)) => Some((format!("/tin-tuc/tinh/{code}"), name.clone())),
        _ => None,
    };
    let html = ArticlePage {
        headline: a.headline.clone(),
        lead: a.lead.clone(),
        canonical: format!("{origin}/tin-tuc/{}", a.slug),
        path: format!("/tin-tuc/{}", a.slug),
        topic: a.topic.label_vi(),
        topic_href: format!("/tin-tuc/chu-de/{}", a.topic.code()),
        place,
        date: when(&published),
        iso: published.clone(),
        updated,
        author_line: a.author_line.clone(),
        photo_credit: a.photo_credit.clone(),
        blocks: body(&a, &image_refs),
        tags: a.tags.clone(),
        corrections: a
            .correction
            .lines()
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
        related: related.iter().map(item).collect(),
        og_image: images.first().map(|i| {
            format!(
                "{origin}/tin-tuc/anh/{}/{}",
                i.id,
                super::views::IMAGE_WIDTHS[1]
            )
        }),
        documents,
        c,
    }
    .render()?;
    Ok(cached(shared, &headers, HTML, Some(&a.updated_at), html))
}
