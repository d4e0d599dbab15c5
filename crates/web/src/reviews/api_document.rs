//! The whole report over the API (described in `document.openapi.json`
//! beside this file): `PUT /api/v1/reviews/{id}/document`,
//! `POST /api/v1/reviews/{id}/approve`, the signers register
//! (`GET/POST /api/v1/units/{code}/signers`, `PUT /api/v1/review-signers/{id}`)
//! and the templates (`GET/PUT/DELETE /api/v1/review-templates/{kind}?unit=`).

use antq_core::reviews::document::{Section, MAX_HEADING_CHARS, MAX_SECTIONS};
use antq_core::reviews::rich::MAX_SECTION_CHARS;
use antq_core::reviews::signing::{Authority, Side, Signer, MAX_RECIPIENTS};
use antq_core::text::limits;
use antq_core::DomainError;
use antq_storage::reviews::{DocumentChange, SignerInput};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use super::api::review_json;
use super::registers;
use crate::auth::ApiUser;
use crate::error::{ApiResult, Failure};
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

/// The largest body of a document or a template: 20 sections of 40.000
/// characters may take 12 bytes each as JSON escapes (about 9,6 MB), so
/// the API's usual 2 MB would answer 413 to a body it documents as valid.
pub const DOCUMENT_BODY_LIMIT: usize = 12 * 1024 * 1024;

/// Does this path (as the request sees it) take a whole document or
/// template, so that a 413 names [`DOCUMENT_BODY_LIMIT`]?
pub fn takes_a_document(path: &str) -> bool {
    let p = path.trim_end_matches('/');
    (p.starts_with("/api/v1/reviews/") && p.ends_with("/document"))
        || p.starts_with("/api/v1/review-templates/")
}

