//! The real connection code of this process, end to end: listeners fed
//! by hostile peers, connecters fed by a hostile server.

use bytes::{Bytes, BytesMut};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use super::handshake::{curve_keys, mech_name, pair_configs, Mech, ZapPolicy};
use super::*;
use crate::ctx::Ctx;
use crate::options::{opt, OptVal};
use crate::socket::{Socket, DONTWAIT, SNDMORE};
use crate::zmtp::handshake::{Established, Handshake, HandshakeConfig, Progress};
use crate::zmtp::socket_type::*;
use crate::zmtp::subscription::encode_subscription;
use crate::zmtp::ws;

/// A socket of the rig, bound and waiting for connections.
struct Listener {
    socket: Arc<Socket>,
    endpoint: String,
    mech: Mech,
    ws: bool,
    /// The type our well-behaved client plays against it.
    peer_type: i32,
}

/// One context for the whole process, with listeners of every kind and a
/// ZAP handler that lets everyone in.
struct Rig {
    ctx: Arc<Ctx>,
    listeners: Vec<Listener>,
    /// Where `session_client`'s sockets connect: a listener of ours.
    server: std::os::unix::net::UnixListener,
    server_endpoint: String,
}

fn rig() -> &'static Rig {
    static RIG: OnceLock<Rig> = OnceLock::new();
    RIG.get_or_init(|| {
        let ctx = Ctx::new();
        let zap = ctx.socket(ZMQ_REP).expect("ZAP socket");
        zap.bind("inproc://zeromq.zap.01").expect("bind ZAP");
        std::thread::spawn(move || loop {
            let Some(req) = recv_message(&zap, true) else {
                return;
            };
            let id = req.get(1).cloned().unwrap_or_default();
            let reply: [&[u8]; 6] = [b"1.0", &id, b"200", b"OK", b"fuzz", b""];
            for (i, f) in reply.iter().enumerate() {
                let more = if i < 5 { SNDMORE } else { 0 };
                if zap.send_slice(f, more).is_err() {
                    return;
                }
            }
        });
        let (spk, ssk, _, _) = *curve_keys();
        let specs: [(i32, Mech, &str, i32, i64); 8] = [
            (ZMQ_ROUTER, Mech::Null, "ipc", ZMQ_DEALER, -1),
            (ZMQ_ROUTER, Mech::Null, "tcp", ZMQ_DEALER, -1),
            (ZMQ_ROUTER, Mech::Plain, "ipc", ZMQ_DEALER, -1),
            (ZMQ_ROUTER, Mech::Curve, "ipc", ZMQ_DEALER, -1),
            (ZMQ_ROUTER, Mech::Null, "ws", ZMQ_DEALER, -1),
            (ZMQ_XPUB, Mech::Null, "ipc", ZMQ_SUB, -1),
            (ZMQ_PULL, Mech::Null, "ipc", ZMQ_PUSH, 1000),
            (ZMQ_ROUTER, Mech::Curve, "ws", ZMQ_DEALER, -1),
        ];
        let mut listeners = Vec::new();
        for (i, (t, mech, transport, peer_type, max)) in specs.into_iter().enumerate() {
            let s = ctx.socket(t).expect("listener socket");
            let set = |o: i32, v: &[u8]| s.setsockopt(o, v).expect("listener option");
            set(opt::RCVHWM, &0i32.to_ne_bytes());
            set(opt::LINGER, &0i32.to_ne_bytes());
            set(opt::MAXMSGSIZE, &max.to_ne_bytes());
            match mech {
                Mech::Null => {}
                Mech::Plain => set(opt::PLAIN_SERVER, &1i32.to_ne_bytes()),
                Mech::Curve => {
                    set(opt::CURVE_SERVER, &1i32.to_ne_bytes());
                    set(opt::CURVE_SECRETKEY, &ssk);
                }
            }
            let uri = match transport {
                "ipc" => format!("ipc://@monocoque-fuzz-{}-{i}", std::process::id()),
                t => format!("{t}://127.0.0.1:*"),
            };
            s.bind(&uri).expect("bind listener");
            let Ok(OptVal::Str(endpoint)) = s.getsockopt(opt::LAST_ENDPOINT) else {
                panic!("no last endpoint");
            };
            let _ = spk;
            listeners.push(Listener {
                socket: s,
                endpoint,
                mech,
                ws: transport == "ws",
                peer_type,
            });
        }
        let name = format!("monocoque-fuzz-{}-server", std::process::id());
        let server = {
            use std::os::linux::net::SocketAddrExt;
            let a = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes())
                .expect("abstract name");
            std::os::unix::net::UnixListener::bind_addr(&a).expect("bind the hostile server")
        };
        Rig {
            ctx,
            listeners,
            server,
            server_endpoint: format!("ipc://@{name}"),
        }
    })
}

