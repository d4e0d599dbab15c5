//! The header and closing texts of a review as Nghị định 30/2020 lays them
//! out, and its dates.

use serde::{Deserialize, Serialize};

use super::*;

/// "ngày 18 tháng 5 năm 2023", the way Nghị định 30/2020 writes dates:
/// days below 10 and months 1 and 2 take a leading zero.
pub fn date_line(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let day = format!("{:02}", d.day());
    let month = if d.month() <= 2 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    format!("ngày {day} tháng {month} năm {}", d.year())
}

/// The header and closing texts of a review, as Nghị định 30/2020 lays them out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Top left: the parent body (upright; may be empty) then the issuer (bold).
    pub parent: String,
    pub issuer: String,
    /// "Số:        /BC-CAT".
    pub number: String,
    /// "Đồng Tháp, ngày 18 tháng 5 năm 2023".
    pub place_date: String,
    /// "BÁO CÁO".
    pub kind: String,
    pub title: String,
    /// Signature blocks: (capacity such as "TM. BAN THƯỜNG TRỰC" or empty, title).
    pub signers: Vec<(String, String)>,
    /// "Nơi nhận:" lines.
    pub recipients: Vec<String>,
}

/// The header of a review for its unit and owner, dated `date`.
pub fn header(s: &Snapshot, owner: Owner, date: chrono::NaiveDate) -> Header {
    // Nghị định 30: the place is the administrative unit where the issuer sits.
    let place = if s.is_nation {
        "Hà Nội".to_string()
    } else {
        s.short_name()
    };
    let name_upper = s.unit_name.to_uppercase();
    let director = if s.is_nation {
        "BỘ TRƯỞNG"
    } else if s.parent_name.is_some() {
        "TRƯỞNG CÔNG AN"
    } else {
        "GIÁM ĐỐC"
    };
    let (police_parent, police_issuer, police_sym) = if s.is_nation {
        (String::new(), "BỘ CÔNG AN".to_string(), "BC-BCA")
    } else if let Some(p) = &s.parent_name {
        (
            format!("CÔNG AN {}", p.to_uppercase()),
            format!("CÔNG AN {name_upper}"),
            if s.level == "district" {
                "BC-CAH"
            } else {
                "BC-CAX"
            },
        )
    } else {
        (
            "BỘ CÔNG AN".to_string(),
            format!("CÔNG AN {name_upper}"),
            "BC-CAT",
        )
    };
    let front_parent = if s.is_nation {
        "ỦY BAN TRUNG ƯƠNG MTTQ VIỆT NAM".to_string()
    } else {
        format!("ỦY BAN MTTQ VIỆT NAM {name_upper}")
    };
    let (parent, issuer, sym, signers, recipients): (
        String,
        String,
        String,
        Vec<(String, String)>,
        Vec<String>,
    ) = match owner {
        Owner::Police => (
            police_parent,
            police_issuer,
            police_sym.to_string(),
            vec![(String::new(), director.to_string())],
            vec![
                "Cục Xây dựng phong trào bảo vệ ANTQ, Bộ Công an;".into(),
                "Ban Thường trực Ủy ban MTTQ Việt Nam cùng cấp;".into(),
                "Lưu: VT.".into(),
            ],
        ),
        Owner::Front => (
            front_parent,
            "BAN THƯỜNG TRỰC".to_string(),
            "BC-MTTQ-BTT".to_string(),
            vec![("TM. BAN THƯỜNG TRỰC".into(), "CHỦ TỊCH".into())],
            vec![
                "Ban Thường trực Ủy ban MTTQ Việt Nam cấp trên;".into(),
                "Công an cùng cấp;".into(),
                "Lưu: VT.".into(),
            ],
        ),
        Owner::Joint => (
            police_issuer,
            format!("BAN THƯỜNG TRỰC {front_parent}"),
            format!("{police_sym}-MTTQ"),
            vec![
                ("TM. BAN THƯỜNG TRỰC".into(), "CHỦ TỊCH".into()),
                (String::new(), director.to_string()),
            ],
            vec![
                "Cục Xây dựng phong trào bảo vệ ANTQ, Bộ Công an;".into(),
                "Ban Thường trực Ủy ban MTTQ Việt Nam cấp trên;".into(),
                "Lưu: VT.".into(),
            ],
        ),
    };
    Header {
        parent,
        issuer,
        number: format!("Số:        /{sym}"),
        place_date: format!("{place}, {}", date_line(date)),
        kind: "BÁO CÁO".into(),
        title: s.stage().title(s.programme.as_ref()),
        signers,
        recipients,
    }
}
