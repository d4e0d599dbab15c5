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

/// The level of an issuing office: the level of the unit it belongs to.
/// There is no district level any more (abolished on 01/07/2025).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OfficeLevel {
    National,
    Province,
    Commune,
}

impl OfficeLevel {
    pub const ALL: [OfficeLevel; 3] = [
        OfficeLevel::National,
        OfficeLevel::Province,
        OfficeLevel::Commune,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OfficeLevel::National => "national",
            OfficeLevel::Province => "province",
            OfficeLevel::Commune => "commune",
        }
    }

    pub fn parse(s: &str) -> Result<OfficeLevel, crate::DomainError> {
        OfficeLevel::ALL
            .into_iter()
            .find(|l| l.code() == s.trim())
            .ok_or_else(|| {
                crate::DomainError::invalid(format!(
                    "Cấp của cơ quan khen thưởng phải là trung ương, tỉnh hoặc xã, không phải \u{201C}{}\u{201D}",
                    s.trim()
                ))
            })
    }

    /// The unit level whose office this is.
    pub fn unit_level(self) -> crate::units::Level {
        match self {
            OfficeLevel::National => crate::units::Level::Nation,
            OfficeLevel::Province => crate::units::Level::Province,
            OfficeLevel::Commune => crate::units::Level::Commune,
        }
    }

    /// "trung ương", "tỉnh", "xã".
    pub fn word_vi(self) -> &'static str {
        match self {
            OfficeLevel::National => "trung ương",
            OfficeLevel::Province => "tỉnh",
            OfficeLevel::Commune => "xã",
        }
    }
}

/// Where an award stands: proposed, decided (counted), refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AwardState {
    Proposed,
    Decided,
    Refused,
}

impl AwardState {
    pub const ALL: [AwardState; 3] = [
        AwardState::Proposed,
        AwardState::Decided,
        AwardState::Refused,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AwardState::Proposed => "proposed",
            AwardState::Decided => "decided",
            AwardState::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Result<AwardState, crate::DomainError> {
        AwardState::ALL
            .into_iter()
            .find(|x| x.code() == s.trim())
            .ok_or_else(|| {
                crate::DomainError::invalid(format!(
                    "Trạng thái khen thưởng không hợp lệ: \u{201C}{}\u{201D}",
                    s.trim()
                ))
            })
    }

    /// "Đề nghị", "Đã quyết định", "Không khen".
    pub fn word_vi(self) -> &'static str {
        match self {
            AwardState::Proposed => "Đang đề nghị",
            AwardState::Decided => "Đã quyết định",
            AwardState::Refused => "Không khen thưởng",
        }
    }
}

/// Limits on what an award may hold.
pub mod limits {
    /// Recipients of one award (one decision's list).
    pub const MAX_RECIPIENTS: usize = 500;
    /// A recipient's name, position or body; a form's or office's name.
    pub const NAME: usize = 300;
    /// The reason of an award or of a refusal.
    pub const REASON: usize = 2_000;
    /// A decision's number and symbol ("125/QĐ-UBND").
    pub const REFERENCE: usize = 100;
    /// The legal basis of a rule.
    pub const BASIS: usize = 1_000;
    /// A code of a form or office.
    pub const CODE: usize = 50;
}

/// One recipient as proposed: a collective or an individual.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewRecipient {
    pub kind: RecipientKind,
    pub name: String,
    /// The unit it is, for a collective that is a unit.
    pub unit_id: Option<i64>,
    /// The organisation it is, for a collective that is one.
    pub organisation_id: Option<i64>,
    /// An individual's position ("Trưởng Công an xã").
    pub office: String,
    /// An individual's body or unit ("Công an xã Mường Phăng").
    pub body: String,
}

impl NewRecipient {
    /// A recipient from what was typed: text cleaned (NFC), lengths checked,
    /// a name required.
    pub fn parse(
        kind: &str,
        name: &str,
        office: &str,
        body: &str,
    ) -> Result<NewRecipient, crate::DomainError> {
        let kind = RecipientKind::parse(kind)?;
        let name = crate::text::clean(name);
        let office = crate::text::clean(office);
        let body = crate::text::clean(body);
        if name.is_empty() {
            return Err(crate::DomainError::invalid(
                "Người nhận chưa có tên (tên tập thể hoặc họ tên cá nhân)",
            ));
        }
        crate::text::check_len("Tên người nhận", &name, limits::NAME)?;
        crate::text::check_len("Chức vụ", &office, limits::NAME)?;
        crate::text::check_len("Đơn vị công tác", &body, limits::NAME)?;
        Ok(NewRecipient {
            kind,
            name,
            unit_id: None,
            organisation_id: None,
            office,
            body,
        })
    }
}

/// A decision's number and symbol, checked: "125/QĐ-UBND".
pub fn parse_reference(s: &str) -> Result<String, crate::DomainError> {
    let r = crate::text::clean(s);
    if r.is_empty() {
        return Err(crate::DomainError::invalid(
            "Chưa có số, ký hiệu quyết định (ví dụ \u{201C}125/QĐ-UBND\u{201D})",
        ));
    }
    crate::text::check_len("Số, ký hiệu quyết định", &r, limits::REFERENCE)?;
    Ok(r)
}

/// The count of recipients, checked against the limit.
pub fn check_recipient_count(n: usize) -> Result<(), crate::DomainError> {
    if n == 0 {
        return Err(crate::DomainError::invalid(
            "Danh sách khen thưởng chưa có người nhận nào",
        ));
    }
    if n > limits::MAX_RECIPIENTS {
        return Err(crate::DomainError::invalid(format!(
            "Danh sách có {} người nhận, vượt giới hạn {} người nhận của một quyết định",
            format_int(n as i64),
            format_int(limits::MAX_RECIPIENTS as i64)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod more_tests {
    use super::*;

    #[test]
    fn recipients_and_references_are_checked() {
        let r = NewRecipient::parse("ca_nhan", " Lò Văn A ", "Trưởng thôn", "").unwrap();
        assert_eq!(r.name, "Lò Văn A");
        assert!(NewRecipient::parse("tap_the", " ", "", "").is_err());
        assert_eq!(parse_reference(" 125/QĐ-UBND ").unwrap(), "125/QĐ-UBND");
        assert!(parse_reference("").is_err());
        assert!(check_recipient_count(0).is_err());
        assert!(check_recipient_count(501)
            .unwrap_err()
            .to_string()
            .contains("500"));
        assert_eq!(
            OfficeLevel::parse("province").unwrap(),
            OfficeLevel::Province
        );
        assert!(OfficeLevel::parse("district").is_err());
    }
}
