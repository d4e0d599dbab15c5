//! The models register in Excel: one list of columns ([`COLUMNS`]) gives
//! the template to fill, the export of a unit's models and the import of
//! either (all or nothing, every bad cell named by sheet and cell), through
//! the shared register reader and writer. Dates are written as Excel dates;
//! a date cell or a text dd/mm/yyyy is read. The page's upload and download
//! and `antq models import|export|template` share these operations.

use std::collections::HashMap;

use antq_core::dates::{self, Date};
use antq_core::registries::models::{limits::MAX_IMPORT_ROWS, ModelState};
use antq_core::text;
use antq_core::units::UnitCode;
use antq_office::limits::ImportLimits;
use antq_office::register_rows::{self, Column, Row, Value};
use antq_storage::accounts::access::Actor;
use antq_storage::registries::models::{self as store, Filter, ImportRow, ModelScope, NewModel};
use antq_storage::{units, Db, StorageError};

use crate::error::Failure;

/// The sheet's name in the template and the export.
pub const SHEET: &str = "Sổ mô hình";

/// The register's columns, written in the template and the export and
/// looked for (by heading) on import. "Tên đơn vị" is written for the
/// reader; "Số mô hình" only links a replication to a model of the same file
/// (a model gets a new number when imported).
pub const COLUMNS: [Column; 12] = [
    Column::new("Mã đơn vị", 12.0),
    Column::new("Tên mô hình", 36.0),
    Column::new("Loại mô hình", 28.0),
    Column::new("Ngày bắt đầu (dd/mm/yyyy)", 14.0),
    Column::optional("Trạng thái", 14.0),
    Column::optional("Ngày của trạng thái (dd/mm/yyyy)", 14.0),
    Column::optional("Nhân rộng từ mô hình số", 12.0),
    Column::optional("Xếp loại", 14.0),
    Column::optional("Năm xếp loại", 10.0),
    Column::optional("Ghi chú", 32.0),
    Column::optional("Tên đơn vị", 28.0),
    Column::optional("Số mô hình", 10.0),
];

const UNIT: usize = 0;
const NAME: usize = 1;
const TYPE: usize = 2;
const STARTED: usize = 3;
const STATE: usize = 4;
const STATE_DAY: usize = 5;
const REPLICATES: usize = 6;
const RATING: usize = 7;
const RATED_YEAR: usize = 8;
const NOTES: usize = 9;
const UNIT_NAME: usize = 10;
const ID: usize = 11;

const TITLE: &str =
    "Sổ theo dõi mô hình phong trào toàn dân bảo vệ an ninh Tổ quốc (mỗi dòng một mô hình)";

fn internal(e: String) -> Failure {
    Failure::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e)
}

fn rejected(errors: Vec<String>) -> Failure {
    Failure::from(StorageError::Rejected(errors))
}

/// The empty template.
pub fn template() -> Result<Vec<u8>, Failure> {
    register_rows::write(SHEET, TITLE, &COLUMNS, &[]).map_err(internal)
}

/// The rows of an uploaded register (the template or an export), read with
/// the register's columns.
fn read(bytes: &[u8]) -> Result<register_rows::Sheet, Failure> {
    let limits = ImportLimits {
        sheet_rows: MAX_IMPORT_ROWS as u32 + 50,
        sheet_columns: 50,
        ..ImportLimits::default()
    };
    register_rows::read(bytes, &COLUMNS, MAX_IMPORT_ROWS, &limits).map_err(rejected)
}

/// An optional typed cell: its value, or None with its error kept.
fn keep<T>(errors: &mut Vec<String>, r: Result<Option<T>, String>) -> Option<T> {
    r.unwrap_or_else(|e| {
        errors.push(e);
        None
    })
}

/// Import a filled template or an export, all or nothing (`actor`: None for
/// the command line). Returns how many models were (or would be) written.
pub async fn import(
    db: &Db,
    actor: Option<&Actor>,
    bytes: &[u8],
    dry_run: bool,
) -> Result<usize, Failure> {
    let sheet = read(bytes)?;
    let types: HashMap<String, i64> = store::list_types(db, false)
        .await?
        .into_iter()
        .map(|t| (text::fold(&t.name), t.id))
        .collect();
    let mut unit_cache: HashMap<(String, Date), Option<i64>> = HashMap::new();
    let mut errors = Vec::new();
    let mut out = Vec::with_capacity(sheet.len());
    // "Số mô hình" of the rows (an export's numbers) → their place in `out`,
    // so a replication of a model of the same file links to its new copy.
    let mut numbered: HashMap<i64, usize> = HashMap::new();
    for row in sheet.rows() {
        let before = errors.len();
        let number = keep(&mut errors, row.int(ID));
        let model = one_row(db, &row, &types, &mut unit_cache, &mut errors).await?;
        if errors.len() > before {
            continue;
        }
        if let Some(r) = model {
            if let Some(n) = number {
                if numbered.insert(n, out.len()).is_some() {
                    errors.push(format!(
                        "{}: số mô hình {n} đã có ở một dòng khác của tệp",
                        row.place(ID)
                    ));
                }
            }
            out.push(r);
        }
    }
    if !errors.is_empty() {
        return Err(rejected(errors));
    }
    for r in &mut out {
        if let Some(k) = r.model.replicates_id.and_then(|x| numbered.get(&x)) {
            r.replicates_row = Some(*k);
            r.model.replicates_id = None;
        }
    }
    Ok(store::create_many(db, actor, &out, dry_run).await?)
}

