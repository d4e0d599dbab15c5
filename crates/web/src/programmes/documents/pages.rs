//! The pages of the document library: `/van-ban` (the search, live with
//! htmx and whole without JavaScript), a document's page with its files,
//! and the forms that record and correct documents. Programmes and plans
//! are in `plan_pages`.

use antq_core::programmes::documents::DocKind;
use antq_storage::programmes::documents::{self, Document};
use antq_storage::programmes::plans::{self as store, ProgrammeLink};
use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use super::views::DocRow;
use super::{doc_input, split_list, DocFields, Invalid};
use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::extract::{Path, Query};
use crate::pages::{date_vi, render, Chrome};
use crate::state::AppState;
use crate::units::pages::UnitPicker;

/// The page routes; `upload_limit` bounds the bodies of upload routes.
pub fn routes(upload_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/van-ban", get(search).post(create))
        .route("/van-ban/moi", get(new_form))
        .route("/van-ban/{id}", get(show).post(update))
        .route("/van-ban/{id}/sua", get(edit_form))
        .route(
            "/van-ban/{id}/tep",
            post(upload).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/van-ban/{id}/tep/{file}", get(download))
        .merge(super::plan_pages::routes())
        .merge(super::publish::page_routes())
}

/// Rows of results shown per page.
const PER_PAGE: i64 = 20;

#[derive(Deserialize, Default)]
pub struct SearchParams {
    q: Option<String>,
    kind: Option<String>,
    issuer: Option<String>,
    year: Option<String>,
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "programmes/documents/search.html")]
struct SearchPage {
    c: Chrome,
    q: String,
    kind: String,
    issuer: String,
    year: String,
    kinds: Vec<(&'static str, &'static str)>,
    results: Results,
    may_create: bool,
}

#[derive(Template)]
#[template(path = "programmes/documents/results.html")]
struct Results {
    c: Chrome,
    rows: Vec<DocRow>,
    total: String,
    error: String,
    prev: String,
    next: String,
}

fn kinds() -> Vec<(&'static str, &'static str)> {
    DocKind::ALL
        .iter()
        .map(|k| (k.code(), k.word_vi()))
        .collect()
}

fn page_href(p: &SearchParams, page: i64) -> String {
    use crate::auth::urlencode;
    let v = |s: &Option<String>| urlencode(s.as_deref().unwrap_or(""));
    format!(
        "/van-ban?q={}&kind={}&issuer={}&year={}&page={page}",
        v(&p.q),
        v(&p.kind),
        v(&p.issuer),
        v(&p.year)
    )
}

async fn results(
    state: &AppState,
    c: &Chrome,
    actor: &antq_storage::accounts::access::Actor,
    p: &SearchParams,
) -> Results {
    let page = p.page.unwrap_or(1).clamp(1, 10_000);
    let mut r = Results {
        c: c.clone(),
        rows: Vec::new(),
        total: String::new(),
        error: String::new(),
        prev: String::new(),
        next: String::new(),
    };
    let found = async {
        let mut q = super::api::doc_query(
            p.q.clone(),
            p.kind.as_deref(),
            p.issuer.clone(),
            p.year.as_deref(),
        )?;
        q.limit = Some(PER_PAGE);
        q.offset = Some((page - 1) * PER_PAGE);
        q.reader = documents::Reader::User(actor.clone());
        Ok::<_, Failure>(documents::search(&state.db, &q).await?)
    }
    .await;
    match found {
        Ok(found) => {
            r.rows = found
                .items
                .iter()
                .map(|d| DocRow::of(d, c.t("doc.no_number")))
                .collect();
            r.total = antq_core::text::format_int(found.total);
            if page > 1 {
                r.prev = page_href(p, page - 1);
            }
            if page * PER_PAGE < found.total {
                r.next = page_href(p, page + 1);
            }
        }
        Err(e) => r.error = crate::error::capitalised(&e.message),
    }
    r
}

