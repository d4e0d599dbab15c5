//! The national catalogue as seeded: the groups, the indicators with their
//! units of measure and aggregation, the breakdown categories, and the
//! lists of indicators with rules of their own (counted per year, computed
//! from registers only).

use super::*;

/// A small set of categories an indicator may be broken down by.
pub struct CategorySeed {
    pub code: &'static str,
    pub name_vi: &'static str,
    pub name_en: &'static str,
    pub options: &'static [(&'static str, &'static str, &'static str)],
}

/// The most combinations an indicator's breakdown may produce.
pub const MAX_COMBINATIONS: usize = 24;

pub const CATEGORIES: &[CategorySeed] = &[CategorySeed {
    code: "recipient",
    name_vi: "Đối tượng khen thưởng",
    name_en: "Recipient",
    options: &[
        ("tap_the", "Tập thể", "Collective"),
        ("ca_nhan", "Cá nhân", "Individual"),
    ],
}];

/// A seeded indicator.
pub struct IndicatorSeed {
    pub code: &'static str,
    pub name_vi: &'static str,
    pub name_en: &'static str,
    pub unit: &'static str,
    pub group: &'static str,
    pub value_type: ValueType,
    pub aggregation: Aggregation,
    /// For ratios: (numerator, denominator).
    pub ratio: Option<(&'static str, &'static str)>,
    pub category: Option<&'static str>,
}

const fn ind(
    code: &'static str,
    name_vi: &'static str,
    name_en: &'static str,
    unit: &'static str,
    group: &'static str,
    aggregation: Aggregation,
) -> IndicatorSeed {
    IndicatorSeed {
        code,
        name_vi,
        name_en,
        unit,
        group,
        value_type: ValueType::Integer,
        aggregation,
        ratio: None,
        category: None,
    }
}

/// Indicator groups, in the order reviews present them.
pub const GROUPS: &[(&str, &str, &str)] = &[
    (
        "tuyen_truyen",
        "Tuyên truyền, phát động phong trào",
        "Propaganda and mobilisation",
    ),
    (
        "mo_hinh",
        "Mô hình, tổ chức quần chúng",
        "Models and grassroots organisations",
    ),
    (
        "nguon_tin",
        "Nguồn tin, ý kiến của Nhân dân",
        "Citizen tips and contributions",
    ),
    (
        "giao_duc",
        "Cảm hóa, giáo dục người lầm lỗi",
        "Education of offenders",
    ),
    ("vu_khi", "Vũ khí, vật liệu nổ", "Weapons and explosives"),
    (
        "ngay_hoi",
        "Ngày hội toàn dân bảo vệ ANTQ",
        "National Security Day",
    ),
    ("khen_thuong", "Khen thưởng", "Awards"),
    ("kinh_phi", "Kinh phí", "Funds"),
    (
        "danh_gia",
        "Công nhận \u{201C}An toàn về an ninh, trật tự\u{201D}, phân loại phong trào",
        "Safety-standard recognition and movement classification",
    ),
];

