//! ROUTER: every peer has a routing id; a received message comes with its
//! peer's id as first frame, and a sent message's first frame names the
//! peer it goes to.
//!
//! A peer's routing id is the one it announced (`PipeEnd::peer_routing_id`:
//! its handshake, its inproc options, or `ZMQ_CONNECT_ROUTING_ID` placed
//! there by the socket layer), else a generated one: `0x00` and a 4-byte
//! big-endian counter that starts at a random value. A routing id maps to
//! one pipe at a time; a message goes to the pipe that holds the id when
//! its first frame is sent, and pipe ids are never reused, so a message
//! meant for a peer's previous connection never reaches its next one.

use super::dealer::{int_flag, probe};
use super::fq::Fq;
use super::{Pattern, Pipes};
use crate::error::{Error, Result, EHOSTUNREACH};
use crate::msg::Msg;
use crate::options::opt;
use bytes::Bytes;
use std::collections::{HashMap, HashSet};

use crate::util::random::random_u32;

/// Routing ids ⇄ pipes (ROUTER, REP, STREAM).
pub(super) struct RoutingIds {
    by_id: HashMap<Bytes, u64>,
    by_pipe: HashMap<u64, Bytes>,
    next: u32,
}

impl Default for RoutingIds {
    fn default() -> Self {
        RoutingIds {
            by_id: HashMap::new(),
            by_pipe: HashMap::new(),
            next: random_u32(),
        }
    }
}

impl RoutingIds {
    /// A fresh id: `0x00` + big-endian counter, skipping ids in use.
    pub fn generate(&mut self) -> Bytes {
        loop {
            let mut id = [0u8; 5];
            id[1..].copy_from_slice(&self.next.to_be_bytes());
            self.next = self.next.wrapping_add(1);
            if !self.by_id.contains_key(&id[..]) {
                return Bytes::copy_from_slice(&id);
            }
        }
    }

    /// Gives `pipe` the id `id` (which must be free), replacing any it had.
    pub fn insert(&mut self, id: Bytes, pipe: u64) {
        self.remove_pipe(pipe);
        self.by_id.insert(id.clone(), pipe);
        self.by_pipe.insert(pipe, id);
    }

    pub fn pipe(&self, id: &[u8]) -> Option<u64> {
        self.by_id.get(id).copied()
    }

    pub fn id(&self, pipe: u64) -> Option<&Bytes> {
        self.by_pipe.get(&pipe)
    }

    /// Forgets `pipe`; its id becomes free.
    pub fn remove_pipe(&mut self, pipe: u64) -> Option<Bytes> {
        let id = self.by_pipe.remove(&pipe)?;
        self.by_id.remove(&id);
        Some(id)
    }

    pub fn pipes(&self) -> impl Iterator<Item = u64> + '_ {
        self.by_pipe.keys().copied()
    }
}

/// The frame that carries a routing id up to the user.
pub(super) fn id_frame(id: &Bytes, of: &Msg) -> Msg {
    let mut m = Msg::from_bytes(id.clone());
    m.set_more(true);
    m.set_metadata(of.metadata().cloned());
    m
}

/// Whether a message may start towards a routed pipe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Route {
    Writable,
    /// At its high-water mark.
    Full,
    /// The peer stopped reading: the connection is ending.
    Gone,
}

/// Checks a routed pipe before the first frame of a message; a pipe found
/// finished (gone both ways) is marked dead so the socket reaps it even if
/// nobody receives.
pub(super) fn route(pipes: &mut Pipes, pipe: u64) -> Route {
    let Some(p) = pipes.get(pipe) else {
        return Route::Gone;
    };
    if p.check_write() {
        return Route::Writable;
    }
    if !p.is_write_dead() {
        return Route::Full;
    }
    if p.is_read_done() {
        pipes.mark_dead(pipe);
    }
    Route::Gone
}

/// Whether a pipe's connection is over (the peer closed either way).
fn finished(pipes: &mut Pipes, pipe: u64) -> bool {
    pipes
        .get(pipe)
        .is_none_or(|p| p.is_write_dead() || p.peer_closed())
}

