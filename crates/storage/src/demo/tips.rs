//! The demo's citizen information: the default categories, a key for each
//! demo police officer (sealed by the demo password), and a few hundred
//! tips in the communes of Điện Biên and Đồng Tháp over the past year —
//! every category, states spread (some valuable, some closed), one scam
//! phone number reported from several communes written in different ways,
//! one tip about a commune's own police routed to the province, and one
//! conversation with a tipster (the officer's question, the answer).
//!
//! Loaded once; loaded again only when the demo password changed (the
//! officers' keys, sealed by the old password, are then made anew, and the
//! demo's tips with them, since nobody could read the old ones).

use antq_core::auth::Role;
use antq_core::tips::receipt::Receipt;
use antq_core::tips::states::{destroy_on, TipState};
use antq_core::tips::submission::{check_tip, NewTip};
use antq_core::units::UnitCode;
use antq_vault::Keyed;
use chrono::{Days, NaiveDate};

use crate::accounts::access::Actor;
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::tips::handling::{self, OfficerWriting};
use crate::tips::keys::{self, Unlocked};
use crate::tips::{categories, receive, tipster};
use crate::{accounts::users, audit::Who, units};

/// How many ordinary tips the demo makes (besides the special ones).
pub const DEMO_TIPS: usize = 240;

/// The scam phone number reported from several communes, as each tipster
/// wrote it: (commune code, as written).
pub const SCAM_PHONE: &[(&str, &str)] = &[
    ("29869", "0868 123 457"),
    ("30037", "+84868123457"),
    ("28261", "84-868-123-457"),
    ("03325", "0868.123.457"),
    ("03127", "(0868) 123457"),
];

/// The commune whose own police a demo tip concerns (Mường Phăng): the
/// tip goes to the police of Điện Biên province.
pub const CONCERNS_COMMUNE: &str = "03325";

/// What the demo's tips are.
#[derive(Debug, Clone)]
pub struct DemoTips {
    pub tips: usize,
    /// The receipt of the tip with a conversation (ca.caolanh asked, the
    /// tipster answered), to try the tipster's side.
    pub conversation_receipt: String,
}

/// Seed the categories, the officers' keys and the demo's tips (see the
/// module documentation). `None` when they were loaded before.
pub async fn load(db: &Db, keyed: &Keyed, password: &str) -> StorageResult<Option<DemoTips>> {
    categories::seed(db).await?;
    let rekeyed = officer_keys(db, password).await?;
    let any: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tips")
        .fetch_one(db.pool())
        .await?;
    if any > 0 && !rekeyed {
        return Ok(None);
    }
    if any > 0 {
        remove_demo_tips(db).await?;
    }
    let today = antq_core::dates::today();
    let communes = communes(db).await?;
    let mut n = 0;
    for i in 0..DEMO_TIPS {
        let code = &communes[(i * 7 + i / communes.len()) % communes.len()];
        let (tip, day) = ordinary(i, code, today);
        let id = send_unreceipted(db, keyed, tip, day).await?;
        triage(db, id, i, day, today).await?;
        n += 1;
    }
    for (i, (code, phone)) in SCAM_PHONE.iter().enumerate() {
        let day = today - Days::new(40 - 8 * i as u64);
        send_unreceipted(db, keyed, scam_report(code, phone), day).await?;
        n += 1;
    }
    send(db, keyed, about_local_police(), today - Days::new(3)).await?;
    let receipt = conversation(db, keyed, password, today).await?;
    Ok(Some(DemoTips {
        tips: n + 2,
        conversation_receipt: receipt.grouped(),
    }))
}

/// Open (or make) each demo police officer's key with the demo password;
/// true when a key had to be made anew over one sealed by another password.
async fn officer_keys(db: &Db, password: &str) -> StorageResult<bool> {
    let mut rekeyed = false;
    for (username, _, role, _) in crate::demo::DEMO_USERS {
        if *role != Role::Police {
            continue;
        }
        let Some(id) = users::find_by_username(db, username).await? else {
            continue;
        };
        let who = Who::system();
        if let Unlocked::Locked = keys::unlock_or_create(db, &who, id, password).await? {
            keys::store_new_key(db, &who, id, password, "officer_key.demo").await?;
            rekeyed = true;
        }
    }
    Ok(rekeyed)
}

