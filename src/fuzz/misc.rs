//! Z85, subscription tries, socket options through the C ABI.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::socket::trie::{MTrie, Removed, Trie};
use crate::util::z85;
use crate::zmtp::socket_type::*;

/// Z85 (RFC 32): whatever decodes re-encodes to the same text (the
/// encoding is unique), and any multiple of 4 bytes round-trips.
pub fn z85_codec(data: &[u8]) {
    let mut out = vec![0u8; data.len() / 5 * 4 + 4];
    match z85::decode_into(data, &mut out) {
        Ok(n) => {
            assert_eq!(n, data.len() / 5 * 4);
            assert_eq!(z85::decoded_len(data.len()), Ok(n));
            let text = z85::encode(&out[..n]).expect("a multiple of 4");
            assert_eq!(text.as_bytes(), data);
        }
        Err(_) => {
            if let Ok(s) = std::str::from_utf8(data) {
                assert!(z85::decode(s).is_err());
            }
        }
    }
    let whole = &data[..data.len() / 4 * 4];
    let text = z85::encode(whole).expect("a multiple of 4");
    assert_eq!(z85::encoded_len(whole.len()), Ok(text.len()));
    if !whole.is_empty() {
        assert_eq!(z85::decode(&text).expect("our own text"), whole);
    }
    if !data.len().is_multiple_of(4) {
        assert!(z85::encode(data).is_err());
    }
}

/// Subscription tries under a sequence of operations read from the input,
/// each checked against a map: `Trie` (SUB: reference-counted topics) and
/// `MTrie` (PUB: topics per pipe). Op: `code len topic...`; codes
/// 0-3 `Trie` add/remove/matches/topics, 4-8 `MTrie`
/// add/remove/remove_pipe/match/contains; a high bit maps the topic onto a
/// 3-letter alphabet (more shared prefixes), another makes it 1000 octets.
pub fn trie(data: &[u8]) {
    let mut inp = Input(data);
    let mut t = Trie::new();
    let mut tm: BTreeMap<Vec<u8>, u32> = BTreeMap::new();
    let mut m = MTrie::new();
    let mut mm: BTreeMap<Vec<u8>, BTreeSet<u64>> = BTreeMap::new();
    let mut ops = 0;
    while !inp.is_empty() && ops < 512 {
        ops += 1;
        let code = inp.u8();
        let len = usize::from(inp.u8() % 16);
        let mut topic = inp.bytes(len).to_vec();
        if code & 0x80 != 0 {
            for b in &mut topic {
                *b = b'a' + *b % 3;
            }
        }
        if code & 0x40 != 0 && code & 0x20 != 0 {
            let fill = topic.first().copied().unwrap_or(b'x');
            topic.resize(1000, fill);
        }
        let pipe = u64::from(code >> 4 & 3);
        match code & 0x0F {
            0 => {
                let c = tm.entry(topic.clone()).or_insert(0);
                *c += 1;
                assert_eq!(t.add(&topic), *c == 1);
            }
            1 => {
                let last = match tm.get_mut(&topic) {
                    Some(c) => {
                        *c -= 1;
                        *c == 0
                    }
                    None => false,
                };
                if last {
                    tm.remove(&topic);
                }
                assert_eq!(t.remove(&topic), last);
            }
            2 => {
                let want = tm.keys().any(|k| topic.starts_with(k));
                assert_eq!(t.matches(&topic), want);
            }
            3 => {
                let got: Vec<Vec<u8>> = t.topics().iter().map(|b| b.to_vec()).collect();
                assert_eq!(got, tm.keys().cloned().collect::<Vec<_>>());
            }
            4 => {
                let first = !mm.contains_key(&topic);
                mm.entry(topic.clone()).or_default().insert(pipe);
                assert_eq!(m.add(&topic, pipe), first);
            }
            5 => {
                let want = match mm.get_mut(&topic) {
                    Some(set) if set.contains(&pipe) => {
                        set.remove(&pipe);
                        if set.is_empty() {
                            mm.remove(&topic);
                            Removed::Last
                        } else {
                            Removed::Remain
                        }
                    }
                    _ => Removed::NotFound,
                };
                assert_eq!(m.remove(&topic, pipe), want);
            }
            6 => {
                let mut want = Vec::new();
                for (k, set) in mm.iter_mut() {
                    if set.remove(&pipe) {
                        want.push((k.clone(), set.is_empty()));
                    }
                }
                mm.retain(|_, s| !s.is_empty());
                let mut got = Vec::new();
                m.remove_pipe(pipe, |k, last| got.push((k.to_vec(), last)));
                assert_eq!(got, want);
            }
            7 => {
                let want: BTreeSet<u64> = mm
                    .iter()
                    .filter(|(k, _)| topic.starts_with(k))
                    .flat_map(|(_, s)| s.iter().copied())
                    .collect();
                let mut got = Vec::new();
                m.match_into(&topic, &mut got);
                assert_eq!(got, want.into_iter().collect::<Vec<_>>());
            }
            _ => {
                let want = mm.get(&topic).is_some_and(|s| s.contains(&pipe));
                assert_eq!(m.contains(&topic, pipe), want);
            }
        }
        assert_eq!((t.len(), t.is_empty()), (tm.len(), tm.is_empty()));
        assert_eq!((m.len(), m.is_empty()), (mm.len(), mm.is_empty()));
    }
}

