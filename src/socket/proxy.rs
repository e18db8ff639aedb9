//! `zmq_proxy` and `zmq_proxy_steerable`: shuttle whole messages between a
//! frontend and a backend, copying them to a capture socket, steered by
//! PAUSE, RESUME, TERMINATE and STATISTICS commands on a control socket.

use super::{Socket, DONTWAIT, SNDMORE};
use crate::error::{Error, Result};
use crate::msg::Msg;
use std::sync::Arc;

#[derive(Default, Clone, Copy)]
struct Counts {
    msgs_in: u64,
    bytes_in: u64,
    msgs_out: u64,
    bytes_out: u64,
}

/// Moves one whole message from `from` to `to` if one is waiting.
fn forward(
    from: &Socket,
    to: &Socket,
    capture: Option<&Arc<Socket>>,
    from_stats: &mut Counts,
    to_stats: &mut Counts,
) -> Result<bool> {
    let mut first = true;
    loop {
        let mut m = match from.recv(if first { DONTWAIT } else { 0 }) {
            Ok(m) => m,
            Err(e) if e == Error::AGAIN && first => return Ok(false),
            // A send-only socket (PUSH, PUB) never has input to forward.
            Err(e) if e == Error::NOTSUP && first => return Ok(false),
            Err(e) => return Err(e),
        };
        first = false;
        let more = m.more();
        let n = m.len() as u64;
        from_stats.bytes_in += n;
        to_stats.bytes_out += n;
        let flags = if more { SNDMORE } else { 0 };
        if let Some(c) = capture {
            let mut copy = m.duplicate();
            copy.set_more(false);
            c.send(copy, flags).map_err(|(e, _)| e)?;
        }
        to.send(m, flags).map_err(|(e, _)| e)?;
        if !more {
            from_stats.msgs_in += 1;
            to_stats.msgs_out += 1;
            return Ok(true);
        }
    }
}

pub fn proxy(
    frontend: &Arc<Socket>,
    backend: &Arc<Socket>,
    capture: Option<&Arc<Socket>>,
    control: Option<&Arc<Socket>>,
) -> Result<()> {
    let mut fe_stats = Counts::default();
    let mut be_stats = Counts::default();
    let mut paused = false;
    // The proxy polls the fds itself, between calls: every change must
    // make them readable.
    for s in [Some(frontend), Some(backend), control]
        .into_iter()
        .flatten()
    {
        s.signaler.export();
    }
    let mut fds = vec![frontend.signaler.fd(), backend.signaler.fd()];
    if let Some(c) = control {
        fds.push(c.signaler.fd());
    }
    loop {
        let mut busy = false;
        if let Some(ctl) = control {
            match ctl.recv(DONTWAIT) {
                Ok(cmd) => {
                    busy = true;
                    // Commands are one frame; drop any extra frames.
                    let mut more = cmd.more();
                    while more {
                        more = ctl.recv(0).map(|m| m.more())?;
                    }
                    // libzmq 4.3.5 answers every command but STATISTICS
                    // with an empty frame (a REP control socket needs one).
                    let ack = |ctl: &Socket| {
                        let _ = ctl.send(Msg::new(), DONTWAIT);
                    };
                    match cmd.data() {
                        b"PAUSE" => {
                            paused = true;
                            ack(ctl);
                        }
                        b"RESUME" => {
                            paused = false;
                            ack(ctl);
                        }
                        b"TERMINATE" => {
                            ack(ctl);
                            return Ok(());
                        }
                        b"STATISTICS" => {
                            let v = [
                                fe_stats.msgs_in,
                                fe_stats.bytes_in,
                                fe_stats.msgs_out,
                                fe_stats.bytes_out,
                                be_stats.msgs_in,
                                be_stats.bytes_in,
                                be_stats.msgs_out,
                                be_stats.bytes_out,
                            ];
                            for (i, x) in v.iter().enumerate() {
                                let flags = if i + 1 < v.len() { SNDMORE } else { 0 };
                                ctl.send(Msg::from_slice(&x.to_ne_bytes()), flags)
                                    .map_err(|(e, _)| e)?;
                            }
                        }
                        _ => ack(ctl),
                    }
                }
                Err(e) if e == Error::AGAIN => {}
                Err(e) => return Err(e),
            }
        }
        if !paused {
            for _ in 0..64 {
                let a = forward(frontend, backend, capture, &mut fe_stats, &mut be_stats)?;
                let b = if Arc::ptr_eq(frontend, backend) {
                    false
                } else {
                    forward(backend, frontend, capture, &mut be_stats, &mut fe_stats)?
                };
                if !a && !b {
                    break;
                }
                busy = true;
            }
        }
        if !busy {
            let waiting: &[i32] = if paused { &fds[2..] } else { &fds };
            match crate::io::sys::wait_readable(waiting, if waiting.is_empty() { 100 } else { -1 })
            {
                Ok(_) => {}
                Err(e) if e.raw_os_error() == Some(libc::EINTR) => return Err(Error::INTR),
                Err(e) => return Err(e.into()),
            }
            if frontend.ctx.is_terminating() {
                return Err(Error::TERM);
            }
        }
    }
}
