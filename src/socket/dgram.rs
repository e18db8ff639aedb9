//! DGRAM (draft): raw udp datagrams, each message two frames: the peer's
//! `"a.b.c.d:port"` then the body, both ways (libzmq `dgram_t`). One pipe,
//! the udp endpoint's; not thread-safe.

use super::{pair::Pair, Pattern, Pipes};
use crate::error::{Error, Result};
use crate::msg::Msg;

#[derive(Default)]
pub struct Dgram {
    pair: Pair,
    /// The address frame went out; the body must follow.
    more_out: bool,
}

impl Pattern for Dgram {
    fn attach(&mut self, pipes: &mut Pipes, id: u64) {
        self.pair.attach(pipes, id);
    }

    fn detach(&mut self, id: u64) {
        self.pair.detach(id);
    }

    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        // The address frame has MORE, the body has not.
        if msg.more() == self.more_out {
            return Err((Error::INVAL, msg));
        }
        let more = msg.more();
        self.pair.send(pipes, msg)?;
        self.more_out = more;
        Ok(())
    }

    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        self.pair.recv(pipes)
    }

    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        self.pair.has_in(pipes)
    }

    fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        self.pair.has_out(pipes)
    }
}