/// `/van-ban`: the search. Asked by htmx while the user types, it answers
/// with the results alone; otherwise the whole page.
pub async fn search(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    headers: HeaderMap,
    Query(p): Query<SearchParams>,
) -> PageResult<Response> {
    let results = results(&state, &c, &ctx.actor, &p).await;
    let status = if results.error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let vary = |mut res: Response| {
        res.headers_mut().insert(
            axum::http::header::VARY,
            axum::http::HeaderValue::from_static("HX-Request"),
        );
        *res.status_mut() = status;
        res
    };
    if headers.contains_key("hx-request") && !headers.contains_key("hx-history-restore-request") {
        return Ok(vary(render(results)?));
    }
    let may_create = !ctx.actor.grants.is_empty()
        && ctx
            .actor
            .grants
            .iter()
            .any(|g| antq_core::auth::Action::EditRecords.permitted_by(g.role));
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    Ok(vary(render(SearchPage {
        q: s(&p.q),
        kind: s(&p.kind),
        issuer: s(&p.issuer),
        year: s(&p.year),
        kinds: kinds(),
        results,
        may_create,
        c,
    })?))
}

#[derive(Template)]
#[template(path = "programmes/documents/show.html")]
struct ShowPage {
    c: Chrome,
    d: Document,
    title: String,
    date: String,
    unit: String,
    programmes: Vec<ProgrammeLink>,
    may_edit: bool,
    files: Vec<(i64, String, String, String)>,
    public: bool,
    in_force: bool,
    relations: Vec<documents::Related>,
}

/// `/van-ban/{id}`: everything kept about a document.
pub async fn show(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    let d = documents::get(&state.db, &ctx.actor, id).await?;
    let programmes = store::for_document(&state.db, &ctx.actor, id).await?;
    let may_edit = documents::require_edit(&state.db, &ctx.actor, d.unit_id)
        .await
        .is_ok();
    let files = d
        .files
        .iter()
        .map(|f| {
            let kind = if f.media_type == "application/pdf" {
                "PDF"
            } else {
                "Word (DOCX)"
            };
            (
                f.id,
                f.name.clone(),
                format!("{kind}, {} byte", antq_core::text::format_int(f.size)),
                f.sha256.clone(),
            )
        })
        .collect();
    let (public, in_force) = documents::public_state(&state.db, id).await?;
    let relations = documents::relations(&state.db, id).await?;
    render(ShowPage {
        public,
        in_force,
        relations,
        title: d.title(),
        date: date_vi(d.issued_on.as_deref()).unwrap_or_default(),
        unit: d
            .unit_name
            .clone()
            .unwrap_or_else(|| c.t("doc.national").to_string()),
        programmes,
        may_edit,
        files,
        d,
        c,
    })
}

/// The form as shown: values as typed, and the field that was wrong.
#[derive(Template)]
#[template(path = "programmes/documents/form.html")]
struct FormPage {
    c: Chrome,
    heading: &'static str,
    action: String,
    kinds: Vec<(&'static str, &'static str)>,
    f: DocFields,
    aliases: Vec<(String, String)>,
    issuers: String,
    picker: UnitPicker,
    field: &'static str,
    error: String,
    errors: Vec<String>,
}

impl FormPage {
    fn new(c: Chrome, heading: &'static str, action: String, f: DocFields) -> FormPage {
        let mut aliases = f.aliases.clone();
        aliases.resize(aliases.len().max(1) + 2, (String::new(), String::new()));
        let picker = UnitPicker::new(&c, "unit", "doc-unit", c.t("doc.unit"))
            .optional()
            .typed(&f.unit, &f.unit_pick);
        FormPage {
            heading,
            action,
            kinds: kinds(),
            issuers: f.issuers.join("\n"),
            aliases,
            picker,
            field: "",
            error: String::new(),
            errors: Vec::new(),
            f,
            c,
        }
    }

    fn with_error(mut self, e: Invalid) -> FormPage {
        self.field = e.field;
        self.error = crate::error::capitalised(&e.failure.message);
        self.errors = crate::pages::error_lines(&e.failure.errors);
        self
    }

    /// The error to show at this field, if it is the one that was wrong.
    fn err(&self, field: &str) -> &str {
        if self.field == field {
            &self.error
        } else {
            ""
        }
    }
}

/// The fields of a posted form; the aliases come as numbered pairs.
fn fields_of(form: &[(String, String)]) -> DocFields {
    let get = |k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let aliases = (0..50)
        .map(|i| (get(&format!("alias_{i}")), get(&format!("alias_note_{i}"))))
        .filter(|(r, n)| !r.trim().is_empty() || !n.trim().is_empty())
        .collect();
    DocFields {
        kind: get("kind"),
        reference: get("reference"),
        year: get("year"),
        date: get("date"),
        subject: get("subject"),
        issuers: split_list(&get("issuers")),
        aliases,
        as_written: get("as_written"),
        unit: get("unit"),
        unit_pick: get("unit_pick"),
    }
}

