//! What a conference is recorded from, and its checks: texts in NFC and
//! bounded, lists bounded, years and counts in range. Errors in Vietnamese.

use antq_core::dates::Date;
use antq_core::programmes::conferences::{Attendee, ConferenceKind};
use antq_core::programmes::Body;
use antq_core::text::{check_len, clean};
use antq_core::DomainError;
use serde::Serialize;

pub const MAX_ORGANISERS: usize = 10;
pub const MAX_ATTENDEES: usize = 50;
pub const MAX_LINKS: usize = 20;
const TITLE: usize = 500;
const PLACE: usize = 300;
const NOTES: usize = 4_000;
const NAME: usize = 300;
const SHORT: usize = 100;

/// How a programme is linked to a conference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The conference reviews it.
    Reviews,
    /// It was signed there.
    Signed,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Reviews => "reviews",
            Role::Signed => "signed",
        }
    }

    pub fn parse(s: &str) -> Result<Role, DomainError> {
        match s {
            "reviews" => Ok(Role::Reviews),
            "signed" => Ok(Role::Signed),
            other => Err(DomainError::invalid(format!(
                "Vai trò của chương trình \u{201C}{other}\u{201D} không có"
            ))),
        }
    }
}

/// An organiser: a unit's body (the name, if empty, is made from the
/// unit's: "Công an tỉnh Điện Biên"), or a body by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganiserInput {
    pub unit_id: Option<i64>,
    pub body: Body,
    pub name: String,
}

/// A conference as recorded or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConferenceInput {
    pub kind: ConferenceKind,
    pub title: String,
    pub held_on: Date,
    pub place: String,
    /// The unit that held it.
    pub unit_id: i64,
    pub stage: Option<(i32, i32)>,
    pub attendance: Option<i64>,
    pub notes: String,
    pub organisers: Vec<OrganiserInput>,
    pub attendees: Vec<Attendee>,
    /// Programmes it reviews.
    pub reviewed: Vec<i64>,
    /// Plans signed there.
    pub signed: Vec<i64>,
    /// antq reviews presented there.
    pub reviews: Vec<i64>,
}

fn text(label: &str, s: &str, max: usize) -> Result<String, DomainError> {
    let t = clean(s).trim().to_string();
    check_len(label, &t, max)?;
    Ok(t)
}

fn count(label: &str, n: usize, max: usize) -> Result<(), DomainError> {
    if n > max {
        return Err(DomainError::invalid(format!(
            "Có {n} {label}, nhiều nhất {max}"
        )));
    }
    Ok(())
}

fn dedup(ids: &mut Vec<i64>) {
    let mut seen = std::collections::HashSet::new();
    ids.retain(|i| seen.insert(*i));
}

impl ConferenceInput {
    /// The input with its texts cleaned (NFC, trimmed), checked.
    pub fn checked(mut self) -> Result<ConferenceInput, DomainError> {
        self.title = text("Tên hội nghị", &self.title, TITLE)?;
        if self.title.is_empty() {
            return Err(DomainError::invalid("Chưa nhập tên hội nghị, sự kiện"));
        }
        self.place = text("Địa điểm", &self.place, PLACE)?;
        self.notes = text("Ghi chú", &self.notes, NOTES)?;
        let year = |y: i32| (1945..=2100).contains(&y);
        if !year(self.held_on.year()) {
            return Err(DomainError::invalid(
                "Ngày tổ chức phải trong khoảng 1945 – 2100",
            ));
        }
        if let Some((from, to)) = self.stage {
            if !year(from) || !year(to) || from > to {
                return Err(DomainError::invalid(format!(
                    "Giai đoạn {from} – {to} không hợp lệ: năm đầu không được sau năm cuối, \
                     trong khoảng 1945 – 2100"
                )));
            }
        }
        if let Some(n) = self.attendance {
            if !(0..=10_000_000).contains(&n) {
                return Err(DomainError::invalid("Số người dự phải từ 0 đến 10.000.000"));
            }
        }
        count("đơn vị tổ chức", self.organisers.len(), MAX_ORGANISERS)?;
        count("đại biểu", self.attendees.len(), MAX_ATTENDEES)?;
        count("chương trình được tổng kết", self.reviewed.len(), MAX_LINKS)?;
        count("kế hoạch ký kết", self.signed.len(), MAX_LINKS)?;
        count("báo cáo", self.reviews.len(), MAX_LINKS)?;
        for o in &mut self.organisers {
            o.name = text("Tên đơn vị tổ chức", &o.name, NAME)?;
            if o.name.is_empty() && (o.unit_id.is_none() || o.body == Body::Khac) {
                return Err(DomainError::invalid(
                    "Đơn vị tổ chức cần tên, hoặc một đơn vị hành chính với cơ quan Công an, \
                     Ủy ban MTTQ hay UBND",
                ));
            }
        }
        for (i, a) in self.attendees.iter_mut().enumerate() {
            a.rank_title = text("Cấp bậc, danh xưng", &a.rank_title, SHORT)?;
            a.name = text("Họ tên đại biểu", &a.name, SHORT)?;
            a.office = text("Chức vụ", &a.office, NAME)?;
            a.body = text("Cơ quan", &a.body, NAME)?;
            if a.name.is_empty() {
                return Err(DomainError::invalid(format!(
                    "Đại biểu thứ {} chưa có họ tên",
                    i + 1
                )));
            }
        }
        dedup(&mut self.reviewed);
        dedup(&mut self.signed);
        dedup(&mut self.reviews);
        Ok(self)
    }

    /// The text searched by words of the title and place.
    pub fn search_key(&self) -> String {
        antq_core::text::fold(&format!("{} {}", self.title, self.place))
    }
}

use chrono::Datelike as _;
