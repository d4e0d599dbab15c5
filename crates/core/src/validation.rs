//! Validation rules over a form's values: left side, operator, right side,
//! a missing-value strategy and a severity (DHIS2's model). A side is a sum
//! of indicator codes and constants: `gd_tien_bo`, `tt_luot`, `dd_so + 10`.

use std::collections::HashMap;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::indicators::{IndicatorCode, SCALE};
use crate::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Operator {
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "==")]
    Eq,
    #[serde(rename = "!=")]
    Ne,
}

impl Operator {
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Le => "<=",
            Operator::Lt => "<",
            Operator::Ge => ">=",
            Operator::Gt => ">",
            Operator::Eq => "==",
            Operator::Ne => "!=",
        }
    }

    /// The comparison in words, as a rule reads to a person: "không được lớn hơn".
    pub fn words_vi(self) -> &'static str {
        match self {
            Operator::Le => "không được lớn hơn",
            Operator::Lt => "phải nhỏ hơn",
            Operator::Ge => "không được nhỏ hơn",
            Operator::Gt => "phải lớn hơn",
            Operator::Eq => "phải bằng",
            Operator::Ne => "không được bằng",
        }
    }

    fn holds(self, l: i64, r: i64) -> bool {
        match self {
            Operator::Le => l <= r,
            Operator::Lt => l < r,
            Operator::Ge => l >= r,
            Operator::Gt => l > r,
            Operator::Eq => l == r,
            Operator::Ne => l != r,
        }
    }
}

impl FromStr for Operator {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "<=" | "≤" => Ok(Operator::Le),
            "<" => Ok(Operator::Lt),
            ">=" | "≥" => Ok(Operator::Ge),
            ">" => Ok(Operator::Gt),
            "==" | "=" => Ok(Operator::Eq),
            "!=" | "≠" => Ok(Operator::Ne),
            _ => Err(DomainError::invalid(format!(
                "\"{s}\" không phải phép so sánh"
            ))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingStrategy {
    /// Skip the rule when any value it uses is missing.
    SkipIfAnyMissing,
    /// Skip only when every value is missing; missing values count as 0.
    SkipIfAllMissing,
    /// Always check; missing values count as 0.
    NeverSkip,
}

impl MissingStrategy {
    pub fn as_str(self) -> &'static str {
        match self {
            MissingStrategy::SkipIfAnyMissing => "skip_if_any_missing",
            MissingStrategy::SkipIfAllMissing => "skip_if_all_missing",
            MissingStrategy::NeverSkip => "never_skip",
        }
    }
}

impl FromStr for MissingStrategy {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "skip_if_any_missing" => Ok(MissingStrategy::SkipIfAnyMissing),
            "skip_if_all_missing" => Ok(MissingStrategy::SkipIfAllMissing),
            "never_skip" => Ok(MissingStrategy::NeverSkip),
            _ => Err(DomainError::invalid(format!(
                "\"{s}\" không phải cách xử lý giá trị thiếu"
            ))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks submission.
    Error,
    /// Needs a comment on one of the values involved.
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl FromStr for Severity {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "error" => Ok(Severity::Error),
            "warning" => Ok(Severity::Warning),
            _ => Err(DomainError::invalid(format!(
                "\"{s}\" không phải mức độ (error, warning)"
            ))),
        }
    }
}

/// One side of a rule: a signed sum of indicators and constants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr {
    terms: Vec<(i64, Term)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Term {
    Indicator(IndicatorCode),
    Const(i64),
}

/// At most this many characters on one side of a rule.
pub const MAX_EXPR_CHARS: usize = 300;
/// At most this many terms (indicators and constants) on one side of a rule.
pub const MAX_EXPR_TERMS: usize = 50;

impl Expr {
    pub fn parse(s: &str) -> Result<Expr, DomainError> {
        crate::text::check_len("Một vế của quy tắc", s, MAX_EXPR_CHARS)?;
        let mut terms = Vec::new();
        let mut sign = 1;
        let spaced = s.replace('+', " + ").replace('-', " - ");
        let mut expect_term = true;
        for tok in spaced.split_whitespace() {
            match (tok, expect_term) {
                ("+", false) => {
                    sign = 1;
                    expect_term = true;
                }
                ("-", false) => {
                    sign = -1;
                    expect_term = true;
                }
                ("-", true) => sign = -sign,
                (t, true) => {
                    let term = if t.bytes().all(|b| b.is_ascii_digit()) {
                        Term::Const(
                            t.parse::<i64>()
                                .ok()
                                .and_then(|c| c.checked_mul(SCALE))
                                .ok_or_else(|| {
                                    DomainError::invalid(format!(
                                        "Hằng số \"{t}\" quá lớn: giới hạn là {}",
                                        crate::text::format_int(i64::MAX / SCALE)
                                    ))
                                })?,
                        )
                    } else {
                        Term::Indicator(IndicatorCode::parse(t)?)
                    };
                    if terms.len() == MAX_EXPR_TERMS {
                        return Err(DomainError::invalid(format!(
                            "Một vế của quy tắc có hơn {MAX_EXPR_TERMS} số hạng, vượt giới hạn {MAX_EXPR_TERMS} số hạng"
                        )));
                    }
                    terms.push((sign, term));
                    sign = 1;
                    expect_term = false;
                }
                _ => {
                    return Err(DomainError::invalid(format!(
                        "biểu thức \"{s}\" không hợp lệ"
                    )))
                }
            }
        }
        if terms.is_empty() || expect_term {
            return Err(DomainError::invalid(format!(
                "biểu thức \"{s}\" không hợp lệ"
            )));
        }
        Ok(Expr { terms })
    }

