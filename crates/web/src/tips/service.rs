//! The operations behind the tip pages and API: a citizen's submission
//! (proof of work, limits, checks, routing, sealing), the tipster's
//! session with the receipt, and the officers' acts with their key held in
//! memory. Access is checked by storage through the one policy.

use antq_core::dates;
use antq_core::tips::receipt::Receipt;
use antq_core::tips::states::TipState;
use antq_core::tips::submission::{check_tip, NewTip};
use antq_core::units::UnitCode;
use antq_storage::accounts::access::Actor;
use antq_storage::tips::{categories, handling, inbox, keys, receive, tipster};
use antq_storage::units;
use antq_vault::SecretKey;
use axum::http::StatusCode;

use crate::auth::AuthContext;
use crate::error::Failure;
use crate::state::AppState;
use crate::tips::keyring::TipsterSession;

/// A solved (or waited-out) challenge sent with a form.
pub struct Work<'a> {
    pub token: &'a str,
    pub nonce: u64,
}

fn now() -> i64 {
    dates::now_utc().timestamp()
}

/// Accept a tip from a citizen, with the pictures sent with it (as sent:
/// they are checked and stripped here): the receipt, shown once.
pub async fn submit(
    state: &AppState,
    tip: NewTip,
    files: Vec<Vec<u8>>,
    work: Work<'_>,
) -> Result<Receipt, Failure> {
    let desk = &state.tips;
    // The work first (cheap, changes nothing); the token is used up only
    // when the tip is accepted, so a tip refused for its content keeps it.
    desk.verify(work.token, work.nonce, now())?;
    let category = categories::get(&state.db, tip.category.trim())
        .await
        .map_err(|_| {
            Failure::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Không có loại tin báo này: xin chọn một loại trong danh sách",
            )
        })?;
    if !category.active {
        return Err(Failure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Loại tin báo này không còn nhận tin: xin chọn loại khác",
        ));
    }
    let today = dates::today();
    let concerns_local = tip.concerns_local_officers;
    let code = UnitCode::parse(tip.unit_code.trim()).map_err(|_| {
        Failure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Chưa chọn xã, phường nơi xảy ra vụ việc",
        )
    })?;
    let content = check_tip(&category, tip, today)?;
    let pictures = super::uploads::clean(files)?;
    let unit = units::get_at(&state.db, &code, today).await.map_err(|_| {
        Failure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Không có xã, phường nào với mã này hiện nay: xin chọn lại nơi xảy ra vụ việc",
        )
    })?;
    // A tip that names the commune's own police in a structured field
    // concerns them, ticked or not.
    let concerns_local =
        concerns_local || antq_core::tips::submission::names_local_police(&content, &unit.name);
    let route = receive::route(&state.db, unit.id, concerns_local).await?;
    let (here, all) = receive::received_on(&state.db, unit.id, today).await?;
    // A tip about a commune's own police is never held back by that
    // commune's daily limit (nor counted in it: see `received_on`).
    if (!concerns_local && here >= desk.config.per_unit_per_day) || all >= desk.config.per_day {
        return Err(Failure::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Hôm nay hệ thống đã nhận quá nhiều tin báo về nơi này: xin gửi lại vào ngày mai hoặc gọi đường dây nóng của Công an địa phương",
        ));
    }
    // The token is spent before the minute's count is taken: one solved
    // challenge takes at most one place, on whichever node.
    desk.use_up(&state.db, work.token, now()).await?;
    desk.tick(&state.db, now()).await?;
    let (_, receipt) =
        receive::receive_with(&state.db, &desk.keyed, &content, route, today, &pictures).await?;
    Ok(receipt)
}

/// Open a tipster's session with the receipt: its id (the cookie's value)
/// and its form token. A wrong receipt: 404 with the same words whether
/// or not such a tip ever existed.
pub async fn open_session(
    state: &AppState,
    receipt: &str,
    work: Work<'_>,
) -> Result<(String, String), Failure> {
    let desk = &state.tips;
    // Every attempt costs a proof of work and uses it up; wrong receipts
    // do not count against the tips' per-minute limit (which they would
    // otherwise let anyone exhaust).
    desk.spend_everywhere(&state.db, work.token, work.nonce, now())
        .await?;
    let wrong = || {
        Failure::new(
            StatusCode::NOT_FOUND,
            "Mã biên nhận không đúng: xin kiểm tra lại 16 chữ số",
        )
    };
    let receipt = Receipt::parse(receipt).map_err(|_| wrong())?;
    let Some((tip_id, key)) = tipster::open_with_receipt(&state.db, &desk.keyed, &receipt).await?
    else {
        return Err(wrong());
    };
    let id = desk.keyring.open_tipster(tip_id, key);
    let csrf = desk
        .keyring
        .tipster(&id)
        .map(|s| s.csrf)
        .unwrap_or_default();
    Ok((id, csrf))
}

