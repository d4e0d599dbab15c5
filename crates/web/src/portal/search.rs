//! "Tìm kiếm văn bản": the public search page (`/tim-kiem-van-ban`, whole
//! without JavaScript) and its API (`/api/v1/public/search`,
//! `/api/v1/public/search/suggest`). No login; the storage's search checks
//! and bounds the query (NFC, ≤ 200 characters, pages ≤ 100).

use antq_core::programmes::documents::DocKind;
use antq_storage::portal::changes::ItemKind;
use antq_storage::search::{Results, SearchQuery, Suggestion};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use crate::error::{ApiResult, Failure, PageResult};
use crate::extract::{Json, Query};
use crate::pages::{date_vi, render, Chrome};
use crate::state::AppState;

/// What the form and the API take; every field text, checked here.
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub loai: String,
    #[serde(default)]
    pub co_quan: String,
    #[serde(default)]
    pub nam: String,
    #[serde(default)]
    pub hieu_luc: String,
    #[serde(default)]
    pub page: String,
}

/// The longest filter value accepted (longer is refused before parsing).
const MAX_FIELD: usize = 300;

impl Params {
    fn query(&self) -> Result<SearchQuery, Failure> {
        let bad = |m: String| Failure::from(antq_core::DomainError::invalid(m));
        for v in [
            &self.kind,
            &self.loai,
            &self.nam,
            &self.hieu_luc,
            &self.page,
            &self.co_quan,
        ] {
            if v.chars().count() > MAX_FIELD {
                return Err(bad(format!("Một điều kiện lọc dài quá {MAX_FIELD} ký tự")));
            }
        }
        let kind = match self.kind.trim() {
            "" => None,
            k => Some(ItemKind::parse(k).ok_or_else(|| {
                bad(format!(
                    "Loại kết quả \u{201C}{k}\u{201D} không có: chỉ tìm được văn bản hoặc tin bài"
                ))
            })?),
        };
        let doc_kind = match self.loai.trim() {
            "" => None,
            k => Some(DocKind::parse(k).map_err(Failure::from)?.code().to_string()),
        };
        let year = match self.nam.trim() {
            "" => None,
            y => Some(
                y.parse::<i64>()
                    .map_err(|_| bad(format!("Năm \u{201C}{y}\u{201D} không phải số")))?,
            ),
        };
        let in_force = match self.hieu_luc.trim() {
            "" => None,
            "con" => Some(true),
            "het" => Some(false),
            v => {
                return Err(bad(format!(
                    "Hiệu lực \u{201C}{v}\u{201D} không có: chọn còn hiệu lực hoặc hết hiệu lực"
                )))
            }
        };
        let page = match self.page.trim() {
            "" => 1,
            p => p
                .parse::<usize>()
                .ok()
                .filter(|&p| p >= 1)
                .ok_or_else(|| bad(format!("Trang \u{201C}{p}\u{201D} không hợp lệ")))?,
        };
        Ok(SearchQuery {
            q: self.q.clone(),
            kind,
            doc_kind,
            issuer: Some(self.co_quan.clone()),
            year,
            in_force,
            page,
        })
    }

    fn has_any(&self) -> bool {
        [
            &self.q,
            &self.kind,
            &self.loai,
            &self.co_quan,
            &self.nam,
            &self.hieu_luc,
        ]
        .iter()
        .any(|v| !v.trim().is_empty())
    }

    /// This search's address at another page.
    fn href(&self, page: usize) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("q", &self.q),
            ("kind", &self.kind),
            ("loai", &self.loai),
            ("co_quan", &self.co_quan),
            ("nam", &self.nam),
            ("hieu_luc", &self.hieu_luc),
        ] {
            if !v.trim().is_empty() {
                out.append_pair(k, v);
            }
        }
        if page > 1 {
            out.append_pair("page", &page.to_string());
        }
        format!("/tim-kiem-van-ban?{}", out.finish())
    }
}

/// A result as the page shows it.
pub struct Row {
    pub kind_word: &'static str,
    pub title_html: String,
    pub url: String,
    pub snippet: String,
    pub date: String,
    pub meta: String,
}

