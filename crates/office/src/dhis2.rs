//! DHIS2 `dataValueSets` JSON, with codes as the id scheme
//! (`idScheme=CODE`): data elements are indicator codes, org units are unit
//! codes, category option combos are breakdown options. Tools built for
//! DHIS2 can send to and read from antq.
//!
//! Values are strings holding plain numbers, as DHIS2 writes them: `"1.250"`
//! is 1,25 and `"2.5"` is 2,5 (never Vietnamese grouping).
//!
//! **Periods.** antq's periods are those of the State reporting regime: the
//! year 2026 runs from 15/12/2025 to 14/12/2026, a quarter and a month from
//! the 15th of the month before. DHIS2's `2026` is the calendar year, so no
//! antq period is a DHIS2 period. A set is written only under an explicit
//! [`PeriodMapping`], which the set names (`periodMapping`, `periodNote`);
//! on the way in, a DHIS2 period code is read as antq's period of the same
//! code.

use antq_core::imports::{
    ErrorList, ExportValue, ImportRows, NumberStyle, PlaceRef, RowRef, ValueRef,
};
use serde::{Deserialize, Serialize};

use crate::limits::{n, ImportLimits};

/// How antq's periods are written as DHIS2 periods, chosen explicitly by
/// whoever exports (`periodMapping=sameCode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodMapping {
    /// antq's period under the DHIS2 period of the same code: antq's 2026
    /// (15/12/2025 – 14/12/2026) is written `2026`, which DHIS2 reads as
    /// 01/01 – 31/12/2026; 2026Q1 (15/12/2025 – 14/03/2026) as `2026Q1`.
    SameCode,
}

impl PeriodMapping {
    pub fn parse(s: &str) -> Option<PeriodMapping> {
        match s {
            "sameCode" | "same_code" | "same-code" => Some(PeriodMapping::SameCode),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PeriodMapping::SameCode => "sameCode",
        }
    }

    /// What the mapping means, written into every exported set.
    pub fn note(self) -> &'static str {
        match self {
            PeriodMapping::SameCode => {
                "Kỳ của antq theo chế độ báo cáo thống kê (năm 2026 = 15/12/2025 – 14/12/2026; quý, tháng tính từ ngày 15 tháng trước), ghi dưới mã kỳ DHIS2 cùng tên (periodMapping=sameCode); với DHIS2, năm 2026 là năm dương lịch 01/01 – 31/12/2026. / antq's reporting periods (2026 = 15/12/2025 – 14/12/2026), written under the DHIS2 period of the same code, which DHIS2 reads as a calendar period."
            }
        }
    }
}

/// The message when a DHIS2 set is asked for without a period mapping.
pub const MAPPING_NEEDED: &str = "Kỳ báo cáo của antq (năm từ 15/12 đến 14/12) không phải năm dương lịch của DHIS2: hãy chọn rõ cách ghi kỳ bằng periodMapping=sameCode (ghi kỳ của antq dưới mã kỳ DHIS2 cùng tên)";

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DataValueSet {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_set: Option<String>,
    /// antq's: how the periods were written ([`PeriodMapping`]); DHIS2 ignores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_mapping: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_unit: Option<String>,
    #[serde(default)]
    pub data_values: Vec<DataValue>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DataValue {
    pub data_element: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_option_combo: Option<String>,
    #[serde(default)]
    pub value: serde_json::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// antq's qualifier (exact, more_than, nearly, about); DHIS2 ignores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
}

/// Read a dataValueSet into rows; every problem named by its place.
pub fn read(bytes: &[u8]) -> Result<ImportRows, Vec<String>> {
    read_with(bytes, &ImportLimits::default())
}

/// The set's own fields, the defaults of its values (read first, skipping
/// the values, since they may come after `dataValues`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SetDefaults {
    #[serde(default)]
    data_set: Option<String>,
    #[serde(default)]
    period: Option<String>,
    #[serde(default)]
    org_unit: Option<String>,
}

/// What is wrong with a set that is not valid JSON, in Vietnamese with its
/// place (serde's own English text names Rust types).
fn invalid_json(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Syntax => "sai cú pháp JSON",
        Category::Eof => "tệp kết thúc giữa chừng",
        Category::Data => "một trường có kiểu không đúng (mọi giá trị của dataValueSets là chuỗi)",
        Category::Io => "không đọc được tệp",
    };
    format!(
        "JSON dataValueSets không hợp lệ ở dòng {}, cột {}: {what}",
        e.line(),
        e.column()
    )
}

