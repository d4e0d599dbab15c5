//! Configuration: built-in defaults, then an optional `antq.toml` (or the
//! file given by `--config`), then `ANTQ__…` environment variables
//! (`ANTQ__DATABASE_URL`, `ANTQ__ADDR`, ...), then command-line flags.
//! This module is the only place that reads the environment.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use antq_web::config::{CookieSecure, WebConfig};
use anyhow::{bail, Context};
use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

/// A database URL whose password never shows in logs or `Debug`.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct DatabaseUrl(pub String);

impl DatabaseUrl {
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The URL with any password replaced by `***`.
    pub fn redacted(&self) -> String {
        let s = &self.0;
        if let Some((scheme, rest)) = s.split_once("://") {
            if let Some((userinfo, host)) = rest.split_once('@') {
                if let Some((user, _)) = userinfo.split_once(':') {
                    return format!("{scheme}://{user}:***@{host}");
                }
            }
        }
        s.clone()
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settings {
    /// `sqlite://...` or `postgres://...`; empty means SQLite in `data_dir`.
    pub database_url: Option<DatabaseUrl>,
    /// A streaming replica for read-only analytics and public pages
    /// (`postgres://...`); empty: everything reads the primary.
    #[serde(default)]
    pub read_database_url: Option<DatabaseUrl>,
    /// Where the embedded database lives.
    pub data_dir: PathBuf,
    pub addr: SocketAddr,
    pub session_idle_minutes: u64,
    pub session_absolute_hours: u64,
    /// `auto` (Secure behind a TLS proxy), `always` or `never`.
    pub cookie_secure: String,
    /// Trust `X-Forwarded-For` (only behind a reverse proxy).
    pub trust_proxy: bool,
    /// The portal's public address, for feeds, the sitemap and canonical links.
    #[serde(default)]
    pub public_url: Option<String>,
    /// `text` or `json`.
    pub log_format: String,
    /// A password for the demo accounts instead of a random one.
    pub demo_password: Option<String>,
    /// Close a connection whose request headers take longer than this (slow clients).
    pub header_read_timeout_secs: u64,
    /// Cut off a request that takes longer than this (503).
    pub request_timeout_secs: u64,
    /// The same for file imports.
    pub import_timeout_secs: u64,
    /// Connections served at once; more clients wait to be accepted.
    pub max_connections: usize,
    /// Connections open at once from one client address (more are closed).
    /// Behind a reverse proxy all come from the proxy: raise it to about
    /// `max_connections` and limit each client at the proxy.
    pub max_connections_per_address: usize,
    /// Close a connection whose answer the client has not read for this long.
    pub write_timeout_secs: u64,
    /// Values (CSV lines, DHIS2 dataValues) accepted in one uploaded file.
    pub import_max_rows: usize,
    /// Uploaded files parsed and checked at the same time (others get 429).
    pub import_concurrency: usize,
    /// The largest uploaded file, in MB.
    pub upload_max_mb: usize,
    /// Days before a period starts from which its report may be opened.
    pub early_entry_days: u32,
    /// The server's secret for tips (64 hex digits): keyed hashes of
    /// receipts and scam identifiers, challenge tokens. Empty: kept in
    /// `data_dir/tips.secret` (made on first start, readable by the owner
    /// only). Every node of one database needs the same secret.
    pub tips_secret: Option<String>,
    /// Leading zero bits of the browser's proof of work per tip.
    pub tips_difficulty: u32,
    /// Tips accepted per day about one unit, per day in all, per minute in all.
    pub tips_per_unit_per_day: i64,
    pub tips_per_day: i64,
    pub tips_per_minute: u32,
    /// Client addresses or ranges that may read `/metrics`
    /// ("127.0.0.1", "10.0.0.0/8"); loopback by default.
    pub metrics_allow: Vec<String>,
    /// A token that opens `/metrics` from anywhere
    /// (`Authorization: Bearer …`); none by default.
    pub metrics_token: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: None,
            read_database_url: None,
            data_dir: PathBuf::from("antq-data"),
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            cookie_secure: "auto".into(),
            trust_proxy: false,
            public_url: None,
            log_format: "text".into(),
            demo_password: None,
            header_read_timeout_secs: 10,
            request_timeout_secs: 120,
            import_timeout_secs: 900,
            max_connections: 1024,
            max_connections_per_address: 64,
            write_timeout_secs: 60,
            import_max_rows: antq_office::limits::DEFAULT_UPLOAD_MAX_ROWS,
            import_concurrency: 2,
            upload_max_mb: 20,
            early_entry_days: 15,
            tips_secret: None,
            tips_difficulty: 18,
            tips_per_unit_per_day: 100,
            tips_per_day: 5_000,
            tips_per_minute: 60,
            metrics_allow: vec!["127.0.0.0/8".into(), "::1/128".into()],
            metrics_token: None,
        }
    }
}

