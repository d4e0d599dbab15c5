//! The classification in Excel: the band list of a unit and year out; the
//! self-scores in (one row per subject × item, all or nothing, every bad
//! cell named), on a template that lists the draft sheets item by item.
//! The page's download and upload and `antq classifications` share these.

use antq_core::registries::classifications::{parse_points, points_of_number, State};
use antq_office::xlsx::{self, Filled, Template};
use antq_office::{Cell, Table};
use antq_storage::accounts::access::Actor;
use antq_storage::registries::classifications::{self as store, Filter, ImportRow};
use antq_storage::{Db, StorageError};

use super::{parse_year, shown, unit_for};
use crate::error::Failure;

/// The form code the import template carries (cell B2).
pub const FORM: &str = "phan_loai_phong_trao";
/// The keys of the template's columns, after the unit's code and the line's words.
const KEYS: [(&str, &str); 4] = [
    ("phieu", "Số phiếu"),
    ("muc", "Mã mục"),
    ("diem", "Điểm tự chấm"),
    ("minh_chung", "Minh chứng"),
];

async fn scope(
    db: &Db,
    actor: Option<&Actor>,
    unit: &str,
    year: &str,
) -> Result<(antq_storage::units::Unit, i32), Failure> {
    let year = parse_year(year)?;
    let u = unit_for(db, unit, Some(year)).await?;
    if let Some(a) = actor {
        antq_storage::accounts::access::require(db, a, antq_core::auth::Action::Read, u.id).await?;
    }
    Ok((u, year))
}

/// The band list of a unit (with the units under it) for a year.
pub async fn export(
    db: &Db,
    actor: Option<&Actor>,
    unit: &str,
    year: &str,
) -> Result<Vec<u8>, Failure> {
    let (u, year) = scope(db, actor, unit, year).await?;
    let f = Filter {
        unit_id: Some(u.id),
        year: Some(year),
        ..Filter::default()
    };
    let list = store::list(db, actor, &f).await?;
    let table = Table {
        title: format!(
            "Danh sách phân loại phong trào toàn dân bảo vệ an ninh Tổ quốc năm {year} – {}",
            u.name
        ),
        headers: [
            "TT",
            "Mã đơn vị",
            "Đơn vị",
            "Loại",
            "Đối tượng",
            "Trạng thái",
            "Điểm tự chấm",
            "Điểm cấp trên chấm",
            "Xếp loại",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        rows: list
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let pts = |p: Option<i64>| match p {
                    Some(t) => Cell::Number(t as f64 / 10.0),
                    None => Cell::Empty,
                };
                vec![
                    Cell::Number((i + 1) as f64),
                    Cell::from(c.unit.code.as_str()),
                    Cell::from(c.unit.name.as_str()),
                    Cell::from(c.kind.word_vi()),
                    Cell::from(c.subject.as_str()),
                    Cell::from(c.state.word_vi()),
                    pts(c.self_points),
                    pts(c.reviewed_points),
                    Cell::from(c.band.map(|b| b.word_vi()).unwrap_or("")),
                ]
            })
            .collect(),
    };
    xlsx::write_table("Phân loại", &table)
        .map_err(|e| Failure::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e))
}

/// The import template: the draft sheets of a unit and year, item by item.
pub async fn template(
    db: &Db,
    actor: Option<&Actor>,
    unit: &str,
    year: &str,
) -> Result<Vec<u8>, Failure> {
    let (u, year) = scope(db, actor, unit, year).await?;
    let f = Filter {
        unit_id: Some(u.id),
        year: Some(year),
        ..Filter::default()
    };
    let mut rows = Vec::new();
    for c in store::list(db, actor, &f)
        .await?
        .iter()
        .filter(|c| c.state == State::Draft)
    {
        let sh = store::sheet(db, actor, c.id).await?;
        for i in sh.template.leaves() {
            let own = sh.line(i.id).and_then(|l| l.self_points);
            rows.push((
                c.unit.code.clone(),
                format!(
                    "{} – mục {}: {} (tối đa {} điểm)",
                    c.subject,
                    i.label,
                    i.text,
                    shown(Some(i.max))
                ),
                vec![
                    Some(c.id as f64),
                    Some(i.id as f64),
                    own.map(|t| t as f64 / 10.0),
                    None,
                ],
            ));
        }
    }
    xlsx::write_template(&Template {
        title: format!("Điểm tự chấm phân loại phong trào năm {year} – {}", u.name),
        form: FORM.into(),
        period: year.to_string(),
        parent: u.code.clone(),
        columns: KEYS
            .iter()
            .map(|(k, h)| (k.to_string(), h.to_string()))
            .collect(),
        rows,
    })
    .map_err(|e| Failure::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e))
}

