//! What the web layer needs to know; the binary fills it from its configuration.

use std::net::SocketAddr;
use std::time::Duration;

/// When session cookies carry the `Secure` flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CookieSecure {
    /// When the request came over TLS (a reverse proxy's `X-Forwarded-Proto: https`).
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone)]
pub struct WebConfig {
    pub addr: SocketAddr,
    /// A session ends after this long without requests.
    pub session_idle: Duration,
    /// A session ends after this long in any case.
    pub session_absolute: Duration,
    pub cookie_secure: CookieSecure,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy: bool,
    /// A connection whose request headers have not all arrived after this
    /// long is closed (slow clients, "slowloris"); also ends idle keep-alive.
    pub header_read_timeout: Duration,
    /// A request (reading its body, the work, the answer) that takes longer
    /// is cut off with 503 and a Vietnamese message. Imports use `import_timeout`.
    pub request_timeout: Duration,
    /// The same for file imports (`/nhap-tep`, `/api/v1/import`, `/api/v1/dataValueSets`).
    pub import_timeout: Duration,
    /// Connections served at once; further clients wait to be accepted.
    pub max_connections: usize,
    /// Connections open at once from one client address; more are closed
    /// at once. Behind a reverse proxy every connection comes from the
    /// proxy: raise this to about `max_connections` and let the proxy
    /// limit each client.
    pub max_connections_per_address: usize,
    /// A connection whose answer makes no progress for this long (the
    /// client stopped reading) is closed.
    pub write_timeout: Duration,
    /// What one imported file may cost (rows, errors listed, sheet size, unzipped size).
    pub import_limits: antq_office::limits::ImportLimits,
    /// Imports parsed and checked at the same time; others wait `import_wait`, then get 429.
    pub import_concurrency: usize,
    pub import_wait: Duration,
    /// The largest request body accepted by the upload routes, in bytes.
    pub upload_limit: usize,
    /// A report may be opened this many days before its period starts
    /// (never earlier): `…/2099` is refused.
    pub early_entry_days: i64,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            session_idle: Duration::from_secs(30 * 60),
            session_absolute: Duration::from_secs(12 * 3600),
            cookie_secure: CookieSecure::Auto,
            trust_proxy: false,
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(120),
            import_timeout: Duration::from_secs(900),
            max_connections: 1024,
            max_connections_per_address: 64,
            write_timeout: Duration::from_secs(60),
            import_limits: antq_office::limits::ImportLimits {
                max_rows: antq_office::limits::DEFAULT_UPLOAD_MAX_ROWS,
                ..Default::default()
            },
            import_concurrency: 2,
            import_wait: Duration::from_secs(3),
            upload_limit: 20 * 1024 * 1024,
            early_entry_days: 15,
        }
    }
}
