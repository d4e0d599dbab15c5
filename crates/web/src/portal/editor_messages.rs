//! "Gửi ban biên tập", the public side: a reader writes to the editors of
//! the nation or of a province (a page that works without JavaScript, and
//! `POST /api/v1/public/editor-messages`). The channel is the citizen tips'
//! (`crate::tips::Desk`): the same proof of work (or, without JavaScript,
//! the same wait), the same per-minute count and per-day limits, the same
//! quiet routes (nothing logged) and the same reading of a form with a
//! file (`tips::uploads`). Nothing about the sender is kept beyond what
//! they typed and the day.

use antq_core::dates;
use antq_core::units::{Level, UnitCode};
use antq_storage::portal::messages::{self, Attachment, Kind, NewMessage};
use antq_storage::units::{self, Unit};
use askama::Template;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::middleware;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::json;

use crate::error::{ApiResult, Failure, PageResult};
use crate::extract::Json;
use crate::pages::Chrome;
use crate::state::AppState;
use crate::tips::desk::Challenge;
use crate::tips::service::Work;
use crate::tips::uploads::{AttachmentBody, TipForm, FORM_BODY_LIMIT};

/// The page and its thank-you, quiet and never cached.
pub fn page_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/gui-ban-bien-tap",
            get(form)
                .post(submit)
                .layer(DefaultBodyLimit::max(FORM_BODY_LIMIT))
                .layer(middleware::from_fn(crate::tips::uploads::bounded)),
        )
        .route("/gui-ban-bien-tap/da-gui", get(thanks))
        .route_layer(middleware::from_fn(crate::tips::pages::no_store))
        .route_layer(middleware::from_fn(crate::tips::quiet))
}

/// `POST /public/editor-messages` (under `/api/v1`), quiet.
pub fn api_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/public/editor-messages",
            post(api_send)
                .layer(DefaultBodyLimit::max(crate::tips::uploads::API_BODY_LIMIT))
                .layer(middleware::from_fn(crate::tips::uploads::bounded)),
        )
        .layer(middleware::from_fn(crate::tips::quiet))
}

fn now() -> i64 {
    dates::now_utc().timestamp()
}

/// A file as sent: one at most, a picture (stripped of its metadata) or a PDF.
fn attachment_of(files: Vec<Vec<u8>>) -> Result<Option<Attachment>, Failure> {
    let refuse = |m: String| Failure::new(StatusCode::UNPROCESSABLE_ENTITY, m);
    if files.len() > 1 {
        return Err(refuse("Chỉ gửi kèm được một tệp".into()));
    }
    let Some(bytes) = files.into_iter().next() else {
        return Ok(None);
    };
    if bytes.len() > messages::MAX_ATTACHMENT {
        return Err(Failure::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "Tệp đính kèm tối đa {} MB",
                messages::MAX_ATTACHMENT / 1024 / 1024
            ),
        ));
    }
    if bytes.starts_with(b"%PDF-") {
        return Ok(Some(Attachment {
            name: "tep-dinh-kem.pdf".into(),
            media_type: "application/pdf".into(),
            bytes,
        }));
    }
    match antq_office::images::strip_metadata(&bytes) {
        Ok((kind, clean)) => Ok(Some(Attachment {
            name: format!("anh-dinh-kem.{}", kind.extension()),
            media_type: kind.media_type().to_string(),
            bytes: clean,
        })),
        Err(_) => Err(refuse(
            "Tệp đính kèm phải là ảnh JPEG, PNG hoặc tệp PDF".into(),
        )),
    }
}

/// The editors a message may go to: the nation's or a province's (today's).
fn editors_unit(u: Unit) -> Result<Unit, Failure> {
    if matches!(u.level, Level::Nation | Level::Province) && u.valid_to.is_none() {
        Ok(u)
    } else {
        Err(Failure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Thư gửi đến ban biên tập cả nước hoặc của một tỉnh, thành phố: xin chọn \"Cả nước\" hoặc tên tỉnh, thành phố",
        ))
    }
}