impl Settings {
    /// Defaults, then the file (if present), then the environment.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Settings> {
        let mut fig = Figment::from(Serialized::defaults(Settings::default()));
        match file {
            Some(path) => {
                if !path.exists() {
                    bail!("không tìm thấy tệp cấu hình {}", path.display());
                }
                fig = fig.merge(Toml::file(path));
            }
            None => fig = fig.merge(Toml::file("antq.toml")),
        }
        fig = fig.merge(Env::prefixed("ANTQ__"));
        fig.extract().context("cấu hình không hợp lệ")
    }

    /// The database URL to use; the default creates the data directory.
    pub fn database(&self) -> anyhow::Result<DatabaseUrl> {
        match &self.database_url {
            Some(url) if !url.0.trim().is_empty() => Ok(url.clone()),
            _ => {
                std::fs::create_dir_all(&self.data_dir).with_context(|| {
                    format!("không tạo được thư mục dữ liệu {}", self.data_dir.display())
                })?;
                Ok(DatabaseUrl(format!(
                    "sqlite://{}/antq.db",
                    self.data_dir.display()
                )))
            }
        }
    }

    pub fn web(&self) -> anyhow::Result<WebConfig> {
        let cookie_secure = match self.cookie_secure.as_str() {
            "auto" => CookieSecure::Auto,
            "always" | "true" => CookieSecure::Always,
            "never" | "false" => CookieSecure::Never,
            other => {
                bail!("cookie_secure phải là auto, always hoặc never (không phải \"{other}\")")
            }
        };
        Ok(WebConfig {
            addr: self.addr,
            session_idle: Duration::from_secs(self.session_idle_minutes.max(1) * 60),
            session_absolute: Duration::from_secs(self.session_absolute_hours.max(1) * 3600),
            cookie_secure,
            trust_proxy: self.trust_proxy,
            public_url: self
                .public_url
                .as_deref()
                .map(|u| u.trim().trim_end_matches('/').to_string())
                .filter(|u| u.starts_with("https://") || u.starts_with("http://")),
            header_read_timeout: Duration::from_secs(self.header_read_timeout_secs.max(1)),
            request_timeout: Duration::from_secs(self.request_timeout_secs.max(1)),
            import_timeout: Duration::from_secs(self.import_timeout_secs.max(1)),
            max_connections: self.max_connections.max(1),
            max_connections_per_address: self.max_connections_per_address.max(1),
            write_timeout: Duration::from_secs(self.write_timeout_secs.max(1)),
            import_limits: antq_office::limits::ImportLimits {
                max_rows: self.import_max_rows.max(1),
                ..Default::default()
            },
            import_concurrency: self.import_concurrency.max(1),
            upload_limit: self.upload_max_mb.max(1) * 1024 * 1024,
            early_entry_days: i64::from(self.early_entry_days.min(366)),
            tips: antq_web::config::TipsConfig {
                secret: self.tips_secret()?,
                difficulty: self.tips_difficulty.clamp(8, 28),
                per_unit_per_day: self.tips_per_unit_per_day.max(1),
                per_day: self.tips_per_day.max(1),
                per_minute: self.tips_per_minute.max(1),
                ..Default::default()
            },
            search_dir: Some(self.data_dir.join("search")),
            metrics_allow: self.metrics_nets()?,
            metrics_token: self
                .metrics_token
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string),
            ..WebConfig::default()
        })
    }

    fn metrics_nets(&self) -> anyhow::Result<Vec<antq_web::ops::Net>> {
        self.metrics_allow
            .iter()
            .map(|s| {
                antq_web::ops::Net::parse(s).with_context(|| {
                    format!("metrics_allow: \"{s}\" không phải địa chỉ hay dải địa chỉ IP")
                })
            })
            .collect()
    }

    /// The tips secret: from the configuration, else from
    /// `data_dir/tips.secret`, made there (mode 0600) on first use.
    fn tips_secret(&self) -> anyhow::Result<[u8; 32]> {
        if let Some(hex) = self.tips_secret.as_deref().filter(|s| !s.trim().is_empty()) {
            return antq_vault::secret_from_hex(hex).context("tips_secret");
        }
        let path = self.data_dir.join("tips.secret");
        if let Ok(text) = std::fs::read_to_string(&path) {
            return antq_vault::secret_from_hex(&text)
                .with_context(|| format!("tệp {} hỏng", path.display()));
        }
        std::fs::create_dir_all(&self.data_dir).with_context(|| {
            format!("không tạo được thư mục dữ liệu {}", self.data_dir.display())
        })?;
        let secret = antq_vault::random_secret();
        write_private(&path, &antq_vault::secret_to_hex(&secret))
            .with_context(|| format!("không ghi được {}", path.display()))?;
        Ok(secret)
    }
}

