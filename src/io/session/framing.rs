//! The framing seam: what the pumps write where a frame starts and how
//! they take frames off the read buffer. ZMTP (`codec::Decoder`,
//! `codec::Encoder`: tcp, ipc), ZWS 2.0 (`ws::WsDecoder`,
//! `ws::WsEncoder`: one WebSocket message per frame) or raw (`raw`'s
//! `RawDecoder`, `RawEncoder`: STREAM, one frame per read). The pumps are
//! generic over it (monomorphised): ZMTP's methods are the calls the pumps
//! made before, inlined.

use super::*;
use crate::zmtp::codec::LargeHeader;
use crate::zmtp::ws::{WsDecoder, WsEncoder};

/// The read side's framing.
pub(super) trait RxFraming {
    type Error: std::fmt::Display;
    /// See `codec::Decoder::decode_small`.
    fn decode_small<T>(
        &mut self,
        buf: &mut BytesMut,
        max: usize,
        small: impl FnOnce(bool, &[u8]) -> T,
    ) -> Result<Option<T>, Self::Error>;
    /// See `codec::Decoder::decode`.
    fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<Frame>, Self::Error>;
    /// See `codec::Decoder::large_header`.
    fn large_header(&mut self, buf: &[u8], min: usize) -> Result<Option<LargeHeader>, Self::Error>;
    /// The body `large_header` announced has been read into `body`.
    fn large_body(&mut self, body: &mut [u8]);
    /// See `codec::Decoder::needed`.
    fn needed(&self, buf: &[u8]) -> usize;
    /// The peer ended the stream in band (ws CLOSE).
    fn closed(&self) -> bool;
}

impl RxFraming for Decoder {
    type Error = zmtp::ProtocolError;

    #[inline(always)]
    fn decode_small<T>(
        &mut self,
        buf: &mut BytesMut,
        max: usize,
        small: impl FnOnce(bool, &[u8]) -> T,
    ) -> Result<Option<T>, Self::Error> {
        Decoder::decode_small(self, buf, max, small)
    }

    #[inline(always)]
    fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<Frame>, Self::Error> {
        Decoder::decode(self, buf)
    }

    #[inline(always)]
    fn large_header(&mut self, buf: &[u8], min: usize) -> Result<Option<LargeHeader>, Self::Error> {
        Decoder::large_header(self, buf, min)
    }

    #[inline(always)]
    fn large_body(&mut self, _body: &mut [u8]) {}

    #[inline(always)]
    fn needed(&self, buf: &[u8]) -> usize {
        Decoder::needed(self, buf)
    }

    #[inline(always)]
    fn closed(&self) -> bool {
        false
    }
}

impl RxFraming for WsDecoder {
    type Error = zmtp::ws::WsError;

    fn decode_small<T>(
        &mut self,
        buf: &mut BytesMut,
        max: usize,
        small: impl FnOnce(bool, &[u8]) -> T,
    ) -> Result<Option<T>, Self::Error> {
        WsDecoder::decode_small(self, buf, max, small)
    }

    fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<Frame>, Self::Error> {
        WsDecoder::decode(self, buf)
    }

    fn large_header(&mut self, buf: &[u8], min: usize) -> Result<Option<LargeHeader>, Self::Error> {
        WsDecoder::large_header(self, buf, min)
    }

    fn large_body(&mut self, body: &mut [u8]) {
        self.unmask_large(body);
    }

    fn needed(&self, buf: &[u8]) -> usize {
        WsDecoder::needed(self, buf)
    }

    fn closed(&self) -> bool {
        WsDecoder::closed(self)
    }
}

/// The write side's framing.
pub(super) trait TxFraming {
    /// Large bodies may go out as segments of their own, uncopied.
    fn uncopied(&self) -> bool;
    /// The header of a frame with a `len`-byte body; the body follows by
    /// `body` (or, when `uncopied`, as a segment of its own).
    fn header(&mut self, more: bool, command: bool, len: usize, out: &mut BytesMut);
    fn body(&mut self, data: &[u8], out: &mut BytesMut);
    /// A whole subscription (RFC 37: SUBSCRIBE/CANCEL to a 3.1 peer).
    fn subscription(&mut self, subscribe: bool, topic: &[u8], out: &mut BytesMut);
    /// One command of ours (PING, PONG, the handshake's last), `body`
    /// being its name size, name and data; sealed when CURVE is on.
    fn command(&mut self, body: &[u8], curve: Option<&mut CurveTx>, out: &mut BytesMut);
    /// CURVE: one frame sealed into a MESSAGE.
    fn seal(&mut self, tx: &mut CurveTx, flags: u8, body: &[u8], out: &mut BytesMut);
    /// CURVE: one subscription sealed into a MESSAGE.
    fn seal_subscription(
        &mut self,
        tx: &mut CurveTx,
        subscribe: bool,
        topic: &[u8],
        out: &mut BytesMut,
    );
}

