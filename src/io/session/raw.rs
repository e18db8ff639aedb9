//! STREAM sockets (raw mode): no greeting, no handshake, no ZMTP framing.
//! The bytes of each read are one message, and each message's body goes
//! out as it is (libzmq's `raw_decoder_t`, `raw_encoder_t`). The framing
//! is a third `RxFraming`/`TxFraming` pair, so a raw connection runs the
//! same read and write pumps as ZMTP and ZWS (`Run::pumps`): no cipher, no
//! heartbeats, no direct writes. The routing id a STREAM socket puts in
//! front of each message, its connect/disconnect notifications and the
//! closing of a connection by an empty body are the socket's business
//! (`socket::stream`).

use super::*;
use crate::zmtp::codec::LargeHeader;

/// Raw framing, read side: whatever the buffer holds is one frame.
pub(super) struct RawDecoder;

impl RxFraming for RawDecoder {
    /// A raw stream cannot be malformed. No `ZMQ_MAXMSGSIZE` either: a
    /// message is at most one read (libzmq's raw decoder checks none).
    type Error = std::convert::Infallible;

    #[inline(always)]
    fn decode_small<T>(
        &mut self,
        buf: &mut BytesMut,
        max: usize,
        small: impl FnOnce(bool, &[u8]) -> T,
    ) -> Result<Option<T>, Self::Error> {
        if buf.is_empty() || buf.len() > max {
            return Ok(None);
        }
        let t = small(false, buf);
        // The buffer is ours again: the next read lands at its start.
        buf.clear();
        Ok(Some(t))
    }

    #[inline(always)]
    fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<Frame>, Self::Error> {
        if buf.is_empty() {
            return Ok(None);
        }
        Ok(Some(Frame {
            more: false,
            command: false,
            body: buf.split().freeze(),
        }))
    }

    #[inline(always)]
    fn large_header(
        &mut self,
        _buf: &[u8],
        _min: usize,
    ) -> Result<Option<LargeHeader>, Self::Error> {
        // A read's bytes are already the whole message.
        Ok(None)
    }

    #[inline(always)]
    fn large_body(&mut self, _body: &mut [u8]) {}

    /// Every read may take `READ_CHUNK` bytes (the size of a raw message
    /// at most).
    #[inline(always)]
    fn needed(&self, _buf: &[u8]) -> usize {
        READ_CHUNK
    }

    #[inline(always)]
    fn closed(&self) -> bool {
        false
    }
}

/// Raw framing, write side: bodies, no headers. A STREAM socket sends no
/// commands, subscriptions or control frames and has no cipher; should
/// one reach this framing it is written as nothing.
pub(super) struct RawEncoder;

impl TxFraming for RawEncoder {
    #[inline(always)]
    fn uncopied(&self) -> bool {
        true
    }

    #[inline(always)]
    fn header(&mut self, _more: bool, _command: bool, _len: usize, _out: &mut BytesMut) {}

    #[inline(always)]
    fn body(&mut self, data: &[u8], out: &mut BytesMut) {
        out.extend_from_slice(data);
    }

    fn subscription(&mut self, _subscribe: bool, _topic: &[u8], _out: &mut BytesMut) {}

    fn command(&mut self, _body: &[u8], _curve: Option<&mut CurveTx>, _out: &mut BytesMut) {}

    fn seal(&mut self, _tx: &mut CurveTx, _flags: u8, _body: &[u8], _out: &mut BytesMut) {}

    fn seal_subscription(
        &mut self,
        _tx: &mut CurveTx,
        _subscribe: bool,
        _topic: &[u8],
        _out: &mut BytesMut,
    ) {
    }
}

/// Serves a STREAM connection: its pipe (carrying the peer's address as
/// metadata), then the pumps over the raw framing until one side ends.
pub(super) async fn serve_raw<R: AsyncRead, W: AsyncWrite>(
    mut r: R,
    mut w: W,
    sc: &SessionCtx,
    persistent: Option<Rc<RefCell<PipeEnd>>>,
    peer_address: String,
    fd: i32,
) -> End {
    let meta = {
        let mut md = Metadata::new();
        if !peer_address.is_empty() {
            md.insert("Peer-Address", peer_address.as_bytes());
        }
        Arc::new(md)
    };
    let pipe = match persistent {
        Some(p) => p,
        None => Rc::new(RefCell::new(attach_new_pipe(
            sc,
            Bytes::new(),
            Some(meta.clone()),
        ))),
    };
    let ctl = Control::for_options(&sc.options);
    let read_errno = std::cell::Cell::new(0);
    let run = Run {
        sc,
        pipe: &pipe,
        ctl: &ctl,
        // No ZMTP is spoken: the revision is never used.
        version: zmtp::Version::V3_1,
        hb: None,
        read_errno: &read_errno,
        meta,
        fd,
        curve_tx: None,
        curve_rx: None,
        first: BytesMut::new(),
        first_commands: Vec::new(),
    };
    let buf = BytesMut::with_capacity(READ_CHUNK);
    run.pumps(&mut r, &mut w, buf, &mut RawDecoder, &mut RawEncoder, false)
        .await
}