/// [`read`] within `limits`: values are turned into rows one at a time as
/// they are parsed (the set is never held whole), a set of more than
/// `max_rows` values is refused, at most `max_errors` errors are listed,
/// and once the set has an error its rows are no longer kept.
pub fn read_with(bytes: &[u8], limits: &ImportLimits) -> Result<ImportRows, Vec<String>> {
    let invalid = |e: serde_json::Error| vec![invalid_json(&e)];
    let defaults: SetDefaults = serde_json::from_slice(bytes).map_err(invalid)?;
    let mut state = Reading {
        defaults,
        limits: *limits,
        rows: ImportRows::new(),
        errors: ErrorList::with_cap(limits.max_errors),
        count: 0,
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde::de::DeserializeSeed::deserialize(SetSeed(&mut state), &mut de).map_err(invalid)?;
    de.end().map_err(invalid)?;
    if state.count > limits.max_rows {
        return Err(vec![format!(
            "Tệp có {} giá trị (dataValues), vượt giới hạn {} giá trị của một tệp; hãy chia thành nhiều tệp",
            n(state.count),
            n(limits.max_rows)
        )]);
    }
    if state.errors.is_empty() {
        state.rows.shrink_to_fit();
        // DHIS2 writes every value as a plain number: "1.250" is 1,25.
        state.rows.set_numbers(NumberStyle::Plain);
        Ok(state.rows)
    } else {
        Err(state.errors.into_vec())
    }
}

struct Reading {
    defaults: SetDefaults,
    limits: ImportLimits,
    rows: ImportRows,
    errors: ErrorList,
    /// Values seen (past the cap they are only counted).
    count: usize,
}

impl Reading {
    fn value(&mut self, i: usize, dv: DataValue) {
        let place = || format!("dataValues[{i}]");
        let period = dv.period.or_else(|| self.defaults.period.clone());
        let unit = dv.org_unit.or_else(|| self.defaults.org_unit.clone());
        let (Some(period), Some(unit)) = (period, unit) else {
            self.error(|| format!("{}: thiếu period hoặc orgUnit", place()));
            return;
        };
        let value = match &dv.value {
            serde_json::Value::Number(n) => ValueRef::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => ValueRef::Text(s),
            serde_json::Value::Null => ValueRef::Text(""),
            other => {
                self.error(|| {
                    let mut shown = other.to_string();
                    if shown.len() > 60 {
                        let cut = (0..=60).rev().find(|i| shown.is_char_boundary(*i));
                        shown.truncate(cut.unwrap_or(0));
                        shown.push('…');
                    }
                    format!("{}: \"{shown}\" không phải số", place())
                });
                return;
            }
        };
        if !self.errors.is_empty() {
            return;
        }
        let key = match dv
            .category_option_combo
            .as_deref()
            .filter(|c| !c.is_empty() && *c != "default")
        {
            Some(coc) => std::borrow::Cow::Owned(format!("{}.{}", dv.data_element, coc)),
            None => std::borrow::Cow::Borrowed(dv.data_element.as_str()),
        };
        self.rows.push(RowRef {
            place: PlaceRef::Value(i),
            form: self.defaults.data_set.as_deref(),
            unit: &unit,
            period: &period,
            key: &key,
            value,
            qualifier: dv.qualifier.as_deref().unwrap_or_default(),
            comment: dv.comment.as_deref().unwrap_or_default(),
        });
    }

    fn error(&mut self, message: impl FnOnce() -> String) {
        // The set is refused anyway: its rows are not needed any more.
        self.rows = ImportRows::new();
        self.errors.push_with(message);
    }
}

/// The set object: only `dataValues` is read here.
struct SetSeed<'a>(&'a mut Reading);

impl<'de> serde::de::DeserializeSeed<'de> for SetSeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for SetSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("một đối tượng dataValueSet")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "dataValues" {
                map.next_value_seed(ValuesSeed(&mut *self.0))?;
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// The `dataValues` array, one value at a time.
struct ValuesSeed<'a>(&'a mut Reading);

impl<'de> serde::de::DeserializeSeed<'de> for ValuesSeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for ValuesSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("một mảng dataValues")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let r = self.0;
        loop {
            if r.count >= r.limits.max_rows {
                // Past the cap: only counted, for the message.
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    r.count += 1;
                }
                r.rows = ImportRows::new();
                return Ok(());
            }
            match seq.next_element::<DataValue>()? {
                Some(dv) => {
                    r.value(r.count, dv);
                    r.count += 1;
                }
                None => return Ok(()),
            }
        }
    }
}

