//! The demo's citizen information: a scam number reported from five
//! communes of both provinces as one cluster, the tip about Mường Phăng's
//! own police at the province only, the tipster conversation, and a
//! second load that adds nothing.

use antq_core::tips::identifiers::{mask, normalize, IdentifierKind};
use antq_storage::demo::{self, tips::DEMO_TIPS};

use super::*;

const DEMO_PASSWORD: &str = "demo-tin-bao-2026";

async fn demo_actor(db: &Db, name: &str) -> Officer {
    let id = users::find_by_username(db, name).await.unwrap().unwrap();
    let actor = users::actor(db, id).await.unwrap().unwrap();
    let secret = ready(db, &actor, DEMO_PASSWORD).await;
    Officer { actor, secret }
}

pub async fn story(db: Db) {
    let keyed = Keyed::new([9; 32]);
    let started = std::time::Instant::now();
    let loaded = demo::load(&db, Some(DEMO_PASSWORD)).await.unwrap();
    assert!(loaded.tips.is_none(), "no secret, no tips");
    let world = started.elapsed();
    let tips = demo::tips::load(&db, &keyed, DEMO_PASSWORD)
        .await
        .unwrap()
        .expect("the first load makes the tips");
    eprintln!(
        "demo load: world {world:?}, tips {:?}",
        started.elapsed() - world
    );
    assert_eq!(tips.tips, DEMO_TIPS + 7);

    let province = demo_actor(&db, "ca.dienbien").await;
    let dong_thap = demo_actor(&db, "ca.dongthap").await;
    let commune = demo_actor(&db, "ca.muongphang").await;
    let display = mask(&normalize(IdentifierKind::Phone, "0868123457").unwrap());
    for (who, here) in [(&province, 2), (&dong_thap, 3), (&commune, 1)] {
        let seen: Vec<_> = clusters::clusters(&db, &who.actor, None, 2, 500)
            .await
            .unwrap()
            .into_iter()
            .filter(|c| c.display == display)
            .collect();
        assert_eq!(seen.len(), 1, "{}", who.actor.username);
        let c = &seen[0];
        assert_eq!((c.tips, c.tips_here, c.units, c.provinces), (5, here, 5, 2));
    }

    let f = TipFilter {
        limit: 200,
        ..TipFilter::default()
    };
    let above: Vec<_> = inbox::list(&db, &province.actor, &f)
        .await
        .unwrap()
        .into_iter()
        .filter(|t| t.concerns_place)
        .collect();
    assert_eq!(above.len(), 1);
    assert_eq!(above[0].place_unit, "Xã Mường Phăng");
    let opened = inbox::open(&db, &province.actor, above[0].id, &province.secret)
        .await
        .unwrap();
    assert!(opened.content.text.contains("đánh bạc"));
    not_found(inbox::visible(&db, &commune.actor, above[0].id).await);
    let own = inbox::list(&db, &commune.actor, &f).await.unwrap();
    assert!(!own.is_empty() && own.iter().all(|t| !t.concerns_place));

    let receipt = Receipt::parse(&tips.conversation_receipt).unwrap();
    let (id, key) = tipster::open_with_receipt(&db, &keyed, &receipt)
        .await
        .unwrap()
        .unwrap();
    let view = tipster::view(&db, id, &key).await.unwrap();
    let kinds: Vec<(&str, &str)> = view
        .messages
        .iter()
        .map(|m| (m.author.as_str(), m.kind.as_str()))
        .collect();
    assert_eq!(kinds, [("officer", "question"), ("tipster", "message")]);

    let p = unit_id(&db, "82").await;
    let year_ago = dates::today() - chrono::Days::new(366);
    let (all, valuable) = figures::counts(&db, p, year_ago, dates::today())
        .await
        .unwrap();
    assert!(
        all > 100 && valuable > 10 && valuable < all,
        "{all} {valuable}"
    );

    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tips")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let again = demo::load_with_tips(&db, Some(DEMO_PASSWORD), Some(&keyed))
        .await
        .unwrap();
    assert!(again.tips.is_none());
    let m: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tips")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(n, m);
}
