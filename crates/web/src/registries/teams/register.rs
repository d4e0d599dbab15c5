//! The team register in Excel, in and out: the page's upload and downloads
//! and `antq teams import|export` share these operations.

use std::collections::HashMap;

use antq_core::dates;
use antq_storage::accounts::access::Actor;
use antq_storage::registries::teams::{self as store, Filter, NewTeam};
use antq_storage::statistics::analytics::MapMode;
use antq_storage::{Db, StorageError};

use super::excel::{self, ReadRow, Row};
use crate::error::Failure;

/// The empty template.
pub fn template() -> Vec<u8> {
    excel::write("Sổ tổ chức quần chúng bảo vệ an ninh, trật tự ở cơ sở", &[])
}

/// Resolve one row; errors carry their cells.
/// Units already looked up in one import, by (code, day).
type UnitCache = HashMap<(String, dates::Date), Result<antq_storage::units::Unit, String>>;

async fn resolve(
    db: &Db,
    r: &ReadRow,
    kinds: &HashMap<String, (i64, bool)>,
    cache: &mut UnitCache,
    errors: &mut Vec<String>,
) -> Option<NewTeam> {
    let before = errors.len();
    let mut need = |key: &str, what: &str| {
        if r.text(key).is_empty() {
            errors.push(format!("{}: thiếu {what}", r.place(key)));
        }
    };
    need("ten", "tên tổ chức");
    need("loai", "loại tổ chức");
    need("thanh_lap", "ngày thành lập");
    let date = |key: &str, errors: &mut Vec<String>| match r.text(key) {
        "" => None,
        s => match dates::parse_input_date(s) {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(format!(
                    "{}: ngày \u{201C}{s}\u{201D} không hợp lệ (dd/mm/yyyy)",
                    r.place(key)
                ));
                None
            }
        },
    };
    let established = date("thanh_lap", errors);
    let dissolved = date("giai_the", errors);
    let kind = match r.text("loai") {
        "" => None,
        k => match kinds.get(&antq_core::text::fold(k)) {
            Some((id, true)) => Some(*id),
            Some((_, false)) => {
                errors.push(format!(
                    "{}: loại \u{201C}{k}\u{201D} đã ngừng dùng",
                    r.place("loai")
                ));
                None
            }
            None => {
                errors.push(format!(
                    "{}: không có loại tổ chức \u{201C}{k}\u{201D}",
                    r.place("loai")
                ));
                None
            }
        },
    };
    let members = match r.text("thanh_vien") {
        "" => None,
        s => match s.replace('.', "").parse::<i64>() {
            Ok(n) if (0..=antq_core::registries::teams::limits::MEMBERS).contains(&n) => Some(n),
            _ => {
                errors.push(format!(
                    "{}: số thành viên \u{201C}{s}\u{201D} không hợp lệ",
                    r.place("thanh_vien")
                ));
                None
            }
        },
    };
    let model_id = match r.text("mo_hinh") {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                errors.push(format!(
                    "{}: số hiệu mô hình \u{201C}{s}\u{201D} không phải số",
                    r.place("mo_hinh")
                ));
                None
            }
        },
    };
    let unit = match established {
        Some(d) => {
            let key = (r.unit_code.clone(), d);
            if !cache.contains_key(&key) {
                let found = super::unit_at(db, &r.unit_code, d)
                    .await
                    .map_err(|e| e.message);
                cache.insert(key.clone(), found);
            }
            match &cache[&key] {
                Ok(u) => Some(u.clone()),
                Err(m) => {
                    errors.push(format!(
                        "{}: {m}",
                        antq_office::xlsx::place(excel::SHEET, r.line - 1, 0)
                    ));
                    None
                }
            }
        }
        None => None,
    };
    let area_id = match (&unit, r.text("khu_dan_cu")) {
        (Some(u), a) if !a.is_empty() => match super::area_named(db, u.id, a).await {
            Ok(id) => Some(id),
            Err(e) => {
                errors.push(format!("{}: {}", r.place("khu_dan_cu"), e.message));
                None
            }
        },
        _ => None,
    };
    for (key, label, max) in [
        (
            "ten",
            "Tên tổ chức",
            antq_core::registries::teams::limits::NAME,
        ),
        (
            "to_truong",
            "Tổ trưởng",
            antq_core::registries::teams::limits::LEADER,
        ),
        (
            "ghi_chu",
            "Ghi chú",
            antq_core::registries::teams::limits::NOTES,
        ),
    ] {
        if let Err(e) = antq_core::text::check_len(label, r.text(key), max) {
            errors.push(format!("{}: {e}", r.place(key)));
        }
    }
    if errors.len() > before {
        return None;
    }
    Some(NewTeam {
        kind_id: kind?,
        unit_id: unit?.id,
        area_id,
        name: r.text("ten").to_string(),
        established_on: established?,
        dissolved_on: dissolved,
        leader: r.text("to_truong").to_string(),
        members,
        model_id,
        notes: r.text("ghi_chu").to_string(),
    })
}

