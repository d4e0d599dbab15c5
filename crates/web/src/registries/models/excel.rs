//! The models register in Excel: the template to fill (one row per model,
//! Vietnamese headings, the statistics template's layout so it is read the
//! same way), its import (all or nothing, every bad cell named by sheet and
//! cell), and the export of a unit's models. The page's upload and
//! download and `antq models import|export` share these operations.

use std::collections::{BTreeMap, HashMap};

use antq_core::dates::{self, Date};
use antq_core::registries::models::ModelState;
use antq_core::text;
use antq_core::units::UnitCode;
use antq_office::xlsx::{self, Filled, Template};
use antq_office::{Cell, Table};
use antq_storage::accounts::access::Actor;
use antq_storage::registries::models::{self as store, Filter, ImportRow, ModelScope, NewModel};
use antq_storage::{units, Db, StorageError};

use crate::error::Failure;

/// The form code written in the template (cell B2), checked on import.
pub const FORM: &str = "so_mo_hinh";
/// The columns after the unit's code and name: (key, heading).
pub const COLUMNS: [(&str, &str); 9] = [
    ("ten", "Tên mô hình"),
    ("loai", "Loại mô hình"),
    ("bat_dau", "Ngày bắt đầu (dd/mm/yyyy)"),
    ("nhan_rong_tu", "Nhân rộng từ mô hình số"),
    ("trang_thai", "Trạng thái"),
    ("ngay_trang_thai", "Ngày của trạng thái (dd/mm/yyyy)"),
    ("xep_loai", "Xếp loại"),
    ("nam_xep_loai", "Năm xếp loại"),
    ("ghi_chu", "Ghi chú"),
];

fn internal(e: String) -> Failure {
    Failure::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e)
}

/// The empty template.
pub fn template() -> Result<Vec<u8>, Failure> {
    xlsx::write_template(&Template {
        title:
            "Sổ theo dõi mô hình phong trào toàn dân bảo vệ an ninh Tổ quốc (mỗi dòng một mô hình)"
                .into(),
        form: FORM.into(),
        period: "mo_hinh".into(),
        parent: String::new(),
        columns: COLUMNS
            .iter()
            .map(|(k, h)| (k.to_string(), h.to_string()))
            .collect(),
        rows: Vec::new(),
    })
    .map_err(internal)
}

/// "Biểu 01, ô D17" → 17 (the sheet's row, 1-based).
fn row_of(place: &str) -> u32 {
    let digits: String = place
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().unwrap_or(0)
}

fn cell_text(v: &Filled) -> String {
    match v {
        Filled::Text(t) => t.clone(),
        Filled::Number(x) if x.fract() == 0.0 => format!("{}", *x as i64),
        Filled::Number(x) => x.to_string(),
    }
}

/// A date cell: text (dd/mm/yyyy or ISO) or an Excel serial day number.
fn cell_date(v: &Filled) -> Result<Date, String> {
    match v {
        Filled::Number(x) if x.fract() == 0.0 && (1.0..=80_000.0).contains(x) => {
            let base = Date::from_ymd_opt(1899, 12, 30).expect("valid");
            Ok(base + chrono::Duration::days(*x as i64))
        }
        other => {
            let t = cell_text(other);
            dates::parse_input_date(&t)
                .map_err(|_| format!("ngày \u{201C}{t}\u{201D} không hợp lệ (dd/mm/yyyy)"))
        }
    }
}

fn cell_int(v: &Filled) -> Result<i64, String> {
    match v {
        Filled::Number(x) if x.fract() == 0.0 && x.abs() < 1e15 => Ok(*x as i64),
        other => {
            let t = cell_text(other);
            t.trim()
                .parse::<i64>()
                .map_err(|_| format!("\u{201C}{t}\u{201D} không phải số nguyên"))
        }
    }
}

