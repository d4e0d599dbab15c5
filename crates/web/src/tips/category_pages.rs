//! The category editor for national administrators: `/tin-bao/loai` lists
//! the categories of tips, `/tin-bao/loai/{code}` edits one (its name,
//! description, retention, whether citizens are offered it, and its
//! questions as rows), `/tin-bao/loai/moi` adds one. Plain forms, no
//! JavaScript: a question is removed by emptying its label, added in one
//! of the empty rows at the end. A refused form comes back with what was
//! typed and the reason.

use std::collections::{BTreeSet, HashMap};

use antq_core::text;
use antq_core::tips::categories::{
    retention_words, Category, Question, QuestionKind, MAX_QUESTIONS,
};
use antq_storage::tips::categories;
use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};

use super::category_api::{require_editor, BODY_LIMIT};
use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::pages::{done_text, render, Chrome};
use crate::state::AppState;

/// Empty rows offered for new questions below the existing ones.
const EXTRA_ROWS: usize = 3;
/// Rows a form may carry (more are ignored).
const MAX_ROWS: usize = MAX_QUESTIONS + EXTRA_ROWS;

pub fn routes() -> Router<AppState> {
    let limit = DefaultBodyLimit::max(BODY_LIMIT);
    Router::new()
        .route("/tin-bao/loai", get(list_page))
        .route("/tin-bao/loai/moi", get(new_page).post(create).layer(limit))
        .route(
            "/tin-bao/loai/{code}",
            get(edit_page).post(update).layer(limit),
        )
}

/// A category in the list.
pub struct CategoryRow {
    pub href: String,
    pub name: String,
    pub active: bool,
    pub retention: String,
    pub questions: usize,
}

#[derive(Template)]
#[template(path = "tips/categories.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<CategoryRow>,
}

async fn list_page(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    c: Chrome,
) -> PageResult<Response> {
    require_editor(&ctx)?;
    let rows = categories::list(&state.db)
        .await?
        .into_iter()
        .map(|k| CategoryRow {
            href: format!("/tin-bao/loai/{}", k.code),
            name: k.name,
            active: k.active,
            retention: retention_words(k.retention_days),
            questions: k.questions.len(),
        })
        .collect();
    render(ListPage { c, rows })
}

/// A question row as typed.
#[derive(Debug, Clone, Default)]
pub struct QuestionRow {
    pub key: String,
    pub label: String,
    pub help: String,
    pub kind: String,
    pub required: bool,
    /// One option a line.
    pub options: String,
}

/// The form as typed.
#[derive(Debug, Clone, Default)]
pub struct CategoryForm {
    pub code: String,
    pub name: String,
    pub description: String,
    pub retention_days: String,
    pub active: bool,
    pub scam: bool,
    pub rows: Vec<QuestionRow>,
}

impl CategoryForm {
    fn of(c: &Category) -> CategoryForm {
        let mut rows: Vec<QuestionRow> = c
            .questions
            .iter()
            .map(|q| QuestionRow {
                key: q.key.clone(),
                label: q.label.clone(),
                help: q.help.clone(),
                kind: q.kind.as_str().into(),
                required: q.required,
                options: q.options.join("\n"),
            })
            .collect();
        rows.extend(std::iter::repeat_n(QuestionRow::default(), EXTRA_ROWS));
        CategoryForm {
            code: c.code.clone(),
            name: c.name.clone(),
            description: c.description.clone(),
            retention_days: c.retention_days.to_string(),
            active: c.active,
            scam: c.scam,
            rows,
        }
    }

    fn blank() -> CategoryForm {
        CategoryForm {
            retention_days: "1826".into(),
            active: true,
            rows: vec![QuestionRow::default(); EXTRA_ROWS],
            ..CategoryForm::default()
        }
    }

