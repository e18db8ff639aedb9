//! Connection heartbeats (RFC 37 §Connection Heartbeating) with libzmq
//! 4.3.5's option semantics, as a pure timer state: the I/O layer passes
//! the time in and asks what to do; nothing here reads a clock.
//!
//! - `ZMQ_HEARTBEAT_IVL` > 0: a PING every IVL ms, the first IVL ms after
//!   the handshake.
//! - `ZMQ_HEARTBEAT_TIMEOUT` (-1 = IVL; 0 = never): armed when a PING goes
//!   out (if not already armed); any inbound frame disarms it; expiry
//!   kills the connection.
//! - `ZMQ_HEARTBEAT_TTL`: the TTL we put in our PINGs (deciseconds).
//! - A received PING with TTL > 0 arms a deadline of TTL×100 ms (if not
//!   already armed); any inbound frame disarms it. libzmq computes that
//!   product in 16 bits, so TTLs above 65.5 s wrap around there; we use
//!   the real value.
//!
//! Heartbeats exist only on ZMTP 3.x connections.

/// Heartbeat options, as the socket stores them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct HeartbeatConfig {
    /// `ZMQ_HEARTBEAT_IVL` in ms; 0 = send no PINGs.
    pub ivl_ms: u64,
    /// `ZMQ_HEARTBEAT_TTL` as libzmq stores it: deciseconds (ms / 100).
    pub ttl_deciseconds: u16,
    /// `ZMQ_HEARTBEAT_TIMEOUT` in ms; -1 = same as IVL; 0 = none.
    pub timeout_ms: i64,
}

/// What the connection must do now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeartbeatAction {
    /// Send a PING carrying this TTL (and an empty context, as libzmq).
    SendPing { ttl_deciseconds: u16 },
    /// No traffic within the timeout or the peer's TTL: close.
    TimedOut,
}

/// Heartbeat timers of one connection. Times are milliseconds on any
/// monotonic clock the caller likes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heartbeat {
    ivl_ms: u64,
    ttl_deciseconds: u16,
    /// 0 = no timeout.
    timeout_ms: u64,
    next_ping: Option<u64>,
    timeout_at: Option<u64>,
    ttl_at: Option<u64>,
}

impl Heartbeat {
    /// Starts the timers when the handshake completes (at `now_ms`).
    pub fn new(cfg: HeartbeatConfig, now_ms: u64) -> Self {
        let timeout_ms = if cfg.ivl_ms == 0 {
            // libzmq only arms the timeout after its own PINGs.
            0
        } else if cfg.timeout_ms < 0 {
            cfg.ivl_ms
        } else {
            cfg.timeout_ms as u64
        };
        Heartbeat {
            ivl_ms: cfg.ivl_ms,
            ttl_deciseconds: cfg.ttl_deciseconds,
            timeout_ms,
            next_ping: (cfg.ivl_ms > 0).then(|| now_ms.saturating_add(cfg.ivl_ms)),
            timeout_at: None,
            ttl_at: None,
        }
    }

    /// What is due at `now_ms`. Call it again until it returns `None`
    /// (a due PING and an expired deadline may coincide).
    pub fn poll(&mut self, now_ms: u64) -> Option<HeartbeatAction> {
        let expired = |d: Option<u64>| d.is_some_and(|d| d <= now_ms);
        if expired(self.timeout_at) || expired(self.ttl_at) {
            return Some(HeartbeatAction::TimedOut);
        }
        if expired(self.next_ping) {
            self.next_ping = Some(now_ms.saturating_add(self.ivl_ms));
            if self.timeout_at.is_none() && self.timeout_ms > 0 {
                self.timeout_at = Some(now_ms.saturating_add(self.timeout_ms));
            }
            return Some(HeartbeatAction::SendPing {
                ttl_deciseconds: self.ttl_deciseconds,
            });
        }
        None
    }

    /// Any frame (message or command) arrived: the peer is alive.
    pub fn on_frame_received(&mut self) {
        self.timeout_at = None;
        self.ttl_at = None;
    }

    /// A PING arrived (after `on_frame_received` for the same frame): its
    /// TTL (deciseconds) bounds the wait for the next frame.
    pub fn on_ping_received(&mut self, now_ms: u64, ttl_deciseconds: u16) {
        if self.ttl_at.is_none() && ttl_deciseconds > 0 {
            self.ttl_at = Some(now_ms.saturating_add(u64::from(ttl_deciseconds) * 100));
        }
    }

