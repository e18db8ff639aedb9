//! REQ: a DEALER that alternates strictly between sending a request and
//! receiving its reply. A request goes out as an empty delimiter frame and
//! the user's frames (with `ZMQ_REQ_CORRELATE`, a 4-byte request id first,
//! in native byte order as libzmq writes it); a reply is accepted only from
//! the pipe the request went to and only with the same framing.

use super::dealer::{int_flag, Dealer};
use super::{Pattern, Pipes};
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::options::opt;

pub struct Req {
    dealer: Dealer,
    /// A whole request went out; a reply is due.
    receiving_reply: bool,
    /// The next frame starts a request (send) or a reply (recv).
    message_begins: bool,
    /// Where the request went; `None` once that pipe left (then a reply
    /// from any pipe is taken, as libzmq does).
    reply_pipe: Option<u64>,
    /// `ZMQ_REQ_CORRELATE`.
    correlate: bool,
    request_id: u32,
    /// Not `ZMQ_REQ_RELAXED`.
    strict: bool,
}

impl Default for Req {
    fn default() -> Self {
        Req {
            dealer: Dealer::default(),
            receiving_reply: false,
            message_begins: true,
            reply_pipe: None,
            correlate: false,
            request_id: crate::util::random::random_u32(),
            strict: true,
        }
    }
}

fn with_more(mut m: Msg) -> Msg {
    m.set_more(true);
    m
}

impl Req {
    /// Receives a frame from the reply pipe, dropping frames from others.
    fn recv_reply_frame(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        loop {
            let (m, pipe) = self.dealer.recv_pipe(pipes)?;
            if self.reply_pipe.is_none_or(|p| p == pipe) {
                return Ok(m);
            }
        }
    }

    /// Drops the rest of a reply whose first frames were wrong.
    fn skip_rest(&mut self, pipes: &mut Pipes, mut more: bool) {
        while more {
            match self.recv_reply_frame(pipes) {
                Ok(m) => more = m.more(),
                Err(_) => break,
            }
        }
    }

    /// Sends the frames that start a request; the pipe they went to.
    fn send_envelope(&mut self, pipes: &mut Pipes) -> std::result::Result<Option<u64>, Error> {
        let mut pipe = None;
        if self.correlate {
            self.request_id = self.request_id.wrapping_add(1);
            let id = with_more(Msg::from_slice(&self.request_id.to_ne_bytes()));
            pipe = self.dealer.send_pipe(pipes, id).map_err(|(e, _)| e)?;
        }
        let bottom = self
            .dealer
            .send_pipe(pipes, with_more(Msg::new()))
            .map_err(|(e, _)| e)?;
        Ok(bottom.or(pipe))
    }
}

impl Pattern for Req {
    fn attach(&mut self, pipes: &mut Pipes, id: u64) {
        self.dealer.attach(pipes, id);
    }

