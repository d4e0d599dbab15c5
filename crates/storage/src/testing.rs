//! Fresh databases for tests: a temporary SQLite file always, or a new
//! PostgreSQL database on the server named by `ANTQ_TEST_DATABASE_URL`
//! (dropped again when the test ends).

use std::path::PathBuf;

use sqlx::Connection;

use crate::db::Db;

/// The PostgreSQL server for tests, if one was given.
pub fn postgres_url() -> Option<String> {
    std::env::var("ANTQ_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
}

/// A database that lives as long as this value.
pub struct TestDb {
    pub url: String,
    dir: Option<PathBuf>,
    pg: Option<(String, String)>,
}

impl TestDb {
    /// A fresh, empty database: PostgreSQL when `ANTQ_TEST_DATABASE_URL` is
    /// set, otherwise a SQLite file in a new temporary directory.
    pub async fn new() -> TestDb {
        match postgres_url() {
            Some(server) => TestDb::postgres(&server).await,
            None => TestDb::sqlite(),
        }
    }

    pub fn sqlite() -> TestDb {
        let dir = std::env::temp_dir().join(format!(
            "antq-test-{}",
            &antq_core::auth::random_secret()[..16]
        ));
        std::fs::create_dir_all(&dir).expect("temporary directory");
        TestDb {
            url: format!("sqlite://{}/antq.db", dir.display()),
            dir: Some(dir),
            pg: None,
        }
    }

    pub async fn postgres(server: &str) -> TestDb {
        sqlx::any::install_default_drivers();
        let name = format!("antq_test_{}", &antq_core::auth::random_secret()[..16]);
        let mut conn = sqlx::AnyConnection::connect(server)
            .await
            .expect("connect to ANTQ_TEST_DATABASE_URL");
        sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("create a test database");
        conn.close().await.ok();
        let (base, query) = match server.split_once('?') {
            Some((b, q)) => (b, format!("?{q}")),
            None => (server, String::new()),
        };
        let base = base.rsplit_once('/').map(|(h, _)| h).unwrap_or(base);
        TestDb {
            url: format!("{base}/{name}{query}"),
            dir: None,
            pg: Some((server.to_string(), name)),
        }
    }

    /// Connect, migrate, load the official units and the catalogue.
    pub async fn ready(&self) -> Db {
        let db = Db::connect(&self.url)
            .await
            .expect("connect to the test database");
        crate::prepare(&db)
            .await
            .expect("migrations, units and catalogue");
        db
    }
}

/// One rollup row: node, indicator, map kind, year, part (0 for the year's
/// own row), approved, then the sum, values, "more than", "nearly",
/// "about" and split counts.
pub type RollupRow = (
    i64,
    i64,
    String,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
);

/// Every rollup row that holds anything, years and parts, in key order.
pub async fn rollup_rows(db: &Db) -> Vec<RollupRow> {
    let columns = "node_id, indicator_id, map_kind, period_year";
    let sums = "approved, sum_milli, n_values, n_more, n_nearly, n_about, n_split";
    sqlx::query_as(&format!(
        "SELECT {columns}, 0, {sums} FROM rollup_year WHERE n_values <> 0 OR sum_milli <> 0 \
         UNION ALL SELECT {columns}, period_part, {sums} FROM rollup_part \
         WHERE n_values <> 0 OR sum_milli <> 0 ORDER BY 1, 2, 3, 4, 5, 6"
    ))
    .fetch_all(db.pool())
    .await
    .expect("read the rollups")
}

/// A breakdown option's rollup row: node, indicator, map kind, year,
/// approved, option, sum, values, "more than", "nearly" and "about" counts.
pub type OptionRollupRow = (i64, i64, String, i64, i64, String, i64, i64, i64, i64, i64);

/// Every row of `rollup_option` that holds anything, in key order.
pub async fn option_rollup_rows(db: &Db) -> Vec<OptionRollupRow> {
    sqlx::query_as(
        "SELECT node_id, indicator_id, map_kind, period_year, approved, option_code, \
         sum_milli, n_values, n_more, n_nearly, n_about FROM rollup_option \
         WHERE n_values <> 0 OR sum_milli <> 0 ORDER BY 1, 2, 3, 4, 5, 6",
    )
    .fetch_all(db.pool())
    .await
    .expect("read the options' rollups")
}

/// The rollups maintained on write (years, parts and options) equal a
/// rebuild from the reports (`what` names the database in the failure);
/// returns the rows of years and parts compared.
pub async fn assert_rollups_equal_rebuild(db: &Db, what: &str) -> Vec<RollupRow> {
    let maintained = rollup_rows(db).await;
    let options = option_rollup_rows(db).await;
    let mut tx = db.begin_write().await.expect("a write transaction");
    crate::statistics::rollups::rebuild(&mut tx)
        .await
        .expect("rebuild the rollups");
    tx.commit().await.expect("commit the rebuild");
    assert_eq!(
        rollup_rows(db).await,
        maintained,
        "{what}: rollups = rebuild"
    );
    assert_eq!(
        option_rollup_rows(db).await,
        options,
        "{what}: options' rollups = rebuild"
    );
    maintained
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
        if let Some((server, name)) = self.pg.take() {
            // Drop the database from a separate thread with its own runtime,
            // since Drop cannot await.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(rt) = rt {
                    rt.block_on(async {
                        if let Ok(mut conn) = sqlx::AnyConnection::connect(&server).await {
                            let _ = sqlx::raw_sql(&format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            ))
                            .execute(&mut conn)
                            .await;
                        }
                    });
                }
            })
            .join();
        }
    }
}
