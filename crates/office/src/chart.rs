//! Bar charts as SVG, the same picture on every machine: drawn in the bundled
//! Liberation Serif (the metrics of Times New Roman, as the Word text), every
//! label measured with that font and wrapped so none is cut, numbers in the
//! Vietnamese format. The picture has no title: the caption under it says it.

mod text;

use antq_core::text::{format_decimal, format_int};

/// The picture's width in pixels. Word shows it about 14.5 cm wide, so
/// 13 px labels print at about 9.5 pt.
const W: f64 = 560.0;
/// Labels; values and ticks are a little smaller.
const FONT: f32 = 13.0;
const SMALL: f32 = 12.0;
/// The height of one line of a wrapped label.
const LINE: f64 = 15.0;
/// Columns (vertical bars) for at most this many labels, each fitting its
/// column on at most two lines; otherwise one row (horizontal bar) each.
const MOST_COLUMNS: usize = 12;
const FAMILY: &str = "'Liberation Serif', 'Times New Roman', serif";
const INK: &str = "#1d232b";
const GREY: &str = "#5d6773";
const RULE: &str = "#dde2e8";
const BAR: &str = "#b3171d";

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

/// Round ticks: a step of 1, 2 or 5 times a power of ten, about five of them.
struct Axis {
    step: f64,
    ticks: usize,
    /// The value at the end of the axis (a whole number of steps).
    end: f64,
}

impl Axis {
    fn new(max: f64) -> Axis {
        let max = max.max(1.0);
        let rough = max / 5.0;
        let magnitude = 10f64.powf(rough.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0]
            .iter()
            .map(|m| m * magnitude)
            .find(|v| *v >= rough)
            .unwrap_or(rough)
            .max(if max <= 5.0 { 1.0 } else { 0.0 });
        let ticks = (max / step).ceil().max(1.0) as usize;
        Axis {
            step,
            ticks,
            end: step * ticks as f64,
        }
    }

    fn labels(&self) -> Vec<String> {
        (0..=self.ticks)
            .map(|i| label_number(self.step * i as f64))
            .collect()
    }

    /// How far along the axis (0 to 1) a value lies; nothing below zero.
    fn share(&self, v: f64) -> f64 {
        (v.max(0.0) / self.end).min(1.0)
    }
}

fn widest(texts: &[String], size: f32) -> f64 {
    texts
        .iter()
        .map(|t| text::width(t, size))
        .fold(0.0_f32, f32::max) as f64
}

fn push_text(svg: &mut String, (x, y): (f64, f64), anchor: &str, size: f32, fill: &str, s: &str) {
    svg.push_str(&format!(
        "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\" font-size=\"{size}\" fill=\"{fill}\">{}</text>",
        esc(s)
    ));
}

fn push_bar(svg: &mut String, (x, y, w, h): (f64, f64, f64, f64), tip: String) {
    // A zero bar draws nothing (a rectangle of no size is no picture).
    if w > 0.0 && h > 0.0 {
        svg.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{BAR}\"><title>{}</title></rect>",
            esc(&tip)
        ));
    }
}

/// The picture's opening; `summary` names it for screen readers (every bar
/// and its number, so the chart says what it shows without the eyes).
fn open(h: f64, unit: &str, summary: &str) -> String {
    let h = h.ceil();
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {h}\" width=\"{W}\" height=\"{h}\" \
         font-family=\"{FAMILY}\" font-size=\"{FONT}\" role=\"img\"><title>{}</title>\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>",
        esc(summary)
    );
    if !unit.is_empty() {
        push_text(
            &mut svg,
            (8.0, 16.0),
            "start",
            SMALL,
            GREY,
            &format!("Đơn vị tính: {unit}"),
        );
    }
    svg
}

/// A bar chart, one bar per label: columns when the labels are few and
/// short, otherwise one row per label with the label wrapped beside it.
/// None when there is nothing to compare: fewer than two bars, or every
/// value zero.
pub fn bars(labels: &[String], values: &[f64], unit: &str) -> Option<String> {
    let n = labels.len().min(values.len());
    let (labels, values) = (&labels[..n], &values[..n]);
    if n < 2 || values.iter().all(|v| *v == 0.0) {
        return None;
    }
    let axis = Axis::new(values.iter().cloned().fold(0.0_f64, f64::max));
    let numbers: Vec<String> = values.iter().map(|v| label_number(*v)).collect();
    let chart = Chart {
        labels,
        values,
        numbers: &numbers,
        unit,
        axis,
    };
    Some(chart.columns().unwrap_or_else(|| chart.rows()))
}

struct Chart<'a> {
    labels: &'a [String],
    values: &'a [f64],
    numbers: &'a [String],
    unit: &'a str,
    axis: Axis,
}

