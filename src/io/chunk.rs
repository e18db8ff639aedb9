//! Pieces: small message bodies carved from a shared chunk whose reference
//! count moves in steps, not one atomic operation per body.
//!
//! A `Bytes` slice of a shared buffer raises the buffer's one count when
//! it is made or cloned and lowers it when dropped: for a stream of small
//! messages that is an atomic operation on one cache line per body in the
//! carving thread and one in the thread that drops it, and PUB fan-out to
//! n pipes adds n - 1 more (perf: half the publisher's application thread
//! at 64 B to 10 subscribers, on those lines). Here:
//!
//! - the carving thread holds references paid for in advance
//!   (`Chunk::prepaid`, raised in steps of `PREPAY`) and hands one to each
//!   piece without an atomic operation;
//! - `Piece::clones` adds n references in one step (fan-out);
//! - `Releaser` drops consecutive pieces of one chunk in one step (a
//!   receiving thread's late release, `msg::released`).
//!
//! The chunk's memory is zeroed when allocated and only ever written at a
//! piece's bytes before the piece is handed out, so no uninitialised byte
//! is ever read. A chunk is carved again from its start only when no piece
//! of it is alive (`Chunk::unused`).

use std::alloc::{alloc_zeroed, dealloc, Layout};
use std::mem::ManuallyDrop;
use std::ptr::NonNull;
use std::sync::atomic::{fence, AtomicUsize, Ordering};

/// The count and size at the start of every chunk; its bytes follow, on
/// the next cache line (the count's line is written by every thread that
/// drops a piece).
#[repr(C, align(64))]
struct Header {
    refs: AtomicUsize,
    cap: usize,
}

const HDR: usize = std::mem::size_of::<Header>();
/// Pieces start at this alignment, as a malloc'd body would.
const ALIGN: usize = 8;
/// References added to a chunk in one step for its carving thread.
const PREPAY: usize = 256;
/// Counts beyond this are a leak of references (as `Arc`'s limit).
const MAX_REFS: usize = isize::MAX as usize;

fn layout(cap: usize) -> Option<Layout> {
    Layout::from_size_align(HDR.checked_add(cap)?, std::mem::align_of::<Header>()).ok()
}

/// Lowers a chunk's count by `n` and frees it when that was the last.
///
/// # Safety
/// The caller gives up `n` references it holds to the live chunk `hdr`.
unsafe fn release(hdr: NonNull<Header>, n: usize) {
    // SAFETY: the chunk is alive while the caller's references are.
    let h = unsafe { hdr.as_ref() };
    if h.refs.fetch_sub(n, Ordering::Release) != n {
        return;
    }
    // Every other holder's accesses happen before the free (as `Arc`).
    fence(Ordering::Acquire);
    let cap = h.cap;
    let l = layout(cap).expect("the layout it was allocated with");
    // SAFETY: the last reference is gone: nobody reads the chunk any more,
    // and it was allocated by `Chunk::new` with this layout.
    unsafe { dealloc(hdr.as_ptr() as *mut u8, l) };
}

/// A chunk being carved by one owner (a socket's `Slab`, a thread's fill
/// chunks). It holds one reference of its own and `prepaid` more that no
/// piece holds yet.
pub struct Chunk {
    hdr: NonNull<Header>,
    off: usize,
    /// The header's `cap`, kept here: the header's line is the count's.
    cap: usize,
    prepaid: usize,
}

// SAFETY: the owner's handle: its bytes past `off` belong to no piece and
// are written only through `&mut self`; the count is atomic.
unsafe impl Send for Chunk {}
// SAFETY: `&Chunk` only reads the count and size.
unsafe impl Sync for Chunk {}

impl Chunk {
    /// A zeroed chunk of `cap` bytes; None when memory cannot be had.
    pub fn new(cap: usize) -> Option<Chunk> {
        let l = layout(cap)?;
        // SAFETY: the layout has a nonzero size (the header).
        let p = unsafe { alloc_zeroed(l) } as *mut Header;
        let hdr = NonNull::new(p)?;
        // SAFETY: fresh memory of the header's size and alignment.
        unsafe {
            hdr.as_ptr().write(Header {
                refs: AtomicUsize::new(1 + PREPAY),
                cap,
            })
        };
        Some(Chunk {
            hdr,
            off: 0,
            cap,
            prepaid: PREPAY,
        })
    }

    fn header(&self) -> &Header {
        // SAFETY: our own reference keeps the chunk alive.
        unsafe { self.hdr.as_ref() }
    }

    pub fn capacity(&self) -> usize {
        self.cap
    }

    /// Bytes left to carve.
    #[inline]
    pub fn room(&self) -> usize {
        self.capacity() - self.off
    }

