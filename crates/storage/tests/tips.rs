//! Citizen information (issue 15) on both databases: routing past the
//! implicated unit (lists, counts, clusters, direct address), officers'
//! keys, the plaintext absent from the database file, its WAL and every
//! table, readings audited, the tipster's side, retention, transfer,
//! clusters of one scam number written three ways, and the figures.

use antq_core::auth::{NewPassword, Role, Username};
use antq_core::dates;
use antq_core::tips::receipt::Receipt;
use antq_core::tips::states::TipState;
use antq_core::tips::submission::{check_tip, NewTip};
use antq_core::units::UnitCode;
use antq_storage::accounts::access::Actor;
use antq_storage::accounts::users;
use antq_storage::audit::Who;
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::tips::handling::{self, OfficerWriting};
use antq_storage::tips::inbox::{self, TipFilter};
use antq_storage::tips::keys::{self, Recovery, Unlocked};
use antq_storage::tips::{categories, clusters, figures, receive, retention, tipster};
use antq_storage::{units, Db, StorageError};
use antq_vault::{Keyed, SecretKey};
use chrono::NaiveDate;

const PASSWORD: &str = "kiem-thu-tin-bao-2026";
const MARKER: &str = "MARKER-ZQX-7781 Nguyễn Văn Bí mật";
const MARKER_PHONE: &str = "0983771246";

/// Communes of today's Đồng Tháp (82): Cao Lãnh, Tháp Mười, Mỹ Tho; and
/// Mường Phăng in Điện Biên (11).
const C1: &str = "29869";
const C2: &str = "30037";
const C3: &str = "28261";
const ELSEWHERE: &str = "03325";

struct Officer {
    actor: Actor,
    secret: SecretKey,
}

struct World {
    db: Db,
    keyed: Keyed,
    today: NaiveDate,
    c1: Officer,
    c2: Officer,
    c3: Officer,
    province: Officer,
    elsewhere: Officer,
    front_c1: Actor,
    admin_province: Actor,
}

async fn unit_id(db: &Db, code: &str) -> i64 {
    units::get_at(db, &UnitCode::parse(code).unwrap(), dates::today())
        .await
        .unwrap()
        .id
}

async fn user(db: &Db, name: &str, role: Role, code: &str) -> Actor {
    let id = users::create(
        db,
        &Who::system(),
        users::NewUser {
            username: Username::parse(name).unwrap(),
            display_name: format!("Cán bộ {name}"),
            password: NewPassword::parse(PASSWORD).unwrap(),
            grants: vec![(role, unit_id(db, code).await)],
        },
    )
    .await
    .unwrap();
    users::actor(db, id).await.unwrap().unwrap()
}

async fn officer(db: &Db, name: &str, code: &str) -> Officer {
    let actor = user(db, name, Role::Police, code).await;
    let secret = ready(db, &actor, PASSWORD).await;
    Officer { actor, secret }
}

async fn ready(db: &Db, actor: &Actor, password: &str) -> SecretKey {
    match keys::unlock_or_create(db, &actor.who(), actor.user_id, password)
        .await
        .unwrap()
    {
        Unlocked::Ready(s) => s,
        Unlocked::Locked => panic!("the key of {} is locked", actor.username),
    }
}

async fn world(db: Db) -> World {
    categories::seed(&db).await.unwrap();
    World {
        keyed: Keyed::new([7; 32]),
        today: dates::today(),
        c1: officer(&db, "ca.c1", C1).await,
        c2: officer(&db, "ca.c2", C2).await,
        c3: officer(&db, "ca.c3", C3).await,
        province: officer(&db, "ca.tinh", "82").await,
        elsewhere: officer(&db, "ca.xakhac", ELSEWHERE).await,
        front_c1: user(&db, "mt.c1", Role::Front, C1).await,
        admin_province: user(&db, "qt.tinh", Role::Admin, "82").await,
        db,
    }
}

fn new_tip(category: &str, code: &str, text: &str) -> NewTip {
    let answers = match category {
        "lua_dao_mang" => vec![("cach_lien_lac".into(), "Điện thoại".into())],
        "ma_tuy" => vec![("hoat_dong".into(), "Mua bán".into())],
        "trom_cap" => vec![("tai_san".into(), "Tài sản".into())],
        "antt_khu_dan_cu" => vec![("van_de".into(), "Khác".into())],
        _ => vec![],
    };
    NewTip {
        category: category.into(),
        unit_code: code.into(),
        text: text.into(),
        answers,
        ..NewTip::default()
    }
}

