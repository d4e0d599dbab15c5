//! Server-rendered pages. Each page struct carries `c: Chrome`, what the
//! layout needs (language, user, CSRF token, flash message).

use antq_core::auth::Role;
use antq_core::dates;
use askama::Template;
use axum::extract::{FromRequestParts, Path, Query, Request};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use crate::auth::{cookie, safe_next, AuthContext};
use crate::error::PageResult;
use crate::i18n::{self, Lang};
use crate::state::AppState;
use crate::{accounts, admin, catalogue, home, programmes, registries, reviews, statistics, units};

pub fn routes(upload_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route(
            "/dang-nhap",
            get(accounts::login::form).post(accounts::login::submit),
        )
        .route("/dang-xuat", post(accounts::login::logout))
        .route("/ngon-ngu", get(switch_language))
        .route("/static/{file}", get(static_file))
        .route("/don-vi", get(units::pages::browser))
        .route("/don-vi/tim", get(units::pages::search_results))
        .route("/don-vi/chon", get(units::pages::pick))
        .route("/don-vi/{code}", get(units::pages::show))
        .route("/don-vi/{code}/khu-dan-cu", post(units::pages::add_area))
        .route("/don-vi/{code}/to-chuc", post(units::pages::add_org))
        .route(
            "/quan-tri/nguoi-dung",
            get(admin::pages::users).post(admin::pages::create_user),
        )
        .route("/quan-tri/nguoi-dung/{id}", get(admin::pages::user))
        .route(
            "/quan-tri/nguoi-dung/{id}/khoa",
            post(admin::pages::disable_user),
        )
        .route(
            "/quan-tri/nguoi-dung/{id}/mo-khoa",
            post(admin::pages::enable_user),
        )
        .route(
            "/quan-tri/nguoi-dung/{id}/quyen",
            post(admin::pages::add_grant),
        )
        .route(
            "/quan-tri/quyen/{id}/thu-hoi",
            post(admin::pages::remove_grant),
        )
        .route(
            "/quan-tri/ke-thua",
            get(admin::pages::lineage).post(admin::pages::add_link),
        )
        .route("/quan-tri/ke-thua/{id}", post(admin::pages::update_link))
        .route(
            "/quan-tri/ke-thua/{id}/xoa",
            post(admin::pages::delete_link),
        )
        .route("/quan-tri/nhat-ky", get(admin::pages::audit))
        .route("/quan-tri/danh-muc", get(catalogue::pages::page))
        .route("/quan-tri/danh-muc/phan-to", get(catalogue::pages::preview))
        .route(
            "/quan-tri/danh-muc/chi-tieu",
            post(catalogue::pages::create_indicator),
        )
        .route(
            "/quan-tri/danh-muc/chi-tieu/{code}",
            post(catalogue::pages::update_indicator),
        )
        .route(
            "/quan-tri/danh-muc/bieu",
            post(catalogue::pages::create_form),
        )
        .route(
            "/quan-tri/danh-muc/bieu/{code}/quy-tac",
            post(catalogue::pages::add_rule),
        )
        .route(
            "/quan-tri/danh-muc/bieu/{code}/quy-tac/{rule}/xoa",
            post(catalogue::pages::delete_rule),
        )
        .route(
            "/tai-khoan/ma-truy-cap",
            get(accounts::pages::tokens).post(accounts::pages::create_token),
        )
        .route(
            "/tai-khoan/ma-truy-cap/{id}/thu-hoi",
            post(accounts::pages::revoke_token),
        )
        .route("/so-lieu", get(statistics::worklist::index))
        .route(
            "/so-lieu/{form}/{unit}/{period}",
            get(statistics::entry::entry),
        )
        .route(
            "/so-lieu/{form}/{unit}/{period}/luu",
            post(statistics::entry::save),
        )
        .route(
            "/so-lieu/{form}/{unit}/{period}/buoc",
            post(statistics::entry::step),
        )
        .route(
            "/so-lieu/{form}/{unit}/{period}/y-kien",
            post(statistics::entry::comment),
        )
        .route(
            "/tien-do/{form}/{unit}/{period}",
            get(statistics::worklist::progress),
        )
        .route(
            "/nhap-tep",
            get(statistics::files::form)
                .post(statistics::files::upload)
                .layer(axum::extract::DefaultBodyLimit::max(upload_limit)),
        )
        .route(
            "/tai-ve/bieu/{form}/{unit}/{period}",
            get(statistics::files::template),
        )
        .route(
            "/bao-cao",
            get(reviews::pages::list).post(reviews::pages::create),
        )
        .route(
            "/bao-cao/nguoi-ky",
            get(reviews::register_pages::signers).post(reviews::register_pages::add_signer),
        )
        .route(
            "/bao-cao/nguoi-ky/{id}",
            post(reviews::register_pages::update_signer),
        )
        .route(
            "/bao-cao/mau",
            get(reviews::register_pages::templates).post(reviews::register_pages::save_template),
        )
        .route(
            "/bao-cao/mau/dat-lai",
            post(reviews::register_pages::reset_template),
        )
        .route("/bao-cao/{id}", get(reviews::pages::show))
        .route("/bao-cao/{id}/sua", post(reviews::pages::edit))
        .route("/bao-cao/{id}/soan", post(reviews::pages::compose_save))
        .route("/bao-cao/{id}/duyet", post(reviews::pages::approve))
        .route("/bao-cao/{id}/doi-chieu", get(reviews::pages::diff))
        .route("/bao-cao/{id}/{file}", get(reviews::pages::download))
        .route("/phan-tich", get(statistics::analysis::page))
        .route("/phan-tich.csv", get(statistics::analysis::csv))
        .route("/phan-tich.xlsx", get(statistics::analysis::xlsx))
        .route("/tai-ve/so-lieu", get(statistics::files::export_chosen))
        .route(
            "/tai-ve/so-lieu/{form}/{unit}",
            get(statistics::files::export),
        )
        .merge(programmes::page_routes(upload_limit))
        .merge(registries::page_routes(upload_limit))
        .merge(crate::portal::page_routes())
        .merge(crate::tips::pages::routes())
        .merge(crate::tips::officer_pages::routes())
        .merge(crate::tips::category_pages::routes())
        .layer(middleware::from_fn(clear_flash))
}

