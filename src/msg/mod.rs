//! `Msg`: one message frame, as it moves through the library and as it lives
//! inside C's 64-byte `zmq_msg_t`.
//!
//! A `Msg` is moved by `memcpy` (C copies `zmq_msg_t` around), so it holds no
//! pointer into itself: small bodies are stored inline, larger ones are
//! refcounted `Bytes` shared by copies and by PUB fan-out. This module must
//! never hold unchecked code: the C boundary (`ffi/msg/`) places and takes `Msg`
//! values in C's storage.

#![forbid(unsafe_code)]

use bytes::Bytes;
use std::sync::Arc;

/// Bodies up to this size are stored inline, without allocation.
pub const INLINE_CAP: usize = 38;

/// Frame flags, as libzmq numbers them where they are visible.
pub mod flags {
    /// More frames follow in this message.
    pub const MORE: u8 = 1;
    /// A ZMTP command frame.
    pub const COMMAND: u8 = 2;
    /// The body is shared with other `Msg`s (set by copy: `ZMQ_SHARED`).
    pub const SHARED: u8 = 128;
    /// Internal, never seen by C: not a frame but a pipe marker carrying
    /// the connection metadata for the frames queued after it.
    pub const META_MARK: u8 = 64;
    /// Internal: the body is a small slice of the library's own memory (a
    /// fill chunk, the send slab, a receive buffer; never a body with a
    /// user free function), so a receiving thread may release it late,
    /// with others (`Msg::release`).
    pub const CARVED: u8 = 32;
}

/// Bodies carved from a shared chunk (or sliced from a receive buffer)
/// each hold the chunk's one reference count: the carving thread raises
/// it per body and the receiving thread lowers it, so in a stream between
/// two threads the count's cache line moved between the two cores twice
/// per message. A receiving thread drops such bodies in groups instead:
/// one move of the line per group. Only flagged bodies wait here
/// (`flags::CARVED`: no user free function is ever delayed), at most
/// `BATCH` of them, and the group is dropped before the thread blocks
/// (`flush_released`: `Signaler::wait` before it sleeps, `zmq_poll` and
/// the poller before they wait).
mod released {
    use bytes::Bytes;
    use std::cell::RefCell;

    const BATCH: usize = 32;

    thread_local! {
        static HELD: RefCell<Vec<Bytes>> = const { RefCell::new(Vec::new()) };
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
    }
}

/// Drops the bodies this thread released late (see `Msg::release`):
/// called before a thread blocks, so nothing it released stays pinned
/// while it sleeps.
pub fn flush_released() {
    released::flush();
}

/// Copies small message bodies into shared chunks: one allocation serves
/// many messages (each holds a refcounted slice of its chunk).
#[derive(Default)]
pub struct Slab {
    chunk: bytes::BytesMut,
}

/// Large bodies (64 KiB and up) come from a small pool of recycled
/// buffers: a fresh multi-megabyte allocation is page faults and zeroed
/// pages on every message (the kernel's `clear_page` was a quarter of the
/// 1 MiB throughput profile).
mod pool {
    use parking_lot::Mutex;

    const MIN: usize = 64 * 1024;
    const CLASSES: usize = 12; // 64 KiB .. 128 MiB
    const PER_CLASS: usize = 8;
    /// Bytes a class may keep (more buffers of the small classes): a
    /// writer drops a whole batch of sent bodies at once, and with 8 kept
    /// almost half of a 64 KiB stream's bodies were new allocations that
    /// had to be cleared (callgrind: `calloc` → `memset` 30 % of the
    /// sender's instructions).
    const CLASS_BYTES: usize = 16 << 20;
    static FREE: Mutex<[Vec<Vec<u8>>; CLASSES]> = Mutex::new([const { Vec::new() }; CLASSES]);

    fn class(len: usize) -> Option<usize> {
        if len < MIN {
            return None;
        }
        let c = (len.next_power_of_two() / MIN).trailing_zeros() as usize;
        (c < CLASSES).then_some(c)
    }

    /// A buffer holding a copy of `data` (with room for at least `MIN`).
    pub fn copy(data: &[u8]) -> Vec<u8> {
        copy_with_room(data, data.len())
    }

    /// A buffer holding a copy of `data`, with room for `total` bytes (so
    /// that filling it never reallocates).
    pub fn copy_with_room(data: &[u8], total: usize) -> Vec<u8> {
        let want = total.max(data.len()).max(MIN);
        let mut v = class(want)
            .and_then(|c| FREE.lock()[c].pop())
            .unwrap_or_else(|| Vec::with_capacity(want.next_power_of_two()));
        v.clear();
        v.extend_from_slice(data);
        v
    }