/// Take a message: the work first (cheap, changes nothing), then what was
/// typed, the file and the day's limits; the token is used up only when the
/// message is kept, so a message refused for its content keeps it.
pub async fn send(
    state: &AppState,
    m: NewMessage,
    files: Vec<Vec<u8>>,
    work: Work<'_>,
) -> Result<(), Failure> {
    let desk = &state.tips;
    desk.verify(work.token, work.nonce, now())?;
    let attachment = attachment_of(files)?;
    let m = messages::check(NewMessage { attachment, ..m })?;
    let today = dates::today();
    let (here, all) = messages::received_on(&state.db, m.unit_id, today).await?;
    if here >= desk.config.per_unit_per_day || all >= desk.config.per_day {
        return Err(Failure::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Hôm nay ban biên tập đã nhận quá nhiều thư: xin gửi lại vào ngày mai",
        ));
    }
    // The token is spent before the minute's count is taken: one solved
    // challenge takes at most one place, on whichever node.
    desk.use_up(&state.db, work.token, now()).await?;
    desk.tick(&state.db, now()).await?;
    messages::receive(&state.db, &m, today).await?;
    Ok(())
}

/// What the reader typed (kept when the form comes back with an error).
#[derive(Default)]
pub struct Typed {
    pub unit: String,
    pub unit_pick: String,
    pub kind: String,
    pub name: String,
    pub contact: String,
    pub subject: String,
    pub body: String,
}

#[derive(Template)]
#[template(path = "portal/message_form.html")]
struct FormPage {
    c: Chrome,
    /// The nation's editors and today's provinces', as (code, name).
    recipients: Vec<(String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    t: Typed,
    ch: Challenge,
    error: String,
    max_mb: usize,
    max_subject: usize,
    max_body: usize,
}

async fn form_page(
    state: &AppState,
    c: Chrome,
    t: Typed,
    err: Option<Failure>,
    token: Option<&str>,
) -> PageResult<Response> {
    let recipients = messages::recipients(&state.db).await?;
    let (status, error) = match err {
        Some(f) => (f.status, f.message),
        None => (StatusCode::OK, String::new()),
    };
    let page = FormPage {
        recipients,
        kinds: Kind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_vi()))
            .collect(),
        t,
        ch: token
            .and_then(|tk| state.tips.resume(tk, now()))
            .unwrap_or_else(|| state.tips.challenge(now(), false)),
        c,
        error,
        max_mb: messages::MAX_ATTACHMENT / 1024 / 1024,
        max_subject: messages::MAX_SUBJECT,
        max_body: messages::MAX_BODY,
    };
    Ok((status, Html(page.render()?)).into_response())
}

#[derive(Deserialize, Default)]
struct FormParams {
    /// The article a reader comments on ("/tin-tuc/{slug}"), from its page's link.
    #[serde(default)]
    bai: String,
}

/// `GET /gui-ban-bien-tap`: the form, addressed to the nation's editors, or,
/// from an article's "Góp ý, đính chính bài này", to its editors as a
/// correction about it.
async fn form(
    State(state): State<AppState>,
    c: Chrome,
    crate::extract::Query(p): crate::extract::Query<FormParams>,
) -> PageResult<Response> {
    let mut t = Typed {
        unit: "Cả nước".into(),
        unit_pick: "VN".into(),
        kind: "message".into(),
        ..Typed::default()
    };
    if let Some((unit, headline)) = about_article(&state, &p.bai).await? {
        t.unit = unit.name;
        t.unit_pick = unit.code;
        t.kind = Kind::Correction.as_str().into();
        let subject = format!("Góp ý, đính chính bài \u{201C}{headline}\u{201D}");
        t.subject = subject.chars().take(messages::MAX_SUBJECT).collect();
    }
    form_page(&state, c, t, None, None).await
}

/// The editors answering for a published article (its own if they are
/// today's nation's or a province's, else those of today's province it is
/// filed under), and its headline.
async fn about_article(state: &AppState, path: &str) -> Result<Option<(Unit, String)>, Failure> {
    let Some(slug) = path.trim().strip_prefix("/tin-tuc/") else {
        return Ok(None);
    };
    let Some(a) = antq_storage::portal::public::by_slug(&state.db, slug).await? else {
        return Ok(None);
    };
    let own = units::by_id(&state.db, a.unit_id).await?;
    if let Ok(u) = editors_unit(own) {
        return Ok(Some((u, a.headline)));
    }
    // A commune's article, or one written before 2025 by a province that
    // no longer exists: today's province the article is filed under.
    let Some(code) = a
        .province_code
        .as_deref()
        .and_then(|c| UnitCode::parse(c).ok())
    else {
        return Ok(None);
    };
    Ok(units::find_at(&state.db, &code, dates::today())
        .await?
        .and_then(|u| editors_unit(u).ok())
        .map(|u| (u, a.headline)))
}

