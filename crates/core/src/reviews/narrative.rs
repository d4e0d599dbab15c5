//! The Vietnamese narrative written from the figures, leaving out what is
//! zero or missing.

use crate::indicators::Qualifier;
use crate::text::{format_decimal, format_int};

use super::*;

/// A number as the narrative writes it: exact below a million ("32.146",
/// "hơn 32.146"), in millions with one decimal above ("3,1 triệu"), saying
/// "hơn"/"gần" when the rounding hides part of the exact figure.
pub fn narrative_number(f: &Figure) -> String {
    let q = f.qualifier.unwrap_or(Qualifier::Exact);
    let word = |q: Qualifier| match q {
        Qualifier::Exact => "",
        other => other.word_vi(),
    };
    if f.value.abs() >= 1_000_000.0 {
        // "hơn" rounds down and "gần" up, so the words stay true.
        let x = f.value / 100_000.0;
        let tenths = match q {
            Qualifier::MoreThan => x.floor(),
            Qualifier::Nearly => x.ceil(),
            _ => x.round(),
        } / 10.0;
        let rounded = tenths * 1_000_000.0;
        let text = if tenths.fract() == 0.0 {
            format!("{} triệu", format_int(tenths as i64))
        } else {
            format!("{} triệu", format_decimal(tenths, 1))
        };
        let q = if q != Qualifier::Exact {
            q
        } else if rounded < f.value {
            Qualifier::MoreThan
        } else if rounded > f.value {
            Qualifier::Nearly
        } else {
            Qualifier::Exact
        };
        let w = word(q);
        return if w.is_empty() {
            text
        } else {
            format!("{w} {text}")
        };
    }
    let text = if f.value.fract() == 0.0 {
        format_int(f.value as i64)
    } else {
        format_decimal(f.value, 1)
    };
    let w = word(q);
    if w.is_empty() {
        text
    } else {
        format!("{w} {text}")
    }
}

/// The words for the whole of a unit: "toàn tỉnh", "toàn thành phố", "toàn xã", "toàn quốc".
pub fn scope_words(unit_kind_vi: &str, is_nation: bool) -> String {
    if is_nation {
        return "toàn quốc".into();
    }
    format!("toàn {}", unit_kind_vi.to_lowercase())
}

fn present<'a>(figs: &'a Figures, key: &str) -> Option<&'a Figure> {
    figs.get(key).filter(|f| f.value != 0.0)
}

/// Join clauses the Vietnamese way: "a; b; c".
fn join(clauses: Vec<String>) -> Option<String> {
    if clauses.is_empty() {
        None
    } else {
        Some(clauses.join("; "))
    }
}

/// "{count} {noun}" with the narrative number.
fn n(figs: &Figures, key: &str) -> Option<String> {
    present(figs, key).map(narrative_number)
}

