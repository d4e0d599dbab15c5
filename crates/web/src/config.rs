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
    /// The portal's public address ("https://antq.example.vn"), for feeds,
    /// the sitemap and canonical links; without it, the request's host.
    pub public_url: Option<String>,
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
    /// Citizen information: the server's secret, proof of work and limits.
    pub tips: TipsConfig,
    /// Where the public search keeps its index (`data_dir/search`); None:
    /// in memory, rebuilt from the database at every start (tests).
    pub search_dir: Option<std::path::PathBuf>,
    /// Client addresses that may read `/metrics` (loopback by default).
    pub metrics_allow: Vec<crate::ops::Net>,
    /// A bearer token that opens `/metrics` from anywhere.
    pub metrics_token: Option<String>,
}

/// The citizen-information channel's settings.
#[derive(Clone)]
pub struct TipsConfig {
    /// The server's 32-byte secret for keyed hashes (receipts, scam
    /// identifiers) and challenge tokens. It must stay the same across
    /// restarts and nodes (the binary keeps it in a file of the data
    /// directory or takes it from the configuration).
    pub secret: [u8; 32],
    /// Leading zero bits of the proof of work a browser computes.
    pub difficulty: u32,
    /// A form sent without JavaScript waits this long instead.
    pub no_script_wait: Duration,
    /// How long a challenge may be used.
    pub challenge_ttl: Duration,
    /// Tips accepted per day about one unit, and in all.
    pub per_unit_per_day: i64,
    pub per_day: i64,
    /// Tips (and receipt logins) accepted per minute in all.
    pub per_minute: u32,
}

impl std::fmt::Debug for TipsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TipsConfig")
            .field("secret", &"***")
            .field("difficulty", &self.difficulty)
            .field("per_unit_per_day", &self.per_unit_per_day)
            .field("per_day", &self.per_day)
            .field("per_minute", &self.per_minute)
            .finish()
    }
}

impl Default for TipsConfig {
    /// A random secret (tests; the binary always sets a lasting one),
    /// GlobaLeaks-like limits.
    fn default() -> Self {
        TipsConfig {
            secret: antq_vault::random_secret(),
            difficulty: 18,
            no_script_wait: Duration::from_secs(15),
            challenge_ttl: Duration::from_secs(3600),
            per_unit_per_day: 100,
            per_day: 5_000,
            per_minute: 60,
        }
    }
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            session_idle: Duration::from_secs(30 * 60),
            session_absolute: Duration::from_secs(12 * 3600),
            cookie_secure: CookieSecure::Auto,
            trust_proxy: false,
            public_url: None,
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
            tips: TipsConfig::default(),
            search_dir: None,
            metrics_allow: crate::ops::Net::loopback(),
            metrics_token: None,
        }
    }
}
