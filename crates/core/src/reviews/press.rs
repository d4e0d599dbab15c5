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
    let place = s.name_in_text();
    let who = match owner {
        Owner::Police => format!("Công an {place}"),
        Owner::Front => format!("Ủy ban MTTQ Việt Nam {place}"),
        Owner::Joint => format!("Công an và Ban Thường trực Ủy ban MTTQ Việt Nam {place}"),
    };
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
    let mut body = format!("{who} tổng kết việc thực hiện {what}, {stage}.");
    for (_, _, text) in narrative.iter().take(4) {
        body.push(' ');
        body.push_str(text);
    }
    (headline, body)
}
