//! Logs on demand: `MONOCOQUE_LOG` switches on human-readable logs.
//!
//! The library logs through `tracing`. Nothing is installed unless the
//! environment asks for it, and without a subscriber every log call site
//! costs one relaxed atomic load (tracing's global max level is OFF), so
//! the hot path pays nothing measurable (see the README's perf note).
//!
//! - `MONOCOQUE_LOG`: a `tracing-subscriber` `EnvFilter` directive list,
//!   e.g. `debug`, `monocoque=info`, `monocoque::handshake=trace,warn`.
//! - `MONOCOQUE_LOG_FILE`: append the lines to this file instead of
//!   stderr.
//!
//! The subscriber is installed once, when the first context is made
//! (`Ctx::new`), as the process-wide default of this library's own copy of
//! `tracing` (a C program's other libraries are not affected).
//!
//! Targets (what `MONOCOQUE_LOG=target=level` selects). Every target
//! starts with `monocoque::`, so `MONOCOQUE_LOG=monocoque=debug` selects
//! them all:
//!
//! | target | what |
//! | --- | --- |
//! | `monocoque::bind` | bind, unbind, listening endpoints, bind errors |
//! | `monocoque::connect` | connect, disconnect, each attempt, its failure, reconnect back-off, giving up |
//! | `monocoque::accept` | accepted connections, accept errors, peers refused by accept/ipc filters |
//! | `monocoque::handshake` | each handshake: peer greeting (revision, mechanism), success, failure with its reason |
//! | `monocoque::zap` | ZAP requests and replies (status code and text, user id) |
//! | `monocoque::disconnect` | why a connection ended: peer closed, I/O error, protocol error, heartbeat timeout |
//! | `monocoque::hwm` | high-water marks: sends refused or messages dropped (rate-limited: one line per second per kind) |
//! | `monocoque::linger` | `zmq_close`/`zmq_ctx_term` waiting: which socket, how many messages, how long |
//! | `monocoque::io` | I/O threads and listeners that cannot start |
//!
//! Levels: `error` something could not start; `warn` a peer was refused or
//! messages were lost (handshake failures, ZAP denials, protocol errors,
//! HWM drops); `info` connection lifecycle (listening, connected, accepted,
//! handshake done, disconnected); `debug` the detail needed to debug a
//! deployment (attempts, back-off, greetings, ZAP exchanges, linger).

#![forbid(unsafe_code)]

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Once;
use std::time::Instant;

use crate::zmtp::error::code;
use crate::zmtp::greeting::PeerGreeting;
use crate::zmtp::HandshakeError;

/// The environment variable holding the filter.
pub const ENV_FILTER: &str = "MONOCOQUE_LOG";
/// The environment variable naming a log file (default: stderr).
pub const ENV_FILE: &str = "MONOCOQUE_LOG_FILE";

/// Installs the log subscriber if `MONOCOQUE_LOG` asks for one. Cheap
/// after the first call; never fails (a bad filter or file is reported on
/// stderr and logging stays off or goes to stderr).
pub fn init() {
    static ONCE: Once = Once::new();
    ONCE.call_once(install);
}

