//! Models ("mô hình") and exemplary cases: the national model-type taxonomy, a unit's models with their states, sites and teams, replication as a link, exemplary cases (HD 22/HD-BCA-V05).
//! (Owned by the models work of issue 13.)
//!
//! The counting rule the figures and the register's lists share: a model
//! without `replicates_id` is "mới" in the reporting year of its
//! `started_on`; one with it is "nhân rộng" in that year; a model is in
//! operation ("hiện có") on a day when it started on or before it and was
//! not dissolved by then (`dissolved_on` after the day, or none).

use crate::dates::Date;
use crate::text;
use crate::words::Word;
use crate::DomainError;

/// The audit actions of this registry, in words.
pub static AUDIT_WORDS: &[Word] = &[
    (
        "model_type.seed",
        "Nạp danh mục loại mô hình",
        "Model types seeded",
    ),
    ("model_type.save", "Sửa loại mô hình", "Model type saved"),
    ("model.create", "Đăng ký mô hình", "Model registered"),
    ("model.update", "Sửa mô hình", "Model edited"),
    (
        "model.state",
        "Ghi trạng thái mô hình",
        "Model state recorded",
    ),
    ("model.replicate", "Nhân rộng mô hình", "Model replicated"),
    (
        "model.import",
        "Nhập sổ mô hình từ Excel",
        "Model register imported",
    ),
    (
        "model_site.add",
        "Thêm điểm của mô hình",
        "Model site added",
    ),
    (
        "exemplary_case.create",
        "Ghi điển hình tiên tiến",
        "Exemplary case recorded",
    ),
];

/// Bounds of what is typed.
pub mod limits {
    /// A model's, a type's, a site's or a case's name.
    pub const NAME: usize = 300;
    /// Notes, a recognition's text, a type's description.
    pub const NOTES: usize = 2_000;
    /// A rating ("Tốt", "Khá"…).
    pub const RATING: usize = 100;
    /// Rows one list page shows at most.
    pub const MAX_PAGE: usize = 500;
    /// Rows one imported file may hold.
    pub const MAX_IMPORT_ROWS: usize = 20_000;
    /// Teams or members one site may declare.
    pub const MAX_COUNT: i64 = 1_000_000;
}

/// A model's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelState {
    Moi,
    CungCo,
    NhanRong,
    GiaiThe,
}

impl ModelState {
    pub const ALL: [ModelState; 4] = [
        ModelState::Moi,
        ModelState::CungCo,
        ModelState::NhanRong,
        ModelState::GiaiThe,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ModelState::Moi => "moi",
            ModelState::CungCo => "cung_co",
            ModelState::NhanRong => "nhan_rong",
            ModelState::GiaiThe => "giai_the",
        }
    }

    pub fn word_vi(self) -> &'static str {
        match self {
            ModelState::Moi => "Mới xây dựng",
            ModelState::CungCo => "Củng cố",
            ModelState::NhanRong => "Nhân rộng",
            ModelState::GiaiThe => "Giải thể",
        }
    }

    pub fn word_en(self) -> &'static str {
        match self {
            ModelState::Moi => "New",
            ModelState::CungCo => "Consolidated",
            ModelState::NhanRong => "Replicated",
            ModelState::GiaiThe => "Dissolved",
        }
    }

    /// From its code or its words (accent-insensitive: "giai the", "Mới").
    pub fn parse(s: &str) -> Result<ModelState, DomainError> {
        let t = s.trim();
        let f = text::fold(t);
        ModelState::ALL
            .into_iter()
            .find(|x| {
                x.code() == t
                    || text::fold(x.word_vi()) == f
                    || (x == &ModelState::Moi && f == "moi")
            })
            .ok_or_else(|| {
                DomainError::invalid(format!(
                    "Trạng thái \u{201C}{t}\u{201D} không có: chọn Mới xây dựng, Củng cố, Nhân rộng hoặc Giải thể"
                ))
            })
    }

    /// From its code only (the API's enum).
    pub fn from_code(s: &str) -> Result<ModelState, DomainError> {
        ModelState::ALL
            .into_iter()
            .find(|x| x.code() == s.trim())
            .ok_or_else(|| {
                DomainError::invalid(format!(
                    "Trạng thái \u{201C}{}\u{201D} không có: moi, cung_co, nhan_rong hoặc giai_the",
                    s.trim()
                ))
            })
    }

    /// May a model in state `self` move to `next`? Nothing follows a
    /// dissolution, and a model is new only once.
    pub fn check_next(self, next: ModelState) -> Result<(), DomainError> {
        if self == ModelState::GiaiThe {
            return Err(DomainError::invalid(
                "Mô hình đã giải thể, không ghi thêm trạng thái được",
            ));
        }
        if next == ModelState::Moi {
            return Err(DomainError::invalid(
                "Mô hình chỉ \u{201C}mới xây dựng\u{201D} một lần, khi đăng ký",
            ));
        }
        Ok(())
    }
}

