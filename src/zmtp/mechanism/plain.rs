//! The PLAIN mechanism (RFC 24): the client sends HELLO with username and
//! password; the server asks ZAP, answers WELCOME (or ERROR); the client
//! sends INITIATE with its metadata; the server answers READY with its own.
//!
//! Error codes and the events they raise follow libzmq 4.3.5's
//! `plain_client_t` and `plain_server_t` check by check: a malformed HELLO
//! is `MALFORMED_COMMAND_HELLO`, a WELCOME with a body
//! `MALFORMED_COMMAND_WELCOME`, bad READY metadata `INVALID_METADATA`
//! (client), bad INITIATE metadata unreported (server). The server needs a
//! ZAP handler: without one the handshake fails (`NoZapHandler`).

use bytes::Bytes;

use super::{Mechanism, Shared};
use crate::zmtp::command::{parse_error_reason, split_name};
use crate::zmtp::error::{code, HandshakeError};
use crate::zmtp::zap::ZapReply;

const UNEXPECTED: HandshakeError = HandshakeError::Protocol(code::ZMTP_UNEXPECTED_COMMAND);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClientState {
    Idle,
    WaitingWelcome,
    WaitingReady,
    Ready,
}

/// PLAIN client.
#[derive(Debug)]
pub(crate) struct PlainClient {
    username: Bytes,
    password: Bytes,
    state: ClientState,
}

impl PlainClient {
    /// Username and password longer than 255 bytes are cut (the option
    /// layer refuses them first).
    pub(crate) fn new(username: Bytes, password: Bytes) -> Self {
        let cut = |b: Bytes| b.slice(..b.len().min(255));
        PlainClient {
            username: cut(username),
            password: cut(password),
            state: ClientState::Idle,
        }
    }
}

impl Mechanism for PlainClient {
    fn start(&mut self, s: &mut Shared) -> Result<(), HandshakeError> {
        // RFC 24: hello = command-size %d5 "HELLO" username password,
        // each a short-size string.
        let mut data = Vec::with_capacity(2 + self.username.len() + self.password.len());
        data.push(self.username.len() as u8);
        data.extend_from_slice(&self.username);
        data.push(self.password.len() as u8);
        data.extend_from_slice(&self.password);
        s.send_command(b"HELLO", &data);
        self.state = ClientState::WaitingWelcome;
        Ok(())
    }

    fn process_command(&mut self, body: Bytes, s: &mut Shared) -> Result<(), HandshakeError> {
        let Ok((name, data)) = split_name(&body) else {
            return Err(UNEXPECTED);
        };
        match &name[..] {
            b"WELCOME" => {
                if self.state != ClientState::WaitingWelcome {
                    return Err(UNEXPECTED);
                }
                if !data.is_empty() {
                    return Err(HandshakeError::Protocol(
                        code::ZMTP_MALFORMED_COMMAND_WELCOME,
                    ));
                }
                s.send_basic_properties(b"INITIATE");
                self.state = ClientState::WaitingReady;
                Ok(())
            }
            b"READY" => {
                if self.state != ClientState::WaitingReady {
                    return Err(UNEXPECTED);
                }
                s.accept_metadata(&data, true)?;
                self.state = ClientState::Ready;
                Ok(())
            }
            b"ERROR" => {
                if !matches!(
                    self.state,
                    ClientState::WaitingWelcome | ClientState::WaitingReady
                ) {
                    return Err(UNEXPECTED);
                }
                let reason = parse_error_reason(&data).map_err(HandshakeError::Protocol)?;
                Err(HandshakeError::PeerError { reason })
            }
            _ => Err(UNEXPECTED),
        }
    }

    fn zap_reply(&mut self, _reply: ZapReply, _s: &mut Shared) -> Result<(), HandshakeError> {
        Err(HandshakeError::InvalidState)
    }

    fn is_ready(&self) -> bool {
        self.state == ClientState::Ready
    }

