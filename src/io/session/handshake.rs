//! Driving the ZMTP handshake (`zmtp::Handshake`, sans-IO) over a stream:
//! the options it starts from, its reads and writes, and why it failed.

use super::*;

pub(super) fn handshake_config(o: &Options) -> HandshakeConfig {
    let mechanism = if o.mechanism == MECH_PLAIN {
        MechanismConfig::Plain {
            server: o.as_server,
            username: o.plain_username.clone(),
            password: o.plain_password.clone(),
        }
    } else if o.mechanism == MECH_CURVE {
        MechanismConfig::Curve {
            server: o.as_server,
            public_key: o.curve_public.unwrap_or_default(),
            secret_key: o.curve_secret.unwrap_or_default(),
            server_key: o.curve_server.unwrap_or_default(),
        }
    } else {
        MechanismConfig::Null
    };
    HandshakeConfig {
        socket_type: o.socket_type,
        routing_id: o.routing_id.clone(),
        mechanism,
        app_metadata: o.app_metadata.clone(),
        zap_domain: o.zap_domain.clone(),
        zap_enforce_domain: o.zap_enforce_domain,
        max_msg_size: o.maxmsgsize,
    }
}

pub(super) async fn write_out<W: AsyncWrite>(w: &mut W, out: &mut BytesMut) -> bool {
    if out.is_empty() {
        return true;
    }
    let chunk = out.split().freeze();
    w.write_all(chunk).await.0.is_ok()
}

/// How a handshake ended without a connection.
pub(super) enum HsFail {
    /// The stream ended or failed (errno; `EPIPE` for an orderly close).
    /// libzmq reports `HANDSHAKE_FAILED_NO_DETAIL` with it, and a
    /// connecter retries.
    Io(i32),
    /// `ZMQ_HANDSHAKE_IVL` ran out.
    Timeout,
    /// The protocol failed: the mechanism, ZAP or the peer refused.
    Refused(zmtp::HandshakeError),
}

/// Runs the handshake; returns the established connection and the bytes
/// already read past it.
pub(super) async fn handshake<R: AsyncRead, W: AsyncWrite>(
    r: &mut R,
    w: &mut W,
    sc: &SessionCtx,
    peer_address: &str,
    fd: i32,
    via: Via,
) -> Result<(zmtp::Established, BytesMut), HsFail> {
    let cfg = handshake_config(&sc.options);
    let mut hs = match via {
        Via::Zmtp => Handshake::new(cfg),
        Via::Zws => Handshake::without_greeting(cfg).map_err(HsFail::Refused)?,
    };
    let mut buf = BytesMut::with_capacity(FIRST_CHUNK);
    loop {
        if !write_out(w, hs.output()).await {
            return Err(HsFail::Io(libc::EPIPE));
        }
        // Frames are split off the front, shrinking the spare room: a
        // full buffer would read nothing and look like end of stream.
        if buf.capacity() - buf.len() < 128 {
            buf.reserve(FIRST_CHUNK);
        }
        let BufResult(res, b) = r.append(buf).await;
        buf = b;
        match res {
            Ok(0) => return Err(HsFail::Io(libc::EPIPE)),
            Err(e) => return Err(HsFail::Io(e.raw_os_error().unwrap_or(libc::EPIPE))),
            Ok(_) => {}
        }
        let mut progress = hs.input(&mut buf);
        // The handshake consumes every whole frame it can and refuses a
        // header announcing more than `HANDSHAKE_FRAME_MAX`, so what stays
        // buffered is one partial frame at most: an unauthenticated peer
        // can make us hold no more than this (checked here too, so that no
        // mechanism state can ever let it grow).
        if matches!(progress, Ok(Progress::NeedMore))
            && buf.len() > zmtp::handshake::HANDSHAKE_FRAME_MAX + zmtp::codec::MAX_HEADER_LEN
        {
            return Err(HsFail::Refused(zmtp::HandshakeError::Frame(
                zmtp::ProtocolError::TooLarge {
                    size: buf.len() as u64,
                    max: zmtp::handshake::HANDSHAKE_FRAME_MAX as i64,
                },
            )));
        }
        // RFC 27: the server asks the ZAP handler, then goes on with what
        // is already buffered.
        while let Ok(Progress::Zap(req)) = &progress {
            let reply = zap_while_connected(sc, req, peer_address, fd).await?;
            progress = match hs.zap_reply(reply) {
                Ok(Progress::NeedMore) => hs.input(&mut buf),
                p => p,
            };
        }
        match progress {
            Ok(Progress::NeedMore) | Ok(Progress::Zap(_)) => {}
            Ok(Progress::Done(est)) => {
                let mut out = std::mem::take(hs.output());
                if !write_out(w, &mut out).await {
                    return Err(HsFail::Io(libc::EPIPE));
                }
                return Ok((est, buf));
            }
            Err(e) => {
                let mut out = std::mem::take(hs.output());
                let _ = write_out(w, &mut out).await;
                return Err(HsFail::Refused(e));
            }
        }
    }
}