/// Remove the demo's tips (in its two provinces) with everything sealed
/// under their keys.
async fn remove_demo_tips(db: &Db) -> StorageResult<()> {
    let mut ids = Vec::new();
    for code in ["11", "82"] {
        let p = units::get_at(db, &UnitCode::parse(code)?, antq_core::dates::today()).await?;
        let some: Vec<i64> = sqlx::query_scalar(
            "SELECT t.id FROM tips t JOIN unit_scope s ON s.descendant_id = t.place_unit_id \
             WHERE s.ancestor_id = $1",
        )
        .bind(p.id)
        .fetch_all(db.pool())
        .await?;
        ids.extend(some);
    }
    let list = crate::db::id_list(&ids);
    let ids = &list;
    db.write_unaudited(|mut tx| async move {
        for table in [
            "tip_keys",
            "tip_escrow_keys",
            "tip_attachments",
            "tip_identifiers",
            "tip_messages",
        ] {
            sqlx::query(&format!("DELETE FROM {table} WHERE tip_id IN ({ids})"))
                .execute(tx.conn())
                .await?;
        }
        sqlx::query(&format!("DELETE FROM tips WHERE id IN ({ids})"))
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Today's communes of the demo's provinces: the demo officers' own four
/// first (they get more tips), then a dozen more of each province.
async fn communes(db: &Db) -> StorageResult<Vec<String>> {
    let mut out: Vec<String> = ["29869", "30037", "03325", "03127", "28261"]
        .iter()
        .map(|c| c.to_string())
        .collect();
    for code in ["11", "82"] {
        let p = units::get_at(db, &UnitCode::parse(code)?, antq_core::dates::today()).await?;
        let more: Vec<String> = sqlx::query_scalar(
            "SELECT u.code FROM units u JOIN unit_scope s ON s.descendant_id = u.id \
             WHERE s.ancestor_id = $1 AND u.level = 'commune' AND u.valid_to IS NULL \
             ORDER BY u.code LIMIT 12",
        )
        .bind(p.id)
        .fetch_all(db.pool())
        .await?;
        out.extend(
            more.into_iter()
                .filter(|c| !out.contains(c))
                .collect::<Vec<_>>(),
        );
    }
    Ok(out)
}

/// Check, route and store a tip as the public form would.
async fn send(
    db: &Db,
    keyed: &Keyed,
    tip: NewTip,
    day: NaiveDate,
) -> StorageResult<(i64, Receipt)> {
    let cat = categories::get(db, &tip.category).await?;
    let unit = units::get_at(db, &UnitCode::parse(&tip.unit_code)?, day).await?;
    let concerns = tip.concerns_local_officers;
    let content = check_tip(&cat, tip, day)?;
    let route = receive::route(db, unit.id, concerns).await?;
    receive::receive(db, keyed, &content, route, day).await
}

/// [`send`] for a tip whose receipt nobody will use (no tipster's copy
/// of its key: the demo loads in seconds, not minutes).
async fn send_unreceipted(
    db: &Db,
    keyed: &Keyed,
    tip: NewTip,
    day: NaiveDate,
) -> StorageResult<i64> {
    let cat = categories::get(db, &tip.category).await?;
    let unit = units::get_at(db, &UnitCode::parse(&tip.unit_code)?, day).await?;
    let concerns = tip.concerns_local_officers;
    let content = check_tip(&cat, tip, day)?;
    let route = receive::route(db, unit.id, concerns).await?;
    receive::receive_unreceipted(db, keyed, &content, route, day).await
}

/// Move a demo tip along its triage, by its number: most recent ones new,
/// older ones being verified, judged (valuable or not) or closed.
async fn triage(
    db: &Db,
    id: i64,
    i: usize,
    received: NaiveDate,
    today: NaiveDate,
) -> StorageResult<()> {
    if (today - received).num_days() < 10 {
        return Ok(());
    }
    let (state, valued) = match i % 10 {
        0..=2 | 9 => return Ok(()),
        3 | 4 => (TipState::Verifying, false),
        5 | 6 => (TipState::Valuable, true),
        7 => (TipState::NotValuable, false),
        _ => (TipState::Closed, true),
    };
    let closed = state
        .is_closed()
        .then(|| (received + Days::new(7)).min(today));
    let retention = categories::get(db, &category_of(i)).await?.retention_days;
    let (closed_on, destroy) = match closed {
        Some(c) => (
            Some(c.to_string()),
            Some(destroy_on(c, retention).to_string()),
        ),
        None => (None, None),
    };
    let (closed_on, destroy) = (&closed_on, &destroy);
    db.write_unaudited(|mut tx| async move {
        sqlx::query(
            "UPDATE tips SET state = $1, valued = $2, closed_on = $3, destroy_on = $4 WHERE id = $5",
        )
        .bind(state.as_str())
        .bind(i64::from(valued))
        .bind(closed_on)
        .bind(destroy)
        .bind(id)
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// One tip with an officer's question and the tipster's answer.
async fn conversation(
    db: &Db,
    keyed: &Keyed,
    password: &str,
    today: NaiveDate,
) -> StorageResult<Receipt> {
    let mut tip = base("ma_tuy", "29869");
    tip.text = "Tối nào cũng có vài thanh niên lạ tụ tập ở căn nhà cuối hẻm, \
        có người ra vào liên tục, nghi mua bán ma túy."
        .into();
    tip.answers = vec![
        ("hoat_dong".into(), "Mua bán".into()),
        ("tan_suat".into(), "Thường xuyên".into()),
    ];
    tip.area = Some("Khóm 2".into());
    let (id, receipt) = send(db, keyed, tip, today - Days::new(5)).await?;
    let officer = actor(db, "ca.caolanh").await?;
    let secret = match keys::unlock_or_create(db, &officer.who(), officer.user_id, password).await?
    {
        Unlocked::Ready(s) => s,
        Unlocked::Locked => return Err(StorageError::Conflict(
            "Khóa đọc tin báo của cán bộ Công an phường Cao Lãnh không mở được bằng mật khẩu mẫu"
                .into(),
        )),
    };
    handling::write(
        db,
        &officer,
        id,
        &secret,
        OfficerWriting::Question,
        "Cảm ơn bạn đã báo tin. Bạn có nhớ biển số xe máy của những người hay đến căn nhà đó không?",
    )
    .await?;
    let (tid, key) = tipster::open_with_receipt(db, keyed, &receipt)
        .await?
        .ok_or_else(|| StorageError::not_found("tin báo của cuộc trao đổi mẫu"))?;
    tipster::add(
        db,
        tid,
        &key,
        "Tôi thấy một xe Wave màu đỏ, biển số có đuôi 123.45, thường đến khoảng 22 giờ.",
    )
    .await?;
    Ok(receipt)
}

async fn actor(db: &Db, username: &str) -> StorageResult<Actor> {
    let id = users::find_by_username(db, username)
        .await?
        .ok_or_else(|| StorageError::not_found(format!("người dùng {username}")))?;
    users::actor(db, id)
        .await?
        .ok_or_else(|| StorageError::not_found(format!("người dùng {username}")))
}

#[path = "tips_content.rs"]
mod content;
use content::{about_local_police, base, category_of, ordinary, scam_report};
