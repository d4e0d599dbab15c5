//! How the portal shows news: items of a list and an article's blocks, in
//! words and dd/mm/yyyy.

use antq_core::dates;
use antq_core::portal::article::{blocks, Block};
use antq_storage::portal::articles::Article;
use antq_storage::portal::public::NewsItem;

/// Widths each article image is kept in (`srcset`).
pub const IMAGE_WIDTHS: [u32; 3] = [480, 960, 1600];

/// One item of a list of news.
pub struct ItemView {
    pub href: String,
    pub headline: String,
    pub lead: String,
    pub topic: &'static str,
    pub topic_href: String,
    pub place: String,
    pub date: String,
    pub iso: String,
    pub image: Option<ImageView>,
}

pub struct ImageView {
    pub src: String,
    pub srcset: String,
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

impl ImageView {
    pub fn new(id: i64, alt: &str, caption: &str, credit: &str) -> ImageView {
        ImageView {
            src: format!("/tin-tuc/anh/{id}/{}", IMAGE_WIDTHS[1]),
            srcset: IMAGE_WIDTHS
                .iter()
                .map(|w| format!("/tin-tuc/anh/{id}/{w} {w}w"))
                .collect::<Vec<_>>()
                .join(", "),
            alt: alt.to_string(),
            caption: caption.to_string(),
            credit: credit.to_string(),
        }
    }
}

/// "04/12/2026 09:30" in Vietnam time.
pub fn when(ts: &str) -> String {
    dates::format_timestamp_vi(ts)
}

pub fn item(n: &NewsItem) -> ItemView {
    ItemView {
        href: format!("/tin-tuc/{}", n.slug),
        headline: n.headline.clone(),
        lead: n.lead.clone(),
        topic: n.topic.label_vi(),
        topic_href: format!("/tin-tuc/chu-de/{}", n.topic.code()),
        place: n.place_name.clone().unwrap_or_default(),
        date: when(&n.published_at),
        iso: n.published_at.clone(),
        image: n.image_id.map(|id| ImageView::new(id, &n.headline, "", "")),
    }
}

/// A block of an article as the page shows it.
pub enum BlockView {
    Paragraph(String),
    Quote(String),
    Image(ImageView),
}

/// An article's body; images by their position among the article's images
/// (an "[ảnh N]" without such an image is left out).
pub fn body(a: &Article, images: &[(i64, String, String)]) -> Vec<BlockView> {
    blocks(&a.body)
        .into_iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(BlockView::Paragraph(p)),
            Block::Quote(q) => Some(BlockView::Quote(q)),
            Block::Image(n) => images.get(n as usize - 1).map(|(id, caption, credit)| {
                BlockView::Image(ImageView::new(*id, caption, caption, credit))
            }),
        })
        .collect()
}