/// The tipster's session from its cookie, or 401.
pub fn tipster_session(state: &AppState, id: Option<&str>) -> Result<TipsterSession, Failure> {
    id.and_then(|id| state.tips.keyring.tipster(id))
        .ok_or_else(|| {
            Failure::new(
                StatusCode::UNAUTHORIZED,
                "Phiên theo dõi tin báo đã hết: xin nhập lại mã biên nhận",
            )
        })
}

/// The tipster adds information, with pictures as sent (limits per tip in
/// storage).
pub async fn tipster_add(
    state: &AppState,
    s: &TipsterSession,
    text: &str,
    files: Vec<Vec<u8>>,
) -> Result<(), Failure> {
    let pictures = super::uploads::clean(files)?;
    tipster::add_with(&state.db, s.tip_id, &s.key, text, &pictures).await?;
    Ok(())
}

/// Tips are read and handled by the police only (403 for anyone else,
/// rather than an empty inbox that would suggest there are no tips).
pub fn require_police(ctx: &AuthContext) -> Result<(), Failure> {
    if ctx.actor.has_role(antq_core::auth::Role::Police) {
        Ok(())
    } else {
        Err(Failure::new(
            StatusCode::FORBIDDEN,
            "Chỉ cán bộ Công an được đọc và xử lý tin báo",
        ))
    }
}

/// The officer's key held for this session, or 409 saying how to open it.
pub fn officer_key(state: &AppState, ctx: &AuthContext) -> Result<SecretKey, Failure> {
    require_police(ctx)?;
    ctx.session_id
        .as_deref()
        .and_then(|id| state.tips.keyring.officer(id, ctx.actor.user_id))
        .ok_or_else(|| {
            Failure::new(
                StatusCode::CONFLICT,
                "Khóa đọc tin báo của đồng chí chưa mở trong phiên này: mở khóa bằng mật khẩu tại trang \"Khóa đọc tin báo\" (/tin-bao/khoa)",
            )
        })
}

/// At login, for a police officer: open (or make) the key and hold it for
/// the session. A failure never stops the login; the officer can open the
/// key later on its page.
pub async fn unlock_at_login(state: &AppState, actor: &Actor, session_id: &str, password: &str) {
    if !actor.has_role(antq_core::auth::Role::Police) {
        return;
    }
    match keys::unlock_or_create(&state.db, &actor.who(), actor.user_id, password).await {
        Ok(keys::Unlocked::Ready(secret)) => {
            state
                .tips
                .keyring
                .hold_officer(session_id, actor.user_id, secret)
        }
        Ok(keys::Unlocked::Locked) => {
            tracing::info!(
                user_id = actor.user_id,
                "tip key sealed by an older password"
            )
        }
        Err(e) => {
            tracing::warn!(user_id = actor.user_id, error = %e, "tip key not opened at login")
        }
    }
}

/// Open the key on its page (after a restart, or with the old password or
/// the recovery code after an administrator set a new password).
pub async fn unlock(
    state: &AppState,
    ctx: &AuthContext,
    password: &str,
    recovery: Option<keys::Recovery>,
) -> Result<(), Failure> {
    require_police(ctx)?;
    let session = ctx.session_id.as_deref().ok_or_else(|| {
        Failure::new(
            StatusCode::CONFLICT,
            "Khóa đọc tin báo chỉ mở được trong phiên đăng nhập bằng mật khẩu, không bằng mã truy cập (token)",
        )
    })?;
    let actor = &ctx.actor;
    // Guesses through a stolen session are counted like logins: a few per
    // quarter of an hour for this account, on their own counters.
    let attempt = state
        .throttle
        .reserve(
            &format!("khoa-tin-bao:{}", actor.username),
            "khoa-tin-bao",
            None,
        )
        .map_err(|wait| {
            Failure::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "Đã nhập sai mật khẩu mở khóa đọc tin báo quá nhiều lần: xin chờ {} phút rồi thử lại",
                    wait.minutes()
                ),
            )
        })?;
    let hash = antq_storage::accounts::users::login_secret(&state.db, &actor.username)
        .await?
        .map(|(_, h)| h)
        .unwrap_or_default();
    if !antq_storage::accounts::users::verify_password(password.to_string(), hash).await? {
        attempt.failed();
        return Err(Failure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Mật khẩu không đúng",
        ));
    }
    let secret = match recovery {
        Some(with) => {
            match keys::recover(&state.db, &actor.who(), actor.user_id, with, password).await {
                Ok(s) => s,
                Err(e) => {
                    attempt.failed();
                    return Err(e.into());
                }
            }
        }
        None => match keys::unlock_or_create(&state.db, &actor.who(), actor.user_id, password).await? {
            keys::Unlocked::Ready(s) => s,
            keys::Unlocked::Locked => {
                return Err(Failure::new(
                    StatusCode::CONFLICT,
                    "Khóa đọc tin báo đang được khóa bằng mật khẩu cũ: nhập mật khẩu cũ hoặc mã khôi phục, hoặc tạo khóa mới",
                ))
            }
        },
    };
    let _ = attempt.succeeded();
    state
        .tips
        .keyring
        .hold_officer(session, actor.user_id, secret);
    Ok(())
}