fn group_clauses(group: &str, figs: &Figures) -> Option<String> {
    let mut c = Vec::new();
    match group {
        "tuyen_truyen" => {
            if let Some(b) = n(figs, "tt_buoi") {
                let mut s = format!("tổ chức tuyên truyền, phát động phong trào được {b} buổi");
                if let Some(l) = n(figs, "tt_luot") {
                    s.push_str(&format!(", với {l} lượt người tham dự"));
                }
                c.push(s);
            } else if let Some(l) = n(figs, "tt_luot") {
                c.push(format!(
                    "thu hút {l} lượt người tham dự các buổi tuyên truyền"
                ));
            }
            if let Some(d) = n(figs, "dd_so") {
                let mut s = format!("tổ chức {d} diễn đàn phòng, chống tội phạm, tệ nạn xã hội");
                if let Some(l) = n(figs, "dd_luot") {
                    s.push_str(&format!(" với {l} lượt người tham dự"));
                }
                c.push(s);
            }
            if let Some(h) = n(figs, "ngay_hoi") {
                c.push(format!(
                    "tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc tại {h} điểm"
                ));
            }
        }
        "mo_hinh" => {
            match (n(figs, "mh_moi"), n(figs, "mh_nhan_rong")) {
                (Some(a), Some(b)) => c.push(format!(
                    "xây dựng mới {a} mô hình, nhân rộng {b} mô hình về phòng, chống tội phạm"
                )),
                (Some(a), None) => {
                    c.push(format!("xây dựng mới {a} mô hình về phòng, chống tội phạm"))
                }
                (None, Some(b)) => {
                    c.push(format!("nhân rộng {b} mô hình về phòng, chống tội phạm"))
                }
                (None, None) => {}
            }
            // "… với 44 loại mô hình": the distinct types, said once.
            let types = n(figs, "mh_loai_so");
            let tcqc = n(figs, "tcqc_so");
            if let Some(h) = n(figs, "mh_hien_co") {
                match (&types, &tcqc) {
                    (Some(k), None) => c.push(format!(
                        "hiện có {h} mô hình đang hoạt động thuộc {k} loại mô hình"
                    )),
                    _ => c.push(format!("hiện có {h} mô hình đang hoạt động")),
                }
            }
            if let Some(t) = tcqc {
                let with = types
                    .map(|k| format!(" với {k} loại mô hình"))
                    .unwrap_or_default();
                c.push(format!(
                    "củng cố, duy trì hiệu quả {t} tổ chức quần chúng bảo vệ an ninh, trật tự cơ sở{with}"
                ));
            }
        }
        "nguon_tin" => {
            if let Some(y) = n(figs, "yk_dong_gop") {
                c.push(format!(
                    "Nhân dân đã tham gia {y} ý kiến đóng góp xây dựng lực lượng Công an"
                ));
            }
            match (n(figs, "nguon_tin"), n(figs, "nguon_tin_gia_tri")) {
                (Some(a), Some(b)) => c.push(format!(
                    "cung cấp cho cơ quan chức năng {a} nguồn tin, trong đó {b} nguồn tin có giá trị phục vụ công tác đấu tranh phòng, chống tội phạm"
                )),
                (Some(a), None) => c.push(format!("cung cấp cho cơ quan chức năng {a} nguồn tin")),
                (None, Some(b)) => c.push(format!(
                    "cung cấp cho cơ quan chức năng {b} nguồn tin có giá trị phục vụ công tác đấu tranh phòng, chống tội phạm"
                )),
                (None, None) => {}
            }
        }
        "giao_duc" => {
            if let Some(a) = n(figs, "gd_doi_tuong") {
                let mut s = format!(
                    "cảm hóa, giáo dục, cải tạo tại gia đình và cộng đồng dân cư được {a} người lầm lỗi"
                );
                if let Some(b) = n(figs, "gd_tien_bo") {
                    s.push_str(&format!(", trong đó {b} người tiến bộ"));
                    if let Some(r) = present(figs, "gd_ty_le") {
                        s.push_str(&format!(
                            " (đạt {})",
                            crate::text::format_percent(r.value / 100.0, 1)
                        ));
                    }
                }
                c.push(s);
            }
        }
        "vu_khi" => {
            if let Some(v) = n(figs, "vk_giao_nop") {
                c.push(format!(
                    "vận động Nhân dân giao nộp {v} vũ khí, vật liệu nổ, công cụ hỗ trợ"
                ));
            }
        }
        "khen_thuong" => {
            for (code, name) in [("kt_bang_khen", "Bằng khen"), ("kt_giay_khen", "Giấy khen")] {
                let parts: Vec<String> = [("tap_the", "tập thể"), ("ca_nhan", "cá nhân")]
                    .iter()
                    .filter_map(|(o, w)| {
                        n(figs, &format!("{code}.{o}")).map(|v| format!("{v} {w}"))
                    })
                    .collect();
                if !parts.is_empty() {
                    c.push(format!("tặng {name} cho {}", parts.join(" và ")));
                } else if let Some(t) = n(figs, code) {
                    c.push(format!("tặng {t} {name}"));
                }
            }
        }
        _ => {}
    }
    join(c)
}

