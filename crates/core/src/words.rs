//! The one table of words: what a person reads in place of an internal code
//! (qualifiers, audit actions, roles, report states, period types,
//! calendars, value types, aggregations). Every page takes its words from
//! here; the API keeps the codes. Vietnamese first, English beside it.

use crate::auth::Role;
use crate::indicators::{Aggregation, Qualifier, ValueType};
use crate::periods::{Calendar, Period, PeriodType, YearRange};

/// A code and its words in Vietnamese and English.
pub type Word = (&'static str, &'static str, &'static str);

/// Every action the audit log records (grep `action: "` in `storage`), in words.
pub static AUDIT_ACTIONS: &[Word] = &[
    ("value.set", "Nhập số liệu", "Values entered"),
    ("report.create", "Mở báo cáo", "Report opened"),
    (
        "report.submit",
        "Gửi báo cáo lên cấp trên",
        "Report submitted",
    ),
    ("report.approve", "Duyệt báo cáo", "Report approved"),
    ("report.return", "Trả lại báo cáo", "Report returned"),
    (
        "report.reopen",
        "Mở lại báo cáo đã duyệt",
        "Report reopened",
    ),
    ("report.comment", "Góp ý báo cáo", "Comment on a report"),
    ("review.create", "Lập báo cáo tổng kết", "Review built"),
    (
        "review.edit",
        "Sửa lời văn báo cáo tổng kết",
        "Review text edited",
    ),
    (
        "review.link",
        "Gắn báo cáo tổng kết với hội nghị",
        "Review linked to a conference",
    ),
    (
        "review.document",
        "Sửa tên, các mục, người ký, nơi nhận của báo cáo tổng kết",
        "Review document changed",
    ),
    (
        "review.approve",
        "Duyệt nội dung báo cáo tổng kết",
        "Review approved",
    ),
    (
        "review.unapprove",
        "Bỏ duyệt báo cáo tổng kết do nội dung thay đổi",
        "Review approvals removed (text changed)",
    ),
    (
        "review_template.save",
        "Lưu mẫu báo cáo tổng kết",
        "Review template saved",
    ),
    (
        "review_template.reset",
        "Trả mẫu báo cáo của tỉnh về mẫu chung",
        "Province review template reset",
    ),
    (
        "review_signer.add",
        "Thêm người ký báo cáo",
        "Review signer added",
    ),
    (
        "review_signer.update",
        "Sửa người ký báo cáo",
        "Review signer changed",
    ),
    ("document.create", "Thêm văn bản", "Document added"),
    ("document.update", "Sửa văn bản", "Document changed"),
    (
        "document.attach",
        "Đính kèm tệp vào văn bản",
        "File attached to a document",
    ),
    (
        "programme.create",
        "Thêm chương trình, kế hoạch",
        "Programme or plan added",
    ),
    (
        "programme.update",
        "Sửa chương trình, kế hoạch",
        "Programme or plan changed",
    ),
    (
        "conference.create",
        "Ghi nhận hội nghị, sự kiện",
        "Conference recorded",
    ),
    (
        "conference.update",
        "Sửa hội nghị, sự kiện",
        "Conference changed",
    ),
    (
        "conference.photo_add",
        "Thêm ảnh hội nghị",
        "Conference photo added",
    ),
    (
        "conference.photo_remove",
        "Xóa ảnh hội nghị",
        "Conference photo removed",
    ),
    ("award.propose", "Đề nghị khen thưởng", "Award proposed"),
    (
        "award.record",
        "Ghi nhận quyết định khen thưởng",
        "Award decision recorded",
    ),
    ("award.decide", "Quyết định khen thưởng", "Award decided"),
    ("award.refuse", "Không khen thưởng", "Award refused"),
    (
        "award_catalogue.seed",
        "Nạp danh mục khen thưởng",
        "Award catalogue loaded",
    ),
    (
        "award_form.save",
        "Sửa hình thức khen thưởng",
        "Award form saved",
    ),
    (
        "award_office.save",
        "Sửa cấp khen thưởng",
        "Issuing office saved",
    ),
    (
        "award_rule.set",
        "Cho phép cấp tặng hình thức khen thưởng",
        "Award rule set",
    ),
    (
        "award_rule.remove",
        "Bỏ quy định tặng hình thức khen thưởng",
        "Award rule removed",
    ),
    (
        "demo.programmes",
        "Nạp dữ liệu mẫu về hội nghị, khen thưởng",
        "Demo conferences and awards loaded",
    ),
    ("user.create", "Tạo người dùng", "User created"),
    ("user.password", "Đổi mật khẩu", "Password changed"),
    ("user.disable", "Khóa người dùng", "User disabled"),
    ("user.enable", "Mở khóa người dùng", "User enabled"),
    ("grant.add", "Giao quyền", "Grant added"),
    ("grant.remove", "Thu hồi quyền", "Grant removed"),
    ("session.login", "Đăng nhập", "Logged in"),
    ("session.logout", "Đăng xuất", "Logged out"),
    ("token.create", "Tạo khóa API", "API token created"),
    ("token.revoke", "Thu hồi khóa API", "API token revoked"),
    ("unit.create", "Tạo đơn vị", "Unit created"),
    ("unit.update", "Sửa đơn vị", "Unit changed"),
    (
        "units.load_official",
        "Nạp danh mục đơn vị hành chính",
        "Official units loaded",
    ),
    (
        "units.repair_official_lineage",
        "Sửa quan hệ kế thừa của danh mục",
        "Official lineage repaired",
    ),
    ("lineage.add", "Thêm quan hệ kế thừa", "Lineage link added"),
    (
        "lineage.update",
        "Sửa quan hệ kế thừa",
        "Lineage link changed",
    ),
    (
        "lineage.delete",
        "Xóa quan hệ kế thừa",
        "Lineage link deleted",
    ),
    ("area.create", "Thêm khu dân cư", "Residential area added"),
    ("organisation.create", "Thêm tổ chức", "Organisation added"),
    (
        "catalogue.seed",
        "Nạp danh mục chỉ tiêu",
        "Indicator catalogue loaded",
    ),
    ("indicator.create", "Thêm chỉ tiêu", "Indicator added"),
    ("indicator.update", "Sửa chỉ tiêu", "Indicator changed"),
    ("form.create", "Tạo biểu báo cáo", "Form created"),
    (
        "rule.create",
        "Thêm quy tắc kiểm tra",
        "Validation rule added",
    ),
    (
        "rule.delete",
        "Xóa quy tắc kiểm tra",
        "Validation rule deleted",
    ),
    ("demo.load", "Nạp dữ liệu mẫu", "Demo data loaded"),
    ("demo.statistics", "Nạp số liệu mẫu", "Demo figures loaded"),
];

/// An audit action in Vietnamese; an action not in the table reads
/// "Thao tác khác", never its code.
pub fn audit_action_vi(code: &str) -> &'static str {
    audit_actions()
        .find(|w| w.0 == code)
        .map_or("Thao tác khác", |w| w.1)
}

