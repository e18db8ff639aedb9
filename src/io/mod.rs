//! The I/O layer: compio runtimes, connections, listeners, addresses.
//! With `ffi`, the only place `unsafe` may appear.

pub mod runtime;
pub mod signaler;
