//! The words of statistical reporting: the entry page, the work list, the
//! unit picker, data files.

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