fn install() {
    use tracing_subscriber::fmt::writer::BoxMakeWriter;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let spec = match std::env::var(ENV_FILTER) {
        Ok(s) if !s.trim().is_empty() => s,
        _ => return,
    };
    // `Targets` takes the `target=level,...` lists of `EnvFilter` without
    // its regex engine (+190 KB stripped instead of +830 KB); the
    // `env-filter` feature brings the full `EnvFilter` syntax (span and
    // field directives).
    #[cfg(not(feature = "env-filter"))]
    let filter = spec.parse::<tracing_subscriber::filter::Targets>();
    #[cfg(feature = "env-filter")]
    let filter = tracing_subscriber::EnvFilter::builder().parse(&spec);
    let filter = match filter {
        Ok(f) => f,
        Err(e) => {
            eprintln!(
                "monocoque: {ENV_FILTER}={spec:?} is not a valid filter ({e}); logs stay off"
            );
            return;
        }
    };
    let file = std::env::var_os(ENV_FILE).filter(|f| !f.is_empty());
    let file = file.and_then(|path| {
        match std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
        {
            Ok(f) => Some(f),
            Err(e) => {
                eprintln!(
                    "monocoque: cannot open {ENV_FILE}={}: {e}; logging to stderr",
                    path.to_string_lossy()
                );
                None
            }
        }
    });
    let (writer, ansi) = match file {
        Some(f) => (BoxMakeWriter::new(std::sync::Mutex::new(f)), false),
        None => (
            BoxMakeWriter::new(std::io::stderr),
            std::io::stderr().is_terminal(),
        ),
    };
    let layer = tracing_subscriber::fmt::layer()
        .with_target(true)
        .with_thread_names(true)
        .with_ansi(ansi)
        .with_writer(writer);
    // A subscriber already installed (a Rust program linking this crate
    // that set its own) wins: `try_init` fails and we keep it.
    let _ = tracing_subscriber::registry()
        .with(layer)
        .with(filter)
        .try_init();
}

/// The name libzmq's `zmq.h` gives a `ZMQ_PROTOCOL_ERROR_*` value.
pub fn protocol_error_name(c: u32) -> &'static str {
    match c {
        code::ZMTP_UNSPECIFIED => "ZMTP_UNSPECIFIED",
        code::ZMTP_UNEXPECTED_COMMAND => "ZMTP_UNEXPECTED_COMMAND",
        code::ZMTP_INVALID_SEQUENCE => "ZMTP_INVALID_SEQUENCE",
        code::ZMTP_KEY_EXCHANGE => "ZMTP_KEY_EXCHANGE",
        code::ZMTP_MALFORMED_COMMAND_UNSPECIFIED => "ZMTP_MALFORMED_COMMAND_UNSPECIFIED",
        code::ZMTP_MALFORMED_COMMAND_MESSAGE => "ZMTP_MALFORMED_COMMAND_MESSAGE",
        code::ZMTP_MALFORMED_COMMAND_HELLO => "ZMTP_MALFORMED_COMMAND_HELLO",
        code::ZMTP_MALFORMED_COMMAND_INITIATE => "ZMTP_MALFORMED_COMMAND_INITIATE",
        code::ZMTP_MALFORMED_COMMAND_ERROR => "ZMTP_MALFORMED_COMMAND_ERROR",
        code::ZMTP_MALFORMED_COMMAND_READY => "ZMTP_MALFORMED_COMMAND_READY",
        code::ZMTP_MALFORMED_COMMAND_WELCOME => "ZMTP_MALFORMED_COMMAND_WELCOME",
        code::ZMTP_INVALID_METADATA => "ZMTP_INVALID_METADATA",
        code::ZMTP_CRYPTOGRAPHIC => "ZMTP_CRYPTOGRAPHIC",
        code::ZMTP_MECHANISM_MISMATCH => "ZMTP_MECHANISM_MISMATCH",
        code::ZAP_UNSPECIFIED => "ZAP_UNSPECIFIED",
        code::ZAP_MALFORMED_REPLY => "ZAP_MALFORMED_REPLY",
        code::ZAP_BAD_REQUEST_ID => "ZAP_BAD_REQUEST_ID",
        code::ZAP_BAD_VERSION => "ZAP_BAD_VERSION",
        code::ZAP_INVALID_STATUS_CODE => "ZAP_INVALID_STATUS_CODE",
        code::ZAP_INVALID_METADATA => "ZAP_INVALID_METADATA",
        code::WS_UNSPECIFIED => "WS_UNSPECIFIED",
        _ => "unknown protocol error",
    }
}