/// Parse a state from a form or a query (`None` for empty).
pub fn state_param(s: Option<&str>) -> Result<Option<TipState>, Failure> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| {
            Failure::new(
                StatusCode::BAD_REQUEST,
                "Trạng thái không hợp lệ: mới, đang xác minh, có giá trị, không có giá trị, đã chuyển, đã kết thúc",
            )
        }),
    }
}

/// The unit id of a code the actor may handle tips of (a filter).
pub async fn unit_filter(
    state: &AppState,
    actor: &Actor,
    code: Option<&str>,
) -> Result<Option<i64>, Failure> {
    let Some(code) = code.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let unit = crate::units::service::unit_for(
        state,
        actor,
        antq_core::auth::Action::HandleTips,
        code,
        dates::today(),
    )
    .await?;
    Ok(Some(unit.id))
}

/// Open a tip (audited) with the officer's held key.
pub async fn open_tip(
    state: &AppState,
    ctx: &AuthContext,
    id: i64,
) -> Result<inbox::OpenTip, Failure> {
    // Not found before "locked": a tip outside one's units stays unknown.
    inbox::visible(&state.db, &ctx.actor, id).await?;
    let secret = officer_key(state, ctx)?;
    Ok(inbox::open(&state.db, &ctx.actor, id, &secret).await?)
}

/// Open a picture of a tip (audited in storage).
pub async fn open_picture(
    state: &AppState,
    ctx: &AuthContext,
    id: i64,
    picture: i64,
) -> Result<antq_storage::tips::attachments::Attachment, Failure> {
    inbox::visible(&state.db, &ctx.actor, id).await?;
    let secret = officer_key(state, ctx)?;
    Ok(antq_storage::tips::attachments::open(&state.db, &ctx.actor, id, picture, &secret).await?)
}

/// A picture as answered to an officer: its own type, never sniffed, never
/// cached, nothing in it run.
pub fn picture_response(
    a: antq_storage::tips::attachments::Attachment,
    tip: i64,
    picture: i64,
) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    let ext = antq_office::images::ImageKind::from_media_type(&a.media_type)
        .map(|k| k.extension())
        .unwrap_or("bin");
    (
        [
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"tin-bao-{tip}-anh-{picture}.{ext}\""),
            ),
            (header::CONTENT_TYPE, a.media_type),
            (header::CACHE_CONTROL, "no-store".to_string()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox".to_string(),
            ),
        ],
        a.bytes,
    )
        .into_response()
}

/// Write on a tip (reply, question, note).
pub async fn write(
    state: &AppState,
    ctx: &AuthContext,
    id: i64,
    kind: &str,
    text: &str,
) -> Result<i64, Failure> {
    inbox::visible(&state.db, &ctx.actor, id).await?;
    let kind = handling::OfficerWriting::parse(kind)?;
    let secret = officer_key(state, ctx)?;
    Ok(handling::write(&state.db, &ctx.actor, id, &secret, kind, text).await?)
}

/// Transfer a tip to the unit of `code` (in force today).
pub async fn transfer(
    state: &AppState,
    ctx: &AuthContext,
    id: i64,
    code: &str,
    version: Option<i64>,
) -> Result<(), Failure> {
    inbox::visible(&state.db, &ctx.actor, id).await?;
    let secret = officer_key(state, ctx)?;
    let code = UnitCode::parse(code.trim())?;
    let unit = units::get_at(&state.db, &code, dates::today()).await?;
    Ok(handling::transfer(&state.db, &ctx.actor, id, &secret, unit.id, version).await?)
}