/// One whole message from `s`, blocking or not.
fn recv_message(s: &Socket, block: bool) -> Option<Vec<Bytes>> {
    let mut frames = Vec::new();
    loop {
        let flags = if block || !frames.is_empty() {
            0
        } else {
            DONTWAIT
        };
        let m = s.recv(flags).ok()?;
        frames.push(Bytes::copy_from_slice(m.data()));
        if !m.more() {
            return Some(frames);
        }
    }
}

enum Stream {
    Unix(std::os::unix::net::UnixStream),
    Tcp(std::net::TcpStream),
}

impl Stream {
    fn io(&mut self) -> &mut dyn ReadWrite {
        match self {
            Stream::Unix(s) => s,
            Stream::Tcp(s) => s,
        }
    }

    fn shutdown_write(&self) {
        let _ = match self {
            Stream::Unix(s) => s.shutdown(std::net::Shutdown::Write),
            Stream::Tcp(s) => s.shutdown(std::net::Shutdown::Write),
        };
    }
}

trait ReadWrite: std::io::Read + std::io::Write {}
impl<T: std::io::Read + std::io::Write> ReadWrite for T {}

/// How long a well-behaved peer waits for the library before calling it
/// hung (a hang guard, not a speed check).
const HANG: Duration = Duration::from_secs(20);

/// A client of a rig listener, speaking through the crate's own engine:
/// raw bytes, or ZMTP bytes (over ws: framed by our `FrameEncoder`).
struct Client {
    stream: Stream,
    ws: Option<(ws::FrameEncoder, ws::FrameDecoder, BytesMut)>,
    /// ZMTP bytes received and not yet consumed.
    inbuf: BytesMut,
}

