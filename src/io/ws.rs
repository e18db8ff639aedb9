//! The `ws://` transport (ZWS 2.0, RFC 45), and `wss://` (the same over
//! TLS, `io::tls`, in a build with the `wss` feature): tcp listeners and connecters
//! from `tcp.rs`, an HTTP/1.1 upgrade, then the ordinary session with the
//! ZWS framing (`Via::Zws`: `zmtp::ws::WsDecoder`/`WsEncoder`, one
//! WebSocket message per frame, read and written by the session's own
//! pumps). Mechanisms, heartbeats and the pumps are the session's: no
//! ZMTP greeting (the subprotocol named the mechanism, whose handshake
//! starts at once), and application threads never write to a ws
//! connection's fd directly.
//!
//! Addresses are `ws://host:port[/path]`, resolved like tcp; as in libzmq
//! the path is what follows the last `/` (default `/`), the bound endpoint
//! reports the actual port and the path, and the server ignores the path a
//! client asks for.

use crate::error::{Error, Result};
use crate::io::addr;
use crate::io::capped::Capped;
use crate::io::owner::{event, Owner};
use crate::io::session::{serve_stream, End, SessionCtx, Via, Zws};
use crate::io::stop::{select, Either, Stop};
use crate::io::tcp::{self, Served};
use crate::options::{Options, MECH_CURVE, MECH_PLAIN};
use crate::pipe::PipeEnd;
use crate::zmtp::ws::{
    client_check, client_request, new_key, parse_head, server_accept, Flavour, MaskGen, WsDecoder,
    WsEncoder, WsError,
};
use crate::zmtp::{compatible, socket_type_name};

use bytes::{Buf, BytesMut};
use compio::buf::BufResult;
use compio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use std::cell::RefCell;
use std::net::SocketAddr;
use std::os::fd::AsRawFd;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

/// libzmq's `ZMQ_PROTOCOL_ERROR_WS_UNSPECIFIED`.
const PROTOCOL_ERROR_WS_UNSPECIFIED: u32 = 0x3000_0000;

/// Splits `host:port[/path]` as libzmq does: the path starts at the last
/// `/`, and is `/` when there is none.
fn split_path(address: &str) -> Result<(&str, String)> {
    if !address.contains(':') {
        return Err(Error::INVAL);
    }
    Ok(match address.rfind('/') {
        Some(i) => (&address[..i], address[i..].to_string()),
        None => (address, "/".to_string()),
    })
}

fn ws_uri(scheme: &str, a: &SocketAddr, path: &str) -> String {
    let tcp = addr::tcp_uri(a);
    format!("{scheme}://{}{path}", &tcp["tcp://".len()..])
}

/// A connect address's `host:port`: libzmq's resolver ends the port at a
/// `/` (so `ws://h:5/a/b` dials `h:5` and asks for `/b`).
fn connect_host_port(host_port: &str) -> &str {
    match host_port.rfind(':') {
        Some(c) => match host_port[c..].find('/') {
            Some(s) => &host_port[..c + s],
            None => host_port,
        },
        None => host_port,
    }
}

/// What `ZMQ_LAST_ENDPOINT` says after connecting to `ws://address`.
pub fn connect_last_endpoint(scheme: &str, address: &str) -> String {
    match split_path(address) {
        Ok((hp, path)) => format!("{scheme}://{}{path}", connect_host_port(hp)),
        Err(_) => format!("{scheme}://{address}"),
    }
}

/// Binds `ws://` (or, with `tls`, `wss://`: the certificate and key must
/// load, else `EINVAL`).
pub fn bind_ws(
    owner: &Arc<dyn Owner>,
    o: &Options,
    address: &str,
    tls: bool,
) -> Result<(String, Arc<Stop>, i32)> {
    let (host_port, path) = split_path(address)?;
    if tls {
        #[cfg(feature = "wss")]
        {
            crate::io::tls::server_config(o)?;
            return tcp::bind_tcp_as(
                owner,
                o,
                host_port,
                &|a| ws_uri("wss", a, &path),
                accept_wss,
            );
        }
        #[cfg(not(feature = "wss"))]
        return Err(Error(libc::EPROTONOSUPPORT));
    }
    tcp::bind_tcp_as(owner, o, host_port, &|a| ws_uri("ws", a, &path), accept_ws)
}

