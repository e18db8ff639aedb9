//! The udp transport (draft API): RADIO sends and DISH receives one
//! datagram per message, `[group length][group][body]`; DGRAM sends and
//! receives raw datagrams, each message two frames, the peer's
//! `"a.b.c.d:port"` (NUL-terminated, as libzmq writes it) then the body.
//! Unicast or multicast (`udp://[iface;]group:port`), as libzmq's
//! `udp_engine_t`. One task per endpoint, no connection, no handshake: the
//! socket's one pipe for the endpoint exists from bind/connect on.

#![forbid(unsafe_code)]

use crate::error::{Error, Result};
use crate::io::addr;
use crate::io::owner::Owner;
use crate::io::runtime::catch_panic;
use crate::io::stop::{select, Stop};
use crate::msg::Msg;
use crate::pipe::PipeEnd;
use socket2::{Domain, Protocol, Socket as RawSocket, Type};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::poll_fn;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::rc::Rc;
use std::sync::Arc;

/// libzmq's `MAX_UDP_MSG`: the largest datagram sent or read.
const MAX_UDP_MSG: usize = 8192;

/// A parsed `udp://` address (libzmq `udp_address_t::resolve`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UdpAddr {
    /// Where datagrams go (connect) or which address/group is bound.
    pub target: SocketAddr,
    /// The local address to bind a receiving socket to.
    pub bind: SocketAddr,
    pub multicast: bool,
    /// The interface named before `;`, if any.
    pub interface: Option<IpAddr>,
}

fn any(v6: bool) -> IpAddr {
    if v6 {
        IpAddr::V6(Ipv6Addr::UNSPECIFIED)
    } else {
        IpAddr::V4(Ipv4Addr::UNSPECIFIED)
    }
}

/// Parses `[iface;]host:port`: `bind` for the receiving side (`*`, an IP,
/// an interface name), else an IP or a DNS name.
pub fn resolve(address: &str, bind: bool, ipv6: bool) -> Result<UdpAddr> {
    let (interface, rest) = match address.rsplit_once(';') {
        Some((src, rest)) => {
            let ip = if src == "*" {
                any(ipv6)
            } else {
                addr::resolve_tcp_bind(&format!("{src}:0"), ipv6)?.ip()
            };
            if ip.is_multicast() {
                return Err(Error::INVAL);
            }
            (Some(ip), rest)
        }
        None => (None, address),
    };
    let (host, port) = rest.rsplit_once(':').ok_or(Error::INVAL)?;
    let port: u16 = if port == "*" && bind {
        0
    } else {
        port.parse().map_err(|_| Error::INVAL)?
    };
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    let ip = if let Ok(ip) = host.parse::<IpAddr>() {
        if ip.is_ipv6() && !ipv6 {
            return Err(Error(crate::error::ENODEV));
        }
        ip
    } else if bind {
        addr::resolve_tcp_bind(&format!("{host}:0"), ipv6)?.ip()
    } else {
        (host, port)
            .to_socket_addrs()
            .map_err(|_| Error::INVAL)?
            .find(|a| ipv6 || a.is_ipv4())
            .ok_or(Error::INVAL)?
            .ip()
    };
    let target = SocketAddr::new(ip, port);
    let multicast = ip.is_multicast();
    let bind_addr = match interface {
        Some(i) => {
            if !multicast {
                return Err(Error::INVAL);
            }
            SocketAddr::new(i, port)
        }
        None if multicast || !bind => SocketAddr::new(any(ip.is_ipv6()), port),
        None => target,
    };
    if bind_addr.is_ipv6() != target.is_ipv6() {
        return Err(Error::INVAL);
    }
    Ok(UdpAddr {
        target,
        bind: bind_addr,
        multicast,
        interface,
    })
}

/// What an endpoint's task does.
pub struct Mode {
    /// Read datagrams into the pipe (DISH, DGRAM binding).
    pub recv: bool,
    /// Send the pipe's messages (RADIO connecting, DGRAM).
    pub send: bool,
    /// DGRAM: the first frame is the peer's address.
    pub raw: bool,
    pub multicast_loop: bool,
    pub multicast_hops: i32,
}

