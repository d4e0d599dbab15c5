//! The whole report (issue 14) on both databases: templates (a province's
//! copy used by its communes, reset to the national one), the signers
//! register, a new review's sections, signers and data coverage, the
//! document saved and audited, approvals cleared by an edit, a joint review
//! final only when both sides approved, and a draft never approved.

use antq_core::dates::parse_date;
use antq_core::indicators::Qualifier;
use antq_core::reports::Transition;
use antq_core::reviews::document::{
    default_template, Section, SectionKind, TemplateKind, DRAFT_STAMP,
};
use antq_core::reviews::signing::{Authority, Side, Signer};
use antq_core::reviews::{Owner, Stage};
use antq_core::units::UnitCode;
use antq_storage::audit::Who;
use antq_storage::reviews::{self, DocumentChange, NewReview, SignerInput, TemplateSource};
use antq_storage::statistics::catalogue;
use antq_storage::statistics::reports::{self, ValueInput};
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::units::{self, Unit};
use antq_storage::Db;

const DAY: &str = "2026-06-20";

async fn unit(db: &Db, code: &str) -> Unit {
    units::get_at(
        db,
        &UnitCode::parse(code).unwrap(),
        parse_date(DAY).unwrap(),
    )
    .await
    .unwrap()
}

async fn build(db: &Db, code: &str, owner: Owner) -> reviews::Review {
    let id = reviews::create(
        db,
        &Who::system(),
        NewReview {
            unit: unit(db, code).await,
            owner,
            stage: Stage::parse("2026S1", None).unwrap(),
            issue_date: parse_date(DAY).unwrap(),
        },
    )
    .await
    .unwrap();
    reviews::get(db, id).await.unwrap()
}

async fn actions(db: &Db, entity_id: &str) -> Vec<(String, Option<String>)> {
    sqlx::query_as(
        "SELECT action, after_json FROM audit_log WHERE entity_id = $1 AND entity LIKE 'review%' ORDER BY id",
    )
    .bind(entity_id)
    .fetch_all(db.pool())
    .await
    .unwrap()
}

fn err(e: antq_storage::StorageError) -> String {
    e.to_string()
}

async fn templates(db: &Db) {
    let who = Who::system();
    let national = reviews::national_template(db, TemplateKind::Half)
        .await
        .unwrap();
    assert_eq!(national.source, TemplateSource::Builtin);
    assert_eq!(national.sections, default_template(TemplateKind::Half));
    // The province's own copy: one section more, used by its communes too.
    let province = unit(db, "11").await;
    let mut copy = default_template(TemplateKind::Half);
    copy.insert(
        0,
        Section::new(
            SectionKind::Other,
            "CÔNG TÁC PHỐI HỢP",
            "- Họp giao ban hằng quý",
        ),
    );
    let saved = reviews::save_template(db, &who, Some(&province), TemplateKind::Half, copy.clone())
        .await
        .unwrap();
    assert_eq!(saved.source, TemplateSource::Province);
    let commune = unit(db, "03325").await;
    let used = reviews::template_for(db, &commune, TemplateKind::Half)
        .await
        .unwrap();
    assert_eq!(used.source, TemplateSource::Province);
    assert_eq!(used.unit_code.as_deref(), Some("11"));
    assert_eq!(used.sections[0].heading, "CÔNG TÁC PHỐI HỢP");
    // Another province still uses the national one.
    let other = unit(db, "82").await;
    let theirs = reviews::template_for(db, &other, TemplateKind::Half)
        .await
        .unwrap();
    assert_eq!(theirs.source, TemplateSource::Builtin);
    // Only a province keeps a copy; a template is checked like a review.
    let e = reviews::save_template(db, &who, Some(&commune), TemplateKind::Half, copy.clone())
        .await
        .unwrap_err();
    assert!(err(e).contains("Chỉ tỉnh, thành phố"));
    let no_results = vec![Section::new(SectionKind::Situation, "A", "")];
    let e = reviews::save_template(db, &who, None, TemplateKind::Year, no_results)
        .await
        .unwrap_err();
    assert!(err(e).contains("Kết quả đạt được"));
    // Reset: the commune takes the national template again.
    let reset = reviews::reset_template(db, &who, &province, TemplateKind::Half)
        .await
        .unwrap();
    assert_eq!(reset.source, TemplateSource::Builtin);
    let audited = actions(db, &format!("half:{}", province.id)).await;
    let names: Vec<&str> = audited.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(names, ["review_template.save", "review_template.reset"]);
    // Saved again for the reviews below.
    reviews::save_template(db, &who, Some(&province), TemplateKind::Half, copy)
        .await
        .unwrap();
}

