//! The score-sheet templates of the movement classification, with the
//! band thresholds and the deadlines (`/phan-loai-phong-trao/mau`).

use antq_core::auth::Action;
use antq_core::registries::classifications::{format_points, parse_points, Deadlines, Thresholds};
use antq_storage::registries::classifications::{self as store, templates, ItemIn};
use askama::Template;
use axum::extract::{Path, State as AxState};
use axum::response::Response;
use axum::Form as FormBody;
use serde::Deserialize;

use super::pages::{this_year, BASE};
use super::{parse_year, unprocessable};
use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::pages::{render, Chrome};
use crate::state::AppState;

/// A template as shown, with its items as editable text.
pub struct TemplateView {
    pub id: i64,
    pub kind: &'static str,
    pub year_from: i32,
    pub next_year: i32,
    pub title: String,
    pub note: String,
    pub used: i64,
    pub lines: Vec<(String, String, String, bool)>,
    pub text: String,
}

#[derive(Template)]
#[template(path = "registries/classifications/templates.html")]
struct TemplatesPage {
    c: Chrome,
    items: Vec<TemplateView>,
    can_edit: bool,
    thresholds: (String, String, String),
    deadlines: (String, String, String),
}

fn dm(x: (u32, u32)) -> String {
    format!("{:02}/{:02}", x.0, x.1)
}

/// `GET /phan-loai-phong-trao/mau`: the templates, the thresholds and the deadlines.
pub async fn templates_page(
    AxState(state): AxState<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
) -> PageResult<Response> {
    let all = templates::templates(&state.db).await?;
    let t = store::thresholds(&state.db).await?;
    let d = store::deadlines(&state.db).await?;
    let items = all
        .iter()
        .map(|x| TemplateView {
            id: x.id,
            kind: x.kind.word_vi(),
            year_from: x.year_from,
            next_year: x.year_from.max(this_year().parse().unwrap_or(2026)) + 1,
            title: x.title.clone(),
            note: x.note.clone(),
            used: x.used,
            lines: x
                .items
                .iter()
                .map(|i| {
                    (
                        i.label.clone(),
                        i.text.clone(),
                        format_points(i.max),
                        i.parent_id.is_some(),
                    )
                })
                .collect(),
            text: x
                .items
                .iter()
                .map(|i| format!("{} | {} | {}", i.label, i.text, format_points(i.max)))
                .collect::<Vec<_>>()
                .join("\n"),
        })
        .collect();
    render(TemplatesPage {
        can_edit: ctx.actor.is_national(Action::EditCatalogue),
        thresholds: (
            format_points(t.xuat_sac),
            format_points(t.kha),
            format_points(t.trung_binh),
        ),
        deadlines: (dm(d.khu_dan_cu), dm(d.xa), dm(d.co_quan)),
        items,
        c,
    })
}

/// Items typed one per line, "TT | Nội dung | Điểm"; "4.1" is a sub-item of "4".
pub fn parse_items(text: &str) -> Result<Vec<ItemIn>, Failure> {
    let mut items: Vec<ItemIn> = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .take(antq_core::registries::classifications::limits::MAX_ITEMS + 1)
    {
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        if parts.len() != 3 {
            return Err(unprocessable(format!(
                "Dòng {}: ghi theo mẫu \u{201C}TT | Nội dung | Điểm\u{201D}",
                n + 1
            )));
        }
        let max =
            parse_points(parts[2]).map_err(|e| unprocessable(format!("Dòng {}: {e}", n + 1)))?;
        let item = ItemIn {
            label: parts[0].to_string(),
            text: parts[1].to_string(),
            max,
            children: Vec::new(),
        };
        match parts[0].split_once('.') {
            Some((parent, _)) => match items.iter_mut().rev().find(|i| i.label == parent) {
                Some(p) => p.children.push(item),
                None => {
                    return Err(unprocessable(format!(
                        "Dòng {}: ý {} chưa có mục {} đứng trước",
                        n + 1,
                        parts[0],
                        parent
                    )))
                }
            },
            None => items.push(item),
        }
    }
    Ok(items)
}

#[derive(Deserialize)]
pub struct TemplateForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    year_from: String,
    #[serde(default)]
    items: String,
}

/// `POST /phan-loai-phong-trao/mau/{id}`: change a template or make a new version.
pub async fn save_template(
    AxState(state): AxState<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    FormBody(f): FormBody<TemplateForm>,
) -> Response {
    let to = format!("{BASE}/mau");
    let r = async {
        if f.items.len() > 200_000 {
            return Err(unprocessable("Nội dung mẫu quá dài"));
        }
        let year = parse_year(&f.year_from)?;
        let items = parse_items(&f.items)?;
        Ok(templates::save(&state.db, Some(&ctx.actor), id, year, &f.title, &items).await?)
    }
    .await;
    crate::pages::outcome(r, &to, "msg.saved", &to)
}

#[derive(Deserialize)]
pub struct RulesForm {
    #[serde(default)]
    xuat_sac: String,
    #[serde(default)]
    kha: String,
    #[serde(default)]
    trung_binh: String,
    #[serde(default)]
    khu_dan_cu: String,
    #[serde(default)]
    xa: String,
    #[serde(default)]
    co_quan: String,
}

fn day_month(s: &str, what: &str) -> Result<(u32, u32), Failure> {
    let bad = || {
        unprocessable(format!(
            "Hạn của {what} ghi theo dạng ngày/tháng, ví dụ 20/11"
        ))
    };
    let (d, m) = s.trim().split_once('/').ok_or_else(bad)?;
    Ok((
        d.trim().parse().map_err(|_| bad())?,
        m.trim().parse().map_err(|_| bad())?,
    ))
}

/// `POST /phan-loai-phong-trao/mau/quy-dinh`: thresholds and deadlines (national administrators).
pub async fn save_rules(
    AxState(state): AxState<AppState>,
    PageUser(ctx): PageUser,
    FormBody(f): FormBody<RulesForm>,
) -> Response {
    let to = format!("{BASE}/mau");
    let r = async {
        let pts = |s: &str, w: &str| {
            parse_points(s).map_err(|e| unprocessable(format!("Ngưỡng {w}: {e}")))
        };
        let t = Thresholds {
            xuat_sac: pts(&f.xuat_sac, "Xuất sắc")?,
            kha: pts(&f.kha, "Khá")?,
            trung_binh: pts(&f.trung_binh, "Trung bình")?,
        };
        let d = Deadlines {
            khu_dan_cu: day_month(&f.khu_dan_cu, "khu dân cư")?,
            xa: day_month(&f.xa, "xã")?,
            co_quan: day_month(&f.co_quan, "cơ quan, doanh nghiệp, cơ sở giáo dục")?,
        };
        t.check()?;
        d.check()?;
        store::set_thresholds(&state.db, Some(&ctx.actor), &t).await?;
        store::set_deadlines(&state.db, Some(&ctx.actor), &d).await?;
        Ok::<_, Failure>(())
    }
    .await;
    crate::pages::outcome(r, &to, "msg.saved", &to)
}
