//! Login throttling, after OWASP's "Blocking Brute Force Attacks" and its
//! "Slow down online guessing attacks with device cookies": limits that
//! stop guessing without letting a stranger lock the owner out.
//!
//! Every attempt first *reserves* a place under its counters, atomically,
//! before the password is checked, so concurrent guesses cannot get past a
//! limit: attempts in flight count as failures until their outcome is known
//! (nineteen concurrent wrong passwords get exactly `per_account` checks).
//! Which counters an attempt meets depends on where it comes from:
//!
//! - **A known device**: the browser sends a device cookie (a random
//!   secret set after an earlier successful login) that logged in to *this*
//!   account before. It is counted only under its own key, the account on
//!   that device (`per_account`, 5 in 15 minutes), never under the limits
//!   below: however many strangers guess, the owner's browser still gets in.
//! - **A known address**: no device cookie, but the account logged in
//!   successfully from this address before (an office behind one shared
//!   address). Counted only under the account from this address
//!   (`per_account`): one address's failures for other names never block it.
//! - **Anything else** meets three counters: the account from this address
//!   (`per_account`), the account from anywhere (`per_account_global`, 50 in
//!   15 minutes, the slower bound on guesses spread over many addresses) and
//!   the address whatever the account (`per_address`, 20 in 15 minutes).
//!
//! So an unknown device verifies at most `per_address` passwords per address
//! and window, and at most `per_account` for one account; a known address adds
//! `per_account` for each account that really logged in from it, no more.
//! A device or address becomes known only through a correct password, and
//! stays known for `trust_for` (90 days) after its latest success.
//!
//! A failure is recorded under the attempt's counters; a success clears the
//! account's counter for that address or device. Unknown usernames are
//! counted like known ones (so the answers do not tell which exist). Memory
//! is bounded: counters live in a map of at most `max_entries` keys (when it
//! is full, expired entries go first, then the least recently used quarter),
//! and what is known in one of at most `max_known` keys (added only by
//! successful logins; the oldest go first). Keys are keyed 64-bit hashes, a
//! few bytes whatever was typed.
//!
//! Several nodes: these counters are in the memory of one process, so each
//! node counts on its own; the two limits strangers meet across nodes are
//! also kept in the database (`login_failures`: the account from anywhere,
//! and the address whatever the account) and checked by `accounts::service`.
//! A restart forgets known devices and addresses (users fall back to the
//! limits for strangers until their next login).

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The longest account or address kept as a key (usernames are at most 64).
const KEY_CHARS: usize = 64;

/// The device cookie's name.
pub const DEVICE_COOKIE: &str = "antq_device";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub window: Duration,
    pub per_account: u32,
    pub per_account_global: u32,
    pub per_address: u32,
    pub max_entries: usize,
    /// How long a device or address stays known after its latest success.
    pub trust_for: Duration,
    pub max_known: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            window: Duration::from_secs(15 * 60),
            per_account: 5,
            per_account_global: 50,
            per_address: 20,
            max_entries: 50_000,
            trust_for: Duration::from_secs(90 * 24 * 3600),
            max_known: 50_000,
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

/// Keys are already keyed hashes, so the maps use them as they are.
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
/// What is known, with the time of its latest success.
type Known = HashMap<Key, Instant, BuildHasherDefault<KeyHasher>>;

#[derive(Debug, Default)]
struct Inner {
    counters: Map,
    known: Known,
}

#[derive(Debug)]
pub struct Throttle {
    limits: Limits,
    hasher: RandomState,
    inner: Mutex<Inner>,
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

/// The `Set-Cookie` value for a device secret: like the session cookie
/// (HttpOnly, SameSite=Lax, Secure over TLS), kept for `max_age`.
pub fn device_cookie(secret: &str, secure: bool, max_age: Duration) -> String {
    let mut c = format!(
        "{DEVICE_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
        max_age.as_secs()
    );
    if secure {
        c.push_str("; Secure");
    }
    c
}

/// Where an attempt comes from, as the throttle saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    KnownDevice,
    KnownAddress,
    Unknown,
}

/// A reserved attempt. Say how it ended with `failed` or `succeeded`; an
/// attempt dropped undecided (an error, a client gone) frees its place.
#[derive(Debug)]
pub struct Attempt {
    throttle: Arc<Throttle>,
    source: Source,
    /// The counters reserved; the first is the account's own (from this
    /// address or device), cleared by a success.
    keys: Vec<(Key, u32)>,
    account_key: Key,
    /// What a success makes known: the account from this address, and on
    /// this device (the device's secret, kept or new).
    known_address: Key,
    device: String,
    decided: bool,
}

impl Attempt {
    pub fn source(&self) -> Source {
        self.source
    }

    pub fn failed(mut self) {
        self.decided = true;
        self.throttle.finish(&self.keys, false);
    }