#[derive(Default)]
pub struct Router {
    fq: Fq,
    ids: RoutingIds,
    /// Pipes whose peer announced an id already in use (no handover):
    /// ignored, as libzmq ignores them.
    anonymous: HashSet<u64>,
    /// Pipes that handed their id over: still read, never written.
    retired: HashSet<u64>,
    /// `ZMQ_ROUTER_MANDATORY`.
    mandatory: bool,
    /// `ZMQ_PROBE_ROUTER`.
    probe_router: bool,
    /// `ZMQ_ROUTER_HANDOVER`.
    handover: bool,
    /// `ZMQ_ROUTER_RAW` (deprecated): data frames lose MORE and an empty
    /// one closes the connection. The raw wire itself is the engine's.
    raw: bool,
    /// The first frame of the message whose id frame was just returned.
    prefetched: Option<Msg>,
    /// Inside a received message.
    more_in: bool,
    /// Where the frames of the message being sent go (`None`: dropped).
    current_out: Option<u64>,
    /// Inside a sent message (its id frame is done).
    more_out: bool,
}

impl Router {
    /// Picks the routing id of a new pipe; `None` to ignore the pipe.
    fn identify(&mut self, pipes: &mut Pipes, pipe: u64) -> Option<Bytes> {
        let announced = pipes
            .get(pipe)
            .map(|p| p.peer_routing_id.clone())
            .unwrap_or_default();
        if announced.is_empty() {
            return Some(self.ids.generate());
        }
        let Some(old) = self.ids.pipe(&announced) else {
            return Some(announced);
        };
        // A connection that is already over gives its id up whatever the
        // options: the peer has simply reconnected before we noticed.
        let old_over = finished(pipes, old);
        if !old_over && !self.handover {
            return None;
        }
        // Handover: the old pipe keeps being read under a fresh id, and
        // ends: nothing more is written to it, and a message being sent to
        // it is dropped rather than split between two connections.
        let fresh = self.ids.generate();
        self.ids.insert(fresh, old);
        if self.current_out == Some(old) {
            self.current_out = None;
        }
        if let Some(p) = pipes.get(old) {
            p.close_write();
        }
        self.retired.insert(old);
        Some(announced)
    }

    /// Sends one frame: the first names the peer.
    pub fn send_frame(
        &mut self,
        pipes: &mut Pipes,
        mut msg: Msg,
    ) -> std::result::Result<(), (Error, Msg)> {
        if !self.more_out {
            // A lone first frame (no MORE) is silently ignored.
            if msg.more() {
                self.more_out = true;
                match self.ids.pipe(msg.data()) {
                    Some(pipe) if self.retired.contains(&pipe) => {
                        self.current_out = None;
                        if self.mandatory {
                            self.more_out = false;
                            return Err((Error(EHOSTUNREACH), msg));
                        }
                    }
                    Some(pipe) => match route(pipes, pipe) {
                        Route::Writable => self.current_out = Some(pipe),
                        blocked => {
                            self.current_out = None;
                            crate::log::hwm_dropped(
                                "ROUTER",
                                "",
                                if blocked == Route::Full {
                                    "the peer's pipe is at its high-water mark (SNDHWM; ZMQ_ROUTER_MANDATORY is off)"
                                } else {
                                    "the peer is disconnecting"
                                },
                            );
                            if self.mandatory {
                                self.more_out = false;
                                let e = if blocked == Route::Full {
                                    Error::AGAIN
                                } else {
                                    Error(EHOSTUNREACH)
                                };
                                return Err((e, msg));
                            }
                        }
                    },
                    None if self.mandatory => {
                        self.more_out = false;
                        return Err((Error(EHOSTUNREACH), msg));
                    }
                    None => {
                        crate::log::hwm_dropped(
                            "ROUTER",
                            "",
                            "no peer has this routing id (ZMQ_ROUTER_MANDATORY is off)",
                        );
                        self.current_out = None
                    }
                }
            }
            return Ok(());
        }
        if self.raw {
            msg.set_more(false);
        }
        self.more_out = msg.more();
        let Some(pipe) = self.current_out else {
            return Ok(());
        };
        if self.raw && msg.is_empty() {
            self.ids.remove_pipe(pipe);
            pipes.mark_dead(pipe);
            self.current_out = None;
            return Ok(());
        }
        let Some(p) = pipes.get(pipe) else {
            self.current_out = None;
            return Ok(());
        };
        match p.write(msg) {
            Ok(()) => {
                if !self.more_out {
                    self.current_out = None;
                }
            }
            Err(_) => {
                // The HWM was checked on the id frame, so the peer is gone:
                // drop what was written of this message (REP's envelope).
                p.rollback();
                self.current_out = None;
            }
        }
        Ok(())
    }

