//! Subscription tries: which topics a subscriber holds (`Trie`, for SUB and
//! XSUB) and which pipes hold which topics (`MTrie`, for PUB and XPUB).
//!
//! A topic matches every message whose first frame starts with it; the
//! empty topic matches everything. Both are byte tries stored in an arena
//! (nodes by index, children sorted by byte), so no operation recurses: a
//! topic may be arbitrarily long and must never cost stack depth.

use bytes::Bytes;
use std::collections::{BTreeSet, HashMap};

type NodeId = u32;
const ROOT: NodeId = 0;

/// What a node holds: a reference count or a set of pipes.
trait Value: Default {
    fn is_vacant(&self) -> bool;
}

impl Value for u32 {
    fn is_vacant(&self) -> bool {
        *self == 0
    }
}

impl Value for BTreeSet<u64> {
    fn is_vacant(&self) -> bool {
        self.is_empty()
    }
}

struct Node<V> {
    value: V,
    parent: NodeId,
    byte: u8,
    /// Sorted by byte.
    children: Vec<(u8, NodeId)>,
}

impl<V: Value> Node<V> {
    fn new(parent: NodeId, byte: u8) -> Node<V> {
        Node {
            value: V::default(),
            parent,
            byte,
            children: Vec::new(),
        }
    }

    fn child(&self, b: u8) -> Option<NodeId> {
        self.children
            .binary_search_by_key(&b, |&(c, _)| c)
            .ok()
            .map(|i| self.children[i].1)
    }
}

struct Arena<V> {
    nodes: Vec<Node<V>>,
    free: Vec<NodeId>,
}

impl<V: Value> Default for Arena<V> {
    fn default() -> Self {
        Arena {
            nodes: vec![Node::new(ROOT, 0)],
            free: Vec::new(),
        }
    }
}

impl<V: Value> Arena<V> {
    fn find(&self, key: &[u8]) -> Option<NodeId> {
        let mut id = ROOT;
        for &b in key {
            id = self.nodes[id as usize].child(b)?;
        }
        Some(id)
    }

    fn find_or_insert(&mut self, key: &[u8]) -> NodeId {
        let mut id = ROOT;
        for &b in key {
            let node = &self.nodes[id as usize];
            id = match node.children.binary_search_by_key(&b, |&(c, _)| c) {
                Ok(i) => node.children[i].1,
                Err(i) => {
                    let new = match self.free.pop() {
                        Some(n) => {
                            self.nodes[n as usize] = Node::new(id, b);
                            n
                        }
                        None => {
                            self.nodes.push(Node::new(id, b));
                            (self.nodes.len() - 1) as NodeId
                        }
                    };
                    self.nodes[id as usize].children.insert(i, (b, new));
                    new
                }
            };
        }
        id
    }

    fn value(&self, id: NodeId) -> &V {
        &self.nodes[id as usize].value
    }

    fn value_mut(&mut self, id: NodeId) -> &mut V {
        &mut self.nodes[id as usize].value
    }

    /// Frees `id` and its ancestors while they hold nothing.
    fn prune(&mut self, mut id: NodeId) {
        while id != ROOT {
            let node = &self.nodes[id as usize];
            if !node.value.is_vacant() || !node.children.is_empty() {
                return;
            }
            let (parent, byte) = (node.parent, node.byte);
            let siblings = &mut self.nodes[parent as usize].children;
            if let Ok(i) = siblings.binary_search_by_key(&byte, |&(c, _)| c) {
                siblings.remove(i);
            }
            self.nodes[id as usize] = Node::new(ROOT, 0);
            self.free.push(id);
            id = parent;
        }
    }

    /// Calls `f` with the value of every node on `data`'s path: the topics
    /// that are prefixes of `data`. Stops early when `f` returns true.
    fn walk_prefixes(&self, data: &[u8], mut f: impl FnMut(&V) -> bool) {
        let mut id = ROOT;
        if f(self.value(id)) {
            return;
        }
        for &b in data {
            match self.nodes[id as usize].child(b) {
                Some(c) => id = c,
                None => return,
            }
            if f(self.value(id)) {
                return;
            }
        }
    }

