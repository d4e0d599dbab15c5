//! Who is asking: a bearer token or a session cookie, resolved once per
//! request by `resolve`, then read by the extractors below.

use std::net::{IpAddr, SocketAddr};

use antq_storage::accounts::access::Actor;
use antq_storage::{accounts::sessions, accounts::users};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Duration;

use crate::error::{ApiError, Failure};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "antq_session";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Cookie,
    Bearer,
}

/// An authenticated request.
#[derive(Debug, Clone)]
pub struct AuthContext {
    pub actor: Actor,
    pub via: Via,
    /// The session's CSRF token (cookie sessions only).
    pub csrf_token: Option<String>,
    /// The session id from the cookie (to log out).
    pub session_id: Option<String>,
}

/// A cookie's value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// Middleware: find the user behind the request and put an `AuthContext`
/// into its extensions. A bearer token that is not valid is refused at
/// once (scripts should hear about it); a stale cookie is simply ignored.
pub async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if crate::ops::is_machine_path(req.uri().path()) {
        // No user there: `/metrics` reads its own token.
        return next.run(req).await;
    }
    let headers = req.headers();
    if let Some(token) = bearer(headers) {
        let actor = match sessions::user_for_token(&state.db, &token).await {
            Ok(Some(user_id)) => users::actor(&state.db, user_id).await,
            Ok(None) => Ok(None),
            Err(e) => Err(e),
        };
        match actor {
            Ok(Some(actor)) => {
                req.extensions_mut().insert(AuthContext {
                    actor,
                    via: Via::Bearer,
                    csrf_token: None,
                    session_id: None,
                });
            }
            Ok(None) => {
                return ApiError(Failure::new(
                    axum::http::StatusCode::UNAUTHORIZED,
                    "mã truy cập (token) không hợp lệ hoặc đã bị thu hồi",
                ))
                .into_response()
            }
            Err(e) => return ApiError::from(e).into_response(),
        }
    } else if let Some(id) = cookie(headers, SESSION_COOKIE) {
        let idle = Duration::from_std(state.config.session_idle).unwrap_or(Duration::minutes(30));
        let absolute =
            Duration::from_std(state.config.session_absolute).unwrap_or(Duration::hours(12));
        match sessions::load(&state.db, &id, idle, absolute).await {
            Ok(Some(session)) => match users::actor_of_session(&state.db, &session).await {
                Ok(actor) => {
                    req.extensions_mut().insert(AuthContext {
                        actor,
                        via: Via::Cookie,
                        csrf_token: Some(session.csrf_token),
                        session_id: Some(id),
                    });
                }
                Err(e) => return ApiError::from(e).into_response(),
            },
            Ok(None) => {}
            Err(e) => return ApiError::from(e).into_response(),
        }
    }
    next.run(req).await
}

/// The user of an API request; 401 JSON without one.
pub struct ApiUser(pub AuthContext);

impl<S: Send + Sync> FromRequestParts<S> for ApiUser {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<AuthContext>()
            .cloned()
            .map(ApiUser)
            .ok_or_else(|| ApiError(Failure::unauthorized()))
    }
}

/// The user of a page; without one, a redirect to the login page.
pub struct PageUser(pub AuthContext);

impl<S: Send + Sync> FromRequestParts<S> for PageUser {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<AuthContext>() {
            Some(ctx) => Ok(PageUser(ctx.clone())),
            // An htmx request (a draft saved as the person types) never
            // gets the login page inside its fragment: 401 and a short
            // message; the page's script keeps what was typed.
            None if parts.headers.contains_key("hx-request") => {
                Err(crate::accounts::login::session_ended(&parts.headers))
            }
            None => {
                // After the login, a GET goes back where it was; a form's
                // post goes back to the page the form was on (its target
                // may answer only POST: never a 405 after logging in).
                let here = parts.uri.path_and_query().map(|p| p.as_str());
                let next = if matches!(parts.method, Method::GET | Method::HEAD) {
                    here
                } else {
                    referer_path(&parts.headers).or(here)
                }
                .unwrap_or("/");
                let to = format!("/dang-nhap?next={}", urlencode(next));
                Err(Redirect::to(&to).into_response())
            }
        }
    }
}

