//! The structured identifiers of the online-scam category: phone numbers,
//! bank accounts, web addresses, social-network accounts and e-wallets,
//! normalised so that the same identifier written differently matches
//! ("+84 912 345 678", "0912.345.678" and "84912345678" are one number),
//! and masked for officers who may only see that a cluster exists.
//!
//! Normal forms (`Identifier::value`):
//! - phone: 10 digits starting `03`/`05`/`07`/`08`/`09`, or 11 starting `02`;
//! - bank account: `CODE:digits` (`VCB:0123456789`); a bank not in the table
//!   keeps its compact folded name as code (`cake:0123456`);
//! - web: `host` or `host/path` (lowercase host, no scheme, `www.`, port
//!   80/443, user, query, fragment or trailing slash);
//! - social: `platform:handle` (`facebook:ten.nguoi`, `facebook:id=1000123`,
//!   `zalo:0912345678`);
//! - wallet: `provider:account` (`momo:0912345678`).
//!
//! Error messages never repeat the value typed: it is tip content.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::providers;
use crate::text;
use crate::DomainError;

/// The longest identifier accepted as typed, in characters.
pub const MAX_RAW: usize = 300;

/// The kinds of structured identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierKind {
    Phone,
    BankAccount,
    Web,
    Social,
    Wallet,
}

impl IdentifierKind {
    /// Every kind, in form order.
    pub const ALL: [IdentifierKind; 5] = [
        IdentifierKind::Phone,
        IdentifierKind::BankAccount,
        IdentifierKind::Web,
        IdentifierKind::Social,
        IdentifierKind::Wallet,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            IdentifierKind::Phone => "phone",
            IdentifierKind::BankAccount => "bank_account",
            IdentifierKind::Web => "web",
            IdentifierKind::Social => "social",
            IdentifierKind::Wallet => "wallet",
        }
    }

    /// The Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            IdentifierKind::Phone => "Số điện thoại",
            IdentifierKind::BankAccount => "Tài khoản ngân hàng",
            IdentifierKind::Web => "Địa chỉ trang web",
            IdentifierKind::Social => "Tài khoản mạng xã hội",
            IdentifierKind::Wallet => "Ví điện tử",
        }
    }
}

impl FromStr for IdentifierKind {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        IdentifierKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                DomainError::invalid(format!(
                    "\"{}\" không phải loại định danh (số điện thoại, tài khoản ngân hàng, trang web, mạng xã hội, ví điện tử)",
                    s.chars().take(40).collect::<String>()
                ))
            })
    }
}

/// An identifier in its normal form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Identifier {
    pub kind: IdentifierKind,
    /// The normal form (see the module documentation).
    pub value: String,
}

fn invalid(kind: IdentifierKind, why: &str) -> DomainError {
    DomainError::invalid(format!("{} không hợp lệ: {why}", kind.label_vi()))
}

/// The raw text, bounded, printable, NFC and trimmed; refused when empty.
fn prepare(kind: IdentifierKind, raw: &str) -> Result<String, DomainError> {
    text::check_len(kind.label_vi(), raw, MAX_RAW)?;
    text::check_printable(kind.label_vi(), raw)?;
    let s = text::clean(raw);
    if s.is_empty() {
        return Err(DomainError::invalid(format!(
            "{} còn trống",
            kind.label_vi()
        )));
    }
    Ok(s)
}

/// Normalise an identifier as typed by a citizen.
pub fn normalize(kind: IdentifierKind, raw: &str) -> Result<Identifier, DomainError> {
    let s = prepare(kind, raw)?;
    let value = match kind {
        IdentifierKind::Phone => normalize_phone(&s)?,
        IdentifierKind::BankAccount => {
            let (name, number) = split_name_number(&s);
            return normalize_bank(name, number);
        }
        IdentifierKind::Web => {
            let u = split_url(&s).map_err(|why| invalid(kind, why))?;
            u.host_path()
        }
        IdentifierKind::Social => normalize_social(&s)?,
        IdentifierKind::Wallet => normalize_wallet(&s)?,
    };
    Ok(Identifier { kind, value })
}

