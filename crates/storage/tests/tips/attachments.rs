//! Pictures with a tip and with a tipster's later message: sealed (their
//! bytes nowhere in the tables), listed without content, opened only by an
//! officer who may handle the tip (each opening audited), bounded.

use antq_storage::tips::attachments::{self, Attachment};

use super::*;

fn picture(tag: &str) -> Attachment {
    let mut bytes = b"\xFF\xD8\xFF\xE0PICTURE-".to_vec();
    bytes.extend_from_slice(tag.as_bytes());
    Attachment {
        media_type: "image/jpeg".into(),
        bytes,
    }
}

pub async fn sealed_listed_opened(w: &World) {
    let db = &w.db;
    let cat = categories::get(db, "trom_cap").await.unwrap();
    let tip = new_tip(
        "trom_cap",
        C1,
        "Kẻ gian lấy xe máy trước chợ, có ảnh kèm theo",
    );
    let content = check_tip(&cat, tip, w.today).unwrap();
    let route = receive::route(db, unit_id(db, C1).await, false)
        .await
        .unwrap();
    let (id, receipt) = receive::receive_with(
        db,
        &w.keyed,
        &content,
        route,
        w.today,
        &[picture("ONE-7781"), picture("TWO-7781")],
    )
    .await
    .unwrap();
    // The tipster adds one more with a message.
    let (tip_id, key) = tipster::open_with_receipt(db, &w.keyed, &receipt)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(tip_id, id);
    tipster::add_with(
        db,
        id,
        &key,
        "Thêm một ảnh biển số xe",
        &[picture("THREE-7781")],
    )
    .await
    .unwrap();
    // Sealed: no table holds the picture's bytes.
    let raw: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT body FROM tip_attachments WHERE tip_id = $1")
            .bind(id)
            .fetch_all(db.pool())
            .await
            .unwrap();
    assert_eq!(raw.len(), 3);
    for body in &raw {
        assert!(!body.windows(7).any(|w| w == b"PICTURE"), "stored in clear");
    }
    // Listed with the tip; the third one belongs to the tipster's message.
    let open = inbox::open(db, &w.c1.actor, id, &w.c1.secret)
        .await
        .unwrap();
    assert_eq!(open.attachments.len(), 3);
    assert!(open.attachments[2].message_id.is_some());
    assert!(open.attachments[0].message_id.is_none());
    let first = attachments::open(db, &w.c1.actor, id, open.attachments[0].id, &w.c1.secret)
        .await
        .unwrap();
    assert_eq!(first.media_type, "image/jpeg");
    assert_eq!(first.bytes, picture("ONE-7781").bytes);
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'tip.attachment' AND entity_id = $1",
    )
    .bind(id.to_string())
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(audited, 1);
    // Another commune's officer: not found, as for the tip.
    not_found(attachments::open(db, &w.c2.actor, id, open.attachments[0].id, &w.c2.secret).await);
    // Bounded: six at once, or one over 5 MB, are refused before anything is written.
    let six: Vec<Attachment> = (0..6).map(|i| picture(&i.to_string())).collect();
    let content = check_tip(
        &cat,
        new_tip("trom_cap", C1, "Một tin khác với quá nhiều ảnh kèm theo"),
        w.today,
    )
    .unwrap();
    let err = receive::receive_with(db, &w.keyed, &content, route, w.today, &six)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("tối đa 5 ảnh"), "{err}");
    let big = Attachment {
        media_type: "image/png".into(),
        bytes: vec![0; attachments::MAX_BYTES + 1],
    };
    let err = tipster::add_with(db, id, &key, "Ảnh lớn", &[big])
        .await
        .unwrap_err();
    assert!(err.to_string().contains("MB"), "{err}");
}
