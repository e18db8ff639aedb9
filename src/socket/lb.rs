//! Load-balancing: each message goes to the next pipe that can take it
//! (round robin), and all frames of a message go to the same pipe.

use super::Pipes;
use crate::error::Error;
use crate::msg::Msg;
use crate::pipe::WriteError;

#[derive(Default)]
pub struct Lb {
    pipes: Vec<u64>,
    current: usize,
    /// The pipe taking the frames of the message in progress.
    in_progress: Option<u64>,
    /// The pipe of the message in progress died: drop its remaining frames.
    dropping: bool,
}

impl Lb {
    pub fn attach(&mut self, id: u64) {
        self.pipes.push(id);
    }

    pub fn detach(&mut self, id: u64) {
        if let Some(i) = self.pipes.iter().position(|&p| p == id) {
            self.pipes.remove(i);
            if self.current > i || self.current >= self.pipes.len() {
                self.current = self.current.saturating_sub(1).min(self.pipes.len());
                if self.current >= self.pipes.len() {
                    self.current = 0;
                }
            }
        }
        if self.in_progress == Some(id) {
            self.in_progress = None;
            self.dropping = true;
        }
    }

    /// The next message goes to the next pipe (round robin). A compare,
    /// not a remainder: a division by the pipe count on every message
    /// costs tens of cycles.
    #[inline]
    fn step(&mut self) {
        self.current += 1;
        if self.current >= self.pipes.len() {
            self.current = 0;
        }
    }

    /// Sends a frame; returns the pipe it went to.
    pub fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> Result<Option<u64>, (Error, Msg)> {
        let more = msg.more();
        if self.dropping {
            self.dropping = more;
            return Ok(None);
        }
        if let Some(id) = self.in_progress {
            let pipe = pipes.get(id).expect("in-progress pipe is attached");
            return match pipe.write(msg) {
                Ok(()) => {
                    if !more {
                        self.in_progress = None;
                        // The message is done: the next one goes to the
                        // next pipe.
                        self.step();
                    }
                    Ok(Some(id))
                }
                Err(_) => {
                    pipes.write_dead(id);
                    self.in_progress = None;
                    self.dropping = more;
                    Ok(None)
                }
            };
        }
        let mut msg = msg;
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
            match pipe.write(msg) {
                Ok(()) => {
                    if more {
                        self.in_progress = Some(id);
                    } else {
                        self.step();
                    }
                    return Ok(Some(id));
                }
                Err((WriteError::Full, m)) => {
                    msg = m;
                    self.current += 1;
                }
                Err((WriteError::Dead, m)) => {
                    msg = m;
                    pipes.write_dead(id);
                    self.current += 1;
                }
            }
        }
        Err((Error::AGAIN, msg))
    }

    pub fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        if self.in_progress.is_some() {
            return true;
        }
        self.pipes
            .iter()
            .any(|&id| pipes.get(id).is_some_and(|p| p.check_write()))
    }
}
