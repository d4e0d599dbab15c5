//! Breakdowns (disaggregations) as an administrator designs them: one or
//! more small dimensions ("Giới tính: Nam, Nữ" × "Độ tuổi: dưới 18, từ 18")
//! whose cartesian product becomes the options a value is entered for. The
//! number of combinations is shown while designing and capped, so a
//! catalogue never grows the "category explosions" DHIS2 users complain of.

use crate::error::DomainError;
use crate::indicators::MAX_COMBINATIONS;
use crate::text;

/// The most dimensions a breakdown may combine.
pub const MAX_DIMENSIONS: usize = 3;

/// One dimension: a name and its options, each "Tiếng Việt | English" or just Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dimension {
    pub name: String,
    pub options: Vec<String>,
}

/// One combination of options: a code (`nam-duoi_18`) and its names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Combination {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
}

/// A designed breakdown: its name and the combinations, at most [`MAX_COMBINATIONS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breakdown {
    pub name_vi: String,
    pub name_en: String,
    pub combinations: Vec<Combination>,
}

/// How many combinations the dimensions give (saturating), before any check.
pub fn count(dimensions: &[Dimension]) -> usize {
    dimensions
        .iter()
        .filter(|d| !d.options.is_empty())
        .fold(1usize, |n, d| n.saturating_mul(d.options.len()))
}

/// Parse a dimension typed as "Name: option, option, …" (one per line in the designer).
pub fn parse_dimension(line: &str) -> Result<Dimension, DomainError> {
    let line = text::clean(line);
    let (name, rest) = line.split_once(':').ok_or_else(|| {
        DomainError::invalid(format!(
            "\"{line}\": viết theo mẫu \"Tên nhóm: lựa chọn 1, lựa chọn 2\""
        ))
    })?;
    Ok(Dimension {
        name: text::clean(name),
        options: rest
            .split([',', ';'])
            .map(text::clean)
            .filter(|o| !o.is_empty())
            .collect(),
    })
}

/// A code from a name: accents folded, lowercase ASCII, words joined by `_`.
fn slug(name: &str) -> String {
    let folded = text::fold(name);
    let mut out = String::new();
    for word in folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    out
}

fn names(option: &str) -> (String, String) {
    match option.split_once('|') {
        Some((vi, en)) if !text::clean(en).is_empty() => (text::clean(vi), text::clean(en)),
        Some((vi, _)) => (text::clean(vi), text::clean(vi)),
        None => (text::clean(option), text::clean(option)),
    }
}

