//! The teams register over HTTP: the contract of `/api/v1/teams`
//! (`{"items":[…],"total"}`), the figure filter page
//! `/to-chuc-quan-chung?unit=CODE&at=DATE&mass_org=1`, another province's
//! team answered 404 and refused 403, bad input answered in Vietnamese with
//! 422, the batch evaluation refusing one excellent team too many, the
//! pages, the kinds, and the Excel register round trip.
//! (Owned by the teams work of issue 13.)

use antq_core::auth::Role;
use antq_web::registries::teams::excel::{self, Row};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::spawn_app;

fn team(name: &str, unit: &str, established: &str) -> Value {
    json!({
        "kind": "Tổ an ninh nhân dân",
        "unit": unit,
        "name": name,
        "established_on": established,
        "leader": "Lò Văn Thắng",
        "members": 12
    })
}

#[tokio::test]
async fn the_api_lists_teams_by_unit_and_day_and_the_figure_filter_says_the_count() {
    let app = spawn_app().await;
    let police = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let front = app.logged_in("mt.dienbien", Role::Front, "11").await;
    let viewer = app.logged_in("xem.dienbien", Role::Viewer, "11").await;
    let other = app.logged_in("ca.dongthap", Role::Police, "82").await;

    let (s, t) = front
        .post_json(
            "/api/v1/teams",
            team("Tổ an ninh nhân dân bản Che Căn", "03325", "15/03/2020"),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    let id = t["id"].as_i64().unwrap();
    assert_eq!(t["unit"], "03325");
    assert_eq!(t["members"], 12);
    let mut late = team("Tổ hòa giải bản Mới", "03325", "2024-06-01");
    late["kind"] = json!("Tổ hòa giải");
    let (s, _) = police.post_json("/api/v1/teams", late).await;
    assert_eq!(s, StatusCode::CREATED);

    let (s, m) = police
        .post_json(
            &format!("/api/v1/teams/{id}/members"),
            json!({"on": "2023-01-01", "members": 15, "named": [{"name": "Lò Thị Hoa", "position": "Tổ viên"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{m}");
    assert_eq!(m["member_history"].as_array().unwrap().len(), 2);

    let (s, list) = viewer.get_json("/api/v1/teams?unit=11&at=2023-12-14").await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert_eq!(
        list["total"], 1,
        "the team of 2024 is not active at the end of 2023"
    );
    let item = &list["items"][0];
    for key in [
        "id",
        "name",
        "unit",
        "unit_name",
        "kind",
        "kind_name",
        "established_on",
        "dissolved_on",
        "members",
        "leader",
    ] {
        assert!(item.get(key).is_some(), "{key} in {item}");
    }
    assert_eq!(item["members"], 15);
    assert_eq!(item["established_on"], "2020-03-15");
    let (_, all) = viewer.get_json("/api/v1/teams?unit=11&mass_org=1").await;
    assert_eq!(all["total"], 2);

    // The figure filter page: the count in words.
    let page = viewer
        .get("/to-chuc-quan-chung?unit=11&at=2023-12-14&mass_org=1")
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("1 tổ chức quần chúng bảo vệ ANTT ở cơ sở hoạt động ngày 14/12/2023 thuộc Tỉnh Điện Biên"),
        "{html}"
    );
    assert!(html.contains("Tổ an ninh nhân dân bản Che Căn"));
    assert!(!html.contains("Tổ hòa giải bản Mới"));
    let record = viewer.get(&format!("/to-chuc-quan-chung/{id}")).await;
    assert_eq!(record.status(), StatusCode::OK);
    let html = record.text().await.unwrap();
    assert!(
        html.contains("Lò Thị Hoa") && html.contains("01/01/2023"),
        "{html}"
    );

    // Another province: not found, refused, never listed.
    let (s, _) = other.get_json(&format!("/api/v1/teams/{id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(
        other
            .get(&format!("/to-chuc-quan-chung/{id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let (s, _) = other.get_json("/api/v1/teams?unit=11").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = other
        .post_json("/api/v1/teams", team("Tổ X", "03325", "2020-01-01"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, theirs) = other.get_json("/api/v1/teams").await;
    assert_eq!(theirs["total"], 0);
    let (s, _) = viewer
        .post_json("/api/v1/teams", team("Tổ X", "03325", "2020-01-01"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Bad input: Vietnamese, 422.
    let (s, e) = police
        .post_json("/api/v1/teams", team("Tổ X", "03325", "31/02/2020"))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let mut bad = team("Tổ X", "03325", "2020-01-01");
    bad["kind"] = json!("Tổ bay");
    let (s, e) = police.post_json("/api/v1/teams", bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"], "Không có loại tổ chức “Tổ bay”");
    let (s, e) = viewer.get_json("/api/v1/teams?at=hôm-qua").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, _) = viewer.get_json("/api/v1/teams?mass_org=2").await;
    assert!(s == StatusCode::UNPROCESSABLE_ENTITY || s == StatusCode::BAD_REQUEST);
    let (s, _) = viewer.get_json("/api/v1/teams/999999").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_batch_evaluation_refuses_one_excellent_team_too_many() {
    let app = spawn_app().await;
    let police = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let front = app.logged_in("mt.dienbien", Role::Front, "11").await;
    let mut ids = Vec::new();
    for i in 0..13 {
        let (s, t) = police
            .post_json(
                "/api/v1/teams",
                team(&format!("Tổ an ninh số {i}"), "03325", "2023-01-01"),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{t}");
        ids.push(t["id"].as_i64().unwrap());
    }
    let mut items: Vec<Value> = ids[..10]
        .iter()
        .map(|i| json!({"team_id": i, "level": "tot"}))
        .collect();
    items.push(json!({"team_id": ids[10], "level": "xuat_sac", "leader_level": "tot"}));
    items.push(json!({"team_id": ids[11], "level": "xuat_sac"}));
    let batch = json!({"unit": "03325", "year": 2025, "items": items});
    let (s, e) = front
        .post_json("/api/v1/teams/evaluations", batch.clone())
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the Front does not decide: {e}"
    );
    let (s, r) = police.post_json("/api/v1/teams/evaluations", batch).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["evaluated"], 12);
    let (s, e) = police
        .post_json(
            "/api/v1/teams/evaluations",
            json!({"unit": "03325", "year": 2025, "items": [
                {"team_id": ids[12], "level": "xuat_sac"}
            ]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let errors: Vec<String> = e["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect();
    assert!(
        errors
            .iter()
            .any(|x| x.contains("Đã có 3 tổ xuất sắc trên 10 tổ tốt: tối đa 20%, tức 2 tổ")),
        "{errors:?}"
    );
    let (s, e) = police
        .post_json(
            "/api/v1/teams/evaluations",
            json!({"unit": "03325", "year": 2025, "items": [
                {"team_id": ids[12], "level": "hoan_thanh", "leader_level": "xuat_sac"}
            ]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["errors"][0]
        .as_str()
        .unwrap()
        .contains("tổ trưởng không được xếp loại cao hơn tổ"));

    // The page: one select per team, the words, refusing the batch with its reasons.
    let page = police
        .get("/to-chuc-quan-chung/danh-gia?unit=03325&year=2025")
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Hoàn thành xuất sắc nhiệm vụ"));
    assert!(html.contains(&format!("name=\"o_{}\"", ids[12])));
    let mut form: Vec<(String, String)> = vec![
        ("unit".into(), "03325".into()),
        ("unit_pick".into(), "03325".into()),
        ("year".into(), "2025".into()),
    ];
    form.push(("team".into(), ids[12].to_string()));
    form.push((format!("o_{}", ids[12]), "xuat_sac".into()));
    let fields: Vec<(&str, &str)> = form.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let res = police
        .post_form("/to-chuc-quan-chung/danh-gia", &fields)
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("tối đa 20%, tức 2 tổ"), "{html}");
    assert!(!html.contains("xuat_sac\">") || html.contains("Hoàn thành xuất sắc"));
    let show = police
        .get(&format!("/to-chuc-quan-chung/{}", ids[10]))
        .await;
    let html = show.text().await.unwrap();
    assert!(html.contains("Hoàn thành xuất sắc nhiệm vụ") && !html.contains(">xuat_sac<"));
}

#[tokio::test]
async fn pages_kinds_and_the_excel_register() {
    let app = spawn_app().await;
    let police = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let admin = app.logged_in("qt.quocgia", Role::Admin, "VN").await;
    for path in [
        "/to-chuc-quan-chung",
        "/to-chuc-quan-chung/moi",
        "/to-chuc-quan-chung/danh-gia",
        "/to-chuc-quan-chung/loai",
        "/to-chuc-quan-chung/nhap",
    ] {
        assert_eq!(police.get(path).await.status(), StatusCode::OK, "{path}");
    }
    // The new-team form, by name.
    let res = police
        .post_form(
            "/to-chuc-quan-chung/moi",
            &[
                ("unit", "Mường Phăng"),
                ("unit_pick", "03325"),
                ("kind", "1"),
                ("name", "Tổ bảo vệ ANTT bản Phăng"),
                ("established_on", "01/07/2024"),
                ("members", "4"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{}",
        res.text().await.unwrap()
    );
    let res = police
        .post_form(
            "/to-chuc-quan-chung/moi",
            &[
                ("unit", "03325"),
                ("kind", "1"),
                ("name", "X"),
                ("established_on", "sai"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Kinds: national administrators only.
    let (s, _) = police
        .post_json("/api/v1/team-kinds", json!({"name": "Tổ tự quản bến đò"}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, k) = admin
        .post_json(
            "/api/v1/team-kinds",
            json!({"name": "Tổ tự quản bến đò", "mass_org": false}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{k}");
    let (_, kinds) = police.get_json("/api/v1/team-kinds").await;
    assert_eq!(kinds["items"].as_array().unwrap().len(), 9);

    // The template, an import refused with its cells, a good one, the export.
    let template = police.get("/to-chuc-quan-chung/mau.xlsx").await;
    assert_eq!(template.status(), StatusCode::OK);
    assert!(template.bytes().await.unwrap().starts_with(b"PK"));
    let row = |name: &str, kind: &str, date: &str| {
        let mut values: [String; 9] = Default::default();
        values[0] = name.into();
        values[1] = kind.into();
        values[3] = date.into();
        values[6] = "9".into();
        Row {
            unit_code: "03325".into(),
            unit_name: "Xã Mường Phăng".into(),
            values,
        }
    };
    let bad = excel::write(
        "Sổ",
        &[
            row("Tổ A", "Tổ an ninh nhân dân", "01/01/2020"),
            row("Tổ B", "Tổ bay", "31/02/2020"),
        ],
    );
    let (ct, body) = multipart(&bad);
    let res = police
        .client
        .post(police.url("/to-chuc-quan-chung/nhap"))
        .header("Content-Type", ct)
        .header("X-CSRF-Token", police.csrf.clone().unwrap_or_default())
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Tổ chức quần chúng, ô D7: không có loại tổ chức"),
        "{html}"
    );
    assert!(html.contains("Tổ chức quần chúng, ô F7: ngày"), "{html}");
    let (_, before) = police.get_json("/api/v1/teams?unit=11").await;
    assert_eq!(before["total"], 1, "nothing of a refused file is written");
    let good = excel::write(
        "Sổ",
        &[
            row("Tổ A", "Tổ an ninh nhân dân", "01/01/2020"),
            row("Tổ B", "to hoa giai", "2021-02-03"),
        ],
    );
    let (ct, body) = multipart(&good);
    let res = police
        .client
        .post(police.url("/to-chuc-quan-chung/nhap"))
        .header("Content-Type", ct)
        .header("X-CSRF-Token", police.csrf.clone().unwrap_or_default())
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("Đã ghi 2 tổ chức, tổ"));
    let export = police.get("/to-chuc-quan-chung/xuat?unit=11").await;
    assert_eq!(export.status(), StatusCode::OK);
    let back = excel::read(&export.bytes().await.unwrap()).unwrap();
    assert_eq!(back.len(), 3);
    assert!(back.iter().any(|r| r.text("ten") == "Tổ B"
        && r.text("thanh_lap") == "03/02/2021"
        && r.text("loai") == "Tổ hòa giải"));
}

/// A multipart body as the upload form sends it.
fn multipart(bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----antqteamsboundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"so.xlsx\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}
