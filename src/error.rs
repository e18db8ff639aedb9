//! Errors as libzmq reports them: an `errno` value, with libzmq's own texts
//! for its native codes. One source of truth for `zmq_strerror`.

#![forbid(unsafe_code)]

use std::fmt;

/// libzmq's base for its native error numbers (`ZMQ_HAUSNUMERO`).
pub const HAUSNUMERO: i32 = 156_384_712;
pub const EFSM: i32 = HAUSNUMERO + 51;
pub const ENOCOMPATPROTO: i32 = HAUSNUMERO + 52;
pub const ETERM: i32 = HAUSNUMERO + 53;
pub const EMTHREAD: i32 = HAUSNUMERO + 54;

pub use libc::{
    EADDRINUSE, EAGAIN, EFAULT, EHOSTUNREACH, EINTR, EINVAL, EMFILE, ENODEV, ENOENT, ENOTSOCK,
    ENOTSUP, EPROTONOSUPPORT,
};

/// An error as an `errno` value. Cheap to copy; mapped to `-1`/`errno` at
/// the C boundary.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Error(pub i32);

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub const AGAIN: Error = Error(EAGAIN);
    pub const INVAL: Error = Error(EINVAL);
    pub const FAULT: Error = Error(EFAULT);
    pub const NOTSOCK: Error = Error(ENOTSOCK);
    pub const NOTSUP: Error = Error(ENOTSUP);
    pub const TERM: Error = Error(ETERM);
    pub const FSM: Error = Error(EFSM);
    pub const INTR: Error = Error(EINTR);
    pub const MFILE: Error = Error(EMFILE);

    pub fn errno(self) -> i32 {
        self.0
    }

    /// Maps an OS error to its errno (EIO when the OS gave none).
    pub fn from_io(e: &std::io::Error) -> Error {
        Error(e.raw_os_error().unwrap_or(libc::EIO))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::from_io(&e)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error({}: {})", self.0, strerror(self.0))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&strerror(self.0))
    }
}

/// The text `zmq_strerror` gives for `errnum`, as libzmq words it: its native
/// codes and `EHOSTUNREACH` have libzmq's own texts, the rest are the C
/// library's.
pub fn native_text(errnum: i32) -> Option<&'static str> {
    Some(match errnum {
        EFSM => "Operation cannot be accomplished in current state",
        ENOCOMPATPROTO => "The protocol is not compatible with the socket type",
        ETERM => "Context was terminated",
        EMTHREAD => "No thread available",
        EHOSTUNREACH => "Host unreachable",
        _ => return None,
    })
}

/// Owned text for Rust-side formatting; the C boundary serves static C
/// strings of its own.
pub fn strerror(errnum: i32) -> String {
    match native_text(errnum) {
        Some(t) => t.to_string(),
        None => std::io::Error::from_raw_os_error(errnum)
            .to_string()
            .split(" (os error")
            .next()
            .unwrap_or("")
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_codes_have_libzmq_values() {
        assert_eq!(EFSM, 156_384_763);
        assert_eq!(ENOCOMPATPROTO, 156_384_764);
        assert_eq!(ETERM, 156_384_765);
        assert_eq!(EMTHREAD, 156_384_766);
    }

    #[test]
    fn host_unreachable_uses_libzmq_text() {
        assert_eq!(strerror(EHOSTUNREACH), "Host unreachable");
        assert_eq!(strerror(EINVAL), "Invalid argument");
    }
}