    /// Read the posted fields (`code`, `name`, …, `q{i}_key`, `q{i}_label`,
    /// `q{i}_help`, `q{i}_kind`, `q{i}_required`, `q{i}_options`).
    fn parse(pairs: Vec<(String, String)>) -> CategoryForm {
        let mut fields: HashMap<String, String> = HashMap::new();
        for (k, v) in pairs {
            fields.entry(k).or_insert(v);
        }
        let mut take = |k: &str| fields.remove(k).unwrap_or_default();
        let mut f = CategoryForm {
            code: take("code"),
            name: take("name"),
            description: take("description"),
            retention_days: take("retention_days"),
            active: take("active") == "1",
            scam: take("scam") == "1",
            rows: Vec::new(),
        };
        for i in 0..MAX_ROWS {
            let row = QuestionRow {
                key: take(&format!("q{i}_key")),
                label: take(&format!("q{i}_label")),
                help: take(&format!("q{i}_help")),
                kind: take(&format!("q{i}_kind")),
                required: take(&format!("q{i}_required")) == "1",
                options: take(&format!("q{i}_options")),
            };
            if row.kind.is_empty() && row.label.is_empty() && row.key.is_empty() {
                break;
            }
            f.rows.push(row);
        }
        f
    }

    /// The category the form describes: rows with an empty label are
    /// dropped; a row without a key gets one from its label.
    fn category(&self, code: &str) -> Result<Category, Failure> {
        let invalid = |m: String| Failure::new(StatusCode::UNPROCESSABLE_ENTITY, m);
        let retention_days = self.retention_days.trim().parse::<u32>().map_err(|_| {
            invalid("Thời hạn lưu giữ phải là một số ngày, ví dụ 1826 (5 năm)".into())
        })?;
        let kept: Vec<&QuestionRow> = self
            .rows
            .iter()
            .filter(|r| !r.label.trim().is_empty())
            .collect();
        let mut used: BTreeSet<String> = kept
            .iter()
            .map(|r| r.key.trim().to_string())
            .filter(|k| !k.is_empty())
            .collect();
        let mut questions = Vec::with_capacity(kept.len());
        for (n, r) in kept.into_iter().enumerate() {
            let kind = QuestionKind::parse(&r.kind).ok_or_else(|| {
                invalid(format!("Câu hỏi thứ {}: chưa chọn kiểu câu trả lời", n + 1))
            })?;
            let key = match r.key.trim() {
                "" => key_from(&r.label, &mut used),
                k => k.to_string(),
            };
            let options = if kind == QuestionKind::Choice {
                r.options
                    .lines()
                    .map(str::trim)
                    .filter(|o| !o.is_empty())
                    .map(String::from)
                    .collect()
            } else {
                Vec::new()
            };
            questions.push(Question {
                key,
                label: r.label.clone(),
                help: r.help.clone(),
                kind,
                required: r.required,
                options,
            });
        }
        Ok(Category {
            code: code.trim().to_string(),
            name: self.name.clone(),
            description: self.description.clone(),
            questions,
            retention_days,
            scam: self.scam,
            active: self.active,
        })
    }
}

/// A question's key made from its label ("Số tiền bị chiếm đoạt" →
/// `so_tien_bi_chiem_doat`), at most 32 characters, unlike any in `used`.
fn key_from(label: &str, used: &mut BTreeSet<String>) -> String {
    let mut base = String::new();
    for ch in text::fold(label).chars() {
        if ch.is_ascii_alphanumeric() {
            base.push(ch.to_ascii_lowercase());
        } else if !base.ends_with('_') && !base.is_empty() {
            base.push('_');
        }
    }
    let mut base: String = base.trim_end_matches('_').chars().take(28).collect();
    base = base.trim_end_matches('_').to_string();
    if base.is_empty() {
        base = "cau_hoi".into();
    }
    let mut key = base.clone();
    let mut n = 2;
    while used.contains(&key) {
        key = format!("{base}_{n}");
        n += 1;
    }
    used.insert(key.clone());
    key
}

#[derive(Template)]
#[template(path = "tips/category.html")]
struct EditPage {
    c: Chrome,
    is_new: bool,
    action: String,
    title: String,
    f: CategoryForm,
    kinds: Vec<(&'static str, &'static str)>,
    retention: String,
    error: String,
}

