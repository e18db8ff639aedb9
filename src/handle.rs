//! Handles: what C holds instead of pointers.
//!
//! Every object given to C (context, socket, atomic counter, timers, poller) lives in
//! a `HandleTable` slot. C gets a token that packs the object's kind, its slot
//! and the slot's epoch; removing the object bumps the epoch, so a stale or
//! forged token is refused with an error instead of reaching freed memory.
//! The C boundary turns tokens into `void*` values (inside a readable,
//! never-mapped-writable address range, so third-party code that peeks at a
//! handle reads zeros rather than faulting); this module is pure arithmetic.
//!
//! A token is never handed out twice: a slot whose epoch reaches the largest
//! one is retired instead of wrapping, and another slot serves instead. Only
//! when every slot of a kind is retired (2^16 slots × (2^22 − 1) epochs, about
//! 2.7·10^11 objects of that kind) are the retired slots recycled, starting
//! their epochs over; until then a stale handle can never name a live object.

#![forbid(unsafe_code)]

use parking_lot::{Mutex, RwLock};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

const EPOCH_BITS: u32 = 22;
const SLOT_BITS: u32 = 16;
const KIND_BITS: u32 = 3;
const EPOCH_MASK: u64 = (1 << EPOCH_BITS) - 1;
const SLOT_MASK: u64 = (1 << SLOT_BITS) - 1;

/// The span of token values: the boundary reserves this much address space.
pub const TOKEN_SPAN: u64 = 1 << (EPOCH_BITS + SLOT_BITS + KIND_BITS);
/// Most live objects of one kind.
pub const MAX_SLOTS: usize = 1 << SLOT_BITS;

/// What a handle refers to; a token of one kind is never valid as another.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u64)]
pub enum Kind {
    Context = 0,
    Socket = 1,
    Counter = 2,
    Timers = 3,
    /// The draft `zmq_poller_*` API.
    #[cfg_attr(not(feature = "draft"), allow(dead_code))]
    Poller = 4,
}

/// Slots are allocated in chunks as the table grows; a chunk never moves
/// or goes away, so a lookup needs no table-wide lock.
const CHUNK: usize = 256;
const CHUNKS: usize = MAX_SLOTS / CHUNK;

/// One handle's object. Each slot has its own lock on its own cache line:
/// threads using different sockets never touch a shared line to look their
/// socket up (a table-wide lock bounced between a sender's and a receiver's
/// cores on every call).
#[repr(align(64))]
struct Slot<T> {
    cell: RwLock<SlotCell<T>>,
    /// The epoch while an object is in the slot, 0 when empty: lets a
    /// caller that cached the object check it is still current without
    /// taking the lock.
    live: AtomicU64,
}

struct SlotCell<T> {
    epoch: u64,
    value: Option<Arc<T>>,
}

/// Slot allocation: which slots exist, which are free, which are retired
/// (their epoch reached the last one: reusing them would repeat a token).
struct Alloc {
    used: usize,
    free: Vec<usize>,
    retired: Vec<usize>,
}

/// A slot + epoch table of one kind of object.
pub struct HandleTable<T> {
    kind: Kind,
    chunks: [OnceLock<Box<[Slot<T>]>>; CHUNKS],
    alloc: Mutex<Alloc>,
    /// The last epoch a slot may take (`EPOCH_MASK`; smaller in tests).
    last_epoch: u64,
    /// How many slots may exist (`MAX_SLOTS`; smaller in tests).
    max_slots: usize,
}

fn encode(kind: Kind, slot: usize, epoch: u64) -> u64 {
    ((kind as u64) << (SLOT_BITS + EPOCH_BITS)) | ((slot as u64) << EPOCH_BITS) | epoch
}

fn decode(token: u64) -> Option<(u64, usize, u64)> {
    if token >= TOKEN_SPAN {
        return None;
    }
    let epoch = token & EPOCH_MASK;
    let slot = ((token >> EPOCH_BITS) & SLOT_MASK) as usize;
    let kind = token >> (SLOT_BITS + EPOCH_BITS);
    Some((kind, slot, epoch))
}

impl<T> HandleTable<T> {
    pub const fn new(kind: Kind) -> Self {
        Self::with_limits(kind, MAX_SLOTS, EPOCH_MASK)
    }

    /// A table with fewer slots or epochs, so tests reach the limits fast.
    const fn with_limits(kind: Kind, max_slots: usize, last_epoch: u64) -> Self {
        assert!(max_slots <= MAX_SLOTS && last_epoch <= EPOCH_MASK && last_epoch > 0);
        HandleTable {
            kind,
            chunks: [const { OnceLock::new() }; CHUNKS],
            alloc: Mutex::new(Alloc {
                used: 0,
                free: Vec::new(),
                retired: Vec::new(),
            }),
            last_epoch,
            max_slots,
        }
    }