impl Client {
    fn connect(l: &Listener) -> Client {
        let stream = if let Some(name) = l.endpoint.strip_prefix("ipc://@") {
            use std::os::linux::net::SocketAddrExt;
            let a = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes())
                .expect("abstract name");
            let s = std::os::unix::net::UnixStream::connect_addr(&a).expect("connect ipc");
            s.set_read_timeout(Some(HANG)).expect("timeout");
            Stream::Unix(s)
        } else {
            let hp = l.endpoint.split("://").nth(1).unwrap_or("");
            let hp = hp.split('/').next().unwrap_or(hp);
            let s = std::net::TcpStream::connect(hp).expect("connect tcp");
            s.set_read_timeout(Some(HANG)).expect("timeout");
            // No TIME_WAIT pile-up over millions of connections.
            socket2::SockRef::from(&s)
                .set_linger(Some(Duration::ZERO))
                .expect("linger");
            let _ = s.set_nodelay(true);
            Stream::Tcp(s)
        };
        Client {
            stream,
            ws: None,
            inbuf: BytesMut::new(),
        }
    }

    /// One read, retried when a signal interrupts it: libFuzzer's timeout
    /// alarm (SIGALRM) lands on this thread now and then (the library's
    /// threads block signals), and an `EINTR` is not the library's answer.
    fn read_some(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            match self.stream.io().read(buf) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                r => return r,
            }
        }
    }

    fn send_raw(&mut self, b: &[u8]) -> bool {
        self.stream.io().write_all(b).is_ok()
    }

    fn send_zmtp(&mut self, b: &[u8]) -> bool {
        match &mut self.ws {
            None => self.send_raw(b),
            Some((enc, _, _)) => {
                let mut out = BytesMut::new();
                enc.encode(b, &mut out);
                self.send_raw(&out)
            }
        }
    }

    /// Reads once; false at end of stream or on error.
    fn recv_zmtp(&mut self) -> bool {
        let mut tmp = [0u8; 16384];
        let n = match self.read_some(&mut tmp) {
            Ok(0) | Err(_) => return false,
            Ok(n) => n,
        };
        match &mut self.ws {
            None => self.inbuf.extend_from_slice(&tmp[..n]),
            Some((_, dec, raw)) => {
                raw.extend_from_slice(&tmp[..n]);
                if dec.decode(raw, &mut self.inbuf) != Ok(false) {
                    return false;
                }
            }
        }
        true
    }

    /// The ws upgrade, as our connecter does it.
    fn upgrade(&mut self, l: &Listener) -> bool {
        let mech = mech_name(l.mech);
        let key = ws::new_key(&mut ws::MaskGen::new());
        let req = ws::client_request("/", "127.0.0.1", &key, mech);
        if !self.send_raw(req.as_bytes()) {
            return false;
        }
        let mut raw = Vec::new();
        let mut tmp = [0u8; 4096];
        loop {
            match ws::parse_head(&raw) {
                Ok(Some((head, n))) => {
                    assert!(ws::client_check(&head, &key, mech).is_ok(), "bad ws answer");
                    let mut rest = BytesMut::from(&raw[n..]);
                    let mut inbuf = BytesMut::new();
                    let mut dec = ws::FrameDecoder::new(false, -1, None);
                    let _ = dec.decode(&mut rest, &mut inbuf);
                    self.inbuf = inbuf;
                    self.ws = Some((ws::FrameEncoder::new(true, None), dec, rest));
                    return true;
                }
                Ok(None) => {}
                Err(e) => panic!("ws answer: {e}"),
            }
            match self.read_some(&mut tmp) {
                Ok(0) | Err(_) => return false,
                Ok(n) => raw.extend_from_slice(&tmp[..n]),
            }
        }
    }

    /// A complete, honest handshake as the listener's well-behaved peer.
    fn handshake(&mut self, l: &Listener) -> Option<Established> {
        let (_, pcfg) = pair_configs(l.mech, 1, 0);
        self.handshake_as(HandshakeConfig {
            socket_type: l.peer_type,
            ..pcfg
        })
    }

    /// A complete, honest handshake with `cfg` (a server lets ZAP allow).
    fn handshake_as(&mut self, cfg: HandshakeConfig) -> Option<Established> {
        // Over ws the upgrade replaced the greeting (ZWS 2.0).
        let mut hs = if self.ws.is_some() {
            Handshake::without_greeting(cfg).ok()?
        } else {
            Handshake::new(cfg)
        };
        for _ in 0..100 {
            // What `input` queued must go out before we wait for more.
            let mut progress = hs.input(&mut self.inbuf);
            if let Ok(Progress::Zap(_)) = progress {
                progress = match hs.zap_reply(ZapPolicy::Allow.reply()) {
                    Ok(Progress::NeedMore) => hs.input(&mut self.inbuf),
                    other => other,
                };
            }
            let out = with_commands(hs.output().split(), hs.take_commands());
            if !out.is_empty() && !self.send_zmtp(&out) {
                return None;
            }
            match progress {
                Ok(Progress::Done(mut est)) => {
                    let commands = std::mem::take(&mut est.commands);
                    let out = with_commands(est.output.split(), commands);
                    return self.send_zmtp(&out).then_some(*est);
                }
                Ok(Progress::NeedMore) => {
                    if !self.recv_zmtp() {
                        return None;
                    }
                }
                Ok(Progress::Zap(_)) | Err(_) => return None,
            }
        }
        None
    }

    /// Closes our side and waits for the library to close its side.
    fn finish(mut self) {
        self.stream.shutdown_write();
        let mut tmp = [0u8; 16384];
        loop {
            match self.read_some(&mut tmp) {
                Ok(0) => return,
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return,
                Err(e) => panic!("the library kept a closed peer's connection open: {e}"),
            }
        }
    }
}

