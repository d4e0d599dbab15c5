//! The award catalogue: forms, issuing offices and the rules between them
//! (which office may give which form, on what legal basis), as data an
//! administrator edits, seeded from Luật Thi đua, khen thưởng 2022 arts.
//! 79–80. The awards themselves are in `awards_register`.
//! (Owned by the awards work of issue 12.)

use antq_core::programmes::awards::OfficeLevel;
use antq_core::programmes::Body;
use antq_core::text;
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};

#[path = "awards_admin.rs"]
mod awards_admin;
#[path = "awards_import.rs"]
mod awards_import;
#[path = "awards_list.rs"]
mod awards_list;
#[path = "awards_register.rs"]
mod awards_register;

pub use awards_admin::{remove_rule, save_form, save_office, set_rule};
pub use awards_import::record_many;
pub use awards_list::{conference_title, list, Filter, MAX_LISTED};
pub use awards_register::*;

/// An award form: Bằng khen, Giấy khen, Cờ thi đua…
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Form {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// The catalogue indicator its counts feed (`kt_bang_khen`).
    pub indicator: Option<String>,
    pub position: i64,
    pub active: bool,
}

/// An issuing office: "Chủ tịch UBND tỉnh", "Công an tỉnh" (its director)…
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Office {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub level: OfficeLevel,
    pub body: Body,
    pub position: i64,
    pub active: bool,
}

/// An office may give a form, on a legal basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub office_id: i64,
    pub office: String,
    pub form_id: i64,
    pub form: String,
    pub basis: String,
}

const ART79: &str = "Điều 79 Luật Thi đua, khen thưởng 2022: Bộ trưởng, Chủ tịch UBND cấp tỉnh tặng Cờ thi đua, danh hiệu Tập thể lao động xuất sắc, Chiến sĩ thi đua cấp bộ, cấp tỉnh và Bằng khen";
const ART80_1: &str = "Khoản 1 Điều 80 Luật Thi đua, khen thưởng 2022: thủ trưởng cơ quan chuyên môn thuộc UBND cấp tỉnh (và cơ quan tương đương, như Giám đốc Công an tỉnh) tặng Tập thể lao động tiên tiến, Chiến sĩ thi đua cơ sở, Lao động tiên tiến và Giấy khen";
const ART80_3: &str = "Khoản 3 Điều 80 Luật Thi đua, khen thưởng 2022: Chủ tịch UBND cấp xã tặng Lao động tiên tiến, Giấy khen và Gia đình văn hóa";
const FRONT: &str = "Theo quy định thi đua, khen thưởng riêng của Mặt trận Tổ quốc Việt Nam (Luật Thi đua, khen thưởng 2022 để tổ chức chính trị - xã hội tự quy định)";
const CAND: &str = "Quy định khen thưởng riêng trong Công an nhân dân (Luật Thi đua, khen thưởng 2022); Kỷ niệm chương do Bộ trưởng Bộ Công an tặng";

/// (code, name, indicator)
const FORMS: [(&str, &str, Option<&str>); 7] = [
    ("bang_khen", "Bằng khen", Some("kt_bang_khen")),
    ("giay_khen", "Giấy khen", Some("kt_giay_khen")),
    ("co_thi_dua", "Cờ thi đua", None),
    (
        "kyniemchuong_bvantq",
        "Kỷ niệm chương \u{201C}Bảo vệ an ninh Tổ quốc\u{201D}",
        None,
    ),
    ("cstd_co_so", "Chiến sĩ thi đua cơ sở", None),
    ("lao_dong_tien_tien", "Lao động tiên tiến", None),
    ("tap_the_ldtt", "Tập thể lao động tiên tiến", None),
];

