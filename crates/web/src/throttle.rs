//! Login throttling. Every attempt first *reserves* a place under three
//! counters, atomically, before the password is checked:
//!
//! - the account from this address (`per_account`, 5 in 15 minutes): a
//!   stranger guessing from elsewhere does not lock the owner out;
//! - the account from anywhere (`per_account_global`, 50 in 15 minutes): a
//!   slower bound on guesses spread over many addresses;
//! - the address, whatever the account (`per_address`, 20 in 15 minutes).
//!
//! Attempts in flight count as failures until their outcome is known, so
//! twenty concurrent wrong passwords get exactly `per_account` checks. A
//! failure is recorded under all three counters; a success clears the
//! account-from-this-address counter. Unknown usernames are counted like
//! known ones (so the answers do not tell which exist), in a map of at most
//! `max_entries` keys: when it is full, expired entries go first, then the
//! least recently used quarter.

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The longest account or address kept as a key (usernames are at most 64).
const KEY_CHARS: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub window: Duration,
    pub per_account: u32,
    pub per_account_global: u32,
    pub per_address: u32,
    pub max_entries: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            window: Duration::from_secs(15 * 60),
            per_account: 5,
            per_account_global: 50,
            per_address: 20,
            max_entries: 50_000,
        }
    }
}

#[derive(Debug, Default)]
struct Entry {
    /// The latest failures, oldest first (at most the counter's limit).
    failures: Vec<Instant>,
    /// Attempts reserved and not yet decided.
    pending: u32,
    last_used: Option<Instant>,
}

/// A counter's key: a keyed 64-bit hash of what it counts (the account, the
/// address or both), so every key costs the same few bytes however long the
/// username typed.
type Key = u64;

/// Keys are already keyed hashes, so the map uses them as they are.
#[derive(Debug, Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type Map = HashMap<Key, Entry, BuildHasherDefault<KeyHasher>>;

#[derive(Debug)]
pub struct Throttle {
    limits: Limits,
    hasher: RandomState,
    entries: Mutex<Map>,
}

impl Default for Throttle {
    fn default() -> Self {
        Throttle::with_limits(Limits::default())
    }
}

/// How long to wait before the next attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wait(pub Duration);

impl Wait {
    /// Whole minutes, rounded up, at least one.
    pub fn minutes(self) -> u64 {
        self.0.as_secs().div_ceil(60).max(1)
    }

    /// What the user reads.
    pub fn message(self) -> String {
        format!(
            "Đăng nhập sai quá nhiều lần. Xin thử lại sau {} phút, hoặc liên hệ quản trị viên của đơn vị.",
            self.minutes()
        )
    }
}

/// A reserved attempt. Say how it ended with `failed` or `succeeded`; an
/// attempt dropped undecided (an error, a client gone) frees its place.
#[derive(Debug)]
pub struct Attempt {
    throttle: Arc<Throttle>,
    keys: [(Key, u32); 3],
    decided: bool,
}

impl Attempt {
    pub fn failed(mut self) {
        self.decided = true;
        self.throttle.finish(&self.keys, false);
    }

    pub fn succeeded(mut self) {
        self.decided = true;
        self.throttle.finish(&self.keys, true);
    }
}

impl Drop for Attempt {
    fn drop(&mut self) {
        if !self.decided {
            self.throttle.release(&self.keys);
        }
    }
}

fn clip(s: &str) -> String {
    s.chars().take(KEY_CHARS).collect()
}

/// The address as throttled: IPv6 addresses by their /64 (one customer's
/// network), everything else as given.
pub fn address_key(addr: &str) -> String {
    match addr.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(IpAddr::V6(v6)) => v6
            .to_ipv4_mapped()
            .map(|v4| v4.to_string())
            .unwrap_or_default(),
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Err(_) => clip(addr),
    }
}

impl Throttle {
    pub fn new(window: Duration, per_account: u32, per_address: u32) -> Self {
        Throttle::with_limits(Limits {
            window,
            per_account,
            per_address,
            ..Limits::default()
        })
    }

