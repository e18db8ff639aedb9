//! `zmq_socket_monitor`: socket events, sent as libzmq frames them (v1: a
//! 6-byte frame of u16 event + u32 value in host order, then the endpoint)
//! over a PAIR socket bound to an inproc endpoint.

use super::{types, Socket, DONTWAIT, SNDMORE};
use crate::error::{Error, Result, EPROTONOSUPPORT};
use crate::io::addr;
use crate::msg::Msg;
use std::sync::Arc;

/// Event numbers (zmq.h): defined once, in the seam, where the I/O layer
/// that emits most of them sees them.
pub use crate::io::owner::event;

pub struct Monitor {
    socket: Arc<Socket>,
    mask: u64,
    /// The event format: 1 (stable) or 2 (draft); others send nothing, as
    /// in libzmq.
    version: i32,
}

/// Draft: the pipe statistics event, only in version 2.
#[cfg_attr(not(feature = "draft"), allow(dead_code))]
pub const PIPES_STATS: u64 = 0x10000;

impl Socket {
    /// Starts (or, with `None`, stops) monitoring into a PAIR socket bound
    /// at `uri`.
    pub fn monitor(self: &Arc<Self>, uri: Option<&str>, events: i32) -> Result<()> {
        // libzmq widens the int to uint64_t: a negative mask keeps its sign
        // bits and fails the version 1 check.
        self.monitor_versioned(uri, events as i64 as u64, 1, types::PAIR)
    }

    /// `zmq_socket_monitor_versioned`, with libzmq's checks in its order.
    pub fn monitor_versioned(
        self: &Arc<Self>,
        uri: Option<&str>,
        events: u64,
        version: i32,
        socket_type: i32,
    ) -> Result<()> {
        if self.ctx.is_terminating() {
            return Err(Error::TERM);
        }
        // Version 1 events are 16 bits wide.
        if version == 1 && events >> 16 != 0 {
            return Err(Error::INVAL);
        }
        let Some(uri) = uri else {
            self.stop_monitor();
            return Ok(());
        };
        let (scheme, _) = addr::split_uri(uri)?;
        if scheme != "inproc" {
            return Err(Error(EPROTONOSUPPORT));
        }
        self.stop_monitor();
        // One-way types that take SNDMORE only (checked after the old
        // monitor stopped, as libzmq does).
        if !matches!(socket_type, types::PAIR | types::PUB | types::PUSH) {
            return Err(Error::INVAL);
        }
        let sock = self.ctx.socket(socket_type)?;
        if let Err(e) = sock.bind(uri) {
            self.ctx.close_socket(&sock);
            return Err(e);
        }
        *self.monitor.lock() = Some(Monitor {
            socket: sock,
            mask: events,
            version,
        });
        Ok(())
    }

    #[cfg_attr(not(feature = "draft"), allow(dead_code))]
    /// Whether the monitor wants the draft pipe statistics
    /// (`zmq_socket_monitor_pipes_stats` fails with EINVAL otherwise).
    pub fn monitors_pipes_stats(&self) -> bool {
        self.monitor
            .lock()
            .as_ref()
            .is_some_and(|m| m.mask & PIPES_STATS != 0)
    }

    #[cfg_attr(not(feature = "draft"), allow(dead_code))]
    /// Reports a version 2 event with several values.
    pub fn event_values(&self, ev: u64, values: &[u64], local: &str, remote: &str) {
        let g = self.monitor.lock();
        if let Some(m) = &*g {
            if m.mask & ev != 0 && m.version == 2 {
                emit_v2(&m.socket, ev, values, local, remote);
            }
        }
    }

    /// Stops monitoring: MONITOR_STOPPED, then the PAIR socket closes.
    pub fn stop_monitor(&self) {
        let m = self.monitor.lock().take();
        if let Some(m) = m {
            emit(&m, event::MONITOR_STOPPED, 0, "", None);
            self.ctx.close_socket(&m.socket);
        }
    }

    /// Reports an event to the monitor, if one wants it.
    pub fn event(&self, ev: u16, value: u32, endpoint: &str) {
        let g = self.monitor.lock();
        if let Some(m) = &*g {
            emit(m, ev, value, endpoint, None);
        }
    }

    /// Reports an event of one connection (or of a connecter), whose two
    /// addresses version 2 shows; version 1 shows `endpoint`.
    pub fn event_ends(&self, ev: u16, value: u32, endpoint: &str, local: &str, remote: &str) {
        let g = self.monitor.lock();
        if let Some(m) = &*g {
            emit(m, ev, value, endpoint, Some((local, remote)));
        }
    }
}

fn emit(m: &Monitor, ev: u16, value: u32, endpoint: &str, ends: Option<(&str, &str)>) {
    if m.mask & ev as u64 == 0 {
        return;
    }
    match m.version {
        1 => emit_v1(&m.socket, ev, value, endpoint),
        2 => {
            // Without a connection's addresses, `endpoint` goes where
            // libzmq's unconnected endpoint pairs put it: the listener's
            // as the local end, a connecter's as the remote one.
            let (local, remote) = ends.unwrap_or(match ev {
                event::CONNECTED | event::CONNECT_DELAYED | event::CONNECT_RETRIED => {
                    ("", endpoint)
                }
                _ => (endpoint, ""),
            });
            emit_v2(&m.socket, ev as u64, &[value as u64], local, remote)
        }
        _ => {}
    }
}

fn emit_v1(socket: &Socket, ev: u16, value: u32, endpoint: &str) {
    let mut head = [0u8; 6];
    head[..2].copy_from_slice(&ev.to_ne_bytes());
    head[2..].copy_from_slice(&value.to_ne_bytes());
    // A monitor that cannot keep up loses events, never blocks the socket.
    if socket
        .send(Msg::from_slice(&head), DONTWAIT | SNDMORE)
        .is_ok()
    {
        let _ = socket.send(Msg::from_slice(endpoint.as_bytes()), DONTWAIT);
    }
}

/// Version 2: u64 event, u64 value count, the values, then the local and
/// the remote endpoint (libzmq `socket_base_t::monitor_event`).
fn emit_v2(socket: &Socket, ev: u64, values: &[u64], local: &str, remote: &str) {
    let mut frames = vec![
        Msg::from_slice(&ev.to_ne_bytes()),
        Msg::from_slice(&(values.len() as u64).to_ne_bytes()),
    ];
    frames.extend(values.iter().map(|v| Msg::from_slice(&v.to_ne_bytes())));
    frames.push(Msg::from_slice(local.as_bytes()));
    frames.push(Msg::from_slice(remote.as_bytes()));
    let last = frames.len() - 1;
    for (i, f) in frames.into_iter().enumerate() {
        let flags = if i == last {
            DONTWAIT
        } else {
            DONTWAIT | SNDMORE
        };
        // A monitor that cannot keep up loses events, never blocks.
        if socket.send(f, flags).is_err() {
            return;
        }
    }
}
