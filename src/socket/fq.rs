//! Fair-queueing: messages are taken from the pipes in turn, one whole
//! message per pipe, so no peer can starve the others.
//!
//! As libzmq's `fq_t`, only active pipes are visited: the first `active`
//! entries of `pipes`. A pipe found empty is parked (`PipeEnd::park_read`)
//! and moved past `active`; its writer puts it on the socket's activation
//! list when input arrives, and the next call takes it back. A socket with
//! thousands of quiet peers then pays for the ones that sent something, not
//! for every pipe on every receive or poll.

use super::{IdHash, Pipes};
use crate::error::{Error, Result};
use crate::msg::Msg;
use std::collections::HashMap;

/// Pipes are parked only on sockets with at least this many: below it a
/// look at every pipe costs less than parking and waking one (a lock on
/// each side per burst).
const PARK_FROM: usize = 8;

#[derive(Default)]
pub struct Fq {
    /// Active pipes first (`..active`), parked ones after.
    pipes: Vec<u64>,
    /// Each pipe's index in `pipes`.
    index: HashMap<u64, usize, IdHash>,
    active: usize,
    /// Next active pipe to read from.
    current: usize,
    /// The pipe whose message is being read (more frames to come).
    in_progress: Option<u64>,
    /// Activations taken from the socket's list (kept to reuse its memory).
    woken: Vec<u64>,
}

impl Fq {
    pub fn attach(&mut self, id: u64) {
        self.index.insert(id, self.pipes.len());
        self.pipes.push(id);
        let last = self.pipes.len() - 1;
        self.swap(last, self.active);
        self.active += 1;
    }

    pub fn detach(&mut self, id: u64) {
        let Some(i) = self.index.get(&id).copied() else {
            return;
        };
        if i < self.active {
            self.deactivate(i);
        }
        // Now parked: move it to the end and drop it.
        let last = self.pipes.len() - 1;
        self.swap(self.index[&id], last);
        self.pipes.pop();
        self.index.remove(&id);
        if self.in_progress == Some(id) {
            self.in_progress = None;
        }
    }

    fn swap(&mut self, a: usize, b: usize) {
        if a != b {
            self.pipes.swap(a, b);
            self.index.insert(self.pipes[a], a);
            self.index.insert(self.pipes[b], b);
        }
    }

    /// Moves active pipe `i` to the parked part, keeping `current` on the
    /// pipe that was to be read next.
    fn deactivate(&mut self, i: usize) {
        self.active -= 1;
        self.swap(i, self.active);
        if self.current == self.active {
            // The pipe `current` pointed to now sits at `i`.
            self.current = if i < self.active { i } else { 0 };
        } else if self.current > self.active {
            self.current = 0;
        }
    }

    /// Takes back the pipes whose writers activated them.
    #[inline]
    fn take_activations(&mut self, pipes: &mut Pipes) {
        if pipes.activations.take(&mut self.woken) {
            self.reactivate();
        }
    }

    #[cold]
    fn reactivate(&mut self) {
        let mut woken = std::mem::take(&mut self.woken);
        for id in woken.drain(..) {
            if let Some(&i) = self.index.get(&id) {
                if i >= self.active {
                    self.swap(i, self.active);
                    self.active += 1;
                }
            }
        }
        self.woken = woken;
    }

    /// Active pipe `i` had nothing to read: mark it dead if its writer is
    /// gone, park it otherwise. True when it left the active part.
    fn idle(&mut self, pipes: &mut Pipes, i: usize) -> bool {
        let id = self.pipes[i];
        let Some(pipe) = pipes.get(id) else {
            return false;
        };
        if pipe.is_read_done() {
            pipes.mark_dead(id);
            return false;
        }
        if self.pipes.len() >= PARK_FROM && pipe.park_read() {
            self.deactivate(i);
            return true;
        }
        false
    }

    /// Receives a frame and the id of the pipe it came from.
    pub fn recv_pipe(&mut self, pipes: &mut Pipes) -> Result<(Msg, u64)> {
        let mut m = Msg::new();
        let id = self.recv_into(pipes, &mut m)?;
        Ok((m, id))
    }

