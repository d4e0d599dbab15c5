//! Who signs a review and who receives it: signature blocks with the
//! authority line of Nghị định 30 (TM., KT., TL., Q.), the position, the
//! signer's rank and name; and the "Nơi nhận" list with real names.

use serde::{Deserialize, Serialize};

use super::{Owner, Snapshot};
use crate::error::DomainError;
use crate::text;

/// The side a signer signs for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Police,
    Front,
}

impl Side {
    pub fn code(self) -> &'static str {
        match self {
            Side::Police => "police",
            Side::Front => "front",
        }
    }

    pub fn parse(s: &str) -> Result<Side, DomainError> {
        match s.trim() {
            "police" => Ok(Side::Police),
            "front" => Ok(Side::Front),
            other => Err(DomainError::invalid(format!(
                "Không có bên \u{201C}{other}\u{201D}: chọn Công an (police) hoặc Mặt trận (front)"
            ))),
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Side::Police => "Công an",
            Side::Front => "Mặt trận Tổ quốc",
        }
    }

    /// The sides that issue a review of this owner, the leading one first.
    pub fn of(owner: Owner) -> &'static [Side] {
        match owner {
            Owner::Police => &[Side::Police],
            Owner::Front => &[Side::Front],
            Owner::Joint => &[Side::Police, Side::Front],
        }
    }
}

/// The authority line of Nghị định 30 (art. 13, Phụ lục I).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Authority {
    /// The head signs in their own name: only the position.
    #[default]
    Head,
    /// "TM." (thay mặt): for a collective body ("TM. BAN THƯỜNG TRỰC").
    OnBehalf,
    /// "KT." (ký thay): a deputy for the head ("KT. GIÁM ĐỐC").
    Deputy,
    /// "TL." (thừa lệnh): a head of department by order of the head.
    ByOrder,
    /// "Q." (quyền): an acting head ("Q. GIÁM ĐỐC").
    Acting,
}

impl Authority {
    pub const ALL: [Authority; 5] = [
        Authority::Head,
        Authority::OnBehalf,
        Authority::Deputy,
        Authority::ByOrder,
        Authority::Acting,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Authority::Head => "head",
            Authority::OnBehalf => "tm",
            Authority::Deputy => "kt",
            Authority::ByOrder => "tl",
            Authority::Acting => "q",
        }
    }

    pub fn parse(s: &str) -> Result<Authority, DomainError> {
        Authority::ALL
            .into_iter()
            .find(|a| a.code() == s.trim())
            .ok_or_else(|| {
                DomainError::invalid(format!(
                    "Không có thẩm quyền ký \u{201C}{}\u{201D}",
                    s.trim()
                ))
            })
    }

    /// "TM.", "KT.", "TL.", "Q." or nothing.
    pub fn prefix(self) -> &'static str {
        match self {
            Authority::Head => "",
            Authority::OnBehalf => "TM.",
            Authority::Deputy => "KT.",
            Authority::ByOrder => "TL.",
            Authority::Acting => "Q.",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Authority::Head => "Thủ trưởng ký",
            Authority::OnBehalf => "TM. (thay mặt tập thể)",
            Authority::Deputy => "KT. (cấp phó ký thay)",
            Authority::ByOrder => "TL. (thừa lệnh)",
            Authority::Acting => "Q. (quyền)",
        }
    }
}

/// One signature block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    pub side: Side,
    #[serde(default)]
    pub authority: Authority,
    /// The body or head signed for: "BAN THƯỜNG TRỰC", "GIÁM ĐỐC" (after TM., KT., TL.).
    #[serde(default)]
    pub for_whom: String,
    /// The signer's position: "PHÓ GIÁM ĐỐC", "CHỦ TỊCH".
    pub position: String,
    /// "Đại tá", "Thượng tá"; empty for the Front.
    #[serde(default)]
    pub rank: String,
    /// Empty while nobody is chosen (the block keeps its space).
    #[serde(default)]
    pub name: String,
}

impl Signer {
    /// The lines above the signature, in capitals: ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"].
    pub fn title_lines(&self) -> Vec<String> {
        let up = |s: &str| text::clean(s).to_uppercase();
        match self.authority {
            Authority::Head => vec![up(&self.position)],
            Authority::Acting => vec![format!("Q. {}", up(&self.position))],
            a => vec![
                format!("{} {}", a.prefix(), up(&self.for_whom)),
                up(&self.position),
            ],
        }
    }

    /// "Đại tá Nguyễn Thanh Hải", or the name alone.
    pub fn signed_name(&self) -> String {
        let rank = text::clean(&self.rank);
        let name = text::clean(&self.name);
        if rank.is_empty() || name.is_empty() {
            name
        } else {
            format!("{rank} {name}")
        }
    }