/// Opens the endpoint's socket now (so errors are `zmq_bind`'s/
/// `zmq_connect`'s) and starts its task on an I/O thread. Returns the stop
/// signal that ends it.
pub fn start(owner: &Arc<dyn Owner>, a: &UdpAddr, mode: Mode, pipe: PipeEnd) -> Result<Arc<Stop>> {
    let domain = Domain::for_address(a.target);
    let s = RawSocket::new(domain, Type::DGRAM, Some(Protocol::UDP)).map_err(Error::from)?;
    if mode.send && !mode.raw && a.multicast {
        if a.target.is_ipv6() {
            s.set_multicast_loop_v6(mode.multicast_loop)
                .map_err(Error::from)?;
            if mode.multicast_hops > 0 {
                s.set_multicast_hops_v6(mode.multicast_hops as u32)
                    .map_err(Error::from)?;
            }
        } else {
            s.set_multicast_loop_v4(mode.multicast_loop)
                .map_err(Error::from)?;
            if mode.multicast_hops > 0 {
                s.set_multicast_ttl_v4(mode.multicast_hops as u32)
                    .map_err(Error::from)?;
            }
            if let Some(IpAddr::V4(i)) = a.interface {
                s.set_multicast_if_v4(&i).map_err(Error::from)?;
            }
        }
    }
    if mode.recv {
        s.set_reuse_address(true).map_err(Error::from)?;
        if a.multicast {
            s.set_reuse_port(true).map_err(Error::from)?;
            let any_port = SocketAddr::new(any(a.target.is_ipv6()), a.bind.port());
            s.bind(&any_port.into()).map_err(Error::from)?;
            match a.target.ip() {
                IpAddr::V4(g) => {
                    let iface = match a.interface {
                        Some(IpAddr::V4(i)) => i,
                        _ => Ipv4Addr::UNSPECIFIED,
                    };
                    s.join_multicast_v4(&g, &iface).map_err(Error::from)?;
                }
                IpAddr::V6(g) => s.join_multicast_v6(&g, 0).map_err(Error::from)?,
            }
        } else {
            s.bind(&a.bind.into()).map_err(Error::from)?;
        }
    }
    s.set_nonblocking(true).map_err(Error::from)?;
    let std_sock: std::net::UdpSocket = s.into();
    let stop = Arc::new(Stop::default());
    let task_stop = stop.clone();
    let target = a.target;
    let io = owner.io()?;
    let session = owner.session_guard();
    io.spawn(move || {
        compio::runtime::spawn(async move {
            let _session = session;
            let fut = serve(std_sock, pipe, mode, target, task_stop);
            if let Err(p) = catch_panic(Box::pin(fut)).await {
                tracing::error!("a udp endpoint task panicked and ended: {p}");
            }
        })
        .detach();
    });
    Ok(stop)
}

async fn serve(
    std_sock: std::net::UdpSocket,
    pipe: PipeEnd,
    mode: Mode,
    target: SocketAddr,
    stop: Arc<Stop>,
) {
    let sock = match compio::net::UdpSocket::from_std(std_sock) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(target: "monocoque::udp", "udp socket: {e}");
            return;
        }
    };
    let pipe = Rc::new(RefCell::new(pipe));
    let reader = async {
        if !mode.recv {
            return std::future::pending::<()>().await;
        }
        loop {
            let buf = Vec::with_capacity(MAX_UDP_MSG);
            let compio::BufResult(res, buf) = sock.recv_from(buf).await;
            let Ok((n, from)) = res else { continue };
            let mut frames = Vec::with_capacity(2);
            if !datagram_to_frames(&buf[..n], from, mode.raw, &mut frames) {
                continue;
            }
            let mut p = pipe.borrow_mut();
            // libzmq drops what its pipe cannot take.
            if p.check_write() {
                p.write_many(&mut frames);
            }
        }
    };
    let writer = async {
        let mut batch: VecDeque<Msg> = VecDeque::new();
        let mut head: Option<Msg> = None;
        loop {
            poll_fn(|cx| pipe.borrow_mut().poll_readable(cx)).await;
            pipe.borrow_mut().read_batch(&mut batch);
            if batch.is_empty() && pipe.borrow().peer_closed() {
                return;
            }
            for m in batch.drain(..) {
                if !mode.send {
                    // A DISH's JOIN/LEAVE: a udp DISH filters by itself.
                    continue;
                }
                if m.is_command() {
                    continue;
                }
                let Some(h) = head.take() else {
                    if m.more() {
                        head = Some(m);
                    }
                    continue;
                };
                let (dest, out) = if mode.raw {
                    match raw_address(h.data()) {
                        Some(d) => (d, m.data().to_vec()),
                        None => continue,
                    }
                } else {
                    (target, group_datagram(h.data(), m.data()))
                };
                if out.len() > MAX_UDP_MSG {
                    continue;
                }
                let _ = sock.send_to(out, dest).await;
            }
        }
    };
    let work = select(Box::pin(reader), Box::pin(writer));
    let _ = select(Box::pin(work), Box::pin(stop.wait())).await;
}

