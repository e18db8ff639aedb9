//! Message identities: which bitwise copy of a `zmq_msg_t` is the message.
//!
//! C moves a `zmq_msg_t` by `memcpy`: cppzmq's move constructor and
//! `swap`, rust-zmq's `Message` (every Rust move), structs passed or
//! returned by value (pyzmq's monitored queue passes its messages to a
//! helper by value). Consuming two copies of a live message that owns
//! memory is a C bug (libzmq frees the content twice), and here it would
//! drop the same `Bytes` twice. So every message that owns memory gets an
//! identity when placed in C's storage: an entry in a global table
//! recording the address it lives at (its home) and a generation; the
//! message's last 8 bytes hold a tag naming its entry and generation.
//!
//! - Found at its home with the current generation: the message.
//! - Found elsewhere with the current generation: a `memcpy` copy. Reading
//!   it is allowed (the content is alive while the identity is). Consuming
//!   or changing it (close, send, receive into, move, copy from) claims
//!   it: it is re-homed to the new address and its generation advances, so
//!   every other copy of it is stale from now on.
//! - Any other tag (an older generation, a closed or never-placed message,
//!   garbage): refused (`EFAULT`).
//!
//! Messages that own no memory (a small body stored inline, no connection
//! metadata) carry the `PLAIN` tag instead: like libzmq's small messages,
//! their bitwise copies are independent values, and closing two of them
//! releases nothing twice.
//!
//! Generations move by compare-and-swap: of two copies, only one can be
//! re-homed or taken. A live generation is odd, a dead one even; a zeroed
//! `zmq_msg_t` (tag 0) is never live. This module is safe code: it only
//! decides; `ffi/msg/` reads and writes C's storage.

#![forbid(unsafe_code)]

use parking_lot::Mutex;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Entry index bits of a tag: at most 2^26 − 2^12 messages live in C's
/// storage at once (zmq_msg_init then fails with ENOMEM).
const INDEX_BITS: u32 = 26;
const INDEX_MASK: u64 = (1 << INDEX_BITS) - 1;
/// Generation bits: a stale copy could pass again only after its entry
/// went through 2^37 more placements and moves.
const GEN_BITS: u32 = 64 - INDEX_BITS;
const GEN_MASK: u64 = (1 << GEN_BITS) - 1;

/// Chunk `k` holds `2^(FIRST + k)` entries; chunks are made on demand and
/// never freed, so an entry found once stays valid. (Small chunks under
/// Miri, whose tests must cross chunk boundaries in reasonable time.)
const FIRST: u32 = if cfg!(miri) { 4 } else { 12 };
const CHUNKS: usize = (INDEX_BITS - FIRST) as usize;

#[derive(Default)]
struct Entry {
    gen: AtomicU64,
    home: AtomicUsize,
}

static TABLE: [OnceLock<Box<[Entry]>>; CHUNKS] = [const { OnceLock::new() }; CHUNKS];

/// Entries never handed out yet, and entries given back by threads.
struct Pool {
    next: u64,
    free: Vec<u32>,
}

static POOL: Mutex<Pool> = Mutex::new(Pool {
    next: 0,
    free: Vec::new(),
});

