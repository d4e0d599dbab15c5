use antq_core::auth::{NewPassword, Role, Username};
use antq_core::dates;
use antq_core::units::UnitCode;
use antq_storage::audit::Who;
use antq_storage::testing::TestDb;
use antq_storage::{accounts::users, units, Db};
use antq_web::{App, WebConfig};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};

pub const PASSWORD: &str = "mật khẩu kiểm thử dài";

pub struct TestApp {
    pub base: String,
    pub db: Db,
    pub state: antq_web::state::AppState,
    _db_guard: TestDb,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

/// A browser-like client with its own cookie jar.
pub struct Agent {
    pub client: Client,
    pub base: String,
    pub csrf: Option<String>,
    pub token: Option<String>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// The app with some of its configuration changed (timeouts, limits).
pub async fn spawn_app_with(change: impl FnOnce(&mut WebConfig)) -> TestApp {
    let guard = TestDb::new().await;
    let db = guard.ready().await;
    let mut config = WebConfig {
        addr: "127.0.0.1:0".parse().unwrap(),
        ..WebConfig::default()
    };
    change(&mut config);
    let app = App::build(config, db.clone()).await.expect("bind");
    let state = app.state().clone();
    let base = format!("http://127.0.0.1:{}", app.port());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until_stopped(async {
        let _ = rx.await;
    }));
    TestApp {
        base,
        db,
        state,
        _db_guard: guard,
        _shutdown: tx,
    }
}

impl TestApp {
    pub fn agent(&self) -> Agent {
        Agent {
            client: Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: self.base.clone(),
            csrf: None,
            token: None,
        }
    }

    pub async fn unit_id(&self, code: &str) -> i64 {
        units::get_at(&self.db, &UnitCode::parse(code).unwrap(), dates::today())
            .await
            .unwrap()
            .id
    }

    /// Create a user with one grant on the unit valid today.
    pub async fn user(&self, name: &str, role: Role, unit_code: &str) -> i64 {
        let unit = self.unit_id(unit_code).await;
        users::create(
            &self.db,
            &Who::system(),
            users::NewUser {
                username: Username::parse(name).unwrap(),
                display_name: format!("Người dùng {name}"),
                password: NewPassword::parse(PASSWORD).unwrap(),
                grants: vec![(role, unit)],
            },
        )
        .await
        .unwrap()
    }

    /// A logged-in agent for a new user.
    pub async fn logged_in(&self, name: &str, role: Role, unit_code: &str) -> Agent {
        self.user(name, role, unit_code).await;
        let mut a = self.agent();
        let res = a.login(name, PASSWORD).await;
        assert_eq!(res.status(), StatusCode::OK, "login {name}");
        a
    }
}

impl Agent {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Log in through the API; remembers the CSRF token.
    pub async fn login(&mut self, username: &str, password: &str) -> Login {
        let res = self
            .client
            .post(self.url("/api/v1/session"))
            .json(&json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap();
        let status = res.status();
        let cookies = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        if status == StatusCode::OK {
            self.csrf = body["csrf_token"].as_str().map(str::to_string);
        }
        Login {
            status,
            cookies,
            body,
        }
    }

    fn with_auth(&self, rb: reqwest::RequestBuilder, write: bool) -> reqwest::RequestBuilder {
        let rb = match &self.token {
            Some(t) => rb.bearer_auth(t),
            None => rb,
        };
        match (&self.csrf, write) {
            (Some(c), true) => rb.header("X-CSRF-Token", c),
            _ => rb,
        }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.with_auth(self.client.get(self.url(path)), false)
            .send()
            .await
            .unwrap()
    }

    pub async fn get_json(&self, path: &str) -> (StatusCode, Value) {
        let res = self.get(path).await;
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let res = self
            .with_auth(self.client.request(method, self.url(path)), true)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn post_json(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send_json(reqwest::Method::POST, path, body).await
    }

    /// A POST with a body as given (a multipart form), with the session's CSRF header.
    pub async fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> Response {
        self.with_auth(self.client.post(self.url(path)), true)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// A GET with one more header (a validator such as If-None-Match).
    pub async fn client_get_with(&self, path: &str, name: &str, value: &str) -> Response {
        self.with_auth(self.client.get(self.url(path)), false)
            .header(name, value)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Response {
        let mut fields: Vec<(&str, &str)> = form.to_vec();
        if let Some(c) = &self.csrf {
            fields.push(("csrf_token", c));
        }
        self.client
            .post(self.url(path))
            .form(&fields)
            .send()
            .await
            .unwrap()
    }
}

pub struct Login {
    pub status: StatusCode,
    pub cookies: Vec<String>,
    pub body: Value,
}

impl Login {
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

/// A multipart body as a browser sends a form: its fields in order, then
/// its files (`name`, bytes).
pub fn multipart_form(fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----antqformboundary7MA4YWxk";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    for (i, (name, bytes)) in files.iter().enumerate() {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"anh{i}.jpg\"\r\n\
                 Content-Type: image/jpeg\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}
