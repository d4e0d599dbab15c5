//! The UI's two languages: Vietnamese first, English by a switch (the `lang`
//! cookie). Every key carries both texts, so no translation can be missing;
//! a test checks that every key the templates use is here.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    pub fn from_cookie(v: Option<&str>) -> Lang {
        match v {
            Some("en") => Lang::En,
            _ => Lang::Vi,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

/// Look a key up; an unknown key shows itself (and fails the template test).
pub fn t(lang: Lang, key: &str) -> &'static str {
    match entries().find(|(k, _, _)| *k == key) {
        Some((_, vi, en)) => match lang {
            Lang::Vi => vi,
            Lang::En => en,
        },
        None => {
            tracing::warn!(key, "missing translation key");
            "⟨?⟩"
        }
    }
}

pub fn has_key(key: &str) -> bool {
    entries().any(|(k, _, _)| *k == key)
}

/// Every key with its Vietnamese and English text.
pub fn entries() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    [
        TABLE,
        ENTRY,
        WORK,
        PICKER,
        MACHINE,
        LAYOUT,
        DOCUMENTS,
        CONFERENCES,
        AWARDS,
        FIGURES,
    ]
    .into_iter()
    .flat_map(|t| t.iter())
}

pub static TABLE: &[(&str, &str, &str)] = &[
    ("app.name", "antq", "antq"),
    ("app.tagline", "Hệ thống thông tin phong trào Toàn dân bảo vệ an ninh Tổ quốc", "Information system of the All People Protect National Security movement"),
    ("nav.home", "Trang chủ", "Home"),
    ("nav.reviews", "Báo cáo tổng kết", "Reviews"),
    ("rv.title", "Báo cáo sơ kết, tổng kết", "Reviews"),
    ("rv.hint", "Báo cáo được lập từ số liệu đã duyệt và lưu kèm số liệu tại thời điểm lập, nên in lại luôn giống hệt; mục Đối chiếu cho biết số liệu đã thay đổi gì từ đó.", "Reviews are built from approved data and keep the figures they were built from, so they reprint identically; Compare shows what has changed in the data since."),
    ("rv.create", "Lập báo cáo mới", "Build a new review"),
    ("rv.from", "Từ năm", "From year"),
    ("rv.span", "Kỳ", "Span"),
    ("rv.span_years", "Cả năm", "Whole years"),
    ("rv.span_h1", "6 tháng đầu năm (của năm đầu)", "First half (of the first year)"),
    ("rv.span_h2", "6 tháng cuối năm (của năm đầu)", "Second half (of the first year)"),
    ("rv.to", "Đến năm", "To year"),
    ("rv.at", "Đơn vị tại ngày (để trống: cuối kỳ)", "Unit as at (empty: end of the stage)"),
    ("rv.owner", "Cơ quan ban hành", "Issued by"),
    ("rv.joint", "Liên tịch Công an – Mặt trận", "Police and Front jointly"),
    ("rv.issue_date", "Ngày ban hành", "Issue date"),
    ("rv.build", "Lập báo cáo", "Build"),
    ("rv.none", "Chưa có báo cáo nào.", "No reviews yet."),
    ("rv.stage", "Giai đoạn", "Stage"),
    ("rv.by", "Người lập", "Built by"),
    ("rv.docx", "Tải Word (.docx)", "Download Word (.docx)"),
    ("rv.xlsx", "Tải phụ lục Excel", "Download the Excel annex"),
    ("rv.html", "Bản HTML", "HTML version"),
    ("rv.print", "In", "Print"),
    ("rv.diff", "Đối chiếu với số liệu hiện nay", "Compare with today's data"),
    ("rv.diff_hint", "Số liệu lúc lập báo cáo và số liệu hiện nay:", "Figures when the review was built and now:"),
    ("rv.no_changes", "Số liệu không thay đổi kể từ khi lập báo cáo.", "The figures have not changed since the review was built."),
    ("rv.where", "Kỳ hoặc đơn vị", "Period or unit"),
    ("rv.before", "Lúc lập báo cáo", "When built"),
    ("rv.after", "Hiện nay", "Now"),
    ("rv.snapshot_hint", "Số liệu đọc lúc", "Figures read at"),
    ("rv.edited", "phần nhận định đã được chỉnh sửa", "the narrative has been edited"),
    ("rv.rebuild", "Lập lại báo cáo với số liệu hiện nay", "Build it again from today's data"),
    ("rv.rebuild_hint", "Báo cáo này được giữ nguyên; một báo cáo mới được lập với cùng đơn vị, giai đoạn và cơ quan ban hành.", "This review stays as it is; a new one is built for the same unit, stage and issuer."),
    ("rv.edit", "Sửa phần nhận định", "Edit the narrative"),
    ("rv.programme", "Chương trình, kế hoạch nêu trong tên báo cáo", "Programme or plan named in the title"),
    ("rv.programme_auto", "Chương trình đang thực hiện trong giai đoạn (tự tìm)", "The programme covering the stage (found automatically)"),
    ("rv.programme_none", "Không nêu chương trình (kết quả thực hiện phong trào)", "No programme (results of the movement)"),
    ("rv.press", "Tin bài gửi cổng thông tin (bản nháp)", "News item for the portal (draft)"),
    ("nav.catalogue", "Danh mục chỉ tiêu", "Indicator catalogue"),
    ("cat.title", "Danh mục chỉ tiêu và biểu mẫu", "Indicators and forms"),
    ("cat.hint", "Chỉ tiêu, biểu mẫu và quy tắc kiểm tra dùng chung toàn quốc. Quản trị viên cấp Trung ương được thêm và sửa; mọi thay đổi đều ghi nhật ký.", "Indicators, forms and validation rules shared nationwide. National administrators add and change them; every change is audited."),
    ("cat.indicators", "Chỉ tiêu", "Indicators"),
    ("cat.code", "Mã", "Code"),
    ("cat.name", "Tên", "Name"),
    ("cat.name_vi", "Tên tiếng Việt", "Vietnamese name"),
    ("cat.name_en", "Tên tiếng Anh", "English name"),
    ("cat.aggregation", "Cách tổng hợp", "Aggregation"),
    ("cat.breakdown", "Phân tổ", "Breakdown"),
    ("cat.forms", "Biểu mẫu", "Forms"),
    ("cat.rename", "Sửa tên, đơn vị tính", "Rename"),
    ("cat.new_indicator", "Thêm chỉ tiêu", "Add an indicator"),
    ("cat.group", "Nhóm", "Group"),
    ("cat.value_type", "Kiểu giá trị", "Value type"),
    ("cat.vt_integer", "Số nguyên", "Integer"),
    ("cat.vt_decimal", "Số thập phân", "Decimal"),
    ("cat.vt_money", "Tiền (đồng)", "Money (đồng)"),
    ("cat.agg_sum", "Cộng dồn (luồng)", "Sum (flow)"),
    ("cat.agg_latest", "Số cuối kỳ (tồn)", "Latest (stock)"),
    ("cat.agg_ratio", "Tỷ lệ", "Ratio"),
    ("cat.agg_distinct", "Đếm riêng", "Distinct count"),
    ("cat.numerator", "Tử số (với tỷ lệ)", "Numerator (ratios)"),
    ("cat.denominator", "Mẫu số (với tỷ lệ)", "Denominator (ratios)"),
    ("cat.breakdown_design", "Phân tổ: mỗi dòng một nhóm", "Breakdown: one dimension per line"),
    ("cat.bd_hint", "Mỗi dòng \"Tên nhóm: lựa chọn 1, lựa chọn 2\" (thêm \"| tên tiếng Anh\" nếu cần). Số tổ hợp là tích số lựa chọn các nhóm, tối đa", "One line per dimension, \"Name: option 1, option 2\" (add \"| English name\" if needed). Combinations are the product of the options, at most"),
    ("cat.bd_none", "Không phân tổ: một giá trị.", "No breakdown: a single value."),
    ("cat.bd_combinations", "tổ hợp", "combinations"),
    ("cat.bd_max", "tối đa", "at most"),
    ("cat.add_to_forms", "Thêm vào biểu mẫu", "Add to forms"),
    ("cat.forms_title", "Biểu mẫu và quy tắc kiểm tra", "Forms and validation rules"),
    ("cat.deadline", "hạn nộp sau kỳ (ngày):", "deadline after the period (days):"),
    ("cat.rule", "Quy tắc", "Rule"),
    ("cat.condition", "Điều kiện", "Condition"),
    ("cat.severity", "Mức độ", "Severity"),
    ("cat.sev_error", "Lỗi (chặn gửi)", "Error (blocks submission)"),
    ("cat.sev_warning", "Cảnh báo (cần ghi chú)", "Warning (needs a comment)"),
    ("cat.message", "Thông báo", "Message"),
    ("cat.delete", "Xóa", "Delete"),
    ("cat.new_rule", "Thêm quy tắc", "Add a rule"),
    ("cat.left", "Vế trái", "Left side"),
    ("cat.operator", "Phép so sánh", "Operator"),
    ("cat.right", "Vế phải", "Right side"),
    ("cat.missing", "Khi thiếu số liệu", "When values are missing"),
    ("cat.miss_any", "Bỏ qua nếu thiếu một giá trị", "Skip if any is missing"),
    ("cat.miss_all", "Bỏ qua nếu thiếu tất cả", "Skip if all are missing"),
    ("cat.miss_never", "Luôn kiểm tra (thiếu coi là 0)", "Always check (missing counts as 0)"),
    ("cat.new_form", "Thêm biểu mẫu", "Add a form"),
    ("cat.period_type", "Loại kỳ", "Period type"),
    ("cat.pt_year", "Năm", "Year"),
    ("cat.pt_half", "6 tháng", "Half-year"),
    ("cat.pt_quarter", "Quý", "Quarter"),
    ("cat.pt_month", "Tháng", "Month"),
    ("cat.calendar", "Lịch kỳ", "Calendar"),
    ("cat.cal_reporting", "Kỳ báo cáo (15/12 – 14/12)", "Reporting year (15/12 – 14/12)"),
    ("cat.cal_calendar", "Năm dương lịch", "Calendar year"),
    ("cat.cal_assessment", "Kỳ đánh giá (15/11 – 14/11)", "Assessment year (15/11 – 14/11)"),
    ("cat.owner", "Lực lượng chủ trì", "Owner"),
    ("cat.levels", "Cấp báo cáo", "Reporting levels"),
    ("cat.lv_province", "Cấp tỉnh", "Province"),
    ("cat.lv_commune", "Cấp xã", "Commune"),
    ("cat.deadline_days", "Hạn nộp (số ngày sau kỳ)", "Deadline (days after the period)"),
    ("nav.units", "Đơn vị hành chính", "Administrative units"),
    ("nav.admin", "Quản trị", "Administration"),
    ("nav.users", "Người dùng", "Users"),
    ("nav.lineage", "Kế thừa đơn vị", "Unit lineage"),
    ("nav.audit", "Nhật ký", "Audit log"),
    ("nav.tokens", "Mã truy cập API", "API tokens"),
    ("nav.login", "Đăng nhập", "Sign in"),
    ("nav.logout", "Đăng xuất", "Sign out"),
    ("nav.lang_switch", "English", "Tiếng Việt"),
    ("nav.menu", "Trình đơn", "Menu"),
    ("login.title", "Đăng nhập", "Sign in"),
    ("login.username", "Tên đăng nhập", "Username"),
    ("login.password", "Mật khẩu", "Password"),
    ("login.submit", "Đăng nhập", "Sign in"),
    ("login.hint", "Tài khoản do quản trị viên đơn vị cấp. Không có mật khẩu mặc định.", "Accounts are issued by your unit's administrator. There are no default passwords."),
    ("home.welcome", "Xin chào", "Welcome"),
    ("home.your_units", "Đơn vị của bạn", "Your units"),
    ("home.no_grants", "Tài khoản chưa được cấp quyền trên đơn vị nào.", "This account has no grants yet."),
    ("home.public_intro", "Tra cứu 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu từ ngày 01/07/2025, cùng 63 tỉnh, 696 huyện và 10.035 xã trước đó, với quan hệ kế thừa giữa chúng.", "Look up the 34 provinces and 3,321 communes since 1 July 2025, the 63 provinces, 696 districts and 10,035 communes before, and how they relate."),
    ("home.browse", "Tra cứu đơn vị hành chính", "Browse administrative units"),
    ("home.officer_intro", "Cán bộ Công an và Mặt trận đăng nhập để quản lý địa bàn của mình.", "Police and Front officers sign in to manage their areas."),
    ("role.admin", "Quản trị", "Administrator"),
    ("role.police", "Công an", "Police"),
    ("role.front", "Mặt trận", "Front"),
    ("role.viewer", "Xem", "Viewer"),
    ("units.title", "Đơn vị hành chính", "Administrative units"),
    ("units.at", "Tại ngày", "As of"),
    ("units.search", "Tìm đơn vị", "Find a unit"),
    ("units.search_placeholder", "Ví dụ: dien bien, Mường Phăng, 11", "e.g. dien bien, Mường Phăng, 11"),
    ("units.level", "Cấp", "Level"),
    ("units.level_any", "Mọi cấp", "Any level"),
    ("units.show", "Xem", "Show"),
    ("units.results", "Kết quả", "Results"),
    ("units.no_results", "Không có đơn vị nào khớp.", "No unit matches."),
    ("units.code", "Mã", "Code"),
    ("units.name", "Tên", "Name"),
    ("units.kind", "Loại", "Kind"),
    ("units.parent", "Trực thuộc", "Part of"),
    ("units.valid", "Hiệu lực", "Valid"),
    ("units.valid_from", "Từ ngày", "From"),
    ("units.valid_to", "Đến ngày", "To"),
    ("units.since_records", "trước khi có dữ liệu", "before records begin"),
    ("units.still_valid", "nay", "now"),
    ("units.children", "Đơn vị trực thuộc", "Units within"),
    ("units.no_children", "Không có đơn vị trực thuộc tại ngày này.", "No units within at this date."),
    ("units.predecessors", "Tiền thân", "Predecessors"),
    ("units.successors", "Kế thừa bởi", "Succeeded by"),
    ("units.share", "Phần", "Share"),
    ("units.no_lineage", "Không có.", "None."),
    ("units.versions", "Các phiên bản của mã này", "Versions of this code"),
    ("units.areas", "Thôn, tổ dân phố, khu dân cư", "Residential areas"),
    ("units.no_areas", "Chưa đăng ký khu dân cư nào.", "No residential areas registered."),
    ("units.add_area", "Đăng ký khu dân cư", "Register an area"),
    ("units.orgs", "Tổ chức", "Organisations"),
    ("units.no_orgs", "Chưa có tổ chức nào.", "No organisations."),
    ("units.add_org", "Thêm tổ chức", "Add an organisation"),
    ("units.login_for_more", "Đăng nhập để xem khu dân cư và tổ chức của đơn vị.", "Sign in to see the unit's areas and organisations."),
    ("units.not_in_scope", "Đơn vị này nằm ngoài phạm vi quyền của bạn.", "This unit is outside your grants."),
    ("units.country", "Toàn quốc", "Whole country"),
    ("units.count", "đơn vị", "units"),
    ("share.whole", "toàn bộ", "whole"),
    ("share.part", "một phần", "part"),
    ("share.part_primary", "phần chính", "main part"),
    ("level.nation", "Trung ương", "National"),
    ("level.province", "Cấp tỉnh", "Province"),
    ("level.district", "Cấp huyện", "District"),
    ("level.commune", "Cấp xã", "Commune"),
    ("form.kind", "Loại", "Kind"),
    ("form.name", "Tên", "Name"),
    ("form.add", "Thêm", "Add"),
    ("form.save", "Lưu", "Save"),
    ("form.delete", "Xóa", "Delete"),
    ("form.filter", "Lọc", "Filter"),
    ("form.create", "Tạo", "Create"),
    ("form.cancel", "Hủy", "Cancel"),
    ("form.note", "Ghi chú", "Note"),
    ("form.date", "Ngày", "Date"),
    ("form.unit_code", "Mã đơn vị", "Unit code"),
    ("form.role", "Vai trò", "Role"),
    ("users.title", "Người dùng", "Users"),
    ("users.create", "Tạo người dùng", "Create a user"),
    ("users.username", "Tên đăng nhập", "Username"),
    ("users.display_name", "Họ và tên", "Full name"),
    ("users.password", "Mật khẩu (ít nhất 12 ký tự)", "Password (at least 12 characters)"),
    ("users.grants", "Quyền", "Grants"),
    ("users.status", "Trạng thái", "Status"),
    ("users.active", "Đang hoạt động", "Active"),
    ("users.disabled", "Đã khóa", "Disabled"),
    ("users.disable", "Khóa tài khoản", "Disable"),
    ("users.enable", "Mở khóa", "Enable"),
    ("users.add_grant", "Cấp thêm quyền", "Add a grant"),
    ("users.remove_grant", "Thu hồi", "Revoke"),
    ("users.none", "Không có người dùng nào trong phạm vi quản trị.", "No users in your scope."),
    ("users.created_at", "Ngày tạo", "Created"),
    ("users.scope_hint", "Bạn chỉ thấy và quản lý người dùng có mọi quyền nằm trong đơn vị mình quản trị.", "You see and manage only users whose every grant lies within your units."),
    ("lineage.title", "Kế thừa đơn vị", "Unit lineage"),
    ("lineage.lookup", "Tra cứu đơn vị", "Look up a unit"),
    ("lineage.intro", "Liên kết kế thừa nối phiên bản cũ với phiên bản mới của đơn vị. Mọi sửa đổi đều được ghi nhật ký.", "Lineage links connect old unit versions to new ones. Every change is audited."),
    ("lineage.add", "Thêm liên kết kế thừa", "Add a lineage link"),
    ("lineage.predecessor", "Đơn vị tiền thân", "Predecessor"),
    ("lineage.successor", "Đơn vị kế thừa", "Successor"),
    ("lineage.pred_date", "Một ngày còn hiệu lực của tiền thân", "A date the predecessor was valid"),
    ("lineage.succ_date", "Một ngày có hiệu lực của đơn vị kế thừa", "A date the successor was valid"),
    ("audit.title", "Nhật ký thay đổi", "Audit log"),
    ("audit.at", "Thời điểm", "When"),
    ("audit.actor", "Người thực hiện", "Who"),
    ("audit.action", "Hành động", "Action"),
    ("audit.object", "Đối tượng", "Object"),
    ("audit.unit", "Đơn vị", "Unit"),
    ("audit.change", "Thay đổi", "Change"),
    ("audit.before", "Trước", "Before"),
    ("audit.after", "Sau", "After"),
    ("audit.from", "Từ ngày", "From"),
    ("audit.to", "Đến ngày", "To"),
    ("audit.older", "Cũ hơn", "Older"),
    ("audit.none", "Không có dòng nào.", "No entries."),
    ("audit.chain_note", "Nhật ký chỉ được ghi thêm; mỗi dòng chứa mã băm của dòng trước. Kiểm tra bằng lệnh antq audit verify.", "The log is append-only; each row carries the hash of the one before. Check it with antq audit verify."),
    ("tokens.title", "Mã truy cập API", "API tokens"),
    ("tokens.intro", "Dùng cho chương trình, tập lệnh: gửi kèm header Authorization: Bearer <mã>. Mã chỉ hiển thị một lần.", "For programs and scripts: send Authorization: Bearer <token>. A token is shown once."),
    ("tokens.name", "Tên gợi nhớ", "Label"),
    ("tokens.create", "Tạo mã", "Create a token"),
    ("tokens.new", "Mã mới (sao chép ngay, sẽ không hiển thị lại):", "Your new token (copy it now, it will not be shown again):"),
    ("tokens.last_used", "Dùng lần cuối", "Last used"),
    ("tokens.revoked", "Đã thu hồi", "Revoked"),
    ("tokens.revoke", "Thu hồi", "Revoke"),
    ("tokens.none", "Chưa có mã nào.", "No tokens yet."),
    ("tokens.never", "chưa dùng", "never"),
    ("msg.saved", "Đã lưu.", "Saved."),
    ("msg.created", "Đã tạo.", "Created."),
    ("msg.deleted", "Đã xóa.", "Deleted."),
    ("msg.logged_out", "Đã đăng xuất.", "Signed out."),
    ("common.yes", "Có", "Yes"),
    ("common.no", "Không", "No"),
    ("common.back", "Quay lại", "Back"),
    ("nav.data", "Số liệu phong trào", "Movement data"),
    ("nav.analytics", "Phân tích", "Analysis"),
    ("data.title", "Số liệu phong trào", "Movement data"),
    ("data.enter", "Nhập báo cáo", "Enter a report"),
    ("data.no_entry", "Tài khoản không có quyền nhập biểu nào.", "This account enters no forms."),
    ("data.progress", "Tiến độ báo cáo", "Reporting progress"),
    ("data.no_progress", "Không có đơn vị cấp trên để theo dõi.", "No units above communes to follow."),
    ("data.period", "Kỳ", "Period"),
    ("data.deadline", "Hạn nộp", "Deadline"),
    ("data.return_comment", "Lý do trả lại", "Returned because"),
    ("data.indicator", "Chỉ tiêu", "Indicator"),
    ("data.unit_of_measure", "Đơn vị tính", "Unit"),
    ("data.value", "Số liệu", "Value"),
    ("data.qualifier", "Mức chính xác", "Precision"),
    ("data.save", "Lưu nháp", "Save draft"),
    ("data.autosave", "Bản nháp được lưu tự động khi nhập.", "Drafts are saved as you type."),
    ("data.checks", "Kiểm tra số liệu", "Checks"),
    ("data.comments", "Ý kiến của Công an và Mặt trận", "Comments by the police and the Front"),
    ("data.no_comments", "Chưa có ý kiến nào.", "No comments yet."),
    ("data.comment_new", "Ý kiến của bạn", "Your comment"),
    ("data.comment_send", "Gửi ý kiến", "Send comment"),
    ("data.valid", "Không có lỗi.", "No problems."),
    ("data.saved_at", "Đã lưu lúc", "Saved at"),
    ("data.submit", "Gửi lên cấp trên", "Submit"),
    ("data.approve", "Duyệt", "Approve"),
    ("data.return", "Trả lại", "Return"),
    ("data.return_reason", "Lý do trả lại", "Reason"),
    ("data.reopen", "Mở lại để sửa", "Reopen"),
    ("data.changed", "Cập nhật", "Updated"),
    ("upload.title", "Nhập số liệu từ tệp", "Import values from a file"),
    ("upload.intro", "Tệp Excel theo biểu mẫu tải về, CSV dạng dài (unit,period,indicator,value,qualifier,comment) hoặc JSON dataValueSets của DHIS2. Trong CSV và JSON, số ghi dạng thuần như các phần mềm vẫn ghi (1328, 2.5); tệp CSV ghi số kiểu Việt Nam (4.378; 64,5) thì đặt tên cột giá trị là value_vi. Tệp có lỗi thì không ghi gì và liệt kê mọi lỗi kèm vị trí.", "An Excel template, a long CSV (unit,period,indicator,value,qualifier,comment) or DHIS2 dataValueSets JSON. In CSV and JSON, numbers are plain, as programs write them (1328, 2.5); a CSV that writes Vietnamese figures (4.378; 64,5) names its value column value_vi. A file with errors writes nothing and lists every error with its place."),
    ("upload.file", "Tệp", "File"),
    ("upload.dry_run", "Chạy thử, không ghi", "Dry run, write nothing"),
    ("upload.submit", "Nhập", "Import"),
    ("upload.would", "Chạy thử: sẽ ghi", "Dry run: would write"),
    ("upload.done", "Đã nhập", "Imported"),
    ("upload.rows", "Số giá trị trong tệp", "Values in the file"),
    ("upload.reports", "Báo cáo", "Reports"),
    ("upload.created", "tạo mới", "new"),
    ("upload.new", "Giá trị mới", "New values"),
    ("upload.changed", "thay đổi", "changed"),
    ("upload.cleared", "xóa", "cleared"),
    ("upload.unchanged", "không đổi", "unchanged"),
    ("data.template", "Tải biểu Excel", "Download the Excel template"),
    ("data.export_csv", "Xuất CSV", "Export CSV"),
    ("data.export_dhis2", "Xuất DHIS2 JSON", "Export DHIS2 JSON"),
    ("analysis.from", "Từ kỳ", "From"),
    ("analysis.to", "Đến kỳ", "To"),
    ("analysis.rows", "Hàng theo", "Rows by"),
    ("analysis.by_year", "Năm", "Year"),
    ("analysis.by_half", "6 tháng", "Half-year"),
    ("analysis.by_quarter", "Quý", "Quarter"),
    ("analysis.by_month", "Tháng", "Month"),
    ("analysis.by_child", "Đơn vị trực thuộc", "Child unit"),
    ("analysis.map", "Đơn vị hành chính", "Units"),
    ("analysis.map_current", "Quy về đơn vị hiện nay", "Today's units"),
    ("analysis.map_historical", "Như tại thời điểm", "As they were"),
    ("analysis.approved_only", "Chỉ số liệu đã duyệt", "Approved data only"),
    ("analysis.all_data", "Gồm cả số liệu chưa duyệt", "Including unapproved data"),
    ("analysis.data", "Số liệu", "Data"),
    ("footer.data", "Dữ liệu đơn vị hành chính: vietnamadminunits (giấy phép MIT).", "Administrative unit data: vietnamadminunits (MIT licence)."),
];

