//! Building and running the server.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use antq_storage::Db;
use axum::extract::{ConnectInfo, MatchedPath, State};
use axum::http::{HeaderName, HeaderValue, Method, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tower::ServiceExt as _;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::config::WebConfig;
use crate::error::{ApiError, Failure, PageError};
use crate::state::AppState;
use crate::throttle::Throttle;
use crate::{api, auth, csrf, pages};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application as a router (used by `App` and by tests).
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::routes(state.config.upload_limit))
        .nest("/api/v1", api::routes(state.config.upload_limit))
        .route("/healthz", axum::routing::get(api::health))
        .layer(middleware::from_fn(csrf::protect))
        // A panic inside becomes a 500 that the error contract answers as JSON or a page.
        .layer(CatchPanicLayer::new())
        .layer(middleware::from_fn(crate::error::contract))
        .layer(axum::Extension(crate::error::UploadLimit(
            state.config.upload_limit,
        )))
        .layer(middleware::from_fn_with_state(state.clone(), auth::resolve))
        .layer(middleware::from_fn_with_state(state.clone(), time_limit))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("content-security-policy"),
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
                 script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
            ),
        ))
        .layer(CatchPanicLayer::new())
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            // One span per request with its id; the path is logged without its
            // query string, so nothing typed into a form reaches the logs.
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let id = req
                    .headers()
                    .get(REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                let route = req
                    .extensions()
                    .get::<MatchedPath>()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_else(|| req.uri().path().to_string());
                tracing::info_span!("request", request_id = %id, method = %req.method(), route = %route)
            }),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}

/// Is this request a file import (allowed `import_timeout` instead of `request_timeout`)?
fn is_import(req: &Request<axum::body::Body>) -> bool {
    req.method() == Method::POST
        && matches!(
            req.uri().path(),
            "/nhap-tep" | "/api/v1/import" | "/api/v1/dataValueSets"
        )
}

/// Cut off a request that runs longer than the configured time (reading
/// its body included): 503 with a Vietnamese message, JSON under `/api/`.
async fn time_limit(
    State(state): State<AppState>,
    req: Request<axum::body::Body>,
    next: Next,
) -> Response {
    let limit = if is_import(&req) {
        state.config.import_timeout
    } else {
        state.config.request_timeout
    };
    let is_api = req.uri().path().starts_with("/api/");
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            tracing::warn!(seconds = limit.as_secs(), "request cut off: time limit");
            let f = Failure::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "Yêu cầu chạy quá {} giây nên đã bị dừng; xin thử lại sau hoặc thu hẹp yêu cầu",
                    antq_core::text::format_int(limit.as_secs() as i64)
                ),
            );
            if is_api {
                ApiError(f).into_response()
            } else {
                PageError(f).into_response()
            }
        }
    }
}

/// A bound, not yet running server.
pub struct App {
    listener: TcpListener,
    router: Router,
    config: Arc<WebConfig>,
    state: AppState,
}

impl App {
    /// Bind the listen address (port 0 picks a free port) over a migrated database.
    pub async fn build(config: WebConfig, db: Db) -> std::io::Result<App> {
        let listener = TcpListener::bind(config.addr).await?;
        let config = Arc::new(config);
        let state = AppState {
            db,
            imports: Arc::new(tokio::sync::Semaphore::new(
                config.import_concurrency.max(1),
            )),
            config: config.clone(),
            throttle: Arc::new(Throttle::default()),
        };
        Ok(App {
            listener,
            router: router(state.clone()),
            config,
            state,
        })
    }

    /// What the handlers share (tests hold import permits through it).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub fn port(&self) -> u16 {
        self.local_addr().port()
    }

    /// Serve until `shutdown` completes, then finish the requests in flight.
    ///
    /// Each connection is served by hyper with a header read timeout (a
    /// client that trickles its headers is cut off), at most
    /// `max_connections` at once (more clients wait in the listen queue
    /// until one ends), and the client's address as `ConnectInfo`.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let App {
            listener,
            router,
            config,
            state: _,
        } = self;
        let permits = Arc::new(Semaphore::new(config.max_connections.max(1)));
        // Connections watch `signal_tx` close to start their graceful
        // shutdown; the loop waits on `close_tx` until all have ended.
        let (signal_tx, signal_rx) = watch::channel(());
        let (close_tx, close_rx) = watch::channel(());
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            let permit = tokio::select! {
                p = permits.clone().acquire_owned() => match p {
                    Ok(p) => p,
                    Err(_) => break,
                },
                _ = &mut shutdown => break,
            };
            let (stream, remote) = tokio::select! {
                r = listener.accept() => match r {
                    Ok(c) => c,
                    Err(e) => {
                        // Out of file descriptors and the like: wait, go on.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                },
                _ = &mut shutdown => break,
            };
            let _ = stream.set_nodelay(true);
            let service = router.clone().map_request(move |req: Request<Incoming>| {
                let mut req = req.map(axum::body::Body::new);
                req.extensions_mut().insert(ConnectInfo(remote));
                req
            });
            let signal_tx = signal_tx.clone();
            let close_rx = close_rx.clone();
            let header_read_timeout = config.header_read_timeout;
            tokio::spawn(async move {
                // HTTP/1 only: no protocol sniffing before the header timer runs.
                let mut builder = Builder::new(TokioExecutor::new()).http1_only();
                builder
                    .http1()
                    .timer(TokioTimer::new())
                    .header_read_timeout(header_read_timeout);
                let conn = builder.serve_connection_with_upgrades(
                    TokioIo::new(stream),
                    TowerToHyperService::new(service),
                );
                let mut conn = std::pin::pin!(conn);
                let mut stopping = std::pin::pin!(signal_tx.closed());
                let mut told = false;
                loop {
                    tokio::select! {
                        r = conn.as_mut() => {
                            if let Err(e) = r {
                                tracing::debug!(error = %e, "connection ended with an error");
                            }
                            break;
                        }
                        // Once: finish the request in flight, then close.
                        _ = &mut stopping, if !told => {
                            told = true;
                            conn.as_mut().graceful_shutdown();
                        }
                    }
                }
                drop(close_rx);
                drop(permit);
            });
        }
        drop(listener);
        drop(signal_rx);
        drop(close_rx);
        close_tx.closed().await;
        Ok(())
    }
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
    tokio::time::sleep(Duration::from_millis(10)).await;
}
