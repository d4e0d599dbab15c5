//! The officers' tip pages: the inbox by state, a tip opened (a reading,
//! audited) with its messages and the forms to work it, the clusters of
//! scam identifiers, and the officer's key. Access is the service's: a tip
//! outside one's units is not found.

use antq_core::dates;
use antq_core::tips::states::{can_move, TipState};
use antq_storage::tips::{categories, clusters, handling, inbox, keys};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use super::service;
use super::views::{content_view, ContentView};
use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::pages::{date_vi, done_text, failed, render, Chrome};
use crate::state::AppState;
use crate::units::pages::UnitPicker;

/// Tips on one page of the inbox.
const PAGE: i64 = 50;

/// The officers' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tin-bao/quan-ly", get(inbox_page))
        .route("/tin-bao/quan-ly/{id}", get(tip_page))
        .route("/tin-bao/quan-ly/{id}/anh/{picture}", get(picture))
        .route("/tin-bao/quan-ly/{id}/trang-thai", post(set_state))
        .route("/tin-bao/quan-ly/{id}/giao", post(assign))
        .route("/tin-bao/quan-ly/{id}/viet", post(write))
        .route("/tin-bao/quan-ly/{id}/chuyen", post(transfer))
        .route("/tin-bao/quan-ly/{id}/giu", post(hold))
        .route("/tin-bao/cum", get(clusters_page))
        .merge(super::cluster_export::page_routes())
        .route("/tin-bao/khoa", get(key_page).post(unlock))
        .route("/tin-bao/khoa/khoi-phuc", post(recovery_code))
        .route_layer(axum::middleware::from_fn(super::pages::no_store))
}

/// A tip in the inbox, in words.
pub struct RowView {
    pub id: i64,
    pub category: String,
    pub place: String,
    pub unit: String,
    pub received: String,
    /// The day the tipster last added something, when after the tip came.
    pub added: String,
    pub state: &'static str,
    pub assignee: String,
    pub past_place: bool,
}

fn row_view(cats: &[antq_core::tips::categories::Category], r: &inbox::TipRow) -> RowView {
    RowView {
        id: r.id,
        category: cats
            .iter()
            .find(|c| c.code == r.category)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| "Loại tin báo không còn dùng".into()),
        place: r.place_unit.clone(),
        unit: r.unit.clone(),
        received: date_vi(Some(&r.received_on)).unwrap_or_default(),
        added: if r.tipster_on > r.received_on {
            date_vi(Some(&r.tipster_on)).unwrap_or_default()
        } else {
            String::new()
        },
        state: r.state.label_vi(),
        assignee: r.assigned_to.clone().unwrap_or_default(),
        past_place: r.concerns_place,
    }
}

#[derive(Template)]
#[template(path = "tips/inbox.html")]
struct InboxPage {
    c: Chrome,
    counts: Vec<(&'static str, &'static str, i64)>,
    states: Vec<(&'static str, &'static str)>,
    state: String,
    picker: UnitPicker,
    rows: Vec<RowView>,
    older: Option<String>,
    error: String,
}

#[derive(Deserialize)]
struct InboxQuery {
    state: Option<String>,
    unit: Option<String>,
    unit_pick: Option<String>,
    before: Option<i64>,
}

async fn unit_of(
    state: &AppState,
    ctx: &crate::auth::AuthContext,
    text: &str,
    pick: &str,
) -> Result<Option<i64>, Failure> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let unit = crate::units::service::resolve_unit(state, text, Some(pick), dates::today()).await?;
    service::unit_filter(state, &ctx.actor, Some(&unit.code)).await
}

async fn inbox_page(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    c: Chrome,
    Query(q): Query<InboxQuery>,
) -> PageResult<Response> {
    super::service::require_police(&ctx)?;
    let (text, pick) = (
        q.unit.clone().unwrap_or_default(),
        q.unit_pick.clone().unwrap_or_default(),
    );
    let filter_state = service::state_param(q.state.as_deref())?;
    let (unit_id, error) = match unit_of(&state, &ctx, &text, &pick).await {
        Ok(u) => (u, String::new()),
        Err(e) => (None, e.message),
    };
    let filter = inbox::TipFilter {
        state: filter_state,
        unit_id,
        before_id: q.before,
        limit: PAGE,
    };
    let list = inbox::list(&state.db, &ctx.actor, &filter).await?;
    let cats = categories::list(&state.db).await?;
    let counts = inbox::counts(&state.db, &ctx.actor)
        .await?
        .into_iter()
        .map(|(s, n)| (s.as_str(), s.label_vi(), n))
        .collect();
    let older = (list.len() as i64 >= PAGE).then(|| {
        let last = list.last().map(|r| r.id).unwrap_or(0);
        format!(
            "/tin-bao/quan-ly?state={}&unit={}&unit_pick={}&before={last}",
            filter_state.map(|s| s.as_str()).unwrap_or(""),
            crate::auth::urlencode(&text),
            crate::auth::urlencode(&pick)
        )
    });
    let picker = UnitPicker::new(&c, "unit", "inbox-unit", "Đơn vị")
        .optional()
        .typed(&text, &pick);
    render(InboxPage {
        c,
        counts,
        states: TipState::ALL
            .iter()
            .map(|s| (s.as_str(), s.label_vi()))
            .collect(),
        state: filter_state.map(|s| s.as_str()).unwrap_or("").to_string(),
        picker,
        rows: list.iter().map(|r| row_view(&cats, r)).collect(),
        older,
        error,
    })
}

