//! What the web process keeps for the channel: the server's keyed hashes
//! and challenge tokens, the keys in memory ([`Keyring`]) and the
//! proof-of-work challenges already used (also in the database, with the
//! per-minute count, for every node). Nothing here knows who a tipster is:
//! no address, no agent, no cookie but the receipt session's.

use std::collections::HashMap;
use std::sync::Mutex;

use antq_core::tips::pow;
use antq_vault::{Challenges, Keyed, VaultError};
use axum::http::StatusCode;
use serde::Serialize;

use crate::config::TipsConfig;
use crate::error::Failure;
use crate::tips::keyring::Keyring;

/// A challenge the client solves (or, without JavaScript, waits out).
#[derive(Debug, Clone, Serialize)]
pub struct Challenge {
    pub token: String,
    /// Leading zero bits SHA-256(`token:nonce`) must have; 0 = wait instead.
    pub difficulty: u32,
    pub algorithm: &'static str,
    /// Seconds to wait before sending (the path without JavaScript).
    pub wait_seconds: u64,
}

/// The channel's state in the web process.
pub struct Desk {
    pub keyed: Keyed,
    challenges: Challenges,
    pub keyring: Keyring,
    pub config: TipsConfig,
    /// Challenge tokens already used, with their expiry (each works once).
    used: Mutex<HashMap<String, i64>>,
    /// (minute, challenges without proof of work issued in it).
    no_script: Mutex<(i64, u32)>,
}

/// The most used tokens remembered (more are refused until some expire).
const MAX_USED: usize = 200_000;
/// Expired tokens are dropped once this many are remembered.
const PRUNE_AT: usize = 10_000;

impl Desk {
    pub fn new(config: TipsConfig, officer_idle: std::time::Duration) -> Desk {
        Desk {
            keyed: Keyed::new(config.secret),
            challenges: Challenges::new(config.secret),
            keyring: Keyring::new(officer_idle),
            config,
            used: Mutex::new(HashMap::new()),
            no_script: Mutex::new((0, 0)),
        }
    }

    fn ttl(&self) -> i64 {
        self.config.challenge_ttl.as_secs() as i64
    }

    /// A new challenge: proof of work for a script, or a wait for a form
    /// sent without JavaScript (`scripted: false`). Waiting costs nothing,
    /// so such tokens are counted when issued: past `per_minute` in a
    /// minute, a form gets a proof of work too (it then needs JavaScript).
    pub fn challenge(&self, now: i64, scripted: bool) -> Challenge {
        let waits = !scripted && self.count(&self.no_script, now, self.config.per_minute);
        let difficulty = if waits { 0 } else { self.config.difficulty };
        Challenge {
            token: self.challenges.issue(now, self.ttl(), difficulty),
            difficulty,
            algorithm: "sha256-leading-zero-bits",
            wait_seconds: if waits {
                self.config.no_script_wait.as_secs()
            } else {
                0
            },
        }
    }

    /// The challenge of a form sent back with an error, if its token is
    /// still good (so a form without JavaScript does not wait again).
    pub fn resume(&self, token: &str, now: i64) -> Option<Challenge> {
        let difficulty = self.challenges.check(token, now).ok()?;
        if self
            .used
            .lock()
            .expect("used tokens lock")
            .contains_key(token)
        {
            return None;
        }
        let wait = if difficulty == 0 {
            let ready =
                expires_of(token)? - self.ttl() + self.config.no_script_wait.as_secs() as i64;
            (ready - now).max(0) as u64
        } else {
            0
        };
        Some(Challenge {
            token: token.to_string(),
            difficulty,
            algorithm: "sha256-leading-zero-bits",
            wait_seconds: wait,
        })
    }

