//! The demo's Ngày hội events: one per site the yearly reports count
//! (`ngay_hoi`), held on 19/8 by the reporting unit (see `demo::programmes`).

use antq_core::text::fold;

use crate::db::{Db, WriteTx};
use crate::error::StorageResult;

/// The Ngày hội sites each demo report counts: (unit id, year, sites).
pub(super) async fn ngay_hoi_sites(db: &Db) -> StorageResult<Vec<(i64, i32, i64)>> {
    let Some(indicator): Option<i64> =
        sqlx::query_scalar("SELECT id FROM indicators WHERE code = 'ngay_hoi'")
            .fetch_optional(db.pool())
            .await?
    else {
        return Ok(Vec::new());
    };
    let rows: Vec<(i64, i64, Vec<u8>)> = sqlx::query_as(
        "SELECT r.unit_id, r.period_year, b.body FROM reports r JOIN report_values b ON b.report_id = r.id \
         WHERE r.state_changed_by = 'demo' ORDER BY r.unit_id, r.period_year",
    )
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::new();
    for (unit, year, body) in rows {
        let sites: i64 = crate::statistics::report_values::decode(&body)?
            .into_iter()
            .filter(|v| v.indicator_id == indicator && v.option.is_empty())
            .map(|v| v.milli / 1000)
            .sum();
        if sites > 0 {
            out.push((unit, year as i32, sites));
        }
    }
    Ok(out)
}

/// One Ngày hội event (19/8) per site counted, many rows to a statement.
pub(super) async fn ngay_hoi_events(
    tx: &mut WriteTx,
    now: &str,
    sites: &[(i64, i32, i64)],
) -> StorageResult<usize> {
    let rows: Vec<(i64, i32, i64)> = sites
        .iter()
        .flat_map(|(u, y, n)| (1..=*n).map(move |i| (*u, *y, i)))
        .collect();
    for chunk in rows.chunks(200) {
        let mut sql = String::from(
            "INSERT INTO conferences (kind, title, held_on, unit_id, search_key, created_by, created_at, updated_at) VALUES ",
        );
        for (i, _) in chunk.iter().enumerate() {
            let b = i * 4;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!(
                "('ngay_hoi', ${}, ${}, ${}, ${}, 'demo', $1, $1)",
                b + 2,
                b + 3,
                b + 4,
                b + 5
            ));
        }
        let mut q = sqlx::query(&sql).bind(now.to_string());
        for (unit, year, site) in chunk {
            let title =
                format!("Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm {year} (điểm {site})");
            q = q
                .bind(title.clone())
                .bind(format!("{year}-08-19"))
                .bind(*unit)
                .bind(fold(&title));
        }
        q.execute(tx.conn()).await?;
    }
    Ok(rows.len())
}
