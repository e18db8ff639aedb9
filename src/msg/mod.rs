//! `Msg`: one message frame, as it moves through the library and as it lives
//! inside C's 64-byte `zmq_msg_t`.
//!
//! A `Msg` is moved by `memcpy` (C copies `zmq_msg_t` around), so it holds no
//! pointer into itself: small bodies are stored inline, larger ones are
//! refcounted `Bytes` shared by copies and by PUB fan-out. This module must
//! never hold unchecked code: the C boundary (`ffi/msg/`) places and takes `Msg`
//! values in C's storage.

#![forbid(unsafe_code)]

use crate::io::chunk::{Clones, Piece};
use crate::io::foreign::Foreign;
use bytes::Bytes;
use std::sync::Arc;

/// Bodies up to this size are stored inline, without allocation.
pub const INLINE_CAP: usize = 38;

/// Frame flags, as libzmq numbers them where they are visible.
pub mod flags {
    /// A message's flags: a whole word, so that the copies a message goes
    /// through load it as it was stored (a one-byte store followed by a
    /// wider load of the same word, padding included, stalls store
    /// forwarding: the hottest instruction of several receive paths).
    pub type Bits = u64;
    /// More frames follow in this message.
    pub const MORE: Bits = 1;
    /// A ZMTP command frame.
    pub const COMMAND: Bits = 2;
    /// The body is shared with other `Msg`s (set by copy: `ZMQ_SHARED`).
    pub const SHARED: Bits = 128;
    /// Internal, never seen by C: not a frame but a pipe marker carrying
    /// the connection metadata for the frames queued after it.
    pub const META_MARK: Bits = 64;
    /// Internal: the body is a small slice of the library's own memory (a
    /// fill chunk, the send slab, a receive buffer; never a body with a
    /// user free function), so a receiving thread may release it late,
    /// with others (`Msg::release`).
    pub const CARVED: Bits = 32;
}

mod carve;
mod released;
pub use carve::Carver;

/// Drops the bodies this thread released late (see `Msg::release`):
/// called before a thread blocks, so nothing it released stays pinned
/// while it sleeps.
pub fn flush_released() {
    released::flush();
}

/// Copies small message bodies into shared chunks: one allocation serves
/// many messages (each a piece of its chunk, see `io::chunk`).
pub struct Slab {
    carver: Carver,
}

impl Default for Slab {
    fn default() -> Self {
        Slab {
            carver: Carver::new(Slab::CHUNK, 2),
        }
    }
}

mod pool;

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

mod fill;

impl Slab {
    const CHUNK: usize = 64 * 1024;
    /// Bodies above this are allocated on their own.
    const MAX: usize = 2048;

    #[inline]
    pub fn copy(&mut self, data: &[u8]) -> Msg {
        if data.len() >= 64 * 1024 {
            return Msg::from_shared(pooled_copy(data));
        }
        if data.len() <= INLINE_CAP || data.len() > Self::MAX {
            return Msg::from_slice(data);
        }
        match self.carver.copy(data) {
            Some(p) => Msg::from_piece(p),
            None => Msg::from_slice(data),
        }
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

    /// The value with its trailing NUL. `Identity` is libzmq's old name for
    /// `Routing-Id`, asked for when no property of its own name was given
    /// (a peer's READY and a ZAP reply both carry `Identity`, which wins).
    pub fn get_with_nul(&self, name: &str) -> Option<&[u8]> {
        let found = self
            .props
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| &v[..]);
        match found {
            None if name == "Identity" => self.get_with_nul("Routing-Id"),
            found => found,
        }
    }

    #[cfg(test)]
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.get_with_nul(name).map(|v| &v[..v.len() - 1])
    }
}

enum Body {
    Inline {
        len: u8,
        buf: [u8; INLINE_CAP],
    },
    Shared(Bytes),
    /// A small body carved from a chunk of the library's (`io::chunk`).
    Piece(Piece),
    /// A caller's buffer and free function (`zmq_msg_init_data`), held by
    /// this message alone: no allocation of ours per message (a
    /// `Bytes` over it would box it). It becomes `Shared` when a second
    /// message must refer to it (`duplicate`) or a writer sends it
    /// without a copy (`shared_bytes`).
    Foreign(Foreign),
}

