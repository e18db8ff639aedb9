//! What an inbound frame means once the handshake is done (libzmq
//! `process_command_message` and `session_base_t::push_msg`): messages go
//! to the socket; PING asks for a PONG; SUBSCRIBE/CANCEL go to the socket
//! as subscriptions; every other command (PONG included, once it has
//! counted as traffic) is dropped, malformed ones too, as libzmq does.

use bytes::Bytes;

use super::codec::Frame;
use super::command::Command;

/// The meaning of one inbound frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inbound {
    /// A message frame for the socket.
    Message(Frame),
    /// Answer with `command::encode_pong(context)`; then
    /// `Heartbeat::on_ping_received(now, ttl_deciseconds)`.
    Ping {
        ttl_deciseconds: u16,
        context: Bytes,
    },
    /// An answer to our PING.
    Pong { context: Bytes },
    /// SUBSCRIBE command (3.1); `Subscription` has the message form.
    Subscribe(Bytes),
    /// CANCEL command (3.1).
    Cancel(Bytes),
    /// A DISH's JOIN or LEAVE command, its whole body (`\x04JOIN<group>`,
    /// `\x05LEAVE<group>`): RADIO sockets take it, others ignore it.
    Group(Bytes),
    /// Any other or malformed command: nothing to do.
    Ignored,
}

/// Classifies a decoded frame. Every frame, whatever it is, counts as
/// traffic for `Heartbeat::on_frame_received`.
pub fn classify(frame: Frame) -> Inbound {
    if !frame.command {
        return Inbound::Message(frame);
    }
    if frame.body.starts_with(b"\x04JOIN") || frame.body.starts_with(b"\x05LEAVE") {
        return Inbound::Group(frame.body);
    }
    match Command::parse(&frame.body) {
        Ok(Command::Ping { ttl, context }) => Inbound::Ping {
            ttl_deciseconds: ttl,
            context,
        },
        Ok(Command::Pong { context }) => Inbound::Pong { context },
        Ok(Command::Subscribe { topic }) => Inbound::Subscribe(topic),
        Ok(Command::Cancel { topic }) => Inbound::Cancel(topic),
        _ => Inbound::Ignored,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(body: &'static [u8]) -> Frame {
        Frame {
            more: false,
            command: true,
            body: Bytes::from_static(body),
        }
    }

    #[test]
    fn messages_pass_through() {
        let f = Frame {
            more: true,
            command: false,
            body: Bytes::from_static(b"\x04PING\x00\x00"),
        };
        assert_eq!(classify(f.clone()), Inbound::Message(f));
    }

    #[test]
    fn ping_pong_subscribe_cancel_are_recognised() {
        assert_eq!(
            classify(cmd(b"\x04PING\x00\x0aabc")),
            Inbound::Ping {
                ttl_deciseconds: 10,
                context: Bytes::from_static(b"abc")
            }
        );
        assert_eq!(
            classify(cmd(b"\x04PONGabc")),
            Inbound::Pong {
                context: Bytes::from_static(b"abc")
            }
        );
        assert_eq!(
            classify(cmd(b"\x09SUBSCRIBEt")),
            Inbound::Subscribe(Bytes::from_static(b"t"))
        );
        assert_eq!(classify(cmd(b"\x06CANCEL")), Inbound::Cancel(Bytes::new()));
    }

    #[test]
    fn join_and_leave_are_group_commands() {
        assert_eq!(
            classify(cmd(b"\x04JOINtv")),
            Inbound::Group(Bytes::from_static(b"\x04JOINtv"))
        );
        assert_eq!(
            classify(cmd(b"\x05LEAVE")),
            Inbound::Group(Bytes::from_static(b"\x05LEAVE"))
        );
    }

    #[test]
    fn unknown_and_malformed_commands_are_ignored() {
        for b in [
            &b"\x04JOIx"[..],
            b"",
            b"\x04PING\x00",
            b"\x05READY",
            b"\x09SUBSCR",
        ] {
            assert_eq!(
                classify(Frame {
                    more: false,
                    command: true,
                    body: Bytes::copy_from_slice(b)
                }),
                Inbound::Ignored
            );
        }
    }
}
