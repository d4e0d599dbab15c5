//! Login throttling, per account and per client address: after too many
//! failures in a window, further attempts are refused until it passes.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct Throttle {
    window: Duration,
    per_account: u32,
    per_address: u32,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl Default for Throttle {
    fn default() -> Self {
        Throttle::new(Duration::from_secs(15 * 60), 5, 20)
    }
}

impl Throttle {
    pub fn new(window: Duration, per_account: u32, per_address: u32) -> Self {
        Throttle {
            window,
            per_account,
            per_address,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn keys(account: &str, address: &str) -> [(String, bool); 2] {
        [
            (format!("u:{}", account.trim().to_ascii_lowercase()), true),
            (format!("a:{address}"), false),
        ]
    }

    /// `Some(wait)` when this account or address must wait before trying again.
    pub fn check(&self, account: &str, address: &str) -> Option<Duration> {
        let now = Instant::now();
        let mut map = self.failures.lock().expect("throttle lock");
        let mut wait = None;
        for (key, is_account) in Self::keys(account, address) {
            let limit = if is_account {
                self.per_account
            } else {
                self.per_address
            } as usize;
            if let Some(list) = map.get_mut(&key) {
                list.retain(|t| now.duration_since(*t) < self.window);
                if list.len() >= limit {
                    let oldest = list[list.len() - limit];
                    let w = self.window.saturating_sub(now.duration_since(oldest));
                    wait = Some(wait.map_or(w, |x: Duration| x.max(w)));
                }
            }
        }
        wait
    }

    pub fn failed(&self, account: &str, address: &str) {
        let now = Instant::now();
        let mut map = self.failures.lock().expect("throttle lock");
        if map.len() > 100_000 {
            map.retain(|_, v| v.iter().any(|t| now.duration_since(*t) < self.window));
        }
        for (key, _) in Self::keys(account, address) {
            map.entry(key).or_default().push(now);
        }
    }

    pub fn succeeded(&self, account: &str) {
        let mut map = self.failures.lock().expect("throttle lock");
        map.remove(&format!("u:{}", account.trim().to_ascii_lowercase()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_an_account_after_repeated_failures() {
        let t = Throttle::new(Duration::from_secs(60), 3, 10);
        for _ in 0..3 {
            assert!(t.check("an", "1.2.3.4").is_none());
            t.failed("an", "1.2.3.4");
        }
        assert!(t.check("an", "1.2.3.4").is_some());
        assert!(
            t.check("AN", "5.6.7.8").is_some(),
            "per account, whatever the address"
        );
        assert!(t.check("binh", "5.6.7.8").is_none());
        t.succeeded("an");
        assert!(t.check("an", "5.6.7.8").is_none());
    }

    #[test]
    fn locks_an_address_trying_many_accounts() {
        let t = Throttle::new(Duration::from_secs(60), 100, 4);
        for i in 0..4 {
            t.failed(&format!("user{i}"), "9.9.9.9");
        }
        assert!(t.check("someone", "9.9.9.9").is_some());
        assert!(t.check("someone", "8.8.8.8").is_none());
    }
}