/// The signed-in user as the layout shows them.
#[derive(Debug, Clone)]
pub struct NavUser {
    pub username: String,
    pub display_name: String,
    pub is_admin: bool,
    /// A police officer (the "Tin báo" menu entry).
    pub is_police: bool,
    /// A national administrator (the categories of tips).
    pub edits_tip_categories: bool,
    /// An editor or reviewer of news (the "Biên tập" menu entry).
    pub edits_news: bool,
}

/// What every page's layout needs.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub lang: Lang,
    pub user: Option<NavUser>,
    pub csrf: String,
    /// The current path and query, for the language switch to return to.
    pub here: String,
    pub flash_ok: Option<String>,
    pub flash_err: Option<String>,
}

impl Chrome {
    pub fn t(&self, key: &str) -> &'static str {
        i18n::t(self.lang, key)
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    pub fn switch_href(&self) -> String {
        let other = match self.lang {
            Lang::Vi => "en",
            Lang::En => "vi",
        };
        format!(
            "/ngon-ngu?lang={other}&next={}",
            crate::auth::urlencode(&self.here)
        )
    }

    pub fn role_label(&self, role: Role) -> &'static str {
        self.t(match role {
            Role::Admin => "role.admin",
            Role::Police => "role.police",
            Role::Front => "role.front",
            Role::Viewer => "role.viewer",
            Role::Editor => "role.editor",
            Role::Reviewer => "role.reviewer",
        })
    }
}

const FLASH_COOKIE: &str = "antq_flash";

impl<S: Send + Sync> FromRequestParts<S> for Chrome {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ctx = parts.extensions.get::<AuthContext>();
        let lang = Lang::from_cookie(cookie(&parts.headers, "lang").as_deref());
        let flash = cookie(&parts.headers, FLASH_COOKIE).map(|v| percent_decode(&v));
        let (flash_ok, flash_err) = match flash.as_deref().and_then(|f| f.split_once(':')) {
            Some(("ok", m)) => (Some(i18n::t(lang, m).to_string()), None),
            Some(("txt", m)) => (Some(m.to_string()), None),
            Some(("err", m)) => (None, Some(m.to_string())),
            _ => (None, None),
        };
        Ok(Chrome {
            lang,
            user: ctx.map(|c| NavUser {
                username: c.actor.username.clone(),
                display_name: c.actor.display_name.clone(),
                is_admin: c.actor.has_role(Role::Admin),
                is_police: c.actor.has_role(Role::Police),
                edits_tip_categories: antq_storage::tips::categories::may_edit(&c.actor),
                edits_news: c
                    .actor
                    .grants
                    .iter()
                    .any(|g| antq_core::auth::Action::EditArticles.permitted_by(g.role)),
            }),
            csrf: ctx.and_then(|c| c.csrf_token.clone()).unwrap_or_default(),
            here: parts
                .uri
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|| "/".into()),
            flash_ok,
            flash_err,
        })
    }
}

/// The most errors a message lists one by one; the rest are counted.
pub const MAX_SHOWN_ERRORS: usize = 20;
/// The largest flash cookie value, percent-encoded (browsers keep 4 KB a cookie).
pub const FLASH_MAX_BYTES: usize = 3000;

