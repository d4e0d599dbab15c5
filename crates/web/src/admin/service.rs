//! The audit log's operations behind both the page and the API, and the
//! log in words for the page: actions named in Vietnamese, each change as a
//! table (indicator labels, numbers the Vietnamese way, qualifiers and
//! states in words), and links to the object.

use std::collections::HashMap;

use antq_core::auth::{Action, Role};
use antq_core::dates::{self};
use antq_core::indicators::Qualifier;
use antq_core::words;
use antq_storage::accounts::access::Actor;
use antq_storage::audit::{self, AuditEntry, AuditFilter};
use antq_storage::statistics::catalogue;
use serde_json::Value;

use crate::error::Failure;
use crate::state::AppState;

use crate::accounts::service::require_some_admin;

/// The longest filter text accepted (a username part, an action).
const FILTER_MAX_CHARS: usize = 100;

/// The audit log's filters as a request gives them (API query or page form).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AuditQuery {
    pub actor: Option<String>,
    /// Part of a username (any case).
    pub user: Option<String>,
    /// An action code or its start (`user`, `value.set`), or an action's
    /// Vietnamese name as the page's select sends it ("Nhập số liệu").
    pub action: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub before_id: Option<i64>,
    pub limit: Option<i64>,
}

impl AuditQuery {
    /// Trimmed, bounded, with dates parsed (either form) and stored as ISO,
    /// and an action given by its Vietnamese name turned into its code.
    pub fn filter(&self) -> Result<AuditFilter, Failure> {
        let some = |s: &Option<String>| -> Result<Option<String>, Failure> {
            let v = s
                .as_ref()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty());
            match v {
                Some(v) if v.chars().count() > FILTER_MAX_CHARS => Err(Failure::bad_request(
                    format!("Điều kiện lọc dài quá {FILTER_MAX_CHARS} ký tự"),
                )),
                v => Ok(v),
            }
        };
        let date = |s: &Option<String>| -> Result<Option<String>, Failure> {
            Ok(match some(s)? {
                Some(d) => Some(dates::iso(dates::parse_date(&d)?)),
                None => None,
            })
        };
        let action = some(&self.action)?.map(|a| action_code(&a).unwrap_or(a));
        Ok(AuditFilter {
            actor: some(&self.actor)?,
            actor_part: some(&self.user)?,
            action,
            entity: some(&self.entity)?,
            entity_id: some(&self.entity_id)?,
            from: date(&self.from)?,
            to: date(&self.to)?,
            before_id: self.before_id,
            limit: self.limit.unwrap_or(100),
        })
    }
}

/// The code of an action named in Vietnamese or English (any case).
pub fn action_code(name: &str) -> Option<String> {
    let name = name.trim().to_lowercase();
    words::audit_actions()
        .find(|(_, vi, en)| vi.to_lowercase() == name || en.to_lowercase() == name)
        .map(|(code, _, _)| code.to_string())
}

pub async fn audit_log(
    state: &AppState,
    actor: &Actor,
    filter: &AuditFilter,
) -> Result<Vec<AuditEntry>, Failure> {
    require_some_admin(actor)?;
    let scope = actor.scope_sql(Action::ReadAudit, "a.unit_id");
    Ok(audit::list(&state.db, &scope, filter).await?)
}

/// One line of a change: what changed, before and after, in words.
pub struct ChangeLine {
    pub label: String,
    pub before: String,
    pub after: String,
    /// Right-aligned (a figure).
    pub number: bool,
}

/// A link to the object of an audit row.
pub struct ObjectLink {
    pub label: String,
    pub href: Option<String>,
}

/// What the page needs to name things: indicator labels by code (and
/// `code.option`), form names by code.
pub struct Names {
    indicators: HashMap<String, String>,
    forms: HashMap<String, String>,
    reports: HashMap<i64, (String, String, String)>,
}

impl Names {
    pub async fn load(state: &AppState, entries: &[AuditEntry]) -> Result<Names, Failure> {
        let mut indicators = HashMap::new();
        for i in catalogue::indicators(&state.db).await? {
            for o in &i.options {
                indicators.insert(
                    format!("{}.{}", i.code, o.code),
                    format!("{} – {}", i.name_vi, o.name_vi),
                );
            }
            indicators.insert(i.code.clone(), i.name_vi.clone());
        }
        let forms = catalogue::form_codes(&state.db)
            .await?
            .into_iter()
            .collect();
        let ids: Vec<i64> = entries
            .iter()
            .filter(|e| e.entity == "report")
            .filter_map(|e| e.entity_id.parse().ok())
            .collect();
        let reports = audit::report_places(&state.db, &ids).await?;
        Ok(Names {
            indicators,
            forms,
            reports,
        })
    }

