//! ZWS 2.0: WebSocket framing both ways, the HTTP upgrade.

use bytes::{Bytes, BytesMut};

use super::*;
use crate::zmtp::codec::{encode_frame, Decoder, Version};
use crate::zmtp::command::{encode_ping, encode_pong, split_name, PING_MAX_CONTEXT};
use crate::zmtp::subscription::encode_subscription;
use crate::zmtp::ws;

/// ZWS 2.0 frames from a peer: a `FrameDecoder` (server or client side,
/// bare or mechanism flavour, any MAXMSGSIZE) gives the same ZMTP bytes and
/// the same verdict whether the input comes at once or in pieces, and what
/// it emits is always valid ZMTP 3.1 framing within the size limit.
pub fn ws_frames(data: &[u8]) {
    let mut inp = Input(data);
    let b0 = inp.u8();
    let masked = b0 & 1 != 0;
    let bare = (b0 & 2 != 0).then_some("DEALER");
    let max: i64 = [-1, 0, 100, 65536][usize::from(b0 >> 2 & 3)];
    let chunk_byte = inp.u8();
    let mut chunks = Chunker::new(chunk_byte);
    let stream = inp.rest();

    let mut d1 = ws::FrameDecoder::new(masked, max, bare);
    let mut in1 = BytesMut::from(stream);
    let mut out1 = BytesMut::new();
    let r1 = d1.decode(&mut in1, &mut out1);

    let mut d2 = ws::FrameDecoder::new(masked, max, bare);
    let mut in2 = BytesMut::new();
    let mut out2 = BytesMut::new();
    let mut r2: Result<bool, ws::WsError> = Ok(false);
    chunks.split(stream, |piece| {
        if r2 != Ok(false) {
            return;
        }
        in2.extend_from_slice(piece);
        r2 = d2.decode(&mut in2, &mut out2);
    });
    if stream.is_empty() {
        r2 = d2.decode(&mut in2, &mut out2);
    }
    assert_eq!(r1, r2, "the verdict depends on how the input was read");
    assert_eq!(out1, out2, "the output depends on how the input was read");
    if r1.is_ok() {
        assert_eq!(in1.len(), in2.len());
    }
    if let Err(e) = r1 {
        let _ = e.to_string();
    }

    // The pumps' decoder (`WsDecoder`, the read pump's three paths: small
    // frames borrowed, whole frames, large bodies read apart and unmasked)
    // takes the same frames whole, with the same verdict, whether the
    // input comes at once or in pieces.
    let min = [1usize, 16, 200, 65536][usize::from(b0 >> 4 & 3)];
    let (w1, v1) = ws_messages(masked, max, bare, min, &[stream]);
    let mut pieces = Vec::new();
    Chunker::new(chunk_byte).split(stream, |p| pieces.push(p.to_vec()));
    let pieces: Vec<&[u8]> = pieces.iter().map(|p| &p[..]).collect();
    let (w2, v2) = ws_messages(masked, max, bare, min, &pieces);
    assert_eq!(
        v1, v2,
        "the pumps' verdict depends on how the input was read"
    );
    assert_eq!(w1, w2, "the pumps' frames depend on how the input was read");
    assert_eq!(v1, r1.map(|_| ()), "the two decoders disagree");
    let mut whole = out1.clone();
    let mut zd = Decoder::new(Version::V3_1, -1);
    while let Ok(Some(_)) = zd.decode(&mut whole) {}
    assert_eq!(
        w1,
        out1[..out1.len() - whole.len()],
        "the two decoders took different frames"
    );

    // Valid ZMTP 3.1: data frames within MAXMSGSIZE, commands only those
    // ws stands for (PING, PONG, READY for bare ZWS2.0's routing id, and
    // what the peer sent flagged COMMAND, within MAXMSGSIZE too).
    let mut zmtp = Decoder::new(Version::V3_1, -1);
    let mut out = out1;
    while let Some(f) = zmtp
        .decode(&mut out)
        .expect("the ws decoder emitted bad ZMTP")
    {
        let synthetic = f.command
            && (f.body.starts_with(b"\x04PING")
                || f.body.starts_with(b"\x04PONG")
                || (bare.is_some() && f.body.starts_with(b"\x05READY")));
        if max >= 0 && !synthetic {
            assert!(f.body.len() as u64 <= max as u64, "a frame over MAXMSGSIZE");
        }
    }
}

