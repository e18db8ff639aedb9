//! The I/O layer: compio runtimes, connections, listeners, addresses.
//! With `ffi`, the only place `unsafe` may appear.
//!
//! Never imports `socket` or `ctx`: what a connection needs from the socket
//! that owns its pipe goes through `owner::Owner` (ARCHITECTURE.md, "The
//! seam").

pub mod addr;
pub mod biased;
pub mod capped;
pub mod chunk;
pub mod direct;
pub mod foreign;
pub mod lock;
pub mod owner;
pub mod runtime;
pub mod session;
pub mod signaler;
/// cbindgen:ignore
/// The system libsodium (CURVE's cipher for large boxes), when build.rs
/// found it; not under Miri, which cannot call C. Not part of the C API.
#[cfg(all(monocoque_sodium, not(miri)))]
pub(crate) mod sodium;
pub mod stop;
pub mod sys;
pub mod tcp;
#[cfg(feature = "wss")]
pub mod tls;
pub mod udp;
pub mod ws;
