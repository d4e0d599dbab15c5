//! The demo's register of signers: for each demo province (and Đồng Tháp as
//! it was before 2025, whose 10-year review the demo builds), a deputy
//! director who signs for the police and the Front's chair who signs for
//! its standing board. The names are the placeholder names Vietnamese forms
//! use ("Nguyễn Văn A"), so nobody takes them for real people. Added once.

use antq_core::dates;
use antq_core::reviews::signing::{Authority, Side, Signer};
use antq_core::units::UnitCode;

use crate::audit::Who;
use crate::db::Db;
use crate::error::StorageResult;
use crate::reviews::{self, SignerInput};
use crate::units;

/// (unit code, a day it existed (none: today), police rank and name, Front name).
const SIGNERS: &[(&str, &str, &str, &str, &str)] = &[
    ("11", "2023-05-19", "Đại tá", "Nguyễn Văn A", "Trần Thị B"),
    ("87", "2023-05-18", "Đại tá", "Lê Văn C", "Phạm Thị D"),
    ("82", "", "Đại tá", "Lê Văn C", "Phạm Thị D"),
];

/// Register the demo's signers where a unit has none yet; how many were added.
pub async fn load(db: &Db) -> StorageResult<usize> {
    let who = Who {
        id: None,
        name: "demo".into(),
    };
    let mut added = 0;
    for (code, day, rank, police, front) in SIGNERS {
        let at = if day.is_empty() {
            dates::today()
        } else {
            dates::parse_date(day)?
        };
        let unit = units::get_at(db, &UnitCode::parse(code)?, at).await?;
        if !reviews::register(db, unit.id).await?.is_empty() {
            continue;
        }
        let blocks = [
            Signer {
                side: Side::Police,
                authority: Authority::Deputy,
                for_whom: "GIÁM ĐỐC".into(),
                position: "PHÓ GIÁM ĐỐC".into(),
                rank: (*rank).into(),
                name: (*police).into(),
            },
            Signer {
                side: Side::Front,
                authority: Authority::OnBehalf,
                for_whom: "BAN THƯỜNG TRỰC".into(),
                position: "CHỦ TỊCH".into(),
                rank: String::new(),
                name: (*front).into(),
            },
        ];
        for signer in blocks {
            reviews::add_signer(
                db,
                &who,
                unit.id,
                SignerInput {
                    signer,
                    sort: 1,
                    active: true,
                },
            )
            .await?;
            added += 1;
        }
    }
    Ok(added)
}