    fn detach(&mut self, id: u64) {
        if self.reply_pipe == Some(id) {
            self.reply_pipe = None;
        }
        self.dealer.detach(id);
    }

    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        if self.receiving_reply {
            if self.strict {
                return Err((Error::FSM, msg));
            }
            // Relaxed: the pending request is abandoned.
            self.receiving_reply = false;
            self.message_begins = true;
        }
        if self.message_begins {
            self.reply_pipe = match self.send_envelope(pipes) {
                Ok(p) => p,
                Err(e) => return Err((e, msg)),
            };
            self.message_begins = false;
            // Drop replies already waiting, so that a late reply to an
            // older request is never taken for this one's.
            while self.dealer.recv_pipe(pipes).is_ok() {}
        }
        let more = msg.more();
        self.dealer.send_pipe(pipes, msg)?;
        if !more {
            self.receiving_reply = true;
            self.message_begins = true;
        }
        Ok(())
    }

    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        if !self.receiving_reply {
            return Err(Error::FSM);
        }
        while self.message_begins {
            if self.correlate {
                let m = self.recv_reply_frame(pipes)?;
                if !m.more() || m.data() != self.request_id.to_ne_bytes() {
                    self.skip_rest(pipes, m.more());
                    continue;
                }
            }
            let m = self.recv_reply_frame(pipes)?;
            if !m.more() || !m.is_empty() {
                self.skip_rest(pipes, m.more());
                continue;
            }
            self.message_begins = false;
        }
        let m = self.recv_reply_frame(pipes)?;
        if !m.more() {
            self.receiving_reply = false;
            self.message_begins = true;
        }
        Ok(m)
    }

    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        self.receiving_reply && self.dealer.has_in(pipes)
    }

    fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        if self.receiving_reply && self.strict {
            return false;
        }
        self.dealer.has_out(pipes)
    }

    fn setsockopt(&mut self, option: i32, value: &[u8]) -> Option<Result<()>> {
        match option {
            opt::REQ_CORRELATE => Some(int_flag(value).map(|on| self.correlate = on)),
            opt::REQ_RELAXED => Some(int_flag(value).map(|on| self.strict = !on)),
            _ => self.dealer.setsockopt(option, value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::trie::harness::*;
    use super::*;

    fn on() -> [u8; 4] {
        1i32.to_ne_bytes()
    }

    fn req() -> (Req, Pipes) {
        (Req::default(), Pipes::default())
    }

    #[test]
    fn request_goes_out_with_an_empty_delimiter() {
        let (mut r, mut pipes) = req();
        let (_, mut a) = connect(&mut r, &mut pipes, 0, b"");
        send(&mut r, &mut pipes, &[b"hello", b"world"]);
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"", b"hello", b"world"])]);
    }

    #[test]
    fn reply_is_received_without_the_delimiter() {
        let (mut r, mut pipes) = req();
        let (_, mut a) = connect(&mut r, &mut pipes, 0, b"");
        send(&mut r, &mut pipes, &[b"q"]);
        peer_send(&mut a, &[b"", b"answer", b"2"]);
        assert_eq!(recv(&mut r, &mut pipes), msg(&[b"answer", b"2"]));
        send(&mut r, &mut pipes, &[b"next"]);
    }

    #[test]
    fn sending_twice_is_an_fsm_error() {
        let (mut r, mut pipes) = req();
        let (_, _a) = connect(&mut r, &mut pipes, 0, b"");
        send(&mut r, &mut pipes, &[b"q"]);
        assert!(!r.has_out(&mut pipes));
        let e = r.send(&mut pipes, frame(b"again", false)).unwrap_err();
        assert_eq!((e.0, e.1.data()), (Error::FSM, &b"again"[..]));
    }

    #[test]
    fn receiving_first_is_an_fsm_error() {
        let (mut r, mut pipes) = req();
        assert_eq!(r.recv(&mut pipes).unwrap_err(), Error::FSM);
        assert!(!r.has_in(&mut pipes));
    }

    #[test]
    fn without_peers_the_request_would_block_and_state_is_kept() {
        let (mut r, mut pipes) = req();
        let e = r.send(&mut pipes, frame(b"q", false)).unwrap_err();
        assert_eq!(e.0, Error::AGAIN);
        let (_, mut a) = connect(&mut r, &mut pipes, 0, b"");
        send(&mut r, &mut pipes, &[b"q"]);
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"", b"q"])]);
    }

    #[test]
    fn replies_from_other_pipes_are_dropped() {
        let (mut r, mut pipes) = req();
        let (_, mut a) = connect(&mut r, &mut pipes, 0, b"");
        let (_, mut b) = connect(&mut r, &mut pipes, 0, b"");
        send(&mut r, &mut pipes, &[b"q"]);
        assert_eq!(peer_drain(&mut a).len(), 1, "first request went to a");
        peer_send(&mut b, &[b"", b"from b"]);
        peer_send(&mut a, &[b"", b"from a"]);
        assert_eq!(recv(&mut r, &mut pipes), msg(&[b"from a"]));
    }

    #[test]
    fn replies_without_delimiter_are_dropped() {
        let (mut r, mut pipes) = req();
        let (_, mut a) = connect(&mut r, &mut pipes, 0, b"");
        send(&mut r, &mut pipes, &[b"q"]);
        peer_send(&mut a, &[b"bad", b"reply"]);
        peer_send(&mut a, &[b"nodelim"]);
        assert_eq!(r.recv(&mut pipes).unwrap_err(), Error::AGAIN);
        peer_send(&mut a, &[b"", b"good"]);
        assert_eq!(recv(&mut r, &mut pipes), msg(&[b"good"]));
    }

    #[test]
    fn stale_replies_are_dropped_when_a_request_starts() {
        let (mut r, mut pipes) = req();
        r.setsockopt(opt::REQ_RELAXED, &on()).unwrap().unwrap();
        let (_, mut a) = connect(&mut r, &mut pipes, 0, b"");
        send(&mut r, &mut pipes, &[b"q1"]);
        peer_send(&mut a, &[b"", b"late answer to q1"]);
        send(&mut r, &mut pipes, &[b"q2"]);
        peer_send(&mut a, &[b"", b"answer to q2"]);
        assert_eq!(recv(&mut r, &mut pipes), msg(&[b"answer to q2"]));
    }

    #[test]
    fn relaxed_allows_a_new_request() {
        let (mut r, mut pipes) = req();
        r.setsockopt(opt::REQ_RELAXED, &on()).unwrap().unwrap();
        // HWM 1: the first request fills a, so the second goes to b.
        let (_, mut a) = connect(&mut r, &mut pipes, 1, b"");
        let (_, mut b) = connect(&mut r, &mut pipes, 1, b"");
        send(&mut r, &mut pipes, &[b"q1"]);
        assert!(r.has_out(&mut pipes));
        send(&mut r, &mut pipes, &[b"q2"]);
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"", b"q1"])]);
        assert_eq!(peer_drain(&mut b), vec![msg(&[b"", b"q2"])]);
        // Only the pipe of the latest request may answer.
        peer_send(&mut a, &[b"", b"a"]);
        peer_send(&mut b, &[b"", b"b"]);
        assert_eq!(recv(&mut r, &mut pipes), msg(&[b"b"]));
    }

    #[test]
    fn correlate_prefixes_a_request_id_and_checks_it() {
        let (mut r, mut pipes) = req();
        r.setsockopt(opt::REQ_CORRELATE, &on()).unwrap().unwrap();
        r.setsockopt(opt::REQ_RELAXED, &on()).unwrap().unwrap();
        let (_, mut a) = connect(&mut r, &mut pipes, 0, b"");
        send(&mut r, &mut pipes, &[b"q1"]);
        let first = peer_recv(&mut a).unwrap();
        send(&mut r, &mut pipes, &[b"q2"]);
        let second = peer_recv(&mut a).unwrap();
        assert_eq!(first[0].len(), 4);
        assert_eq!(&first[1..], &msg(&[b"", b"q1"])[..]);
        let id1 = u32::from_ne_bytes(first[0].clone().try_into().unwrap());
        let id2 = u32::from_ne_bytes(second[0].clone().try_into().unwrap());
        assert_eq!(id2, id1.wrapping_add(1));
        peer_send(&mut a, &[&first[0], b"", b"old"]);
        peer_send(&mut a, &[&second[0], b"", b"new"]);
        assert_eq!(recv(&mut r, &mut pipes), msg(&[b"new"]));
    }

    #[test]
    fn a_reply_pipe_that_left_lets_any_pipe_answer() {
        let (mut r, mut pipes) = req();
        let (a_id, _a) = connect(&mut r, &mut pipes, 0, b"");
        let (_, mut b) = connect(&mut r, &mut pipes, 0, b"");
        send(&mut r, &mut pipes, &[b"q"]);
        pipes.mark_dead(a_id);
        reap(&mut r, &mut pipes);
        peer_send(&mut b, &[b"", b"from b"]);
        assert_eq!(recv(&mut r, &mut pipes), msg(&[b"from b"]));
    }

    #[test]
    fn options_are_validated() {
        let (mut r, _) = req();
        for o in [opt::REQ_CORRELATE, opt::REQ_RELAXED, opt::PROBE_ROUTER] {
            assert_eq!(
                r.setsockopt(o, &(-1i32).to_ne_bytes()),
                Some(Err(Error::INVAL))
            );
            assert_eq!(r.setsockopt(o, &[0u8; 2]), Some(Err(Error::INVAL)));
            assert_eq!(r.setsockopt(o, &on()), Some(Ok(())));
        }
        assert!(r.setsockopt(opt::ROUTER_MANDATORY, &on()).is_none());
    }
}