/// Connects `ws://` (or, with `tls`, `wss://`: `ZMQ_WSS_TRUST_PEM` must
/// parse, else `EINVAL`).
pub fn connect_ws(
    owner: &Arc<dyn Owner>,
    o: &Options,
    uri: &str,
    address: &str,
    pipe: Option<PipeEnd>,
    tls: bool,
) -> Result<Arc<Stop>> {
    let (host_port, path) = split_path(address)?;
    let host_port = connect_host_port(host_port);
    if host_port.starts_with('[') && !o.ipv6 {
        // libzmq's ws resolver takes IPv6 literals only with ZMQ_IPV6.
        return Err(Error::INVAL);
    }
    let target = addr::resolve_tcp_connect(host_port, o.ipv6)?;
    // The Host header: what precedes the port, as given.
    let host = host_port
        .rsplit_once(':')
        .map(|(h, _)| h.to_string())
        .unwrap_or_default();
    let tls = if tls {
        #[cfg(feature = "wss")]
        {
            Some(crate::io::tls::client_config(o, &host)?)
        }
        #[cfg(not(feature = "wss"))]
        return Err(Error(libc::EPROTONOSUPPORT));
    } else {
        None
    };
    tcp::start_connecter(owner, o, uri, pipe, move |o| {
        let (t, o, host, path) = (target.clone(), o.clone(), host.clone(), path.clone());
        let tls = tls.clone();
        Box::pin(async move {
            let (stream, peer) = tcp::dial_tcp(&t, &o).await?;
            let stream = stream
                .into_tcp()
                .ok_or_else(|| std::io::Error::other("not tcp"))?;
            Ok((
                Box::new(WsClient {
                    stream,
                    host,
                    path,
                    tls,
                }) as Box<dyn Served>,
                peer,
            ))
        })
    })
}

/// A client's TLS: its configuration and the name it gives the server.
#[cfg(feature = "wss")]
type ClientTls = (Arc<rustls::ClientConfig>, String);
/// Without the `wss` feature no connection has TLS.
#[cfg(not(feature = "wss"))]
#[derive(Clone)]
enum ClientTls {}

fn mechanism_name(o: &Options) -> &'static [u8] {
    match o.mechanism {
        MECH_PLAIN => b"PLAIN",
        MECH_CURVE => b"CURVE",
        _ => b"NULL",
    }
}

/// Bare ZWS2.0 has no READY: the synthetic one names a socket type our
/// socket accepts (libzmq checks none there).
fn compatible_peer_type(ours: i32) -> &'static str {
    (0..=20)
        .map(socket_type_name)
        .find(|n| !n.is_empty() && compatible(ours, n.as_bytes()))
        .unwrap_or("")
}

/// A tcp stream a connecter opened, to be upgraded.
struct WsClient {
    stream: Box<compio::net::TcpStream>,
    host: String,
    path: String,
    tls: Option<ClientTls>,
}

impl Served for WsClient {
    fn raw_fd(&self) -> i32 {
        self.stream.as_raw_fd()
    }

    fn serve<'a>(
        self: Box<Self>,
        sc: &'a SessionCtx,
        pipe: Option<Rc<RefCell<PipeEnd>>>,
        peer: String,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = End> + 'a>> {
        let fd = self.stream.as_raw_fd();
        sc.owner.event(event::CONNECTED, fd as u32, &sc.endpoint);
        let WsClient {
            stream,
            host,
            path,
            tls,
        } = *self;
        Box::pin(serve_ws(
            *stream,
            sc,
            pipe,
            peer,
            Role::Client { host, path },
            tls.map(Tls::Client),
        ))
    }
}

/// Serves an accepted tcp stream in a task of its own.
fn accept_ws(sc: &SessionCtx, s: compio::net::TcpStream, peer: String) {
    let fd = s.as_raw_fd();
    sc.owner.event(event::ACCEPTED, fd as u32, &sc.endpoint);
    let mut sc2 = sc.clone();
    sc2.order = tcp::next_accept_order();
    tcp::spawn_connection(sc2, fd, move |sc| {
        Box::pin(serve_ws(s, sc, None, peer, Role::Server, None))
    });
}

/// Serves an accepted tcp stream as `wss://`: TLS first.
#[cfg(feature = "wss")]
fn accept_wss(sc: &SessionCtx, s: compio::net::TcpStream, peer: String) {
    let fd = s.as_raw_fd();
    sc.owner.event(event::ACCEPTED, fd as u32, &sc.endpoint);
    // Loaded at bind already: it does not fail here unless memory does.
    let config = match crate::io::tls::server_config(&sc.options) {
        Ok(c) => c,
        Err(_) => {
            sc.owner.event(event::DISCONNECTED, fd as u32, &sc.endpoint);
            return;
        }
    };
    let mut sc2 = sc.clone();
    sc2.order = tcp::next_accept_order();
    tcp::spawn_connection(sc2, fd, move |sc| {
        Box::pin(serve_ws(
            s,
            sc,
            None,
            peer,
            Role::Server,
            Some(Tls::Server(config)),
        ))
    });
}