impl Chart<'_> {
    /// "Biểu đồ cột: 2013: 2.357 buổi; 2014: 2.495 buổi; …".
    fn summary(&self) -> String {
        let bars: Vec<String> = (0..self.labels.len()).map(|i| self.tip(i)).collect();
        format!("Biểu đồ cột: {}", bars.join("; "))
    }

    fn tip(&self, i: usize) -> String {
        format!("{}: {} {}", self.labels[i], self.numbers[i], self.unit)
            .trim_end()
            .to_string()
    }

    /// Vertical bars, or None when a label or a value would not fit its column.
    fn columns(&self) -> Option<String> {
        let n = self.labels.len();
        if n > MOST_COLUMNS {
            return None;
        }
        let ticks = self.axis.labels();
        let left = 8.0 + widest(&ticks, SMALL) + 6.0;
        let slot = (W - left - 8.0) / n as f64;
        let room = (slot - 6.0) as f32;
        let fit = self.labels.iter().all(|l| text::fits(l, FONT, room, 2))
            && widest(self.numbers, SMALL) <= slot - 4.0;
        if !fit {
            return None;
        }
        let wrapped: Vec<Vec<String>> = self
            .labels
            .iter()
            .map(|l| text::wrap(l, FONT, room))
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1) as f64;
        let top = if self.unit.is_empty() { 24.0 } else { 40.0 };
        let plot_h = 220.0;
        let base = top + plot_h;
        let mut svg = open(base + 10.0 + lines * LINE + 4.0, self.unit, &self.summary());
        for (i, t) in ticks.iter().enumerate() {
            let y = base - plot_h * i as f64 / self.axis.ticks as f64;
            svg.push_str(&format!(
                "<line x1=\"{left:.1}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{RULE}\"/>",
                W - 8.0
            ));
            push_text(&mut svg, (left - 6.0, y + 4.0), "end", SMALL, GREY, t);
        }
        let bar = (slot * 0.6).min(48.0);
        for (i, lines) in wrapped.iter().enumerate() {
            let cx = left + slot * (i as f64 + 0.5);
            let bh = plot_h * self.axis.share(self.values[i]);
            push_bar(&mut svg, (cx - bar / 2.0, base - bh, bar, bh), self.tip(i));
            push_text(
                &mut svg,
                (cx, base - bh - 4.0),
                "middle",
                SMALL,
                INK,
                &self.numbers[i],
            );
            for (k, l) in lines.iter().enumerate() {
                let y = base + 10.0 + LINE * k as f64 + 11.0;
                push_text(&mut svg, (cx, y), "middle", FONT, INK, l);
            }
        }
        svg.push_str("</svg>");
        Some(svg)
    }

    /// Horizontal bars: the labels wrapped in a column on the left (at most
    /// two fifths of the width), the values at the ends of the bars.
    fn rows(&self) -> String {
        let column = widest(self.labels, FONT).min(W * 0.4);
        let wrapped: Vec<Vec<String>> = self
            .labels
            .iter()
            .map(|l| text::wrap(l, FONT, column as f32))
            .collect();
        let ticks = self.axis.labels();
        let last_tick = ticks.last().map(|t| text::width(t, SMALL)).unwrap_or(0.0) as f64;
        let left = 8.0 + column + 8.0;
        let right = 8.0 + (widest(self.numbers, SMALL) + 4.0).max(last_tick / 2.0);
        let plot_w = W - left - right;
        let top = if self.unit.is_empty() { 8.0 } else { 28.0 };
        let heights: Vec<f64> = wrapped
            .iter()
            .map(|l| (l.len() as f64 * LINE + 7.0).max(22.0))
            .collect();
        let body: f64 = heights.iter().sum();
        let mut svg = open(top + body + 24.0, self.unit, &self.summary());
        for (i, t) in ticks.iter().enumerate() {
            let x = left + plot_w * i as f64 / self.axis.ticks as f64;
            svg.push_str(&format!(
                "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{top:.1}\" y2=\"{:.1}\" stroke=\"{RULE}\"/>",
                top + body
            ));
            push_text(&mut svg, (x, top + body + 16.0), "middle", SMALL, GREY, t);
        }
        let mut y = top;
        for (i, lines) in wrapped.iter().enumerate() {
            let mid = y + heights[i] / 2.0;
            let bw = plot_w * self.axis.share(self.values[i]);
            push_bar(&mut svg, (left, mid - 7.0, bw, 14.0), self.tip(i));
            push_text(
                &mut svg,
                (left + bw + 4.0, mid + 4.0),
                "start",
                SMALL,
                INK,
                &self.numbers[i],
            );
            let first = mid - (lines.len() as f64 - 1.0) * LINE / 2.0 + 4.5;
            for (k, l) in lines.iter().enumerate() {
                let at = (left - 8.0, first + LINE * k as f64);
                push_text(&mut svg, at, "end", FONT, INK, l);
            }
            y += heights[i];
        }
        svg.push_str("</svg>");
        svg
    }
}

#[cfg(test)]
mod tests;