pub const INDICATORS: &[IndicatorSeed] = &[
    ind(
        "tt_buoi",
        "Buổi tuyên truyền, phát động phong trào",
        "Propaganda and mobilisation sessions",
        "buổi",
        "tuyen_truyen",
        Aggregation::Sum,
    ),
    ind(
        "tt_luot",
        "Lượt người tham dự tuyên truyền",
        "Attendances at propaganda sessions",
        "lượt người",
        "tuyen_truyen",
        Aggregation::Sum,
    ),
    ind(
        "dd_so",
        "Diễn đàn phòng, chống tội phạm, tệ nạn xã hội",
        "Crime-prevention forums",
        "diễn đàn",
        "tuyen_truyen",
        Aggregation::Sum,
    ),
    ind(
        "dd_luot",
        "Lượt người tham dự diễn đàn",
        "Attendances at forums",
        "lượt người",
        "tuyen_truyen",
        Aggregation::Sum,
    ),
    ind(
        "mh_moi",
        "Mô hình phòng, chống tội phạm mới xây dựng",
        "New crime-prevention models built",
        "mô hình",
        "mo_hinh",
        Aggregation::Sum,
    ),
    ind(
        "mh_nhan_rong",
        "Mô hình được nhân rộng",
        "Models replicated",
        "mô hình",
        "mo_hinh",
        Aggregation::Sum,
    ),
    ind(
        "mh_hien_co",
        "Mô hình đang hoạt động",
        "Models in operation",
        "mô hình",
        "mo_hinh",
        Aggregation::Latest,
    ),
    ind(
        "tcqc_so",
        "Tổ chức quần chúng bảo vệ ANTT ở cơ sở",
        "Grassroots mass security organisations",
        "tổ chức",
        "mo_hinh",
        Aggregation::Latest,
    ),
    ind(
        "mh_loai_so",
        "Loại mô hình đang hoạt động",
        "Types of models in operation",
        "loại",
        "mo_hinh",
        Aggregation::Distinct,
    ),
    ind(
        "yk_dong_gop",
        "Ý kiến đóng góp của Nhân dân",
        "Contributions from citizens",
        "ý kiến",
        "nguon_tin",
        Aggregation::Sum,
    ),
    ind(
        "nguon_tin",
        "Nguồn tin do Nhân dân cung cấp",
        "Tips provided by citizens",
        "nguồn tin",
        "nguon_tin",
        Aggregation::Sum,
    ),
    ind(
        "nguon_tin_gia_tri",
        "Nguồn tin có giá trị",
        "Valuable tips",
        "nguồn tin",
        "nguon_tin",
        Aggregation::Sum,
    ),
    IndicatorSeed {
        ratio: Some(("nguon_tin_gia_tri", "nguon_tin")),
        ..ind(
            "nguon_tin_ty_le",
            "Tỷ lệ nguồn tin có giá trị",
            "Share of valuable tips",
            "%",
            "nguon_tin",
            Aggregation::Ratio,
        )
    },
    ind(
        "gd_doi_tuong",
        "Người lầm lỗi được cảm hóa, giáo dục tại gia đình và cộng đồng",
        "Offenders educated in their family and community",
        "người",
        "giao_duc",
        Aggregation::Sum,
    ),
    ind(
        "gd_tien_bo",
        "Người lầm lỗi tiến bộ",
        "Educated offenders who progressed",
        "người",
        "giao_duc",
        Aggregation::Sum,
    ),
    IndicatorSeed {
        ratio: Some(("gd_tien_bo", "gd_doi_tuong")),
        ..ind(
            "gd_ty_le",
            "Tỷ lệ người lầm lỗi tiến bộ",
            "Share of educated offenders who progressed",
            "%",
            "giao_duc",
            Aggregation::Ratio,
        )
    },
    // Kept for the data typed before the weapons were counted by unit of
    // measure: guns, rounds and tools added up, so a review never says it as
    // one figure (see `reviews::narrative`).
    ind(
        "vk_giao_nop",
        "Vũ khí, vật liệu nổ, công cụ hỗ trợ do Nhân dân giao nộp",
        "Weapons and explosives handed in",
        "khẩu, quả, cái",
        "vu_khi",
        Aggregation::Sum,
    ),
    ind(
        "vk_sung",
        "Súng các loại do Nhân dân giao nộp",
        "Guns handed in",
        "khẩu",
        "vu_khi",
        Aggregation::Sum,
    ),
    ind(
        "vk_dan",
        "Đạn các loại do Nhân dân giao nộp",
        "Rounds of ammunition handed in",
        "viên",
        "vu_khi",
        Aggregation::Sum,
    ),
    IndicatorSeed {
        value_type: ValueType::Decimal,
        ..ind(
            "vk_vln",
            "Vật liệu nổ do Nhân dân giao nộp",
            "Explosives handed in",
            "kg",
            "vu_khi",
            Aggregation::Sum,
        )
    },
    ind(
        "vk_cctht",
        "Công cụ hỗ trợ do Nhân dân giao nộp",
        "Support tools (non-lethal weapons) handed in",
        "cái",
        "vu_khi",
        Aggregation::Sum,
    ),
    ind(
        "ngay_hoi",
        "Điểm tổ chức Ngày hội toàn dân bảo vệ ANTQ",
        "Sites of the National Security Day",
        "điểm",
        "ngay_hoi",
        Aggregation::Sum,
    ),
    IndicatorSeed {
        category: Some("recipient"),
        ..ind(
            "kt_bang_khen",
            "Bằng khen",
            "Certificates of merit",
            "lượt",
            "khen_thuong",
            Aggregation::Sum,
        )
    },
    IndicatorSeed {
        category: Some("recipient"),
        ..ind(
            "kt_giay_khen",
            "Giấy khen",
            "Certificates of commendation",
            "lượt",
            "khen_thuong",
            Aggregation::Sum,
        )
    },
    IndicatorSeed {
        value_type: ValueType::Money,
        ..ind(
            "kinh_phi",
            "Kinh phí, quà tặng hỗ trợ phong trào",
            "Funds and gifts for the movement",
            "đồng",
            "kinh_phi",
            Aggregation::Sum,
        )
    },
    ind(
        "atan_dang_ky",
        "Khu dân cư, xã, cơ quan, doanh nghiệp, cơ sở giáo dục đăng ký \u{201C}An toàn về an ninh, trật tự\u{201D}",
        "Subjects registered for the safety standard",
        "đơn vị",
        "danh_gia",
        Aggregation::Latest,
    ),
    ind(
        "atan_cong_nhan",
        "Khu dân cư, xã, cơ quan, doanh nghiệp, cơ sở giáo dục được công nhận \u{201C}An toàn về an ninh, trật tự\u{201D}",
        "Subjects recognised as meeting the safety standard",
        "đơn vị",
        "danh_gia",
        Aggregation::Latest,
    ),
    ind(
        "atan_du_dieu_kien",
        "Khu dân cư, xã, cơ quan, doanh nghiệp, cơ sở giáo dục thuộc diện xét \u{201C}An toàn về an ninh, trật tự\u{201D}",
        "Subjects eligible for the safety standard",
        "đơn vị",
        "danh_gia",
        Aggregation::Latest,
    ),
    IndicatorSeed {
        ratio: Some(("atan_cong_nhan", "atan_du_dieu_kien")),
        ..ind(
            "atan_ty_le",
            "Tỷ lệ được công nhận \u{201C}An toàn về an ninh, trật tự\u{201D} trên số thuộc diện xét",
            "Share of eligible subjects recognised as meeting the safety standard",
            "%",
            "danh_gia",
            Aggregation::Ratio,
        )
    },
    ind(
        "pl_xuat_sac",
        "Đơn vị xếp loại phong trào Xuất sắc",
        "Subjects whose movement is classified Excellent",
        "đơn vị",
        "danh_gia",
        Aggregation::Latest,
    ),
    ind(
        "pl_kha",
        "Đơn vị xếp loại phong trào Khá",
        "Subjects whose movement is classified Good",
        "đơn vị",
        "danh_gia",
        Aggregation::Latest,
    ),
    ind(
        "pl_trung_binh",
        "Đơn vị xếp loại phong trào Trung bình",
        "Subjects whose movement is classified Average",
        "đơn vị",
        "danh_gia",
        Aggregation::Latest,
    ),
    ind(
        "pl_yeu",
        "Đơn vị xếp loại phong trào Yếu",
        "Subjects whose movement is classified Weak",
        "đơn vị",
        "danh_gia",
        Aggregation::Latest,
    ),
];