/// (code, name, level, body). No district office: that level is gone. No
/// office for the commune police chief: the law gives it no award of its own.
const OFFICES: [(&str, &str, &str, &str); 7] = [
    (
        "bo_truong_bca",
        "Bộ trưởng Bộ Công an",
        "national",
        "cong_an",
    ),
    (
        "mttq_trung_uong",
        "Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam",
        "national",
        "mttq",
    ),
    (
        "chu_tich_ubnd_tinh",
        "Chủ tịch UBND tỉnh",
        "province",
        "ubnd",
    ),
    ("mttq_tinh", "Ủy ban MTTQ Việt Nam tỉnh", "province", "mttq"),
    // The director of the provincial police; named as the press says it:
    // "Công an tỉnh tặng Giấy khen".
    ("giam_doc_ca_tinh", "Công an tỉnh", "province", "cong_an"),
    ("chu_tich_ubnd_xa", "Chủ tịch UBND xã", "commune", "ubnd"),
    ("mttq_xa", "Ủy ban MTTQ Việt Nam xã", "commune", "mttq"),
];

/// (office, form, basis)
const RULES: [(&str, &str, &str); 14] = [
    ("bo_truong_bca", "bang_khen", ART79),
    ("bo_truong_bca", "co_thi_dua", ART79),
    ("bo_truong_bca", "kyniemchuong_bvantq", CAND),
    ("mttq_trung_uong", "bang_khen", FRONT),
    ("chu_tich_ubnd_tinh", "bang_khen", ART79),
    ("chu_tich_ubnd_tinh", "co_thi_dua", ART79),
    ("mttq_tinh", "bang_khen", FRONT),
    ("giam_doc_ca_tinh", "giay_khen", ART80_1),
    ("giam_doc_ca_tinh", "cstd_co_so", ART80_1),
    ("giam_doc_ca_tinh", "lao_dong_tien_tien", ART80_1),
    ("giam_doc_ca_tinh", "tap_the_ldtt", ART80_1),
    ("chu_tich_ubnd_xa", "giay_khen", ART80_3),
    ("chu_tich_ubnd_xa", "lao_dong_tien_tien", ART80_3),
    ("mttq_xa", "giay_khen", FRONT),
];

/// Seed the award forms, offices and rules (Luật Thi đua, khen thưởng 2022). Idempotent.
pub async fn seed_if_empty(db: &Db) -> StorageResult<()> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM award_forms")
        .fetch_one(db.pool())
        .await?;
    if n > 0 {
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    for (pos, (code, name, ind)) in FORMS.iter().enumerate() {
        sqlx::query(
            "INSERT INTO award_forms (code, name, indicator, position, active) VALUES ($1, $2, $3, $4, 1)",
        )
        .bind(*code)
        .bind(*name)
        .bind(*ind)
        .bind(pos as i64 + 1)
        .execute(tx.conn())
        .await?;
    }
    for (pos, (code, name, level, body)) in OFFICES.iter().enumerate() {
        sqlx::query(
            "INSERT INTO award_offices (code, name, level, body, position, active) VALUES ($1, $2, $3, $4, $5, 1)",
        )
        .bind(*code)
        .bind(*name)
        .bind(*level)
        .bind(*body)
        .bind(pos as i64 + 1)
        .execute(tx.conn())
        .await?;
    }
    for (office, form, basis) in RULES {
        sqlx::query(
            "INSERT INTO award_rules (office_id, form_id, basis) \
             SELECT o.id, f.id, $3 FROM award_offices o, award_forms f WHERE o.code = $1 AND f.code = $2",
        )
        .bind(office)
        .bind(form)
        .bind(basis)
        .execute(tx.conn())
        .await?;
    }
    audit::append(
        &mut tx,
        Change {
            who: &Who::system(),
            action: "award_catalogue.seed",
            entity: "award_catalogue",
            entity_id: "seed".into(),
            unit_id: None,
            before: None,
            after: Some(
                json!({"forms": FORMS.len(), "offices": OFFICES.len(), "rules": RULES.len()}),
            ),
        },
    )
    .await?;
    tx.commit().await
}

type FormRow = (i64, String, String, Option<String>, i64, i64);
type OfficeRow = (i64, String, String, String, String, i64, i64);

