//! RADIO (draft): sends each single-frame message to the DISH peers that
//! joined its group. On every transport a message travels as two frames,
//! the group (MORE) then the body, as libzmq's `radio_session_t` puts it on
//! the wire; a DISH's JOIN/LEAVE reaches us as a command message
//! (`\x04JOIN<group>`, `\x05LEAVE<group>`). Thread-safe.

use super::single::thread_safe_opt;
use super::{dist::Dist, Pattern, Pipes};
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::options::{opt, OptVal};
use std::collections::HashMap;

pub struct Radio {
    dist: Dist,
    /// Group → the pipes that joined it (a pipe once per JOIN, as libzmq's
    /// multimap).
    groups: HashMap<Vec<u8>, Vec<u64>>,
    /// udp pipes: they take every message (a udp DISH filters itself).
    udp: Vec<u64>,
    /// `ZMQ_XPUB_NODROP` off: a peer at its high-water mark misses the
    /// message; on: the send is EAGAIN.
    lossy: bool,
}

impl Default for Radio {
    fn default() -> Self {
        Radio {
            dist: Dist::default(),
            groups: HashMap::new(),
            udp: Vec::new(),
            lossy: true,
        }
    }
}

/// The group a JOIN or LEAVE command names, and whether it joins. A group
/// longer than `ZMQ_GROUP_MAX_LENGTH` is no group (a peer cannot make us
/// keep more per JOIN than a local `zmq_join` could).
pub fn parse_group_command(body: &[u8]) -> Option<(bool, &[u8])> {
    let (join, g) = if let Some(g) = body.strip_prefix(b"\x04JOIN") {
        (true, g)
    } else {
        (false, body.strip_prefix(b"\x05LEAVE")?)
    };
    (g.len() <= crate::msg_draft::GROUP_MAX_LENGTH).then_some((join, g))
}

impl Radio {
    /// Reads what every peer sent: JOIN/LEAVE commands; anything else is
    /// dropped (libzmq `radio_t::xread_activated`).
    fn read_groups(&mut self, pipes: &mut Pipes) {
        for id in self.dist.pipes.clone() {
            let Some(p) = pipes.get(id) else { continue };
            while let Some(m) = p.read() {
                if !m.is_command() || m.more() {
                    continue;
                }
                match parse_group_command(m.data()) {
                    Some((true, g)) => self.groups.entry(g.to_vec()).or_default().push(id),
                    Some((false, g)) => {
                        if let Some(v) = self.groups.get_mut(g) {
                            if let Some(i) = v.iter().position(|&p| p == id) {
                                v.remove(i);
                            }
                            if v.is_empty() {
                                self.groups.remove(g);
                            }
                        }
                    }
                    None => {}
                }
            }
            if p.is_read_done() {
                pipes.mark_dead(id);
            }
        }
    }
}

impl Pattern for Radio {
    fn attach(&mut self, pipes: &mut Pipes, id: u64) {
        self.dist.attach(id);
        if pipes
            .get(id)
            .is_some_and(|p| p.endpoint.starts_with("udp://"))
        {
            self.udp.push(id);
        }
        self.read_groups(pipes);
    }

    fn detach(&mut self, id: u64) {
        self.dist.detach(id);
        self.udp.retain(|&p| p != id);
        self.groups.retain(|_, v| {
            v.retain(|&p| p != id);
            !v.is_empty()
        });
    }

    fn send(&mut self, pipes: &mut Pipes, mut msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        if msg.more() {
            return Err((Error::INVAL, msg));
        }
        self.read_groups(pipes);
        let group = msg.group().to_vec();
        let mut targets = self.groups.get(&group).cloned().unwrap_or_default();
        targets.extend_from_slice(&self.udp);
        targets.sort_unstable();
        targets.dedup();
        if !self.lossy
            && !targets
                .iter()
                .all(|&id| pipes.get(id).is_some_and(|p| p.check_write()))
        {
            return Err((Error::AGAIN, msg));
        }
        if targets.is_empty() {
            return Ok(());
        }
        let mut head = Msg::from_slice(&group);
        head.set_more(true);
        self.dist.send_to(pipes, &targets, head);
        msg.set_more(false);
        self.dist.send_to(pipes, &targets, msg);
        Ok(())
    }

    fn recv(&mut self, _pipes: &mut Pipes) -> Result<Msg> {
        Err(Error::NOTSUP)
    }

    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        self.read_groups(pipes);
        false
    }

    fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        self.read_groups(pipes);
        true
    }

    fn setsockopt(&mut self, option: i32, value: &[u8]) -> Option<Result<()>> {
        if option != opt::XPUB_NODROP {
            return None;
        }
        let v = <[u8; 4]>::try_from(value).map(i32::from_ne_bytes);
        Some(match v {
            Ok(v) if v >= 0 => {
                self.lossy = v == 0;
                Ok(())
            }
            _ => Err(Error::INVAL),
        })
    }

    fn getsockopt(&self, option: i32) -> Option<Result<OptVal>> {
        thread_safe_opt(option)
    }
}

#[cfg(test)]
mod tests {
    use super::parse_group_command;

    #[test]
    fn group_commands_are_bounded_like_zmq_join() {
        assert_eq!(parse_group_command(b"\x04JOINtv"), Some((true, &b"tv"[..])));
        assert_eq!(
            parse_group_command(b"\x05LEAVEtv"),
            Some((false, &b"tv"[..]))
        );
        let mut long = b"\x04JOIN".to_vec();
        long.extend_from_slice(&[b'g'; 255]);
        assert!(parse_group_command(&long).is_some());
        long.push(b'g');
        assert_eq!(parse_group_command(&long), None);
        assert_eq!(parse_group_command(b"\x04PING"), None);
    }
}
