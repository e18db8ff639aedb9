//! XPUB: distributes messages to the pipes whose subscriptions match, and
//! passes subscriptions up to the user. PUB (`pub_.rs`) is this pattern
//! with nothing passed up, as in libzmq where `pub_t` derives from `xpub_t`
//! (so PUB accepts the XPUB options too).
//!
//! Subscriptions arrive from the pipes as messages: first byte 1 =
//! subscribe, 0 = unsubscribe, the rest is the topic (engines turn ZMTP 3.1
//! SUBSCRIBE/CANCEL commands into this form). Every frame is examined, as
//! libzmq does, unless the draft `ZMQ_ONLY_FIRST_SUBSCRIBE` limits that to
//! the first frame of each message (and the frames after a first frame
//! that was one). They are read
//! whenever the socket is used, since patterns have no read-activation
//! callback.

use super::dist::Dist;
use super::trie::{MTrie, Removed};
use super::{Pattern, Pipes};
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::options::{as_int, opt, OptVal};
use std::collections::VecDeque;

/// Something waiting for the user's `recv`.
struct Pending {
    msg: Msg,
    /// Manual mode: the pipe a (un)subscription came from (`Some(None)`
    /// for unsubscriptions of a pipe that left); `None` for other entries.
    from: Option<Option<u64>>,
}

pub struct XPub {
    /// PUB: subscriptions are applied but never passed up.
    is_pub: bool,
    dist: Dist,
    subscriptions: MTrie,
    /// `ZMQ_XPUB_MANUAL`: what each pipe asked for, so that its leaving can
    /// be passed up as unsubscriptions.
    manual_subscriptions: MTrie,
    verbose_subs: bool,
    verbose_unsubs: bool,
    manual: bool,
    /// Draft `ZMQ_XPUB_MANUAL_LAST_VALUE`: the first frame after a manual
    /// subscription goes only to the pipe it came from.
    send_last_pipe: bool,
    /// Draft `ZMQ_ONLY_FIRST_SUBSCRIBE`.
    only_first_subscribe: bool,
    /// The last upstream frame read had MORE set.
    more_recv: bool,
    /// Frames of the current upstream message are read as subscriptions.
    process_subscribe: bool,
    /// Not `ZMQ_XPUB_NODROP`: a pipe at its HWM misses the message.
    lossy: bool,
    invert: bool,
    welcome: Option<Msg>,
    pending: VecDeque<Pending>,
    /// Manual mode: where `ZMQ_SUBSCRIBE`/`ZMQ_UNSUBSCRIBE` apply.
    last_pipe: Option<u64>,
    /// A multipart message is being sent.
    more_send: bool,
    /// Scratch: the pipes the current message goes to.
    targets: Vec<u64>,
}

impl XPub {
    pub fn new() -> XPub {
        XPub::with_kind(false)
    }

    /// The pattern PUB uses.
    pub fn new_pub() -> XPub {
        XPub::with_kind(true)
    }

    fn with_kind(is_pub: bool) -> XPub {
        XPub {
            is_pub,
            dist: Dist::default(),
            subscriptions: MTrie::new(),
            manual_subscriptions: MTrie::new(),
            verbose_subs: false,
            verbose_unsubs: false,
            manual: false,
            send_last_pipe: false,
            only_first_subscribe: false,
            more_recv: false,
            process_subscribe: false,
            lossy: true,
            invert: false,
            welcome: None,
            pending: VecDeque::new(),
            last_pipe: None,
            more_send: false,
            targets: Vec::new(),
        }
    }

    /// Reads what every pipe sent; pipes found finished leave now, so that
    /// their unsubscriptions are visible within this call.
    fn process_upstream(&mut self, pipes: &mut Pipes) {
        let mut i = 0;
        while i < self.dist.pipes.len() {
            let id = self.dist.pipes[i];
            if self.process_pipe(pipes, id) {
                i += 1;
            }
        }
    }

    /// Reads one pipe's messages; false when the pipe ended (and was
    /// removed).
    fn process_pipe(&mut self, pipes: &mut Pipes, id: u64) -> bool {
        let Some(pipe) = pipes.get(id) else {
            // Already gone from the socket: forget it.
            self.pipe_gone(id);
            return false;
        };
        let ended = loop {
            match pipe.read() {
                Some(m) => self.upstream_frame(id, m),
                None => break pipe.is_read_done(),
            }
        };
        if ended {
            self.pipe_gone(id);
            pipes.mark_dead(id);
        }
        !ended
    }

