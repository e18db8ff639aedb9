//! The greeting and version fallback.

use super::*;

/// The greeting and version fallback: any configuration (mechanism,
/// role, socket type, ZAP domain, MAXMSGSIZE, routing id) fed raw bytes,
/// then traffic. `GreetingExchange` alone is checked too: it reads no
/// further than the greeting it detects (10 octets at most for an
/// unversioned peer, 12 for revision 0/1, 64 for 3.x) and answers with
/// the stages libzmq sends.
pub fn greeting(data: &[u8]) {
    let mut inp = Input(data);
    let b0 = inp.u8();
    let b1 = inp.u8();
    let mut chunks = Chunker::new(inp.u8());
    let stream = inp.rest();
    let mech = [Mech::Null, Mech::Plain, Mech::Curve][usize::from(b0 & 3) % 3];
    let (mut cfg, _) = pair_configs(mech, ((b0 >> 2) & 1) | (b0 & 0xE0), b1);
    if b0 & 0x10 != 0 {
        cfg.max_msg_size = i64::from(b1);
    }

    // The greeting exchange alone.
    let rid_len = cfg.routing_id.len();
    let mut out = BytesMut::new();
    let mut g = GreetingExchange::new(rid_len, cfg.socket_type, cfg.mechanism.name(), &mut out);
    assert_eq!(
        out[..],
        [0xFF, 0, 0, 0, 0, 0, 0, 0, rid_len as u8 + 1, 0x7F]
    );
    let mut consumed = 0usize;
    let mut peer: Option<PeerGreeting> = None;
    chunks.split(stream, |piece| {
        let mut buf = BytesMut::from(piece);
        let r = g.input(&mut buf, &mut out);
        let used = piece.len() - buf.len();
        if peer.is_some() {
            assert!(
                r.is_none() && used == 0,
                "the greeting read on after it ended"
            );
            return;
        }
        consumed += used;
        assert!(consumed <= 64);
        match r {
            None => assert!(buf.is_empty(), "the greeting stopped reading too early"),
            Some(p) => peer = Some(p),
        }
    });
    match &peer {
        None => assert_eq!(consumed, stream.len()),
        Some(PeerGreeting::Unversioned { received }) => {
            assert!((1..=10).contains(&consumed));
            assert_eq!(received[..], stream[..consumed]);
            assert!(received[0] != 0xFF || (consumed == 10 && received[9] & 1 == 0));
            assert_eq!(out.len(), 10);
        }
        Some(PeerGreeting::Legacy {
            revision,
            socket_type,
        }) => {
            assert_eq!(consumed, 12);
            assert!(*revision <= 1);
            assert_eq!((stream[10], stream[11]), (*revision, *socket_type));
            assert_eq!(out[10..], [3, cfg.socket_type as u8]);
        }
        Some(PeerGreeting::V3 {
            revision,
            minor,
            mechanism,
            ..
        }) => {
            assert_eq!(consumed, 64);
            assert!(*revision >= 2);
            assert_eq!((stream[10], stream[11]), (*revision, *minor));
            assert_eq!(stream[12..32], mechanism[..]);
            assert_eq!(out.len(), 64);
            assert_eq!(out[10..12], [3, 1]);
            assert_eq!(
                out[12..32],
                crate::zmtp::greeting::mechanism_field(cfg.mechanism.name())
            );
        }
    }
    if let Some(p) = &peer {
        let v = p.version();
        assert_eq!(v.has_commands(), matches!(p, PeerGreeting::V3 { .. }));
    }

    // The whole engine on the same bytes.
    let mut d = Driver::new(cfg, ZapPolicy::from_bits(b1));
    chunks.split(stream, |p| d.feed(p));
}