/// Check the dimensions and build the combinations, in the order typed.
pub fn design(dimensions: &[Dimension]) -> Result<Breakdown, DomainError> {
    if dimensions.is_empty() {
        return Err(DomainError::invalid("phân tổ cần ít nhất một nhóm"));
    }
    if dimensions.len() > MAX_DIMENSIONS {
        return Err(DomainError::invalid(format!(
            "phân tổ có {} nhóm, tối đa {MAX_DIMENSIONS}",
            dimensions.len()
        )));
    }
    // Names are short: checked first, as the messages below quote them.
    for d in dimensions {
        text::check_len("Tên nhóm phân tổ", &d.name, text::limits::NAME)?;
        for o in &d.options {
            text::check_len("Một lựa chọn phân tổ", o, text::limits::NAME)?;
        }
    }
    let mut problems = Vec::new();
    if let Some(d) = dimensions
        .iter()
        .find(|d| d.options.len() > MAX_COMBINATIONS)
    {
        return Err(DomainError::invalid(format!(
            "nhóm \"{}\" có {} lựa chọn, tối đa {MAX_COMBINATIONS}",
            d.name,
            d.options.len()
        )));
    }
    for d in dimensions {
        if d.name.is_empty() {
            problems.push("một nhóm chưa có tên".to_string());
        }
        if d.options.len() < 2 {
            problems.push(format!("nhóm \"{}\" cần ít nhất hai lựa chọn", d.name));
        }
        let mut seen: Vec<String> = Vec::new();
        for o in &d.options {
            let code = slug(&names(o).0);
            if code.is_empty() {
                problems.push(format!(
                    "nhóm \"{}\": lựa chọn \"{o}\" không có chữ hay số",
                    d.name
                ));
            } else if seen.contains(&code) {
                problems.push(format!("nhóm \"{}\": lựa chọn \"{o}\" bị trùng", d.name));
            }
            seen.push(code);
        }
    }
    let n = count(dimensions);
    if n > MAX_COMBINATIONS {
        problems.push(format!(
            "{n} tổ hợp, vượt quá giới hạn {MAX_COMBINATIONS}: bớt lựa chọn hoặc bớt nhóm"
        ));
    }
    if !problems.is_empty() {
        return Err(DomainError::invalid(problems.join("; ")));
    }
    let mut combinations = vec![Combination {
        code: String::new(),
        name_vi: String::new(),
        name_en: String::new(),
    }];
    for d in dimensions {
        let mut next = Vec::with_capacity(combinations.len() * d.options.len());
        for c in &combinations {
            for o in &d.options {
                let (vi, en) = names(o);
                let join = |a: &str, sep: &str, b: &str| {
                    if a.is_empty() {
                        b.to_string()
                    } else {
                        format!("{a}{sep}{b}")
                    }
                };
                next.push(Combination {
                    code: join(&c.code, "-", &slug(&vi)),
                    name_vi: join(&c.name_vi, ", ", &vi),
                    name_en: join(&c.name_en, ", ", &en),
                });
            }
        }
        combinations = next;
    }
    let name_vi = dimensions
        .iter()
        .map(|d| d.name.as_str())
        .collect::<Vec<_>>()
        .join(" × ");
    Ok(Breakdown {
        name_en: name_vi.clone(),
        name_vi,
        combinations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dims(lines: &[&str]) -> Vec<Dimension> {
        lines.iter().map(|l| parse_dimension(l).unwrap()).collect()
    }

    #[test]
    fn product_of_dimensions_in_order() {
        let b = design(&dims(&[
            "Giới tính: Nam | Male, Nữ | Female",
            "Độ tuổi: Dưới 18 tuổi, Từ 18 tuổi",
        ]))
        .unwrap();
        assert_eq!(b.name_vi, "Giới tính × Độ tuổi");
        let codes: Vec<_> = b.combinations.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "nam-duoi_18_tuoi",
                "nam-tu_18_tuoi",
                "nu-duoi_18_tuoi",
                "nu-tu_18_tuoi"
            ]
        );
        assert_eq!(b.combinations[1].name_vi, "Nam, Từ 18 tuổi");
        assert_eq!(b.combinations[1].name_en, "Male, Từ 18 tuổi");
        assert_eq!(count(&dims(&["A: x, y, z", "B: p, q"])), 6);
    }

    #[test]
    fn too_many_combinations_are_refused_with_the_count() {
        let d = dims(&["A: a1, a2, a3, a4, a5", "B: b1, b2, b3, b4, b5"]);
        assert_eq!(count(&d), 25);
        let e = design(&d).unwrap_err().to_string();
        assert!(e.contains("25 tổ hợp"), "{e}");
        assert!(e.contains(&MAX_COMBINATIONS.to_string()), "{e}");
    }

    #[test]
    fn every_problem_is_named() {
        let e = design(&dims(&["Giới tính: Nam, nam", "Độ tuổi: trẻ"]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("\"nam\" bị trùng"), "{e}");
        assert!(e.contains("\"Độ tuổi\" cần ít nhất hai lựa chọn"), "{e}");
        assert!(parse_dimension("không có dấu hai chấm").is_err());
        assert!(design(&[]).is_err());
        let many: Vec<String> = (0..100_000).map(|i| format!("x{i}")).collect();
        let e = design(&[Dimension {
            name: "A".into(),
            options: many,
        }])
        .unwrap_err()
        .to_string();
        assert!(e.contains("100000 lựa chọn, tối đa 24"), "{e}");
        assert!(design(&dims(&["A: 1, 2", "B: 1, 2", "C: 1, 2", "D: 1, 2"])).is_err());
    }
}