    /// Whether no piece of this chunk is alive (it may be carved again
    /// from its start).
    pub fn unused(&self) -> bool {
        // Acquire: the dropped pieces' reads happen before our rewrites.
        self.header().refs.load(Ordering::Acquire) == 1 + self.prepaid
    }

    /// Starts carving again from the beginning; false (nothing changed)
    /// while a piece is alive.
    pub fn rewind(&mut self) -> bool {
        if !self.unused() {
            return false;
        }
        self.off = 0;
        true
    }

    /// A piece of `len` bytes holding what they held before (zeros, or an
    /// earlier piece's bytes): for a caller that fills it (`zmq_msg_init_size`).
    /// None when the chunk has no room left.
    #[inline]
    pub fn carve(&mut self, len: usize) -> Option<Piece> {
        if len > self.room() || len > u32::MAX as usize {
            return None;
        }
        if self.prepaid == 0 {
            self.prepay();
        }
        self.prepaid -= 1;
        let piece = Piece {
            hdr: self.hdr,
            off: self.off as u32,
            len: len as u32,
        };
        self.off = (self.off + len)
            .next_multiple_of(ALIGN)
            .min(self.capacity());
        Some(piece)
    }

    #[cold]
    fn prepay(&mut self) {
        self.header().refs.fetch_add(PREPAY, Ordering::Relaxed);
        self.prepaid = PREPAY;
    }

    /// A piece holding a copy of `data`; None when the chunk has no room.
    #[inline]
    pub fn copy(&mut self, data: &[u8]) -> Option<Piece> {
        if data.len() > self.room() {
            return None;
        }
        let at = self.off;
        // SAFETY: bytes [at, at + len) lie inside the chunk (room checked)
        // and belong to no live piece: they are past every piece carved
        // since the chunk was last unused. `data` is another allocation's
        // or another piece's bytes, never these.
        unsafe {
            let dst = (self.hdr.as_ptr() as *mut u8).add(HDR + at);
            std::ptr::copy_nonoverlapping(data.as_ptr(), dst, data.len());
        }
        self.carve(data.len())
    }
}

impl Drop for Chunk {
    fn drop(&mut self) {
        // SAFETY: our own reference and the prepaid ones are ours to give up.
        unsafe { release(self.hdr, 1 + self.prepaid) };
    }
}

/// A small body: `len` bytes at `off` in a chunk, holding one reference.
pub struct Piece {
    hdr: NonNull<Header>,
    off: u32,
    len: u32,
}

// SAFETY: a piece's bytes are not written while it is alive (its chunk's
// owner writes only bytes of no live piece); the count is atomic.
unsafe impl Send for Piece {}
// SAFETY: as for Send: shared access only reads.
unsafe impl Sync for Piece {}

impl Piece {
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// `n` more pieces over the same bytes, their references added in one
    /// step (references not taken are given back when the iterator drops).
    pub fn clones(&self, n: usize) -> Clones {
        if n > 0 {
            // SAFETY: our reference keeps the chunk alive.
            let old = unsafe { self.hdr.as_ref() }
                .refs
                .fetch_add(n, Ordering::Relaxed);
            // (Unreachable without leaking references by the billion.)
            assert!(
                old.checked_add(n).is_some_and(|c| c <= MAX_REFS),
                "piece reference count overflow"
            );
        }
        Clones {
            hdr: self.hdr,
            off: self.off,
            len: self.len,
            left: n,
        }
    }
}

impl AsRef<[u8]> for Piece {
    #[inline]
    fn as_ref(&self) -> &[u8] {
        // SAFETY: the piece's bytes lie inside its chunk (checked when
        // carved), were written before it was made, and are not written
        // while it is alive; our reference keeps the chunk allocated.
        unsafe {
            let p = (self.hdr.as_ptr() as *const u8).add(HDR + self.off as usize);
            std::slice::from_raw_parts(p, self.len as usize)
        }
    }
}

impl Clone for Piece {
    fn clone(&self) -> Piece {
        let mut c = self.clones(1);
        c.next().expect("one clone")
    }
}

impl Drop for Piece {
    fn drop(&mut self) {
        // SAFETY: this piece's reference is given up once, here.
        unsafe { release(self.hdr, 1) };
    }
}

/// Pieces whose references were added together (`Piece::clones`).
pub struct Clones {
    hdr: NonNull<Header>,
    off: u32,
    len: u32,
    left: usize,
}

impl Iterator for Clones {
    type Item = Piece;

    fn next(&mut self) -> Option<Piece> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        Some(Piece {
            hdr: self.hdr,
            off: self.off,
            len: self.len,
        })
    }
}

