//! The tips received through antq's channel, said beside the reported
//! counts of information from citizens (`nguon_tin`, `nguon_tin_gia_tri`):
//! the reported figure stays the figure (it also counts what came by
//! telephone, by letter or in person); a report that counts fewer than the
//! channel received is pointed out.

use antq_storage::statistics::analytics::Row;

use crate::i18n::Lang;

/// The note under the table for one row, when the channel counted anything.
pub fn note(lang: Lang, label: &str, when: &str, row: &Row) -> Option<String> {
    let channel = row.channel_value?;
    let n = antq_core::text::format_int(channel as i64);
    let reported = row.value.unwrap_or(0.0);
    let r = antq_core::text::format_int(reported as i64);
    Some(match (lang, reported < channel) {
        (Lang::Vi, false) => format!(
            "{label}, {when}: báo cáo {r}; cùng kỳ, kênh tin báo của antq nhận {n} (chỉ để đối chiếu, số báo cáo gồm cả tin nhận qua điện thoại, thư, trực tiếp)"
        ),
        (Lang::Vi, true) => format!(
            "{label}, {when}: báo cáo {r}, ít hơn {n} tin đã nhận qua kênh tin báo của antq; xin kiểm tra lại báo cáo"
        ),
        (Lang::En, false) => format!(
            "{label}, {when}: reported {r}; in the same period antq's tip channel received {n} (for comparison: the report also counts other channels)"
        ),
        (Lang::En, true) => format!(
            "{label}, {when}: reported {r}, fewer than the {n} tips received through antq's tip channel; please check the report"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use antq_core::programmes::FigureSource;

    fn row(value: f64, channel: Option<f64>) -> Row {
        Row {
            indicator: "nguon_tin".into(),
            unit: "11".into(),
            unit_name: "Tỉnh Điện Biên".into(),
            period: "2026".into(),
            value: Some(value),
            qualifier: None,
            unapproved: 0.0,
            flags: Vec::new(),
            source: FigureSource::Form,
            form_value: None,
            register_value: None,
            channel_value: channel,
        }
    }

    #[test]
    fn the_channel_is_said_beside_the_report_and_a_shortfall_is_pointed_out() {
        assert_eq!(
            note(Lang::Vi, "Nguồn tin", "năm 2026", &row(1200.0, None)),
            None
        );
        assert_eq!(
            note(
                Lang::Vi,
                "Nguồn tin",
                "năm 2026",
                &row(1200.0, Some(1041.0))
            )
            .unwrap(),
            "Nguồn tin, năm 2026: báo cáo 1.200; cùng kỳ, kênh tin báo của antq nhận 1.041 (chỉ để đối chiếu, số báo cáo gồm cả tin nhận qua điện thoại, thư, trực tiếp)"
        );
        let short = note(Lang::Vi, "Nguồn tin", "năm 2026", &row(12.0, Some(30.0))).unwrap();
        assert!(short.contains("báo cáo 12, ít hơn 30 tin"), "{short}");
    }
}
