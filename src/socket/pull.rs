//! PULL: fair-queues messages from its peers; never sends.
//! GATHER (draft) is the same for single-frame messages (a peer's
//! multipart message is dropped), and the socket is thread-safe.

use super::single::{recv_single, thread_safe_opt};
use super::{fq::Fq, Pattern, Pipes};
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::options::OptVal;

#[derive(Default)]
pub struct Pull {
    fq: Fq,
    /// GATHER: single-frame messages only, thread-safe.
    single: bool,
}

impl Pull {
    /// A GATHER socket's pattern.
    pub fn gather() -> Pull {
        Pull {
            single: true,
            ..Pull::default()
        }
    }
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
        let mut m = Msg::new();
        self.recv_into(pipes, &mut m).map(|()| m)
    }

    fn recv_into(&mut self, pipes: &mut Pipes, out: &mut Msg) -> Result<()> {
        if self.single {
            // (What `out` lends waits in the spare: see `Pattern::recv_into`.)
            crate::pipe::offer_spare_metadata(out.take_metadata());
            *out = recv_single(&mut self.fq, pipes)?.0;
            return Ok(());
        }
        self.fq.recv_into(pipes, out).map(|_| ())
    }

    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        self.fq.has_in(pipes)
    }

    fn has_out(&mut self, _pipes: &mut Pipes) -> bool {
        false
    }

    fn getsockopt(&self, option: i32) -> Option<Result<OptVal>> {
        self.single.then(|| thread_safe_opt(option)).flatten()
    }
}
