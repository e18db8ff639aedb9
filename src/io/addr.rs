//! Endpoint addresses: `tcp://`, `ipc://`, `inproc://` parsing and
//! resolution, with libzmq's forms (`*` wildcards, `:*`/`:0` ephemeral
//! ports, `[v6]`, interface names, `src;dst` source addresses, `ipc://@name`
//! abstract names).

use crate::error::{Error, Result, ENOCOMPATPROTO, ENODEV, EPROTONOSUPPORT};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};

/// `scheme://address` split; `EINVAL` when there is no `://`.
pub fn split_uri(uri: &str) -> Result<(&str, &str)> {
    let (scheme, rest) = uri.split_once("://").ok_or(Error::INVAL)?;
    if scheme.is_empty() || rest.is_empty() {
        return Err(Error::INVAL);
    }
    Ok((scheme, rest))
}

/// Whether libzmq knows the scheme at all (in our build): unknown ones are
/// `EPROTONOSUPPORT`.
pub fn check_scheme(scheme: &str) -> Result<()> {
    match scheme {
        "tcp" | "ipc" | "inproc" | "ws" => Ok(()),
        // WebSocket over TLS: a build with the `wss` feature (the draft
        // API); libzmq without GnuTLS refuses it as we do without it.
        "wss" if cfg!(feature = "wss") => Ok(()),
        // libzmq knows udp but only for the draft RADIO/DISH/DGRAM types.
        "udp" => Err(Error(ENOCOMPATPROTO)),
        _ => Err(Error(EPROTONOSUPPORT)),
    }
}

/// An IP address of a local interface by name (e.g. `lo`, `eth0`).
fn interface_addr(name: &str, ipv6: bool) -> Option<IpAddr> {
    crate::io::sys::interface_addresses()
        .into_iter()
        .filter(|(n, _)| n == name)
        .map(|(_, a)| a)
        .find(|a| ipv6 || a.is_ipv4())
}

/// Parses `host:port` into (host, port), with `[v6]:port`.
fn split_host_port(s: &str) -> Result<(&str, &str)> {
    if let Some((host, port)) = s.strip_prefix('[').and_then(|r| r.split_once("]:")) {
        return Ok((host, port));
    }
    // libzmq splits at the last ':' (a broken "[::1" is host "[:", which
    // then names no interface or host).
    s.rsplit_once(':').ok_or(Error::INVAL)
}

fn parse_port(p: &str, allow_wildcard: bool) -> Result<u16> {
    if p == "*" || p == "0" {
        if allow_wildcard {
            return Ok(0);
        }
        return Err(Error::INVAL);
    }
    match atoi_port(p) {
        0 => Err(Error::INVAL),
        port => Ok(port),
    }
}

/// A port as libzmq reads it: C's `atoi`, kept to its low 16 bits ("80x"
/// is 80, "-1" is 65535, "65536" and "abc" are 0, which callers refuse).
pub fn atoi_port(p: &str) -> u16 {
    let s = p.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    // strtol saturates at the long's range; atoi keeps the int's bits.
    let mut v: i64 = 0;
    for b in digits.bytes().take_while(u8::is_ascii_digit) {
        v = v.saturating_mul(10).saturating_add(i64::from(b - b'0'));
    }
    let v = if neg { v.saturating_neg() } else { v };
    v as i32 as u16
}

/// Resolves the local side of a `tcp://` bind.
pub fn resolve_tcp_bind(addr: &str, ipv6: bool) -> Result<SocketAddr> {
    let (host, port) = split_host_port(addr)?;
    let port = parse_port(port, true)?;
    let ip = if host == "*" {
        if ipv6 {
            IpAddr::V6(Ipv6Addr::UNSPECIFIED)
        } else {
            IpAddr::V4(Ipv4Addr::UNSPECIFIED)
        }
    } else if let Ok(ip) = host.parse::<IpAddr>() {
        if ip.is_ipv6() && !ipv6 {
            return Err(Error(ENODEV));
        }
        ip
    } else if let Some(ip) = interface_addr(host, ipv6) {
        ip
    } else if host == "localhost" {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    } else {
        return Err(Error(ENODEV));
    };
    Ok(SocketAddr::new(ip, port))
}