/// A handshake failure as a user reads it: what happened and, where the
/// cause is usually a configuration mistake, which option to look at.
pub fn explain_handshake_error(e: &HandshakeError) -> String {
    match e {
        HandshakeError::Protocol(code::ZMTP_CRYPTOGRAPHIC) => format!(
            "CURVE key rejected: a box did not open (ZMTP_CRYPTOGRAPHIC {:#x}); \
             the client's ZMQ_CURVE_SERVERKEY is not the server's public key, \
             or a key pair does not match",
            code::ZMTP_CRYPTOGRAPHIC
        ),
        HandshakeError::Protocol(c) => {
            format!("protocol error {} ({c:#x})", protocol_error_name(*c))
        }
        HandshakeError::MechanismMismatch => {
            "security mechanism mismatch: both sides must use the \
             same ZMQ_MECHANISM (NULL, PLAIN or CURVE)"
                .to_string()
        }
        HandshakeError::Auth { status } => format!(
            "ZAP handler denied the peer: status {status} ({})",
            zap_status_meaning(*status)
        ),
        HandshakeError::PeerError { reason } => {
            let r = String::from_utf8_lossy(reason);
            match crate::zmtp::error::zap_status(reason) {
                Some(s) => format!(
                    "the peer refused us: ERROR {r:?} (its ZAP handler answered {s}: {}; \
                     check our credentials/keys)",
                    zap_status_meaning(s)
                ),
                None => format!("the peer refused us: ERROR {r:?}"),
            }
        }
        HandshakeError::NoZapHandler => "authentication needs a ZAP handler \
             (inproc://zeromq.zap.01) and none is bound in this context"
            .to_string(),
        other => other.to_string(),
    }
}

/// RFC 27's meaning of a ZAP status code.
pub fn zap_status_meaning(status: u32) -> &'static str {
    match status {
        200 => "OK",
        300 => "temporary error",
        400 => "authentication failure",
        500 => "internal error",
        _ => "invalid status",
    }
}

/// A peer's greeting as a user reads it.
pub fn describe_greeting(g: &PeerGreeting) -> String {
    match g {
        PeerGreeting::Unversioned { .. } => "ZMTP 1.0 (no signature, no revision)".to_string(),
        PeerGreeting::Legacy { revision, .. } => format!(
            "ZMTP {}.0 (revision {revision})",
            if *revision == 0 { 1 } else { 2 }
        ),
        PeerGreeting::V3 {
            revision,
            minor,
            mechanism,
            as_server,
        } => format!(
            "ZMTP {}.{} (revision {revision}, minor {minor}), mechanism {}, as-server {}",
            revision,
            minor,
            mechanism_name(mechanism),
            *as_server as u8
        ),
    }
}

/// A greeting's mechanism field without its padding.
pub fn mechanism_name(field: &[u8]) -> String {
    let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    String::from_utf8_lossy(&field[..end]).into_owned()
}

/// The span every connection's lines run in (`conn{endpoint=.. peer=..}`
/// in the output). Disabled spans cost one check per poll.
#[inline]
pub fn conn_span(endpoint: &str, peer: &str) -> tracing::Span {
    tracing::info_span!(target: "monocoque::conn", "conn", endpoint, peer)
}

/// `ZMQ_MECHANISM`'s value as a name.
pub fn mechanism_option_name(m: i32) -> &'static str {
    match m {
        crate::options::MECH_PLAIN => "PLAIN",
        crate::options::MECH_CURVE => "CURVE",
        0 => "NULL",
        _ => "unknown",
    }
}

/// What a peer that hangs up during the handshake usually means.
pub fn handshake_eof_hint(mechanism: i32) -> &'static str {
    match mechanism {
        crate::options::MECH_CURVE => {
            "; with CURVE the server closes on a client whose ZMQ_CURVE_SERVERKEY is wrong \
             and on keys its ZAP handler denies"
        }
        crate::options::MECH_PLAIN => {
            "; with PLAIN the server closes when its ZAP handler denies the credentials"
        }
        _ => "; the peer may use another security mechanism, or refused us",
    }
}

