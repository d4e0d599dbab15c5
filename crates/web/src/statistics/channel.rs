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
    Some(match (lang, reported < channel) {
        (Lang::Vi, false) => format!("{label}, {when}: trong đó {n} tin nhận qua kênh tin báo của antq"),
        (Lang::Vi, true) => format!(
            "{label}, {when}: số báo cáo ít hơn {n} tin đã nhận qua kênh tin báo của antq; xin kiểm tra lại báo cáo"
        ),
        (Lang::En, false) => format!("{label}, {when}: of which {n} received through antq's tip channel"),
        (Lang::En, true) => format!(
            "{label}, {when}: the report counts fewer than the {n} tips received through antq's tip channel; please check it"
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
            "Nguồn tin, năm 2026: trong đó 1.041 tin nhận qua kênh tin báo của antq"
        );
        let short = note(Lang::Vi, "Nguồn tin", "năm 2026", &row(12.0, Some(30.0))).unwrap();
        assert!(short.contains("ít hơn 30 tin"), "{short}");
    }
}
