//! Socket types as they travel in the `Socket-Type` property, and which
//! pairs may talk (RFC 37 §The Socket-Type Property; libzmq
//! `mechanism_t::check_socket_type`). One match, one source of truth.
//!
//! Names are compared byte for byte and case-sensitively, as libzmq does
//! (RFC 37 says property *names* are case-insensitive; values are not).

pub const ZMQ_PAIR: i32 = 0;
pub const ZMQ_PUB: i32 = 1;
pub const ZMQ_SUB: i32 = 2;
pub const ZMQ_REQ: i32 = 3;
pub const ZMQ_REP: i32 = 4;
pub const ZMQ_DEALER: i32 = 5;
pub const ZMQ_ROUTER: i32 = 6;
pub const ZMQ_PULL: i32 = 7;
pub const ZMQ_PUSH: i32 = 8;
pub const ZMQ_XPUB: i32 = 9;
pub const ZMQ_XSUB: i32 = 10;
pub const ZMQ_STREAM: i32 = 11;
pub const ZMQ_SERVER: i32 = 12;
pub const ZMQ_CLIENT: i32 = 13;
pub const ZMQ_RADIO: i32 = 14;
pub const ZMQ_DISH: i32 = 15;
pub const ZMQ_GATHER: i32 = 16;
pub const ZMQ_SCATTER: i32 = 17;
pub const ZMQ_DGRAM: i32 = 18;
pub const ZMQ_PEER: i32 = 19;
pub const ZMQ_CHANNEL: i32 = 20;

/// Indexed by socket type number (zmq.h order).
const NAMES: [&str; 21] = [
    "PAIR", "PUB", "SUB", "REQ", "REP", "DEALER", "ROUTER", "PULL", "PUSH", "XPUB", "XSUB",
    "STREAM", "SERVER", "CLIENT", "RADIO", "DISH", "GATHER", "SCATTER", "DGRAM", "PEER", "CHANNEL",
];

/// The wire name of a socket type, "" for an unknown number. "STREAM" is
/// listed for completeness but never sent: STREAM sockets speak raw TCP.
pub fn socket_type_name(t: i32) -> &'static str {
    usize::try_from(t)
        .ok()
        .and_then(|i| NAMES.get(i))
        .copied()
        .unwrap_or("")
}

/// The socket type number of a wire name.
pub fn socket_type_from_name(name: &[u8]) -> Option<i32> {
    NAMES
        .iter()
        .position(|n| n.as_bytes() == name)
        .map(|i| i as i32)
}

/// Whether a socket of type `ours` accepts a peer announcing `peer_name`.
/// Draft types are included: a non-draft build cannot create them, so
/// they never match a stable type either way.
pub fn compatible(ours: i32, peer_name: &[u8]) -> bool {
    let Some(peer) = socket_type_from_name(peer_name) else {
        return false;
    };
    match ours {
        ZMQ_REQ => matches!(peer, ZMQ_REP | ZMQ_ROUTER),
        ZMQ_REP => matches!(peer, ZMQ_REQ | ZMQ_DEALER),
        ZMQ_DEALER => matches!(peer, ZMQ_REP | ZMQ_DEALER | ZMQ_ROUTER),
        ZMQ_ROUTER => matches!(peer, ZMQ_REQ | ZMQ_DEALER | ZMQ_ROUTER),
        ZMQ_PUSH => peer == ZMQ_PULL,
        ZMQ_PULL => peer == ZMQ_PUSH,
        ZMQ_PUB | ZMQ_XPUB => matches!(peer, ZMQ_SUB | ZMQ_XSUB),
        ZMQ_SUB | ZMQ_XSUB => matches!(peer, ZMQ_PUB | ZMQ_XPUB),
        ZMQ_PAIR => peer == ZMQ_PAIR,
        ZMQ_SERVER => peer == ZMQ_CLIENT,
        ZMQ_CLIENT => peer == ZMQ_SERVER,
        ZMQ_RADIO => peer == ZMQ_DISH,
        ZMQ_DISH => peer == ZMQ_RADIO,
        ZMQ_GATHER => peer == ZMQ_SCATTER,
        ZMQ_SCATTER => peer == ZMQ_GATHER,
        ZMQ_DGRAM => peer == ZMQ_DGRAM,
        ZMQ_PEER => peer == ZMQ_PEER,
        ZMQ_CHANNEL => peer == ZMQ_CHANNEL,
        // STREAM and unknown numbers never complete a ZMTP handshake.
        _ => false,
    }
}

/// Whether libzmq puts an `Identity` property in this type's READY or
/// INITIATE (`mechanism_t::add_basic_properties`: REQ, DEALER, ROUTER).
pub fn sends_identity(t: i32) -> bool {
    matches!(t, ZMQ_REQ | ZMQ_DEALER | ZMQ_ROUTER)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_zmq_h_numbering() {
        assert_eq!(socket_type_name(ZMQ_PAIR), "PAIR");
        assert_eq!(socket_type_name(ZMQ_DEALER), "DEALER");
        assert_eq!(socket_type_name(ZMQ_XSUB), "XSUB");
        assert_eq!(socket_type_name(ZMQ_CHANNEL), "CHANNEL");
        assert_eq!(socket_type_name(-1), "");
        assert_eq!(socket_type_name(21), "");
        for t in 0..=20 {
            assert_eq!(
                socket_type_from_name(socket_type_name(t).as_bytes()),
                Some(t)
            );
        }
    }

    #[test]
    fn compatibility_table_matches_libzmq() {
        let ok = |a: i32, b: i32| compatible(a, socket_type_name(b).as_bytes());
        let mut pairs = 0;
        for a in 0..=20 {
            for b in 0..=20 {
                if ok(a, b) {
                    pairs += 1;
                    // The relation is symmetric.
                    assert!(ok(b, a), "{a} {b}");
                }
            }
        }
        // REQ:2 REP:2 DEALER:3 ROUTER:3 PUB/XPUB/SUB/XSUB:2 each, PUSH, PULL,
        // PAIR, and the 9 draft types: 1 each.
        assert_eq!(pairs, 2 + 2 + 3 + 3 + 8 + 1 + 1 + 1 + 9);
        assert!(ok(ZMQ_REQ, ZMQ_ROUTER));
        assert!(!ok(ZMQ_REQ, ZMQ_REQ));
        assert!(ok(ZMQ_DEALER, ZMQ_DEALER));
        assert!(!ok(ZMQ_STREAM, ZMQ_STREAM));
    }

    #[test]
    fn names_are_case_sensitive() {
        assert!(!compatible(ZMQ_PUSH, b"pull"));
        assert!(!compatible(ZMQ_PUSH, b"PULL\0"));
        assert!(compatible(ZMQ_PUSH, b"PULL"));
    }

    #[test]
    fn only_req_dealer_router_send_identity() {
        let senders: Vec<i32> = (0..=20).filter(|t| sends_identity(*t)).collect();
        assert_eq!(senders, vec![ZMQ_REQ, ZMQ_DEALER, ZMQ_ROUTER]);
    }
}
