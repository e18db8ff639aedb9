//! A socket's list of pipes that have input again after being parked
//! empty (libzmq's `activate_read`).

use crate::io::lock::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// A socket's list of pipes that were parked empty and have input again
/// (libzmq's `activate_read` commands): written by the pipes' writers,
/// drained by the socket's fair-queueing.
/// `any` lets the reader skip the lock on each receive when nothing was
/// activated (a steady stream on one pipe never parks it).
#[derive(Default)]
pub struct Activations {
    list: Mutex<Vec<u64>>,
    any: AtomicBool,
}

impl Activations {
    pub(super) fn push(&self, id: u64) {
        let mut list = self.list.lock();
        list.push(id);
        self.any.store(true, Ordering::Release);
    }

    /// Moves every pipe id activated since the last call into `into`. An
    /// activation racing with this call is taken by the next one: its
    /// writer signals the socket after pushing it.
    /// True when it moved any.
    #[inline]
    pub fn take(&self, into: &mut Vec<u64>) -> bool {
        if !self.any.load(Ordering::Acquire) {
            return false;
        }
        let mut list = self.list.lock();
        self.any.store(false, Ordering::Relaxed);
        into.append(&mut list);
        true
    }
}
