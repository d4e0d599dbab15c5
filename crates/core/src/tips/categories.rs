//! The categories of tips and their questionnaires. They are data an
//! administrator edits: [`default_categories`] seeds them, [`check_category`]
//! guards every edit, [`check_answers`] checks what a citizen answered.
//!
//! Retention (days a tip's content is kept after it is closed): five years
//! (1826 days) for the crime and public-order categories, long enough to
//! link a tip to a case that matures slowly (drug networks, loan sharks,
//! scams that resurface under new numbers), and two years (730 days) for
//! "Khác", whose tips are mostly requests and complaints with no case
//! behind them. An administrator may change both, within 30–3653 days.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::text;
use crate::DomainError;

/// The kinds of question a questionnaire asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionKind {
    /// One line of text (at most 500 characters).
    Text,
    /// Several lines (at most 5.000 characters).
    LongText,
    /// One of the question's options.
    Choice,
    /// A day, not in the future.
    Date,
}

impl QuestionKind {
    /// Every kind, in the order the category editor offers them.
    pub const ALL: [QuestionKind; 4] = [
        QuestionKind::Text,
        QuestionKind::LongText,
        QuestionKind::Choice,
        QuestionKind::Date,
    ];

    /// The stored name (as in JSON): `text`, `longtext`, `choice`, `date`.
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Text => "text",
            QuestionKind::LongText => "longtext",
            QuestionKind::Choice => "choice",
            QuestionKind::Date => "date",
        }
    }

    /// The kind of a stored name.
    pub fn parse(s: &str) -> Option<QuestionKind> {
        QuestionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The Vietnamese label shown in the category editor.
    pub fn label_vi(self) -> &'static str {
        match self {
            QuestionKind::Text => "Một dòng chữ",
            QuestionKind::LongText => "Đoạn văn",
            QuestionKind::Choice => "Chọn một",
            QuestionKind::Date => "Ngày",
        }
    }

    /// The longest answer, in characters.
    pub fn max_answer(self) -> usize {
        match self {
            QuestionKind::Text | QuestionKind::Choice => 500,
            QuestionKind::LongText => 5_000,
            QuestionKind::Date => 10,
        }
    }
}

/// One question of a category's questionnaire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// The key answers are stored under (`[a-z0-9_]{1,32}`).
    pub key: String,
    pub label: String,
    /// A hint shown under the question (may be empty).
    pub help: String,
    pub kind: QuestionKind,
    pub required: bool,
    /// The options of a `Choice` question; empty for the others.
    pub options: Vec<String>,
}

/// A category of tips and its questionnaire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Category {
    /// The stored code (`[a-z0-9_]{2,32}`).
    pub code: String,
    pub name: String,
    pub description: String,
    pub questions: Vec<Question>,
    /// Days the content is kept after the tip is closed.
    pub retention_days: u32,
    /// The online-scam category: structured identifiers are asked for.
    pub scam: bool,
    /// Offered to citizens.
    pub active: bool,
}

/// A retention in words: "1.826 ngày (5 năm)", "730 ngày (2 năm)",
/// "1.000 ngày (khoảng 2,7 năm)", "90 ngày (khoảng 3 tháng)", "45 ngày".
pub fn retention_words(days: u32) -> String {
    let n = text::format_int(i64::from(days));
    let years = f64::from(days) / 365.25;
    if days >= 365 {
        let whole = years.round();
        if (years - whole).abs() < 0.01 {
            format!("{n} ngày ({whole} năm)")
        } else {
            let tenths = (years * 10.0).round() as i64;
            format!("{n} ngày (khoảng {},{} năm)", tenths / 10, tenths % 10)
        }
    } else if days >= 60 {
        let months = (f64::from(days) / 30.44).round();
        format!("{n} ngày (khoảng {months} tháng)")
    } else {
        format!("{n} ngày")
    }
}

/// Most questions in a questionnaire.
pub const MAX_QUESTIONS: usize = 30;
/// Most characters in all answers of one tip together.
pub const MAX_ANSWERS_TOTAL: usize = 20_000;
/// Shortest and longest retention, in days.
pub const RETENTION_DAYS: std::ops::RangeInclusive<u32> = 30..=3653;

fn q(key: &str, label: &str, help: &str, kind: QuestionKind, options: &[&str]) -> Question {
    Question {
        key: key.into(),
        label: label.into(),
        help: help.into(),
        kind,
        required: false,
        options: options.iter().map(|o| o.to_string()).collect(),
    }
}

fn required(mut question: Question) -> Question {
    question.required = true;
    question
}