    fn awaits_command(&self) -> bool {
        matches!(
            self.state,
            ClientState::WaitingWelcome | ClientState::WaitingReady
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum ServerState {
    #[default]
    WaitingHello,
    WaitingZap,
    WaitingInitiate,
    Ready,
}

/// PLAIN server.
#[derive(Debug, Default)]
pub(crate) struct PlainServer {
    state: ServerState,
}

impl PlainServer {
    fn process_hello(&mut self, body: &Bytes, s: &mut Shared) -> Result<(), HandshakeError> {
        // libzmq `check_basic_command_structure`: room for the name.
        if body.len() <= 1 || body.len() <= usize::from(body[0]) {
            return Err(HandshakeError::Protocol(
                code::ZMTP_MALFORMED_COMMAND_UNSPECIFIED,
            ));
        }
        let Ok((name, data)) = split_name(body) else {
            return Err(UNEXPECTED);
        };
        if &name[..] != b"HELLO" {
            return Err(UNEXPECTED);
        }
        let malformed = HandshakeError::Protocol(code::ZMTP_MALFORMED_COMMAND_HELLO);
        let user_len = usize::from(*data.first().ok_or(malformed.clone())?);
        let rest = data.slice(1..);
        if rest.len() < user_len {
            return Err(malformed);
        }
        let username = rest.slice(..user_len);
        let rest = rest.slice(user_len..);
        let pass_len = usize::from(*rest.first().ok_or(malformed.clone())?);
        // The password must end the command exactly.
        if rest.len() - 1 != pass_len {
            return Err(malformed);
        }
        let password = rest.slice(1..);
        s.request_zap(b"PLAIN", vec![username, password]);
        self.state = ServerState::WaitingZap;
        Ok(())
    }
}

impl Mechanism for PlainServer {
    fn start(&mut self, _s: &mut Shared) -> Result<(), HandshakeError> {
        Ok(())
    }

    fn process_command(&mut self, body: Bytes, s: &mut Shared) -> Result<(), HandshakeError> {
        match self.state {
            ServerState::WaitingHello => self.process_hello(&body, s),
            ServerState::WaitingInitiate => {
                let Ok((name, data)) = split_name(&body) else {
                    return Err(UNEXPECTED);
                };
                if &name[..] != b"INITIATE" {
                    return Err(UNEXPECTED);
                }
                s.accept_metadata(&data, false)?;
                s.send_basic_properties(b"READY");
                self.state = ServerState::Ready;
                Ok(())
            }
            // libzmq: any command while waiting for ZAP (or after READY).
            ServerState::WaitingZap | ServerState::Ready => {
                Err(HandshakeError::Protocol(code::ZMTP_UNSPECIFIED))
            }
        }
    }

    fn zap_reply(&mut self, reply: ZapReply, s: &mut Shared) -> Result<(), HandshakeError> {
        if self.state != ServerState::WaitingZap {
            return Err(HandshakeError::InvalidState);
        }
        match reply {
            ZapReply::NoHandler => return Err(HandshakeError::NoZapHandler),
            ZapReply::Frames(frames) => s.judge_zap(&frames)?,
        }
        s.send_command(b"WELCOME", b"");
        self.state = ServerState::WaitingInitiate;
        Ok(())
    }

    fn is_ready(&self) -> bool {
        self.state == ServerState::Ready
    }

    fn awaits_command(&self) -> bool {
        self.state != ServerState::Ready
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zmtp::mechanism::tests::{sent, shared};
    use crate::zmtp::socket_type::{ZMQ_DEALER, ZMQ_REP, ZMQ_ROUTER};

    fn b(x: &'static [u8]) -> Bytes {
        Bytes::from_static(x)
    }

    fn ok_reply() -> ZapReply {
        ZapReply::from_status(b"200", b(b"admin"), Bytes::new())
    }

    #[test]
    fn client_sends_hello_with_credentials() {
        let mut s = shared(ZMQ_DEALER);
        let mut c = PlainClient::new(b(b"admin"), b(b"secret"));
        c.start(&mut s).unwrap();
        assert_eq!(&sent(&mut s)[0][..], b"\x05HELLO\x05admin\x06secret");
    }

    #[test]
    fn client_full_sequence() {
        let mut s = shared(ZMQ_DEALER);
        let mut c = PlainClient::new(b(b"u"), b(b"p"));
        c.start(&mut s).unwrap();
        sent(&mut s);
        c.process_command(b(b"\x07WELCOME"), &mut s).unwrap();
        assert!(sent(&mut s)[0].starts_with(b"\x08INITIATE\x0bSocket-Type"));
        c.process_command(b(b"\x05READY\x0bSocket-Type\x00\x00\x00\x06ROUTER"), &mut s)
            .unwrap();
        assert!(c.is_ready());
    }

    #[test]
    fn client_refuses_welcome_with_body() {
        let mut s = shared(ZMQ_DEALER);
        let mut c = PlainClient::new(b(b"u"), b(b"p"));
        c.start(&mut s).unwrap();
        let e = c.process_command(b(b"\x07WELCOMEx"), &mut s);
        assert_eq!(
            e,
            Err(HandshakeError::Protocol(
                code::ZMTP_MALFORMED_COMMAND_WELCOME
            ))
        );
    }

    #[test]
    fn client_refuses_ready_before_welcome() {
        let mut s = shared(ZMQ_DEALER);
        let mut c = PlainClient::new(b(b"u"), b(b"p"));
        c.start(&mut s).unwrap();
        assert_eq!(c.process_command(b(b"\x05READY"), &mut s), Err(UNEXPECTED));
        assert_eq!(
            c.process_command(b(b"\x05HELLO\x00\x00"), &mut s),
            Err(UNEXPECTED)
        );
    }

    #[test]
    fn client_reports_bad_ready_metadata() {
        let mut s = shared(ZMQ_DEALER);
        let mut c = PlainClient::new(b(b"u"), b(b"p"));
        c.start(&mut s).unwrap();
        c.process_command(b(b"\x07WELCOME"), &mut s).unwrap();
        let e = c
            .process_command(b(b"\x05READY\x03abc\x00"), &mut s)
            .unwrap_err();
        assert_eq!(e, HandshakeError::InvalidMetadata { reported: true });
        assert!(e.event().is_some());
    }

    #[test]
    fn client_reports_incompatible_server() {
        let mut s = shared(ZMQ_DEALER);
        let mut c = PlainClient::new(b(b"u"), b(b"p"));
        c.start(&mut s).unwrap();
        c.process_command(b(b"\x07WELCOME"), &mut s).unwrap();
        let e = c
            .process_command(b(b"\x05READY\x0bSocket-Type\x00\x00\x00\x04PULL"), &mut s)
            .unwrap_err();
        assert_eq!(
            e,
            HandshakeError::IncompatibleSocketType {
                peer: b(b"PULL"),
                reported: true
            }
        );
    }

    #[test]
    fn client_error_from_server_is_auth_event() {
        let mut s = shared(ZMQ_DEALER);
        let mut c = PlainClient::new(b(b"u"), b(b"p"));
        c.start(&mut s).unwrap();
        let e = c
            .process_command(b(b"\x05ERROR\x03400"), &mut s)
            .unwrap_err();
        assert_eq!(e.event().unwrap().value(), 400);
    }

    #[test]
    fn server_asks_zap_with_credentials_then_welcomes() {
        let mut s = shared(ZMQ_ROUTER);
        let mut m = PlainServer::default();
        m.start(&mut s).unwrap();
        assert!(s.out.is_empty());
        m.process_command(b(b"\x05HELLO\x05admin\x06secret"), &mut s)
            .unwrap();
        let req = s.zap_request.take().unwrap();
        assert_eq!(req.mechanism, b"PLAIN");
        assert_eq!(req.credentials, vec![b(b"admin"), b(b"secret")]);
        m.zap_reply(ok_reply(), &mut s).unwrap();
        assert_eq!(&sent(&mut s)[0][..], b"\x07WELCOME");
        m.process_command(
            b(b"\x08INITIATE\x0bSocket-Type\x00\x00\x00\x06DEALER"),
            &mut s,
        )
        .unwrap();
        assert!(m.is_ready());
        assert!(sent(&mut s)[0].starts_with(b"\x05READY"));
    }

    #[test]
    fn server_hello_malformations() {
        let cases: [(&'static [u8], u32); 7] = [
            (b"\x05", code::ZMTP_MALFORMED_COMMAND_UNSPECIFIED),
            (b"\x05HELL", code::ZMTP_MALFORMED_COMMAND_UNSPECIFIED),
            (b"\x05HELLX\x00\x00", code::ZMTP_UNEXPECTED_COMMAND),
            (b"\x05HELLO", code::ZMTP_MALFORMED_COMMAND_HELLO),
            (b"\x05HELLO\x05adm", code::ZMTP_MALFORMED_COMMAND_HELLO),
            (b"\x05HELLO\x01a", code::ZMTP_MALFORMED_COMMAND_HELLO),
            (b"\x05HELLO\x01a\x01pp", code::ZMTP_MALFORMED_COMMAND_HELLO),
        ];
        for (body, c) in cases {
            let mut s = shared(ZMQ_REP);
            let mut m = PlainServer::default();
            assert_eq!(
                m.process_command(b(body), &mut s),
                Err(HandshakeError::Protocol(c)),
                "{body:?}"
            );
        }
    }

    #[test]
    fn server_hello_with_oversized_lengths_is_malformed() {
        // Username and password sizes are one octet each: at most 255, and
        // checked against the octets present before anything is taken.
        let hello = |user_len: u8, user: &[u8], pass_len: u8, pass: &[u8]| {
            let mut v = b"\x05HELLO".to_vec();
            v.push(user_len);
            v.extend_from_slice(user);
            v.push(pass_len);
            v.extend_from_slice(pass);
            Bytes::from(v)
        };
        let malformed = Err(HandshakeError::Protocol(code::ZMTP_MALFORMED_COMMAND_HELLO));
        let cases = [
            hello(255, b"short", 0, b""),
            hello(5, b"admin", 255, b"pw"),
            hello(255, &[b'u'; 255], 255, &[b'p'; 254]),
            hello(0, b"", 0, &[b'x'; 1000]),
        ];
        for body in cases {
            let mut s = shared(ZMQ_REP);
            let mut m = PlainServer::default();
            assert_eq!(
                m.process_command(body.clone(), &mut s),
                malformed,
                "{body:?}"
            );
            assert!(s.zap_request.is_none());
        }
        // The largest well-formed HELLO is accepted.
        let mut s = shared(ZMQ_REP);
        let mut m = PlainServer::default();
        let body = hello(255, &[b'u'; 255], 255, &[b'p'; 255]);
        m.process_command(body, &mut s).unwrap();
        let req = s.zap_request.take().unwrap();
        assert_eq!(req.credentials[0].len(), 255);
        assert_eq!(req.credentials[1].len(), 255);
    }

    #[test]
    fn server_without_zap_handler_fails() {
        let mut s = shared(ZMQ_REP);
        let mut m = PlainServer::default();
        m.process_command(b(b"\x05HELLO\x00\x00"), &mut s).unwrap();
        let e = m.zap_reply(ZapReply::NoHandler, &mut s).unwrap_err();
        assert_eq!(e, HandshakeError::NoZapHandler);
        assert_eq!(e.event().unwrap().value(), 14);
    }

    #[test]
    fn server_denied_sends_error() {
        let mut s = shared(ZMQ_REP);
        let mut m = PlainServer::default();
        m.process_command(b(b"\x05HELLO\x00\x00"), &mut s).unwrap();
        let deny = ZapReply::from_status(b"400", Bytes::new(), Bytes::new());
        assert_eq!(
            m.zap_reply(deny, &mut s),
            Err(HandshakeError::Auth { status: 400 })
        );
        assert_eq!(&sent(&mut s)[0][..], b"\x05ERROR\x03400");
    }

    #[test]
    fn server_refuses_commands_while_waiting_for_zap() {
        let mut s = shared(ZMQ_REP);
        let mut m = PlainServer::default();
        m.process_command(b(b"\x05HELLO\x00\x00"), &mut s).unwrap();
        let e = m.process_command(b(b"\x08INITIATE"), &mut s);
        assert_eq!(e, Err(HandshakeError::Protocol(code::ZMTP_UNSPECIFIED)));
    }

    #[test]
    fn server_initiate_errors_are_unreported() {
        let mut s = shared(ZMQ_REP);
        let mut m = PlainServer::default();
        m.process_command(b(b"\x05HELLO\x00\x00"), &mut s).unwrap();
        m.zap_reply(ok_reply(), &mut s).unwrap();
        let e = m
            .process_command(b(b"\x08INITIATE\x0bSocket-Type\x00\x00\x00\x03REP"), &mut s)
            .unwrap_err();
        assert_eq!(e.event(), None);
    }
}
