//! `GET /api/v1/public/articles`: published news as JSON, by topic
//! (`category`) and province, a page at a time. No login.

use antq_core::portal::Topic;
use antq_storage::portal::public::{self, NewsFilter};
use axum::extract::State;
use serde::{Deserialize, Serialize};

use super::news::PAGE_SIZE;
use crate::error::{ApiResult, Failure};
use crate::extract::{Json, Query};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct ArticlesQuery {
    pub category: Option<String>,
    pub province: Option<String>,
    pub page: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ArticleItem {
    pub id: i64,
    pub url: String,
    pub headline: String,
    pub lead: String,
    pub category: &'static str,
    pub category_label: &'static str,
    pub province: Option<String>,
    pub place: Option<String>,
    pub published_at: String,
}

#[derive(Debug, Serialize)]
pub struct ArticlesPage {
    pub items: Vec<ArticleItem>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

pub async fn articles(
    State(state): State<AppState>,
    Query(q): Query<ArticlesQuery>,
) -> ApiResult<Json<ArticlesPage>> {
    let topic = match q
        .category
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(c) => Some(Topic::parse(c).ok_or_else(|| {
            Failure::bad_request(format!(
                "Không có chuyên mục \"{}\"; các chuyên mục: {}",
                c.chars().take(40).collect::<String>(),
                Topic::ALL.map(|t| t.code()).join(", ")
            ))
        })?),
    };
    let province = q
        .province
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from);
    if let Some(p) = &province {
        if p.len() > 10 || public::today_province_name(&state.db, p).await?.is_none() {
            return Err(Failure::gone(format!(
                "Không có tỉnh, thành phố mã \"{}\"",
                p.chars().take(10).collect::<String>()
            ))
            .into());
        }
    }
    let page = super::news::page_number(&super::news::PageQuery { trang: q.page })?;
    let f = NewsFilter {
        topic,
        province,
        month: None,
    };
    let (items, total) = public::news(&state.db, &f, page, PAGE_SIZE).await?;
    Ok(Json(ArticlesPage {
        items: items
            .into_iter()
            .map(|i| ArticleItem {
                id: i.id,
                url: format!("/tin-tuc/{}", i.slug),
                headline: i.headline,
                lead: i.lead,
                category: i.topic.code(),
                category_label: i.topic.label_vi(),
                province: i.province_code,
                place: i.place_name,
                published_at: i.published_at,
            })
            .collect(),
        total,
        page,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
    }))
}
