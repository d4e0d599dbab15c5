//! Score-sheet templates of the movement classification: one per subject
//! kind, versioned by year, seeded with illustrative items (pending the
//! official text of QĐ 510/QĐ-BCA-V05), edited by national administrators.
//! A template already used by a classification is never changed: an edit
//! makes a new version from a later year, so old sheets stay as they were.

use antq_core::auth::Action;
use antq_core::dates;
use antq_core::registries::classifications::{check_template, limits, ItemShape, SubjectKind};
use antq_core::text;
use antq_core::DomainError;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

use crate::accounts::access::Actor;
use crate::audit::{self, Change, Who};
use crate::db::{Db, WriteTx};
use crate::error::{StorageError, StorageResult};

/// One item or sub-item of a template; points in tenths.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub position: i64,
    pub label: String,
    pub text: String,
    pub max: i64,
}

/// A template with its items (parents before their sub-items, in order).
#[derive(Debug, Clone, Serialize)]
pub struct Template {
    pub id: i64,
    pub kind: SubjectKind,
    pub year_from: i32,
    pub title: String,
    pub note: String,
    pub items: Vec<Item>,
    /// Classifications scored on it.
    pub used: i64,
}

impl Template {
    /// The items of the first level.
    pub fn top(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| i.parent_id.is_none())
    }

    pub fn children(&self, id: i64) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(move |i| i.parent_id == Some(id))
    }

    /// Whether an item is scored directly (it has no sub-items).
    pub fn is_leaf(&self, id: i64) -> bool {
        !self.items.iter().any(|i| i.parent_id == Some(id))
    }

    pub fn item(&self, id: i64) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// The items scored directly, in order.
    pub fn leaves(&self) -> Vec<&Item> {
        let mut out = Vec::new();
        for t in self.top() {
            let kids: Vec<&Item> = self.children(t.id).collect();
            if kids.is_empty() {
                out.push(t);
            } else {
                out.extend(kids);
            }
        }
        out
    }
}

/// An item as typed: label, wording, maximum (tenths), sub-items.
#[derive(Debug, Clone, Default)]
pub struct ItemIn {
    pub label: String,
    pub text: String,
    pub max: i64,
    pub children: Vec<ItemIn>,
}

const NOTE: &str = "Nội dung các mục là minh họa, soạn theo các ví dụ của Quyết định 510/QĐ-BCA-V05 (Điều 7) và thang 100 điểm; cần đối chiếu với văn bản chính thức trước khi dùng.";

type Seed = (
    &'static str,
    &'static str,
    i64,
    &'static [(&'static str, &'static str, i64)],
);

const SEED_CO_QUAN: &[Seed] = &[
    ("1", "Ban hành nghị quyết, kế hoạch thực hiện phong trào ngay từ quý I; sơ kết, tổng kết, báo cáo đúng quy định", 30, &[]),
    ("2", "Tuyên truyền, phổ biến pháp luật, nhiệm vụ bảo vệ an ninh, trật tự đến từ 90% cán bộ, người lao động trở lên", 30, &[]),
    ("3", "Tổ chức \u{201C}Ngày hội toàn dân bảo vệ an ninh Tổ quốc\u{201D}", 50, &[]),
    ("4", "Quy chế phối hợp với Công an địa phương", 100, &[
        ("4.1", "Xây dựng quy chế phối hợp", 10),
        ("4.2", "Thực hiện quy chế, trao đổi thông tin thường xuyên", 50),
        ("4.3", "Sơ kết, đánh giá việc thực hiện quy chế", 40),
    ]),
    ("5", "Xây dựng lực lượng bảo vệ, tổ tự quản về an ninh, trật tự", 150, &[
        ("5.1", "Kiện toàn lực lượng bảo vệ, tổ tự quản", 70),
        ("5.2", "Lực lượng hoạt động thường xuyên, hiệu quả", 80),
    ]),
    ("6", "Xây dựng, duy trì mô hình phòng, chống tội phạm hoạt động hiệu quả", 140, &[]),
    ("7", "Phòng, chống tội phạm, tệ nạn xã hội trong cơ quan, doanh nghiệp, nhà trường", 200, &[
        ("7.1", "Không có cán bộ, người lao động, học sinh vi phạm pháp luật bị xử lý hình sự", 100),
        ("7.2", "Quản lý, giáo dục người vi phạm; không để phát sinh tệ nạn xã hội", 100),
    ]),
    ("8", "Bảo vệ bí mật nhà nước, an toàn tài sản, phòng cháy, chữa cháy", 150, &[]),
    ("9", "Đạt tiêu chuẩn \u{201C}An toàn về an ninh, trật tự\u{201D}", 100, &[]),
    ("10", "Khen thưởng, nhân rộng điển hình tiên tiến", 50, &[]),
];