fn edit_view(
    c: Chrome,
    is_new: bool,
    f: CategoryForm,
    err: Option<Failure>,
) -> PageResult<Response> {
    let (status, error) = match err {
        Some(e) => (e.status, e.message),
        None => (StatusCode::OK, String::new()),
    };
    let retention = f
        .retention_days
        .trim()
        .parse::<u32>()
        .map(retention_words)
        .unwrap_or_default();
    let page = EditPage {
        action: if is_new {
            "/tin-bao/loai/moi".into()
        } else {
            format!("/tin-bao/loai/{}", f.code)
        },
        title: if is_new {
            "Thêm loại tin báo".into()
        } else {
            format!("Sửa loại tin báo “{}”", f.name)
        },
        kinds: QuestionKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_vi()))
            .collect(),
        retention,
        is_new,
        f,
        error,
        c,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn new_page(PageUser(ctx): PageUser, c: Chrome) -> PageResult<Response> {
    require_editor(&ctx)?;
    edit_view(c, true, CategoryForm::blank(), None)
}

async fn edit_page(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    c: Chrome,
    Path(code): Path<String>,
) -> PageResult<Response> {
    require_editor(&ctx)?;
    let cat = categories::get(&state.db, &code).await?;
    edit_view(c, false, CategoryForm::of(&cat), None)
}

/// Save the form's category (`is_new`: refuse a code in use), or show the
/// form again with what was typed and why it was refused.
async fn save_form(
    state: &AppState,
    ctx: &crate::auth::AuthContext,
    c: Chrome,
    code: &str,
    mut f: CategoryForm,
    is_new: bool,
) -> PageResult<Response> {
    let saved = match f.category(code) {
        Ok(cat) => categories::save_as(&state.db, &ctx.actor, cat, is_new)
            .await
            .map_err(Failure::from),
        Err(e) => Err(e),
    };
    match saved {
        Ok(cat) => Ok(done_text(
            "/tin-bao/loai",
            &format!("Đã lưu loại tin báo “{}”", cat.name),
        )),
        Err(e) if e.status == StatusCode::FORBIDDEN => Err(e.into()),
        Err(e) => {
            f.code = code.to_string();
            edit_view(c, is_new, f, Some(e))
        }
    }
}

async fn create(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    c: Chrome,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    require_editor(&ctx)?;
    let f = CategoryForm::parse(pairs);
    let code: String = f.code.trim().chars().take(40).collect();
    save_form(&state, &ctx, c, &code, f, true).await
}

async fn update(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    c: Chrome,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    require_editor(&ctx)?;
    // The category must exist: its code is the address, never the form's.
    categories::get(&state.db, &code).await?;
    save_form(&state, &ctx, c, &code, CategoryForm::parse(pairs), false).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_come_from_labels_and_never_repeat() {
        let mut used = BTreeSet::from(["so_tien".to_string()]);
        assert_eq!(key_from("Số tiền", &mut used), "so_tien_2");
        assert_eq!(key_from("Số tiền", &mut used), "so_tien_3");
        assert_eq!(
            key_from("Đối tượng đến từ đâu?", &mut used),
            "doi_tuong_den_tu_dau"
        );
        assert_eq!(key_from("???", &mut used), "cau_hoi");
        let long = key_from(&"rất dài ".repeat(20), &mut used);
        assert!(long.len() <= 32 && !long.ends_with('_'), "{long}");
    }

    #[test]
    fn an_emptied_label_removes_its_question() {
        let pairs = [
            ("name", "Thử"),
            ("retention_days", "730"),
            ("active", "1"),
            ("q0_key", "a"),
            ("q0_label", "Câu một"),
            ("q0_kind", "text"),
            ("q1_key", "b"),
            ("q1_label", "  "),
            ("q1_kind", "text"),
            ("q2_label", "Chọn đi"),
            ("q2_kind", "choice"),
            ("q2_options", "Có\r\n\r\nKhông\n"),
            ("q3_kind", "text"),
        ];
        let f = CategoryForm::parse(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        );
        assert_eq!(f.rows.len(), 4);
        let c = f.category("thu").unwrap();
        let keys: Vec<_> = c.questions.iter().map(|q| q.key.as_str()).collect();
        assert_eq!(keys, ["a", "chon_di"]);
        assert_eq!(c.questions[1].options, ["Có", "Không"]);
        assert_eq!(c.retention_days, 730);
        assert!(c.active && !c.scam);
        let bad = CategoryForm {
            retention_days: "năm năm".into(),
            ..f
        };
        assert_eq!(
            bad.category("thu").unwrap_err().status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
}