    /// Receives one frame: a message starts with its peer's id.
    pub fn recv_frame(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        if let Some(m) = self.prefetched.take() {
            self.more_in = m.more();
            return Ok(m);
        }
        let (m, pipe) = self.fq.recv_pipe(pipes)?;
        if self.more_in {
            self.more_in = m.more();
            return Ok(m);
        }
        let id = self.ids.id(pipe).cloned().unwrap_or_default();
        let id_msg = id_frame(&id, &m);
        self.prefetched = Some(m);
        self.more_in = true;
        Ok(id_msg)
    }

    /// Drops the frames of the message being sent (REP, on a malformed
    /// request).
    pub fn rollback(&mut self, pipes: &mut Pipes) {
        if let Some(p) = self.current_out.take().and_then(|id| pipes.get(id)) {
            p.rollback();
        }
        self.more_out = false;
    }
}

impl Pattern for Router {
    fn attach(&mut self, pipes: &mut Pipes, id: u64) {
        if self.probe_router {
            probe(pipes, id);
        }
        if pipes.get(id).is_some_and(|p| p.identity_pending) {
            // Connecting out: named once the handshake tells who it is.
            self.anonymous.insert(id);
            return;
        }
        match self.identify(pipes, id) {
            Some(rid) => {
                self.ids.insert(rid, id);
                self.fq.attach(id);
            }
            None => {
                self.anonymous.insert(id);
            }
        }
    }

    fn identified(&mut self, pipes: &mut Pipes, id: u64) {
        if !self.anonymous.remove(&id) {
            return;
        }
        match self.identify(pipes, id) {
            Some(rid) => {
                self.ids.insert(rid, id);
                self.fq.attach(id);
            }
            None => {
                self.anonymous.insert(id);
            }
        }
    }

    fn detach(&mut self, id: u64) {
        if self.anonymous.remove(&id) {
            return;
        }
        self.retired.remove(&id);
        self.fq.detach(id);
        self.ids.remove_pipe(id);
        if self.current_out == Some(id) {
            // The rest of the message being sent is dropped.
            self.current_out = None;
        }
    }

    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        self.send_frame(pipes, msg)
    }

    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        self.recv_frame(pipes)
    }

    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        self.more_in || self.prefetched.is_some() || self.fq.has_in(pipes)
    }

    fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        // Without MANDATORY a ROUTER is always writable: whether a message
        // arrives depends on where it is routed.
        if !self.mandatory {
            return true;
        }
        self.ids
            .pipes()
            .any(|id| pipes.get(id).is_some_and(|p| p.check_write()))
    }

    /// libzmq `router_t::get_peer_state`: POLLOUT when the peer's pipe
    /// takes a message now, EHOSTUNREACH for an unknown routing id.
    fn peer_state(&mut self, pipes: &mut Pipes, routing_id: &[u8]) -> Option<Result<i32>> {
        let Some(pipe) = self.ids.pipe(routing_id) else {
            return Some(Err(Error(EHOSTUNREACH)));
        };
        let writable = route(pipes, pipe) == Route::Writable;
        Some(Ok(if writable { super::POLLOUT as i32 } else { 0 }))
    }

    fn setsockopt(&mut self, option: i32, value: &[u8]) -> Option<Result<()>> {
        let field = match option {
            opt::ROUTER_MANDATORY => &mut self.mandatory,
            opt::PROBE_ROUTER => &mut self.probe_router,
            opt::ROUTER_HANDOVER => &mut self.handover,
            opt::ROUTER_RAW => &mut self.raw,
            _ => return None,
        };
        Some(int_flag(value).map(|on| *field = on))
    }
}

#[cfg(test)]
mod tests {
    use super::super::trie::harness::*;
    use super::*;

    fn on() -> [u8; 4] {
        1i32.to_ne_bytes()
    }

    fn router() -> (Router, Pipes) {
        (Router::default(), Pipes::default())
    }

    #[test]
    fn received_messages_start_with_the_peers_id() {
        let (mut r, mut pipes) = router();
        let (_, mut a) = connect(&mut r, &mut pipes, 0, b"alice");
        peer_send(&mut a, &[b"hi", b"there"]);
        assert!(r.has_in(&mut pipes));
        assert_eq!(recv(&mut r, &mut pipes), msg(&[b"alice", b"hi", b"there"]));
    }