/// A `tcp://` connect address: optional source, destination host and port.
/// Names are resolved at each connection attempt (as libzmq: `zmq_connect`
/// only checks the syntax, so a name that does not resolve yet is retried).
#[derive(Debug, Clone)]
pub struct TcpConnect {
    pub source: Option<SocketAddr>,
    pub host: String,
    pub port: u16,
    pub ipv6: bool,
    /// Passed `zmq_connect`'s syntax check but can never resolve (a bad
    /// port or source): every attempt fails and is retried, as libzmq's.
    pub unresolvable: bool,
}

impl TcpConnect {
    /// The address to connect to now.
    pub async fn resolve(&self) -> std::io::Result<SocketAddr> {
        if self.unresolvable {
            return Err(std::io::Error::from_raw_os_error(libc::EINVAL));
        }
        // An IPv6 literal is used as given, whatever ZMQ_IPV6 says (libzmq).
        if let Ok(ip) = self.host.parse::<IpAddr>() {
            return Ok(SocketAddr::new(ip, self.port));
        }
        let (host, port, ipv6) = (self.host.clone(), self.port, self.ipv6);
        // getaddrinfo blocks: not on the I/O thread.
        let found = compio::runtime::spawn_blocking(move || {
            (host.as_str(), port)
                .to_socket_addrs()
                .map(|it| it.filter(|a| ipv6 || a.is_ipv4()).collect::<Vec<_>>())
        })
        .await
        .map_err(|_| std::io::Error::other("resolver failed"))??;
        found
            .into_iter()
            .next()
            .ok_or_else(|| std::io::Error::from_raw_os_error(libc::EHOSTUNREACH))
    }
}

/// Parses a `tcp://[src;]host:port` connect address.
pub fn resolve_tcp_connect(addr: &str, ipv6: bool) -> Result<TcpConnect> {
    let (source, dest) = match addr.split_once(';') {
        Some((s, d)) => (Some(resolve_tcp_bind(s, ipv6)?), d),
        None => (None, addr),
    };
    let (host, port) = split_host_port(dest)?;
    if port == "*" {
        return Err(Error::INVAL);
    }
    // libzmq: "0" is port 0 for a connect; otherwise atoi, 0 refused.
    let port = if port == "0" {
        0
    } else {
        parse_port(port, false)?
    };
    if host.is_empty() || host == "*" {
        return Err(Error::INVAL);
    }
    // Names are resolved later, but must look like names (libzmq refuses
    // e.g. spaces at connect time).
    let name_ok = host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '%'));
    if !name_ok {
        return Err(Error::INVAL);
    }
    Ok(TcpConnect {
        source,
        host: host.to_string(),
        port,
        ipv6,
        unresolvable: false,
    })
}

/// A `tcp://` address as `zmq_connect` takes it. libzmq checks only its
/// syntax then (the host made of letters, digits, `.-:%;[]_*`, the last `:`
/// followed by a digit) and resolves at each attempt, so an address that
/// passes the check but cannot resolve (port 65536, a broken `[v6`) is
/// accepted and its attempts fail, retried at the reconnect interval.
pub fn tcp_connect_target(addr: &str, ipv6: bool) -> Result<TcpConnect> {
    let b = addr.as_bytes();
    let head_ok = b
        .first()
        .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'[' || c == b':');
    let rest_ok = b.iter().skip(1).all(|&c| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'.' | b'-' | b':' | b'%' | b';' | b'[' | b']' | b'_' | b'*'
            )
    });
    let port_ok = addr
        .rfind(':')
        .and_then(|i| b.get(i + 1))
        .is_some_and(u8::is_ascii_digit);
    if !(head_ok && rest_ok && port_ok) {
        return Err(Error::INVAL);
    }
    Ok(resolve_tcp_connect(addr, ipv6).unwrap_or_else(|_| TcpConnect::unresolvable(addr, ipv6)))
}

impl TcpConnect {
    /// An address every attempt fails to resolve.
    pub fn unresolvable(addr: &str, ipv6: bool) -> TcpConnect {
        TcpConnect {
            source: None,
            host: addr.to_string(),
            port: 0,
            ipv6,
            unresolvable: true,
        }
    }
}

/// How libzmq prints a resolved tcp endpoint (`ZMQ_LAST_ENDPOINT`).
pub fn tcp_uri(a: &SocketAddr) -> String {
    match a {
        SocketAddr::V4(v4) => format!("tcp://{}:{}", v4.ip(), v4.port()),
        SocketAddr::V6(v6) => format!("tcp://[{}]:{}", v6.ip(), v6.port()),
    }
}