    /// Every non-vacant node with its key, in byte order (a topic before
    /// the longer topics it prefixes).
    fn for_each(&self, mut f: impl FnMut(&[u8], &V)) {
        let mut key = Vec::new();
        // (node, depth of the node's key)
        let mut stack: Vec<(NodeId, usize)> = vec![(ROOT, 0)];
        while let Some((id, depth)) = stack.pop() {
            let node = &self.nodes[id as usize];
            key.truncate(depth.saturating_sub(1));
            if id != ROOT {
                key.push(node.byte);
            }
            if !node.value.is_vacant() {
                f(&key, &node.value);
            }
            for &(_, c) in node.children.iter().rev() {
                stack.push((c, depth + 1));
            }
        }
    }
}

/// A subscriber's own topics, with a reference count each: subscribing
/// twice needs two unsubscriptions.
#[derive(Default)]
pub struct Trie {
    arena: Arena<u32>,
    topics: usize,
}

impl Trie {
    pub fn new() -> Trie {
        Trie::default()
    }

    /// Adds a reference to `topic`; true when the topic is new.
    pub fn add(&mut self, topic: &[u8]) -> bool {
        let id = self.arena.find_or_insert(topic);
        let count = self.arena.value_mut(id);
        *count += 1;
        let new = *count == 1;
        if new {
            self.topics += 1;
        }
        new
    }

    /// Drops a reference to `topic`; true when it was the last one (false
    /// too when the topic was not there).
    pub fn remove(&mut self, topic: &[u8]) -> bool {
        let Some(id) = self.arena.find(topic) else {
            return false;
        };
        let count = self.arena.value_mut(id);
        if *count == 0 {
            return false;
        }
        *count -= 1;
        if *count > 0 {
            return false;
        }
        self.topics -= 1;
        self.arena.prune(id);
        true
    }

    /// Whether some topic is a prefix of `data`.
    pub fn matches(&self, data: &[u8]) -> bool {
        let mut found = false;
        self.arena.walk_prefixes(data, |&count| {
            found = count > 0;
            found
        });
        found
    }

    /// Every topic, once each, in byte order.
    pub fn topics(&self) -> Vec<Bytes> {
        let mut out = Vec::with_capacity(self.topics);
        self.arena
            .for_each(|key, _| out.push(Bytes::copy_from_slice(key)));
        out
    }

    /// The number of distinct topics (`ZMQ_TOPICS_COUNT`: libzmq's
    /// `num_prefixes`).
    pub fn len(&self) -> usize {
        self.topics
    }

    #[cfg(any(test, feature = "fuzzing"))]
    pub fn is_empty(&self) -> bool {
        self.topics == 0
    }
}

/// What `MTrie::remove` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removed {
    /// The pipe did not hold the topic.
    NotFound,
    /// The pipe was the topic's last subscriber.
    Last,
    /// Other pipes still hold the topic.
    Remain,
}

/// Topics → the pipes subscribed to them (PUB, XPUB). A pipe holds a topic
/// once however often it subscribes to it, as in libzmq's mtrie. Each
/// pipe's topics are indexed too, so a pipe leaving costs its own topics,
/// not the whole trie.
#[derive(Default)]
pub struct MTrie {
    arena: Arena<BTreeSet<u64>>,
    by_pipe: HashMap<u64, BTreeSet<Bytes>>,
    topics: usize,
}

impl MTrie {
    pub fn new() -> MTrie {
        MTrie::default()
    }

    /// Subscribes `pipe` to `topic`; true when no pipe held the topic.
    pub fn add(&mut self, topic: &[u8], pipe: u64) -> bool {
        let id = self.arena.find_or_insert(topic);
        let set = self.arena.value_mut(id);
        let first = set.is_empty();
        if set.insert(pipe) {
            self.by_pipe
                .entry(pipe)
                .or_default()
                .insert(Bytes::copy_from_slice(topic));
        }
        if first {
            self.topics += 1;
        }
        first
    }

    /// Unsubscribes `pipe` from `topic`.
    pub fn remove(&mut self, topic: &[u8], pipe: u64) -> Removed {
        let Some(id) = self.arena.find(topic) else {
            return Removed::NotFound;
        };
        if !self.arena.value_mut(id).remove(&pipe) {
            return Removed::NotFound;
        }
        if let Some(topics) = self.by_pipe.get_mut(&pipe) {
            topics.remove(topic);
            if topics.is_empty() {
                self.by_pipe.remove(&pipe);
            }
        }
        if self.arena.value(id).is_empty() {
            self.topics -= 1;
            self.arena.prune(id);
            Removed::Last
        } else {
            Removed::Remain
        }
    }