fn police(name: &str) -> Signer {
    Signer {
        side: Side::Police,
        authority: Authority::Deputy,
        for_whom: "Giám đốc".into(),
        position: "Phó Giám đốc".into(),
        rank: "Đại tá".into(),
        name: name.into(),
    }
}

fn front(name: &str) -> Signer {
    Signer {
        side: Side::Front,
        authority: Authority::OnBehalf,
        for_whom: "Ban Thường trực".into(),
        position: "Chủ tịch".into(),
        rank: String::new(),
        name: name.into(),
    }
}

async fn signers(db: &Db) {
    let who = Who::system();
    let province = unit(db, "11").await;
    let input = |signer, sort| SignerInput {
        signer,
        sort,
        active: true,
    };
    let first = reviews::add_signer(db, &who, province.id, input(police("Nguyễn Văn A"), 1))
        .await
        .unwrap();
    assert_eq!(first.signer.for_whom, "Giám đốc");
    reviews::add_signer(db, &who, province.id, input(police("Lê Văn C"), 2))
        .await
        .unwrap();
    reviews::add_signer(db, &who, province.id, input(front("Trần Thị B"), 1))
        .await
        .unwrap();
    // The first police block leaves office: the second signs from now on.
    let off = reviews::update_signer(
        db,
        &who,
        first.id,
        SignerInput {
            active: false,
            ..input(police("Nguyễn Văn A"), 1)
        },
    )
    .await
    .unwrap();
    assert!(!off.active);
    let register = reviews::register(db, province.id).await.unwrap();
    assert_eq!(register.len(), 3);
    assert!(
        register[..2].iter().all(|s| s.active),
        "active blocks first"
    );
    let mut bad = police("");
    let e = reviews::add_signer(db, &who, province.id, input(bad.clone(), 1))
        .await
        .unwrap_err();
    assert_eq!(err(e), "Chưa có họ tên người ký");
    bad.name = "X".into();
    bad.for_whom = " ".into();
    let e = reviews::add_signer(db, &who, province.id, input(bad, 1))
        .await
        .unwrap_err();
    assert!(err(e).contains("KT."));
    let audited = actions(db, &first.id.to_string()).await;
    let names: Vec<&str> = audited.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(names, ["review_signer.add", "review_signer.update"]);
}

async fn document_in_register(db: &Db) {
    let province = unit(db, "11").await;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO documents (kind, reference, issued_on, subject, unit_id, search_key, created_by, created_at, updated_at) \
         VALUES ('ke_hoach', '15/KH-CAT', '2026-02-03', 'Triển khai phong trào năm 2026', $1, 'x', 't', 't', 't') RETURNING id",
    )
    .bind(province.id)
    .fetch_one(db.pool())
    .await
    .unwrap();
    sqlx::query("INSERT INTO document_issuers (document_id, position, name, name_key) VALUES ($1, 0, 'Công an tỉnh Điện Biên', 'x')")
        .bind(id)
        .execute(db.pool())
        .await
        .unwrap();
}

async fn approve_report(db: &Db, code: &str, period: &str) {
    let who = Who::system();
    let form = catalogue::form(db, "antq-6t").await.unwrap();
    let u = unit(db, code).await;
    let value = ValueInput {
        indicator: "tt_buoi".into(),
        option: String::new(),
        value: Some((12_000, Qualifier::Exact, None)),
    };
    reports::put_values(db, &who, &form, &u, period, vec![value])
        .await
        .unwrap();
    for t in [Transition::Submit, Transition::Approve] {
        reports::transition(db, &who, &form, &u, period, t, None)
            .await
            .unwrap();
    }
}

