//! Bodies carved from a shared chunk (or sliced from a receive buffer)
//! each hold the chunk's one reference count: the carving thread raises
//! it per body and the receiving thread lowers it, so in a stream between
//! two threads the count's cache line moved between the two cores twice
//! per message. A receiving thread drops such bodies in groups instead:
//! one move of the line per group. Only flagged bodies wait here
//! (`flags::CARVED`: no user free function is ever delayed), at most
//! `BATCH` of them, and the group is dropped before the thread blocks
//! (`flush_released`: `Signaler::wait` before it sleeps, `zmq_poll` and
//! the poller before they wait). Pieces (`io::chunk`) of one chunk that
//! come one after another are released together, in one step, up to
//! `PIECES` of them.

use crate::io::chunk::{Piece, Releaser};
use bytes::Bytes;
use std::cell::RefCell;

const BATCH: usize = 32;
const PIECES: usize = 256;

thread_local! {
    static HELD: RefCell<Vec<Bytes>> = const { RefCell::new(Vec::new()) };
    static PIECES_HELD: RefCell<Releaser> = const { RefCell::new(Releaser::new()) };
}

pub fn hold_piece(p: Piece) {
    // A thread that is exiting drops the piece here, with the closure.
    let _ = PIECES_HELD.try_with(move |r| {
        let mut r = r.borrow_mut();
        r.release(p);
        if r.held() >= PIECES {
            r.flush();
        }
    });
}

pub fn hold(b: Bytes) {
    // A thread that is exiting drops the body here, with the closure.
    let _ = HELD.try_with(move |h| {
        let mut h = h.borrow_mut();
        if h.capacity() == 0 {
            h.reserve_exact(BATCH);
        }
        h.push(b);
        if h.len() >= BATCH {
            h.clear();
        }
    });
}

pub fn flush() {
    let _ = HELD.try_with(|h| {
        if let Ok(mut h) = h.try_borrow_mut() {
            h.clear();
        }
    });
    let _ = PIECES_HELD.try_with(|r| {
        if let Ok(mut r) = r.try_borrow_mut() {
            r.flush();
        }
    });
}
