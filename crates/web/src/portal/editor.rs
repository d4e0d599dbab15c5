//! The editors' desk (`/bien-tap`): the articles of one's units by state,
//! writing and correcting, the workflow (gửi duyệt, đăng or hẹn giờ, trả
//! lại, gỡ), pictures, and a conference's press draft as a new draft.

use antq_core::auth::{Action, Role};
use antq_core::dates;
use antq_core::portal::article::ArticleText;
use antq_core::portal::{ArticleState, Topic};
use antq_core::units::UnitCode;
use antq_storage::portal::articles::{self, Article, ArticleInput, Listed};
use antq_storage::portal::{images, workflow};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use super::views::IMAGE_WIDTHS;
use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::extract::{Path, Query};
use crate::pages::{done, failed, render, Chrome};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/bien-tap", get(list))
        .route("/bien-tap/bai/moi", get(new_form))
        .route("/bien-tap/bai", post(create))
        .route("/bien-tap/bai/{id}", get(edit_form).post(update))
        .route("/bien-tap/bai/{id}/gui-duyet", post(submit))
        .route("/bien-tap/bai/{id}/dang", post(publish))
        .route("/bien-tap/bai/{id}/tra-lai", post(send_back))
        .route("/bien-tap/bai/{id}/go", post(unpublish))
        .merge(super::editor_images::routes())
}

struct Row {
    href: String,
    headline: String,
    unit: String,
    topic: &'static str,
    state: &'static str,
    state_code: &'static str,
    updated: String,
}

fn row(l: &Listed) -> Row {
    Row {
        href: format!("/bien-tap/bai/{}", l.id),
        headline: l.headline.clone(),
        unit: l.unit_name.clone(),
        topic: l.topic.label_vi(),
        state: l.state.label_vi(),
        state_code: l.state.code(),
        updated: dates::format_timestamp_vi(&l.updated_at),
    }
}

#[derive(Template)]
#[template(path = "portal/editor_list.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<Row>,
    tabs: Vec<(String, &'static str, i64, bool)>,
    all_href: String,
    all_current: bool,
    /// "Trang 2/7" and the neighbours' addresses, when there is more than a page.
    page_words: String,
    previous: Option<String>,
    next: Option<String>,
}

/// Articles a page of the editors' list shows.
const LIST_PAGE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(rename = "trang-thai")]
    pub state: Option<String>,
    /// The page, from 1.
    pub trang: Option<String>,
}

/// Whether the user edits any unit's news (else the desk is not theirs).
fn require_editor(ctx: &crate::auth::AuthContext) -> Result<(), Failure> {
    if ctx
        .actor
        .grants
        .iter()
        .any(|g| Action::EditArticles.permitted_by(g.role))
    {
        Ok(())
    } else {
        Err(Failure::new(
            StatusCode::FORBIDDEN,
            "Trang biên tập dành cho cán bộ có vai trò Biên tập hoặc Duyệt tin",
        ))
    }
}

/// `GET /bien-tap`.
pub async fn list(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Query(q): Query<ListQuery>,
) -> PageResult<Response> {
    require_editor(&ctx)?;
    let chosen = q.state.as_deref().and_then(ArticleState::parse);
    let page: i64 = q
        .trang
        .as_deref()
        .and_then(|p| p.trim().parse().ok())
        .filter(|p| (1..=100_000).contains(p))
        .unwrap_or(1);
    let (items, counts) = articles::list(
        &state.db,
        &ctx.actor,
        chosen,
        LIST_PAGE,
        (page - 1) * LIST_PAGE,
    )
    .await?;
    let total: i64 = counts
        .iter()
        .filter(|(s, _)| chosen.is_none_or(|c| c == *s))
        .map(|(_, n)| n)
        .sum();
    let pages = (total + LIST_PAGE - 1) / LIST_PAGE;
    let href = |p: i64| match chosen {
        Some(s) => format!("/bien-tap?trang-thai={}&trang={p}", s.code()),
        None => format!("/bien-tap?trang={p}"),
    };
    render(ListPage {
        page_words: if pages > 1 {
            format!("Trang {page}/{pages}")
        } else {
            String::new()
        },
        previous: (page > 1).then(|| href(page - 1)),
        next: (page < pages).then(|| href(page + 1)),
        rows: items.iter().map(row).collect(),
        tabs: counts
            .into_iter()
            .map(|(s, n)| {
                (
                    format!("/bien-tap?trang-thai={}", s.code()),
                    s.label_vi(),
                    n,
                    Some(s) == chosen,
                )
            })
            .collect(),
        all_href: "/bien-tap".into(),
        all_current: chosen.is_none(),
        c,
    })
}