fn cat(code: &str, name: &str, description: &str, questions: Vec<Question>) -> Category {
    Category {
        code: code.into(),
        name: name.into(),
        description: description.into(),
        questions,
        retention_days: 1826,
        scam: false,
        active: true,
    }
}

/// How often something was seen (shared by several questionnaires).
const SEEN: [&str; 4] = ["Một lần", "Vài lần", "Thường xuyên", "Không rõ"];

fn drugs() -> Category {
    use QuestionKind::*;
    cat(
        "ma_tuy",
        "Tội phạm ma túy",
        "Mua bán, tàng trữ, tổ chức sử dụng ma túy; điểm, tụ điểm sử dụng ma túy.",
        vec![
            required(q(
                "hoat_dong",
                "Bạn thấy hoạt động gì?",
                "",
                Choice,
                &[
                    "Mua bán",
                    "Tàng trữ, vận chuyển",
                    "Tổ chức sử dụng",
                    "Sử dụng",
                    "Trồng cây có chất ma túy",
                    "Khác",
                ],
            )),
            q(
                "tan_suat",
                "Bạn thấy việc này bao lâu một lần?",
                "",
                Choice,
                &SEEN,
            ),
            q(
                "dac_diem",
                "Phương tiện, đặc điểm nhận dạng",
                "Biển số xe, đặc điểm người, giờ thường xuất hiện.",
                LongText,
                &[],
            ),
        ],
    )
}

fn loan_sharks() -> Category {
    use QuestionKind::*;
    cat(
        "tin_dung_den",
        "“Tín dụng đen”",
        "Cho vay lãi nặng, đòi nợ bằng đe dọa, khủng bố, bôi bẩn nhà cửa.",
        vec![
            required(q(
                "hanh_vi",
                "Bạn biết việc gì?",
                "",
                Choice,
                &[
                    "Cho vay lãi nặng",
                    "Đòi nợ bằng đe dọa, bạo lực",
                    "Dán, rải tờ rơi cho vay",
                    "Cho vay qua ứng dụng",
                    "Khác",
                ],
            )),
            q(
                "lai_suat",
                "Lãi suất hoặc số tiền phải trả",
                "Ví dụ: vay 10 triệu, mỗi ngày trả 300 nghìn.",
                Text,
                &[],
            ),
            q(
                "doi_tuong",
                "Đặc điểm người cho vay, người đòi nợ",
                "Tên gọi, số điện thoại trên tờ rơi, phương tiện.",
                LongText,
                &[],
            ),
        ],
    )
}

fn online_scams() -> Category {
    use QuestionKind::*;
    let mut c = cat(
        "lua_dao_mang",
        "Lừa đảo trên không gian mạng",
        "Lừa đảo qua điện thoại, tin nhắn, mạng xã hội, trang web giả mạo; chiếm đoạt tiền qua tài khoản ngân hàng hoặc ví điện tử.",
        vec![
            required(q("cach_lien_lac", "Đối tượng liên lạc với bạn bằng cách nào?", "", Choice,
                &["Điện thoại", "Tin nhắn", "Mạng xã hội", "Website", "Khác"])),
            q("thu_doan", "Đối tượng giả danh ai, đưa ra lời mời hay yêu cầu gì?", "Ví dụ: giả danh công an, ngân hàng; mời làm cộng tác viên, đầu tư, nhận thưởng.", LongText, &[]),
            q("so_tien", "Số tiền đã bị chiếm đoạt (đồng)", "Bỏ trống nếu chưa mất tiền.", Text, &[]),
            q("ngay_chuyen_tien", "Ngày chuyển tiền", "", Date, &[]),
        ],
    );
    c.scam = true;
    c
}

fn theft() -> Category {
    use QuestionKind::*;
    cat(
        "trom_cap",
        "Trộm cắp tài sản",
        "Trộm cắp, tiêu thụ tài sản do trộm cắp mà có.",
        vec![
            required(q(
                "tai_san",
                "Tài sản bị trộm hoặc bị tiêu thụ",
                "Ví dụ: xe máy, điện thoại, vật nuôi.",
                Text,
                &[],
            )),
            q("ngay_xay_ra", "Ngày xảy ra", "", Date, &[]),
            q(
                "dac_diem",
                "Đặc điểm người, phương tiện nghi vấn",
                "",
                LongText,
                &[],
            ),
        ],
    )
}

fn neighbourhood() -> Category {
    use QuestionKind::*;
    cat(
        "antt_khu_dan_cu",
        "An ninh trật tự khu dân cư",
        "Gây rối, đánh bạc, tụ tập đua xe, cư trú không khai báo và các việc khác làm mất an ninh trật tự nơi bạn ở.",
        vec![
            required(q("van_de", "Việc gì đang xảy ra?", "", Choice,
                &["Gây rối, đánh nhau", "Đánh bạc", "Tụ tập, đua xe", "Người lạ cư trú không khai báo", "Khác"])),
            q("tan_suat", "Bạn thấy việc này bao lâu một lần?", "", Choice, &SEEN),
            q("thoi_gian", "Thường xảy ra vào giờ nào?", "", Text, &[]),
        ],
    )
}

