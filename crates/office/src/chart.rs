//! Bar charts as SVG: the same picture on every machine (text is drawn by the
//! viewer with a font stack that covers Vietnamese), numbers in the
//! Vietnamese format.

use antq_core::text::{format_decimal, format_int};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn label_number(x: f64) -> String {
    if x.fract() == 0.0 {
        format_int(x as i64)
    } else {
        format_decimal(x, 1)
    }
}

/// A vertical bar chart: one bar per label.
pub fn bars(title: &str, labels: &[String], values: &[f64], unit: &str) -> String {
    let n = labels.len().max(1);
    let (w, h) = ((80 + 64 * n).max(480) as f64, 320.0);
    let (left, right, top, bottom) = (64.0, 16.0, 40.0, 72.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let max = values.iter().cloned().fold(0.0_f64, f64::max).max(1.0);
    // Round ticks: a step of 1, 2 or 5 times a power of ten, about five of them.
    let rough = max / 5.0;
    let magnitude = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|v| *v >= rough)
        .unwrap_or(rough)
        .max(if max <= 5.0 { 1.0 } else { 0.0 });
    let ticks = (max / step).ceil().max(1.0) as usize;
    let nice = step * ticks as f64;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" \
         font-family=\"'DejaVu Sans', sans-serif\" font-size=\"12\" role=\"img\" aria-label=\"{}\">\
         <title>{}</title><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\
         <text x=\"{left}\" y=\"22\" font-size=\"14\" font-weight=\"bold\" fill=\"#1d232b\">{}</text>",
        esc(title),
        esc(title),
        esc(title)
    );
    for i in 0..=ticks {
        let v = step * i as f64;
        let y = top + plot_h - plot_h * i as f64 / ticks as f64;
        svg.push_str(&format!(
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#dde2e8\"/>\
             <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#5d6773\">{}</text>",
            w - right,
            left - 6.0,
            y + 4.0,
            label_number(v)
        ));
    }
    let slot = plot_w / n as f64;
    let bar = (slot * 0.6).min(48.0);
    for (i, (label, v)) in labels.iter().zip(values).enumerate() {
        let x = left + slot * i as f64 + (slot - bar) / 2.0;
        let bh = plot_h * v / nice;
        let y = top + plot_h - bh;
        svg.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar:.1}\" height=\"{bh:.1}\" fill=\"#b3171d\"><title>{}: {} {}</title></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#1d232b\">{}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" transform=\"rotate(-35 {:.1} {:.1})\" fill=\"#1d232b\">{}</text>",
            esc(label),
            label_number(*v),
            esc(unit),
            x + bar / 2.0,
            y - 4.0,
            label_number(*v),
            x + bar / 2.0,
            top + plot_h + 14.0,
            x + bar / 2.0,
            top + plot_h + 14.0,
            esc(label)
        ));
    }
    svg.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#5d6773\">{}</text></svg>",
        w - right,
        h - 6.0,
        esc(unit)
    ));
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_vietnamese_and_escaped() {
        let svg = bars(
            "Buổi tuyên truyền <năm>",
            &["2013".into(), "Xã Mường Phăng".into()],
            &[3120.0, 64.5],
            "buổi",
        );
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("3.120"));
        assert!(svg.contains("64,5"));
        assert!(svg.contains("Xã Mường Phăng"));
        assert!(svg.contains("&lt;năm&gt;"));
        assert_eq!(svg.matches("<rect x=").count(), 2);
        // Round ticks only.
        let few = bars("t", &["a".into()], &[3.0], "");
        for t in ["0", "1", "2", "3"] {
            assert!(few.contains(&format!(">{t}</text>")), "{t}");
        }
        assert!(!few.contains("0,75") && !few.contains("3,8"));
    }
}