/// Counts that belong to their year (the sites where the year's Ngày hội
/// was held): a stage of several years says them year by year or as a
/// range, never as one sum across the years.
pub const COUNTED_PER_YEAR: &[&str] = &["ngay_hoi"];

/// Is this key (an indicator or one of its options) counted per year?
pub fn counted_per_year(key: &str) -> bool {
    let code = key.split('.').next().unwrap_or(key);
    COUNTED_PER_YEAR.contains(&code)
}

/// Indicators computed from a register only, never typed on a form (the
/// distinct count of model types, the recognition and classification
/// figures; ratios are never typed either).
pub const REGISTER_ONLY: &[&str] = &[
    "mh_loai_so",
    "atan_dang_ky",
    "atan_cong_nhan",
    "atan_du_dieu_kien",
    "atan_ty_le",
    "pl_xuat_sac",
    "pl_kha",
    "pl_trung_binh",
    "pl_yeu",
];

/// The weapons counted by unit of measure (added by migration 12 to a
/// catalogue seeded before them), in the order forms show them.
pub const WEAPONS_BY_UNIT: &[&str] = &["vk_sung", "vk_dan", "vk_vln", "vk_cctht"];

/// Is this indicator computed from a register only (never on a form)?
pub fn register_only(code: &str) -> bool {
    REGISTER_ONLY.contains(&code)
}

pub fn seed(code: &str) -> Option<&'static IndicatorSeed> {
    INDICATORS.iter().find(|i| i.code == code)
}
