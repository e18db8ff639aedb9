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
    /// Bumped to make every pipe refresh its writer's view (`get`).
    view_epoch: u64,
    /// Parked pipes that got input (fair-queueing's wake-up list).
    pub activations: Arc<crate::pipe::Activations>,
}

impl Default for Pipes {
    fn default() -> Self {
        Pipes {
            map: HashMap::default(),
            dead: Vec::new(),
            input_hint: true,
            view_epoch: 1,
            activations: Arc::default(),
        }
    }
}

impl Pipes {
    /// Every pipe's writer catches up with its reader's reads, lazily: each
    /// pipe does when a pattern next touches it (`get`), so a socket with
    /// thousands of pipes pays only for those it uses. For a writer about
    /// to wait and for polling (libzmq processes all its commands then);
    /// while sending, a writer's view catches up by itself when it says
    /// full and is about a millisecond old (`pipe::queue::Queue::writer_full`).
    pub fn refresh_write_views(&mut self) {
        self.view_epoch += 1;
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