    /// A buffer to receive a body of `total` bytes into, holding a copy of
    /// `data`: a free pooled buffer that already fits the whole body when
    /// there is one (memory already held, nothing newly committed);
    /// otherwise one with room for `min(total, first)` bytes, taken
    /// fallibly. None when memory cannot be had, or when the allocator
    /// refuses `total` bytes outright (as libzmq's `malloc` of the
    /// announced size would fail).
    pub fn try_room_for(data: &[u8], total: usize, first: usize) -> Option<Vec<u8>> {
        let pop = |c: usize| FREE.lock()[c].pop();
        let whole = total.max(data.len()).max(MIN);
        let start = total.min(first).max(data.len()).max(MIN);
        let whole_class = class(whole);
        let mut v = match whole_class.and_then(pop) {
            Some(v) => v,
            None => {
                if start < whole {
                    // libzmq mallocs the announced size at once and drops
                    // the connection when that fails; ask the allocator
                    // the same question, without keeping the answer, so a
                    // size no memory could hold is refused at once too.
                    Vec::<u8>::new().try_reserve_exact(total).ok()?;
                }
                let start_class = class(start).filter(|c| Some(*c) != whole_class);
                match start_class.and_then(pop) {
                    Some(v) => v,
                    None => {
                        let mut v = Vec::new();
                        v.try_reserve_exact(start.checked_next_power_of_two()?)
                            .ok()?;
                        v
                    }
                }
            }
        };
        v.clear();
        v.extend_from_slice(data);
        Some(v)
    }

    /// A recycled buffer with room for `len` bytes (`None` when there is
    /// none). Its length is what earlier uses wrote, all of it initialised.
    pub fn take(len: usize) -> Option<Vec<u8>> {
        if len > 1 << 40 {
            return None; // far past every class (and next_power_of_two)
        }
        class(len.max(MIN)).and_then(|c| FREE.lock()[c].pop())
    }

    /// The capacity a new buffer for `len` bytes gets (so that it can be
    /// recycled); `None` past the largest power of two.
    pub fn capacity_for(len: usize) -> Option<usize> {
        len.max(MIN).checked_next_power_of_two()
    }

    /// Gives a buffer back for reuse.
    pub fn recycle(v: Vec<u8>) {
        if let Some(c) = class(v.capacity()) {
            if v.capacity() == v.capacity().next_power_of_two() {
                let mut free = FREE.lock();
                if free[c].len() < PER_CLASS.max(CLASS_BYTES / v.capacity()) {
                    free[c].push(v);
                }
            }
        }
    }

    /// A pooled buffer that returns to the pool when the last `Bytes`
    /// over it is dropped.
    pub struct Pooled(pub Vec<u8>);

    impl AsRef<[u8]> for Pooled {
        fn as_ref(&self) -> &[u8] {
            &self.0
        }
    }

    impl Drop for Pooled {
        fn drop(&mut self) {
            recycle(std::mem::take(&mut self.0));
        }
    }
}

/// A large body copied into a recycled buffer.
pub fn pooled_copy(data: &[u8]) -> Bytes {
    Bytes::from_owner(pool::Pooled(pool::copy(data)))
}

/// The most memory a received large body is given before its bytes have
/// arrived: its size is the peer's announcement, so beyond this the buffer
/// grows as data comes in (`grow_body`). Bodies up to this size (the
/// common case) get their whole buffer at once, as before.
pub const LARGE_FIRST_ALLOC: usize = 4 * 1024 * 1024;

/// A recycled buffer to fill with a large received body of `total` bytes
/// (as announced by the peer), holding `prefix`. Its room is the whole
/// body when a pooled buffer that large is free, else at most
/// `LARGE_FIRST_ALLOC`; `grow_body` adds more as bytes arrive. None when
/// the memory cannot be had (the caller drops the connection; nothing
/// aborts).
pub fn pooled_buffer(prefix: &[u8], total: usize) -> Option<Vec<u8>> {
    pool::try_room_for(prefix, total, LARGE_FIRST_ALLOC)
}

/// Makes room in a body being received (`total` bytes in all) once the
/// bytes received have filled it: its capacity doubles (powers of two, so
/// it returns to the pool), up to what `total` needs. False when the
/// allocation fails.
pub fn grow_body(v: &mut Vec<u8>, total: usize) -> bool {
    if v.capacity() > v.len() {
        return true;
    }
    let whole = total.checked_next_power_of_two().unwrap_or(usize::MAX);
    let target = v.capacity().saturating_mul(2).min(whole).max(v.len() + 1);
    v.try_reserve_exact(target - v.len()).is_ok()
}

