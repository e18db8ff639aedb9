//! The ZMTP greeting, staged the way libzmq 4.3.5 sends it so that 1.0,
//! 2.0 and 3.x peers are all detected (RFC 37 §Backwards Interoperability):
//!
//! 1. at once, a 10-octet signature `0xFF, size (8 octets BE), 0x7F` where
//!    size is our routing id's length + 1. To a ZMTP 1.0 peer this is the
//!    header of our identity frame (long form, flags 0x7F); to anyone else
//!    it is the signature with meaningless padding.
//! 2. once the peer's whole signature is seen and is versioned, the major
//!    version 3;
//! 3. once the peer's revision octet is seen: for revision 0 or 1 (ZMTP
//!    1.0-with-revision / 2.0) our socket type octet, ending a 12-octet
//!    2.0 greeting; otherwise minor 1, the 20-octet mechanism, as-server
//!    and filler, ending the 64-octet 3.x greeting.
//!
//! A peer is unversioned (ZMTP 1.0) when its first octet is not 0xFF, or
//! when bit 0 of its tenth octet is clear (a long-form identity frame with
//! flags "no more"). Bytes of such a peer are not lost: they are handed
//! back as the start of its identity frame.
//!
//! We read no further than the greeting we expect (12 octets until the
//! revision says 3.x), and at most the 1.0 identity header when the peer
//! is unversioned, so bytes after the greeting stay in the caller's buffer. This module queues output; it never writes.

use bytes::{BufMut, Bytes, BytesMut};

use super::codec::Version;

/// Length of the signature (and of the 1.0 detection window).
pub const SIGNATURE_LEN: usize = 10;
/// Length of a ZMTP 2.0 greeting: signature, revision, socket type.
pub const V2_GREETING_LEN: usize = 12;
/// Length of a ZMTP 3.x greeting.
pub const V3_GREETING_LEN: usize = 64;
/// Offset of the revision (major version) octet.
pub const REVISION_POS: usize = 10;
/// Offset of the minor version (3.x) or socket type (2.0) octet.
pub const MINOR_POS: usize = 11;
/// Offset of the 20-octet mechanism name.
pub const MECHANISM_POS: usize = 12;
/// Offset of the as-server octet.
pub const AS_SERVER_POS: usize = 32;
/// Length of the mechanism field.
pub const MECHANISM_LEN: usize = 20;

/// The major version we announce.
pub const OUR_MAJOR: u8 = 3;
/// The minor version we announce (ZMTP 3.1).
pub const OUR_MINOR: u8 = 1;

/// A mechanism name, null-padded to the 20-octet greeting field.
pub fn mechanism_field(name: &[u8]) -> [u8; MECHANISM_LEN] {
    let mut f = [0u8; MECHANISM_LEN];
    let n = name.len().min(MECHANISM_LEN);
    f[..n].copy_from_slice(&name[..n]);
    f
}

/// What the peer's greeting told us.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PeerGreeting {
    /// ZMTP 1.0 without a signature. `received` holds the octets already
    /// read: the start of the peer's identity frame, to be decoded with
    /// 1.0 framing before anything else in the buffer.
    Unversioned { received: Bytes },
    /// A 12-octet greeting (revision 0 or 1): 1.0 or 2.0 framing follows,
    /// starting with the peer's identity frame.
    Legacy { revision: u8, socket_type: u8 },
    /// A 64-octet ZMTP 3.x greeting.
    V3 {
        revision: u8,
        minor: u8,
        mechanism: [u8; MECHANISM_LEN],
        as_server: bool,
    },
}

impl PeerGreeting {
    /// The protocol version both sides will use (libzmq
    /// `select_handshake_fun`).
    pub fn version(&self) -> Version {
        match self {
            PeerGreeting::Unversioned { .. } => Version::V1,
            PeerGreeting::Legacy { revision: 0, .. } => Version::V1,
            PeerGreeting::Legacy { .. } => Version::V2,
            PeerGreeting::V3 {
                revision: 3,
                minor: 0,
                ..
            } => Version::V3_0,
            PeerGreeting::V3 { .. } => Version::V3_1,
        }
    }
}

/// Our side of the greeting exchange.
#[derive(Clone, Debug)]
pub struct GreetingExchange {
    recv: [u8; V3_GREETING_LEN],
    recv_len: usize,
    /// 12 until the peer's revision says 3.x, then 64.
    expected: usize,
    /// How much of our greeting has been queued.
    sent: usize,
    socket_type: u8,
    mechanism: [u8; MECHANISM_LEN],
    done: bool,
}

impl GreetingExchange {
    /// Queues the signature into `out`. `routing_id_len` is our routing
    /// id's length (0..=255), `socket_type` our `ZMQ_*` type, `mechanism`
    /// our mechanism name ("NULL", "PLAIN", "CURVE").
    pub fn new(
        routing_id_len: usize,
        socket_type: i32,
        mechanism: &[u8],
        out: &mut BytesMut,
    ) -> Self {
        out.put_u8(0xFF);
        out.put_u64(routing_id_len as u64 + 1);
        out.put_u8(0x7F);
        GreetingExchange {
            recv: [0; V3_GREETING_LEN],
            recv_len: 0,
            expected: V2_GREETING_LEN,
            sent: SIGNATURE_LEN,
            socket_type: socket_type as u8,
            mechanism: mechanism_field(mechanism),
            done: false,
        }
    }