/// A Vietnamese phone number in its normal form: separators dropped,
/// `+84`/`0084`/`84` (11 digits) written as a leading `0`; 10 digits
/// starting 03/05/07/08/09 (mobile) or 11 starting 02 (landline).
pub fn normalize_phone(s: &str) -> Result<String, DomainError> {
    let k = IdentifierKind::Phone;
    let compact: String = s
        .chars()
        .filter(|c| !(c.is_whitespace() || matches!(c, '.' | '-' | '(' | ')')))
        .collect();
    let national = if let Some(rest) = compact.strip_prefix("+84") {
        format!("0{rest}")
    } else if let Some(rest) = compact.strip_prefix("0084") {
        format!("0{rest}")
    } else if compact.starts_with("84") && compact.len() == 11 {
        format!("0{}", &compact[2..])
    } else {
        compact
    };
    if !national.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(k, "chỉ được có chữ số (có thể kèm +84)"));
    }
    let mobile = national.len() == 10
        && ["03", "05", "07", "08", "09"]
            .iter()
            .any(|p| national.starts_with(p));
    let landline = national.len() == 11 && national.starts_with("02");
    if mobile || landline {
        Ok(national)
    } else {
        Err(invalid(
            k,
            "số di động có 10 chữ số bắt đầu bằng 03, 05, 07, 08 hoặc 09; số cố định có 11 chữ số bắt đầu bằng 02",
        ))
    }
}

/// Split "Vietcombank 0123 456 789" (or "0123456789 Vietcombank") into the
/// bank or provider name and the number part.
fn split_name_number(s: &str) -> (&str, &str) {
    let is_num = |c: char| c.is_ascii_digit() || c.is_whitespace() || matches!(c, '.' | '-');
    let sep: &[char] = &[' ', '-', ':', ',', '/', '–', '(', ')'];
    let start = s
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_num(*c))
        .last()
        .map_or(s.len(), |(i, _)| i);
    let (name, number) = s.split_at(start);
    if number.bytes().any(|b| b.is_ascii_digit()) {
        return (name.trim_matches(sep), number);
    }
    let end = s
        .char_indices()
        .take_while(|(_, c)| is_num(*c))
        .last()
        .map_or(0, |(i, c)| i + c.len_utf8());
    let (number, name) = s.split_at(end);
    (name.trim_matches(sep), number)
}

/// A bank account from its bank's name and its number: `CODE:digits`.
pub fn normalize_bank(bank: &str, number: &str) -> Result<Identifier, DomainError> {
    let k = IdentifierKind::BankAccount;
    text::check_len("Tên ngân hàng", bank, MAX_RAW)?;
    text::check_len("Số tài khoản", number, MAX_RAW)?;
    let code = match providers::bank_code(bank) {
        Some(code) => code.to_string(),
        None => providers::compact_key(bank),
    };
    if code.is_empty() {
        return Err(invalid(k, "xin ghi tên ngân hàng trước số tài khoản"));
    }
    if code.chars().count() > providers::MAX_UNKNOWN_KEY {
        return Err(invalid(k, "tên ngân hàng quá dài"));
    }
    let digits = account_digits(number).map_err(|why| invalid(k, why))?;
    Ok(Identifier {
        kind: k,
        value: format!("{code}:{digits}"),
    })
}

/// An account number: digits only once spaces, dots and dashes are dropped,
/// 6–19 of them.
fn account_digits(number: &str) -> Result<String, &'static str> {
    let digits: String = number
        .chars()
        .filter(|c| !(c.is_whitespace() || matches!(c, '.' | '-')))
        .collect();
    if digits.is_empty() {
        return Err("thiếu số tài khoản");
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("số tài khoản chỉ gồm chữ số");
    }
    if !(6..=19).contains(&digits.len()) {
        return Err("số tài khoản có từ 6 đến 19 chữ số");
    }
    Ok(digits)
}

