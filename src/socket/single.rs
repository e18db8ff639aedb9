//! What the draft socket types share (feature `draft`): they carry
//! single-frame messages only, and most are thread-safe.

use super::fq::Fq;
use super::Pipes;
use crate::error::Result;
use crate::msg::Msg;
use crate::options::{opt, OptVal};

/// Receives the next single-frame message and the pipe it came from; the
/// frames of a multipart message a peer sent are dropped (libzmq's
/// `client_t::xrecv` and its siblings).
pub fn recv_single(fq: &mut Fq, pipes: &mut Pipes) -> Result<(Msg, u64)> {
    loop {
        let (m, id) = fq.recv_pipe(pipes)?;
        if !m.more() {
            return Ok((m, id));
        }
        // Drop the rest of this message (messages enter pipes whole).
        loop {
            let (m, _) = fq.recv_pipe(pipes)?;
            if !m.more() {
                break;
            }
        }
    }
}

/// `ZMQ_THREAD_SAFE` for the thread-safe types (`None` for other options).
pub fn thread_safe_opt(option: i32) -> Option<Result<OptVal>> {
    (option == opt::THREAD_SAFE).then_some(Ok(OptVal::Int(1)))
}

/// Whether libzmq makes this type thread-safe (`socket_base_t`'s
/// `thread_safe_`): SERVER, CLIENT, RADIO, DISH, GATHER, SCATTER, PEER,
/// CHANNEL; DGRAM is not.
pub fn is_thread_safe(socket_type: i32) -> bool {
    use crate::zmtp::socket_type::*;
    matches!(
        socket_type,
        ZMQ_SERVER
            | ZMQ_CLIENT
            | ZMQ_RADIO
            | ZMQ_DISH
            | ZMQ_GATHER
            | ZMQ_SCATTER
            | ZMQ_PEER
            | ZMQ_CHANNEL
    )
}
