//! The CURVE server's handshake: HELLO, WELCOME, then INITIATE (asking
//! ZAP), READY.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ServerState {
    WaitingHello,
    WaitingInitiate,
    WaitingZap,
    Ready,
}

/// CURVE server.
pub(crate) struct CurveServer {
    pub(super) secret_key: [u8; 32],
    pub(super) cn_public: [u8; 32],
    pub(super) cn_secret: [u8; 32],
    pub(super) cn_client: [u8; 32],
    pub(super) cookie_key: [u8; 32],
    pub(super) nonce: u64,
    pub(super) peer_nonce: u64,
    /// C' and s' once INITIATE checked out: the connection's box.
    pub(super) precom: Option<([u8; 32], [u8; 32])>,
    pub(super) state: ServerState,
}

impl CurveServer {
    pub(crate) fn new(secret_key: [u8; 32]) -> Self {
        let (cn_public, cn_secret) = keypair();
        CurveServer {
            secret_key,
            cn_public,
            cn_secret,
            cn_client: [0; 32],
            cookie_key: [0; 32],
            nonce: 1,
            peer_nonce: 1,
            precom: None,
            state: ServerState::WaitingHello,
        }
    }

    fn hello(&mut self, body: &[u8], s: &mut Shared) -> Result<(), HandshakeError> {
        if !body.starts_with(b"\x05HELLO") {
            return Err(protocol(code::ZMTP_UNEXPECTED_COMMAND));
        }
        if body.len() != HELLO_LEN || body[6] != 1 || body[7] != 0 {
            return Err(protocol(code::ZMTP_MALFORMED_COMMAND_HELLO));
        }
        self.cn_client.copy_from_slice(&body[80..112]);
        self.peer_nonce = u64_at(body, 112);
        let b = salsa_box(&self.cn_client, &self.secret_key);
        // The signature box must open; its 64 zero octets are not checked,
        // as in libzmq.
        open(
            &b,
            &nonce24(b"CurveZMQHELLO---", &body[112..120]),
            &body[120..],
        )
        .ok_or(protocol(code::ZMTP_CRYPTOGRAPHIC))?;

        // cookie = Box [C' + s'](t), t a fresh key for this connection.
        self.cookie_key = random();
        let cookie_nonce: [u8; 16] = random();
        let mut cookie_plain = [0u8; 64];
        cookie_plain[..32].copy_from_slice(&self.cn_client);
        cookie_plain[32..].copy_from_slice(&self.cn_secret);
        let cookie = seal(
            &XSalsa20Poly1305::new(&self.cookie_key.into()),
            &nonce24(b"COOKIE--", &cookie_nonce),
            &cookie_plain,
        );
        let mut inner = Vec::with_capacity(128);
        inner.extend_from_slice(&self.cn_public);
        inner.extend_from_slice(&cookie_nonce);
        inner.extend_from_slice(&cookie);
        let welcome_nonce: [u8; 16] = random();
        let boxed = seal(&b, &nonce24(b"WELCOME-", &welcome_nonce), &inner);
        let mut data = Vec::with_capacity(WELCOME_LEN - 8);
        data.extend_from_slice(&welcome_nonce);
        data.extend_from_slice(&boxed);
        s.send_command(b"WELCOME", &data);
        self.state = ServerState::WaitingInitiate;
        Ok(())
    }