const SEED_KHU_DAN_CU: &[Seed] = &[
    (
        "1",
        "Chi bộ ban hành nghị quyết; khu dân cư đăng ký phong trào từ quý I",
        50,
        &[
            ("1.1", "Nghị quyết của chi bộ về phong trào", 20),
            ("1.2", "100% hộ gia đình đăng ký thực hiện", 30),
        ],
    ),
    (
        "2",
        "Tuyên truyền, phổ biến pháp luật; tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc",
        100,
        &[
            (
                "2.1",
                "Tuyên truyền, phổ biến pháp luật đến các hộ gia đình",
                50,
            ),
            (
                "2.2",
                "Tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc",
                50,
            ),
        ],
    ),
    (
        "3",
        "Tổ chức quần chúng, tổ tự quản về an ninh, trật tự hoạt động hiệu quả",
        150,
        &[],
    ),
    (
        "4",
        "Xây dựng, duy trì mô hình phòng, chống tội phạm, tệ nạn xã hội",
        150,
        &[],
    ),
    (
        "5",
        "An ninh chính trị ổn định; không có vụ việc phức tạp, kéo dài",
        200,
        &[],
    ),
    (
        "6",
        "Kiềm chế, làm giảm tội phạm, tệ nạn xã hội, tai nạn giao thông, cháy nổ",
        200,
        &[
            ("6.1", "Tội phạm được kiềm chế, làm giảm", 100),
            ("6.2", "Không phát sinh tệ nạn xã hội mới", 50),
            ("6.3", "Hạn chế tai nạn giao thông, cháy, nổ", 50),
        ],
    ),
    (
        "7",
        "Hòa giải, giải quyết mâu thuẫn, tranh chấp ngay tại cơ sở",
        100,
        &[],
    ),
    (
        "8",
        "Quản lý, giáo dục, giúp đỡ người lầm lỗi tại cộng đồng",
        50,
        &[],
    ),
];

const SEED_XA: &[Seed] = &[
    ("1", "Đảng ủy ban hành nghị quyết, UBND ban hành kế hoạch và đăng ký phong trào từ quý I", 50, &[]),
    ("2", "Tuyên truyền; tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc", 100, &[
        ("2.1", "Tuyên truyền, phổ biến pháp luật, nhiệm vụ bảo vệ an ninh, trật tự", 50),
        ("2.2", "Tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc", 50),
    ]),
    ("3", "Xây dựng, củng cố Công an xã và lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở", 150, &[]),
    ("4", "Xây dựng, nhân rộng mô hình, điển hình tiên tiến", 150, &[
        ("4.1", "Có ít nhất một mô hình phòng, chống tội phạm hoạt động hiệu quả", 100),
        ("4.2", "Phát hiện, biểu dương điển hình tiên tiến", 50),
    ]),
    ("5", "Bảo đảm an ninh chính trị, trật tự, an toàn xã hội trên địa bàn", 200, &[]),
    ("6", "Phòng, chống tội phạm, tệ nạn xã hội", 150, &[]),
    ("7", "Khu dân cư xếp loại Khá trở lên, đạt tiêu chuẩn \u{201C}An toàn về an ninh, trật tự\u{201D}", 100, &[]),
    ("8", "Sơ kết, tổng kết, khen thưởng; báo cáo đúng hạn", 100, &[]),
];

/// The year the seeded templates apply from (QĐ 510 of 20/01/2022).
pub const SEED_YEAR: i32 = 2022;

fn seed_items(s: &[Seed]) -> Vec<ItemIn> {
    s.iter()
        .map(|(label, text, max, kids)| ItemIn {
            label: label.to_string(),
            text: text.to_string(),
            max: *max,
            children: kids
                .iter()
                .map(|(l, t, m)| ItemIn {
                    label: l.to_string(),
                    text: t.to_string(),
                    max: *m,
                    children: Vec::new(),
                })
                .collect(),
        })
        .collect()
}

/// Seed the three templates once (idempotent).
pub async fn seed_if_empty(db: &Db) -> StorageResult<()> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM score_templates")
        .fetch_one(db.pool())
        .await?;
    if n > 0 {
        return Ok(());
    }
    let who = Who::system();
    let mut tx = db.begin_write().await?;
    for (kind, seed) in [
        (SubjectKind::KhuDanCu, SEED_KHU_DAN_CU),
        (SubjectKind::Xa, SEED_XA),
        (SubjectKind::CoQuan, SEED_CO_QUAN),
    ] {
        let items = seed_items(seed);
        check(&items)?;
        let title = format!(
            "Bảng chấm điểm phân loại phong trào toàn dân bảo vệ an ninh Tổ quốc – {} (nội dung minh họa, chờ văn bản chính thức)",
            kind.word_vi().to_lowercase()
        );
        insert_tx(&mut tx, &who, kind, SEED_YEAR, &title, NOTE, &items).await?;
    }
    audit::append(
        &mut tx,
        Change {
            who: &who,
            action: "score_template.seed",
            entity: "score_template",
            entity_id: "seed".into(),
            unit_id: None,
            before: None,
            after: Some(json!({"templates": 3, "year_from": SEED_YEAR})),
        },
    )
    .await?;
    tx.commit().await
}

