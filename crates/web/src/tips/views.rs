//! Tip content and messages in words, shared by the tipster's page and the
//! officers' (category names and question labels instead of codes, dates
//! as dd/mm/yyyy).

use antq_core::tips::categories::{Category, QuestionKind};
use antq_core::tips::submission::TipContent;

use crate::pages::date_vi;

/// A tip's content in words, for the tipster and for officers.
pub struct ContentView {
    pub category: String,
    pub answers: Vec<(String, String)>,
    pub area: String,
    pub place: String,
    pub happened: String,
    pub text: String,
    pub identifiers: Vec<(&'static str, String)>,
    pub contact: String,
}

/// The content with the category's name and the questions' labels.
pub fn content_view(cats: &[Category], content: &TipContent) -> ContentView {
    let cat = cats.iter().find(|c| c.code == content.category);
    let answers = match cat {
        Some(cat) => cat
            .questions
            .iter()
            .filter_map(|q| {
                content.answers.0.get(&q.key).map(|v| {
                    let v = match q.kind {
                        QuestionKind::Date => date_vi(Some(v)).unwrap_or_else(|| v.clone()),
                        _ => v.clone(),
                    };
                    (q.label.clone(), v)
                })
            })
            .collect(),
        None => content
            .answers
            .0
            .values()
            .map(|v| ("Câu trả lời".to_string(), v.clone()))
            .collect(),
    };
    ContentView {
        category: cat
            .map(|c| c.name.clone())
            .unwrap_or_else(|| "Loại tin báo không còn dùng".into()),
        answers,
        area: content.area.clone().unwrap_or_default(),
        place: content.place.clone().unwrap_or_default(),
        happened: content.happened.clone().unwrap_or_default(),
        text: content.text.clone(),
        identifiers: content
            .identifiers
            .iter()
            .map(|i| (i.kind.label_vi(), antq_core::tips::identifiers::shown(i)))
            .collect(),
        contact: content.contact.clone().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use antq_core::tips::categories::default_categories;
    use antq_core::tips::identifiers::{Identifier, IdentifierKind};

    #[test]
    fn content_is_shown_in_words_not_codes() {
        let cats = default_categories();
        let scam = cats.iter().find(|c| c.scam).unwrap();
        let date_q = scam
            .questions
            .iter()
            .find(|q| q.kind == QuestionKind::Date)
            .unwrap();
        let mut answers = std::collections::BTreeMap::new();
        answers.insert(date_q.key.clone(), "2026-11-30".to_string());
        let content = TipContent {
            category: scam.code.clone(),
            area: None,
            place: Some("Chợ trung tâm".into()),
            happened: None,
            text: "Dòng một\nDòng hai".into(),
            answers: antq_core::tips::categories::Answers(answers),
            identifiers: vec![
                Identifier {
                    kind: IdentifierKind::Phone,
                    value: "0912345678".into(),
                },
                Identifier {
                    kind: IdentifierKind::BankAccount,
                    value: "VCB:1012345678".into(),
                },
            ],
            contact: None,
        };
        let v = content_view(&cats, &content);
        assert_eq!(v.category, scam.name);
        assert_eq!(
            v.answers,
            vec![(date_q.label.clone(), "30/11/2026".to_string())]
        );
        assert_eq!(
            v.identifiers,
            vec![
                ("Số điện thoại", "0912345678".to_string()),
                ("Tài khoản ngân hàng", "VCB 1012345678".to_string())
            ]
        );
        assert_eq!(v.place, "Chợ trung tâm");
        assert!(v.area.is_empty() && v.contact.is_empty());
        let unknown = TipContent {
            category: "khong_con".into(),
            ..content
        };
        assert_eq!(
            content_view(&cats, &unknown).category,
            "Loại tin báo không còn dùng"
        );
    }
}
