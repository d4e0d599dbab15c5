//! The register in and out as a table: one row per subject and year, with
//! Vietnamese heads. Import is all or nothing, every bad cell named
//! ("Sổ An toàn về ANTT, ô C7: …"). Imported rows record what was: the
//! registration window is not applied to them, the checklist is not asked.

use std::collections::HashSet;

use antq_core::dates;
use antq_core::registries::recognitions::{self as rules, RecognitionState, SubjectKind};
use antq_core::text;
use antq_core::units::UnitCode;

use super::{check_new, insert_tx, list, may_decide, Decision, Filter, NewRecognition};
use crate::accounts::access::Actor;
use crate::audit::Who;
use crate::db::Db;
use crate::error::{StorageError, StorageResult};

/// The sheet's name.
pub const SHEET: &str = "Sổ An toàn về ANTT";

/// The columns, in order.
pub const HEADS: [&str; 10] = [
    "Năm",
    "Mã đơn vị",
    "Loại đối tượng",
    "Tên khu dân cư, cơ quan, doanh nghiệp, trường (để trống nếu là xã)",
    "Ngày đăng ký",
    "Kết quả",
    "Số quyết định",
    "Ngày quyết định",
    "Cơ quan, người ký",
    "Lý do",
];

/// The most rows one import takes.
pub const MAX_ROWS: usize = 20_000;

/// One row as read, with its 1-based sheet line.
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub line: u32,
    pub cells: Vec<String>,
    /// Where each cell is in the file ("Trang 1, ô C7"), when it was read
    /// from a workbook whose columns may be in any order; None: the
    /// template's order on its sheet (a CSV file).
    pub places: Option<Vec<String>>,
}

impl ImportRow {
    fn place(&self, col: usize) -> String {
        match self.places.as_ref().and_then(|p| p.get(col)) {
            Some(p) => p.clone(),
            None => format!("{SHEET}, ô {}{}", (b'A' + col as u8) as char, self.line),
        }
    }
}