/// Runs `WsDecoder` as the read pump does over `pieces` read one after
/// the other: the frames it took (as ZMTP 3.1 bytes) and its verdict.
fn ws_messages(
    masked: bool,
    max: i64,
    bare: Option<&'static str>,
    min: usize,
    pieces: &[&[u8]],
) -> (BytesMut, Result<(), ws::WsError>) {
    let mut d = ws::WsDecoder::new(masked, max, bare);
    let mut buf = BytesMut::new();
    let mut got = BytesMut::new();
    for p in pieces {
        buf.extend_from_slice(p);
        if let Err(e) = pump(&mut d, &mut buf, min, &mut got) {
            return (got, Err(e));
        }
    }
    (got, Ok(()))
}

fn pump(
    d: &mut ws::WsDecoder,
    buf: &mut BytesMut,
    min: usize,
    got: &mut BytesMut,
) -> Result<(), ws::WsError> {
    loop {
        if let Some(f) = d.decode_small(buf, crate::msg::INLINE_CAP, |more, body| {
            (more, body.to_vec())
        })? {
            encode_frame(Version::V3_1, f.0, false, &f.1, got);
            continue;
        }
        if let Some(f) = d.decode(buf)? {
            ws::frame_as_zmtp(&f, got);
            continue;
        }
        if d.closed() {
            assert!(buf.is_empty(), "bytes kept after CLOSE");
            return Ok(());
        }
        match d.large_header(buf, min)? {
            Some(h) => {
                assert!(h.body_len >= min);
                if buf.len() < h.header_len + h.body_len {
                    return Ok(());
                }
                let mut body = buf[h.header_len..h.header_len + h.body_len].to_vec();
                let _ = buf.split_to(h.header_len + h.body_len);
                d.unmask_large(&mut body);
                encode_frame(Version::V3_1, h.more, h.command, &body, got);
            }
            None => return Ok(()),
        }
    }
}

/// Our ZMTP 3.1 byte stream (no greeting: ZWS has none; data frames, PING/PONG,
/// SUBSCRIBE/CANCEL and other commands, built from the input) through a
/// client's or a server's `FrameEncoder`, read back by the other side's
/// `FrameDecoder`: every frame arrives, translated as ZWS 2.0 says.
pub fn ws_encoder(data: &[u8]) {
    let mut inp = Input(data);
    let b0 = inp.u8();
    let client = b0 & 1 != 0;
    let mut chunks = Chunker::new(inp.u8());
    let mut stream = BytesMut::new();
    let mut want = BytesMut::new();
    // The same frames through the pumps' `WsEncoder`: data by header and
    // body (in two parts), subscriptions whole, the rest as command bodies.
    let mut wenc = ws::WsEncoder::new(client, None);
    let mut wwire = BytesMut::new();
    while !inp.is_empty() {
        let at = stream.len();
        let kind = inp.u8();
        let mut len = usize::from(inp.u8());
        if kind & 0x80 != 0 {
            len = len * 256 + 100;
        }
        let body = inp.bytes(len);
        let more = kind & 0x40 != 0;
        let v = Version::V3_1;
        match kind & 7 {
            0 | 1 => {
                encode_frame(v, more, false, body, &mut stream);
                encode_frame(v, more, false, body, &mut want);
                wenc.header(more, false, body.len(), &mut wwire);
                let (x, y) = body.split_at(body.len() / 3);
                wenc.body(x, &mut wwire);
                wenc.body(y, &mut wwire);
                continue;
            }
            2 => {
                let ctx = &body[..body.len().min(PING_MAX_CONTEXT)];
                encode_ping(v, u16::from(kind), ctx, &mut stream);
                encode_ping(v, 0, ctx, &mut want);
            }
            3 => {
                encode_pong(v, body, &mut stream);
                encode_pong(v, body, &mut want);
            }
            4 | 5 => {
                let subscribe = kind & 1 == 0;
                encode_subscription(v, subscribe, body, &mut stream);
                let mut m = vec![u8::from(subscribe)];
                m.extend_from_slice(body);
                encode_frame(v, false, false, &m, &mut want);
                wenc.subscription(subscribe, body, &mut wwire);
                continue;
            }
            6 => {
                crate::zmtp::codec::encode_command(v, b"READY", body, &mut stream);
                crate::zmtp::codec::encode_command(v, b"READY", body, &mut want);
            }
            _ => {
                // Any other command body, even one without a valid name
                // (a name ws translates gets emptied first).
                let mut body = body.to_vec();
                if let Ok((name, _)) = split_name(&Bytes::copy_from_slice(&body)) {
                    if [&b"PING"[..], b"PONG", b"SUBSCRIBE", b"CANCEL"].contains(&&name[..]) {
                        body[0] = 0;
                    }
                }
                encode_frame(v, false, true, &body, &mut stream);
                encode_frame(v, false, true, &body, &mut want);
            }
        }
        // The command's body, as the session queues it.
        let mut frame = BytesMut::from(&stream[at..]);
        let f = crate::zmtp::Decoder::new(v, -1).decode(&mut frame);
        let f = f.ok().flatten().expect("our own command frame");
        wenc.command(&f.body, &mut wwire);
    }
    let mut enc = ws::FrameEncoder::new(client, None);
    let mut wire = BytesMut::new();
    chunks.split(&stream, |p| enc.encode(p, &mut wire));
    let mut dec = ws::FrameDecoder::new(client, -1, None);
    let mut got = BytesMut::new();
    assert_eq!(dec.decode(&mut wire, &mut got), Ok(false));
    assert!(wire.is_empty(), "the encoder left a partial frame");
    assert_eq!(got, want);
    let min = [16usize, 200, 65536, usize::MAX][usize::from(b0 >> 1 & 3)];
    let (wgot, verdict) = ws_messages(client, -1, None, min, &[&wwire]);
    assert_eq!(verdict, Ok(()));
    assert_eq!(wgot, want, "the pumps' encoder and decoder disagree");
}