/// At most [`MAX_SHOWN_ERRORS`] errors, then "… và 19.980 lỗi khác".
pub fn error_lines(errors: &[String]) -> Vec<String> {
    let mut lines: Vec<String> = errors.iter().take(MAX_SHOWN_ERRORS).cloned().collect();
    if errors.len() > MAX_SHOWN_ERRORS {
        lines.push(format!(
            "… và {} lỗi khác",
            antq_core::text::format_int((errors.len() - MAX_SHOWN_ERRORS) as i64)
        ));
    }
    lines
}

/// The flash value percent-encoded, cut (on a character boundary, marked
/// with "…") so the cookie stays under [`FLASH_MAX_BYTES`].
fn flash_value(value: &str) -> String {
    let full = crate::auth::urlencode(value);
    if full.len() <= FLASH_MAX_BYTES {
        return full;
    }
    let ellipsis = crate::auth::urlencode("…");
    let mut out = String::with_capacity(FLASH_MAX_BYTES);
    let mut buf = [0u8; 4];
    for ch in value.chars() {
        let enc = crate::auth::urlencode(ch.encode_utf8(&mut buf));
        if out.len() + enc.len() + ellipsis.len() > FLASH_MAX_BYTES {
            break;
        }
        out.push_str(&enc);
    }
    out.push_str(&ellipsis);
    out
}

fn flash_cookie(value: &str) -> String {
    format!(
        "{FLASH_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age=60",
        flash_value(value)
    )
}

/// Redirect after a successful form, with a message key shown on the next page.
pub fn done(to: &str, message_key: &str) -> Response {
    (
        [(SET_COOKIE, flash_cookie(&format!("ok:{message_key}")))],
        Redirect::to(to),
    )
        .into_response()
}

/// Redirect after a form, with a message already in words ("Đã trả lại xã
/// Mường Phăng") shown on the next page.
pub fn done_text(to: &str, text: &str) -> Response {
    (
        [(SET_COOKIE, flash_cookie(&format!("txt:{text}")))],
        Redirect::to(to),
    )
        .into_response()
}

/// Redirect back after a failed form, with the error shown on the next page
/// (at most [`MAX_SHOWN_ERRORS`] of a list, and a small cookie in any case).
pub fn failed(to: &str, err: crate::error::Failure) -> Response {
    let mut msg = err.message;
    if !err.errors.is_empty() {
        msg = format!("{msg}: {}", error_lines(&err.errors).join("; "));
    }
    (
        [(SET_COOKIE, flash_cookie(&format!("err:{msg}")))],
        Redirect::to(to),
    )
        .into_response()
}

/// Run a form's operation, then redirect with its outcome.
pub fn outcome<T>(
    result: Result<T, crate::error::Failure>,
    ok_to: &str,
    ok_key: &str,
    err_to: &str,
) -> Response {
    match result {
        Ok(_) => done(ok_to, ok_key),
        Err(e) => failed(err_to, e),
    }
}

