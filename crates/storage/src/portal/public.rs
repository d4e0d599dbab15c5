//! What the public reads: published articles only, newest first, by topic,
//! province or month; one by its address; related news computed from the
//! topic, the place and the words of headlines and tags.

use antq_core::portal::article::key_words;
use antq_core::portal::Topic;
use serde::Serialize;
use sqlx::Row;

use super::articles::{corrupt, from_row, Article, COLUMNS, FROM};
use crate::batch::{bind_val, Val};
use crate::db::Db;
use crate::error::StorageResult;

/// One item of a list of news.
#[derive(Debug, Clone, Serialize)]
pub struct NewsItem {
    pub id: i64,
    pub slug: String,
    pub headline: String,
    pub lead: String,
    pub topic: Topic,
    pub province_code: Option<String>,
    pub place_name: Option<String>,
    pub published_at: String,
    /// The first image, if any (its id).
    pub image_id: Option<i64>,
}

/// Which published news.
#[derive(Debug, Clone, Default)]
pub struct NewsFilter {
    pub topic: Option<Topic>,
    /// Today's province code.
    pub province: Option<String>,
    /// Published in this month (year, month), Vietnam time approximated by UTC day.
    pub month: Option<(i32, u32)>,
}

/// The most items on one page of news.
pub const MAX_PAGE_SIZE: i64 = 50;
/// The deepest page a reader may ask for.
pub const MAX_PAGE: i64 = 10_000;

fn conditions(f: &NewsFilter, binds: &mut Vec<Val>) -> String {
    let mut next = |v: Val| {
        binds.push(v);
        format!("${}", binds.len())
    };
    let mut conds = vec!["a.state = 'published'".to_string()];
    if let Some(t) = f.topic {
        conds.push(format!("a.topic = {}", next(Val::Str(t.code()))));
    }
    if let Some(p) = &f.province {
        conds.push(format!("a.province_code = {}", next(Val::Text(p.clone()))));
    }
    if let Some((y, m)) = f.month {
        let from = format!("{y:04}-{m:02}-01");
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        let to = format!("{ny:04}-{nm:02}-01");
        conds.push(format!(
            "a.published_at >= {} AND a.published_at < {}",
            next(Val::Text(from)),
            next(Val::Text(to))
        ));
    }
    conds.join(" AND ")
}

/// One page (1-based) of published news and how many there are in all.
pub async fn news(
    db: &Db,
    f: &NewsFilter,
    page: i64,
    size: i64,
) -> StorageResult<(Vec<NewsItem>, i64)> {
    let mut binds = Vec::new();
    let cond = conditions(f, &mut binds);
    let count_sql = format!("SELECT COUNT(*) FROM articles a WHERE {cond}");
    let mut count = sqlx::query(&count_sql);
    for b in binds {
        count = bind_val(count, b);
    }
    let total: i64 = count.fetch_one(db.pool()).await?.get(0);
    Ok((page_of(db, f, page, size).await?, total))
}

/// A page of the published news matching `f`, newest first, without counting
/// them all (related news needs only the newest).
async fn page_of(db: &Db, f: &NewsFilter, page: i64, size: i64) -> StorageResult<Vec<NewsItem>> {
    let size = size.clamp(1, MAX_PAGE_SIZE);
    let page = page.clamp(1, MAX_PAGE);
    let mut binds = Vec::new();
    let cond = conditions(f, &mut binds);
    let sql = format!(
        "SELECT a.id, a.slug, a.headline, a.lead, a.topic, a.province_code, p.name, a.published_at, \
         (SELECT MIN(i.id) FROM article_images i WHERE i.article_id = a.id) \
         FROM articles a LEFT JOIN units p ON p.id = a.place_unit_id WHERE {cond} \
         ORDER BY a.published_at DESC, a.id DESC LIMIT {size} OFFSET {}",
        (page - 1) * size
    );
    let mut q = sqlx::query(&sql);
    for b in binds {
        q = bind_val(q, b);
    }
    let rows = q.fetch_all(db.pool()).await?;
    let items = rows
        .iter()
        .map(|r| {
            let topic: String = r.get(4);
            Ok(NewsItem {
                id: r.get(0),
                slug: r.get(1),
                headline: r.get(2),
                lead: r.get(3),
                topic: Topic::parse(&topic)
                    .ok_or_else(|| corrupt(format!("chủ đề \"{topic}\"")))?,
                province_code: r.get(5),
                place_name: r.get(6),
                published_at: r.get(7),
                image_id: r.get(8),
            })
        })
        .collect::<StorageResult<Vec<_>>>()?;
    Ok(items)
}

/// A published article by its address.
pub async fn by_slug(db: &Db, slug: &str) -> StorageResult<Option<Article>> {
    if slug.len() > 120 {
        return Ok(None);
    }
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE a.slug = $1 AND a.state = 'published'"
    ))
    .bind(slug)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Related news: among the latest published articles, those sharing the