/// The path and query of the page a request came from (`Referer`), if any.
/// Only the path is kept: where it leads is checked again after the login.
pub fn referer_path(headers: &HeaderMap) -> Option<&str> {
    let url = headers.get(axum::http::header::REFERER)?.to_str().ok()?;
    let rest = url.split_once("://")?.1;
    rest.find('/').map(|i| &rest[i..])
}

/// The user, if any.
pub struct MaybeUser(pub Option<AuthContext>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeUser(parts.extensions.get::<AuthContext>().cloned()))
    }
}

/// The client's address, for throttling.
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientAddr(client_address(
            &parts.headers,
            peer,
            state.config.trust_proxy,
        )))
    }
}

/// The client's address. Behind a trusted reverse proxy (`trust_proxy`) it
/// is the right-most `X-Forwarded-For` entry: the one the proxy appended
/// for the connection it received. Entries to its left were written by the
/// client and prove nothing. Without a usable entry, the peer's address.
pub fn client_address(headers: &HeaderMap, peer: Option<IpAddr>, trust_proxy: bool) -> String {
    if trust_proxy {
        let last = headers
            .get_all("x-forwarded-for")
            .iter()
            .next_back()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(parse_forwarded_ip);
        if let Some(ip) = last {
            return ip.to_string();
        }
    }
    peer.map(|ip| ip.to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// An address as proxies write it: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`,
/// `[2001:db8::1]:5678`.
fn parse_forwarded_ip(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(sa) = s.parse::<SocketAddr>() {
        return Some(sa.ip());
    }
    s.strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .and_then(|r| r.parse().ok())
}

/// Percent-encode a value for a query string.
pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A local path to return to after login: only paths on this site.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(char::is_control) =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

/// The `Set-Cookie` value for a session.
pub fn session_cookie(value: &str, secure: bool, max_age: Option<i64>) -> String {
    let mut c = format!("{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax");
    if secure {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    c
}

/// Is the request served over TLS (directly or through a proxy that says so)?
pub fn over_tls(headers: &HeaderMap, config: &crate::config::WebConfig) -> bool {
    use crate::config::CookieSecure;
    match config.cookie_secure {
        CookieSecure::Always => true,
        CookieSecure::Never => false,
        CookieSecure::Auto => headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(safe_next(Some("/don-vi?q=a")), "/don-vi?q=a");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil")), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some("/a\r\nSet-Cookie: x")), "/");
    }

    #[test]
    fn behind_a_proxy_the_address_is_the_one_the_proxy_added() {
        let peer: Option<IpAddr> = Some("10.0.0.1".parse().unwrap());
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "6.6.6.6, 7.7.7.7 , 203.0.113.9".parse().unwrap(),
        );
        assert_eq!(client_address(&h, peer, true), "203.0.113.9");
        assert_eq!(client_address(&h, peer, false), "10.0.0.1");
        // Several header lines: the proxy's is the last one.
        h.append("x-forwarded-for", "198.51.100.7".parse().unwrap());
        assert_eq!(client_address(&h, peer, true), "198.51.100.7");
        for (v, want) in [
            ("[2001:db8::1]:443", "2001:db8::1"),
            ("1.2.3.4:5678", "1.2.3.4"),
            ("2001:db8::2", "2001:db8::2"),
            ("1.1.1.1, không phải địa chỉ", "10.0.0.1"),
            ("", "10.0.0.1"),
        ] {
            let mut h = HeaderMap::new();
            h.insert("x-forwarded-for", v.parse().unwrap());
            assert_eq!(client_address(&h, peer, true), want, "{v}");
        }
        assert_eq!(client_address(&HeaderMap::new(), peer, true), "10.0.0.1");
    }

    #[test]
    fn cookies_are_read_from_headers() {
        let mut h = HeaderMap::new();
        h.insert(COOKIE, "a=1; antq_session=abc; lang=en".parse().unwrap());
        assert_eq!(cookie(&h, "antq_session").as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "lang").as_deref(), Some("en"));
        assert_eq!(cookie(&h, "x"), None);
    }
}