/// Each thread keeps a few free entries, found already: placing a message
/// touches no lock and no table chunk.
struct Cache(Vec<(u32, &'static Entry)>);

impl Drop for Cache {
    fn drop(&mut self) {
        POOL.lock().free.extend(self.0.drain(..).map(|(i, _)| i));
    }
}

thread_local! {
    static CACHE: RefCell<Cache> = const { RefCell::new(Cache(Vec::new())) };
}

const CACHE_MAX: usize = 256;
const REFILL: usize = 32;

#[inline]
fn locate(index: u64) -> Option<&'static Entry> {
    let j = index + (1 << FIRST);
    let k = (63 - j.leading_zeros()) - FIRST;
    let offset = j - (1 << (FIRST + k));
    TABLE.get(k as usize)?.get()?.get(offset as usize)
}

fn chunk_of(index: u64) -> usize {
    let j = index + (1 << FIRST);
    ((63 - j.leading_zeros()) - FIRST) as usize
}

/// Moves some free entries into `into`; false when the table is full.
#[cold]
fn refill(into: &mut Vec<(u32, &'static Entry)>) -> bool {
    let mut pool = POOL.lock();
    let n = pool.free.len().min(REFILL);
    let from = pool.free.len() - n;
    let taken: Vec<u32> = pool.free.drain(from..).collect();
    into.extend(
        taken
            .into_iter()
            .filter_map(|i| Some((i, locate(u64::from(i))?))),
    );
    while into.len() < REFILL {
        let i = pool.next;
        let k = chunk_of(i);
        if k >= CHUNKS {
            break;
        }
        TABLE[k].get_or_init(|| {
            (0..1usize << (FIRST as usize + k))
                .map(|_| Entry::default())
                .collect()
        });
        pool.next += 1;
        let Some(e) = locate(i) else { break };
        into.push((i as u32, e));
    }
    !into.is_empty()
}

/// A free entry, owned by whoever holds it: no tag names its current
/// generation. Placing a message consumes it; dropped unused, it goes back
/// to the thread's free entries.
pub(super) struct Slot {
    index: u32,
    entry: &'static Entry,
}

impl Drop for Slot {
    #[inline]
    fn drop(&mut self) {
        release(self.index, self.entry);
    }
}

impl Slot {
    /// A free entry from this thread's cache (or the pool); `None` when
    /// 2^26 messages are already live.
    #[inline]
    pub(super) fn new() -> Option<Slot> {
        let cached = CACHE.try_with(|c| {
            let mut c = c.try_borrow_mut().ok()?;
            if let Some((index, entry)) = c.0.pop() {
                return Some(Slot { index, entry });
            }
            if !refill(&mut c.0) {
                return None;
            }
            c.0.pop().map(|(index, entry)| Slot { index, entry })
        });
        match cached {
            Ok(s) => s,
            Err(_) => Self::from_pool(),
        }
    }

    /// The thread is exiting: straight from the pool.
    #[cold]
    fn from_pool() -> Option<Slot> {
        let mut one = Vec::new();
        refill(&mut one);
        let s = one.pop().map(|(index, entry)| Slot { index, entry });
        POOL.lock().free.extend(one.into_iter().map(|(i, _)| i));
        s
    }

    /// Gives this entry to a message placed at `home`: the tag to store
    /// beside it.
    #[inline]
    pub(super) fn place(self, home: usize) -> u64 {
        let e = self.entry;
        let index = u64::from(self.index);
        std::mem::forget(self);
        // The entry is ours alone: every tag naming it holds an older
        // generation, so no copy can pass while it is set.
        let gen = (e.gen.load(Ordering::Acquire) + 1) & GEN_MASK;
        debug_assert!(gen & 1 == 1);
        e.home.store(home, Ordering::Relaxed);
        e.gen.store(gen, Ordering::Release);
        tag(index, gen)
    }
}

#[inline]
fn release(index: u32, entry: &'static Entry) {
    let kept = CACHE.try_with(|c| {
        let Ok(mut c) = c.try_borrow_mut() else {
            return false;
        };
        c.0.push((index, entry));
        if c.0.len() > CACHE_MAX {
            give_back(&mut c.0);
        }
        true
    });
    if kept != Ok(true) {
        POOL.lock().free.push(index);
    }
}

#[cold]
fn give_back(cache: &mut Vec<(u32, &'static Entry)>) {
    let half = cache.len() / 2;
    let back: Vec<u32> = cache.drain(..half).map(|(i, _)| i).collect();
    POOL.lock().free.extend(back);
}

const fn tag(index: u64, gen: u64) -> u64 {
    (gen << INDEX_BITS) | index
}

/// The tag of a message that owns no memory. Its generation is even and
/// its index past the table, so it never names an identity.
pub(super) const PLAIN: u64 = tag(INDEX_MASK, PLAIN_GEN);
const PLAIN_GEN: u64 = 0x1d_6c61_696e;
const _: () = assert!(PLAIN_GEN & 1 == 0 && PLAIN_GEN <= GEN_MASK);

fn split(tag: u64) -> (u64, u64) {
    (tag & INDEX_MASK, tag >> INDEX_BITS)
}

/// A new identity for a message placed at `home`: the tag to store beside
/// it, or `None` when 2^26 messages are already live.
#[inline]
pub(super) fn place(home: usize) -> Option<u64> {
    Some(Slot::new()?.place(home))
}

/// What a `zmq_msg_t` at `at` carrying `tag` is.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub(super) enum Found {
    /// The live message, at its home.
    Home,
    /// A live message found away from its home, not claimed: a bitwise
    /// copy that may be read.
    Copy,
    /// A live message claimed at this new address: it lives here now and
    /// carries this new tag (every other copy is stale).
    Moved(u64),
    /// Not a live message: never placed, closed, garbage, or a stale copy.
    Dead,
}

fn live_entry(tag: u64) -> Option<(&'static Entry, u64, u64)> {
    let (index, gen) = split(tag);
    if gen & 1 == 0 {
        return None;
    }
    let e = locate(index)?;
    (e.gen.load(Ordering::Acquire) == gen).then_some((e, index, gen))
}

/// Resolves the message at `at`; with `claim`, a copy found away from
/// its home is re-homed here.
pub(super) fn resolve(at: usize, tag: u64, claim: bool) -> Found {
    let Some((e, index, gen)) = live_entry(tag) else {
        return Found::Dead;
    };
    if e.home.load(Ordering::Acquire) == at {
        return Found::Home;
    }
    if !claim {
        return Found::Copy;
    }
    let next = (gen + 2) & GEN_MASK;
    if e.gen
        .compare_exchange(gen, next, Ordering::AcqRel, Ordering::Acquire)
        .is_err()
    {
        return Found::Dead;
    }
    e.home.store(at, Ordering::Release);
    Found::Moved(self::tag(index, next))
}

/// Takes the live message carrying `tag`, wherever this copy of it is:
/// its generation becomes dead, so this copy and every other one is stale
/// from now on. The entry comes back as a `Slot` for the caller to place
/// the next message in (or drop). `None` if `tag` is not live (or another
/// copy took or moved it first).
#[inline]
pub(super) fn take(tag: u64) -> Option<Slot> {
    let (e, index, gen) = live_entry(tag)?;
    e.gen
        .compare_exchange(
            gen,
            (gen + 1) & GEN_MASK,
            Ordering::AcqRel,
            Ordering::Acquire,
        )
        .ok()?;
    Some(Slot {
        index: index as u32,
        entry: e,
    })
}

/// Ends the identity of the live message carrying `tag`: every copy is
/// dead from now on. False if it was not live (or another copy took or
/// moved it first).
#[cfg(test)]
fn end(tag: u64) -> bool {
    take(tag).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_placed_message_is_found_at_home_and_dies_once() {
        let t = place(0x1000).unwrap();
        assert_eq!(resolve(0x1000, t, true), Found::Home);
        assert!(end(t));
        assert_eq!(resolve(0x1000, t, true), Found::Dead);
        assert!(!end(t));
    }

    #[test]
    fn a_moved_message_is_rehomed_and_its_other_copies_go_stale() {
        let t = place(0x2000).unwrap();
        // Reading a copy elsewhere claims nothing.
        assert_eq!(resolve(0x3000, t, false), Found::Copy);
        assert_eq!(resolve(0x2000, t, true), Found::Home);
        let Found::Moved(t2) = resolve(0x3000, t, true) else {
            panic!("a claimed copy with the current generation is a move");
        };
        assert_eq!(resolve(0x3000, t2, false), Found::Home);
        // The copy left at the old address (same bits as before the move).
        assert_eq!(resolve(0x2000, t, false), Found::Dead);
        assert_eq!(resolve(0x2000, t, true), Found::Dead);
        assert!(!end(t));
        assert!(end(t2));
        assert_eq!(resolve(0x3000, t2, true), Found::Dead);
    }

    #[test]
    fn a_taken_entry_placed_again_does_not_revive_old_copies() {
        let t = place(0x9000).unwrap();
        // Taking a copy away from home takes the message.
        let slot = take(t).expect("a live tag is taken once");
        assert!(take(t).is_none());
        assert_eq!(resolve(0x9000, t, false), Found::Dead);
        // The same entry serves the next message at the same place.
        let t2 = slot.place(0x9000);
        assert_ne!(t, t2);
        assert_eq!(resolve(0x9000, t2, false), Found::Home);
        assert_eq!(resolve(0x9000, t, true), Found::Dead);
        assert!(take(t).is_none());
        // A slot dropped unused goes back to the free entries.
        drop(take(t2).unwrap());
        assert_eq!(resolve(0x9000, t2, false), Found::Dead);
    }

    #[test]
    fn zero_and_garbage_tags_are_dead() {
        for t in [0, 1, u64::MAX, 0xdead_beef, 2 << INDEX_BITS, PLAIN] {
            assert_eq!(resolve(0x4000, t, false), Found::Dead, "tag {t:#x}");
            assert_eq!(resolve(0x4000, t, true), Found::Dead, "tag {t:#x}");
        }
    }

    #[test]
    fn a_reused_entry_does_not_revive_old_tags() {
        let mut old = Vec::new();
        for _ in 0..(CACHE_MAX * 2 + 10) {
            let t = place(0x5000).unwrap();
            old.push(t);
            assert!(end(t));
        }
        let live = place(0x5000).unwrap();
        for t in old {
            assert_ne!(t, live);
            assert_eq!(resolve(0x5000, t, true), Found::Dead);
        }
        assert!(end(live));
    }

    #[test]
    // Thousands of entries or 100+ KiB buffers: minutes under Miri, and
    // the code they test is safe Rust; they run natively.
    #[cfg_attr(miri, ignore)]
    fn entries_past_the_first_chunk_work() {
        let tags: Vec<u64> = (0..5000)
            .map(|i| place(0x10_0000 + i * 64).unwrap())
            .collect();
        for (i, t) in tags.iter().enumerate() {
            assert_eq!(resolve(0x10_0000 + i * 64, *t, true), Found::Home);
        }
        for t in tags {
            assert!(end(t));
        }
    }

    #[test]
    fn of_two_racing_copies_only_one_wins() {
        for _ in 0..if cfg!(miri) { 5 } else { 50 } {
            let t = place(0x6000).unwrap();
            let wins: usize = std::thread::scope(|s| {
                let a = s.spawn(|| matches!(resolve(0x7000, t, true), Found::Moved(n) if end(n)));
                let b = s.spawn(|| matches!(resolve(0x8000, t, true), Found::Moved(n) if end(n)));
                usize::from(a.join().unwrap()) + usize::from(b.join().unwrap())
            });
            assert_eq!(wins, 1);
        }
    }

    #[test]
    fn locate_covers_every_index_once() {
        // Chunk boundaries: index 0 is chunk 0, offset 0; the last index
        // of chunk k is followed by the first of chunk k + 1.
        assert_eq!(chunk_of(0), 0);
        assert_eq!(chunk_of((1 << FIRST) - 1), 0);
        assert_eq!(chunk_of(1 << FIRST), 1);
        assert_eq!(chunk_of(INDEX_MASK - (1 << FIRST)), CHUNKS - 1);
        assert_eq!(chunk_of(INDEX_MASK - (1 << FIRST) + 1), CHUNKS);
    }
}