    /// Check a block as an administrator or officer types it.
    pub fn checked(self) -> Result<Signer, DomainError> {
        let clean = |label: &str, s: &str| -> Result<String, DomainError> {
            text::check_printable(label, s)?;
            let s = text::clean(s);
            text::check_len(label, &s, text::limits::NAME)?;
            Ok(s)
        };
        let s = Signer {
            side: self.side,
            authority: self.authority,
            for_whom: clean("Cấp ký thay", &self.for_whom)?,
            position: clean("Chức vụ", &self.position)?,
            rank: clean("Cấp bậc", &self.rank)?,
            name: clean("Họ tên", &self.name)?,
        };
        if s.position.is_empty() {
            return Err(DomainError::invalid("Chưa có chức vụ của người ký"));
        }
        if matches!(
            s.authority,
            Authority::OnBehalf | Authority::Deputy | Authority::ByOrder
        ) && s.for_whom.is_empty()
        {
            return Err(DomainError::invalid(format!(
                "Ký {} cần ghi rõ thay cho ai (ví dụ: GIÁM ĐỐC, BAN THƯỜNG TRỰC)",
                s.authority.prefix()
            )));
        }
        Ok(s)
    }

    /// The block when nobody is registered: the head's position for the
    /// police, the standing board's chair for the Front.
    pub fn default_for(side: Side, s: &Snapshot) -> Signer {
        match side {
            Side::Police => Signer {
                side,
                authority: Authority::Head,
                for_whom: String::new(),
                position: police_head(s).into(),
                rank: String::new(),
                name: String::new(),
            },
            Side::Front => Signer {
                side,
                authority: Authority::OnBehalf,
                for_whom: "BAN THƯỜNG TRỰC".into(),
                position: "CHỦ TỊCH".into(),
                rank: String::new(),
                name: String::new(),
            },
        }
    }
}

/// The police head's title at the unit's level.
pub fn police_head(s: &Snapshot) -> &'static str {
    if s.is_nation {
        "BỘ TRƯỞNG"
    } else if s.parent_name.is_some() {
        "TRƯỞNG CÔNG AN"
    } else {
        "GIÁM ĐỐC"
    }
}

/// The most recipients a review may list, and the longest line.
pub const MAX_RECIPIENTS: usize = 30;

/// Check the "Nơi nhận" lines typed for a review.
pub fn check_recipients(lines: &[String]) -> Result<Vec<String>, DomainError> {
    let v: Vec<String> = lines
        .iter()
        .map(|l| text::clean(l.trim_start_matches(['-', '•', ' '])))
        .filter(|l| !l.is_empty())
        .collect();
    if v.len() > MAX_RECIPIENTS {
        return Err(DomainError::invalid(format!(
            "\u{201C}Nơi nhận\u{201D} có tối đa {MAX_RECIPIENTS} dòng"
        )));
    }
    for l in &v {
        text::check_printable("Một dòng \u{201C}Nơi nhận\u{201D}", l)?;
        text::check_len("Một dòng \u{201C}Nơi nhận\u{201D}", l, text::limits::NAME)?;
    }
    Ok(v)
}

/// The default "Nơi nhận" of a review, with the real names of the bodies
/// that receive it at the unit's level, never "cấp trên" or "cùng cấp".
pub fn default_recipients(s: &Snapshot, owner: Owner) -> Vec<String> {
    let police = matches!(owner, Owner::Police | Owner::Joint);
    let front = matches!(owner, Owner::Front | Owner::Joint);
    let mut v: Vec<String> = Vec::new();
    if s.is_nation {
        v.push("Ban Bí thư Trung ương Đảng (để báo cáo);".into());
        v.push("Thủ tướng Chính phủ (để báo cáo);".into());
        v.push("Ban Dân vận Trung ương;".into());
        if !police {
            v.push("Bộ Công an;".into());
        }
        if !front {
            v.push("Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam;".into());
        }
        v.push(match owner {
            Owner::Police => "Công an các tỉnh, thành phố;".into(),
            Owner::Front => "Ban Thường trực Ủy ban MTTQ Việt Nam các tỉnh, thành phố;".into(),
            Owner::Joint => {
                "Công an, Ban Thường trực Ủy ban MTTQ Việt Nam các tỉnh, thành phố;".into()
            }
        });
        v.push(lưu(owner));
        return v;
    }
    let kind = s.unit_kind.to_lowercase();
    let short = s.short_name();
    match &s.parent_name {
        None => {
            // A province or centrally-run city.
            let party = if kind == "thành phố" {
                "Thành ủy"
            } else {
                "Tỉnh ủy"
            };
            if police {
                v.push("Cục Xây dựng phong trào bảo vệ ANTQ – Bộ Công an;".into());
            }
            if front {
                v.push("Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam;".into());
            }
            v.push(format!("Thường trực {party};"));
            v.push(format!("UBND {kind};"));
            v.push(format!("Ban Dân vận {party};"));
            if !front {
                v.push(format!("Ban Thường trực Ủy ban MTTQ Việt Nam {kind};"));
            }
            if !police {
                v.push(format!("Công an {kind};"));
            }
        }
        Some(parent) => {
            // A commune, ward or special zone (or a district before 2025).
            let parent_text = in_text(parent);
            if police {
                v.push(format!("Công an {parent_text};"));
            }
            if front {
                v.push(format!(
                    "Ban Thường trực Ủy ban MTTQ Việt Nam {parent_text};"
                ));
            }
            let party = if s.level == "district" {
                if kind == "huyện" {
                    "Huyện ủy".to_string()
                } else {
                    format!("{} ủy", capitalise(&kind))
                }
            } else {
                format!("Đảng ủy {kind}")
            };
            v.push(format!("{party} {short};"));
            v.push(format!("UBND {kind} {short};"));
            if !front {
                v.push(format!("Ban Thường trực Ủy ban MTTQ Việt Nam {kind};"));
            }
            if !police {
                v.push(format!("Công an {kind};"));
            }
        }
    }
    v.push(lưu(owner));
    v
}

