//! Figures from the registries (issue 12 §4): award indicators from the
//! award register, event counts from the events, where each figure came
//! from, and the reconciliation of register and forms. SQLite always,
//! PostgreSQL when ANTQ_TEST_DATABASE_URL is set.

use antq_core::dates::parse_date;
use antq_core::indicators::Qualifier;
use antq_core::periods::YearRange;
use antq_core::programmes::awards::RecipientKind;
use antq_core::programmes::FigureSource;
use antq_core::units::{Level, UnitCode};
use antq_storage::audit::Who;
use antq_storage::programmes::figures::{self, reconcile};
use antq_storage::statistics::analytics::{self, By, MapMode, Row};
use antq_storage::statistics::catalogue;
use antq_storage::statistics::reports::{self, ValueInput};
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::units::{self, Unit, UnitQuery};
use antq_storage::Db;

fn v(code: &str, option: &str, n: i64) -> ValueInput {
    ValueInput {
        indicator: code.into(),
        option: option.into(),
        value: Some((n * 1000, Qualifier::Exact, None)),
    }
}

async fn unit(db: &Db, code: &str, at: &str) -> Unit {
    units::get_at(db, &UnitCode::parse(code).unwrap(), parse_date(at).unwrap())
        .await
        .unwrap()
}

async fn communes(db: &Db, parent: &Unit, at: &str, n: i64) -> Vec<Unit> {
    let mut q = UnitQuery {
        at: parse_date(at).unwrap(),
        level: Some(Level::Commune),
        parent_id: Some(parent.id),
        q: None,
        limit: Some(n),
    };
    let mut out = units::list(db, &q).await.unwrap();
    if out.is_empty() {
        // A province of 2023 has districts: take the first district's communes.
        q.level = None;
        q.limit = Some(1);
        let district = units::list(db, &q).await.unwrap().remove(0);
        q.level = Some(Level::Commune);
        q.parent_id = Some(district.id);
        q.limit = Some(n);
        out = units::list(db, &q).await.unwrap();
    }
    out
}

async fn insert_id(db: &Db, sql: &str, binds: &[&str]) -> i64 {
    let mut q = sqlx::query_scalar::<_, i64>(sql);
    for b in binds {
        q = q.bind(b.to_string());
    }
    q.fetch_one(db.pool()).await.unwrap()
}

/// A form feeding `indicator` and an office, as the awards work will seed them.
async fn form_and_office(db: &Db, form: &str, indicator: &str, office: &str) -> (i64, i64) {
    let f = insert_id(
        db,
        "INSERT INTO award_forms (code, name, indicator, position) VALUES ($1, $2, $3, 900) RETURNING id",
        &[&format!("test_{indicator}_{}", office.len()), form, indicator],
    )
    .await;
    let o = insert_id(
        db,
        "INSERT INTO award_offices (code, name, level, body, position) VALUES ($1, $2, 'province', 'ubnd', 900) RETURNING id",
        &[&format!("test_office_{}_{indicator}", office.len()), office],
    )
    .await;
    (f, o)
}

/// A decided award of `unit` in `year`, with accepted (and one rejected) recipients.
async fn award(db: &Db, (form, office): (i64, i64), unit: &Unit, year: i32, kinds: &[(&str, i64)]) {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO awards (form_id, office_id, unit_id, issuer_unit_id, state, year, decided_on, \
         created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $3, 'decided', $4, $5, 'test', '2023-01-01', '2023-01-01') RETURNING id",
    )
    .bind(form)
    .bind(office)
    .bind(unit.id)
    .bind(i64::from(year))
    .bind(format!("{year}-05-19"))
    .fetch_one(db.pool())
    .await
    .unwrap();
    let mut pos = 0;
    for (kind, n) in kinds {
        for state in std::iter::repeat_n("accepted", *n as usize).chain(["rejected"]) {
            pos += 1;
            sqlx::query(
                "INSERT INTO award_recipients (award_id, position, kind, name, state) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(pos)
            .bind(kind.to_string())
            .bind(format!("Người nhận {pos}"))
            .bind(state)
            .execute(db.pool())
            .await
            .unwrap();
        }
    }
}

async fn event(db: &Db, kind: &str, unit: &Unit, held_on: &str, attendance: Option<i64>) {
    sqlx::query(
        "INSERT INTO conferences (kind, title, held_on, unit_id, attendance, search_key, created_by, created_at, updated_at) \
         VALUES ($1, 'Sự kiện', $2, $3, $4, 'su kien', 'test', '2023-01-01', '2023-01-01')",
    )
    .bind(kind.to_string())
    .bind(held_on.to_string())
    .bind(unit.id)
    .bind(attendance)
    .execute(db.pool())
    .await
    .unwrap();
}