    pub fn indicators(&self) -> impl Iterator<Item = &IndicatorCode> {
        self.terms.iter().filter_map(|(_, t)| match t {
            Term::Indicator(c) => Some(c),
            Term::Const(_) => None,
        })
    }

    /// The value (`None` if it overflows), and how many of its indicators
    /// were missing / present.
    fn eval(&self, values: &HashMap<String, i64>) -> (Option<i64>, usize, usize) {
        let (mut sum, mut missing, mut present) = (Some(0i64), 0, 0);
        for (sign, t) in &self.terms {
            let v = match t {
                Term::Const(c) => *c,
                Term::Indicator(code) => match values.get(code.as_str()) {
                    Some(v) => {
                        present += 1;
                        *v
                    }
                    None => {
                        missing += 1;
                        continue;
                    }
                },
            };
            sum = sum
                .zip(sign.checked_mul(v))
                .and_then(|(s, v)| s.checked_add(v));
        }
        (sum, missing, present)
    }

    pub fn text(&self) -> String {
        let mut out = String::new();
        for (i, (sign, t)) in self.terms.iter().enumerate() {
            if i > 0 || *sign < 0 {
                out.push_str(if *sign < 0 { " - " } else { " + " });
            }
            match t {
                Term::Indicator(c) => out.push_str(c.as_str()),
                Term::Const(c) => out.push_str(&(c / SCALE).to_string()),
            }
        }
        out.trim_start_matches(" + ").to_string()
    }

    /// The side in words, each indicator by its label ("Số mô hình hiện có
    /// cộng Số mô hình mới"), constants written the Vietnamese way.
    pub fn words_vi(&self, label: &dyn Fn(&str) -> String) -> String {
        let mut out = String::new();
        for (i, (sign, t)) in self.terms.iter().enumerate() {
            match (i, *sign < 0) {
                (0, false) => {}
                (0, true) => out.push_str("trừ "),
                (_, false) => out.push_str(" cộng "),
                (_, true) => out.push_str(" trừ "),
            }
            match t {
                Term::Indicator(c) => out.push_str(&label(c.as_str())),
                Term::Const(c) => out.push_str(&crate::indicators::format_milli(*c)),
            }
        }
        out
    }
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub code: String,
    pub left: Expr,
    pub op: Operator,
    pub right: Expr,
    pub missing: MissingStrategy,
    pub severity: Severity,
    /// Shown when the rule is broken.
    pub message_vi: String,
}

/// A broken rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    /// The indicators the rule looks at (a warning is settled by a comment on one of them).
    pub indicators: Vec<String>,
    /// For a warning: whether one of those values carries a comment.
    pub explained: bool,
}

