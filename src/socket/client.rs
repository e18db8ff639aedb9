//! CLIENT (draft): load-balances messages over its peers and fair-queues
//! what they send; single-frame messages only (a peer's multipart message
//! is dropped, SNDMORE is EINVAL). Thread-safe.

use super::single::{recv_single, thread_safe_opt};
use super::{fq::Fq, lb::Lb, Pattern, Pipes};
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::options::OptVal;

#[derive(Default)]
pub struct Client {
    lb: Lb,
    fq: Fq,
}

impl Pattern for Client {
    fn attach(&mut self, _pipes: &mut Pipes, id: u64) {
        self.fq.attach(id);
        self.lb.attach(id);
    }

    fn detach(&mut self, id: u64) {
        self.fq.detach(id);
        self.lb.detach(id);
    }

    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        if msg.more() {
            return Err((Error::INVAL, msg));
        }
        self.lb.send(pipes, msg).map(|_| ())
    }

    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        recv_single(&mut self.fq, pipes).map(|(m, _)| m)
    }

    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        self.fq.has_in(pipes)
    }

    fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        self.lb.has_out(pipes)
    }

    fn getsockopt(&self, option: i32) -> Option<Result<OptVal>> {
        thread_safe_opt(option)
    }
}