/// Why a connection ended, for the `monocoque::disconnect` line.
pub fn end_text(end: crate::io::session::End) -> &'static str {
    use crate::io::session::End;
    match end {
        End::SocketClosed => "the socket was closed",
        End::Stopped => "the endpoint was stopped (unbind, disconnect or close)",
        End::Disconnected => "the peer went away (see the line before for the cause)",
        End::HandshakeFailed => "the handshake failed",
        End::ProtocolError => "protocol error (a connecter does not reconnect after one)",
    }
}

/// A read pump's read ended the connection: say how.
pub fn read_ended(res: &std::io::Result<usize>) {
    match res {
        Ok(_) => tracing::debug!(target: "monocoque::disconnect", "the peer closed the connection"),
        Err(e) => tracing::debug!(target: "monocoque::disconnect", "read failed: {e}"),
    }
}

/// `strerror` for an errno, for log lines.
pub fn errno_text(errno: i32) -> String {
    std::io::Error::from_raw_os_error(errno).to_string()
}

/// A log line that may repeat at a high rate: written at most once per
/// second, saying how many were suppressed in between. Only touched when
/// its target is enabled, so it costs nothing when logging is off.
pub struct RateLimited {
    /// Milliseconds since `epoch()` of the last line written (0 = never).
    last_ms: AtomicU64,
    suppressed: AtomicU64,
}

fn epoch() -> Instant {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    *START.get_or_init(Instant::now)
}

impl RateLimited {
    pub const fn new() -> Self {
        RateLimited {
            last_ms: AtomicU64::new(0),
            suppressed: AtomicU64::new(0),
        }
    }

    /// `Some(n)` when a line is due now (`n` lines were suppressed since
    /// the last one); `None` when this one is suppressed.
    pub fn admit(&self) -> Option<u64> {
        let now = epoch().elapsed().as_millis() as u64 + 1;
        let last = self.last_ms.load(Ordering::Relaxed);
        if last != 0 && now < last + 1000 {
            self.suppressed.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        if self
            .last_ms
            .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
        {
            self.suppressed.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        Some(self.suppressed.swap(0, Ordering::Relaxed))
    }
}

impl Default for RateLimited {
    fn default() -> Self {
        Self::new()
    }
}

static HWM_DROP: RateLimited = RateLimited::new();
static HWM_REFUSED: RateLimited = RateLimited::new();

/// A message was dropped (PUB/XPUB at a subscriber's high-water mark,
/// ROUTER at a peer's or to an unknown routing id). Rate-limited.
#[inline]
pub fn hwm_dropped(socket: &'static str, endpoint: &str, why: &str) {
    if tracing::enabled!(target: "monocoque::hwm", tracing::Level::WARN) {
        if let Some(n) = HWM_DROP.admit() {
            tracing::warn!(
                target: "monocoque::hwm",
                socket,
                endpoint,
                suppressed = n,
                "message dropped: {why}{}",
                more_since(n)
            );
        }
    }
}

/// A send could not go out because every pipe it may use is at its
/// high-water mark (`EAGAIN`, or a blocking send waits). Rate-limited.
#[inline]
pub fn hwm_refused(socket_type: i32, sndhwm: i32, blocking: bool) {
    if tracing::enabled!(target: "monocoque::hwm", tracing::Level::DEBUG) {
        if let Some(n) = HWM_REFUSED.admit() {
            tracing::debug!(
                target: "monocoque::hwm",
                socket = crate::zmtp::socket_type_name(socket_type),
                sndhwm,
                suppressed = n,
                "send cannot go out now: no peer can take it (all at SNDHWM, or none connected yet); {}{}",
                if blocking {
                    "the send waits (ZMQ_SNDTIMEO)"
                } else {
                    "the send fails with EAGAIN"
                },
                more_since(n)
            );
        }
    }
}

fn more_since(n: u64) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(" ({n} more since the last such line)")
    }
}