/// Waits for a message whose last frame is `body` on `s`.
fn await_message(s: &Socket, body: &[u8]) -> Vec<Bytes> {
    let start = std::time::Instant::now();
    loop {
        match recv_message(s, false) {
            Some(m) if m.last().is_some_and(|b| b[..] == *body) => return m,
            Some(_) => {}
            None => {
                assert!(start.elapsed() < HANG, "a well-behaved peer was not served");
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    }
}

/// A well-behaved peer still gets served after the hostile one.
fn health_check(l: &Listener) {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let token = format!(
        "health-{}",
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let mut c = Client::connect(l);
    assert!(!l.ws || c.upgrade(l), "ws upgrade refused");
    let mut est = c
        .handshake(l)
        .expect("a well-behaved peer's handshake failed");
    let mut out = BytesMut::new();
    let frame = |est: &mut Established, sub: bool, body: &[u8], out: &mut BytesMut| match (
        &mut est.cipher,
        sub,
    ) {
        (Some(ci), true) => ci.tx.seal_subscription(true, body, out),
        (Some(ci), false) => ci.tx.seal(0, body, out),
        (None, true) => encode_subscription(est.version, true, body, out),
        (None, false) => est.encoder.message(false, body, out),
    };
    let sub = l.peer_type == ZMQ_SUB;
    frame(&mut est, sub, token.as_bytes(), &mut out);
    assert!(c.send_zmtp(&out));
    if sub {
        let mut want = vec![1u8];
        want.extend_from_slice(token.as_bytes());
        await_message(&l.socket, &want);
    } else if l.peer_type == ZMQ_DEALER {
        let m = await_message(&l.socket, token.as_bytes());
        l.socket.send_slice(&m[0], SNDMORE).expect("route back");
        l.socket.send_slice(b"pong", 0).expect("reply");
        loop {
            match est.decoder.decode(&mut c.inbuf).expect("valid reply") {
                Some(f) => {
                    let body = match &mut est.cipher {
                        Some(ci) => ci.rx.open(&f.body).expect("sealed reply").1,
                        None => f.body,
                    };
                    if !f.command || est.cipher.is_some() {
                        assert_eq!(&body[..], b"pong");
                        break;
                    }
                }
                None => assert!(c.recv_zmtp(), "no reply for a well-behaved peer"),
            }
        }
    } else {
        await_message(&l.socket, token.as_bytes());
    }
    c.finish();
}

/// The real connection code end to end (listener, handshake, read and
/// write pumps, ws adapter, ZAP): one of eight sockets bound in this
/// process (NULL ROUTER over ipc, tcp and ws; PLAIN and CURVE ROUTERs with
/// a ZAP handler; CURVE over ws; an XPUB; a PULL with MAXMSGSIZE 1000)
/// gets the input from a peer that then closes. The process must survive
/// (no panic, no abort, no oversized allocation), must close the
/// connection, and (when asked) must still serve a well-behaved peer.
///
/// Input: `config payload`. Config bits 0-2 pick the listener; bits 3-4
/// the mode: 0 raw bytes from the first octet, 1 after a valid greeting
/// (ws: after the upgrade), 2 after a complete honest handshake (raw
/// ZMTP; ws: raw WebSocket frames), 3 after the handshake as records
/// `flags len body` our engine frames (and seals for CURVE); bit 5 runs
/// the well-behaved peer afterwards.
pub fn session(data: &[u8]) {
    let rig = rig();
    let mut inp = Input(data);
    let b0 = inp.u8();
    let l = &rig.listeners[usize::from(b0 & 7)];
    let mode = (b0 >> 3) & 3;
    let payload = inp.rest();
    let mut c = Client::connect(l);
    match mode {
        0 => {
            c.send_raw(payload);
        }
        1 => {
            if l.ws {
                if c.upgrade(l) {
                    c.send_raw(payload);
                }
            } else {
                let mut g = v3_greeting(mech_name(l.mech)).to_vec();
                g.extend_from_slice(payload);
                c.send_raw(&g);
            }
        }
        _ => {
            if l.ws && !c.upgrade(l) {
                panic!("ws upgrade refused");
            }
            let mut est = c.handshake(l).expect("an honest handshake failed");
            if mode == 2 {
                c.send_raw(payload);
            } else {
                let out = encode_records(payload, &mut est);
                c.send_zmtp(&out);
            }
        }
    }
    c.finish();
    for l in &rig.listeners {
        while recv_message(&l.socket, false).is_some() {}
    }
    if b0 & 0x20 != 0 {
        health_check(l);
    }
}

/// The connecting side end to end, against a hostile server: a socket of
/// ours (DEALER, SUB, PUSH or REQ; NULL, PLAIN or CURVE client; reconnect
/// off) connects to a listener this target holds, which sends the input and
/// closes. The process must survive, the library must close the connection
/// once the server has, and the socket must close cleanly.
///
/// Input: `config payload`. Config bits 0-1 the mechanism (mod 3), bits
/// 2-3 the socket type, bits 4-5 the mode: 0 raw bytes from the first
/// octet, 1 after a valid 3.1 greeting, 2 after a complete honest server
/// handshake (raw ZMTP), 3 after it as records `flags len body` our engine
/// frames (and seals for CURVE).
pub fn session_client(data: &[u8]) {
    let rig = rig();
    let mut inp = Input(data);
    let b0 = inp.u8();
    let mech = [Mech::Null, Mech::Plain, Mech::Curve][usize::from(b0 & 3) % 3];
    let (ours, theirs) = [
        (ZMQ_DEALER, ZMQ_ROUTER),
        (ZMQ_SUB, ZMQ_XPUB),
        (ZMQ_PUSH, ZMQ_PULL),
        (ZMQ_REQ, ZMQ_REP),
    ][usize::from((b0 >> 2) & 3)];
    let mode = (b0 >> 4) & 3;
    let payload = inp.rest();

    let s = rig.ctx.socket(ours).expect("client socket");
    let set = |o: i32, v: &[u8]| s.setsockopt(o, v).expect("client option");
    set(opt::LINGER, &0i32.to_ne_bytes());
    set(opt::RECONNECT_IVL, &(-1i32).to_ne_bytes());
    let (spk, _, cpk, csk) = *curve_keys();
    match mech {
        Mech::Null => {}
        Mech::Plain => {
            set(opt::PLAIN_USERNAME, b"admin");
            set(opt::PLAIN_PASSWORD, b"secret");
        }
        Mech::Curve => {
            set(opt::CURVE_SERVERKEY, &spk);
            set(opt::CURVE_PUBLICKEY, &cpk);
            set(opt::CURVE_SECRETKEY, &csk);
        }
    }
    if ours == ZMQ_SUB {
        set(opt::SUBSCRIBE, b"");
    }
    s.connect(&rig.server_endpoint).expect("connect");
    let (stream, _) = rig
        .server
        .accept()
        .expect("accept the library's connection");
    stream.set_read_timeout(Some(HANG)).expect("timeout");
    let mut c = Client {
        stream: Stream::Unix(stream),
        ws: None,
        inbuf: BytesMut::new(),
    };
    match mode {
        0 => {
            c.send_raw(payload);
        }
        1 => {
            let mut g = v3_greeting(mech_name(mech)).to_vec();
            g.extend_from_slice(payload);
            c.send_raw(&g);
        }
        _ => {
            let (server, _) = pair_configs(mech, 1, 0);
            let cfg = HandshakeConfig {
                socket_type: theirs,
                ..server
            };
            let mut est = c
                .handshake_as(cfg)
                .expect("the library refused an honest server");
            if mode == 2 {
                c.send_raw(payload);
            } else {
                let out = encode_records(payload, &mut est);
                c.send_raw(&out);
            }
        }
    }
    c.finish();
    while recv_message(&s, false).is_some() {}
    rig.ctx.close_socket(&s);
}

/// Turns fuzz records (`flags len body`, a length times 64 when flags has
/// 0x80) into the frames an honest peer sends after its handshake: data
/// frames (MORE from bit 0), commands (bit 1), CURVE boxes when the
/// handshake agreed a cipher.
fn encode_records(payload: &[u8], est: &mut Established) -> BytesMut {
    let mut recs = Input(payload);
    let mut out = BytesMut::new();
    while !recs.is_empty() {
        let flags = recs.u8();
        let len = usize::from(recs.u8()) * if flags & 0x80 != 0 { 64 } else { 1 };
        let body = recs.bytes(len);
        match &mut est.cipher {
            Some(ci) => ci.tx.seal(flags & 3, body, &mut out),
            None if flags & 2 != 0 && !body.is_empty() => {
                est.encoder.command(&body[..1], &body[1..], &mut out)
            }
            None => est.encoder.message(flags & 1 != 0, body, &mut out),
        }
    }
    out
}

/// The handshake's output with its commands (ZWS: kept as bodies) after it
/// as ZMTP command frames, for `send_zmtp` (which re-frames them over ws).
fn with_commands(mut out: BytesMut, commands: Vec<Bytes>) -> BytesMut {
    for c in commands {
        crate::zmtp::codec::encode_frame(crate::zmtp::Version::V3_1, false, true, &c, &mut out);
    }
    out
}