// The words of the report entry page (values, checks, workflow steps).
pub static ENTRY: &[(&str, &str, &str)] = &[
    ("entry.q.exact", "Chính xác", "Exact"),
    ("entry.q.more_than", "Hơn", "More than"),
    ("entry.q.nearly", "Gần", "Nearly"),
    ("entry.q.about", "Khoảng", "About"),
    ("entry.more", "Mức chính xác, ghi chú", "Precision, note"),
    ("entry.note", "Ghi chú", "Note"),
    ("entry.qualifier_of", "Mức chính xác của", "Precision of"),
    ("entry.note_of", "Ghi chú cho", "Note on"),
    ("entry.rule_error", "Lỗi", "Error"),
    ("entry.rule_warning", "Cảnh báo, cần ghi chú giải thích", "Warning, needs an explaining note"),
    ("entry.rule_warning_explained", "Cảnh báo (đã có ghi chú)", "Warning (explained)"),
    ("entry.saved_n", "Đã lưu {n} giá trị", "Saved {n} values"),
    ("entry.saved_none", "Không có giá trị nào thay đổi", "No value changed"),
    ("entry.cells_unsaved", "{n} ô chưa lưu được, xem các ô được đánh dấu; những gì đã gõ vẫn còn nguyên.", "{n} cells could not be saved, see the marked cells; what you typed is kept."),
    ("entry.not_saved", "Chưa lưu được:", "Not saved:"),
    ("entry.not_submitted", "Báo cáo chưa được gửi lên cấp trên.", "The report was not submitted."),
    ("entry.submit_blocked_rules", "Hãy sửa các lỗi (và ghi chú các cảnh báo) ở những ô được đánh dấu.", "Fix the errors (and explain the warnings) in the marked cells."),
    ("entry.done.submit", "Đã gửi lên cấp trên", "Submitted for approval"),
    ("entry.done.approve", "Đã duyệt báo cáo của {unit}", "Approved the report of {unit}"),
    ("entry.done.return", "Đã trả lại {unit}", "Returned to {unit}"),
    ("entry.done.reopen", "Đã mở lại báo cáo của {unit} để sửa", "Reopened the report of {unit} for corrections"),
    ("entry.done.comment", "Đã gửi ý kiến", "Comment sent"),
    ("entry.history", "Quá trình xử lý", "History"),
    ("entry.no_history", "Báo cáo chưa được tạo.", "The report has not been started."),
    ("entry.step.create", "Bắt đầu nhập báo cáo", "Report started"),
    ("entry.step.submit", "Gửi lên cấp trên", "Submitted for approval"),
    ("entry.step.return", "Trả lại để sửa", "Returned for corrections"),
    ("entry.step.approve", "Duyệt", "Approved"),
    ("entry.step.reopen", "Mở lại để sửa", "Reopened for corrections"),
    ("entry.reason", "Lý do", "Reason"),
    ("entry.system", "Hệ thống", "The system"),
    ("entry.approver_view", "Báo cáo của đơn vị cấp dưới: chỉ xem. Cấp trên duyệt, trả lại (ghi rõ lý do) hoặc góp ý.", "A report of a unit below: read only. Approve it, return it (with the reason) or comment."),
    ("entry.read_only", "Báo cáo đang ở trạng thái không sửa được.", "The report cannot be changed in this state."),
    ("entry.last_return", "Cấp trên trả lại, lý do", "Returned by the level above, because"),
    ("entry.expired", "Phiên đăng nhập đã hết. Các giá trị chưa lưu vẫn được giữ trong trình duyệt này và sẽ được khôi phục sau khi đăng nhập lại.", "Your session has ended. The unsaved values are kept in this browser and will be restored after you log in again."),
    ("entry.login_again", "Đăng nhập lại", "Log in again"),
    ("entry.restored", "Đã khôi phục {n} giá trị chưa lưu và đang lưu lại.", "Restored {n} unsaved values; saving them now."),
    ("entry.offline", "Không kết nối được máy chủ. Các giá trị chưa lưu vẫn được giữ trong trình duyệt này; sẽ lưu khi kết nối lại.", "Cannot reach the server. The unsaved values are kept in this browser and will be saved when the connection is back."),
    ("entry.values", "Số liệu của báo cáo", "The report's values"),
    ("entry.actions", "Thao tác với báo cáo", "Report actions"),
];

