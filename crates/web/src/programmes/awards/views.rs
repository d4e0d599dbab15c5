//! Awards as the pages and the printed list show them: words, not codes;
//! dates dd/mm/yyyy; counts grouped by issuer.

use antq_core::dates;
use antq_core::programmes::awards::{
    awards_sentence, AwardCount, AwardState, OfficeLevel, RecipientKind,
};
use antq_core::programmes::Body;
use antq_core::text::format_int;
use antq_office::awards::{place_date, recipient_list_docx, RecipientList};
use antq_storage::programmes::awards::Award;

use crate::error::Failure;
use crate::statistics::Download;

/// One award as a row of the register.
pub struct AwardRow {
    pub id: i64,
    pub form: String,
    pub issuer: String,
    pub unit: String,
    pub state: &'static str,
    pub decided: bool,
    pub decision: String,
    pub date: String,
    pub year: i32,
    pub recipients: String,
}

/// "2 tập thể, 5 cá nhân" of the recipients that count (accepted once decided).
pub fn recipient_words(a: &Award) -> String {
    let counted = |k: RecipientKind| {
        a.recipients
            .iter()
            .filter(|r| r.kind == k && (a.state != AwardState::Decided || r.state == "accepted"))
            .count()
    };
    let parts: Vec<String> = RecipientKind::ALL
        .iter()
        .filter_map(|k| {
            let n = counted(*k);
            (n > 0).then(|| format!("{} {}", format_int(n as i64), k.word_vi()))
        })
        .collect();
    if parts.is_empty() {
        "–".into()
    } else {
        parts.join(", ")
    }
}

pub fn row(a: &Award) -> AwardRow {
    AwardRow {
        id: a.id,
        form: a.form.name.clone(),
        issuer: a.issuer_words(),
        unit: a.unit.name.clone(),
        state: a.state.word_vi(),
        decided: a.state == AwardState::Decided,
        decision: a.decision_reference.clone().unwrap_or_default(),
        date: crate::pages::date_vi(a.decided_on.as_deref().or(a.proposed_on.as_deref()))
            .unwrap_or_default(),
        year: a.year,
        recipients: recipient_words(a),
    }
}

/// The decided awards said by issuer: one line per issuer and form
/// ("Chủ tịch UBND tỉnh Điện Biên tặng Bằng khen cho 2 tập thể, 5 cá nhân").
pub fn by_issuer(awards: &[Award]) -> Vec<String> {
    let mut counts: Vec<AwardCount> = Vec::new();
    for a in awards.iter().filter(|a| a.state == AwardState::Decided) {
        let issuer = a.issuer_words();
        for r in a.recipients.iter().filter(|r| r.state == "accepted") {
            match counts
                .iter_mut()
                .find(|c| c.issuer == issuer && c.form == a.form.name && c.recipient_kind == r.kind)
            {
                Some(c) => c.count += 1,
                None => counts.push(AwardCount {
                    form: a.form.name.clone(),
                    issuer: issuer.clone(),
                    recipient_kind: r.kind,
                    count: 1,
                }),
            }
        }
    }
    let sentence = awards_sentence(&counts);
    if sentence.is_empty() {
        return Vec::new();
    }
    sentence.split("; ").map(str::to_string).collect()
}

/// The unit's name without its kind: "Tỉnh Điện Biên" → "Điện Biên".
fn short(name: &str) -> &str {
    ["Tỉnh ", "Thành phố ", "Xã ", "Phường ", "Đặc khu "]
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .unwrap_or(name)
}

/// The top-left lines of the decree's header for an office at a unit.
fn header_lines(a: &Award) -> (String, String) {
    let unit_upper = a.issuer_unit.name.to_uppercase();
    let national = a.office.level == OfficeLevel::National;
    match (a.office.body, national) {
        (Body::CongAn, true) => (String::new(), "BỘ CÔNG AN".into()),
        (Body::CongAn, false) => ("BỘ CÔNG AN".into(), format!("CÔNG AN {unit_upper}")),
        (Body::Mttq, true) => (String::new(), "ỦY BAN TRUNG ƯƠNG MTTQ VIỆT NAM".into()),
        (Body::Mttq, false) => (String::new(), format!("ỦY BAN MTTQ VIỆT NAM {unit_upper}")),
        (Body::Ubnd, _) => (String::new(), format!("ỦY BAN NHÂN DÂN {unit_upper}")),
        (Body::Khac, _) => (String::new(), a.office.name.to_uppercase()),
    }
}

/// The printable list of a decided award's recipients (.docx).
pub fn list_docx(a: &Award) -> Result<Download, Failure> {
    let (Some(reference), Some(date)) = (&a.decision_reference, &a.decided_on) else {
        return Err(Failure::new(
            axum::http::StatusCode::CONFLICT,
            "Đề nghị chưa có quyết định nên chưa có danh sách khen thưởng",
        ));
    };
    let date = dates::parse_date(date)?;
    let place = if a.office.level == OfficeLevel::National {
        "Hà Nội"
    } else {
        short(&a.issuer_unit.name)
    };
    let (parent, issuer) = header_lines(a);
    let rows = a
        .recipients
        .iter()
        .filter(|r| r.state == "accepted")
        .map(|r| {
            let mut detail = r.office.clone();
            if !r.body.is_empty() {
                if !detail.is_empty() {
                    detail.push_str(", ");
                }
                detail.push_str(&r.body);
            }
            (r.kind, r.name.clone(), detail)
        })
        .collect();
    let l = RecipientList {
        parent,
        issuer,
        place_date: place_date(place, date),
        form: a.form.name.clone(),
        issuer_words: a.issuer_words(),
        decision: reference.clone(),
        date,
        rows,
    };
    let bytes = recipient_list_docx(&l)
        .map_err(|e| Failure::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e))?;
    Ok(Download {
        bytes,
        content_type: crate::reviews::DOCX,
        filename: format!("danh-sach-khen-thuong-{}.docx", a.id),
    })
}