    fn upstream_frame(&mut self, pipe: u64, msg: Msg) {
        let data = msg.data();
        // libzmq `xpub_t::xread_activated`: a first frame is always looked
        // at; the frames after it only when `ZMQ_ONLY_FIRST_SUBSCRIBE` is off
        // or the first frame was a subscription.
        let first_part = !self.more_recv;
        self.more_recv = msg.more();
        let parsed = if first_part || self.process_subscribe {
            crate::zmtp::Subscription::parse_message(data)
        } else {
            None
        };
        if first_part {
            self.process_subscribe = !self.only_first_subscribe || parsed.is_some();
        }
        let (subscribe, topic) = match parsed {
            Some(s) => s,
            None => {
                // Not a subscription: XPUB passes it up as it came (an
                // XSUB's user message); PUB never processes user messages.
                if !self.is_pub {
                    self.pending.push_back(Pending { msg, from: None });
                }
                return;
            }
        };
        let notify = if self.manual {
            if subscribe {
                self.manual_subscriptions.add(topic, pipe);
            } else {
                self.manual_subscriptions.remove(topic, pipe);
            }
            true
        } else if subscribe {
            self.subscriptions.add(topic, pipe) || self.verbose_subs
        } else {
            // libzmq passes up the removal of a topic the pipe did not
            // hold as well (anything but "others still hold it").
            self.subscriptions.remove(topic, pipe) != Removed::Remain || self.verbose_unsubs
        };
        if notify && !self.is_pub {
            let mut up = Msg::from_slice(data);
            up.set_metadata(msg.metadata().cloned());
            let from = self.manual.then_some(Some(pipe));
            self.pending.push_back(Pending { msg: up, from });
        }
    }

    /// A pipe left: drop its subscriptions, passing up the topics nobody
    /// holds any more (every topic of the pipe with `ZMQ_XPUB_VERBOSER`,
    /// every manual one in manual mode). Idempotent.
    fn pipe_gone(&mut self, id: u64) {
        let is_pub = self.is_pub;
        let pending = &mut self.pending;
        let mut unsubscribe = |topic: &[u8], from: Option<Option<u64>>| {
            if !is_pub {
                let mut body = Vec::with_capacity(topic.len() + 1);
                body.push(0);
                body.extend_from_slice(topic);
                pending.push_back(Pending {
                    msg: Msg::from_slice(&body),
                    from,
                });
            }
        };
        if self.manual {
            let mut any = false;
            self.manual_subscriptions.remove_pipe(id, |topic, _| {
                unsubscribe(topic, Some(None));
                any = true;
            });
            self.subscriptions.remove_pipe(id, |_, _| {});
            if any || self.last_pipe == Some(id) {
                self.last_pipe = None;
            }
        } else {
            let verbose = self.verbose_unsubs;
            self.subscriptions.remove_pipe(id, |topic, last| {
                if last || verbose {
                    unsubscribe(topic, None);
                }
            });
        }
        self.dist.detach(id);
    }

    /// Whether every target could take a message now (`ZMQ_XPUB_NODROP`).
    /// A pipe whose reader is gone does not hold the message back.
    fn targets_writable(&self, pipes: &mut Pipes) -> bool {
        self.targets.iter().all(|&id| {
            pipes
                .get(id)
                .is_none_or(|p| p.check_write() || p.is_write_dead())
        })
    }
}

impl Default for XPub {
    fn default() -> Self {
        XPub::new()
    }
}

/// An int option that must be non-negative; true when non-zero.
fn flag(value: &[u8]) -> Result<bool> {
    match as_int(value)? {
        v if v < 0 => Err(Error::INVAL),
        v => Ok(v != 0),
    }
}

impl Pattern for XPub {
    fn attach(&mut self, pipes: &mut Pipes, id: u64) {
        self.dist.attach(id);
        if let Some(w) = &mut self.welcome {
            if let Some(p) = pipes.get(id) {
                // A new pipe has room; a closed one does not matter.
                let _ = p.write(w.duplicate());
            }
        }
        self.process_pipe(pipes, id);
    }