fn shapes(items: &[ItemIn]) -> Vec<ItemShape> {
    items
        .iter()
        .map(|i| ItemShape {
            label: i.label.clone(),
            max: i.max,
            children: i.children.iter().map(|c| c.max).collect(),
        })
        .collect()
}

/// Lengths and sums: 100 points in all, sub-items summing to their item.
pub fn check(items: &[ItemIn]) -> Result<(), DomainError> {
    let count: usize = items.iter().map(|i| 1 + i.children.len()).sum();
    if count > limits::MAX_ITEMS {
        return Err(DomainError::invalid(format!(
            "Mẫu có {count} mục, quá giới hạn {} mục",
            limits::MAX_ITEMS
        )));
    }
    for i in items
        .iter()
        .chain(items.iter().flat_map(|i| i.children.iter()))
    {
        if i.label.trim().is_empty() {
            return Err(DomainError::invalid("Có mục chưa ghi số thứ tự (TT)"));
        }
        text::check_len("Số thứ tự của mục", &i.label, limits::LABEL)?;
        if i.text.trim().is_empty() {
            return Err(DomainError::invalid(format!(
                "Mục {}: chưa ghi nội dung",
                i.label
            )));
        }
        text::check_len(
            &format!("Nội dung mục {}", i.label),
            &i.text,
            limits::ITEM_TEXT,
        )?;
    }
    let mut labels: Vec<&str> = items
        .iter()
        .chain(items.iter().flat_map(|i| i.children.iter()))
        .map(|i| i.label.trim())
        .collect();
    labels.sort_unstable();
    if let Some(w) = labels.windows(2).find(|w| w[0] == w[1]) {
        return Err(DomainError::invalid(format!(
            "Số thứ tự {} ghi hai lần",
            w[0]
        )));
    }
    check_template(&shapes(items))
}

async fn insert_tx(
    tx: &mut WriteTx,
    who: &Who,
    kind: SubjectKind,
    year_from: i32,
    title: &str,
    note: &str,
    items: &[ItemIn],
) -> StorageResult<i64> {
    let now = dates::timestamp(dates::now_utc());
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO score_templates (subject_kind, year_from, title, note, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(kind.code())
    .bind(i64::from(year_from))
    .bind(title)
    .bind(note)
    .bind(&who.name)
    .bind(&now)
    .fetch_one(tx.conn())
    .await
    .map_err(|e| {
        StorageError::unique_as_conflict(
            e,
            format!(
                "Đã có mẫu bảng chấm điểm {} áp dụng từ năm {year_from}",
                kind.word_vi().to_lowercase()
            ),
        )
    })?;
    insert_items(tx, id, items).await?;
    Ok(id)
}

async fn insert_items(tx: &mut WriteTx, template_id: i64, items: &[ItemIn]) -> StorageResult<()> {
    let mut pos = 0i64;
    for i in items {
        pos += 1;
        let parent: i64 = sqlx::query_scalar(
            "INSERT INTO score_items (template_id, parent_id, position, label, text, max_tenths) \
             VALUES ($1, NULL, $2, $3, $4, $5) RETURNING id",
        )
        .bind(template_id)
        .bind(pos)
        .bind(i.label.trim())
        .bind(text::clean(&i.text))
        .bind(i.max)
        .fetch_one(tx.conn())
        .await?;
        for c in &i.children {
            pos += 1;
            sqlx::query(
                "INSERT INTO score_items (template_id, parent_id, position, label, text, max_tenths) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(template_id)
            .bind(parent)
            .bind(pos)
            .bind(c.label.trim())
            .bind(text::clean(&c.text))
            .bind(c.max)
            .execute(tx.conn())
            .await?;
        }
    }
    Ok(())
}

/// Every template, by kind then year.
pub async fn templates(db: &Db) -> StorageResult<Vec<Template>> {
    let rows = sqlx::query(
        "SELECT t.id, t.subject_kind, t.year_from, t.title, t.note, \
         (SELECT COUNT(*) FROM classifications c WHERE c.template_id = t.id) \
         FROM score_templates t ORDER BY t.subject_kind, t.year_from",
    )
    .fetch_all(db.pool())
    .await?;
    let items = sqlx::query(
        "SELECT id, template_id, parent_id, position, label, text, max_tenths FROM score_items \
         ORDER BY template_id, position",
    )
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = r.get(0);
        let year: i64 = r.get(2);
        out.push(Template {
            id,
            kind: SubjectKind::parse(&r.get::<String, _>(1))?,
            year_from: year as i32,
            title: r.get(3),
            note: r.get(4),
            used: r.get(5),
            items: items
                .iter()
                .filter(|i| i.get::<i64, _>(1) == id)
                .map(|i| Item {
                    id: i.get(0),
                    parent_id: i.get(2),
                    position: i.get(3),
                    label: i.get(4),
                    text: i.get(5),
                    max: i.get(6),
                })
                .collect(),
        });
    }
    // Kinds in their fixed order.
    out.sort_by_key(|t| (t.kind, t.year_from));
    Ok(out)
}

pub async fn template(db: &Db, id: i64) -> StorageResult<Template> {
    templates(db)
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| StorageError::not_found(format!("mẫu bảng chấm điểm số {id}")))
}