fn form_of(r: FormRow) -> Form {
    Form {
        id: r.0,
        code: r.1,
        name: r.2,
        indicator: r.3,
        position: r.4,
        active: r.5 != 0,
    }
}

fn office_of(r: OfficeRow) -> StorageResult<Office> {
    Ok(Office {
        id: r.0,
        code: r.1,
        name: r.2,
        level: OfficeLevel::parse(&r.3)?,
        body: Body::parse(&r.4)?,
        position: r.5,
        active: r.6 != 0,
    })
}

/// Every form, in the register's order.
pub async fn forms(db: &Db) -> StorageResult<Vec<Form>> {
    let rows: Vec<FormRow> = sqlx::query_as(
        "SELECT id, code, name, indicator, position, active FROM award_forms ORDER BY position, id",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(form_of).collect())
}

/// Every office, in the register's order.
pub async fn offices(db: &Db) -> StorageResult<Vec<Office>> {
    let rows: Vec<OfficeRow> = sqlx::query_as(
        "SELECT id, code, name, level, body, position, active FROM award_offices ORDER BY position, id",
    )
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(office_of).collect()
}

/// Every rule, by office then form.
pub async fn rules(db: &Db) -> StorageResult<Vec<Rule>> {
    let rows: Vec<(i64, String, i64, String, String)> = sqlx::query_as(
        "SELECT o.id, o.name, f.id, f.name, r.basis FROM award_rules r \
         JOIN award_offices o ON o.id = r.office_id JOIN award_forms f ON f.id = r.form_id \
         ORDER BY o.position, f.position",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(office_id, office, form_id, form, basis)| Rule {
            office_id,
            office,
            form_id,
            form,
            basis,
        })
        .collect())
}

/// A form by its code or its name (accent-insensitive), as a file or a form names it.
pub async fn form_named(db: &Db, s: &str) -> StorageResult<Option<Form>> {
    let key = text::fold(s);
    Ok(forms(db)
        .await?
        .into_iter()
        .find(|f| f.code == s.trim() || text::fold(&f.name) == key))
}

/// An office by its code or its name (accent-insensitive).
pub async fn office_named(db: &Db, s: &str) -> StorageResult<Option<Office>> {
    let key = text::fold(s);
    Ok(offices(db)
        .await?
        .into_iter()
        .find(|o| o.code == s.trim() || text::fold(&o.name) == key))
}

pub async fn form(db: &Db, id: i64) -> StorageResult<Form> {
    forms(db)
        .await?
        .into_iter()
        .find(|f| f.id == id)
        .ok_or_else(|| StorageError::not_found(format!("hình thức khen thưởng số {id}")))
}

pub async fn office(db: &Db, id: i64) -> StorageResult<Office> {
    offices(db)
        .await?
        .into_iter()
        .find(|o| o.id == id)
        .ok_or_else(|| StorageError::not_found(format!("cơ quan khen thưởng số {id}")))
}

/// Refuse a form the office may not give, with the rule: "Công an tỉnh
/// không được tặng Bằng khen: theo …, Công an tỉnh tặng Giấy khen, …".
pub async fn check_rule(db: &Db, office: &Office, form: &Form) -> StorageResult<()> {
    let all = rules(db).await?;
    if all
        .iter()
        .any(|r| r.office_id == office.id && r.form_id == form.id)
    {
        return Ok(());
    }
    let own: Vec<&Rule> = all.iter().filter(|r| r.office_id == office.id).collect();
    let msg = if own.is_empty() {
        format!(
            "{} không được tặng {}: danh mục chưa có hình thức khen thưởng nào cơ quan này được tặng",
            office.name, form.name
        )
    } else {
        let names: Vec<&str> = own.iter().map(|r| r.form.as_str()).collect();
        format!(
            "{} không được tặng {}: {} chỉ được tặng {} ({})",
            office.name,
            form.name,
            office.name,
            names.join(", "),
            own[0].basis
        )
    };
    Err(antq_core::DomainError::invalid(msg).into())
}
