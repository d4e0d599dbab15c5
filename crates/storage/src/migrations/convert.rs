//! The data conversions of migrations 7 and 8 (values packed into one row
//! per report, then their JSON copy), run inside their migration's transaction.

use crate::error::StorageResult;

/// A `data_values` row of schema 6: report, indicator, option, thousandths,
/// qualifier, comment, updated at, updated by.
type OldValueRow = (
    i64,
    i64,
    String,
    i64,
    String,
    Option<String>,
    String,
    String,
);

/// v7: every report's `data_values` rows become its `report_values` row
/// (the time and author of its latest value), then `data_values` goes.
pub(super) async fn pack_values(tx: &mut crate::WriteTx) -> StorageResult<()> {
    use crate::statistics::report_values::{row, StoredValue};
    let mut after = 0i64;
    loop {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT report_id FROM data_values WHERE report_id > $1 ORDER BY report_id LIMIT 2000",
        )
        .bind(after)
        .fetch_all(tx.conn())
        .await?;
        let (Some(first), Some(last)) = (ids.first(), ids.last()) else {
            break;
        };
        let rows: Vec<OldValueRow> =
            sqlx::query_as(
                "SELECT report_id, indicator_id, option_code, value_milli, qualifier, comment, updated_at, updated_by \
                 FROM data_values WHERE report_id BETWEEN $1 AND $2 ORDER BY report_id",
            )
            .bind(first)
            .bind(last)
            .fetch_all(tx.conn())
            .await?;
        let mut out = Vec::new();
        let mut current: Option<(i64, Vec<StoredValue>, String, String)> = None;
        for (report, ind, option, milli, q, comment, at, by) in rows {
            if current.as_ref().is_some_and(|c| c.0 != report) {
                let (id, mut values, at, by) = current.take().expect("checked");
                out.push(v7_row(row(id, &mut values, &at, &by)));
            }
            let c = current.get_or_insert_with(|| (report, Vec::new(), at.clone(), by.clone()));
            if at > c.2 {
                (c.2, c.3) = (at, by);
            }
            c.1.push(StoredValue {
                indicator_id: ind,
                option,
                milli,
                qualifier: q.parse()?,
                comment,
            });
        }
        if let Some((id, mut values, at, by)) = current {
            out.push(v7_row(row(id, &mut values, &at, &by)));
        }
        crate::batch::insert_rows(
            tx,
            "report_values",
            crate::statistics::report_values::COLUMNS_V7,
            out,
        )
        .await?;
        after = *last;
    }
    sqlx::query("DROP TABLE data_values")
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// A `report_values` row as schema 7 had it (without `doc`).
fn v7_row(mut row: Vec<crate::batch::Val>) -> Vec<crate::batch::Val> {
    row.truncate(crate::statistics::report_values::COLUMNS_V7.len());
    row
}

/// v8: the `doc` of every existing `report_values` row, from its bytes,
/// a page of reports at a time.
pub(super) async fn values_doc(tx: &mut crate::WriteTx) -> StorageResult<()> {
    use crate::statistics::report_values::{decode, doc};
    let mut after = 0i64;
    loop {
        let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(
            "SELECT report_id, body FROM report_values WHERE report_id > $1 ORDER BY report_id LIMIT 2000",
        )
        .bind(after)
        .fetch_all(tx.conn())
        .await?;
        let Some(last) = rows.last().map(|r| r.0) else {
            break;
        };
        for (id, body) in rows {
            sqlx::query("UPDATE report_values SET doc = $1 WHERE report_id = $2")
                .bind(doc(&decode(&body)?))
                .bind(id)
                .execute(tx.conn())
                .await?;
        }
        after = last;
    }
    Ok(())
}