/// Import a register file, all or nothing (`actor`: None for the command
/// line). Returns how many teams were (or would be, on a dry run) written.
pub async fn import(
    db: &Db,
    actor: Option<&Actor>,
    bytes: &[u8],
    dry_run: bool,
) -> Result<usize, Failure> {
    let rows = excel::read(bytes).map_err(|e| Failure::from(StorageError::Rejected(e)))?;
    if rows.len() > antq_core::registries::teams::limits::IMPORT_ROWS {
        return Err(super::unprocessable(format!(
            "Tệp có {} tổ, vượt giới hạn {} tổ của một lần nhập",
            antq_core::text::format_int(rows.len() as i64),
            antq_core::text::format_int(antq_core::registries::teams::limits::IMPORT_ROWS as i64)
        )));
    }
    let kinds: HashMap<String, (i64, bool)> = store::kinds(db)
        .await?
        .into_iter()
        .map(|k| (antq_core::text::fold(&k.name), (k.id, k.active)))
        .collect();
    let mut errors = Vec::new();
    let mut items = Vec::with_capacity(rows.len());
    let mut cache = UnitCache::new();
    for r in &rows {
        if let Some(t) = resolve(db, r, &kinds, &mut cache, &mut errors).await {
            items.push((r.label(), t));
        }
    }
    if !errors.is_empty() {
        return Err(StorageError::Rejected(errors).into());
    }
    Ok(store::create_many(db, actor, &items, dry_run).await?)
}

/// The teams of a unit (with lineage), active or not, as an Excel file.
pub async fn export(db: &Db, actor: Option<&Actor>, unit: &str) -> Result<Vec<u8>, Failure> {
    let u = super::unit_at(db, unit, dates::today()).await?;
    if let Some(a) = actor {
        antq_storage::accounts::access::require(db, a, antq_core::auth::Action::Read, u.id).await?;
    }
    let mut rows = Vec::new();
    let mut offset = 0;
    loop {
        let f = Filter {
            unit: Some((u.id, MapMode::Current)),
            limit: 1000,
            offset,
            ..Filter::default()
        };
        let (page, total) = store::list(db, actor, &f).await?;
        for t in &page {
            let vi = |s: &str| {
                dates::parse_date(s)
                    .map(dates::format_vi)
                    .unwrap_or_else(|_| s.to_string())
            };
            rows.push(Row {
                unit_code: t.unit.code.clone(),
                unit_name: t.unit.name.clone(),
                values: [
                    t.name.clone(),
                    t.kind_name.clone(),
                    t.area_name.clone().unwrap_or_default(),
                    vi(&t.established_on),
                    t.dissolved_on.as_deref().map(vi).unwrap_or_default(),
                    t.leader.clone(),
                    t.members.map(|m| m.to_string()).unwrap_or_default(),
                    t.model_id.map(|m| m.to_string()).unwrap_or_default(),
                    t.notes.clone(),
                ],
            });
        }
        offset += page.len();
        if page.is_empty() || offset as i64 >= total {
            break;
        }
    }
    Ok(excel::write(
        &format!("Sổ tổ chức quần chúng bảo vệ ANTT ở cơ sở: {}", u.name),
        &rows,
    ))
}
