//! CHANNEL (draft): PAIR for single-frame messages (SNDMORE is EINVAL, a
//! peer's multipart message is dropped); thread-safe.

use super::single::thread_safe_opt;
use super::{pair::Pair, Pattern, Pipes};
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::options::OptVal;

#[derive(Default)]
pub struct Channel {
    pair: Pair,
}

impl Pattern for Channel {
    fn attach(&mut self, pipes: &mut Pipes, id: u64) {
        self.pair.attach(pipes, id);
    }

    fn detach(&mut self, id: u64) {
        self.pair.detach(id);
    }

    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        if msg.more() {
            return Err((Error::INVAL, msg));
        }
        self.pair.send(pipes, msg)
    }

    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        loop {
            let m = self.pair.recv(pipes)?;
            if !m.more() {
                return Ok(m);
            }
            // Drop the rest of a peer's multipart message.
            while self.pair.recv(pipes)?.more() {}
        }
    }

    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        self.pair.has_in(pipes)
    }

    fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        self.pair.has_out(pipes)
    }

    fn getsockopt(&self, option: i32) -> Option<Result<OptVal>> {
        thread_safe_opt(option)
    }
}
