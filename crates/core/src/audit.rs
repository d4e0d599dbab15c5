//! The audit log's hash chain. Each row's hash covers the previous row's hash
//! and the row itself, so changing or removing any row breaks every hash after
//! it; `antq audit verify` walks the chain.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash that stands before the first row.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit row as it is hashed: everything but the hash itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub id: i64,
    /// RFC 3339 UTC timestamp.
    pub at: String,
    /// The user who made the change, or `None` for the system (migrations, seeding).
    pub actor_id: Option<i64>,
    /// The actor's name at the time (kept even if the user is renamed).
    pub actor: String,
    /// What happened: `user.create`, `grant.add`, `lineage.update`, ...
    pub action: String,
    /// The kind of thing changed: `user`, `unit`, `unit_link`, ...
    pub entity: String,
    pub entity_id: String,
    /// The unit the change belongs to, for scoping who may read the row.
    pub unit_id: Option<i64>,
    /// JSON of the state before the change.
    pub before: Option<String>,
    /// JSON of the state after the change.
    pub after: Option<String>,
    pub prev_hash: String,
}

impl AuditRecord {
    /// SHA-256 over the previous hash and a length-prefixed encoding of every
    /// field, so no two different rows share an encoding.
    pub fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        let mut field = |s: Option<&str>| match s {
            None => h.update(b"N"),
            Some(s) => {
                h.update(b"S");
                h.update((s.len() as u64).to_be_bytes());
                h.update(s.as_bytes());
            }
        };
        let id = self.id.to_string();
        let actor_id = self.actor_id.map(|v| v.to_string());
        let unit_id = self.unit_id.map(|v| v.to_string());
        field(Some(&self.prev_hash));
        field(Some(&id));
        field(Some(&self.at));
        field(actor_id.as_deref());
        field(Some(&self.actor));
        field(Some(&self.action));
        field(Some(&self.entity));
        field(Some(&self.entity_id));
        field(unit_id.as_deref());
        field(self.before.as_deref());
        field(self.after.as_deref());
        hex::encode(h.finalize())
    }
}

/// Why a chain does not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The row's content does not match its stored hash: it was changed.
    RowAltered { id: i64 },
    /// The row does not point at the hash of the row before it: a row
    /// before it was removed, inserted or reordered.
    LinkBroken { id: i64 },
    /// The chain's recorded head is not its last row: rows at the end were removed.
    HeadMismatch { last_id: Option<i64> },
}

/// Check a chain given in id order, each row with its stored hash.
pub fn verify_chain<'a>(
    rows: impl IntoIterator<Item = (&'a AuditRecord, &'a str)>,
) -> Result<(usize, String), ChainBreak> {
    verify_chain_from(GENESIS_HASH, rows)
}

/// Check a stretch of a chain that must follow the row whose hash is `prev`.
/// Returns the number of rows checked and the last hash.
pub fn verify_chain_from<'a>(
    prev: &str,
    rows: impl IntoIterator<Item = (&'a AuditRecord, &'a str)>,
) -> Result<(usize, String), ChainBreak> {
    let mut prev = prev.to_string();
    let mut n = 0;
    for (rec, stored) in rows {
        if rec.prev_hash != prev {
            return Err(ChainBreak::LinkBroken { id: rec.id });
        }
        if rec.compute_hash() != stored {
            return Err(ChainBreak::RowAltered { id: rec.id });
        }
        prev = stored.to_string();
        n += 1;
    }
    Ok((n, prev))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<(AuditRecord, String)> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|id| {
                let rec = AuditRecord {
                    id,
                    at: format!("2026-01-01T00:00:0{id}.000000Z"),
                    actor_id: Some(1),
                    actor: "admin".into(),
                    action: "user.create".into(),
                    entity: "user".into(),
                    entity_id: id.to_string(),
                    unit_id: None,
                    before: None,
                    after: Some(format!("{{\"id\":{id}}}")),
                    prev_hash: prev.clone(),
                };
                let h = rec.compute_hash();
                prev = h.clone();
                (rec, h)
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        let c = chain(5);
        let (n, head) = verify_chain(c.iter().map(|(r, h)| (r, h.as_str()))).unwrap();
        assert_eq!(n, 5);
        assert_eq!(head, c[4].1);
    }

    #[test]
    fn an_altered_row_is_named() {
        let mut c = chain(5);
        c[2].0.after = Some("{\"id\":999}".into());
        let err = verify_chain(c.iter().map(|(r, h)| (r, h.as_str()))).unwrap_err();
        assert_eq!(err, ChainBreak::RowAltered { id: 3 });
    }

    #[test]
    fn a_removed_row_is_found() {
        let mut c = chain(5);
        c.remove(1);
        let err = verify_chain(c.iter().map(|(r, h)| (r, h.as_str()))).unwrap_err();
        assert_eq!(err, ChainBreak::LinkBroken { id: 3 });
    }

    #[test]
    fn null_and_empty_hash_differently() {
        let mut a = chain(1).remove(0).0;
        a.before = None;
        let mut b = a.clone();
        b.before = Some(String::new());
        assert_ne!(a.compute_hash(), b.compute_hash());
    }
}
