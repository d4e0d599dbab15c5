//! "Gửi ban biên tập" in storage, on SQLite always and on PostgreSQL when
//! `ANTQ_TEST_DATABASE_URL` names a server: a message kept as typed with
//! the day only, the inbox by state and scope (editors of the unit or
//! above; others refused), every editor's act audited, and a message
//! turned into an article draft once.

use antq_core::auth::Role;
use antq_core::dates;
use antq_core::units::UnitCode;
use antq_storage::accounts::access::{Actor, Grant};
use antq_storage::portal::messages::{self, Attachment, Kind, NewMessage, State};
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::{units, Db, StorageError};

async fn unit(db: &Db, code: &str) -> units::Unit {
    units::get_at(db, &UnitCode::parse(code).unwrap(), dates::today())
        .await
        .unwrap()
}

fn actor(name: &str, role: Role, u: &units::Unit) -> Actor {
    Actor {
        user_id: 1,
        username: name.into(),
        display_name: name.into(),
        grants: vec![Grant {
            id: 0,
            role,
            unit_id: u.id,
            unit_code: u.code.clone(),
            unit_name: u.name.clone(),
            unit_level: u.level,
            unit_valid_from: None,
            unit_valid_to: None,
        }],
    }
}

fn message(unit_id: i64, subject: &str) -> NewMessage {
    NewMessage {
        unit_id,
        kind: Kind::Correction,
        name: "  Lò Văn Thành ".into(),
        contact: "0912 000 111".into(),
        subject: subject.into(),
        // NFD on the way in: kept as NFC.
        body: "Bài viết ghi nhầm số tổ chức quần chúng: 4.378 chứ không phải 4.387.".into(),
        attachment: Some(Attachment {
            name: "tep-dinh-kem.pdf".into(),
            media_type: "application/pdf".into(),
            bytes: b"%PDF-1.7 demo".to_vec(),
        }),
    }
}

async fn audit_count(db: &Db, action: &str) -> i64 {
    sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

async fn scenario(db: &Db) {
    let dien_bien = unit(db, "11").await;
    let dong_thap = unit(db, "82").await;
    let nation = unit(db, "VN").await;
    let today = dates::today();

    // Bounds and normal form.
    let e = messages::check(NewMessage {
        body: "ngắn".into(),
        ..message(dien_bien.id, "Tiêu đề")
    })
    .unwrap_err();
    assert!(e.to_string().contains("ít nhất 10"), "{e}");
    let e = messages::check(NewMessage {
        subject: "x".repeat(messages::MAX_SUBJECT + 1),
        ..message(dien_bien.id, "")
    })
    .unwrap_err();
    assert!(e.to_string().contains("Tiêu đề"), "{e}");
    let m = messages::check(message(dien_bien.id, "Đi\u{0301}nh chi\u{0301}nh")).unwrap();
    assert_eq!(m.subject, "Đính chính");
    assert_eq!(m.name, "Lò Văn Thành");

    let id = messages::receive(db, &m, today).await.unwrap();
    messages::receive(
        db,
        &messages::check(message(dong_thap.id, "Ở Đồng Tháp")).unwrap(),
        today,
    )
    .await
    .unwrap();
    assert_eq!(
        messages::received_on(db, dien_bien.id, today)
            .await
            .unwrap(),
        (1, 2)
    );
    // Receiving is not audited: nothing of the sender reaches the log.
    let received_on: String =
        sqlx::query_scalar("SELECT received_on FROM editor_messages WHERE id = $1")
            .bind(id)
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert_eq!(received_on, today.to_string(), "the day only");

    // Editors of Điện Biên, and of the nation, see it; of Đồng Tháp, not.
    let editor = actor("bientap.dienbien", Role::Editor, &dien_bien);
    let national = actor("bientap.tw", Role::Reviewer, &nation);
    let elsewhere = actor("bientap.dongthap", Role::Editor, &dong_thap);
    let police = actor("ca.dienbien", Role::Police, &dien_bien);
    let counts = messages::counts(db, &editor).await.unwrap();
    assert_eq!(counts[0], (State::New, 1));
    assert_eq!(
        messages::counts(db, &national).await.unwrap()[0],
        (State::New, 2)
    );
    let listed = messages::list(db, &editor, State::New, 1).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].has_attachment);
    assert!(matches!(
        messages::open(db, &elsewhere, id).await,
        Err(StorageError::NotFound(_))
    ));
    assert!(matches!(
        messages::open(db, &police, id).await,
        Err(StorageError::Forbidden)
    ));
    assert!(matches!(
        messages::counts(db, &police).await,
        Err(StorageError::Forbidden)
    ));

    // Opening marks it seen (audited once).
    let opened = messages::open(db, &editor, id).await.unwrap();
    assert_eq!(opened.state, State::Seen);
    assert_eq!(opened.contact, "0912 000 111");
    messages::open(db, &editor, id).await.unwrap();
    assert_eq!(audit_count(db, "editor_message.seen").await, 1);
    let (_, media, bytes) = messages::attachment(db, &editor, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(media, "application/pdf");
    assert!(bytes.starts_with(b"%PDF-"));

    // The answer.
    assert!(messages::answer(db, &editor, id, "  ").await.is_err());
    let answered = messages::answer(db, &editor, id, "Đã gọi điện cảm ơn, sẽ sửa bài.")
        .await
        .unwrap();
    assert_eq!(answered.state, State::Answered);
    assert_eq!(answered.answered_by.as_deref(), Some("bientap.dienbien"));
    assert_eq!(audit_count(db, "editor_message.answer").await, 1);

    // Archive, spam, back.
    for to in [State::Archived, State::Spam, State::Seen] {
        assert_eq!(
            messages::set_state(db, &editor, id, to)
                .await
                .unwrap()
                .state,
            to
        );
    }
    assert!(messages::set_state(db, &editor, id, State::New)
        .await
        .is_err());
    assert_eq!(audit_count(db, "editor_message.state").await, 3);

    // A draft, once.
    let article = messages::to_draft(db, &editor, id).await.unwrap();
    assert_eq!(
        messages::to_draft(db, &national, id).await.unwrap(),
        article
    );
    let (state, headline, unit_id, slug): (String, String, i64, String) =
        sqlx::query_as("SELECT state, headline, unit_id, slug FROM articles WHERE id = $1")
            .bind(article)
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert_eq!(state, "draft");
    assert_eq!(headline, "Đính chính");
    assert_eq!(unit_id, dien_bien.id);
    // The address comes from the headline, never from the message's number.
    assert_eq!(slug, "dinh-chinh");
    let author: String = sqlx::query_scalar("SELECT author_line FROM articles WHERE id = $1")
        .bind(article)
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(
        author, "Bạn đọc",
        "the sender's name is not published by default"
    );
    assert_eq!(audit_count(db, "editor_message.draft").await, 1);
    assert!(matches!(
        messages::to_draft(db, &elsewhere, id).await,
        Err(StorageError::NotFound(_))
    ));
}

#[tokio::test]
async fn editor_messages_on_sqlite() {
    let t = TestDb::sqlite();
    scenario(&t.ready().await).await;
}

#[tokio::test]
async fn editor_messages_on_postgres() {
    let Some(server) = postgres_url() else {
        return;
    };
    let t = TestDb::postgres(&server).await;
    scenario(&t.ready().await).await;
}
