//! The fuzzing surface (cargo feature `fuzzing`, never in a release
//! build): one plain function per fuzz target, each taking any bytes and
//! driving the crate's parsers and state machines the way a hostile peer or
//! C caller would, with the invariants that must hold checked by `assert!`.
//! A panic, an abort or an oversized allocation is a finding.
//!
//! The fuzz crate (`fuzz/`, cargo-fuzz) calls these through `TARGETS`, and
//! so does the stable replay test (`tests/fuzz_replay.rs`), which runs every
//! committed corpus and regression input plus deterministic mutations.
//! `seeds()` builds the seed corpora from real handshakes
//! (`cargo run --features fuzzing --example fuzz_seeds`).
//!
//! Each target reads its first bytes as a configuration (which role,
//! mechanism, revision, size limit, how the stream is split into reads) and
//! the rest as what the peer sends. `session` and `session_client` run the
//! real I/O code on loopback tcp and abstract ipc sockets of this process.
//! Nothing here may leave safe Rust: the C ABI calls go through `ffi::fuzz`.
//!
//! - `frames`: the frame decoder of every revision, commands.
//! - `handshake`: greeting and fallback, NULL/PLAIN/CURVE, ZAP replies,
//!   metadata, and the `Driver` that checks a handshake step by step.
//! - `ws`: ZWS 2.0 framing both ways, the HTTP upgrade.
//! - `misc`: Z85, subscription tries, options through the C ABI.
//! - `session`: listeners and connecters of this process, end to end.
//! - `seeds`: seed inputs from real handshakes.

#![forbid(unsafe_code)]

mod frames;
mod handshake;
mod misc;
mod seeds;
mod session;
mod ws;

pub use frames::{command, decoder};
pub use handshake::{
    greeting, handshake_curve, handshake_null, handshake_plain, metadata, zap_reply,
};
pub use misc::{setsockopt, trie, z85_codec};
pub use seeds::seeds;
pub use session::{session, session_client};
pub use ws::{ws_encoder, ws_frames, ws_http};

use crate::zmtp::codec::Version;

/// A fuzz target: any bytes in, a panic (or abort) when something is wrong.
pub type Target = fn(&[u8]);

/// Every target, by the name of its cargo-fuzz binary and corpus folder.
pub const TARGETS: &[(&str, Target)] = &[
    ("greeting", greeting),
    ("decoder", decoder),
    ("command", command),
    ("metadata", metadata),
    ("handshake_null", handshake_null),
    ("handshake_plain", handshake_plain),
    ("handshake_curve", handshake_curve),
    ("zap_reply", zap_reply),
    ("ws_frames", ws_frames),
    ("ws_encoder", ws_encoder),
    ("ws_http", ws_http),
    ("z85", z85_codec),
    ("trie", trie),
    ("setsockopt", setsockopt),
    ("session", session),
    ("session_client", session_client),
];

/// The target called `name`.
pub fn target(name: &str) -> Option<Target> {
    TARGETS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// Reads a target's configuration off the front of its input; past the
/// end, every read is zero (so short inputs are valid too).
pub(crate) struct Input<'a>(&'a [u8]);

impl<'a> Input<'a> {
    fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }

    fn u16(&mut self) -> u16 {
        u16::from_be_bytes([self.u8(), self.u8()])
    }

    fn bytes(&mut self, n: usize) -> &'a [u8] {
        let (a, b) = self.0.split_at(n.min(self.0.len()));
        self.0 = b;
        a
    }

    fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.0)
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// How a byte stream is cut into reads: whole, one byte at a time, or
/// pseudo-random pieces, decided by one input byte.
pub(crate) struct Chunker {
    mode: u8,
    state: u64,
}

impl Chunker {
    fn new(b: u8) -> Chunker {
        Chunker {
            mode: b & 3,
            state: 0x9E37_79B9_7F4A_7C15 ^ u64::from(b),
        }
    }

    fn next(&mut self, left: usize) -> usize {
        let mut x = self.state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.state = x;
        let n = match self.mode {
            0 => left,
            1 => 1,
            2 => 1 + (x % 8) as usize,
            _ => 1 + (x % 97) as usize,
        };
        n.clamp(1, left.max(1))
    }

    /// Calls `f` with successive pieces of `data`.
    fn split(&mut self, data: &[u8], mut f: impl FnMut(&[u8])) {
        let mut pos = 0;
        while pos < data.len() {
            let n = self.next(data.len() - pos);
            f(&data[pos..pos + n]);
            pos += n;
        }
    }
}

const VERSIONS: [Version; 4] = [Version::V1, Version::V2, Version::V3_0, Version::V3_1];

fn null_greeting() -> [u8; 64] {
    v3_greeting(b"NULL")
}

/// The 64-octet ZMTP 3.1 greeting libzmq sends (empty routing id).
fn v3_greeting(mechanism: &[u8]) -> [u8; 64] {
    let mut g = [0u8; 64];
    g[0] = 0xFF;
    g[8] = 1;
    g[9] = 0x7F;
    g[10] = 3;
    g[11] = 1;
    g[12..12 + mechanism.len()].copy_from_slice(mechanism);
    g
}