/// The API routes (under `/api/v1`).
pub fn routes() -> Router<AppState> {
    let documents = DefaultBodyLimit::max(DOCUMENT_BODY_LIMIT);
    Router::new()
        .route(
            "/reviews/{id}/document",
            put(save_document).layer(documents),
        )
        .route("/reviews/{id}/approve", post(approve))
        .route("/units/{code}/signers", get(signers).post(add_signer))
        .route("/review-signers/{id}", put(update_signer))
        .route(
            "/review-templates/{kind}",
            get(template)
                .put(save_template)
                .delete(reset_template)
                .layer(documents),
        )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentBody {
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    sections: Option<Vec<Section>>,
    #[serde(default)]
    signers: Option<Vec<Signer>>,
    #[serde(default)]
    recipients: Option<Vec<String>>,
}

/// `PUT /api/v1/reviews/{id}/document` (audited; the approvals go).
pub async fn save_document(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<DocumentBody>,
) -> ApiResult<Json<Value>> {
    b.check_bounds()?;
    let change = DocumentChange {
        version: b.version,
        title: b.title,
        sections: b.sections,
        signers: b.signers,
        recipients: b.recipients,
    };
    let r = super::save_document(&state.db, &ctx.actor, id, change).await?;
    Ok(Json(review_json(&r)))
}

/// The bounds the API documents, checked on the text as sent: cleaning
/// (spaces, NFC) may shorten a text, so a body longer than documented
/// would otherwise pass.
fn within(label: &str, text: &str, max: usize) -> Result<(), Failure> {
    Ok(antq_core::text::check_len(label, text, max)?)
}

fn sections_within(sections: &[Section]) -> Result<(), Failure> {
    if sections.len() > MAX_SECTIONS {
        return Err(
            DomainError::invalid(format!("Một báo cáo có tối đa {MAX_SECTIONS} mục")).into(),
        );
    }
    for (i, s) in sections.iter().enumerate() {
        within(
            &format!("Tiêu đề mục thứ {}", i + 1),
            &s.heading,
            MAX_HEADING_CHARS,
        )?;
        within(
            &format!("Nội dung mục thứ {}", i + 1),
            &s.text,
            MAX_SECTION_CHARS,
        )?;
    }
    Ok(())
}

fn signer_within(s: &Signer) -> Result<(), Failure> {
    within("Cấp ký thay", &s.for_whom, limits::NAME)?;
    within("Chức vụ", &s.position, limits::NAME)?;
    within("Cấp bậc", &s.rank, limits::NAME)?;
    within("Họ tên", &s.name, limits::NAME)
}

impl DocumentBody {
    fn check_bounds(&self) -> Result<(), Failure> {
        if let Some(t) = &self.title {
            within("Tên báo cáo (trích yếu)", t, MAX_HEADING_CHARS)?;
        }
        if let Some(s) = &self.sections {
            sections_within(s)?;
        }
        if let Some(s) = &self.signers {
            if s.len() > 2 {
                return Err(
                    DomainError::invalid("Mỗi bên ban hành một người ký (tối đa 2)").into(),
                );
            }
            s.iter().try_for_each(signer_within)?;
        }
        if let Some(r) = &self.recipients {
            if r.len() > MAX_RECIPIENTS {
                return Err(DomainError::invalid(format!(
                    "\u{201C}Nơi nhận\u{201D} có tối đa {MAX_RECIPIENTS} dòng"
                ))
                .into());
            }
            for l in r {
                within("Một dòng \u{201C}Nơi nhận\u{201D}", l, limits::NAME)?;
            }
        }
        Ok(())
    }
}

#[derive(Deserialize)]
pub struct ApproveBody {
    side: Side,
    #[serde(default)]
    version: Option<String>,
}

/// `POST /api/v1/reviews/{id}/approve` {side}: one side approves the text.
pub async fn approve(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<ApproveBody>,
) -> ApiResult<Json<Value>> {
    let r = super::approve(&state.db, &ctx.actor, id, b.side, b.version.as_deref()).await?;
    Ok(Json(review_json(&r)))
}

/// `GET /api/v1/units/{code}/signers`: the unit's register.
pub async fn signers(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(code): Path<String>,
) -> ApiResult<Json<Value>> {
    let (unit, list) = registers::signers(&state.db, &ctx.actor, &code).await?;
    let may_edit = registers::may_keep_signers(&state.db, &ctx.actor, unit.id).await?;
    Ok(Json(json!({
        "unit": unit.code,
        "unit_name": unit.name,
        "may_edit": may_edit,
        "signers": list,
    })))
}

#[derive(Deserialize)]
pub struct SignerBody {
    side: Side,
    #[serde(default)]
    authority: Authority,
    #[serde(default)]
    for_whom: String,
    position: String,
    #[serde(default)]
    rank: String,
    name: String,
    #[serde(default)]
    sort: i64,
    #[serde(default = "yes")]
    active: bool,
}

fn yes() -> bool {
    true
}

impl SignerBody {
    fn input(self) -> Result<SignerInput, Failure> {
        let input = SignerInput {
            signer: Signer {
                side: self.side,
                authority: self.authority,
                for_whom: self.for_whom,
                position: self.position,
                rank: self.rank,
                name: self.name,
            },
            sort: self.sort,
            active: self.active,
        };
        signer_within(&input.signer)?;
        Ok(input)
    }
}

/// `POST /api/v1/units/{code}/signers` (the unit's administrators; audited).
pub async fn add_signer(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(code): Path<String>,
    Json(b): Json<SignerBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let s = registers::add_signer(&state.db, &ctx.actor, &code, b.input()?).await?;
    Ok((StatusCode::CREATED, Json(json!(s))))
}

/// `PUT /api/v1/review-signers/{id}`: change or deactivate a block (audited).
pub async fn update_signer(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<SignerBody>,
) -> ApiResult<Json<Value>> {
    let s = registers::update_signer(&state.db, &ctx.actor, id, b.input()?).await?;
    Ok(Json(json!(s)))
}

#[derive(Deserialize)]
pub struct UnitParam {
    #[serde(default)]
    unit: Option<String>,
}

/// `GET /api/v1/review-templates/{kind}?unit=`: the template reviews of the
/// unit start from (without a unit: the national one).
pub async fn template(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(kind): Path<String>,
    Query(p): Query<UnitParam>,
) -> ApiResult<Json<Value>> {
    let t = registers::template(&state.db, &ctx.actor, &kind, p.unit.as_deref()).await?;
    Ok(Json(json!(t)))
}

#[derive(Deserialize)]
pub struct TemplateBody {
    sections: Vec<Section>,
}

/// `PUT /api/v1/review-templates/{kind}?unit=`: save the national template
/// or a province's copy (audited).
pub async fn save_template(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(kind): Path<String>,
    Query(p): Query<UnitParam>,
    Json(b): Json<TemplateBody>,
) -> ApiResult<Json<Value>> {
    sections_within(&b.sections)?;
    let t = registers::save_template(&state.db, &ctx.actor, &kind, p.unit.as_deref(), b.sections)
        .await?;
    Ok(Json(json!(t)))
}

/// `DELETE /api/v1/review-templates/{kind}?unit=`: a province's copy goes
/// back to the national template (audited).
pub async fn reset_template(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(kind): Path<String>,
    Query(p): Query<UnitParam>,
) -> ApiResult<Json<Value>> {
    let unit = p.unit.as_deref().map(str::trim).unwrap_or("");
    if unit.is_empty() {
        return Err(crate::error::Failure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Cần mã tỉnh, thành phố (unit) của mẫu riêng cần trả về mẫu chung",
        )
        .into());
    }
    let t = registers::reset_template(&state.db, &ctx.actor, &kind, unit).await?;
    Ok(Json(json!(t)))
}
