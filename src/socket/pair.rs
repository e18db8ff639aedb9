//! PAIR: one peer at a time; further peers are refused.

use super::{Pattern, Pipes};
use crate::error::{Error, Result};
use crate::msg::Msg;

#[derive(Default)]
pub struct Pair {
    pipe: Option<u64>,
}

impl Pattern for Pair {
    fn attach(&mut self, pipes: &mut Pipes, id: u64) {
        if self.pipe.is_some() {
            // libzmq keeps the first peer and drops later ones.
            pipes.mark_dead(id);
        } else {
            self.pipe = Some(id);
        }
    }

    fn detach(&mut self, id: u64) {
        if self.pipe == Some(id) {
            self.pipe = None;
        }
    }

    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        let Some(id) = self.pipe else {
            return Err((Error::AGAIN, msg));
        };
        let pipe = pipes.get(id).expect("attached");
        match pipe.write(msg) {
            Ok(()) => Ok(()),
            Err((crate::pipe::WriteError::Dead, m)) => {
                pipes.write_dead(id);
                Err((Error::AGAIN, m))
            }
            Err((_, m)) => Err((Error::AGAIN, m)),
        }
    }

    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        let mut m = Msg::new();
        self.recv_into(pipes, &mut m).map(|()| m)
    }

    fn recv_into(&mut self, pipes: &mut Pipes, out: &mut Msg) -> Result<()> {
        let Some(id) = self.pipe else {
            return Err(Error::AGAIN);
        };
        let pipe = pipes.get(id).expect("attached");
        if pipe.read_into(out) {
            return Ok(());
        }
        if pipe.is_read_done() {
            pipes.mark_dead(id);
        }
        Err(Error::AGAIN)
    }

    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        self.pipe
            .and_then(|id| pipes.get(id))
            .is_some_and(|p| p.check_read())
    }

    fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        self.pipe
            .and_then(|id| pipes.get(id))
            .is_some_and(|p| p.check_write())
    }
}
