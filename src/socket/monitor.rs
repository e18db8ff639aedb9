//! `zmq_socket_monitor`: socket events, sent as libzmq frames them (v1: a
//! 6-byte frame of u16 event + u32 value in host order, then the endpoint)
//! over a PAIR socket bound to an inproc endpoint.

use super::{types, Socket, DONTWAIT, SNDMORE};
use crate::error::{Error, Result, EPROTONOSUPPORT};
use crate::io::addr;
use crate::msg::Msg;
use std::sync::Arc;

/// Event numbers (zmq.h), all of them: the I/O layer is still growing
/// into the ones it does not emit yet (ACCEPT_FAILED, CLOSE_FAILED,
/// HANDSHAKE_FAILED_AUTH).
#[allow(dead_code)]
pub mod event {
    pub const CONNECTED: u16 = 0x0001;
    pub const CONNECT_DELAYED: u16 = 0x0002;
    pub const CONNECT_RETRIED: u16 = 0x0004;
    pub const LISTENING: u16 = 0x0008;
    pub const BIND_FAILED: u16 = 0x0010;
    pub const ACCEPTED: u16 = 0x0020;
    pub const ACCEPT_FAILED: u16 = 0x0040;
    pub const CLOSED: u16 = 0x0080;
    pub const CLOSE_FAILED: u16 = 0x0100;
    pub const DISCONNECTED: u16 = 0x0200;
    pub const MONITOR_STOPPED: u16 = 0x0400;
    pub const HANDSHAKE_FAILED_NO_DETAIL: u16 = 0x0800;
    pub const HANDSHAKE_SUCCEEDED: u16 = 0x1000;
    pub const HANDSHAKE_FAILED_PROTOCOL: u16 = 0x2000;
    pub const HANDSHAKE_FAILED_AUTH: u16 = 0x4000;
}

pub struct Monitor {
    socket: Arc<Socket>,
    mask: i32,
}

impl Socket {
    /// Starts (or, with `None`, stops) monitoring into a PAIR socket bound
    /// at `uri`.
    pub fn monitor(self: &Arc<Self>, uri: Option<&str>, events: i32) -> Result<()> {
        if self.ctx.is_terminating() {
            return Err(Error::TERM);
        }
        let Some(uri) = uri else {
            self.stop_monitor();
            return Ok(());
        };
        // Version 1 events are 16 bits wide.
        if events as u32 > 0xFFFF {
            return Err(Error::INVAL);
        }
        let (scheme, _) = addr::split_uri(uri)?;
        if scheme != "inproc" {
            return Err(Error(EPROTONOSUPPORT));
        }
        self.stop_monitor();
        let pair = self.ctx.socket(types::PAIR)?;
        if let Err(e) = pair.bind(uri) {
            self.ctx.close_socket(&pair);
            return Err(e);
        }
        *self.monitor.lock() = Some(Monitor {
            socket: pair,
            mask: events,
        });
        Ok(())
    }

    /// Stops monitoring: MONITOR_STOPPED, then the PAIR socket closes.
    pub fn stop_monitor(&self) {
        let m = self.monitor.lock().take();
        if let Some(m) = m {
            emit(&m, event::MONITOR_STOPPED, 0, "");
            self.ctx.close_socket(&m.socket);
        }
    }

    /// Reports an event to the monitor, if one wants it.
    pub fn event(&self, ev: u16, value: u32, endpoint: &str) {
        let g = self.monitor.lock();
        if let Some(m) = &*g {
            emit(m, ev, value, endpoint);
        }
    }
}

fn emit(m: &Monitor, ev: u16, value: u32, endpoint: &str) {
    if m.mask & ev as i32 == 0 {
        return;
    }
    let mut head = [0u8; 6];
    head[..2].copy_from_slice(&ev.to_ne_bytes());
    head[2..].copy_from_slice(&value.to_ne_bytes());
    // A monitor that cannot keep up loses events, never blocks the socket.
    if m.socket
        .send(Msg::from_slice(&head), DONTWAIT | SNDMORE)
        .is_ok()
    {
        let _ = m
            .socket
            .send(Msg::from_slice(endpoint.as_bytes()), DONTWAIT);
    }
}