async fn story(db: Db) {
    templates(&db).await;
    signers(&db).await;
    document_in_register(&db).await;

    // An empty half-year of a province: a draft, with its reason.
    let r = build(&db, "11", Owner::Joint).await;
    let cov = r.coverage.unwrap();
    assert!(cov.units_expected > 1, "{cov:?}");
    assert_eq!(cov.units_approved, 0);
    let reason = r.draft().unwrap();
    assert!(
        reason.starts_with("Chưa có số liệu được duyệt: 0 trên"),
        "{reason}"
    );
    assert!(!DRAFT_STAMP.is_empty());
    // Sections from the province's copy, leadership drafted from the register.
    assert_eq!(r.sections[0].heading, "CÔNG TÁC PHỐI HỢP");
    let leadership = r
        .sections
        .iter()
        .find(|s| s.kind == SectionKind::Leadership)
        .unwrap();
    assert!(
        leadership.text.contains(
            "- Kế hoạch số 15/KH-CAT ngày 03/02/2026 của Công an tỉnh Điện Biên về \u{201C}Triển khai phong trào năm 2026\u{201D};"
        ),
        "{}",
        leadership.text
    );
    // Signers: the register's active ones, police first.
    assert_eq!(
        r.signers,
        vec![
            police("Lê Văn C").checked().unwrap(),
            front("Trần Thị B").checked().unwrap()
        ]
    );
    assert_eq!(r.choices().signers.as_ref(), Some(&r.signers));
    // A draft is never approved, and says why.
    let e = reviews::approve(&db, &Who::system(), r.id, Side::Police)
        .await
        .unwrap_err();
    assert_eq!(
        err(e),
        format!("Chưa thể duyệt: báo cáo còn là dự thảo. {reason}")
    );

    // A commune whose only report of the half is approved: complete.
    approve_report(&db, "03325", "2026S1").await;
    let r = build(&db, "03325", Owner::Joint).await;
    assert_eq!(r.coverage.unwrap().units_expected, 1);
    assert_eq!(r.draft(), None);
    // The commune has no signers of its own: the default blocks.
    assert_eq!(r.signers[0].position, "TRƯỞNG CÔNG AN");
    assert_eq!(
        r.signers[1].title_lines(),
        ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"]
    );
    let police_only = build(&db, "03325", Owner::Police).await;
    let e = reviews::approve(&db, &Who::system(), police_only.id, Side::Front)
        .await
        .unwrap_err();
    assert!(err(e).contains("không duyệt báo cáo này"));

    // Joint: final only when both sides approved.
    let ca = Who {
        id: None,
        name: "ca.muongphang".into(),
    };
    let mt = Who {
        id: None,
        name: "mt.muongphang".into(),
    };
    let one = reviews::approve(&db, &ca, r.id, Side::Police)
        .await
        .unwrap();
    assert!(!one.is_final());
    assert_eq!(one.approvals.len(), 1);
    let again = reviews::approve(&db, &ca, r.id, Side::Police)
        .await
        .unwrap();
    assert_eq!(
        again.approvals, one.approvals,
        "approving twice changes nothing"
    );
    let both = reviews::approve(&db, &mt, r.id, Side::Front).await.unwrap();
    assert!(both.is_final());
    assert_eq!(both.approvals[0].side, Side::Police);
    assert_eq!(both.approvals[1].by, "mt.muongphang");

    // The document saved in one go and audited; the approvals go.
    let mut sections = both.sections.clone();
    sections[0].text = "Xã có **12** thôn, bản.\n\n- Dân số 9.000 người".into();
    let saved = reviews::save_document(
        &db,
        &ca,
        r.id,
        DocumentChange {
            version: None,
            title: Some("Sơ kết 6 tháng đầu năm 2026 phong trào Toàn dân bảo vệ ANTQ".into()),
            sections: Some(sections.clone()),
            signers: Some(vec![front("Lò Thị E"), police("Cà Văn G")]),
            recipients: Some(vec!["- Công an tỉnh Điện Biên;".into(), "Lưu: VT.".into()]),
        },
    )
    .await
    .unwrap();
    assert!(saved.approvals.is_empty() && !saved.is_final());
    assert_eq!(saved.sections[0].text, sections[0].text);
    assert_eq!(saved.signers[0].name, "Cà Văn G", "police first");
    assert_eq!(
        saved.recipients.as_deref(),
        Some(
            &[
                "Công an tỉnh Điện Biên;".to_string(),
                "Lưu: VT.".to_string()
            ][..]
        )
    );
    let choices = saved.choices();
    assert_eq!(choices.title.as_deref(), saved.title.as_deref());
    let audited = actions(&db, &r.id.to_string()).await;
    let (last, after) = audited.last().unwrap();
    assert_eq!(last, "review.document");
    let after: serde_json::Value = serde_json::from_str(after.as_deref().unwrap()).unwrap();
    assert_eq!(
        after["approvals_cleared"],
        serde_json::json!(["front", "police"])
    );
    assert_eq!(
        after["note"],
        "Nội dung đã thay đổi: các bên phải duyệt lại"
    );
    // Saving the same again changes nothing and is not audited.
    reviews::save_document(
        &db,
        &ca,
        r.id,
        DocumentChange {
            version: None,
            sections: Some(sections),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(actions(&db, &r.id.to_string()).await.len(), audited.len());
    // Back to the defaults.
    let reset = reviews::save_document(
        &db,
        &ca,
        r.id,
        DocumentChange {
            version: None,
            title: Some(" ".into()),
            signers: Some(vec![]),
            recipients: Some(vec![]),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!((reset.title, reset.recipients), (None, None));
    assert_eq!(reset.signers[0].position, "TRƯỞNG CÔNG AN");
    // Refused changes, in Vietnamese, leave the review as it was.
    let rid = r.id;
    let refuse = |c: DocumentChange| {
        let db = db.clone();
        let ca = ca.clone();
        async move { err(reviews::save_document(&db, &ca, rid, c).await.unwrap_err()) }
    };
    let e = refuse(DocumentChange {
        signers: Some(vec![police("Cà Văn G")]),
        ..Default::default()
    })
    .await;
    assert_eq!(e, "Thiếu người ký của Mặt trận Tổ quốc");
    let e = refuse(DocumentChange {
        sections: Some(vec![Section::new(SectionKind::Other, "A", "")]),
        ..Default::default()
    })
    .await;
    assert!(e.contains("Kết quả đạt được"), "{e}");
    let e = refuse(DocumentChange {
        title: Some("x".repeat(700)),
        ..Default::default()
    })
    .await;
    assert!(e.starts_with("Tên báo cáo"), "{e}");

    // Rewriting the narrative is a change of the text too.
    reviews::approve(&db, &ca, r.id, Side::Police)
        .await
        .unwrap();
    let group = reset.narrative[0].group.clone();
    let texts = [(group, "Đoạn viết lại.".to_string())]
        .into_iter()
        .collect();
    let edited = reviews::edit_narrative(&db, &ca, r.id, &texts)
        .await
        .unwrap();
    assert!(edited.approvals.is_empty());
    let audited = actions(&db, &r.id.to_string()).await;
    assert!(audited.iter().any(|a| a.0 == "review.unapprove"));

    // An approval is given to the text its approver read: a change made
    // since is refused, and the approval does not land.
    let read = reviews::get(&db, r.id).await.unwrap();
    let stale = read.updated_at.clone();
    let later = reviews::save_document(
        &db,
        &mt,
        r.id,
        DocumentChange {
            version: Some(stale.clone()),
            title: Some("Báo cáo sơ kết đã sửa".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let refused = reviews::approve_read(&db, &ca, r.id, Side::Police, Some(&stale))
        .await
        .unwrap_err();
    assert!(
        matches!(refused, antq_storage::StorageError::Conflict(_)),
        "{refused:?}"
    );
    assert!(reviews::get(&db, r.id).await.unwrap().approvals.is_empty());
    let lost_update = reviews::save_document(
        &db,
        &ca,
        r.id,
        DocumentChange {
            version: Some(stale),
            title: Some("Ghi đè".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(
        lost_update,
        antq_storage::StorageError::Conflict(_)
    ));

    // Posting back what the review shows changes nothing: approvals stay.
    let approved = reviews::approve_read(&db, &ca, r.id, Side::Police, Some(&later.updated_at))
        .await
        .unwrap();
    assert_eq!(approved.approvals.len(), 1);
    let same = reviews::save_document(
        &db,
        &ca,
        r.id,
        DocumentChange {
            version: Some(approved.updated_at.clone()),
            title: approved.title.clone(),
            sections: Some(approved.sections.clone()),
            signers: Some(approved.signers.clone()),
            recipients: Some(approved.recipients.clone().unwrap_or_else(|| {
                antq_core::reviews::signing::default_recipients(&approved.snapshot, approved.owner)
            })),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        same.approvals.len(),
        1,
        "nothing changed, nothing to approve again"
    );

    // "Back to the register" takes the register's blocks as they are now and
    // keeps them: a later change of the register never alters the review.
    reviews::add_signer(
        &db,
        &ca,
        r.unit_id,
        SignerInput {
            signer: police("Cà Văn Đăng Ký"),
            sort: 0,
            active: true,
        },
    )
    .await
    .unwrap();
    let back = reviews::save_document(
        &db,
        &ca,
        r.id,
        DocumentChange {
            signers: Some(vec![]),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let before: Vec<String> = back.signers.iter().map(|s| s.signed_name()).collect();
    // The block a review of the unit takes from the register today, renamed.
    let register = reviews::register(&db, r.unit_id).await.unwrap();
    let used = register
        .iter()
        .find(|b| b.active && b.signer.side == Side::Police)
        .expect("the unit registers a police signer");
    let mut renamed = used.signer.clone();
    renamed.name = "Người Khác".into();
    reviews::update_signer(
        &db,
        &ca,
        used.id,
        SignerInput {
            signer: renamed,
            sort: used.sort,
            active: true,
        },
    )
    .await
    .unwrap();
    assert!(
        before.iter().any(|n| n.contains(&used.signer.name)),
        "{before:?}"
    );
    let after: Vec<String> = reviews::get(&db, r.id)
        .await
        .unwrap()
        .signers
        .iter()
        .map(|s| s.signed_name())
        .collect();
    assert_eq!(before, after, "the register changed, the review did not");
}

#[tokio::test]
async fn review_document_on_sqlite() {
    let t = TestDb::sqlite();
    story(t.ready().await).await;
}

#[tokio::test]
async fn review_document_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!(
            "skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL story did not run"
        );
        return;
    };
    let t = TestDb::postgres(&server).await;
    story(t.ready().await).await;
}
