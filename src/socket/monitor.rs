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