/// errno values `zmq_setsockopt`/`zmq_getsockopt` may leave on a valid
/// socket; EFAULT there would mean a panic caught at the boundary.
const OPTION_ERRNOS: [i32; 2] = [libc::EINVAL, libc::ENOTSUP];

/// Option values through the C ABI: a fresh context and socket of any
/// type, then `setsockopt`/`getsockopt` calls read from the input (any
/// option number, any length, NULL values) must each return 0 or -1 with a
/// documented errno, and a set value must read back.
/// Op: `option kind len value...`.
pub fn setsockopt(data: &[u8]) {
    use crate::ffi::ctx::{zmq_ctx_new, zmq_ctx_term};
    use crate::ffi::fuzz;
    use crate::ffi::socket::{zmq_close, zmq_socket};
    let mut inp = Input(data);
    let socket_type = i32::from(inp.u8() % 22);
    let ctx = zmq_ctx_new();
    assert!(!ctx.is_null());
    let s = zmq_socket(ctx, socket_type);
    if s.is_null() {
        assert!(socket_type > ZMQ_CHANNEL);
        assert_eq!(zmq_ctx_term(ctx), 0);
        return;
    }
    let mut ops = 0;
    while !inp.is_empty() && ops < 64 {
        ops += 1;
        let code = inp.u8();
        let option = match code {
            0..=119 => i32::from(code),
            120..=239 => i32::from(code) - 120 + 1000,
            _ => i32::from_be_bytes([inp.u8(), inp.u8(), inp.u8(), inp.u8()]),
        };
        let kind = inp.u8();
        let len = usize::from(inp.u8());
        let value = inp.bytes(match kind & 3 {
            0 => 4,
            1 => 8,
            _ => len,
        });
        let (rc, err) = if kind & 0x80 != 0 {
            fuzz::setsockopt(s, option, None, len)
        } else {
            fuzz::setsockopt(s, option, Some(value), 0)
        };
        assert!(rc == 0 || rc == -1);
        assert!(
            rc == 0 || OPTION_ERRNOS.contains(&err),
            "zmq_setsockopt({option}, {value:?}) failed with errno {err}"
        );
        let cap = [0usize, 4, 8, 256][usize::from(kind >> 2 & 3)];
        let (rc, err, got) = fuzz::getsockopt(s, option, cap);
        assert!(rc == 0 || rc == -1);
        assert!(
            rc == 0 || OPTION_ERRNOS.contains(&err),
            "zmq_getsockopt({option}) failed with errno {err}"
        );
        let _ = got;
    }
    assert_eq!(zmq_close(s), 0);
    assert_eq!(zmq_ctx_term(ctx), 0);
}
