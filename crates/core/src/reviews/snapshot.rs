//! What a review's figures come from, kept with the review, and what
//! changed between two snapshots.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::*;

/// One paragraph of a review's narrative: its group, heading and text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    pub group: String,
    pub heading: String,
    pub text: String,
}

/// An indicator (or one option of its breakdown) as the review shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// `tt_buoi`, or `kt_bang_khen.tap_the` for an option.
    pub key: String,
    pub name: String,
    pub unit: String,
    pub group: String,
}

/// One report not yet approved when the review was built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub unit: String,
    pub unit_name: String,
    pub period: String,
    pub state: String,
}

/// Everything a review's figures come from, stored with the review so that
/// it reprints identically whatever is corrected later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub unit_code: String,
    pub unit_name: String,
    /// "Tỉnh", "Thành phố", "Xã", "Phường"; empty for the nation.
    pub unit_kind: String,
    pub is_nation: bool,
    /// The province a commune or district lies in (for its header).
    pub parent_name: Option<String>,
    /// nation, province, district or commune.
    #[serde(default)]
    pub level: String,
    /// The date the unit is taken at (ISO).
    pub at: String,
    pub from: i32,
    pub to: i32,
    /// For a half-year review: 1 or 2 (`from == to`).
    #[serde(default)]
    pub half: Option<u8>,
    /// `current` (legacy units' data in today's units) or `historical`.
    pub map: String,
    pub lines: Vec<Line>,
    /// The whole stage, approved data.
    pub totals: Figures,
    /// By year: key → year → figure.
    pub by_year: BTreeMap<String, BTreeMap<i32, Figure>>,
    /// The child units (code, name), in Vietnamese order.
    pub children: Vec<(String, String)>,
    /// By child: key → child code → figure.
    pub by_child: BTreeMap<String, BTreeMap<String, Figure>>,
    pub reports_total: u64,
    pub reports_approved: u64,
    /// Reports not approved yet (the first few hundred).
    pub pending: Vec<Pending>,
    /// When the figures were read (ISO timestamp).
    pub built_at: String,
    /// The programme or plan the review names (none: the movement).
    #[serde(default)]
    pub programme: Option<ProgrammeRef>,
    /// The awards of the register over the stage and at the conference
    /// where the review was presented (empty: the form figures are said).
    #[serde(default)]
    pub awards: Awards,
    /// The same totals over the stage before, of equal length, for the
    /// comparisons of the narrative (none: not read, as in reviews stored
    /// before they were).
    #[serde(default)]
    pub previous: Option<Previous>,
}

/// The totals of the stage before a review's own, of the same length
/// (2002 – 2012 before 2013 – 2023, 2023 before 2024) or, for a half-year,
/// the same half of the year before. Only the figures with data in every
/// year of that stage are kept, so a stage half covered is never compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Previous {
    pub from: i32,
    pub to: i32,
    #[serde(default)]
    pub half: Option<u8>,
    pub totals: Figures,
}

impl Previous {
    /// The stage before `stage`, of equal length (a half: the same half a year earlier).
    pub fn stage_before(stage: &Stage) -> Stage {
        match stage.half {
            Some(h) => Stage {
                from: stage.from - 1,
                to: stage.from - 1,
                half: Some(h),
            },
            None => {
                let n = stage.to - stage.from + 1;
                Stage::years(stage.from - n, stage.from - 1)
            }
        }
    }

    pub fn stage(&self) -> Stage {
        Stage {
            from: self.from,
            to: self.to,
            half: self.half,
        }
    }

    /// "so với năm 2023", "so với giai đoạn 2002 – 2012", "so với cùng kỳ năm 2025".
    pub fn against(&self) -> String {
        match self.half {
            Some(_) => format!("so với cùng kỳ năm {}", self.from),
            None => format!("so với {}", self.stage().label()),
        }
    }
}

impl Snapshot {
    pub fn scope(&self) -> String {
        scope_words(&self.unit_kind, self.is_nation)
    }

