//! `antq documents`: The document library: import a register of documents
//! (all or nothing), export the library. (Owned by the documents work of issue 12.)
//!
//! The register is a CSV file (comma, semicolon or tab; UTF-8, with or
//! without BOM) whose first row names the columns: loại, số ký hiệu, ngày
//! ban hành, cơ quan ban hành (several separated by ";"), trích yếu, tên gọi
//! khác (several separated by ";"). Every bad cell is reported with its row
//! and column, and nothing is written unless every row is right.

use std::path::PathBuf;
use std::process::ExitCode;

use antq_core::programmes::documents::{DocKind, DocRef};
use antq_core::text;
use antq_storage::audit::Who;
use antq_storage::programmes::documents::{self, Alias, DocInput, DocQuery, Reader};
use antq_storage::{Db, StorageError};
use anyhow::{bail, Context};
use clap::Subcommand;

#[derive(Subcommand)]
pub enum Command {
    /// Import a register from a CSV file, all or nothing.
    Import {
        file: PathBuf,
        /// Check and report what would change, write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Export the national library as a CSV register (the import's columns).
    Export {
        #[arg(short, long)]
        output: PathBuf,
    },
}

/// The largest register read.
const MAX_BYTES: u64 = 20 * 1024 * 1024;

/// The columns, in the order the export writes them.
const COLUMNS: [&str; 6] = [
    "loại",
    "số ký hiệu",
    "ngày ban hành",
    "cơ quan ban hành",
    "trích yếu",
    "tên gọi khác",
];

pub async fn run(db: &Db, command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Import { file, dry_run } => import(db, &file, dry_run).await,
        Command::Export { output } => export(db, &output).await,
    }
}

async fn import(db: &Db, file: &PathBuf, dry_run: bool) -> anyhow::Result<ExitCode> {
    let size = std::fs::metadata(file)
        .with_context(|| format!("không đọc được {}", file.display()))?
        .len();
    if size > MAX_BYTES {
        bail!("tệp {} lớn hơn 20 MB", file.display());
    }
    let name = file.to_string_lossy().to_lowercase();
    if name.ends_with(".xlsx") {
        bail!("chưa đọc được tệp Excel: lưu trang tính dưới dạng CSV (UTF-8) rồi nhập lại");
    }
    let bytes =
        std::fs::read(file).with_context(|| format!("không đọc được {}", file.display()))?;
    let rows = match parse_register(&bytes) {
        Ok(rows) => rows,
        Err(errors) => return Ok(report(&errors)),
    };
    match documents::import(db, &Who::system(), rows, dry_run).await {
        Ok(s) if s.dry_run => {
            println!(
                "Chạy thử: tệp hợp lệ, sẽ thêm {} văn bản. Chưa ghi gì.",
                s.created
            );
            Ok(ExitCode::SUCCESS)
        }
        Ok(s) => {
            println!("Đã thêm {} văn bản vào thư viện.", s.created);
            Ok(ExitCode::SUCCESS)
        }
        Err(StorageError::Rejected(errors)) => Ok(report(&errors)),
        Err(e) => Err(e.into()),
    }
}

fn report(errors: &[String]) -> ExitCode {
    eprintln!("Tệp có {} lỗi, không có gì được ghi:", errors.len());
    for e in errors {
        eprintln!("  {e}");
    }
    ExitCode::FAILURE
}

/// Split a CSV text into records (quotes, doubled quotes, CRLF), with the
/// delimiter of its first line.
fn records(text: &str) -> Vec<Vec<String>> {
    let first = text.lines().next().unwrap_or("");
    let delim = [';', '\t', ',']
        .into_iter()
        .max_by_key(|d| first.matches(*d).count())
        .unwrap_or(',');
    let mut out = Vec::new();
    let (mut row, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if cell.is_empty() => quoted = true,
            (c, false) if c == delim => row.push(std::mem::take(&mut cell)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut cell));
                out.push(std::mem::take(&mut row));
            }
            (c, _) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        out.push(row);
    }
    out
}