/// Import a filled template, all or nothing (`actor`: None for the command
/// line). Returns how many models were (or would be) written.
pub async fn import(
    db: &Db,
    actor: Option<&Actor>,
    bytes: &[u8],
    dry_run: bool,
) -> Result<usize, Failure> {
    let up = xlsx::read_template(bytes).map_err(|e| Failure::from(StorageError::Rejected(e)))?;
    if up.form != FORM {
        return Err(Failure::from(StorageError::Rejected(vec![format!(
            "{}, ô B2: tệp không phải mẫu sổ mô hình (mã mẫu phải là {FORM}); hãy tải mẫu ở trang Sổ mô hình",
            xlsx::TEMPLATE_SHEET
        )])));
    }
    // One model per sheet row.
    type RowCells<'a> = (String, HashMap<&'a str, (&'a str, &'a Filled)>);
    let mut rows: BTreeMap<u32, RowCells> = BTreeMap::new();
    for c in &up.cells {
        let e = rows
            .entry(row_of(&c.place))
            .or_insert_with(|| (c.unit.clone(), HashMap::new()));
        e.1.insert(c.key.as_str(), (c.place.as_str(), &c.value));
    }
    if rows.is_empty() {
        return Err(Failure::from(StorageError::Rejected(vec![format!(
            "{}: tệp không có dòng mô hình nào",
            xlsx::TEMPLATE_SHEET
        )])));
    }
    if rows.len() > antq_core::registries::models::limits::MAX_IMPORT_ROWS {
        return Err(Failure::from(StorageError::Rejected(vec![format!(
            "Tệp có {} dòng, vượt giới hạn {} mô hình một lần nhập",
            text::format_int(rows.len() as i64),
            text::format_int(antq_core::registries::models::limits::MAX_IMPORT_ROWS as i64)
        )])));
    }
    let types: HashMap<String, i64> = store::list_types(db, false)
        .await?
        .into_iter()
        .map(|t| (text::fold(&t.name), t.id))
        .collect();
    let mut unit_cache: HashMap<(String, Date), Option<i64>> = HashMap::new();
    let mut errors = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    for (row, (unit, cells)) in &rows {
        let unit_place = format!("{}, ô A{row}", xlsx::TEMPLATE_SHEET);
        let before = errors.len();
        let place = |k: &str| {
            cells.get(k).map(|(p, _)| p.to_string()).unwrap_or_else(|| {
                let col = 2 + COLUMNS.iter().position(|(c, _)| *c == k).unwrap_or(0) as u32;
                format!(
                    "{}, ô {}{row}",
                    xlsx::TEMPLATE_SHEET,
                    xlsx::column_name(col)
                )
            })
        };
        let text_of = |k: &str| cells.get(k).map(|(_, v)| cell_text(v)).unwrap_or_default();
        let name = text_of("ten");
        if name.trim().is_empty() {
            errors.push(format!("{}: thiếu tên mô hình", place("ten")));
        }
        let type_name = text_of("loai");
        let type_id = if type_name.trim().is_empty() {
            errors.push(format!("{}: thiếu loại mô hình", place("loai")));
            None
        } else {
            let t = types.get(&text::fold(&type_name)).copied();
            if t.is_none() {
                errors.push(format!(
                    "{}: không có loại mô hình \u{201C}{type_name}\u{201D} trong danh mục",
                    place("loai")
                ));
            }
            t
        };
        let started = match cells.get("bat_dau") {
            None => {
                errors.push(format!("{}: thiếu ngày bắt đầu", place("bat_dau")));
                None
            }
            Some((p, v)) => cell_date(v)
                .map_err(|e| errors.push(format!("{p}: {e}")))
                .ok(),
        };
        let replicates_id = match cells.get("nhan_rong_tu") {
            None => None,
            Some((p, v)) => cell_int(v)
                .map_err(|e| errors.push(format!("{p}: {e}")))
                .ok(),
        };
        let state = match cells.get("trang_thai") {
            None => None,
            Some((p, v)) => ModelState::parse(&cell_text(v))
                .map_err(|e| errors.push(format!("{p}: {e}")))
                .ok(),
        };
        let state_day = match cells.get("ngay_trang_thai") {
            None => None,
            Some((p, v)) => cell_date(v)
                .map_err(|e| errors.push(format!("{p}: {e}")))
                .ok(),
        };
        let state = match (state, state_day) {
            (Some(ModelState::Moi) | None, _) => None,
            (Some(s), Some(d)) => Some((s, d)),
            (Some(_), None) => {
                errors.push(format!(
                    "{}: thiếu ngày của trạng thái",
                    place("ngay_trang_thai")
                ));
                None
            }
        };
        let rated_year = match cells.get("nam_xep_loai") {
            None => None,
            Some((p, v)) => cell_int(v)
                .map_err(|e| errors.push(format!("{p}: {e}")))
                .ok(),
        };
        let unit_id = match (UnitCode::parse(unit), started) {
            (Err(e), _) => {
                errors.push(format!("{unit_place}: {e}"));
                None
            }
            (Ok(_), None) => None,
            (Ok(code), Some(d)) => {
                let key = (unit.clone(), d);
                let found = match unit_cache.get(&key) {
                    Some(f) => *f,
                    None => {
                        let f = units::find_at(db, &code, d).await?.map(|u| u.id);
                        unit_cache.insert(key, f);
                        f
                    }
                };
                if found.is_none() {
                    errors.push(format!(
                        "{unit_place}: không có đơn vị mã {unit} vào ngày {}",
                        dates::format_vi(d)
                    ));
                }
                found
            }
        };
        if errors.len() > before {
            continue;
        }
        let (Some(type_id), Some(started_on), Some(unit_id)) = (type_id, started, unit_id) else {
            continue;
        };
        out.push(ImportRow {
            label: format!("{}, dòng {row}", xlsx::TEMPLATE_SHEET),
            model: NewModel {
                name,
                type_id,
                unit_id,
                area_id: None,
                started_on,
                rating: text_of("xep_loai"),
                rated_year,
                notes: text_of("ghi_chu"),
                replicates_id,
            },
            state,
        });
    }
    if !errors.is_empty() {
        return Err(StorageError::Rejected(errors).into());
    }
    Ok(store::create_many(db, actor, &out, dry_run).await?)
}

