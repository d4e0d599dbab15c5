//! Reading the public tip form: what the citizen typed (kept when the form
//! comes back with an error), the questionnaire's fields, and the tip sent
//! to the service (empty optional fields dropped).

use std::collections::BTreeMap;

use antq_core::tips::categories::{Category, QuestionKind};
use antq_core::tips::identifiers::IdentifierKind;
use antq_core::tips::submission::NewTip;
use axum::http::StatusCode;

use crate::error::Failure;

/// Rows of identifiers the scam questionnaire offers.
pub const ID_ROWS: usize = 5;
/// The most fields a tip form may carry.
const MAX_FIELDS: usize = 120;

/// The identifier kinds as (code, label), for the select.
pub fn kinds() -> Vec<(&'static str, &'static str)> {
    IdentifierKind::ALL
        .iter()
        .map(|k| (k.as_str(), k.label_vi()))
        .collect()
}

/// A question as the form shows it.
pub struct QuestionView {
    pub name: String,
    pub label: String,
    pub help: String,
    /// `text`, `long`, `choice` or `date`.
    pub kind: &'static str,
    pub required: bool,
    pub options: Vec<String>,
    pub value: String,
}

/// What the citizen typed (kept when the form comes back with an error).
#[derive(Default)]
pub struct Typed {
    pub answers: BTreeMap<String, String>,
    pub unit: String,
    pub unit_pick: String,
    pub area: String,
    pub place: String,
    pub happened: String,
    pub text: String,
    pub ids: Vec<(String, String)>,
    pub concerns: bool,
    pub contact: String,
}

pub fn question_views(cat: &Category, t: &Typed) -> Vec<QuestionView> {
    cat.questions
        .iter()
        .map(|q| QuestionView {
            name: format!("q_{}", q.key),
            label: q.label.clone(),
            help: q.help.clone(),
            kind: match q.kind {
                QuestionKind::Text => "text",
                QuestionKind::LongText => "long",
                QuestionKind::Choice => "choice",
                QuestionKind::Date => "date",
            },
            required: q.required,
            options: q.options.clone(),
            value: t.answers.get(&q.key).cloned().unwrap_or_default(),
        })
        .collect()
}

/// The fields of a form, by name (the last value of a repeated name).
pub fn fields(raw: Vec<(String, String)>) -> Result<BTreeMap<String, String>, Failure> {
    if raw.len() > MAX_FIELDS {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "Biểu mẫu có quá nhiều trường: xin tải lại trang",
        ));
    }
    Ok(raw.into_iter().collect())
}

pub fn typed_of(cat: &Category, f: &BTreeMap<String, String>) -> Typed {
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let answers = cat
        .questions
        .iter()
        .filter_map(|q| {
            f.get(&format!("q_{}", q.key))
                .map(|v| (q.key.clone(), v.clone()))
        })
        .collect();
    let ids = (0..ID_ROWS)
        .map(|i| (get(&format!("id_kind_{i}")), get(&format!("id_value_{i}"))))
        .collect();
    Typed {
        answers,
        unit: get("unit"),
        unit_pick: get("unit_pick"),
        area: get("area"),
        place: get("place"),
        happened: get("happened"),
        text: get("text"),
        ids,
        concerns: f.contains_key("concerns_local_officers"),
        contact: get("contact"),
    }
}

fn some(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

pub fn new_tip(cat: &Category, t: &Typed, unit_code: String) -> NewTip {
    NewTip {
        category: cat.code.clone(),
        unit_code,
        area: some(&t.area),
        place: some(&t.place),
        happened: some(&t.happened),
        text: t.text.clone(),
        answers: t
            .answers
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        identifiers: t
            .ids
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        concerns_local_officers: t.concerns,
        contact: some(&t.contact),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use antq_core::tips::categories::default_categories;

    fn scam() -> Category {
        default_categories().into_iter().find(|c| c.scam).unwrap()
    }

    #[test]
    fn a_form_is_read_back_as_typed_and_sent_without_empty_fields() {
        let cat = scam();
        let q = &cat.questions[0];
        let raw = vec![
            (format!("q_{}", q.key), "Điện thoại".to_string()),
            ("q_not_a_question".into(), "x".into()),
            ("unit".into(), "Xã Mường Phăng".into()),
            ("unit_pick".into(), "03325".into()),
            ("area".into(), "  ".into()),
            ("text".into(), "Nội dung đủ dài".into()),
            ("id_kind_0".into(), "phone".into()),
            ("id_value_0".into(), "0912 345 678".into()),
            ("id_kind_1".into(), "web".into()),
            ("id_value_1".into(), "".into()),
            ("concerns_local_officers".into(), "1".into()),
        ];
        let t = typed_of(&cat, &fields(raw).unwrap());
        assert_eq!(t.answers.len(), 1, "only the category's questions");
        assert_eq!(t.ids.len(), ID_ROWS);
        assert!(t.concerns);
        let tip = new_tip(&cat, &t, "03325".into());
        assert_eq!(tip.area, None);
        assert_eq!(tip.contact, None);
        assert_eq!(
            tip.identifiers,
            vec![("phone".to_string(), "0912 345 678".to_string())]
        );
        assert_eq!(tip.answers, vec![(q.key.clone(), "Điện thoại".to_string())]);
        assert!(tip.concerns_local_officers);
    }

    #[test]
    fn too_many_fields_are_refused() {
        let raw = (0..=MAX_FIELDS)
            .map(|i| (format!("f{i}"), String::new()))
            .collect();
        let e = fields(raw).unwrap_err();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert!(e.message.starts_with("Biểu mẫu có quá nhiều trường"));
    }
}
