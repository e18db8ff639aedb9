//! SUB: XSUB with filtering on, subscriptions set by `ZMQ_SUBSCRIBE` /
//! `ZMQ_UNSUBSCRIBE`, and no sending (`xsub.rs` has the pattern).

use super::xsub::XSub;
use super::{Pattern, Pipes};
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::options::{opt, OptVal};

/// SUB: XSUB with filtering, subscriptions by option and no sending.
pub struct Sub {
    inner: XSub,
    /// Pipes for `setsockopt`, which the trait does not pass: kept from the
    /// last call that had them. See `Sub::setsockopt`.
    queued: Vec<(bool, Vec<u8>)>,
}

impl Default for Sub {
    fn default() -> Self {
        Sub {
            inner: XSub::new_sub(),
            queued: Vec::new(),
        }
    }
}

impl Sub {
    /// Applies subscriptions set by option since the last call. Inlined
    /// and checked first: on every receive, taking an empty vector cost as
    /// much as the rest of the pattern's step.
    #[inline]
    fn flush(&mut self, pipes: &mut Pipes) {
        if !self.queued.is_empty() {
            self.apply_queued(pipes);
        }
    }

    #[cold]
    fn apply_queued(&mut self, pipes: &mut Pipes) {
        for (subscribe, topic) in std::mem::take(&mut self.queued) {
            self.inner.subscribe(pipes, subscribe, &topic);
        }
    }
}

impl Pattern for Sub {
    fn attach(&mut self, pipes: &mut Pipes, id: u64) {
        self.flush(pipes);
        self.inner.attach(pipes, id);
    }

    fn detach(&mut self, id: u64) {
        self.inner.detach(id);
    }

