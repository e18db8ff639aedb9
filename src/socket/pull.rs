//! PULL: fair-queues messages from its peers; never sends.

use super::{fq::Fq, Pattern, Pipes};
use crate::error::{Error, Result};
use crate::msg::Msg;

#[derive(Default)]
pub struct Pull {
    fq: Fq,
}

impl Pattern for Pull {
    fn attach(&mut self, _pipes: &mut Pipes, id: u64) {
        self.fq.attach(id);
    }

    fn detach(&mut self, id: u64) {
        self.fq.detach(id);
    }

    fn send(&mut self, _pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        Err((Error::NOTSUP, msg))
    }

    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        self.fq.recv(pipes)
    }

    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        self.fq.has_in(pipes)
    }

    fn has_out(&mut self, _pipes: &mut Pipes) -> bool {
        false
    }
}
