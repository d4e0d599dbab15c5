use super::*;

/// One `<text>` of a chart: where it starts and ends across the picture,
/// its baseline, size and words.
struct Placed {
    from: f64,
    to: f64,
    y: f64,
    size: f64,
    words: String,
}

fn attr(tag: &str, name: &str) -> String {
    let at = tag.find(&format!(" {name}=\"")).expect(name) + name.len() + 3;
    tag[at..at + tag[at..].find('"').unwrap()].to_string()
}

fn texts(svg: &str) -> Vec<Placed> {
    svg.split("<text ")
        .skip(1)
        .map(|t| {
            let (tag, rest) = t.split_once('>').unwrap();
            let tag = &format!(" {tag}");
            let words = rest[..rest.find("</text>").unwrap()]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&");
            let (x, size): (f64, f64) = (
                attr(tag, "x").parse().unwrap(),
                attr(tag, "font-size").parse().unwrap(),
            );
            let w = text::width(&words, size as f32) as f64;
            let from = match attr(tag, "text-anchor").as_str() {
                "end" => x - w,
                "middle" => x - w / 2.0,
                _ => x,
            };
            Placed {
                from,
                to: from + w,
                y: attr(tag, "y").parse().unwrap(),
                size,
                words,
            }
        })
        .collect()
}

/// Every text lies inside the picture and no two texts overlap.
fn assert_laid_out(svg: &str) {
    let width: f64 = attr(svg, "width").parse().unwrap();
    let height: f64 = attr(svg, "height").parse().unwrap();
    let all = texts(svg);
    for t in &all {
        assert!(
            t.from >= 0.0 && t.to <= width,
            "{} runs out: {}..{}",
            t.words,
            t.from,
            t.to
        );
        assert!(
            t.y - t.size >= 0.0 && t.y + t.size * 0.3 <= height,
            "{} below",
            t.words
        );
    }
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            let across = a.from < b.to && b.from < a.to;
            let down = (a.y - b.y).abs() < a.size.max(b.size);
            assert!(!(across && down), "{:?} overlaps {:?}", a.words, b.words);
        }
    }
}

/// A label's lines, put back together.
fn shown(svg: &str, label: &str) -> bool {
    let words: Vec<String> = texts(svg).into_iter().map(|t| t.words).collect();
    let first = label.split_whitespace().next().unwrap();
    words.iter().enumerate().any(|(i, w)| {
        w.starts_with(first) && {
            let mut joined = String::new();
            for next in &words[i..] {
                if !joined.is_empty() {
                    joined.push(' ');
                }
                joined.push_str(next);
                if joined == label {
                    return true;
                }
            }
            false
        }
    })
}

fn units(n: usize) -> Vec<String> {
    let names = [
        "Phòng Cảnh sát quản lý hành chính về trật tự xã hội",
        "Thành phố Điện Biên Phủ",
        "Thị xã Mường Lay",
        "Huyện Điện Biên Đông",
        "Xã Mường Phăng",
        "Cấp tỉnh (trực tiếp)",
    ];
    (0..n)
        .map(|i| format!("{} {}", names[i % names.len()], i + 1))
        .collect()
}

#[test]
fn labels_are_vietnamese_and_escaped() {
    let svg = bars(
        &["2013".into(), "Xã Mường Phăng <A & B>".into()],
        &[3120.0, 64.5],
        "buổi",
    )
    .unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("Liberation Serif"));
    assert!(svg.contains(">3.120<") && svg.contains(">64,5<"));
    assert!(svg.contains("Đơn vị tính: buổi"));
    assert!(svg.contains("&lt;A &amp; B&gt;"));
    assert!(shown(&svg, "Xã Mường Phăng <A & B>"));
    assert_eq!(svg.matches("<rect x=").count(), 2);
    assert_laid_out(&svg);
    // Round ticks only.
    let few = bars(&["a".into(), "b".into()], &[3.0, 1.0], "").unwrap();
    for t in ["0", "1", "2", "3"] {
        assert!(few.contains(&format!(">{t}</text>")), "{t}");
    }
    assert!(!few.contains("0,75") && !few.contains("3,8"));
    assert!(!few.contains("Đơn vị tính"));
}

#[test]
fn nothing_to_compare_gives_no_chart() {
    let two = ["a".to_string(), "b".to_string()];
    assert!(bars(&two, &[0.0, 0.0], "buổi").is_none());
    assert!(bars(&two[..1], &[5.0], "buổi").is_none());
    assert!(bars(&[], &[], "buổi").is_none());
    assert!(bars(&two, &[0.0, 2.0], "buổi").is_some());
}

#[test]
fn a_zero_bar_draws_nothing() {
    let labels: Vec<String> = ["2021", "2022", "2023"].map(String::from).to_vec();
    let svg = bars(&labels, &[0.0, 5.0, 2.0], "vụ").unwrap();
    assert_eq!(svg.matches("<rect x=").count(), 2, "{svg}");
    assert!(!svg.contains("height=\"0.0\"") && !svg.contains("width=\"0.0\""));
    // Its value still reads 0.
    assert!(svg.contains(">0</text>"));
}

#[test]
fn years_stand_as_columns_under_one_baseline() {
    let years: Vec<String> = (2013..=2023).map(|y| y.to_string()).collect();
    let values: Vec<f64> = (0..11).map(|i| 1000.0 + 250.0 * i as f64).collect();
    let svg = bars(&years, &values, "buổi").unwrap();
    let placed = texts(&svg);
    let baselines: Vec<f64> = placed
        .iter()
        .filter(|t| years.contains(&t.words))
        .map(|t| t.y)
        .collect();
    assert_eq!(baselines.len(), 11);
    assert!(
        baselines.iter().all(|y| *y == baselines[0]),
        "{baselines:?}"
    );
    assert!(svg.contains(">3.500<"));
    assert_laid_out(&svg);
}

#[test]
fn long_or_many_unit_names_are_wrapped_whole_inside_the_picture() {
    for n in [3, 8, 15, 35] {
        let labels = units(n);
        let values: Vec<f64> = (0..n).map(|i| (i * 37 % 11) as f64 * 1234.5).collect();
        let svg = bars(&labels, &values, "lượt người").unwrap();
        assert_laid_out(&svg);
        for l in &labels {
            assert!(shown(&svg, l), "{n} units: {l} is not shown whole");
        }
        // The longest name takes more than one line, never the whole width.
        let lines = texts(&svg)
            .into_iter()
            .filter(|t| "Phòng Cảnh sát quản lý hành chính về trật tự xã hội 1".contains(&t.words))
            .count();
        assert!(lines >= 2, "{n}: {lines}");
    }
    // Even a word wider than the label column is kept whole, across lines.
    let long = vec!["Xã".to_string(), "A".repeat(120)];
    let svg = bars(&long, &[1.0, 2.0], "").unwrap();
    assert_laid_out(&svg);
    assert_eq!(
        texts(&svg)
            .iter()
            .filter(|t| t.words.starts_with('A'))
            .map(|t| t.words.len())
            .sum::<usize>(),
        120
    );
}

#[test]
fn a_chart_names_every_bar_for_screen_readers() {
    let labels = vec!["2013".to_string(), "2014".to_string()];
    let svg = bars(&labels, &[2_357.0, 2_495.0], "buổi").unwrap();
    let start = svg.find("<title>").unwrap();
    assert!(
        start < svg.find("<rect").unwrap(),
        "the svg's own title comes first"
    );
    assert!(svg.contains("<title>Biểu đồ cột: 2013: 2.357 buổi; 2014: 2.495 buổi</title>"));
}