/// A web address split into its parts, host lowercase without `www.`.
struct Url {
    host: String,
    /// The path without leading or trailing slash.
    path: String,
    query: String,
}

impl Url {
    fn host_path(&self) -> String {
        if self.path.is_empty() {
            self.host.clone()
        } else {
            format!("{}/{}", self.host, self.path)
        }
    }
}

fn split_url(s: &str) -> Result<Url, &'static str> {
    let s = s.trim();
    let rest = match s.find("://") {
        Some(i)
            if s[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)) =>
        {
            &s[i + 3..]
        }
        _ => s,
    };
    let rest = rest.split('#').next().unwrap_or_default();
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host_port = host_port.to_lowercase();
    let host = match host_port.rsplit_once(':') {
        Some((h, "80" | "443")) => h.to_string(),
        _ => host_port,
    };
    let host = host
        .strip_prefix("www.")
        .unwrap_or(&host)
        .trim_end_matches('.');
    let host_ok = !host.is_empty()
        && host.contains('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'))
        && !host.split('.').any(str::is_empty);
    if !host_ok {
        return Err("xin ghi địa chỉ dạng ten-mien.vn hoặc https://ten-mien.vn/trang");
    }
    let path = path.trim_matches('/');
    if path.chars().any(char::is_whitespace) {
        return Err("địa chỉ không được có dấu cách");
    }
    Ok(Url {
        host: host.to_string(),
        path: path.to_string(),
        query: query.to_string(),
    })
}

/// A handle: lowercase, `@` dropped, letters, digits, `.`, `_`, `-`, `=`.
fn handle(raw: &str) -> Result<String, DomainError> {
    let h = raw.trim().trim_start_matches('@').to_lowercase();
    let ok = (1..=100).contains(&h.chars().count())
        && h.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '='));
    if ok {
        Ok(h)
    } else {
        Err(invalid(
            IdentifierKind::Social,
            "tên tài khoản chỉ gồm chữ, số, dấu chấm, gạch dưới hoặc gạch ngang",
        ))
    }
}

/// The handle of a Facebook link: `id=N` for `profile.php?id=N` and
/// `people/name/N`, `group=x` for `groups/x`, else the first path segment.
fn facebook_handle(url: &Url) -> Result<String, DomainError> {
    let segments: Vec<&str> = url.path.split('/').filter(|p| !p.is_empty()).collect();
    let digits = |v: &&str| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
    let query_id = url
        .query
        .split('&')
        .find_map(|kv| kv.strip_prefix("id="))
        .filter(digits);
    match segments.as_slice() {
        ["profile.php", ..] => match query_id {
            Some(id) => Ok(format!("id={id}")),
            None => Err(invalid(
                IdentifierKind::Social,
                "đường dẫn trang cá nhân Facebook thiếu mã số (id=…)",
            )),
        },
        ["people", _, id, ..] if digits(id) => Ok(format!("id={id}")),
        ["groups", group, ..] => Ok(format!("group={}", handle(group)?)),
        [first, ..] => handle(first),
        [] => handle(""),
    }
}

/// `platform:handle` for a social account given as a link or as a platform
/// name and a handle, in either order ("zalo 0912345678", "@abc tiktok").
fn normalize_social(s: &str) -> Result<String, DomainError> {
    if let Ok(url) = split_url(s) {
        if let Some(platform) = providers::social_by_host(&url.host) {
            let h = if platform == "facebook" {
                facebook_handle(&url)?
            } else {
                handle(url.path.split('/').next().unwrap_or_default())?
            };
            return Ok(social_value(platform, h));
        }
    }
    let words: Vec<&str> = s
        .split([' ', ':', ',', '/'])
        .filter(|w| !w.is_empty())
        .collect();
    let found = words
        .iter()
        .enumerate()
        .find_map(|(i, w)| providers::social_by_name(w).map(|p| (i, p)));
    let Some((i, platform)) = found else {
        return Err(invalid(
            IdentifierKind::Social,
            "xin ghi rõ mạng xã hội (Facebook, Zalo, Telegram, TikTok, …) và tên tài khoản",
        ));
    };
    let rest: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != i)
        .map(|(_, w)| *w)
        .collect();
    if platform == "zalo" {
        if let Ok(phone) = normalize_phone(&rest.concat()) {
            return Ok(format!("zalo:{phone}"));
        }
    }
    if rest.len() != 1 {
        return Err(invalid(
            IdentifierKind::Social,
            "xin ghi một tên tài khoản, không có dấu cách",
        ));
    }
    Ok(social_value(platform, handle(rest[0])?))
}