    fn initiate(&mut self, body: &[u8], s: &mut Shared) -> Result<(), HandshakeError> {
        if !body.starts_with(b"\x08INITIATE") {
            return Err(protocol(code::ZMTP_UNEXPECTED_COMMAND));
        }
        if body.len() < INITIATE_MIN {
            return Err(protocol(code::ZMTP_MALFORMED_COMMAND_INITIATE));
        }
        let crypto = protocol(code::ZMTP_CRYPTOGRAPHIC);
        let cookie = open(
            &XSalsa20Poly1305::new(&self.cookie_key.into()),
            &nonce24(b"COOKIE--", &body[9..25]),
            &body[25..105],
        )
        .ok_or(crypto.clone())?;
        if cookie[..32] != self.cn_client || cookie[32..64] != self.cn_secret {
            return Err(crypto);
        }
        self.peer_nonce = u64_at(body, 105);
        let precom = salsa_box(&self.cn_client, &self.cn_secret);
        let plain = open(
            &precom,
            &nonce24(b"CurveZMQINITIATE", &body[105..113]),
            &body[113..],
        )
        .ok_or(crypto.clone())?;
        let mut client_key = [0u8; 32];
        client_key.copy_from_slice(&plain[..32]);
        let vouch = open(
            &salsa_box(&client_key, &self.cn_secret),
            &nonce24(b"VOUCH---", &plain[32..48]),
            &plain[48..128],
        )
        .ok_or(crypto)?;
        if vouch[..32] != self.cn_client {
            return Err(protocol(code::ZMTP_KEY_EXCHANGE));
        }
        self.precom = Some((self.cn_client, self.cn_secret));
        // libzmq `curve_server_t::process_initiate`: ZAP is asked unless
        // the domain is enforced and empty; a missing handler then decides
        // (see `zap_reply`).
        if !s.zap_domain.is_empty() || !s.zap_enforce_domain {
            s.request_zap(b"CURVE", vec![Bytes::copy_from_slice(&client_key)]);
            self.state = ServerState::WaitingZap;
        }
        s.accept_metadata(&Bytes::copy_from_slice(&plain[128..]), false)?;
        if self.state != ServerState::WaitingZap {
            self.send_ready(s);
        }
        Ok(())
    }

    fn send_ready(&mut self, s: &mut Shared) {
        let mut meta = BytesMut::with_capacity(s.basic_properties_len());
        s.write_basic_properties(&mut meta);
        let n = self.nonce.to_be_bytes();
        self.nonce += 1;
        let Some((cn_client, cn_secret)) = &self.precom else {
            return;
        };
        let boxed = seal(
            &salsa_box(cn_client, cn_secret),
            &nonce24(b"CurveZMQREADY---", &n),
            &meta,
        );
        let mut data = Vec::with_capacity(8 + boxed.len());
        data.extend_from_slice(&n);
        data.extend_from_slice(&boxed);
        s.send_command(b"READY", &data);
        self.state = ServerState::Ready;
    }
}

impl Mechanism for CurveServer {
    fn start(&mut self, _s: &mut Shared) -> Result<(), HandshakeError> {
        Ok(())
    }

    fn process_command(&mut self, body: Bytes, s: &mut Shared) -> Result<(), HandshakeError> {
        match self.state {
            ServerState::WaitingHello | ServerState::WaitingInitiate => {
                // libzmq `check_basic_command_structure`.
                if body.len() <= 1 || body.len() <= usize::from(body[0]) {
                    return Err(protocol(code::ZMTP_MALFORMED_COMMAND_UNSPECIFIED));
                }
                if self.state == ServerState::WaitingHello {
                    self.hello(&body, s)
                } else {
                    self.initiate(&body, s)
                }
            }
            ServerState::WaitingZap | ServerState::Ready => Err(protocol(code::ZMTP_UNSPECIFIED)),
        }
    }

    fn zap_reply(&mut self, reply: ZapReply, s: &mut Shared) -> Result<(), HandshakeError> {
        if self.state != ServerState::WaitingZap {
            return Err(HandshakeError::InvalidState);
        }
        match reply {
            ZapReply::NoHandler if s.zap_enforce_domain => {
                return Err(HandshakeError::NoZapHandler)
            }
            ZapReply::NoHandler => {}
            ZapReply::Frames(frames) => s.judge_zap(&frames)?,
        }
        self.send_ready(s);
        Ok(())
    }

    fn is_ready(&self) -> bool {
        self.state == ServerState::Ready
    }

    fn awaits_command(&self) -> bool {
        matches!(
            self.state,
            ServerState::WaitingHello | ServerState::WaitingInitiate | ServerState::WaitingZap
        )
    }

    fn take_cipher(&mut self) -> Option<CurveCipher> {
        if self.state != ServerState::Ready {
            return None;
        }
        let (peer, ours) = self.precom.take()?;
        Some(CurveCipher {
            tx: CurveTx {
                cipher: MsgBox::new(&peer, &ours),
                prefix: b"CurveZMQMESSAGES",
                nonce: self.nonce,
                version: Version::V3_1,
            },
            rx: CurveRx {
                cipher: MsgBox::new(&peer, &ours),
                prefix: b"CurveZMQMESSAGEC",
                peer_nonce: self.peer_nonce,
            },
        })
    }
}