/// An exemplary case: a collective or an individual.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    TapThe,
    CaNhan,
}

impl CaseKind {
    pub fn code(self) -> &'static str {
        match self {
            CaseKind::TapThe => "tap_the",
            CaseKind::CaNhan => "ca_nhan",
        }
    }

    pub fn word_vi(self) -> &'static str {
        match self {
            CaseKind::TapThe => "Tập thể",
            CaseKind::CaNhan => "Cá nhân",
        }
    }

    /// From its code only (the API's enum).
    pub fn from_code(s: &str) -> Result<CaseKind, DomainError> {
        match s.trim() {
            "tap_the" => Ok(CaseKind::TapThe),
            "ca_nhan" => Ok(CaseKind::CaNhan),
            t => Err(DomainError::invalid(format!(
                "\u{201C}{t}\u{201D}: điển hình tiên tiến phải là tap_the (Tập thể) hoặc ca_nhan (Cá nhân)"
            ))),
        }
    }

    pub fn parse(s: &str) -> Result<CaseKind, DomainError> {
        let t = s.trim();
        let f = text::fold(t);
        [CaseKind::TapThe, CaseKind::CaNhan]
            .into_iter()
            .find(|k| k.code() == t || text::fold(k.word_vi()) == f)
            .ok_or_else(|| {
                DomainError::invalid(format!(
                    "\u{201C}{t}\u{201D}: điển hình tiên tiến phải là Tập thể hoặc Cá nhân"
                ))
            })
    }
}

/// What a figure counts (the figure filter of the register's list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// New models started in the years (no `replicates_id`).
    Moi,
    /// Replications started in the years.
    NhanRong,
    /// Models in operation at the end of the last year.
    HienCo,
    /// The distinct types of the models in operation then.
    Loai,
}

impl Count {
    pub const ALL: [Count; 4] = [Count::Moi, Count::NhanRong, Count::HienCo, Count::Loai];

    pub fn code(self) -> &'static str {
        match self {
            Count::Moi => "moi",
            Count::NhanRong => "nhan_rong",
            Count::HienCo => "hien_co",
            Count::Loai => "loai",
        }
    }

    pub fn parse(s: &str) -> Result<Count, DomainError> {
        Count::ALL
            .into_iter()
            .find(|c| c.code() == s.trim())
            .ok_or_else(|| {
                DomainError::invalid(format!(
                    "\u{201C}{}\u{201D} không phải cách đếm: moi, nhan_rong, hien_co hoặc loai",
                    s.trim()
                ))
            })
    }

    /// What is listed, in words.
    pub fn word_vi(self) -> &'static str {
        match self {
            Count::Moi => "Mô hình mới xây dựng",
            Count::NhanRong => "Mô hình nhân rộng",
            Count::HienCo => "Mô hình hiện có",
            Count::Loai => "Loại mô hình hiện có",
        }
    }

    /// Flows count over the years; stocks are read at the end of the last.
    pub fn is_flow(self) -> bool {
        matches!(self, Count::Moi | Count::NhanRong)
    }
}