// ----------------------------------------------------------------------

// The words of periods, the work list and the home page, the audit log.
pub static WORK: &[(&str, &str, &str)] = &[
    ("work.report", "Báo cáo", "Report"),
    ("work.late", "Trễ hạn", "Overdue"),
    (
        "work.to_approve",
        "Báo cáo chờ bạn duyệt",
        "Reports waiting for your approval",
    ),
    (
        "work.more_waiting",
        "Còn báo cáo khác đang chờ duyệt; mở trang Số liệu để xem tiến độ từng kỳ.",
        "More reports are waiting; open the data page for each period's progress.",
    ),
    (
        "work.filter_state",
        "Lọc theo trạng thái",
        "Filter by state",
    ),
    ("work.sort_by", "Sắp xếp", "Sort"),
    ("work.sort_name", "Theo tên", "By name"),
    ("work.sort_state", "Theo trạng thái", "By state"),
    ("work.sort_changed", "Theo lần cập nhật", "By last update"),
    ("work.show_all", "Xem tất cả", "Show all"),
    (
        "work.none_in_state",
        "Không có đơn vị nào ở trạng thái này.",
        "No unit is in this state.",
    ),
    (
        "work.waiting_title",
        "Việc cần làm",
        "What is waiting for you",
    ),
    (
        "work.to_fix",
        "Báo cáo cần nhập hoặc sửa",
        "Reports to enter or fix",
    ),
    (
        "work.nothing_to_fix",
        "Không có báo cáo nào bị trả lại hay trễ hạn.",
        "No report is returned or overdue.",
    ),
    (
        "work.nothing_to_approve",
        "Không có báo cáo nào chờ bạn duyệt.",
        "No report is waiting for your approval.",
    ),
    (
        "work.due_soon",
        "Sắp đến hạn nộp",
        "Deadlines in the next days",
    ),
    (
        "work.nothing_due",
        "Không có hạn nộp nào trong những ngày tới.",
        "No deadline in the next days.",
    ),
    ("work.all_reports", "Tất cả báo cáo", "All reports"),
    ("work.days_left", "Còn {n} ngày", "{n} days left"),
    ("work.due_today", "Hạn nộp hôm nay", "Due today"),
    ("work.submitted_by", "Gửi lúc", "Submitted at"),
    ("audit.all_actions", "Mọi thao tác", "All actions"),
    (
        "audit.user_part",
        "Tên đăng nhập (một phần)",
        "Username (part)",
    ),
    ("audit.field", "Nội dung", "Field"),
    ("audit.open", "Mở", "Open"),
    ("audit.state", "Trạng thái", "State"),
    ("audit.comment", "Lý do, ý kiến", "Reason, comment"),
    ("audit.no_detail", "Không có chi tiết.", "No details."),
];