/// The TLS a `wss://` connection runs under.
enum Tls {
    #[cfg(feature = "wss")]
    Server(Arc<rustls::ServerConfig>),
    Client(ClientTls),
}

enum Role {
    Client { host: String, path: String },
    Server,
}

/// Reads an HTTP head; returns it with the bytes read past it.
async fn read_head<S: AsyncRead>(
    s: &mut S,
    start: &[u8],
) -> std::result::Result<(crate::zmtp::ws::Head, BytesMut), Option<WsError>> {
    let mut buf = BytesMut::with_capacity(1024);
    loop {
        if buf.capacity() - buf.len() < 512 {
            buf.reserve(1024);
        }
        let BufResult(res, b) = s.append(buf).await;
        buf = b;
        match res {
            Ok(0) | Err(_) => return Err(None),
            Ok(_) => {}
        }
        // A peer that is not speaking HTTP is refused at its first bytes
        // (libzmq checks the head byte by byte).
        let n = buf.len().min(start.len());
        if buf[..n] != start[..n] {
            return Err(Some(WsError::Http("not an HTTP upgrade")));
        }
        if let Some((head, used)) = parse_head(&buf).map_err(Some)? {
            buf.advance(used);
            return Ok((head, buf));
        }
    }
}

/// The HTTP/1.1 upgrade; returns the flavour and the bytes past the head.
async fn upgrade<S: AsyncRead + AsyncWrite>(
    s: &mut S,
    o: &Options,
    role: &Role,
) -> std::result::Result<(Flavour, BytesMut), Option<WsError>> {
    let mech = mechanism_name(o);
    match role {
        Role::Client { host, path } => {
            let key = new_key(&mut MaskGen::new());
            let req = client_request(path, host, &key, mech);
            s.write_all(req.into_bytes()).await.0.map_err(|_| None)?;
            let (head, rest) = read_head(s, b"HTTP/1.1 ").await?;
            let flavour = client_check(&head, &key, mech).map_err(Some)?;
            Ok((flavour, rest))
        }
        Role::Server => {
            let (head, rest) = read_head(s, b"GET ").await?;
            let (resp, flavour) = server_accept(&head, mech).map_err(Some)?;
            s.write_all(resp.into_bytes()).await.0.map_err(|_| None)?;
            Ok((flavour, rest))
        }
    }
}

/// Runs a connection's opening (`up`: TLS when there is one, and the
/// WebSocket upgrade) within `ZMQ_HANDSHAKE_IVL`, unless the socket or the
/// endpoint stops first; reports how it failed.
async fn opening<T>(
    sc: &SessionCtx,
    lingering: bool,
    fd: i32,
    up: impl std::future::Future<Output = std::result::Result<T, Option<WsError>>>,
) -> std::result::Result<T, End> {
    let o = &sc.options;
    let up = Box::pin(up);
    let up = async {
        if o.handshake_ivl > 0 {
            compio::time::timeout(Duration::from_millis(o.handshake_ivl as u64), up)
                .await
                .unwrap_or(Err(None))
        } else {
            up.await
        }
    };
    let interrupted = async {
        if lingering {
            sc.stop.wait().await
        } else {
            let _ = select(sc.stop.wait(), sc.owner.closing().wait()).await;
        }
    };
    match select(up, interrupted).await {
        Either::Left(Ok(x)) => Ok(x),
        Either::Left(Err(e)) => {
            if let Some(e) = e {
                tracing::warn!(target: "monocoque::handshake", endpoint = %sc.endpoint, "WebSocket handshake failed: {e}");
                sc.owner.event(
                    event::HANDSHAKE_FAILED_PROTOCOL,
                    PROTOCOL_ERROR_WS_UNSPECIFIED,
                    &sc.endpoint,
                );
            }
            sc.owner.event(event::DISCONNECTED, fd as u32, &sc.endpoint);
            Err(End::HandshakeFailed)
        }
        Either::Right(()) => Err(End::Stopped),
    }
}

