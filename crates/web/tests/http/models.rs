//! The models register over HTTP. (Owned by the models work of issue 13.)
//! The API's contract (list, record, create, replicate, state, types,
//! exemplary cases), the figure filter analytics links to, access by grant
//! (another province's model is 404, writing there 403), Vietnamese 422s,
//! the pages, and the Excel template's import with every bad cell named.

use antq_core::auth::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::spawn_app;

fn model(unit: &str, name: &str, on: &str) -> Value {
    json!({"name": name, "type": "Camera an ninh", "unit": unit, "started_on": on})
}

#[tokio::test]
async fn a_model_is_registered_replicated_dissolved_and_counted() {
    let app = spawn_app().await;
    let police = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let front = app.logged_in("mt.dienbien", Role::Front, "11").await;
    let viewer = app.logged_in("xem.dienbien", Role::Viewer, "11").await;
    let commune = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let other = app.logged_in("ca.dongthap", Role::Police, "82").await;

    let (s, m) = commune
        .post_json(
            "/api/v1/models",
            model("03325", "Camera an ninh bản Che Căn", "15/08/2025"),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    let id = m["id"].as_i64().unwrap();
    for key in [
        "id",
        "name",
        "unit",
        "unit_name",
        "type",
        "type_name",
        "started_on",
        "dissolved_on",
        "state",
        "replicates",
        "events",
        "sites",
        "replications",
    ] {
        assert!(m.get(key).is_some(), "{key} in {m}");
    }
    assert_eq!(m["state"], "moi");
    assert_eq!(m["started_on"], "2025-08-15");
    assert_eq!(m["replicates"], Value::Null);

    // Vietnamese 422s.
    let (s, e) = commune
        .post_json("/api/v1/models", model("03325", "X", "31/02/2025"))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let mut bad = model("03325", "X", "15/08/2025");
    bad["type"] = json!("Không có loại này");
    let (s, e) = commune.post_json("/api/v1/models", bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        e["error"]
            .as_str()
            .unwrap()
            .contains("Không có loại mô hình"),
        "{e}"
    );
    let (s, e) = commune
        .post_json("/api/v1/models", model("03325", "", "15/08/2025"))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        e["error"].as_str().unwrap().contains("Chưa có tên mô hình"),
        "{e}"
    );
    let (s, _) = viewer
        .post_json("/api/v1/models", model("11", "Xem", "15/08/2025"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "viewers read only");

    // Another province: not found, and nothing written there.
    let (s, _) = other.get_json(&format!("/api/v1/models/{id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = other
        .post_json(
            &format!("/api/v1/models/{id}/state"),
            json!({"state": "giai_the", "date": "01/09/2025"}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = other
        .post_json(
            &format!("/api/v1/models/{id}/replicate"),
            json!({"unit": "82", "started_on": "01/09/2025"}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = commune
        .post_json("/api/v1/models", model("82", "Ngoài tỉnh", "15/08/2025"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, theirs) = other.get_json("/api/v1/models").await;
    assert_eq!(theirs["total"], 0);

    // Replicated by the Front of the province, at the province's own level.
    let (s, r) = front
        .post_json(
            &format!("/api/v1/models/{id}/replicate"),
            json!({"unit": "11", "started_on": "01/10/2025"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    assert_eq!(r["replicates"], id);
    assert_eq!(r["type_name"], "Camera an ninh");
    let rep = r["id"].as_i64().unwrap();
    let (_, orig) = viewer.get_json(&format!("/api/v1/models/{id}")).await;
    assert_eq!(orig["replications"][0]["id"], rep);
    assert_eq!(orig["state"], "nhan_rong");

    // The figures, as analytics links them.
    let (s, l) = viewer
        .get_json("/api/v1/models?unit=11&from=2025&to=2025&count=moi")
        .await;
    assert_eq!(s, StatusCode::OK, "{l}");
    assert_eq!(l["total"], 1);
    assert_eq!(l["items"][0]["id"], id);
    assert!(
        l["sentence"]
            .as_str()
            .unwrap()
            .starts_with("Mô hình mới xây dựng năm 2025 của tỉnh Điện Biên: 1"),
        "{l}"
    );
    let (_, l) = viewer
        .get_json("/api/v1/models?unit=11&from=2025&to=2025&count=nhan_rong")
        .await;
    assert_eq!(l["total"], 1);
    let (_, l) = viewer
        .get_json("/api/v1/models?unit=11&to=2025&count=loai")
        .await;
    assert_eq!(
        l["types"],
        json!([{"type": m["type"], "type_name": "Camera an ninh", "count": 2}])
    );
    let (s, e) = viewer.get_json("/api/v1/models?unit=11&count=moi").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, _) = viewer
        .get_json("/api/v1/models?unit=11&state=Giải thể")
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = other.get_json("/api/v1/models?unit=11").await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Dissolved: no longer active at the year's end.
    let (s, d) = police
        .post_json(
            &format!("/api/v1/models/{id}/state"),
            json!({"state": "giai_the", "date": "20/11/2025", "note": "Hết kinh phí"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["dissolved_on"], "2025-11-20");
    let (_, l) = viewer
        .get_json("/api/v1/models?unit=11&to=2025&count=hien_co")
        .await;
    assert_eq!(l["total"], 1);
    let (_, l) = viewer
        .get_json("/api/v1/models?unit=11&at=2025-10-15")
        .await;
    assert_eq!(l["total"], 2, "both in operation that day");
    let (s, e) = police
        .post_json(
            &format!("/api/v1/models/{id}/state"),
            json!({"state": "cung_co", "date": "21/11/2025"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");

    // Exemplary cases.
    let (s, c) = commune
        .post_json("/api/v1/exemplary-cases", json!({"unit": "03325", "kind": "tap_the", "name": "Tổ an ninh nhân dân bản Che Căn", "model_id": id, "recognised_on": "01/11/2025", "recognition": "Điển hình tiên tiến"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    assert_eq!(c["kind"], "tap_the");
    let (_, cs) = viewer.get_json("/api/v1/exemplary-cases?unit=11").await;
    assert_eq!(cs["total"], 1);
    let (s, _) = commune
        .post_json(
            "/api/v1/exemplary-cases",
            json!({"unit": "03325", "kind": "nhóm", "name": "X"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    // Pages: the list with the figure in words, the record, the cases.
    let html = viewer
        .get("/mo-hinh?unit=11&from=2025&to=2025&count=moi")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Mô hình mới xây dựng năm 2025 của tỉnh Điện Biên: 1"),
        "{html}"
    );
    assert!(html.contains("Camera an ninh bản Che Căn"));
    let page = viewer.get(&format!("/mo-hinh/{id}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Giải thể") && html.contains("Hết kinh phí"),
        "{html}"
    );
    assert!(!html.contains("model-replicate"), "viewers get no forms");
    let html = police
        .get(&format!("/mo-hinh/{rep}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"model-replicate\""), "{html}");
    assert!(
        html.contains(&format!("href=\"/mo-hinh/{id}\"")),
        "the link back"
    );
    assert_eq!(
        other.get(&format!("/mo-hinh/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let html = viewer.get("/mo-hinh/dien-hinh").await.text().await.unwrap();
    assert!(html.contains("Tổ an ninh nhân dân bản Che Căn") && html.contains("Tập thể"));
}

#[tokio::test]
async fn the_pages_register_and_replicate_without_javascript() {
    let app = spawn_app().await;
    let police = app.logged_in("ca.dienbien", Role::Police, "11").await;
    for path in [
        "/mo-hinh",
        "/mo-hinh/moi",
        "/mo-hinh/loai",
        "/mo-hinh/dien-hinh",
    ] {
        assert_eq!(police.get(path).await.status(), StatusCode::OK, "{path}");
    }
    let (_, types) = police.get_json("/api/v1/model-types").await;
    let zalo = types["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Zalo an ninh trật tự")
        .unwrap()["id"]
        .to_string();
    let form = [
        ("name", "Zalo an ninh tổ dân phố 5"),
        ("type", zalo.as_str()),
        ("unit", "Điện Biên"),
        ("unit_pick", "11"),
        ("started_on", "02/09/2025"),
    ];
    let bad = police
        .post_form(
            "/mo-hinh/moi",
            &[
                ("name", ""),
                ("type", &zalo),
                ("unit", "Điện Biên"),
                ("unit_pick", "11"),
                ("started_on", "02/09/2025"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains("Chưa có tên mô hình"));
    let res = police.post_form("/mo-hinh/moi", &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    let res = police
        .post_form(
            &format!("{to}/nhan-rong"),
            &[
                ("rep_unit", "Mường Phăng"),
                ("rep_unit_pick", "03325"),
                ("started_on", "03/09/2025"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let new = res.headers()["location"].to_str().unwrap().to_string();
    assert_ne!(new, to);
    let html = police.get(&new).await.text().await.unwrap();
    assert!(
        html.contains("Zalo an ninh tổ dân phố 5") && html.contains(&format!("href=\"{to}\"")),
        "{html}"
    );
    let res = police
        .post_form(
            &format!("{to}/diem"),
            &[
                ("name", "Tổ dân phố 5"),
                ("site_unit", "Điện Biên"),
                ("site_unit_pick", "11"),
                ("teams", "3"),
                ("members", "1.200"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = police.get(&to).await.text().await.unwrap();
    assert!(
        html.contains("Tổ dân phố 5") && html.contains("1.200"),
        "{html}"
    );

    // Types: national administrators only.
    let (s, _) = police
        .post_json("/api/v1/model-types", json!({"name": "Mô hình thử"}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let admin = app.logged_in("qt.quocgia", Role::Admin, "VN").await;
    let (s, t) = admin
        .post_json("/api/v1/model-types", json!({"name": "Mô hình thử"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    let (s, _) = admin
        .post_json("/api/v1/model-types", json!({"name": "mo hinh thu"}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, t) = admin
        .post_json(
            "/api/v1/model-types",
            json!({"id": t["id"], "name": "Mô hình thử", "active": false}),
        )
        .await;
    assert_eq!((s, t["active"].clone()), (StatusCode::OK, json!(false)));
    let html = admin.get("/mo-hinh/loai").await.text().await.unwrap();
    assert!(html.contains("id=\"model-type-new\""));
}

/// A filled template as a user writes it: the register's headings on row 3,
/// one model per row from row 4, every cell text.
fn template_file(rows: &[[&str; 4]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Sổ mô hình").unwrap();
    ws.write_string(0, 0, "Sổ theo dõi mô hình").unwrap();
    for (c, k) in [
        "Mã đơn vị",
        "Tên mô hình",
        "Loại mô hình",
        "Ngày bắt đầu (dd/mm/yyyy)",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(2, c as u16, *k).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(3 + r as u32, c as u16, *v).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

fn multipart(bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----antqmodelsboundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"so.xlsx\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn an_imported_register_names_every_bad_cell_or_goes_in_whole() {
    let app = spawn_app().await;
    let police = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let template = police.get("/mo-hinh/mau.xlsx").await;
    assert_eq!(template.status(), StatusCode::OK);
    assert!(template.bytes().await.unwrap().starts_with(b"PK"));
    let post = |bytes: Vec<u8>| {
        let (ct, body) = multipart(&bytes);
        police
            .client
            .post(police.url("/mo-hinh/nhap"))
            .header("Content-Type", ct)
            .header("X-CSRF-Token", police.csrf.clone().unwrap_or_default())
            .body(body)
            .send()
    };
    let bad = template_file(&[
        [
            "03325",
            "Camera an ninh bản Che Căn",
            "Camera an ninh",
            "15/08/2025",
        ],
        ["03325", "", "Không có loại", "31/02/2025"],
    ]);
    let res = post(bad).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    for cell in [
        "Sổ mô hình, ô B5: thiếu tên mô hình",
        "Sổ mô hình, ô C5: không có loại mô hình",
        "Sổ mô hình, ô D5: ngày “31/02/2025” không hợp lệ",
    ] {
        assert!(page.contains(cell), "{cell} in {page}");
    }
    let (_, l) = police.get_json("/api/v1/models?unit=11").await;
    assert_eq!(l["total"], 0, "nothing written");
    let good = template_file(&[
        [
            "03325",
            "Camera an ninh bản Che Căn",
            "camera an ninh",
            "15/08/2025",
        ],
        ["11", "Zalo an ninh", "Zalo an ninh trật tự", "2025-09-01"],
    ]);
    let res = post(good).await.unwrap();
    let page = res.text().await.unwrap();
    assert!(page.contains("Đã ghi 2 mô hình"), "{page}");
    let (_, l) = police.get_json("/api/v1/models?unit=11").await;
    assert_eq!(l["total"], 2);
    let export = police.get("/mo-hinh/xuat?unit=11").await;
    assert_eq!(export.status(), StatusCode::OK);
    assert!(export.bytes().await.unwrap().starts_with(b"PK"));
}

async fn upload(agent: &crate::helpers::Agent, bytes: &[u8]) -> (StatusCode, String) {
    let (ct, body) = multipart(bytes);
    let res = agent
        .client
        .post(agent.url("/mo-hinh/nhap"))
        .header("Content-Type", ct)
        .header("X-CSRF-Token", agent.csrf.clone().unwrap_or_default())
        .body(body)
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

/// The fields a model keeps through an export and an import, by name.
async fn register_of(agent: &crate::helpers::Agent) -> Vec<Value> {
    let (s, l) = agent.get_json("/api/v1/models?unit=11&limit=100").await;
    assert_eq!(s, StatusCode::OK, "{l}");
    let items = l["items"].as_array().unwrap();
    // A replication by what it replicates (its number differs between databases).
    let original = |m: &Value| {
        items
            .iter()
            .find(|o| o["id"] == m["replicates"])
            .map(|o| json!([o["name"], o["unit"], o["started_on"]]))
            .unwrap_or(Value::Null)
    };
    let mut out: Vec<Value> = items
        .iter()
        .map(|m| {
            json!({
                "name": m["name"], "unit": m["unit"], "type_name": m["type_name"],
                "started_on": m["started_on"], "dissolved_on": m["dissolved_on"],
                "state": m["state"], "rating": m["rating"], "rated_year": m["rated_year"],
                "notes": m["notes"], "replicates": original(m),
            })
        })
        .collect();
    out.sort_by_key(|m| {
        format!(
            "{} {} {}",
            m["name"].as_str().unwrap_or_default(),
            m["unit"],
            m["started_on"]
        )
    });
    out
}

#[tokio::test]
async fn an_exported_register_imports_back_into_an_empty_database() {
    let app = spawn_app().await;
    let police = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let mut a = model("03325", "Camera an ninh bản Che Căn", "15/08/2025");
    a["rating"] = json!("Tốt");
    a["rated_year"] = json!(2025);
    a["notes"] = json!("Lắp 4 camera ở đầu bản");
    let b = model("11", "Zalo an ninh", "01/03/2024");
    let c = model("03325", "Tổ tự quản an ninh", "10/01/2024");
    let mut ids = Vec::new();
    for m in [a, b, c] {
        let (s, m) = police.post_json("/api/v1/models", m).await;
        assert_eq!(s, StatusCode::CREATED, "{m}");
        ids.push(m["id"].as_i64().unwrap());
    }
    for (id, state, day) in [
        (ids[1], "cung_co", "01/06/2025"),
        (ids[2], "giai_the", "01/05/2025"),
    ] {
        let (s, r) = police
            .post_json(
                &format!("/api/v1/models/{id}/state"),
                json!({"state": state, "date": day}),
            )
            .await;
        assert!(s.is_success(), "{r}");
    }
    // A replication of the first at the province.
    let (s, r) = police
        .post_json(
            &format!("/api/v1/models/{}/replicate", ids[0]),
            json!({"unit": "11", "started_on": "01/10/2025"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let before = register_of(&police).await;
    assert_eq!(before.len(), 4);
    let named =
        |name: &str| -> Vec<&Value> { before.iter().filter(|m| m["name"] == name).collect() };
    assert_eq!(
        named("Tổ tự quản an ninh")[0]["state"],
        "giai_the",
        "{before:?}"
    );
    assert_eq!(named("Tổ tự quản an ninh")[0]["dissolved_on"], "2025-05-01");
    assert_eq!(named("Zalo an ninh")[0]["state"], "cung_co");
    assert_eq!(
        before.iter().filter(|m| !m["replicates"].is_null()).count(),
        1,
        "{before:?}"
    );
    let export = police.get("/mo-hinh/xuat?unit=11").await;
    assert_eq!(export.status(), StatusCode::OK);
    let export = export.bytes().await.unwrap().to_vec();

    // Dates are Excel date cells in the export.
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(export.clone())).unwrap();
    use calamine::Reader;
    let range = wb.worksheet_range("Sổ mô hình").unwrap();
    assert_eq!(
        range.get_value((2, 3)),
        Some(&calamine::Data::String("Ngày bắt đầu (dd/mm/yyyy)".into()))
    );
    assert!(
        matches!(range.get_value((3, 3)), Some(calamine::Data::DateTime(_))),
        "{:?}",
        range.get_value((3, 3))
    );

    let fresh = spawn_app().await;
    let police2 = fresh.logged_in("ca.dienbien", Role::Police, "11").await;
    assert!(register_of(&police2).await.is_empty());
    let (s, page) = upload(&police2, &export).await;
    assert!(page.contains("Đã ghi 4 mô hình"), "{s} {page}");
    assert_eq!(
        register_of(&police2).await,
        before,
        "every model, its state and what it replicates come back"
    );

    // A bad date cell refuses the whole file, naming the cell.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Sổ mô hình").unwrap();
    for (c, h) in [
        "Mã đơn vị",
        "Tên mô hình",
        "Loại mô hình",
        "Ngày bắt đầu (dd/mm/yyyy)",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let day = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    for (r, name) in [(3u32, "Mô hình một"), (4, "Mô hình hai")] {
        ws.write_string(r, 0, "11").unwrap();
        ws.write_string(r, 1, name).unwrap();
        ws.write_string(r, 2, "Camera an ninh").unwrap();
    }
    // 15/08/2025 as an Excel date, then a date no calendar has.
    ws.write_number_with_format(3, 3, 45884.0, &day).unwrap();
    ws.write_string(4, 3, "30/02/2025").unwrap();
    let (s, page) = upload(&police, &wb.save_to_buffer().unwrap()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(
        page.contains("Sổ mô hình, ô D5: ngày “30/02/2025” không hợp lệ"),
        "{page}"
    );
    assert!(!page.contains("ô D4"), "the good date cell is read: {page}");
    assert_eq!(register_of(&police).await, before, "nothing written");

    // No file chosen: said so, never "0 models written".
    let (s, page) = upload(&police, b"").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("Chưa chọn tệp để nhập"), "{page}");
}
