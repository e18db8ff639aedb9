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

/// Pipes stored by id: in a vector, found through an index, with the
/// slot found last tried first. A socket usually reads or writes the same
/// pipe again and again (one peer, or a multipart message): that look-up
/// is one compare instead of a hash probe (on every send and receive).
#[derive(Default)]
pub struct PipeMap {
    ends: Vec<PipeEnd>,
    index: HashMap<u64, usize, IdHash>,
    /// The slot of the pipe found last (a hint: checked against its id).
    last: usize,
}

impl PipeMap {
    /// Adds the pipe `end` (its `id`), replacing one with the same id.
    pub fn insert(&mut self, end: PipeEnd) -> Option<PipeEnd> {
        match self.index.get(&end.id) {
            Some(&i) => Some(std::mem::replace(&mut self.ends[i], end)),
            None => {
                self.index.insert(end.id, self.ends.len());
                self.ends.push(end);
                None
            }
        }
    }

    pub fn remove(&mut self, id: u64) -> Option<PipeEnd> {
        let i = self.index.remove(&id)?;
        let end = self.ends.swap_remove(i);
        if let Some(moved) = self.ends.get(i) {
            self.index.insert(moved.id, i);
        }
        Some(end)
    }

    #[inline]
    pub fn get_mut(&mut self, id: u64) -> Option<&mut PipeEnd> {
        let i = match self.ends.get(self.last) {
            Some(p) if p.id == id => self.last,
            _ => {
                let i = *self.index.get(&id)?;
                self.last = i;
                i
            }
        };
        self.ends.get_mut(i)
    }

    pub fn ids(&self) -> impl Iterator<Item = u64> + '_ {
        self.ends.iter().map(|p| p.id)
    }

    pub fn values(&self) -> impl Iterator<Item = &PipeEnd> {
        self.ends.iter()
    }

    /// Takes every pipe out.
    pub fn drain(&mut self) -> impl Iterator<Item = PipeEnd> + '_ {
        self.index.clear();
        self.last = 0;
        self.ends.drain(..)
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// A socket's pipes, by id. Patterns hold ids and reach pipes through this.
pub struct Pipes {
    pub(super) map: PipeMap,
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
            map: PipeMap::default(),
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
    #[inline]
    pub fn get(&mut self, id: u64) -> Option<&mut PipeEnd> {
        let p = self.map.get_mut(id)?;
        if p.view_epoch != self.view_epoch {
            p.view_epoch = self.view_epoch;
            p.refresh_write_view();
        }
        Some(p)
    }

    pub fn ids(&self) -> impl Iterator<Item = u64> + '_ {
        self.map.ids()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipe::pipe_pair;

    #[test]
    fn a_pipe_map_finds_each_pipe_by_id_through_removals() {
        let mut map = PipeMap::default();
        let mut peers = Vec::new();
        let mut ids = Vec::new();
        for _ in 0..5 {
            let (ours, theirs) = pipe_pair(0, 0, false);
            ids.push(ours.id);
            assert!(map.insert(ours).is_none());
            peers.push(theirs);
        }
        // The last one found is the hint; then one in the middle goes and
        // the last slot's pipe moves into its place.
        assert_eq!(map.get_mut(ids[1]).map(|p| p.id), Some(ids[1]));
        assert_eq!(map.remove(ids[1]).map(|p| p.id), Some(ids[1]));
        assert!(map.get_mut(ids[1]).is_none(), "the hint is checked");
        assert!(map.remove(ids[1]).is_none());
        for &id in [ids[0], ids[2], ids[3], ids[4]].iter() {
            assert_eq!(map.get_mut(id).map(|p| p.id), Some(id));
        }
        // Removing the pipe at the hinted slot (the last one found).
        assert_eq!(map.remove(ids[4]).map(|p| p.id), Some(ids[4]));
        assert!(map.get_mut(ids[4]).is_none());
        assert_eq!(map.len(), 3);
        let mut left: Vec<u64> = map.ids().collect();
        left.sort_unstable();
        assert_eq!(left, vec![ids[0], ids[2], ids[3]]);
        // One added after removals is found too.
        let (again, _peer) = pipe_pair(0, 0, false);
        let again_id = again.id;
        assert!(map.insert(again).is_none());
        assert_eq!(map.get_mut(again_id).map(|p| p.id), Some(again_id));
        assert_eq!(map.drain().count(), 4);
        assert!(map.is_empty());
        assert!(map.get_mut(ids[0]).is_none());
    }
}