/// One row as a model to write; its errors, each naming its cell, are added
/// to `errors`.
async fn one_row(
    db: &Db,
    row: &Row<'_>,
    types: &HashMap<String, i64>,
    unit_cache: &mut HashMap<(String, Date), Option<i64>>,
    errors: &mut Vec<String>,
) -> Result<Option<ImportRow>, Failure> {
    let name = row.text(NAME);
    if name.is_empty() {
        errors.push(format!("{}: thiếu tên mô hình", row.place(NAME)));
    }
    let type_name = row.text(TYPE);
    let type_id = if type_name.is_empty() {
        errors.push(format!("{}: thiếu loại mô hình", row.place(TYPE)));
        None
    } else {
        let t = types.get(&text::fold(&type_name)).copied();
        if t.is_none() {
            errors.push(format!(
                "{}: không có loại mô hình \u{201C}{type_name}\u{201D} trong danh mục",
                row.place(TYPE)
            ));
        }
        t
    };
    let started = match row.date(STARTED) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            errors.push(format!("{}: thiếu ngày bắt đầu", row.place(STARTED)));
            None
        }
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let replicates_id = keep(errors, row.int(REPLICATES));
    let state_text = row.text(STATE);
    let state = if state_text.is_empty() {
        None
    } else {
        ModelState::parse(&state_text)
            .map_err(|e| errors.push(format!("{}: {e}", row.place(STATE))))
            .ok()
    };
    let state_day = keep(errors, row.date(STATE_DAY));
    let state = match (state, state_day) {
        (Some(ModelState::Moi) | None, _) => None,
        (Some(s), Some(d)) => Some((s, d)),
        (Some(_), None) => {
            errors.push(format!(
                "{}: thiếu ngày của trạng thái",
                row.place(STATE_DAY)
            ));
            None
        }
    };
    let rated_year = keep(errors, row.int(RATED_YEAR));
    let unit = row.text(UNIT);
    let unit_id = match (UnitCode::parse(&unit), started) {
        (Err(e), _) => {
            errors.push(format!("{}: {e}", row.place(UNIT)));
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
                    "{}: không có đơn vị mã {unit} vào ngày {}",
                    row.place(UNIT),
                    dates::format_vi(d)
                ));
            }
            found
        }
    };
    let (Some(type_id), Some(started_on), Some(unit_id)) = (type_id, started, unit_id) else {
        return Ok(None);
    };
    Ok(Some(ImportRow {
        label: row.label(),
        model: NewModel {
            name,
            type_id,
            unit_id,
            area_id: None,
            started_on,
            rating: row.text(RATING),
            rated_year,
            notes: row.text(NOTES),
            replicates_id,
        },
        state,
        replicates_row: None,
    }))
}

/// The models of a unit's subtree (with lineage) in the template's columns,
/// so the file reads back with [`import`].
pub async fn export(db: &Db, actor: Option<&Actor>, unit: &str) -> Result<Vec<u8>, Failure> {
    let u = units::get_at(db, &UnitCode::parse(unit.trim())?, dates::today()).await?;
    if let Some(a) = actor {
        antq_storage::accounts::access::require(db, a, antq_core::auth::Action::Read, u.id).await?;
    }
    let mut rows: Vec<Vec<Value>> = Vec::new();
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
        let ids: Vec<i64> = page.iter().map(|m| m.id).collect();
        let days = store::state_days(db, &ids).await?;
        for m in &page {
            let day = |s: Option<&String>| {
                s.and_then(|s| dates::parse_date(s).ok())
                    .map(Value::Date)
                    .unwrap_or(Value::Empty)
            };
            let state_day = match m.state {
                ModelState::Moi => Value::Empty,
                ModelState::GiaiThe => day(m.dissolved_on.as_ref().or(days.get(&m.id))),
                _ => day(days.get(&m.id)),
            };
            let int = |x: Option<i64>| x.map(Value::Int).unwrap_or(Value::Empty);
            let mut r = vec![Value::Empty; COLUMNS.len()];
            r[UNIT] = Value::Text(m.unit.code.clone());
            r[NAME] = Value::Text(m.name.clone());
            r[TYPE] = Value::Text(m.type_name.clone());
            r[STARTED] = day(Some(&m.started_on));
            r[STATE] = Value::Text(m.state.word_vi().to_string());
            r[STATE_DAY] = state_day;
            r[REPLICATES] = int(m.replicates_id);
            r[RATING] = Value::Text(m.rating.clone());
            r[RATED_YEAR] = int(m.rated_year);
            r[NOTES] = Value::Text(m.notes.clone());
            r[UNIT_NAME] = Value::Text(m.unit.name.clone());
            r[ID] = Value::Int(m.id);
            rows.push(r);
        }
        if offset >= 200_000 {
            break;
        }
    }
    register_rows::write(
        SHEET,
        &format!("Sổ theo dõi mô hình của {}", u.name),
        &COLUMNS,
        &rows,
    )
    .map_err(internal)
}