    /// Consumes greeting octets from `buf` (never more than the greeting)
    /// and queues the next stages of ours into `out`. Returns the peer's
    /// greeting once complete.
    pub fn input(&mut self, buf: &mut BytesMut, out: &mut BytesMut) -> Option<PeerGreeting> {
        if self.done {
            return None;
        }
        while self.recv_len < self.expected {
            if buf.is_empty() {
                return None;
            }
            // Read in stages (first octet, signature, revision, rest) so
            // that an unversioned peer's octets are never read past the
            // header of its identity frame.
            let stage_end = match self.recv_len {
                0 => 1,
                1..=9 => SIGNATURE_LEN,
                10 => REVISION_POS + 1,
                _ => self.expected,
            };
            let n = buf.len().min(stage_end - self.recv_len);
            let chunk = buf.split_to(n);
            self.recv[self.recv_len..self.recv_len + n].copy_from_slice(&chunk);
            self.recv_len += n;

            if self.recv[0] != 0xFF || (self.recv_len >= SIGNATURE_LEN && self.recv[9] & 0x01 == 0)
            {
                self.done = true;
                return Some(PeerGreeting::Unversioned {
                    received: Bytes::copy_from_slice(&self.recv[..self.recv_len]),
                });
            }
            if self.recv_len < SIGNATURE_LEN {
                continue;
            }
            // Versioned peer: announce our major version.
            if self.sent == SIGNATURE_LEN {
                out.put_u8(OUR_MAJOR);
                self.sent += 1;
            }
            if self.recv_len > REVISION_POS && self.sent == SIGNATURE_LEN + 1 {
                let revision = self.recv[REVISION_POS];
                if revision == 0 || revision == 1 {
                    // RFC 37: "send the ZMTP 2.0 socket type and identity".
                    out.put_u8(self.socket_type);
                    self.sent += 1;
                } else {
                    out.reserve(V3_GREETING_LEN - self.sent);
                    out.put_u8(OUR_MINOR);
                    out.extend_from_slice(&self.mechanism);
                    // libzmq 4.3.5 always sends as-server = 0, even for PLAIN
                    // and CURVE servers, and ignores the peer's. We match its
                    // wire bytes exactly.
                    out.put_bytes(0, V3_GREETING_LEN - AS_SERVER_POS);
                    self.sent = V3_GREETING_LEN;
                    self.expected = V3_GREETING_LEN;
                }
            }
        }
        self.done = true;
        let revision = self.recv[REVISION_POS];
        Some(if self.expected == V2_GREETING_LEN {
            PeerGreeting::Legacy {
                revision,
                socket_type: self.recv[MINOR_POS],
            }
        } else {
            let mut mechanism = [0u8; MECHANISM_LEN];
            mechanism.copy_from_slice(&self.recv[MECHANISM_POS..MECHANISM_POS + MECHANISM_LEN]);
            PeerGreeting::V3 {
                revision,
                minor: self.recv[MINOR_POS],
                mechanism,
                as_server: self.recv[AS_SERVER_POS] != 0,
            }
        })
    }

