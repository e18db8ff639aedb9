use super::*;
use crate::zmtp::codec::encode_header;

#[test]
fn accept_key_matches_rfc_6455_example() {
    assert_eq!(
        accept_key("dGhlIHNhbXBsZSBub25jZQ=="),
        "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
    );
}

fn request(protocols: &str) -> Vec<u8> {
    format!(
        "GET /x HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: {protocols}\r\n\r\nrest"
    )
    .into_bytes()
}

#[test]
fn head_waits_for_the_blank_line_in_split_reads() {
    let r = request("ZWS2.0/NULL");
    for cut in 0..r.len() - 4 {
        assert_eq!(parse_head(&r[..cut]).unwrap(), None, "cut {cut}");
    }
    let (head, used) = parse_head(&r).unwrap().unwrap();
    assert_eq!(&r[used..], b"rest");
    assert_eq!(head.start_line, "GET /x HTTP/1.1");
}

#[test]
fn server_picks_the_first_offer_it_supports() {
    let (h, _) = parse_head(&request("ZWS2.0/NULL, ZWS2.0"))
        .unwrap()
        .unwrap();
    let (resp, fl) = server_accept(&h, b"NULL").unwrap();
    assert_eq!(fl, Flavour::Mechanism);
    assert!(resp.contains("Sec-WebSocket-Protocol: ZWS2.0/NULL\r\n"));
    assert!(resp.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
    let (h, _) = parse_head(&request("ZWS2.0")).unwrap().unwrap();
    assert_eq!(server_accept(&h, b"NULL").unwrap().1, Flavour::Bare);
    assert!(server_accept(&h, b"PLAIN").is_err());
}

#[test]
fn malformed_heads_are_errors() {
    assert!(parse_head(b"GET / HTTP/1.1\r\nno colon here\r\n\r\n").is_err());
    assert!(parse_head(&vec![b'a'; MAX_HEAD + 1]).is_err());
    assert!(parse_head(b"\xff\xfe\r\n\r\n").is_err());
    let (h, _) = parse_head(b"POST / HTTP/1.1\r\nUpgrade: websocket\r\n\r\n")
        .unwrap()
        .unwrap();
    assert!(server_accept(&h, b"NULL").is_err());
    let (h, _) = parse_head(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap()
        .unwrap();
    assert!(server_accept(&h, b"NULL").is_err());
}

#[test]
fn client_checks_the_accept_key_and_subprotocol() {
    let mut g = MaskGen::new();
    let key = new_key(&mut g);
    let req = client_request("/p", "127.0.0.1", &key, b"NULL");
    let (h, _) = parse_head(req.as_bytes()).unwrap().unwrap();
    let (resp, _) = server_accept(&h, b"NULL").unwrap();
    let (rh, _) = parse_head(resp.as_bytes()).unwrap().unwrap();
    assert_eq!(
        client_check(&rh, &key, b"NULL").unwrap(),
        Flavour::Mechanism
    );
    assert!(client_check(&rh, "otherkey", b"NULL").is_err());
    assert!(client_check(&rh, &key, b"PLAIN").is_err());
}

fn zmtp_frames(frames: &[(u8, &[u8])]) -> BytesMut {
    let mut z = BytesMut::new();
    for (f, body) in frames {
        if f & ZMTP_COMMAND != 0 {
            encode_command(Version::V3_1, b"READY", body, &mut z);
        } else {
            encode_header(Version::V3_1, f & ZMTP_MORE != 0, false, body.len(), &mut z);
            z.extend_from_slice(body);
        }
    }
    z
}

/// Encodes with `client` masking, byte splits of `step`, then decodes
/// the result on the other side with splits of `step`.
fn round_trip(client: bool, step: usize, frames: &[(u8, &[u8])]) -> BytesMut {
    let z = zmtp_frames(frames);
    let mut enc = FrameEncoder::new(client, None);
    let mut wire = BytesMut::new();
    for c in z.chunks(step) {
        enc.encode(c, &mut wire);
    }
    let mut dec = FrameDecoder::new(client, -1, None);
    let mut out = BytesMut::new();
    let mut input = BytesMut::new();
    for c in wire.chunks(step) {
        input.extend_from_slice(c);
        assert!(!dec.decode(&mut input, &mut out).unwrap());
    }
    assert!(input.is_empty());
    out
}

#[test]
fn frames_survive_masking_and_split_reads() {
    let big = vec![7u8; 70_000];
    let frames: Vec<(u8, &[u8])> = vec![
        (ZMTP_COMMAND, b"\x0bSocket-Type\x00\x00\x00\x04PAIR"),
        (ZMTP_MORE, b"a"),
        (0, &big),
        (0, b""),
        (0, &big[..300]),
    ];
    let want = zmtp_frames(&frames);
    for client in [false, true] {
        for step in [1, 3, 7, 1000, 1 << 20] {
            assert_eq!(round_trip(client, step, &frames), want, "{client} {step}");
        }
    }
}

#[test]
fn wire_bytes_match_libzmq() {
    // Server side, unmasked: READY is a binary message with flag 2, and
    // the first bytes the session writes are already a frame (no
    // greeting to swallow).
    let mut z = BytesMut::new();
    encode_command(
        Version::V3_1,
        b"READY",
        b"\x0bSocket-Type\x00\x00\x00\x04PAIR",
        &mut z,
    );
    let mut enc = FrameEncoder::new(false, None);
    let mut wire = BytesMut::new();
    enc.encode(&z, &mut wire);
    assert_eq!(
        &wire[..],
        b"\x82\x1b\x02\x05READY\x0bSocket-Type\x00\x00\x00\x04PAIR"
    );
}

#[test]
fn heartbeats_and_subscriptions_are_translated() {
    let mut z = BytesMut::new();
    encode_ping(Version::V3_1, 10, b"", &mut z);
    encode_command(Version::V3_1, b"SUBSCRIBE", b"A", &mut z);
    let mut enc = FrameEncoder::new(false, None);
    let mut wire = BytesMut::new();
    enc.encode(&z, &mut wire);
    assert_eq!(&wire[..], b"\x89\x00\x82\x03\x00\x01A");
    // A ping from the peer reaches the session as a ZMTP PING.
    let mut dec = FrameDecoder::new(false, -1, None);
    let mut out = BytesMut::new();
    let mut input = BytesMut::from(&b"\x89\x02hi\x88\x00"[..]);
    assert!(dec.decode(&mut input, &mut out).unwrap());
    let mut want = BytesMut::new();
    encode_ping(Version::V3_1, 0, b"hi", &mut want);
    assert_eq!(out, want);
}

#[test]
fn bare_flavour_swaps_ready_for_routing_ids() {
    let mut z = BytesMut::new();
    encode_command(
        Version::V3_1,
        b"READY",
        b"\x0bSocket-Type\x00\x00\x00\x03REQ",
        &mut z,
    );
    let mut enc = FrameEncoder::new(false, Some(b"me".to_vec()));
    let mut wire = BytesMut::new();
    enc.encode(&z, &mut wire);
    assert_eq!(&wire[..], b"\x82\x03\x00me");
    let mut dec = FrameDecoder::new(false, -1, Some("REP"));
    let mut out = BytesMut::new();
    let mut input = BytesMut::from(&b"\x82\x01\x00"[..]);
    dec.decode(&mut input, &mut out).unwrap();
    let mut md = BytesMut::new();
    crate::zmtp::metadata::encode_property(b"Socket-Type", b"REP", &mut md);
    crate::zmtp::metadata::encode_property(b"Identity", b"", &mut md);
    let mut want = BytesMut::new();
    encode_command(Version::V3_1, b"READY", &md, &mut want);
    assert_eq!(out, want);
}

/// The connection frames its own commands from their bodies
/// (`WsEncoder::command`), never from ZMTP bytes: the wire is what the
/// ZMTP route gives (READY, ERROR, PING, PONG, SUBSCRIBE, CANCEL, bare
/// READY), and a client's masked messages read back to the same commands.
#[test]
fn commands_are_framed_from_their_bodies_as_the_zmtp_route_frames_them() {
    let bodies: Vec<Vec<u8>> = vec![
        b"\x05READY\x0bSocket-Type\x00\x00\x00\x04PAIR".to_vec(),
        b"\x05ERROR\x03bad".to_vec(),
        crate::zmtp::command::ping_body(10, b"ctx").to_vec(),
        crate::zmtp::command::pong_body(b"ctx").to_vec(),
        b"\x09SUBSCRIBEtopic".to_vec(),
        b"\x06CANCELt".to_vec(),
        vec![0x80; 300],
    ];
    for bare in [None, Some(b"me".to_vec())] {
        let mut zmtp = BytesMut::new();
        let mut ours = BytesMut::new();
        let mut enc = WsEncoder::new(false, bare.clone());
        for b in &bodies {
            encode_header(Version::V3_1, false, true, b.len(), &mut zmtp);
            zmtp.extend_from_slice(b);
            enc.command(b, &mut ours);
        }
        let mut theirs = BytesMut::new();
        FrameEncoder::new(false, bare).encode(&zmtp, &mut theirs);
        assert_eq!(ours, theirs);
    }
    // A client masks them; the server's decoder reads the same ZMTP back.
    let mut enc = WsEncoder::new(true, None);
    let mut wire = BytesMut::new();
    for b in &bodies {
        enc.command(b, &mut wire);
    }
    let mut clear = BytesMut::new();
    let mut enc = WsEncoder::new(false, None);
    for b in &bodies {
        enc.command(b, &mut clear);
    }
    let (mut a, mut b) = (BytesMut::new(), BytesMut::new());
    FrameDecoder::new(true, -1, None)
        .decode(&mut wire, &mut a)
        .unwrap();
    FrameDecoder::new(false, -1, None)
        .decode(&mut clear, &mut b)
        .unwrap();
    assert!(wire.is_empty() && clear.is_empty());
    assert_eq!(a, b);
    assert!(!a.is_empty());
}

#[test]
fn bad_frames_are_errors_not_panics() {
    let cases: &[(&[u8], bool)] = &[
        (b"\x02\x01\x00", false),                 // not final
        (b"\x81\x01a", false),                    // text
        (b"\x82\x00", false),                     // empty binary
        (b"\x82\x81\x00\x00\x00\x00\x00", false), // masked to a client
        (b"\x82\x01\x00", true),                  // unmasked to a server
        (b"\x89\x7e\x00\x80", false),             // long control frame
        (b"\x82\x7f\x80\x00\x00\x00\x00\x00\x00\x00\x00", false),
    ];
    for (bytes, server) in cases {
        let mut dec = FrameDecoder::new(*server, -1, None);
        let mut input = BytesMut::from(*bytes);
        assert!(
            dec.decode(&mut input, &mut BytesMut::new()).is_err(),
            "{bytes:?}"
        );
    }
    let mut dec = FrameDecoder::new(false, 10, None);
    let mut input = BytesMut::from(&b"\x82\x0c\x00hello world"[..]);
    assert_eq!(
        dec.decode(&mut input, &mut BytesMut::new()),
        Err(WsError::TooLarge)
    );
}

/// A masked (client→server) binary frame header announcing `len`
/// payload octets, the key, and the flags octet masked.
fn masked_binary_header(len: u64, flags: u8) -> Vec<u8> {
    let key = [1u8, 2, 3, 4];
    let mut h = vec![0x82, 0x80 | 127];
    h.extend_from_slice(&len.to_be_bytes());
    h.extend_from_slice(&key);
    h.push(flags ^ key[0]);
    h
}

#[test]
fn announced_payload_lengths_are_streamed_not_allocated() {
    // A payload of 2^62 octets: the decoder turns the header into a
    // ZMTP long header (the session's reader bounds what it allocates)
    // and streams the octets that did arrive; nothing is sized from
    // the announcement here.
    for len in [1u64 << 40, 1 << 62, (1 << 63) - 1] {
        let mut dec = FrameDecoder::new(true, -1, None);
        let mut input = BytesMut::from(&masked_binary_header(len, WS_MORE)[..]);
        input.extend_from_slice(&[0x11; 100]);
        let mut out = BytesMut::new();
        assert_eq!(dec.decode(&mut input, &mut out), Ok(false));
        assert!(input.is_empty());
        let mut want = vec![ZMTP_MORE | ZMTP_LONG];
        want.extend_from_slice(&(len - 1).to_be_bytes());
        assert_eq!(&out[..9], &want[..]);
        assert_eq!(out.len(), 9 + 100);
        assert!(out.capacity() < 1 << 20);
    }
    // Lengths with the top bit set are not lengths (RFC 6455 §5.2).
    let mut dec = FrameDecoder::new(true, -1, None);
    let mut input = BytesMut::from(&masked_binary_header(1 << 63, 0)[..]);
    assert!(dec.decode(&mut input, &mut BytesMut::new()).is_err());
    // ZMQ_MAXMSGSIZE: refused on the header, before any payload.
    let mut dec = FrameDecoder::new(true, 1 << 20, None);
    let mut input = BytesMut::from(&masked_binary_header(1 << 62, 0)[..]);
    assert_eq!(
        dec.decode(&mut input, &mut BytesMut::new()),
        Err(WsError::TooLarge)
    );
    // Bare ZWS2.0: a routing id over 255 octets is refused on the
    // header (it is the one message gathered whole).
    let mut dec = FrameDecoder::new(true, -1, Some("DEALER"));
    let mut input = BytesMut::from(&masked_binary_header(1 << 62, 0)[..]);
    assert!(dec.decode(&mut input, &mut BytesMut::new()).is_err());
    let mut dec = FrameDecoder::new(true, -1, Some("DEALER"));
    let mut input = BytesMut::from(&masked_binary_header(257, 0)[..]);
    assert!(dec.decode(&mut input, &mut BytesMut::new()).is_err());
    // Control frames carry at most 125 octets, whatever they announce.
    for len in [126u64, 1 << 62] {
        let mut h = vec![0x89, 0x80 | 127];
        h.extend_from_slice(&len.to_be_bytes());
        h.extend_from_slice(&[0; 4]);
        let mut dec = FrameDecoder::new(true, -1, None);
        let mut input = BytesMut::from(&h[..]);
        assert!(dec.decode(&mut input, &mut BytesMut::new()).is_err());
    }
}

#[test]
fn http_header_floods_are_refused_at_max_head() {
    // A head that never ends: refused once longer than MAX_HEAD, however
    // it is split (one endless header line, or endless short headers).
    let mut endless_line = b"GET / HTTP/1.1\r\nX-Flood: ".to_vec();
    endless_line.resize(MAX_HEAD + 1, b'a');
    assert!(parse_head(&endless_line).is_err());
    assert_eq!(parse_head(&endless_line[..MAX_HEAD]), Ok(None));
    let mut many = b"GET / HTTP/1.1\r\n".to_vec();
    while many.len() <= MAX_HEAD {
        many.extend_from_slice(b"X-A: b\r\n");
    }
    assert!(parse_head(&many).is_err());
    // A complete head longer than MAX_HEAD is refused too.
    many.extend_from_slice(b"\r\n");
    assert!(parse_head(&many).is_err());
}

#[test]
fn masking_matches_the_bytewise_definition() {
    let key = [0x12, 0x34, 0x56, 0x78];
    let src: Vec<u8> = (0..37u8).collect();
    for start in 0..8 {
        let mut out = BytesMut::from(&b"pre"[..]);
        xor_into(&src, key, start, &mut out);
        let want: Vec<u8> = src
            .iter()
            .enumerate()
            .map(|(i, b)| b ^ key[(start + i) % 4])
            .collect();
        assert_eq!(&out[..3], b"pre");
        assert_eq!(&out[3..], &want[..], "start {start}");
    }
}

#[test]
fn random_bytes_never_panic_the_decoder() {
    let mut g = MaskGen::new();
    for _ in 0..2000 {
        let n = (g.next_u64() % 64) as usize;
        let bytes: Vec<u8> = (0..n).map(|_| g.next_u64() as u8).collect();
        for server in [false, true] {
            let mut dec = FrameDecoder::new(server, 100, Some("PAIR"));
            let _ = dec.decode(&mut BytesMut::from(&bytes[..]), &mut BytesMut::new());
            let _ = parse_head(&bytes);
        }
    }
}

/// Runs a client and a server `Handshake::without_greeting` against each
/// other, every byte through our WebSocket framing (client frames masked):
/// what `io::ws` does after the upgrade. Returns both ends, or the error.
pub(crate) fn handshake_over_ws(
    client: crate::zmtp::MechanismConfig,
    server: crate::zmtp::MechanismConfig,
) -> Result<(crate::zmtp::Established, crate::zmtp::Established), crate::zmtp::HandshakeError> {
    use crate::zmtp::{Handshake, HandshakeConfig, Progress};
    let cfg = |mechanism, socket_type, id: &'static [u8]| HandshakeConfig {
        socket_type,
        routing_id: bytes::Bytes::from_static(id),
        mechanism,
        ..HandshakeConfig::default()
    };
    // DEALER (5) to ROUTER (6).
    let mut hs = [
        Handshake::without_greeting(cfg(client, 5, b"cli"))?,
        Handshake::without_greeting(cfg(server, 6, b""))?,
    ];
    // How `io::session` frames the handshake's commands: one WebSocket
    // message each, through the connection's own encoder.
    let mut enc = [WsEncoder::new(true, None), WsEncoder::new(false, None)];
    // And how it reads the peer's: one message, one frame, straight into
    // the handshake (`input_frame`).
    let mut dec = [
        WsDecoder::new(false, -1, None),
        WsDecoder::new(true, -1, None),
    ];
    let mut inbox = [BytesMut::new(), BytesMut::new()];
    let mut done: [Option<crate::zmtp::Established>; 2] = [None, None];
    for _ in 0..10 {
        for i in 0..2 {
            // Without a greeting nothing goes out as ZMTP bytes.
            let commands = if let Some(e) = &mut done[i] {
                assert!(e.output.is_empty());
                std::mem::take(&mut e.commands)
            } else {
                assert!(hs[i].output().is_empty());
                hs[i].take_commands()
            };
            for c in &commands {
                enc[i].command(c, &mut inbox[1 - i]);
            }
        }
        for i in 0..2 {
            while done[i].is_none() {
                let Some(f) = dec[i].decode(&mut inbox[i]).unwrap() else {
                    break;
                };
                let mut p = hs[i].input_frame(f)?;
                if let Progress::Zap(_) = p {
                    // The PLAIN server asks ZAP: the handler allows.
                    let allow = crate::zmtp::ZapReply::from_status(
                        b"200",
                        bytes::Bytes::from_static(b"user"),
                        bytes::Bytes::new(),
                    );
                    p = hs[i].zap_reply(allow)?;
                }
                match p {
                    Progress::Done(e) => done[i] = Some(*e),
                    Progress::NeedMore => {}
                    Progress::Zap(_) => panic!("ZAP asked twice"),
                }
            }
        }
        if done.iter().all(Option::is_some) && inbox.iter().all(BytesMut::is_empty) {
            let [c, s] = done;
            return Ok((c.unwrap(), s.unwrap()));
        }
    }
    panic!("the handshake did not finish");
}

/// The two ends' ciphers (client, server) of a CURVE handshake run as
/// `handshake_over_ws` runs it: the traffic keys tests seal and open with.
pub(crate) fn curve_ciphers() -> (
    crate::zmtp::mechanism::curve::CurveCipher,
    crate::zmtp::mechanism::curve::CurveCipher,
) {
    use crate::zmtp::mechanism::curve::keypair;
    let (spk, ssk) = keypair();
    let (cpk, csk) = keypair();
    let curve = |server, public_key, secret_key| crate::zmtp::MechanismConfig::Curve {
        server,
        public_key,
        secret_key,
        server_key: spk,
    };
    let (c, s) = handshake_over_ws(curve(false, cpk, csk), curve(true, spk, ssk)).unwrap();
    (c.cipher.unwrap(), s.cipher.unwrap())
}

#[test]
fn mechanisms_handshake_without_a_greeting_over_ws_frames() {
    use crate::zmtp::MechanismConfig;
    let (c, s) = handshake_over_ws(MechanismConfig::Null, MechanismConfig::Null).unwrap();
    assert_eq!((c.mechanism, s.mechanism), ("NULL", "NULL"));
    assert_eq!(s.peer_routing_id, &b"cli"[..]);
    assert_eq!(s.peer_socket_type, Some(5));
    assert_eq!(c.peer_socket_type, Some(6));
    let plain = |server| MechanismConfig::Plain {
        server,
        username: bytes::Bytes::from_static(b"u"),
        password: bytes::Bytes::from_static(b"p"),
    };
    let (c, s) = handshake_over_ws(plain(false), plain(true)).unwrap();
    assert_eq!((c.mechanism, s.mechanism), ("PLAIN", "PLAIN"));
    assert_eq!(s.peer_routing_id, &b"cli"[..]);
    assert_eq!(s.user_id, &b"user"[..]);
    let (spk, ssk) = crate::zmtp::mechanism::curve::keypair();
    let (cpk, csk) = crate::zmtp::mechanism::curve::keypair();
    let curve = |server, public_key, secret_key| MechanismConfig::Curve {
        server,
        public_key,
        secret_key,
        server_key: spk,
    };
    let (mut c, mut s) = handshake_over_ws(curve(false, cpk, csk), curve(true, spk, ssk)).unwrap();
    assert_eq!((c.mechanism, s.mechanism), ("CURVE", "CURVE"));
    assert_eq!(s.peer_routing_id, &b"cli"[..]);
    // The ciphers agree: a box sealed by one side opens on the other.
    let mut boxed = BytesMut::new();
    c.cipher.as_mut().unwrap().tx.seal(0, b"hi", &mut boxed);
    let f = crate::zmtp::Decoder::new(Version::V3_1, -1)
        .decode(&mut boxed)
        .unwrap()
        .unwrap();
    let (_, body) = s.cipher.as_mut().unwrap().rx.open(&f.body).unwrap();
    assert_eq!(&body[..], b"hi");
    // A client with the wrong server key is refused (by the server).
    let (wrong, _) = crate::zmtp::mechanism::curve::keypair();
    let bad = MechanismConfig::Curve {
        server: false,
        public_key: cpk,
        secret_key: csk,
        server_key: wrong,
    };
    assert!(handshake_over_ws(bad, curve(true, spk, ssk)).is_err());
}