async fn run(
    db: &Db,
    codes: &[&str],
    u: &Unit,
    from: i32,
    to: i32,
    by: Option<By>,
    map: MapMode,
) -> Vec<Row> {
    let cat = catalogue::indicators(db).await.unwrap();
    let codes: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
    let inds = catalogue::indicators_by_code(db, &codes).await.unwrap();
    analytics::run(
        db,
        &analytics::Query {
            indicators: &inds,
            catalogue: &cat,
            unit: u,
            range: YearRange { from, to },
            by,
            map,
            approved_only: false,
        },
    )
    .await
    .unwrap()
}

fn find<'a>(rows: &'a [Row], ind: &str, period: &str) -> &'a Row {
    rows.iter()
        .find(|r| r.indicator == ind && r.period == period)
        .unwrap_or_else(|| panic!("no row {ind} {period} in {rows:?}"))
}

async fn story(db: Db) {
    let who = Who::system();
    let form = catalogue::form(&db, "antq-nam").await.unwrap();
    let province = unit(&db, "11", "2023-06-01").await;
    let cs = communes(&db, &province, "2023-06-01", 2).await;
    let (c1, c2) = (&cs[0], &cs[1]);
    let bk = form_and_office(&db, "Bằng khen", "kt_bang_khen", "Chủ tịch UBND tỉnh").await;
    let bk_front = form_and_office(
        &db,
        "Bằng khen",
        "kt_bang_khen",
        "Ủy ban MTTQ Việt Nam tỉnh",
    )
    .await;

    // Register only (2021): a commune's awards, no form anywhere.
    award(&db, bk, c1, 2021, &[("tap_the", 2), ("ca_nhan", 3)]).await;
    // Form only (2022): the province reports Giấy khen, and its other figures.
    reports::put_values(
        &db,
        &who,
        &form,
        &province,
        "2022",
        vec![v("kt_giay_khen", "tap_the", 7), v("tt_buoi", "", 40)],
    )
    .await
    .unwrap();
    // Both (2023): the province reports 2 + 2; the register holds 2 + 5 of
    // its own and 1 of a commune under it (paired with the province's form).
    reports::put_values(
        &db,
        &who,
        &form,
        &province,
        "2023",
        vec![
            v("kt_bang_khen", "tap_the", 2),
            v("kt_bang_khen", "ca_nhan", 2),
            v("tt_buoi", "", 50),
        ],
    )
    .await
    .unwrap();
    award(&db, bk, &province, 2023, &[("tap_the", 2), ("ca_nhan", 5)]).await;
    award(&db, bk_front, c2, 2023, &[("ca_nhan", 1)]).await;

    let rows = run(
        &db,
        &["kt_bang_khen", "kt_giay_khen", "tt_buoi"],
        &province,
        2021,
        2023,
        Some(By::Year),
        MapMode::Historical,
    )
    .await;
    let r = find(&rows, "kt_bang_khen", "2021");
    assert_eq!(
        (r.value, r.source),
        (Some(5.0), FigureSource::Register),
        "register only"
    );
    assert_eq!((r.form_value, r.register_value), (None, None));
    let r = find(&rows, "kt_giay_khen", "2022");
    assert_eq!(
        (r.value, r.source),
        (Some(7.0), FigureSource::Form),
        "form only"
    );
    let r = find(&rows, "kt_bang_khen", "2023");
    assert_eq!(r.value, Some(8.0), "the register's figure, never 4 + 8");
    assert_eq!(r.source, FigureSource::Both);
    assert_eq!(
        (r.form_value, r.register_value),
        (Some(4.0), Some(8.0)),
        "a row of both sources shows each side's own figure"
    );
    assert!(
        r.flags.contains(&figures::FLAG_DIFFERS.to_string()),
        "{:?}",
        r.flags
    );
    assert!(r.flags.contains(&figures::FLAG_BOTH.to_string()));
    // By quarter, the register's awards fall in their quarter; the
    // province's yearly report is no figure of that quarter (not "0").
    let by_quarter = run(
        &db,
        &["kt_bang_khen"],
        &province,
        2023,
        2023,
        Some(By::Quarter),
        MapMode::Historical,
    )
    .await;
    let in_quarter: Vec<&Row> = by_quarter
        .iter()
        .filter(|r| r.period.starts_with("2023Q") && r.source == FigureSource::Both)
        .collect();
    assert!(!in_quarter.is_empty(), "{by_quarter:?}");
    for r in in_quarter {
        assert_eq!(
            (r.form_value, r.register_value.is_some()),
            (None, true),
            "{r:?}"
        );
    }
    // Other indicators are unchanged and say they came from the forms.
    for (p, n) in [("2022", 40.0), ("2023", 50.0)] {
        let r = find(&rows, "tt_buoi", p);
        assert_eq!((r.value, r.source), (Some(n), FigureSource::Form));
        assert!(
            !r.flags.iter().any(|f| f.starts_with("register")),
            "{:?}",
            r.flags
        );
    }
    // In total, by child, and on the other map the same rule holds.
    let province_now = unit(&db, "11", "2026-01-01").await;
    let total = run(
        &db,
        &["kt_bang_khen"],
        &province_now,
        2021,
        2023,
        None,
        MapMode::Current,
    )
    .await;
    assert_eq!(
        (total[0].value, total[0].source),
        (Some(13.0), FigureSource::Both)
    );
    let half = run(
        &db,
        &["kt_bang_khen"],
        &province_now,
        2023,
        2023,
        Some(By::Half),
        MapMode::Current,
    )
    .await;
    let s1 = find(&half, "kt_bang_khen", "2023S1");
    assert_eq!(
        s1.value,
        Some(8.0),
        "a register count falls in its decision's half"
    );
    let by_child = run(
        &db,
        &["kt_bang_khen"],
        &province,
        2023,
        2023,
        Some(By::Child),
        MapMode::Historical,
    )
    .await;
    let sum: f64 = by_child.iter().filter_map(|r| r.value).sum();
    assert_eq!(sum, 8.0, "{by_child:?}");
    // A commune alone: its own register count, no form.
    let own = run(
        &db,
        &["kt_bang_khen"],
        c2,
        2023,
        2023,
        None,
        MapMode::Historical,
    )
    .await;
    assert_eq!(
        (own[0].value, own[0].source),
        (Some(1.0), FigureSource::Register)
    );

    // The reconciliation lists both, by form × issuer × kind × year.
    let rec = reconcile::reconcile(
        &db,
        &province,
        YearRange {
            from: 2021,
            to: 2023,
        },
        MapMode::Historical,
        false,
    )
    .await
    .unwrap();
    let line = |issuer: &str, kind: RecipientKind, year: i32| {
        rec.lines
            .iter()
            .find(|l| l.issuer == issuer && l.recipient_kind == kind && l.year == year)
            .map(|l| l.count)
    };
    assert_eq!(
        line("Chủ tịch UBND tỉnh", RecipientKind::Individual, 2023),
        Some(5)
    );
    assert_eq!(
        line("Ủy ban MTTQ Việt Nam tỉnh", RecipientKind::Individual, 2023),
        Some(1)
    );
    assert_eq!(
        line("Chủ tịch UBND tỉnh", RecipientKind::Collective, 2021),
        Some(2)
    );
    let fig = rec
        .figures
        .iter()
        .find(|f| {
            f.indicator == "kt_bang_khen"
                && f.year == 2023
                && f.recipient_kind == RecipientKind::Individual
        })
        .unwrap();
    assert_eq!(
        (fig.register, fig.reported, fig.shown),
        (Some(6), Some(2.0), Some(6.0))
    );
    assert!(fig.differs);
    assert_eq!(fig.source, FigureSource::Both);
    // The reporting unit and year with both, listed with its two figures.
    assert_eq!(rec.pairs.len(), 1, "{:?}", rec.pairs);
    let pair = &rec.pairs[0];
    assert_eq!(
        (pair.unit.as_str(), pair.year, pair.indicator.as_str()),
        ("11", 2023, "kt_bang_khen")
    );
    assert_eq!(
        (pair.register, pair.reported, pair.differs),
        (8.0, 4.0, true)
    );
    let giay = rec
        .figures
        .iter()
        .find(|f| f.indicator == "kt_giay_khen")
        .unwrap();
    assert_eq!(
        (giay.register, giay.reported, giay.source),
        (None, Some(7.0), FigureSource::Form)
    );

    // The options' totals (the reviews' awards by recipient) follow the same rule.
    let cat = catalogue::indicators(&db).await.unwrap();
    let inds = catalogue::indicators_by_code(
        &db,
        &["kt_bang_khen".to_string(), "kt_giay_khen".to_string()],
    )
    .await
    .unwrap();
    let q = analytics::Query {
        indicators: &inds,
        catalogue: &cat,
        unit: &province,
        range: YearRange {
            from: 2021,
            to: 2023,
        },
        by: None,
        map: MapMode::Historical,
        approved_only: false,
    };
    let mut options: Vec<(String, String, i64)> = analytics::option_totals(&db, &q, None)
        .await
        .unwrap()
        .into_iter()
        .map(|(i, o, m, _)| (i, o, m / 1000))
        .collect();
    options.sort();
    assert_eq!(
        options,
        vec![
            ("kt_bang_khen".into(), "ca_nhan".into(), 3 + 5 + 1),
            ("kt_bang_khen".into(), "tap_the".into(), 2 + 2),
            ("kt_giay_khen".into(), "tap_the".into(), 7),
        ]
    );

    lineage(&db).await;
    events(&db, &province, c1, c2).await;
}