/// One message frame. Not `Clone`: a body held alone (`Body::Foreign`)
/// must first become shared, so copies are made by `duplicate` or
/// `share`, which take the message mutably.
pub struct Msg {
    body: Body,
    meta: Option<Arc<Metadata>>,
    flags: flags::Bits,
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
        let mut m = Msg::new();
        m.make_fill(size)?;
        Some(m)
    }

    fn fill_flags(size: usize) -> flags::Bits {
        if size <= fill::SMALL {
            Msg::carved_flags()
        } else {
            0
        }
    }

    /// As `for_fill`, in place of this empty message: a small body is
    /// only its length written (the message is then stored nowhere else
    /// before the caller fills it). `None` when memory runs out.
    #[inline]
    pub fn make_fill(&mut self, size: usize) -> Option<()> {
        if size <= INLINE_CAP {
            if let Body::Inline { len, .. } = &mut self.body {
                if self.meta.is_none() && self.flags == 0 {
                    *len = size as u8;
                    return Some(());
                }
            }
            *self = Msg::for_fill(size)?;
            return Some(());
        }
        // A larger body goes in field by field: building a whole message
        // (an `Option<Msg>`) and copying it here stalled on its own
        // narrower stores (`perf annotate` of ipc 64 B with the message
        // API: 70 % of `zmq_msg_init_size`'s samples on two such loads).
        self.meta = None;
        self.flags = Msg::fill_flags(size);
        // (The piece is assigned as it comes back, in registers: an
        // `Option<Body>` went through memory and stalled as above.)
        match fill::piece(size) {
            Some(p) => self.body = Body::Piece(p),
            None => self.body = Body::Shared(fill::body(size)?),
        }
        Some(())
    }

    /// A frame over a small slice of the library's own memory, which a
    /// receiving application may release late (`flags::CARVED`). Not in
    /// sanitizer builds, where every body is released at once so that a
    /// message never closed is reported.
    fn carved(body: Bytes) -> Msg {
        Msg {
            body: Body::Shared(body),
            flags: Msg::carved_flags(),
            ..Msg::new()
        }
    }

    /// A frame over a piece of a chunk (released late, as `carved`).
    pub fn from_piece(p: Piece) -> Msg {
        Msg {
            body: Body::Piece(p),
            flags: Msg::carved_flags(),
            ..Msg::new()
        }
    }

    /// The flags of a carved body (`carved`).
    fn carved_flags() -> flags::Bits {
        if cfg!(feature = "sanitize") {
            0
        } else {
            flags::CARVED
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
            match self.body {
                Body::Shared(b) => released::hold(b),
                Body::Piece(p) => released::hold_piece(p),
                _ => {}
            }
        }
    }

    /// A frame over a caller's buffer, released by its free function when
    /// this message (or the last message sharing it) is dropped.
    pub fn from_foreign(f: Foreign) -> Msg {
        Msg {
            body: Body::Foreign(f),
            ..Msg::new()
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
            Body::Piece(p) => p.len(),
            Body::Foreign(f) => f.as_ref().len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn data(&self) -> &[u8] {
        match &self.body {
            Body::Inline { len, buf } => &buf[..*len as usize],
            Body::Shared(b) => b,
            Body::Piece(p) => p.as_ref(),
            Body::Foreign(f) => f.as_ref(),
        }
    }

    /// The body as `Bytes` (free for a shared body, a copy otherwise).
    pub fn to_bytes(&self) -> Bytes {
        match &self.body {
            Body::Shared(b) => b.clone(),
            _ => Bytes::copy_from_slice(self.data()),
        }
    }

    /// Whether the body is a caller's buffer held by this message alone
    /// (it becomes shared, a different form, when copied).
    pub fn is_foreign(&self) -> bool {
        matches!(self.body, Body::Foreign(_))
    }

    /// Whether the body is memory of its own (not inline), which a
    /// second release of this message would free twice.
    pub fn holds_body(&self) -> bool {
        !matches!(self.body, Body::Inline { .. })
    }

    /// The body as a shared `Bytes`, when it is not inline: a caller's
    /// buffer held alone becomes shared first (one allocation).
    pub fn shared_bytes(&mut self) -> Option<&Bytes> {
        if let Body::Foreign(_) | Body::Piece(_) = self.body {
            match std::mem::replace(&mut self.body, Body::Shared(Bytes::new())) {
                Body::Foreign(f) => self.body = Body::Shared(Bytes::from_owner(f)),
                Body::Piece(p) => self.body = Body::Shared(Bytes::from_owner(p)),
                _ => {}
            }
        }
        match &self.body {
            Body::Shared(b) => Some(b),
            _ => None,
        }
    }

    pub fn more(&self) -> bool {
        self.flags & flags::MORE != 0
    }

    pub fn set_more(&mut self, more: bool) {
        // Written only when it changes: a message is copied whole soon
        // after (into a pipe), and a one-byte store just before a copy's
        // wide loads of the same bytes stalls them (store forwarding).
        if self.more() != more {
            self.flags ^= flags::MORE;
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

    pub fn set_flags(&mut self, f: flags::Bits) {
        self.flags |= f;
    }

    /// `ZMQ_SHARED`: the body is refcounted storage that another message may
    /// also hold.
    pub fn is_shared(&self) -> bool {
        self.flags & flags::SHARED != 0
    }

    /// A copy as `zmq_msg_copy` makes it: both share the body, and say
    /// so (`ZMQ_SHARED`) unless it is inline.
    pub fn share(&mut self) -> Msg {
        if self.holds_body() {
            self.flags |= flags::SHARED;
        }
        self.duplicate()
    }

    /// A second message with the same body, flags and metadata (a body
    /// of its own is shared by both, refcounted).
    pub fn duplicate(&mut self) -> Msg {
        let body = match &self.body {
            Body::Piece(p) => Body::Piece(p.clone()),
            _ => match self.shared_bytes() {
                Some(b) => Body::Shared(b.clone()),
                None => Msg::from_slice(self.data()).body,
            },
        };
        Msg {
            body,
            meta: self.meta.clone(),
            flags: self.flags,
        }
    }

    /// This message to `n` places (PUB fan-out): `n - 1` shares (as
    /// `share`) and then the message itself. A piece's references are
    /// added in one step.
    pub fn fan_out(mut self, n: usize) -> FanOut {
        if n > 1 && self.holds_body() {
            self.flags |= flags::SHARED;
        }
        let clones = match &self.body {
            Body::Piece(p) if n > 1 => Some(p.clones(n - 1)),
            _ => None,
        };
        FanOut {
            msg: self,
            clones,
            left: n,
        }
    }

    pub fn metadata(&self) -> Option<&Arc<Metadata>> {
        self.meta.as_ref()
    }

    pub fn set_metadata(&mut self, meta: Option<Arc<Metadata>>) {
        self.meta = meta;
    }
}

/// The messages of `Msg::fan_out`.
pub struct FanOut {
    msg: Msg,
    clones: Option<Clones>,
    left: usize,
}

impl FanOut {
    /// The next message to send (None once all `n` were taken).
    #[inline]
    pub fn next_msg(&mut self) -> Option<Msg> {
        match self.left {
            0 => None,
            1 => {
                self.left = 0;
                Some(std::mem::take(&mut self.msg))
            }
            _ => {
                self.left -= 1;
                let body = match self.clones.as_mut().and_then(Iterator::next) {
                    Some(p) => Body::Piece(p),
                    None => return Some(self.msg.share()),
                };
                Some(Msg {
                    body,
                    meta: self.msg.meta.clone(),
                    flags: self.msg.flags,
                })
            }
        }
    }
}

impl PartialEq for Msg {
    fn eq(&self, other: &Msg) -> bool {
        self.data() == other.data() && self.more() == other.more()
    }
}

#[cfg(test)]
mod tests;