impl World {
    async fn send(&self, tip: NewTip) -> (i64, Receipt) {
        let cat = categories::get(&self.db, &tip.category).await.unwrap();
        let place = unit_id(&self.db, &tip.unit_code).await;
        let concerns = tip.concerns_local_officers;
        let content = check_tip(&cat, tip, self.today).unwrap();
        let route = receive::route(&self.db, place, concerns).await.unwrap();
        receive::receive(&self.db, &self.keyed, &content, route, self.today)
            .await
            .unwrap()
    }

    async fn ids(&self, actor: &Actor) -> Vec<i64> {
        let f = TipFilter {
            limit: 200,
            ..TipFilter::default()
        };
        inbox::list(&self.db, actor, &f)
            .await
            .unwrap()
            .iter()
            .map(|t| t.id)
            .collect()
    }

    async fn total(&self, actor: &Actor) -> i64 {
        let counts = inbox::counts(&self.db, actor).await.unwrap();
        counts.iter().map(|(_, n)| n).sum()
    }
}

fn not_found<T: std::fmt::Debug>(r: Result<T, StorageError>) {
    match r {
        Err(StorageError::NotFound(_)) => {}
        other => panic!("expected NotFound, got {other:?}"),
    }
}

async fn routing(w: &World) {
    let ordinary = w
        .send(new_tip("ma_tuy", C1, "Có người bán ma túy ở đầu ngõ chợ"))
        .await
        .0;
    let mut local = new_tip(
        "khac",
        C1,
        "Cán bộ công an xã nhận tiền của quán karaoke để bỏ qua vi phạm",
    );
    local.concerns_local_officers = true;
    let local = w.send(local).await.0;
    let row: (i64, Option<i64>) =
        sqlx::query_as("SELECT unit_id, concerns_unit_id FROM tips WHERE id = $1")
            .bind(local)
            .fetch_one(w.db.pool())
            .await
            .unwrap();
    assert_eq!(
        row,
        (unit_id(&w.db, "82").await, Some(unit_id(&w.db, C1).await))
    );

    // The commune's police: its ordinary tip, nothing of the other.
    assert_eq!(w.ids(&w.c1.actor).await, vec![ordinary]);
    assert_eq!(w.total(&w.c1.actor).await, 1);
    not_found(inbox::visible(&w.db, &w.c1.actor, local).await);
    not_found(inbox::open(&w.db, &w.c1.actor, local, &w.c1.secret).await);
    let opened = inbox::open(&w.db, &w.c1.actor, ordinary, &w.c1.secret)
        .await
        .unwrap();
    assert!(opened.content.text.contains("ma túy"));

    // The province: both, and it opens the one about the commune's police.
    let p = w.ids(&w.province.actor).await;
    assert!(p.contains(&ordinary) && p.contains(&local), "{p:?}");
    let opened = inbox::open(&w.db, &w.province.actor, local, &w.province.secret)
        .await
        .unwrap();
    assert!(opened.tip.concerns_place);
    assert!(opened.content.text.contains("karaoke"));

    // Another commune, the Front, an administrator: nothing.
    for actor in [
        &w.c2.actor,
        &w.elsewhere.actor,
        &w.front_c1,
        &w.admin_province,
    ] {
        assert!(w.ids(actor).await.is_empty(), "{}", actor.username);
        assert_eq!(w.total(actor).await, 0, "{}", actor.username);
        not_found(inbox::visible(&w.db, actor, ordinary).await);
        not_found(inbox::visible(&w.db, actor, local).await);
    }
    not_found(inbox::open(&w.db, &w.c2.actor, ordinary, &w.c2.secret).await);

    // Readings audited and listed.
    let readings = inbox::readings(&w.db, local).await.unwrap();
    assert_eq!(readings.len(), 1);
    assert_eq!(readings[0].who, w.province.actor.username);
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'tip.read' AND entity_id = $1",
    )
    .bind(local.to_string())
    .fetch_one(w.db.pool())
    .await
    .unwrap();
    assert_eq!(n, 1);
}

