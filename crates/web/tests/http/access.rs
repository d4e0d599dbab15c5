//! Authorization across units and roles: nobody sees or changes what lies
//! outside their units, and the answer is 403 or 404, never 500.

use antq_core::auth::Role;
use antq_core::units::Share;
use antq_storage::units;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_commune_officer_cannot_read_or_change_another_commune() {
    let app = spawn_app().await;
    // Mường Phăng (03325) and Điện Biên Phủ (03127), both in Điện Biên.
    let a = app.logged_in("ca.muongphang", Role::Police, "03325").await;
    let b = app.logged_in("ca.dienbienphu", Role::Police, "03127").await;
    let (s, _) = b
        .post_json(
            "/api/v1/units/03127/areas",
            json!({"name": "Tổ dân phố 9", "kind": "tổ dân phố"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);

    let (s, own) = a.get_json("/api/v1/units/03325/areas").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(own["unit_name"], "Xã Mường Phăng");
    for (path, what) in [
        ("/api/v1/units/03127/areas", "another commune's areas"),
        (
            "/api/v1/units/03127/organisations",
            "another commune's organisations",
        ),
        (
            "/api/v1/units/11/organisations",
            "the province's organisations",
        ),
        ("/api/v1/units/29869/areas", "a commune of another province"),
    ] {
        let (s, body) = a.get_json(path).await;
        assert!(
            s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
            "{what}: {s}"
        );
        assert!(
            body.get("areas").is_none() && body.get("organisations").is_none(),
            "{what} leaked"
        );
    }
    let (s, _) = a
        .post_json(
            "/api/v1/units/03127/areas",
            json!({"name": "Tổ dân phố 10", "kind": "tổ dân phố"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = a
        .post_json(
            "/api/v1/units/03127/organisations",
            json!({"name": "Trường THCS X", "kind": "school"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Nothing was written.
    let (_, theirs) = b.get_json("/api/v1/units/03127/areas").await;
    assert_eq!(theirs["areas"].as_array().unwrap().len(), 1);
    // Administration is not theirs either.
    for path in ["/api/v1/users", "/api/v1/audit"] {
        let (s, _) = a.get_json(path).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{path}");
    }
}

#[tokio::test]
async fn roles_decide_what_a_grant_permits() {
    let app = spawn_app().await;
    let viewer = app.logged_in("xem.tinh", Role::Viewer, "11").await;
    let front = app.logged_in("mt.xa", Role::Front, "03325").await;
    let province = app.logged_in("ca.tinh", Role::Police, "11").await;
    let (s, _) = viewer.get_json("/api/v1/units/03325/areas").await;
    assert_eq!(s, StatusCode::OK, "a viewer reads below their unit");
    let (s, _) = viewer
        .post_json(
            "/api/v1/units/03325/areas",
            json!({"name": "Bản X", "kind": "bản"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a viewer changes nothing");
    let (s, _) = front
        .post_json(
            "/api/v1/units/03325/areas",
            json!({"name": "Bản Y", "kind": "bản"}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::CREATED,
        "the Front registers areas of its commune"
    );
    let (s, _) = province
        .post_json(
            "/api/v1/units/03325/areas",
            json!({"name": "Bản Z", "kind": "bản"}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::CREATED,
        "the province police work in its communes"
    );
    let (s, _) = province.get_json("/api/v1/units/29869/areas").await;
    assert!(
        matches!(s, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "but not in another province"
    );
    let (s, _) = province.get_json("/api/v1/users").await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "police officers administer no users"
    );
}

#[tokio::test]
async fn areas_are_validated_normalised_and_unique() {
    let app = spawn_app().await;
    let a = app.logged_in("ca.xa", Role::Police, "03325").await;
    // NFD input is stored as NFC.
    let nfd = "Ba\u{309}n Mo\u{302}\u{301}i";
    let (s, area) = a
        .post_json(
            "/api/v1/units/03325/areas",
            json!({"name": nfd, "kind": "Bản"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(area["name"], "Bản Mối");
    assert_eq!(area["kind"], "Bản");
    let (s, e) = a
        .post_json(
            "/api/v1/units/03325/areas",
            json!({"name": "bản  mối", "kind": "ban"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    let (s, e) = a
        .post_json(
            "/api/v1/units/03325/areas",
            json!({"name": "Bản B", "kind": "quận"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["error"].as_str().unwrap().contains("quận"));
    let (s, _) = a
        .post_json(
            "/api/v1/units/03325/areas",
            json!({"name": "   ", "kind": "bản"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, list) = a.get_json("/api/v1/units/03325/areas").await;
    assert_eq!(list["areas"].as_array().unwrap().len(), 1);
    // Organisations: the commune's police and Front committee exist already.
    let (_, orgs) = a.get_json("/api/v1/units/03325/organisations").await;
    let kinds: Vec<&str> = orgs["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["police", "front_committee"]);
    let (s, _) = a
        .post_json(
            "/api/v1/units/03325/organisations",
            json!({"name": "Trường Tiểu học Mường Phăng", "kind": "school"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
}

#[tokio::test]
async fn a_grant_on_todays_province_covers_its_predecessors_history() {
    let app = spawn_app().await;
    let dt = app.logged_in("ca.dongthap", Role::Police, "82").await;
    // A commune of old Tiền Giang, as it was in 2020, lies inside today's Đồng Tháp.
    let (s, _) = dt.get_json("/api/v1/units/28249/areas?at=2020-01-01").await;
    assert_eq!(s, StatusCode::OK);
    let db_officer = app.logged_in("ca.dienbien", Role::Police, "11").await;
    let (s, _) = db_officer
        .get_json("/api/v1/units/28249/areas?at=2020-01-01")
        .await;
    assert!(matches!(s, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND));
}

#[tokio::test]
async fn administrators_manage_users_within_their_units_only() {
    let app = spawn_app().await;
    let db_admin = app.logged_in("qt.dienbien", Role::Admin, "11").await;
    let dt_admin = app.logged_in("qt.dongthap", Role::Admin, "82").await;
    let dt_officer = app.user("ca.caolanh", Role::Police, "29869").await;

    // Create a user in their own province.
    let (s, u) = db_admin
        .post_json(
            "/api/v1/users",
            json!({"username": "ca.muongphang", "display_name": "Công an xã Mường Phăng",
                   "password": "mật khẩu mới đủ dài", "role": "police", "unit": "03325"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{u}");
    assert_eq!(u["grants"][0]["unit_code"], "03325");
    let new_id = u["id"].as_i64().unwrap();
    // Not in another province.
    let (s, _) = db_admin
        .post_json(
            "/api/v1/users",
            json!({"username": "ca.xa.khac", "password": "mật khẩu mới đủ dài", "role": "police", "unit": "29869"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // A weak password or a taken name is refused with a reason.
    let (s, e) = db_admin
        .post_json(
            "/api/v1/users",
            json!({"username": "ca.yeu", "password": "ngắn", "role": "police", "unit": "03325"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["error"].as_str().unwrap().contains("12"));
    let (s, _) = db_admin
        .post_json(
            "/api/v1/users",
            json!({"username": "ca.muongphang", "password": "mật khẩu mới đủ dài", "role": "police", "unit": "03325"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);

    // Each administrator lists only their own users.
    let (_, list) = db_admin.get_json("/api/v1/users").await;
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"ca.muongphang") && names.contains(&"qt.dienbien"));
    assert!(!names.contains(&"ca.caolanh") && !names.contains(&"qt.dongthap"));
    // ... and cannot see, disable or grant to the others.
    let (s, _) = db_admin
        .get_json(&format!("/api/v1/users/{dt_officer}"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = db_admin
        .post_json(&format!("/api/v1/users/{dt_officer}/disable"), json!({}))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = dt_admin
        .post_json(
            &format!("/api/v1/users/{new_id}/grants"),
            json!({"role": "viewer", "unit": "82"}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Giving a user of theirs a grant elsewhere is refused.
    let (s, _) = db_admin
        .post_json(
            &format!("/api/v1/users/{new_id}/grants"),
            json!({"role": "viewer", "unit": "82"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, g) = db_admin
        .post_json(
            &format!("/api/v1/users/{new_id}/grants"),
            json!({"role": "viewer", "unit": "11"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let gid = g["id"].as_i64().unwrap();
    let (s, _) = db_admin
        .send_json(Method::DELETE, &format!("/api/v1/grants/{gid}"), json!({}))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn lineage_corrections_are_audited_and_scoped() {
    let app = spawn_app().await;
    let central = app.logged_in("quantri", Role::Admin, "VN").await;
    let db_admin = app.logged_in("qt.dienbien", Role::Admin, "11").await;
    let dong_thap = app.unit_id("82").await;
    let link = units::predecessors(&app.db, dong_thap)
        .await
        .unwrap()
        .remove(0);
    let path = format!("/api/v1/links/{}", link.link_id);
    let (s, _) = db_admin
        .send_json(Method::PUT, &path, json!({"share": "part", "note": "thử"}))
        .await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "an admin of Điện Biên cannot edit Đồng Tháp's lineage, nor learn that the link exists"
    );
    let (s, l) = central
        .send_json(
            Method::PUT,
            &path,
            json!({"share": "part_primary", "note": "đính chính"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{l}");
    assert_eq!(l["share"], "part_primary");
    let (s, e) = central
        .send_json(Method::PUT, &path, json!({"share": "most"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let after = units::predecessors(&app.db, dong_thap).await.unwrap();
    assert!(after.iter().any(|l| l.share == Share::PartPrimary));

    let (s, rows) = central.get_json("/api/v1/audit?action=lineage").await;
    assert_eq!(s, StatusCode::OK);
    let row = &rows[0];
    assert_eq!(row["actor"], "quantri");
    assert_eq!(row["action"], "lineage.update");
    assert_eq!(row["before"]["share"], "whole");
    assert_eq!(row["after"]["share"], "part_primary");
    assert_eq!(row["after"]["note"], "đính chính");
    // Filters are checked the same way in the API as on the page.
    let (s, rows) = central
        .get_json("/api/v1/audit?action=lineage&from=27/11/2000")
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(rows.as_array().unwrap().len(), 1);
    let (s, e) = central.get_json("/api/v1/audit?from=2026-13-01").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["error"].as_str().unwrap().contains("2026-13-01"));
    // The Điện Biên administrator's log does not show Đồng Tháp's changes.
    let (s, rows) = db_admin.get_json("/api/v1/audit?action=lineage").await;
    assert_eq!(s, StatusCode::OK);
    assert!(rows.as_array().unwrap().is_empty());
}