/// Clear the flash cookie once a page has shown it.
async fn clear_flash(req: Request, next: Next) -> Response {
    let had = cookie(req.headers(), FLASH_COOKIE).is_some();
    let mut res = next.run(req).await;
    if had && !res.status().is_redirection() {
        if let Ok(v) = HeaderValue::from_str(&format!("{FLASH_COOKIE}=; Path=/; Max-Age=0")) {
            res.headers_mut().append(SET_COOKIE, v);
        }
    }
    res
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(
                std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"),
                16,
            ) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[derive(Deserialize)]
struct LangParams {
    lang: Option<String>,
    next: Option<String>,
}

async fn switch_language(Query(p): Query<LangParams>) -> Response {
    let lang = Lang::from_cookie(p.lang.as_deref());
    let cookie = format!(
        "lang={}; Path=/; SameSite=Lax; Max-Age=31536000",
        lang.code()
    );
    (
        [(SET_COOKIE, cookie)],
        Redirect::to(&safe_next(p.next.as_deref())),
    )
        .into_response()
}

const HTMX: &[u8] = include_bytes!("../static/htmx.min.js");
const CSS: &[u8] = include_bytes!("../static/app.css");
const PORTAL_CSS: &[u8] = include_bytes!("../static/portal.css");
const APP_JS: &[u8] = include_bytes!("../static/app.js");
const ENTRY_JS: &[u8] = include_bytes!("../static/entry.js");
const PICKER_JS: &[u8] = include_bytes!("../static/picker.js");
const TIPS_JS: &[u8] = include_bytes!("../static/tips.js");
const PORTAL_SEARCH_JS: &[u8] = include_bytes!("../static/portal-search.js");

async fn static_file(Path(file): Path<String>) -> Response {
    let (body, mime) = match file.as_str() {
        "htmx.min.js" => (HTMX, "text/javascript; charset=utf-8"),
        "app.js" => (APP_JS, "text/javascript; charset=utf-8"),
        "entry.js" => (ENTRY_JS, "text/javascript; charset=utf-8"),
        "picker.js" => (PICKER_JS, "text/javascript; charset=utf-8"),
        "tips.js" => (TIPS_JS, "text/javascript; charset=utf-8"),
        "portal-search.js" => (PORTAL_SEARCH_JS, "text/javascript; charset=utf-8"),
        "app.css" => (CSS, "text/css; charset=utf-8"),
        "portal.css" => (PORTAL_CSS, "text/css; charset=utf-8"),
        "LiberationSerif-Regular.ttf" => (antq_office::chart_png::FONT_REGULAR, "font/ttf"),
        "LiberationSerif-Bold.ttf" => (antq_office::chart_png::FONT_BOLD, "font/ttf"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (CONTENT_TYPE, mime),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    title: &'static str,
    message: String,
    errors: Vec<String>,
    status: u16,
    login: bool,
    login_href: String,
    back: Option<String>,
}

/// A local path from a `Referer` of this site, to go back to.
fn back_path(referer: Option<&str>, here: &str) -> Option<String> {
    let r = referer?;
    let rest = r
        .strip_prefix("http://")
        .or_else(|| r.strip_prefix("https://"))?;
    let path = &rest[rest.find('/')?..];
    let path = safe_next(Some(path));
    (path != here).then_some(path)
}

/// An error as a page in the app's layout, with navigation and a way back.
pub fn error_page(c: Chrome, f: &crate::error::Failure, referer: Option<&str>) -> Response {
    let status = f.status;
    let back = back_path(referer, &c.here);
    let login_href = format!("/dang-nhap?next={}", crate::auth::urlencode(&c.here));
    let page = ErrorPage {
        title: crate::error::status_title(status),
        message: crate::error::capitalised(&f.message),
        errors: f.errors.iter().take(50).cloned().collect(),
        status: status.as_u16(),
        login: status == StatusCode::UNAUTHORIZED && c.user.is_none(),
        login_href,
        back,
        c,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "error page template");
            (status, "Lỗi hệ thống").into_response()
        }
    }
}

/// Render a template into a response.
pub fn render<T: askama::Template>(page: T) -> PageResult<Response> {
    Ok(Html(page.render()?).into_response())
}

/// A stored ISO date as dd/mm/yyyy.
pub fn date_vi(iso: Option<&str>) -> Option<String> {
    iso.and_then(|d| dates::parse_date(d).ok())
        .map(dates::format_vi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flash_cookies_stay_small() {
        // 20.000 invalid values: twenty listed, the rest counted, the cookie under 3 KB.
        let errors: Vec<String> = (0..20_000)
            .map(|i| format!("tt_buoi_{i}: \"12,5a\" không phải số"))
            .collect();
        let res = failed(
            "/so-lieu",
            crate::error::Failure {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                message: "Dữ liệu có 20.000 lỗi, không có gì được ghi".into(),
                errors,
            },
        );
        let cookie = res.headers()[SET_COOKIE].to_str().unwrap().to_string();
        assert!(
            cookie.len() <= FLASH_MAX_BYTES + 100,
            "{} bytes",
            cookie.len()
        );
        let value = cookie
            .strip_prefix("antq_flash=")
            .and_then(|c| c.split(';').next())
            .unwrap();
        let shown = percent_decode(value);
        assert!(shown.starts_with("err:Dữ liệu có 20.000 lỗi"), "{shown}");
        assert!(shown.contains("tt_buoi_0:"), "{shown}");
        assert!(shown.ends_with("… và 19.980 lỗi khác"), "{shown}");
        assert!(!shown.contains("tt_buoi_20:"), "{shown}");
        assert!(
            !shown.contains('\u{FFFD}'),
            "cut inside a character: {shown}"
        );
        let lines = error_lines(&(0..20_000).map(|i| i.to_string()).collect::<Vec<_>>());
        assert_eq!(lines.len(), MAX_SHOWN_ERRORS + 1);
        assert_eq!(lines[MAX_SHOWN_ERRORS], "… và 19.980 lỗi khác");
        assert_eq!(error_lines(&["a".into()]), vec!["a".to_string()]);
        // A long Vietnamese message is cut on a character boundary, marked "…".
        let long = "ệ".repeat(5000);
        let v = flash_value(&long);
        assert!(v.len() <= FLASH_MAX_BYTES);
        let back = percent_decode(&v);
        assert!(back.ends_with('…') && back.trim_end_matches('…').chars().all(|c| c == 'ệ'));
        // Short messages are untouched.
        assert_eq!(percent_decode(&flash_value("ok:msg.saved")), "ok:msg.saved");
    }

    #[test]
    fn flash_values_round_trip() {
        let v = "err:tên đăng nhập \"an\" đã có; 100%";
        assert_eq!(percent_decode(&crate::auth::urlencode(v)), v);
    }
}
