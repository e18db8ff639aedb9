//! Property lists (READY, INITIATE, ZAP metadata) against libzmq's walk.

use super::*;

/// A property list walked as libzmq 4.3.x `mechanism_t::parse_metadata`
/// does (the reference for `metadata::parse`): while more than one octet
/// is left, a name size, the name, a value size, the value; a part running
/// past the end stops the walk; anything left over is an error.
pub(super) fn ref_metadata(d: &[u8]) -> Option<Vec<(&[u8], &[u8])>> {
    let mut props = Vec::new();
    let mut pos = 0;
    while d.len() - pos > 1 {
        let n = usize::from(d[pos]);
        pos += 1;
        if d.len() - pos < n {
            break;
        }
        let name = &d[pos..pos + n];
        pos += n;
        if d.len() - pos < 4 {
            break;
        }
        let v = u32::from_be_bytes([d[pos], d[pos + 1], d[pos + 2], d[pos + 3]]) as usize;
        pos += 4;
        if d.len() - pos < v {
            break;
        }
        props.push((name, &d[pos..pos + v]));
        pos += v;
    }
    (pos == d.len()).then_some(props)
}

/// Checks `metadata::parse(list)` against `ref_metadata`; returns the
/// parsed list.
pub(super) fn check_metadata(list: &Bytes) -> Option<Vec<crate::zmtp::metadata::Property>> {
    let parsed = metadata::parse(list);
    let reference = ref_metadata(list);
    match (&parsed, &reference) {
        (Ok(props), Some(r)) => {
            assert_eq!(props.len(), r.len());
            let mut again = BytesMut::new();
            for ((n, v), (rn, rv)) in props.iter().zip(r) {
                assert_eq!(*n, String::from_utf8_lossy(rn));
                assert_eq!(&v[..], *rv);
                // By hand: `encode_property` takes only the 1-255 octet
                // names we send, and a peer's may be empty.
                again.extend_from_slice(&[rn.len() as u8]);
                again.extend_from_slice(rn);
                again.extend_from_slice(&(rv.len() as u32).to_be_bytes());
                again.extend_from_slice(rv);
            }
            // What the properties re-encode to is the list, minus a
            // trailing name (and value size) libzmq ignores.
            assert!(list.starts_with(&again));
            let tail = &list[again.len()..];
            assert!(tail.len() != 1, "a one-octet tail was accepted");
            if !tail.is_empty() {
                let n = usize::from(tail[0]);
                assert!(tail.len() == 1 + n || tail.len() == 5 + n);
            }
            for (n, _) in props {
                let first = props.iter().find(|(m, _)| m == n).map(|(_, v)| v);
                assert_eq!(metadata::lookup(props, n), first);
            }
        }
        (Err(_), None) => {}
        (got, want) => panic!("metadata::parse {got:?}, libzmq's walk {want:?}"),
    }
    parsed.ok()
}

/// Property lists (READY, INITIATE, ZAP metadata): `metadata::parse`
/// accepts and refuses exactly what libzmq's walk does (checked against
/// `ref_metadata`), values are the listed octets; and a NULL handshake
/// whose READY carries the list completes only if it parses and every
/// Socket-Type in it is compatible (the engine may refuse more).
pub fn metadata(data: &[u8]) {
    let mut inp = Input(data);
    let socket_type = i32::from(inp.u8() % 21);
    let list = Bytes::copy_from_slice(inp.rest());
    let parsed = check_metadata(&list).ok_or(());

    // The same list as a peer's READY.
    let mut hs = Handshake::new(HandshakeConfig {
        socket_type,
        ..Default::default()
    });
    let mut wire = BytesMut::from(&null_greeting()[..]);
    crate::zmtp::codec::encode_command(Version::V3_1, b"READY", &list, &mut wire);
    match hs.input(&mut wire) {
        Ok(Progress::Done(est)) => {
            let props = parsed.expect("a READY that does not parse was accepted");
            for (n, v) in &props {
                assert!(n != "Socket-Type" || compatible(socket_type, v));
            }
            assert_eq!(est.properties, props);
            let id = props.iter().rev().find(|(n, _)| n == "Identity");
            assert_eq!(
                est.peer_routing_id,
                id.map(|(_, v)| v.clone()).unwrap_or_default()
            );
            assert!(wire.is_empty());
        }
        Ok(Progress::NeedMore | Progress::Zap(_)) => {
            panic!("a whole READY left the handshake waiting")
        }
        Err(_) => {}
    }
}
