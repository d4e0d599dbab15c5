//! The press summary of a review: a short news item in the style of the
//! Front's portal.

use super::*;

/// A short news item in the style of the Front's portal, drafted from the
/// review: (headline, body).
pub fn press_summary(
    s: &Snapshot,
    owner: Owner,
    narrative: &[(String, String, String)],
) -> (String, String) {
    let who = issuers(s, owner);
    let stage = s.stage().label();
    let headline = format!(
        "{}: {} thực hiện phong trào Toàn dân bảo vệ an ninh Tổ quốc",
        s.short_name(),
        s.stage().kind_title()
    );
    let what = match &s.programme {
        Some(p) => p.citation(),
        None => MOVEMENT.to_string(),
    };
    // "Sơ kết 6 tháng …", "Sơ kết 5 năm" are sơ kết; the others tổng kết.
    let kind = if s.stage().kind_title().starts_with("Sơ kết") {
        "sơ kết"
    } else {
        "tổng kết"
    };
    let mut body = format!("{who} {kind} việc thực hiện {what}, {stage}.");
    for (_, _, text) in narrative.iter().take(4) {
        body.push(' ');
        body.push_str(text);
    }
    (headline, body)
}

/// Who issues the review, each body named with its level: "Công an tỉnh
/// Đồng Tháp và Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Đồng Tháp"; for
/// the nation, the Ministry and the Central Committee.
fn issuers(s: &Snapshot, owner: Owner) -> String {
    let (police, front) = if s.is_nation {
        (
            "Bộ Công an".to_string(),
            "Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam".to_string(),
        )
    } else {
        let place = s.name_in_text();
        (
            format!("Công an {place}"),
            format!("Ban Thường trực Ủy ban MTTQ Việt Nam {place}"),
        )
    };
    match owner {
        Owner::Police => police,
        Owner::Front => front,
        Owner::Joint => format!("{police} và {front}"),
    }
}