    /// Check a solved (or waited-out) challenge without using it up: a
    /// request refused for its content keeps its token.
    pub fn verify(&self, token: &str, nonce: u64, now: i64) -> Result<(), Failure> {
        let refuse = |m: &str| Failure::new(StatusCode::BAD_REQUEST, m);
        let difficulty = match self.challenges.check(token, now) {
            Ok(d) => d,
            Err(VaultError::Expired) => {
                return Err(refuse(
                    "Phiên gửi tin đã quá hạn: xin tải lại trang và gửi lại (nội dung đã nhập vẫn còn trên trang)",
                ))
            }
            Err(_) => return Err(refuse("Mã chống gửi tự động không hợp lệ: xin tải lại trang")),
        };
        if difficulty == 0 {
            let issued = expires_of(token).unwrap_or(0) - self.ttl();
            let wait = self.config.no_script_wait.as_secs() as i64;
            if now < issued + wait {
                return Err(Failure::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    format!(
                        "Xin chờ thêm {} giây rồi bấm Gửi lại (trình duyệt không chạy JavaScript nên cần chờ để chống gửi tự động)",
                        issued + wait - now
                    ),
                ));
            }
        } else if !pow::verify(token, nonce, difficulty) {
            return Err(refuse(
                "Kết quả chống gửi tự động không đúng: xin tải lại trang",
            ));
        }
        if self
            .used
            .lock()
            .expect("used tokens lock")
            .contains_key(token)
        {
            return Err(refuse(
                "Mã chống gửi tự động này đã được dùng: xin tải lại trang",
            ));
        }
        Ok(())
    }

    /// Use a verified challenge up (once: a second use is refused).
    pub fn mark_used(&self, token: &str, now: i64) -> Result<(), Failure> {
        let mut used = self.used.lock().expect("used tokens lock");
        if used.len() >= PRUNE_AT {
            used.retain(|_, expires| *expires >= now);
        }
        if used.contains_key(token) {
            return Err(Failure::new(
                StatusCode::BAD_REQUEST,
                "Mã chống gửi tự động này đã được dùng: xin tải lại trang",
            ));
        }
        if used.len() >= MAX_USED {
            return Err(busy());
        }
        used.insert(token.to_string(), expires_of(token).unwrap_or(now));
        Ok(())
    }

    /// [`Desk::mark_used`], then the same in the database, so that a
    /// challenge is spent once whichever node of the database answers.
    pub async fn use_up(
        &self,
        db: &antq_storage::Db,
        token: &str,
        now: i64,
    ) -> Result<(), Failure> {
        self.mark_used(token, now)?;
        let expires = expires_of(token).unwrap_or(now);
        if !antq_storage::tips::challenges::spend(db, token, expires, now).await? {
            return Err(Failure::new(
                StatusCode::BAD_REQUEST,
                "Mã chống gửi tự động này đã được dùng: xin tải lại trang",
            ));
        }
        Ok(())
    }

    /// [`Desk::verify`] and [`Desk::use_up`] at once.
    pub async fn spend_everywhere(
        &self,
        db: &antq_storage::Db,
        token: &str,
        nonce: u64,
        now: i64,
    ) -> Result<(), Failure> {
        self.verify(token, nonce, now)?;
        self.use_up(db, token, now).await
    }

    /// [`Desk::verify`] and [`Desk::mark_used`] at once.
    pub fn spend(&self, token: &str, nonce: u64, now: i64) -> Result<(), Failure> {
        self.verify(token, nonce, now)?;
        self.mark_used(token, now)
    }

    /// Count one accepted tip (or message to the editors) in the current
    /// minute, for the whole system (`tips::rate`, shared by the nodes), or
    /// refuse (429).
    pub async fn tick(&self, db: &antq_storage::Db, now: i64) -> Result<(), Failure> {
        let minute = now.div_euclid(60) * 60;
        if antq_storage::tips::rate::take(db, "tips.minute", minute, self.config.per_minute).await?
        {
            Ok(())
        } else {
            Err(busy())
        }
    }

    /// Count one in this minute's counter if under `max`.
    fn count(&self, counter: &Mutex<(i64, u32)>, now: i64, max: u32) -> bool {
        let mut m = counter.lock().expect("minute lock");
        let this = now.div_euclid(60);
        if m.0 != this {
            *m = (this, 0);
        }
        if m.1 >= max {
            return false;
        }
        m.1 += 1;
        true
    }
}

fn busy() -> Failure {
    Failure::new(
        StatusCode::TOO_MANY_REQUESTS,
        "Hệ thống đang nhận quá nhiều tin báo cùng lúc: xin thử lại sau ít phút",
    )
}

