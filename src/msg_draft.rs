//! The draft API's per-message fields: a routing id (CLIENT/SERVER, PEER)
//! and a group (RADIO/DISH).
//!
//! They live in the message's `Metadata`, never in `Msg` itself, so the
//! 64-byte `zmq_msg_t` layout and the stable hot path are untouched: a
//! message that carries neither costs nothing, and setting one gives the
//! message its own copy of the connection properties it had.

#![forbid(unsafe_code)]

use crate::error::{Error, Result};
use crate::msg::{Metadata, Msg};
use std::sync::Arc;

/// libzmq's `ZMQ_GROUP_MAX_LENGTH`.
pub const GROUP_MAX_LENGTH: usize = 255;

impl Msg {
    /// The routing id, 0 when none (libzmq's `msg_t::get_routing_id`).
    pub fn routing_id(&self) -> u32 {
        self.metadata().map_or(0, |m| m.routing_id)
    }

    /// libzmq refuses 0: it means "no routing id".
    pub fn set_routing_id(&mut self, id: u32) -> Result<()> {
        if id == 0 {
            return Err(Error::INVAL);
        }
        self.edit_metadata(|m| m.routing_id = id);
        Ok(())
    }

    /// Drops the routing id (libzmq's `reset_routing_id`: a SERVER's id
    /// names the peer locally and does not travel, not even over inproc).
    pub fn clear_routing_id(&mut self) {
        if self.routing_id() != 0 {
            self.edit_metadata(|m| m.routing_id = 0);
        }
    }

    /// The group with its trailing NUL (C reads it in place); `b"\0"` when
    /// none, as libzmq's `msg_t::group` returns "".
    pub fn group_with_nul(&self) -> &[u8] {
        self.metadata()
            .and_then(|m| m.group.as_deref())
            .unwrap_or(b"\0")
    }

    /// The group without its NUL (RADIO/DISH).
    #[allow(dead_code)]
    pub fn group(&self) -> &[u8] {
        let g = self.group_with_nul();
        &g[..g.len() - 1]
    }

    /// libzmq refuses groups longer than `ZMQ_GROUP_MAX_LENGTH`.
    pub fn set_group(&mut self, group: &[u8]) -> Result<()> {
        if group.len() > GROUP_MAX_LENGTH {
            return Err(Error::INVAL);
        }
        let mut v = Vec::with_capacity(group.len() + 1);
        v.extend_from_slice(group);
        v.push(0);
        let v = v.into_boxed_slice();
        self.edit_metadata(|m| m.group = Some(v));
        Ok(())
    }

    /// Changes this message's own copy of its metadata.
    fn edit_metadata(&mut self, f: impl FnOnce(&mut Metadata)) {
        let mut m = self.metadata().map(|m| (**m).clone()).unwrap_or_default();
        f(&mut m);
        self.set_metadata(Some(Arc::new(m)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routing_id_zero_is_refused_and_unset_reads_zero() {
        let mut m = Msg::from_slice(b"x");
        assert_eq!(m.routing_id(), 0);
        assert_eq!(m.set_routing_id(0), Err(Error::INVAL));
        m.set_routing_id(7).unwrap();
        assert_eq!(m.routing_id(), 7);
        assert_eq!(m.data(), b"x");
    }

    #[test]
    fn group_is_empty_until_set_and_bounded() {
        let mut m = Msg::new();
        assert_eq!(m.group_with_nul(), b"\0");
        m.set_group(b"news").unwrap();
        assert_eq!(m.group(), b"news");
        assert_eq!(m.group_with_nul(), b"news\0");
        assert_eq!(m.set_group(&[b'a'; 256]), Err(Error::INVAL));
        assert!(m.set_group(&[b'a'; 255]).is_ok());
    }

    #[test]
    fn setting_a_field_keeps_the_connection_properties() {
        let mut meta = Metadata::new();
        meta.insert("Socket-Type", b"DEALER");
        let mut m = Msg::from_slice(b"y");
        m.set_metadata(Some(Arc::new(meta)));
        m.set_routing_id(3).unwrap();
        let md = m.metadata().unwrap();
        assert_eq!(md.get_with_nul("Socket-Type"), Some(&b"DEALER\0"[..]));
    }
}