/// A closed socket's connecter still holds messages for a peer it has not
/// reached: it goes on trying within `ZMQ_LINGER`, or gives up.
pub fn linger_unconnected(endpoint: &str, queued: usize, linger_ms: i32, expired: bool) {
    if queued == 0 {
        return;
    }
    if expired {
        tracing::warn!(target: "monocoque::linger", endpoint, queued, linger_ms, "ZMQ_LINGER ran out before the peer was reached: {queued} queued message(s) dropped");
    } else {
        tracing::debug!(target: "monocoque::linger", endpoint, queued, linger_ms, "socket closed before the peer was reached: {queued} message(s) queued, still trying within ZMQ_LINGER");
    }
}

/// `zmq_ctx_term` is about to wait for sockets the application has not
/// closed: name them (the usual cause of a hanging term).
pub fn term_waits_for_sockets<'a>(
    sockets: impl Iterator<Item = &'a std::sync::Arc<crate::socket::Socket>>,
) {
    if !tracing::enabled!(target: "monocoque::linger", tracing::Level::INFO) {
        return;
    }
    let open: Vec<String> = sockets.map(|s| s.describe()).collect();
    if !open.is_empty() {
        tracing::info!(
            target: "monocoque::linger",
            "zmq_ctx_term waits for {} socket(s) still open (zmq_close each): {}",
            open.len(),
            open.join(", ")
        );
    }
}

/// `zmq_ctx_term` is about to wait for connections that still deliver
/// (ZMQ_LINGER) or wind down.
pub fn term_waits_for_sessions(n: usize) {
    if n > 0 {
        tracing::info!(
            target: "monocoque::linger",
            "zmq_ctx_term waits for {n} I/O task(s) (connections delivering queued messages within ZMQ_LINGER, listeners and connecters stopping)"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_admits_first_then_suppresses_within_a_second() {
        let r = RateLimited::new();
        assert_eq!(r.admit(), Some(0));
        assert_eq!(r.admit(), None);
        assert_eq!(r.admit(), None);
        // Pretend the last line is more than a second old.
        r.last_ms.store(1, Ordering::Relaxed);
        let now = epoch().elapsed().as_millis() as u64 + 1;
        if now > 1001 {
            assert_eq!(r.admit(), Some(2));
        }
    }

    #[test]
    fn crypto_failure_names_the_server_key() {
        let t = explain_handshake_error(&HandshakeError::Protocol(code::ZMTP_CRYPTOGRAPHIC));
        assert!(t.contains("CURVE key rejected"), "{t}");
        assert!(t.contains("ZMQ_CURVE_SERVERKEY"), "{t}");
    }

    #[test]
    fn zap_denial_names_status_and_meaning() {
        let t = explain_handshake_error(&HandshakeError::Auth { status: 400 });
        assert!(t.contains("status 400"), "{t}");
        assert!(t.contains("authentication failure"), "{t}");
        let t = explain_handshake_error(&HandshakeError::PeerError {
            reason: bytes::Bytes::from_static(b"400"),
        });
        assert!(t.contains("ERROR \"400\""), "{t}");
    }

    #[test]
    fn greeting_shows_revision_and_mechanism() {
        let mut m = [0u8; 20];
        m[..5].copy_from_slice(b"PLAIN");
        let g = PeerGreeting::V3 {
            revision: 3,
            minor: 1,
            mechanism: m,
            as_server: false,
        };
        let t = describe_greeting(&g);
        assert!(t.contains("ZMTP 3.1"), "{t}");
        assert!(t.contains("mechanism PLAIN"), "{t}");
        assert_eq!(
            describe_greeting(&PeerGreeting::Legacy {
                revision: 1,
                socket_type: 0
            }),
            "ZMTP 2.0 (revision 1)"
        );
    }

    #[test]
    fn protocol_codes_have_libzmq_names() {
        assert_eq!(
            protocol_error_name(code::ZMTP_MECHANISM_MISMATCH),
            "ZMTP_MECHANISM_MISMATCH"
        );
        assert_eq!(
            protocol_error_name(code::ZAP_INVALID_STATUS_CODE),
            "ZAP_INVALID_STATUS_CODE"
        );
    }
}
