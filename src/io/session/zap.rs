//! ZAP (RFC 27): asking the context's handler about a peer during the
//! handshake, over an inproc pipe the owner hands out (`Owner::zap_pipe`).

use super::*;

/// How often a pending ZAP request checks that its peer is still there.
pub(super) const ZAP_PEER_CHECK: Duration = Duration::from_millis(50);

/// The ZAP exchange, watching the connection meanwhile: as in libzmq, a
/// handler that never answers (gone, or not reading) stalls the handshake
/// until the peer leaves (`EPIPE`) or `ZMQ_HANDSHAKE_IVL` ends it. Bytes
/// the peer sends meanwhile stay in the socket for the handshake.
pub(super) async fn zap_while_connected(
    sc: &SessionCtx,
    req: &zmtp::ZapRequest,
    peer: &str,
    fd: i32,
) -> Result<zmtp::ZapReply, HsFail> {
    let mut zap = std::pin::pin!(zap_exchange(sc, req, peer));
    loop {
        match select(zap.as_mut(), compio::time::sleep(ZAP_PEER_CHECK)).await {
            Either::Left(reply) => return Ok(reply),
            Either::Right(()) => {
                if fd >= 0 {
                    if let Some(errno) = crate::io::sys::peer_gone(fd) {
                        return Err(HsFail::Io(errno));
                    }
                }
            }
        }
    }
}

/// Asks the context's ZAP handler about a peer: a request over an inproc
/// pipe to the socket bound at `inproc://zeromq.zap.01`, awaited without
/// blocking the I/O thread.
pub(super) async fn zap_exchange(
    sc: &SessionCtx,
    req: &zmtp::ZapRequest,
    peer: &str,
) -> zmtp::ZapReply {
    let Some(mut pipe) = sc.owner.zap_pipe() else {
        tracing::debug!(target: "monocoque::zap", peer, "no ZAP handler bound at inproc://zeromq.zap.01");
        return zmtp::ZapReply::NoHandler;
    };
    tracing::debug!(target: "monocoque::zap", peer, domain = %String::from_utf8_lossy(&req.domain), mechanism = %String::from_utf8_lossy(req.mechanism), "ZAP request sent");
    let frames = req.frames(peer.as_bytes());
    let n = frames.len();
    for (i, f) in frames.into_iter().enumerate() {
        let mut m = Msg::from_bytes(f);
        m.set_more(i + 1 < n);
        pipe.write_unchecked(m);
    }
    let mut reply = Vec::new();
    loop {
        poll_fn(|cx| pipe.poll_readable(cx)).await;
        while let Some(m) = pipe.read() {
            let more = m.more();
            reply.push(m.to_bytes());
            if !more {
                pipe.close();
                return zmtp::ZapReply::Frames(reply);
            }
        }
        if pipe.is_read_done() {
            // The handler went away without (fully) answering: libzmq's
            // session forgets its ZAP pipe and the handshake waits on.
            return std::future::pending().await;
        }
    }
}