impl Drop for Clones {
    fn drop(&mut self) {
        if self.left > 0 {
            // SAFETY: the references added for pieces never handed out.
            unsafe { release(self.hdr, self.left) };
        }
    }
}

/// Drops pieces, those of one chunk that come one after another in one
/// step. What it holds is released by `flush` (or when it drops), so the
/// memory of the pieces given to it stays until then.
#[derive(Default)]
pub struct Releaser {
    held: Option<NonNull<Header>>,
    n: usize,
}

// SAFETY: it holds references, as pieces do (see Piece).
unsafe impl Send for Releaser {}

impl Releaser {
    pub const fn new() -> Releaser {
        Releaser { held: None, n: 0 }
    }

    pub fn release(&mut self, p: Piece) {
        let p = ManuallyDrop::new(p);
        if self.held == Some(p.hdr) {
            self.n += 1;
            return;
        }
        self.flush();
        self.held = Some(p.hdr);
        self.n = 1;
    }

    /// How many references are held.
    pub fn held(&self) -> usize {
        self.n
    }

    pub fn flush(&mut self) {
        if let Some(h) = self.held.take() {
            // SAFETY: the references of the pieces given to `release`.
            unsafe { release(h, std::mem::take(&mut self.n)) };
        }
    }
}

impl Drop for Releaser {
    fn drop(&mut self) {
        self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_hold_their_bytes_and_free_the_chunk_last() {
        let mut c = Chunk::new(64).unwrap();
        let a = c.copy(b"hello").unwrap();
        let b = c.copy(b"world!!!!").unwrap();
        assert_eq!(a.as_ref(), b"hello");
        assert_eq!(b.as_ref(), b"world!!!!");
        assert!(!c.unused());
        assert!(!c.rewind());
        drop(c); // the pieces keep the chunk
        let a2 = a.clone();
        drop(a);
        assert_eq!(a2.as_ref(), b"hello");
        drop(b);
        drop(a2);
    }

    #[test]
    fn carving_stops_at_the_end_and_rewinds_when_unused() {
        let mut c = Chunk::new(24).unwrap();
        let a = c.copy(&[1; 10]).unwrap(); // 10, aligned to 16
        assert_eq!(c.room(), 8);
        assert!(c.copy(&[2; 9]).is_none());
        let b = c.carve(8).unwrap();
        assert_eq!(b.as_ref(), &[0; 8], "fresh bytes are zero");
        assert_eq!(c.room(), 0);
        assert!(c.carve(1).is_none());
        drop(a);
        assert!(!c.rewind());
        drop(b);
        assert!(c.rewind());
        let again = c.carve(10).unwrap();
        assert_eq!(again.as_ref(), &[1; 10], "an earlier piece's bytes");
    }

    #[test]
    fn more_pieces_than_one_prepayment() {
        let mut c = Chunk::new(4096).unwrap();
        let pieces: Vec<Piece> = (0..PREPAY * 2 + 3).map(|_| c.carve(0).unwrap()).collect();
        assert!(!c.unused());
        drop(pieces);
        assert!(c.unused());
    }

    #[test]
    fn clones_added_together_and_given_back() {
        let mut c = Chunk::new(64).unwrap();
        let p = c.copy(b"fan").unwrap();
        let mut it = p.clones(5);
        let taken: Vec<Piece> = it.by_ref().take(2).collect();
        drop(it); // three never handed out
        assert!(taken.iter().all(|t| t.as_ref() == b"fan"));
        drop(p);
        drop(taken);
        assert!(c.unused());
    }

    #[test]
    fn releaser_groups_one_chunks_pieces() {
        let mut c1 = Chunk::new(64).unwrap();
        let mut c2 = Chunk::new(64).unwrap();
        let mut r = Releaser::default();
        r.release(c1.carve(4).unwrap());
        r.release(c1.carve(4).unwrap());
        assert_eq!(r.held(), 2);
        r.release(c2.carve(4).unwrap()); // c1's two are released
        assert!(c1.unused());
        assert!(!c2.unused());
        drop(c1); // its last reference: freed now
        r.flush();
        assert!(c2.unused());
        let p = c2.carve(4).unwrap();
        drop(c2);
        r.release(p);
        drop(r); // the chunk's last reference
    }

    #[test]
    fn pieces_cross_threads() {
        let mut c = Chunk::new(1024).unwrap();
        let pieces: Vec<Piece> = (0..50u8).map(|i| c.copy(&[i; 9]).unwrap()).collect();
        let t = std::thread::spawn(move || {
            let mut r = Releaser::default();
            for (i, p) in pieces.into_iter().enumerate() {
                assert_eq!(p.as_ref(), &[i as u8; 9]);
                r.release(p);
            }
        });
        t.join().unwrap();
        assert!(c.unused());
    }
}