    /// The object of a row, with a link where it has a page.
    pub fn object(&self, e: &AuditEntry) -> ObjectLink {
        let kind = words::entity_vi(&e.entity);
        match e.entity.as_str() {
            "report" => match e
                .entity_id
                .parse::<i64>()
                .ok()
                .and_then(|id| self.reports.get(&id))
            {
                Some((form, unit, period)) => ObjectLink {
                    label: format!(
                        "{} · {}",
                        self.forms
                            .get(form)
                            .cloned()
                            .unwrap_or_else(|| kind.to_string()),
                        words::period_vi(period)
                    ),
                    href: Some(format!("/so-lieu/{form}/{unit}/{period}")),
                },
                None => ObjectLink {
                    label: format!("{kind} số {}", e.entity_id),
                    href: None,
                },
            },
            "user" if e.entity_id.parse::<i64>().is_ok() => ObjectLink {
                label: format!("{kind} số {}", e.entity_id),
                href: Some(format!("/quan-tri/nguoi-dung/{}", e.entity_id)),
            },
            "review" if e.entity_id.parse::<i64>().is_ok() => ObjectLink {
                label: format!("{kind} số {}", e.entity_id),
                href: Some(format!("/bao-cao/{}", e.entity_id)),
            },
            "unit" => ObjectLink {
                label: e.unit_name.clone().unwrap_or_else(|| kind.to_string()),
                href: e.unit_code.as_ref().map(|c| format!("/don-vi/{c}")),
            },
            "indicator" | "form" | "validation_rule" | "catalogue" => ObjectLink {
                label: match e.entity.as_str() {
                    "form" => self.forms.get(&e.entity_id).cloned(),
                    "indicator" => self.indicators.get(&e.entity_id).cloned(),
                    _ => None,
                }
                .unwrap_or_else(|| kind.to_string()),
                href: Some("/quan-tri/danh-muc".into()),
            },
            _ => ObjectLink {
                label: kind.to_string(),
                href: None,
            },
        }
    }

    /// The change of a row as lines: for values, one per indicator (its
    /// label; figures the Vietnamese way, qualifiers in words); otherwise
    /// one per field, named in words.
    pub fn change(&self, e: &AuditEntry) -> Vec<ChangeLine> {
        let empty = serde_json::Map::new();
        let obj = |v: &Option<Value>| match v {
            Some(Value::Object(m)) => m.clone(),
            _ => empty.clone(),
        };
        let (before, after) = (obj(&e.before), obj(&e.after));
        let mut keys: Vec<&String> = after.keys().collect();
        for k in before.keys() {
            if !after.contains_key(k) {
                keys.push(k);
            }
        }
        let values = e.action == "value.set";
        let mut lines = Vec::new();
        for k in keys {
            // A report created with its figures (an import) carries them
            // as `values`: one line per indicator, as `value.set` shows them.
            if !values && k == "values" {
                let figures = |v: Option<&Value>| match v {
                    Some(Value::Object(m)) => Some(m.clone()),
                    _ => None,
                };
                let (b, a) = (figures(before.get(k)), figures(after.get(k)));
                if a.is_some() || b.is_some() {
                    let (b, a) = (b.unwrap_or_default(), a.unwrap_or_default());
                    let mut codes: Vec<&String> = a.keys().collect();
                    codes.extend(b.keys().filter(|c| !a.contains_key(*c)));
                    for c in codes {
                        let show = |v: Option<&Value>| match v {
                            None | Some(Value::Null) => String::new(),
                            Some(v) => value_words(v),
                        };
                        let name = self.indicators.get(c).cloned().unwrap_or_else(|| c.clone());
                        lines.push(ChangeLine {
                            label: format!("Số liệu: {name}"),
                            before: show(b.get(c)),
                            after: show(a.get(c)),
                            number: true,
                        });
                    }
                    continue;
                }
            }
            lines.push({
                let (label, number) = if values {
                    (
                        self.indicators.get(k).cloned().unwrap_or_else(|| k.clone()),
                        true,
                    )
                } else {
                    (field_words(k).to_string(), false)
                };
                let show = |v: Option<&Value>| match v {
                    None | Some(Value::Null) => String::new(),
                    Some(v) if values => value_words(v),
                    Some(v) => self.field_value(k, v),
                };
                ChangeLine {
                    label,
                    before: show(before.get(k)),
                    after: show(after.get(k)),
                    number,
                }
            });
        }
        lines
    }

    fn field_value(&self, key: &str, v: &Value) -> String {
        match (key, v) {
            ("state", Value::String(s)) => words::report_state_vi(s).to_string(),
            ("period", Value::String(s)) => words::period_vi(s),
            ("form", Value::String(s)) => self.forms.get(s).cloned().unwrap_or_else(|| s.clone()),
            ("role", Value::String(s)) => s
                .parse::<Role>()
                .map(|r| r.label_vi().to_string())
                .unwrap_or_else(|_| s.clone()),
            ("password", Value::String(_)) => "đã đổi".into(),
            ("owner", Value::String(s)) => match s.as_str() {
                "police" => "Công an".into(),
                "front" => "Mặt trận".into(),
                "joint" => "Liên tịch Công an – Mặt trận".into(),
                _ => s.clone(),
            },
            ("qualifier", Value::String(s)) => s
                .parse::<Qualifier>()
                .map(|q| words::qualifier_vi(q).to_string())
                .unwrap_or_else(|_| s.clone()),
            // Codes, names and texts as they are (a unit code is no number).
            (_, Value::String(s)) => s.clone(),
            (_, Value::Array(a)) => a
                .iter()
                .map(|v| self.field_value(key, v))
                .collect::<Vec<_>>()
                .join(", "),
            (_, Value::Object(o)) => o
                .iter()
                .map(|(k, v)| format!("{}: {}", field_words(k), self.field_value(k, v)))
                .collect::<Vec<_>>()
                .join("; "),
            (_, v) => plain_words(v),
        }
    }
}

