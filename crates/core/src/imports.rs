//! A value read from a file, before it is checked against the database:
//! the common shape of long CSV rows, Excel template cells and DHIS2
//! dataValues.

/// A value as found in a file.
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    Number(f64),
    /// Typed the Vietnamese way ("4.378", "hơn 32.000"); empty clears.
    Text(String),
}

/// Where a value is in its file, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A line of a CSV file: "dòng 17" (written only when an error needs it).
    Line(usize),
    /// "Biểu 01, ô D17", "dataValues[3]".
    Named(String),
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Line(n) => write!(f, "dòng {n}"),
            Place::Named(s) => f.write_str(s),
        }
    }
}

/// One value to import, with its place for error messages.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    pub place: Place,
    /// The form; when absent, the form whose period type fits the period.
    pub form: Option<String>,
    pub unit: String,
    pub period: String,
    /// An indicator code, or `code.option` for a breakdown.
    pub key: String,
    pub value: RawValue,
    pub qualifier: String,
    pub comment: String,
}

/// A stored value as exported.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportValue {
    pub form: String,
    pub unit: String,
    pub period: String,
    pub key: String,
    pub milli: i64,
    pub qualifier: String,
    pub comment: Option<String>,
}

/// At most this many errors of one file are listed; the rest are counted.
pub const MAX_LISTED_ERRORS: usize = 1_000;

/// The errors of one file: the first ones listed (at most `cap`), the rest
/// only counted, so a file of garbage costs a bounded error list and its
/// messages are not even formatted past the cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorList {
    listed: Vec<String>,
    more: usize,
    cap: usize,
}

impl Default for ErrorList {
    fn default() -> Self {
        ErrorList::with_cap(MAX_LISTED_ERRORS)
    }
}

impl ErrorList {
    pub fn new() -> Self {
        ErrorList::default()
    }

    /// A list that keeps at most `cap` messages (at least one).
    pub fn with_cap(cap: usize) -> Self {
        ErrorList {
            listed: Vec::new(),
            more: 0,
            cap: cap.max(1),
        }
    }

    /// Add an error; its message is built only if it will be listed.
    pub fn push_with(&mut self, message: impl FnOnce() -> String) {
        if self.listed.len() < self.cap {
            self.listed.push(message());
        } else {
            self.more += 1;
        }
    }

    pub fn push(&mut self, message: impl Into<String>) {
        self.push_with(|| message.into());
    }

    /// Count `n` errors beyond those listed.
    pub fn add_unlisted(&mut self, n: usize) {
        self.more += n;
    }

    /// Every error, listed or not.
    pub fn len(&self) -> usize {
        self.listed.len() + self.more
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the next error will only be counted.
    pub fn is_full(&self) -> bool {
        self.listed.len() >= self.cap
    }

    pub fn listed(&self) -> &[String] {
        &self.listed
    }

    /// The listed messages, then "… và 2.611.204 lỗi khác" if some were not listed.
    pub fn into_vec(self) -> Vec<String> {
        let mut v = self.listed;
        if self.more > 0 {
            v.push(more_line(self.more));
        }
        v
    }
}

const MORE_PREFIX: &str = "… và ";
const MORE_SUFFIX: &str = " lỗi khác";

fn more_line(n: usize) -> String {
    format!(
        "{MORE_PREFIX}{}{MORE_SUFFIX}",
        crate::text::format_int(n as i64)
    )
}

/// How many errors a list made by [`ErrorList::into_vec`] stands for (its
/// last line may count those not listed).
pub fn error_count(errors: &[String]) -> usize {
    let more = errors
        .last()
        .and_then(|l| l.strip_prefix(MORE_PREFIX)?.strip_suffix(MORE_SUFFIX))
        .and_then(|n| n.replace('.', "").parse::<usize>().ok());
    match more {
        Some(n) => errors.len() - 1 + n,
        None => errors.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_past_the_cap_are_counted_not_kept() {
        let mut e = ErrorList::with_cap(3);
        let mut built = 0;
        for i in 0..2_611_207 {
            e.push_with(|| {
                built += 1;
                format!("dòng {i}: lỗi")
            });
        }
        assert_eq!(built, 3, "messages past the cap are not formatted");
        assert_eq!(e.len(), 2_611_207);
        let v = e.into_vec();
        assert_eq!(v.len(), 4);
        assert_eq!(v[3], "… và 2.611.204 lỗi khác");
        assert_eq!(error_count(&v), 2_611_207);
        assert_eq!(error_count(&v[..3]), 3);
        let mut few = ErrorList::new();
        few.push("một lỗi");
        assert_eq!(few.into_vec(), vec!["một lỗi".to_string()]);
    }
}