    /// Removes every subscription of `pipe`, calling `f(topic, last)` for
    /// each in byte order; `last` says no other pipe holds the topic.
    pub fn remove_pipe(&mut self, pipe: u64, mut f: impl FnMut(&[u8], bool)) {
        let Some(topics) = self.by_pipe.remove(&pipe) else {
            return;
        };
        for topic in topics {
            let Some(id) = self.arena.find(&topic) else {
                continue;
            };
            if !self.arena.value_mut(id).remove(&pipe) {
                continue;
            }
            let last = self.arena.value(id).is_empty();
            if last {
                self.topics -= 1;
                self.arena.prune(id);
            }
            f(&topic, last);
        }
    }

    /// The pipes subscribed to a prefix of `data`, sorted, each once.
    pub fn match_into(&self, data: &[u8], out: &mut Vec<u64>) {
        out.clear();
        let mut sets = 0;
        self.arena.walk_prefixes(data, |set| {
            if !set.is_empty() {
                out.extend(set.iter().copied());
                sets += 1;
            }
            false
        });
        if sets > 1 {
            out.sort_unstable();
            out.dedup();
        }
    }

    #[cfg(any(test, feature = "fuzzing"))]
    /// Whether `pipe` holds `topic`.
    pub fn contains(&self, topic: &[u8], pipe: u64) -> bool {
        self.arena
            .find(topic)
            .is_some_and(|id| self.arena.value(id).contains(&pipe))
    }

    /// The number of distinct topics (`ZMQ_TOPICS_COUNT`: libzmq's
    /// `num_prefixes`).
    pub fn len(&self) -> usize {
        self.topics
    }

    #[cfg(any(test, feature = "fuzzing"))]
    pub fn is_empty(&self) -> bool {
        self.topics == 0
    }
}

/// Test harness shared by the socket-pattern tests: plays the peers' side
/// of real pipes.
#[cfg(test)]
pub(super) mod harness {
    use super::super::{Pattern, Pipes};
    use crate::msg::Msg;
    use crate::pipe::{pipe_pair, PipeEnd};
    use bytes::Bytes;

    /// Attaches a new pipe (HWM `hwm` both ways, the peer announcing
    /// `peer_rid`); returns its id and the peer's end.
    pub fn connect(
        pattern: &mut dyn Pattern,
        pipes: &mut Pipes,
        hwm: u64,
        peer_rid: &[u8],
    ) -> (u64, PipeEnd) {
        let (mut ours, peer) = pipe_pair(hwm, hwm, false);
        ours.peer_routing_id = Bytes::copy_from_slice(peer_rid);
        let id = ours.id;
        pipes.map.insert(ours);
        pattern.attach(pipes, id);
        reap(pattern, pipes);
        (id, peer)
    }

    /// What the socket does after every pattern call.
    pub fn reap(pattern: &mut dyn Pattern, pipes: &mut Pipes) {
        while let Some(id) = pipes.dead.pop() {
            if let Some(mut p) = pipes.map.remove(id) {
                p.close();
                pattern.detach(id);
            }
        }
    }

    pub fn frame(data: &[u8], more: bool) -> Msg {
        let mut m = Msg::from_slice(data);
        m.set_more(more);
        m
    }

    /// Sends a multipart message through the pattern.
    pub fn send(pattern: &mut dyn Pattern, pipes: &mut Pipes, frames: &[&[u8]]) {
        for (i, f) in frames.iter().enumerate() {
            let r = pattern.send(pipes, frame(f, i + 1 < frames.len()));
            assert!(r.is_ok(), "send failed: {:?}", r.err().map(|e| e.0));
        }
        reap(pattern, pipes);
    }