    pub fn with_limits(limits: Limits) -> Self {
        Throttle {
            limits,
            hasher: RandomState::new(),
            entries: Mutex::new(Map::default()),
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// How many keys are held now.
    pub fn len(&self) -> usize {
        self.entries.lock().expect("throttle lock").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn keys(&self, account: &str, address: &str) -> [(Key, u32); 3] {
        let account = clip(account.trim()).to_lowercase();
        let address = address_key(address);
        let h = &self.hasher;
        [
            (
                h.hash_one((0u8, &account, &address)),
                self.limits.per_account,
            ),
            (h.hash_one((1u8, &account)), self.limits.per_account_global),
            (h.hash_one((2u8, &address)), self.limits.per_address),
        ]
    }

    /// Reserve an attempt for this account from this address, or say how
    /// long to wait. Checking and reserving are one step under the lock.
    pub fn reserve(self: &Arc<Self>, account: &str, address: &str) -> Result<Attempt, Wait> {
        let keys = self.keys(account, address);
        let now = Instant::now();
        let window = self.limits.window;
        let mut map = self.entries.lock().expect("throttle lock");
        let mut wait: Option<Duration> = None;
        for (key, limit) in &keys {
            let limit = *limit as usize;
            let Some(e) = map.get_mut(key) else { continue };
            e.failures.retain(|t| now.duration_since(*t) < window);
            if e.failures.len() + e.pending as usize >= limit {
                // Full of failures: until the oldest that counts expires.
                // Full with attempts still being checked: a moment.
                let w = if e.failures.len() >= limit {
                    let oldest = e.failures[e.failures.len() - limit];
                    window.saturating_sub(now.duration_since(oldest))
                } else {
                    Duration::from_secs(1)
                };
                wait = Some(wait.map_or(w, |x| x.max(w)));
            }
        }
        if let Some(w) = wait {
            return Err(Wait(w));
        }
        let missing = keys.iter().filter(|(k, _)| !map.contains_key(k)).count();
        if missing > 0 && map.len() + missing > self.limits.max_entries {
            self.make_room(&mut map, now, missing);
        }
        for (key, _) in &keys {
            let e = map.entry(*key).or_default();
            e.pending += 1;
            e.last_used = Some(now);
        }
        drop(map);
        Ok(Attempt {
            throttle: Arc::clone(self),
            keys,
            decided: false,
        })
    }

    /// Make room for `needed` new keys: drop the entries unused for a whole
    /// window (their failures have all expired) and, if that is not enough,
    /// the least recently used quarter. Entries with attempts in flight stay.
    fn make_room(&self, map: &mut Map, now: Instant, needed: usize) {
        let mut idle: Vec<Instant> = map
            .values()
            .filter(|e| e.pending == 0)
            .map(|e| e.last_used.unwrap_or(now))
            .collect();
        let over = (map.len() + needed).saturating_sub(self.limits.max_entries);
        let n = over.max(self.limits.max_entries / 4).min(idle.len());
        let expired = now.checked_sub(self.limits.window);
        let cutoff = match (n, expired) {
            (0, None) => return,
            (0, Some(e)) => e,
            (n, e) => {
                let (_, nth, _) = idle.select_nth_unstable(n - 1);
                e.map_or(*nth, |e| e.max(*nth))
            }
        };
        map.retain(|_, e| e.pending > 0 || e.last_used.is_some_and(|t| t > cutoff));
    }

    fn finish(&self, keys: &[(Key, u32); 3], success: bool) {
        let now = Instant::now();
        let mut map = self.entries.lock().expect("throttle lock");
        for (i, (key, limit)) in keys.iter().enumerate() {
            let Some(e) = map.get_mut(key) else { continue };
            e.pending = e.pending.saturating_sub(1);
            e.last_used = Some(now);
            if success {
                if i == 0 {
                    e.failures.clear();
                }
            } else {
                e.failures.push(now);
                let keep = *limit as usize;
                if e.failures.len() > keep {
                    let extra = e.failures.len() - keep;
                    e.failures.drain(..extra);
                }
            }
            if e.pending == 0 && e.failures.is_empty() {
                map.remove(key);
            }
        }
    }

    fn release(&self, keys: &[(Key, u32); 3]) {
        let mut map = self.entries.lock().expect("throttle lock");
        for (key, _) in keys {
            let Some(e) = map.get_mut(key) else { continue };
            e.pending = e.pending.saturating_sub(1);
            if e.pending == 0 && e.failures.is_empty() {
                map.remove(key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle(per_account: u32, global: u32, per_address: u32) -> Arc<Throttle> {
        Arc::new(Throttle::with_limits(Limits {
            window: Duration::from_secs(60),
            per_account,
            per_account_global: global,
            per_address,
            max_entries: 10_000,
        }))
    }

    fn fail(t: &Arc<Throttle>, account: &str, addr: &str) {
        t.reserve(account, addr).expect("not throttled").failed();
    }

    #[test]
    fn locks_an_account_from_one_address_after_repeated_failures() {
        let t = throttle(3, 50, 10);
        for _ in 0..3 {
            fail(&t, "an", "1.2.3.4");
        }
        let wait = t.reserve("AN", "1.2.3.4").unwrap_err();
        assert!(wait.0 <= Duration::from_secs(60) && wait.minutes() == 1);
        assert!(wait
            .message()
            .starts_with("Đăng nhập sai quá nhiều lần. Xin thử lại sau 1 phút"));
        // The owner, elsewhere, is not locked out by a stranger's failures.
        t.reserve("an", "5.6.7.8").unwrap().succeeded();
        assert!(t.reserve("binh", "1.2.3.4").is_ok());
    }

    #[test]
    fn a_success_clears_the_account_from_that_address() {
        let t = throttle(3, 50, 10);
        fail(&t, "an", "1.2.3.4");
        fail(&t, "an", "1.2.3.4");
        t.reserve("an", "1.2.3.4").unwrap().succeeded();
        fail(&t, "an", "1.2.3.4");
        fail(&t, "an", "1.2.3.4");
        assert!(t.reserve("an", "1.2.3.4").is_ok());
    }

    #[test]
    fn many_addresses_meet_the_global_account_limit() {
        let t = throttle(5, 8, 100);
        for i in 0..8 {
            fail(&t, "an", &format!("10.0.0.{i}"));
        }
        assert!(t.reserve("an", "10.0.1.1").is_err());
        assert!(t.reserve("binh", "10.0.1.1").is_ok());
    }

    #[test]
    fn locks_an_address_trying_many_accounts() {
        let t = throttle(100, 100, 4);
        for i in 0..4 {
            fail(&t, &format!("user{i}"), "9.9.9.9");
        }
        assert!(t.reserve("someone", "9.9.9.9").is_err());
        assert!(t.reserve("someone", "8.8.8.8").is_ok());
    }

    #[test]
    fn attempts_in_flight_hold_their_place() {
        let t = throttle(5, 50, 20);
        // Nineteen at once: five places, fourteen refused before any check.
        let held: Vec<_> = (0..19)
            .filter_map(|_| t.reserve("an", "1.2.3.4").ok())
            .collect();
        assert_eq!(held.len(), 5);
        // An attempt abandoned undecided frees its place; failures do not.
        let mut held = held.into_iter();
        drop(held.next());
        assert!(t.reserve("an", "1.2.3.4").map(Attempt::failed).is_ok());
        for a in held {
            a.failed();
        }
        assert!(t.reserve("an", "1.2.3.4").is_err());
    }

    #[test]
    fn ipv6_addresses_count_by_their_network() {
        assert_eq!(address_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(address_key("2001:db8:1:2:bbbb::9"), "2001:db8:1:2::/64");
        assert_eq!(address_key("::ffff:1.2.3.4"), "1.2.3.4");
        assert_eq!(address_key("1.2.3.4"), "1.2.3.4");
        let t = throttle(100, 100, 2);
        fail(&t, "a", "2001:db8:1:2::1");
        fail(&t, "b", "2001:db8:1:2::2");
        assert!(t.reserve("c", "2001:db8:1:2::3").is_err());
    }

    #[test]
    fn memory_is_bounded_whatever_the_usernames() {
        // 1.000.000 distinct unknown usernames (each longer than any real
        // one), failing once each from 4.096 addresses: the map never holds
        // more than its cap.
        let t = Arc::new(Throttle::with_limits(Limits {
            max_entries: 20_000,
            per_address: u32::MAX,
            ..Limits::default()
        }));
        let long = "x".repeat(100);
        let mut most = 0;
        for i in 0..1_000_000u32 {
            let user = format!("{i}{long}");
            let addr = format!("10.0.{}.{}", (i >> 8) & 15, i & 255);
            t.reserve(&user, &addr).expect("a new account").failed();
            if i % 1000 == 0 {
                most = most.max(t.len());
            }
        }
        most = most.max(t.len());
        assert!(most <= 20_000, "{most} entries");
        assert!(most >= 15_000, "the cap is used, not cleared: {most}");
        // The newest failures are still counted.
        for _ in 0..5 {
            fail(&t, "nan", "10.255.255.1");
        }
        assert!(t.reserve("nan", "10.255.255.1").is_err());
    }
}