/// A message as officers see it.
pub struct OfficerMessage {
    pub who: String,
    pub kind: &'static str,
    pub class: &'static str,
    pub day: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "tips/tip.html")]
struct TipPage {
    c: Chrome,
    row: RowView,
    version: i64,
    legal_hold: bool,
    destroy_on: String,
    content: ContentView,
    messages: Vec<OfficerMessage>,
    pictures: Vec<PictureView>,
    readings: Vec<(String, String)>,
    moves: Vec<(&'static str, &'static str)>,
    picker: UnitPicker,
    kind: String,
    text: String,
    error: String,
}

/// A picture of a tip as listed (opened by its link, each opening audited).
struct PictureView {
    id: i64,
    size: String,
    /// When it came: with the tip, or with a later message (its day).
    with: String,
}

fn picture_views(t: &inbox::OpenTip) -> Vec<PictureView> {
    t.attachments
        .iter()
        .map(|a| PictureView {
            id: a.id,
            size: size_vi(a.size),
            with: match a.message_id {
                None => "gửi kèm tin báo".into(),
                Some(m) => t
                    .messages
                    .iter()
                    .find(|x| x.id == m)
                    .and_then(|x| date_vi(Some(&x.on_day)))
                    .map(|d| format!("gửi bổ sung ngày {d}"))
                    .unwrap_or_else(|| "gửi bổ sung".into()),
            },
        })
        .collect()
}

/// "350 KB", "1,2 MB".
fn size_vi(bytes: i64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", (bytes + 1023) / 1024)
    } else {
        format!("{:.1} MB", bytes as f64 / 1024.0 / 1024.0).replace('.', ",")
    }
}

async fn picture(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path((id, picture)): Path<(i64, i64)>,
) -> PageResult<Response> {
    let a = service::open_picture(&state, &ctx, id, picture).await?;
    Ok(service::picture_response(a, id, picture))
}

#[derive(Template)]
#[template(path = "tips/locked.html")]
struct LockedPage {
    c: Chrome,
    message: String,
}

fn message_view(m: &inbox::Message) -> OfficerMessage {
    let (kind, class) = match (m.author.as_str(), m.kind.as_str()) {
        ("tipster", _) => ("Người báo tin gửi", "msg tipster"),
        (_, "question") => ("Câu hỏi cho người báo tin", "msg question"),
        (_, "note") => ("Ghi chú nội bộ (người báo tin không thấy)", "msg note"),
        _ => ("Trả lời người báo tin", "msg reply"),
    };
    OfficerMessage {
        who: m.officer.clone().unwrap_or_default(),
        kind,
        class,
        day: date_vi(Some(&m.on_day)).unwrap_or_default(),
        text: m.text.clone(),
    }
}

