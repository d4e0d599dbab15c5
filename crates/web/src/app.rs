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
use hyper_util::rt::{TokioIo, TokioTimer};
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
        .route("/readyz", axum::routing::get(crate::ops::ready))
        .route("/metrics", axum::routing::get(crate::ops::metrics))
        .layer(middleware::from_fn(csrf::protect))
        // A panic inside becomes a 500 that the error contract answers as JSON or a page.
        .layer(CatchPanicLayer::new())
        .layer(middleware::from_fn(crate::error::contract))
        .layer(axum::Extension(crate::error::UploadLimit(
            state.config.upload_limit,
        )))
        .layer(middleware::from_fn_with_state(state.clone(), auth::resolve))
        .layer(middleware::from_fn_with_state(state.clone(), time_limit))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::ops::observe,
        ))
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
            // No event of its own (no time, status or latency per request):
            // handlers log what goes wrong, and the tip routes log nothing
            // (`tips::quiet`).
            TraceLayer::new_for_http()
                .on_request(())
                .on_response(())
                .on_failure(())
                .make_span_with(|req: &Request<_>| {
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

/// The search index: opened (or made), caught up with the database before
/// the first request, then following the change log every second.
async fn open_search(config: &WebConfig, db: &Db) -> std::io::Result<antq_storage::search::Search> {
    use antq_storage::search::{indexer, Search};
    let io = |e: antq_storage::StorageError| std::io::Error::other(e.to_string());
    let search = match &config.search_dir {
        Some(dir) => Search::open(dir).map_err(io)?,
        None => Search::in_ram().map_err(io)?,
    };
    indexer::catch_up(db, &search).await.map_err(io)?;
    tokio::spawn(indexer::follow(
        db.clone(),
        search.clone(),
        Duration::from_secs(1),
    ));
    Ok(search)
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
        let reader = db.clone();
        App::build_with_reader(config, db, reader).await
    }

    /// The same, with read-only analytics and public pages read from
    /// `reader` (a streaming replica of `db`).
    pub async fn build_with_reader(config: WebConfig, db: Db, reader: Db) -> std::io::Result<App> {
        let listener = TcpListener::bind(config.addr).await?;
        let config = Arc::new(config);
        let search = open_search(&config, &db).await?;
        let state = AppState {
            search,
            db,
            reader,
            imports: Arc::new(tokio::sync::Semaphore::new(
                config.import_concurrency.max(1),
            )),
            tips: Arc::new(crate::tips::Desk::new(
                config.tips.clone(),
                config.session_idle,
            )),
            config: config.clone(),
            throttle: Arc::new(Throttle::default()),
            open_data: Arc::default(),
            metrics: Arc::default(),
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
    /// Each connection is served by hyper's HTTP/1 with a header read
    /// timeout that runs from the moment the connection is accepted and
    /// again between requests (a client that sends nothing, trickles its
    /// headers or idles on keep-alive is cut off), a write timeout (a client
    /// that stops reading its answer is cut off), at most `max_connections`
    /// at once (more clients wait in the listen queue until one ends), at
    /// most `max_connections_per_address` from one address (more are closed
    /// at once), and the client's address as `ConnectInfo`.
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
        let per_address = PerAddress::new(config.max_connections_per_address.max(1));
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
            let Some(slot) = per_address.take(remote.ip()) else {
                // No address in the log: a tipster's is never written down.
                tracing::warn!("too many connections from one address: closed");
                drop(stream);
                continue;
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
            let write_timeout = config.write_timeout;
            tokio::spawn(async move {
                // HTTP/1 only, without protocol sniffing: hyper's header
                // timer starts as soon as it polls the new connection, so a
                // client that never sends a byte is closed as well.
                let mut builder = hyper::server::conn::http1::Builder::new();
                builder
                    .timer(TokioTimer::new())
                    .header_read_timeout(header_read_timeout);
                let conn = builder
                    .serve_connection(
                        TokioIo::new(WriteDeadline::new(stream, write_timeout)),
                        TowerToHyperService::new(service),
                    )
                    .with_upgrades();
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
                drop(slot);
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

/// Open connections per client address, at most `limit` each.
#[derive(Clone)]
struct PerAddress {
    limit: usize,
    open: Arc<std::sync::Mutex<std::collections::HashMap<std::net::IpAddr, usize>>>,
}

/// One connection counted against its address until dropped.
struct AddressSlot {
    ip: std::net::IpAddr,
    of: PerAddress,
}

impl PerAddress {
    fn new(limit: usize) -> Self {
        PerAddress {
            limit,
            open: Arc::default(),
        }
    }

    fn take(&self, ip: std::net::IpAddr) -> Option<AddressSlot> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(ip).or_insert(0);
        if *n >= self.limit {
            return None;
        }
        *n += 1;
        Some(AddressSlot {
            ip,
            of: self.clone(),
        })
    }
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut open = self.of.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

/// A socket whose writes fail once they have made no progress for
/// `timeout`: a client that stops reading a large answer does not hold its
/// connection (and its slot) for ever.
struct WriteDeadline<S> {
    inner: S,
    timeout: Duration,
    stalled: Option<std::pin::Pin<Box<tokio::time::Sleep>>>,
}

impl<S> WriteDeadline<S> {
    fn new(inner: S, timeout: Duration) -> Self {
        WriteDeadline {
            inner,
            timeout,
            stalled: None,
        }
    }

    /// After a write that could not proceed: fail once it has waited too long.
    fn check<T>(
        &mut self,
        cx: &mut std::task::Context<'_>,
        r: std::task::Poll<std::io::Result<T>>,
    ) -> std::task::Poll<std::io::Result<T>> {
        use std::task::Poll;
        match r {
            Poll::Pending => {
                let timeout = self.timeout;
                let sleep = self
                    .stalled
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
                if sleep.as_mut().poll(cx).is_ready() {
                    self.stalled = None;
                    return Poll::Ready(Err(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "the client read nothing within the write timeout",
                    )));
                }
                Poll::Pending
            }
            done => {
                self.stalled = None;
                done
            }
        }
    }
}

impl<S: tokio::io::AsyncRead + Unpin> tokio::io::AsyncRead for WriteDeadline<S> {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: tokio::io::AsyncWrite + Unpin> tokio::io::AsyncWrite for WriteDeadline<S> {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let r = std::pin::Pin::new(&mut self.inner).poll_write(cx, buf);
        self.check(cx, r)
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let r = std::pin::Pin::new(&mut self.inner).poll_flush(cx);
        self.check(cx, r)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let r = std::pin::Pin::new(&mut self.inner).poll_shutdown(cx);
        self.check(cx, r)
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

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt as _;

    /// 1 MB written to a peer that never reads (a 64-byte pipe): the write
    /// fails after the write timeout instead of waiting for ever.
    #[tokio::test]
    async fn a_write_that_makes_no_progress_times_out() {
        let (ours, _theirs) = tokio::io::duplex(64);
        let mut w = WriteDeadline::new(ours, Duration::from_millis(300));
        let started = std::time::Instant::now();
        let r = tokio::time::timeout(Duration::from_secs(10), w.write_all(&vec![b'x'; 1 << 20]))
            .await
            .expect("the write timeout ends the write");
        let e = r.expect_err("nobody reads, so the write cannot complete");
        assert_eq!(e.kind(), std::io::ErrorKind::TimedOut);
        assert!(started.elapsed() >= Duration::from_millis(300));
    }

    /// A reader that keeps up: the same megabyte goes through.
    #[tokio::test]
    async fn a_write_that_progresses_completes() {
        use tokio::io::AsyncReadExt as _;
        let (ours, mut theirs) = tokio::io::duplex(64);
        let reader = tokio::spawn(async move {
            let mut all = Vec::new();
            theirs.read_to_end(&mut all).await.map(|_| all.len())
        });
        let mut w = WriteDeadline::new(ours, Duration::from_millis(300));
        w.write_all(&vec![b'x'; 1 << 20]).await.unwrap();
        w.shutdown().await.unwrap();
        drop(w);
        assert_eq!(reader.await.unwrap().unwrap(), 1 << 20);
    }

    #[test]
    fn one_address_gets_at_most_its_share() {
        let per = PerAddress::new(2);
        let a: std::net::IpAddr = "127.0.0.1".parse().unwrap();
        let b: std::net::IpAddr = "127.0.0.2".parse().unwrap();
        let one = per.take(a).unwrap();
        let _two = per.take(a).unwrap();
        assert!(per.take(a).is_none());
        assert!(per.take(b).is_some());
        drop(one);
        assert!(per.take(a).is_some());
    }
}