// ----------------------------------------------------------------------

// The words of the unit picker, error pages and analytics.
pub static PICKER: &[(&str, &str, &str)] = &[
    ("picker.word_code", "mã", "code"),
    ("picker.word_none", "Không tìm thấy đơn vị nào", "No unit found"),
    ("picker.word_units", "đơn vị", "units"),
    ("picker.placeholder", "Gõ tên hoặc mã đơn vị", "Type a unit's name or code"),
    ("picker.none", "Không tìm thấy đơn vị nào", "No unit found"),
    ("picker.unit", "Đơn vị", "Unit"),
    ("picker.total", "Tổng cộng", "Total"),
    ("picker.see_at", "Xem tại ngày", "As on"),
    ("picker.parent", "Trực thuộc", "Part of"),
    ("picker.export", "Tải số liệu về", "Download values"),
    ("picker.export_hint", "Số liệu của một biểu, dưới một đơn vị, trong một giai đoạn: CSV dạng dài (cho máy) hoặc DHIS2 JSON.", "A form's values under a unit over a range: long CSV (for programs) or DHIS2 JSON."),
    ("picker.form", "Biểu", "Form"),
    ("picker.format", "Định dạng", "Format"),
    ("picker.download", "Tải về", "Download"),
    ("picker.template", "Tải biểu mẫu Excel để nhập", "Download the Excel template to fill in"),
    ("picker.period", "Kỳ báo cáo", "Period"),
    ("picker.password_again", "Xin nhập lại mật khẩu (mật khẩu không được giữ lại).", "Please type the password again (it is not kept)."),
    ("picker.charts", "Biểu đồ theo từng chỉ tiêu", "A chart for each indicator"),
];

