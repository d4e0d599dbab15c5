//! The demo world: for Điện Biên and Đồng Tháp, police and Front officers at
//! province and commune level, a central administrator, and residential
//! areas in a few communes. Loading is idempotent; every load sets a fresh
//! password (or the one given) on the demo accounts and reports it, so no
//! password is ever built in.

pub mod demo_data;
pub mod library;
pub mod portal;
mod programme_awards;
mod programme_events;
pub mod programmes;
mod registers;
pub mod reviews;
mod signers;
pub mod synthetic;
pub mod tips;

use antq_core::auth::{NewPassword, Role, Username};
use antq_core::dates;
use antq_core::units::{AreaKind, Name, UnitCode};
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::StorageResult;
use crate::{accounts::users, units, units::areas};

/// (username, full name, role, unit code)
pub const DEMO_USERS: &[(&str, &str, Role, &str)] = &[
    (
        "quantri",
        "Quản trị hệ thống (Trung ương)",
        Role::Admin,
        "VN",
    ),
    (
        "qt.dienbien",
        "Quản trị Công an tỉnh Điện Biên",
        Role::Admin,
        "11",
    ),
    (
        "ca.dienbien",
        "Cán bộ Công an tỉnh Điện Biên",
        Role::Police,
        "11",
    ),
    (
        "mt.dienbien",
        "Cán bộ Ủy ban MTTQ tỉnh Điện Biên",
        Role::Front,
        "11",
    ),
    (
        "ca.muongphang",
        "Công an xã Mường Phăng",
        Role::Police,
        "03325",
    ),
    (
        "mt.muongphang",
        "Ủy ban MTTQ xã Mường Phăng",
        Role::Front,
        "03325",
    ),
    (
        "ca.dienbienphu",
        "Công an phường Điện Biên Phủ",
        Role::Police,
        "03127",
    ),
    (
        "qt.dongthap",
        "Quản trị Công an tỉnh Đồng Tháp",
        Role::Admin,
        "82",
    ),
    (
        "ca.dongthap",
        "Cán bộ Công an tỉnh Đồng Tháp",
        Role::Police,
        "82",
    ),
    (
        "mt.dongthap",
        "Cán bộ Ủy ban MTTQ tỉnh Đồng Tháp",
        Role::Front,
        "82",
    ),
    (
        "ca.caolanh",
        "Công an phường Cao Lãnh",
        Role::Police,
        "29869",
    ),
    (
        "mt.caolanh",
        "Ủy ban MTTQ phường Cao Lãnh",
        Role::Front,
        "29869",
    ),
    ("ca.thapmuoi", "Công an xã Tháp Mười", Role::Police, "30037"),
    (
        "xem.dongthap",
        "Lãnh đạo tỉnh Đồng Tháp (chỉ xem)",
        Role::Viewer,
        "82",
    ),
    (
        "bientap.dienbien",
        "Biên tập viên cổng thông tin tỉnh Điện Biên",
        Role::Editor,
        "11",
    ),
    (
        "duyettin.dienbien",
        "Người duyệt tin cổng thông tin tỉnh Điện Biên",
        Role::Reviewer,
        "11",
    ),
];

const DEMO_AREAS: &[(&str, AreaKind, &str)] = &[
    ("03325", AreaKind::Ban, "Bản Phăng"),
    ("03325", AreaKind::Ban, "Bản Che Căn"),
    ("03325", AreaKind::Ban, "Bản Nghịu"),
    ("03127", AreaKind::ToDanPho, "Tổ dân phố 1"),
    ("03127", AreaKind::ToDanPho, "Tổ dân phố 2"),
    ("03127", AreaKind::ToDanPho, "Tổ dân phố 3"),
    ("29869", AreaKind::Khom, "Khóm 1"),
    ("29869", AreaKind::Khom, "Khóm 2"),
    ("30037", AreaKind::Ap, "Ấp 1"),
    ("30037", AreaKind::Ap, "Ấp 2"),
];

