//! What an operator watches: `/healthz` (the process answers), `/readyz`
//! (it can serve: database reachable, schema current, search index
//! filled) and `/metrics` (Prometheus text), the last only for allowed
//! addresses or a bearer token.

pub mod metrics;

use std::net::IpAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::state::AppState;

/// Paths answered for machines, outside the pages' layout and the API's contract.
pub fn is_machine_path(path: &str) -> bool {
    matches!(path, "/healthz" | "/readyz" | "/metrics")
}

/// An address range allowed to read `/metrics` ("127.0.0.1", "10.0.0.0/8", "::1/128").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Net {
    addr: IpAddr,
    prefix: u8,
}

impl Net {
    pub fn parse(s: &str) -> Option<Net> {
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, p.parse::<u8>().ok()?),
            None => {
                let a = s.trim().parse::<IpAddr>().ok()?;
                (a, if a.is_ipv4() { 32 } else { 128 })
            }
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        (prefix <= max).then_some(Net { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        // An IPv4 client seen on an IPv6 socket (::ffff:a.b.c.d) is itself.
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }

    /// Loopback only: the default.
    pub fn loopback() -> Vec<Net> {
        vec![
            Net::parse("127.0.0.0/8").expect("a valid range"),
            Net::parse("::1/128").expect("a valid range"),
        ]
    }
}

/// Middleware: count every answer by method, route template and status.
pub async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    // Standard methods by name; anything a client invents is "OTHER", so
    // no request adds a label of its own.
    let method: &'static str = match req.method().as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "OTHER",
    };
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(none)".to_string(), |p| p.as_str().to_string());
    let res = next.run(req).await;
    state
        .metrics
        .request(method, &route, res.status().as_u16(), started.elapsed());
    res
}

/// `GET /readyz`: 200 when the server can do its work, 503 with what is
/// missing otherwise (a balancer sends no traffic to it meanwhile).
pub async fn ready(State(state): State<AppState>) -> Response {
    let database = state.db.ping().await;
    let pending = match &database {
        Ok(()) => antq_storage::migrations::pending(&state.db).await.ok(),
        Err(_) => None,
    };
    let last_change = match &database {
        Ok(()) => antq_storage::portal::changes::last(&state.db).await.ok(),
        Err(_) => None,
    };
    let applied = state.search.applied().ok().flatten();
    let behind = match (last_change, applied) {
        (Some(last), Some(applied)) => Some((last - applied).max(0)),
        _ => None,
    };
    let mut problems = Vec::new();
    if database.is_err() {
        problems.push("Cơ sở dữ liệu không trả lời".to_string());
    }
    if state.reader.ping().await.is_err() {
        problems.push("Cơ sở dữ liệu chỉ đọc (read_database_url) không trả lời".to_string());
    }
    match &pending {
        Some(p) if !p.is_empty() => problems.push(format!(
            "Cơ sở dữ liệu chưa được nâng cấp: còn {} bước (antq migrate)",
            p.len()
        )),
        None if database.is_ok() => {
            problems.push("Không đọc được phiên bản của cơ sở dữ liệu".to_string())
        }
        _ => {}
    }
    if applied.is_none() {
        problems.push("Chỉ mục tìm kiếm chưa được lập".to_string());
    }
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if problems.is_empty() { "ready" } else { "unavailable" },
        "database": state.db.backend().name(),
        "schema": {
            "expected": antq_storage::migrations::latest(),
            "pending": pending.map(|p| p.len()),
        },
        "search_changes_behind": behind,
        "problems": problems,
    });
    (status, Json(body)).into_response()
}

/// `GET /metrics`: Prometheus text, for an allowed client address
/// (`metrics_allow`, loopback by default; behind a trusted proxy the
/// client's, not the proxy's) or with `Authorization: Bearer <metrics_token>`.
pub async fn metrics(State(state): State<AppState>, req: Request) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    if !may_read_metrics(&state, peer, req.headers()) {
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Chỉ xem được số đo của máy chủ từ địa chỉ được phép (metrics_allow) \
             hoặc với mã truy cập (metrics_token)\n",
        )
            .into_response();
    }
    let pool = state.db.pool();
    let mut gauges = vec![
        (
            "antq_db_pool_connections",
            "Database connections open.",
            f64::from(pool.size()),
        ),
        (
            "antq_db_pool_idle",
            "Database connections open and idle.",
            pool.num_idle() as f64,
        ),
        (
            "antq_imports_running",
            "Imports being parsed and checked now.",
            state
                .config
                .import_concurrency
                .max(1)
                .saturating_sub(state.imports.available_permits()) as f64,
        ),
        (
            "antq_search_items",
            "Items in the public search index.",
            state.search.len() as f64,
        ),
    ];
    if let Some(rss) = metrics::resident_bytes() {
        gauges.push((
            "antq_process_resident_memory_bytes",
            "Resident memory of the server process.",
            rss as f64,
        ));
    }
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(&gauges),
    )
        .into_response()
}

fn may_read_metrics(state: &AppState, peer: Option<IpAddr>, headers: &HeaderMap) -> bool {
    if let Some(token) = state.config.metrics_token.as_deref() {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if given.is_some_and(|g| same(g.as_bytes(), token.as_bytes())) {
            return true;
        }
    }
    let forwarded = headers.contains_key("x-forwarded-for");
    let client = crate::auth::client_address(headers, peer, state.config.trust_proxy);
    let Ok(ip) = client.parse::<IpAddr>() else {
        return false;
    };
    // Behind the proxy, a forwarded request whose client could not be read
    // is not the proxy's own.
    if state.config.trust_proxy && forwarded && Some(ip) == peer {
        return false;
    }
    state.config.metrics_allow.iter().any(|n| n.contains(ip))
}

/// Equal bytes, compared in a time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_hold_what_they_should() {
        let lo = Net::parse("127.0.0.0/8").unwrap();
        assert!(lo.contains("127.0.0.1".parse().unwrap()));
        assert!(lo.contains("127.9.9.9".parse().unwrap()));
        assert!(!lo.contains("128.0.0.1".parse().unwrap()));
        assert!(lo.contains("::ffff:127.0.0.1".parse().unwrap()));
        let one = Net::parse("10.1.2.3").unwrap();
        assert!(one.contains("10.1.2.3".parse().unwrap()));
        assert!(!one.contains("10.1.2.4".parse().unwrap()));
        let v6 = Net::parse("2001:db8::/32").unwrap();
        assert!(v6.contains("2001:db8:1::5".parse().unwrap()));
        assert!(!v6.contains("2001:db9::5".parse().unwrap()));
        assert!(!v6.contains("10.1.2.3".parse().unwrap()));
        let all = Net::parse("0.0.0.0/0").unwrap();
        assert!(all.contains("203.0.113.9".parse().unwrap()));
        assert_eq!(Net::parse("10.0.0.0/33"), None);
        assert_eq!(Net::parse("máy chủ"), None);
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"abcd"));
    }
}