    fn slot(&self, slot: usize) -> Option<&Slot<T>> {
        self.chunks.get(slot / CHUNK)?.get()?.get(slot % CHUNK)
    }

    /// Stores `value`; returns its token (never 0), or `None` when full.
    pub fn insert(&self, value: Arc<T>) -> Option<u64> {
        let mut alloc = self.alloc.lock();
        if alloc.free.is_empty() && alloc.used >= self.max_slots {
            // Every slot is live or retired: recycle the retired ones, whose
            // epochs start over. A token repeats only from here on, after
            // max_slots × last_epoch objects of this kind.
            let retired = std::mem::take(&mut alloc.retired);
            alloc.free = retired;
        }
        let slot = match alloc.free.pop() {
            Some(s) => s,
            None => {
                if alloc.used >= self.max_slots {
                    return None;
                }
                let s = alloc.used;
                alloc.used += 1;
                self.chunks[s / CHUNK].get_or_init(|| {
                    (0..CHUNK)
                        .map(|_| Slot {
                            cell: RwLock::new(SlotCell {
                                epoch: 0,
                                value: None,
                            }),
                            live: AtomicU64::new(0),
                        })
                        .collect()
                });
                s
            }
        };
        let s = self.slot(slot)?;
        let mut cell = s.cell.write();
        // Epoch 0 is never handed out, so no token is 0 (NULL). A slot at
        // the last epoch is only here again after recycling.
        cell.epoch = if cell.epoch >= self.last_epoch {
            1
        } else {
            cell.epoch + 1
        };
        cell.value = Some(value);
        s.live.store(cell.epoch, Ordering::Release);
        Some(encode(self.kind, slot, cell.epoch))
    }

    /// The live object behind `token`, if it is one of ours and current.
    pub fn get(&self, token: u64) -> Option<Arc<T>> {
        let (kind, slot, epoch) = decode(token)?;
        if kind != self.kind as u64 || epoch == 0 {
            return None;
        }
        let cell = self.slot(slot)?.cell.read();
        if cell.epoch != epoch {
            return None;
        }
        cell.value.clone()
    }

    /// Whether `token` is current (lock-free; for callers that cached the
    /// object it names).
    pub fn is_live(&self, token: u64) -> bool {
        match decode(token) {
            Some((kind, slot, epoch)) if kind == self.kind as u64 && epoch != 0 => self
                .slot(slot)
                .is_some_and(|s| s.live.load(Ordering::Acquire) == epoch),
            _ => false,
        }
    }

    /// Removes the object behind `token`; the token is dead from now on.
    pub fn remove(&self, token: u64) -> Option<Arc<T>> {
        let (kind, slot, epoch) = decode(token)?;
        if kind != self.kind as u64 || epoch == 0 {
            return None;
        }
        // The allocation lock first (as in insert), so a slot is on the
        // free list only once its value is gone.
        let mut alloc = self.alloc.lock();
        let v = {
            let s = self.slot(slot)?;
            let mut cell = s.cell.write();
            if cell.epoch != epoch {
                return None;
            }
            s.live.store(0, Ordering::Release);
            cell.value.take()
        };
        if v.is_some() {
            if epoch >= self.last_epoch {
                alloc.retired.push(slot);
            } else {
                alloc.free.push(slot);
            }
        }
        v
    }

