//! REP: receives a request, then sends its reply, strictly in turn. Built
//! on ROUTER as libzmq's `rep_t` is (so it takes ROUTER's options too): the
//! request's envelope — the peer's routing id and every frame up to and
//! including the empty delimiter — is written back into the reply's pipe as
//! it is read, and the user sees only the body. A request without a
//! delimiter is dropped; a reply whose pipe has gone is dropped.

use super::router::Router;
use super::{Pattern, Pipes};
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::options::OptVal;

pub struct Rep {
    router: Router,
    /// A request was read whole: the reply is due.
    sending_reply: bool,
    /// The next frame read starts a request.
    request_begins: bool,
}

impl Default for Rep {
    fn default() -> Self {
        Rep {
            router: Router::default(),
            sending_reply: false,
            request_begins: true,
        }
    }
}

impl Pattern for Rep {
    fn attach(&mut self, pipes: &mut Pipes, id: u64) {
        self.router.attach(pipes, id);
    }

    fn detach(&mut self, id: u64) {
        self.router.detach(id);
    }

    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        if !self.sending_reply {
            return Err((Error::FSM, msg));
        }
        let more = msg.more();
        self.router.send_frame(pipes, msg)?;
        if !more {
            self.sending_reply = false;
        }
        Ok(())
    }

    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        if self.sending_reply {
            return Err(Error::FSM);
        }
        if self.request_begins {
            loop {
                let m = self.router.recv_frame(pipes)?;
                if m.more() {
                    let bottom = m.is_empty();
                    // Errors here only come from ROUTER_MANDATORY, where
                    // the reply is then dropped.
                    let _ = self.router.send_frame(pipes, m);
                    if bottom {
                        break;
                    }
                } else {
                    // The request ended before its delimiter.
                    self.router.rollback(pipes);
                }
            }
            self.request_begins = false;
        }
        let m = self.router.recv_frame(pipes)?;
        if !m.more() {
            self.sending_reply = true;
            self.request_begins = true;
        }
        Ok(m)
    }

    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        !self.sending_reply && self.router.has_in(pipes)
    }

    fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        self.sending_reply && self.router.has_out(pipes)
    }

    fn setsockopt(&mut self, option: i32, value: &[u8]) -> Option<Result<()>> {
        self.router.setsockopt(option, value)
    }

    fn getsockopt(&self, option: i32) -> Option<Result<OptVal>> {
        self.router.getsockopt(option)
    }
}

#[cfg(test)]
mod tests {
    use super::super::trie::harness::*;
    use super::*;

    fn rep() -> (Rep, Pipes) {
        (Rep::default(), Pipes::default())
    }

    #[test]
    fn request_body_is_received_and_reply_carries_the_envelope() {
        let (mut r, mut pipes) = rep();
        let (_, mut a) = connect(&mut r, &mut pipes, 0, b"A");
        peer_send(&mut a, &[b"hop1", b"hop2", b"", b"question", b"2"]);
        assert_eq!(recv(&mut r, &mut pipes), msg(&[b"question", b"2"]));
        send(&mut r, &mut pipes, &[b"answer", b"x"]);
        assert_eq!(
            peer_drain(&mut a),
            vec![msg(&[b"hop1", b"hop2", b"", b"answer", b"x"])]
        );
    }

    #[test]
    fn replies_go_to_the_requesting_pipe() {
        let (mut r, mut pipes) = rep();
        let (_, mut a) = connect(&mut r, &mut pipes, 0, b"");
        let (_, mut b) = connect(&mut r, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"", b"qa"]);
        peer_send(&mut b, &[b"", b"qb"]);
        assert_eq!(recv(&mut r, &mut pipes), msg(&[b"qa"]));
        send(&mut r, &mut pipes, &[b"ra"]);
        assert_eq!(recv(&mut r, &mut pipes), msg(&[b"qb"]));
        send(&mut r, &mut pipes, &[b"rb"]);
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"", b"ra"])]);
        assert_eq!(peer_drain(&mut b), vec![msg(&[b"", b"rb"])]);
    }

    #[test]
    fn send_before_recv_is_an_fsm_error() {
        let (mut r, mut pipes) = rep();
        let e = r.send(&mut pipes, frame(b"x", false)).unwrap_err();
        assert_eq!(e.0, Error::FSM);
        assert!(!r.has_out(&mut pipes));
    }

    #[test]
    fn recv_before_reply_is_an_fsm_error() {
        let (mut r, mut pipes) = rep();
        let (_, mut a) = connect(&mut r, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"", b"q1"]);
        peer_send(&mut a, &[b"", b"q2"]);
        recv(&mut r, &mut pipes);
        assert!(!r.has_in(&mut pipes));
        assert!(r.has_out(&mut pipes));
        assert_eq!(r.recv(&mut pipes).unwrap_err(), Error::FSM);
    }

    #[test]
    fn requests_without_delimiter_are_dropped() {
        let (mut r, mut pipes) = rep();
        let (_, mut a) = connect(&mut r, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"no", b"delimiter"]);
        peer_send(&mut a, &[b"", b"good"]);
        assert_eq!(recv(&mut r, &mut pipes), msg(&[b"good"]));
        send(&mut r, &mut pipes, &[b"reply"]);
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"", b"reply"])]);
    }

    #[test]
    fn a_reply_to_a_gone_peer_is_dropped() {
        let (mut r, mut pipes) = rep();
        let (a_id, mut a) = connect(&mut r, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"", b"q"]);
        recv(&mut r, &mut pipes);
        pipes.mark_dead(a_id);
        reap(&mut r, &mut pipes);
        send(&mut r, &mut pipes, &[b"reply"]);
        let (_, mut b) = connect(&mut r, &mut pipes, 0, b"");
        peer_send(&mut b, &[b"", b"q2"]);
        assert_eq!(recv(&mut r, &mut pipes), msg(&[b"q2"]));
    }

    #[test]
    fn multipart_reply_is_delivered_whole() {
        let (mut r, mut pipes) = rep();
        let (_, mut a) = connect(&mut r, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"", b"q"]);
        recv(&mut r, &mut pipes);
        r.send(&mut pipes, frame(b"r1", true)).unwrap();
        assert!(a.read().is_none(), "nothing visible before the last frame");
        r.send(&mut pipes, frame(b"r2", false)).unwrap();
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"", b"r1", b"r2"])]);
    }
}