    /// Our mechanism field, to compare with the peer's.
    pub fn mechanism(&self) -> &[u8; MECHANISM_LEN] {
        &self.mechanism
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zmtp::testutil::LIBZMQ_NULL_GREETING;

    fn new(out: &mut BytesMut) -> GreetingExchange {
        GreetingExchange::new(0, 5, b"NULL", out)
    }

    #[test]
    fn sends_signature_first_with_routing_id_size_plus_one() {
        let mut out = BytesMut::new();
        GreetingExchange::new(5, 5, b"NULL", &mut out);
        assert_eq!(&out[..], &[0xFF, 0, 0, 0, 0, 0, 0, 0, 6, 0x7F]);
    }

    #[test]
    fn full_greeting_matches_libzmq_bytes() {
        let mut out = BytesMut::new();
        let mut g = new(&mut out);
        let mut buf = BytesMut::from(&LIBZMQ_NULL_GREETING[..]);
        let peer = g.input(&mut buf, &mut out).unwrap();
        assert_eq!(&out[..], &LIBZMQ_NULL_GREETING[..]);
        assert_eq!(peer.version(), Version::V3_1);
        assert!(buf.is_empty());
        assert!(matches!(
            peer,
            PeerGreeting::V3 {
                minor: 1,
                as_server: false,
                ..
            }
        ));
    }

    #[test]
    fn stages_follow_peer_progress() {
        let mut out = BytesMut::new();
        let mut g = new(&mut out);
        assert_eq!(out.len(), 10);
        let mut buf = BytesMut::from(&LIBZMQ_NULL_GREETING[..9]);
        assert!(g.input(&mut buf, &mut out).is_none());
        assert_eq!(out.len(), 10);
        buf.extend_from_slice(&LIBZMQ_NULL_GREETING[9..10]);
        assert!(g.input(&mut buf, &mut out).is_none());
        assert_eq!(out.len(), 11);
        assert_eq!(out[10], 3);
        buf.extend_from_slice(&LIBZMQ_NULL_GREETING[10..11]);
        assert!(g.input(&mut buf, &mut out).is_none());
        assert_eq!(out.len(), 64);
    }

    #[test]
    fn byte_at_a_time_gives_same_result() {
        let mut out = BytesMut::new();
        let mut g = new(&mut out);
        let mut res = None;
        for b in LIBZMQ_NULL_GREETING {
            let mut buf = BytesMut::from(&[b][..]);
            res = g.input(&mut buf, &mut out);
            assert!(buf.is_empty());
        }
        assert_eq!(res.unwrap().version(), Version::V3_1);
        assert_eq!(&out[..], &LIBZMQ_NULL_GREETING[..]);
    }

    #[test]
    fn does_not_read_past_the_greeting() {
        let mut out = BytesMut::new();
        let mut g = new(&mut out);
        let mut buf = BytesMut::from(&LIBZMQ_NULL_GREETING[..]);
        buf.extend_from_slice(b"traffic");
        g.input(&mut buf, &mut out).unwrap();
        assert_eq!(&buf[..], b"traffic");
    }

    #[test]
    fn first_octet_not_ff_is_zmtp_1_0() {
        let mut out = BytesMut::new();
        let mut g = new(&mut out);
        let mut buf = BytesMut::from(&[0x01, 0x00, 0x05, 0x00][..]);
        let peer = g.input(&mut buf, &mut out).unwrap();
        assert_eq!(
            peer,
            PeerGreeting::Unversioned {
                received: Bytes::from_static(&[1])
            }
        );
        assert_eq!(&buf[..], &[0, 5, 0]);
        assert_eq!(peer.version(), Version::V1);
        // Nothing but the signature was sent.
        assert_eq!(out.len(), 10);
    }

    #[test]
    fn clear_bit_0_of_octet_9_is_zmtp_1_0_long_identity() {
        let mut out = BytesMut::new();
        let mut g = new(&mut out);
        let sig = [0xFF, 0, 0, 0, 0, 0, 0, 1, 0, 0x00, 0xAA, 0xBB];
        let mut buf = BytesMut::from(&sig[..]);
        let peer = g.input(&mut buf, &mut out).unwrap();
        assert_eq!(
            peer,
            PeerGreeting::Unversioned {
                received: Bytes::copy_from_slice(&sig[..10])
            }
        );
        assert_eq!(&buf[..], &[0xAA, 0xBB]);
        assert_eq!(out.len(), 10);
    }

    #[test]
    fn revision_1_is_zmtp_2_0_with_socket_type() {
        let mut out = BytesMut::new();
        let mut g = GreetingExchange::new(0, 8, b"NULL", &mut out);
        let mut buf = BytesMut::from(&[0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 1, 7, 0xEE][..]);
        let peer = g.input(&mut buf, &mut out).unwrap();
        assert_eq!(
            peer,
            PeerGreeting::Legacy {
                revision: 1,
                socket_type: 7
            }
        );
        assert_eq!(peer.version(), Version::V2);
        assert_eq!(&out[10..], &[3, 8]);
        assert_eq!(&buf[..], &[0xEE]);
    }

    #[test]
    fn revision_0_is_zmtp_1_0_framing() {
        let mut out = BytesMut::new();
        let mut g = new(&mut out);
        let mut buf = BytesMut::from(&[0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 0, 5][..]);
        assert_eq!(g.input(&mut buf, &mut out).unwrap().version(), Version::V1);
    }

    #[test]
    fn minor_0_is_zmtp_3_0_and_higher_revisions_are_3_1() {
        let cases = [
            (3u8, 0u8, Version::V3_0),
            (3, 1, Version::V3_1),
            (3, 7, Version::V3_1),
            (4, 0, Version::V3_1),
            (2, 0, Version::V3_1),
        ];
        for (rev, minor, v) in cases {
            let mut out = BytesMut::new();
            let mut g = new(&mut out);
            let mut greet = LIBZMQ_NULL_GREETING;
            greet[10] = rev;
            greet[11] = minor;
            let peer = g.input(&mut BytesMut::from(&greet[..]), &mut out).unwrap();
            assert_eq!(peer.version(), v, "rev {rev} minor {minor}");
        }
    }

    #[test]
    fn truncated_greeting_waits() {
        let mut out = BytesMut::new();
        let mut g = new(&mut out);
        let mut buf = BytesMut::from(&LIBZMQ_NULL_GREETING[..63]);
        assert!(g.input(&mut buf, &mut out).is_none());
        assert!(buf.is_empty());
    }

    #[test]
    fn mechanism_field_is_null_padded() {
        assert_eq!(&mechanism_field(b"PLAIN")[..6], b"PLAIN\0");
        assert_eq!(mechanism_field(b"PLAIN")[19], 0);
    }
}
