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
    /// What one imported file may cost (rows, errors listed, sheet size, unzipped size).
    pub import_limits: antq_office::limits::ImportLimits,
    /// Imports parsed and checked at the same time; others wait `import_wait`, then get 429.
    pub import_concurrency: usize,
    pub import_wait: Duration,
    /// The largest request body accepted by the upload routes, in bytes.
    pub upload_limit: usize,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            session_idle: Duration::from_secs(30 * 60),
            session_absolute: Duration::from_secs(12 * 3600),
            cookie_secure: CookieSecure::Auto,
            trust_proxy: false,
            import_limits: antq_office::limits::ImportLimits {
                max_rows: antq_office::limits::DEFAULT_UPLOAD_MAX_ROWS,
                ..Default::default()
            },
            import_concurrency: 2,
            import_wait: Duration::from_secs(3),
            upload_limit: 20 * 1024 * 1024,
        }
    }
}
