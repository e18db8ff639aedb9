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
    /// for the following frames. The last pipe gets the frame itself, the
    /// others a share of its body (as libzmq, whose message is marked
    /// shared only when more than one pipe takes it).
    pub fn send_to(&mut self, pipes: &mut Pipes, targets: &[u64], msg: Msg) {
        let more = msg.more();
        if !self.in_progress {
            self.sending.clear();
            self.sending.extend_from_slice(targets);
        }
        let mut sending = std::mem::take(&mut self.sending);
        let n = sending.len();
        // (A small body's references for every pipe in one step.)
        let mut frames = msg.fan_out(n);
        // The pipes that took the frame are kept in place, in order.
        let mut kept = 0;
        for i in 0..n {
            let id = sending[i];
            let Some(p) = pipes.get(id) else {
                continue;
            };
            let Some(frame) = frames.next_msg() else {
                break;
            };
            match p.write(frame) {
                Ok(()) => {
                    sending[kept] = id;
                    kept += 1;
                }
                Err((WriteError::Dead, _)) => pipes.write_dead(id),
                Err((WriteError::Full, _)) => crate::log::hwm_dropped(
                    "PUB/XPUB",
                    &p.endpoint,
                    "the subscriber's pipe is at its high-water mark (SNDHWM)",
                ),
            }
        }
        sending.truncate(kept);
        self.sending = sending;
        self.in_progress = more;
    }

    /// Sends to every pipe.
    pub fn send_to_all(&mut self, pipes: &mut Pipes, msg: Msg) {
        // (Borrowed out and back: no list is allocated per message.)
        let targets = std::mem::take(&mut self.pipes);
        self.send_to(pipes, &targets, msg);
        self.pipes = targets;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipe::pipe_pair;

    fn dist_with(n: usize) -> (Dist, Pipes, Vec<crate::pipe::PipeEnd>) {
        let mut d = Dist::default();
        let mut pipes = Pipes::default();
        let mut readers = Vec::new();
        for _ in 0..n {
            let (ours, theirs) = pipe_pair(0, 0, false);
            d.attach(ours.id);
            pipes.map.insert(ours);
            readers.push(theirs);
        }
        (d, pipes, readers)
    }

    const BODY: &[u8] = b"a body too large to be stored inline in the message";

    #[test]
    fn one_pipe_gets_the_frame_itself_and_many_share_it() {
        // As libzmq's dist_t: a message is marked shared (ZMQ_SHARED) only
        // when more than one pipe takes it.
        let (mut d, mut pipes, mut r) = dist_with(1);
        d.send_to_all(&mut pipes, Msg::from_slice(BODY));
        let m = r[0].read().unwrap();
        assert_eq!(m.data(), BODY);
        assert!(!m.is_shared());

        let (mut d, mut pipes, mut r) = dist_with(3);
        let mut first = Msg::from_slice(b"multi");
        first.set_more(true);
        d.send_to_all(&mut pipes, first);
        d.send_to_all(&mut pipes, Msg::from_slice(BODY));
        for reader in &mut r {
            assert_eq!(reader.read().unwrap().data(), b"multi");
            let m = reader.read().unwrap();
            assert_eq!(m.data(), BODY);
            assert!(m.is_shared());
            assert!(reader.read().is_none());
        }
        assert_eq!(d.pipes.len(), 3, "the pipe list is kept");
    }
}