/// The HTTP/1.1 upgrade: `parse_head` on any bytes (and on its prefixes),
/// then the server's verdict for every mechanism, whose response must
/// satisfy a client; and the client's check of any head.
pub fn ws_http(data: &[u8]) {
    let head = ws::parse_head(data);
    match &head {
        Ok(Some((_, n))) => {
            assert!(*n <= data.len() && *n <= ws::MAX_HEAD);
            assert_eq!(&data[n - 4..*n], b"\r\n\r\n");
            for k in [n - 1, n / 2] {
                assert_eq!(ws::parse_head(&data[..k]), Ok(None));
            }
            assert_eq!(ws::parse_head(&data[..*n]), head);
        }
        Ok(None) => {
            assert!(data.len() <= ws::MAX_HEAD);
            assert!(!data.windows(4).any(|w| w == b"\r\n\r\n"));
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    let Ok(Some((head, _))) = head else {
        return;
    };
    for mech in [&b"NULL"[..], b"PLAIN", b"CURVE"] {
        if let Ok((response, flavour)) = ws::server_accept(&head, mech) {
            let (resp, n) = ws::parse_head(response.as_bytes())
                .expect("our response parses")
                .expect("our response is whole");
            assert_eq!(n, response.len());
            let key = head
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case("Sec-WebSocket-Key"))
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            assert_eq!(ws::client_check(&resp, &key, mech), Ok(flavour));
        }
        let key = head.start_line.clone();
        let _ = ws::client_check(&head, &key, mech);
    }
    // A request we would send, with the head's text as path and host where
    // it is a plain token: the server side accepts it.
    let token = |s: &str| {
        !s.is_empty() && s.len() < 200 && s.bytes().all(|b| b.is_ascii_graphic() && b != b':')
    };
    let path = head.start_line.split(' ').next().unwrap_or("");
    if token(path) {
        let mut mask = ws::MaskGen::new();
        let key = ws::new_key(&mut mask);
        for mech in [&b"NULL"[..], b"PLAIN", b"CURVE"] {
            let req = ws::client_request(path, path, &key, mech);
            let (h, _) = ws::parse_head(req.as_bytes()).unwrap().unwrap();
            assert!(ws::server_accept(&h, mech).is_ok());
        }
    }
}
