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
        return write_rows_json(tx, table, columns, rows, on_conflict).await;
    }
    let per_batch = (4000 / columns.len()).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<Vec<Val>> = rows.by_ref().take(per_batch).collect();
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        for (i, _) in batch.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for c in 0..columns.len() {
                if c > 0 {
                    sql.push_str(", ");
                }
                // Plain `?`: SQLite looks numbered or named parameters up
                // by a linear scan at every bind, quadratic in a batch.
                sql.push('?');
            }
            sql.push(')');
        }
        if !on_conflict.is_empty() {
            sql.push(' ');
            sql.push_str(on_conflict);
        }
        let mut q = sqlx::query(&sql);
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

/// PostgreSQL: the rows travel as one JSON parameter that the server turns
/// into records of the table's own row type, so a batch of thousands of rows
/// is one short statement with one parameter (no per-value bind, no huge
/// statement to parse and plan).
async fn write_rows_json(
    tx: &mut WriteTx,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Val>>,
    on_conflict: &str,
) -> StorageResult<()> {
    use serde_json::Value as J;
    let list = columns.join(", ");
    let sql = format!(
        "INSERT INTO {table} ({list}) SELECT {list} FROM json_populate_recordset(NULL::{table}, $1::json) {on_conflict}"
    );
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<J> = rows
            .by_ref()
            .take(20_000)
            .map(|row| {
                debug_assert_eq!(row.len(), columns.len());
                let mut o = serde_json::Map::with_capacity(columns.len());
                for (c, v) in columns.iter().zip(row) {
                    let j = match v {
                        Val::Int(i) => J::from(i),
                        Val::OptInt(i) => i.map(J::from).unwrap_or(J::Null),
                        Val::Text(s) => J::String(s),
                        Val::OptText(s) => s.map(J::String).unwrap_or(J::Null),
                        Val::Bytes(b) => J::String(bytea_hex(&b)),
                    };
                    o.insert((*c).to_string(), j);
                }
                J::Object(o)
            })
            .collect();
        sqlx::query(&sql)
            .bind(J::Array(batch).to_string())
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

/// Bytes in PostgreSQL's bytea hex input form, `\\x0a1b…`.
fn bytea_hex(b: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(2 + 2 * b.len());
    s.push_str("\\x");
    for byte in b {
        let _ = write!(s, "{byte:02x}");
    }
    s
}
