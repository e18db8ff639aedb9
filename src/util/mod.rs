//! Utilities of the C API that are not sockets: Z85, atomic counters,
//! timers, stopwatch, application threads. Pure, safe Rust; the C glue is
//! in `ffi::util`.

#![forbid(unsafe_code)]

pub mod atomic_counter;
pub mod random;
pub mod stopwatch;
pub mod thread;
pub mod timers;
pub mod z85;

/// Whether this build has `capability`, as `zmq_has` asks. libzmq 4.3.5
/// knows "ipc", "pgm", "tipc", "norm", "curve", "gssapi", "vmci", "draft",
/// "WS" and "WSS"; "tcp" and "inproc" are not capabilities there.
pub fn has(capability: &str) -> bool {
    match capability {
        // Debian's libzmq answers "WS" (its capability name), not "ws".
        "ipc" | "curve" | "WS" => true,
        "draft" => cfg!(feature = "draft"),
        // The draft `wss://` transport, in a build with the `wss` feature
        // (as libzmq answers "WSS" when built with GnuTLS).
        "WSS" => cfg!(feature = "wss"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::has;

    #[test]
    fn ipc_is_a_capability_but_tcp_and_inproc_are_not() {
        assert!(has("ipc"));
        assert!(!has("tcp"));
        assert!(!has("inproc"));
        assert!(!has("IPC"));
        assert!(has("curve"));
    }

    #[test]
    fn ws_is_spelled_in_capitals_as_in_libzmq() {
        assert!(has("WS"));
        assert!(!has("ws"));
        assert_eq!(has("WSS"), cfg!(feature = "wss"));
        assert!(!has("wss"));
    }

    #[test]
    fn draft_follows_the_draft_feature() {
        assert_eq!(has("draft"), cfg!(feature = "draft"));
    }
}