/// What the form shows (as typed, after an error).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ArticleFields {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub headline: String,
    #[serde(default)]
    pub lead: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub author_line: String,
    #[serde(default)]
    pub photo_credit: String,
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub correction: String,
}

impl ArticleFields {
    fn of(a: &Article, unit_code: String, place_code: String) -> ArticleFields {
        ArticleFields {
            unit: unit_code,
            topic: a.topic.code().into(),
            place: place_code,
            headline: a.headline.clone(),
            lead: a.lead.clone(),
            body: a.body.clone(),
            author_line: a.author_line.clone(),
            photo_credit: a.photo_credit.clone(),
            tags: a.tags.join(", "),
            correction: String::new(),
        }
    }
}

struct ImageRow {
    id: i64,
    position: i64,
    src: String,
    caption: String,
    credit: String,
}

#[derive(Template)]
#[template(path = "portal/editor_form.html")]
struct FormPage {
    c: Chrome,
    title: String,
    action: String,
    f: ArticleFields,
    units: Vec<(String, String)>,
    topics: Vec<(&'static str, &'static str)>,
    error: String,
    /// For an existing article.
    article: Option<ArticleView>,
    images: Vec<ImageRow>,
    may_publish: bool,
}

struct ArticleView {
    id: i64,
    state: &'static str,
    state_code: &'static str,
    public_href: Option<String>,
    return_reason: String,
    publish_at: Option<String>,
    editable: bool,
    may_submit: bool,
    may_publish_now: bool,
    may_return: bool,
    may_unpublish: bool,
    published: bool,
    /// May this user add, re-caption or remove its pictures?
    pictures: bool,
    history: String,
}

/// The units whose news the user writes: (code, name).
fn editor_units(ctx: &crate::auth::AuthContext) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for g in &ctx.actor.grants {
        if matches!(g.role, Role::Editor | Role::Reviewer)
            && g.unit_valid_to.is_none()
            && !out.iter().any(|(c, _)| *c == g.unit_code)
        {
            out.push((g.unit_code.clone(), g.unit_name.clone()));
        }
    }
    out
}

fn topics() -> Vec<(&'static str, &'static str)> {
    Topic::ALL
        .iter()
        .map(|t| (t.code(), t.label_vi()))
        .collect()
}

/// `GET /bien-tap/bai/moi`.
pub async fn new_form(c: Chrome, PageUser(ctx): PageUser) -> PageResult<Response> {
    require_editor(&ctx)?;
    let units = editor_units(&ctx);
    let f = ArticleFields {
        unit: units.first().map(|u| u.0.clone()).unwrap_or_default(),
        topic: Topic::Movement.code().into(),
        ..Default::default()
    };
    render(FormPage {
        title: "Viết bài mới".into(),
        action: "/bien-tap/bai".into(),
        f,
        units,
        topics: topics(),
        error: String::new(),
        article: None,
        images: Vec::new(),
        may_publish: false,
        c,
    })
}

/// Today's unit by the code typed.
async fn unit_by_code(state: &AppState, code: &str, what: &str) -> Result<i64, Failure> {
    let parsed = UnitCode::parse(code.trim()).map_err(|_| {
        Failure::bad_request(format!(
            "{what}: mã đơn vị \"{}\" không hợp lệ",
            code.trim()
        ))
    })?;
    antq_storage::units::find_at(&state.db, &parsed, dates::today())
        .await?
        .map(|u| u.id)
        .ok_or_else(|| {
            Failure::bad_request(format!(
                "{what}: không có đơn vị mã \"{}\" hiện nay",
                code.trim()
            ))
        })
}

