//! PUSH: load-balances messages over its peers; never receives.

use super::{lb::Lb, Pattern, Pipes};
use crate::error::{Error, Result};
use crate::msg::Msg;

#[derive(Default)]
pub struct Push {
    lb: Lb,
}

impl Pattern for Push {
    fn attach(&mut self, _pipes: &mut Pipes, id: u64) {
        self.lb.attach(id);
    }

    fn detach(&mut self, id: u64) {
        self.lb.detach(id);
    }

    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        self.lb.send(pipes, msg).map(|_| ())
    }

    fn recv(&mut self, _pipes: &mut Pipes) -> Result<Msg> {
        Err(Error::NOTSUP)
    }

    fn has_in(&mut self, _pipes: &mut Pipes) -> bool {
        false
    }

    fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        self.lb.has_out(pipes)
    }
}
