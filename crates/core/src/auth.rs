//! Accounts and access: roles, the actions they permit, and the secrets
//! (passwords, session ids, API tokens) that prove who is asking.
//!
//! *Which units* a grant covers is answered by storage (the unit tree and its
//! lineage live there); *which actions* a role permits is answered here. The
//! two together are the single access policy (`antq_storage::accounts::access`).

use std::fmt;
use std::str::FromStr;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Runs the system for the units of the grant.
    Admin,
    /// A Công an officer.
    Police,
    /// An officer of the Fatherland Front (MTTQ).
    Front,
    /// Reads, changes nothing.
    Viewer,
    /// Writes the unit's news for the public portal and reads its editors'
    /// inbox ("Gửi ban biên tập"); publishes nothing.
    Editor,
    /// Reviews the unit's news: publishes, returns, schedules and
    /// unpublishes what editors submit (and edits it, as an editor).
    Reviewer,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Police,
        Role::Front,
        Role::Viewer,
        Role::Editor,
        Role::Reviewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Police => "police",
            Role::Front => "front",
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Reviewer => "reviewer",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị",
            Role::Police => "Công an",
            Role::Front => "Mặt trận",
            Role::Viewer => "Xem",
            Role::Editor => "Biên tập",
            Role::Reviewer => "Duyệt tin",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::Police => "Police",
            Role::Front => "Front",
            Role::Viewer => "Viewer",
            Role::Editor => "Editor",
            Role::Reviewer => "News reviewer",
        }
    }
}

impl FromStr for Role {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                DomainError::invalid(format!(
                    "Không có vai trò \"{s}\": chọn Quản trị (admin), Công an (police), Mặt trận (front), Xem (viewer), Biên tập (editor) hoặc Duyệt tin (reviewer)"
                ))
            })
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something a user may want to do to a unit (or to what belongs to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read a unit's non-public records (areas, organisations, later its data).
    Read,
    /// Register or change the unit's residential areas and organisations.
    EditAreas,
    /// Create, change and disable users whose grants lie in the unit.
    ManageUsers,
    /// Read the audit log of the unit.
    ReadAudit,
    /// Change units and their lineage links.
    EditUnits,
    /// Change the indicator catalogue and validation rules (national administrators).
    EditCatalogue,
    /// Enter and submit a unit's report of a form owned by this role.
    EnterData(Role),
    /// Approve, return or reopen the report of a unit *below* one's own, for
    /// a form owned by this role: the grant must sit at a higher level than
    /// the reporting unit (see `strictly_above`). Approved figures are locked
    /// until reopened, so whoever may not reopen may not change them either.
    Approve(Role),
    /// Comment on a unit's report (the police and the Front of the unit or above).
    Comment,
    /// Build and edit the unit's reviews (sơ kết, tổng kết).
    WriteReview,
    /// Register or change the unit's documents, programmes and plans,
    /// conferences and events.
    EditRecords,
    /// Propose a list of recipients for an award of the unit.
    ProposeAward,
    /// Record an issuing office's decision on an award (numbers, dates,
    /// recipients accepted), for an office of this side: `Police` for the
    /// police's offices, `Front` for the Front's; `Admin` stands for an
    /// office of neither side (the people's committee), whose decisions
    /// either side may record.
    DecideAward(Role),
    /// Approve the text of the unit's review for one side (`Police` or
    /// `Front`): the unit's own officers of that side sign their report, so
    /// a grant on the unit itself is enough (not strictly above).
    ApproveReview(Role),
    /// Read and handle the citizen information (tin báo) a unit's police
    /// handle: the police of the unit or above. Administrators configure
    /// the channel but read no tip without a police grant.
    HandleTips,
    /// Write and submit the unit's news articles, read and answer its
    /// editors' inbox (editors and reviewers of the unit or above).
    EditArticles,
    /// Publish, return, schedule and unpublish the unit's articles
    /// (reviewers of the unit or above).
    PublishArticles,
}

impl Action {
    /// The roles whose grant over a unit permits this action there.
    pub fn allowed_roles(self) -> &'static [Role] {
        match self {
            // Editors and reviewers of news read their units' records (the
            // figures and conferences they write about) and change none.
            Action::Read => &[
                Role::Admin,
                Role::Police,
                Role::Front,
                Role::Viewer,
                Role::Editor,
                Role::Reviewer,
            ],
            Action::EditAreas => &[Role::Admin, Role::Police, Role::Front],
            Action::Comment => &[Role::Police, Role::Front],
            Action::WriteReview => &[Role::Admin, Role::Police, Role::Front],
            Action::EditRecords => &[Role::Admin, Role::Police, Role::Front],
            Action::ProposeAward => &[Role::Police, Role::Front],
            Action::HandleTips => &[Role::Police],
            Action::EditArticles => &[Role::Editor, Role::Reviewer],
            Action::PublishArticles => &[Role::Reviewer],
            Action::DecideAward(role) => match role {
                Role::Police => &[Role::Police],
                Role::Front => &[Role::Front],
                Role::Admin => &[Role::Police, Role::Front],
                Role::Viewer | Role::Editor | Role::Reviewer => &[],
            },
            Action::ManageUsers | Action::ReadAudit | Action::EditUnits | Action::EditCatalogue => {
                &[Role::Admin]
            }
            Action::EnterData(role) | Action::Approve(role) | Action::ApproveReview(role) => {
                match role {
                    Role::Police => &[Role::Police],
                    Role::Front => &[Role::Front],
                    Role::Admin | Role::Viewer | Role::Editor | Role::Reviewer => &[],
                }
            }
        }
    }

    /// Whether the grant must sit strictly above the unit: at a higher level
    /// than the reporting unit, over it in the tree as it was or over the unit
    /// that covers it today. Approval is the level above's decision, never the
    /// reporting unit's own, nor that of its same-level successor (a merged
    /// commune over the old communes it absorbed, a province over the old
    /// province it absorbed). Storage turns this into the scope condition
    /// (`antq_storage::accounts::access`).
    pub fn strictly_above(self) -> bool {
        matches!(self, Action::Approve(_))
    }

    pub fn permitted_by(self, role: Role) -> bool {
        self.allowed_roles().contains(&role)
    }
}

