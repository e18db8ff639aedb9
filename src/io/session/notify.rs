//! The draft options that add messages to a connection's life (libzmq
//! 4.3.5 built with drafts): `ZMQ_ROUTER_NOTIFY` (an empty message from the
//! peer when it connects and when it goes), `ZMQ_HELLO_MSG` (sent to the
//! peer first on every new connection), `ZMQ_DISCONNECT_MSG` (delivered to
//! a socket when a peer it accepted goes) and `ZMQ_HICCUP_MSG` (delivered
//! to a socket when a connection it made breaks). In the default build the
//! options cannot be set, so only the rollback of a message cut short by
//! a broken connection acts there.

use super::*;
use crate::options::opt;

/// The handshake is done: the ROUTER's connect notification goes to the
/// socket.
pub(super) fn connected(o: &Options, pipe: &Rc<RefCell<PipeEnd>>) {
    if o.router_notify & opt::NOTIFY_CONNECT != 0 {
        pipe.borrow_mut().write_unchecked(Msg::new());
    }
}

/// The hello (`Options::hello_to_send`: sent to the peer first on every
/// new connection, by the socket types that take one), framed by the
/// connection's framing into `out` (sealed when CURVE is on).
pub(super) fn hello<E: TxFraming>(
    hello: Option<&[u8]>,
    encoder: &mut E,
    curve: Option<&mut CurveTx>,
    out: &mut BytesMut,
) {
    if let Some(hello) = hello {
        match curve {
            Some(tx) => encoder.seal(tx, curve::frame_flags(false, false), hello, out),
            None => {
                encoder.header(false, false, hello.len(), out);
                encoder.body(hello, out);
            }
        }
    }
}

/// The connection broke after its handshake (`end`): a message cut short
/// is dropped (libzmq `session_base_t::clean_pipes`; a connecter's pipe
/// would otherwise glue the next connection's frames to it) and the
/// socket gets the ROUTER's disconnect notification,
/// the disconnect message (accepted connections, `active` false) or the
/// hiccup message (connections this socket made), as libzmq's
/// `stream_engine_base_t::error` and `session_base_t::engine_error` do.
pub(super) fn broke(o: &Options, pipe: &Rc<RefCell<PipeEnd>>, end: End, active: bool) {
    if !matches!(end, End::Disconnected | End::ProtocolError) {
        return;
    }
    let mut p = pipe.borrow_mut();
    p.rollback();
    if o.router_notify & opt::NOTIFY_DISCONNECT != 0 {
        p.write_unchecked(Msg::new());
    }
    let body = if active {
        o.hiccup_to_recv()
    } else {
        o.disconnect_to_recv()
    };
    if let Some(body) = body {
        p.write_unchecked(Msg::from_slice(body));
    }
}
