//! A socket's pipes by id (`Pipes`): patterns hold ids and reach pipes
//! through it; it also paces how often writers catch up with their
//! readers (libzmq's command throttle).

use crate::pipe::PipeEnd;
use std::collections::HashMap;
use std::sync::Arc;

/// Pipe ids are unique counters: hashing them needs no DoS protection,
/// only speed (this lookup is on every send and receive).
#[derive(Default, Clone, Copy)]
pub struct IdHash;

impl std::hash::BuildHasher for IdHash {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher(0)
    }
}

#[derive(Default)]
pub struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A socket's pipes, by id. Patterns hold ids and reach pipes through this.
pub struct Pipes {
    pub(super) map: HashMap<u64, PipeEnd, IdHash>,
    /// Pipes a pattern found finished; the socket removes them after the
    /// pattern call returns.
    pub dead: Vec<u64>,
    /// False when no pipe got input since the last send: a pattern may
    /// then skip reading every pipe (XPUB's subscription scan).
    pub input_hint: bool,
    /// When the writers last caught up with their readers (`cycles`).
    synced_at: u64,
    /// Sends left before the clock is read again.
    sync_countdown: u8,
    /// Bumped to make every pipe refresh its writer's view (`get`).
    view_epoch: u64,
    /// Parked pipes that got input (fair-queueing's wake-up list).
    pub activations: Arc<crate::pipe::Activations>,
}

/// How many sends share one look at the clock.
const SYNC_EVERY: u8 = 8;

/// About a millisecond of CPU cycles (libzmq's max_command_delay).
const SYNC_CYCLES: u64 = 3_000_000;

impl Default for Pipes {
    fn default() -> Self {
        Pipes {
            map: HashMap::default(),
            dead: Vec::new(),
            input_hint: true,
            synced_at: 0,
            sync_countdown: 1,
            view_epoch: 1,
            activations: Arc::default(),
        }
    }
}

impl Pipes {
    /// Every pipe's writer catches up with its reader's reads, lazily: each
    /// pipe does when a pattern next touches it (`get`), so a socket with
    /// thousands of pipes pays only for those it uses.
    pub fn refresh_write_views(&mut self) {
        self.view_epoch += 1;
    }

    /// Called on every send: writers catch up with their readers' reads at
    /// most about once a millisecond while sending (libzmq's command
    /// throttle); they also do whenever they are about to wait. The clock
    /// is read every few sends only: even RDTSC costs a tenth of a small
    /// send. (A send refused by a view that may be stale looks at the
    /// clock itself: `refresh_if_stale`.)
    pub fn throttled_refresh(&mut self) {
        self.sync_countdown = self.sync_countdown.wrapping_sub(1);
        if self.sync_countdown != 0 {
            return;
        }
        self.sync_countdown = SYNC_EVERY;
        self.refresh_if_stale();
    }

    /// Catches the writers up with their readers when the last catch-up
    /// is about a millisecond old; true when it did. libzmq's views lag
    /// by time, not by sends (it looks at the clock on every send), so a
    /// slow sender sees every read made a millisecond before: a send
    /// refused as over the high-water mark asks this before it gives up.
    pub fn refresh_if_stale(&mut self) -> bool {
        let now = crate::io::sys::cycles();
        if now.wrapping_sub(self.synced_at) < SYNC_CYCLES {
            return false;
        }
        self.synced_at = now;
        self.refresh_write_views();
        true
    }

    /// A pipe, its writer's view of the reader caught up if a refresh is
    /// due (patterns reach pipes only through here).
    pub fn get(&mut self, id: u64) -> Option<&mut PipeEnd> {
        let p = self.map.get_mut(&id)?;
        if p.view_epoch != self.view_epoch {
            p.view_epoch = self.view_epoch;
            p.refresh_write_view();
        }
        Some(p)
    }

    pub fn ids(&self) -> impl Iterator<Item = u64> + '_ {
        self.map.keys().copied()
    }

    /// A write found the peer's reader gone. The pipe goes only once what
    /// the peer sent before it went has been read (libzmq keeps a pipe until
    /// its reader meets the delimiter), so a failed send never throws away
    /// messages still to be received; the receiving side marks it dead then.
    pub fn write_dead(&mut self, id: u64) {
        if self.get(id).is_some_and(|p| p.is_read_done()) {
            self.mark_dead(id);
        }
    }

    pub fn mark_dead(&mut self, id: u64) {
        if !self.dead.contains(&id) {
            self.dead.push(id);
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.map.len()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}