/// "tỉnh Điện Biên" from "Tỉnh Điện Biên": a unit's name inside a sentence.
pub fn unit_in_sentence(name: &str) -> String {
    for p in [
        "Tỉnh ",
        "Thành phố ",
        "Xã ",
        "Phường ",
        "Đặc khu ",
        "Huyện ",
        "Thị xã ",
        "Quận ",
        "Thị trấn ",
    ] {
        if let Some(rest) = name.strip_prefix(p) {
            return format!("{}{rest}", p.to_lowercase());
        }
    }
    name.to_string()
}

/// What a figure lists, in words: "Mô hình mới xây dựng 2013 – 2023 của
/// tỉnh Điện Biên: 15"; a stock says its day: "Mô hình hiện có ngày
/// 14/12/2023 của tỉnh Điện Biên: 120".
pub fn figure_sentence(count: Count, from: i32, to: i32, unit_name: &str, n: i64) -> String {
    let when = if count.is_flow() {
        if from == to {
            format!("năm {to}")
        } else {
            format!("{from} – {to}")
        }
    } else {
        match crate::registries::year_end(to) {
            Some(d) => format!("ngày {}", crate::dates::format_vi(d)),
            None => format!("năm {to}"),
        }
    };
    format!(
        "{} {when} của {}: {}",
        count.word_vi(),
        unit_in_sentence(unit_name),
        text::format_int(n)
    )
}

/// A date of a model's life must not be in the future, nor before 1945.
pub fn check_day(label: &str, d: Date, today: Date) -> Result<(), DomainError> {
    if d > today {
        return Err(DomainError::invalid(format!(
            "{label} {} sau ngày hôm nay",
            crate::dates::format_vi(d)
        )));
    }
    if d < Date::from_ymd_opt(1945, 1, 1).expect("valid") {
        return Err(DomainError::invalid(format!(
            "{label} {} quá xa trong quá khứ",
            crate::dates::format_vi(d)
        )));
    }
    Ok(())
}

/// A name: cleaned, required, bounded.
pub fn check_name(label: &str, s: &str) -> Result<String, DomainError> {
    let s = text::clean(s);
    if s.is_empty() {
        return Err(DomainError::invalid(format!(
            "Chưa có {}",
            label.to_lowercase()
        )));
    }
    text::check_len(label, &s, limits::NAME)?;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_read_codes_and_words() {
        assert_eq!(ModelState::parse("giai_the").unwrap(), ModelState::GiaiThe);
        assert_eq!(ModelState::parse("Củng cố").unwrap(), ModelState::CungCo);
        assert_eq!(
            ModelState::parse("nhan rong").unwrap(),
            ModelState::NhanRong
        );
        assert!(ModelState::parse("x").is_err());
        assert!(ModelState::GiaiThe.check_next(ModelState::CungCo).is_err());
        assert!(ModelState::Moi.check_next(ModelState::Moi).is_err());
        assert!(ModelState::Moi.check_next(ModelState::GiaiThe).is_ok());
        assert_eq!(CaseKind::parse("Cá nhân").unwrap(), CaseKind::CaNhan);
        assert!(CaseKind::parse("nhóm").is_err());
    }

    #[test]
    fn a_figure_says_what_it_lists() {
        assert_eq!(
            figure_sentence(Count::Moi, 2013, 2023, "Tỉnh Điện Biên", 15),
            "Mô hình mới xây dựng 2013 – 2023 của tỉnh Điện Biên: 15"
        );
        assert_eq!(
            figure_sentence(Count::HienCo, 2013, 2023, "Tỉnh Điện Biên", 1200),
            "Mô hình hiện có ngày 14/12/2023 của tỉnh Điện Biên: 1.200"
        );
        assert_eq!(Count::parse("loai").unwrap(), Count::Loai);
        assert!(Count::parse("all").is_err());
    }
}