/// What a demo load did.
#[derive(Debug, Clone)]
pub struct DemoLoaded {
    pub password: String,
    pub users_created: usize,
    pub areas_created: usize,
    /// The statistics loaded now (none when they were loaded before).
    pub statistics: Option<crate::demo::demo_data::DemoStats>,
    /// The conferences, awards and events loaded now (none when loaded before).
    pub programmes: Option<crate::demo::programmes::DemoProgrammes>,
    /// The 10-year reviews built now for the demo's conferences (0 when built before).
    pub reviews: usize,
    /// The citizen information loaded now (none when loaded before, or when
    /// no server secret for tips was given).
    pub tips: Option<crate::demo::tips::DemoTips>,
}

/// A readable random password: four groups of four letters and digits.
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let secret = antq_core::auth::random_secret();
    let bytes = hex_bytes(&secret);
    let chars: Vec<char> = bytes
        .iter()
        .take(16)
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

fn hex_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len() / 2)
        .filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
        .collect()
}

/// Load (or refresh) the demo world, without citizen information (which
/// needs the server's secret for tips: see [`load_with_tips`]).
pub async fn load(db: &Db, password: Option<&str>) -> StorageResult<DemoLoaded> {
    load_with_tips(db, password, None).await
}

/// Load (or refresh) the demo world; with the server's keyed hashes for
/// tips, the demo's citizen information too (receipts and scam identifiers
/// are hashed under that secret, so they match what citizens send later).
pub async fn load_with_tips(
    db: &Db,
    password: Option<&str>,
    keyed: Option<&antq_vault::Keyed>,
) -> StorageResult<DemoLoaded> {
    let password = password.map(str::to_string).unwrap_or_else(random_password);
    let parsed = NewPassword::parse(&password)?;
    let today = dates::today();
    let system = Who::system();
    let mut created = 0;
    for (username, name, role, code) in DEMO_USERS {
        let unit = units::get_at(db, &UnitCode::parse(code)?, today).await?;
        match users::find_by_username(db, username).await? {
            Some(id) => users::set_password(db, &system, id, parsed.clone()).await?,
            None => {
                users::create(
                    db,
                    &system,
                    users::NewUser {
                        username: Username::parse(username)?,
                        display_name: name.to_string(),
                        password: parsed.clone(),
                        grants: vec![(*role, unit.id)],
                    },
                )
                .await?;
                created += 1;
            }
        }
    }
    let mut areas_created = 0;
    for (code, kind, name) in DEMO_AREAS {
        let unit = units::get_at(db, &UnitCode::parse(code)?, today).await?;
        let existing = areas::list(db, unit.id).await?;
        if existing.iter().any(|a| a.name == *name) {
            continue;
        }
        areas::create(db, &system, &unit, *kind, &Name::parse(name)?).await?;
        areas_created += 1;
    }
    let statistics = crate::demo::demo_data::load(db).await?;
    let programmes = crate::demo::programmes::load(db).await?;
    // The instruments public, with generated full text, for the portal's search.
    crate::demo::library::load(db).await?;
    // Signers first: the demo's reviews take theirs from the register.
    crate::demo::signers::load(db).await?;
    let reviews = crate::demo::reviews::load(db).await?;
    // One year of safety recognition and of classification for both provinces.
    crate::registries::recognitions::demo(db).await?;
    crate::registries::classifications::demo(db).await?;
    // The portal's news, drafted from the conferences above.
    crate::portal::demo::load(db).await?;
    // The portal's open data and a few messages to the editors.
    crate::demo::portal::load(db).await?;
    let tips = match keyed {
        Some(keyed) => crate::demo::tips::load(db, keyed, &password).await?,
        None => None,
    };
    let mut tx = db.begin_write().await?;
    audit::append(
        &mut tx,
        Change {
            who: &system,
            action: "demo.load",
            entity: "demo",
            entity_id: "dien-bien-dong-thap".into(),
            unit_id: None,
            before: None,
            after: Some(json!({"users_created": created, "areas_created": areas_created})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(DemoLoaded {
        password,
        users_created: created,
        areas_created,
        statistics,
        programmes,
        reviews,
        tips,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_passwords_meet_the_policy() {
        let a = random_password();
        assert_eq!(a.len(), 19);
        assert!(NewPassword::parse(&a).is_ok());
        assert_ne!(a, random_password());
    }
}