pub fn audit_action_en(code: &str) -> &'static str {
    audit_actions()
        .find(|w| w.0 == code)
        .map_or("Other action", |w| w.2)
}

/// Every audit action in words: [`AUDIT_ACTIONS`] and those of the registries.
pub fn audit_actions() -> impl Iterator<Item = &'static Word> {
    AUDIT_ACTIONS.iter().chain(crate::registries::audit_words())
}

/// The states of a report (and `late`, past the deadline and not submitted).
pub static REPORT_STATES: &[Word] = &[
    ("not_started", "Chưa nhập", "Not started"),
    ("draft", "Đang nhập", "Draft"),
    ("returned", "Bị trả lại", "Returned"),
    ("submitted", "Đã gửi, chờ duyệt", "Submitted"),
    ("approved", "Đã duyệt", "Approved"),
    ("late", "Trễ hạn", "Overdue"),
];

pub fn report_state_vi(code: &str) -> &'static str {
    lookup(REPORT_STATES, code).map_or("Chưa nhập", |w| w.1)
}

pub fn report_state_en(code: &str) -> &'static str {
    lookup(REPORT_STATES, code).map_or("Not started", |w| w.2)
}

/// The kinds of records the audit log names (`entity`).
pub static ENTITIES: &[Word] = &[
    ("report", "Báo cáo", "Report"),
    ("review", "Báo cáo tổng kết", "Review"),
    ("user", "Người dùng", "User"),
    ("grant", "Quyền", "Grant"),
    ("session", "Phiên làm việc", "Session"),
    ("token", "Khóa API", "API token"),
    ("api_token", "Khóa API", "API token"),
    ("unit", "Đơn vị", "Unit"),
    ("lineage", "Quan hệ kế thừa", "Lineage link"),
    ("unit_link", "Quan hệ kế thừa", "Lineage link"),
    ("units", "Danh mục đơn vị hành chính", "Official units"),
    ("demo", "Dữ liệu mẫu", "Demo data"),
    ("area", "Khu dân cư", "Residential area"),
    ("organisation", "Tổ chức", "Organisation"),
    ("indicator", "Chỉ tiêu", "Indicator"),
    ("form", "Biểu báo cáo", "Form"),
    ("rule", "Quy tắc kiểm tra", "Validation rule"),
    ("validation_rule", "Quy tắc kiểm tra", "Validation rule"),
    ("catalogue", "Danh mục chỉ tiêu", "Catalogue"),
];

pub fn entity_vi(code: &str) -> &'static str {
    lookup(ENTITIES, code).map_or("Bản ghi", |w| w.1)
}

/// A qualifier as a word on its own: "chính xác", or the word before a
/// figure (`Qualifier::word_vi`).
pub fn qualifier_vi(q: Qualifier) -> &'static str {
    match q {
        Qualifier::Exact => "chính xác",
        other => other.word_vi(),
    }
}

pub fn qualifier_en(q: Qualifier) -> &'static str {
    match q {
        Qualifier::Exact => "exact",
        Qualifier::MoreThan => "more than",
        Qualifier::Nearly => "nearly",
        Qualifier::About => "about",
    }
}

