//! XSUB: fair-queues messages from its publishers and sends subscriptions
//! upstream. SUB (`sub.rs`) is this pattern with filtering switched on,
//! subscriptions set by option and no user sends, as in libzmq where
//! `sub_t` derives from `xsub_t`.
//!
//! Upstream, a subscription is a message `0x01`+topic (`0x00`+topic to
//! cancel). Those the socket makes itself (SUB's options, and the cached
//! subscriptions re-sent to every new pipe) carry `msg::flags::COMMAND`:
//! an engine sends them to a ZMTP 3.1 peer as SUBSCRIBE/CANCEL commands
//! (`zmtp::encode_subscription`). What an XSUB user sends goes out as an
//! ordinary message, even when it is a subscription; libzmq does the same
//! and publishers accept both forms.
//!
//! libzmq's XSUB does not filter what it receives (`options.filter` is off
//! for XSUB); only SUB does.

use super::dist::Dist;
use super::fq::Fq;
use super::trie::Trie;
use super::{Pattern, Pipes};
use crate::error::{Error, Result};
use crate::msg::{flags, Msg};
use crate::options::{as_int, opt, OptVal};

/// A subscription message as the socket itself makes it.
pub fn subscription_msg(subscribe: bool, topic: &[u8]) -> Msg {
    let mut body = Vec::with_capacity(topic.len() + 1);
    body.push(subscribe as u8);
    body.extend_from_slice(topic);
    let mut m = Msg::from_slice(&body);
    m.set_flags(flags::COMMAND);
    m
}

pub struct XSub {
    /// SUB: drop messages no subscription matches.
    filter: bool,
    invert: bool,
    fq: Fq,
    dist: Dist,
    subscriptions: Trie,
    /// The first frame of a matching message `has_in` had to read to know.
    prefetched: Option<Msg>,
    /// The user is inside a message: its next frames pass unfiltered.
    more_recv: bool,
    /// The user is sending a multipart message.
    more_send: bool,
    /// Frames of the message being sent are read as subscriptions.
    process_subscribe: bool,
    /// `ZMQ_ONLY_FIRST_SUBSCRIBE`: only a message's first frame (and the
    /// frames after a first frame that was one) may be a subscription.
    only_first_subscribe: bool,
    /// Draft `ZMQ_XSUB_VERBOSE_UNSUBSCRIBE`: a cancel goes upstream even
    /// when the topic is still held or was never held.
    verbose_unsubs: bool,
}

impl XSub {
    pub fn new() -> XSub {
        XSub::with_filter(false)
    }

    /// The pattern SUB uses.
    pub fn new_sub() -> XSub {
        XSub::with_filter(true)
    }

    fn with_filter(filter: bool) -> XSub {
        XSub {
            filter,
            invert: false,
            fq: Fq::default(),
            dist: Dist::default(),
            subscriptions: Trie::new(),
            prefetched: None,
            more_recv: false,
            more_send: false,
            process_subscribe: false,
            only_first_subscribe: false,
            verbose_unsubs: false,
        }
    }

    fn matches(&self, msg: &Msg) -> bool {
        self.subscriptions.matches(msg.data()) ^ self.invert
    }

    /// Reads and drops the rest of a message whose first frame was `first`.
    fn skip_rest(&mut self, pipes: &mut Pipes, first: &Msg) {
        let mut more = first.more();
        while more {
            match self.fq.recv(pipes) {
                Ok(m) => more = m.more(),
                Err(_) => break,
            }
        }
    }