    /// Record the success and answer the device secret to set in the device
    /// cookie (the one the browser sent, or a new one).
    pub fn succeeded(mut self) -> String {
        self.decided = true;
        self.throttle.finish(&self.keys, true);
        let device_key = self.throttle.device_key(self.account_key, &self.device);
        let issued = self.throttle.hasher.hash_one((6u8, self.device.as_str()));
        self.throttle
            .remember(&[self.known_address, device_key, issued]);
        std::mem::take(&mut self.device)
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

/// A device secret as this server makes them (64 lowercase hex digits);
/// anything else in the cookie is ignored.
fn well_formed_device(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
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
            inner: Mutex::new(Inner::default()),
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// How many counter keys are held now.
    pub fn len(&self) -> usize {
        self.inner.lock().expect("throttle lock").counters.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many devices and addresses are known now.
    pub fn known_len(&self) -> usize {
        self.inner.lock().expect("throttle lock").known.len()
    }

    /// The key under which "this device logged in to this account" is known.
    fn device_key(&self, account_key: Key, device: &str) -> Key {
        self.hasher.hash_one((5u8, account_key, device))
    }

    fn is_known(&self, known: &Known, key: Key, now: Instant) -> bool {
        known
            .get(&key)
            .is_some_and(|t| now.duration_since(*t) < self.limits.trust_for)
    }

    /// Reserve an attempt for this account from this address, with the
    /// device cookie if the browser sent one, or say how long to wait.
    /// Checking and reserving are one step under the lock.
    pub fn reserve(
        self: &Arc<Self>,
        account: &str,
        address: &str,
        device: Option<&str>,
    ) -> Result<Attempt, Wait> {
        let account = clip(account.trim()).to_lowercase();
        let address = address_key(address);
        let device = device.filter(|d| well_formed_device(d));
        let h = &self.hasher;
        let account_key = h.hash_one((1u8, &account));
        let pair = (
            h.hash_one((0u8, &account, &address)),
            self.limits.per_account,
        );
        let known_address = h.hash_one((4u8, &account, &address));
        let now = Instant::now();
        let window = self.limits.window;
        let mut inner = self.inner.lock().expect("throttle lock");
        let device_known = device.filter(|d| {
            let key = self.device_key(account_key, d);
            self.is_known(&inner.known, key, now)
        });
        let (source, keys) = if let Some(d) = device_known {
            let own = h.hash_one((3u8, &account, d));
            (Source::KnownDevice, vec![(own, self.limits.per_account)])
        } else if self.is_known(&inner.known, known_address, now) {
            (Source::KnownAddress, vec![pair])
        } else {
            (
                Source::Unknown,
                vec![
                    pair,
                    (account_key, self.limits.per_account_global),
                    (h.hash_one((2u8, &address)), self.limits.per_address),
                ],
            )
        };
        let map = &mut inner.counters;
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
            self.make_room(map, now, missing);
        }
        for (key, _) in &keys {
            let e = map.entry(*key).or_default();
            e.pending += 1;
            e.last_used = Some(now);
        }
        // A secret this server issued is kept (a browser shared by several
        // accounts keeps one cookie); anything else is replaced, so nobody
        // can choose the secret a victim's browser will hold.
        let issued =
            device.filter(|d| self.is_known(&inner.known, self.hasher.hash_one((6u8, *d)), now));
        drop(inner);
        let device = issued.map_or_else(antq_core::auth::random_secret, str::to_string);
        Ok(Attempt {
            throttle: Arc::clone(self),
            source,
            keys,
            account_key,
            known_address,
            device,
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

    /// Make these known (now), within `max_known`: when full, what is no
    /// longer trusted goes first, then the oldest quarter.
    fn remember(&self, keys: &[Key]) {
        let now = Instant::now();
        let mut inner = self.inner.lock().expect("throttle lock");
        let known = &mut inner.known;
        let missing = keys.iter().filter(|k| !known.contains_key(k)).count();
        let cap = self.limits.max_known;
        if missing > 0 && known.len() + missing > cap {
            let trust_for = self.limits.trust_for;
            known.retain(|_, t| now.duration_since(*t) < trust_for);
            if known.len() + missing > cap {
                let mut times: Vec<Instant> = known.values().copied().collect();
                let n = (known.len() + missing - cap).max(cap / 4).min(times.len());
                if n > 0 {
                    let (_, nth, _) = times.select_nth_unstable(n - 1);
                    let cutoff = *nth;
                    known.retain(|_, t| *t > cutoff);
                }
            }
        }
        for k in keys {
            known.insert(*k, now);
        }
    }

    fn finish(&self, keys: &[(Key, u32)], success: bool) {
        let now = Instant::now();
        let mut inner = self.inner.lock().expect("throttle lock");
        let map = &mut inner.counters;
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

    fn release(&self, keys: &[(Key, u32)]) {
        let mut inner = self.inner.lock().expect("throttle lock");
        let map = &mut inner.counters;
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
            ..Limits::default()
        }))
    }

    fn fail(t: &Arc<Throttle>, account: &str, addr: &str) {
        t.reserve(account, addr, None)
            .expect("not throttled")
            .failed();
    }

    #[test]
    fn locks_an_account_from_one_address_after_repeated_failures() {
        let t = throttle(3, 50, 10);
        for _ in 0..3 {
            fail(&t, "an", "1.2.3.4");
        }
        let wait = t.reserve("AN", "1.2.3.4", None).unwrap_err();
        assert!(wait.0 <= Duration::from_secs(60) && wait.minutes() == 1);
        assert!(wait
            .message()
            .starts_with("Đăng nhập sai quá nhiều lần. Xin thử lại sau 1 phút"));
        // The owner, elsewhere, is not locked out by a stranger's failures.
        t.reserve("an", "5.6.7.8", None).unwrap().succeeded();
        assert!(t.reserve("binh", "1.2.3.4", None).is_ok());
    }

    #[test]
    fn a_success_clears_the_account_from_that_address() {
        let t = throttle(3, 50, 10);
        fail(&t, "an", "1.2.3.4");
        fail(&t, "an", "1.2.3.4");
        t.reserve("an", "1.2.3.4", None).unwrap().succeeded();
        fail(&t, "an", "1.2.3.4");
        fail(&t, "an", "1.2.3.4");
        assert!(t.reserve("an", "1.2.3.4", None).is_ok());
    }

    #[test]
    fn many_addresses_meet_the_global_account_limit() {
        let t = throttle(5, 8, 100);
        for i in 0..8 {
            fail(&t, "an", &format!("10.0.0.{i}"));
        }
        assert!(t.reserve("an", "10.0.1.1", None).is_err());
        assert!(t.reserve("binh", "10.0.1.1", None).is_ok());
    }

    #[test]
    fn locks_an_address_trying_many_accounts() {
        let t = throttle(100, 100, 4);
        for i in 0..4 {
            fail(&t, &format!("user{i}"), "9.9.9.9");
        }
        assert!(t.reserve("someone", "9.9.9.9", None).is_err());
        assert!(t.reserve("someone", "8.8.8.8", None).is_ok());
    }

    #[test]
    fn attempts_in_flight_hold_their_place() {
        let t = throttle(5, 50, 20);
        // Nineteen at once: five places, fourteen refused before any check.
        let held: Vec<_> = (0..19)
            .filter_map(|_| t.reserve("an", "1.2.3.4", None).ok())
            .collect();
        assert_eq!(held.len(), 5);
        // An attempt abandoned undecided frees its place; failures do not.
        let mut held = held.into_iter();
        drop(held.next());
        assert!(t
            .reserve("an", "1.2.3.4", None)
            .map(Attempt::failed)
            .is_ok());
        for a in held {
            a.failed();
        }
        assert!(t.reserve("an", "1.2.3.4", None).is_err());
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
        assert!(t.reserve("c", "2001:db8:1:2::3", None).is_err());
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
            t.reserve(&user, &addr, None)
                .expect("a new account")
                .failed();
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
        assert!(t.reserve("nan", "10.255.255.1", None).is_err());
    }

    /// Log in successfully and answer the device secret.
    fn succeed(t: &Arc<Throttle>, account: &str, addr: &str, device: Option<&str>) -> String {
        t.reserve(account, addr, device)
            .expect("not throttled")
            .succeeded()
    }

    #[test]
    fn strangers_everywhere_do_not_keep_the_owners_device_out() {
        // M1: five wrong passwords from each of ten addresses use up the
        // account's global limit; the owner's browser, from a new address,
        // still gets in, counted under its own key only.
        let t = throttle(5, 50, 20);
        let device = succeed(&t, "ca.thapmuoi", "192.0.2.1", None);
        assert!(well_formed_device(&device));
        for i in 0..10 {
            for _ in 0..5 {
                fail(&t, "ca.thapmuoi", &format!("198.51.100.{i}"));
            }
        }
        assert!(t.reserve("ca.thapmuoi", "203.0.113.9", None).is_err());
        let a = t
            .reserve("ca.thapmuoi", "203.0.113.9", Some(&device))
            .expect("the owner's device");
        assert_eq!(a.source(), Source::KnownDevice);
        assert_eq!(a.succeeded(), device, "the browser keeps its secret");
        // Strangers are still limited, and a forged or another account's
        // secret is a stranger's (203.0.113.9 is now a known address).
        let forged = "0".repeat(64);
        assert!(t
            .reserve("ca.thapmuoi", "203.0.113.10", Some(&forged))
            .is_err());
        assert!(t
            .reserve("ca.thapmuoi", "203.0.113.10", Some("rác"))
            .is_err());
        let other = succeed(&t, "ca.khac", "192.0.2.1", None);
        assert!(t
            .reserve("ca.thapmuoi", "203.0.113.10", Some(&other))
            .is_err());
        // A browser shared by two accounts keeps the one secret it was
        // issued; a secret the server never issued is replaced.
        assert_eq!(succeed(&t, "ca.khac", "192.0.2.2", Some(&device)), device);
        let a = t.reserve("ca.khac", "192.0.2.3", Some(&device)).unwrap();
        assert_eq!(a.source(), Source::KnownDevice);
        drop(a);
        let chosen = "1".repeat(64);
        assert_ne!(succeed(&t, "ca.khac", "192.0.2.4", Some(&chosen)), chosen);
    }

    #[test]
    fn a_known_device_is_limited_on_its_own_and_counts_nowhere_else() {
        let t = throttle(5, 6, 6);
        let device = succeed(&t, "an", "192.0.2.1", None);
        for _ in 0..5 {
            let a = t.reserve("an", "198.51.100.1", Some(&device)).unwrap();
            assert_eq!(a.source(), Source::KnownDevice);
            a.failed();
        }
        // The device has used its five; the account elsewhere and the
        // address for others have not been touched.
        assert!(t.reserve("an", "198.51.100.1", Some(&device)).is_err());
        for i in 0..5 {
            fail(&t, &format!("user{i}"), "198.51.100.1");
        }
        fail(&t, "an", "198.51.100.2");
        assert!(t.reserve("an", "198.51.100.3", None).is_ok());
    }

    #[test]
    fn one_address_full_of_failures_does_not_keep_out_who_logged_in_there() {
        // M2: twenty wrong logins for names that do not exist from a
        // commune's one address; an officer who logged in from there before
        // still gets in, with or without the device cookie.
        let t = throttle(5, 50, 20);
        succeed(&t, "mt.dongthap", "203.0.113.50", None);
        for i in 0..20 {
            fail(&t, &format!("khong.co.{i}"), "203.0.113.50");
        }
        assert!(t.reserve("nguoi.moi", "203.0.113.50", None).is_err());
        let a = t.reserve("mt.dongthap", "203.0.113.50", None).unwrap();
        assert_eq!(a.source(), Source::KnownAddress);
        a.succeeded();
        // At a known address the account still gets only its five.
        for _ in 0..5 {
            fail(&t, "mt.dongthap", "203.0.113.50");
        }
        assert!(t.reserve("mt.dongthap", "203.0.113.50", None).is_err());
    }

    #[test]
    fn one_address_verifies_at_most_its_limit_for_unknown_devices() {
        // Twenty-five names at once from one address, none known there:
        // twenty places, five refused before any check.
        let t = throttle(5, 50, 20);
        let held: Vec<_> = (0..25)
            .filter_map(|i| t.reserve(&format!("ten{i}"), "203.0.113.7", None).ok())
            .collect();
        assert_eq!(held.len(), 20);
        for a in held {
            a.failed();
        }
        let forged = "a".repeat(64);
        assert!(t.reserve("ten99", "203.0.113.7", Some(&forged)).is_err());
    }

    #[test]
    fn what_is_known_is_bounded_and_expires() {
        let t = Arc::new(Throttle::with_limits(Limits {
            max_known: 1_000,
            ..Limits::default()
        }));
        // 10.000 successful logins from new devices and addresses: at most
        // 1.000 keys are kept, and the newest are among them.
        let mut last = String::new();
        for i in 0..10_000u32 {
            last = succeed(
                &t,
                &format!("u{i}"),
                &format!("10.1.{}.{}", i >> 8, i & 255),
                None,
            );
            assert!(t.known_len() <= 1_000);
        }
        assert!(t.known_len() >= 500);
        let a = t.reserve("u9999", "10.9.9.9", Some(&last)).unwrap();
        assert_eq!(a.source(), Source::KnownDevice);
        drop(a);
        // Trust ends after `trust_for`.
        let t = Arc::new(Throttle::with_limits(Limits {
            trust_for: Duration::ZERO,
            ..Limits::default()
        }));
        let d = succeed(&t, "an", "10.0.0.1", None);
        let a = t.reserve("an", "10.0.0.1", Some(&d)).unwrap();
        assert_eq!(a.source(), Source::Unknown);
    }

    #[test]
    fn the_device_cookie_is_like_the_session_cookie() {
        let c = device_cookie("ab", true, Duration::from_secs(60));
        assert_eq!(
            c,
            "antq_device=ab; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure"
        );
        assert!(!device_cookie("ab", false, Duration::from_secs(60)).contains("Secure"));
    }
}