// ----------------------------------------------------------------------

// The words of data files and machine formats.
pub static MACHINE: &[(&str, &str, &str)] = &[];

// ----------------------------------------------------------------------

// The words of the layout: navigation, skip link, menus.
pub static LAYOUT: &[(&str, &str, &str)] = &[
    ("layout.skip", "Bỏ qua điều hướng", "Skip to the content"),
    ("layout.nav", "Điều hướng chính", "Main navigation"),
    ("nav.documents", "Văn bản", "Documents"),
    ("nav.conferences", "Hội nghị", "Conferences"),
    ("nav.awards", "Khen thưởng", "Awards"),
];

// ----------------------------------------------------------------------

// The words of the document library, programmes and plans.
pub static DOCUMENTS: &[(&str, &str, &str)] = &[];

// ----------------------------------------------------------------------

// The words of conferences, events and press drafts.
pub static CONFERENCES: &[(&str, &str, &str)] = &[];

// ----------------------------------------------------------------------

// The words of the award register.
pub static AWARDS: &[(&str, &str, &str)] = &[];

// ----------------------------------------------------------------------

// The words of figures from the registries and their reconciliation.
pub static FIGURES: &[(&str, &str, &str)] = &[];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_both_texts_present() {
        let mut keys: Vec<&str> = entries().map(|(k, _, _)| *k).collect();
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n, "duplicate keys");
        for (k, vi, en) in entries() {
            assert!(!vi.is_empty() && !en.is_empty(), "{k}");
        }
    }

    /// Every `c.t("...")` in the templates names a key of the table.
    #[test]
    fn templates_use_only_known_keys() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut stack = vec![dir];
        let mut checked = 0;
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let p = entry.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let text = std::fs::read_to_string(&p).unwrap();
                for part in text.split("t(\"").skip(1) {
                    let key = part.split('"').next().unwrap();
                    assert!(has_key(key), "{}: unknown key {key}", p.display());
                    checked += 1;
                }
            }
        }
        assert!(checked > 50, "found only {checked} keys in templates");
    }
}
