//! CURVE's cipher layer: every frame sealed into (or opened from) a
//! MESSAGE command box (`seal_batch`, `TxFraming::command`; `CurveOpen` for the
//! read pump). Direct writes seal with the same sender (`io::direct`).

use super::*;

pub(super) fn frame_flags(more: bool, command: bool) -> u8 {
    (if more { FLAG_MORE } else { 0 }) | (if command { FLAG_COMMAND } else { 0 })
}

/// CURVE: seals every queued message (one copy, encrypted in place in the
/// output buffer), leaving `batch` empty.
pub(super) fn seal_batch<E: TxFraming>(
    tx: &mut CurveTx,
    framing: &mut E,
    batch: &mut VecDeque<Msg>,
    subscriber: bool,
    at_start: &mut bool,
    out: &mut BytesMut,
) {
    for msg in batch.drain(..) {
        let starts = *at_start;
        *at_start = !msg.more();
        if subscriber && starts && !msg.more() && msg.is_command() {
            if let Some((subscribe, topic)) = zmtp::Subscription::parse_message(msg.data()) {
                framing.seal_subscription(tx, subscribe, topic, out);
                continue;
            }
        }
        // A DISH's JOIN/LEAVE goes out as a command (`is_command`).
        let command = !subscriber && starts && !msg.more() && msg.is_command();
        framing.seal(tx, frame_flags(msg.more(), command), msg.data(), out);
    }
}

/// The CURVE read side: every frame is a MESSAGE to open before it means
/// anything. A frame that does not open (bad box, replayed or decreasing
/// nonce, not a MESSAGE) ends the connection with the protocol event
/// libzmq reports.
pub(super) struct CurveOpen<'a> {
    pub(super) rx: CurveRx,
    pub(super) sc: &'a SessionCtx,
}

impl RxCipher for CurveOpen<'_> {
    const PLAIN: bool = false;

    fn open(&mut self, frame: Frame) -> Option<Frame> {
        open_box(&mut self.rx, frame.body, self.sc)
    }
}

/// CURVE: opens one MESSAGE box into the frame it carries; a box that
/// does not open is reported with libzmq's protocol event (None).
pub(super) fn open_box(rx: &mut CurveRx, boxed: Bytes, sc: &SessionCtx) -> Option<Frame> {
    match rx.open_owned(boxed) {
        Ok((flags, body)) => Some(Frame {
            more: flags & FLAG_MORE != 0,
            command: flags & FLAG_COMMAND != 0,
            body,
        }),
        Err(code) => {
            tracing::warn!(target: "monocoque::disconnect", "CURVE MESSAGE refused: {} ({code:#x})", crate::log::protocol_error_name(code));
            sc.owner
                .event(event::HANDSHAKE_FAILED_PROTOCOL, code, &sc.endpoint);
            None
        }
    }
}
