//! The CURVE client's handshake: HELLO, then WELCOME, INITIATE, READY.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ClientState {
    SendHello,
    ExpectWelcome,
    ExpectReady,
    Connected,
}

/// CURVE client.
pub(crate) struct CurveClient {
    pub(super) public_key: [u8; 32],
    pub(super) secret_key: [u8; 32],
    pub(super) server_key: [u8; 32],
    pub(super) cn_public: [u8; 32],
    pub(super) cn_secret: [u8; 32],
    pub(super) nonce: u64,
    pub(super) peer_nonce: u64,
    /// S' and c' once WELCOME told us S': the connection's box.
    pub(super) precom: Option<([u8; 32], [u8; 32])>,
    pub(super) state: ClientState,
}

impl CurveClient {
    pub(crate) fn new(public_key: [u8; 32], secret_key: [u8; 32], server_key: [u8; 32]) -> Self {
        let (cn_public, cn_secret) = keypair();
        CurveClient {
            public_key,
            secret_key,
            server_key,
            cn_public,
            cn_secret,
            nonce: 1,
            peer_nonce: 1,
            precom: None,
            state: ClientState::SendHello,
        }
    }

    fn next_nonce(&mut self) -> u64 {
        let n = self.nonce;
        self.nonce += 1;
        n
    }

    fn hello(&mut self, s: &mut Shared) {
        let n = self.next_nonce().to_be_bytes();
        let b = salsa_box(&self.server_key, &self.cn_secret);
        let signature = seal(&b, &nonce24(b"CurveZMQHELLO---", &n), &[0u8; 64]);
        let mut data = Vec::with_capacity(HELLO_LEN - 6);
        // CurveZMQ version 1.0, then 72 octets of anti-amplification
        // padding (RFC 26 §HELLO).
        data.extend_from_slice(&[1, 0]);
        data.extend_from_slice(&[0u8; 72]);
        data.extend_from_slice(&self.cn_public);
        data.extend_from_slice(&n);
        data.extend_from_slice(&signature);
        s.send_command(b"HELLO", &data);
    }

    fn welcome(&mut self, body: &[u8], s: &mut Shared) -> Result<(), HandshakeError> {
        if body.len() != WELCOME_LEN {
            return Err(protocol(code::ZMTP_CRYPTOGRAPHIC));
        }
        let b = salsa_box(&self.server_key, &self.cn_secret);
        let plain = open(&b, &nonce24(b"WELCOME-", &body[8..24]), &body[24..])
            .ok_or(protocol(code::ZMTP_CRYPTOGRAPHIC))?;
        let mut cn_server = [0u8; 32];
        cn_server.copy_from_slice(&plain[..32]);
        let cookie = &plain[32..128];
        let precom = salsa_box(&cn_server, &self.cn_secret);
        // vouch = Box [C' + S](C → S'), under a random "VOUCH---" nonce.
        let vouch_nonce: [u8; 16] = random();
        let mut vouch_plain = [0u8; 64];
        vouch_plain[..32].copy_from_slice(&self.cn_public);
        vouch_plain[32..].copy_from_slice(&self.server_key);
        let vouch = seal(
            &salsa_box(&cn_server, &self.secret_key),
            &nonce24(b"VOUCH---", &vouch_nonce),
            &vouch_plain,
        );
        let mut inner = BytesMut::with_capacity(128 + s.basic_properties_len());
        inner.put_slice(&self.public_key);
        inner.put_slice(&vouch_nonce);
        inner.put_slice(&vouch);
        s.write_basic_properties(&mut inner);
        let n = self.next_nonce().to_be_bytes();
        let boxed = seal(&precom, &nonce24(b"CurveZMQINITIATE", &n), &inner);
        let mut data = Vec::with_capacity(96 + 8 + boxed.len());
        data.extend_from_slice(cookie);
        data.extend_from_slice(&n);
        data.extend_from_slice(&boxed);
        s.send_command(b"INITIATE", &data);
        self.precom = Some((cn_server, self.cn_secret));
        self.state = ClientState::ExpectReady;
        Ok(())
    }

    fn ready(&mut self, body: &[u8], s: &mut Shared) -> Result<(), HandshakeError> {
        if body.len() < READY_MIN {
            return Err(protocol(code::ZMTP_MALFORMED_COMMAND_READY));
        }
        let Some((cn_server, cn_secret)) = &self.precom else {
            return Err(protocol(code::ZMTP_UNEXPECTED_COMMAND));
        };
        self.peer_nonce = u64_at(body, 6);
        let plain = open(
            &salsa_box(cn_server, cn_secret),
            &nonce24(b"CurveZMQREADY---", &body[6..14]),
            &body[14..],
        )
        .ok_or(protocol(code::ZMTP_CRYPTOGRAPHIC))?;
        s.accept_metadata(&Bytes::from(plain), true)?;
        self.state = ClientState::Connected;
        Ok(())
    }
}

impl Mechanism for CurveClient {
    fn start(&mut self, s: &mut Shared) -> Result<(), HandshakeError> {
        self.hello(s);
        self.state = ClientState::ExpectWelcome;
        Ok(())
    }

    fn process_command(&mut self, body: Bytes, s: &mut Shared) -> Result<(), HandshakeError> {
        // libzmq matches the command by prefix, then checks the size.
        if body.starts_with(b"\x07WELCOME") && self.state == ClientState::ExpectWelcome {
            self.welcome(&body, s)
        } else if body.starts_with(b"\x05READY") && self.state == ClientState::ExpectReady {
            self.ready(&body, s)
        } else if body.starts_with(b"\x05ERROR") {
            if !matches!(
                self.state,
                ClientState::ExpectWelcome | ClientState::ExpectReady
            ) {
                return Err(protocol(code::ZMTP_UNEXPECTED_COMMAND));
            }
            let reason = parse_error_reason(&body.slice(6..)).map_err(HandshakeError::Protocol)?;
            Err(HandshakeError::PeerError { reason })
        } else {
            Err(protocol(code::ZMTP_UNEXPECTED_COMMAND))
        }
    }

    fn zap_reply(&mut self, _reply: ZapReply, _s: &mut Shared) -> Result<(), HandshakeError> {
        Err(HandshakeError::InvalidState)
    }

    fn is_ready(&self) -> bool {
        self.state == ClientState::Connected
    }

    fn awaits_command(&self) -> bool {
        matches!(
            self.state,
            ClientState::ExpectWelcome | ClientState::ExpectReady
        )
    }

    fn take_cipher(&mut self) -> Option<CurveCipher> {
        if self.state != ClientState::Connected {
            return None;
        }
        let (peer, ours) = self.precom.take()?;
        Some(CurveCipher {
            tx: CurveTx {
                cipher: MsgBox::new(&peer, &ours),
                prefix: b"CurveZMQMESSAGEC",
                nonce: self.nonce,
                version: Version::V3_1,
            },
            rx: CurveRx {
                cipher: MsgBox::new(&peer, &ours),
                prefix: b"CurveZMQMESSAGES",
                peer_nonce: self.peer_nonce,
            },
        })
    }
}
