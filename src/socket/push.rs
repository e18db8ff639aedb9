//! PUSH: load-balances messages over its peers; never receives.
//! SCATTER (draft) is the same for single-frame messages: SNDMORE is
//! EINVAL, and the socket is thread-safe.

use super::single::thread_safe_opt;
use super::{lb::Lb, Pattern, Pipes};
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::options::OptVal;

#[derive(Default)]
pub struct Push {
    lb: Lb,
    /// SCATTER: single-frame messages only, thread-safe.
    single: bool,
}

impl Push {
    /// A SCATTER socket's pattern.
    pub fn scatter() -> Push {
        Push {
            single: true,
            ..Push::default()
        }
    }
}

impl Pattern for Push {
    fn attach(&mut self, _pipes: &mut Pipes, id: u64) {
        self.lb.attach(id);
    }

    fn detach(&mut self, id: u64) {
        self.lb.detach(id);
    }

    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        if self.single && msg.more() {
            return Err((Error::INVAL, msg));
        }
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

    fn getsockopt(&self, option: i32) -> Option<Result<OptVal>> {
        self.single.then(|| thread_safe_opt(option)).flatten()
    }
}