/// A field of an audit change in words; a field not in the table is shown
/// as "Nội dung khác" rather than by its code.
pub fn field_words(key: &str) -> &'static str {
    match key {
        "state" => "Trạng thái",
        "comment" => "Lý do, ý kiến",
        "form" => "Biểu báo cáo",
        "unit" => "Mã đơn vị",
        "unit_name" => "Đơn vị",
        "period" => "Kỳ báo cáo",
        "name" => "Tên",
        "name_vi" => "Tên tiếng Việt",
        "name_en" => "Tên tiếng Anh",
        "kind" => "Loại",
        "user" | "username" => "Tên đăng nhập",
        "user_id" => "Người dùng số",
        "display_name" => "Họ tên",
        "role" => "Vai trò",
        "roles" | "grants" => "Quyền",
        "password" => "Mật khẩu",
        "tokens_revoked" => "Khóa API bị thu hồi",
        "revoked" => "Đã thu hồi",
        "valid_from" => "Hiệu lực từ",
        "valid_to" => "Hiệu lực đến",
        "owner" => "Cơ quan ban hành",
        "reports" => "Số báo cáo",
        "values" => "Số giá trị",
        "users_created" => "Người dùng được tạo",
        "areas_created" => "Khu dân cư được tạo",
        "left" => "Vế trái",
        "operator" => "Phép so sánh",
        "right" => "Vế phải",
        "message" | "message_vi" => "Thông báo",
        "severity" => "Mức độ",
        "disabled" => "Bị khóa",
        "from" => "Từ",
        "to" => "Đến",
        "title" => "Tiêu đề",
        "text" | "narrative" => "Lời văn",
        "code" => "Mã",
        "unit_of_measure" => "Đơn vị tính",
        "predecessor" => "Đơn vị trước",
        "successor" => "Đơn vị sau",
        "share" => "Tỷ lệ kế thừa",
        "date" => "Ngày",
        _ => "Nội dung khác",
    }
}

/// A value as the entry page shows it: "hơn 4.378 (ghi chú: ước tính)".
pub fn value_words(v: &Value) -> String {
    match v {
        Value::Object(o) => {
            let figure = o.get("value").map(plain_words).unwrap_or_default();
            let q = o
                .get("qualifier")
                .and_then(Value::as_str)
                .and_then(|q| q.parse::<Qualifier>().ok())
                .filter(|q| *q != Qualifier::Exact)
                .map(words::qualifier_vi);
            let mut s = match q {
                Some(q) => format!("{q} {figure}"),
                None => figure,
            };
            if let Some(c) = o.get("comment").and_then(Value::as_str) {
                s.push_str(&format!(" (ghi chú: {c})"));
            }
            s
        }
        v => plain_words(v),
    }
}

/// A plain value in words: whole numbers grouped the Vietnamese way, yes/no.
pub fn plain_words(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(true) => "có".into(),
        Value::Bool(false) => "không".into(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => antq_core::text::format_int(i),
            None => n
                .as_f64()
                .map(|x| antq_core::text::format_decimal(x, 3))
                .unwrap_or_default(),
        },
        Value::String(s) => {
            let digits = s.strip_prefix('-').unwrap_or(s);
            if !digits.is_empty() && digits.len() < 19 && digits.bytes().all(|b| b.is_ascii_digit())
            {
                s.parse::<i64>()
                    .map(antq_core::text::format_int)
                    .unwrap_or_else(|_| s.clone())
            } else {
                s.clone()
            }
        }
        Value::Array(a) => a.iter().map(plain_words).collect::<Vec<_>>().join(", "),
        Value::Object(o) => o
            .iter()
            .map(|(k, v)| format!("{}: {}", field_words(k), plain_words(v)))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_in_words() {
        assert_eq!(plain_words(&json!("4378")), "4.378");
        assert_eq!(plain_words(&json!("12,5")), "12,5");
        assert_eq!(plain_words(&json!(true)), "có");
        assert_eq!(
            value_words(&json!({"value": "4378", "qualifier": "more_than", "comment": "ước tính"})),
            "hơn 4.378 (ghi chú: ước tính)"
        );
        assert_eq!(
            value_words(&json!({"value": "7", "qualifier": "exact", "comment": null})),
            "7"
        );
    }

    #[test]
    fn actions_by_name() {
        assert_eq!(action_code("Nhập số liệu").as_deref(), Some("value.set"));
        assert_eq!(
            action_code(" duyệt báo cáo ").as_deref(),
            Some("report.approve")
        );
        assert_eq!(action_code("value.set"), None);
    }
}