/// A filled buffer from `pooled_buffer`, as a body that returns to the
/// pool when dropped.
pub fn pooled_body(v: Vec<u8>) -> Bytes {
    Bytes::from_owner(pool::Pooled(v))
}

/// Bodies for `zmq_msg_init_size`, which C fills after the call: libzmq
/// leaves them uninitialised, and clearing them here was a memset (and a
/// `calloc`, which takes the allocator's arena lock) per message. Every
/// body here is memory that was written before, by an earlier body or by
/// the one clearing of a new chunk, so no byte is cleared per message and
/// it stays safe Rust (no uninitialised memory is ever exposed):
///
/// - up to `SMALL` bytes: carved from the calling thread's 64 KiB chunks
///   (one refcount per body, as the socket's `Slab`); a chunk whose bodies
///   are all gone is carved again as it is, so a steady stream allocates
///   and clears nothing;
/// - up to 32 KiB: whole buffers kept per size class, recycled when the
///   last reference goes (usually in the I/O thread after writing);
/// - larger: the large-buffer `pool`, shared with received bodies.
mod fill {
    use bytes::Bytes;
    use parking_lot::Mutex;
    use std::cell::RefCell;
    use std::collections::VecDeque;

    /// Bodies up to this size are carved from per-thread chunks.
    pub const SMALL: usize = 2048;
    const CHUNK: usize = 64 * 1024;
    /// Chunks a thread keeps while their bodies are in flight (512 KiB):
    /// enough for a socket's default high-water mark of 64 B..512 B
    /// messages to be carved again without a new chunk.
    const KEEP: usize = 8;
    /// Carved bodies start 8-aligned, as malloc'd ones do in libzmq.
    const ALIGN: usize = 8;

    struct Chunks {
        cur: Bytes,
        off: usize,
        /// Chunks carved out, oldest first, still referenced by bodies.
        retired: VecDeque<Bytes>,
    }

