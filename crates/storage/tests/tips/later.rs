//! The tipster's side, retention, transfer, clusters and figures.

use antq_core::tips::identifiers::{mask, normalize, IdentifierKind};

use super::*;

async fn count(db: &Db, sql: &str, id: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

async fn destroy_on(db: &Db, id: i64) -> Option<String> {
    sqlx::query_scalar("SELECT destroy_on FROM tips WHERE id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

pub async fn tipster_side(w: &World) {
    let db = &w.db;
    let (id, receipt) = w
        .send(new_tip("trom_cap", C2, "Mất trộm con bò ở ấp 2 đêm qua"))
        .await;
    assert!(
        tipster::open_with_receipt(db, &w.keyed, &Receipt::generate())
            .await
            .unwrap()
            .is_none()
    );
    let (tid, key) = tipster::open_with_receipt(db, &w.keyed, &receipt)
        .await
        .unwrap()
        .expect("the receipt opens the tip");
    assert_eq!(tid, id);
    let s = &w.c2.secret;
    for (kind, text) in [
        (OfficerWriting::Reply, "Cảm ơn bạn đã báo tin"),
        (OfficerWriting::Question, "Con bò màu gì?"),
        (OfficerWriting::Note, "Nội bộ: nghi đối tượng ấp bên"),
    ] {
        handling::write(db, &w.c2.actor, id, s, kind, text)
            .await
            .unwrap();
    }
    let view = tipster::view(db, id, &key).await.unwrap();
    let texts: Vec<&str> = view.messages.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["Cảm ơn bạn đã báo tin", "Con bò màu gì?"]);
    assert!(
        view.messages.iter().all(|m| m.officer.is_none()),
        "no names"
    );
    assert!(view.open);
    assert!(view.content.text.contains("con bò"));

    // Closed, then the tipster answers: destruction postponed.
    handling::set_state(db, &w.c2.actor, id, TipState::NotValuable, None)
        .await
        .unwrap();
    assert!(destroy_on(db, id).await.is_some());
    sqlx::query("UPDATE tips SET destroy_on = '2000-01-01' WHERE id = $1")
        .bind(id)
        .execute(db.pool())
        .await
        .unwrap();
    tipster::add(db, id, &key, "Con bò màu vàng, có sẹo ở chân trái")
        .await
        .unwrap();
    let later = destroy_on(db, id).await.unwrap();
    assert!(later > w.today.to_string(), "postponed to {later}");
    let opened = inbox::open(db, &w.c2.actor, id, s).await.unwrap();
    let last = opened.messages.last().unwrap();
    assert_eq!(
        (last.author.as_str(), last.text.as_str()),
        ("tipster", "Con bò màu vàng, có sẹo ở chân trái")
    );
    assert!(opened.messages.iter().any(|m| m.kind == "note"));
}

pub async fn retention_sweep(w: &World) {
    let db = &w.db;
    let mut scam = new_tip(
        "lua_dao_mang",
        C3,
        "Bị gọi điện giả danh công an đòi chuyển tiền",
    );
    scam.identifiers = vec![("phone".into(), "0966 111 222".into())];
    let (gone, receipt) = w.send(scam).await;
    let (held, _) = w
        .send(new_tip("khac", C3, "Đường làng tối, đề nghị lắp đèn"))
        .await;
    let s = &w.c3.secret;
    handling::write(
        db,
        &w.c3.actor,
        gone,
        s,
        OfficerWriting::Reply,
        "Đã nhận tin",
    )
    .await
    .unwrap();
    for id in [gone, held] {
        handling::set_state(db, &w.c3.actor, id, TipState::NotValuable, None)
            .await
            .unwrap();
        sqlx::query("UPDATE tips SET destroy_on = '2000-01-01' WHERE id = $1")
            .bind(id)
            .execute(db.pool())
            .await
            .unwrap();
    }
    handling::hold(db, &w.c3.actor, held, true).await.unwrap();
    assert_eq!(retention::sweep(db, w.today).await.unwrap(), 1);

    let (content, key, destroyed): (Option<Vec<u8>>, Option<Vec<u8>>, Option<String>) =
        sqlx::query_as("SELECT content, tipster_key, destroyed_on FROM tips WHERE id = $1")
            .bind(gone)
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert!(content.is_none() && key.is_none());
    assert_eq!(destroyed, Some(w.today.to_string()));
    for table in ["tip_keys", "tip_messages", "tip_identifiers"] {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE tip_id = $1");
        assert_eq!(count(db, &sql, gone).await, 0, "{table}");
    }
    assert!(count(db, "SELECT COUNT(*) FROM tip_keys WHERE tip_id = $1", held).await > 0);
    let audited = count(
        db,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'tip.destroy' AND entity_id = CAST($1 AS TEXT)",
        gone,
    )
    .await;
    assert_eq!(audited, 1);
    not_found(inbox::visible(db, &w.c3.actor, gone).await);
    assert!(tipster::open_with_receipt(db, &w.keyed, &receipt)
        .await
        .unwrap()
        .is_none());
    let still = inbox::open(db, &w.c3.actor, held, s).await.unwrap();
    assert!(still.tip.legal_hold);
}

pub async fn transfer(w: &World) {
    let db = &w.db;
    let (id, _) = w
        .send(new_tip(
            "ma_tuy",
            C1,
            "Nhóm thanh niên tụ tập sử dụng ma túy ở nhà hoang",
        ))
        .await;
    let c2 = unit_id(db, C2).await;
    not_found(inbox::visible(db, &w.c2.actor, id).await);
    handling::transfer(db, &w.c1.actor, id, &w.c1.secret, c2, None)
        .await
        .unwrap();
    let opened = inbox::open(db, &w.c2.actor, id, &w.c2.secret)
        .await
        .unwrap();
    assert_eq!((opened.tip.unit_id, opened.tip.state), (c2, TipState::New));
    not_found(inbox::visible(db, &w.c1.actor, id).await);
    let sql = "SELECT user_id FROM tip_keys WHERE tip_id = $1 ORDER BY user_id";
    let holders: Vec<i64> = sqlx::query_scalar(sql)
        .bind(id)
        .fetch_all(db.pool())
        .await
        .unwrap();
    let mut expected = vec![w.c2.actor.user_id, w.province.actor.user_id];
    expected.sort();
    assert_eq!(holders, expected, "the unit it left keeps no key");

    // Never back to the unit a tip implicates.
    let mut local = new_tip("khac", C1, "Cán bộ công an xã bao che cho sòng bạc");
    local.concerns_local_officers = true;
    let (local, _) = w.send(local).await;
    let c1 = unit_id(db, C1).await;
    let p = &w.province;
    match handling::transfer(db, &p.actor, local, &p.secret, c1, None).await {
        Err(StorageError::Invalid(_)) => {}
        other => panic!("transfer to the implicated unit: {other:?}"),
    }
    not_found(inbox::visible(db, &w.c1.actor, local).await);
    let c1_wraps: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM tip_keys WHERE tip_id = $1 AND user_id = $2")
            .bind(local)
            .bind(w.c1.actor.user_id)
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert_eq!(c1_wraps, 0, "no key for the implicated unit's officer");
}

fn masked(phone: &str) -> String {
    mask(&normalize(IdentifierKind::Phone, phone).unwrap())
}

async fn scam(w: &World, code: &str, phone: &str, local: bool) {
    let mut tip = new_tip(
        "lua_dao_mang",
        code,
        "Gọi điện mời đầu tư tiền ảo rồi chiếm đoạt",
    );
    tip.identifiers = vec![("phone".into(), phone.into())];
    tip.concerns_local_officers = local;
    w.send(tip).await;
}

async fn find(w: &World, actor: &Actor, display: &str) -> Vec<clusters::Cluster> {
    clusters::clusters(&w.db, actor, None, 1, 500)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.display == display)
        .collect()
}

pub async fn clusters_of_one_number(w: &World) {
    for (code, phone) in [
        (C1, "0912 345 678"),
        (C2, "+84912345678"),
        (C3, "84-912-345-678"),
    ] {
        scam(w, code, phone, false).await;
    }
    let display = masked("0912345678");
    assert!(
        !display.contains("345") && display.ends_with("678"),
        "{display}"
    );
    let seen = find(w, &w.province.actor, &display).await;
    assert_eq!(seen.len(), 1, "{seen:?}");
    let c = &seen[0];
    assert_eq!((c.tips, c.tips_here, c.units, c.provinces), (3, 3, 3, 1));
    assert_eq!(c.kind, IdentifierKind::Phone);
    let here = find(w, &w.c1.actor, &display).await;
    assert_eq!(here.len(), 1);
    assert_eq!((here[0].tips, here[0].tips_here), (3, 1));
    assert!(find(w, &w.elsewhere.actor, &display).await.is_empty());
    assert!(find(w, &w.front_c1, &display).await.is_empty());

    // A number in a tip about the commune's police counts only above it.
    scam(w, C1, "0977 000 111", false).await;
    scam(w, C1, "0977 000 111", true).await;
    let other = masked("0977000111");
    let here = find(w, &w.c1.actor, &other).await;
    assert_eq!((here[0].tips, here[0].tips_here), (1, 1));
    let above = find(w, &w.province.actor, &other).await;
    assert_eq!(
        (above[0].tips, above[0].tips_here, above[0].units),
        (2, 2, 1)
    );
}

pub async fn figures_counted(w: &World) {
    let db = &w.db;
    let (p, c2) = (unit_id(db, "82").await, unit_id(db, C2).await);
    let before = figures::counts(db, p, w.today, w.today).await.unwrap();
    let before_c2 = figures::counts(db, c2, w.today, w.today).await.unwrap();
    let (a, _) = w
        .send(new_tip("khac", C2, "Có người lạ thuê trọ không khai báo"))
        .await;
    w.send(new_tip("khac", C2, "Tiếng ồn karaoke quá khuya mỗi tối"))
        .await;
    handling::set_state(db, &w.c2.actor, a, TipState::Valuable, None)
        .await
        .unwrap();
    let after = figures::counts(db, p, w.today, w.today).await.unwrap();
    assert_eq!((after.0 - before.0, after.1 - before.1), (2, 1));
    // Closed after it was found valuable: still a valuable source.
    handling::set_state(db, &w.c2.actor, a, TipState::Closed, None)
        .await
        .unwrap();
    let closed = figures::counts(db, p, w.today, w.today).await.unwrap();
    assert_eq!(closed, after);
    let after_c2 = figures::counts(db, c2, w.today, w.today).await.unwrap();
    assert_eq!((after_c2.0 - before_c2.0, after_c2.1 - before_c2.1), (2, 1));
    let yesterday = w.today.pred_opt().unwrap();
    assert_eq!(
        figures::counts(db, p, yesterday, yesterday).await.unwrap(),
        (0, 0)
    );
    channel_beside_the_report(w, c2).await;
}

/// A commune's reported `nguon_tin` stays its figure; the tips of the
/// channel in the same reporting year stand beside it.
async fn channel_beside_the_report(w: &World, c2: i64) {
    use antq_core::indicators::Qualifier;
    use antq_core::periods::{Calendar, Period, PeriodType, YearRange};
    use antq_storage::statistics::analytics::{self, MapMode};
    use antq_storage::statistics::catalogue;
    use antq_storage::statistics::reports::{self, ValueInput};
    let db = &w.db;
    let year = Period::containing(w.today, PeriodType::Year, Calendar::Reporting).unwrap();
    let (from, to) = year.dates(Calendar::Reporting).unwrap();
    let (all, valuable) = figures::counts(db, c2, from, to).await.unwrap();
    assert!(all >= 2 && valuable >= 1, "{all} {valuable}");
    let commune = units::get_at(db, &UnitCode::parse(C2).unwrap(), w.today)
        .await
        .unwrap();
    assert_eq!(commune.id, c2);
    let form = catalogue::form(db, "antq-nam").await.unwrap();
    let reported = |code: &str, n: i64| ValueInput {
        indicator: code.into(),
        option: String::new(),
        value: Some((n * 1000, Qualifier::Exact, None)),
    };
    reports::put_values(
        db,
        &Who::system(),
        &form,
        &commune,
        &year.code(),
        vec![reported("nguon_tin", 40), reported("nguon_tin_gia_tri", 0)],
    )
    .await
    .unwrap();
    let cat = catalogue::indicators(db).await.unwrap();
    let codes = ["nguon_tin".to_string(), "nguon_tin_gia_tri".to_string()];
    let inds = catalogue::indicators_by_code(db, &codes).await.unwrap();
    let q = analytics::Query {
        indicators: &inds,
        catalogue: &cat,
        unit: &commune,
        range: YearRange {
            from: year.year,
            to: year.year,
        },
        by: None,
        map: MapMode::Historical,
        approved_only: false,
    };
    let rows = analytics::run(db, &q).await.unwrap();
    let row = |code: &str| rows.iter().find(|r| r.indicator == code).unwrap().clone();
    let (n, v) = (row("nguon_tin"), row("nguon_tin_gia_tri"));
    assert_eq!((n.value, n.channel_value), (Some(40.0), Some(all as f64)));
    assert_eq!(
        (v.value, v.channel_value),
        (Some(0.0), Some(valuable as f64))
    );
    // Years before the channel's first tip say nothing of it.
    let before = analytics::Query {
        range: YearRange {
            from: year.year - 3,
            to: year.year - 3,
        },
        ..q
    };
    assert!(analytics::run(db, &before)
        .await
        .unwrap()
        .iter()
        .all(|r| r.channel_value.is_none()));
}