/// An award of an older unit counts under today's unit it maps to.
async fn lineage(db: &Db) {
    let old_province = unit(db, "87", "2020-06-01").await;
    let old_commune = communes(db, &old_province, "2020-06-01", 1).await.remove(0);
    let today = unit(db, "82", "2026-01-01").await;
    let gk = form_and_office(db, "Giấy khen", "kt_giay_khen", "Giám đốc Công an tỉnh").await;
    award(db, gk, &old_commune, 2020, &[("tap_the", 4)]).await;
    let now = run(
        db,
        &["kt_giay_khen"],
        &today,
        2020,
        2020,
        None,
        MapMode::Current,
    )
    .await;
    assert_eq!(
        (now[0].value, now[0].source),
        (Some(4.0), FigureSource::Register)
    );
    let then = run(
        db,
        &["kt_giay_khen"],
        &old_province,
        2020,
        2020,
        None,
        MapMode::Historical,
    )
    .await;
    assert_eq!(then[0].value, Some(4.0));
    let elsewhere = run(
        db,
        &["kt_giay_khen"],
        &today,
        2020,
        2020,
        None,
        MapMode::Historical,
    )
    .await;
    assert!(
        elsewhere.is_empty(),
        "as it was, today's province held no such unit"
    );
}

/// Events give counts per year, with the same form / register / both rule.
async fn events(db: &Db, province: &Unit, c1: &Unit, c2: &Unit) {
    let who = Who::system();
    let form = catalogue::form(db, "antq-nam").await.unwrap();
    event(db, "ngay_hoi", c1, "2022-08-19", None).await;
    event(db, "ngay_hoi", c1, "2023-08-19", None).await;
    event(db, "ngay_hoi", c2, "2023-08-18", None).await;
    // 16/12/2023 belongs to the reporting year 2024.
    event(db, "ngay_hoi", c2, "2023-12-16", None).await;
    event(db, "dien_dan", c2, "2023-03-02", Some(150)).await;
    event(db, "le_ky_ket", c2, "2023-03-02", Some(90)).await;
    reports::put_values(db, &who, &form, c1, "2022", vec![v("ngay_hoi", "", 1)])
        .await
        .unwrap();
    reports::put_values(
        db,
        &who,
        &form,
        province,
        "2023",
        vec![v("ngay_hoi", "", 5)],
    )
    .await
    .unwrap();
    let rows = run(
        db,
        &["ngay_hoi", "dd_so", "dd_luot"],
        province,
        2022,
        2024,
        Some(By::Year),
        MapMode::Historical,
    )
    .await;
    let r = find(&rows, "ngay_hoi", "2022");
    assert_eq!((r.value, r.source), (Some(1.0), FigureSource::Both));
    assert!(
        !r.flags.contains(&figures::FLAG_DIFFERS.to_string()),
        "1 reported, 1 held"
    );
    let r = find(&rows, "ngay_hoi", "2023");
    assert_eq!(
        (r.value, r.source),
        (Some(2.0), FigureSource::Both),
        "two held, not 5 + 2"
    );
    assert_eq!((r.form_value, r.register_value), (Some(5.0), Some(2.0)));
    assert!(r.flags.contains(&figures::FLAG_DIFFERS.to_string()));
    assert_eq!(find(&rows, "ngay_hoi", "2024").value, Some(1.0));
    assert_eq!(find(&rows, "dd_so", "2023").value, Some(1.0));
    let r = find(&rows, "dd_luot", "2023");
    assert_eq!((r.value, r.source), (Some(150.0), FigureSource::Register));

    // Counted per year: as a stock, a span gives each unit's last year, not a sum of years.
    let summed = run(db, &["ngay_hoi"], c1, 2022, 2023, None, MapMode::Historical).await;
    assert_eq!(summed[0].value, Some(2.0), "a flow: one a year");
    sqlx::query("UPDATE indicators SET aggregation = 'latest' WHERE code = 'ngay_hoi'")
        .execute(db.pool())
        .await
        .unwrap();
    let last = run(db, &["ngay_hoi"], c1, 2022, 2023, None, MapMode::Historical).await;
    assert_eq!(
        last[0].value,
        Some(1.0),
        "the same site in two years is one site"
    );
    let by_year = run(
        db,
        &["ngay_hoi"],
        c1,
        2022,
        2023,
        Some(By::Year),
        MapMode::Historical,
    )
    .await;
    assert_eq!(find(&by_year, "ngay_hoi", "2023").value, Some(1.0));
}

#[tokio::test]
async fn figures_on_sqlite() {
    let t = TestDb::sqlite();
    story(t.ready().await).await;
}

#[tokio::test]
async fn figures_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set");
        return;
    };
    let t = TestDb::postgres(&server).await;
    story(t.ready().await).await;
}