    /// The earliest time `poll` may have something to do.
    pub fn next_deadline(&self) -> Option<u64> {
        [self.next_ping, self.timeout_at, self.ttl_at]
            .into_iter()
            .flatten()
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(ivl: u64, ttl: u16, timeout: i64) -> HeartbeatConfig {
        HeartbeatConfig {
            ivl_ms: ivl,
            ttl_deciseconds: ttl,
            timeout_ms: timeout,
        }
    }

    #[test]
    fn disabled_by_default() {
        let mut h = Heartbeat::new(HeartbeatConfig::default(), 0);
        assert_eq!(h.next_deadline(), None);
        assert_eq!(h.poll(u64::MAX), None);
    }

    #[test]
    fn pings_every_interval() {
        let mut h = Heartbeat::new(cfg(100, 0, 0), 1000);
        assert_eq!(h.next_deadline(), Some(1100));
        assert_eq!(h.poll(1099), None);
        assert_eq!(
            h.poll(1100),
            Some(HeartbeatAction::SendPing { ttl_deciseconds: 0 })
        );
        assert_eq!(h.poll(1100), None);
        assert_eq!(h.next_deadline(), Some(1200));
    }

    #[test]
    fn ping_carries_configured_ttl() {
        let mut h = Heartbeat::new(cfg(10, 25, 0), 0);
        assert_eq!(
            h.poll(10),
            Some(HeartbeatAction::SendPing {
                ttl_deciseconds: 25
            })
        );
    }

    #[test]
    fn timeout_defaults_to_interval() {
        let mut h = Heartbeat::new(cfg(100, 0, -1), 0);
        assert!(matches!(
            h.poll(100),
            Some(HeartbeatAction::SendPing { .. })
        ));
        assert_eq!(h.next_deadline(), Some(200));
        // At 200 the timeout (armed at 100) expires before the next PING.
        assert_eq!(h.poll(200), Some(HeartbeatAction::TimedOut));
    }

    #[test]
    fn any_frame_disarms_timeout() {
        let mut h = Heartbeat::new(cfg(100, 0, 50), 0);
        assert!(matches!(
            h.poll(100),
            Some(HeartbeatAction::SendPing { .. })
        ));
        h.on_frame_received();
        assert_eq!(h.poll(160), None);
        assert!(matches!(
            h.poll(200),
            Some(HeartbeatAction::SendPing { .. })
        ));
        assert_eq!(h.poll(250), Some(HeartbeatAction::TimedOut));
    }

    #[test]
    fn timeout_stays_armed_across_pings() {
        let mut h = Heartbeat::new(cfg(100, 0, 250), 0);
        assert!(matches!(
            h.poll(100),
            Some(HeartbeatAction::SendPing { .. })
        ));
        assert!(matches!(
            h.poll(200),
            Some(HeartbeatAction::SendPing { .. })
        ));
        assert!(matches!(
            h.poll(300),
            Some(HeartbeatAction::SendPing { .. })
        ));
        assert_eq!(h.poll(350), Some(HeartbeatAction::TimedOut));
    }

    #[test]
    fn zero_timeout_never_expires() {
        let mut h = Heartbeat::new(cfg(100, 0, 0), 0);
        for t in (100..10_000).step_by(100) {
            assert!(matches!(h.poll(t), Some(HeartbeatAction::SendPing { .. })));
        }
    }

    #[test]
    fn peer_ping_ttl_sets_deadline_even_without_our_heartbeats() {
        let mut h = Heartbeat::new(HeartbeatConfig::default(), 0);
        h.on_frame_received();
        h.on_ping_received(1000, 20);
        assert_eq!(h.next_deadline(), Some(3000));
        assert_eq!(h.poll(2999), None);
        assert_eq!(h.poll(3000), Some(HeartbeatAction::TimedOut));
    }

    #[test]
    fn later_ping_does_not_extend_armed_ttl_but_traffic_clears_it() {
        let mut h = Heartbeat::new(HeartbeatConfig::default(), 0);
        h.on_ping_received(0, 10);
        h.on_ping_received(500, 10);
        assert_eq!(h.next_deadline(), Some(1000));
        h.on_frame_received();
        assert_eq!(h.next_deadline(), None);
    }

    #[test]
    fn zero_ttl_ping_arms_nothing() {
        let mut h = Heartbeat::new(HeartbeatConfig::default(), 0);
        h.on_ping_received(0, 0);
        assert_eq!(h.next_deadline(), None);
    }

    #[test]
    fn large_ttl_does_not_wrap() {
        let mut h = Heartbeat::new(HeartbeatConfig::default(), 0);
        h.on_ping_received(0, 65535);
        assert_eq!(h.next_deadline(), Some(6_553_500));
    }
}