async fn submit(State(state): State<AppState>, c: Chrome, sent: TipForm) -> PageResult<Response> {
    let f = crate::tips::form::fields(sent.fields)?;
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let t = Typed {
        unit: get("unit"),
        unit_pick: get("unit_pick"),
        kind: get("kind"),
        name: get("name"),
        contact: get("contact"),
        subject: get("subject"),
        body: get("body"),
    };
    let token = get("challenge");
    if let Some(e) = sent.refused {
        return form_page(&state, c, t, Some(e), Some(&token)).await;
    }
    let today = dates::today();
    let unit = match crate::units::service::resolve_unit(&state, &t.unit, Some(&t.unit_pick), today)
        .await
        .and_then(editors_unit)
    {
        Ok(u) => u,
        Err(e) => return form_page(&state, c, t, Some(e), Some(&token)).await,
    };
    let kind = match Kind::parse(&t.kind) {
        Ok(k) => k,
        Err(e) => return form_page(&state, c, t, Some(e.into()), Some(&token)).await,
    };
    let m = NewMessage {
        unit_id: unit.id,
        kind,
        name: t.name.clone(),
        contact: t.contact.clone(),
        subject: t.subject.clone(),
        body: t.body.clone(),
        attachment: None,
    };
    let nonce = get("nonce").trim().parse().unwrap_or(0);
    let work = Work {
        token: &token,
        nonce,
    };
    match send(&state, m, sent.files, work).await {
        Ok(()) => Ok(Redirect::to("/gui-ban-bien-tap/da-gui").into_response()),
        Err(e) => {
            let t = Typed {
                unit: unit.name.clone(),
                unit_pick: unit.code.clone(),
                ..t
            };
            form_page(&state, c, t, Some(e), Some(&token)).await
        }
    }
}

#[derive(Template)]
#[template(path = "portal/message_thanks.html")]
struct ThanksPage {
    c: Chrome,
}

async fn thanks(c: Chrome) -> PageResult<Response> {
    Ok(Html(ThanksPage { c }.render()?).into_response())
}

/// A message as the API takes it.
#[derive(Deserialize)]
struct MessageBody {
    challenge: String,
    nonce: u64,
    /// `VN` (the nation's editors) or a province's code.
    unit_code: String,
    /// `message`, `correction` or `story`.
    kind: String,
    name: Option<String>,
    contact: Option<String>,
    subject: String,
    body: String,
    /// One picture (JPEG or PNG) or PDF, base64.
    attachment: Option<AttachmentBody>,
}

async fn api_send(
    State(state): State<AppState>,
    Json(b): Json<MessageBody>,
) -> ApiResult<Response> {
    // The work is checked before anything is decoded or looked up.
    state.tips.verify(&b.challenge, b.nonce, now())?;
    let code = UnitCode::parse(b.unit_code.trim()).map_err(|_| {
        Failure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Chưa chọn ban biên tập: unit_code là \"VN\" hoặc mã một tỉnh, thành phố",
        )
    })?;
    let unit = units::find_at(&state.db, &code, dates::today())
        .await?
        .ok_or_else(|| {
            Failure::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Không có tỉnh, thành phố nào với mã này hiện nay",
            )
        })?;
    let unit = editors_unit(unit)?;
    let files = crate::tips::uploads::decode(b.attachment.into_iter().collect())?;
    let m = NewMessage {
        unit_id: unit.id,
        kind: Kind::parse(&b.kind)?,
        name: b.name.unwrap_or_default(),
        contact: b.contact.unwrap_or_default(),
        subject: b.subject,
        body: b.body,
        attachment: None,
    };
    let work = Work {
        token: &b.challenge,
        nonce: b.nonce,
    };
    send(&state, m, files, work).await?;
    Ok((
        StatusCode::CREATED,
        [("cache-control", "no-store")],
        Json(json!({"received": true})),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_picture_or_pdf_is_taken() {
        assert!(attachment_of(vec![]).unwrap().is_none());
        let pdf = attachment_of(vec![b"%PDF-1.7 ...".to_vec()])
            .unwrap()
            .unwrap();
        assert_eq!(pdf.media_type, "application/pdf");
        let e = attachment_of(vec![b"MZ".to_vec()]).unwrap_err();
        assert!(e.message.contains("JPEG"));
        let e = attachment_of(vec![b"%PDF-".to_vec(), b"%PDF-".to_vec()]).unwrap_err();
        assert!(e.message.contains("một tệp"));
    }
}
