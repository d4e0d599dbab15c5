//! The categories of tips and their questionnaires over the JSON API, for
//! national administrators (documented in `openapi.json` beside this file):
//! `GET /tips/categories` (all of them, inactive ones too) and
//! `PUT /tips/categories/{code}` (the category as JSON: added or changed,
//! checked by `check_category`, audited). Who may is storage's one rule
//! (`categories::may_edit`); [`require_editor`] says it in words.

use antq_core::tips::categories::Category;
use antq_storage::tips::categories;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::Router;
use serde_json::{json, Value};

use crate::auth::{ApiUser, AuthContext};
use crate::error::{ApiResult, Failure};
use crate::extract::{Json, Path};
use crate::state::AppState;

/// The largest category a request may carry: 30 questions with long
/// Vietnamese hints fit, percent-encoded by a form (up to 9 bytes a letter).
pub const BODY_LIMIT: usize = 512 * 1024;

/// 403 in words unless the actor may edit the categories.
pub fn require_editor(ctx: &AuthContext) -> Result<(), Failure> {
    if categories::may_edit(&ctx.actor) {
        Ok(())
    } else {
        Err(Failure::new(
            StatusCode::FORBIDDEN,
            "Chỉ quản trị viên cấp toàn quốc được xem và sửa các loại tin báo và bộ câu hỏi",
        ))
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/tips/categories", get(list)).route(
        "/tips/categories/{code}",
        put(save).layer(DefaultBodyLimit::max(BODY_LIMIT)),
    )
}

async fn list(State(state): State<AppState>, ApiUser(ctx): ApiUser) -> ApiResult<Json<Value>> {
    require_editor(&ctx)?;
    Ok(Json(json!({"items": categories::list(&state.db).await?})))
}

/// The body as a category: its code may be left out (the path's is taken),
/// and when given must be the path's.
fn category_of(code: &str, mut body: Value) -> Result<Category, Failure> {
    let unprocessable = |m: String| Failure::new(StatusCode::UNPROCESSABLE_ENTITY, m);
    let Some(obj) = body.as_object_mut() else {
        return Err(unprocessable(
            "Nội dung phải là một đối tượng JSON mô tả loại tin báo".into(),
        ));
    };
    match obj.get("code").and_then(Value::as_str) {
        Some(c) if c != code => {
            return Err(unprocessable(format!(
                "Mã loại tin báo trong nội dung (\"{}\") khác mã trong đường dẫn (\"{code}\")",
                c.chars().take(40).collect::<String>()
            )))
        }
        _ => {
            obj.insert("code".into(), json!(code));
        }
    }
    serde_json::from_value(body).map_err(|e| {
        unprocessable(
            "Nội dung không đúng dạng một loại tin báo: thiếu trường bắt buộc, có trường sai kiểu \
             hoặc loại câu hỏi không phải text, longtext, choice, date (xem TipCategory trong /api/v1/openapi.json)"
                .into(),
        )
        .with_detail(e)
    })
}

async fn save(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(code): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Response> {
    require_editor(&ctx)?;
    let c = category_of(&code, body)?;
    let existed = categories::get(&state.db, &c.code).await.is_ok();
    let saved = categories::save_as(&state.db, &ctx.actor, c, false).await?;
    let status = if existed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(saved)).into_response())
}
