//! PUB: distributes messages to matching subscribers; never receives.
//! libzmq's `pub_t` is an `xpub_t` that passes nothing up, and so is this.

use super::xpub::XPub;
use super::{Pattern, Pipes};
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::options::OptVal;

pub struct Pub {
    inner: XPub,
}

impl Default for Pub {
    fn default() -> Self {
        Pub {
            inner: XPub::new_pub(),
        }
    }
}

impl Pattern for Pub {
    fn attach(&mut self, pipes: &mut Pipes, id: u64) {
        self.inner.attach(pipes, id);
    }

    fn detach(&mut self, id: u64) {
        self.inner.detach(id);
    }

    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        self.inner.send(pipes, msg)
    }

    fn recv(&mut self, _pipes: &mut Pipes) -> Result<Msg> {
        Err(Error::NOTSUP)
    }

    fn has_in(&mut self, _pipes: &mut Pipes) -> bool {
        false
    }

    fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        self.inner.has_out(pipes)
    }

    fn setsockopt(&mut self, option: i32, value: &[u8]) -> Option<Result<()>> {
        self.inner.setsockopt(option, value)
    }

    fn getsockopt(&self, option: i32) -> Option<Result<OptVal>> {
        self.inner.getsockopt(option)
    }
}

#[cfg(test)]
mod tests {
    use super::super::trie::harness::*;
    use super::*;

    #[test]
    fn recv_is_not_supported() {
        let mut p = Pub::default();
        let mut pipes = Pipes::default();
        let (_, mut a) = connect(&mut p, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"hello"]);
        assert_eq!(p.recv(&mut pipes).unwrap_err(), Error::NOTSUP);
        assert!(!p.has_in(&mut pipes));
        assert!(p.has_out(&mut pipes));
    }

    #[test]
    fn subscriptions_apply_but_are_not_passed_up() {
        let mut p = Pub::default();
        let mut pipes = Pipes::default();
        let (_, mut a) = connect(&mut p, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"\x01a"]);
        peer_send(&mut a, &[b"user message"]);
        send(&mut p, &mut pipes, &[b"a1"]);
        send(&mut p, &mut pipes, &[b"b1"]);
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"a1"])]);
        peer_send(&mut a, &[b"\x00a"]);
        send(&mut p, &mut pipes, &[b"a2"]);
        assert!(peer_drain(&mut a).is_empty());
    }

    #[test]
    fn without_subscribers_messages_are_dropped() {
        let mut p = Pub::default();
        let mut pipes = Pipes::default();
        send(&mut p, &mut pipes, &[b"into the void"]);
        let (_, mut a) = connect(&mut p, &mut pipes, 0, b"");
        assert!(peer_drain(&mut a).is_empty());
    }

    #[test]
    fn a_closed_subscriber_is_removed() {
        let mut p = Pub::default();
        let mut pipes = Pipes::default();
        let (_, mut a) = connect(&mut p, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"\x01"]);
        drop(a);
        send(&mut p, &mut pipes, &[b"x"]);
        assert!(pipes.is_empty());
    }
}