/// Upgrades the stream (after TLS, for `wss://`), then runs the session
/// over it.
async fn serve_ws(
    mut s: compio::net::TcpStream,
    sc: &SessionCtx,
    pipe: Option<Rc<RefCell<PipeEnd>>>,
    peer: String,
    role: Role,
    tls: Option<Tls>,
) -> End {
    let fd = s.as_raw_fd();
    let o = &sc.options;
    let lingering = pipe.is_some();
    let Some(tls) = tls else {
        let (flavour, rest) = match opening(sc, lingering, fd, upgrade(&mut s, o, &role)).await {
            Ok(x) => x,
            Err(end) => return end,
        };
        let (r, w) = s.into_split();
        // Bounded reads and writes (a ws message may pass 2^31 bytes).
        let (r, w) = (Capped(r), Capped(w));
        return run_ws(r, w, sc, pipe, peer, fd, &role, flavour, rest).await;
    };
    #[cfg(feature = "wss")]
    {
        use crate::io::tls::FuturesIo;
        let role_ref = &role;
        let up = async move {
            let handshake = match tls {
                Tls::Server(config) => compio::tls::TlsAcceptor::from(config).accept(s).await,
                Tls::Client((config, name)) => {
                    compio::tls::TlsConnector::from(config)
                        .connect(&name, s)
                        .await
                }
            };
            // libzmq's wss engine ends a failed TLS handshake as a
            // connection error: HANDSHAKE_FAILED_NO_DETAIL, then
            // DISCONNECTED (which `opening` reports).
            let stream = handshake.map_err(|e| {
                tracing::warn!(target: "monocoque::handshake", endpoint = %sc.endpoint, "TLS handshake failed: {e}");
                let errno = e.raw_os_error().unwrap_or(libc::EPROTO);
                sc.owner
                    .event(event::HANDSHAKE_FAILED_NO_DETAIL, errno as u32, &sc.endpoint);
                None
            })?;
            let mut io = FuturesIo::new(stream);
            let (flavour, rest) = upgrade(&mut io, o, role_ref).await?;
            Ok((flavour, rest, io))
        };
        let (flavour, rest, io) = match opening(sc, lingering, fd, up).await {
            Ok(x) => x,
            Err(end) => return end,
        };
        let (r, w) = futures_util::io::AsyncReadExt::split(io.into_inner());
        let (r, w) = (Capped(FuturesIo::new(r)), Capped(FuturesIo::new(w)));
        run_ws(r, w, sc, pipe, peer, fd, &role, flavour, rest).await
    }
    #[cfg(not(feature = "wss"))]
    match tls {
        Tls::Client(never) => match never {},
    }
}

/// The session over an upgraded connection.
#[allow(clippy::too_many_arguments)]
async fn run_ws<R: AsyncRead, W: AsyncWrite>(
    r: R,
    w: W,
    sc: &SessionCtx,
    pipe: Option<Rc<RefCell<PipeEnd>>>,
    peer: String,
    fd: i32,
    role: &Role,
    flavour: Flavour,
    rest: BytesMut,
) -> End {
    let o = &sc.options;
    // libzmq reports the WebSocket handshake too, before the mechanism's.
    sc.owner.event(event::HANDSHAKE_SUCCEEDED, 0, &sc.endpoint);
    if o.socket_type == crate::zmtp::socket_type::ZMQ_STREAM {
        // No raw framing over ws: libzmq's ZMTP handshake then fails, as
        // STREAM is no peer's compatible type; nothing is delivered.
        sc.owner.event(event::DISCONNECTED, fd as u32, &sc.endpoint);
        return End::HandshakeFailed;
    }
    let client = matches!(role, Role::Client { .. });
    let bare = flavour == Flavour::Bare;
    let zws = Zws {
        decoder: WsDecoder::new(
            !client,
            o.maxmsgsize,
            bare.then(|| compatible_peer_type(o.socket_type)),
        ),
        encoder: WsEncoder::new(client, bare.then(|| o.routing_id.to_vec())),
        rest,
    };
    let span = crate::log::conn_span(&sc.endpoint, &peer);
    tracing::Instrument::instrument(serve_stream(r, w, sc, pipe, peer, fd, Via::Zws(zws)), span)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_start_at_the_last_slash_as_in_libzmq() {
        assert_eq!(split_path("1.2.3.4:5").unwrap(), ("1.2.3.4:5", "/".into()));
        assert_eq!(split_path("*:*/x").unwrap(), ("*:*", "/x".into()));
        assert_eq!(split_path("h:5/a/b").unwrap(), ("h:5/a", "/b".into()));
        assert!(split_path("nohost").is_err());
        assert_eq!(connect_host_port("h:5/a"), "h:5");
        assert_eq!(connect_last_endpoint("ws", "h:5/a/b"), "ws://h:5/b");
        assert_eq!(
            connect_last_endpoint("ws", "localhost:5"),
            "ws://localhost:5/"
        );
        assert_eq!(connect_last_endpoint("wss", "h:5/a"), "wss://h:5/a");
    }
}