/// A login name: 3 to 64 characters of lowercase ASCII letters, digits, `.`, `_`, `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Username(String);

impl Username {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim().to_ascii_lowercase();
        let ok_chars = s.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        });
        if (3..=64).contains(&s.len()) && ok_chars {
            Ok(Username(s))
        } else {
            Err(DomainError::invalid(
                "tên đăng nhập gồm 3–64 ký tự: chữ không dấu, chữ số, dấu chấm, gạch dưới, gạch ngang",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A new password that meets the policy. Its `Debug` never shows it.
#[derive(Clone)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 12;

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let n = s.chars().count();
        if n < Self::MIN_CHARS {
            return Err(DomainError::invalid(format!(
                "mật khẩu phải có ít nhất {} ký tự",
                Self::MIN_CHARS
            )));
        }
        if n > 256 {
            return Err(DomainError::invalid("mật khẩu dài quá 256 ký tự"));
        }
        let first = s.chars().next();
        if s.chars().all(|c| Some(c) == first) {
            return Err(DomainError::invalid("mật khẩu không được lặp một ký tự"));
        }
        Ok(NewPassword(s.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword([redacted])")
    }
}

fn argon2() -> Argon2<'static> {
    // OWASP's recommended Argon2id settings: 19 MiB, 2 iterations, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hash a password with Argon2id (PHC string). CPU-heavy: call it off the async runtime.
pub fn hash_password(password: &NewPassword) -> String {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.expose().as_bytes(), &salt)
        .expect("hashing into a PHC string cannot fail")
        .to_string()
}

/// Check a password against a stored PHC hash. CPU-heavy: call it off the async runtime.
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash that costs as much to check as a real one, for unknown users, so
/// that timing does not tell which usernames exist.
pub fn dummy_password_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Cq2hoYBlQhJ2zxm3Bl1SdyGQcHmWQXJCiEZvFzRu0JU"
}

/// A fresh random secret, hex-encoded (32 bytes of entropy).
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).expect("the operating system's random source works");
    hex::encode(bytes)
}

/// The prefix of API tokens, so a leaked one is easy to recognise.
pub const TOKEN_PREFIX: &str = "antq_";

/// A new API token as shown once to its owner.
pub fn new_api_token() -> String {
    format!("{TOKEN_PREFIX}{}", random_secret())
}

/// What is stored for a session id or token: its SHA-256, so a copy of the
/// database does not let anyone log in.
pub fn secret_digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_and_actions() {
        assert_eq!("police".parse::<Role>().unwrap(), Role::Police);
        assert!("root".parse::<Role>().is_err());
        assert!(Action::Read.permitted_by(Role::Viewer));
        assert!(!Action::EditAreas.permitted_by(Role::Viewer));
        assert!(Action::EditAreas.permitted_by(Role::Front));
        assert!(!Action::ManageUsers.permitted_by(Role::Police));
        assert!(Action::ManageUsers.permitted_by(Role::Admin));
        assert!(Action::EnterData(Role::Police).permitted_by(Role::Police));
        assert!(!Action::EnterData(Role::Police).permitted_by(Role::Front));
        assert!(!Action::EnterData(Role::Police).permitted_by(Role::Admin));
        assert!(Action::Approve(Role::Police).strictly_above());
        assert!(!Action::EnterData(Role::Police).strictly_above());
        assert!(Action::ApproveReview(Role::Front).permitted_by(Role::Front));
        assert!(!Action::ApproveReview(Role::Front).permitted_by(Role::Police));
        assert!(!Action::ApproveReview(Role::Police).permitted_by(Role::Admin));
        assert!(!Action::ApproveReview(Role::Police).strictly_above());
    }

    #[test]
    fn usernames() {
        assert_eq!(
            Username::parse(" CA.DienBien ").unwrap().as_str(),
            "ca.dienbien"
        );
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("nguyễn").is_err());
        assert!(Username::parse("a b c").is_err());
    }

    #[test]
    fn password_policy_and_hashing() {
        assert!(NewPassword::parse("short").is_err());
        assert!(NewPassword::parse("aaaaaaaaaaaaaaa").is_err());
        let pw = NewPassword::parse("mật khẩu đủ dài 2026").unwrap();
        assert_eq!(format!("{pw:?}"), "NewPassword([redacted])");
        let phc = hash_password(&pw);
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify_password("mật khẩu đủ dài 2026", &phc));
        assert!(!verify_password("mật khẩu sai 2026", &phc));
        assert!(!verify_password("anything", "not a hash"));
        assert!(!verify_password("anything", dummy_password_hash()));
    }

    #[test]
    fn secrets_are_random_and_digested() {
        let a = new_api_token();
        let b = new_api_token();
        assert_ne!(a, b);
        assert!(a.starts_with(TOKEN_PREFIX));
        assert_eq!(secret_digest(&a), secret_digest(&a));
        assert_ne!(secret_digest(&a), secret_digest(&b));
        assert_eq!(secret_digest("x").len(), 64);
    }
}