/// An `ipc://` path: `@name` is a Linux abstract name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IpcPath {
    File(String),
    Abstract(String),
}

pub fn parse_ipc(addr: &str) -> Result<IpcPath> {
    if let Some(name) = addr.strip_prefix('@') {
        if name.is_empty() {
            return Err(Error::INVAL);
        }
        return Ok(IpcPath::Abstract(name.to_string()));
    }
    // sun_path holds 108 bytes with the NUL.
    if addr.len() >= 108 {
        return Err(Error(libc::ENAMETOOLONG));
    }
    Ok(IpcPath::File(addr.to_string()))
}

pub fn ipc_uri(p: &IpcPath) -> String {
    match p {
        IpcPath::File(f) => format!("ipc://{f}"),
        IpcPath::Abstract(n) => format!("ipc://@{n}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_needs_a_scheme() {
        assert_eq!(split_uri("tcp://a:1").unwrap(), ("tcp", "a:1"));
        assert!(split_uri("tcp:/a").is_err());
        assert!(split_uri("://a").is_err());
    }

    #[test]
    fn wildcards_bind_everything_on_an_ephemeral_port() {
        let a = resolve_tcp_bind("*:*", false).unwrap();
        assert_eq!(a, "0.0.0.0:0".parse().unwrap());
        let a = resolve_tcp_bind("127.0.0.1:0", false).unwrap();
        assert_eq!(a.port(), 0);
        let a = resolve_tcp_bind("[::1]:5555", true).unwrap();
        assert_eq!(a, "[::1]:5555".parse().unwrap());
    }

    #[test]
    fn bad_tcp_addresses_are_refused() {
        assert!(resolve_tcp_bind("127.0.0.1", false).is_err());
        // libzmq's atoi keeps 16 bits: 99999 is port 34463.
        assert_eq!(
            resolve_tcp_bind("127.0.0.1:99999", false).unwrap().port(),
            34463
        );
        assert!(resolve_tcp_connect("127.0.0.1:*", false).is_err());
        assert!(resolve_tcp_connect("*:5555", false).is_err());
        assert!(resolve_tcp_connect("[::1]:5555", false).is_ok());
    }

    #[test]
    fn source_addresses_are_parsed() {
        let c = resolve_tcp_connect("127.0.0.1:0;127.0.0.1:5555", false).unwrap();
        assert_eq!(c.source.unwrap().port(), 0);
        assert_eq!(c.port, 5555);
        // Names are checked for syntax only; they resolve when dialing.
        assert!(resolve_tcp_connect("nonexistent.invalid:1234", false).is_ok());
        assert!(resolve_tcp_connect("host with spaces:1234", false).is_err());
    }

    #[test]
    fn ports_are_read_as_libzmq_reads_them_with_atoi() {
        assert_eq!(atoi_port("5555"), 5555);
        assert_eq!(atoi_port("80x"), 80);
        assert_eq!(atoi_port("-1"), 65535);
        assert_eq!(atoi_port("65536"), 0);
        assert_eq!(atoi_port("abc"), 0);
        assert_eq!(atoi_port("99999999999999999999"), 65535);
        assert_eq!(
            resolve_tcp_bind("127.0.0.1:-1", false).unwrap().port(),
            65535
        );
        assert!(resolve_tcp_bind("127.0.0.1:65536", false).is_err());
        assert_eq!(resolve_tcp_bind("[::1", true), Err(Error(ENODEV)));
    }

    #[test]
    fn a_connect_is_only_checked_for_syntax() {
        for ok in [
            "127.0.0.1:65536",
            "[::1",
            "127.0.0.1:5x",
            ":5555",
            "a.b;c:1",
        ] {
            let t = tcp_connect_target(ok, false).unwrap_or_else(|_| panic!("{ok}"));
            assert_eq!(t.unresolvable, ok != "127.0.0.1:5x", "{ok}");
        }
        for bad in [
            "127.0.0.1:*",
            "127.0.0.1:",
            "127.0.0.1",
            "*:5555",
            "a b:1",
            "",
            "-x:1",
        ] {
            assert!(tcp_connect_target(bad, false).is_err(), "{bad}");
        }
    }

    #[test]
    fn ipc_abstract_names() {
        assert_eq!(parse_ipc("@x").unwrap(), IpcPath::Abstract("x".into()));
        assert_eq!(parse_ipc("/tmp/a").unwrap(), IpcPath::File("/tmp/a".into()));
    }
}
