//! Connecting through a SOCKS5 proxy (RFC 1928, RFC 1929 authentication).

use super::*;

/// `ZMQ_SOCKS_PROXY`: the connection goes through a SOCKS5 proxy (RFC 1928,
/// with RFC 1929 username/password when set); the target's name is
/// resolved by the proxy, as libzmq lets it.
pub(super) fn connect_socks(
    owner: &Arc<dyn Owner>,
    o: &Options,
    uri: &str,
    address: &str,
    pipe: Option<PipeEnd>,
) -> Result<Arc<Stop>> {
    // zmq_connect checks the target's syntax only; the proxy's address is
    // used at each attempt (libzmq's socks connecter), so one that cannot
    // resolve makes the attempts fail, not the call.
    addr::tcp_connect_target(address, o.ipv6)?;
    let proxy = addr::tcp_connect_target(&o.socks_proxy, o.ipv6)
        .unwrap_or_else(|_| addr::TcpConnect::unresolvable(&o.socks_proxy, o.ipv6));
    let (host, port) = address.rsplit_once(':').ok_or(Error::INVAL)?;
    let port = addr::atoi_port(port);
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    start_connecter(owner, o, uri, pipe, move |o| {
        let (p, h, o) = (proxy.clone(), host.clone(), o.clone());
        Box::pin(async move {
            let (stream, _) = dial_tcp(&p, &o).await?;
            let stream = socks5_connect(stream, &h, port, &o).await?;
            Ok((stream, h))
        })
    })
}

pub(super) async fn socks5_connect(
    stream: Box<dyn Served>,
    host: &str,
    port: u16,
    o: &Options,
) -> std::io::Result<Box<dyn Served>> {
    use compio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s: Box<compio::net::TcpStream> = stream
        .into_tcp()
        .ok_or_else(|| std::io::Error::other("not tcp"))?;
    let fail =
        |what: &str| std::io::Error::new(std::io::ErrorKind::ConnectionRefused, what.to_string());
    let auth = !o.socks_username.is_empty();
    let hello: Vec<u8> = if auth {
        vec![5, 2, 0, 2]
    } else {
        vec![5, 1, 0]
    };
    s.write_all(hello).await.0?;
    let compio::buf::BufResult(r, choice) = s.read_exact(vec![0u8; 2]).await;
    r?;
    match (choice[0], choice[1]) {
        (5, 0) => {}
        (5, 2) if auth => {
            let (u, p) = (o.socks_username.as_bytes(), o.socks_password.as_bytes());
            let mut m = vec![1, u.len().min(255) as u8];
            m.extend_from_slice(&u[..u.len().min(255)]);
            m.push(p.len().min(255) as u8);
            m.extend_from_slice(&p[..p.len().min(255)]);
            s.write_all(m).await.0?;
            let compio::buf::BufResult(r, st) = s.read_exact(vec![0u8; 2]).await;
            r?;
            if st[1] != 0 {
                return Err(fail("socks authentication refused"));
            }
        }
        _ => return Err(fail("socks method refused")),
    }
    let mut req = vec![5, 1, 0];
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(a)) => {
            req.push(1);
            req.extend_from_slice(&a.octets());
        }
        Ok(std::net::IpAddr::V6(a)) => {
            req.push(4);
            req.extend_from_slice(&a.octets());
        }
        Err(_) => {
            req.push(3);
            req.push(host.len().min(255) as u8);
            req.extend_from_slice(&host.as_bytes()[..host.len().min(255)]);
        }
    }
    req.extend_from_slice(&port.to_be_bytes());
    s.write_all(req).await.0?;
    let compio::buf::BufResult(r, head) = s.read_exact(vec![0u8; 4]).await;
    r?;
    if head[0] != 5 || head[1] != 0 {
        return Err(fail("socks connect refused"));
    }
    let rest = match head[3] {
        1 => 4 + 2,
        4 => 16 + 2,
        3 => {
            let compio::buf::BufResult(r, l) = s.read_exact(vec![0u8; 1]).await;
            r?;
            l[0] as usize + 2
        }
        _ => return Err(fail("socks reply malformed")),
    };
    let compio::buf::BufResult(r, _) = s.read_exact(vec![0u8; rest]).await;
    r?;
    Ok(s)
}