    thread_local! {
        static CHUNKS: RefCell<Chunks> = const {
            RefCell::new(Chunks { cur: Bytes::new(), off: 0, retired: VecDeque::new() })
        };
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

    impl Chunks {
        fn carve(&mut self, len: usize) -> Option<Bytes> {
            if self.cur.len() - self.off < len {
                self.next_chunk()?;
            }
            let body = self.cur.slice(self.off..self.off + len);
            self.off = (self.off + len).next_multiple_of(ALIGN).min(self.cur.len());
            Some(body)
        }

        fn next_chunk(&mut self) -> Option<()> {
            let old = std::mem::take(&mut self.cur);
            if !old.is_empty() {
                self.retired.push_back(old);
            }
            // A chunk none of whose bodies is alive any more is carved
            // again as it is: its bytes were all written before.
            if let Some(i) = self.retired.iter().position(|c| c.is_unique()) {
                self.cur = self.retired.remove(i)?;
            } else {
                if self.retired.len() > KEEP {
                    self.retired.pop_front(); // freed with its last body
                }
                self.cur = Bytes::from(zeroed(CHUNK)?);
            }
            self.off = 0;
            Some(())
        }
    }

    /// Mid-size buffers, one free list per power-of-two class.
    const MID_CLASSES: usize = 4; // 4 KiB .. 32 KiB
    const MID_KEEP: usize = 16;
    static MID: Mutex<[Vec<Vec<u8>>; MID_CLASSES]> =
        Mutex::new([const { Vec::new() }; MID_CLASSES]);

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

    /// A body of `len` bytes (more than `INLINE_CAP`) for C to fill.
    pub fn body(len: usize) -> Option<Bytes> {
        if cfg!(feature = "sanitize") {
            // scripts/sanitize: one exact allocation per body, so that a
            // C overflow past it or a message never closed is reported
            // (a carved body's chunk stays reachable from this thread).
            return zeroed(len).map(Bytes::from);
        }
        if len <= SMALL {
            if let Ok(b) = CHUNKS.try_with(|c| c.borrow_mut().carve(len)) {
                return b;
            }
            // This thread is exiting: a body of its own.
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
}

impl Slab {
    const CHUNK: usize = 64 * 1024;
    /// Bodies above this are allocated on their own.
    const MAX: usize = 2048;

    pub fn copy(&mut self, data: &[u8]) -> Msg {
        if data.len() >= 64 * 1024 {
            return Msg::from_shared(pooled_copy(data));
        }
        if data.len() <= INLINE_CAP || data.len() > Self::MAX {
            return Msg::from_slice(data);
        }
        if self.chunk.capacity() - self.chunk.len() < data.len() {
            self.chunk = bytes::BytesMut::with_capacity(Self::CHUNK);
        }
        self.chunk.extend_from_slice(data);
        Msg::carved(self.chunk.split().freeze())
    }
}

/// Connection properties a received message carries (`zmq_msg_gets`).
#[derive(Debug, Clone)]
pub struct Metadata {
    /// (name, value with a trailing NUL so C can read it in place).
    props: Vec<(String, Box<[u8]>)>,
    /// The connection's fd (`ZMQ_SRCFD`), -1 when none.
    fd: i32,
    /// Draft API: the message's routing id and group (`crate::msg_draft`).
    pub(crate) routing_id: u32,
    pub(crate) group: Option<Box<[u8]>>,
}

impl Default for Metadata {
    fn default() -> Self {
        Metadata {
            props: Vec::new(),
            fd: -1,
            routing_id: 0,
            group: None,
        }
    }
}

impl Metadata {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set_fd(&mut self, fd: i32) {
        self.fd = fd;
    }

    pub fn fd(&self) -> i32 {
        self.fd
    }

    pub fn insert(&mut self, name: &str, value: &[u8]) {
        let mut v = Vec::with_capacity(value.len() + 1);
        v.extend_from_slice(value);
        v.push(0);
        self.props.retain(|(n, _)| n != name);
        self.props.push((name.to_string(), v.into_boxed_slice()));
    }

    /// The value with its trailing NUL; `Identity` is libzmq's old name for
    /// `Routing-Id`.
    pub fn get_with_nul(&self, name: &str) -> Option<&[u8]> {
        let name = if name == "Identity" {
            "Routing-Id"
        } else {
            name
        };
        self.props
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| &v[..])
    }

    #[cfg(test)]
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.get_with_nul(name).map(|v| &v[..v.len() - 1])
    }
}

#[derive(Clone)]
enum Body {
    Inline { len: u8, buf: [u8; INLINE_CAP] },
    Shared(Bytes),
}

/// One message frame.
#[derive(Clone)]
pub struct Msg {
    body: Body,
    meta: Option<Arc<Metadata>>,
    flags: u8,
}

const _: () = assert!(std::mem::size_of::<Msg>() <= 60, "Msg must fit zmq_msg_t");
const _: () = assert!(std::mem::align_of::<Msg>() <= 8);

impl Default for Msg {
    fn default() -> Self {
        Msg::new()
    }
}

impl std::fmt::Debug for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Msg")
            .field("len", &self.len())
            .field("flags", &self.flags)
            .finish()
    }
}

impl Msg {
    /// An empty frame.
    pub const fn new() -> Msg {
        Msg {
            body: Body::Inline {
                len: 0,
                buf: [0; INLINE_CAP],
            },
            meta: None,
            flags: 0,
        }
    }

    /// A frame holding a copy of `data`: inline when small.
    pub fn from_slice(data: &[u8]) -> Msg {
        if data.len() <= INLINE_CAP {
            let mut buf = [0; INLINE_CAP];
            buf[..data.len()].copy_from_slice(data);
            Msg {
                body: Body::Inline {
                    len: data.len() as u8,
                    buf,
                },
                ..Msg::new()
            }
        } else {
            Msg::from_bytes(Bytes::copy_from_slice(data))
        }
    }

    /// A frame over `data` without copying it, except that a small body is
    /// moved inline so it does not keep a large receive buffer alive.
    pub fn from_bytes(data: Bytes) -> Msg {
        if data.len() <= INLINE_CAP {
            let mut buf = [0; INLINE_CAP];
            buf[..data.len()].copy_from_slice(&data);
            return Msg {
                body: Body::Inline {
                    len: data.len() as u8,
                    buf,
                },
                ..Msg::new()
            };
        }
        Msg {
            body: Body::Shared(data),
            ..Msg::new()
        }
    }

    /// A frame of `size` bytes for the caller to fill (`zmq_msg_init_size`).
    /// As in libzmq, the bytes are unspecified until written: a body is
    /// carved from memory that earlier bodies of this process used (or
    /// zeros, the first time), so nothing is cleared per message (see
    /// `fill`). `None` when memory runs out.
    pub fn for_fill(size: usize) -> Option<Msg> {
        if size <= INLINE_CAP {
            return Some(Msg {
                body: Body::Inline {
                    len: size as u8,
                    buf: [0; INLINE_CAP],
                },
                ..Msg::new()
            });
        }
        let body = fill::body(size)?;
        Some(if size <= fill::SMALL {
            Msg::carved(body)
        } else {
            Msg::from_shared(body)
        })
    }

