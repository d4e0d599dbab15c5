//! A cluster of scam identifiers taken out for the competent unit, as an
//! Excel workbook or CSV (`antq_office::tip_cluster`): from the clusters
//! page (`/tin-bao/cum/{key}/excel|csv`) and the API
//! (`GET /api/v1/tips/clusters/{key}/export?format=xlsx|csv`). The police
//! only; the tips listed are those within the officer's units (the others
//! are counted); never a tip's content nor anything about the tipster.
//! Audited by storage (`tip_cluster.export`).

use antq_core::dates;
use antq_core::text::format_int;
use antq_office::tip_cluster::{self, ClusterSheet, ClusterTip};
use antq_storage::tips::{categories, cluster_export};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::service::require_police;
use crate::auth::{ApiUser, AuthContext, PageUser};
use crate::error::{ApiResult, Failure, PageResult};
use crate::extract::{Path, Query};
use crate::pages::date_vi;
use crate::state::AppState;
use crate::statistics::{Download, XLSX};

/// The page routes (beside `/tin-bao/cum`).
pub fn page_routes() -> Router<AppState> {
    Router::new()
        .route("/tin-bao/cum/{key}/excel", get(page_xlsx))
        .route("/tin-bao/cum/{key}/csv", get(page_csv))
}

/// The API route (beside `/tips/clusters`).
pub fn api_routes() -> Router<AppState> {
    Router::new().route("/tips/clusters/{key}/export", get(api_export))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Xlsx,
    Csv,
}

impl Format {
    fn as_str(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
        }
    }
}

/// The cluster in words, for the writer.
async fn sheet(
    state: &AppState,
    ctx: &AuthContext,
    e: cluster_export::ClusterExport,
) -> Result<ClusterSheet, Failure> {
    let cats = categories::list(&state.db).await?;
    let name = |code: &str| {
        cats.iter()
            .find(|c| c.code == code)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| "Loại tin báo không còn dùng".into())
    };
    let day = |d: &str| date_vi(Some(d)).unwrap_or_default();
    let mut category_names: Vec<String> = e.categories.iter().map(|c| name(c)).collect();
    category_names.sort();
    category_names.dedup();
    let k = e.cluster;
    Ok(ClusterSheet {
        exported: format!(
            "Xuất ngày {} bởi {} · {} tin báo trong đơn vị được liệt kê",
            dates::format_vi(dates::today()),
            ctx.actor.display_name,
            format_int(e.tips.len() as i64)
        ),
        kind: k.kind.label_vi().into(),
        display: k.display,
        tips: k.tips,
        tips_here: k.tips_here,
        units: k.units,
        provinces: k.provinces,
        first_seen: day(&k.first_seen),
        last_seen: day(&k.last_seen),
        categories: category_names,
        rows: e
            .tips
            .iter()
            .map(|t| ClusterTip {
                id: t.id,
                received: day(&t.received_on),
                place: t.place_unit.clone(),
                unit: t.unit.clone(),
                category: name(&t.category),
                state: t.state.label_vi().into(),
            })
            .collect(),
    })
}

/// The cluster with this key as a file (the police only; audited).
async fn export(
    state: &AppState,
    ctx: &AuthContext,
    key: &str,
    format: Format,
) -> Result<Download, Failure> {
    require_police(ctx)?;
    let e = cluster_export::export(&state.db, &ctx.actor, key, format.as_str()).await?;
    let sheet = sheet(state, ctx, e).await?;
    let stem = format!("cum-dinh-danh_{}", key.chars().take(12).collect::<String>());
    Ok(match format {
        Format::Xlsx => Download {
            bytes: tip_cluster::write_xlsx(&sheet)
                .map_err(|m| Failure::new(StatusCode::INTERNAL_SERVER_ERROR, m))?,
            content_type: XLSX,
            filename: format!("{stem}.xlsx"),
        },
        Format::Csv => Download {
            bytes: tip_cluster::write_csv(&sheet),
            content_type: "text/csv; charset=utf-8",
            filename: format!("{stem}.csv"),
        },
    })
}

/// Never kept by a browser or a proxy.
fn no_store(d: Download) -> Response {
    let mut res = d.into_response();
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    res
}

async fn page_xlsx(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    axum::extract::Path(key): axum::extract::Path<String>,
) -> PageResult<Response> {
    Ok(no_store(export(&state, &ctx, &key, Format::Xlsx).await?))
}

async fn page_csv(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    axum::extract::Path(key): axum::extract::Path<String>,
) -> PageResult<Response> {
    Ok(no_store(export(&state, &ctx, &key, Format::Csv).await?))
}

#[derive(Deserialize)]
struct ExportQuery {
    format: Option<String>,
}

async fn api_export(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(key): Path<String>,
    Query(q): Query<ExportQuery>,
) -> ApiResult<Response> {
    let format = match q.format.as_deref().unwrap_or("xlsx") {
        "xlsx" => Format::Xlsx,
        "csv" => Format::Csv,
        _ => {
            return Err(Failure::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Định dạng tải về là xlsx (Excel) hoặc csv",
            )
            .into())
        }
    };
    Ok(no_store(export(&state, &ctx, &key, format).await?))
}
