//! The draft API's socket calls that every socket type answers: groups,
//! `zmq_connect_peer`, peer state and pipe statistics. Types that do not
//! implement a call answer as libzmq's `socket_base_t` does.

use super::monitor::PIPES_STATS;
use super::Socket;
use crate::error::{Error, Result};

/// `ZMQ_PEER`.
const PEER: i32 = 19;

impl Socket {
    /// `zmq_join`/`zmq_leave`. Only DISH has groups; every other type is
    /// ENOTSUP before the group is looked at (libzmq `xjoin`/`xleave`).
    pub fn join_or_leave<'a>(
        &self,
        group: impl FnOnce() -> Result<&'a [u8]>,
        join: bool,
    ) -> Result<()> {
        let _ = (group, join);
        Err(Error::NOTSUP)
    }

    /// `zmq_connect_peer`: only PEER sockets (ENOTSUP for the others, as
    /// libzmq checks the type before the address).
    pub fn connect_peer(&self, addr: Result<&str>) -> Result<u32> {
        if self.socket_type != PEER {
            return Err(Error::NOTSUP);
        }
        let _ = addr?;
        Err(Error::NOTSUP)
    }

    /// `zmq_socket_get_peer_state`: ROUTER answers; others ENOTSUP.
    pub fn peer_state(&self, routing_id: &[u8]) -> Result<i32> {
        let mut st = self.lock()?;
        let st = &mut *st;
        st.pipes.refresh_write_views();
        st.pattern
            .peer_state(&mut st.pipes, routing_id)
            .unwrap_or(Err(Error::NOTSUP))
    }

    /// `zmq_socket_monitor_pipes_stats`: one `ZMQ_EVENT_PIPES_STATS` per
    /// pipe with its (outbound, inbound) queued message counts. EINVAL
    /// unless a monitor asked for that event, EAGAIN without pipes.
    pub fn query_pipes_stats(&self) -> Result<()> {
        if !self.monitors_pipes_stats() {
            return Err(Error::INVAL);
        }
        let stats: Vec<(u64, u64, String)> = {
            let mut st = self.lock()?;
            let ids: Vec<u64> = st.pipes.ids().collect();
            ids.into_iter()
                .filter_map(|id| {
                    st.pipes.get(id).map(|p| {
                        let (out, inq) = p.stats();
                        (out, inq, p.endpoint.clone())
                    })
                })
                .collect()
        };
        if stats.is_empty() {
            return Err(Error::AGAIN);
        }
        for (out, inq, endpoint) in stats {
            self.event_values(PIPES_STATS, &[out, inq], &endpoint, "");
        }
        Ok(())
    }
}