fn fields_from(d: &Document) -> DocFields {
    DocFields {
        kind: d.kind.code().into(),
        reference: d.reference.clone().unwrap_or_default(),
        year: if d
            .reference
            .as_deref()
            .is_some_and(|r| r.matches('/').count() == 2)
        {
            String::new()
        } else {
            d.year.map(|y| y.to_string()).unwrap_or_default()
        },
        date: date_vi(d.issued_on.as_deref()).unwrap_or_default(),
        subject: d.subject.clone(),
        issuers: d.issuers.clone(),
        aliases: d
            .aliases
            .iter()
            .map(|a| (a.reference.clone(), a.note.clone()))
            .collect(),
        as_written: d.as_written.clone().unwrap_or_default(),
        unit: d.unit_name.clone().unwrap_or_default(),
        unit_pick: d.unit_code.clone().unwrap_or_default(),
    }
}

/// `/van-ban/moi`.
pub async fn new_form(c: Chrome, PageUser(_ctx): PageUser) -> PageResult<Response> {
    render(FormPage::new(
        c,
        "doc.new",
        "/van-ban".into(),
        DocFields::default(),
    ))
}

/// `/van-ban/{id}/sua`.
pub async fn edit_form(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    let d = documents::get(&state.db, &ctx.actor, id).await?;
    documents::require_edit(&state.db, &ctx.actor, d.unit_id).await?;
    render(FormPage::new(
        c,
        "doc.edit",
        format!("/van-ban/{id}"),
        fields_from(&d),
    ))
}

/// The form again with what was wrong at its field (422, or the failure's status).
fn refused(page: FormPage, e: Invalid) -> PageResult<Response> {
    let status = if e.failure.status.is_client_error() {
        e.failure.status
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = render(page.with_error(e))?;
    *res.status_mut() = status;
    Ok(res)
}

/// `POST /van-ban`: record a document.
pub async fn create(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = fields_of(&form);
    let saved = async {
        let input = doc_input(&state, &f).await?;
        documents::create(&state.db, &ctx.actor, input)
            .await
            .map_err(|e| Invalid::at("", e))
    }
    .await;
    match saved {
        Ok(d) => Ok(crate::pages::done(
            &format!("/van-ban/{}", d.id),
            "msg.created",
        )),
        Err(e) => refused(FormPage::new(c, "doc.new", "/van-ban".into(), f), e),
    }
}

/// `POST /van-ban/{id}`: correct a document.
pub async fn update(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = fields_of(&form);
    let saved = async {
        let input = doc_input(&state, &f).await?;
        documents::update(&state.db, &ctx.actor, id, input)
            .await
            .map_err(|e| Invalid::at("", e))
    }
    .await;
    match saved {
        Ok(_) => Ok(crate::pages::done(&format!("/van-ban/{id}"), "msg.saved")),
        Err(e) => refused(FormPage::new(c, "doc.edit", format!("/van-ban/{id}"), f), e),
    }
}

/// `POST /van-ban/{id}/tep`: keep a PDF or DOCX with the document.
pub async fn upload(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Response {
    let to = format!("/van-ban/{id}");
    let saved = async {
        let too_large = |_| {
            Failure::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Tệp quá lớn hoặc không đọc được",
            )
        };
        while let Some(field) = multipart.next_field().await.map_err(too_large)? {
            if field.name() == Some("file") {
                let name = field.file_name().unwrap_or_default().to_string();
                let bytes = field.bytes().await.map_err(too_large)?;
                return Ok(documents::attach(&state.db, &ctx.actor, id, &name, &bytes).await?);
            }
        }
        Err(Failure::bad_request("Chưa chọn tệp"))
    }
    .await;
    crate::pages::outcome(saved, &to, "msg.saved", &to)
}

/// `GET /van-ban/{id}/tep/{file}`: a file kept with a document.
pub async fn download(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path((id, file)): Path<(i64, i64)>,
) -> PageResult<Response> {
    let (info, bytes) = documents::file(&state.db, &ctx.actor, id, file).await?;
    let content_type = if info.media_type == "application/pdf" {
        "application/pdf"
    } else {
        crate::reviews::DOCX
    };
    Ok(crate::statistics::Download {
        bytes,
        content_type,
        filename: info.name,
    }
    .into_response())
}