/// Import the register, all or nothing; returns how many records were
/// (or, with `dry_run`, would be) written.
pub async fn import(
    db: &Db,
    actor: Option<&Actor>,
    rows: &[ImportRow],
    dry_run: bool,
) -> StorageResult<usize> {
    if rows.len() > MAX_ROWS {
        return Err(StorageError::Rejected(vec![format!(
            "Tệp có {} dòng, vượt giới hạn {} dòng",
            text::format_int(rows.len() as i64),
            text::format_int(MAX_ROWS as i64)
        )]));
    }
    let mut errors = Vec::new();
    let mut ready: Vec<(NewRecognition, String, String, Option<Decision>)> = Vec::new();
    let mut seen = HashSet::new();
    for row in rows {
        let cell = |c: usize| row.cells.get(c).map(|s| text::clean(s)).unwrap_or_default();
        if (0..HEADS.len()).all(|c| cell(c).is_empty()) {
            continue;
        }
        let at = |c: usize| row.place(c);
        let before = errors.len();
        let year = match cell(0).parse::<i32>() {
            Ok(y) if rules::check_year(y).is_ok() => Some(y),
            _ => {
                errors.push(format!(
                    "{}: năm \u{201C}{}\u{201D} không hợp lệ",
                    at(0),
                    cell(0)
                ));
                None
            }
        };
        let kind = match SubjectKind::parse(&cell(2)) {
            Ok(k) => Some(k),
            Err(e) => {
                errors.push(format!("{}: {e}", at(2)));
                None
            }
        };
        let registered_on = match dates::parse_input_date(&cell(4)) {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(format!(
                    "{}: ngày đăng ký \u{201C}{}\u{201D} không hợp lệ (dd/mm/yyyy)",
                    at(4),
                    cell(4)
                ));
                None
            }
        };
        let result = match cell(5).as_str() {
            "" => None,
            s => match RecognitionState::parse(s) {
                Ok(st) if st.decided() => Some(st == RecognitionState::Recognised),
                _ => {
                    errors.push(format!(
                        "{}: kết quả phải để trống, \u{201C}Được công nhận\u{201D} hoặc \u{201C}Không được công nhận\u{201D}",
                        at(5)
                    ));
                    None
                }
            },
        };
        let decision_date = match cell(7).as_str() {
            "" => None,
            s => match dates::parse_input_date(s) {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.push(format!(
                        "{}: ngày quyết định \u{201C}{s}\u{201D} không hợp lệ",
                        at(7)
                    ));
                    None
                }
            },
        };
        let (Some(year), Some(kind), Some(registered_on)) = (year, kind, registered_on) else {
            continue;
        };
        if errors.len() > before {
            continue;
        }
        let unit = match UnitCode::parse(&cell(1)) {
            Ok(code) => match crate::units::find_at(db, &code, registered_on).await? {
                Some(u) => u,
                None => {
                    errors.push(format!(
                        "{}: không có đơn vị mã {} vào ngày {}",
                        at(1),
                        cell(1),
                        dates::format_vi(registered_on)
                    ));
                    continue;
                }
            },
            Err(e) => {
                errors.push(format!("{}: {e}", at(1)));
                continue;
            }
        };
        let name = cell(3);
        let (area_id, organisation_id) = match kind {
            SubjectKind::Xa => (None, None),
            SubjectKind::KhuDanCu => {
                let id: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM areas WHERE unit_id = $1 AND search_key = $2 ORDER BY id LIMIT 1",
                )
                .bind(unit.id)
                .bind(text::fold(&name))
                .fetch_optional(db.pool())
                .await?;
                match id {
                    Some(id) => (Some(id), None),
                    None => {
                        errors.push(format!(
                            "{}: {} không có khu dân cư \u{201C}{name}\u{201D}",
                            at(3),
                            unit.name
                        ));
                        continue;
                    }
                }
            }
            k => {
                let id: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM organisations WHERE unit_id = $1 AND kind = $2 AND search_key = $3 ORDER BY id LIMIT 1",
                )
                .bind(unit.id)
                .bind(k.org_kind().unwrap_or_default())
                .bind(text::fold(&name))
                .fetch_optional(db.pool())
                .await?;
                match id {
                    Some(id) => (None, Some(id)),
                    None => {
                        errors.push(format!(
                            "{}: {} không có {} \u{201C}{name}\u{201D}",
                            at(3),
                            unit.name,
                            k.word_vi().to_lowercase()
                        ));
                        continue;
                    }
                }
            }
        };
        let n = NewRecognition {
            year,
            kind,
            unit_id: unit.id,
            area_id,
            organisation_id,
            registered_on,
            override_window: true,
        };
        let (key, subject) = match check_new(db, actor, &n, false).await {
            Ok(ks) => ks,
            Err(StorageError::Forbidden) => {
                errors.push(format!("{}: không có quyền với {}", at(1), unit.name));
                continue;
            }
            Err(StorageError::Database(e)) => return Err(StorageError::Database(e)),
            Err(e) => {
                errors.push(format!("{}: {}", at(3), e));
                continue;
            }
        };
        if !seen.insert((year, kind, key.clone())) {
            errors.push(format!("{}: {subject} năm {year} có hai dòng", at(3)));
            continue;
        }
        let decision = match result {
            None => None,
            Some(recognised) => {
                let d = Decision {
                    recognised,
                    number: cell(6),
                    date: decision_date.unwrap_or(registered_on),
                    issuer: cell(8),
                    reason: cell(9),
                    override_reason: String::new(),
                };
                if decision_date.is_none() {
                    errors.push(format!("{}: thiếu ngày quyết định", at(7)));
                    continue;
                }
                if let Err(e) = rules::check_decision(recognised, &d.number, &d.issuer, &d.reason) {
                    let col = if d.number.trim().is_empty()
                        || d.number.len() > rules::MAX_DECISION_NUMBER
                    {
                        6
                    } else if d.issuer.trim().is_empty() || d.issuer.len() > rules::MAX_ISSUER {
                        8
                    } else {
                        9
                    };
                    errors.push(format!("{}: {e}", at(col)));
                    continue;
                }
                if d.date < registered_on {
                    errors.push(format!("{}: ngày quyết định trước ngày đăng ký", at(7)));
                    continue;
                }
                if let Some(a) = actor {
                    let probe = super::Recognition {
                        id: 0,
                        year,
                        kind,
                        unit: super::UnitRef {
                            id: unit.id,
                            code: unit.code.clone(),
                            name: unit.name.clone(),
                        },
                        area_id,
                        organisation_id,
                        subject: subject.clone(),
                        registered_on: dates::iso(registered_on),
                        state: RecognitionState::Registered,
                        decision_number: String::new(),
                        decision_date: None,
                        decision_issuer: String::new(),
                        reason: String::new(),
                        override_reason: String::new(),
                        created_by: String::new(),
                    };
                    if !may_decide(db, a, &probe).await? {
                        errors.push(format!(
                            "{}: không có quyền ghi quyết định công nhận {}",
                            at(5),
                            kind.word_vi().to_lowercase()
                        ));
                        continue;
                    }
                }
                Some(d)
            }
        };
        ready.push((n, key, subject, decision));
    }
    if !errors.is_empty() {
        return Err(StorageError::Rejected(errors));
    }
    if ready.is_empty() {
        return Err(StorageError::Rejected(vec![
            "Tệp không có dòng nào để nhập (mọi dòng đều trống)".into(),
        ]));
    }
    let who = actor.map(Actor::who).unwrap_or_else(Who::system);
    let (who, ready_ref) = (&who, &ready);
    db.write(|mut tx| async move {
        for (n, key, subject, d) in ready_ref {
            insert_tx(&mut tx, who, n, key, subject, d.as_ref()).await?;
        }
        if !dry_run {
            tx.commit().await?;
        }
        Ok(())
    })
    .await?;
    Ok(ready.len())
}

