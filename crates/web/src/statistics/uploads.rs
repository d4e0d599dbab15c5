//! Imports of files: uploads admitted a few at a time before their body is
//! read, parsed on the blocking pool, then checked and written all or nothing.

use antq_core::dates;
use antq_storage::accounts::access::Actor;

use crate::error::Failure;
use crate::state::AppState;

/// Read an uploaded file and import it, all or nothing, within the default
/// limits. `actor` is `None` for the trusted command line.
pub async fn import(
    db: &antq_storage::Db,
    actor: Option<&Actor>,
    format: antq_office::files::Format,
    bytes: &[u8],
    dry_run: bool,
) -> Result<antq_storage::statistics::import::ImportSummary, Failure> {
    let rows =
        antq_office::files::read(format, bytes).map_err(antq_storage::StorageError::Rejected)?;
    import_rows(db, actor, rows, dry_run, None).await
}

/// Read a file within `limits` on a blocking thread (parsing never holds
/// an async worker), then check and write its rows.
pub async fn import_with(
    db: &antq_storage::Db,
    actor: Option<&Actor>,
    format: antq_office::files::Format,
    bytes: axum::body::Bytes,
    dry_run: bool,
    limits: antq_office::limits::ImportLimits,
) -> Result<antq_storage::statistics::import::ImportSummary, Failure> {
    let (rows, ()) = parse_blocking(format, bytes, limits, ()).await?;
    import_rows(db, actor, rows, dry_run, None).await
}

/// Parse on the blocking pool. `hold` (an import permit) moves into the
/// blocking work and comes back with its result, so a client that goes
/// away mid-parse does not free the slot while the parse still runs.
async fn parse_blocking<H: Send + 'static>(
    format: antq_office::files::Format,
    bytes: axum::body::Bytes,
    limits: antq_office::limits::ImportLimits,
    hold: H,
) -> Result<(antq_core::imports::ImportRows, H), Failure> {
    let (rows, hold) = tokio::task::spawn_blocking(move || {
        (antq_office::files::read_with(format, &bytes, &limits), hold)
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "file reader failed");
        Failure::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "Lỗi hệ thống khi đọc tệp, xin thử lại sau",
        )
    })?;
    let rows = rows.map_err(antq_storage::StorageError::Rejected)?;
    Ok((rows, hold))
}

async fn import_rows(
    db: &antq_storage::Db,
    actor: Option<&Actor>,
    rows: antq_core::imports::ImportRows,
    dry_run: bool,
    opens_until: Option<dates::Date>,
) -> Result<antq_storage::statistics::import::ImportSummary, Failure> {
    if rows.is_empty() {
        return Err(Failure::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "Tệp không có giá trị nào để nhập",
        ));
    }
    let who = actor
        .map(Actor::who)
        .unwrap_or_else(antq_storage::audit::Who::system);
    let summary = match opens_until {
        Some(last) => {
            antq_storage::statistics::import::run_opening(db, actor, &who, rows, dry_run, last)
                .await?
        }
        None => antq_storage::statistics::import::run(db, actor, &who, rows, dry_run).await?,
    };
    Ok(summary)
}

/// One of the `import_concurrency` slots, held from before the body is
/// read until the import ends.
pub type ImportPermit = tokio::sync::OwnedSemaphorePermit;

/// Before an upload's body is read: refuse a declared `Content-Length`
/// past the upload limit (413), an account that may not enter figures
/// anywhere (403, without taking a slot), then wait a little for an
/// import slot (`import_wait`), else 429.
pub async fn admit_upload(
    state: &AppState,
    actor: &Actor,
    headers: &axum::http::HeaderMap,
) -> Result<ImportPermit, Failure> {
    let declared = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > state.config.upload_limit as u64) {
        return Err(too_large(state));
    }
    use antq_core::auth::Role;
    if !(actor.has_role(Role::Police) || actor.has_role(Role::Front)) {
        return Err(Failure::new(
            axum::http::StatusCode::FORBIDDEN,
            "Tài khoản không có quyền nhập số liệu nên không nhập được tệp",
        ));
    }
    let permit = tokio::time::timeout(
        state.config.import_wait,
        state.imports.clone().acquire_owned(),
    )
    .await;
    match permit {
        Ok(Ok(p)) => Ok(p),
        _ => Err(Failure::new(
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            "Đang có nhiều tệp được nhập cùng lúc, xin thử lại sau ít phút",
        )),
    }
}

/// Read a raw upload body (after [`admit_upload`]) up to the upload limit:
/// 413 naming it once the limit is passed, 400 when the client goes away.
pub async fn read_upload(
    state: &AppState,
    body: axum::body::Body,
) -> Result<axum::body::Bytes, Failure> {
    match read_limited(body, state.config.upload_limit).await {
        Ok(b) => Ok(b),
        Err(None) => Err(too_large(state)),
        Err(Some(e)) => Err(too_large_or(
            state,
            axum::http::StatusCode::BAD_REQUEST,
            e.to_string(),
        )),
    }
}

/// A body up to `limit` bytes: `Err(None)` past the limit, `Err(Some(e))`
/// when reading fails (a disconnect, a timeout).
pub async fn read_limited(
    mut body: axum::body::Body,
    limit: usize,
) -> Result<axum::body::Bytes, Option<axum::Error>> {
    use hyper::body::Body as _;
    let mut out = Vec::new();
    loop {
        let frame = std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await;
        match frame {
            None => return Ok(out.into()),
            Some(Err(e)) => return Err(Some(e)),
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    if out.len() + data.len() > limit {
                        return Err(None);
                    }
                    out.extend_from_slice(&data);
                }
            }
        }
    }
}

/// An upload admitted with `permit`: parse it (the permit goes with the
/// parse onto the blocking pool), then check and write its rows.
pub async fn import_upload(
    state: &AppState,
    actor: &Actor,
    permit: ImportPermit,
    format: antq_office::files::Format,
    bytes: axum::body::Bytes,
    dry_run: bool,
) -> Result<antq_storage::statistics::import::ImportSummary, Failure> {
    let (rows, permit) = parse_blocking(format, bytes, state.config.import_limits, permit).await?;
    // People at work import the periods they could open on the entry page.
    let opens_until = dates::today() + chrono::Duration::days(state.config.early_entry_days.max(0));
    let out = import_rows(&state.db, Some(actor), rows, dry_run, Some(opens_until)).await;
    drop(permit);
    if out.is_ok() && !dry_run {
        state.metrics.count(crate::ops::metrics::Event::Import);
    }
    out
}

fn too_large(state: &AppState) -> Failure {
    Failure::new(
        axum::http::StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "Tệp gửi lên lớn hơn giới hạn {} MB",
            state.config.upload_limit / (1024 * 1024)
        ),
    )
}

/// A body past the upload limit names the limit; other unreadable bodies
/// say so (the detail, in English from the parser, goes to the log only).
pub fn too_large_or(state: &AppState, status: axum::http::StatusCode, detail: String) -> Failure {
    if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        too_large(state)
    } else {
        tracing::debug!(%detail, "unreadable upload");
        Failure::bad_request("Tệp gửi lên không đọc được")
    }
}