/// The qualifiers with their words, for a select.
pub const QUALIFIERS: [Qualifier; 4] = [
    Qualifier::Exact,
    Qualifier::MoreThan,
    Qualifier::Nearly,
    Qualifier::About,
];

pub fn role_vi(r: Role) -> &'static str {
    r.label_vi()
}

pub fn role_en(r: Role) -> &'static str {
    r.label_en()
}

pub fn period_type_vi(t: PeriodType) -> &'static str {
    match t {
        PeriodType::Year => "năm",
        PeriodType::Half => "6 tháng",
        PeriodType::Quarter => "quý",
        PeriodType::Month => "tháng",
    }
}

pub fn period_type_en(t: PeriodType) -> &'static str {
    match t {
        PeriodType::Year => "year",
        PeriodType::Half => "half-year",
        PeriodType::Quarter => "quarter",
        PeriodType::Month => "month",
    }
}

pub fn calendar_vi(c: Calendar) -> &'static str {
    match c {
        Calendar::Calendar => "năm dương lịch (1/1 – 31/12)",
        Calendar::Reporting => "năm báo cáo thống kê (15/12 – 14/12)",
        Calendar::Assessment => "năm đánh giá phong trào (15/11 – 14/11)",
    }
}

pub fn calendar_en(c: Calendar) -> &'static str {
    match c {
        Calendar::Calendar => "calendar year (1/1 – 31/12)",
        Calendar::Reporting => "reporting year (15/12 – 14/12)",
        Calendar::Assessment => "assessment year (15/11 – 14/11)",
    }
}

pub fn value_type_vi(v: ValueType) -> &'static str {
    match v {
        ValueType::Integer => "số nguyên",
        ValueType::Decimal => "số thập phân",
        ValueType::Money => "tiền (đồng)",
    }
}

pub fn aggregation_vi(a: Aggregation) -> &'static str {
    match a {
        Aggregation::Sum => "cộng dồn",
        Aggregation::Latest => "số cuối kỳ",
        Aggregation::Ratio => "tỷ lệ",
        Aggregation::Distinct => "đếm không trùng",
    }
}

/// A period code as words ("2026S1" → "6 tháng đầu năm 2026"); a code that
/// does not parse is returned as it is (it came from the database).
pub fn period_vi(code: &str) -> String {
    Period::parse(code).map_or_else(|_| code.to_string(), |p| p.words_vi())
}

pub fn period_en(code: &str) -> String {
    Period::parse(code).map_or_else(|_| code.to_string(), |p| p.words_en())
}

/// A period code as words with its dates under a calendar.
pub fn period_with_dates_vi(code: &str, calendar: Calendar) -> String {
    Period::parse(code).map_or_else(|_| code.to_string(), |p| p.words_with_dates_vi(calendar))
}

/// A stage (`2013..2023`, or one year) in words: "Giai đoạn 2013 – 2023".
pub fn range_vi(from: &str, to: Option<&str>) -> String {
    YearRange::parse(from, to).map_or_else(|_| from.to_string(), |r| r.words_vi())
}

/// The accepted choices of a parameter, for a message: words first, the
/// code an API caller types in brackets: "năm (year), 6 tháng (half)".
pub fn choices_vi(choices: &[(&str, &str)]) -> String {
    choices
        .iter()
        .map(|(code, words)| format!("{words} ({code})"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn lookup(table: &'static [Word], code: &str) -> Option<&'static Word> {
    table.iter().find(|w| w.0 == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_read_as_words() {
        assert_eq!(audit_action_vi("value.set"), "Nhập số liệu");
        assert_eq!(audit_action_vi("report.approve"), "Duyệt báo cáo");
        assert_eq!(audit_action_vi("something.new"), "Thao tác khác");
        assert_eq!(audit_action_en("report.return"), "Report returned");
        let mut codes: Vec<_> = audit_actions().map(|w| w.0).collect();
        let all = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all, "each action once");
        for (_, vi, _) in audit_actions() {
            assert!(vi.chars().next().unwrap().is_uppercase(), "{vi}");
        }
    }

    #[test]
    fn periods_read_as_words() {
        assert_eq!(period_vi("2026S1"), "6 tháng đầu năm 2026");
        assert_eq!(period_vi("2026"), "Năm 2026");
        assert_eq!(
            period_with_dates_vi("2026", Calendar::Reporting),
            "Năm 2026 (15/12/2025 – 14/12/2026)"
        );
        assert_eq!(range_vi("2013..2023", None), "Giai đoạn 2013 – 2023");
        assert_eq!(range_vi("2013", Some("2023")), "Giai đoạn 2013 – 2023");
        assert_eq!(period_vi("abc"), "abc");
    }

    #[test]
    fn states_and_qualifiers() {
        assert_eq!(report_state_vi("returned"), "Bị trả lại");
        assert_eq!(report_state_vi("late"), "Trễ hạn");
        assert_eq!(qualifier_vi(Qualifier::MoreThan), "hơn");
        assert_eq!(
            choices_vi(&[("year", "năm"), ("half", "6 tháng")]),
            "năm (year), 6 tháng (half)"
        );
    }
}