    fn hiccuped(&mut self, pipes: &mut Pipes, id: u64) {
        // Subscriptions set by option join the held set first: they go
        // out once, with the others.
        self.flush(pipes);
        self.inner.hiccuped(pipes, id);
    }

    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        self.flush(pipes);
        Err((Error::NOTSUP, msg))
    }

    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        self.flush(pipes);
        self.inner.recv(pipes)
    }

    fn recv_into(&mut self, pipes: &mut Pipes, out: &mut Msg) -> Result<()> {
        self.flush(pipes);
        self.inner.recv_into(pipes, out)
    }

    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        self.flush(pipes);
        self.inner.has_in(pipes)
    }

    fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        self.flush(pipes);
        false
    }

    /// `setsockopt` has no access to the pipes, so a subscription is queued
    /// and applied (trie and upstream) at the socket's next pattern call.
    fn setsockopt(&mut self, option: i32, value: &[u8]) -> Option<Result<()>> {
        match option {
            opt::SUBSCRIBE | opt::UNSUBSCRIBE => {
                self.queued.push((option == opt::SUBSCRIBE, value.to_vec()));
                Some(Ok(()))
            }
            opt::INVERT_MATCHING => self.inner.set_invert(value),
            _ => None,
        }
    }

    fn getsockopt(&self, option: i32) -> Option<Result<OptVal>> {
        match option {
            opt::INVERT_MATCHING => self.inner.get_invert(),
            opt::TOPICS_COUNT => self.inner.getsockopt(option),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::trie::harness::*;
    use super::*;

    fn sub() -> (Sub, Pipes) {
        (Sub::default(), Pipes::default())
    }

    fn subscribe(s: &mut Sub, pipes: &mut Pipes, topic: &[u8]) {
        s.setsockopt(opt::SUBSCRIBE, topic).unwrap().unwrap();
        s.has_in(pipes);
    }

    #[test]
    fn subscriptions_go_upstream_as_commands() {
        let (mut s, mut pipes) = sub();
        let (_, mut a) = connect(&mut s, &mut pipes, 0, b"");
        subscribe(&mut s, &mut pipes, b"news");
        s.setsockopt(opt::UNSUBSCRIBE, b"news").unwrap().unwrap();
        s.has_in(&mut pipes);
        let m = a.read().unwrap();
        assert_eq!((m.data(), m.is_command()), (&b"\x01news"[..], true));
        let m = a.read().unwrap();
        assert_eq!((m.data(), m.is_command()), (&b"\x00news"[..], true));
    }

    #[test]
    fn only_matching_messages_are_received() {
        let (mut s, mut pipes) = sub();
        let (_, mut a) = connect(&mut s, &mut pipes, 0, b"");
        subscribe(&mut s, &mut pipes, b"a");
        peer_send(&mut a, &[b"b-dropped", b"tail"]);
        peer_send(&mut a, &[b"a-kept", b"b-tail-follows"]);
        peer_send(&mut a, &[b"c"]);
        assert_eq!(
            recv(&mut s, &mut pipes),
            msg(&[b"a-kept", b"b-tail-follows"])
        );
        assert_eq!(s.recv(&mut pipes).unwrap_err(), Error::AGAIN);
    }

    #[test]
    fn nothing_is_received_without_subscriptions() {
        let (mut s, mut pipes) = sub();
        let (_, mut a) = connect(&mut s, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"x"]);
        assert!(!s.has_in(&mut pipes));
    }

    #[test]
    fn the_empty_topic_receives_everything() {
        let (mut s, mut pipes) = sub();
        let (_, mut a) = connect(&mut s, &mut pipes, 0, b"");
        subscribe(&mut s, &mut pipes, b"");
        peer_send(&mut a, &[b"anything"]);
        assert_eq!(recv(&mut s, &mut pipes), msg(&[b"anything"]));
    }

    #[test]
    fn has_in_filters_and_keeps_the_match_for_recv() {
        let (mut s, mut pipes) = sub();
        let (_, mut a) = connect(&mut s, &mut pipes, 0, b"");
        subscribe(&mut s, &mut pipes, b"y");
        peer_send(&mut a, &[b"no"]);
        assert!(!s.has_in(&mut pipes));
        peer_send(&mut a, &[b"yes", b"2"]);
        assert!(s.has_in(&mut pipes));
        assert!(s.has_in(&mut pipes));
        assert_eq!(recv(&mut s, &mut pipes), msg(&[b"yes", b"2"]));
    }

    #[test]
    fn invert_matching_receives_the_others() {
        let (mut s, mut pipes) = sub();
        s.setsockopt(opt::INVERT_MATCHING, &1i32.to_ne_bytes())
            .unwrap()
            .unwrap();
        let (_, mut a) = connect(&mut s, &mut pipes, 0, b"");
        subscribe(&mut s, &mut pipes, b"a");
        peer_send(&mut a, &[b"a1"]);
        peer_send(&mut a, &[b"b1"]);
        assert_eq!(recv(&mut s, &mut pipes), msg(&[b"b1"]));
        assert!(!s.has_in(&mut pipes));
    }

    #[test]
    fn a_new_publisher_learns_existing_subscriptions() {
        let (mut s, mut pipes) = sub();
        subscribe(&mut s, &mut pipes, b"k");
        let (_, mut a) = connect(&mut s, &mut pipes, 0, b"");
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"\x01k"])]);
    }

    #[test]
    fn a_hiccup_sends_option_subscriptions_once() {
        let (mut s, mut pipes) = sub();
        let (id, mut a) = connect(&mut s, &mut pipes, 0, b"");
        subscribe(&mut s, &mut pipes, b"k");
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"\x01k"])]);
        // Set while the connection was down, not yet applied.
        s.setsockopt(opt::SUBSCRIBE, b"j").unwrap().unwrap();
        a.begin_hiccup();
        s.hiccuped(&mut pipes, id);
        pipes.get(id).unwrap().end_hiccup();
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"\x01j"]), msg(&[b"\x01k"])]);
    }

    #[test]
    fn sending_is_not_supported() {
        let (mut s, mut pipes) = sub();
        let e = s.send(&mut pipes, frame(b"x", false)).unwrap_err();
        assert_eq!(e.0, Error::NOTSUP);
        assert!(!s.has_out(&mut pipes));
    }

    #[test]
    fn other_options_are_left_to_the_socket() {
        let (mut s, _) = sub();
        assert!(s
            .setsockopt(opt::XPUB_VERBOSE, &1i32.to_ne_bytes())
            .is_none());
        assert_eq!(s.getsockopt(opt::INVERT_MATCHING), Some(Ok(OptVal::Int(0))));
    }
}