/// The models of a unit's subtree (with lineage) as an Excel table with the
/// template's headings.
pub async fn export(db: &Db, actor: Option<&Actor>, unit: &str) -> Result<Vec<u8>, Failure> {
    let u = units::get_at(db, &UnitCode::parse(unit.trim())?, dates::today()).await?;
    if let Some(a) = actor {
        antq_storage::accounts::access::require(db, a, antq_core::auth::Action::Read, u.id).await?;
    }
    let mut headers = vec!["Mã đơn vị".to_string(), "Tên đơn vị".to_string()];
    headers.extend(COLUMNS.iter().map(|(_, h)| h.to_string()));
    headers.push("Số mô hình".into());
    let mut table = Table {
        title: format!("Sổ theo dõi mô hình của {}", u.name),
        headers,
        rows: Vec::new(),
    };
    let mut offset = 0;
    loop {
        let (page, _) = store::list(
            db,
            actor,
            &Filter {
                unit: Some(ModelScope { unit_id: u.id }),
                limit: 500,
                offset,
                ..Filter::default()
            },
        )
        .await?;
        if page.is_empty() {
            break;
        }
        offset += page.len();
        for m in &page {
            let day = |s: &str| {
                dates::parse_date(s)
                    .map(dates::format_vi)
                    .unwrap_or_default()
            };
            let (state_day, state) = match (&m.dissolved_on, m.state) {
                (Some(d), _) => (day(d), ModelState::GiaiThe.word_vi()),
                (None, s) => (String::new(), s.word_vi()),
            };
            table.rows.push(vec![
                Cell::Text(m.unit.code.clone()),
                Cell::Text(m.unit.name.clone()),
                Cell::Text(m.name.clone()),
                Cell::Text(m.type_name.clone()),
                Cell::Text(day(&m.started_on)),
                m.replicates_id
                    .map(|x| Cell::Number(x as f64))
                    .unwrap_or(Cell::Empty),
                Cell::Text(state.to_string()),
                Cell::Text(state_day),
                Cell::Text(m.rating.clone()),
                m.rated_year
                    .map(|x| Cell::Number(x as f64))
                    .unwrap_or(Cell::Empty),
                Cell::Text(m.notes.clone()),
                Cell::Number(m.id as f64),
            ]);
        }
        if offset >= 200_000 {
            break;
        }
    }
    xlsx::write_table("Sổ mô hình", &table).map_err(internal)
}
