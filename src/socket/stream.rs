//! STREAM: raw connections addressed like ROUTER peers. Every connection
//! gets a generated routing id (or the one `ZMQ_CONNECT_ROUTING_ID` gave
//! it, which the socket layer places in `PipeEnd::peer_routing_id`).
//! Received data comes as `[id][bytes]`; `[id][bytes]` sends bytes, and
//! `[id][""]` closes that connection. With `ZMQ_STREAM_NOTIFY` (the
//! default) the user also gets `[id][""]` when a connection opens and when
//! it ends; libzmq's raw engine makes these, here the socket does, since
//! the I/O layer only moves bytes and closes pipes.

use super::fq::Fq;
use super::router::{id_frame, route, Route, RoutingIds};
use super::{Pattern, Pipes};
use crate::error::{Error, Result, EHOSTUNREACH};
use crate::msg::Msg;
use crate::options::{as_int, opt};
use bytes::Bytes;
use std::collections::{HashSet, VecDeque};

pub struct Stream {
    fq: Fq,
    ids: RoutingIds,
    /// `ZMQ_STREAM_NOTIFY`.
    notify: bool,
    /// Connect/disconnect notifications waiting: the connection's id.
    events: VecDeque<(Bytes, Option<std::sync::Arc<crate::msg::Metadata>>)>,
    /// Pipes that must not announce their end: already announced, or
    /// closed by the user.
    quiet: HashSet<u64>,
    /// Inproc peers: no connect or disconnect notification.
    silent: HashSet<u64>,
    /// The data frame whose id frame was just returned.
    prefetched: Option<Msg>,
    /// Where the next data frame goes.
    current_out: Option<u64>,
    /// The id frame was sent; a data frame follows.
    more_out: bool,
    /// libzmq quirk: a STREAM's `ZMQ_ROUTING_ID` reads back the id it last
    /// generated for a peer (its own tests rely on it).
    last_generated: Option<Bytes>,
    /// Each connection's properties, for its disconnect notification.
    metadata: std::collections::HashMap<u64, std::sync::Arc<crate::msg::Metadata>>,
}

impl Default for Stream {
    fn default() -> Self {
        Stream {
            fq: Fq::default(),
            ids: RoutingIds::default(),
            notify: true,
            events: VecDeque::new(),
            quiet: HashSet::new(),
            silent: HashSet::new(),
            prefetched: None,
            current_out: None,
            more_out: false,
            last_generated: None,
            metadata: Default::default(),
        }
    }
}

impl Stream {
    /// A connection ended: announce it (once) and free its id now, within
    /// the call that found it, so `has_in` can report the notification.
    fn ended(&mut self, pipe: u64) {
        if !self.quiet.insert(pipe) {
            return;
        }
        let silent = self.silent.remove(&pipe);
        if let Some(id) = self.ids.remove_pipe(pipe) {
            if self.notify && !silent {
                let md = self.metadata.remove(&pipe);
                self.events.push_back((id, md));
            }
        }
    }

    /// Pipes the fair-queue found finished are in `pipes.dead`.
    fn collect_ended(&mut self, pipes: &Pipes) {
        for &id in &pipes.dead {
            if self.ids.id(id).is_some() {
                self.ended(id);
            }
        }
    }

    fn next_event(&mut self) -> Option<Msg> {
        let (id, md) = self.events.pop_front()?;
        // The notification carries the connection's properties
        // (Peer-Address), as libzmq's does.
        let mut carrier = Msg::new();
        carrier.set_metadata(md);
        self.prefetched = Some(carrier.duplicate());
        Some(id_frame(&id, &carrier))
    }
}

impl Pattern for Stream {
    fn attach(&mut self, pipes: &mut Pipes, id: u64) {
        let given = pipes
            .get(id)
            .map(|p| p.peer_routing_id.clone())
            .unwrap_or_default();
        let rid = if given.is_empty() || self.ids.pipe(&given).is_some() {
            let g = self.ids.generate();
            self.last_generated = Some(g.clone());
            g
        } else {
            given
        };
        let md = pipes.get(id).and_then(|p| p.peer_metadata.clone());
        if let Some(m) = &md {
            self.metadata.insert(id, m.clone());
        }
        // A connection notifies; an inproc peer does not, as in libzmq,
        // where the notifications come from the stream engine.
        let connection = !pipes
            .get(id)
            .is_some_and(|p| p.endpoint.starts_with("inproc://"));
        if self.notify && connection {
            self.events.push_back((rid.clone(), md));
        }
        if !connection {
            self.silent.insert(id);
        }
        self.ids.insert(rid, id);
        self.fq.attach(id);
    }

