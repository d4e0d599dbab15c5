//! Importing older unit versions and their lineage: every version checked,
//! then written in one transaction, audited.

use antq_core::dates::{self, Date};
use antq_core::units::{self, Level, Share, UnitCode, UnitKind, Validity};
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::units::{insert_units, next_id, rebuild_scope, rebuild_tree, sync_sequence, NewUnit};

/// What an import of unit versions and links did, or would do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub versions_added: usize,
    pub versions_shortened: usize,
    pub links_added: usize,
    pub dry_run: bool,
}

#[derive(Debug, Clone)]
struct VersionRow {
    line: usize,
    code: UnitCode,
    name: String,
    kind: UnitKind,
    level: Level,
    parent: Option<UnitCode>,
    validity: Validity,
}

fn parse_versions(csv_text: &str, errors: &mut Vec<String>) -> Vec<VersionRow> {
    let mut out = Vec::new();
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(csv_text.as_bytes());
    let expected = [
        "code",
        "name",
        "kind",
        "level",
        "parent_code",
        "valid_from",
        "valid_to",
    ];
    match rdr.headers() {
        Ok(h) if h.iter().map(str::trim).eq(expected) => {}
        _ => {
            errors.push(format!(
                "tệp phiên bản đơn vị: dòng tiêu đề phải là \"{}\"",
                expected.join(",")
            ));
            return out;
        }
    }
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("tệp phiên bản đơn vị, dòng {line}: {e}"));
                continue;
            }
        };
        let get = |k: usize| rec.get(k).map(str::trim).unwrap_or_default();
        let mut row_errors = Vec::new();
        let code = UnitCode::parse(get(0))
            .map_err(|e| row_errors.push(e.to_string()))
            .ok();
        let name = antq_core::units::Name::parse(get(1))
            .map_err(|e| row_errors.push(e.to_string()))
            .ok();
        let kind = get(2)
            .parse::<UnitKind>()
            .map_err(|e| row_errors.push(e.to_string()))
            .ok();
        let level = get(3)
            .parse::<Level>()
            .map_err(|e| row_errors.push(e.to_string()))
            .ok();
        let parent = match get(4) {
            "" => None,
            p => UnitCode::parse(p)
                .map_err(|e| row_errors.push(e.to_string()))
                .ok(),
        };
        let date = |s: &str, errs: &mut Vec<String>| -> Option<Date> {
            if s.is_empty() {
                None
            } else {
                dates::parse_date(s)
                    .map_err(|e| errs.push(e.to_string()))
                    .ok()
            }
        };
        let from = date(get(5), &mut row_errors);
        let to = date(get(6), &mut row_errors);
        let validity = Validity::new(from, to)
            .map_err(|e| row_errors.push(e.to_string()))
            .ok();
        if let (Some(k), Some(l)) = (kind, level) {
            if !k.fits(l) {
                row_errors.push(format!(
                    "loại \"{}\" không thuộc cấp {}",
                    k.as_str(),
                    l.label_vi()
                ));
            }
        }
        if let (Some(c), Some(l)) = (&code, level) {
            if c.level() != l {
                row_errors.push(format!(
                    "mã {c} không phải mã {}",
                    l.label_vi().to_lowercase()
                ));
            }
        }
        if from.is_none() || to.is_none() {
            row_errors.push("phiên bản cũ phải có cả ngày bắt đầu và ngày hết hiệu lực".into());
        }
        if row_errors.is_empty() {
            out.push(VersionRow {
                line,
                code: code.expect("checked"),
                name: antq_core::units::published_name(name.expect("checked").as_str()),
                kind: kind.expect("checked"),
                level: level.expect("checked"),
                parent,
                validity: validity.expect("checked"),
            });
        } else {
            for e in row_errors {
                errors.push(format!("tệp phiên bản đơn vị, dòng {line}: {e}"));
            }
        }
    }
    out
}

