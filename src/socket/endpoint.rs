//! `zmq_bind`, `zmq_connect`, `zmq_unbind`, `zmq_disconnect`: which
//! transport serves an endpoint, and the bookkeeping to undo it.

use super::inproc::PeerOptions;
use super::{types, Endpoint, Socket};
use crate::error::{Error, Result, ENOENT};
use crate::io::addr;
use crate::io::tcp;
use crate::io::ws;
use crate::options::{reconnect_stop, Options};
use crate::pipe::pipe_pair;
use std::sync::Arc;

fn peer_options(o: &Options) -> PeerOptions {
    PeerOptions {
        routing_id: o.routing_id.clone(),
        sndhwm: o.sndhwm,
        rcvhwm: o.rcvhwm,
        conflate: o.conflate,
        hello: o.hello_to_send().cloned(),
        disconnect: o.disconnect_to_recv().cloned(),
    }
}

fn check_protocol(socket_type: i32, scheme: &str) -> Result<()> {
    // (libzmq refuses only udp for types other than RADIO, DISH and DGRAM:
    // a STREAM socket takes inproc like any other.)
    check_scheme(socket_type, scheme)
}

/// `addr::check_scheme`, and udp for the draft types that speak it.
fn check_scheme(socket_type: i32, scheme: &str) -> Result<()> {
    if scheme == "udp" {
        return super::draft::check_udp(socket_type);
    }
    let _ = socket_type;
    addr::check_scheme(scheme)
}

impl Socket {
    /// libzmq runs every transport but inproc in an I/O thread chosen by
    /// `ZMQ_AFFINITY` before it reads the address: `EMTHREAD` when the
    /// context has none (`ZMQ_IO_THREADS` 0) or the mask names none of them.
    fn check_io_thread(&self, scheme: &str) -> Result<()> {
        if scheme == "inproc" {
            return Ok(());
        }
        let affinity = self.lock()?.options.affinity;
        let threads = self.ctx.io()?.len().min(64);
        if affinity != 0 && (0..threads).all(|i| affinity & (1u64 << i) == 0) {
            return Err(Error(crate::error::EMTHREAD));
        }
        Ok(())
    }