    fn detach(&mut self, id: u64) {
        self.ended(id);
        self.quiet.remove(&id);
        self.fq.detach(id);
        if self.current_out == Some(id) {
            self.current_out = None;
        }
    }

    fn send(&mut self, pipes: &mut Pipes, mut msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        if !self.more_out {
            // The id frame. Without MORE it is ignored, and so is the frame
            // after it (libzmq expects a data frame either way).
            if msg.more() {
                let Some(pipe) = self.ids.pipe(msg.data()) else {
                    return Err((Error(EHOSTUNREACH), msg));
                };
                match route(pipes, pipe) {
                    Route::Writable => self.current_out = Some(pipe),
                    Route::Full => return Err((Error::AGAIN, msg)),
                    // Its end (and remaining data) is announced on the
                    // receiving side.
                    Route::Gone => return Err((Error(EHOSTUNREACH), msg)),
                }
            }
            self.more_out = true;
            return Ok(());
        }
        // Raw bytes: one frame, MORE means nothing.
        msg.set_more(false);
        self.more_out = false;
        let Some(pipe) = self.current_out.take() else {
            return Ok(());
        };
        if msg.is_empty() {
            // Close the connection: what was written is still delivered
            // (the socket closes the pipe; its reader drains it), what it
            // sent us is dropped, and no disconnect is announced.
            self.quiet.insert(pipe);
            self.ids.remove_pipe(pipe);
            pipes.mark_dead(pipe);
            return Ok(());
        }
        if let Some(p) = pipes.get(pipe) {
            // The HWM was checked on the id frame; a closed peer loses it.
            let _ = p.write(msg);
        }
        Ok(())
    }

    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        if let Some(m) = self.prefetched.take() {
            return Ok(m);
        }
        if let Some(m) = self.next_event() {
            return Ok(m);
        }
        match self.fq.recv_pipe(pipes) {
            Ok((mut m, pipe)) => {
                m.set_more(false);
                let id = self.ids.id(pipe).cloned().unwrap_or_default();
                let id_msg = id_frame(&id, &m);
                self.prefetched = Some(m);
                Ok(id_msg)
            }
            Err(e) => {
                self.collect_ended(pipes);
                self.next_event().ok_or(e)
            }
        }
    }

    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        if self.prefetched.is_some() || !self.events.is_empty() || self.fq.has_in(pipes) {
            return true;
        }
        self.collect_ended(pipes);
        !self.events.is_empty()
    }

    fn has_out(&mut self, _pipes: &mut Pipes) -> bool {
        true
    }

    fn setsockopt(&mut self, option: i32, value: &[u8]) -> Option<Result<()>> {
        match option {
            opt::STREAM_NOTIFY => Some(match as_int(value) {
                Ok(v @ (0 | 1)) => {
                    self.notify = v == 1;
                    Ok(())
                }
                _ => Err(Error::INVAL),
            }),
            _ => None,
        }
    }

    fn getsockopt(&self, option: i32) -> Option<Result<crate::options::OptVal>> {
        match (option, &self.last_generated) {
            (opt::ROUTING_ID, Some(id)) => Some(Ok(crate::options::OptVal::Bin(id.clone()))),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::trie::harness::*;
    use super::*;

    fn stream() -> (Stream, Pipes) {
        (Stream::default(), Pipes::default())
    }

    /// Connects a peer and consumes its connect notification; its id.
    fn accept(s: &mut Stream, pipes: &mut Pipes) -> (Vec<u8>, crate::pipe::PipeEnd) {
        let (_, peer) = connect(s, pipes, 0, b"");
        let m = recv(s, pipes);
        assert_eq!(m[1], b"", "connect notification");
        (m[0].clone(), peer)
    }

    #[test]
    fn a_new_connection_is_announced() {
        let (mut s, mut pipes) = stream();
        let (_, _peer) = connect(&mut s, &mut pipes, 0, b"");
        assert!(s.has_in(&mut pipes));
        let m = recv(&mut s, &mut pipes);
        assert_eq!((m.len(), m[0].len(), m[0][0], m[1].len()), (2, 5, 0, 0));
    }

    #[test]
    fn data_comes_with_the_connection_id() {
        let (mut s, mut pipes) = stream();
        let (id, mut peer) = accept(&mut s, &mut pipes);
        peer_send(&mut peer, &[b"GET /"]);
        assert_eq!(recv(&mut s, &mut pipes), vec![id, b"GET /".to_vec()]);
    }

    #[test]
    fn data_is_sent_to_the_named_connection_without_more() {
        let (mut s, mut pipes) = stream();
        let (id, mut peer) = accept(&mut s, &mut pipes);
        s.send(&mut pipes, frame(&id, true)).unwrap();
        s.send(&mut pipes, frame(b"HTTP/1.0 200", true)).unwrap();
        let m = peer.read().unwrap();
        assert_eq!((m.data(), m.more()), (&b"HTTP/1.0 200"[..], false));
    }

    #[test]
    fn unknown_ids_are_unreachable() {
        let (mut s, mut pipes) = stream();
        let e = s.send(&mut pipes, frame(b"\x00nope", true)).unwrap_err();
        assert_eq!(e.0, Error(EHOSTUNREACH));
        assert!(s.has_out(&mut pipes));
    }

    #[test]
    fn a_full_connection_would_block() {
        let (mut s, mut pipes) = stream();
        let (_, _peer) = connect(&mut s, &mut pipes, 1, b"");
        let id = recv(&mut s, &mut pipes)[0].clone();
        send(&mut s, &mut pipes, &[&id, b"1"]);
        let e = s.send(&mut pipes, frame(&id, true)).unwrap_err();
        assert_eq!(e.0, Error::AGAIN);
    }

    #[test]
    fn an_empty_frame_closes_the_connection_quietly() {
        let (mut s, mut pipes) = stream();
        let (id, mut peer) = accept(&mut s, &mut pipes);
        send(&mut s, &mut pipes, &[&id, b"bye"]);
        send(&mut s, &mut pipes, &[&id, b""]);
        assert!(pipes.is_empty());
        assert_eq!(peer.read().unwrap().data(), b"bye");
        assert!(peer.is_read_done());
        assert!(!s.has_in(&mut pipes));
        let e = s.send(&mut pipes, frame(&id, true)).unwrap_err();
        assert_eq!(e.0, Error(EHOSTUNREACH));
    }

    #[test]
    fn the_end_of_a_connection_is_announced_after_its_data() {
        let (mut s, mut pipes) = stream();
        let (id, mut peer) = accept(&mut s, &mut pipes);
        peer_send(&mut peer, &[b"last words"]);
        peer.close();
        assert_eq!(
            recv(&mut s, &mut pipes),
            vec![id.clone(), b"last words".to_vec()]
        );
        assert!(s.has_in(&mut pipes), "seen in the same call");
        reap(&mut s, &mut pipes);
        assert_eq!(recv(&mut s, &mut pipes), vec![id, vec![]]);
        assert!(!s.has_in(&mut pipes));
        assert!(pipes.is_empty());
    }

    #[test]
    fn notify_off_announces_nothing() {
        let (mut s, mut pipes) = stream();
        s.setsockopt(opt::STREAM_NOTIFY, &0i32.to_ne_bytes())
            .unwrap()
            .unwrap();
        let (_, mut peer) = connect(&mut s, &mut pipes, 0, b"");
        assert!(!s.has_in(&mut pipes));
        peer.close();
        assert!(!s.has_in(&mut pipes));
        reap(&mut s, &mut pipes);
        assert!(!s.has_in(&mut pipes));
    }

    #[test]
    fn a_connect_routing_id_is_used() {
        let (mut s, mut pipes) = stream();
        let (_, _peer) = connect(&mut s, &mut pipes, 0, b"web");
        assert_eq!(recv(&mut s, &mut pipes), msg(&[b"web", b""]));
    }

    #[test]
    fn stream_notify_takes_only_0_or_1() {
        let (mut s, _) = stream();
        assert_eq!(
            s.setsockopt(opt::STREAM_NOTIFY, &2i32.to_ne_bytes()),
            Some(Err(Error::INVAL))
        );
        assert_eq!(
            s.setsockopt(opt::STREAM_NOTIFY, &[1]),
            Some(Err(Error::INVAL))
        );
        assert!(s.getsockopt(opt::STREAM_NOTIFY).is_none());
    }
}
