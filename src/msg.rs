//! `Msg`: one message frame, as it moves through the library and as it lives
//! inside C's 64-byte `zmq_msg_t`.
//!
//! A `Msg` is moved by `memcpy` (C copies `zmq_msg_t` around), so it holds no
//! pointer into itself: small bodies are stored inline, larger ones are
//! refcounted `Bytes` shared by copies and by PUB fan-out. This module must
//! never hold unchecked code: the C boundary (`ffi/msg.rs`) places and takes `Msg`
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

    /// Gives a buffer back for reuse.
    pub fn recycle(v: Vec<u8>) {
        if let Some(c) = class(v.capacity()) {
            if v.capacity() == v.capacity().next_power_of_two() {
                let mut free = FREE.lock();
                if free[c].len() < PER_CLASS {
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
        Msg::from_shared(self.chunk.split().freeze())
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
    #[cfg_attr(not(feature = "draft"), allow(dead_code))]
    pub(crate) routing_id: u32,
    #[cfg_attr(not(feature = "draft"), allow(dead_code))]
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

    /// A zero-filled frame of `size` bytes that the caller then fills.
    pub fn with_size(size: usize) -> Msg {
        if size <= INLINE_CAP {
            Msg {
                body: Body::Inline {
                    len: size as u8,
                    buf: [0; INLINE_CAP],
                },
                ..Msg::new()
            }
        } else {
            Msg {
                body: Body::Shared(Bytes::from(vec![0u8; size])),
                ..Msg::new()
            }
        }
    }

    /// Like `with_size`, but `None` instead of aborting when memory runs out.
    pub fn try_with_size(size: usize) -> Option<Msg> {
        if size <= INLINE_CAP {
            return Some(Msg::with_size(size));
        }
        let mut v: Vec<u8> = Vec::new();
        v.try_reserve_exact(size).ok()?;
        v.resize(size, 0);
        Some(Msg {
            body: Body::Shared(Bytes::from(v)),
            ..Msg::new()
        })
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
mod tests {
    use super::*;

    #[test]
    fn large_bodies_use_pooled_buffers_with_their_bytes() {
        let data: Vec<u8> = (0..200_000u32).map(|i| i as u8).collect();
        let m = Slab::default().copy(&data);
        assert_eq!(m.data(), &data[..]);
        drop(m);
        // A recycled buffer carries nothing of its previous use.
        let b = pooled_buffer(b"abc", 3).unwrap();
        assert_eq!(&b[..], b"abc");
        assert!(b.capacity() >= 64 * 1024);
        assert_eq!(&pooled_body(b)[..], b"abc");
    }

    #[test]
    // Miri treats an allocation beyond its memory as a fatal error rather
    // than a failed allocation, so this one runs natively only.
    #[cfg_attr(miri, ignore)]
    fn announced_sizes_are_not_allocated_up_front() {
        // Sizes no allocator can give (2^62 and up, beyond the address
        // space) are refused at once, as libzmq's malloc of them fails.
        for total in [1usize << 62, isize::MAX as usize, usize::MAX] {
            assert!(pooled_buffer(b"xy", total).is_none(), "{total}");
        }
        // A size the allocator could give (256 MiB, above every pool
        // class) is not taken: the buffer starts at LARGE_FIRST_ALLOC.
        let b = pooled_buffer(b"xy", 64 * LARGE_FIRST_ALLOC).unwrap();
        assert_eq!(&b[..], b"xy");
        assert!(b.capacity() <= LARGE_FIRST_ALLOC);
    }

    #[test]
    fn bodies_grow_by_doubling_only_when_full_up_to_their_size() {
        let total = 3 * 65536 + 5;
        let mut b: Vec<u8> = Vec::with_capacity(65536);
        // Room left: nothing to do.
        assert!(grow_body(&mut b, total));
        assert_eq!(b.capacity(), 65536);
        let mut caps = vec![b.capacity()];
        loop {
            b.resize(b.capacity().min(total), 7);
            if b.len() == total {
                break;
            }
            assert!(grow_body(&mut b, total));
            caps.push(b.capacity());
        }
        // 64 KiB → 128 KiB → 256 KiB: doubling, and never past the power
        // of two the whole body needs (so the buffer can be pooled).
        assert_eq!(caps, [65536, 131072, 262144]);
        assert_eq!(b.capacity(), total.next_power_of_two());
    }

    #[test]
    fn slab_bodies_share_one_chunk() {
        let mut slab = Slab::default();
        let a = slab.copy(&[1u8; 100]);
        let b = slab.copy(&[2u8; 100]);
        assert_eq!(a.data(), &[1u8; 100][..]);
        assert_eq!(b.data(), &[2u8; 100][..]);
        assert_eq!(body_distance(&a, &b), 100);
        let big = slab.copy(&[3u8; 5000]);
        assert_eq!(big.len(), 5000);
    }

    fn body_distance(a: &Msg, b: &Msg) -> usize {
        b.data().as_ptr() as usize - a.data().as_ptr() as usize
    }

    #[test]
    fn small_bodies_are_inline() {
        let m = Msg::from_slice(b"hello");
        assert!(m.shared_body().is_none());
        assert_eq!(m.data(), b"hello");
    }

    #[test]
    fn large_bodies_are_shared_on_copy() {
        let mut m = Msg::from_slice(&[7u8; 100]);
        assert!(!m.is_shared());
        let c = m.share();
        assert!(m.is_shared() && c.is_shared());
        assert_eq!(m.data().as_ptr(), c.data().as_ptr());
    }

    #[test]
    fn from_bytes_moves_small_frames_inline() {
        let b = Bytes::from(vec![1u8; 1000]);
        let m = Msg::from_bytes(b.slice(0..3));
        assert!(m.shared_body().is_none());
        assert_eq!(m.data(), &[1, 1, 1]);
    }

    #[test]
    fn metadata_identity_aliases_routing_id() {
        let mut md = Metadata::new();
        md.insert("Routing-Id", b"abc");
        assert_eq!(md.get("Identity"), Some(&b"abc"[..]));
        assert_eq!(md.get_with_nul("Routing-Id"), Some(&b"abc\0"[..]));
        assert_eq!(md.get("Nope"), None);
    }
}