    #[test]
    fn anonymous_peers_get_generated_ids() {
        let (mut r, mut pipes) = router();
        let (_, mut a) = connect(&mut r, &mut pipes, 0, b"");
        let (_, mut b) = connect(&mut r, &mut pipes, 0, b"");
        peer_send(&mut a, &[b"a"]);
        peer_send(&mut b, &[b"b"]);
        let ma = recv(&mut r, &mut pipes);
        let mb = recv(&mut r, &mut pipes);
        let (ia, ib) = (&ma[0], &mb[0]);
        assert_eq!((ia.len(), ia[0], ib.len(), ib[0]), (5, 0, 5, 0));
        let (na, nb) = (
            u32::from_be_bytes(ia[1..].try_into().unwrap()),
            u32::from_be_bytes(ib[1..].try_into().unwrap()),
        );
        assert_eq!(nb, na.wrapping_add(1));
    }

    #[test]
    fn messages_are_routed_by_their_first_frame() {
        let (mut r, mut pipes) = router();
        let (_, mut a) = connect(&mut r, &mut pipes, 0, b"A");
        let (_, mut b) = connect(&mut r, &mut pipes, 0, b"B");
        send(&mut r, &mut pipes, &[b"B", b"for b", b"2"]);
        send(&mut r, &mut pipes, &[b"A", b"for a"]);
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"for a"])]);
        assert_eq!(peer_drain(&mut b), vec![msg(&[b"for b", b"2"])]);
    }

    #[test]
    fn unknown_ids_are_dropped_silently() {
        let (mut r, mut pipes) = router();
        let (_, mut a) = connect(&mut r, &mut pipes, 0, b"A");
        send(&mut r, &mut pipes, &[b"nobody", b"lost"]);
        send(&mut r, &mut pipes, &[b"A"]);
        send(&mut r, &mut pipes, &[b"A", b"ok"]);
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"ok"])]);
    }

    #[test]
    fn mandatory_reports_unknown_ids() {
        let (mut r, mut pipes) = router();
        r.setsockopt(opt::ROUTER_MANDATORY, &on()).unwrap().unwrap();
        assert!(!r.has_out(&mut pipes));
        let e = r.send(&mut pipes, frame(b"nobody", true)).unwrap_err();
        assert_eq!((e.0, e.1.data()), (Error(EHOSTUNREACH), &b"nobody"[..]));
        let (_, mut a) = connect(&mut r, &mut pipes, 0, b"A");
        assert!(r.has_out(&mut pipes));
        send(&mut r, &mut pipes, &[b"A", b"ok"]);
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"ok"])]);
    }

    #[test]
    fn a_full_peer_drops_or_would_block_with_mandatory() {
        let (mut r, mut pipes) = router();
        let (_, mut a) = connect(&mut r, &mut pipes, 1, b"A");
        send(&mut r, &mut pipes, &[b"A", b"1"]);
        send(&mut r, &mut pipes, &[b"A", b"dropped"]);
        r.setsockopt(opt::ROUTER_MANDATORY, &on()).unwrap().unwrap();
        assert!(!r.has_out(&mut pipes));
        let e = r.send(&mut pipes, frame(b"A", true)).unwrap_err();
        assert_eq!(e.0, Error::AGAIN);
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"1"])]);
        send(&mut r, &mut pipes, &[b"A", b"2"]);
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"2"])]);
    }

    #[test]
    fn mandatory_reports_a_closed_peer_as_unreachable() {
        let (mut r, mut pipes) = router();
        r.setsockopt(opt::ROUTER_MANDATORY, &on()).unwrap().unwrap();
        let (_, a) = connect(&mut r, &mut pipes, 0, b"A");
        drop(a);
        let e = r.send(&mut pipes, frame(b"A", true)).unwrap_err();
        assert_eq!(e.0, Error(EHOSTUNREACH));
        reap(&mut r, &mut pipes);
        assert!(pipes.is_empty(), "the finished pipe is reaped");
    }

    #[test]
    fn a_duplicate_id_is_ignored_without_handover() {
        let (mut r, mut pipes) = router();
        let (_, mut a) = connect(&mut r, &mut pipes, 0, b"X");
        let (_, mut b) = connect(&mut r, &mut pipes, 0, b"X");
        peer_send(&mut b, &[b"from b"]);
        assert!(!r.has_in(&mut pipes));
        send(&mut r, &mut pipes, &[b"X", b"to X"]);
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"to X"])]);
        assert!(peer_drain(&mut b).is_empty());
    }

    #[test]
    fn handover_gives_the_id_to_the_new_pipe() {
        let (mut r, mut pipes) = router();
        r.setsockopt(opt::ROUTER_HANDOVER, &on()).unwrap().unwrap();
        let (_, mut a) = connect(&mut r, &mut pipes, 0, b"X");
        peer_send(&mut a, &[b"old news"]);
        let (_, mut b) = connect(&mut r, &mut pipes, 0, b"X");
        send(&mut r, &mut pipes, &[b"X", b"to new"]);
        assert_eq!(peer_drain(&mut b), vec![msg(&[b"to new"])]);
        assert!(peer_drain(&mut a).is_empty());
        assert!(a.is_read_done(), "the old connection is ended");
        // What the old connection had sent is still delivered, under a
        // generated id.
        let m = recv(&mut r, &mut pipes);
        assert_eq!((m[0].len(), m[0][0], &m[1][..]), (5, 0, &b"old news"[..]));
        r.setsockopt(opt::ROUTER_MANDATORY, &on()).unwrap().unwrap();
        let e = r.send(&mut pipes, frame(&m[0], true)).unwrap_err();
        assert_eq!(e.0, Error(EHOSTUNREACH), "the old connection takes no more");
    }

    #[test]
    fn a_reconnected_peer_takes_its_id_back() {
        let (mut r, mut pipes) = router();
        let (_, a) = connect(&mut r, &mut pipes, 0, b"X");
        drop(a); // not noticed by the socket yet
        let (_, mut b) = connect(&mut r, &mut pipes, 0, b"X");
        send(&mut r, &mut pipes, &[b"X", b"hello again"]);
        assert_eq!(peer_drain(&mut b), vec![msg(&[b"hello again"])]);
    }

    #[test]
    fn a_message_in_progress_never_reaches_the_next_connection() {
        let (mut r, mut pipes) = router();
        let (a_id, _a) = connect(&mut r, &mut pipes, 0, b"X");
        r.send(&mut pipes, frame(b"X", true)).unwrap();
        r.send(&mut pipes, frame(b"part 1", true)).unwrap();
        pipes.mark_dead(a_id);
        reap(&mut r, &mut pipes);
        let (_, mut b) = connect(&mut r, &mut pipes, 0, b"X");
        r.send(&mut pipes, frame(b"part 2", false)).unwrap();
        assert!(peer_drain(&mut b).is_empty());
        send(&mut r, &mut pipes, &[b"X", b"new message"]);
        assert_eq!(peer_drain(&mut b), vec![msg(&[b"new message"])]);
    }

    #[test]
    fn probe_router_greets_new_peers() {
        let (mut r, mut pipes) = router();
        r.setsockopt(opt::PROBE_ROUTER, &on()).unwrap().unwrap();
        let (_, mut a) = connect(&mut r, &mut pipes, 0, b"A");
        assert_eq!(peer_drain(&mut a), vec![msg(&[b""])]);
    }

    #[test]
    fn raw_mode_drops_more_and_closes_on_empty_frames() {
        let (mut r, mut pipes) = router();
        r.setsockopt(opt::ROUTER_RAW, &on()).unwrap().unwrap();
        let (_, mut a) = connect(&mut r, &mut pipes, 0, b"A");
        r.send(&mut pipes, frame(b"A", true)).unwrap();
        r.send(&mut pipes, frame(b"bytes", true)).unwrap();
        assert_eq!(peer_drain(&mut a), vec![msg(&[b"bytes"])]);
        send(&mut r, &mut pipes, &[b"A", b""]);
        assert!(pipes.is_empty());
        assert!(a.is_read_done());
    }

    #[test]
    fn options_are_validated() {
        let (mut r, _) = router();
        for o in [
            opt::ROUTER_MANDATORY,
            opt::PROBE_ROUTER,
            opt::ROUTER_HANDOVER,
            opt::ROUTER_RAW,
        ] {
            assert_eq!(
                r.setsockopt(o, &(-1i32).to_ne_bytes()),
                Some(Err(Error::INVAL))
            );
            assert_eq!(r.setsockopt(o, &[1]), Some(Err(Error::INVAL)));
            assert_eq!(r.setsockopt(o, &0i32.to_ne_bytes()), Some(Ok(())));
        }
        assert!(r.setsockopt(opt::CONNECT_ROUTING_ID, b"x").is_none());
        assert!(r.getsockopt(opt::ROUTER_MANDATORY).is_none());
    }
}
