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

/// Writes the handshake's output: its ZMTP bytes as they are, or (ZWS)
/// each of its commands as a WebSocket message.
async fn send_out<W: AsyncWrite>(w: &mut W, hs: &mut Handshake, ws: Option<&mut Zws>) -> bool {
    match ws {
        None => write_out(w, hs.output()).await,
        Some(z) => {
            let mut framed = BytesMut::new();
            for c in hs.take_commands() {
                z.encoder.command(&c, &mut framed);
            }
            write_out(w, &mut framed).await
        }
    }
}

/// One read into `buf` (grown when its spare room runs low).
async fn read_into<R: AsyncRead>(r: &mut R, buf: &mut BytesMut) -> Result<(), HsFail> {
    // Frames are split off the front, shrinking the spare room: a
    // full buffer would read nothing and look like end of stream.
    if buf.capacity() - buf.len() < 128 {
        buf.reserve(FIRST_CHUNK);
    }
    let BufResult(res, b) = r.append(std::mem::take(buf)).await;
    *buf = b;
    match res {
        Ok(0) => Err(HsFail::Io(libc::EPIPE)),
        Err(e) => Err(HsFail::Io(e.raw_os_error().unwrap_or(libc::EPIPE))),
        Ok(_) => Ok(()),
    }
}

/// Runs the handshake; returns the established connection and the bytes
/// already read past it (over ws: WebSocket bytes, for the pumps'
/// `WsDecoder`). Over ws the peer's messages are taken one at a time, so
/// the handshake ends exactly where its last message did.
pub(super) async fn handshake<R: AsyncRead, W: AsyncWrite>(
    r: &mut R,
    w: &mut W,
    sc: &SessionCtx,
    peer_address: &str,
    fd: i32,
    via: &mut Via,
) -> Result<(zmtp::Established, BytesMut), HsFail> {
    let cfg = handshake_config(&sc.options);
    let (mut hs, mut ws) = match via {
        Via::Zmtp => (Handshake::new(cfg), None),
        Via::Zws(z) => (
            Handshake::without_greeting(cfg).map_err(HsFail::Refused)?,
            Some(z),
        ),
    };
    // ZMTP bytes for the handshake (tcp, ipc; over ws the frames come
    // from the WebSocket decoder).
    let mut buf = BytesMut::with_capacity(FIRST_CHUNK);
    loop {
        if !send_out(w, &mut hs, ws.as_deref_mut()).await {
            return Err(HsFail::Io(libc::EPIPE));
        }
        let mut progress = match ws.as_deref_mut() {
            None => {
                read_into(r, &mut buf).await?;
                hs.input(&mut buf)
            }
            // Each WebSocket message is one frame, handed over as it is.
            Some(z) => match z.decoder.decode(&mut z.rest) {
                Ok(Some(f)) => hs.input_frame(f),
                Ok(None) => {
                    if z.decoder.closed() {
                        return Err(HsFail::Io(libc::EPIPE));
                    }
                    // One partial message at most, as over ZMTP below.
                    if z.rest.len() > zmtp::handshake::HANDSHAKE_FRAME_MAX + 14 {
                        return Err(HsFail::Refused(zmtp::HandshakeError::Frame(
                            zmtp::ProtocolError::TooLarge {
                                size: z.rest.len() as u64,
                                max: zmtp::handshake::HANDSHAKE_FRAME_MAX as i64,
                            },
                        )));
                    }
                    read_into(r, &mut z.rest).await?;
                    continue;
                }
                Err(e) => {
                    tracing::warn!(target: "monocoque::disconnect", "protocol error from the peer: {e}");
                    return Err(HsFail::Io(libc::EPIPE));
                }
            },
        };
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
                if !send_out(w, &mut hs, ws.as_deref_mut()).await {
                    return Err(HsFail::Io(libc::EPIPE));
                }
                let rest = match ws {
                    None => buf,
                    Some(z) => std::mem::take(&mut z.rest),
                };
                return Ok((*est, rest));
            }
            Err(e) => {
                let _ = send_out(w, &mut hs, ws.as_deref_mut()).await;
                return Err(HsFail::Refused(e));
            }
        }
    }
}