    /// A frame over a small slice of the library's own memory, which a
    /// receiving application may release late (`flags::CARVED`). Not in
    /// sanitizer builds, where every body is released at once so that a
    /// message never closed is reported.
    fn carved(body: Bytes) -> Msg {
        Msg {
            body: Body::Shared(body),
            flags: if cfg!(feature = "sanitize") {
                0
            } else {
                flags::CARVED
            },
            ..Msg::new()
        }
    }

    /// A frame read from a connection: `from_bytes`, and a shared body up
    /// to `fill::SMALL` bytes (a slice of the read buffer or a decrypted
    /// box) is flagged for late release.
    pub fn from_received(body: Bytes) -> Msg {
        if body.len() > INLINE_CAP && body.len() <= fill::SMALL {
            return Msg::carved(body);
        }
        Msg::from_bytes(body)
    }

    /// Releases a message the application is done with (a receive
    /// replaced it, `zmq_recv` copied it out, `zmq_msg_close`): a flagged
    /// body is dropped later, with others (see `released`), anything else
    /// now.
    pub fn release(self) {
        if self.flags & flags::CARVED != 0 {
            if let Body::Shared(b) = self.body {
                released::hold(b);
            }
        }
    }

    /// A frame that always uses shared storage (for caller-owned buffers).
    pub fn from_shared(data: Bytes) -> Msg {
        Msg {
            body: Body::Shared(data),
            ..Msg::new()
        }
    }

    pub fn len(&self) -> usize {
        match &self.body {
            Body::Inline { len, .. } => *len as usize,
            Body::Shared(b) => b.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn data(&self) -> &[u8] {
        match &self.body {
            Body::Inline { len, buf } => &buf[..*len as usize],
            Body::Shared(b) => b,
        }
    }

    /// The body as `Bytes` (copies an inline body; free for shared ones).
    pub fn to_bytes(&self) -> Bytes {
        match &self.body {
            Body::Inline { len, buf } => Bytes::copy_from_slice(&buf[..*len as usize]),
            Body::Shared(b) => b.clone(),
        }
    }

    /// The body as a shared `Bytes`, when it is not inline.
    pub fn shared_body(&self) -> Option<&Bytes> {
        match &self.body {
            Body::Shared(b) => Some(b),
            Body::Inline { .. } => None,
        }
    }

    pub fn more(&self) -> bool {
        self.flags & flags::MORE != 0
    }

    pub fn set_more(&mut self, more: bool) {
        if more {
            self.flags |= flags::MORE;
        } else {
            self.flags &= !flags::MORE;
        }
    }

    /// A pipe marker: the frames after it carry `meta` (see `flags::META_MARK`).
    pub fn meta_mark(meta: Arc<Metadata>) -> Msg {
        Msg {
            meta: Some(meta),
            flags: flags::META_MARK,
            ..Msg::new()
        }
    }

    pub fn is_meta_mark(&self) -> bool {
        self.flags & flags::META_MARK != 0
    }

    /// Takes the metadata out (a marker's, when the pipe consumes it).
    pub fn take_metadata(&mut self) -> Option<Arc<Metadata>> {
        self.meta.take()
    }

    pub fn is_command(&self) -> bool {
        self.flags & flags::COMMAND != 0
    }

    pub fn set_flags(&mut self, f: u8) {
        self.flags |= f;
    }

    /// `ZMQ_SHARED`: the body is refcounted storage that another message may
    /// also hold.
    pub fn is_shared(&self) -> bool {
        self.flags & flags::SHARED != 0
    }

    /// A copy as `zmq_msg_copy` makes it: both share the body.
    pub fn share(&mut self) -> Msg {
        if matches!(self.body, Body::Shared(_)) {
            self.flags |= flags::SHARED;
        }
        self.clone()
    }

    pub fn metadata(&self) -> Option<&Arc<Metadata>> {
        self.meta.as_ref()
    }

    pub fn set_metadata(&mut self, meta: Option<Arc<Metadata>>) {
        self.meta = meta;
    }
}

impl PartialEq for Msg {
    fn eq(&self, other: &Msg) -> bool {
        self.data() == other.data() && self.more() == other.more()
    }
}

#[cfg(test)]
mod tests;