    /// The narrative from these figures (the awards from the register where
    /// the review keeps them).
    pub fn narrative(&self, groups: &[(&str, &str)]) -> Vec<(String, String, String)> {
        narrative::write(
            groups,
            &narrative::Facts {
                figs: &self.totals,
                by_year: Some(&self.by_year),
                stage: self.stage(),
                scope: self.scope(),
                awards: &self.awards,
                previous: self.previous.as_ref(),
                at: Some(&self.at),
            },
        )
    }

    pub fn stage(&self) -> Stage {
        Stage {
            from: self.from,
            to: self.to,
            half: self.half,
        }
    }

    pub fn lines_of(&self, group: &str) -> Vec<&Line> {
        self.lines.iter().filter(|l| l.group == group).collect()
    }

    pub fn years(&self) -> Vec<i32> {
        (self.from..=self.to).collect()
    }

    /// "tỉnh Đồng Tháp": the unit's name with its kind in lower case, as in running text.
    pub fn name_in_text(&self) -> String {
        if self.is_nation {
            return "cả nước".into();
        }
        match self.unit_name.strip_prefix(self.unit_kind.as_str()) {
            Some(rest) if !self.unit_kind.is_empty() => {
                format!("{}{rest}", self.unit_kind.to_lowercase())
            }
            _ => self.unit_name.clone(),
        }
    }

    /// "Đồng Tháp": the unit's name without its kind.
    pub fn short_name(&self) -> String {
        match self.unit_name.strip_prefix(self.unit_kind.as_str()) {
            Some(rest) if !self.unit_kind.is_empty() => rest.trim().to_string(),
            _ => self.unit_name.clone(),
        }
    }
}

/// A figure that differs between two snapshots.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    pub key: String,
    pub name: String,
    /// "2013–2023", a year, or a child unit's name.
    pub place: String,
    pub before: Option<f64>,
    pub after: Option<f64>,
}

fn diff_maps<K: Ord + Clone>(
    out: &mut Vec<Difference>,
    line: &Line,
    before: Option<&BTreeMap<K, Figure>>,
    after: Option<&BTreeMap<K, Figure>>,
    label: impl Fn(&K) -> String,
) {
    let empty = BTreeMap::new();
    let (b, a) = (before.unwrap_or(&empty), after.unwrap_or(&empty));
    let keys: std::collections::BTreeSet<&K> = b.keys().chain(a.keys()).collect();
    for k in keys {
        let (x, y) = (b.get(k).map(|f| f.value), a.get(k).map(|f| f.value));
        if x != y {
            out.push(Difference {
                key: line.key.clone(),
                name: line.name.clone(),
                place: label(k),
                before: x,
                after: y,
            });
        }
    }
}

/// What changed in the figures from `before` to `after` (same unit and stage).
pub fn diff(before: &Snapshot, after: &Snapshot) -> Vec<Difference> {
    let mut out = Vec::new();
    let stage = match before.half {
        None if before.from != before.to => format!("{}–{}", before.from, before.to),
        _ => before.stage().label(),
    };
    let names: BTreeMap<&str, &str> = after
        .children
        .iter()
        .chain(&before.children)
        .map(|(c, n)| (c.as_str(), n.as_str()))
        .collect();
    let mut lines: Vec<&Line> = after.lines.iter().collect();
    for l in &before.lines {
        if !lines.iter().any(|x| x.key == l.key) {
            lines.push(l);
        }
    }
    for line in lines {
        let (x, y) = (
            before.totals.get(&line.key).map(|f| f.value),
            after.totals.get(&line.key).map(|f| f.value),
        );
        if x != y {
            out.push(Difference {
                key: line.key.clone(),
                name: line.name.clone(),
                place: stage.clone(),
                before: x,
                after: y,
            });
        }
        diff_maps(
            &mut out,
            line,
            before.by_year.get(&line.key),
            after.by_year.get(&line.key),
            |y| y.to_string(),
        );
        diff_maps(
            &mut out,
            line,
            before.by_child.get(&line.key),
            after.by_child.get(&line.key),
            |c: &String| {
                names
                    .get(c.as_str())
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| c.clone())
            },
        );
    }
    out
}