impl Rule {
    fn indicators_vec(&self) -> Vec<String> {
        self.left
            .indicators()
            .chain(self.right.indicators())
            .map(|c| c.as_str().to_string())
            .collect()
    }

    /// The rule in words, indicators by their labels: "«Số người tiến bộ»
    /// không được lớn hơn «Số người được cảm hóa, giáo dục»". Never the formula.
    pub fn words_vi(&self, label: &dyn Fn(&str) -> String) -> String {
        let quoted = |c: &str| format!("«{}»", label(c));
        format!(
            "{} {} {}",
            self.left.words_vi(&quoted),
            self.op.words_vi(),
            self.right.words_vi(&quoted)
        )
    }

    /// Check the rule against a report's values (thousandths by indicator
    /// code, summed over breakdowns) and the codes that carry a comment.
    /// The message names indicators by their codes; see [`Rule::check_labelled`].
    pub fn check(&self, values: &HashMap<String, i64>, commented: &[String]) -> Option<Violation> {
        self.check_labelled(values, commented, &|c: &str| c.to_string())
    }

    /// [`Rule::check`], with the rule written in words, each indicator by
    /// `label` (its name on the form).
    pub fn check_labelled(
        &self,
        values: &HashMap<String, i64>,
        commented: &[String],
        label: &dyn Fn(&str) -> String,
    ) -> Option<Violation> {
        let (l, lm, lp) = self.left.eval(values);
        let (r, rm, rp) = self.right.eval(values);
        let (missing, present) = (lm + rm, lp + rp);
        let skip = match self.missing {
            MissingStrategy::SkipIfAnyMissing => missing > 0,
            MissingStrategy::SkipIfAllMissing => present == 0,
            MissingStrategy::NeverSkip => false,
        };
        if skip {
            return None;
        }
        // A side too large to add up cannot be checked: the rule is reported
        // as not evaluable rather than wrapping round or panicking.
        let (Some(l), Some(r)) = (l, r) else {
            return Some(Violation {
                rule: self.code.clone(),
                severity: self.severity,
                message: format!(
                    "{}. Quy tắc: {} (không tính được vì các giá trị quá lớn)",
                    self.message_vi.trim_end_matches('.'),
                    self.words_vi(label)
                ),
                indicators: self.indicators_vec(),
                explained: false,
            });
        };
        if self.op.holds(l, r) {
            return None;
        }
        let indicators = self.indicators_vec();
        let explained = indicators.iter().any(|c| commented.contains(c));
        Some(Violation {
            rule: self.code.clone(),
            severity: self.severity,
            message: format!(
                "{}. Quy tắc: {} (đang là {} so với {})",
                self.message_vi.trim_end_matches('.'),
                self.words_vi(label),
                crate::indicators::format_milli(l),
                crate::indicators::format_milli(r)
            ),
            indicators,
            explained,
        })
    }
}

