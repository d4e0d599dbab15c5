//! The document library and the programmes, on SQLite always and on
//! PostgreSQL when `ANTQ_TEST_DATABASE_URL` names a server: the seed is
//! there once after two starts, aliases and accent-insensitive words find
//! documents in the right order, and nobody reads or edits outside their grants.

use antq_core::auth::Role;
use antq_core::dates::parse_date;
use antq_core::programmes::documents::{DocKind, DocRef, ProgrammeKind, ProgrammeState};
use antq_core::programmes::Body;
use antq_core::units::UnitCode;
use antq_storage::accounts::access::{Actor, Grant};
use antq_storage::programmes::documents::{self, DocInput, DocQuery, Reader, PROGRAMME_09};
use antq_storage::programmes::plans::{self, ItemInput, PartyInput, PlanInput, PlanQuery};
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::units::{self, Unit};
use antq_storage::{Db, StorageError};

async fn unit(db: &Db, code: &str) -> Unit {
    units::get_at(
        db,
        &UnitCode::parse(code).unwrap(),
        parse_date("2026-01-01").unwrap(),
    )
    .await
    .unwrap()
}

fn actor(role: Role, u: &Unit) -> Actor {
    Actor {
        user_id: 0,
        username: format!("{}.{}", role.as_str(), u.code),
        display_name: String::new(),
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

fn query_as(reader: &Actor, q: &str) -> DocQuery {
    DocQuery {
        q: Some(q.into()),
        reader: Reader::User(reader.clone()),
        ..DocQuery::default()
    }
}

fn public() -> DocQuery {
    DocQuery {
        reader: Reader::Public,
        ..DocQuery::default()
    }
}

fn readable(a: &Actor) -> PlanQuery {
    PlanQuery {
        reader: Reader::User(a.clone()),
        ..PlanQuery::default()
    }
}

async fn seed_is_there_once(db: &Db, reader: &Actor) {
    antq_storage::prepare(db).await.unwrap();
    let page = documents::search(db, &query_as(reader, PROGRAMME_09))
        .await
        .unwrap();
    assert_eq!(page.items[0].reference.as_deref(), Some(PROGRAMME_09));
    let exact: Vec<_> = page
        .items
        .iter()
        .filter(|d| d.reference.as_deref() == Some(PROGRAMME_09))
        .collect();
    assert_eq!(exact.len(), 1, "programme 09 is seeded once");
    let doc = exact[0];
    assert_eq!(doc.issued_on.as_deref(), Some("2013-08-01"));
    assert_eq!(
        doc.issuers,
        [
            "Bộ Công an",
            "Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam"
        ]
    );
    assert_eq!(doc.aliases.len(), 3);
    let all = documents::search(
        db,
        &DocQuery {
            reader: Reader::Public,
            limit: Some(100),
            ..DocQuery::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        all.total, 14,
        "11 instruments, the unconfirmed citation, 09 and its successor"
    );
    let progs = plans::list(
        db,
        &PlanQuery {
            national_only: true,
            ..readable(reader)
        },
    )
    .await
    .unwrap();
    assert_eq!(progs.len(), 2);
    let p09 = progs
        .iter()
        .find(|p| p.reference.as_deref() == Some(PROGRAMME_09))
        .unwrap();
    assert_eq!((p09.stage_from, p09.stage_to), (Some(2013), Some(2023)));
    assert_eq!(p09.state, ProgrammeState::Replaced);
    assert_eq!(p09.parties[0].body, Body::CongAn);
    assert_eq!(p09.parties[1].body, Body::Mttq);
    let found = plans::by_reference(db, "09/Ctr-BCA-TTTW").await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, p09.id);
    let doc09 = documents::by_reference(db, PROGRAMME_09)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(doc09.reference.as_deref(), Some(PROGRAMME_09));
    assert!(documents::by_reference(db, "99/CTr-XYZ")
        .await
        .unwrap()
        .is_none());
    let next = p09.replaced_by.as_ref().unwrap();
    let next = plans::read(db, reader, next.id).await.unwrap();
    assert_eq!(
        next.reference, None,
        "the successor's number is not invented"
    );
    assert_eq!((next.stage_from, next.stage_to), (Some(2023), Some(2033)));
    assert_eq!(next.state, ProgrammeState::InForce);
}

async fn search_ranks(db: &Db, reader: &Actor) {
    for alias in [
        "09/Ctr-BCA-TTTW",
        "09/ctr-bca-tttw",
        "09 / CTr-CA-MTTW",
        "09/CTr-BCA-MTTQ",
    ] {
        let page = documents::search(db, &query_as(reader, alias))
            .await
            .unwrap();
        assert_eq!(
            page.items[0].reference.as_deref(),
            Some(PROGRAMME_09),
            "{alias}"
        );
    }
    let page = documents::search(db, &query_as(reader, "chuong trinh phoi hop"))
        .await
        .unwrap();
    assert_eq!(page.total, 2);
    assert!(page.items.iter().all(|d| d.kind == DocKind::ChuongTrinh));
    // All the words must match.
    let page = documents::search(db, &query_as(reader, "an ninh khen thưởng"))
        .await
        .unwrap();
    assert_eq!(page.total, 0);
    let page = documents::search(db, &query_as(reader, "THI DUA"))
        .await
        .unwrap();
    assert_eq!(page.items[0].reference.as_deref(), Some("06/2022/QH15"));
    // A reference prefix, and the filters.
    let page = documents::search(db, &query_as(reader, "510/QD"))
        .await
        .unwrap();
    assert_eq!(page.items[0].reference.as_deref(), Some("510/QĐ-BCA-V05"));
    let q = DocQuery {
        kind: Some(DocKind::QuyetDinh),
        issuer: Some("bo cong an".into()),
        year: Some(2022),
        reader: Reader::User(reader.clone()),
        ..DocQuery::default()
    };
    let page = documents::search(db, &q).await.unwrap();
    let refs: Vec<_> = page
        .items
        .iter()
        .map(|d| d.reference.clone().unwrap())
        .collect();
    assert_eq!(
        refs,
        ["510/QĐ-BCA-V05", "9745/QĐ-BCA-V05"],
        "dated first, newest first"
    );
}

fn local_doc(unit_id: i64) -> DocInput {
    DocInput {
        kind: DocKind::KeHoach,
        reference: Some(DocRef::parse("12/KH-CAT-MTTQ").unwrap()),
        year: None,
        issued_on: Some(parse_date("2023-05-18").unwrap()),
        subject: "Phát huy vai trò Tổ Nhân dân tự quản".into(),
        issuers: vec!["Công an tỉnh".into(), "Ủy ban MTTQ Việt Nam tỉnh".into()],
        aliases: vec![],
        as_written: Some("12/KH-CAT-MTTQ ngày 18/5".into()),
        unit_id: Some(unit_id),
    }
}

async fn access(db: &Db) {
    let dong_thap = unit(db, "82").await;
    let dien_bien = unit(db, "11").await;
    let nation = unit(db, "VN").await;
    let police = actor(Role::Police, &dong_thap);
    let outsider = actor(Role::Police, &dien_bien);
    let viewer = actor(Role::Viewer, &dong_thap);
    // National documents: only national grants edit them.
    let mut national = local_doc(0);
    national.unit_id = None;
    assert!(matches!(
        documents::create(db, &police, national.clone()).await,
        Err(StorageError::Forbidden)
    ));
    documents::create(db, &actor(Role::Admin, &nation), national)
        .await
        .unwrap();
    // A unit's document: its police edit, its viewers read, others see nothing.
    assert!(matches!(
        documents::create(db, &viewer, local_doc(dong_thap.id)).await,
        Err(StorageError::Forbidden)
    ));
    let doc = documents::create(db, &police, local_doc(dong_thap.id))
        .await
        .unwrap();
    assert_eq!(doc.as_written.as_deref(), Some("12/KH-CAT-MTTQ ngày 18/5"));
    assert_eq!(
        documents::get(db, &viewer, doc.id).await.unwrap().id,
        doc.id
    );
    assert!(matches!(
        documents::get(db, &outsider, doc.id).await,
        Err(StorageError::NotFound(_))
    ));
    let seen = documents::search(db, &query_as(&outsider, "Tổ Nhân dân tự quản"))
        .await
        .unwrap();
    assert_eq!(seen.total, 1, "only the national copy");
    let seen = documents::search(db, &query_as(&viewer, "Tổ Nhân dân tự quản"))
        .await
        .unwrap();
    assert_eq!(seen.total, 2);
    // Files: PDF recognised by content; anything else refused.
    let pdf = b"%PDF-1.4\n...".to_vec();
    let f = documents::attach(db, &police, doc.id, "ke-hoach.bin", &pdf)
        .await
        .unwrap();
    assert_eq!(f.media_type, "application/pdf");
    assert_eq!(f.sha256.len(), 64);
    let e = documents::attach(db, &police, doc.id, "x.pdf", b"hello")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("PDF"), "{e}");
    let (_, body) = documents::file(db, &viewer, doc.id, f.id).await.unwrap();
    assert_eq!(body, pdf);
    assert!(documents::file(db, &outsider, doc.id, f.id).await.is_err());
    // A province's plan implementing the national programme.
    let p09 = plans::list(db, &readable(&police)).await.unwrap();
    let p09 = p09
        .iter()
        .find(|p| p.reference.as_deref() == Some(PROGRAMME_09))
        .unwrap();
    let plan = PlanInput {
        document_id: Some(doc.id),
        kind: ProgrammeKind::KeHoach,
        title: "Kế hoạch phối hợp về Tổ Nhân dân tự quản".into(),
        unit_id: Some(dong_thap.id),
        signed_on: Some(parse_date("2023-05-18").unwrap()),
        stage_from: Some(2023),
        stage_to: Some(2028),
        implements_id: Some(p09.id),
        state: ProgrammeState::InForce,
        replaced_by_id: None,
        ended_on: None,
        notes: String::new(),
        parties: vec![
            PartyInput {
                unit_id: Some(dong_thap.id),
                body: Body::CongAn,
                name: String::new(),
            },
            PartyInput {
                unit_id: Some(dong_thap.id),
                body: Body::Mttq,
                name: String::new(),
            },
        ],
        items: vec![ItemInput {
            content: "Hướng dẫn các Tổ Nhân dân tự quản".into(),
            party: Some(1),
        }],
    };
    assert!(matches!(
        plans::create(db, &viewer, plan.clone()).await,
        Err(StorageError::Forbidden)
    ));
    let created = plans::create(db, &police, plan).await.unwrap();
    assert_eq!(created.parties[0].name, "Công an tỉnh Đồng Tháp");
    assert_eq!(
        created.items[0].party_name.as_deref(),
        Some("Ủy ban MTTQ Việt Nam tỉnh Đồng Tháp")
    );
    assert!(matches!(
        plans::read(db, &outsider, created.id).await,
        Err(StorageError::NotFound(_))
    ));
    let p09 = plans::read(db, &viewer, p09.id).await.unwrap();
    assert_eq!(p09.implemented_by[0].id, created.id);
    // Other registries read without an actor: everything, by unit.
    let of_unit = PlanQuery {
        unit_id: Some(dong_thap.id),
        ..PlanQuery::default()
    };
    assert_eq!(plans::list(db, &of_unit).await.unwrap()[0].id, created.id);
    assert_eq!(
        plans::get(db, created.id).await.unwrap().title,
        created.title
    );
    let listed = plans::list(db, &readable(&police)).await.unwrap();
    assert_eq!(listed.len(), 3);
    assert!(listed[0].unit_id.is_none() && listed[2].unit_id == Some(dong_thap.id));
    assert_eq!(
        plans::list(db, &readable(&outsider)).await.unwrap().len(),
        2
    );
}

async fn import_is_all_or_nothing(db: &Db) {
    use antq_storage::audit::Who;
    let row = |r: &str| DocInput {
        kind: DocKind::CongVan,
        reference: Some(DocRef::parse(r).unwrap()),
        year: Some(2024),
        issued_on: None,
        subject: "Công văn thử".into(),
        issuers: vec!["Bộ Công an".into()],
        aliases: vec![],
        as_written: None,
        unit_id: None,
    };
    let before = documents::search(db, &public()).await.unwrap().total;
    let rows = vec![
        ("Dòng 2".to_string(), row("15/BCA-V05")),
        ("Dòng 3".to_string(), row("09/Ctr-BCA-TTTW")),
        ("Dòng 4".to_string(), row("15/bca-v05")),
    ];
    match documents::import(db, &Who::system(), rows, false).await {
        Err(StorageError::Rejected(e)) => {
            assert_eq!(e.len(), 2, "{e:?}");
            assert!(
                e[0].starts_with("Dòng 3: số, ký hiệu đã có trong thư viện"),
                "{e:?}"
            );
            assert!(
                e[1].starts_with("Dòng 4: số, ký hiệu đã có ở Dòng 2"),
                "{e:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    let ok = vec![("Dòng 2".to_string(), row("15/BCA-V05"))];
    let s = documents::import(db, &Who::system(), ok.clone(), true)
        .await
        .unwrap();
    assert!(s.dry_run && s.created == 1);
    assert_eq!(
        documents::search(db, &public()).await.unwrap().total,
        before
    );
    documents::import(db, &Who::system(), ok, false)
        .await
        .unwrap();
    assert_eq!(
        documents::search(db, &public()).await.unwrap().total,
        before + 1
    );
}

async fn all(db: Db) {
    let reader = actor(Role::Viewer, &unit(&db, "11").await);
    seed_is_there_once(&db, &reader).await;
    search_ranks(&db, &reader).await;
    access(&db).await;
    import_is_all_or_nothing(&db).await;
}

#[tokio::test]
async fn documents_on_sqlite() {
    let t = TestDb::sqlite();
    all(t.ready().await).await;
}

#[tokio::test]
async fn documents_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set");
        return;
    };
    let t = TestDb::postgres(&server).await;
    all(t.ready().await).await;
}