#[derive(Template)]
#[template(path = "portal/search.html")]
struct SearchPage {
    c: Chrome,
    p: Params,
    kinds: Vec<(&'static str, &'static str)>,
    searched: bool,
    error: String,
    rows: Vec<Row>,
    total: String,
    took: String,
    page: usize,
    pages: usize,
    prev: Option<String>,
    next: Option<String>,
}

/// `GET /tim-kiem-van-ban`: the form, and the results when something was asked.
pub async fn page(
    State(state): State<AppState>,
    c: Chrome,
    Query(p): Query<Params>,
) -> PageResult<Response> {
    let kinds = DocKind::ALL
        .iter()
        .map(|k| (k.code(), k.word_vi()))
        .collect();
    let mut page = SearchPage {
        kinds,
        searched: p.has_any(),
        error: String::new(),
        rows: Vec::new(),
        total: String::new(),
        took: String::new(),
        page: 1,
        pages: 0,
        prev: None,
        next: None,
        p,
        c,
    };
    let mut status = axum::http::StatusCode::OK;
    if page.searched {
        match run(&state, &page.p).await {
            Ok(r) => {
                page.total = antq_core::text::format_int(r.total as i64);
                page.took = antq_core::text::format_decimal(r.took_ms, 1);
                page.page = r.page;
                page.pages = r.pages;
                page.prev = (r.page > 1).then(|| page.p.href(r.page - 1));
                page.next = (r.page < r.pages).then(|| page.p.href(r.page + 1));
                page.rows = r
                    .hits
                    .into_iter()
                    .map(|h| Row {
                        kind_word: match h.kind {
                            ItemKind::Article => page.c.t("ps.kind.article"),
                            ItemKind::Document => h
                                .doc_kind
                                .as_deref()
                                .and_then(antq_storage::search::items::doc_kind_word)
                                .unwrap_or(page.c.t("ps.kind.document")),
                        },
                        title_html: h.title_html,
                        url: h.url,
                        snippet: h.snippet,
                        date: date_vi(h.date.as_deref()).unwrap_or_default(),
                        meta: h.meta,
                    })
                    .collect();
            }
            Err(f) if f.status.is_client_error() => {
                // The form again with what was wrong, under the error's status.
                status = f.status;
                page.error = f.message;
            }
            Err(f) => return Err(f.into()),
        }
    }
    let mut response = render(page)?;
    *response.status_mut() = status;
    Ok(response)
}

async fn run(state: &AppState, p: &Params) -> Result<Results, Failure> {
    let query = p.query()?;
    let search = state.search.clone();
    tokio::task::spawn_blocking(move || search.search(query))
        .await
        .map_err(|_| {
            Failure::new(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "Lỗi hệ thống, xin thử lại sau",
            )
        })?
        .map_err(Failure::from)
}

/// One result of the API.
#[derive(Serialize)]
pub struct ApiItem {
    kind: ItemKind,
    id: i64,
    title: String,
    url: String,
    snippet: String,
    date: Option<String>,
}

#[derive(Serialize)]
pub struct ApiResults {
    items: Vec<ApiItem>,
    total: usize,
    page: usize,
    pages: usize,
    took_ms: f64,
}

/// `GET /api/v1/public/search?q=&kind=document|article&page=`.
pub async fn api(
    State(state): State<AppState>,
    Query(p): Query<Params>,
) -> ApiResult<Json<ApiResults>> {
    let r = run(&state, &p).await?;
    Ok(Json(ApiResults {
        items: r
            .hits
            .into_iter()
            .map(|h| ApiItem {
                kind: h.kind,
                id: h.id,
                title: h.title,
                url: h.url,
                snippet: h.snippet,
                date: h.date,
            })
            .collect(),
        total: r.total,
        page: r.page,
        pages: r.pages,
        took_ms: (r.took_ms * 100.0).round() / 100.0,
    }))
}

#[derive(Deserialize)]
pub struct SuggestParams {
    #[serde(default)]
    q: String,
}

#[derive(Serialize)]
pub struct Suggestions {
    items: Vec<Suggestion>,
}