    /// Applies a subscription message (`0x01`/`0x00` + topic) and forwards
    /// it upstream; anything else goes upstream as it is. Cancelling a
    /// topic still referenced, or not held, sends nothing.
    fn send_upstream(&mut self, pipes: &mut Pipes, msg: Msg) {
        let data = msg.data();
        // libzmq `xsub_t::xsend`: with `ZMQ_ONLY_FIRST_SUBSCRIBE`, the frames
        // after a first frame that was no subscription go up as they are.
        let first_part = !self.more_send;
        self.more_send = msg.more();
        if first_part {
            self.process_subscribe = !self.only_first_subscribe;
        } else if !self.process_subscribe {
            self.dist.send_to_all(pipes, msg);
            return;
        }
        let forward = match crate::zmtp::Subscription::parse_message(data) {
            Some((true, topic)) => {
                // Duplicates go too: publishers count them (XPUB_VERBOSE).
                self.subscriptions.add(topic);
                self.process_subscribe = true;
                true
            }
            Some((false, topic)) => {
                self.process_subscribe = true;
                self.subscriptions.remove(topic) || self.verbose_unsubs
            }
            None => true,
        };
        if forward {
            self.dist.send_to_all(pipes, msg);
        }
    }

    /// SUB's `ZMQ_SUBSCRIBE`/`ZMQ_UNSUBSCRIBE`.
    pub fn subscribe(&mut self, pipes: &mut Pipes, subscribe: bool, topic: &[u8]) {
        self.send_upstream(pipes, subscription_msg(subscribe, topic));
    }

    /// Writes every held topic to one pipe; at its HWM the rest is
    /// dropped, as libzmq does.
    fn send_all_subscriptions(&self, pipes: &mut Pipes, id: u64) {
        let Some(pipe) = pipes.get(id) else {
            return;
        };
        for topic in self.subscriptions.topics() {
            if pipe.write(subscription_msg(true, &topic)).is_err() {
                break;
            }
        }
    }

    pub(super) fn set_invert(&mut self, value: &[u8]) -> Option<Result<()>> {
        Some(as_int(value).map(|v| self.invert = v != 0))
    }

    pub(super) fn get_invert(&self) -> Option<Result<OptVal>> {
        Some(Ok(OptVal::Int(self.invert as i32)))
    }
}

impl Default for XSub {
    fn default() -> Self {
        XSub::new()
    }
}

impl Pattern for XSub {
    fn attach(&mut self, pipes: &mut Pipes, id: u64) {
        self.fq.attach(id);
        self.dist.attach(id);
        // A new publisher learns everything we hold.
        self.send_all_subscriptions(pipes, id);
    }

    /// A reconnection: what the old connection did not send is dropped,
    /// and the new publisher learns everything we hold (libzmq
    /// `xsub_t::xhiccuped`), with nothing sent twice.
    fn hiccuped(&mut self, pipes: &mut Pipes, id: u64) {
        if let Some(pipe) = pipes.get(id) {
            pipe.discard_unread();
        }
        self.send_all_subscriptions(pipes, id);
    }