/// The template a classification of `kind` in `year` is scored on: the
/// latest version from that year or before.
pub async fn template_for(db: &Db, kind: SubjectKind, year: i32) -> StorageResult<Template> {
    templates(db)
        .await?
        .into_iter()
        .filter(|t| t.kind == kind && t.year_from <= year)
        .max_by_key(|t| t.year_from)
        .ok_or_else(|| {
            DomainError::invalid(format!(
                "Chưa có mẫu bảng chấm điểm {} áp dụng cho năm {year}",
                kind.word_vi().to_lowercase()
            ))
            .into()
        })
}

/// Change a template (national administrators; audited). Unused, it is
/// changed in place (and may move to `year_from`); used by any
/// classification, a new version is made from `year_from`, which must be
/// later than the template's own year. Returns the id of the template saved.
pub async fn save(
    db: &Db,
    actor: Option<&Actor>,
    id: i64,
    year_from: i32,
    title: &str,
    items: &[ItemIn],
) -> StorageResult<i64> {
    let who = match actor {
        Some(a) if a.is_national(Action::EditCatalogue) => a.who(),
        Some(_) => return Err(StorageError::Forbidden),
        None => Who::system(),
    };
    let old = template(db, id).await?;
    let title = text::clean(title);
    if title.is_empty() {
        return Err(DomainError::invalid("Chưa ghi tên mẫu bảng chấm điểm").into());
    }
    text::check_len("Tên mẫu", &title, limits::TITLE)?;
    if !(2000..=2100).contains(&year_from) {
        return Err(DomainError::invalid(format!("Năm áp dụng {year_from} không hợp lệ")).into());
    }
    check(items)?;
    let mut tx = db.begin_write().await?;
    let saved = if old.used > 0 {
        if year_from <= old.year_from {
            return Err(DomainError::invalid(format!(
                "Mẫu này đã dùng cho {} phiếu chấm điểm nên không sửa được; hãy lập phiên bản mới áp dụng từ năm sau năm {}",
                old.used, old.year_from
            ))
            .into());
        }
        insert_tx(&mut tx, &who, old.kind, year_from, &title, &old.note, items).await?
    } else {
        sqlx::query("UPDATE score_templates SET year_from = $2, title = $3 WHERE id = $1")
            .bind(id)
            .bind(i64::from(year_from))
            .bind(&title)
            .execute(tx.conn())
            .await
            .map_err(|e| {
                StorageError::unique_as_conflict(
                    e,
                    format!("Đã có mẫu bảng chấm điểm cùng loại áp dụng từ năm {year_from}"),
                )
            })?;
        sqlx::query("DELETE FROM score_items WHERE template_id = $1 AND parent_id IS NOT NULL")
            .bind(id)
            .execute(tx.conn())
            .await?;
        sqlx::query("DELETE FROM score_items WHERE template_id = $1")
            .bind(id)
            .execute(tx.conn())
            .await?;
        insert_items(&mut tx, id, items).await?;
        id
    };
    let after = json!({
        "kind": old.kind.code(), "year_from": year_from, "title": title,
        "items": items.iter().map(|i| json!({"label": i.label, "max": i.max, "children": i.children.len()})).collect::<Vec<_>>(),
        "from_template": id,
    });
    audit::append(
        &mut tx,
        Change {
            who: &who,
            action: "score_template.save",
            entity: "score_template",
            entity_id: saved.to_string(),
            unit_id: None,
            before: Some(json!({"id": id, "year_from": old.year_from, "title": old.title})),
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}