/// The expiry written in a token ("v1.{expires}.…").
fn expires_of(token: &str) -> Option<i64> {
    token.split('.').nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn desk() -> Desk {
        Desk::new(
            TipsConfig {
                difficulty: 8,
                per_minute: 2,
                ..TipsConfig::default()
            },
            Duration::from_secs(60),
        )
    }

    #[test]
    fn a_solved_challenge_works_once() {
        let d = desk();
        let c = d.challenge(1_000, true);
        assert_eq!(c.difficulty, 8);
        let nonce = pow::solve(&c.token, c.difficulty);
        d.spend(&c.token, nonce, 1_001).unwrap();
        let again = d.spend(&c.token, nonce, 1_002).unwrap_err();
        assert!(again.message.contains("đã được dùng"), "{}", again.message);
    }

    #[test]
    fn a_wrong_nonce_is_refused() {
        let d = desk();
        let c = d.challenge(1_000, true);
        let nonce = pow::solve(&c.token, c.difficulty);
        // Some nonce below the solution fails (the solver returns the first).
        if nonce > 0 {
            assert!(d.spend(&c.token, nonce - 1, 1_001).is_err());
        }
        assert!(d.spend("v1.9999999999.8.00.00", 0, 1_001).is_err());
    }

    #[test]
    fn without_javascript_the_form_waits() {
        let d = desk();
        let c = d.challenge(1_000, false);
        assert_eq!(c.difficulty, 0);
        let early = d.spend(&c.token, 0, 1_005).unwrap_err();
        assert_eq!(early.status, StatusCode::TOO_MANY_REQUESTS);
        d.spend(&c.token, 0, 1_000 + c.wait_seconds as i64).unwrap();
    }

    #[test]
    fn an_expired_challenge_is_refused() {
        let d = desk();
        let c = d.challenge(1_000, true);
        let nonce = pow::solve(&c.token, c.difficulty);
        let e = d.spend(&c.token, nonce, 1_000 + 3_601).unwrap_err();
        assert!(e.message.contains("quá hạn"));
    }

    #[test]
    fn a_refused_request_keeps_its_token() {
        let d = desk();
        let c = d.challenge(1_000, true);
        let nonce = pow::solve(&c.token, c.difficulty);
        d.verify(&c.token, nonce, 1_001).unwrap();
        // Refused for its content: not marked; the same token works after.
        d.spend(&c.token, nonce, 1_002).unwrap();
        assert!(d.verify(&c.token, nonce, 1_003).is_err());
        assert!(d.resume(&c.token, 1_003).is_none(), "used");
    }

    #[test]
    fn tokens_without_work_are_rationed() {
        let d = desk();
        let a = d.challenge(60, false);
        let b = d.challenge(61, false);
        let c = d.challenge(62, false);
        assert_eq!((a.difficulty, b.difficulty), (0, 0));
        assert_eq!(c.difficulty, 8, "past the minute's ration, work is asked");
        assert_eq!(c.wait_seconds, 0);
        assert_eq!(d.challenge(120, false).difficulty, 0, "a new minute");
    }

    #[test]
    fn a_form_sent_back_keeps_its_wait() {
        let d = desk();
        let c = d.challenge(1_000, false);
        let back = d.resume(&c.token, 1_005).unwrap();
        assert_eq!(back.token, c.token);
        assert_eq!(back.wait_seconds, c.wait_seconds - 5);
        assert!(d.resume("v1.1.0.00.00", 1_005).is_none());
    }

    #[tokio::test]
    async fn the_minute_limit_holds_for_every_desk_of_one_database() {
        let t = antq_storage::testing::TestDb::sqlite();
        let db = t.ready().await;
        // Two nodes: two desks, one database.
        let (a, b) = (desk(), desk());
        a.tick(&db, 60).await.unwrap();
        b.tick(&db, 61).await.unwrap();
        assert_eq!(
            a.tick(&db, 62).await.unwrap_err().status,
            StatusCode::TOO_MANY_REQUESTS
        );
        assert!(b.tick(&db, 119).await.is_err(), "the same minute");
        b.tick(&db, 120).await.unwrap();
        // Past minutes are forgotten; the current one is kept.
        antq_storage::tips::rate::forget_before(&db, 120)
            .await
            .unwrap();
        let windows: Vec<i64> = sqlx::query_scalar("SELECT window_start FROM window_counts")
            .fetch_all(db.pool())
            .await
            .unwrap();
        assert_eq!(windows, [120]);
    }
}
