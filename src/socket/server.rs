//! SERVER and PEER (draft): every peer gets a 32-bit routing id, stamped on
//! the messages it sends us; a message goes out to the peer its routing id
//! names (`zmq_msg_set_routing_id`). Single-frame messages only. PEER is a
//! SERVER that can also connect out and learn the new peer's id at once
//! (`zmq_connect_peer`).

use super::single::{recv_single, thread_safe_opt};
use super::{fq::Fq, Pattern, Pipes};
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::options::OptVal;
use crate::pipe::WriteError;
use std::collections::HashMap;

pub struct Server {
    fq: Fq,
    /// Routing id → pipe id, and back.
    by_rid: HashMap<u32, u64>,
    by_pipe: HashMap<u64, u32>,
    /// The next routing id to give (libzmq starts at a random one and
    /// never gives 0).
    next_rid: u32,
}

impl Server {
    pub fn new() -> Server {
        Server {
            fq: Fq::default(),
            by_rid: HashMap::new(),
            by_pipe: HashMap::new(),
            next_rid: crate::util::random::random_u32(),
        }
    }
}

impl Pattern for Server {
    fn attach(&mut self, _pipes: &mut Pipes, id: u64) {
        let mut rid = self.next_rid;
        self.next_rid = self.next_rid.wrapping_add(1);
        if rid == 0 {
            rid = self.next_rid;
            self.next_rid = self.next_rid.wrapping_add(1);
        }
        // After 2^32 attaches an id may still be in use: skip it.
        while self.by_rid.contains_key(&rid) || rid == 0 {
            rid = self.next_rid;
            self.next_rid = self.next_rid.wrapping_add(1);
        }
        self.by_rid.insert(rid, id);
        self.by_pipe.insert(id, rid);
        self.fq.attach(id);
    }

    fn detach(&mut self, id: u64) {
        if let Some(rid) = self.by_pipe.remove(&id) {
            self.by_rid.remove(&rid);
        }
        self.fq.detach(id);
    }

    fn send(&mut self, pipes: &mut Pipes, mut msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        if msg.more() {
            return Err((Error::INVAL, msg));
        }
        let Some(&id) = self.by_rid.get(&msg.routing_id()) else {
            return Err((Error(libc::EHOSTUNREACH), msg));
        };
        let Some(pipe) = pipes.get(id) else {
            return Err((Error(libc::EHOSTUNREACH), msg));
        };
        if !pipe.check_write() {
            return Err((Error::AGAIN, msg));
        }
        // The id names the peer here only: it does not travel.
        msg.clear_routing_id();
        match pipe.write(msg) {
            Ok(()) => Ok(()),
            // A peer that went away: the message is dropped (libzmq).
            Err((WriteError::Dead, _)) => {
                pipes.write_dead(id);
                Ok(())
            }
            Err((WriteError::Full, m)) => Err((Error::AGAIN, m)),
        }
    }

    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        let (mut m, id) = recv_single(&mut self.fq, pipes)?;
        if let Some(&rid) = self.by_pipe.get(&id) {
            m.set_routing_id(rid)?;
        }
        Ok(m)
    }

    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        self.fq.has_in(pipes)
    }

    fn has_out(&mut self, _pipes: &mut Pipes) -> bool {
        // libzmq: a SERVER can always try to send (the peer is chosen per
        // message).
        true
    }

    fn getsockopt(&self, option: i32) -> Option<Result<OptVal>> {
        thread_safe_opt(option)
    }

    fn routing_id_of(&self, pipe: u64) -> u32 {
        self.by_pipe.get(&pipe).copied().unwrap_or(0)
    }
}