    fn detach(&mut self, id: u64) {
        self.pipe_gone(id);
    }

    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        if !self.more_send {
            // Subscriptions only change when some pipe got input.
            if pipes.input_hint {
                self.process_upstream(pipes);
            }
            self.subscriptions.match_into(msg.data(), &mut self.targets);
            if self.manual && self.send_last_pipe {
                // `ZMQ_XPUB_MANUAL_LAST_VALUE`: only the pipe whose
                // subscription was last read, once.
                if let Some(last) = self.last_pipe.take() {
                    self.targets.retain(|&id| id == last);
                }
            }
            if self.invert {
                let matched = std::mem::take(&mut self.targets);
                self.targets.extend(
                    self.dist
                        .pipes
                        .iter()
                        .copied()
                        .filter(|id| matched.binary_search(id).is_err()),
                );
            }
            if !self.lossy && !self.targets_writable(pipes) {
                return Err((Error::AGAIN, msg));
            }
        }
        self.more_send = msg.more();
        self.dist.send_to(pipes, &self.targets, msg);
        Ok(())
    }

    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        if self.is_pub {
            return Err(Error::NOTSUP);
        }
        self.process_upstream(pipes);
        let p = self.pending.pop_front().ok_or(Error::AGAIN)?;
        if self.manual {
            if let Some(from) = p.from {
                self.last_pipe = from.filter(|id| self.dist.pipes.contains(id));
            }
        }
        Ok(p.msg)
    }

    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        if self.is_pub {
            return false;
        }
        self.process_upstream(pipes);
        !self.pending.is_empty()
    }

    fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        // XPUB reads its pipes in `has_in`, which the socket asks first.
        if self.is_pub {
            self.process_upstream(pipes);
        }
        true
    }

    fn setsockopt(&mut self, option: i32, value: &[u8]) -> Option<Result<()>> {
        let r = match option {
            opt::XPUB_VERBOSE => flag(value).map(|on| {
                self.verbose_subs = on;
                self.verbose_unsubs = false;
            }),
            opt::XPUB_VERBOSER => flag(value).map(|on| {
                self.verbose_subs = on;
                self.verbose_unsubs = on;
            }),
            opt::XPUB_NODROP => flag(value).map(|on| self.lossy = !on),
            opt::XPUB_MANUAL => flag(value).map(|on| self.manual = on),
            // Both taken by libzmq's XPUB in every build (4.3.4's stable
            // build too), though named in the draft header only.
            opt::XPUB_MANUAL_LAST_VALUE => flag(value).map(|on| {
                self.manual = on;
                self.send_last_pipe = on;
            }),
            opt::ONLY_FIRST_SUBSCRIBE => flag(value).map(|on| self.only_first_subscribe = on),
            opt::SUBSCRIBE | opt::UNSUBSCRIBE if self.manual => {
                if let Some(pipe) = self.last_pipe {
                    if option == opt::SUBSCRIBE {
                        self.subscriptions.add(value, pipe);
                    } else {
                        self.subscriptions.remove(value, pipe);
                    }
                }
                Ok(())
            }
            opt::XPUB_WELCOME_MSG => {
                self.welcome = (!value.is_empty()).then(|| Msg::from_slice(value));
                Ok(())
            }
            opt::INVERT_MATCHING => as_int(value).map(|v| self.invert = v != 0),
            _ => return None,
        };
        Some(r)
    }

    fn getsockopt(&self, option: i32) -> Option<Result<OptVal>> {
        match option {
            opt::INVERT_MATCHING => Some(Ok(OptVal::Int(self.invert as i32))),
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

    fn int(v: i32) -> [u8; 4] {
        v.to_ne_bytes()
    }

    fn xpub() -> (XPub, Pipes) {
        (XPub::new(), Pipes::default())
    }

    #[test]
    fn manual_last_value_sends_the_next_message_only_to_the_last_subscriber() {
        let (mut x, mut pipes) = xpub();
        x.setsockopt(opt::XPUB_MANUAL_LAST_VALUE, &int(1))
            .unwrap()
            .unwrap();
        let (_, mut a) = connect(&mut x, &mut pipes, 0, b"");
        let (_, mut b) = connect(&mut x, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"\x01t"]);
        assert_eq!(recv(&mut x, &mut pipes), msg(&[b"\x01t"]));
        x.setsockopt(opt::SUBSCRIBE, b"t").unwrap().unwrap();
        peer_send(&mut b, &[b"\x01t"]);
        assert_eq!(recv(&mut x, &mut pipes), msg(&[b"\x01t"]));
        x.setsockopt(opt::SUBSCRIBE, b"t").unwrap().unwrap();
        // The last value goes to b alone (its subscription was read last),
        // then every subscriber gets what matches.
        send(&mut x, &mut pipes, &[b"t1"]);
        send(&mut x, &mut pipes, &[b"t2"]);
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"t2"])]);
        assert_eq!(peer_drain(&mut b), vec![msg(&[b"t1"]), msg(&[b"t2"])]);
        assert_eq!(
            x.setsockopt(opt::XPUB_MANUAL_LAST_VALUE, &int(-1)),
            Some(Err(Error::INVAL))
        );
    }

    #[test]
    fn only_first_subscribe_reads_later_frames_as_data() {
        let (mut x, mut pipes) = xpub();
        x.setsockopt(opt::ONLY_FIRST_SUBSCRIBE, &int(1))
            .unwrap()
            .unwrap();
        let (_, mut a) = connect(&mut x, &mut pipes, 0, b"");
        // A user message whose second frame looks like a subscription.
        peer_send(&mut a, &[b"data", b"\x01t"]);
        assert_eq!(recv(&mut x, &mut pipes), msg(&[b"data", b"\x01t"]));
        assert!(!x.has_in(&mut pipes));
        assert_eq!(
            x.getsockopt(opt::TOPICS_COUNT),
            Some(Ok(OptVal::Int(0))),
            "no subscription was made"
        );
        // Without the option, every frame is looked at.
        let (mut y, mut pipes) = xpub();
        let (_, mut b) = connect(&mut y, &mut pipes, 0, b"");
        peer_send(&mut b, &[b"data", b"\x01t"]);
        // (The subscription is passed up too, after the frame before it.)
        assert_eq!(recv(&mut y, &mut pipes), msg(&[b"data", b"\x01t"]));
        assert_eq!(y.getsockopt(opt::TOPICS_COUNT), Some(Ok(OptVal::Int(1))));
    }

    #[test]
    fn delivers_only_to_matching_subscribers() {
        let (mut x, mut pipes) = xpub();
        let (_, mut a) = connect(&mut x, &mut pipes, 0, b"");
        let (_, mut b) = connect(&mut x, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"\x01news"]);
        peer_send(&mut b, &[b"\x01weather"]);
        send(&mut x, &mut pipes, &[b"news: hi"]);
        send(&mut x, &mut pipes, &[b"weather", b"rain"]);
        send(&mut x, &mut pipes, &[b"sports"]);
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"news: hi"])]);
        assert_eq!(peer_drain(&mut b), vec![msg(&[b"weather", b"rain"])]);
    }

    #[test]
    fn first_subscription_and_last_unsubscription_are_passed_up() {
        let (mut x, mut pipes) = xpub();
        let (_, mut a) = connect(&mut x, &mut pipes, 0, b"");
        let (_, mut b) = connect(&mut x, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"\x01t"]);
        peer_send(&mut b, &[b"\x01t"]);
        assert_eq!(recv(&mut x, &mut pipes), msg(&[b"\x01t"]));
        assert!(!x.has_in(&mut pipes));
        peer_send(&mut a, &[b"\x00t"]);
        assert!(!x.has_in(&mut pipes));
        peer_send(&mut b, &[b"\x00t"]);
        assert_eq!(recv(&mut x, &mut pipes), msg(&[b"\x00t"]));
    }

    #[test]
    fn unsubscribing_an_unknown_topic_is_passed_up() {
        let (mut x, mut pipes) = xpub();
        let (_, mut a) = connect(&mut x, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"\x00nope"]);
        assert_eq!(recv(&mut x, &mut pipes), msg(&[b"\x00nope"]));
    }

    #[test]
    fn verbose_passes_every_subscription() {
        let (mut x, mut pipes) = xpub();
        x.setsockopt(opt::XPUB_VERBOSE, &int(1)).unwrap().unwrap();
        let (_, mut a) = connect(&mut x, &mut pipes, 0, b"");
        let (_, mut b) = connect(&mut x, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"\x01t"]);
        peer_send(&mut b, &[b"\x01t"]);
        assert_eq!(recv(&mut x, &mut pipes), msg(&[b"\x01t"]));
        assert_eq!(recv(&mut x, &mut pipes), msg(&[b"\x01t"]));
        peer_send(&mut a, &[b"\x00t"]);
        assert!(
            !x.has_in(&mut pipes),
            "VERBOSE does not pass unsubscriptions"
        );
    }

    #[test]
    fn verboser_passes_every_unsubscription() {
        let (mut x, mut pipes) = xpub();
        x.setsockopt(opt::XPUB_VERBOSER, &int(1)).unwrap().unwrap();
        let (_, mut a) = connect(&mut x, &mut pipes, 0, b"");
        let (_, mut b) = connect(&mut x, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"\x01t"]);
        peer_send(&mut b, &[b"\x01t"]);
        assert_eq!(recv(&mut x, &mut pipes), msg(&[b"\x01t"]));
        assert_eq!(recv(&mut x, &mut pipes), msg(&[b"\x01t"]));
        peer_send(&mut a, &[b"\x00t"]);
        assert_eq!(
            recv(&mut x, &mut pipes),
            msg(&[b"\x00t"]),
            "b still holds t"
        );
        a.close();
        assert!(!x.has_in(&mut pipes), "a held nothing any more");
        reap(&mut x, &mut pipes);
        b.close();
        assert_eq!(recv(&mut x, &mut pipes), msg(&[b"\x00t"]));
    }

    #[test]
    fn a_leaving_pipe_passes_up_topics_nobody_holds() {
        let (mut x, mut pipes) = xpub();
        let (_, mut a) = connect(&mut x, &mut pipes, 0, b"");
        let (_, mut b) = connect(&mut x, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"\x01shared"]);
        peer_send(&mut a, &[b"\x01mine"]);
        peer_send(&mut b, &[b"\x01shared"]);
        assert_eq!(recv(&mut x, &mut pipes), msg(&[b"\x01shared"]));
        assert_eq!(recv(&mut x, &mut pipes), msg(&[b"\x01mine"]));
        a.close();
        assert!(x.has_in(&mut pipes), "seen within the same call");
        assert_eq!(recv(&mut x, &mut pipes), msg(&[b"\x00mine"]));
        assert!(!x.has_in(&mut pipes));
        assert_eq!(pipes.len(), 1);
    }

    #[test]
    fn data_starting_with_0_or_1_is_ordinary_data_downstream() {
        let (mut x, mut pipes) = xpub();
        let (_, mut a) = connect(&mut x, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"\x01"]);
        send(&mut x, &mut pipes, &[b"\x00\x01data"]);
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"\x00\x01data"])]);
    }

    #[test]
    fn user_messages_from_upstream_are_passed_up() {
        let (mut x, mut pipes) = xpub();
        let (_, mut a) = connect(&mut x, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"hello", b"world"]);
        assert_eq!(recv(&mut x, &mut pipes), msg(&[b"hello", b"world"]));
    }

    #[test]
    fn invert_matching_delivers_to_the_others() {
        let (mut x, mut pipes) = xpub();
        x.setsockopt(opt::INVERT_MATCHING, &int(1))
            .unwrap()
            .unwrap();
        assert_eq!(
            x.getsockopt(opt::INVERT_MATCHING).unwrap(),
            Ok(OptVal::Int(1))
        );
        let (_, mut a) = connect(&mut x, &mut pipes, 0, b"");
        let (_, mut b) = connect(&mut x, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"\x01x"]);
        peer_send(&mut b, &[b"\x01y"]);
        send(&mut x, &mut pipes, &[b"x1"]);
        assert_eq!(peer_drain(&mut a), Vec::<Vec<Vec<u8>>>::new());
        assert_eq!(peer_drain(&mut b), vec![msg(&[b"x1"])]);
    }

    #[test]
    fn a_full_subscriber_misses_messages_by_default() {
        let (mut x, mut pipes) = xpub();
        let (_, mut a) = connect(&mut x, &mut pipes, 1, b"");
        peer_send(&mut a, &[b"\x01"]);
        send(&mut x, &mut pipes, &[b"1"]);
        send(&mut x, &mut pipes, &[b"2"]);
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"1"])]);
    }

    #[test]
    fn nodrop_makes_send_wait_for_a_full_subscriber() {
        let (mut x, mut pipes) = xpub();
        x.setsockopt(opt::XPUB_NODROP, &int(1)).unwrap().unwrap();
        let (_, mut a) = connect(&mut x, &mut pipes, 1, b"");
        peer_send(&mut a, &[b"\x01"]);
        send(&mut x, &mut pipes, &[b"1"]);
        let e = x.send(&mut pipes, frame(b"2", false)).unwrap_err();
        assert_eq!((e.0, e.1.data()), (Error::AGAIN, &b"2"[..]));
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"1"])]);
        send(&mut x, &mut pipes, &[b"2"]);
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"2"])]);
    }

    #[test]
    fn welcome_message_goes_to_each_new_pipe() {
        let (mut x, mut pipes) = xpub();
        x.setsockopt(opt::XPUB_WELCOME_MSG, b"W").unwrap().unwrap();
        let (_, mut a) = connect(&mut x, &mut pipes, 0, b"");
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"W"])]);
        x.setsockopt(opt::XPUB_WELCOME_MSG, b"").unwrap().unwrap();
        let (_, mut b) = connect(&mut x, &mut pipes, 0, b"");
        assert!(peer_drain(&mut b).is_empty());
    }

    #[test]
    fn manual_mode_applies_subscriptions_the_user_confirms() {
        let (mut x, mut pipes) = xpub();
        x.setsockopt(opt::XPUB_MANUAL, &int(1)).unwrap().unwrap();
        let (_, mut a) = connect(&mut x, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"\x01A"]);
        peer_send(&mut a, &[b"\x01A"]);
        assert_eq!(recv(&mut x, &mut pipes), msg(&[b"\x01A"]));
        assert_eq!(
            recv(&mut x, &mut pipes),
            msg(&[b"\x01A"]),
            "every one is passed up"
        );
        send(&mut x, &mut pipes, &[b"A1"]);
        assert!(peer_drain(&mut a).is_empty(), "not applied by itself");
        x.setsockopt(opt::SUBSCRIBE, b"B").unwrap().unwrap();
        send(&mut x, &mut pipes, &[b"B1"]);
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"B1"])]);
        x.setsockopt(opt::UNSUBSCRIBE, b"B").unwrap().unwrap();
        send(&mut x, &mut pipes, &[b"B2"]);
        assert!(peer_drain(&mut a).is_empty());
    }

    #[test]
    fn manual_mode_passes_up_a_leaving_pipes_topics() {
        let (mut x, mut pipes) = xpub();
        x.setsockopt(opt::XPUB_MANUAL, &int(1)).unwrap().unwrap();
        let (_, mut a) = connect(&mut x, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"\x01A"]);
        assert_eq!(recv(&mut x, &mut pipes), msg(&[b"\x01A"]));
        a.close();
        assert_eq!(recv(&mut x, &mut pipes), msg(&[b"\x00A"]));
        // The confirming pipe is gone: nothing to apply to.
        x.setsockopt(opt::SUBSCRIBE, b"A").unwrap().unwrap();
        assert!(x.subscriptions.is_empty());
    }

    #[test]
    fn subscribe_option_needs_manual_mode() {
        let (mut x, _) = xpub();
        assert!(x.setsockopt(opt::SUBSCRIBE, b"A").is_none());
    }

    #[test]
    fn options_reject_bad_values() {
        let (mut x, _) = xpub();
        for o in [
            opt::XPUB_VERBOSE,
            opt::XPUB_VERBOSER,
            opt::XPUB_NODROP,
            opt::XPUB_MANUAL,
        ] {
            assert_eq!(x.setsockopt(o, &int(-1)), Some(Err(Error::INVAL)));
            assert_eq!(x.setsockopt(o, &[1]), Some(Err(Error::INVAL)));
            assert_eq!(x.setsockopt(o, &int(2)), Some(Ok(())));
        }
        assert_eq!(
            x.setsockopt(opt::INVERT_MATCHING, &[1]),
            Some(Err(Error::INVAL))
        );
        assert!(x.getsockopt(opt::XPUB_VERBOSE).is_none());
    }

    #[test]
    fn a_pipe_joining_mid_message_gets_the_next_message() {
        let (mut x, mut pipes) = xpub();
        let (_, mut a) = connect(&mut x, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"\x01"]);
        x.send(&mut pipes, frame(b"1", true)).unwrap();
        let (_, mut b) = connect(&mut x, &mut pipes, 0, b"");
        peer_send(&mut b, &[b"\x01"]);
        x.send(&mut pipes, frame(b"2", false)).unwrap();
        send(&mut x, &mut pipes, &[b"3"]);
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"1", b"2"]), msg(&[b"3"])]);
        assert_eq!(peer_drain(&mut b), vec![msg(&[b"3"])]);
    }
}
