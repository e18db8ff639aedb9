//! Distribution: one message to many pipes (PUB, XPUB, RADIO). A pipe at its
//! high-water mark misses the whole message, never part of it; bodies are
//! shared, not copied.

use super::Pipes;
use crate::msg::Msg;
use crate::pipe::WriteError;

#[derive(Default)]
pub struct Dist {
    pub pipes: Vec<u64>,
    /// Pipes taking the frames of the message in progress.
    sending: Vec<u64>,
    in_progress: bool,
}

impl Dist {
    pub fn attach(&mut self, id: u64) {
        self.pipes.push(id);
    }

    pub fn detach(&mut self, id: u64) {
        self.pipes.retain(|&p| p != id);
        self.sending.retain(|&p| p != id);
    }

    /// Sends a frame to `targets` on its first frame, and to the same pipes
    /// for the following frames.
    pub fn send_to(&mut self, pipes: &mut Pipes, targets: &[u64], mut msg: Msg) {
        let more = msg.more();
        if !self.in_progress {
            self.sending.clear();
            self.sending.extend_from_slice(targets);
        }
        let mut accepted = Vec::with_capacity(self.sending.len());
        for &id in &self.sending {
            if let Some(p) = pipes.get(id) {
                match p.write(msg.share()) {
                    Ok(()) => accepted.push(id),
                    Err((WriteError::Dead, _)) => pipes.write_dead(id),
                    Err((WriteError::Full, _)) => crate::log::hwm_dropped(
                        "PUB/XPUB",
                        &p.endpoint,
                        "the subscriber's pipe is at its high-water mark (SNDHWM)",
                    ),
                }
            }
        }
        self.sending = accepted;
        self.in_progress = more;
    }

    /// Sends to every pipe.
    pub fn send_to_all(&mut self, pipes: &mut Pipes, msg: Msg) {
        let targets = self.pipes.clone();
        self.send_to(pipes, &targets, msg);
    }
}