async fn input_of(state: &AppState, f: &ArticleFields) -> Result<ArticleInput, Failure> {
    let unit_id = unit_by_code(state, &f.unit, "Đơn vị biên tập").await?;
    let topic =
        Topic::parse(&f.topic).ok_or_else(|| Failure::bad_request("Cần chọn chuyên mục"))?;
    let place_unit_id = if f.place.trim().is_empty() {
        None
    } else {
        Some(unit_by_code(state, &f.place, "Địa bàn").await?)
    };
    let text = ArticleText::parse(
        &f.headline,
        &f.lead,
        &f.body,
        &f.author_line,
        &f.photo_credit,
        &f.tags,
    )?;
    Ok(ArticleInput {
        unit_id,
        topic,
        place_unit_id,
        text,
    })
}

/// `POST /bien-tap/bai`: a new draft.
pub async fn create(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Form(f): Form<ArticleFields>,
) -> PageResult<Response> {
    require_editor(&ctx)?;
    let saved = async {
        let input = input_of(&state, &f).await?;
        Ok::<_, Failure>(articles::create(&state.db, Some(&ctx.actor), &input, None).await?)
    }
    .await;
    match saved {
        Ok(id) => Ok(done(&format!("/bien-tap/bai/{id}"), "msg.created")),
        Err(e) => {
            let units = editor_units(&ctx);
            let mut res = render(FormPage {
                title: "Viết bài mới".into(),
                action: "/bien-tap/bai".into(),
                f,
                units,
                topics: topics(),
                error: e.message.clone(),
                article: None,
                images: Vec::new(),
                may_publish: false,
                c,
            })?;
            *res.status_mut() = e.status;
            Ok(res)
        }
    }
}

async fn unit_code(state: &AppState, id: i64) -> Result<String, Failure> {
    Ok(antq_storage::units::by_id(&state.db, id)
        .await?
        .code
        .to_string())
}

