//! Fair-queueing: messages are taken from the pipes in turn, one whole
//! message per pipe, so no peer can starve the others.

use super::Pipes;
use crate::error::{Error, Result};
use crate::msg::Msg;

#[derive(Default)]
pub struct Fq {
    pipes: Vec<u64>,
    current: usize,
    /// The pipe whose message is being read (more frames to come).
    in_progress: Option<u64>,
}

impl Fq {
    pub fn attach(&mut self, id: u64) {
        self.pipes.push(id);
    }

    pub fn detach(&mut self, id: u64) {
        if let Some(i) = self.pipes.iter().position(|&p| p == id) {
            self.pipes.remove(i);
            if self.current > i {
                self.current -= 1;
            }
            if self.current >= self.pipes.len() {
                self.current = 0;
            }
        }
        if self.in_progress == Some(id) {
            self.in_progress = None;
        }
    }

    /// Receives a frame and the id of the pipe it came from.
    pub fn recv_pipe(&mut self, pipes: &mut Pipes) -> Result<(Msg, u64)> {
        if let Some(id) = self.in_progress {
            if let Some(m) = pipes.get(id).and_then(|p| p.read()) {
                if !m.more() {
                    self.in_progress = None;
                    self.current += 1;
                }
                return Ok((m, id));
            }
            // Messages enter pipes whole, so this only happens when the
            // pipe was closed mid-message: forget the rest.
            self.in_progress = None;
        }
        let n = self.pipes.len();
        for _ in 0..n {
            if self.current >= self.pipes.len() {
                self.current = 0;
            }
            let id = self.pipes[self.current];
            let Some(pipe) = pipes.get(id) else {
                self.current += 1;
                continue;
            };
            match pipe.read() {
                Some(m) => {
                    if m.more() {
                        self.in_progress = Some(id);
                    } else {
                        self.current += 1;
                    }
                    return Ok((m, id));
                }
                None => {
                    if pipe.is_read_done() {
                        pipes.mark_dead(id);
                    }
                    self.current += 1;
                }
            }
        }
        Err(Error::AGAIN)
    }

    pub fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        self.recv_pipe(pipes).map(|(m, _)| m)
    }

    pub fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        if self.in_progress.is_some() {
            return true;
        }
        let mut any = false;
        for &id in &self.pipes {
            if let Some(p) = pipes.get(id) {
                if p.check_read() {
                    any = true;
                    break;
                }
                if p.is_read_done() {
                    pipes.mark_dead(id);
                }
            }
        }
        any
    }
}
