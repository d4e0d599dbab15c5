//! The keys antq holds in memory, never on disk: each logged-in police
//! officer's private key for reading tips (opened with the password at
//! login, kept for the session, dropped at logout or when the session
//! idles out), and each tipster's open tip key (opened with the receipt,
//! kept for a short session). A restart forgets them all: officers open
//! their key again with the password, tipsters with the receipt.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use antq_vault::{SecretKey, TipKey};

/// How long a tipster's session lasts without use.
pub const TIPSTER_IDLE: Duration = Duration::from_secs(30 * 60);
/// The most tipster sessions held at once (older ones are dropped first).
pub const MAX_TIPSTER_SESSIONS: usize = 10_000;
/// The most officer keys held at once.
pub const MAX_OFFICER_KEYS: usize = 10_000;

struct Held<T> {
    value: T,
    used: Instant,
}

/// A bounded map from a secret session id to a key, dropping entries idle
/// longer than `idle` and the least recently used when full.
struct Ring<T> {
    entries: Mutex<HashMap<String, Held<T>>>,
    idle: Duration,
    max: usize,
}

impl<T: Clone> Ring<T> {
    fn new(idle: Duration, max: usize) -> Self {
        Ring {
            entries: Mutex::new(HashMap::new()),
            idle,
            max,
        }
    }

    fn put(&self, id: &str, value: T) {
        let mut map = self.entries.lock().expect("keyring lock");
        let idle = self.idle;
        map.retain(|_, h| h.used.elapsed() < idle);
        if map.len() >= self.max {
            if let Some(oldest) = map
                .iter()
                .min_by_key(|(_, h)| h.used)
                .map(|(k, _)| k.clone())
            {
                map.remove(&oldest);
            }
        }
        map.insert(
            id.to_string(),
            Held {
                value,
                used: Instant::now(),
            },
        );
    }

    fn get(&self, id: &str) -> Option<T> {
        let mut map = self.entries.lock().expect("keyring lock");
        let idle = self.idle;
        match map.get_mut(id) {
            Some(h) if h.used.elapsed() < idle => {
                h.used = Instant::now();
                Some(h.value.clone())
            }
            Some(_) => {
                map.remove(id);
                None
            }
            None => None,
        }
    }

    fn remove(&self, id: &str) {
        self.entries.lock().expect("keyring lock").remove(id);
    }
}

/// The keys in memory.
pub struct Keyring {
    officers: Ring<(i64, SecretKey)>,
    tipsters: Ring<(i64, TipKey, String)>,
}

/// A tipster's session: the tip, its key, and the session's form token.
pub struct TipsterSession {
    pub tip_id: i64,
    pub key: TipKey,
    pub csrf: String,
}

impl Keyring {
    pub fn new(officer_idle: Duration) -> Keyring {
        Keyring {
            officers: Ring::new(officer_idle, MAX_OFFICER_KEYS),
            tipsters: Ring::new(TIPSTER_IDLE, MAX_TIPSTER_SESSIONS),
        }
    }

    /// Keep an officer's open key for their session.
    pub fn hold_officer(&self, session_id: &str, user_id: i64, key: SecretKey) {
        self.officers.put(session_id, (user_id, key));
    }

    /// The officer's open key, if this session holds it.
    pub fn officer(&self, session_id: &str, user_id: i64) -> Option<SecretKey> {
        self.officers
            .get(session_id)
            .filter(|(u, _)| *u == user_id)
            .map(|(_, k)| k)
    }

    pub fn drop_officer(&self, session_id: &str) {
        self.officers.remove(session_id);
    }

    /// Start a tipster session: its secret id (the cookie's value).
    pub fn open_tipster(&self, tip_id: i64, key: TipKey) -> String {
        let id = hex::encode(antq_vault::random_secret());
        let csrf = hex::encode(&antq_vault::random_secret()[..16]);
        self.tipsters.put(&id, (tip_id, key, csrf));
        id
    }

    pub fn tipster(&self, session_id: &str) -> Option<TipsterSession> {
        self.tipsters
            .get(session_id)
            .map(|(tip_id, key, csrf)| TipsterSession { tip_id, key, csrf })
    }

    pub fn close_tipster(&self, session_id: &str) {
        self.tipsters.remove(session_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_officer_key_belongs_to_its_session_and_user() {
        let ring = Keyring::new(Duration::from_secs(60));
        let (_, secret) = antq_vault::generate_keypair();
        ring.hold_officer("s1", 7, secret);
        assert!(ring.officer("s1", 7).is_some());
        assert!(ring.officer("s1", 8).is_none(), "another user");
        assert!(ring.officer("s2", 7).is_none(), "another session");
        ring.drop_officer("s1");
        assert!(ring.officer("s1", 7).is_none());
    }

    #[test]
    fn idle_entries_go() {
        let ring: Ring<i64> = Ring::new(Duration::from_millis(0), 10);
        ring.put("a", 1);
        assert_eq!(ring.get("a"), None);
    }

    #[test]
    fn a_full_ring_drops_the_least_recently_used() {
        let ring: Ring<i64> = Ring::new(Duration::from_secs(60), 2);
        ring.put("a", 1);
        ring.put("b", 2);
        assert_eq!(ring.get("a"), Some(1));
        ring.put("c", 3);
        assert_eq!(ring.get("b"), None);
        assert_eq!(ring.get("a"), Some(1));
        assert_eq!(ring.get("c"), Some(3));
    }

    #[test]
    fn tipster_sessions_have_unguessable_ids_and_their_own_token() {
        let ring = Keyring::new(Duration::from_secs(60));
        let a = ring.open_tipster(1, TipKey::generate());
        let b = ring.open_tipster(2, TipKey::generate());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        let s = ring.tipster(&a).unwrap();
        assert_eq!(s.tip_id, 1);
        assert_eq!(s.csrf.len(), 32);
        ring.close_tipster(&a);
        assert!(ring.tipster(&a).is_none());
    }
}