/// The number of values in a set (for the import summary of a refused
/// set), if it is JSON of the right shape.
pub fn count_values(bytes: &[u8]) -> Option<usize> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Count {
        #[serde(default)]
        data_values: Vec<serde::de::IgnoredAny>,
    }
    serde_json::from_slice::<Count>(bytes)
        .ok()
        .map(|c| c.data_values.len())
}

/// Write values as a dataValueSet, periods as `mapping` says (the set
/// names its mapping). Values are plain numbers; comments and qualifiers
/// other than exact are kept.
pub fn write(form: Option<&str>, values: &[ExportValue], mapping: PeriodMapping) -> Vec<u8> {
    let set = DataValueSet {
        data_set: form.map(str::to_string),
        period_mapping: Some(mapping.as_str().to_string()),
        period_note: Some(mapping.note().to_string()),
        period: None,
        org_unit: None,
        data_values: values
            .iter()
            .map(|v| {
                let (de, coc) = match v.key.split_once('.') {
                    Some((d, c)) => (d.to_string(), Some(c.to_string())),
                    None => (v.key.clone(), None),
                };
                DataValue {
                    data_element: de,
                    period: Some(v.period.clone()),
                    org_unit: Some(v.unit.clone()),
                    category_option_combo: coc,
                    value: serde_json::Value::String(plain_number(v.milli)),
                    comment: v.comment.clone(),
                    qualifier: (v.qualifier != "exact").then(|| v.qualifier.clone()),
                }
            })
            .collect(),
    };
    serde_json::to_vec_pretty(&set).unwrap_or_default()
}

/// A number as DHIS2 writes values: digits, a dot for decimals.
pub fn plain_number(milli: i64) -> String {
    antq_core::indicators::plain_milli(milli)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_that_is_not_json_is_explained_in_vietnamese() {
        let e = read(br#"{"dataValues": [{"value": 1}]}"#).unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(
            e[0].starts_with("JSON dataValueSets không hợp lệ ở dòng 1, cột "),
            "{e:?}"
        );
        assert!(e[0].contains("kiểu không đúng"), "{e:?}");
        assert!(!e[0].contains("invalid type"), "{e:?}");
        let e = read(br#"{"dataValues": ["#).unwrap_err();
        assert!(e[0].contains("kết thúc giữa chừng"), "{e:?}");
    }

    #[test]
    fn round_trip() {
        let values = vec![
            ExportValue {
                form: "antq-nam".into(),
                unit: "03325".into(),
                period: "2026".into(),
                key: "tt_buoi".into(),
                milli: 12_000,
                qualifier: "exact".into(),
                comment: None,
            },
            ExportValue {
                form: "antq-nam".into(),
                unit: "03325".into(),
                period: "2026".into(),
                key: "kt_bang_khen.tap_the".into(),
                milli: 2_500,
                qualifier: "more_than".into(),
                comment: Some("ghi chú".into()),
            },
        ];
        let bytes = write(Some("antq-nam"), &values, PeriodMapping::SameCode);
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.contains("\"dataElement\": \"kt_bang_khen\""));
        assert!(text.contains("\"categoryOptionCombo\": \"tap_the\""));
        assert!(text.contains("\"value\": \"2.5\""));
        assert!(text.contains("\"periodMapping\": \"sameCode\""));
        assert!(text.contains("15/12/2025 – 14/12/2026"));
        assert_eq!(count_values(&bytes), Some(2));
        let rows = read(&bytes).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows.get(1).key, "kt_bang_khen.tap_the");
        assert_eq!(rows.get(1).value, ValueRef::Text("2.5"));
        assert_eq!(rows.numbers(), NumberStyle::Plain);
        assert_eq!(rows.get(1).qualifier, "more_than");
        assert_eq!(rows.get(0).form, Some("antq-nam"));
        assert_eq!(rows.get(1).place.to_string(), "dataValues[1]");
    }

    #[test]
    fn dhis2_style_sets_with_defaults_at_the_top() {
        let json = br#"{"dataSet":"antq-nam","period":"2026","orgUnit":"03325",
            "dataValues":[{"dataElement":"tt_buoi","value":"12","categoryOptionCombo":"default"},
                          {"dataElement":"tt_luot","value":3000},{"dataElement":"x","value":[1]}]}"#;
        let errs = read(json).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert!(errs[0].starts_with("dataValues[2]"));
    }
}