    /// Receives one whole message through the pattern.
    pub fn recv(pattern: &mut dyn Pattern, pipes: &mut Pipes) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        loop {
            let m = pattern.recv(pipes).expect("a message");
            out.push(m.data().to_vec());
            if !m.more() {
                break;
            }
        }
        reap(pattern, pipes);
        out
    }

    /// Writes a multipart message from the peer's side.
    pub fn peer_send(peer: &mut PipeEnd, frames: &[&[u8]]) {
        for (i, f) in frames.iter().enumerate() {
            peer.write(frame(f, i + 1 < frames.len()))
                .map_err(|e| e.0)
                .expect("peer write");
        }
    }

    /// Reads one whole message on the peer's side, if there is one.
    pub fn peer_recv(peer: &mut PipeEnd) -> Option<Vec<Vec<u8>>> {
        let mut out = Vec::new();
        loop {
            let m = peer.read()?;
            out.push(m.data().to_vec());
            if !m.more() {
                return Some(out);
            }
        }
    }

    /// Every whole message waiting on the peer's side.
    pub fn peer_drain(peer: &mut PipeEnd) -> Vec<Vec<Vec<u8>>> {
        std::iter::from_fn(|| peer_recv(peer)).collect()
    }

    /// Shorthand for expected messages.
    pub fn msg(frames: &[&[u8]]) -> Vec<Vec<u8>> {
        frames.iter().map(|f| f.to_vec()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_topic_matches_everything() {
        let mut t = Trie::new();
        assert!(!t.matches(b"anything"));
        t.add(b"");
        assert!(t.matches(b"anything"));
        assert!(t.matches(b""));
    }

    #[test]
    fn topics_match_by_prefix() {
        let mut t = Trie::new();
        t.add(b"ab");
        assert!(t.matches(b"ab"));
        assert!(t.matches(b"abc"));
        assert!(!t.matches(b"a"));
        assert!(!t.matches(b"ba"));
    }

    #[test]
    fn references_are_counted() {
        let mut t = Trie::new();
        assert!(t.add(b"x"));
        assert!(!t.add(b"x"));
        assert!(!t.remove(b"x"));
        assert!(t.matches(b"x"));
        assert!(t.remove(b"x"));
        assert!(!t.matches(b"x"));
        assert!(!t.remove(b"x"));
        assert!(t.is_empty());
    }

    #[test]
    fn removing_a_topic_keeps_its_extensions() {
        let mut t = Trie::new();
        t.add(b"a");
        t.add(b"abc");
        t.remove(b"a");
        assert!(!t.matches(b"ab"));
        assert!(t.matches(b"abcd"));
        t.remove(b"abc");
        assert_eq!(t.arena.nodes.len() - t.arena.free.len(), 1, "all pruned");
    }

    #[test]
    fn topics_are_enumerated_once_in_byte_order() {
        let mut t = Trie::new();
        for topic in [&b"b"[..], b"ab", b"a", b"", b"ab"] {
            t.add(topic);
        }
        assert_eq!(t.topics(), vec![&b""[..], b"a", b"ab", b"b"]);
        assert_eq!(t.len(), 4);
    }

    #[test]
    fn long_topics_do_not_recurse() {
        let mut t = Trie::new();
        let long = vec![b'z'; 200_000];
        t.add(&long);
        assert!(t.matches(&long));
        assert_eq!(t.topics()[0].len(), long.len());
        assert!(t.remove(&long));
    }

    #[test]
    fn freed_nodes_are_reused() {
        let mut t = Trie::new();
        t.add(b"abc");
        let n = t.arena.nodes.len();
        t.remove(b"abc");
        t.add(b"xyz");
        assert_eq!(t.arena.nodes.len(), n);
        assert!(t.matches(b"xyz!"));
        assert!(!t.matches(b"abc"));
    }

    #[test]
    fn mtrie_first_subscriber_and_last_unsubscriber_are_reported() {
        let mut m = MTrie::new();
        assert!(m.add(b"t", 1));
        assert!(!m.add(b"t", 2));
        assert!(!m.add(b"t", 1), "a pipe holds a topic once");
        assert_eq!(m.remove(b"t", 1), Removed::Remain);
        assert_eq!(m.remove(b"t", 1), Removed::NotFound);
        assert_eq!(m.remove(b"t", 2), Removed::Last);
        assert_eq!(m.remove(b"u", 2), Removed::NotFound);
        assert!(m.is_empty());
    }

    #[test]
    fn mtrie_matches_each_pipe_once() {
        let mut m = MTrie::new();
        m.add(b"", 3);
        m.add(b"a", 1);
        m.add(b"ab", 1);
        m.add(b"ab", 2);
        m.add(b"b", 4);
        let mut out = Vec::new();
        m.match_into(b"abc", &mut out);
        assert_eq!(out, vec![1, 2, 3]);
        m.match_into(b"x", &mut out);
        assert_eq!(out, vec![3]);
    }

    #[test]
    fn mtrie_remove_pipe_reports_each_topic() {
        let mut m = MTrie::new();
        m.add(b"b", 1);
        m.add(b"a", 1);
        m.add(b"a", 2);
        let mut seen = Vec::new();
        m.remove_pipe(1, |t, last| seen.push((t.to_vec(), last)));
        assert_eq!(seen, vec![(b"a".to_vec(), false), (b"b".to_vec(), true)]);
        assert!(m.contains(b"a", 2));
        assert!(!m.contains(b"b", 1));
        assert_eq!(m.len(), 1);
    }
}