/// Import older unit versions (e.g. communes merged in 2019–2024) and lineage
/// links, all or nothing. Versions: `code,name,kind,level,parent_code,valid_from,valid_to`
/// (both dates required; the parent is the version of `parent_code` valid on
/// the version's last day). Links: `predecessor_code,predecessor_date,successor_code,successor_date,share`,
/// each side named by its code and any date within its validity. A version
/// may take the beginning of a version whose start is unknown (the official
/// list's legacy units): that version then starts the day after.
pub async fn import_history(
    db: &Db,
    who: &Who,
    versions_csv: Option<&str>,
    links_csv: Option<&str>,
    dry_run: bool,
) -> StorageResult<ImportReport> {
    let mut errors = Vec::new();
    let mut versions = versions_csv
        .map(|t| parse_versions(t, &mut errors))
        .unwrap_or_default();
    versions.sort_by_key(|v| (v.level, v.line));
    let mut report = ImportReport {
        dry_run,
        ..Default::default()
    };
    let mut tx = db.begin_write().await?;
    let mut next = next_id(&mut tx, "units").await?;

    for v in &versions {
        let where_ = format!("tệp phiên bản đơn vị, dòng {}", v.line);
        let existing = sqlx::query_as::<_, (i64, Option<String>, Option<String>)>(
            "SELECT id, valid_from, valid_to FROM units WHERE code = $1",
        )
        .bind(v.code.as_str())
        .fetch_all(tx.conn())
        .await?;
        let mut ok = true;
        for (id, from, to) in existing {
            let parse = |s: &Option<String>| s.as_deref().and_then(|d| dates::parse_date(d).ok());
            let other = Validity {
                from: parse(&from),
                to: parse(&to),
            };
            if !v.validity.overlaps(&other) {
                continue;
            }
            let new_to = v.validity.to.expect("checked at parse");
            let takes_beginning = other.from.is_none() && other.to.is_none_or(|t| new_to < t);
            if takes_beginning {
                let start = new_to.succ_opt().expect("a date has a next day");
                sqlx::query("UPDATE units SET valid_from = $1 WHERE id = $2")
                    .bind(dates::iso(start))
                    .bind(id)
                    .execute(tx.conn())
                    .await?;
                audit::append(
                    &mut tx,
                    Change {
                        who,
                        action: "unit.update",
                        entity: "unit",
                        entity_id: id.to_string(),
                        unit_id: Some(id),
                        before: Some(json!({"valid_from": null})),
                        after: Some(json!({"valid_from": dates::iso(start)})),
                    },
                )
                .await?;
                report.versions_shortened += 1;
            } else {
                errors.push(format!(
                    "{where_}: mã {} đã có phiên bản hiệu lực trùng khoảng thời gian này",
                    v.code
                ));
                ok = false;
            }
        }
        let last_day = v.validity.to.expect("checked at parse");
        let parent_id = match &v.parent {
            None if v.level == Level::Province => Some(nation_id(&mut tx).await?),
            None => {
                errors.push(format!("{where_}: thiếu mã đơn vị cấp trên"));
                None
            }
            Some(p) => {
                let found = sqlx::query_scalar::<_, i64>(&format!(
                    "SELECT u.id FROM units u WHERE u.code = $2 AND {}",
                    crate::units::VALID_AT
                ))
                .bind(dates::iso(last_day))
                .bind(p.as_str())
                .fetch_optional(tx.conn())
                .await?;
                if found.is_none() {
                    errors.push(format!(
                        "{where_}: không có đơn vị cấp trên mã {p} vào ngày {}",
                        dates::format_vi(last_day)
                    ));
                }
                found
            }
        };
        if !ok || parent_id.is_none() {
            continue;
        }
        let id = next;
        next += 1;
        insert_units(
            &mut tx,
            vec![NewUnit {
                id,
                code: v.code.as_str().into(),
                level: v.level,
                kind: v.kind,
                name: v.name.clone(),
                short_name: strip_kind(&v.name, v.kind),
                parent_id,
                valid_from: v.validity.from,
                valid_to: v.validity.to,
            }],
        )
        .await?;
        audit::append(
            &mut tx,
            Change {
                who,
                action: "unit.create",
                entity: "unit",
                entity_id: id.to_string(),
                unit_id: Some(id),
                before: None,
                after: Some(json!({
                    "code": v.code.as_str(), "name": v.name, "kind": v.kind.as_str(),
                    "level": v.level.as_str(),
                    "valid_from": v.validity.from.map(dates::iso),
                    "valid_to": v.validity.to.map(dates::iso),
                })),
            },
        )
        .await?;
        report.versions_added += 1;
    }
    sync_sequence(&mut tx, db.backend(), "units").await?;

    if let Some(text) = links_csv {
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let expected = [
            "predecessor_code",
            "predecessor_date",
            "successor_code",
            "successor_date",
            "share",
        ];
        match rdr.headers() {
            Ok(h) if h.iter().map(str::trim).eq(expected) => {
                for (i, rec) in rdr.records().enumerate() {
                    let where_ = format!("tệp liên kết kế thừa, dòng {}", i + 2);
                    let rec = match rec {
                        Ok(r) => r,
                        Err(e) => {
                            errors.push(format!("{where_}: {e}"));
                            continue;
                        }
                    };
                    let get = |k: usize| rec.get(k).map(str::trim).unwrap_or_default().to_string();
                    let mut side = |code: String, date: String| {
                        let code = UnitCode::parse(&code);
                        let date = dates::parse_date(&date);
                        match (code, date) {
                            (Ok(c), Ok(d)) => Some((c, d)),
                            (Err(e), _) | (_, Err(e)) => {
                                errors.push(format!("{where_}: {e}"));
                                None
                            }
                        }
                    };
                    let pred = side(get(0), get(1));
                    let succ = side(get(2), get(3));
                    let share = get(4)
                        .parse::<Share>()
                        .map_err(|e| errors.push(format!("{where_}: {e}")))
                        .ok();
                    let (Some((pc, pd)), Some((sc, sd)), Some(share)) = (pred, succ, share) else {
                        continue;
                    };
                    let p = resolve_at(&mut tx, &pc, pd).await?;
                    let s = resolve_at(&mut tx, &sc, sd).await?;
                    let (Some(p), Some(s)) = (p.clone(), s.clone()) else {
                        if p.is_none() {
                            errors.push(format!(
                                "{where_}: không có đơn vị mã {pc} vào ngày {}",
                                dates::format_vi(pd)
                            ));
                        }
                        if s.is_none() {
                            errors.push(format!(
                                "{where_}: không có đơn vị mã {sc} vào ngày {}",
                                dates::format_vi(sd)
                            ));
                        }
                        continue;
                    };
                    if !matches!((&p.2, &s.1), (Some(to), Some(from)) if to < from) {
                        errors.push(format!(
                            "{where_}: đơn vị {pc} phải hết hiệu lực trước khi đơn vị {sc} bắt đầu"
                        ));
                        continue;
                    }
                    let exists: Option<i64> = sqlx::query_scalar(
                        "SELECT id FROM unit_links WHERE predecessor_id = $1 AND successor_id = $2",
                    )
                    .bind(p.0)
                    .bind(s.0)
                    .fetch_optional(tx.conn())
                    .await?;
                    if exists.is_some() {
                        errors.push(format!("{where_}: liên kết {pc} → {sc} đã có"));
                        continue;
                    }
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO unit_links (predecessor_id, successor_id, share) VALUES ($1, $2, $3) RETURNING id",
                    )
                    .bind(p.0)
                    .bind(s.0)
                    .bind(share.as_str())
                    .fetch_one(tx.conn())
                    .await?;
                    audit::append(
                        &mut tx,
                        Change {
                            who,
                            action: "lineage.add",
                            entity: "unit_link",
                            entity_id: id.to_string(),
                            unit_id: Some(s.0),
                            before: None,
                            after: Some(json!({
                                "predecessor": pc.as_str(), "predecessor_date": dates::iso(pd),
                                "successor": sc.as_str(), "successor_date": dates::iso(sd),
                                "share": share.as_str(),
                            })),
                        },
                    )
                    .await?;
                    report.links_added += 1;
                }
            }
            _ => errors.push(format!(
                "tệp liên kết kế thừa: dòng tiêu đề phải là \"{}\"",
                expected.join(",")
            )),
        }
    }

    if !errors.is_empty() {
        return Err(StorageError::Rejected(errors));
    }
    if dry_run {
        return Ok(report);
    }
    rebuild_tree(&mut tx).await?;
    rebuild_scope(&mut tx).await?;
    crate::units::rebuild_data_map(&mut tx).await?;
    crate::statistics::rollups::rebuild(&mut tx).await?;
    tx.commit().await?;
    Ok(report)
}

type Version = (i64, Option<String>, Option<String>);

async fn resolve_at(
    tx: &mut crate::WriteTx,
    code: &UnitCode,
    at: Date,
) -> StorageResult<Option<Version>> {
    Ok(sqlx::query_as(&format!(
        "SELECT u.id, u.valid_from, u.valid_to FROM units u WHERE u.code = $2 AND {}",
        crate::units::VALID_AT
    ))
    .bind(dates::iso(at))
    .bind(code.as_str())
    .fetch_optional(tx.conn())
    .await?)
}

async fn nation_id(tx: &mut crate::WriteTx) -> StorageResult<i64> {
    Ok(sqlx::query_scalar("SELECT id FROM units WHERE code = $1")
        .bind(units::NATION_CODE)
        .fetch_one(tx.conn())
        .await?)
}

/// "Xã Mường Phăng" → "Mường Phăng".
pub(crate) fn strip_kind(name: &str, kind: UnitKind) -> String {
    let prefix = kind.as_str();
    match name.get(..prefix.len()) {
        Some(p) if antq_core::text::fold(p) == antq_core::text::fold(prefix) => {
            name[prefix.len()..].trim().to_string()
        }
        _ => name.to_string(),
    }
}