fn lưu(owner: Owner) -> String {
    match owner {
        Owner::Joint => "Lưu: VT (Công an, Mặt trận).".into(),
        _ => "Lưu: VT.".into(),
    }
}

/// "Tỉnh Đồng Tháp" → "tỉnh Đồng Tháp".
fn in_text(name: &str) -> String {
    for kind in [
        "Thành phố",
        "Tỉnh",
        "Huyện",
        "Thị xã",
        "Quận",
        "Xã",
        "Phường",
    ] {
        if let Some(rest) = name.strip_prefix(kind) {
            return format!("{}{rest}", kind.to_lowercase());
        }
    }
    name.to_string()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reviews::tests::snapshot;

    #[test]
    fn signature_blocks_follow_the_decree() {
        let kt = Signer {
            side: Side::Police,
            authority: Authority::Deputy,
            for_whom: "Giám đốc".into(),
            position: "Phó Giám đốc".into(),
            rank: "Đại tá".into(),
            name: "Nguyễn Thanh Hải".into(),
        }
        .checked()
        .unwrap();
        assert_eq!(kt.title_lines(), ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]);
        assert_eq!(kt.signed_name(), "Đại tá Nguyễn Thanh Hải");
        let mut q = kt.clone();
        q.authority = Authority::Acting;
        q.position = "Giám đốc".into();
        assert_eq!(q.title_lines(), ["Q. GIÁM ĐỐC"]);
        let mut bad = kt.clone();
        bad.for_whom = " ".into();
        assert!(bad.checked().unwrap_err().to_string().contains("KT."));
        let p = snapshot("Tỉnh Đồng Tháp", "Tỉnh", "province", None);
        let f = Signer::default_for(Side::Front, &p);
        assert_eq!(f.title_lines(), ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"]);
        assert_eq!(f.signed_name(), "");
    }

    #[test]
    fn recipients_have_real_names() {
        let p = snapshot("Tỉnh Đồng Tháp", "Tỉnh", "province", None);
        let joint = default_recipients(&p, Owner::Joint);
        assert_eq!(
            joint,
            [
                "Cục Xây dựng phong trào bảo vệ ANTQ – Bộ Công an;",
                "Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam;",
                "Thường trực Tỉnh ủy;",
                "UBND tỉnh;",
                "Ban Dân vận Tỉnh ủy;",
                "Lưu: VT (Công an, Mặt trận)."
            ]
        );
        let police = default_recipients(&p, Owner::Police);
        assert!(police.contains(&"Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh;".to_string()));
        let x = snapshot("Xã Mường Phăng", "Xã", "commune", Some("Tỉnh Điện Biên"));
        let front = default_recipients(&x, Owner::Front);
        assert_eq!(
            front[..4],
            [
                "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Điện Biên;",
                "Đảng ủy xã Mường Phăng;",
                "UBND xã Mường Phăng;",
                "Công an xã;"
            ]
        );
        let n = snapshot("Việt Nam", "", "nation", None);
        for owner in [Owner::Police, Owner::Front, Owner::Joint] {
            for line in default_recipients(&n, owner)
                .iter()
                .chain(default_recipients(&p, owner).iter())
                .chain(default_recipients(&x, owner).iter())
            {
                assert!(
                    !line.contains("cấp trên") && !line.contains("cùng cấp"),
                    "{line}"
                );
            }
        }
        assert_eq!(
            check_recipients(&["- UBND tỉnh;".into(), "  ".into()]).unwrap(),
            ["UBND tỉnh;"]
        );
    }
}