    pub fn bind(self: &Arc<Self>, uri: &str) -> Result<()> {
        let (scheme, address) = addr::split_uri(uri)?;
        check_protocol(self.socket_type, scheme)?;
        self.check_io_thread(scheme)?;
        if scheme == "udp" {
            return self.udp_endpoint(uri, address, true);
        }
        let mut st = self.lock()?;
        let bound = match scheme {
            "inproc" => self
                .ctx
                .inproc()
                .bind(address, self, peer_options(&st.options))
                .map(|_| (uri.to_string(), None, -1)),
            "tcp" => tcp::bind_tcp(&self.owner(), &st.options, address)
                .map(|(u, s, fd)| (u, Some(s), fd)),
            "ipc" => tcp::bind_ipc(&self.owner(), &st.options, address)
                .map(|(u, s, fd)| (u, Some(s), fd)),
            "ws" => ws::bind_ws(&self.owner(), &st.options, address, false)
                .map(|(u, s, fd)| (u, Some(s), fd)),
            #[cfg(feature = "wss")]
            "wss" => ws::bind_ws(&self.owner(), &st.options, address, true)
                .map(|(u, s, fd)| (u, Some(s), fd)),
            _ => Err(Error(libc::EPROTONOSUPPORT)),
        };
        let (resolved, stop, fd) = match bound {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(target: "monocoque::bind", socket = crate::zmtp::socket_type_name(self.socket_type), endpoint = uri, "bind failed: {}", crate::log::errno_text(e.errno()));
                self.event(super::monitor::event::BIND_FAILED, e.errno() as u32, uri);
                return Err(e);
            }
        };
        tracing::info!(target: "monocoque::bind", socket = crate::zmtp::socket_type_name(self.socket_type), endpoint = %resolved, "listening");
        st.last_endpoint = resolved.clone();
        if scheme == "inproc" {
            // Connects that waited for this bind join now, as in libzmq
            // (a SUB binder sends its subscriptions at once).
            self.process_commands_locked(&mut st);
        }
        st.endpoints.push(Endpoint {
            uri: resolved,
            bound: true,
            stop: stop.map(|s| Box::new(move || s.stop()) as Box<dyn FnOnce() + Send>),
            pipes: Vec::new(),
            fd,
        });
        Ok(())
    }

    pub fn connect(self: &Arc<Self>, uri: &str) -> Result<()> {
        let (scheme, address) = addr::split_uri(uri)?;
        check_protocol(self.socket_type, scheme)?;
        self.check_io_thread(scheme)?;
        if scheme == "udp" {
            return self.udp_endpoint(uri, address, false);
        }
        let mut st = self.lock()?;
        let st = &mut *st;
        tracing::info!(target: "monocoque::connect", socket = crate::zmtp::socket_type_name(self.socket_type), endpoint = uri, "connect");
        let mut opts = st.options.clone();
        // ZMQ_CONNECT_ROUTING_ID names the peer of this connect only.
        let connect_rid = st.options.connect_routing_id.take();
        st.endpoints.push(Endpoint {
            uri: uri.to_string(),
            bound: false,
            stop: None,
            pipes: Vec::new(),
            fd: -1,
        });
        if scheme == "inproc" {
            let mut end = self.ctx.inproc().connect(address, uri, peer_options(&opts));
            if let Some(rid) = connect_rid {
                end.peer_routing_id = rid;
            }
            self.attach_locked(st, end);
            st.last_endpoint = uri.to_string();
            return Ok(());
        }
        // libzmq makes the pipe at connect time (messages queue before the
        // peer is up) unless ZMQ_IMMEDIATE; STREAM's are per connection.
        let per_connection =
            opts.immediate || (self.socket_type == types::STREAM && connect_rid.is_none());
        let session_pipe = if per_connection {
            None
        } else {
            let (mut ours, theirs) = pipe_pair(
                opts.sndhwm.max(0) as u64,
                opts.rcvhwm.max(0) as u64,
                opts.conflate,
            );
            ours.endpoint = uri.to_string();
            match &connect_rid {
                Some(rid) => ours.peer_routing_id = rid.clone(),
                // A ROUTER learns its peer's name from the handshake.
                None => ours.identity_pending = self.socket_type == types::ROUTER,
            }
            self.attach_locked(st, ours);
            Some(theirs)
        };
        if let Some(rid) = connect_rid {
            opts.connect_routing_id = Some(rid);
        }
        let r = match scheme {
            "tcp" => tcp::connect_tcp(&self.owner(), &opts, uri, address, session_pipe),
            "ipc" => tcp::connect_ipc(&self.owner(), &opts, uri, address, session_pipe),
            "ws" => ws::connect_ws(&self.owner(), &opts, uri, address, session_pipe, false),
            #[cfg(feature = "wss")]
            "wss" => ws::connect_ws(&self.owner(), &opts, uri, address, session_pipe, true),
            _ => Err(Error(libc::EPROTONOSUPPORT)),
        };
        let stop = match r {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(target: "monocoque::connect", socket = crate::zmtp::socket_type_name(self.socket_type), endpoint = uri, "connect failed: {}", crate::log::errno_text(e.errno()));
                st.endpoints.pop();
                return Err(e);
            }
        };
        if let Some(ep) = st.endpoints.last_mut() {
            ep.stop = Some(Box::new(move || stop.stop()));
        }
        st.last_endpoint = if scheme == "ws" || scheme == "wss" {
            // libzmq prints the parsed address: the path defaults to "/";
            // and libzmq 4.3.5 prints a wss:// connect as ws:// (seen on
            // one built with GnuTLS; its bind prints wss://).
            ws::connect_last_endpoint("ws", address)
        } else {
            uri.to_string()
        };
        Ok(())
    }

    pub fn unbind(self: &Arc<Self>, uri: &str) -> Result<()> {
        self.remove_endpoint(uri)
    }

    pub fn disconnect(self: &Arc<Self>, uri: &str) -> Result<()> {
        self.remove_endpoint(uri)
    }

    /// `zmq_unbind` and `zmq_disconnect` are one call in libzmq
    /// (`term_endpoint`): every endpoint under the address goes, bound or
    /// connected (a bound address can be disconnected, two connects to one
    /// address end together).
    fn remove_endpoint(self: &Arc<Self>, uri: &str) -> Result<()> {
        let (scheme, address) = addr::split_uri(uri)?;
        check_scheme(self.socket_type, scheme)?;
        let mut st = self.lock()?;
        // As libzmq, a tcp address not found as written is looked for in
        // its resolved form ("tcp://localhost:5555" ends
        // "tcp://127.0.0.1:5555").
        let resolved;
        // (libzmq resolves it as a connect address first, which a '*'
        // never is: a wildcard is only ever found as written.)
        let uri = if scheme == "tcp"
            && !address.contains('*')
            && !st.endpoints.iter().any(|e| e.uri == uri)
        {
            match addr::resolve_tcp_bind(address, st.options.ipv6) {
                Ok(a) => {
                    resolved = addr::tcp_uri(&a);
                    resolved.as_str()
                }
                Err(_) => uri,
            }
        } else {
            uri
        };
        if !st.endpoints.iter().any(|e| e.uri == uri) {
            return Err(Error(ENOENT));
        }
        // An inproc name this socket bound goes alone; its connects to the
        // name (a socket may connect to its own name) go with the next call.
        let bound_inproc =
            scheme == "inproc" && st.endpoints.iter().any(|e| e.bound && e.uri == uri);
        let (gone, kept): (Vec<Endpoint>, Vec<Endpoint>) = std::mem::take(&mut st.endpoints)
            .into_iter()
            .partition(|e| e.uri == uri && (e.bound || !bound_inproc));
        st.endpoints = kept;
        let mut ended = Vec::new();
        for ep in gone {
            if ep.bound {
                tracing::info!(target: "monocoque::bind", endpoint = uri, "unbind");
                if scheme == "inproc" {
                    self.ctx.inproc().unbind(address, self)?;
                }
            } else {
                tracing::info!(target: "monocoque::connect", endpoint = uri, "disconnect");
            }
            if let Some(stop) = ep.stop {
                stop();
            }
            ended.extend(ep.pipes);
        }
        // The endpoints' pipes end now, not when their sessions notice:
        // nothing sent after zmq_unbind/zmq_disconnect goes out (libzmq).
        // (`lock` above ran pending attaches, so their ids are listed.)
        let ids: Vec<u64> = st.pipes.ids().filter(|id| ended.contains(id)).collect();
        for id in ids {
            st.pipes.mark_dead(id);
        }
        if st.options.reconnect_stop & reconnect_stop::AFTER_DISCONNECT != 0 {
            self.set_disconnected();
        }
        self.reap_locked(&mut st);
        Ok(())
    }
}
