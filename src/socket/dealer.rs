//! DEALER: load-balances what it sends and fair-queues what it receives.
//! REQ (`req.rs`) builds on it, as libzmq's `req_t` derives from
//! `dealer_t`.

use super::fq::Fq;
use super::lb::Lb;
use super::{Pattern, Pipes};
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::options::{as_int, opt};

#[derive(Default)]
pub struct Dealer {
    lb: Lb,
    fq: Fq,
    /// `ZMQ_PROBE_ROUTER`: greet each new peer with an empty message.
    probe_router: bool,
}

/// Writes the `ZMQ_PROBE_ROUTER` empty message to a new pipe. A pipe that
/// cannot take it simply misses it, as in libzmq.
pub(super) fn probe(pipes: &mut Pipes, id: u64) {
    if let Some(p) = pipes.get(id) {
        let _ = p.write(Msg::new());
    }
}

/// An int option that must be non-negative; true when non-zero.
pub(super) fn int_flag(value: &[u8]) -> Result<bool> {
    match as_int(value)? {
        v if v < 0 => Err(Error::INVAL),
        v => Ok(v != 0),
    }
}

impl Dealer {
    /// Sends a frame; the pipe it went to (`None` when it was dropped
    /// because its pipe left mid-message).
    pub fn send_pipe(
        &mut self,
        pipes: &mut Pipes,
        msg: Msg,
    ) -> std::result::Result<Option<u64>, (Error, Msg)> {
        self.lb.send(pipes, msg)
    }

    /// Receives a frame and the pipe it came from.
    pub fn recv_pipe(&mut self, pipes: &mut Pipes) -> Result<(Msg, u64)> {
        self.fq.recv_pipe(pipes)
    }
}

impl Pattern for Dealer {
    fn attach(&mut self, pipes: &mut Pipes, id: u64) {
        if self.probe_router {
            probe(pipes, id);
        }
        self.fq.attach(id);
        self.lb.attach(id);
    }

    fn detach(&mut self, id: u64) {
        self.fq.detach(id);
        self.lb.detach(id);
    }

    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        self.lb.send(pipes, msg).map(|_| ())
    }

    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        self.fq.recv(pipes)
    }

    fn recv_into(&mut self, pipes: &mut Pipes, out: &mut Msg) -> Result<()> {
        self.fq.recv_into(pipes, out).map(|_| ())
    }

    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        self.fq.has_in(pipes)
    }

    fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        self.lb.has_out(pipes)
    }

    fn setsockopt(&mut self, option: i32, value: &[u8]) -> Option<Result<()>> {
        match option {
            opt::PROBE_ROUTER => Some(int_flag(value).map(|on| self.probe_router = on)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::trie::harness::*;
    use super::*;

    #[test]
    fn sends_round_robin_whole_messages() {
        let mut d = Dealer::default();
        let mut pipes = Pipes::default();
        let (_, mut a) = connect(&mut d, &mut pipes, 0, b"");
        let (_, mut b) = connect(&mut d, &mut pipes, 0, b"");
        send(&mut d, &mut pipes, &[b"1"]);
        send(&mut d, &mut pipes, &[b"2"]);
        send(&mut d, &mut pipes, &[b"3", b"3b"]);
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"1"]), msg(&[b"3", b"3b"])]);
        assert_eq!(peer_drain(&mut b), vec![msg(&[b"2"])]);
    }

    #[test]
    fn receives_fair_queued() {
        let mut d = Dealer::default();
        let mut pipes = Pipes::default();
        let (_, mut a) = connect(&mut d, &mut pipes, 0, b"");
        let (_, mut b) = connect(&mut d, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"a1", b"x"]);
        peer_send(&mut a, &[b"a2"]);
        peer_send(&mut b, &[b"b1"]);
        let got: Vec<_> = (0..3).map(|_| recv(&mut d, &mut pipes)).collect();
        assert_eq!(got, vec![msg(&[b"a1", b"x"]), msg(&[b"b1"]), msg(&[b"a2"])]);
    }

    #[test]
    fn without_peers_send_would_block() {
        let mut d = Dealer::default();
        let mut pipes = Pipes::default();
        assert!(!d.has_out(&mut pipes));
        let e = d.send(&mut pipes, frame(b"x", false)).unwrap_err();
        assert_eq!(e.0, Error::AGAIN);
    }

    #[test]
    fn probe_router_greets_new_peers() {
        let mut d = Dealer::default();
        let mut pipes = Pipes::default();
        d.setsockopt(opt::PROBE_ROUTER, &1i32.to_ne_bytes())
            .unwrap()
            .unwrap();
        let (_, mut a) = connect(&mut d, &mut pipes, 0, b"");
        assert_eq!(peer_drain(&mut a), vec![msg(&[b""])]);
        assert_eq!(
            d.setsockopt(opt::PROBE_ROUTER, &(-1i32).to_ne_bytes()),
            Some(Err(Error::INVAL))
        );
        assert!(d
            .setsockopt(opt::REQ_RELAXED, &1i32.to_ne_bytes())
            .is_none());
    }
}
