//! The write pump with a direct writer: what a partial direct write left
//! goes out first, before the messages queued behind it.

use super::*;
use crate::io::direct::forget_last_send;
use parking_lot::Mutex;

/// A kernel that takes `first` bytes of the first direct send, then
/// refuses nothing (the pump writes through its own stream).
struct Partial {
    first: usize,
    taken: Mutex<Vec<u8>>,
}

impl Kernel for Arc<Partial> {
    fn send(&self, buf: &[u8]) -> Result<usize, i32> {
        let mut t = self.taken.lock();
        let n = if t.is_empty() { self.first } else { buf.len() };
        t.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    compio::runtime::RuntimeBuilder::new()
        .with_proactor(crate::io::runtime::proactor())
        .build()
        .unwrap()
        .block_on(f)
}

#[test]
fn the_write_pump_sends_a_direct_writes_tail_before_the_queue() {
    let (mut app, sess) = pipe_pair(100, 100, false);
    let k = Arc::new(Partial {
        first: 3,
        taken: Mutex::new(Vec::new()),
    });
    let d = Arc::new(Direct::with_kernel(k.clone(), zmtp::Version::V3_1, false));
    sess.set_direct_sink(Some(d.clone() as Arc<dyn DirectSink>));
    forget_last_send();
    app.write(Msg::from_slice(b"first")).unwrap();
    assert_eq!(
        &k.taken.lock()[..],
        b"\x00\x05f",
        "went out directly, in part"
    );
    assert!(d.has_spill());
    forget_last_send();
    // Refused by the direct writer (a tail waits): queued for the pump.
    app.write(Msg::from_slice(b"second")).unwrap();
    assert_eq!(k.taken.lock().len(), 3);
    app.close();

    let pipe = Rc::new(RefCell::new(sess));
    let ctl = Control::default();
    let mut encoder = Encoder::new(zmtp::Version::V3_1);
    let mut wire: Vec<u8> = Vec::new();
    let end = block_on(write_pump(
        &mut wire,
        &pipe,
        &ctl,
        &mut encoder,
        Some(&*d),
        false,
        None,
    ));
    assert_eq!(end, End::SocketClosed);
    assert_eq!(&wire[..], b"irst\x00\x06second");
    assert!(!d.has_spill());
    // The pump released the write side: the application may write again.
    forget_last_send();
    assert_eq!(
        d.try_write(&[Msg::from_slice(b"x")]),
        crate::pipe::DirectWrite::Written
    );
}

/// Runs a write pump with no direct writer over `sess`, whose writer has
/// queued its messages and closed: what went on the wire (the pump ends
/// when the queue is drained).
fn pump_closed<E: TxFraming>(sess: PipeEnd, ctl: &Control, encoder: &mut E) -> Vec<u8> {
    let pipe = Rc::new(RefCell::new(sess));
    let mut wire: Vec<u8> = Vec::new();
    let end = block_on(write_pump::<_, Arc<Partial>, _>(
        &mut wire, &pipe, ctl, encoder, None, false, None,
    ));
    assert_eq!(end, End::SocketClosed);
    wire
}

/// Runs a write pump over what `frames` queue, written and closed before
/// it starts: the wire and the pump's yields.
fn pump_queued(frames: &[(&[u8], bool)]) -> (Vec<u8>, u32) {
    let (mut app, sess) = pipe_pair(100, 100, false);
    for (body, more) in frames {
        let mut m = Msg::from_slice(body);
        m.set_more(*more);
        app.write(m).unwrap();
    }
    app.close();
    write::YIELDS.with(|y| y.set(0));
    let wire = pump_closed(
        sess,
        &Control::default(),
        &mut Encoder::new(zmtp::Version::V3_1),
    );
    (wire, write::YIELDS.with(|y| y.get()))
}

#[test]
fn the_write_pump_yields_once_after_a_streamed_batch_and_never_after_a_single_frame() {
    // Several messages in one batch: a writer is streaming; nothing more
    // is queued after the write, so the pump yields once before it looks
    // again (and then finds the end).
    let (wire, yields) = pump_queued(&[(b"a", false), (b"b", false), (b"c", false)]);
    assert_eq!(&wire[..], b"\x00\x01a\x00\x01b\x00\x01c");
    // (None with MONOCOQUE_SPIN_US=0.)
    let spin = u32::from(crate::io::signaler::spinning());
    assert_eq!(yields, spin);
    // One message alone (a request that missed the direct write): no yield.
    let (wire, yields) = pump_queued(&[(b"only", false)]);
    assert_eq!(&wire[..], b"\x00\x04only");
    assert_eq!(yields, 0);
    // A multipart message is more than one frame: it counts as streaming.
    let (wire, yields) = pump_queued(&[(b"k", true), (b"v", false)]);
    assert_eq!(&wire[..], b"\x01\x01k\x00\x01v");
    assert_eq!(yields, spin);
}

/// A reader over fixed bytes that records how much each read asked for;
/// no read crosses a cut (the peer's writes as they arrive).
struct Recorder {
    data: Vec<u8>,
    pos: usize,
    asks: Vec<usize>,
    cuts: Vec<usize>,
}

impl AsyncRead for Recorder {
    async fn read<B: compio::buf::IoBufMut>(&mut self, mut buf: B) -> BufResult<usize, B> {
        self.asks.push(buf.as_uninit().len());
        let end = (self.cuts.iter())
            .find(|&&c| c > self.pos)
            .map_or(self.data.len(), |&c| c);
        let mut src = &self.data[self.pos..end];
        let BufResult(res, buf) = src.read(buf).await;
        if let Ok(n) = res {
            self.pos += n;
        }
        BufResult(res, buf)
    }
}

/// What a read pump made of `wire` (read through a `Recorder`): how it
/// ended, the errno it reported, the frames it put in the pipe (metadata
/// marks left out), what it queued for the peer, and the sizes it asked
/// the kernel for.
struct PumpRun {
    end: End,
    errno: i32,
    frames: Vec<(Vec<u8>, bool)>,
    /// Commands queued for the peer (bodies).
    to_peer: Vec<Bytes>,
    asks: Vec<usize>,
}

fn run_read_pump<D: RxFraming>(wire: &[u8], decoder: D) -> PumpRun {
    run_read_pump_cut(wire, &[], BytesMut::new(), decoder)
}

/// `run_read_pump` with reads that stop at `cuts`, from `buf`.
fn run_read_pump_cut<D: RxFraming>(
    wire: &[u8],
    cuts: &[usize],
    buf: BytesMut,
    mut decoder: D,
) -> PumpRun {
    let mut r = Recorder {
        data: wire.to_vec(),
        pos: 0,
        asks: Vec::new(),
        cuts: cuts.to_vec(),
    };
    let (ours, mut theirs) = pipe_pair(1000, 1000, false);
    let pipe = Rc::new(RefCell::new(ours));
    let ctl = Control::default();
    let read_errno = std::cell::Cell::new(0);
    let conn = Conn {
        pipe: &pipe,
        ctl: &ctl,
        version: zmtp::Version::V3_1,
        hb: None,
        read_errno: &read_errno,
        groups: false,
    };
    let end = block_on(read_pump(&mut r, buf, &mut decoder, &mut Plain, &conn));
    let mut frames = Vec::new();
    while let Some(m) = theirs.read() {
        if !m.is_meta_mark() {
            frames.push((m.data().to_vec(), m.more()));
        }
    }
    let to_peer = ctl.commands.borrow().clone();
    PumpRun {
        end,
        errno: read_errno.get(),
        frames,
        to_peer,
        asks: r.asks,
    }
}

fn frame(body: &[u8], more: bool, out: &mut BytesMut) {
    zmtp::encode_header(zmtp::Version::V3_1, more, false, body.len(), out);
    out.extend_from_slice(body);
}

#[test]
fn the_read_after_a_large_body_takes_only_a_header_and_every_frame_arrives() {
    let big1: Vec<u8> = (0..200_000u32).map(|i| i as u8).collect();
    let big2: Vec<u8> = (0..150_000u32).map(|i| (i * 7) as u8).collect();
    let mut wire = BytesMut::new();
    frame(&big1, true, &mut wire);
    frame(&big2, false, &mut wire);
    frame(b"small", false, &mut wire);
    frame(&big1, false, &mut wire);
    let run = run_read_pump(&wire, Decoder::new(zmtp::Version::V3_1, -1));
    // The bytes ran out: an orderly close.
    assert_eq!(run.end, End::Disconnected);
    assert_eq!(run.errno, libc::EPIPE);
    assert_eq!(
        run.frames,
        vec![
            (big1.clone(), true),
            (big2, false),
            (b"small".to_vec(), false),
            (big1, false),
        ]
    );
    // After each large body, one short read for the next header (so a
    // large body behind it is read into its own buffer, not copied).
    assert_eq!(
        run.asks.iter().filter(|&&a| a == read::HEADER_PEEK).count(),
        3,
        "reads: {:?}",
        run.asks
    );
}

/// A client's (masked) ws messages, as `WsEncoder` writes them.
fn ws_message(enc: &mut zmtp::ws::WsEncoder, body: &[u8], more: bool, out: &mut BytesMut) {
    enc.header(more, false, body.len(), out);
    enc.body(body, out);
}

#[test]
fn the_read_pump_takes_ws_messages_as_frames_large_masked_bodies_included() {
    let big1: Vec<u8> = (0..200_000u32).map(|i| (i * 3) as u8).collect();
    let big2: Vec<u8> = (0..70_000u32).map(|i| (i * 7) as u8).collect();
    let mut enc = zmtp::ws::WsEncoder::new(true, None);
    let mut wire = BytesMut::new();
    ws_message(&mut enc, &big1, true, &mut wire);
    ws_message(&mut enc, b"tail", false, &mut wire);
    // A WebSocket PING stands for a ZMTP PING: answered with a PONG.
    enc.command(&zmtp::command::ping_body(0, b"ctx"), &mut wire);
    ws_message(&mut enc, b"small", false, &mut wire);
    ws_message(&mut enc, &big2, false, &mut wire);
    // CLOSE (masked, empty): the end of the stream, before the bytes run
    // out.
    wire.extend_from_slice(&[0x88, 0x80, 1, 2, 3, 4]);
    ws_message(&mut enc, b"after close", false, &mut wire);
    let run = run_read_pump(&wire, zmtp::ws::WsDecoder::new(true, -1, None));
    assert_eq!(run.end, End::Disconnected);
    assert_eq!(run.errno, libc::EPIPE);
    assert_eq!(
        run.frames,
        vec![
            (big1, true),
            (b"tail".to_vec(), false),
            (b"small".to_vec(), false),
            (big2, false),
        ]
    );
    assert_eq!(run.to_peer, vec![zmtp::command::pong_body(b"ctx")]);
}

#[test]
fn a_ws_message_over_maxmsgsize_is_refused_on_its_header() {
    let mut wire = BytesMut::new();
    // An unmasked server message announcing 2^40 bytes.
    wire.extend_from_slice(&[0x82, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    let run = run_read_pump(&wire, zmtp::ws::WsDecoder::new(false, 1 << 20, None));
    assert_eq!(run.end, End::ProtocolError);
}

#[test]
fn the_write_pump_writes_ws_messages_masked_for_a_client_and_large_bodies_whole() {
    for client in [false, true] {
        let big: Vec<u8> = (0..100_000u32).map(|i| (i * 5) as u8).collect();
        let (sess, mut app) = pipe_pair(1000, 1000, false);
        let mut m = Msg::from_bytes(Bytes::from(big.clone()));
        m.set_more(true);
        app.write(m).unwrap();
        app.write(Msg::from_slice(b"end")).unwrap();
        app.close();
        let ctl = Control::default();
        ctl.push(zmtp::command::pong_body(b"c"));
        let wire = pump_closed(sess, &ctl, &mut zmtp::ws::WsEncoder::new(client, None));
        // The peer's decoder reads it back.
        let mut dec = zmtp::ws::WsDecoder::new(client, -1, None);
        let mut buf = BytesMut::from(&wire[..]);
        let mut frames = Vec::new();
        while let Some(f) = dec.decode(&mut buf).unwrap() {
            frames.push((f.body.to_vec(), f.more, f.command));
        }
        assert!(buf.is_empty());
        assert_eq!(
            frames,
            vec![
                (b"\x04PONGc".to_vec(), false, true),
                (big, true, false),
                (b"end".to_vec(), false, false),
            ],
            "client {client}"
        );
        // A PONG goes as a WebSocket PONG control frame.
        assert_eq!(wire[0], 0x8A);
        assert_eq!(wire[1] & 0x80 != 0, client);
    }
}

#[test]
fn the_raw_framing_turns_each_read_into_one_frame_whatever_it_holds() {
    let mut dec = raw::RawDecoder;
    let mut buf = BytesMut::from(&b"tiny"[..]);
    let small = dec.decode_small(&mut buf, 8, |more, body| (more, body.to_vec()));
    assert_eq!(small.unwrap(), Some((false, b"tiny".to_vec())));
    assert!(buf.is_empty());
    assert_eq!(dec.decode(&mut buf).unwrap(), None);
    // Bigger than inline: taken whole by `decode`, a ZMTP header or not.
    let mut buf = BytesMut::from(&b"\x04\x05\x04PING0123456789"[..]);
    assert_eq!(
        dec.decode_small(&mut buf, 8, |_, _| ()).unwrap(),
        None,
        "too large to copy inline"
    );
    let f = dec.decode(&mut buf).unwrap().expect("a frame");
    assert_eq!(
        (&f.body[..], f.more, f.command),
        (&b"\x04\x05\x04PING0123456789"[..], false, false)
    );
    assert!(buf.is_empty());
    assert_eq!(dec.large_header(&[0xff; 64], 1).unwrap(), None);
    assert!(!dec.closed());
}

#[test]
fn the_read_pump_over_raw_delivers_each_read_as_a_message_and_answers_nothing() {
    let tiny = b"hi".to_vec();
    // ZMTP bytes (a PING command) mean nothing here: data.
    let mut ping = BytesMut::new();
    zmtp::command::encode_ping(zmtp::Version::V3_1, 0, b"ctx", &mut ping);
    let mid: Vec<u8> = (0..1000u32).map(|i| i as u8).collect();
    let big: Vec<u8> = (0..200_000u32).map(|i| (i * 7) as u8).collect();
    let mut wire = Vec::new();
    let mut cuts = Vec::new();
    for part in [&tiny[..], &ping[..], &mid[..], &big[..]] {
        wire.extend_from_slice(part);
        cuts.push(wire.len());
    }
    let run = run_read_pump_cut(
        &wire,
        &cuts,
        BytesMut::with_capacity(READ_CHUNK),
        raw::RawDecoder,
    );
    assert_eq!(run.end, End::Disconnected);
    assert_eq!(run.errno, libc::EPIPE);
    assert!(run.to_peer.is_empty(), "no PONG: raw has no commands");
    assert!(run.frames.iter().all(|(_, more)| !more));
    let bodies: Vec<&[u8]> = run.frames.iter().map(|(b, _)| &b[..]).collect();
    assert_eq!(bodies[..3], [&tiny[..], &ping[..], &mid[..]]);
    // A large write arrives in reads of at most READ_CHUNK bytes, each a
    // message, nothing lost or reordered.
    let rest = &bodies[3..];
    assert!(
        rest.len() >= big.len() / READ_CHUNK,
        "reads: {:?}",
        run.asks
    );
    assert!(rest.iter().all(|b| !b.is_empty() && b.len() <= READ_CHUNK));
    assert_eq!(rest.concat(), big);
}

#[test]
fn the_write_pump_over_raw_writes_bodies_without_headers() {
    let big: Vec<u8> = (0..100_000u32).map(|i| (i * 5) as u8).collect();
    let (sess, mut app) = pipe_pair(1000, 1000, false);
    app.write(Msg::from_slice(b"abc")).unwrap();
    // Large: written uncopied, as a segment of its own.
    app.write(Msg::from_bytes(Bytes::from(big.clone())))
        .unwrap();
    app.write(Msg::new()).unwrap();
    app.write(Msg::from_slice(b"end")).unwrap();
    app.close();
    let wire = pump_closed(sess, &Control::default(), &mut raw::RawEncoder);
    let mut want = b"abc".to_vec();
    want.extend_from_slice(&big);
    want.extend_from_slice(b"end");
    assert_eq!(wire, want);
}

#[test]
fn the_hello_goes_out_in_the_connections_framing() {
    let hello = Some(&b"hi there"[..]);
    let mut zmtp_out = BytesMut::new();
    let mut enc = Encoder::new(zmtp::Version::V3_1);
    notify::hello(hello, &mut enc, None, &mut zmtp_out);
    assert_eq!(&zmtp_out[..], b"\x00\x08hi there");
    for client in [false, true] {
        let mut out = BytesMut::new();
        let mut enc = zmtp::ws::WsEncoder::new(client, None);
        notify::hello(hello, &mut enc, None, &mut out);
        let mut dec = zmtp::ws::WsDecoder::new(client, -1, None);
        let f = dec.decode(&mut out).unwrap().expect("one message");
        assert_eq!(
            (&f.body[..], f.more, f.command),
            (&b"hi there"[..], false, false)
        );
        assert!(out.is_empty(), "client {client}");
    }
    let mut out = BytesMut::new();
    notify::hello(None, &mut enc, None, &mut out);
    assert!(out.is_empty(), "no hello, no bytes");
}

/// CURVE over ws: each sealed frame is one plain (non-command,
/// single-part) ws message whose body is the MESSAGE command, as a ZWS 2.0
/// peer (libzmq) expects; a subscription is a SUBSCRIBE/CANCEL command in
/// the box. Both directions (client frames masked, server's not).
#[test]
fn curve_over_ws_seals_each_frame_into_one_plain_ws_message() {
    use crate::zmtp::mechanism::curve::{FLAG_COMMAND, FLAG_MORE};
    let (mut cc, mut sc) = crate::zmtp::ws::tests::curve_ciphers();
    for client in [true, false] {
        let (tx, rx) = if client {
            (&mut cc.tx, &mut sc.rx)
        } else {
            (&mut sc.tx, &mut cc.rx)
        };
        let mut enc = zmtp::ws::WsEncoder::new(client, None);
        let big = vec![9u8; 70_000];
        let mut wire = BytesMut::new();
        TxFraming::seal(&mut enc, tx, FLAG_MORE, b"hello", &mut wire);
        TxFraming::seal(&mut enc, tx, 0, &big, &mut wire);
        TxFraming::seal_subscription(&mut enc, tx, true, b"topic", &mut wire);
        TxFraming::seal_subscription(&mut enc, tx, false, b"t", &mut wire);
        // PING and PONG, sealed one box each.
        for c in [
            zmtp::command::ping_body(10, b"ctx"),
            zmtp::command::pong_body(b"ctx"),
        ] {
            TxFraming::command(&mut enc, &c, Some(&mut *tx), &mut wire);
        }
        let mut dec = zmtp::ws::WsDecoder::new(client, -1, None);
        let mut got = Vec::new();
        while let Some(f) = dec.decode(&mut wire).unwrap() {
            assert!(!f.more && !f.command, "a sealed box is a plain message");
            let (flags, body) = rx.open(&f.body).unwrap();
            got.push((flags, body.to_vec()));
        }
        assert!(wire.is_empty());
        if !client {
            // The same bytes as the former path (a whole ZMTP frame
            // re-framed from ZMTP) but for the box itself.
            let (mut z, mut old, mut new) = (BytesMut::new(), BytesMut::new(), BytesMut::new());
            tx.seal(FLAG_MORE, b"hello", &mut z);
            zmtp::ws::FrameEncoder::new(false, None).encode(&z, &mut old);
            TxFraming::seal(&mut enc, tx, FLAG_MORE, b"hello", &mut new);
            assert_eq!(old.len(), new.len());
            assert_eq!(old[..11], new[..11], "ws header, flags, \\x07MESSAGE");
        }
        assert_eq!(
            got,
            vec![
                (FLAG_MORE, b"hello".to_vec()),
                (0, big),
                (FLAG_COMMAND, b"\x09SUBSCRIBEtopic".to_vec()),
                (FLAG_COMMAND, b"\x06CANCELt".to_vec()),
                (FLAG_COMMAND, b"\x04PING\x00\x0actx".to_vec()),
                (FLAG_COMMAND, b"\x04PONGctx".to_vec()),
            ]
        );
    }
}