    #[cfg(test)]
    /// Number of live objects.
    pub fn len(&self) -> usize {
        let alloc = self.alloc.lock();
        alloc.used - alloc.free.len() - alloc.retired.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_token_is_refused_after_reuse() {
        let t: HandleTable<u32> = HandleTable::new(Kind::Socket);
        let a = t.insert(Arc::new(1)).unwrap();
        assert_eq!(*t.get(a).unwrap(), 1);
        t.remove(a).unwrap();
        assert!(t.get(a).is_none());
        let b = t.insert(Arc::new(2)).unwrap();
        assert_ne!(a, b);
        assert!(t.get(a).is_none());
        assert_eq!(*t.get(b).unwrap(), 2);
    }

    #[test]
    fn tokens_of_another_kind_are_refused() {
        let s: HandleTable<u32> = HandleTable::new(Kind::Socket);
        let c: HandleTable<u32> = HandleTable::new(Kind::Context);
        let tok = s.insert(Arc::new(1)).unwrap();
        assert!(c.get(tok).is_none());
    }

    #[test]
    fn forged_tokens_are_refused() {
        let t: HandleTable<u32> = HandleTable::new(Kind::Socket);
        t.insert(Arc::new(1)).unwrap();
        for forged in [0, 1, 7, TOKEN_SPAN, u64::MAX, 1 << 40] {
            assert!(t.get(forged).is_none());
            assert!(t.remove(forged).is_none());
        }
    }

    #[test]
    fn no_token_is_zero_and_removal_is_once() {
        let t: HandleTable<u32> = HandleTable::new(Kind::Context);
        let a = t.insert(Arc::new(1)).unwrap();
        assert_ne!(a, 0);
        assert!(t.remove(a).is_some());
        assert!(t.remove(a).is_none());
        assert_eq!(t.len(), 0);
    }

    #[test]
    // Thousands of entries or 100+ KiB buffers: minutes under Miri, and
    // the code they test is safe Rust; they run natively.
    #[cfg_attr(miri, ignore)]
    fn slots_past_the_first_chunk_work_and_are_reused() {
        let t: HandleTable<usize> = HandleTable::new(Kind::Socket);
        let toks: Vec<u64> = (0..CHUNK * 2 + 3)
            .map(|i| t.insert(Arc::new(i)).unwrap())
            .collect();
        for (i, tok) in toks.iter().enumerate() {
            assert_eq!(*t.get(*tok).unwrap(), i);
        }
        assert_eq!(t.len(), toks.len());
        let last = *toks.last().unwrap();
        assert!(t.remove(last).is_some());
        let again = t.insert(Arc::new(7)).unwrap();
        assert_ne!(again, last);
        assert!(t.get(last).is_none());
        assert!(!t.is_live(last));
        assert!(t.is_live(again));
        assert_eq!(*t.get(again).unwrap(), 7);
    }

    /// Closes and reopens one object `cycles` times; the slot it lands in
    /// each time must never give back the first token.
    fn churn(t: &HandleTable<u32>, cycles: u64) -> (u64, u64) {
        let first = t.insert(Arc::new(0)).unwrap();
        t.remove(first).unwrap();
        let mut slots_used = std::collections::BTreeSet::new();
        let mut last = first;
        for i in 0..cycles {
            let tok = t.insert(Arc::new(1)).unwrap();
            assert_ne!(
                tok, first,
                "token of the first object handed out again at cycle {i}"
            );
            assert!(t.get(first).is_none(), "stale token accepted at cycle {i}");
            slots_used.insert(decode(tok).unwrap().1);
            t.remove(tok).unwrap();
            last = tok;
        }
        assert!(t.get(first).is_none() && !t.is_live(first));
        assert!(t.remove(first).is_none());
        (last, slots_used.len() as u64)
    }

    #[test]
    fn a_slot_is_retired_before_its_epoch_wraps() {
        // One slot churned well past its last epoch: the stale first token
        // is never accepted, and another slot takes over.
        let t: HandleTable<u32> = HandleTable::with_limits(Kind::Socket, MAX_SLOTS, 5);
        let (_, slots) = churn(&t, 40);
        assert_eq!(slots, 9, "5 epochs per slot: 41 objects need 9 slots");
        assert_eq!(t.len(), 0);
    }

    #[test]
    #[cfg_attr(miri, ignore)] // 4 million cycles: minutes under Miri
    fn churning_one_slot_past_the_real_epoch_width_never_repeats_a_token() {
        let t: HandleTable<u32> = HandleTable::new(Kind::Socket);
        let (_, slots) = churn(&t, EPOCH_MASK + 10);
        assert_eq!(slots, 2);
    }

    #[test]
    fn retired_slots_are_recycled_only_when_every_slot_is_retired() {
        let t: HandleTable<u32> = HandleTable::with_limits(Kind::Counter, 3, 2);
        // 3 slots × 2 epochs: 6 distinct tokens before any repeats.
        let mut seen = Vec::new();
        for _ in 0..6 {
            let tok = t.insert(Arc::new(1)).unwrap();
            assert!(!seen.contains(&tok));
            seen.push(tok);
            t.remove(tok).unwrap();
        }
        // Now every slot is retired; the table recycles instead of failing.
        let tok = t.insert(Arc::new(2)).unwrap();
        assert!(seen.contains(&tok));
        assert_eq!(*t.get(tok).unwrap(), 2);
        assert_eq!(t.len(), 1);
    }

    #[test]
    fn live_objects_keep_their_slots_when_the_table_is_full() {
        let t: HandleTable<u32> = HandleTable::with_limits(Kind::Timers, 2, 1);
        let a = t.insert(Arc::new(1)).unwrap();
        let b = t.insert(Arc::new(2)).unwrap();
        assert!(t.insert(Arc::new(3)).is_none(), "full: 2 live objects");
        t.remove(a).unwrap();
        // `a`'s slot is at its last epoch: retired, then recycled since no
        // other slot is free.
        let c = t.insert(Arc::new(3)).unwrap();
        assert_eq!(c, a);
        assert_eq!(*t.get(b).unwrap(), 2);
    }
}