    pub fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        self.recv_pipe(pipes).map(|(m, _)| m)
    }

    /// Receives a frame into `out` (replaced; untouched when nothing
    /// came): the id of the pipe it came from.
    pub fn recv_into(&mut self, pipes: &mut Pipes, out: &mut Msg) -> Result<u64> {
        if let Some(id) = self.in_progress {
            if pipes.get(id).is_some_and(|p| p.read_into(out)) {
                if !out.more() {
                    self.in_progress = None;
                    self.current += 1;
                }
                return Ok(id);
            }
            // Messages enter pipes whole, so this only happens when the
            // pipe was closed mid-message: forget the rest.
            self.in_progress = None;
        }
        self.take_activations(pipes);
        // Each active pipe is visited at most once: it gives a message, is
        // parked, or (input arriving meanwhile, or dead) is stepped over.
        let mut visits = self.active;
        while visits > 0 && self.active > 0 {
            visits -= 1;
            if self.current >= self.active {
                self.current = 0;
            }
            let i = self.current;
            let id = self.pipes[i];
            if pipes.get(id).is_some_and(|p| p.read_into(out)) {
                if out.more() {
                    self.in_progress = Some(id);
                } else {
                    self.current += 1;
                }
                return Ok(id);
            }
            if !self.idle(pipes, i) {
                self.current += 1;
            }
        }
        Err(Error::AGAIN)
    }

    pub fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        if self.in_progress.is_some() {
            return true;
        }
        self.take_activations(pipes);
        let mut i = 0;
        while i < self.active {
            let id = self.pipes[i];
            let readable = pipes.get(id).map(|p| p.check_read());
            match readable {
                Some(true) => return true,
                Some(false) => {
                    if !self.idle(pipes, i) {
                        i += 1;
                    }
                }
                None => i += 1,
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipe::pipe_pair;

    fn socket_with(n: usize) -> (Fq, Pipes, Vec<crate::pipe::PipeEnd>) {
        let mut fq = Fq::default();
        let mut pipes = Pipes::default();
        let mut writers = Vec::new();
        for _ in 0..n {
            let (ours, theirs) = pipe_pair(0, 0, false);
            ours.set_activations(&pipes.activations);
            let id = ours.id;
            pipes.map.insert(ours);
            fq.attach(id);
            writers.push(theirs);
        }
        (fq, pipes, writers)
    }

    fn frame(s: &str) -> Msg {
        Msg::from_bytes(bytes::Bytes::copy_from_slice(s.as_bytes()))
    }

    #[test]
    fn quiet_pipes_are_parked_and_woken_by_their_writer() {
        let (mut fq, mut pipes, mut w) = socket_with(100);
        assert!(!fq.has_in(&mut pipes));
        assert_eq!(fq.active, 0, "every empty pipe parked");
        w[57].write(frame("a")).unwrap();
        assert_eq!(fq.recv(&mut pipes).unwrap().data(), b"a");
        assert!(fq.recv(&mut pipes).is_err());
        assert_eq!(fq.active, 0);
        // A pipe parked again wakes again.
        w[57].write(frame("b")).unwrap();
        assert!(fq.has_in(&mut pipes));
        assert_eq!(fq.active, 1, "only the pipe with input is visited");
        assert_eq!(fq.recv(&mut pipes).unwrap().data(), b"b");
    }

    #[test]
    fn few_pipes_are_never_parked() {
        let (mut fq, mut pipes, mut w) = socket_with(PARK_FROM - 1);
        assert!(!fq.has_in(&mut pipes));
        assert_eq!(fq.active, PARK_FROM - 1);
        w[2].write(frame("a")).unwrap();
        assert_eq!(fq.recv(&mut pipes).unwrap().data(), b"a");
    }

    #[test]
    fn turns_go_round_the_pipes_with_input() {
        let (mut fq, mut pipes, mut w) = socket_with(4);
        for (k, wr) in w.iter_mut().enumerate() {
            for j in 0..2 {
                wr.write(frame(&format!("{k}{j}"))).unwrap();
            }
        }
        let got: Vec<Vec<u8>> = (0..8)
            .map(|_| fq.recv(&mut pipes).unwrap().data().to_vec())
            .collect();
        let firsts: std::collections::BTreeSet<_> = got[..4].iter().map(|m| m[0]).collect();
        assert_eq!(
            firsts.len(),
            4,
            "one message from each pipe before a second: {got:?}"
        );
        assert!(fq.recv(&mut pipes).is_err());
    }

    #[test]
    fn a_closed_writer_is_seen_even_when_parked() {
        let (mut fq, mut pipes, mut w) = socket_with(PARK_FROM + 2);
        assert!(!fq.has_in(&mut pipes));
        assert_eq!(fq.active, 0);
        w[1].close();
        assert!(!fq.has_in(&mut pipes));
        assert_eq!(pipes.dead.len(), 1);
        let id = pipes.dead[0];
        fq.detach(id);
        assert_eq!(fq.pipes.len(), PARK_FROM + 1);
        assert!(fq.index.values().all(|&i| i < PARK_FROM + 1));
    }

    #[test]
    fn detach_keeps_the_index_true() {
        let (mut fq, mut pipes, mut w) = socket_with(PARK_FROM + 2);
        w[3].write(frame("x")).unwrap();
        w[8].write(frame("y")).unwrap();
        assert!(fq.has_in(&mut pipes));
        let ids: Vec<u64> = fq.pipes.clone();
        for id in ids.iter().step_by(3) {
            fq.detach(*id);
        }
        for (i, id) in fq.pipes.iter().enumerate() {
            assert_eq!(fq.index[id], i);
        }
        assert!(fq.active <= fq.pipes.len());
        let mut n = 0;
        while fq.recv(&mut pipes).is_ok() {
            n += 1;
        }
        assert!(n <= 2);
    }
}