/// The narrative of each group with figures, in catalogue order, as
/// (group code, heading, paragraph); groups without any non-zero figure are
/// left out.
pub fn narrative_for(
    groups: &[(&str, &str)],
    figs: &Figures,
    stage: &Stage,
    scope: &str,
) -> Vec<(String, String, String)> {
    narrative_with_awards(groups, figs, stage, scope, &Awards::default())
}

/// The narrative as [`narrative_for`] writes it, with the awards paragraph
/// read from the register where the review keeps it: "Qua 10 năm, các tập
/// thể, cá nhân trong tỉnh đã được khen thưởng: Chủ tịch UBND tỉnh tặng
/// Bằng khen cho 2 tập thể, 5 cá nhân; … Nhân dịp này, …". Without the
/// register the form figures are said as before.
pub fn narrative_with_awards(
    groups: &[(&str, &str)],
    figs: &Figures,
    stage: &Stage,
    scope: &str,
    awards: &Awards,
) -> Vec<(String, String, String)> {
    let open = stage.opening(scope);
    // "Qua 10 năm", "Năm 2023": the opening without its subject.
    let lead = open
        .trim_end_matches(" đã")
        .replacen(&format!(", {scope}"), "", 1);
    let register = awards_paragraph(&lead, scope, awards);
    groups
        .iter()
        .filter_map(|(code, heading)| {
            if *code == "khen_thuong" {
                if let Some(text) = &register {
                    return Some((code.to_string(), heading.to_string(), text.clone()));
                }
            }
            if *code == "danh_gia" {
                let text = assessment_paragraph(figs, stage, scope)?;
                return Some((code.to_string(), heading.to_string(), text));
            }
            let body = group_clauses(code, figs)?;
            // A clause led by "Nhân dân" is its own subject: "Qua 10 năm, Nhân dân trong tỉnh đã …".
            let text = match body.strip_prefix("Nhân dân đã ") {
                Some(rest) => format!("{lead}, Nhân dân {}đã {rest}.", scope_in(scope)),
                None => format!("{open} {body}."),
            };
            Some((code.to_string(), heading.to_string(), text))
        })
        .collect()
}

/// The year's assessments (figures of one year, never added over years):
/// "Năm 2024, toàn tỉnh có 98 đơn vị được công nhận đạt tiêu chuẩn “An toàn
/// về an ninh, trật tự” trên 120 đơn vị đủ điều kiện (đạt 81,7%); kết quả
/// phân loại phong trào: 10 đơn vị xuất sắc, …". Over a stage of several
/// years, the figures are those of its latest assessment and said so.
fn assessment_paragraph(figs: &Figures, stage: &Stage, scope: &str) -> Option<String> {
    let mut c = Vec::new();
    if let Some(a) = n(figs, "atan_cong_nhan") {
        let mut s =
            format!("có {a} đơn vị được công nhận đạt tiêu chuẩn “An toàn về an ninh, trật tự”");
        if let Some(e) = n(figs, "atan_du_dieu_kien") {
            s.push_str(&format!(" trên {e} đơn vị đủ điều kiện"));
            if let Some(r) = present(figs, "atan_ty_le") {
                s.push_str(&format!(
                    " (đạt {})",
                    crate::text::format_percent(r.value / 100.0, 1)
                ));
            }
        }
        c.push(s);
    } else if let Some(d) = n(figs, "atan_dang_ky") {
        c.push(format!(
            "có {d} đơn vị đăng ký xây dựng đạt tiêu chuẩn “An toàn về an ninh, trật tự”"
        ));
    }
    let bands: Vec<String> = [
        ("pl_xuat_sac", "xuất sắc"),
        ("pl_kha", "khá"),
        ("pl_trung_binh", "trung bình"),
        ("pl_yeu", "yếu"),
    ]
    .iter()
    .filter_map(|(code, word)| n(figs, code).map(|v| format!("{v} đơn vị {word}")))
    .collect();
    if !bands.is_empty() {
        c.push(format!(
            "kết quả phân loại phong trào: {}",
            bands.join(", ")
        ));
    }
    let body = join(c)?;
    let when = if stage.half.is_none() && stage.from == stage.to {
        format!("Năm {}", stage.from)
    } else {
        "Theo kết quả đánh giá gần nhất trong giai đoạn".to_string()
    };
    Some(format!("{when}, {scope} {body}."))
}

