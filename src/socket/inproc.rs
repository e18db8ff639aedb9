//! The inproc transport: a name registry per context (each `Ctx` holds
//! one; sockets reach it through `Host::inproc`). Messages move between
//! the two sockets' pipes as `Msg`s, never serialized. Bind and connect work
//! in either order: a connect to a name not yet bound leaves its pipe here
//! until the bind comes.

use super::{Command, Socket};
use crate::error::{Error, Result, EADDRINUSE, ENOENT};
use crate::pipe::{pipe_pair, PipeEnd};
use bytes::Bytes;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::Arc;

/// What a peer needs to know of a socket's options to make a pipe to it.
#[derive(Clone)]
pub struct PeerOptions {
    pub routing_id: Bytes,
    pub sndhwm: i32,
    pub rcvhwm: i32,
    pub conflate: bool,
    /// Draft `ZMQ_HELLO_MSG`, when the socket's type sends one.
    pub hello: Option<Bytes>,
    /// Draft `ZMQ_DISCONNECT_MSG`, when the socket's type takes one.
    pub disconnect: Option<Bytes>,
}

/// A socket's hello goes into its end of a new pipe, for the peer.
fn send_hello(end: &mut PipeEnd, hello: &Option<Bytes>) {
    if let Some(h) = hello {
        end.write_unchecked(crate::msg::Msg::from_slice(h));
    }
}

struct Bound {
    socket: Arc<Socket>,
    opts: PeerOptions,
}

struct Pending {
    /// The binder's end, waiting for the bind.
    end: PipeEnd,
    connector: PeerOptions,
}

#[derive(Default)]
pub struct Registry {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    bound: HashMap<String, Bound>,
    pending: HashMap<String, Vec<Pending>>,
}

/// libzmq sums both sides' marks over inproc; 0 on either side = unlimited.
pub fn sum_hwm(a: i32, b: i32) -> u64 {
    if a == 0 || b == 0 {
        0
    } else {
        a as u64 + b as u64
    }
}

impl Registry {
    pub fn bind(&self, name: &str, socket: &Arc<Socket>, opts: PeerOptions) -> Result<()> {
        let mut inner = self.inner.lock();
        if inner.bound.contains_key(name) {
            return Err(Error(EADDRINUSE));
        }
        for mut p in inner.pending.remove(name).unwrap_or_default() {
            p.end.peer_routing_id = p.connector.routing_id.clone();
            p.end.inproc_peer_hwm = Some((p.connector.sndhwm, p.connector.rcvhwm));
            p.end.set_hwms(
                sum_hwm(opts.sndhwm, p.connector.rcvhwm),
                sum_hwm(p.connector.sndhwm, opts.rcvhwm),
            );
            // libzmq `ctx_t::connect_inproc_sockets`: the binder's hello
            // goes to a connecter that came first, and its disconnect
            // message comes when that connecter's end closes.
            send_hello(&mut p.end, &opts.hello);
            if let Some(d) = &opts.disconnect {
                p.end.set_disconnect_msg(d.clone());
            }
            socket.post(Command::Attach(Box::new(p.end)));
        }
        inner.bound.insert(
            name.to_string(),
            Bound {
                socket: socket.clone(),
                opts,
            },
        );
        Ok(())
    }

    /// Connects to `name`; returns the connector's end of the new pipe.
    pub fn connect(&self, name: &str, uri: &str, opts: PeerOptions) -> PipeEnd {
        let mut inner = self.inner.lock();
        match inner.bound.get(name) {
            Some(b) => {
                let conflate = opts.conflate || b.opts.conflate;
                let (mut ours, mut theirs) = pipe_pair(
                    sum_hwm(opts.sndhwm, b.opts.rcvhwm),
                    sum_hwm(b.opts.sndhwm, opts.rcvhwm),
                    conflate,
                );
                ours.peer_routing_id = b.opts.routing_id.clone();
                ours.endpoint = uri.to_string();
                ours.inproc_peer_hwm = Some((b.opts.sndhwm, b.opts.rcvhwm));
                theirs.peer_routing_id = opts.routing_id.clone();
                theirs.inproc_peer_hwm = Some((opts.sndhwm, opts.rcvhwm));
                theirs.endpoint = uri.to_string();
                // libzmq `socket_base_t::connect` over inproc: each side's
                // hello goes to the other; the binder's disconnect message
                // comes when the connecter's end closes.
                send_hello(&mut ours, &opts.hello);
                send_hello(&mut theirs, &b.opts.hello);
                if let Some(d) = &b.opts.disconnect {
                    theirs.set_disconnect_msg(d.clone());
                }
                b.socket.post(Command::Attach(Box::new(theirs)));
                ours
            }
            None => {
                let (mut ours, mut theirs) = pipe_pair(
                    opts.sndhwm.max(0) as u64,
                    opts.rcvhwm.max(0) as u64,
                    opts.conflate,
                );
                ours.endpoint = uri.to_string();
                theirs.endpoint = uri.to_string();
                send_hello(&mut ours, &opts.hello);
                inner
                    .pending
                    .entry(name.to_string())
                    .or_default()
                    .push(Pending {
                        end: theirs,
                        connector: opts,
                    });
                ours
            }
        }
    }

    pub fn unbind(&self, name: &str, socket: &Arc<Socket>) -> Result<()> {
        let mut inner = self.inner.lock();
        match inner.bound.get(name) {
            Some(b) if Arc::ptr_eq(&b.socket, socket) => {
                inner.bound.remove(name);
                Ok(())
            }
            _ => Err(Error(ENOENT)),
        }
    }

    /// Forgets every name `socket` bound (it is closing).
    pub fn unbind_all(&self, socket: &Arc<Socket>) {
        self.inner
            .lock()
            .bound
            .retain(|_, b| !Arc::ptr_eq(&b.socket, socket));
    }

    pub fn is_bound(&self, name: &str) -> bool {
        self.inner.lock().bound.contains_key(name)
    }
}