fn other() -> Category {
    use QuestionKind::*;
    let mut c = cat(
        "khac",
        "Khác",
        "Thông tin khác về an ninh, trật tự mà các mục trên chưa có.",
        vec![
            q(
                "linh_vuc",
                "Thông tin liên quan đến lĩnh vực nào?",
                "",
                Text,
                &[],
            ),
            q(
                "da_bao_truoc",
                "Bạn đã báo việc này với cơ quan nào trước đây chưa?",
                "",
                Choice,
                &["Chưa", "Đã báo", "Không nhớ"],
            ),
        ],
    );
    c.retention_days = 730;
    c
}

/// The six categories antq starts with, in the order the public page
/// offers them (retention: see the module documentation).
pub fn default_categories() -> Vec<Category> {
    vec![
        drugs(),
        loan_sharks(),
        online_scams(),
        theft(),
        neighbourhood(),
        other(),
    ]
}

fn is_key(s: &str, min: usize) -> bool {
    (min..=32).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// A text of a category, refused when unprintable or longer than `max`,
/// returned in NFC and trimmed; `min` characters at least.
fn field(label: &str, s: &str, min: usize, max: usize) -> Result<String, DomainError> {
    text::check_len(label, s, max)?;
    text::check_printable(label, s)?;
    // One line, single spaces (an option with a line break would split in
    // two the next time the page's editor saves it).
    let s = text::clean(s);
    if s.chars().count() < min || (min > 0 && !s.chars().any(char::is_alphanumeric)) {
        return Err(DomainError::invalid(format!("{label} còn trống")));
    }
    Ok(s)
}

fn check_question(n: usize, qn: Question) -> Result<Question, DomainError> {
    let name = format!("Câu hỏi thứ {n}");
    if !is_key(&qn.key, 1) {
        return Err(DomainError::invalid(format!(
            "{name}: mã câu hỏi chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới, tối đa 32 ký tự"
        )));
    }
    let label = field(&format!("Nội dung câu hỏi thứ {n}"), &qn.label, 1, 300)?;
    let help = field(
        &format!("Hướng dẫn của câu hỏi thứ {n}"),
        &qn.help,
        0,
        1_000,
    )?;
    let options = if qn.kind == QuestionKind::Choice {
        if !(2..=30).contains(&qn.options.len()) {
            return Err(DomainError::invalid(format!(
                "{name} (chọn một) cần từ 2 đến 30 lựa chọn"
            )));
        }
        let mut seen = BTreeSet::new();
        let mut out = Vec::with_capacity(qn.options.len());
        for (i, o) in qn.options.iter().enumerate() {
            let o = field(
                &format!("Lựa chọn {} của câu hỏi thứ {n}", i + 1),
                o,
                1,
                200,
            )?;
            if !seen.insert(text::fold(&o)) {
                return Err(DomainError::invalid(format!(
                    "{name} có hai lựa chọn trùng nhau: {o}"
                )));
            }
            out.push(o);
        }
        out
    } else if qn.options.is_empty() {
        Vec::new()
    } else {
        return Err(DomainError::invalid(format!(
            "{name} không phải câu hỏi chọn một nên không có lựa chọn"
        )));
    };
    Ok(Question {
        label,
        help,
        options,
        ..qn
    })
}

/// Check a category as an administrator saved it; its texts come back in
/// NFC, trimmed.
pub fn check_category(c: Category) -> Result<Category, DomainError> {
    if !is_key(&c.code, 2) {
        return Err(DomainError::invalid(
            "Mã loại tin báo gồm 2 đến 32 ký tự: chữ thường không dấu, chữ số và dấu gạch dưới",
        ));
    }
    let name = field("Tên loại tin báo", &c.name, 1, 200)?;
    let description = field("Mô tả loại tin báo", &c.description, 0, 2_000)?;
    if c.questions.len() > MAX_QUESTIONS {
        return Err(DomainError::invalid(format!(
            "Bộ câu hỏi có {} câu, vượt giới hạn {MAX_QUESTIONS} câu",
            c.questions.len()
        )));
    }
    let mut keys = BTreeSet::new();
    let mut questions = Vec::with_capacity(c.questions.len());
    for (i, qn) in c.questions.into_iter().enumerate() {
        let qn = check_question(i + 1, qn)?;
        if !keys.insert(qn.key.clone()) {
            return Err(DomainError::invalid(format!(
                "Câu hỏi thứ {} có mã trùng với một câu hỏi trước: {}",
                i + 1,
                qn.key
            )));
        }
        questions.push(qn);
    }
    if !RETENTION_DAYS.contains(&c.retention_days) {
        return Err(DomainError::invalid(format!(
            "Thời hạn lưu giữ là {} ngày, phải từ 30 đến 3.653 ngày (10 năm)",
            text::format_int(i64::from(c.retention_days))
        )));
    }
    Ok(Category {
        name,
        description,
        questions,
        ..c
    })
}

/// A tip's answers, by question key.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Answers(pub BTreeMap<String, String>);

/// A date answer: dd/mm/yyyy or yyyy-mm-dd, not after `today`, stored as
/// dd/mm/yyyy.
fn check_date_answer(label: &str, s: &str, today: NaiveDate) -> Result<String, DomainError> {
    let d = NaiveDate::parse_from_str(s, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
        .map_err(|_| {
            DomainError::invalid(format!(
                "Câu trả lời cho \"{label}\" không phải ngày hợp lệ (dùng dạng dd/mm/yyyy)"
            ))
        })?;
    if d > today {
        return Err(DomainError::invalid(format!(
            "Câu trả lời cho \"{label}\" là một ngày trong tương lai"
        )));
    }
    Ok(crate::dates::format_vi(d))
}

/// Check one answer against its question; `None` for an empty answer.
fn check_answer(qn: &Question, raw: &str, today: NaiveDate) -> Result<Option<String>, DomainError> {
    let label = format!("Câu trả lời cho \"{}\"", qn.label);
    text::check_len(&label, raw, qn.kind.max_answer().max(500))?;
    text::check_printable(&label, raw)?;
    let v = text::nfc(raw.trim());
    if v.is_empty() {
        return Ok(None);
    }
    text::check_len(&label, &v, qn.kind.max_answer())?;
    let v = match qn.kind {
        QuestionKind::Text => text::clean(&v),
        QuestionKind::LongText => v,
        QuestionKind::Choice => {
            let folded = text::fold(&v);
            match qn.options.iter().find(|o| text::fold(o) == folded) {
                Some(o) => o.clone(),
                None => {
                    return Err(DomainError::invalid(format!(
                        "{label} không nằm trong các lựa chọn"
                    )))
                }
            }
        }
        QuestionKind::Date => check_date_answer(&qn.label, &v, today)?,
    };
    Ok(Some(v))
}

/// Check a citizen's answers to a category's questionnaire: every key a
/// question of it, each once; required questions answered; choices among
/// the options; dates not after `today`; lengths bounded (one line 500,
/// a paragraph 5.000, all answers 20.000 characters); empty optional
/// answers dropped.
pub fn check_answers(
    cat: &Category,
    raw: Vec<(String, String)>,
    today: NaiveDate,
) -> Result<Answers, DomainError> {
    if raw.len() > MAX_QUESTIONS {
        return Err(DomainError::invalid("Có quá nhiều câu trả lời"));
    }
    let mut given: BTreeMap<String, String> = BTreeMap::new();
    for (key, value) in raw {
        let Some(qn) = cat.questions.iter().find(|qn| qn.key == key) else {
            return Err(DomainError::invalid(
                "Có câu trả lời cho một câu hỏi không có trong bộ câu hỏi: xin tải lại trang",
            ));
        };
        if given.contains_key(&key) {
            return Err(DomainError::invalid(format!(
                "Câu hỏi \"{}\" được trả lời hai lần",
                qn.label
            )));
        }
        given.insert(key, value);
    }
    let mut out = BTreeMap::new();
    let mut total = 0;
    for qn in &cat.questions {
        let answer = match given.get(&qn.key) {
            Some(raw) => check_answer(qn, raw, today)?,
            None => None,
        };
        match answer {
            Some(v) => {
                total += v.chars().count();
                out.insert(qn.key.clone(), v);
            }
            None if qn.required => {
                return Err(DomainError::invalid(format!(
                    "Xin trả lời câu hỏi \"{}\"",
                    qn.label
                )))
            }
            None => {}
        }
    }
    if total > MAX_ANSWERS_TOTAL {
        return Err(DomainError::invalid(format!(
            "Các câu trả lời dài {} ký tự, vượt giới hạn {} ký tự",
            text::format_int(total as i64),
            text::format_int(MAX_ANSWERS_TOTAL as i64)
        )));
    }
    Ok(Answers(out))
}

#[cfg(test)]
#[path = "categories_tests.rs"]
mod tests;