impl TxFraming for Encoder {
    #[inline(always)]
    fn uncopied(&self) -> bool {
        true
    }

    #[inline(always)]
    fn header(&mut self, more: bool, command: bool, len: usize, out: &mut BytesMut) {
        if command {
            zmtp::encode_header(self.version(), more, true, len, out);
        } else {
            self.message_header(more, len, out);
        }
    }

    #[inline(always)]
    fn body(&mut self, data: &[u8], out: &mut BytesMut) {
        out.extend_from_slice(data);
    }

    #[inline(always)]
    fn subscription(&mut self, subscribe: bool, topic: &[u8], out: &mut BytesMut) {
        zmtp::encode_subscription(self.version(), subscribe, topic, out);
    }

    fn command(&mut self, body: &[u8], curve: Option<&mut CurveTx>, out: &mut BytesMut) {
        match curve {
            None => {
                zmtp::encode_header(self.version(), false, true, body.len(), out);
                out.extend_from_slice(body);
            }
            Some(tx) => tx.seal(FLAG_COMMAND, body, out),
        }
    }

    #[inline(always)]
    fn seal(&mut self, tx: &mut CurveTx, flags: u8, body: &[u8], out: &mut BytesMut) {
        tx.seal(flags, body, out);
    }

    #[inline(always)]
    fn seal_subscription(
        &mut self,
        tx: &mut CurveTx,
        subscribe: bool,
        topic: &[u8],
        out: &mut BytesMut,
    ) {
        tx.seal_subscription(subscribe, topic, out);
    }
}

impl TxFraming for WsEncoder {
    fn uncopied(&self) -> bool {
        !self.masked()
    }

    fn header(&mut self, more: bool, command: bool, len: usize, out: &mut BytesMut) {
        WsEncoder::header(self, more, command, len, out);
    }

    fn body(&mut self, data: &[u8], out: &mut BytesMut) {
        WsEncoder::body(self, data, out);
    }

    fn subscription(&mut self, subscribe: bool, topic: &[u8], out: &mut BytesMut) {
        WsEncoder::subscription(self, subscribe, topic, out);
    }

    /// In clear, as libzmq's ws engine sends it (`WsEncoder::command`:
    /// PING/PONG as WebSocket control frames); under CURVE, sealed into a
    /// MESSAGE like any frame.
    fn command(&mut self, body: &[u8], curve: Option<&mut CurveTx>, out: &mut BytesMut) {
        match curve {
            None => WsEncoder::command(self, body, out),
            Some(tx) => TxFraming::seal(self, tx, FLAG_COMMAND, body, out),
        }
    }

    fn seal(&mut self, tx: &mut CurveTx, flags: u8, body: &[u8], out: &mut BytesMut) {
        self.sealed_message(|sealed| tx.seal_message(flags, body, sealed), out);
    }

    /// ZWS 2.0 is ZMTP 3.1 below the framing: the box carries a
    /// SUBSCRIBE/CANCEL command.
    fn seal_subscription(
        &mut self,
        tx: &mut CurveTx,
        subscribe: bool,
        topic: &[u8],
        out: &mut BytesMut,
    ) {
        self.sealed_message(
            |sealed| tx.seal_subscription_message(subscribe, topic, sealed),
            out,
        );
    }
}

impl WsEncoder {
    /// A MESSAGE command body sealed by `seal` into `scratch`, then framed
    /// as one plain (non-command, single-part) message, as libzmq sends it.
    fn sealed_message(&mut self, seal: impl FnOnce(&mut BytesMut), out: &mut BytesMut) {
        let mut sealed = std::mem::take(&mut self.scratch);
        seal(&mut sealed);
        WsEncoder::header(self, false, false, sealed.len(), out);
        WsEncoder::body(self, &sealed, out);
        sealed.clear();
        self.scratch = sealed;
    }
}