    fn detach(&mut self, id: u64) {
        self.fq.detach(id);
        self.dist.detach(id);
    }

    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        self.send_upstream(pipes, msg);
        Ok(())
    }

    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        let mut m = Msg::new();
        self.recv_into(pipes, &mut m).map(|()| m)
    }

    fn recv_into(&mut self, pipes: &mut Pipes, out: &mut Msg) -> Result<()> {
        if let Some(m) = self.prefetched.take() {
            self.more_recv = m.more();
            *out = m;
            return Ok(());
        }
        loop {
            self.fq.recv_into(pipes, out)?;
            if self.more_recv || !self.filter || self.matches(out) {
                self.more_recv = out.more();
                return Ok(());
            }
            // Not subscribed: dropped, with the rest of its message.
            let m = std::mem::take(out);
            self.skip_rest(pipes, &m);
        }
    }

    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        if self.more_recv || self.prefetched.is_some() {
            return true;
        }
        if !self.filter {
            return self.fq.has_in(pipes);
        }
        loop {
            let Ok(m) = self.fq.recv(pipes) else {
                return false;
            };
            if self.matches(&m) {
                self.prefetched = Some(m);
                return true;
            }
            self.skip_rest(pipes, &m);
        }
    }

    fn has_out(&mut self, _pipes: &mut Pipes) -> bool {
        // Subscriptions may be sent at any time.
        true
    }

    fn setsockopt(&mut self, option: i32, value: &[u8]) -> Option<Result<()>> {
        match option {
            opt::INVERT_MATCHING => self.set_invert(value),
            // libzmq's XSUB takes it in every build (4.3.4's stable too).
            opt::ONLY_FIRST_SUBSCRIBE => Some(match as_int(value) {
                Ok(v) if v >= 0 => {
                    self.only_first_subscribe = v != 0;
                    Ok(())
                }
                _ => Err(Error::INVAL),
            }),
            // libzmq reads an int without checking the size; a value too
            // short to hold one is refused here.
            #[cfg(feature = "draft")]
            opt::XSUB_VERBOSE_UNSUBSCRIBE => Some(match value.get(..4) {
                Some(v) => as_int(v).map(|v| self.verbose_unsubs = v != 0),
                None => Err(Error::INVAL),
            }),
            _ => None,
        }
    }

    fn getsockopt(&self, option: i32) -> Option<Result<OptVal>> {
        match option {
            opt::INVERT_MATCHING => self.get_invert(),
            // libzmq 4.3.5 answers it in every build, draft or not.
            opt::TOPICS_COUNT => Some(Ok(OptVal::Int(self.subscriptions.len() as i32))),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::trie::harness::*;
    use super::*;

    fn xsub() -> (XSub, Pipes) {
        (XSub::new(), Pipes::default())
    }

    fn int(v: i32) -> [u8; 4] {
        v.to_ne_bytes()
    }

    #[test]
    fn only_first_subscribe_sends_later_frames_as_data() {
        let (mut x, mut pipes) = xsub();
        x.setsockopt(opt::ONLY_FIRST_SUBSCRIBE, &int(1))
            .unwrap()
            .unwrap();
        let (_, mut a) = connect(&mut x, &mut pipes, 0, b"");
        send(&mut x, &mut pipes, &[b"data", b"\x01t"]);
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"data", b"\x01t"])]);
        assert!(!x.subscriptions.matches(b"t"), "not a subscription");
        assert_eq!(
            x.setsockopt(opt::ONLY_FIRST_SUBSCRIBE, &int(-1)),
            Some(Err(Error::INVAL))
        );
    }

    #[cfg(feature = "draft")]
    #[test]
    fn verbose_unsubscribe_sends_every_cancel() {
        let (mut x, mut pipes) = xsub();
        let (_, mut a) = connect(&mut x, &mut pipes, 0, b"");
        send(&mut x, &mut pipes, &[b"\x01t"]);
        send(&mut x, &mut pipes, &[b"\x01t"]);
        send(&mut x, &mut pipes, &[b"\x00t"]);
        assert_eq!(peer_drain(&mut a).len(), 2, "t is still held once");
        x.setsockopt(opt::XSUB_VERBOSE_UNSUBSCRIBE, &int(1))
            .unwrap()
            .unwrap();
        send(&mut x, &mut pipes, &[b"\x00t"]);
        send(&mut x, &mut pipes, &[b"\x00never"]);
        assert_eq!(
            peer_drain(&mut a),
            vec![msg(&[b"\x00t"]), msg(&[b"\x00never"])]
        );
    }

    #[test]
    fn user_subscriptions_go_upstream_as_ordinary_messages() {
        let (mut x, mut pipes) = xsub();
        let (_, mut a) = connect(&mut x, &mut pipes, 0, b"");
        send(&mut x, &mut pipes, &[b"\x01topic"]);
        let m = a.read().unwrap();
        assert_eq!(m.data(), b"\x01topic");
        assert!(!m.is_command());
        assert!(x.subscriptions.matches(b"topic!"));
    }

    #[test]
    fn a_new_pipe_gets_every_subscription_once() {
        let (mut x, mut pipes) = xsub();
        send(&mut x, &mut pipes, &[b"\x01b"]);
        send(&mut x, &mut pipes, &[b"\x01a"]);
        send(&mut x, &mut pipes, &[b"\x01a"]);
        let (_, mut p) = connect(&mut x, &mut pipes, 0, b"");
        let got: Vec<_> = std::iter::from_fn(|| p.read()).collect();
        assert_eq!(
            got.iter().map(|m| m.data()).collect::<Vec<_>>(),
            vec![b"\x01a", b"\x01b"]
        );
        assert!(
            got.iter().all(|m| m.is_command()),
            "sent as SUBSCRIBE commands"
        );
    }

    #[test]
    fn a_hiccup_resends_every_subscription_instead_of_the_stale_queue() {
        let (mut x, mut pipes) = xsub();
        let (id, mut a) = connect(&mut x, &mut pipes, 0, b"");
        send(&mut x, &mut pipes, &[b"\x01a"]);
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"\x01a"])]);
        // Sent while the connection was down: still queued.
        send(&mut x, &mut pipes, &[b"\x01b"]);
        send(&mut x, &mut pipes, &[b"data"]);
        a.begin_hiccup();
        let mut batch = std::collections::VecDeque::new();
        a.read_batch(&mut batch);
        assert!(
            batch.is_empty(),
            "nothing is read before the hiccup is taken"
        );
        x.hiccuped(&mut pipes, id);
        pipes.get(id).unwrap().end_hiccup();
        // Every topic once; the stale queue (and its data) is gone.
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"\x01a"]), msg(&[b"\x01b"])]);
        send(&mut x, &mut pipes, &[b"\x00a"]);
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"\x00a"])]);
    }

    #[test]
    fn cancel_goes_upstream_only_for_the_last_reference() {
        let (mut x, mut pipes) = xsub();
        let (_, mut a) = connect(&mut x, &mut pipes, 0, b"");
        send(&mut x, &mut pipes, &[b"\x01t"]);
        send(&mut x, &mut pipes, &[b"\x01t"]);
        send(&mut x, &mut pipes, &[b"\x00t"]);
        send(&mut x, &mut pipes, &[b"\x00t"]);
        send(&mut x, &mut pipes, &[b"\x00never"]);
        assert_eq!(
            peer_drain(&mut a),
            vec![msg(&[b"\x01t"]), msg(&[b"\x01t"]), msg(&[b"\x00t"])]
        );
    }

    #[test]
    fn other_messages_go_upstream_as_data() {
        let (mut x, mut pipes) = xsub();
        let (_, mut a) = connect(&mut x, &mut pipes, 0, b"");
        let (_, mut b) = connect(&mut x, &mut pipes, 0, b"");
        send(&mut x, &mut pipes, &[b"hello", b"there"]);
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"hello", b"there"])]);
        assert_eq!(peer_drain(&mut b), vec![msg(&[b"hello", b"there"])]);
        assert!(x.subscriptions.is_empty());
    }

    #[test]
    fn xsub_receives_without_filtering() {
        let (mut x, mut pipes) = xsub();
        let (_, mut a) = connect(&mut x, &mut pipes, 0, b"");
        send(&mut x, &mut pipes, &[b"\x01only"]);
        peer_send(&mut a, &[b"other", b"frames"]);
        assert!(x.has_in(&mut pipes));
        assert_eq!(recv(&mut x, &mut pipes), msg(&[b"other", b"frames"]));
        assert!(x.has_out(&mut pipes));
    }

    #[test]
    fn messages_are_fair_queued() {
        let (mut x, mut pipes) = xsub();
        let (_, mut a) = connect(&mut x, &mut pipes, 0, b"");
        let (_, mut b) = connect(&mut x, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"a1"]);
        peer_send(&mut a, &[b"a2"]);
        peer_send(&mut b, &[b"b1"]);
        let got: Vec<_> = (0..3).map(|_| recv(&mut x, &mut pipes)).collect();
        assert_eq!(got, vec![msg(&[b"a1"]), msg(&[b"b1"]), msg(&[b"a2"])]);
    }
}