async fn show_tip(
    state: &AppState,
    ctx: &crate::auth::AuthContext,
    c: Chrome,
    id: i64,
    typed: (String, String, Option<Failure>),
) -> PageResult<Response> {
    let tip = match service::open_tip(state, ctx, id).await {
        Ok(t) => t,
        Err(f) if f.status == StatusCode::CONFLICT => {
            let page = LockedPage {
                c,
                message: f.message,
            };
            return Ok((StatusCode::CONFLICT, Html(page.render()?)).into_response());
        }
        Err(f) => return Err(f.into()),
    };
    let cats = categories::list(&state.db).await?;
    let (kind, text, err) = typed;
    let (status, error) = match err {
        Some(f) => (f.status, f.message),
        None => (StatusCode::OK, String::new()),
    };
    let page = TipPage {
        row: row_view(&cats, &tip.tip),
        version: tip.tip.version,
        legal_hold: tip.tip.legal_hold,
        destroy_on: date_vi(tip.tip.destroy_on.as_deref()).unwrap_or_default(),
        content: content_view(&cats, &tip.content),
        messages: tip.messages.iter().map(message_view).collect(),
        pictures: picture_views(&tip),
        readings: tip
            .readings
            .iter()
            .map(|r| (dates::format_timestamp_vi(&r.at), r.who.clone()))
            .collect(),
        moves: TipState::ALL
            .iter()
            .filter(|s| can_move(tip.tip.state, **s))
            .map(|s| (s.as_str(), s.label_vi()))
            .collect(),
        picker: UnitPicker::new(&c, "to", "transfer-unit", "Chuyển đến đơn vị"),
        kind,
        text,
        error,
        c,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn tip_page(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    c: Chrome,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    super::service::require_police(&ctx)?;
    show_tip(
        &state,
        &ctx,
        c,
        id,
        // An internal note unless the officer chooses to write to the tipster.
        ("note".into(), String::new(), None),
    )
    .await
}

fn back(id: i64) -> String {
    format!("/tin-bao/quan-ly/{id}")
}

#[derive(Deserialize)]
struct StateForm {
    state: String,
    version: Option<i64>,
}

async fn set_state(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<StateForm>,
) -> PageResult<Response> {
    super::service::require_police(&ctx)?;
    let to = match service::state_param(Some(&f.state)) {
        Ok(Some(s)) => s,
        Ok(None) => {
            let e = Failure::new(StatusCode::UNPROCESSABLE_ENTITY, "Chưa chọn trạng thái");
            return Ok(failed(&back(id), e));
        }
        Err(e) => return Ok(failed(&back(id), e)),
    };
    Ok(
        match handling::set_state(&state.db, &ctx.actor, id, to, f.version).await {
            Ok(_) => done_text(
                &back(id),
                &format!("Đã chuyển tin báo sang trạng thái \"{}\"", to.label_vi()),
            ),
            Err(e) => failed(&back(id), e.into()),
        },
    )
}

#[derive(Deserialize)]
struct AssignForm {
    /// `me`, `none`, or a username in `username`.
    to: String,
    username: Option<String>,
    version: Option<i64>,
}

async fn assign(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<AssignForm>,
) -> PageResult<Response> {
    super::service::require_police(&ctx)?;
    let name = f.username.unwrap_or_default();
    let user = match f.to.as_str() {
        "me" => Some(ctx.actor.user_id),
        "none" => None,
        _ => {
            let name: String = name.trim().chars().take(64).collect();
            match antq_storage::accounts::users::find_by_username(&state.db, &name).await? {
                Some(u) => Some(u),
                None => {
                    let e = Failure::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        format!("Không có người dùng \"{name}\""),
                    );
                    return Ok(failed(&back(id), e));
                }
            }
        }
    };
    Ok(
        match handling::assign(&state.db, &ctx.actor, id, user, f.version).await {
            Ok(r) => {
                let who = r.assigned_to.unwrap_or_default();
                let msg = if who.is_empty() {
                    "Đã bỏ giao tin báo".to_string()
                } else {
                    format!("Đã giao tin báo cho {who}")
                };
                done_text(&back(id), &msg)
            }
            Err(e) => failed(&back(id), e.into()),
        },
    )
}

#[derive(Deserialize)]
struct WriteForm {
    kind: String,
    text: String,
}

async fn write(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    c: Chrome,
    Path(id): Path<i64>,
    Form(f): Form<WriteForm>,
) -> PageResult<Response> {
    super::service::require_police(&ctx)?;
    let kind: String = f.kind.chars().take(20).collect();
    let text: String = f.text.chars().take(10_000).collect();
    match service::write(&state, &ctx, id, &kind, &text).await {
        Ok(_) => {
            let msg = match kind.as_str() {
                "question" => "Đã gửi câu hỏi cho người báo tin",
                "note" => "Đã ghi chú nội bộ",
                _ => "Đã gửi trả lời cho người báo tin",
            };
            Ok(done_text(&back(id), msg))
        }
        Err(e) if e.status == StatusCode::NOT_FOUND => Err(e.into()),
        Err(e) => show_tip(&state, &ctx, c, id, (kind, text, Some(e))).await,
    }
}

#[derive(Deserialize)]
struct TransferForm {
    to: String,
    to_pick: Option<String>,
    version: Option<i64>,
}

async fn transfer(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<TransferForm>,
) -> PageResult<Response> {
    super::service::require_police(&ctx)?;
    let unit = match crate::units::service::resolve_unit(
        &state,
        &f.to,
        f.to_pick.as_deref(),
        dates::today(),
    )
    .await
    {
        Ok(u) => u,
        Err(e) => return Ok(failed(&back(id), e)),
    };
    Ok(
        match service::transfer(&state, &ctx, id, &unit.code, f.version).await {
            Ok(()) => done_text(
                "/tin-bao/quan-ly",
                &format!("Đã chuyển tin báo số {id} đến {}", unit.name),
            ),
            Err(e) => failed(&back(id), e),
        },
    )
}

#[derive(Deserialize)]
struct HoldForm {
    hold: String,
}

async fn hold(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<HoldForm>,
) -> PageResult<Response> {
    super::service::require_police(&ctx)?;
    let on = f.hold == "1";
    Ok(match handling::hold(&state.db, &ctx.actor, id, on).await {
        Ok(_) if on => done_text(
            &back(id),
            "Đã giữ tin báo để phục vụ pháp lý: không bị hủy khi hết hạn lưu",
        ),
        Ok(_) => done_text(
            &back(id),
            "Đã bỏ giữ tin báo: tin báo sẽ được hủy khi hết hạn lưu",
        ),
        Err(e) => failed(&back(id), e.into()),
    })
}

/// A cluster in words.
pub struct ClusterView {
    pub kind: &'static str,
    pub display: String,
    pub tips: String,
    pub tips_here: String,
    pub units: String,
    pub provinces: String,
    pub first: String,
    pub last: String,
    /// The cluster's address, for its export.
    pub key: String,
}

#[derive(Template)]
#[template(path = "tips/clusters.html")]
struct ClustersPage {
    c: Chrome,
    items: Vec<ClusterView>,
}

async fn clusters_page(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    c: Chrome,
) -> PageResult<Response> {
    super::service::require_police(&ctx)?;
    use antq_core::text::format_int;
    let items = clusters::clusters(&state.db, &ctx.actor, None, 1, 200)
        .await?
        .into_iter()
        .map(|k| ClusterView {
            kind: k.kind.label_vi(),
            display: k.display,
            tips: format_int(k.tips),
            tips_here: format_int(k.tips_here),
            units: format_int(k.units),
            provinces: format_int(k.provinces),
            first: date_vi(Some(&k.first_seen)).unwrap_or_default(),
            last: date_vi(Some(&k.last_seen)).unwrap_or_default(),
            key: k.key,
        })
        .collect();
    render(ClustersPage { c, items })
}

#[derive(Template)]
#[template(path = "tips/key.html")]
struct KeyPage {
    c: Chrome,
    open: bool,
    has_key: bool,
    has_recovery: bool,
    code: String,
    error: String,
}

async fn key_view(
    state: &AppState,
    ctx: &crate::auth::AuthContext,
    c: Chrome,
    code: String,
    err: Option<Failure>,
) -> PageResult<Response> {
    let (status, error) = match err {
        Some(f) => (f.status, f.message),
        None => (StatusCode::OK, String::new()),
    };
    let page = KeyPage {
        open: service::officer_key(state, ctx).is_ok(),
        has_key: keys::has_key(&state.db, ctx.actor.user_id).await?,
        has_recovery: keys::has_recovery(&state.db, ctx.actor.user_id).await?,
        code,
        error,
        c,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn key_page(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    c: Chrome,
) -> PageResult<Response> {
    super::service::require_police(&ctx)?;
    key_view(&state, &ctx, c, String::new(), None).await
}

#[derive(Deserialize)]
struct UnlockForm {
    password: String,
    old_password: Option<String>,
    recovery_code: Option<String>,
}

fn recovery_of(f: &UnlockForm) -> Result<Option<keys::Recovery>, Failure> {
    let old = f.old_password.clone().unwrap_or_default();
    let code = f.recovery_code.clone().unwrap_or_default();
    Ok(if !old.is_empty() {
        Some(keys::Recovery::OldPassword(old))
    } else if !code.trim().is_empty() {
        Some(keys::Recovery::Code(
            antq_vault::RecoveryCode::parse(&code).map_err(|_| {
                Failure::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Mã khôi phục không đúng dạng: xin kiểm tra lại",
                )
            })?,
        ))
    } else {
        None
    })
}

async fn unlock(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    c: Chrome,
    Form(f): Form<UnlockForm>,
) -> PageResult<Response> {
    super::service::require_police(&ctx)?;
    let result = match recovery_of(&f) {
        Ok(r) => service::unlock(&state, &ctx, &f.password, r).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(done_text(
            "/tin-bao/khoa",
            "Đã mở khóa đọc tin báo trong phiên này",
        )),
        Err(e) => key_view(&state, &ctx, c, String::new(), Some(e)).await,
    }
}

async fn recovery_code(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    c: Chrome,
) -> PageResult<Response> {
    super::service::require_police(&ctx)?;
    let made = match service::officer_key(&state, &ctx) {
        Ok(secret) => {
            keys::new_recovery_code(&state.db, &ctx.actor.who(), ctx.actor.user_id, &secret)
                .await
                .map_err(Failure::from)
        }
        Err(e) => Err(e),
    };
    match made {
        Ok(code) => key_view(&state, &ctx, c, code.display(), None).await,
        Err(e) => key_view(&state, &ctx, c, String::new(), Some(e)).await,
    }
}