/// The awards paragraph from the register, or none when it holds nothing.
fn awards_paragraph(lead: &str, scope: &str, awards: &Awards) -> Option<String> {
    let stage = lines_sentence(&awards.stage);
    let at_conference = awards
        .conference
        .as_ref()
        .map(|c| lines_sentence(&c.lines))
        .unwrap_or_default();
    let mut parts = Vec::new();
    // The stage's awards are all the conference's own: said once, as given there.
    let only_at_conference = awards
        .conference
        .as_ref()
        .is_some_and(|c| same_lines(&c.lines, &awards.stage));
    if !stage.is_empty() && !only_at_conference {
        parts.push(format!(
            "{lead}, các tập thể, cá nhân {}đã được khen thưởng: {stage}.",
            scope_in(scope)
        ));
    }
    if !at_conference.is_empty() {
        parts.push(format!("Nhân dịp này, {at_conference}."));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The same counts by issuer, form and recipient kind, in any order.
fn same_lines(a: &[AwardLine], b: &[AwardLine]) -> bool {
    let key = |l: &AwardLine| {
        (
            l.issuer.clone(),
            l.form.clone(),
            l.recipient_kind.clone(),
            l.count,
        )
    };
    let mut a: Vec<_> = a.iter().filter(|l| l.count > 0).map(key).collect();
    let mut b: Vec<_> = b.iter().filter(|l| l.count > 0).map(key).collect();
    a.sort();
    b.sort();
    a == b
}

fn scope_in(scope: &str) -> String {
    match scope.strip_prefix("toàn ") {
        Some("quốc") => "cả nước ".into(),
        Some(kind) => format!("trong {kind} "),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(issuer: &str, form: &str, kind: &str, count: i64) -> AwardLine {
        AwardLine {
            issuer: issuer.into(),
            form: form.into(),
            recipient_kind: kind.into(),
            count,
        }
    }

    #[test]
    fn the_assessments_are_said_for_one_year() {
        let fig = |v: f64| Figure {
            value: v,
            qualifier: None,
            unapproved: 0.0,
            split: false,
            source: FigureSource::Register,
        };
        let mut figs = Figures::new();
        for (k, v) in [
            ("atan_cong_nhan", 98.0),
            ("atan_du_dieu_kien", 120.0),
            ("atan_ty_le", 81.7),
            ("pl_xuat_sac", 10.0),
            ("pl_kha", 60.0),
            ("pl_yeu", 2.0),
        ] {
            figs.insert(k.to_string(), fig(v));
        }
        let groups = [("danh_gia", "Công nhận, phân loại")];
        let year = narrative_for(&groups, &figs, &Stage::years(2024, 2024), "toàn tỉnh");
        assert_eq!(
            year[0].2,
            "Năm 2024, toàn tỉnh có 98 đơn vị được công nhận đạt tiêu chuẩn “An toàn về an ninh, trật tự” trên 120 đơn vị đủ điều kiện (đạt 81,7%); kết quả phân loại phong trào: 10 đơn vị xuất sắc, 60 đơn vị khá, 2 đơn vị yếu."
        );
        let stage = narrative_for(&groups, &figs, &Stage::years(2013, 2023), "toàn tỉnh");
        assert!(
            stage[0].2.starts_with(
                "Theo kết quả đánh giá gần nhất trong giai đoạn, toàn tỉnh có 98 đơn vị"
            ),
            "never 'Qua 10 năm' for figures of one year: {}",
            stage[0].2
        );
        assert!(narrative_for(
            &groups,
            &Figures::new(),
            &Stage::years(2024, 2024),
            "toàn tỉnh"
        )
        .is_empty());
    }

    #[test]
    fn the_awards_paragraph_reads_like_the_article() {
        let article = vec![
            line("Chủ tịch UBND tỉnh", "Bằng khen", "tap_the", 2),
            line("Chủ tịch UBND tỉnh", "Bằng khen", "ca_nhan", 5),
            line("Ủy ban MTTQ Việt Nam tỉnh", "Bằng khen", "tap_the", 2),
            line("Ủy ban MTTQ Việt Nam tỉnh", "Bằng khen", "ca_nhan", 10),
            line("Giám đốc Công an tỉnh", "Giấy khen", "tap_the", 15),
            line("Giám đốc Công an tỉnh", "Giấy khen", "ca_nhan", 22),
        ];
        // Over the stage, the register also holds a Bằng khen given in 2018.
        let mut stage = article.clone();
        stage[0].count = 3;
        let at_conference = |lines: Vec<AwardLine>| {
            Some(ConferenceAwards {
                id: 1,
                title: "Hội nghị tổng kết".into(),
                held_on: "2023-05-19".into(),
                lines,
            })
        };
        let awards = Awards {
            stage,
            conference: at_conference(article.clone()),
        };
        let mut figs = Figures::new();
        // The form's figure is not said when the register speaks.
        figs.insert(
            "kt_bang_khen.tap_the".into(),
            Figure {
                value: 9.0,
                qualifier: None,
                unapproved: 0.0,
                split: false,
                source: FigureSource::Form,
            },
        );
        let out = narrative_with_awards(
            &[("khen_thuong", "Khen thưởng")],
            &figs,
            &Stage::years(2013, 2023),
            "toàn tỉnh",
            &awards,
        );
        assert_eq!(
            out[0].2,
            "Qua 10 năm, các tập thể, cá nhân trong tỉnh đã được khen thưởng: \
             Chủ tịch UBND tỉnh tặng Bằng khen cho 3 tập thể, 5 cá nhân; \
             Ủy ban MTTQ Việt Nam tỉnh tặng Bằng khen cho 2 tập thể, 10 cá nhân; \
             Giám đốc Công an tỉnh tặng Giấy khen cho 15 tập thể, 22 cá nhân. \
             Nhân dịp này, Chủ tịch UBND tỉnh tặng Bằng khen cho 2 tập thể, 5 cá nhân; \
             Ủy ban MTTQ Việt Nam tỉnh tặng Bằng khen cho 2 tập thể, 10 cá nhân; \
             Giám đốc Công an tỉnh tặng Giấy khen cho 15 tập thể, 22 cá nhân."
        );
        // When every award of the stage was given at the conference, it is said once.
        let only_there = Awards {
            stage: article.iter().rev().cloned().collect(),
            conference: at_conference(article.clone()),
        };
        let out = narrative_with_awards(
            &[("khen_thuong", "Khen thưởng")],
            &figs,
            &Stage::years(2013, 2023),
            "toàn tỉnh",
            &only_there,
        );
        assert_eq!(
            out[0].2,
            "Nhân dịp này, Chủ tịch UBND tỉnh tặng Bằng khen cho 2 tập thể, 5 cá nhân; \
             Ủy ban MTTQ Việt Nam tỉnh tặng Bằng khen cho 2 tập thể, 10 cá nhân; \
             Giám đốc Công an tỉnh tặng Giấy khen cho 15 tập thể, 22 cá nhân."
        );
        // Without the register, the form figures are said as before.
        let form_only = narrative_for(
            &[("khen_thuong", "Khen thưởng")],
            &figs,
            &Stage::years(2023, 2023),
            "toàn tỉnh",
        );
        assert_eq!(
            form_only[0].2,
            "Năm 2023, toàn tỉnh đã tặng Bằng khen cho 9 tập thể."
        );
    }
}