/// The register's rows as documents, each with its place ("dòng 3"), or
/// every error with its row and column.
fn parse_register(bytes: &[u8]) -> Result<Vec<(String, DocInput)>, Vec<String>> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        vec!["Tệp không phải văn bản UTF-8: lưu lại dưới dạng CSV UTF-8".to_string()]
    })?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    parse_records(None, &records(text))
}

/// The rows of a register already split into cells (a CSV file, or a sheet
/// of a workbook named `sheet`, which then starts every place).
fn parse_records(
    sheet: Option<&str>,
    recs: &[Vec<String>],
) -> Result<Vec<(String, DocInput)>, Vec<String>> {
    let prefix = sheet
        .map(|s| format!("Trang \u{201C}{s}\u{201D}, "))
        .unwrap_or_default();
    let line = |n: usize| {
        if prefix.is_empty() {
            format!("Dòng {n}")
        } else {
            format!("{prefix}dòng {n}")
        }
    };
    let Some(header) = recs.first() else {
        return Err(vec!["Tệp trống".into()]);
    };
    let folded: Vec<String> = header.iter().map(|h| text::fold(h)).collect();
    let mut index = [None; 6];
    let mut errors = Vec::new();
    for (i, col) in COLUMNS.iter().enumerate() {
        index[i] = folded.iter().position(|h| *h == text::fold(col));
        if index[i].is_none() && i != 5 && i != 2 {
            errors.push(format!("{}: thiếu cột \u{201C}{col}\u{201D}", line(1)));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut rows = Vec::new();
    for (n, rec) in recs.iter().enumerate().skip(1) {
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |i: usize| {
            index[i]
                .and_then(|c| rec.get(c))
                .map(|s| text::clean(s))
                .unwrap_or_default()
        };
        let at = |i: usize| {
            let col = index[i].unwrap_or(0);
            format!(
                "{}, cột {} ({})",
                line(n + 1),
                column_letter(col),
                COLUMNS[i]
            )
        };
        match parse_row(&cell, &at) {
            Ok(input) => rows.push((line(n + 1), input)),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

fn column_letter(mut col: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, (b'A' + (col % 26) as u8) as char);
        if col < 26 {
            return s;
        }
        col = col / 26 - 1;
    }
}

fn parse_row(
    cell: &dyn Fn(usize) -> String,
    at: &dyn Fn(usize) -> String,
) -> Result<DocInput, Vec<String>> {
    let mut errors = Vec::new();
    let reference = match cell(1).as_str() {
        "" => None,
        r => DocRef::parse(r)
            .map_err(|e| errors.push(format!("{}: {e}", at(1))))
            .ok(),
    };
    let kind = match cell(0).as_str() {
        "" => reference
            .as_ref()
            .and_then(DocRef::implied_kind)
            .or_else(|| {
                errors.push(format!("{}: chưa ghi loại văn bản", at(0)));
                None
            }),
        k => DocKind::parse(k)
            .map_err(|e| errors.push(format!("{}: {e}", at(0))))
            .ok(),
    };
    let issued_on = match cell(2).as_str() {
        "" => None,
        d => antq_core::dates::parse_date(d)
            .map_err(|e| errors.push(format!("{}: {e}", at(2))))
            .ok(),
    };
    let list = |s: String| -> Vec<String> {
        s.split(';')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    };
    let input = DocInput {
        kind: kind.unwrap_or(DocKind::Khac),
        reference,
        year: None,
        issued_on,
        subject: cell(4),
        issuers: list(cell(3)),
        aliases: list(cell(5))
            .into_iter()
            .map(|r| Alias {
                reference: r,
                note: String::new(),
            })
            .collect(),
        as_written: None,
        unit_id: None,
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    input.check().map_err(|e| {
        let msg = e.to_string();
        let col = if msg.starts_with("Trích yếu") {
            4
        } else if msg.contains("cơ quan") {
            3
        } else {
            5
        };
        vec![format!("{}: {msg}", at(col))]
    })
}

fn csv_cell(s: &str) -> String {
    let s = antq_office::table::protect(s);
    if s.contains([',', '"', '\n', ';']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.into_owned()
    }
}

async fn export(db: &Db, output: &PathBuf) -> anyhow::Result<ExitCode> {
    let mut out = String::from("\u{FEFF}");
    out.push_str(&COLUMNS.join(","));
    out.push('\n');
    let mut offset = 0;
    let mut count = 0;
    loop {
        let q = DocQuery {
            limit: Some(100),
            offset: Some(offset),
            reader: Reader::Public,
            ..DocQuery::default()
        };
        let page = documents::search(db, &q).await?;
        for d in &page.items {
            let date = d
                .issued_on
                .as_deref()
                .and_then(|x| antq_core::dates::parse_date(x).ok())
                .map(antq_core::dates::format_vi);
            let aliases: Vec<String> = d.aliases.iter().map(|a| a.reference.clone()).collect();
            let cells = [
                d.kind.word_vi().to_string(),
                d.reference.clone().unwrap_or_default(),
                date.unwrap_or_default(),
                d.issuers.join("; "),
                d.subject.clone(),
                aliases.join("; "),
            ];
            out.push_str(
                &cells
                    .iter()
                    .map(|c| csv_cell(c))
                    .collect::<Vec<_>>()
                    .join(","),
            );
            out.push('\n');
            count += 1;
        }
        offset += 100;
        if offset >= page.total {
            break;
        }
    }
    std::fs::write(output, out).with_context(|| format!("không ghi được {}", output.display()))?;
    println!("Đã xuất {count} văn bản vào {}.", output.display());
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_register_is_read_and_every_bad_cell_is_located() {
        let good = "loại;số ký hiệu;ngày ban hành;cơ quan ban hành;trích yếu;tên gọi khác\n\
            ;12/KH-CAT-MTTQ;18/05/2023;\"Công an tỉnh; Ủy ban MTTQ Việt Nam tỉnh\";\"Về Tổ Nhân dân tự quản; \"\"An dân\"\"\";12/KH-CA-MTTQ\n";
        let rows = parse_register(good.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        let (place, d) = &rows[0];
        assert_eq!(place, "Dòng 2");
        assert_eq!(d.kind, DocKind::KeHoach);
        assert_eq!(d.issuers, ["Công an tỉnh", "Ủy ban MTTQ Việt Nam tỉnh"]);
        assert_eq!(d.subject, "Về Tổ Nhân dân tự quản; \"An dân\"");
        assert_eq!(d.aliases[0].reference, "12/KH-CA-MTTQ");
        let bad = "Loại,Số ký hiệu,Ngày ban hành,Cơ quan ban hành,Trích yếu\n\
            sách,12/21/TT-BCA,31/02/2023,Bộ Công an,\n";
        let errors = parse_register(bad.as_bytes()).unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors[0].starts_with("Dòng 2, cột B (số ký hiệu)"),
            "{errors:?}"
        );
        assert!(
            errors[1].starts_with("Dòng 2, cột A (loại): Loại văn bản không hợp lệ"),
            "{errors:?}"
        );
        assert!(
            errors[2].starts_with("Dòng 2, cột C (ngày ban hành)"),
            "{errors:?}"
        );
        let sheet = vec![
            vec![
                "Loại".to_string(),
                "Số ký hiệu".into(),
                "Cơ quan ban hành".into(),
                "Trích yếu".into(),
            ],
            vec![
                "Thông tư".to_string(),
                "124/2021/TT-BCA".into(),
                "Bộ Công an".into(),
                String::new(),
            ],
        ];
        let errors = parse_records(Some("Văn bản"), &sheet).unwrap_err();
        assert_eq!(
            errors,
            ["Trang \u{201C}Văn bản\u{201D}, dòng 2, cột D (trích yếu): Trích yếu đang để trống"]
        );
        let missing = parse_register("số ký hiệu\n".as_bytes()).unwrap_err();
        assert!(missing[0].contains("thiếu cột \u{201C}loại\u{201D}"));
    }
}