/// topic (3), the province (2), each tag (2) and each key word of the
/// headline (1), best first, newest first among equals.
pub async fn related(db: &Db, a: &Article, n: usize) -> StorageResult<Vec<NewsItem>> {
    let candidates = page_of(db, &NewsFilter::default(), 1, MAX_PAGE_SIZE).await?;
    let mut more = Vec::new();
    for f in [
        NewsFilter {
            topic: Some(a.topic),
            ..Default::default()
        },
        NewsFilter {
            province: a.province_code.clone(),
            ..Default::default()
        },
    ] {
        if f.topic.is_some() || f.province.is_some() {
            more.extend(page_of(db, &f, 1, MAX_PAGE_SIZE).await?);
        }
    }
    let words = key_words(&a.headline, &a.tags);
    let tags: Vec<String> = a.tags.iter().map(|t| antq_core::text::fold(t)).collect();
    let mut seen = std::collections::HashSet::new();
    let mut scored: Vec<(i64, NewsItem)> = Vec::new();
    for item in candidates.into_iter().chain(more) {
        if item.id == a.id || !seen.insert(item.id) {
            continue;
        }
        let mut score = 0;
        if item.topic == a.topic {
            score += 3;
        }
        if item.province_code.is_some() && item.province_code == a.province_code {
            score += 2;
        }
        let theirs = antq_core::text::fold(&format!("{} {}", item.headline, item.lead));
        for t in &tags {
            if theirs.contains(t.as_str()) {
                score += 2;
            }
        }
        let their_words: std::collections::HashSet<&str> =
            theirs.split(|c: char| !c.is_alphanumeric()).collect();
        score += words
            .iter()
            .filter(|w| their_words.contains(w.as_str()))
            .count() as i64;
        if score > 0 {
            scored.push((score, item));
        }
    }
    scored.sort_by(|x, y| {
        y.0.cmp(&x.0)
            .then_with(|| y.1.published_at.cmp(&x.1.published_at))
    });
    Ok(scored.into_iter().take(n).map(|s| s.1).collect())
}

/// The latest change to anything public in the news (for Last-Modified).
/// Every change to what the public sees records a search change (publish,
/// unpublish, correct, a picture on a published article), so the latest of
/// those moves whenever a list, a feed or the sitemap may have changed.
pub async fn last_change(db: &Db) -> StorageResult<Option<String>> {
    let published: Option<String> =
        sqlx::query_scalar("SELECT MAX(updated_at) FROM articles WHERE state = 'published'")
            .fetch_one(db.pool())
            .await?;
    let changed: Option<String> =
        sqlx::query_scalar("SELECT MAX(changed_at) FROM search_changes WHERE kind = 'article'")
            .fetch_one(db.pool())
            .await?;
    Ok(published.max(changed))
}

/// Today's province code of a unit (itself or the province over it today,
/// through lineage for units that no longer exist).
pub async fn province_code(db: &Db, unit_id: i64) -> StorageResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT u.code FROM unit_scope s JOIN units u ON u.id = s.ancestor_id \
         WHERE s.descendant_id = $1 AND u.level = 'province' AND u.valid_to IS NULL \
         ORDER BY u.id LIMIT 1",
    )
    .bind(unit_id)
    .fetch_optional(db.pool())
    .await?)
}

/// The provinces that have published news, with their names and counts,
/// in Vietnamese order.
pub async fn provinces(db: &Db) -> StorageResult<Vec<(String, String, i64)>> {
    let rows: Vec<(String, String, i64, Vec<u8>)> = sqlx::query_as(
        "SELECT a.province_code, u.name, COUNT(*), u.sort_key FROM articles a \
         JOIN units u ON u.code = a.province_code AND u.level = 'province' AND u.valid_to IS NULL \
         WHERE a.state = 'published' GROUP BY a.province_code, u.name, u.sort_key ORDER BY u.sort_key",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(|r| (r.0, r.1, r.2)).collect())
}

/// The months that have published news, newest first, with counts.
pub async fn months(db: &Db) -> StorageResult<Vec<(i32, u32, i64)>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT SUBSTR(published_at, 1, 7), COUNT(*) FROM articles WHERE state = 'published' \
         GROUP BY SUBSTR(published_at, 1, 7) ORDER BY 1 DESC",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(ym, n)| {
            let (y, m) = ym.split_once('-')?;
            Some((y.parse().ok()?, m.parse().ok()?, n))
        })
        .collect())
}

/// Today's province by its code: its name, or None.
pub async fn today_province_name(db: &Db, code: &str) -> StorageResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT name FROM units WHERE code = $1 AND level = 'province' AND valid_to IS NULL",
    )
    .bind(code)
    .fetch_optional(db.pool())
    .await?)
}

/// The public documents an article cites: (id, title).
pub async fn cited_documents(db: &Db, article_id: i64) -> StorageResult<Vec<(i64, String)>> {
    let rows: Vec<(i64, Option<String>, String)> = sqlx::query_as(
        "SELECT d.id, d.reference, d.subject FROM article_documents ad \
         JOIN documents d ON d.id = ad.document_id WHERE ad.article_id = $1 AND d.public = 1 \
         ORDER BY d.issued_on DESC, d.id",
    )
    .bind(article_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, reference, subject)| match reference {
            Some(r) if !r.is_empty() => (id, format!("{r}: {subject}")),
            _ => (id, subject),
        })
        .collect())
}