async fn form_page(
    state: &AppState,
    c: Chrome,
    ctx: &crate::auth::AuthContext,
    a: &Article,
    f: Option<ArticleFields>,
    error: String,
) -> PageResult<Response> {
    let may_publish = antq_storage::accounts::access::can(
        &state.db,
        &ctx.actor,
        Action::PublishArticles,
        a.unit_id,
    )
    .await?;
    let f = match f {
        Some(f) => f,
        None => {
            let place = match a.place_unit_id {
                Some(p) => unit_code(state, p).await?,
                None => String::new(),
            };
            ArticleFields::of(a, unit_code(state, a.unit_id).await?, place)
        }
    };
    let imgs = images::list(&state.db, a.id).await?;
    let mut units = editor_units(ctx);
    if !units.iter().any(|u| u.0 == f.unit) {
        units.push((f.unit.clone(), a.unit_name.clone()));
    }
    let s = a.state;
    let view = ArticleView {
        id: a.id,
        state: s.label_vi(),
        state_code: s.code(),
        public_href: (s == ArticleState::Published).then(|| format!("/tin-tuc/{}", a.slug)),
        return_reason: a.return_reason.clone(),
        publish_at: a.publish_at.as_deref().map(dates::format_timestamp_vi),
        editable: s.editable() || (may_publish && s == ArticleState::Submitted),
        may_submit: s.editable(),
        may_publish_now: may_publish
            && matches!(
                s,
                ArticleState::Submitted
                    | ArticleState::Draft
                    | ArticleState::Returned
                    | ArticleState::Unpublished
                    | ArticleState::Scheduled
            ),
        may_return: may_publish && matches!(s, ArticleState::Submitted | ArticleState::Scheduled),
        may_unpublish: may_publish
            && matches!(s, ArticleState::Published | ArticleState::Scheduled),
        published: s == ArticleState::Published,
        pictures: s.editable() || may_publish,
        history: format!(
            "Tạo bởi {} lúc {}; sửa lần cuối bởi {} lúc {}",
            a.created_by,
            dates::format_timestamp_vi(&a.created_at),
            a.updated_by,
            dates::format_timestamp_vi(&a.updated_at)
        ),
    };
    let mut res = render(FormPage {
        title: a.headline.clone(),
        action: format!("/bien-tap/bai/{}", a.id),
        f,
        units,
        topics: topics(),
        error: error.clone(),
        article: Some(view),
        images: imgs
            .iter()
            .map(|i| ImageRow {
                id: i.id,
                position: i.position,
                src: format!("/bien-tap/anh/{}/{}", i.id, IMAGE_WIDTHS[0]),
                caption: i.caption.clone(),
                credit: i.credit.clone(),
            })
            .collect(),
        may_publish,
        c,
    })?;
    if !error.is_empty() {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// `GET /bien-tap/bai/{id}`.
pub async fn edit_form(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    let a = articles::get(&state.db, &ctx.actor, id).await?;
    form_page(&state, c, &ctx, &a, None, String::new()).await
}

/// `POST /bien-tap/bai/{id}`: save the text (a published article: a
/// correction, with its note).
pub async fn update(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<ArticleFields>,
) -> PageResult<Response> {
    let a = articles::get(&state.db, &ctx.actor, id).await?;
    let saved = async {
        let input = input_of(&state, &f).await?;
        if a.state == ArticleState::Published {
            workflow::correct(
                &state.db,
                &ctx.actor,
                id,
                input.topic,
                input.place_unit_id,
                &input.text,
                &f.correction,
            )
            .await?;
        } else {
            articles::update(&state.db, &ctx.actor, id, &input).await?;
        }
        Ok::<_, Failure>(())
    }
    .await;
    match saved {
        Ok(()) => Ok(done(&format!("/bien-tap/bai/{id}"), "msg.saved")),
        Err(e) => form_page(&state, c, &ctx, &a, Some(f), e.message).await,
    }
}

pub(super) fn back(id: i64) -> String {
    format!("/bien-tap/bai/{id}")
}

/// `POST /bien-tap/bai/{id}/gui-duyet`.
pub async fn submit(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    let r = workflow::submit(&state.db, &ctx.actor, id)
        .await
        .map_err(Failure::from);
    Ok(crate::pages::outcome(
        r,
        &back(id),
        "portal.submitted",
        &back(id),
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct PublishForm {
    /// "dd/mm/yyyy HH:MM" or "YYYY-MM-DDTHH:MM" (Vietnam time); empty: now.
    #[serde(default)]
    pub at: String,
}

/// A time typed by a reviewer, in Vietnam time, as UTC.
pub fn parse_when(s: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>, Failure> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let local = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(s, "%d/%m/%Y %H:%M"))
        .map_err(|_| {
            Failure::bad_request(format!(
                "Giờ đăng \"{}\" không hợp lệ: ghi dạng dd/mm/yyyy HH:MM",
                s.chars().take(30).collect::<String>()
            ))
        })?;
    let vn = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7");
    Ok(local
        .and_local_timezone(vn)
        .single()
        .map(|t| t.with_timezone(&chrono::Utc)))
}

/// `POST /bien-tap/bai/{id}/dang`: publish now or at a time.
pub async fn publish(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<PublishForm>,
) -> PageResult<Response> {
    let r = async {
        let at = parse_when(&f.at)?;
        workflow::publish(&state.db, Some(&ctx.actor), id, at).await?;
        Ok::<_, Failure>(())
    }
    .await;
    Ok(crate::pages::outcome(
        r,
        &back(id),
        "portal.published",
        &back(id),
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    pub reason: String,
}

/// `POST /bien-tap/bai/{id}/tra-lai`.
pub async fn send_back(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<ReasonForm>,
) -> PageResult<Response> {
    let r = workflow::send_back(&state.db, &ctx.actor, id, &f.reason)
        .await
        .map_err(Failure::from);
    Ok(crate::pages::outcome(
        r,
        &back(id),
        "portal.returned",
        &back(id),
    ))
}

/// `POST /bien-tap/bai/{id}/go`.
pub async fn unpublish(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    let r = workflow::unpublish(&state.db, &ctx.actor, id)
        .await
        .map_err(Failure::from);
    Ok(crate::pages::outcome(
        r,
        &back(id),
        "portal.unpublished",
        &back(id),
    ))
}

/// `POST /hoi-nghi/{id}/bai-viet`: the conference's press draft as a new
/// article draft of the conference's unit.
pub async fn from_conference(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    match workflow::from_conference(&state.db, &ctx.actor, id).await {
        Ok(article) => Ok(done(&format!("/bien-tap/bai/{article}"), "portal.drafted")),
        Err(e) => Ok(failed(&format!("/hoi-nghi/{id}"), Failure::from(e))),
    }
}
