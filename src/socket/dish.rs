//! DISH (draft): receives the RADIO messages of the groups it joined
//! (`zmq_join`/`zmq_leave`), each with its group (`zmq_msg_group`). A
//! message arrives as two frames, the group (MORE) then the body (libzmq's
//! `dish_session_t` form); a peer that sends anything else is cut off, as
//! libzmq's session is. JOIN/LEAVE go to every peer as command messages,
//! and again to a reconnected one. Thread-safe.

use super::single::thread_safe_opt;
use super::{fq::Fq, Pattern, Pipes};
use crate::error::{Error, Result};
use crate::msg::{flags, Msg};
use crate::msg_draft::GROUP_MAX_LENGTH;
use crate::options::OptVal;
use std::collections::BTreeSet;

#[derive(Default)]
pub struct Dish {
    fq: Fq,
    pipes: Vec<u64>,
    groups: BTreeSet<Vec<u8>>,
    /// A message `has_in` took ahead (it had to look for a joined group).
    ahead: Option<Msg>,
}

/// The JOIN or LEAVE command message for a group.
fn group_command(join: bool, group: &[u8]) -> Msg {
    let name: &[u8] = if join { b"\x04JOIN" } else { b"\x05LEAVE" };
    let mut body = Vec::with_capacity(name.len() + group.len());
    body.extend_from_slice(name);
    body.extend_from_slice(group);
    let mut m = Msg::from_slice(&body);
    m.set_flags(flags::COMMAND);
    m
}

impl Dish {
    fn send_groups(&self, pipes: &mut Pipes, id: u64) {
        if let Some(p) = pipes.get(id) {
            for g in &self.groups {
                // Commands pass the high-water mark (libzmq writes them
                // whatever it says).
                p.write_unchecked(group_command(true, g));
            }
        }
    }

    /// The next message of a joined group, if any.
    fn next(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        loop {
            let (head, id) = self.fq.recv_pipe(pipes)?;
            if pipes.dead.contains(&id) {
                continue;
            }
            if !head.more() || head.len() > GROUP_MAX_LENGTH {
                // Not a group frame: libzmq's session fails (EFAULT) and
                // the connection ends.
                self.cut_off(pipes, id, head.more());
                continue;
            }
            let (mut body, _) = self.fq.recv_pipe(pipes)?;
            if body.more() {
                self.cut_off(pipes, id, true);
                continue;
            }
            if !self.groups.contains(head.data()) {
                continue;
            }
            body.set_group(head.data())?;
            return Ok(body);
        }
    }

    /// Ends a misbehaving peer's pipe, skipping what is left of its message.
    fn cut_off(&mut self, pipes: &mut Pipes, id: u64, mut more: bool) {
        tracing::warn!(target: "monocoque::disconnect", "DISH: a peer sent a message that is not group + body: disconnected");
        pipes.mark_dead(id);
        while more {
            match self.fq.recv_pipe(pipes) {
                Ok((m, _)) => more = m.more(),
                Err(_) => break,
            }
        }
    }
}

impl Pattern for Dish {
    fn attach(&mut self, pipes: &mut Pipes, id: u64) {
        self.fq.attach(id);
        self.pipes.push(id);
        self.send_groups(pipes, id);
    }

    fn detach(&mut self, id: u64) {
        self.fq.detach(id);
        self.pipes.retain(|&p| p != id);
    }

    fn send(&mut self, _pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        Err((Error::NOTSUP, msg))
    }

    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        match self.ahead.take() {
            Some(m) => Ok(m),
            None => self.next(pipes),
        }
    }

    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        if self.ahead.is_none() {
            self.ahead = self.next(pipes).ok();
        }
        self.ahead.is_some()
    }

    fn has_out(&mut self, _pipes: &mut Pipes) -> bool {
        true
    }

    fn getsockopt(&self, option: i32) -> Option<Result<OptVal>> {
        thread_safe_opt(option)
    }

    fn hiccuped(&mut self, pipes: &mut Pipes, id: u64) {
        self.send_groups(pipes, id);
    }

    fn join(&mut self, pipes: &mut Pipes, group: &[u8], join: bool) -> Option<Result<()>> {
        if group.len() > GROUP_MAX_LENGTH {
            return Some(Err(Error::INVAL));
        }
        let changed = if join {
            self.groups.insert(group.to_vec())
        } else {
            self.groups.remove(group)
        };
        if !changed {
            return Some(Err(Error::INVAL));
        }
        for &id in &self.pipes {
            if let Some(p) = pipes.get(id) {
                p.write_unchecked(group_command(join, group));
            }
        }
        Some(Ok(()))
    }
}