/// The value of a social account; a Zalo handle that is a phone number is
/// stored as the normalised number.
fn social_value(platform: &str, h: String) -> String {
    let h = if platform == "zalo" {
        normalize_phone(&h).unwrap_or(h)
    } else {
        h
    };
    format!("{platform}:{h}")
}

/// `provider:account` for an e-wallet: the account is a phone number when
/// it is one, otherwise 6–19 digits.
fn normalize_wallet(s: &str) -> Result<String, DomainError> {
    let k = IdentifierKind::Wallet;
    let (name, number) = split_name_number(s);
    let code = match providers::wallet(name) {
        Some((code, _)) => code.to_string(),
        None => providers::compact_key(name),
    };
    if code.is_empty() {
        return Err(invalid(k, "xin ghi tên ví (MoMo, ZaloPay, Viettel Money, VNPay, ShopeePay) và số tài khoản hoặc số điện thoại"));
    }
    if code.chars().count() > providers::MAX_UNKNOWN_KEY {
        return Err(invalid(k, "tên ví quá dài"));
    }
    let account = match normalize_phone(number) {
        Ok(phone) => phone,
        Err(_) => account_digits(number).map_err(|why| invalid(k, why))?,
    };
    Ok(format!("{code}:{account}"))
}

/// A phone number masked: first two digits and last three ("09x xxx x678").
fn mask_phone(p: &str) -> String {
    let n = p.chars().count();
    if n < 9 || !p.is_ascii() {
        return mask_tail(p);
    }
    format!("{}x xxx {}{}", &p[..2], "x".repeat(n - 9), &p[n - 3..])
}

/// A number masked to its last four digits ("••••6789").
fn mask_tail(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
    format!("••••{tail}")
}

/// The identifier as shown to officers who may only know that a cluster
/// exists: phone "09x xxx x678", bank "VCB ••••6789", web host (and "/…"
/// when there is a path), social "facebook:te…", wallet "MoMo 09x xxx x678".
/// The whole identifier as an officer reads it on a tip ("VCB 1012345678",
/// "MoMo 0912345678"), never the stored "VCB:1012345678".
pub fn shown(id: &Identifier) -> String {
    match (id.kind, id.value.split_once(':')) {
        (IdentifierKind::Wallet, Some((left, right))) => {
            format!("{} {right}", providers::wallet_display(left))
        }
        (IdentifierKind::BankAccount | IdentifierKind::Social, Some((left, right))) => {
            format!("{left} {right}")
        }
        _ => id.value.clone(),
    }
}

pub fn mask(id: &Identifier) -> String {
    let (left, right) = id.value.split_once(':').unwrap_or(("", &id.value));
    match id.kind {
        IdentifierKind::Phone => mask_phone(&id.value),
        IdentifierKind::BankAccount => format!("{left} {}", mask_tail(right)),
        IdentifierKind::Web => match id.value.split_once('/') {
            Some((host, _)) => format!("{host}/…"),
            None => id.value.clone(),
        },
        IdentifierKind::Social => {
            let start: String = right.chars().take(2).collect();
            format!("{left}:{start}…")
        }
        IdentifierKind::Wallet => {
            let account = if normalize_phone(right).is_ok() {
                mask_phone(right)
            } else {
                mask_tail(right)
            };
            format!("{} {account}", providers::wallet_display(left))
        }
    }
}

#[cfg(test)]
#[path = "identifiers_tests.rs"]
mod tests;