/// "Biểu 01, ô E7" → 7 (the sheet row as shown).
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

/// Import self-scores from a template file, all or nothing; returns the sheets touched.
pub async fn import(
    db: &Db,
    actor: Option<&Actor>,
    bytes: &[u8],
    dry_run: bool,
) -> Result<usize, Failure> {
    let up = xlsx::read_template(bytes).map_err(|e| Failure::from(StorageError::Rejected(e)))?;
    let mut errors = Vec::new();
    if up.form != FORM {
        errors.push(format!(
            "{}, ô B2: biểu mẫu \u{201C}{}\u{201D} không phải biểu điểm tự chấm phân loại phong trào ({FORM})",
            xlsx::TEMPLATE_SHEET,
            up.form
        ));
        return Err(StorageError::Rejected(errors).into());
    }
    // The cells of each row, by key.
    let mut rows: std::collections::BTreeMap<u32, Vec<&xlsx::FilledCell>> = Default::default();
    for c in &up.cells {
        rows.entry(row_of(&c.place)).or_default().push(c);
    }
    if rows.len() > antq_core::registries::classifications::limits::MAX_IMPORT_ROWS {
        return Err(StorageError::Rejected(vec![format!(
            "Tệp có {} dòng, quá giới hạn {} dòng",
            rows.len(),
            antq_core::registries::classifications::limits::MAX_IMPORT_ROWS
        )])
        .into());
    }
    let mut out = Vec::new();
    for (row, cells) in &rows {
        let get = |k: &str| cells.iter().find(|c| c.key == k).copied();
        let at = |col: &str| format!("{}, ô {col}{row}", xlsx::TEMPLATE_SHEET);
        let id = |k: &str, col: &str, what: &str, errors: &mut Vec<String>| match get(k) {
            Some(c) => match &c.value {
                Filled::Number(x) if x.fract() == 0.0 && *x > 0.0 => Some(*x as i64),
                Filled::Text(t) => match t.trim().parse::<i64>() {
                    Ok(n) if n > 0 => Some(n),
                    _ => {
                        errors.push(format!(
                            "{}: {what} \u{201C}{t}\u{201D} không hợp lệ",
                            c.place
                        ));
                        None
                    }
                },
                Filled::Number(x) => {
                    errors.push(format!(
                        "{}: {what} \u{201C}{x}\u{201D} không hợp lệ",
                        c.place
                    ));
                    None
                }
            },
            None => {
                errors.push(format!("{}: thiếu {what}", at(col)));
                None
            }
        };
        let sheet = id("phieu", "C", "số phiếu", &mut errors);
        let item = id("muc", "D", "mã mục", &mut errors);
        let points = match get("diem") {
            Some(c) => match &c.value {
                Filled::Number(x) => points_of_number(*x)
                    .map_err(|e| errors.push(format!("{}: {e}", c.place)))
                    .ok(),
                Filled::Text(t) => parse_points(t)
                    .map_err(|e| errors.push(format!("{}: {e}", c.place)))
                    .ok(),
            },
            None => {
                errors.push(format!("{}: thiếu điểm tự chấm", at("E")));
                None
            }
        };
        let evidence = match get("minh_chung").map(|c| &c.value) {
            Some(Filled::Text(t)) => t.clone(),
            Some(Filled::Number(x)) => x.to_string(),
            None => String::new(),
        };
        if let (Some(sheet), Some(item), Some(points)) = (sheet, item, points) {
            let place = get("diem")
                .map(|c| c.place.clone())
                .unwrap_or_else(|| at("E"));
            out.push((
                cells[0].unit.clone(),
                at("A"),
                ImportRow {
                    place,
                    classification_id: sheet,
                    item_id: item,
                    points,
                    evidence,
                },
            ));
        }
    }
    // The unit's code of a row must be the sheet's.
    for (unit, place, r) in &out {
        if let Ok(c) = store::get(db, actor, r.classification_id).await {
            if c.unit.code != *unit {
                errors.push(format!(
                    "{place}: phiếu số {} là của đơn vị mã {}, không phải {unit}",
                    r.classification_id, c.unit.code
                ));
            }
        }
    }
    let rows: Vec<ImportRow> = out.into_iter().map(|(_, _, r)| r).collect();
    if !errors.is_empty() {
        // Name the rows' other faults too, in one answer.
        match store::import_scores(db, actor, &rows, true).await {
            Err(StorageError::Rejected(more)) => errors.extend(more),
            Err(e) => return Err(e.into()),
            Ok(_) => {}
        }
        return Err(StorageError::Rejected(errors).into());
    }
    Ok(store::import_scores(db, actor, &rows, dry_run).await?)
}