/// Write a file only its owner may read (created new: never overwrites).
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        let url = DatabaseUrl("postgres://antq:s3cret@db.local:5432/antq".into());
        assert_eq!(
            format!("{url:?}"),
            "DatabaseUrl(postgres://antq:***@db.local:5432/antq)"
        );
        assert_eq!(url.to_string(), "postgres://antq:***@db.local:5432/antq");
        assert!(!format!(
            "{:?}",
            Settings {
                database_url: Some(url),
                ..Default::default()
            }
        )
        .contains("s3cret"));
        let plain = DatabaseUrl("sqlite://antq-data/antq.db".into());
        assert_eq!(plain.redacted(), "sqlite://antq-data/antq.db");
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's Jail closure signature
    fn layers_file_then_environment() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "antq.toml",
                "addr = \"0.0.0.0:9000\"\nsession_idle_minutes = 5\n",
            )?;
            jail.set_env("ANTQ__SESSION_IDLE_MINUTES", "7");
            jail.set_env("ANTQ__MAX_CONNECTIONS", "64");
            let s = Settings::load(None).expect("loads");
            assert_eq!(s.max_connections, 64);
            assert_eq!(s.header_read_timeout_secs, 10);
            let web = s.web().expect("web config");
            assert_eq!(web.max_connections, 64);
            assert_eq!(web.request_timeout, Duration::from_secs(120));
            assert_eq!(web.max_connections_per_address, 64);
            assert_eq!(web.write_timeout, Duration::from_secs(60));
            assert_eq!(s.addr.port(), 9000);
            assert_eq!(s.session_idle_minutes, 7);
            assert_eq!(s.data_dir, PathBuf::from("antq-data"));
            Ok(())
        });
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's Jail closure signature
    fn import_limits_reach_the_server() {
        figment::Jail::expect_with(|jail| {
            let defaults = Settings::load(None).expect("loads").web().expect("valid");
            assert_eq!(defaults.import_limits.max_rows, 300_000);
            assert_eq!(defaults.import_concurrency, 2);
            assert_eq!(defaults.upload_limit, 20 * 1024 * 1024);
            jail.create_file(
                "antq.toml",
                "import_max_rows = 5000\nimport_concurrency = 1\nupload_max_mb = 5\n",
            )?;
            let web = Settings::load(None).expect("loads").web().expect("valid");
            assert_eq!(web.import_limits.max_rows, 5_000);
            assert_eq!(web.import_concurrency, 1);
            assert_eq!(web.upload_limit, 5 * 1024 * 1024);
            Ok(())
        });
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's Jail closure signature
    fn the_tips_secret_lasts_across_starts_and_is_private() {
        figment::Jail::expect_with(|jail| {
            let first = Settings::load(None).expect("loads").web().expect("valid");
            let again = Settings::load(None).expect("loads").web().expect("valid");
            assert_eq!(
                first.tips.secret, again.tips.secret,
                "kept in the data directory"
            );
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata("antq-data/tips.secret")
                    .expect("written")
                    .permissions()
                    .mode();
                assert_eq!(mode & 0o777, 0o600);
            }
            jail.set_env("ANTQ__TIPS_SECRET", "ab".repeat(32));
            let set = Settings::load(None).expect("loads").web().expect("valid");
            assert_eq!(set.tips.secret, [0xab; 32]);
            jail.set_env("ANTQ__TIPS_SECRET", "xyz");
            assert!(Settings::load(None).expect("loads").web().is_err());
            Ok(())
        });
    }
}