/// `[group length][group][body]`.
fn group_datagram(group: &[u8], body: &[u8]) -> Vec<u8> {
    let g = &group[..group.len().min(255)];
    let mut out = Vec::with_capacity(1 + g.len() + body.len());
    out.push(g.len() as u8);
    out.extend_from_slice(g);
    out.extend_from_slice(body);
    out
}

/// A received datagram as the socket's two frames; false when malformed.
fn datagram_to_frames(d: &[u8], from: SocketAddr, raw: bool, out: &mut Vec<Msg>) -> bool {
    let (mut head, body) = if raw {
        // libzmq: IPv4 peers only, "a.b.c.d:port" with its NUL.
        let SocketAddr::V4(v4) = from else {
            return false;
        };
        let mut a = format!("{}:{}", v4.ip(), v4.port()).into_bytes();
        a.push(0);
        (Msg::from_slice(&a), d)
    } else {
        let Some((&len, rest)) = d.split_first() else {
            return false;
        };
        let len = len as usize;
        if rest.len() < len {
            return false;
        }
        (Msg::from_slice(&rest[..len]), &rest[len..])
    };
    head.set_more(true);
    out.push(head);
    out.push(Msg::from_slice(body));
    true
}

/// A DGRAM message's address frame: `a.b.c.d:port`, a trailing NUL allowed.
fn raw_address(frame: &[u8]) -> Option<SocketAddr> {
    let s = std::str::from_utf8(frame).ok()?;
    let s = s.trim_end_matches('\0');
    let (ip, port) = s.rsplit_once(':')?;
    let ip: Ipv4Addr = ip.parse().ok()?;
    let port: u16 = port.parse().ok().filter(|&p| p != 0)?;
    Some(SocketAddr::new(IpAddr::V4(ip), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_resolve_as_libzmq() {
        let a = resolve("*:5556", true, false).unwrap();
        assert_eq!(a.bind, "0.0.0.0:5556".parse().unwrap());
        assert!(!a.multicast);
        let a = resolve("127.0.0.1:5556", false, false).unwrap();
        assert_eq!(a.target, "127.0.0.1:5556".parse().unwrap());
        assert_eq!(a.bind, "0.0.0.0:5556".parse().unwrap());
        let a = resolve("226.8.5.5:5556", true, false).unwrap();
        assert!(a.multicast);
        assert_eq!(a.bind, "0.0.0.0:5556".parse().unwrap());
        let a = resolve("127.0.0.1;226.8.5.5:5556", false, false).unwrap();
        assert_eq!(a.interface, Some("127.0.0.1".parse().unwrap()));
        // An interface only for multicast.
        assert_eq!(
            resolve("127.0.0.1;127.0.0.1:5556", false, false),
            Err(Error::INVAL)
        );
        let a = resolve("[::1]:5556", false, true).unwrap();
        assert!(a.target.is_ipv6());
        assert!(resolve("127.0.0.1", false, false).is_err());
        assert!(resolve("127.0.0.1:x", false, false).is_err());
    }

    #[test]
    fn datagrams_round_trip() {
        let d = group_datagram(b"TV", b"Friends");
        assert_eq!(d, b"\x02TVFriends");
        let mut f = Vec::new();
        assert!(datagram_to_frames(
            &d,
            "127.0.0.1:1".parse().unwrap(),
            false,
            &mut f
        ));
        assert_eq!(f[0].data(), b"TV");
        assert!(f[0].more());
        assert_eq!(f[1].data(), b"Friends");
        let mut f = Vec::new();
        // A group longer than the datagram: dropped.
        assert!(!datagram_to_frames(
            b"\x09TV",
            "127.0.0.1:1".parse().unwrap(),
            false,
            &mut f
        ));
        assert!(datagram_to_frames(
            b"x",
            "127.0.0.1:4242".parse().unwrap(),
            true,
            &mut f
        ));
        assert_eq!(f[0].data(), b"127.0.0.1:4242\0");
        assert_eq!(
            raw_address(b"127.0.0.1:4242\0"),
            Some("127.0.0.1:4242".parse().unwrap())
        );
        assert_eq!(raw_address(b"127.0.0.1:0"), None);
        assert_eq!(raw_address(b"nonsense"), None);
    }
}
