//! Multi-row INSERTs: one statement per few hundred rows instead of one round
//! trip per row (loading 14.000 units and their links in well under a second).

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::Any;

use crate::db::{Backend, WriteTx};
use crate::error::StorageResult;

/// A value to bind.
#[derive(Debug, Clone)]
pub enum Val {
    Int(i64),
    OptInt(Option<i64>),
    Text(String),
    /// Text known at compile time (codes such as a qualifier): no allocation.
    Str(&'static str),
    OptText(Option<String>),
    Bytes(Vec<u8>),
}

pub fn bind_val<'q>(
    q: Query<'q, Any, AnyArguments<'q>>,
    v: Val,
) -> Query<'q, Any, AnyArguments<'q>> {
    match v {
        Val::Int(i) => q.bind(i),
        Val::OptInt(i) => q.bind(i),
        Val::Text(s) => q.bind(s),
        Val::Str(s) => q.bind(s),
        Val::OptText(s) => q.bind(s),
        Val::Bytes(b) => q.bind(b),
    }
}

/// Insert `rows` into `table (columns)`, in batches.
pub async fn insert_rows(
    tx: &mut WriteTx,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Val>>,
) -> StorageResult<()> {
    write_rows(tx, table, columns, rows, "").await
}

/// Insert or update `rows`: `on_conflict` is the clause after the values,
/// e.g. `ON CONFLICT (a, b) DO UPDATE SET c = excluded.c` (same on both databases).
pub async fn upsert_rows(
    tx: &mut WriteTx,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Val>>,
    on_conflict: &str,
) -> StorageResult<()> {
    write_rows(tx, table, columns, rows, on_conflict).await
}

async fn write_rows(
    tx: &mut WriteTx,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Val>>,
    on_conflict: &str,
) -> StorageResult<()> {
    let backend = tx.backend();
    if backend == Backend::Postgres {
        return write_rows_bound(tx, table, columns, rows, on_conflict).await;
    }
    sqlite_batches(tx, table, columns, &rows, on_conflict, |mut q, row| {
        debug_assert_eq!(row.len(), columns.len());
        for v in row {
            q = match v {
                Val::Int(i) => q.bind(*i),
                Val::OptInt(i) => q.bind(*i),
                Val::Text(s) => q.bind(s.as_str()),
                Val::Str(s) => q.bind(*s),
                Val::OptText(s) => q.bind(s.as_deref()),
                Val::Bytes(b) => q.bind(b.as_slice()),
            };
        }
        q
    })
    .await
}

/// SQLite: rows written a few hundred per statement, each value bound by
/// reference with plain `?` placeholders (SQLite looks numbered or named
/// parameters up by a linear scan at every bind, quadratic in a batch).
/// While SQLite runs one statement on its own thread, the next is bound here.
async fn sqlite_batches<T: Sync>(
    tx: &mut WriteTx,
    table: &str,
    columns: &[&str],
    rows: &[T],
    on_conflict: &str,
    bind: impl for<'q> Fn(Query<'q, Any, AnyArguments<'q>>, &'q T) -> Query<'q, Any, AnyArguments<'q>>,
) -> StorageResult<()> {
    let per_batch = (4000 / columns.len()).max(1);
    let sql_for = |n: usize| {
        let one = format!("({})", vec!["?"; columns.len()].join(", "));
        let values = vec![one.as_str(); n].join(", ");
        let mut sql = format!(
            "INSERT INTO {table} ({}) VALUES {values}",
            columns.join(", ")
        );
        if !on_conflict.is_empty() {
            sql.push(' ');
            sql.push_str(on_conflict);
        }
        sql
    };
    let full_sql = sql_for(per_batch.min(rows.len()));
    let tail_sql = sql_for(rows.len() % per_batch);
    type Q<'q> = Query<'q, Any, AnyArguments<'q>>;
    fn build<'q, T>(sql: &'q str, batch: &'q [T], bind: &impl Fn(Q<'q>, &'q T) -> Q<'q>) -> Q<'q> {
        let mut q = sqlx::query(sql);
        for row in batch {
            q = bind(q, row);
        }
        q
    }
    let sql_of = |batch: &[T]| {
        if batch.len() == per_batch {
            full_sql.as_str()
        } else {
            tail_sql.as_str()
        }
    };
    let mut chunks = rows.chunks(per_batch);
    let mut next = chunks.next().map(|b| build(sql_of(b), b, &bind));
    while let Some(q) = next {
        let (done, built) = tokio::join!(q.execute(tx.conn()), async {
            chunks.next().map(|b| build(sql_of(b), b, &bind))
        });
        done?;
        next = built;
    }
    Ok(())
}

/// PostgreSQL: multi-row VALUES with every value bound (binary protocol,
/// up to 30.000 parameters a statement). Sending the rows as one JSON
/// parameter instead costs the same for short rows and twice as much for
/// long texts (audit rows) and bytes (hex in JSON).
async fn write_rows_bound(
    tx: &mut WriteTx,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Val>>,
    on_conflict: &str,
) -> StorageResult<()> {
    let per_statement = (30_000 / columns.len()).max(1);
    let sql_for = |n: usize| {
        let tuples: Vec<String> = (0..n)
            .map(|r| {
                let marks: Vec<String> = (0..columns.len())
                    .map(|c| format!("${}", r * columns.len() + c + 1))
                    .collect();
                format!("({})", marks.join(", "))
            })
            .collect();
        format!(
            "INSERT INTO {table} ({}) VALUES {} {on_conflict}",
            columns.join(", "),
            tuples.join(", ")
        )
    };
    let full = sql_for(per_statement.min(rows.len()));
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<Vec<Val>> = rows.by_ref().take(per_statement).collect();
        let tail;
        let sql = if batch.len() == per_statement {
            full.as_str()
        } else {
            tail = sql_for(batch.len());
            tail.as_str()
        };
        let mut q = sqlx::query(sql);
        for row in batch {
            debug_assert_eq!(row.len(), columns.len());
            for v in row {
                q = bind_val(q, v);
            }
        }
        q.execute(tx.conn()).await?;
    }
    Ok(())
}
