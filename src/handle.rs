//! Handles: what C holds instead of pointers.
//!
//! Every object given to C (context, socket, atomic counter, timers) lives in
//! a `HandleTable` slot. C gets a token that packs the object's kind, its slot
//! and the slot's epoch; removing the object bumps the epoch, so a stale or
//! forged token is refused with an error instead of reaching freed memory.
//! The C boundary turns tokens into `void*` values (inside a readable,
//! never-mapped-writable address range, so third-party code that peeks at a
//! handle reads zeros rather than faulting); this module is pure arithmetic.

use parking_lot::{Mutex, RwLock};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

const EPOCH_BITS: u32 = 18;
const SLOT_BITS: u32 = 16;
const KIND_BITS: u32 = 2;
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

/// Slot allocation: which slots exist and which are free.
struct Alloc {
    used: usize,
    free: Vec<usize>,
}

/// A slot + epoch table of one kind of object.
pub struct HandleTable<T> {
    kind: Kind,
    chunks: [OnceLock<Box<[Slot<T>]>>; CHUNKS],
    alloc: Mutex<Alloc>,
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
        HandleTable {
            kind,
            chunks: [const { OnceLock::new() }; CHUNKS],
            alloc: Mutex::new(Alloc {
                used: 0,
                free: Vec::new(),
            }),
        }
    }

    fn slot(&self, slot: usize) -> Option<&Slot<T>> {
        self.chunks.get(slot / CHUNK)?.get()?.get(slot % CHUNK)
    }

    /// Stores `value`; returns its token (never 0), or `None` when full.
    pub fn insert(&self, value: Arc<T>) -> Option<u64> {
        let mut alloc = self.alloc.lock();
        let slot = match alloc.free.pop() {
            Some(s) => s,
            None => {
                if alloc.used >= MAX_SLOTS {
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
        // Epoch 0 is never handed out, so no token is 0 (NULL).
        cell.epoch = if cell.epoch >= EPOCH_MASK {
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
            alloc.free.push(slot);
        }
        v
    }

    /// Number of live objects.
    pub fn len(&self) -> usize {
        let alloc = self.alloc.lock();
        alloc.used - alloc.free.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
}