/// `GET /api/v1/public/search/suggest?q=`: titles as one types.
pub async fn suggest(
    State(state): State<AppState>,
    Query(p): Query<SuggestParams>,
) -> ApiResult<Json<Suggestions>> {
    let search = state.search.clone();
    let items = tokio::task::spawn_blocking(move || search.suggest(&p.q))
        .await
        .map_err(|_| {
            Failure::new(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "Lỗi hệ thống, xin thử lại sau",
            )
        })??;
    Ok(Json(Suggestions { items }))
}

/// The words of the search and public document pages (see `i18n::entries`).
pub static WORDS: &[(&str, &str, &str)] = &[
    ("ps.title", "Tìm kiếm văn bản", "Search documents"),
    ("ps.intro", "Tìm văn bản công khai và tin bài theo số, ký hiệu (kể cả cách ghi khác), trích yếu hoặc nội dung; gõ có dấu hay không dấu đều được, đặt cụm từ trong ngoặc kép để tìm đúng cụm.", "Find public documents and news by number and symbol (other spellings too), subject or full text; with or without Vietnamese accents; put a phrase in quotes to find it exactly."),
    ("ps.q", "Từ khóa, số hoặc ký hiệu", "Words, number or symbol"),
    ("ps.submit", "Tìm kiếm", "Search"),
    ("ps.filters", "Lọc kết quả", "Filters"),
    ("ps.kind", "Loại kết quả", "Result type"),
    ("ps.kind.all", "Tất cả", "All"),
    ("ps.kind.document", "Văn bản", "Document"),
    ("ps.kind.article", "Tin bài", "News"),
    ("ps.doc_kind", "Loại văn bản", "Document type"),
    ("ps.issuer", "Cơ quan ban hành", "Issued by"),
    ("ps.year", "Năm", "Year"),
    ("ps.in_force", "Hiệu lực", "Status"),
    ("ps.in_force.yes", "Còn hiệu lực", "In force"),
    ("ps.in_force.no", "Hết hiệu lực", "No longer in force"),
    ("ps.found", "Tìm thấy", "Found"),
    ("ps.results", "kết quả", "results"),
    ("ps.in", "trong", "in"),
    ("ps.none", "Không tìm thấy kết quả nào. Thử bỏ bớt từ hoặc điều kiện lọc.", "Nothing found. Try fewer words or filters."),
    ("ps.pages", "Các trang kết quả", "Result pages"),
    ("ps.prev", "Trang trước", "Previous page"),
    ("ps.next", "Trang sau", "Next page"),
    ("ps.page", "Trang", "Page"),
    ("ps.of", "trên", "of"),
    ("pd.reference", "Số, ký hiệu", "Number and symbol"),
    ("pd.kind", "Loại văn bản", "Document type"),
    ("pd.date", "Ngày ban hành", "Issued on"),
    ("pd.issuers", "Cơ quan ban hành", "Issued by"),
    ("pd.subject", "Trích yếu", "Subject"),
    ("pd.status", "Hiệu lực", "Status"),
    ("pd.aliases", "Cách ghi khác của số, ký hiệu", "Other spellings of the number"),
    ("pd.relations", "Văn bản liên quan", "Related documents"),
    ("pd.files", "Tệp đính kèm", "Attachments"),
    ("pd.no_files", "Chưa có tệp đính kèm.", "No attachments yet."),
    ("pd.articles", "Tin bài dẫn văn bản này", "News citing this document"),
    ("pd.back", "Quay lại tìm kiếm văn bản", "Back to document search"),
    ("pd.unknown", "Chưa rõ", "Unknown"),
    ("pd.no_number", "Chưa có số", "No number yet"),
    ("dp.public_side", "Trên cổng thông tin", "On the public portal"),
    ("dp.is_public", "Đang công khai tại", "Public at"),
    ("dp.not_public", "Chưa công khai", "Not public"),
    ("dp.public", "Công khai trên cổng thông tin", "Public on the portal"),
    ("dp.save", "Lưu", "Save"),
    ("dp.relation", "Quan hệ", "Relation"),
    ("dp.implements", "Thực hiện văn bản", "Implements"),
    ("dp.replaces", "Thay thế văn bản", "Replaces"),
    ("dp.other", "Số, ký hiệu văn bản liên quan", "Related document's number"),
    ("dp.add", "Thêm quan hệ", "Add relation"),
    ("dp.remove", "Xóa", "Remove"),
];
