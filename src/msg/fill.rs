//! Bodies for `zmq_msg_init_size`, which C fills after the call: libzmq
//! leaves them uninitialised, and clearing them here was a memset (and a
//! `calloc`, which takes the allocator's arena lock) per message. Every
//! body here is memory that was written before, by an earlier body or by
//! the one clearing of a new chunk, so no byte is cleared per message and
//! it stays safe Rust (no uninitialised memory is ever exposed):
//!
//! - up to `SMALL` bytes: carved from the calling thread's 64 KiB chunks
//!   (pieces, `io::chunk`, as the socket's `Slab`); a chunk whose bodies
//!   are all gone is carved again as it is, so a steady stream allocates
//!   and clears nothing;
//! - up to 32 KiB: whole buffers kept per size class, recycled when the
//!   last reference goes (usually in the I/O thread after writing);
//! - larger: the large-buffer `pool`, shared with received bodies.

use super::Carver;
use crate::io::chunk::Piece;
use bytes::Bytes;
use parking_lot::Mutex;
use std::cell::RefCell;

/// Bodies up to this size are carved from per-thread chunks.
pub const SMALL: usize = 2048;
const CHUNK: usize = 64 * 1024;
/// Chunks a thread keeps while their bodies are in flight (512 KiB):
/// enough for a socket's default high-water mark of 64 B..512 B
/// messages to be carved again without a new chunk.
const KEEP: usize = 8;

thread_local! {
    static CHUNKS: RefCell<Carver> = const { RefCell::new(Carver::new(CHUNK, KEEP)) };
}

/// A body of `len` bytes (`INLINE_CAP` < len <= `SMALL`) carved from this
/// thread's chunks; None for larger ones, in sanitizer builds (see
/// `body`), when this thread is exiting or memory runs out.
#[inline]
pub fn piece(len: usize) -> Option<Piece> {
    if cfg!(feature = "sanitize") || len > SMALL {
        return None;
    }
    CHUNKS.try_with(|c| c.borrow_mut().carve(len)).ok()?
}

/// A zeroed buffer of `len` bytes, `None` when memory runs out.
fn zeroed(len: usize) -> Option<Vec<u8>> {
    if len <= CALLOC_MAX {
        // calloc: memory fresh from the kernel is not cleared twice.
        // (Infallible, like any allocation of this size elsewhere.)
        return Some(vec![0; len]);
    }
    let mut v = Vec::new();
    v.try_reserve_exact(len).ok()?;
    v.resize(len, 0);
    Some(v)
}

/// Up to this size a new buffer comes from calloc; larger ones are
/// allocated fallibly, so that an absurd size is ENOMEM, not an abort.
const CALLOC_MAX: usize = 64 << 20;

/// Mid-size buffers, one free list per power-of-two class.
const MID_CLASSES: usize = 4; // 4 KiB .. 32 KiB
const MID_KEEP: usize = 16;
static MID: Mutex<[Vec<Vec<u8>>; MID_CLASSES]> = Mutex::new([const { Vec::new() }; MID_CLASSES]);

fn mid_class(cap: usize) -> usize {
    (cap.trailing_zeros() as usize).saturating_sub(12)
}

/// A recycled buffer: `len` bytes of it are the body, all of it stays
/// initialised (`v.len()` never shrinks) for its next use.
struct Recycled {
    v: Vec<u8>,
    len: usize,
}

impl AsRef<[u8]> for Recycled {
    fn as_ref(&self) -> &[u8] {
        &self.v[..self.len]
    }
}

impl Drop for Recycled {
    fn drop(&mut self) {
        let v = std::mem::take(&mut self.v);
        if v.capacity() >= 64 * 1024 {
            super::pool::recycle(v);
            return;
        }
        let c = mid_class(v.capacity());
        let mut free = MID.lock();
        if free[c].len() < MID_KEEP {
            free[c].push(v);
        }
    }
}

/// A body of `len` bytes (more than `INLINE_CAP`) for C to fill, of
/// its own (`piece` carves the small ones).
pub fn body(len: usize) -> Option<Bytes> {
    if cfg!(feature = "sanitize") {
        // scripts/sanitize: one exact allocation per body, so that a
        // C overflow past it or a message never closed is reported
        // (a carved body's chunk stays reachable from this thread).
        return zeroed(len).map(Bytes::from);
    }
    if len <= SMALL {
        // Not carved (`piece`): a body of its own.
        return zeroed(len).map(Bytes::from);
    }
    let mut v = if len > 32 * 1024 {
        match super::pool::take(len) {
            Some(v) => v,
            None => zeroed(super::pool::capacity_for(len)?)?,
        }
    } else {
        let cap = len.next_power_of_two();
        match MID.lock()[mid_class(cap)].pop() {
            Some(v) => v,
            None => zeroed(cap)?,
        }
    };
    if v.len() < len {
        // Only bytes no earlier body wrote are cleared.
        v.resize(len, 0);
    }
    Some(Bytes::from_owner(Recycled { v, len }))
}