async fn officer_keys(w: &World) {
    let db = &w.db;
    let who = w.c1.actor.who();
    let id = w.c1.actor.user_id;
    assert!(keys::has_key(db, id).await.unwrap());
    assert!(matches!(
        keys::unlock_or_create(db, &who, id, "mat-khau-khac-hẳn")
            .await
            .unwrap(),
        Unlocked::Locked
    ));
    let again = ready(db, &w.c1.actor, PASSWORD).await;
    assert_eq!(again.public_key(), w.c1.secret.public_key());

    // Recovery code: a new password, then the code opens the old key.
    let code = keys::new_recovery_code(db, &who, id, &again).await.unwrap();
    assert!(keys::has_recovery(db, id).await.unwrap());
    let parsed = antq_vault::RecoveryCode::parse(&code.display()).unwrap();
    let back = keys::recover(db, &who, id, Recovery::Code(parsed), "mat-khau-moi-2026")
        .await
        .unwrap();
    assert_eq!(back.public_key(), w.c1.secret.public_key());
    let opened = ready(db, &w.c1.actor, "mat-khau-moi-2026").await;
    assert_eq!(opened.public_key(), w.c1.secret.public_key());
    // And back to the first password, by the old one.
    keys::recover(
        db,
        &who,
        id,
        Recovery::OldPassword("mat-khau-moi-2026".into()),
        PASSWORD,
    )
    .await
    .unwrap();
    ready(db, &w.c1.actor, PASSWORD).await;

    // A tip that came before a new colleague had a key.
    let tip = w
        .send(new_tip(
            "trom_cap",
            C1,
            "Trộm xe máy ở bãi giữ xe chợ Cao Lãnh",
        ))
        .await
        .0;
    let late = user(db, "ca.c1.moi", Role::Police, C1).await;
    let secret = ready(db, &late, PASSWORD).await;
    match inbox::open(db, &late, tip, &secret).await {
        Err(StorageError::Conflict(_)) => {}
        other => panic!("a tip from before the key: {other:?}"),
    }
    inbox::open(db, &w.c1.actor, tip, &w.c1.secret)
        .await
        .unwrap();
    let opened = inbox::open(db, &late, tip, &secret).await.unwrap();
    assert!(opened.content.text.contains("Trộm xe máy"));
}

async fn main_story(db: Db, store: plaintext::Store) {
    let w = world(db).await;
    routing(&w).await;
    officer_keys(&w).await;
    plaintext::never_stored(&w, store).await;
    later::tipster_side(&w).await;
    later::retention_sweep(&w).await;
    later::transfer(&w).await;
    later::clusters_of_one_number(&w).await;
    later::figures_counted(&w).await;
    attachments::sealed_listed_opened(&w).await;
}

#[tokio::test]
async fn tips_on_sqlite() {
    let t = TestDb::sqlite();
    let file = t.url.trim_start_matches("sqlite://").to_string();
    main_story(t.ready().await, plaintext::Store::SqliteFile(file)).await;
}

#[tokio::test]
async fn tips_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!(
            "skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL story did not run"
        );
        return;
    };
    let t = TestDb::postgres(&server).await;
    let url = t.url.clone();
    main_story(t.ready().await, plaintext::Store::Postgres(url)).await;
}

#[path = "tips/attachments.rs"]
mod attachments;
#[path = "tips/demo.rs"]
mod demo_tips;
#[path = "tips/later.rs"]
mod later;
#[path = "tips/plaintext.rs"]
mod plaintext;

#[tokio::test]
async fn demo_tips_on_sqlite() {
    let t = TestDb::sqlite();
    demo_tips::story(t.ready().await).await;
}

#[tokio::test]
async fn demo_tips_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL demo did not run");
        return;
    };
    let t = TestDb::postgres(&server).await;
    demo_tips::story(t.ready().await).await;
}

/// A proof-of-work challenge is spent once in the database, whichever
/// node (here: two pools on one database) spends it; expired ones go.
async fn challenges_spent_once(url: &str) {
    use antq_storage::tips::challenges::spend;
    let a = Db::connect(url).await.unwrap();
    let b = Db::connect(url).await.unwrap();
    assert!(spend(&a, "v1.2000.18.aa.bb", 2_000, 1_000).await.unwrap());
    assert!(!spend(&b, "v1.2000.18.aa.bb", 2_000, 1_000).await.unwrap());
    assert!(spend(&b, "v1.2000.18.aa.cc", 2_000, 1_000).await.unwrap());
    // Once expired, its row is deleted by the next spend.
    assert!(spend(&a, "v1.9000.18.dd.ee", 9_000, 2_001).await.unwrap());
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM used_challenges")
        .fetch_one(a.pool())
        .await
        .unwrap();
    assert_eq!(left, 1);
    a.close().await;
    b.close().await;
}

#[tokio::test]
async fn challenges_on_sqlite() {
    let t = TestDb::sqlite();
    t.ready().await.close().await;
    challenges_spent_once(&t.url).await;
}

#[tokio::test]
async fn challenges_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL challenges test did not run");
        return;
    };
    let t = TestDb::postgres(&server).await;
    t.ready().await.close().await;
    challenges_spent_once(&t.url).await;
}
