//! The I/O layer: compio runtimes, connections, listeners, addresses.
//! With `ffi`, the only place `unsafe` may appear.

pub mod runtime;
pub mod signaler;
pub mod addr;
pub mod session;
pub mod stop;
pub mod sys;
pub mod tcp;
