//! The draft API's socket calls that every socket type answers: groups,
//! `zmq_connect_peer`, peer state and pipe statistics. Types that do not
//! implement a call answer as libzmq's `socket_base_t` does.

use super::monitor::PIPES_STATS;
use super::{Pattern, Socket};
use crate::error::{Error, Result};
use crate::options::Options;
use crate::zmtp::socket_type::*;
use std::sync::Arc;

/// A new pattern for a draft socket type (12..=20).
pub(super) fn make_pattern(socket_type: i32, options: &mut Options) -> Result<Box<dyn Pattern>> {
    Ok(match socket_type {
        ZMQ_SERVER | ZMQ_PEER => Box::new(super::server::Server::new()),
        ZMQ_CLIENT => Box::new(super::client::Client::default()),
        ZMQ_SCATTER => Box::new(super::push::Push::scatter()),
        ZMQ_GATHER => Box::new(super::pull::Pull::gather()),
        ZMQ_CHANNEL => Box::new(super::channel::Channel::default()),
        ZMQ_RADIO => Box::new(super::radio::Radio::default()),
        ZMQ_DISH => {
            // As libzmq's dish_t (like xsub_t): no lingering at close.
            options.linger = 0;
            Box::new(super::dish::Dish::default())
        }
        ZMQ_DGRAM => Box::new(super::dgram::Dgram::default()),
        _ => return Err(Error::INVAL),
    })
}

/// udp: only RADIO, DISH and DGRAM (libzmq `check_protocol`).
pub(super) fn check_udp(socket_type: i32) -> Result<()> {
    if matches!(socket_type, ZMQ_RADIO | ZMQ_DISH | ZMQ_DGRAM) {
        Ok(())
    } else {
        Err(Error(crate::error::ENOCOMPATPROTO))
    }
}

impl Socket {
    /// A udp bind (DISH, DGRAM) or connect (RADIO): one pipe to the
    /// endpoint's task from now on, as libzmq's udp session.
    pub(super) fn udp_endpoint(
        self: &Arc<Self>,
        uri: &str,
        address: &str,
        bind: bool,
    ) -> Result<()> {
        let allowed = if bind {
            matches!(self.socket_type, ZMQ_DISH | ZMQ_DGRAM)
        } else {
            self.socket_type == ZMQ_RADIO
        };
        if !allowed {
            return Err(Error(crate::error::ENOCOMPATPROTO));
        }
        let mut st = self.lock()?;
        let st = &mut *st;
        let a = crate::io::udp::resolve(address, bind, st.options.ipv6)?;
        let mode = crate::io::udp::Mode {
            recv: bind,
            send: !bind || self.socket_type == ZMQ_DGRAM,
            raw: self.socket_type == ZMQ_DGRAM,
            multicast_loop: st.options.multicast_loop,
            multicast_hops: st.options.multicast_hops,
        };
        let (mut ours, theirs) = crate::pipe::pipe_pair(
            st.options.sndhwm.max(0) as u64,
            st.options.rcvhwm.max(0) as u64,
            false,
        );
        ours.endpoint = uri.to_string();
        let id = ours.id;
        let stop = crate::io::udp::start(&self.owner(), &a, mode, theirs)?;
        st.endpoints.push(super::Endpoint {
            uri: uri.to_string(),
            bound: bind,
            stop: Some(Box::new(move || stop.stop())),
            pipes: Vec::new(),
            fd: -1,
        });
        self.attach_locked(st, ours);
        if let Some(ep) = st.endpoints.last_mut() {
            if !ep.pipes.contains(&id) {
                ep.pipes.push(id);
            }
        }
        // libzmq's udp last endpoint is the address as given, without the
        // scheme (its `udp_address_t::to_string`).
        st.last_endpoint = address.to_string();
        Ok(())
    }

    #[cfg_attr(not(feature = "draft"), allow(dead_code))]
    /// `zmq_join`/`zmq_leave`. Only DISH has groups; every other type is
    /// ENOTSUP before the group is looked at (libzmq `xjoin`/`xleave`).
    pub fn join_or_leave<'a>(
        &self,
        group: impl FnOnce() -> Result<&'a [u8]>,
        join: bool,
    ) -> Result<()> {
        if self.socket_type != ZMQ_DISH {
            return Err(Error::NOTSUP);
        }
        let group = group()?;
        let mut st = self.lock()?;
        let st = &mut *st;
        let r = st
            .pattern
            .join(&mut st.pipes, group, join)
            .unwrap_or(Err(Error::NOTSUP));
        self.reap_locked(st);
        r
    }

    #[cfg_attr(not(feature = "draft"), allow(dead_code))]
    /// `zmq_connect_peer`: only PEER sockets (ENOTSUP for the others, as
    /// libzmq checks the type before the address).
    pub fn connect_peer(self: &Arc<Self>, addr: Result<&str>) -> Result<u32> {
        if self.socket_type != ZMQ_PEER {
            return Err(Error::NOTSUP);
        }
        let addr = addr?;
        // libzmq: the pipe must exist at connect time to have an id.
        if self.lock()?.options.immediate {
            return Err(Error::FAULT);
        }
        self.connect(addr)?;
        let st = self.lock()?;
        // The pipe this connect made: its endpoint's newest.
        let pipe = st
            .endpoints
            .iter()
            .rev()
            .find(|e| !e.bound && e.uri == addr)
            .and_then(|e| e.pipes.last().copied());
        match pipe.map(|p| st.pattern.routing_id_of(p)) {
            Some(rid) if rid != 0 => Ok(rid),
            _ => Err(Error::FAULT),
        }
    }

    #[cfg_attr(not(feature = "draft"), allow(dead_code))]
    /// `zmq_socket_get_peer_state`: ROUTER answers; others ENOTSUP.
    pub fn peer_state(&self, routing_id: &[u8]) -> Result<i32> {
        let mut st = self.lock()?;
        let st = &mut *st;
        st.pipes.refresh_write_views();
        st.pattern
            .peer_state(&mut st.pipes, routing_id)
            .unwrap_or(Err(Error::NOTSUP))
    }

    #[cfg_attr(not(feature = "draft"), allow(dead_code))]
    /// `zmq_socket_monitor_pipes_stats`: one `ZMQ_EVENT_PIPES_STATS` per
    /// pipe with its (outbound, inbound) queued message counts. EINVAL
    /// unless a monitor asked for that event, EAGAIN without pipes.
    pub fn query_pipes_stats(&self) -> Result<()> {
        if !self.monitors_pipes_stats() {
            return Err(Error::INVAL);
        }
        let stats: Vec<(u64, u64, String, String)> = {
            let mut st = self.lock()?;
            let mut ids: Vec<u64> = st.pipes.ids().collect();
            // In attach order, as libzmq walks its pipe array.
            ids.sort_by_key(|&id| (st.pipes.get(id).map_or(0, |p| p.order), id));
            ids.into_iter()
                .filter_map(|id| {
                    st.pipes.get(id).map(|p| {
                        let (out, inq) = p.stats();
                        // The connection's addresses; without a
                        // connection (inproc) the endpoint as the local one.
                        match &p.ends {
                            Some(e) => (out, inq, e.local.clone(), e.remote.clone()),
                            None => (out, inq, p.endpoint.clone(), String::new()),
                        }
                    })
                })
                .collect()
        };
        if stats.is_empty() {
            return Err(Error::AGAIN);
        }
        for (out, inq, local, remote) in stats {
            self.event_values(PIPES_STATS, &[out, inq], &local, &remote);
        }
        Ok(())
    }
}
