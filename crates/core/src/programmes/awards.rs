//! Awards: who received a form from which office, counted by collective and
//! individual, and said the way the press and the reviews say it:
//! "Chủ tịch UBND tỉnh tặng Bằng khen cho 2 tập thể, 5 cá nhân; …".

use serde::Serialize;

use crate::text::format_int;

/// A recipient is always a collective or an individual.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum RecipientKind {
    /// Tập thể: a unit, an organisation, a team.
    #[serde(rename = "tap_the")]
    Collective,
    /// Cá nhân.
    #[serde(rename = "ca_nhan")]
    Individual,
}

impl RecipientKind {
    pub const ALL: [RecipientKind; 2] = [RecipientKind::Collective, RecipientKind::Individual];

    /// The stored and API code, also the indicator option (`kt_bang_khen.tap_the`).
    pub fn code(self) -> &'static str {
        match self {
            RecipientKind::Collective => "tap_the",
            RecipientKind::Individual => "ca_nhan",
        }
    }

    pub fn parse(s: &str) -> Result<RecipientKind, crate::DomainError> {
        let folded = crate::text::fold(s);
        match folded.trim() {
            "tap_the" | "tap the" => Ok(RecipientKind::Collective),
            "ca_nhan" | "ca nhan" => Ok(RecipientKind::Individual),
            _ => Err(crate::DomainError::invalid(format!(
                "Người nhận phải là \u{201C}tập thể\u{201D} hoặc \u{201C}cá nhân\u{201D}, không phải \u{201C}{}\u{201D}",
                s.trim()
            ))),
        }
    }

    /// "tập thể", "cá nhân".
    pub fn word_vi(self) -> &'static str {
        match self {
            RecipientKind::Collective => "tập thể",
            RecipientKind::Individual => "cá nhân",
        }
    }
}

/// How many recipients one office gave one form, as counted from the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AwardCount {
    /// The form's name: "Bằng khen".
    pub form: String,
    /// The issuer as the sentence names it: "Chủ tịch UBND tỉnh", or with its
    /// unit when the reader needs it: "Chủ tịch UBND tỉnh Điện Biên".
    pub issuer: String,
    pub recipient_kind: RecipientKind,
    pub count: i64,
}

/// The awards said by issuer, in the order given (the register's order of
/// offices): "Chủ tịch UBND tỉnh tặng Bằng khen cho 2 tập thể, 5 cá nhân;
/// Ủy ban MTTQ Việt Nam tỉnh tặng Bằng khen cho 2 tập thể, 10 cá nhân; Công
/// an tỉnh tặng Giấy khen cho 15 tập thể, 22 cá nhân". Empty when nothing
/// was given. No final full stop: the caller ends the sentence.
pub fn awards_sentence(counts: &[AwardCount]) -> String {
    let mut groups: Vec<(&str, &str, Vec<&AwardCount>)> = Vec::new();
    for c in counts.iter().filter(|c| c.count > 0) {
        match groups
            .iter_mut()
            .find(|(i, f, _)| *i == c.issuer && *f == c.form)
        {
            Some((_, _, v)) => v.push(c),
            None => groups.push((&c.issuer, &c.form, vec![c])),
        }
    }
    groups
        .iter()
        .map(|(issuer, form, items)| {
            let parts: Vec<String> = RecipientKind::ALL
                .iter()
                .filter_map(|k| {
                    let n: i64 = items
                        .iter()
                        .filter(|c| c.recipient_kind == *k)
                        .map(|c| c.count)
                        .sum();
                    (n > 0).then(|| format!("{} {}", format_int(n), k.word_vi()))
                })
                .collect();
            format!("{issuer} tặng {form} cho {}", parts.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(issuer: &str, form: &str, k: RecipientKind, n: i64) -> AwardCount {
        AwardCount {
            form: form.into(),
            issuer: issuer.into(),
            recipient_kind: k,
            count: n,
        }
    }

    #[test]
    fn the_article_sentence() {
        use RecipientKind::*;
        let counts = [
            c("Chủ tịch UBND tỉnh", "Bằng khen", Collective, 2),
            c("Chủ tịch UBND tỉnh", "Bằng khen", Individual, 5),
            c("Ủy ban MTTQ Việt Nam tỉnh", "Bằng khen", Collective, 2),
            c("Ủy ban MTTQ Việt Nam tỉnh", "Bằng khen", Individual, 10),
            c("Công an tỉnh", "Giấy khen", Individual, 22),
            c("Công an tỉnh", "Giấy khen", Collective, 15),
        ];
        assert_eq!(
            awards_sentence(&counts),
            "Chủ tịch UBND tỉnh tặng Bằng khen cho 2 tập thể, 5 cá nhân; \
             Ủy ban MTTQ Việt Nam tỉnh tặng Bằng khen cho 2 tập thể, 10 cá nhân; \
             Công an tỉnh tặng Giấy khen cho 15 tập thể, 22 cá nhân"
        );
    }

    #[test]
    fn zero_counts_say_nothing_and_large_numbers_are_grouped() {
        use RecipientKind::*;
        assert_eq!(awards_sentence(&[c("A", "Bằng khen", Collective, 0)]), "");
        assert_eq!(
            awards_sentence(&[c("Bộ trưởng Bộ Công an", "Bằng khen", Individual, 1200)]),
            "Bộ trưởng Bộ Công an tặng Bằng khen cho 1.200 cá nhân"
        );
    }

    #[test]
    fn recipient_kinds_parse_from_words_and_codes() {
        assert_eq!(
            RecipientKind::parse("Tập thể").unwrap(),
            RecipientKind::Collective
        );
        assert_eq!(
            RecipientKind::parse("ca_nhan").unwrap(),
            RecipientKind::Individual
        );
        assert!(RecipientKind::parse("nhóm")
            .unwrap_err()
            .to_string()
            .contains("tập thể"));
    }
}