fn date_vi(iso: Option<&str>) -> String {
    iso.and_then(|d| dates::parse_date(d).ok())
        .map(dates::format_vi)
        .unwrap_or_default()
}

/// The records of a filter as rows under [`HEADS`].
pub async fn export_rows(
    db: &Db,
    actor: Option<&Actor>,
    f: &Filter,
) -> StorageResult<Vec<Vec<String>>> {
    let list = list(db, actor, f).await?;
    Ok(list
        .iter()
        .map(|r| {
            vec![
                r.year.to_string(),
                r.unit.code.clone(),
                r.kind.word_vi().to_string(),
                if r.kind == SubjectKind::Xa {
                    String::new()
                } else {
                    r.subject.clone()
                },
                date_vi(Some(&r.registered_on)),
                if r.state.decided() {
                    r.state.word_vi().to_string()
                } else {
                    String::new()
                },
                r.decision_number.clone(),
                date_vi(r.decision_date.as_deref()),
                r.decision_issuer.clone(),
                r.reason.clone(),
            ]
        })
        .collect())
}

/// Rows of a CSV file (UTF-8, a byte-order mark allowed, fields separated
/// by commas) under the register's header, [`HEADS`] in order: its cells
/// are read by their place. Cells past the register's columns are dropped.
pub fn read_csv(bytes: &[u8]) -> Result<Vec<ImportRow>, Vec<String>> {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(bytes);
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    check_csv_header(r.headers().map_err(|_| {
        vec![format!(
            "{SHEET}, dòng 1: không đọc được; tệp CSV phải được lưu dạng UTF-8 (trong Excel: \u{201C}CSV UTF-8\u{201D})"
        )]
    })?)?;
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        if out.len() >= MAX_ROWS {
            return Err(vec![format!(
                "Tệp vượt giới hạn {} dòng",
                text::format_int(MAX_ROWS as i64)
            )]);
        }
        match rec {
            Ok(rec) => out.push(ImportRow {
                line: i as u32 + 2,
                cells: rec.iter().take(HEADS.len()).map(str::to_string).collect(),
                places: None,
            }),
            Err(_) => {
                return Err(vec![format!(
                    "{SHEET}, dòng {}: không đọc được (CSV UTF-8)",
                    i + 2
                )])
            }
        }
    }
    Ok(out)
}

/// A CSV's first line must be the register's header, in order; the usual
/// slip (Excel with Vietnamese settings separates by semicolons) is named.
fn check_csv_header(header: &csv::StringRecord) -> Result<(), Vec<String>> {
    let fold = |h: &str| text::fold(&text::clean(h));
    let ours = header.len() >= HEADS.len()
        && HEADS
            .iter()
            .zip(header.iter())
            .all(|(w, h)| fold(w) == fold(h));
    if ours {
        return Ok(());
    }
    if header.len() == 1 && header.iter().any(|h| h.contains(';')) {
        return Err(vec![
            "Dòng đầu của tệp CSV có các cột cách nhau bằng dấu chấm phẩy; tệp CSV của sổ phải cách nhau bằng dấu phẩy (trong Excel: lưu thành \u{201C}CSV UTF-8\u{201D})".into(),
        ]);
    }
    let heads: Vec<String> = HEADS
        .iter()
        .map(|h| format!("\u{201C}{h}\u{201D}"))
        .collect();
    Err(vec![format!(
        "Dòng đầu của tệp CSV phải là tiêu đề của sổ, theo thứ tự: {}; hãy dùng mẫu Excel tải từ trang nhập sổ (lưu thành CSV UTF-8 nếu cần)",
        heads.join(", ")
    )])
}

/// Rows under [`HEADS`] as CSV (UTF-8 with a byte-order mark, so Excel
/// opens Vietnamese text correctly); read back by [`read_csv`].
pub fn write_csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let _ = w.write_record(HEADS);
    for r in rows {
        let _ = w.write_record(r);
    }
    w.into_inner().unwrap_or_default()
}
