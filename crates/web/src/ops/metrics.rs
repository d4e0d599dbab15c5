//! What the server counts for `/metrics`: requests by route and status,
//! their latencies, and the events an operator watches (saves,
//! submissions, approvals, imports, throttled logins). Kept in memory per
//! process (Prometheus adds up the nodes); written out in Prometheus's text
//! format by hand, which needs no crate.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
pub const BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// An event worth counting on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Event {
    /// Values saved into a report (page or API).
    Save,
    Submission,
    Approval,
    /// A file imported (CSV, Excel, DHIS2 JSON), successfully.
    Import,
    /// A login refused by the throttle before its password was checked.
    ThrottledLogin,
}

impl Event {
    const ALL: [Event; 5] = [
        Event::Save,
        Event::Submission,
        Event::Approval,
        Event::Import,
        Event::ThrottledLogin,
    ];

    fn name(self) -> &'static str {
        match self {
            Event::Save => "antq_saves_total",
            Event::Submission => "antq_submissions_total",
            Event::Approval => "antq_approvals_total",
            Event::Import => "antq_imports_total",
            Event::ThrottledLogin => "antq_throttled_logins_total",
        }
    }

    fn help(self) -> &'static str {
        match self {
            Event::Save => "Reports saved (values written), on pages and through the API.",
            Event::Submission => "Reports submitted for approval.",
            Event::Approval => "Reports approved.",
            Event::Import => "Files imported successfully.",
            Event::ThrottledLogin => "Logins refused by the throttle.",
        }
    }
}

/// Requests of one method and route: counts by status, one latency histogram.
#[derive(Debug, Default)]
struct RouteStats {
    by_status: BTreeMap<u16, u64>,
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum_seconds: f64,
}

/// The process's counters. Routes are axum's templates (`/so-lieu/{form}/…`),
/// so their number is bounded by the router, never by what clients send.
#[derive(Debug, Default)]
pub struct Metrics {
    routes: Mutex<BTreeMap<(String, String), RouteStats>>,
    /// By `Event as usize` (the variants in `Event::ALL`'s order).
    events: [AtomicU64; Event::ALL.len()],
}

impl Metrics {
    /// Count one answered request.
    pub fn request(&self, method: &str, route: &str, status: u16, took: Duration) {
        let seconds = took.as_secs_f64();
        let mut routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        let s = routes
            .entry((method.to_string(), route.to_string()))
            .or_default();
        *s.by_status.entry(status).or_insert(0) += 1;
        for (i, le) in BUCKETS.iter().enumerate() {
            if seconds <= *le {
                s.buckets[i] += 1;
            }
        }
        s.count += 1;
        s.sum_seconds += seconds;
    }

    pub fn count(&self, event: Event) {
        self.events[event as usize].fetch_add(1, Ordering::Relaxed);
    }

    pub fn events(&self, event: Event) -> u64 {
        self.events[event as usize].load(Ordering::Relaxed)
    }

    /// The counters in Prometheus's text exposition format (0.0.4), with
    /// the gauges the caller read (`name`, help, value).
    pub fn render(&self, gauges: &[(&str, &str, f64)]) -> String {
        let mut out = String::new();
        let routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        out.push_str("# HELP antq_http_requests_total HTTP requests answered, by method, route and status.\n");
        out.push_str("# TYPE antq_http_requests_total counter\n");
        for ((method, route), s) in routes.iter() {
            for (status, n) in &s.by_status {
                let _ = writeln!(
                    out,
                    "antq_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {n}",
                    escape(method),
                    escape(route)
                );
            }
        }
        out.push_str(
            "# HELP antq_http_request_duration_seconds Time to answer, by method and route.\n",
        );
        out.push_str("# TYPE antq_http_request_duration_seconds histogram\n");
        for ((method, route), s) in routes.iter() {
            let labels = format!("method=\"{}\",route=\"{}\"", escape(method), escape(route));
            for (i, le) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "antq_http_request_duration_seconds_bucket{{{labels},le=\"{le}\"}} {}",
                    s.buckets[i]
                );
            }
            let _ = writeln!(
                out,
                "antq_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                s.count
            );
            let _ = writeln!(
                out,
                "antq_http_request_duration_seconds_sum{{{labels}}} {}",
                s.sum_seconds
            );
            let _ = writeln!(
                out,
                "antq_http_request_duration_seconds_count{{{labels}}} {}",
                s.count
            );
        }
        drop(routes);
        for e in Event::ALL {
            let _ = writeln!(out, "# HELP {} {}", e.name(), e.help());
            let _ = writeln!(out, "# TYPE {} counter", e.name());
            let _ = writeln!(out, "{} {}", e.name(), self.events(e));
        }
        for (name, help, value) in gauges {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} gauge");
            let _ = writeln!(out, "{name} {value}");
        }
        out
    }
}

/// A label value as the text format wants it.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The process's resident memory in bytes (Linux; None elsewhere).
pub fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_counted_by_route_status_and_bucket() {
        let m = Metrics::default();
        m.request("GET", "/so-lieu", 200, Duration::from_millis(3));
        m.request("GET", "/so-lieu", 200, Duration::from_millis(70));
        m.request("GET", "/so-lieu", 404, Duration::from_secs(40));
        let text = m.render(&[("antq_up", "Up.", 1.0)]);
        assert!(text.contains(
            "antq_http_requests_total{method=\"GET\",route=\"/so-lieu\",status=\"200\"} 2\n"
        ));
        assert!(text.contains(
            "antq_http_requests_total{method=\"GET\",route=\"/so-lieu\",status=\"404\"} 1\n"
        ));
        // 3 ms falls in every bucket, 70 ms from 0.1 up, 40 s in none but +Inf.
        assert!(text.contains("route=\"/so-lieu\",le=\"0.005\"} 1\n"));
        assert!(text.contains("route=\"/so-lieu\",le=\"0.1\"} 2\n"));
        assert!(text.contains("route=\"/so-lieu\",le=\"30\"} 2\n"));
        assert!(text.contains("route=\"/so-lieu\",le=\"+Inf\"} 3\n"));
        assert!(text.contains("\nantq_up 1\n"));
    }

    #[test]
    fn events_are_counted_apart() {
        let m = Metrics::default();
        m.count(Event::Save);
        m.count(Event::Save);
        m.count(Event::ThrottledLogin);
        assert_eq!(m.events(Event::Save), 2);
        assert_eq!(m.events(Event::Approval), 0);
        let text = m.render(&[]);
        assert!(text.contains("\nantq_saves_total 2\n"));
        assert!(text.contains("\nantq_throttled_logins_total 1\n"));
        assert!(text.contains("\nantq_approvals_total 0\n"));
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