/// Seeded rules: (code, left, operator, right, severity, message).
pub const SEED_RULES: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "gd_tien_bo_le_doi_tuong",
        "gd_tien_bo",
        "<=",
        "gd_doi_tuong",
        "error",
        "Số người tiến bộ không thể lớn hơn số người được cảm hóa, giáo dục",
    ),
    (
        "nguon_tin_gia_tri_le_tong",
        "nguon_tin_gia_tri",
        "<=",
        "nguon_tin",
        "error",
        "Số nguồn tin có giá trị không thể lớn hơn tổng số nguồn tin",
    ),
    (
        "tt_luot_ge_buoi",
        "tt_luot",
        ">=",
        "tt_buoi",
        "warning",
        "Mỗi buổi tuyên truyền thường có ít nhất một lượt người tham dự",
    ),
    (
        "dd_luot_ge_so",
        "dd_luot",
        ">=",
        "dd_so",
        "warning",
        "Mỗi diễn đàn thường có ít nhất một lượt người tham dự",
    ),
    (
        "mh_nhan_rong_le_hien_co",
        "mh_nhan_rong",
        "<=",
        "mh_hien_co + mh_moi",
        "warning",
        "Số mô hình nhân rộng thường không vượt số mô hình đang hoạt động và mới xây dựng",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(l: &str, op: &str, r: &str, missing: MissingStrategy, sev: Severity) -> Rule {
        Rule {
            code: "r".into(),
            left: Expr::parse(l).unwrap(),
            op: op.parse().unwrap(),
            right: Expr::parse(r).unwrap(),
            missing,
            severity: sev,
            message_vi: "sai".into(),
        }
    }

    fn vals(pairs: &[(&str, i64)]) -> HashMap<String, i64> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v * SCALE))
            .collect()
    }

    #[test]
    fn expressions_are_bounded() {
        let fifty = vec!["gd_tien_bo"; MAX_EXPR_TERMS].join("+");
        assert!(fifty.chars().count() > MAX_EXPR_CHARS);
        let e = Expr::parse(&fifty).unwrap_err().to_string();
        assert!(e.contains("vượt giới hạn 300 ký tự"), "{e}");
        let ok = vec!["1"; MAX_EXPR_TERMS].join("+");
        assert!(Expr::parse(&ok).is_ok());
        let over = vec!["1"; MAX_EXPR_TERMS + 1].join("+");
        let e = Expr::parse(&over).unwrap_err().to_string();
        assert!(e.contains("vượt giới hạn 50 số hạng"), "{e}");
        // 200.000 terms (the reported 2 MB) are refused before any parsing.
        let huge = vec!["gd_tien_bo"; 200_000].join("+");
        let e = Expr::parse(&huge).unwrap_err().to_string();
        assert!(e.contains("vượt giới hạn 300 ký tự"), "{e}");
    }

    #[test]
    fn constants_and_sums_do_not_overflow() {
        // i64 parses, but times SCALE it overflows.
        let e = Expr::parse("gd_tien_bo + 9223372036854776")
            .unwrap_err()
            .to_string();
        assert!(e.contains("quá lớn"), "{e}");
        assert!(Expr::parse("99999999999999999999").is_err());
        let big = i64::MAX / SCALE;
        assert!(Expr::parse(&big.to_string()).is_ok());
        // Entered values near i64::MAX: the sum does not wrap or panic.
        let r = rule(
            "gd_tien_bo + gd_tien_bo",
            "<=",
            "gd_doi_tuong",
            MissingStrategy::SkipIfAnyMissing,
            Severity::Error,
        );
        let mut v = HashMap::new();
        v.insert("gd_tien_bo".to_string(), i64::MAX - 1);
        v.insert("gd_doi_tuong".to_string(), 0);
        let violation = r.check(&v, &[]).expect("not evaluable is reported");
        assert!(
            violation.message.contains("không tính được"),
            "{}",
            violation.message
        );
    }

    #[test]
    fn rules_check_and_skip() {
        let r = rule(
            "gd_tien_bo",
            "<=",
            "gd_doi_tuong",
            MissingStrategy::SkipIfAnyMissing,
            Severity::Error,
        );
        assert!(r
            .check(&vals(&[("gd_tien_bo", 5), ("gd_doi_tuong", 10)]), &[])
            .is_none());
        let v = r
            .check(&vals(&[("gd_tien_bo", 11), ("gd_doi_tuong", 10)]), &[])
            .unwrap();
        assert_eq!(v.severity, Severity::Error);
        assert!(v.message.contains("11 so với 10"), "{}", v.message);
        assert!(
            r.check(&vals(&[("gd_tien_bo", 11)]), &[]).is_none(),
            "skipped when a value is missing"
        );
        let strict = rule(
            "gd_tien_bo",
            "<=",
            "gd_doi_tuong",
            MissingStrategy::NeverSkip,
            Severity::Error,
        );
        assert!(
            strict.check(&vals(&[("gd_tien_bo", 11)]), &[]).is_some(),
            "missing counts as 0"
        );
        let all = rule(
            "gd_tien_bo",
            "<=",
            "gd_doi_tuong",
            MissingStrategy::SkipIfAllMissing,
            Severity::Error,
        );
        assert!(all.check(&vals(&[]), &[]).is_none());
        assert!(all.check(&vals(&[("gd_tien_bo", 1)]), &[]).is_some());
    }

    #[test]
    fn warnings_are_settled_by_a_comment() {
        let r = rule(
            "tt_luot",
            ">=",
            "tt_buoi",
            MissingStrategy::SkipIfAnyMissing,
            Severity::Warning,
        );
        let v = r
            .check(&vals(&[("tt_luot", 1), ("tt_buoi", 3)]), &[])
            .unwrap();
        assert!(!v.explained);
        let v = r
            .check(
                &vals(&[("tt_luot", 1), ("tt_buoi", 3)]),
                &["tt_luot".into()],
            )
            .unwrap();
        assert!(v.explained);
    }

    #[test]
    fn rules_read_in_words_not_formulas() {
        let r = Rule {
            code: "r".into(),
            left: Expr::parse("mh_nhan_rong").unwrap(),
            op: "<=".parse().unwrap(),
            right: Expr::parse("mh_hien_co + mh_moi - 2").unwrap(),
            missing: MissingStrategy::NeverSkip,
            severity: Severity::Warning,
            message_vi: "Nhân rộng quá nhiều.".into(),
        };
        let label = |c: &str| match c {
            "mh_nhan_rong" => "Số mô hình nhân rộng".to_string(),
            "mh_hien_co" => "Số mô hình hiện có".to_string(),
            _ => "Số mô hình mới".to_string(),
        };
        assert_eq!(
            r.words_vi(&label),
            "«Số mô hình nhân rộng» không được lớn hơn «Số mô hình hiện có» cộng «Số mô hình mới» trừ 2"
        );
        let v = r
            .check_labelled(
                &vals(&[("mh_nhan_rong", 4_378), ("mh_hien_co", 1)]),
                &[],
                &label,
            )
            .unwrap();
        assert_eq!(
            v.message,
            "Nhân rộng quá nhiều. Quy tắc: «Số mô hình nhân rộng» không được lớn hơn \
             «Số mô hình hiện có» cộng «Số mô hình mới» trừ 2 (đang là 4.378 so với -1)"
        );
        for bad in ["<=", "mh_moi", "_"] {
            assert!(!v.message.contains(bad), "{bad} in {}", v.message);
        }
        let words: Vec<&str> = [
            Operator::Le,
            Operator::Lt,
            Operator::Ge,
            Operator::Gt,
            Operator::Eq,
            Operator::Ne,
        ]
        .iter()
        .map(|o| o.words_vi())
        .collect();
        assert_eq!(words.len(), 6);
        assert!(words.iter().all(|w| !w.is_ascii()));
    }

    #[test]
    fn expressions_parse() {
        let e = Expr::parse("mh_hien_co + mh_moi - 2").unwrap();
        assert_eq!(e.text(), "mh_hien_co + mh_moi - 2");
        assert_eq!(e.indicators().count(), 2);
        for bad in ["", "+", "a +", "Mã Sai", "tt_buoi tt_luot"] {
            assert!(Expr::parse(bad).is_err(), "{bad}");
        }
        for (_, l, op, r, sev, _) in SEED_RULES {
            assert!(Expr::parse(l).is_ok() && Expr::parse(r).is_ok());
            assert!(op.parse::<Operator>().is_ok() && sev.parse::<Severity>().is_ok());
        }
    }
}
